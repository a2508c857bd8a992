package referral

import (
	"slices"
	"time"
)

// Period is the length of the periods measures are grouped by. The zero value,
// PeriodNone, groups every referral into one period.
type Period uint8

// The periods.
const (
	PeriodNone    Period = iota // no grouping by period
	PeriodMonth                 // calendar month
	PeriodQuarter               // calendar quarter
	PeriodYear                  // calendar year
	numPeriods
)

var periodCodes = [...]string{"none", "month", "quarter", "year"}

// String returns the stable code, e.g. "quarter".
func (p Period) String() string { return enumString("Period", uint8(p), periodCodes[:]) }

// IsValid reports whether p is a declared period (PeriodNone included).
func (p Period) IsValid() bool { return p < numPeriods }

// MarshalText encodes the period as its stable code.
func (p Period) MarshalText() ([]byte, error) {
	if !p.IsValid() {
		return nil, &codeError{kind: "period", value: p.String()}
	}
	return []byte(periodCodes[p]), nil
}

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (p *Period) UnmarshalText(b []byte) error {
	for i, c := range periodCodes {
		if string(b) == c {
			*p = Period(i)
			return nil
		}
	}
	return &codeError{kind: "period"}
}

// start returns the start of t's period in loc.
func (p Period) start(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	switch p {
	case PeriodMonth:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
	case PeriodQuarter:
		return time.Date(t.Year(), (t.Month()-1)/3*3+1, 1, 0, 0, 0, 0, loc)
	case PeriodYear:
		return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, loc)
	}
	return time.Time{}
}

// MeasureOptions configures Measure.
type MeasureOptions struct {
	At       time.Time      // the moment judged: only events at or before it count
	ByKind   bool           // one row per partner kind (otherwise Kind is PartnerKindUnknown: all kinds)
	Period   Period         // one row per period of the sending time (PeriodNone: one period)
	Location *time.Location // where periods begin; nil is UTC
}

// Measures are the closed-loop measures of one group of referrals.
//
// The group is the referrals sent (moved to requested) at or before At, by partner kind
// and by the period in which they were sent; referrals never sent are counted in Unsent of
// the period in which they were drafted, and referrals entered in error are left out.
// ShareCompleted is Completed / Sent (0 when none was sent). The medians run from sending
// to the first acceptance (or start, which implies it) and to completion, over the
// referrals that got there; with an even count the median is the mean of the two middle
// values, truncated to the nanosecond. Overdue counts the group's referrals, sent or not,
// with at least one overdue deadline at At (Deadlines).
type Measures struct {
	Kind               PartnerKind   `json:"partner_kind,omitzero"` // the group's partner kind; unknown: all kinds
	PeriodStart        time.Time     `json:"period_start,omitzero"` // the group's period start; zero: all periods
	Unsent             int           `json:"unsent"`                // drafted, never sent
	Sent               int           `json:"sent"`                  // sent (the denominator)
	Accepted           int           `json:"accepted"`              // sent and accepted (or started)
	Completed          int           `json:"completed"`             // sent and completed
	Closed             int           `json:"closed"`                // sent and ended without completion (rejected, cancelled, failed)
	Overdue            int           `json:"overdue"`               // with at least one overdue deadline
	ShareCompleted     float64       `json:"share_completed"`       // Completed / Sent
	MedianToAcceptance time.Duration `json:"median_to_acceptance"`  // from sending to acceptance
	MedianToCompletion time.Duration `json:"median_to_completion"`  // from sending to completion
}

type groupKey struct {
	kind  PartnerKind
	start int64 // Unix nanoseconds of the period start; 0 without periods
}

type group struct {
	m          Measures
	toAccept   []time.Duration
	toComplete []time.Duration
}

// Measure computes the closed-loop measures of refs, one row per group, sorted by partner
// kind then period start. dir supplies the partners' acknowledgement windows and may be nil.
func Measure(refs []*Referral, dir *Directory, opt MeasureOptions) []Measures {
	loc := opt.Location
	if loc == nil {
		loc = time.UTC
	}
	groups := map[groupKey]*group{}
	var buf []Deadline
	for _, r := range refs {
		if r == nil || r.created.After(opt.At) {
			continue
		}
		if t := r.first[StatusEnteredInError]; !t.IsZero() && !t.After(opt.At) {
			continue
		}
		sent := r.reachedAt(MilestoneSent, opt.At)
		when := sent
		if when.IsZero() {
			when = r.created
		}
		k := groupKey{}
		if opt.ByKind {
			k.kind = r.draft.PartnerKind
		}
		var start time.Time
		if opt.Period != PeriodNone {
			start = opt.Period.start(when, loc)
			k.start = start.UnixNano()
		}
		g := groups[k]
		if g == nil {
			g = &group{m: Measures{Kind: k.kind, PeriodStart: start}}
			groups[k] = g
		}
		var p *Partner
		if dir != nil {
			if q, ok := dir.byID[r.draft.Partner]; ok {
				p = &q
			}
		}
		buf = r.AppendDeadlines(buf[:0], p, opt.At)
		for _, d := range buf {
			if d.State == DeadlineOverdue {
				g.m.Overdue++
				break
			}
		}
		if sent.IsZero() {
			g.m.Unsent++
			continue
		}
		g.m.Sent++
		if t := r.reachedAt(MilestoneAccepted, opt.At); !t.IsZero() {
			g.m.Accepted++
			g.toAccept = append(g.toAccept, t.Sub(sent))
		}
		if t := r.reachedAt(MilestoneCompleted, opt.At); !t.IsZero() {
			g.m.Completed++
			g.toComplete = append(g.toComplete, t.Sub(sent))
		} else if !r.endedAt(opt.At).IsZero() {
			g.m.Closed++
		}
	}
	out := make([]Measures, 0, len(groups))
	for _, g := range groups {
		if g.m.Sent > 0 {
			g.m.ShareCompleted = float64(g.m.Completed) / float64(g.m.Sent)
		}
		g.m.MedianToAcceptance = median(g.toAccept)
		g.m.MedianToCompletion = median(g.toComplete)
		out = append(out, g.m)
	}
	slices.SortFunc(out, func(a, b Measures) int {
		if a.Kind != b.Kind {
			return int(a.Kind) - int(b.Kind)
		}
		return a.PeriodStart.Compare(b.PeriodStart)
	})
	return out
}

// median returns the median of ds (0 for none), sorting ds in place.
func median(ds []time.Duration) time.Duration {
	n := len(ds)
	if n == 0 {
		return 0
	}
	slices.Sort(ds)
	if n%2 == 1 {
		return ds[n/2]
	}
	a, b := ds[n/2-1], ds[n/2]
	return a + (b-a)/2
}
