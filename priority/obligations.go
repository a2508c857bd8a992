package priority

import (
	"fmt"
	"slices"
	"time"
)

// Day counts of the federal deadlines.
const (
	AdmissionDays         = 14  // admit a person who injects drugs within 14 days (96.126(b))
	ExtendedAdmissionDays = 120 // or within 120 days with interim services in 48 hours (96.126(b))
	CapacityNoticeDays    = 7   // notify the State within 7 days of reaching 90% (96.126(a))
)

// ProgramSubject is the Subject of obligations that fall on the program rather than a person.
const ProgramSubject = "program"

// Program is a treatment program's capacity at the moment judged, and what it has done about
// its capacity notice.
type Program struct {
	Beds            int  `json:"beds"`
	Occupied        int  `json:"occupied"`
	ServesInjecting bool `json:"serves_injecting"` // treats people who inject drugs (96.126 applies)
	// Reached90At is when the program reached 90% of its capacity; zero if not recorded.
	Reached90At time.Time `json:"reached_90_at,omitzero"`
	// NotifiedAt is when it notified the State of reaching 90%; zero if not yet.
	NotifiedAt time.Time `json:"notified_at,omitzero"`
}

// HasCapacity reports whether a bed is free.
func (p Program) HasCapacity() bool { return p.Occupied < p.Beds }

// AtNinetyPercent reports whether occupancy is at least 90% of a positive number of beds,
// computed exactly in integers (89 of 100 is not; 90 of 100 is).
func (p Program) AtNinetyPercent() bool { return p.Beds > 0 && p.Occupied*10 >= p.Beds*9 }

// Progress is what has been done for a person: the moments are zero when not done.
type Progress struct {
	// InterimAt is when the whole set of interim services owed was made available.
	InterimAt time.Time `json:"interim_at,omitzero"`
	// StateReferredAt is when a pregnant woman was referred to the State (96.131(c)).
	StateReferredAt time.Time `json:"state_referred_at,omitzero"`
	// AdmittedAt is when the person was admitted.
	AdmittedAt time.Time `json:"admitted_at,omitzero"`
}

// Obligation is something owed, by when, and where it stands at the moment judged. It is data
// for the embedding system (and for referral tracking) to act on.
type Obligation struct {
	Kind ObligationKind `json:"kind"`
	// Subject is the patient identifier, or ProgramSubject.
	Subject string `json:"subject"`
	// Due is the last moment by which it is met on time; zero when the rule sets no time.
	Due   time.Time       `json:"due,omitzero"`
	State ObligationState `json:"state"`
	// MetAt is when it was met; zero if it is not.
	MetAt time.Time `json:"met_at,omitzero"`
	// Code is a stable reason code, e.g. "admission_120_days".
	Code      string   `json:"code"`
	Citations []string `json:"citations"`
	// Message is a plain sentence naming only codes and identifiers.
	Message string `json:"message"`
}

// Cites reports whether cite is one of the obligation's citations.
func (o Obligation) Cites(cite string) bool { return slices.Contains(o.Citations, cite) }

// stateOf judges an obligation due at due (zero: no due time) and met at metAt (zero: not
// met) at the moment at. Anything done at or before the due time is on time.
func stateOf(due, metAt, at time.Time) ObligationState {
	if !metAt.IsZero() && !metAt.After(at) {
		if due.IsZero() || !metAt.After(due) {
			return StateMet
		}
		return StateMetLate
	}
	if !due.IsZero() && at.After(due) {
		return StateOverdue
	}
	return StateOpen
}

func doneBy(t, at time.Time) time.Time {
	if t.IsZero() || t.After(at) {
		return time.Time{}
	}
	return t
}

// AdmissionDue returns when a person who injects drugs must be admitted (45 CFR 96.126(b)):
// 14 days after she sought treatment, or 120 days if interim services were made available
// (interimAt, zero if not) within 48 hours of it. Days follow the policy's deadline mode.
func (c *Compiled) AdmissionDue(a Applicant, interimAt time.Time) time.Time {
	if !interimAt.IsZero() && !interimAt.After(c.InterimDue(a)) {
		return c.AfterDays(a.SoughtAt, ExtendedAdmissionDays)
	}
	return c.AfterDays(a.SoughtAt, AdmissionDays)
}

// Obligations returns every obligation toward a at the moment at, met or not, in the order
// interim services, admission, State referral: interim services within 48 hours when the
// policy says she is owed them (OwedInterim); admission within 14 or 120 days for a person
// who injects drugs; and, for a woman pregnant when she sought treatment or at at, a referral
// to the State when the program has no free bed (or she was already referred). A person being
// judged is taken as waiting unless done.AdmittedAt is at or before at.
//
// Two readings are deliberate. Interim services are owed to everyone eligible who is waiting,
// whether or not a bed is free at at: a person still waiting has not been given one (the
// conservative reading of 96.131(d) and 96.126(b)). The 120-day admission deadline applies as
// soon as interim services were made available within 48 hours; whether any other program
// could admit the person within 14 days (the other condition of 96.126(b)) is the State's
// knowledge, not the program's, and is not modelled.
func (c *Compiled) Obligations(a Applicant, done Progress, p Program, at time.Time) []Obligation {
	return c.AppendObligations(nil, a, done, p, at)
}

