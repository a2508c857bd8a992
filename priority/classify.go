package priority

import (
	"fmt"
	"time"

	"github.com/dyad-health/dyad/internal/ident"
	"github.com/dyad-health/dyad/internal/jsonin"
	"github.com/dyad-health/dyad/perinatal"
)

// MaxIDLen is the longest patient identifier accepted, in bytes: the library's one
// identifier rule (see Applicant.Validate).
const MaxIDLen = ident.MaxLen

// Applicant is what a policy needs to know about a person who sought treatment.
//
// Reproductive facts follow the perinatal model. Pregnancy is her current pregnancy episode
// (or her last one, if it has ended): its dating (LMP or EDD, both optional here) and, once
// it has ended, the moment it ended (Pregnancy.DeliveredAt) and how (Pregnancy.Outcome: a
// live birth, a stillbirth or a pregnancy loss). Pregnant says she has such an episode even
// when nothing of it is dated; a non-zero Pregnancy says so too. PriorDeliveryAt is the end of
// an earlier pregnancy: it is kept apart so that a woman who delivered eight months ago and is
// pregnant again stays pregnant (45 CFR 96.131(a)(1)-(2)), and so that a woman not pregnant
// now is postpartum within the policy's window after it. A current episode counts as begun
// no later than the time sought (its dating serves gestational age, not the rules), so what
// she was owed while pregnant is never lost when the episode ends, whatever the outcome.
//
// DeliveredAt is the former, single field of a delivery, still read: without a pregnancy
// episode it is PriorDeliveryAt; with one, a delivery after the time sought ends that
// episode. With a pregnancy episode and a delivery at or before the time sought it is
// ambiguous (an EHR's "last delivery" beside a current pregnancy) and Validate refuses it;
// Classify, which cannot fail, then reads it as an earlier delivery, the reading that keeps
// her priority.
//
// An Applicant is a small value with no pointers or maps, so classification does not
// allocate.
type Applicant struct {
	// ID is the unique patient identifier of 45 CFR 96.126(c): 1 to 128 bytes of letters,
	// digits and . _ - : / @ # (ident.Rule). It is an identifier, not a name, and appears
	// quoted in errors and messages.
	ID string `json:"id"`
	// SoughtAt is when the person sought or was referred for treatment; every deadline runs
	// from it.
	SoughtAt time.Time `json:"sought_at"`
	// Pregnant says she has a current pregnancy episode (pregnant now, or until the end
	// recorded in Pregnancy).
	Pregnant bool `json:"pregnant,omitempty"`
	// Pregnancy dates the current episode and records its end, from the perinatal model.
	Pregnancy perinatal.Pregnancy `json:"pregnancy,omitzero"`
	// PriorDeliveryAt is when an earlier pregnancy ended (before the current episode, if
	// any); zero if none is on file.
	PriorDeliveryAt time.Time `json:"prior_delivery_at,omitzero"`
	// DeliveredAt is the former single delivery field.
	//
	// Deprecated: use Pregnancy.DeliveredAt (the end of the current episode) or
	// PriorDeliveryAt (an earlier delivery). It is read as described on Applicant.
	DeliveredAt            time.Time `json:"delivered_at,omitzero"`
	InjectsDrugs           bool      `json:"injects_drugs,omitempty"`
	DependentChildren      bool      `json:"dependent_children,omitempty"`
	ReferredByChildWelfare bool      `json:"referred_by_child_welfare,omitempty"`
	LeavingIncarceration   bool      `json:"leaving_incarceration,omitempty"`
	Veteran                bool      `json:"veteran,omitempty"`
	// Woman says the person is a woman; any pregnancy or delivery on file says so too. It
	// matters for programs for pregnant women and women with dependent children (96.124).
	Woman bool `json:"woman,omitempty"`
	// CapacityAtRequest is whether a program could admit her on the day she sought
	// treatment (96.126(b)(2), 96.131(d)); unknown is read the way that owes her more.
	CapacityAtRequest Capacity `json:"capacity_at_request,omitzero"`
}

// repro is an applicant's reproductive facts, normalized: an episode (begun no later than
// the time sought) that may have ended at end, and an earlier delivery.
type repro struct {
	episode bool
	dated   bool      // the episode has a dating (LMP or EDD)
	origin  int64     // its dating origin (LMP, or EDD - 280 days), a day number, when dated
	end     time.Time // end of the current episode; zero if not ended
	prior   time.Time // an earlier delivery; zero if none
}

