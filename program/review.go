package program

import (
	"time"

	"github.com/dyad-health/dyad/referral"
)

// DefaultNoticeDays is the notice window of warnings when Options.NoticeDays is zero: 30
// days (package default: no source sets it).
const DefaultNoticeDays = 30

// Options says when and how a review judges. At is required: no rule reads a clock.
type Options struct {
	// At is the moment reviewed: only what happened at or before it counts.
	At time.Time `json:"at"`
	// From, if set, starts the review window of the counts and the cohort: referrals
	// received, outgoing referrals drafted, and dyads admitted before From are left out of
	// Sources, Outgoing and CHARM. Coverage, outreach and staff are judged at At whatever
	// From says.
	From time.Time `json:"from,omitzero"`
	// Period groups Sources, Outgoing and CHARM by calendar month, quarter or year (of
	// receipt, of sending, of intake); referral.PeriodNone gives one group.
	Period referral.Period `json:"period,omitzero"`
	// Location is where periods begin; nil is UTC.
	Location *time.Location `json:"-"`
	// NoticeDays is the warning window: what falls due within it is a warning. Zero is
	// DefaultNoticeDays; negative turns warnings of things falling due off.
	NoticeDays int `json:"notice_days,omitempty"`
}

func (o Options) location() *time.Location {
	if o.Location == nil {
		return time.UTC
	}
	return o.Location
}

// notice returns the end of the notice window: At plus NoticeDays (or its default).
func (o Options) notice() time.Time {
	n := o.NoticeDays
	switch {
	case n == 0:
		n = DefaultNoticeDays
	case n < 0:
		return o.At.Add(-1) // nothing due at or after At can fall in it
	}
	return o.At.Add(days(min(n, maxDays)))
}

func (o Options) validate(ps *problems) {
	if o.At.IsZero() {
		ps.add(ProblemMissing, "at", "A review judges at a moment: At is required.")
	}
	if !o.From.IsZero() && o.From.After(o.At) {
		ps.add(ProblemOrder, "from", "The review window starts at or before the moment reviewed.")
	}
	if !o.Period.IsValid() {
		ps.add(ProblemUnknownCode, "period", "The period is not a known period.")
	}
}

// Reviewer is a checked, prepared Guidance: immutable and safe for concurrent use.
type Reviewer struct {
	g          Guidance
	competency map[string]int // competency code -> index in g.Competencies
}

// New checks the guidance (Guidance.Validate) and prepares it for reviews, or returns a
// *ValidationError listing every problem. The Reviewer keeps its own copy.
func New(g Guidance) (*Reviewer, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	rv := &Reviewer{g: g.clone(), competency: make(map[string]int, len(g.Competencies))}
	for i, c := range rv.g.Competencies {
		rv.competency[c.Code] = i
	}
	return rv, nil
}

// Guidance returns a copy of the guidance the reviewer applies.
func (rv *Reviewer) Guidance() Guidance { return rv.g.clone() }

// Report is a program review: every gap (an unmet guidance item, with its citation), every
// warning, and the measures behind them. Nothing in it is patient data: identifiers,
// codes, times and counts only.
type Report struct {
	Program  string          `json:"program"`         // the program's identifier
	Guidance string          `json:"guidance"`        // the guidance's identifier
	At       time.Time       `json:"at"`              // the moment reviewed
	From     time.Time       `json:"from,omitzero"`   // the start of the review window, if any
	Period   referral.Period `json:"period,omitzero"` // the grouping of counts and the cohort

	// Gaps are the unmet guidance items, in guidance order: agreements, partnerships,
	// outreach, safe sleep (by dyad order), then staff (by staff order, competency, mode).
	Gaps []Finding `json:"gaps"`
	// Warnings are items met now that fall due within the notice window, and records the
	// review could not use, in the same order.
	Warnings []Finding `json:"warnings"`

	Coverage  []Coverage          `json:"coverage"`             // one row per agreement and partnership requirement
	Outreach  []OutreachStatus    `json:"outreach"`             // one row per outreach requirement
	Sources   []SourceCount       `json:"sources"`              // referrals received, by source, prenatal care first
	Outgoing  []referral.Measures `json:"outgoing"`             // referral.Measure of the referrals made, by partner kind
	SafeSleep []SleepStatus       `json:"safe_sleep,omitempty"` // dyads with an infant under one in care, in dyad order
	Staff     []StaffStatus       `json:"staff"`                // staff due or overdue, by staff, competency, mode
	Dyads     []DyadMeasures      `json:"dyads"`                // the CHARM targets per dyad of the cohort, in input order
	CHARM     []CohortMeasures    `json:"charm"`                // the CHARM measures by period of intake
}

