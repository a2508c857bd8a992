package program

import (
	"slices"
	"time"

	"github.com/dyad-health/dyad/referral"
)

// OutreachStatus is one outreach requirement judged at a moment: the latest outreach to
// one of its settings at or before the moment, how many fell within the interval, and
// when the next one is due.
type OutreachStatus struct {
	Item  string    `json:"item"`          // the requirement's code
	Cite  string    `json:"cite"`          // the guidance item
	Met   bool      `json:"met"`           // an outreach fell within the interval
	Last  time.Time `json:"last,omitzero"` // the latest outreach; zero: none
	Count int       `json:"count"`         // outreach activities within the interval
	Due   time.Time `json:"due,omitzero"`  // Last plus the interval: the next one is due by then
}

// outreachStatus judges one outreach requirement: met when an outreach activity to one of
// its settings falls within the EveryDays up to the moment, both ends included.
func outreachStatus(o OutreachRequirement, acts []Outreach, at, notice time.Time) (OutreachStatus, *Finding, *Finding) {
	st := OutreachStatus{Item: o.Code, Cite: o.Cite}
	window := days(o.EveryDays)
	from := at.Add(-window)
	for _, a := range acts {
		if !slices.Contains(o.Settings, a.Setting) || a.At.After(at) {
			continue
		}
		if a.At.After(st.Last) {
			st.Last = a.At
		}
		if !a.At.Before(from) {
			st.Count++
		}
	}
	cites := []string{o.Cite}
	if st.Last.IsZero() || st.Last.Before(from) {
		return st, &Finding{Code: GapOutreachNone, Item: o.Code, Cites: cites,
			Message: "No outreach to the settings this item names took place within its interval."}, nil
	}
	st.Met = true
	st.Due = st.Last.Add(window)
	if !st.Due.After(notice) {
		return st, nil, &Finding{Code: WarnOutreachDue, Item: o.Code, Cites: cites,
			Message: "The next outreach to these settings falls due within the notice window."}
	}
	return st, nil, nil
}

// SourceCount counts the referrals the program received from one kind of source in one
// period (zero PeriodStart: all periods), and how many of them were of pregnant women.
type SourceCount struct {
	Source      SourceKind `json:"source"`                // the kind of source
	PeriodStart time.Time  `json:"period_start,omitzero"` // the period of receipt; zero: all periods
	Received    int        `json:"received"`              // referrals received
	Pregnant    int        `json:"pregnant"`              // of which, of pregnant women
}

// Sources counts the referrals received at or before opt.At (and at or after opt.From, if
// set) by source kind and by period of receipt, prenatal care first. Every period present
// has a prenatal care row, zero if none came from prenatal care, so that the absence the
// guidance's outreach item is about shows; with no referral at all, one zero prenatal care
// row is returned.
func Sources(received []Received, opt Options) []SourceCount {
	loc := opt.location()
	type key struct {
		src   SourceKind
		start int64
	}
	rows := map[key]*SourceCount{}
	get := func(src SourceKind, start time.Time) *SourceCount {
		k := key{src, 0}
		if !start.IsZero() {
			k.start = start.UnixNano()
		}
		c := rows[k]
		if c == nil {
			c = &SourceCount{Source: src, PeriodStart: start}
			rows[k] = c
		}
		return c
	}
	for _, r := range received {
		if r.At.After(opt.At) || (!opt.From.IsZero() && r.At.Before(opt.From)) {
			continue
		}
		start := periodStart(opt.Period, r.At, loc)
		get(SourcePrenatalCare, start)
		c := get(r.Source, start)
		c.Received++
		if r.Pregnant {
			c.Pregnant++
		}
	}
	if len(rows) == 0 {
		get(SourcePrenatalCare, time.Time{})
	}
	out := make([]SourceCount, 0, len(rows))
	for _, c := range rows {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b SourceCount) int {
		if a.Source != b.Source {
			return int(a.Source) - int(b.Source)
		}
		return a.PeriodStart.Compare(b.PeriodStart)
	})
	return out
}

// periodStart returns the start of t's period in loc (zero for referral.PeriodNone), the
// periods of referral.Measure: calendar month, quarter or year.
func periodStart(p referral.Period, t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	switch p {
	case referral.PeriodMonth:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
	case referral.PeriodQuarter:
		return time.Date(t.Year(), (t.Month()-1)/3*3+1, 1, 0, 0, 0, 0, loc)
	case referral.PeriodYear:
		return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, loc)
	}
	return time.Time{}
}
