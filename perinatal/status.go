package perinatal

import "time"

// Status is a woman's reproductive status at a moment: not pregnant, pregnant, or
// postpartum within a window the caller chooses. The zero value is StatusUnknown.
type Status uint8

// The reproductive statuses.
const (
	StatusUnknown     Status = iota // facts not given; never treated as pregnant or postpartum
	StatusNotPregnant               // not pregnant and not within the postpartum window
	StatusPregnant                  // pregnant: not yet delivered
	StatusPostpartum                // delivered, and the moment judged lies within the window
)

var statusNames = [...]string{"unknown", "not_pregnant", "pregnant", "postpartum"}

// String returns the status's stable code, e.g. "postpartum".
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "Status(" + itoa(int(s)) + ")"
}

// IsValid reports whether s is one of the declared statuses other than StatusUnknown.
func (s Status) IsValid() bool { return s > StatusUnknown && int(s) < len(statusNames) }

// MarshalText encodes the status as its stable code.
func (s Status) MarshalText() ([]byte, error) {
	if int(s) >= len(statusNames) {
		return nil, &unknownCodeError{kind: "status", value: itoa(int(s))}
	}
	return []byte(statusNames[s]), nil
}

// UnmarshalText decodes a stable code produced by MarshalText. An unknown code returns an
// error wrapping ErrUnknownCode, which does not quote the code.
func (s *Status) UnmarshalText(b []byte) error {
	for i, n := range statusNames {
		if string(b) == n {
			*s = Status(i)
			return nil
		}
	}
	return &unknownCodeError{kind: "status"}
}

// PostpartumWindow is how long after the end of a pregnancy (delivery, stillbirth or
// loss: see PregnancyOutcome) a woman counts as postpartum. Policies choose their own
// window; the zero value is no window (never postpartum).
//
// Set Days or Months (when Months is positive it wins and Days is ignored):
//   - Days: days of 24 elapsed hours. A woman delivered at D is postpartum at any moment t
//     with D <= t <= D + Days×24h: the window includes its last instant.
//   - Months: calendar months in D's own location, at the same clock time: D + Months
//     months, on the same day of the month or, when that month is shorter, on its last day
//     (a delivery on 31 January is one month later on 28 or 29 February), and inclusive.
//
// ThroughMonthEnd extends either window to the last instant of the calendar month (in D's
// location) in which it would end: Medicaid's windows are written so, eligibility "through
// the end of the month in which" the 60-day or the 12-month period "beginning on the last
// day of her pregnancy" ends (42 U.S.C. 1396a(e)(5) and (e)(16); 42 CFR 436.122 for the 60
// days). MedicaidPostpartumWindow is the 12-month one; {Days: 60, ThroughMonthEnd: true}
// is the 60-day one, which ends for a delivery on 5 January 2027 on 31 March (60 days
// after it is 6 March) and for a delivery on 30 November 2026 on 31 January 2027.
//
// DefaultPostpartumWindow is 365 days, not 12 calendar months: see its documentation.
type PostpartumWindow struct {
	Days            int  `json:"days"`                        // days of 24 elapsed hours (when Months is 0)
	Months          int  `json:"months,omitempty"`            // calendar months; wins over Days when positive
	ThroughMonthEnd bool `json:"through_month_end,omitempty"` // to the end of the month the window ends in
}

// DefaultPostpartumDays is the length of the default postpartum window, in days of 24
// hours: 365. It is one year counted in days, a day shorter than 12 calendar months when
// the year after delivery holds a 29 February.
const DefaultPostpartumDays = 365

// DefaultPostpartumWindow returns the default postpartum window: 365 days of 24 hours
// (DefaultPostpartumDays), the window the priority package takes when a policy sets none
// (its "postpartum_days" counts days). It is a reading of the "12 months postpartum" of
// many State priority rules as 365 days, and it is not Medicaid's window: a woman who
// delivered on 15 March 2027 is postpartum under it until 10:00 on 14 March 2028 (2028 is a
// leap year), while 12 calendar months (PostpartumMonths(12)) run to 15 March 2028 and
// Medicaid's extended coverage (MedicaidPostpartumWindow) to the end of 31 March 2028. A
// policy that means calendar months says so with one of those. It is a function, not a
// variable, so that no caller can change the default for everyone else.
func DefaultPostpartumWindow() PostpartumWindow {
	return PostpartumWindow{Days: DefaultPostpartumDays}
}

