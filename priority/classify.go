package priority

import (
	"fmt"
	"strings"
	"time"

	"github.com/dyad-health/dyad/perinatal"
)

// MaxIDLen is the longest patient identifier accepted, in bytes.
const MaxIDLen = 64

// Applicant is what a policy needs to know about a person who sought treatment: a small value
// with no pointers or maps, so classification does not allocate.
//
// Pregnant says she is, or was until DeliveredAt, pregnant: keep it true after recording a
// delivery, because a delivery at or before the moment judged ends the pregnancy (see
// perinatal.StatusAt). DeliveredAt is zero when no delivery is recorded.
type Applicant struct {
	// ID is the unique patient identifier of 45 CFR 96.126(c). It is an identifier, not a
	// name, and may appear in errors and messages.
	ID string `json:"id"`
	// SoughtAt is when the person sought or was referred for treatment; every deadline runs
	// from it.
	SoughtAt               time.Time `json:"sought_at"`
	Pregnant               bool      `json:"pregnant,omitempty"`
	InjectsDrugs           bool      `json:"injects_drugs,omitempty"`
	DeliveredAt            time.Time `json:"delivered_at,omitzero"`
	DependentChildren      bool      `json:"dependent_children,omitempty"`
	ReferredByChildWelfare bool      `json:"referred_by_child_welfare,omitempty"`
	LeavingIncarceration   bool      `json:"leaving_incarceration,omitempty"`
	Veteran                bool      `json:"veteran,omitempty"`
}

// Validate checks the facts a waitlist needs: a non-empty identifier of at most MaxIDLen bytes
// with no control characters, and a time sought. It returns a *ValidationError listing every
// problem (errors.Is(err, ErrInvalidApplicant)), or nil.
func (a Applicant) Validate() error {
	var pr problems
	switch {
	case a.ID == "":
		pr.add("missing_id", CiteWaitingList, "the applicant has no unique patient identifier")
	case len(a.ID) > MaxIDLen:
		pr.add("id_too_long", CiteWaitingList, fmt.Sprintf("the patient identifier is %d bytes; at most %d are allowed", len(a.ID), MaxIDLen))
	case strings.ContainsFunc(a.ID, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		pr.add("id_control_character", CiteWaitingList, "the patient identifier contains a control character")
	}
	if a.SoughtAt.IsZero() {
		pr.add("missing_sought_at", CiteInjectingAdmission, fmt.Sprintf("applicant %q has no time sought, from which every deadline runs", truncate(a.ID, 32)))
	}
	return pr.err(ErrInvalidApplicant)
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
	// Citations are the tier's citations joined by "; ", e.g. "45 CFR 96.131(a)(1)".
	Citations string `json:"citations"`
}

// CitationList splits Citations into its parts.
func (c Classification) CitationList() []string {
	if c.Citations == "" {
		return nil
	}
	return strings.Split(c.Citations, "; ")
}

// String describes the classification by codes only, e.g. "1 pregnant_injecting (pregnant+injects_drugs)".
func (c Classification) String() string {
	return fmt.Sprintf("%d %s (%s)", c.Rank, c.Tier, c.Matched)
}

// Status returns the applicant's reproductive status at at under the policy's postpartum window.
func (c *Compiled) Status(a Applicant, at time.Time) perinatal.Status {
	return perinatal.StatusAt(a.Pregnant, a.DeliveredAt, c.window, at)
}

// Conditions returns the conditions that hold for a at the moment at.
func (c *Compiled) Conditions(a Applicant, at time.Time) ConditionSet {
	var s ConditionSet
	switch perinatal.StatusAt(a.Pregnant, a.DeliveredAt, c.window, at) {
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
	return s
}

// Classify places a at the moment at: the first tier whose conditions all hold. It never
// fails: a policy always ends with a catch-all tier. It does not allocate.
func (c *Compiled) Classify(a Applicant, at time.Time) Classification {
	return c.ClassifyConditions(c.Conditions(a, at))
}

// ClassifyConditions places a person for whom exactly the conditions s hold.
func (c *Compiled) ClassifyConditions(s ConditionSet) Classification {
	for i := range c.tiers {
		t := &c.tiers[i]
		if s&t.req == t.req && s&t.forb == 0 {
			return Classification{Rank: i + 1, Tier: t.name, Matched: t.req, Conditions: s, Citations: t.cite}
		}
	}
	return Classification{} // unreachable: the last tier is a catch-all
}

// ClassificationChangesAt returns the next instant after at at which a's classification may
// change by the passage of time alone (her delivery date, or the first instant after her
// postpartum window), or the zero time if it never will.
func (c *Compiled) ClassificationChangesAt(a Applicant, at time.Time) time.Time {
	if a.DeliveredAt.IsZero() {
		return time.Time{}
	}
	if at.Before(a.DeliveredAt) {
		return a.DeliveredAt
	}
	end := c.window.End(a.DeliveredAt)
	if !at.After(end) {
		return end.Add(time.Nanosecond)
	}
	return time.Time{}
}
