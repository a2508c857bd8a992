package program

import (
	"slices"
	"time"

	"github.com/dyad-health/dyad/perinatal"
	"github.com/dyad-health/dyad/referral"
)

// DyadMeasures are the four CHARM targets judged for one dyad at a moment (see the package
// documentation, "CHARM measures", for each definition).
type DyadMeasures struct {
	Dyad        string    `json:"dyad"`                  // the dyad's identifier
	PeriodStart time.Time `json:"period_start,omitzero"` // the period of its intake; zero without periods

	// Target 1: early prenatal care.
	Prenatal      Outcome       `json:"prenatal"`
	PrenatalVisit bool          `json:"prenatal_visit"`        // a first prenatal visit is known at the moment
	ToPrenatal    time.Duration `json:"to_prenatal,omitempty"` // intake to that visit; 0 if the visit came first

	// Target 2: medication for opioid use disorder.
	MOUDStarted   Outcome `json:"moud_started"`   // on MOUD at intake or started within the window
	MOUDContinued Outcome `json:"moud_continued"` // continued from its start, short gaps bridged

	// Target 3: engagement in SUD counseling.
	CounselingInitiated Outcome `json:"counseling_initiated"` // a session attended within the window after intake
	CounselingEngaged   Outcome `json:"counseling_engaged"`   // enough further sessions attended after that
	SessionsAttended    int     `json:"sessions_attended"`    // attended from intake to the moment
	SessionsScheduled   int     `json:"sessions_scheduled"`   // scheduled (attended or not) from intake to the moment

	// Target 4: family-support and basic-needs referrals.
	Support          Outcome `json:"support"`
	SupportSent      int     `json:"support_sent"`      // sent during care, up to the moment
	SupportCompleted int     `json:"support_completed"` // of those, completed (loop closed) within the close window
	SupportEnded     int     `json:"support_ended"`     // of those, ended without completion (rejected, cancelled, failed)
	SupportLapsed    int     `json:"support_lapsed"`    // of those, neither completed nor ended within the close window
}

// Rate is a measure over a cohort: Met dyads (or referrals) out of Denominator, those met or
// unmet; Pending ones, whose window is still open, are counted apart and in neither. Share
// is Met / Denominator, 0 when the denominator is 0.
type Rate struct {
	Met         int     `json:"met"`         // met
	Denominator int     `json:"denominator"` // met plus unmet
	Pending     int     `json:"pending"`     // not yet judged: their window is open
	Share       float64 `json:"share"`       // Met / Denominator; 0 when the denominator is 0
}

func (r *Rate) add(o Outcome) {
	switch o {
	case OutcomeMet:
		r.Met++
		r.Denominator++
	case OutcomeUnmet:
		r.Denominator++
	case OutcomePending:
		r.Pending++
	}
}

func (r *Rate) finish() {
	if r.Denominator > 0 {
		r.Share = float64(r.Met) / float64(r.Denominator)
	}
}

// CohortMeasures are the four CHARM measures over the cohort of dyads whose intake falls in
// one period (zero PeriodStart: all periods), judged at a moment.
type CohortMeasures struct {
	PeriodStart time.Time `json:"period_start,omitzero"` // the period of intake; zero: all periods
	Dyads       int       `json:"dyads"`                 // dyads in the cohort

	Prenatal         Rate          `json:"prenatal"`           // target 1: early prenatal care
	PrenatalVisits   int           `json:"prenatal_visits"`    // dyads pregnant at intake with a known first visit
	MedianToPrenatal time.Duration `json:"median_to_prenatal"` // median of ToPrenatal over them

	MOUDStarted   Rate `json:"moud_started"`   // target 2: MOUD started
	MOUDContinued Rate `json:"moud_continued"` // target 2: MOUD continued

	CounselingInitiated Rate `json:"counseling_initiated"` // target 3: counseling initiated
	CounselingEngaged   Rate `json:"counseling_engaged"`   // target 3: counseling engaged
	SessionsAttended    int  `json:"sessions_attended"`    // sessions attended, all dyads of the cohort
	SessionsScheduled   int  `json:"sessions_scheduled"`   // sessions scheduled, all dyads of the cohort

	Support          Rate `json:"support"`           // target 4: dyads with a support referral completed
	SupportReferrals Rate `json:"support_referrals"` // target 4: referrals completed in time out of those decided; open ones pending
	SupportSent      int  `json:"support_sent"`      // support referrals sent
}