// AppendObligations is Obligations appending to dst.
func (c *Compiled) AppendObligations(dst []Obligation, a Applicant, done Progress, p Program, at time.Time) []Obligation {
	both := c.Conditions(a, a.SoughtAt) | c.Conditions(a, at)
	admitted := doneBy(done.AdmittedAt, at)
	interimAt := doneBy(done.InterimAt, at)
	if both&c.interimWhen != 0 {
		dst = append(dst, c.interimObligation(a, both, interimAt, admitted, at))
	}
	if a.InjectsDrugs {
		dst = append(dst, c.admissionObligation(a, interimAt, admitted, at))
	}
	referred := doneBy(done.StateReferredAt, at)
	if both.Has(ConditionPregnant) && admitted.IsZero() && (!referred.IsZero() || !p.HasCapacity()) {
		o := Obligation{Kind: ObligationStateReferral, Subject: a.ID, MetAt: referred,
			Code: "state_referral_no_capacity", Citations: []string{CiteStateReferral}}
		o.State = stateOf(time.Time{}, o.MetAt, at)
		o.Message = fmt.Sprintf("the program has no capacity for %s, who is pregnant: refer her to the State (%s)", truncate(a.ID, MaxIDLen), o.State)
		dst = append(dst, o)
	}
	return dst
}

// interimObligation is the interim-services obligation toward a, for whom the conditions
// both held when she sought treatment or at at; interimAt and admitted are the moments done
// (zero if not, or not by at).
func (c *Compiled) interimObligation(a Applicant, both ConditionSet, interimAt, admitted, at time.Time) Obligation {
	o := Obligation{Kind: ObligationInterimServices, Subject: a.ID, Due: c.InterimDue(a)}
	switch {
	case both.Has(ConditionPregnant) && both.Has(ConditionInjectsDrugs):
		o.Code = "interim_services_pregnant_injecting"
		o.Citations = []string{CiteInterimPregnant, CiteInjectingAdmission, CiteInterimDefinition}
	case both.Has(ConditionPregnant):
		o.Code = "interim_services_pregnant"
		o.Citations = []string{CiteInterimPregnant, CiteInterimDefinition}
	case both.Has(ConditionInjectsDrugs):
		o.Code = "interim_services_injecting"
		o.Citations = []string{CiteInjectingAdmission, CiteInterimDefinition}
	default:
		o.Code = "interim_services_state_policy"
		o.Citations = append(slices.Clone(c.interimCite), CiteInterimDefinition)
	}
	o.MetAt = interimAt
	if o.MetAt.IsZero() && !admitted.IsZero() && !admitted.After(o.Due) {
		o.MetAt = admitted // admitted within 48 hours: nothing was owed while waiting
	}
	o.State = stateOf(o.Due, o.MetAt, at)
	o.Message = "interim services for " + truncate(a.ID, MaxIDLen) + " are due 48 hours after treatment was sought (" + o.State.String() + ")"
	return o
}

// admissionObligation is the 14- or 120-day admission obligation toward a, who injects drugs.
func (c *Compiled) admissionObligation(a Applicant, interimAt, admitted, at time.Time) Obligation {
	o := Obligation{Kind: ObligationAdmission, Subject: a.ID, Due: c.AdmissionDue(a, interimAt), MetAt: admitted,
		Citations: []string{CiteInjectingAdmission}}
	o.State = stateOf(o.Due, o.MetAt, at)
	id := truncate(a.ID, MaxIDLen)
	if o.Due.Equal(c.AfterDays(a.SoughtAt, AdmissionDays)) {
		o.Code = "admission_14_days"
		o.Message = id + " injects drugs and must be admitted within 14 days of seeking treatment (" + o.State.String() + ")"
	} else {
		o.Code = "admission_120_days"
		o.Message = id + " injects drugs, was offered interim services within 48 hours and must be admitted within 120 days (" + o.State.String() + ")"
	}
	return o
}

// ProgramObligations returns the program's own obligations at at: the capacity notice due 7
// days after a program serving people who inject drugs reaches 90% of its capacity
// (45 CFR 96.126(a)). The notice runs from p.Reached90At; when that is not recorded but the
// program is at 90% or more at at, at itself is taken as the moment reached (record
// Reached90At to get the true deadline). A notice at or after the moment reached meets it.
func (c *Compiled) ProgramObligations(p Program, at time.Time) []Obligation {
	if !p.ServesInjecting {
		return nil
	}
	reached := p.Reached90At
	if reached.IsZero() || reached.After(at) {
		if !p.AtNinetyPercent() {
			return nil
		}
		reached = at
	}
	o := Obligation{Kind: ObligationCapacityNotice, Subject: ProgramSubject, Due: c.AfterDays(reached, CapacityNoticeDays),
		Code: "capacity_notice_90_percent", Citations: []string{CiteCapacityNotice}}
	if n := doneBy(p.NotifiedAt, at); !n.IsZero() && !n.Before(reached) {
		o.MetAt = n
	}
	o.State = stateOf(o.Due, o.MetAt, at)
	o.Message = fmt.Sprintf("the program reached 90%% of its capacity and must notify the State within 7 days (%s)", o.State)
	return []Obligation{o}
}
