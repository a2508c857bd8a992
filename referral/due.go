package referral

import (
	"slices"
	"time"
)

// DueEarlyIntervention returns the due time of an Early Intervention referral of an infant
// or toddler identified (for example as affected by prenatal substance exposure or
// withdrawal, 34 CFR 303.303(b)(2)) at identifiedAt: sent within EIWindow, 7 days
// (34 CFR 303.303(a)(2)(i)). child is the child's identifier, kept as the due's source.
func DueEarlyIntervention(identifiedAt time.Time, child string) Due {
	return Due{Rule: RuleEarlyIntervention, Milestone: MilestoneSent,
		At: identifiedAt.Add(EIWindow), Cite: CiteEarlyIntervention, Source: child}
}

// DueProgram returns a due time the program sets itself, with the citation of its policy.
func DueProgram(at time.Time, m Milestone, cite string) Due {
	return Due{Rule: RuleProgram, Milestone: m, At: at, Cite: cite}
}

// Deadline is one due time of one referral judged at a moment.
type Deadline struct {
	Referral  string         `json:"referral"`            // the referral's identifier
	Partner   string         `json:"partner"`             // the partner's identifier
	Kind      PartnerKind    `json:"partner_kind"`        // the partner's kind
	Rule      Rule           `json:"rule"`                // the rule the due time comes from
	Milestone Milestone      `json:"milestone"`           // what must be reached
	Due       time.Time      `json:"due"`                 // by when
	Cite      string         `json:"cite,omitempty"`      // the rule's citation, if any
	State     DeadlineStatus `json:"state"`               // the status at the moment judged (the field keeps its name and JSON member)
	ReachedAt time.Time      `json:"reached_at,omitzero"` // when the milestone was reached, if by the moment judged
}

// reachedAt returns the first moment, no later than at, the referral reached m. A
// referral entered in error at or before at reached nothing: FHIR R4's entered-in-error
// task "should never have existed" (CiteTaskStatus), so nothing it did meets a due time.
func (r *Referral) reachedAt(m Milestone, at time.Time) time.Time {
	if t := r.first[StatusEnteredInError]; !t.IsZero() && !t.After(at) {
		return time.Time{}
	}
	var best time.Time
	for s := StatusDraft; s < numStatuses; s++ {
		t := r.first[s]
		if t.IsZero() || t.After(at) || !reaches(s, m) {
			continue
		}
		if best.IsZero() || t.Before(best) {
			best = t
		}
	}
	// Accepting implies acknowledging; starting implies accepting.
	if m == MilestoneAccepted {
		if t := r.first[StatusInProgress]; !t.IsZero() && !t.After(at) && (best.IsZero() || t.Before(best)) {
			best = t
		}
	}
	return best
}

// endedAt returns when, no later than at, the referral entered a terminal status other
// than completed (rejected, cancelled, failed, entered-in-error), or zero.
func (r *Referral) endedAt(at time.Time) time.Time {
	var best time.Time
	for _, s := range []Status{StatusRejected, StatusCancelled, StatusFailed, StatusEnteredInError} {
		t := r.first[s]
		if !t.IsZero() && !t.After(at) && (best.IsZero() || t.Before(best)) {
			best = t
		}
	}
	return best
}

func judge(due, reached, ended, at time.Time) DeadlineStatus {
	switch {
	case !reached.IsZero() && !reached.After(due):
		return DeadlineMet
	case !reached.IsZero():
		return DeadlineMetLate
	case !ended.IsZero():
		return DeadlineMissed
	case at.After(due):
		return DeadlineOverdue
	default:
		return DeadlineOpen
	}
}

// Deadlines judges at the given moment every due time of the referral known by then: those
// added by rule (due_added events at or before at) and, once the referral is sent, the
// partner's acknowledgement window (RulePartnerAck, acknowledged within p.AckWindow of
// sending). p may be nil, or a partner other than the referral's, in which case no window
// applies. A milestone is reached the first time the referral enters one of its statuses
// at or before at; an overdue deadline is one not reached whose due time is before at.
//
// A referral entered in error at or before at reached no milestone (the FHIR R4 Task status
// entered-in-error: the task "should never have existed"): each of its due times is
// missed, never met, and the partner's acknowledgement window, which runs from a sending
// that did not count, is not listed. The due time itself stands: a child still owed an
// Early Intervention referral is owed it by another referral. Judged before the referral
// was marked, the history as it stood then is judged.
func (r *Referral) Deadlines(p *Partner, at time.Time) []Deadline {
	return r.AppendDeadlines(nil, p, at)
}