// supportIndex holds the referrals to support kinds by patient identifier.
type supportIndex map[string][]*referral.Referral

func (rv *Reviewer) supportIndex(refs []*referral.Referral) supportIndex {
	idx := supportIndex{}
	for _, r := range refs {
		if r != nil && slices.Contains(rv.g.CHARM.SupportKinds, r.PartnerKind()) {
			idx[r.Patient()] = append(idx[r.Patient()], r)
		}
	}
	return idx
}

// scratch holds buffers reused from one dyad to the next.
type scratch struct {
	eps      []MOUDEpisode
	attended []time.Time
}

// measureDyad judges the four targets for one dyad at the moment at.
func (rv *Reviewer) measureDyad(d *Dyad, idx supportIndex, at time.Time, sc *scratch) DyadMeasures {
	c := &rv.g.CHARM
	m := DyadMeasures{Dyad: d.ID}
	m.Prenatal, m.PrenatalVisit, m.ToPrenatal = prenatal(d, days(c.PrenatalWithinDays), at)
	m.MOUDStarted, m.MOUDContinued = moud(d, c, at, sc)
	m.CounselingInitiated, m.CounselingEngaged, m.SessionsAttended, m.SessionsScheduled = counseling(d, c, at, sc)
	rv.support(&m, d, idx, at)
	return m
}

// prenatal judges target 1. Applicable to a dyad pregnant at intake (Pregnancy set, not
// delivered at intake) whose pregnancy is not known, at the moment, to have ended other
// than in a live birth (HEDIS PPC counts deliveries of live births). Met: the first
// prenatal visit (known at the moment) came no later than within days after intake, or in
// the first trimester. Pending: no visit yet, not delivered, and either the window or the
// first trimester is still open.
func prenatal(d *Dyad, within time.Duration, at time.Time) (Outcome, bool, time.Duration) {
	p := d.Pregnancy
	if p == nil || p.Delivered(d.IntakeAt) {
		return OutcomeNotApplicable, false, 0
	}
	if p.Delivered(at) && (p.Outcome == perinatal.OutcomeStillbirth || p.Outcome == perinatal.OutcomePregnancyLoss) {
		return OutcomeNotApplicable, false, 0
	}
	deadline := d.IntakeAt.Add(within)
	v := d.FirstPrenatalVisit
	if !v.IsZero() && !v.After(at) && !p.Delivered(v) {
		to := max(v.Sub(d.IntakeAt), 0)
		if !v.After(deadline) || firstTrimester(p, v) {
			return OutcomeMet, true, to
		}
		return OutcomeUnmet, true, to
	}
	if !p.Delivered(at) && (!at.After(deadline) || firstTrimester(p, at)) {
		return OutcomePending, false, 0
	}
	return OutcomeUnmet, false, 0
}

func firstTrimester(p *perinatal.Pregnancy, t time.Time) bool {
	tri, err := p.TrimesterAt(t)
	return err == nil && tri == perinatal.TrimesterFirst
}

