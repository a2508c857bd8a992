package perinatal

import (
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // zones load where the system has no database
)

func TestPostpartumWindowContains(t *testing.T) {
	d := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	w := PostpartumWindow{Days: 365}
	// Hand-computed: the last instant is D + 365×24h = 2027-03-01T10:00:00Z (2026 is not leap).
	last := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		w    PostpartumWindow
		del  time.Time
		at   time.Time
		want bool
	}{
		{"at delivery", w, d, d, true},
		{"one nanosecond before delivery", w, d, d.Add(-time.Nanosecond), false},
		{"last instant of window", w, d, last, true},
		{"one nanosecond after window", w, d, last.Add(time.Nanosecond), false},
		{"zero delivery", w, time.Time{}, d, false},
		{"zero window", PostpartumWindow{}, d, d, false},
		{"negative window", PostpartumWindow{Days: -1}, d, d, false},
		{"zero at before delivery", w, d, time.Time{}, false},
		{"absurd window does not overflow", PostpartumWindow{Days: 1 << 40}, d, d.AddDate(200, 0, 0), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.w.Contains(tt.del, tt.at); got != tt.want {
				t.Errorf("Contains = %v, want %v", got, tt.want)
			}
		})
	}
	if got := w.End(d); !got.Equal(last) {
		t.Errorf("End = %v, want %v", got, last)
	}
	if DefaultPostpartumWindow().Days != 365 {
		t.Errorf("DefaultPostpartumWindow = %d days, want 365", DefaultPostpartumWindow().Days)
	}
}

func TestStatusAt(t *testing.T) {
	d := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	last := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	w := DefaultPostpartumWindow()
	tests := []struct {
		name     string
		pregnant bool
		del      time.Time
		at       time.Time
		want     Status
	}{
		{"pregnant, no delivery", true, time.Time{}, d, StatusPregnant},
		{"pregnant, delivery later than at", true, d, d.Add(-time.Second), StatusPregnant},
		{"delivery at exactly at ends pregnancy", true, d, d, StatusPostpartum},
		{"delivered, not flagged pregnant", false, d, d, StatusPostpartum},
		{"last instant of window", false, d, last, StatusPostpartum},
		{"just after window", false, d, last.Add(time.Nanosecond), StatusNotPregnant},
		{"pregnant flag ignored after delivery and window", true, d, last.Add(time.Hour), StatusNotPregnant},
		{"not pregnant, no delivery", false, time.Time{}, d, StatusNotPregnant},
		{"all zero", false, time.Time{}, time.Time{}, StatusNotPregnant},
		{"pregnant at zero time", true, time.Time{}, time.Time{}, StatusPregnant},
		{"not pregnant, delivery in future", false, d, d.Add(-time.Hour), StatusNotPregnant},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StatusAt(tt.pregnant, tt.del, w, tt.at); got != tt.want {
				t.Errorf("StatusAt = %v, want %v", got, tt.want)
			}
		})
	}
	// A caller's shorter window: 60 days.
	w60 := PostpartumWindow{Days: 60}
	if got := StatusAt(false, d, w60, d.Add(60*24*time.Hour)); got != StatusPostpartum {
		t.Errorf("60-day window, last instant: %v", got)
	}
	if got := StatusAt(false, d, w60, d.Add(60*24*time.Hour+1)); got != StatusNotPregnant {
		t.Errorf("60-day window, after: %v", got)
	}
}

func TestStatusText(t *testing.T) {
	for s, code := range map[Status]string{StatusUnknown: "unknown", StatusNotPregnant: "not_pregnant", StatusPregnant: "pregnant", StatusPostpartum: "postpartum"} {
		b, err := s.MarshalText()
		if err != nil || string(b) != code || s.String() != code {
			t.Errorf("%d: MarshalText = %q, %v; String = %q; want %q", s, b, err, s.String(), code)
		}
		var back Status
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("UnmarshalText(%q) = %v, %v", b, back, err)
		}
		if s.IsValid() != (s != StatusUnknown) {
			t.Errorf("%v.IsValid() = %v", s, s.IsValid())
		}
	}
	var s Status
	long := strings.Repeat("x", 100)
	err := s.UnmarshalText([]byte(long))
	if !errors.Is(err, ErrUnknownCode) {
		t.Fatalf("unknown code: %v, want ErrUnknownCode", err)
	}
	if strings.Contains(err.Error(), strings.Repeat("x", 33)) {
		t.Errorf("error quotes more than 32 bytes: %v", err)
	}
	if _, err := Status(9).MarshalText(); !errors.Is(err, ErrUnknownCode) {
		t.Errorf("MarshalText(9) err = %v", err)
	}
	if Status(9).String() != "Status(9)" || Status(9).IsValid() {
		t.Errorf("out of range status: %q valid=%v", Status(9).String(), Status(9).IsValid())
	}
}