// AppendDeadlines is Deadlines appending to dst.
func (r *Referral) AppendDeadlines(dst []Deadline, p *Partner, at time.Time) []Deadline {
	ended := r.endedAt(at)
	add := func(rule Rule, m Milestone, due time.Time, cite string) {
		reached := r.reachedAt(m, at)
		dst = append(dst, Deadline{Referral: r.draft.ID, Partner: r.draft.Partner, Kind: r.draft.PartnerKind,
			Rule: rule, Milestone: m, Due: due, Cite: cite, State: judge(due, reached, ended, at), ReachedAt: reached})
	}
	for _, e := range r.events {
		if e.At.After(at) {
			break
		}
		if e.Kind == EventDueAdded {
			add(e.Due.Rule, e.Due.Milestone, e.Due.At, e.Due.Cite)
		}
	}
	if p != nil && p.ID == r.draft.Partner && p.AckWindow > 0 {
		if sent := r.reachedAt(MilestoneSent, at); !sent.IsZero() {
			add(RulePartnerAck, MilestoneAcknowledged, sent.Add(p.AckWindow), "")
		}
	}
	return dst
}

// Stall is a referral that is neither finished nor moving: no event for longer than the
// stall window, in a status that is not terminal.
type Stall struct {
	Referral string        `json:"referral"`     // the referral's identifier
	Partner  string        `json:"partner"`      // the partner's identifier
	Kind     PartnerKind   `json:"partner_kind"` // the partner's kind
	Status   Status        `json:"status"`       // its status at the moment judged
	Since    time.Time     `json:"since"`        // the time of its latest event at or before the moment judged
	Idle     time.Duration `json:"idle"`         // how long it has been idle
}

// Review is what needs attention at a moment: overdue deadlines and stalled referrals, each
// sorted by referral identifier then due time or idle time.
type Review struct {
	At      time.Time  `json:"at"`      // the moment judged
	Overdue []Deadline `json:"overdue"` // every overdue deadline (never nil)
	Stalled []Stall    `json:"stalled"` // every stalled referral (never nil)
}

// ReviewOptions configures a review. StallAfter is the default stall window; a partner's
// own StallAfter, when set, wins. Zero disables stall detection for partners without one.
type ReviewOptions struct {
	StallAfter time.Duration `json:"stall_after"` // default stall window; zero disables
}

// ReviewAt lists, at the given moment, every overdue deadline and every stalled referral
// among refs, looking each referral's partner up in dir (which may be nil). Referrals
// drafted after at are ignored. A referral is judged by its events at or before at only.
func ReviewAt(refs []*Referral, dir *Directory, at time.Time, opt ReviewOptions) Review {
	rv := Review{At: at, Overdue: []Deadline{}, Stalled: []Stall{}}
	var buf []Deadline
	for _, r := range refs {
		if r == nil || r.created.After(at) {
			continue
		}
		var p *Partner
		if dir != nil {
			if q, ok := dir.byID[r.draft.Partner]; ok {
				p = &q
			}
		}
		buf = r.AppendDeadlines(buf[:0], p, at)
		for _, d := range buf {
			if d.State == DeadlineOverdue {
				rv.Overdue = append(rv.Overdue, d)
			}
		}
		window := opt.StallAfter
		if p != nil && p.StallAfter > 0 {
			window = p.StallAfter
		}
		if window <= 0 {
			continue
		}
		st, last := r.statusAt(at)
		if st.Terminal() {
			continue
		}
		if idle := at.Sub(last); idle > window {
			rv.Stalled = append(rv.Stalled, Stall{Referral: r.draft.ID, Partner: r.draft.Partner,
				Kind: r.draft.PartnerKind, Status: st, Since: last, Idle: idle})
		}
	}
	slices.SortStableFunc(rv.Overdue, func(a, b Deadline) int {
		if c := cmpString(a.Referral, b.Referral); c != 0 {
			return c
		}
		return a.Due.Compare(b.Due)
	})
	slices.SortStableFunc(rv.Stalled, func(a, b Stall) int { return cmpString(a.Referral, b.Referral) })
	return rv
}

// statusAt returns the status and the latest event time as of at.
func (r *Referral) statusAt(at time.Time) (Status, time.Time) {
	st, last := StatusUnknown, time.Time{}
	for _, e := range r.events {
		if e.At.After(at) {
			break
		}
		if e.Kind == EventCreated || e.Kind == EventTransitioned {
			st = e.To
		}
		last = e.At
	}
	return st, last
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