// originOf returns the dating origin of a pregnancy dated by lmp or edd (day numbers, noTime
// when absent), as perinatal reads it: the EDD's, when given, else the LMP.
func originOf(lmp, edd int64) (int64, bool) {
	switch {
	case edd != noTime:
		return edd - perinatal.DaysLMPToEDD, true
	case lmp != noTime:
		return lmp, true
	}
	return 0, false
}

func dayOrNone(t time.Time) int64 {
	if t.IsZero() {
		return noTime
	}
	return civilDay(t)
}

// reproOf normalizes the facts, reading the deprecated DeliveredAt as documented on Applicant.
func reproOf(a *Applicant) repro {
	r := repro{episode: a.Pregnant || a.Pregnancy != (perinatal.Pregnancy{}), end: a.Pregnancy.DeliveredAt, prior: a.PriorDeliveryAt}
	r.origin, r.dated = originOf(dayOrNone(a.Pregnancy.LMP), dayOrNone(a.Pregnancy.EDD))
	if d := a.DeliveredAt; !d.IsZero() {
		switch {
		case !r.episode:
			if r.prior.IsZero() {
				r.prior = d
			}
		case d.After(a.SoughtAt) && r.end.IsZero():
			r.end = d
		case r.prior.IsZero() && !d.After(a.SoughtAt):
			r.prior = d // ambiguous (Validate refuses it): read as an earlier delivery
		}
	}
	return r
}

// statusAt is the reproductive status at t under window w. A dated episode has not begun
// before its dating origin's day (perinatal.Pregnancy.StatusAt: "a moment before the dating
// origin" is not pregnant), so a pregnancy dated after a moment is not counted at it: an LMP
// after the time sought is a pregnancy that began while she waited (45 CFR 96.131(a)(2)
// ranks "pregnant substance abusers", which she was not yet).
func (r repro) statusAt(w perinatal.PostpartumWindow, t time.Time) perinatal.Status {
	if r.episode && r.dated && civilDay(t) < r.origin {
		if !r.prior.IsZero() && !t.Before(r.prior) && w.Contains(r.prior, t) {
			return perinatal.StatusPostpartum
		}
		return perinatal.StatusNotPregnant
	}
	if r.episode && (r.end.IsZero() || t.Before(r.end)) {
		return perinatal.StatusPregnant
	}
	last := r.prior
	if r.episode {
		last = r.end
	}
	if !last.IsZero() && w.Contains(last, t) {
		return perinatal.StatusPostpartum
	}
	return perinatal.StatusNotPregnant
}

// woman reports whether the facts say she is a woman.
func (r repro) woman() bool { return r.episode || !r.prior.IsZero() }

// maxGestationDays is 47w6d, the longest pregnancy perinatal accepts.
const maxGestationDays = 47*7 + 6

// Validate checks the facts a waitlist and the obligations need, and returns a
// *ValidationError listing every problem (errors.Is(err, ErrInvalidApplicant)), or nil:
//
//   - an identifier under the library's one rule (ident.Valid: 1 to 128 bytes of letters,
//     digits and . _ - : / @ #), so "Jane Doe" and " a-1 " are refused;
//   - a time sought, and every time within jsonin.TimeInRange (1900 to 2199);
//   - a pregnancy whose dating is valid when given (perinatal.Pregnancy.Validate) and whose
//     outcome has an end; an end not before the time sought... is allowed (she may have
//     delivered before seeking treatment), but an earlier delivery must precede the end of
//     the current episode;
//   - no ambiguous delivery: the deprecated DeliveredAt at or before the time sought beside a
//     pregnancy episode, which could end that episode or an earlier one; nor DeliveredAt
//     beside the fields that replace it;
//   - no current pregnancy (not ended) dated so that the time sought is more than 47w6d
//     after its origin (pregnancy_past_term_at_request): a stale episode is not evidence
//     of a pregnancy for the order of 45 CFR 96.131(a)(2);
//   - a capacity fact that is one of the declared values.
//
// A pregnancy dated after the time sought is accepted: it began while she waited, and counts
// from its dating origin (see Classify).
func (a Applicant) Validate() error {
	var pr problems
	a.validate(&pr, "")
	return pr.err(ErrInvalidApplicant)
}