// PostpartumMonths returns a window of n calendar months after the end of the pregnancy
// (see PostpartumWindow.Months).
func PostpartumMonths(n int) PostpartumWindow { return PostpartumWindow{Months: n} }

// MedicaidPostpartumWindow returns the window of Medicaid's extended postpartum coverage
// (CiteMedicaidPostpartum): through the end of the month in which the 12-month period
// beginning on the last day of the pregnancy ends. It is read as CMS's guidance to States
// and State manuals read it, "through the end of the month that occurs 12 months
// postpartum": 12 calendar months with ThroughMonthEnd, so that a pregnancy ending on any
// day of March 2027 is covered through 31 March 2028 (in the location the end of the
// pregnancy is written in). A stricter reading, in which a 12-month period beginning on 1
// March ends on the last day of February, would end a month earlier for a pregnancy that
// ends on the first of a month; this window never ends before it.
func MedicaidPostpartumWindow() PostpartumWindow {
	return PostpartumWindow{Months: 12, ThroughMonthEnd: true}
}

// IsValid reports whether the window has a length: Days or Months positive.
func (w PostpartumWindow) IsValid() bool { return w.Days > 0 || w.Months > 0 }

// Contains reports whether a woman delivered at deliveredAt is within the window at at.
// A zero deliveredAt (no delivery recorded) is never within the window, nor is a moment
// before the delivery, nor any moment of a window without a length.
func (w PostpartumWindow) Contains(deliveredAt, at time.Time) bool {
	if deliveredAt.IsZero() || !w.IsValid() || at.Before(deliveredAt) {
		return false
	}
	return !at.After(w.End(deliveredAt))
}

// End returns the last instant of the window for a delivery at deliveredAt; for a window
// without a length, deliveredAt itself.
func (w PostpartumWindow) End(deliveredAt time.Time) time.Time {
	var end time.Time
	switch {
	case w.Months > 0:
		end = addMonths(deliveredAt, min(w.Months, maxWindowMonths))
	case w.Days > 0:
		end = deliveredAt.Add(w.span())
	default:
		return deliveredAt
	}
	if w.ThroughMonthEnd {
		y, m, _ := end.Date()
		end = time.Date(y, m+1, 1, 0, 0, 0, 0, end.Location()).Add(-time.Nanosecond)
	}
	return end
}

// addMonths returns t plus n calendar months at the same clock time in t's location, on
// the same day of the month or, when the month reached is shorter, on its last day.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	first := time.Date(y, m+time.Month(n), 1, hh, mm, ss, t.Nanosecond(), t.Location())
	last := time.Date(first.Year(), first.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), hh, mm, ss, t.Nanosecond(), t.Location())
}

// maxWindowDays is the longest window a time.Duration can hold (about 292 years), and
// maxWindowMonths the same span in months.
const (
	maxWindowDays   = int64(1<<63-1) / int64(24*time.Hour)
	maxWindowMonths = 292 * 12
)

// span returns the window's length, clamped so that absurd windows cannot overflow.
func (w PostpartumWindow) span() time.Duration {
	if int64(w.Days) > maxWindowDays {
		return time.Duration(maxWindowDays) * 24 * time.Hour
	}
	return time.Duration(w.Days) * 24 * time.Hour
}

// StatusAt returns the reproductive status at the moment at, from whether she is known to be
// pregnant and when (if ever) she last delivered. Delivery ends the pregnancy: a delivery at or
// before at means she is not pregnant from then on, whatever pregnant says, unless she is
// pregnant again (pregnant true and deliveredAt before the pregnancy is the caller's concern:
// pass the zero time for a delivery that preceded the current pregnancy).
func StatusAt(pregnant bool, deliveredAt time.Time, w PostpartumWindow, at time.Time) Status {
	delivered := !deliveredAt.IsZero() && !at.Before(deliveredAt)
	switch {
	case pregnant && !delivered:
		return StatusPregnant
	case delivered && w.Contains(deliveredAt, at):
		return StatusPostpartum
	default:
		return StatusNotPregnant
	}
}