// moud judges target 2 (see the package documentation).
func moud(d *Dyad, c *CHARM, at time.Time, sc *scratch) (started, continued Outcome) {
	if !d.OUD {
		return OutcomeNotApplicable, OutcomeNotApplicable
	}
	eps := sc.eps[:0]
	for _, e := range d.MOUD {
		if e.Medication.IsMedication() && !e.Start.After(at) {
			if e.End.IsZero() || e.End.After(at) {
				e.End = time.Time{} // ongoing as far as the moment knows
			}
			eps = append(eps, e)
		}
	}
	sc.eps = eps
	slices.SortFunc(eps, func(a, b MOUDEpisode) int { return a.Start.Compare(b.Start) })
	// s: the start of treatment counted, the intake if she was on MOUD then, else the
	// first start after intake.
	var s time.Time
	for _, e := range eps {
		if !e.Start.After(d.IntakeAt) && (e.End.IsZero() || e.End.After(d.IntakeAt)) {
			s = d.IntakeAt
			break
		}
	}
	if s.IsZero() {
		for _, e := range eps {
			if e.Start.After(d.IntakeAt) {
				s = e.Start
				break
			}
		}
	}
	deadline := d.IntakeAt.Add(days(c.MOUDStartWithinDays))
	switch {
	case s.IsZero() && !at.After(deadline):
		return OutcomePending, OutcomeNotApplicable
	case s.IsZero():
		return OutcomeUnmet, OutcomeNotApplicable
	case !s.After(deadline):
		started = OutcomeMet
	default:
		started = OutcomeUnmet
	}
	target := s.Add(days(c.MOUDContinueDays))
	gap := days(c.MOUDMaxGapDays)
	cover := s
	for _, e := range eps {
		end := e.End
		if end.IsZero() {
			end = at
		}
		if !end.After(cover) {
			continue // wholly before the coverage reached so far
		}
		if e.Start.After(cover.Add(gap)) {
			break // a gap longer than allowed: the chain ends at cover
		}
		cover = end
	}
	switch {
	case !cover.Before(target):
		return started, OutcomeMet
	case !at.After(cover.Add(gap)):
		// Covered to the moment, or ended so recently that an episode may still bridge
		// (an episode that broke the chain started after cover+gap, so after this moment
		// it cannot have started by it).
		return started, OutcomePending
	}
	return started, OutcomeUnmet
}

// counseling judges target 3 (see the package documentation).
func counseling(d *Dyad, c *CHARM, at time.Time, sc *scratch) (initiated, engaged Outcome, attended, scheduled int) {
	att := sc.attended[:0]
	for _, s := range d.Counseling {
		if s.At.Before(d.IntakeAt) || s.At.After(at) {
			continue
		}
		scheduled++
		if s.Attended {
			att = append(att, s.At)
		}
	}
	sc.attended = att
	attended = len(att)
	slices.SortFunc(att, func(a, b time.Time) int { return a.Compare(b) })
	deadline := d.IntakeAt.Add(days(c.CounselingStartWithinDays))
	if len(att) == 0 || att[0].After(deadline) {
		if len(att) == 0 && !at.After(deadline) {
			return OutcomePending, OutcomePending, attended, scheduled
		}
		return OutcomeUnmet, OutcomeUnmet, attended, scheduled
	}
	first := att[0]
	end := first.Add(days(c.CounselingEngageWithinDays))
	n := 0
	for _, t := range att[1:] {
		if t.After(first) && !t.After(end) {
			n++
		}
	}
	switch {
	case n >= c.CounselingEngageSessions:
		return OutcomeMet, OutcomeMet, attended, scheduled
	case !at.After(end):
		return OutcomeMet, OutcomePending, attended, scheduled
	}
	return OutcomeMet, OutcomeUnmet, attended, scheduled
}