func (a *Applicant) validate(pr *problems, path string) {
	at := func(f string) string {
		if path == "" {
			return f
		}
		return path + "." + f
	}
	if !ident.Valid(a.ID) {
		pr.addAt("invalid_id", at("id"), CiteWaitingList, "The patient identifier does not follow the rule: "+ident.Rule)
	}
	if a.SoughtAt.IsZero() {
		pr.addAt("missing_sought_at", at("sought_at"), CiteInjectingAdmission, "The applicant has no time sought, from which every deadline runs.")
	}
	for _, f := range []struct {
		name string
		t    time.Time
	}{{"sought_at", a.SoughtAt}, {"prior_delivery_at", a.PriorDeliveryAt}, {"delivered_at", a.DeliveredAt},
		{"pregnancy.lmp", a.Pregnancy.LMP}, {"pregnancy.edd", a.Pregnancy.EDD}, {"pregnancy.delivered_at", a.Pregnancy.DeliveredAt}} {
		if !f.t.IsZero() && !jsonin.TimeInRange(f.t) {
			pr.addAt("time_out_of_range", at(f.name), "", "The time is outside the range accepted, "+jsonin.TimeRange+".")
		}
	}
	p := a.Pregnancy
	var perr error
	if p.LMP.IsZero() && p.EDD.IsZero() {
		perr = p.ValidateEnd()
	} else {
		perr = p.Validate()
	}
	if ve, ok := perr.(*perinatal.ValidationError); ok {
		for _, q := range ve.Problems {
			pr.addAt("pregnancy_"+q.Code, at("pregnancy."+q.Field), q.Cite, q.Message)
		}
	}
	r := reproOf(a)
	if !a.DeliveredAt.IsZero() {
		switch {
		case !a.PriorDeliveryAt.IsZero() || !a.Pregnancy.DeliveredAt.IsZero():
			pr.addAt("delivered_at_with_replacement", at("delivered_at"), CitePreference,
				"delivered_at is the former field of prior_delivery_at and pregnancy.delivered_at; give one or the others, not both.")
		case r.episode && !a.DeliveredAt.After(a.SoughtAt):
			pr.addAt("ambiguous_delivery", at("delivered_at"), CitePreference,
				"A pregnancy and a delivery at or before the time sought: say whether the delivery ended this pregnancy (pregnancy.delivered_at) or an earlier one (prior_delivery_at).")
		}
	}
	// A current pregnancy (not ended) whose dating puts the time sought more than 47w6d after
	// its origin cannot be a pregnancy at the request: perinatal calls a delivery after 47w6d
	// implausible (perinatal.Pregnancy.Validate). An EHR's stale episode (an EDD two years
	// past) would otherwise rank her "pregnant" under 45 CFR 96.131(a)(2), ahead of people who
	// inject drugs; refused, so that the sender corrects it (fail closed).
	if perr == nil && r.episode && r.dated && r.end.IsZero() && !a.SoughtAt.IsZero() && civilDay(a.SoughtAt)-r.origin > maxGestationDays {
		pr.addAt("pregnancy_past_term_at_request", at("pregnancy"), CitePreference,
			"The pregnancy is not ended, yet its dating puts the time sought more than 47w6d after its origin: the episode is stale or misdated.")
	}
	if !r.prior.IsZero() && !r.end.IsZero() && !r.prior.Before(r.end) {
		pr.addAt("prior_delivery_not_before_end", at("prior_delivery_at"), CitePreference,
			"The earlier delivery is not before the end of the current pregnancy.")
	}
	if a.CapacityAtRequest >= numCapacities {
		pr.addAt(CodeUnknownCode, at("capacity_at_request"), CiteInjectingAdmission, "The capacity fact is not a declared value.")
	}
}

// Classification is where a policy places an applicant at a moment. It is a comparable value;
// the zero value (Rank 0) means not classified.
type Classification struct {
	// Rank is the 1-based tier rank: rank 1 is admitted first.
	Rank int `json:"rank"`
	// Tier is the tier's name.
	Tier string `json:"tier"`
	// Matched is why: the conditions the tier requires, all of which held.
	Matched ConditionSet `json:"matched"`
	// Conditions are all the conditions that held at the moment judged.
	Conditions ConditionSet `json:"conditions"`
	// Citations are the tier's citations, e.g. "45 CFR 96.131(a)(1)".
	Citations Citations `json:"citations"`
}

