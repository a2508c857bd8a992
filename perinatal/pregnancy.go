package perinatal

import (
	"strconv"
	"time"
)

// Dating constants (ACOG Committee Opinion 700, 2017; Naegele's rule).
const (
	// DaysLMPToEDD is the number of days from the first day of the last menstrual period
	// to the estimated delivery date: 40 weeks.
	DaysLMPToEDD = 280
	// DaysLMPToConception is the conventional number of days from the first day of the
	// last menstrual period to conception (ovulation in a 28-day cycle): 2 weeks. A
	// delivery earlier than this is a delivery before conception, which is impossible.
	DaysLMPToConception = 14
)

// GestationalAge is the age of a pregnancy in completed days since the first day of the
// last menstrual period, written "36w6d". The zero value is 0w0d. Comparable, immutable.
type GestationalAge struct {
	days int
}

// GA returns the gestational age of the given completed weeks and days, e.g. GA(36, 6).
// Days above 6 carry into weeks; negative totals are clamped to zero.
func GA(weeks, days int) GestationalAge { return GADays(weeks*7 + days) }

// GADays returns the gestational age of the given total completed days (clamped at 0).
func GADays(days int) GestationalAge {
	if days < 0 {
		days = 0
	}
	return GestationalAge{days: days}
}

// Days returns the total completed days.
func (g GestationalAge) Days() int { return g.days }

// Weeks returns the completed weeks.
func (g GestationalAge) Weeks() int { return g.days / 7 }

// ExtraDays returns the days beyond the completed weeks, 0 to 6.
func (g GestationalAge) ExtraDays() int { return g.days % 7 }

// String returns the age as "<weeks>w<days>d", e.g. "13w6d".
func (g GestationalAge) String() string {
	return strconv.Itoa(g.Weeks()) + "w" + strconv.Itoa(g.ExtraDays()) + "d"
}

// Equal reports whether g and h are the same age (go-cmp uses this method).
func (g GestationalAge) Equal(h GestationalAge) bool { return g.days == h.days }

// Before reports whether g is younger than h.
func (g GestationalAge) Before(h GestationalAge) bool { return g.days < h.days }

// Trimester returns the trimester at this gestational age: first below 14w0d, second from
// 14w0d to below 28w0d, third from 28w0d (CiteTrimesters).
func (g GestationalAge) Trimester() Trimester {
	switch {
	case g.days < 14*7:
		return TrimesterFirst
	case g.days < 28*7:
		return TrimesterSecond
	default:
		return TrimesterThird
	}
}

// Term classifies a birth at this gestational age (CiteTerm): preterm below 37w0d, early
// term 37w0d-38w6d, full term 39w0d-40w6d, late term 41w0d-41w6d, postterm from 42w0d.
func (g GestationalAge) Term() Term {
	switch {
	case g.days < 37*7:
		return TermPreterm
	case g.days < 39*7:
		return TermEarly
	case g.days < 41*7:
		return TermFull
	case g.days < 42*7:
		return TermLate
	default:
		return TermPostterm
	}
}

// MarshalText encodes the age as "36w6d".
func (g GestationalAge) MarshalText() ([]byte, error) { return []byte(g.String()), nil }

// UnmarshalText decodes "<weeks>w<days>d" (days 0 to 6), as ParseGestationalAge.
func (g *GestationalAge) UnmarshalText(b []byte) error {
	v, err := ParseGestationalAge(string(b))
	if err != nil {
		return err
	}
	*g = v
	return nil
}

// ParseGestationalAge parses the canonical "<weeks>w<days>d", weeks 0 to 52 without
// leading zeros and days 0 to 6, such as "13w6d". Anything else wraps ErrUnknownCode; the
// error does not quote the input. Work is bounded: at most 5 bytes are looked at.
func ParseGestationalAge(s string) (GestationalAge, error) {
	bad := &unknownCodeError{kind: "gestational age"}
	w := 0
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' && i < 2 {
		w = w*10 + int(s[i]-'0')
		i++
	}
	if i == 0 || (i == 2 && s[0] == '0') || i+3 != len(s) || s[i] != 'w' || s[i+1] < '0' || s[i+1] > '6' || s[i+2] != 'd' || w > 52 {
		return GestationalAge{}, bad
	}
	return GA(w, int(s[i+1]-'0')), nil
}

