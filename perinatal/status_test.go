package perinatal

import (
	"errors"
	"strings"
	"testing"
	"time"
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