// support judges target 4 (see the package documentation).
func (rv *Reviewer) support(m *DyadMeasures, d *Dyad, idx supportIndex, at time.Time) {
	end := at
	if !d.DischargedAt.IsZero() && d.DischargedAt.Before(at) {
		end = d.DischargedAt
	}
	closeWithin := days(rv.g.CHARM.SupportCloseWithinDays)
	open := 0
	count := func(patient string) {
		for _, r := range idx[patient] {
			sent, ok := r.SentAt()
			if !ok || sent.Before(d.IntakeAt) || sent.After(end) {
				continue
			}
			if t, ok := r.FirstAt(referral.StatusEnteredInError); ok && !t.After(at) {
				continue
			}
			m.SupportSent++
			// The loop must close within the window: by its last instant, or by the moment
			// if that comes first.
			by := sent.Add(closeWithin)
			if at.Before(by) {
				by = at
			}
			switch {
			case reachedBy(r, by, referral.StatusCompleted):
				m.SupportCompleted++
			case reachedBy(r, at, referral.StatusRejected, referral.StatusCancelled, referral.StatusFailed):
				m.SupportEnded++
			case at.After(sent.Add(closeWithin)):
				m.SupportLapsed++ // still open, or completed late: the window has closed
			default:
				open++
			}
		}
	}
	count(d.Mother)
	for i, p := range d.Family {
		if p != d.Mother && !slices.Contains(d.Family[:i], p) {
			count(p)
		}
	}
	inCare := d.DischargedAt.IsZero() || d.DischargedAt.After(at)
	switch {
	case m.SupportCompleted > 0:
		m.Support = OutcomeMet
	case open > 0 || (inCare && !at.After(d.IntakeAt.Add(days(rv.g.CHARM.SupportWithinDays)))):
		m.Support = OutcomePending
	default:
		m.Support = OutcomeUnmet
	}
}

// reachedBy reports whether r first entered any of the statuses at or before at.
func reachedBy(r *referral.Referral, at time.Time, ss ...referral.Status) bool {
	for _, s := range ss {
		if t, ok := r.FirstAt(s); ok && !t.After(at) {
			return true
		}
	}
	return false
}

// cohort aggregates dyad measures by period, sorted by period start.
func cohort(ms []DyadMeasures) []CohortMeasures {
	type grp struct {
		c  CohortMeasures
		to []time.Duration
	}
	groups := map[int64]*grp{}
	var keys []int64
	for i := range ms {
		m := &ms[i]
		k := int64(0)
		if !m.PeriodStart.IsZero() {
			k = m.PeriodStart.UnixNano()
		}
		g := groups[k]
		if g == nil {
			g = &grp{c: CohortMeasures{PeriodStart: m.PeriodStart}}
			groups[k] = g
			keys = append(keys, k)
		}
		c := &g.c
		c.Dyads++
		c.Prenatal.add(m.Prenatal)
		if m.PrenatalVisit {
			c.PrenatalVisits++
			g.to = append(g.to, m.ToPrenatal)
		}
		c.MOUDStarted.add(m.MOUDStarted)
		c.MOUDContinued.add(m.MOUDContinued)
		c.CounselingInitiated.add(m.CounselingInitiated)
		c.CounselingEngaged.add(m.CounselingEngaged)
		c.SessionsAttended += m.SessionsAttended
		c.SessionsScheduled += m.SessionsScheduled
		c.Support.add(m.Support)
		c.SupportSent += m.SupportSent
		c.SupportReferrals.Met += m.SupportCompleted
		c.SupportReferrals.Denominator += m.SupportCompleted + m.SupportEnded + m.SupportLapsed
		c.SupportReferrals.Pending += m.SupportSent - m.SupportCompleted - m.SupportEnded - m.SupportLapsed
	}
	slices.SortFunc(keys, func(a, b int64) int {
		switch {
		case a < b:
			return -1
		case a > b:
			return 1
		}
		return 0
	})
	out := make([]CohortMeasures, 0, len(keys))
	for _, k := range keys {
		g := groups[k]
		c := &g.c
		for _, r := range []*Rate{&c.Prenatal, &c.MOUDStarted, &c.MOUDContinued, &c.CounselingInitiated,
			&c.CounselingEngaged, &c.Support, &c.SupportReferrals} {
			r.finish()
		}
		c.MedianToPrenatal = median(g.to)
		out = append(out, *c)
	}
	return out
}

// median returns the median of ds (0 for none), sorting ds in place; with an even count,
// the mean of the two middle values, truncated to the nanosecond (as referral.Measure).
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