// Trimester is a third of a pregnancy counted from the last menstrual period. The zero
// value is TrimesterUnknown.
type Trimester uint8

// The trimesters.
const (
	TrimesterUnknown Trimester = iota
	TrimesterFirst             // below 14w0d
	TrimesterSecond            // 14w0d to below 28w0d
	TrimesterThird             // 28w0d until delivery
)

var trimesterNames = []string{"unknown", "first", "second", "third"}

// String returns the trimester's stable code, e.g. "second".
func (t Trimester) String() string { return enumString("Trimester", uint8(t), trimesterNames) }

// IsValid reports whether t is a declared trimester other than TrimesterUnknown.
func (t Trimester) IsValid() bool { return enumValid(uint8(t), trimesterNames) }

// MarshalText encodes the trimester as its stable code.
func (t Trimester) MarshalText() ([]byte, error) {
	return enumMarshal("trimester", uint8(t), trimesterNames)
}

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (t *Trimester) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("trimester", b, trimesterNames)
	*t = Trimester(v)
	return err
}

// Term classifies a birth by gestational age (CiteTerm). The zero value is TermUnknown.
type Term uint8

// The term classes.
const (
	TermUnknown  Term = iota
	TermPreterm       // below 37w0d
	TermEarly         // 37w0d to 38w6d
	TermFull          // 39w0d to 40w6d
	TermLate          // 41w0d to 41w6d
	TermPostterm      // 42w0d and beyond
)

var termNames = []string{"unknown", "preterm", "early_term", "full_term", "late_term", "postterm"}

// String returns the class's stable code, e.g. "early_term".
func (t Term) String() string { return enumString("Term", uint8(t), termNames) }

// IsValid reports whether t is a declared class other than TermUnknown.
func (t Term) IsValid() bool { return enumValid(uint8(t), termNames) }

// IsPreterm reports whether t is TermPreterm (birth before 37w0d).
func (t Term) IsPreterm() bool { return t == TermPreterm }

// IsTerm reports whether t lies in the term range 37w0d-41w6d (early, full or late term).
func (t Term) IsTerm() bool { return t == TermEarly || t == TermFull || t == TermLate }

// MarshalText encodes the class as its stable code.
func (t Term) MarshalText() ([]byte, error) { return enumMarshal("term", uint8(t), termNames) }

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (t *Term) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("term", b, termNames)
	*t = Term(v)
	return err
}

// Pregnancy is one pregnancy, dated from the first day of the last menstrual period (LMP)
// or from an estimated delivery date (EDD), and ended by a delivery if DeliveredAt is set.
// DeliveredAt is the moment the pregnancy ended whatever its Outcome: a live birth, a
// stillbirth or a pregnancy loss all end it.
//
// LMP and EDD are calendar dates: only their year, month and day (in their own location)
// count. When both are given, EDD wins (it may have been revised by ultrasound, as ACOG
// Committee Opinion 700 allows) and LMP is only checked to be earlier. Moments judged
// ("at", and DeliveredAt for the age at delivery) are likewise taken as their calendar
// date in their own location, so gestational age advances at local midnight and is
// unaffected by daylight saving changes. The same instant written with another UTC offset
// can fall on another date: see "Dates and time zones" in the package documentation, and
// GestationalAgeIn, TrimesterIn and TermAtDeliveryIn, which date moments where the patient
// is.
type Pregnancy struct {
	LMP         time.Time `json:"lmp,omitzero"`          // first day of the last menstrual period
	EDD         time.Time `json:"edd,omitzero"`          // estimated delivery date
	DeliveredAt time.Time `json:"delivered_at,omitzero"` // the moment of delivery (the end of the pregnancy); zero if not delivered
	// Outcome is how the pregnancy ended; OutcomeUnknown when it has not ended or the
	// outcome is not recorded. An outcome needs DeliveredAt.
	Outcome PregnancyOutcome `json:"outcome,omitzero"`
}

// PregnancyFromLMP returns a pregnancy dated from the first day of the last menstrual period.
func PregnancyFromLMP(lmp time.Time) Pregnancy { return Pregnancy{LMP: lmp} }