// CitationList returns the citations as a slice.
//
// Deprecated: use Citations.List.
func (c Classification) CitationList() []string { return c.Citations.List() }

// String describes the classification by codes only, e.g. "1 pregnant_injecting (pregnant+injects_drugs)".
// A tier name is an identifier (Compile checks it); one that is not, in a value built by
// hand, is written quoted and escaped, so the line cannot be forged.
func (c Classification) String() string {
	tier := c.Tier
	if !ident.Valid(tier) {
		tier = ident.Quote(tier)
	}
	return fmt.Sprintf("%d %s (%s)", c.Rank, tier, c.Matched)
}

// Status returns the applicant's reproductive status at at under the policy's postpartum window.
func (c *Compiled) Status(a Applicant, at time.Time) perinatal.Status {
	return reproOf(&a).statusAt(c.window, at)
}

// Conditions returns the conditions that hold for a at the moment at.
func (c *Compiled) Conditions(a Applicant, at time.Time) ConditionSet {
	return c.conditions(&a, reproOf(&a), at)
}

func (c *Compiled) conditions(a *Applicant, r repro, at time.Time) ConditionSet {
	var s ConditionSet
	switch r.statusAt(c.window, at) {
	case perinatal.StatusPregnant:
		s |= 1 << ConditionPregnant
	case perinatal.StatusPostpartum:
		s |= 1 << ConditionPostpartum
	}
	if a.InjectsDrugs {
		s |= 1 << ConditionInjectsDrugs
	}
	if a.DependentChildren {
		s |= 1 << ConditionDependentChildren
	}
	if a.ReferredByChildWelfare {
		s |= 1 << ConditionReferredByChildWelfare
	}
	if a.LeavingIncarceration {
		s |= 1 << ConditionLeavingIncarceration
	}
	if a.Veteran {
		s |= 1 << ConditionVeteran
	}
	if a.Woman || r.woman() {
		s |= 1 << ConditionWoman
	}
	return s
}

// Classify places a at the moment at: the first tier whose conditions all hold. It never
// fails: a policy always ends with a catch-all tier. It does not allocate.
func (c *Compiled) Classify(a Applicant, at time.Time) Classification {
	return c.ClassifyConditions(c.conditions(&a, reproOf(&a), at))
}

// ClassifyConditions places a person for whom exactly the conditions s hold.
func (c *Compiled) ClassifyConditions(s ConditionSet) Classification {
	i := c.rankOf(s)
	t := &c.tiers[i]
	return Classification{Rank: i + 1, Tier: t.name, Matched: t.req, Conditions: s, Citations: t.cite}
}

// rankOf returns the 0-based index of the tier that places s.
func (c *Compiled) rankOf(s ConditionSet) int {
	for i := range c.tiers {
		t := &c.tiers[i]
		if s&t.req == t.req && s&t.forb == 0 {
			return i
		}
	}
	return len(c.tiers) - 1 // unreachable: the last tier is a catch-all
}

// ClassificationChangesAt returns the next instant after at at which a's classification may
// change by the passage of time alone (the end of her pregnancy when recorded ahead, the
// first instant after a postpartum window), or the zero time if it never will. It looks at
// no more than four instants.
func (c *Compiled) ClassificationChangesAt(a Applicant, at time.Time) time.Time {
	return c.changesAt(reproOf(&a), at)
}

func (c *Compiled) changesAt(r repro, at time.Time) time.Time {
	var cands [5]time.Time
	n := 0
	add := func(t time.Time) {
		if !t.IsZero() && t.After(at) {
			cands[n] = t
			n++
		}
	}
	if r.episode {
		if r.dated {
			add(dayTime(r.origin)) // the pregnancy begins (by its dating)
		}
		add(r.end)
		if !r.end.IsZero() {
			add(c.window.End(r.end).Add(time.Nanosecond))
		}
	}
	if !r.prior.IsZero() {
		add(r.prior)
		add(c.window.End(r.prior).Add(time.Nanosecond))
	}
	now := r.statusAt(c.window, at)
	var best time.Time
	for _, t := range cands[:n] {
		if (best.IsZero() || t.Before(best)) && r.statusAt(c.window, t) != now {
			best = t
		}
	}
	return best
}