// TestDefaultPostpartumWindowIs365Days pins the documented default, QA's reproducer turned
// around: DefaultPostpartumWindow is 365 days of 24 hours (DefaultPostpartumDays), not 12
// calendar months and not Medicaid's window, and the windows that are those are offered by
// name. Hand-computed for a delivery at 10:00 UTC on 15 March 2027 (2028 is a leap year):
//   - 365 days later is 10:00 on 14 March 2028 (15 March 2027 to 15 March 2028 is 366 days);
//   - 12 calendar months later is 10:00 on 15 March 2028;
//   - Medicaid's 12-month window (42 U.S.C. 1396a(e)(16)) runs through the last day of the
//     month in which the 12 months end: the end of 31 March 2028.
func TestDefaultPostpartumWindowIs365Days(t *testing.T) {
	d := time.Date(2027, 3, 15, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		w    PostpartumWindow
		end  time.Time
	}{
		{"default", DefaultPostpartumWindow(), time.Date(2028, 3, 14, 10, 0, 0, 0, time.UTC)},
		{"12 months", PostpartumMonths(12), time.Date(2028, 3, 15, 10, 0, 0, 0, time.UTC)},
		{"Medicaid", MedicaidPostpartumWindow(), time.Date(2028, 4, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond)},
	} {
		if got := c.w.End(d); !got.Equal(c.end) {
			t.Errorf("%s: End = %s, want %s", c.name, got.Format(time.RFC3339Nano), c.end.Format(time.RFC3339Nano))
		}
		if StatusAt(false, d, c.w, c.end) != StatusPostpartum || StatusAt(false, d, c.w, c.end.Add(time.Nanosecond)) != StatusNotPregnant {
			t.Errorf("%s: the window does not end at its last instant", c.name)
		}
	}
	// QA's two moments: twelve months later before the hour of delivery, and the last day of
	// the month the 12 months end in.
	anniversary, monthEnd := time.Date(2028, 3, 15, 9, 0, 0, 0, time.UTC), time.Date(2028, 3, 31, 12, 0, 0, 0, time.UTC)
	want := map[string][2]Status{
		"default":   {StatusNotPregnant, StatusNotPregnant},
		"12 months": {StatusPostpartum, StatusNotPregnant},
		"Medicaid":  {StatusPostpartum, StatusPostpartum},
	}
	for name, w := range map[string]PostpartumWindow{"default": DefaultPostpartumWindow(), "12 months": PostpartumMonths(12), "Medicaid": MedicaidPostpartumWindow()} {
		got := [2]Status{StatusAt(false, d, w, anniversary), StatusAt(false, d, w, monthEnd)}
		if got != want[name] {
			t.Errorf("%s: %v, want %v", name, got, want[name])
		}
	}
	if w := DefaultPostpartumWindow(); w.Days != 365 || w.Months != 0 || w.ThroughMonthEnd {
		t.Errorf("DefaultPostpartumWindow = %+v, want 365 days", w)
	}
}

// TestPostpartumWindowCalendar: calendar-month windows and the end-of-month extension,
// each end worked out by hand.
func TestPostpartumWindowCalendar(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	utc := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }
	endOf := func(y int, m time.Month, d int, loc *time.Location) time.Time {
		return time.Date(y, m, d+1, 0, 0, 0, 0, loc).Add(-time.Nanosecond)
	}
	for _, c := range []struct {
		name string
		w    PostpartumWindow
		del  time.Time
		end  time.Time
	}{
		// 31 January plus one month: February has no 31st, so its last day.
		{"month to a shorter month", PostpartumMonths(1), utc(2027, 1, 31, 8), utc(2027, 2, 28, 8)},
		{"leap day plus 12 months", PostpartumMonths(12), utc(2028, 2, 29, 8), utc(2029, 2, 28, 8)},
		{"leap day plus 48 months", PostpartumMonths(48), utc(2028, 2, 29, 8), utc(2032, 2, 29, 8)},
		// Medicaid's 60 days (42 CFR 436.122): 5 January 2027 + 60 days = 6 March 2027, so to
		// 31 March; 30 November 2026 + 60 days = 29 January 2027, so to 31 January.
		{"60 days to month end", PostpartumWindow{Days: 60, ThroughMonthEnd: true}, utc(2027, 1, 5, 10), endOf(2027, 3, 31, time.UTC)},
		{"60 days to month end, over the year", PostpartumWindow{Days: 60, ThroughMonthEnd: true}, utc(2026, 11, 30, 10), endOf(2027, 1, 31, time.UTC)},
		// The 1st of a month: 12 months later is 1 March 2028, in March: to 31 March.
		{"Medicaid from the 1st", MedicaidPostpartumWindow(), utc(2027, 3, 1, 0), endOf(2028, 3, 31, time.UTC)},
		// Calendar months are counted where the end of the pregnancy is written: 23:30 on
		// 31 March in New York is 03:30 on 1 April UTC, a month later in UTC.
		{"Medicaid in New York", MedicaidPostpartumWindow(), time.Date(2027, 3, 31, 23, 30, 0, 0, ny), endOf(2028, 3, 31, ny)},
		{"Medicaid, the same instant in UTC", MedicaidPostpartumWindow(), time.Date(2027, 3, 31, 23, 30, 0, 0, ny).UTC(), endOf(2028, 4, 30, time.UTC)},
		{"months win over days", PostpartumWindow{Days: 10, Months: 1}, utc(2027, 5, 1, 0), utc(2027, 6, 1, 0)},
		{"absurd months do not overflow", PostpartumWindow{Months: 1 << 40}, utc(2027, 5, 1, 0), utc(2027+292, 5, 1, 0)},
	} {
		if got := c.w.End(c.del); !got.Equal(c.end) {
			t.Errorf("%s: End = %s, want %s", c.name, got.Format(time.RFC3339Nano), c.end.Format(time.RFC3339Nano))
		}
		if !c.w.Contains(c.del, c.end) || c.w.Contains(c.del, c.end.Add(time.Nanosecond)) || c.w.Contains(c.del, c.del.Add(-time.Nanosecond)) {
			t.Errorf("%s: Contains does not hold from the delivery to End inclusive", c.name)
		}
	}
	for _, w := range []PostpartumWindow{{}, {Months: -1}, {Days: -1, Months: -1}, {ThroughMonthEnd: true}} {
		if w.IsValid() || w.Contains(utc(2027, 1, 1, 0), utc(2027, 1, 1, 0)) {
			t.Errorf("%+v: a window without a length contains its delivery", w)
		}
	}
}
