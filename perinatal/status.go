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

// PostpartumWindow is how long after delivery a woman counts as postpartum, in days of
// 24 elapsed hours. A woman delivered at D is postpartum at any moment t with
// D <= t <= D + Days×24h: the window includes its last instant. Policies choose their own
// window; DefaultPostpartumWindow is the common 12-month one.
type PostpartumWindow struct {
	Days int `json:"days"`
}

// DefaultPostpartumDays is the length of the common 12-month postpartum window, in days.
const DefaultPostpartumDays = 365

// DefaultPostpartumWindow returns the common 12-month postpartum window (365 days), used by
// many State priority rules and by Medicaid's extended postpartum coverage. It is a function,
// not a variable, so that no caller can change the default for everyone else.
func DefaultPostpartumWindow() PostpartumWindow {
	return PostpartumWindow{Days: DefaultPostpartumDays}
}

// Contains reports whether a woman delivered at deliveredAt is within the window at at.
// A zero deliveredAt (no delivery recorded) is never within the window, nor is a moment
// before the delivery.
func (w PostpartumWindow) Contains(deliveredAt, at time.Time) bool {
	if deliveredAt.IsZero() || w.Days <= 0 || at.Before(deliveredAt) {
		return false
	}
	return !at.After(deliveredAt.Add(w.span()))
}

// End returns the last instant of the window for a delivery at deliveredAt.
func (w PostpartumWindow) End(deliveredAt time.Time) time.Time {
	return deliveredAt.Add(w.span())
}

// maxWindowDays is the longest window a time.Duration can hold (about 292 years).
const maxWindowDays = int64(1<<63-1) / int64(24*time.Hour)

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