// Review judges the facts against the guidance at opt.At. Invalid facts or options return
// a *ValidationError listing every problem, and no report: a review of data it cannot
// trust would understate the gaps.
func (rv *Reviewer) Review(f Facts, opt Options) (Report, error) {
	var ps problems
	opt.validate(&ps)
	f.validate(&ps)
	if err := ps.err("facts"); err != nil {
		return Report{}, err
	}
	at, notice := opt.At, opt.notice()
	rep := Report{Program: f.Program, Guidance: rv.g.ID, At: at, From: opt.From, Period: opt.Period,
		Gaps: []Finding{}, Warnings: []Finding{}}
	keep := func(gap, warn *Finding) {
		if gap != nil {
			rep.Gaps = append(rep.Gaps, *gap)
		}
		if warn != nil {
			rep.Warnings = append(rep.Warnings, *warn)
		}
	}
	partners := allPartners(f.Directory)
	for _, r := range rv.g.Agreements {
		c, gap, warn := agreementCoverage(r, f.Program, partners, f.Agreements, at, notice)
		rep.Coverage = append(rep.Coverage, c)
		keep(gap, warn)
	}
	for _, r := range rv.g.Partnerships {
		c, gap, warn := partnershipCoverage(r, partners, f.Partnerships, at, notice)
		rep.Coverage = append(rep.Coverage, c)
		keep(gap, warn)
	}
	for _, o := range rv.g.Outreach {
		s, gap, warn := outreachStatus(o, f.Outreach, at, notice)
		rep.Outreach = append(rep.Outreach, s)
		keep(gap, warn)
	}
	sleep, gaps, warns := rv.safeSleep(f.Dyads, f.SleepChecks, at, notice)
	rep.SafeSleep = sleep
	rep.Gaps = append(rep.Gaps, gaps...)
	rep.Warnings = append(rep.Warnings, warns...)
	staff, gaps, warns := rv.staffStatuses(f.Staff, at, notice)
	rep.Staff = staff
	rep.Gaps = append(rep.Gaps, gaps...)
	rep.Warnings = append(rep.Warnings, warns...)

	rep.Sources = Sources(f.Received, opt)
	refs := f.Referrals
	if !opt.From.IsZero() {
		refs = make([]*referral.Referral, 0, len(f.Referrals))
		for _, r := range f.Referrals {
			if !r.CreatedAt().Before(opt.From) {
				refs = append(refs, r)
			}
		}
	}
	rep.Outgoing = referral.Measure(refs, f.Directory, referral.MeasureOptions{At: at, ByKind: true,
		Period: opt.Period, Location: opt.Location})
	rep.Dyads, rep.CHARM = rv.charm(f, opt)
	return rep, nil
}

// charm measures every dyad admitted in the review window and aggregates them by period.
func (rv *Reviewer) charm(f Facts, opt Options) ([]DyadMeasures, []CohortMeasures) {
	idx := rv.supportIndex(f.Referrals)
	loc := opt.location()
	var sc scratch
	ms := make([]DyadMeasures, 0, len(f.Dyads))
	for i := range f.Dyads {
		d := &f.Dyads[i]
		if d.IntakeAt.After(opt.At) || (!opt.From.IsZero() && d.IntakeAt.Before(opt.From)) {
			continue
		}
		m := rv.measureDyad(d, idx, opt.At, &sc)
		m.PeriodStart = periodStart(opt.Period, d.IntakeAt, loc)
		ms = append(ms, m)
	}
	return ms, cohort(ms)
}

// MeasureDyad judges the four CHARM targets for one dyad at the moment at, with the
// family's referrals among refs (those whose patient is the mother or a family member).
// The dyad is not validated: use Facts.Validate first for data from outside.
func (rv *Reviewer) MeasureDyad(d Dyad, refs []*referral.Referral, at time.Time) DyadMeasures {
	var sc scratch
	return rv.measureDyad(&d, rv.supportIndex(refs), at, &sc)
}