// PregnancyFromEDD returns a pregnancy dated from an estimated delivery date.
func PregnancyFromEDD(edd time.Time) Pregnancy { return Pregnancy{EDD: edd} }

// civilDay returns the number of days from 1970-01-01 to t's calendar date in t's location.
func civilDay(t time.Time) int {
	y, m, d := t.Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func dateOf(day int) time.Time { return time.Unix(int64(day)*86400, 0).UTC() }

// originDay returns the civil day of the (possibly derived) LMP: the dating origin.
func (p Pregnancy) originDay() int {
	if !p.EDD.IsZero() {
		return civilDay(p.EDD) - DaysLMPToEDD
	}
	return civilDay(p.LMP)
}

// Validate checks the pregnancy and returns a *ValidationError listing every problem:
// no dating (neither LMP nor EDD), a time outside 1900-01-01 to 2199-12-31 UTC
// (ProblemTimeOutOfRange), an EDD not after the LMP, a delivery before conception
// (earlier than LMP + 14 days), a delivery implausibly late (after 47w6d), or an outcome
// without the moment the pregnancy ended, or one that is not a declared outcome.
func (p Pregnancy) Validate() error {
	ps := problems{what: "pregnancy"}
	p.validateOutcome(&ps)
	if p.LMP.IsZero() && p.EDD.IsZero() {
		ps.add("no_dating", "lmp", CiteDating, "Neither the last menstrual period nor an estimated delivery date is given.")
	}
	for _, t := range [...]struct {
		field string
		at    time.Time
	}{{"lmp", p.LMP}, {"edd", p.EDD}, {"delivered_at", p.DeliveredAt}} {
		if !t.at.IsZero() {
			checkTime(&ps, t.field, t.at)
		}
	}
	if !p.LMP.IsZero() && !p.EDD.IsZero() && civilDay(p.EDD) <= civilDay(p.LMP) {
		ps.add("edd_not_after_lmp", "edd", CiteDating, "The estimated delivery date is not after the last menstrual period.")
	}
	if !p.DeliveredAt.IsZero() && (!p.LMP.IsZero() || !p.EDD.IsZero()) {
		ga := civilDay(p.DeliveredAt) - p.originDay()
		beforeConception := ga < DaysLMPToConception ||
			(!p.LMP.IsZero() && civilDay(p.DeliveredAt)-civilDay(p.LMP) < DaysLMPToConception)
		switch {
		case beforeConception:
			ps.add("delivered_before_conception", "delivered_at", CiteDating, "The delivery is dated before conception (less than 2 weeks after the last menstrual period).")
		case ga > 47*7+6:
			ps.add("delivery_implausibly_late", "delivered_at", CiteTerm, "The delivery is dated more than 47w6d after the last menstrual period.")
		}
	}
	return ps.err()
}

func (p Pregnancy) validateOutcome(ps *problems) {
	switch {
	case p.Outcome != OutcomeUnknown && !p.Outcome.IsValid():
		ps.add("unknown_outcome", "outcome", "", "The pregnancy outcome is not one this package knows.")
	case p.Outcome != OutcomeUnknown && p.DeliveredAt.IsZero():
		ps.add("outcome_without_end", "outcome", "", "An outcome is recorded but not the moment the pregnancy ended (delivered_at).")
	}
}

// ValidateEnd checks only what a pregnancy without dating can be checked for: its outcome
// against its end (the problems of Validate other than the dating ones). It returns a
// *ValidationError, or nil.
func (p Pregnancy) ValidateEnd() error {
	ps := problems{what: "pregnancy"}
	p.validateOutcome(&ps)
	return ps.err()
}

// DueDate returns the estimated delivery date (midnight UTC of that calendar date): the
// EDD if given, else LMP + 280 days (CiteDating). Invalid pregnancies return the
// *ValidationError of Validate.
func (p Pregnancy) DueDate() (time.Time, error) {
	if err := p.Validate(); err != nil {
		return time.Time{}, err
	}
	return dateOf(p.originDay() + DaysLMPToEDD), nil
}

// Delivered reports whether the pregnancy was delivered at or before at.
func (p Pregnancy) Delivered(at time.Time) bool {
	return !p.DeliveredAt.IsZero() && !at.Before(p.DeliveredAt)
}

// GestationalAgeAt returns the gestational age at the moment at: completed days from the
// dating origin (the LMP, or EDD - 280 days) to at's calendar date. It is defined up to and
// including the moment of delivery (the age at delivery); after it, ErrDelivered. Before
// the dating origin, ErrBeforePregnancy. An invalid pregnancy returns the *ValidationError.
func (p Pregnancy) GestationalAgeAt(at time.Time) (GestationalAge, error) {
	if err := p.Validate(); err != nil {
		return GestationalAge{}, err
	}
	if !p.DeliveredAt.IsZero() && at.After(p.DeliveredAt) {
		return GestationalAge{}, ErrDelivered
	}
	d := civilDay(at) - p.originDay()
	if d < 0 {
		return GestationalAge{}, ErrBeforePregnancy
	}
	return GADays(d), nil
}

// GestationalAgeIn is GestationalAgeAt with the moment dated in loc, the location where
// the patient is: equal instants give equal ages however they are written (an evening
// visit in New York stored in UTC is still dated that evening). A nil loc dates at in its
// own location, as GestationalAgeAt does.
func (p Pregnancy) GestationalAgeIn(at time.Time, loc *time.Location) (GestationalAge, error) {
	if loc != nil {
		at = at.In(loc)
	}
	return p.GestationalAgeAt(at)
}

// TrimesterIn is TrimesterAt with the moment dated in loc (see GestationalAgeIn).
func (p Pregnancy) TrimesterIn(at time.Time, loc *time.Location) (Trimester, error) {
	ga, err := p.GestationalAgeIn(at, loc)
	if err != nil {
		return TrimesterUnknown, err
	}
	return ga.Trimester(), nil
}

// TrimesterAt returns the trimester at the moment at, with the errors of GestationalAgeAt.
func (p Pregnancy) TrimesterAt(at time.Time) (Trimester, error) {
	ga, err := p.GestationalAgeAt(at)
	if err != nil {
		return TrimesterUnknown, err
	}
	return ga.Trimester(), nil
}

// GestationalAgeAtDelivery returns the gestational age at delivery, or ErrNotDelivered.
func (p Pregnancy) GestationalAgeAtDelivery() (GestationalAge, error) {
	if p.DeliveredAt.IsZero() {
		if err := p.Validate(); err != nil {
			return GestationalAge{}, err
		}
		return GestationalAge{}, ErrNotDelivered
	}
	return p.GestationalAgeAt(p.DeliveredAt)
}

// GestationalAgeAtDeliveryIn is GestationalAgeAtDelivery with the delivery dated in loc,
// the location where the patient is (see GestationalAgeIn); a nil loc dates it in its
// own location.
func (p Pregnancy) GestationalAgeAtDeliveryIn(loc *time.Location) (GestationalAge, error) {
	if p.DeliveredAt.IsZero() || loc == nil {
		return p.GestationalAgeAtDelivery()
	}
	return p.GestationalAgeAt(p.DeliveredAt.In(loc))
}

// TermAtDeliveryIn is TermAtDelivery with the delivery dated in loc (see
// GestationalAgeAtDeliveryIn).
func (p Pregnancy) TermAtDeliveryIn(loc *time.Location) (Term, error) {
	ga, err := p.GestationalAgeAtDeliveryIn(loc)
	if err != nil {
		return TermUnknown, err
	}
	return ga.Term(), nil
}

// TermAtDelivery classifies the delivery as preterm, early/full/late term or postterm
// (CiteTerm), or returns ErrNotDelivered.
func (p Pregnancy) TermAtDelivery() (Term, error) {
	ga, err := p.GestationalAgeAtDelivery()
	if err != nil {
		return TermUnknown, err
	}
	return ga.Term(), nil
}

// StatusAt returns the reproductive status at at under the postpartum window w: pregnant
// from the dating origin until delivery (delivery ends the pregnancy), postpartum while
// w contains at, then not pregnant. An invalid pregnancy, or a moment before the dating
// origin, is StatusUnknown or StatusNotPregnant respectively.
func (p Pregnancy) StatusAt(w PostpartumWindow, at time.Time) Status {
	if p.Validate() != nil {
		return StatusUnknown
	}
	if civilDay(at) < p.originDay() {
		return StatusNotPregnant
	}
	return StatusAt(true, p.DeliveredAt, w, at)
}
