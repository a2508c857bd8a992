package priority

import (
	"fmt"
	"time"

	"github.com/dyad-health/dyad/internal/ident"
	"github.com/dyad-health/dyad/internal/jsonin"
)

// Day counts of the federal deadlines.
const (
	AdmissionDays         = 14  // admit a person who injects drugs within 14 days (96.126(b)(1))
	ExtendedAdmissionDays = 120 // or within 120 days, see AdmissionDue (96.126(b)(2))
	CapacityNoticeDays    = 7   // notify the State within 7 days of reaching 90% (96.126(a))
)

// ProgramSubject is the Subject of obligations that fall on the program rather than a person.
const ProgramSubject = "program"

// Program is a treatment program's capacity, and what it has done about its capacity notice.
// Validate refuses what cannot be: negative beds or occupancy, more people than beds.
//
// A Waitlist keeps programs' occupancy as events (Waitlist.SetOccupancy) and gives the
// Program value of a moment, Reached90At and NotifiedAt included (Waitlist.ProgramAt), so
// that the capacity notice runs from when 90% was reached without a field to remember.
type Program struct {
	Beds            int  `json:"beds"`
	Occupied        int  `json:"occupied"`
	ServesInjecting bool `json:"serves_injecting"` // treats people who inject drugs (96.126 applies)
	// Reached90At is when the program reached 90% of its capacity; zero if not recorded.
	Reached90At time.Time `json:"reached_90_at,omitzero"`
	// NotifiedAt is when it notified the State of reaching 90%; zero if not yet.
	NotifiedAt time.Time `json:"notified_at,omitzero"`
}

// Validate returns a *ValidationError (errors.Is(err, ErrInvalidProgram)) listing every
// problem: negative beds, negative occupancy, more people than beds, a time out of range.
func (p Program) Validate() error {
	var pr problems
	p.validate(&pr, "")
	return pr.err(ErrInvalidProgram)
}

func (p Program) validate(pr *problems, path string) {
	at := func(f string) string {
		if path == "" {
			return f
		}
		return path + "." + f
	}
	if p.Beds < 0 {
		pr.addAt("negative_beds", at("beds"), CiteCapacityNotice, "The program's beds cannot be negative.")
	}
	if p.Occupied < 0 {
		pr.addAt("negative_occupied", at("occupied"), CiteCapacityNotice, "The program's occupancy cannot be negative.")
	}
	if p.Occupied > p.Beds && p.Beds >= 0 {
		pr.addAt("overfull", at("occupied"), CiteCapacityNotice, "The program holds more people than it has beds.")
	}
	for _, f := range []struct {
		n string
		t time.Time
	}{{"reached_90_at", p.Reached90At}, {"notified_at", p.NotifiedAt}} {
		if !f.t.IsZero() && !jsonin.TimeInRange(f.t) {
			pr.addAt("time_out_of_range", at(f.n), "", "The time is outside the range accepted, "+jsonin.TimeRange+".")
		}
	}
}

// HasCapacity reports whether a bed is free: 0 <= Occupied < Beds. An invalid program (see
// Validate) has none.
func (p Program) HasCapacity() bool { return p.Occupied >= 0 && p.Occupied < p.Beds }

// AtNinetyPercent reports whether occupancy is at least 90% of a positive number of beds,
// computed exactly in integers (89 of 100 is not; 90 of 100 is).
func (p Program) AtNinetyPercent() bool { return p.Beds > 0 && p.Occupied*10 >= p.Beds*9 }

// Progress is what has been done for a person: the moments are zero when not done. At most
// one of AdmittedAt and LeftAt is set.
type Progress struct {
	// InterimAt is when the whole set of interim services owed was made available.
	InterimAt time.Time `json:"interim_at,omitzero"`
	// StateReferredAt is when a pregnant woman was referred to the State (96.131(c)).
	StateReferredAt time.Time `json:"state_referred_at,omitzero"`
	// AdmittedAt is when the person was admitted to the program.
	AdmittedAt time.Time `json:"admitted_at,omitzero"`
	// LeftAt is when the person left the list without admission here, for LeftReason
	// (declined, unreachable, or admitted elsewhere, which meets the admission deadline).
	LeftAt     time.Time     `json:"left_at,omitzero"`
	LeftReason RemovalReason `json:"left_reason,omitzero"`
}

func (d Progress) validate(a *Applicant, pr *problems) {
	for _, f := range []struct {
		n string
		t time.Time
	}{{"interim_at", d.InterimAt}, {"state_referred_at", d.StateReferredAt}, {"admitted_at", d.AdmittedAt}, {"left_at", d.LeftAt}} {
		switch {
		case f.t.IsZero():
		case !jsonin.TimeInRange(f.t):
			pr.addAt("time_out_of_range", f.n, "", "The time is outside the range accepted, "+jsonin.TimeRange+".")
		case f.t.Before(a.SoughtAt):
			pr.addAt(f.n+"_before_request", f.n, CiteInjectingAdmission, "It is dated before the person sought treatment, from which every deadline runs.")
		}
	}
	if !d.AdmittedAt.IsZero() && !d.LeftAt.IsZero() {
		pr.addAt("admitted_and_left", "left_at", CiteWaitingList, "A person is either admitted here or left the list otherwise, not both.")
	}
	if d.LeftAt.IsZero() != (d.LeftReason == RemovalUnknown) || d.LeftReason == RemovalAdmitted || d.LeftReason >= numRemovalReasons {
		pr.addAt("invalid_left_reason", "left_reason", CiteWaitingList, "left_at needs a reason other than admitted (use admitted_at), and a reason needs left_at.")
	}
}

// Obligation is something owed, by when, and where it stands at the moment judged. It is data
// for the embedding system (and for referral tracking) to act on.
type Obligation struct {
	Kind ObligationKind `json:"kind"`
	// Subject is the patient identifier, or ProgramSubject.
	Subject string `json:"subject"`
	// Due is the last moment by which it is met on time.
	Due    time.Time        `json:"due"`
	Status ObligationStatus `json:"status"`
	// MetAt is when it was met; zero if it is not.
	MetAt time.Time `json:"met_at,omitzero"`
	// Code is a stable reason code, e.g. "admission_120_days".
	Code      string    `json:"code"`
	Citations Citations `json:"citations"`
	// Message is a plain sentence naming only codes and (quoted) identifiers.
	Message string `json:"message"`
}

// Cites reports whether cite is one of the obligation's citations.
func (o Obligation) Cites(cite string) bool { return o.Citations.Has(cite) }

// statusOf judges an obligation due at due, met at met (zero: not met), toward a person who
// left the list (admitted or not) at end (zero: still waiting), at the moment at. Anything
// done at or before the due time is on time; leaving at or before it closes the obligation,
// leaving after it without meeting it misses it.
func statusOf(due, met, end, at time.Time) ObligationStatus {
	switch {
	case !met.IsZero() && !met.After(at):
		if met.After(due) {
			return StatusMetLate
		}
		return StatusMet
	case !end.IsZero() && !end.After(at):
		if end.After(due) {
			return StatusMissed
		}
		return StatusClosed
	case at.After(due):
		return StatusOverdue
	}
	return StatusOpen
}

func doneBy(t, at time.Time) time.Time {
	if t.IsZero() || t.After(at) {
		return time.Time{}
	}
	return t
}

// AdmissionDue returns when a person who injects drugs must be admitted (45 CFR 96.126(b)):
// 120 days after she sought treatment when both conditions of 96.126(b)(2) hold, that no
// program had the capacity to admit her on the day of the request (a.CapacityAtRequest is
// CapacityNone; unknown does not count) and that interim services were made available
// (interimAt, zero if not) within 48 hours of it; otherwise 14 days (96.126(b)(1)). Days
// follow the policy's deadline mode.
func (c *Compiled) AdmissionDue(a Applicant, interimAt time.Time) time.Time {
	if a.CapacityAtRequest == CapacityNone && !interimAt.IsZero() && !interimAt.After(c.InterimDue(a)) {
		return c.AfterDays(a.SoughtAt, ExtendedAdmissionDays)
	}
	return c.AfterDays(a.SoughtAt, AdmissionDays)
}

// facts is what the obligations toward one person are judged from: the same for a single
// applicant (Compiled.Obligations) and for a person on a waitlist.
type facts struct {
	a            *Applicant
	owed         ElementSet   // interim elements owed; zero: judge from conds
	conds        ConditionSet // every condition that held while she waited, as far as known
	interimAt    time.Time    // the owed set complete, by at
	referredAt   time.Time    // by at
	referralOwed bool         // her program had no free bed for her (96.131(c))
	referralFrom time.Time    // when the referral runs from (zero: the request)
	referralDue  time.Time    // the referral's due time fixed at a change of policy (zero: judged under c)
	late         ElementSet   // elements owed only from lateAt (a pregnancy begun while waiting)
	lateAt       time.Time
	lateMet      time.Time // the late set complete, by at
	admittedAt   time.Time // by at
	leftAt       time.Time // by at
	leftReason   RemovalReason
}

// notPlacedSet returns the interim elements owed to a person who injects drugs (conds) and
// asked when a program could admit her (cap CapacityAvailable, so 96.126(b)(2) owed her none
// at the request), once she "cannot be placed in comprehensive treatment within 14 days"
// (45 CFR 96.126(c)): the base elements, and the pregnancy elements if she is pregnant.
// None when the policy owes them to everyone waiting anyway (InterimWhileWaiting) or when
// they were owed at the request.
func (c *Compiled) notPlacedSet(conds ConditionSet, cap Capacity) ElementSet {
	if !conds.Has(ConditionInjectsDrugs) || c.owedInterimSet(conds, cap) != 0 {
		return 0
	}
	if conds.Has(ConditionPregnant) {
		return BaseElements | PregnancyElements
	}
	return BaseElements
}

// notPlacedOwed reports whether the interim services of notPlacedSet are owed at at to a
// person who sought treatment at sought and left the list (admitted or not) at end (zero:
// still waiting): once the 14 days have passed without her leaving. Reading of 96.126(c),
// whose stored text is cut ("For individuals who cannot be placed in comprehensive treatment
// within 14 days, the State shall ensure t..."): the obligation arises when the 14 days end
// and is due then (fail closed: the earliest moment the text allows; it names no later one
// in what we hold).
func (c *Compiled) notPlacedOwed(sought, end, at time.Time) bool {
	d := c.AfterDays(sought, AdmissionDays)
	return at.After(d) && (end.IsZero() || end.After(d))
}

// owedInterimSet returns the interim elements owed for conditions conds and capacity cap.
func (c *Compiled) owedInterimSet(conds ConditionSet, cap Capacity) ElementSet {
	if conds&c.interimWhen == 0 || (cap == CapacityAvailable && !c.policy.InterimWhileWaiting) {
		return 0
	}
	if conds.Has(ConditionPregnant) {
		return BaseElements | PregnancyElements
	}
	return BaseElements
}

// appendObligations appends the obligations toward f.a at at.
func (c *Compiled) appendObligations(dst []Obligation, f *facts, at time.Time) []Obligation {
	a := f.a
	end := f.admittedAt
	if end.IsZero() {
		end = f.leftAt
	}
	if (f.owed&^f.late) != 0 || c.owedInterimSet(f.conds, a.CapacityAtRequest)&^f.late != 0 {
		dst = append(dst, c.interimObligation(a, f.conds, f.interimAt, f.admittedAt, end, at))
	} else if f.owed == 0 && c.notPlacedSet(f.conds, a.CapacityAtRequest) != 0 && c.notPlacedOwed(a.SoughtAt, end, at) {
		o := Obligation{Kind: ObligationInterimServices, Subject: a.ID, Due: c.AfterDays(a.SoughtAt, AdmissionDays), MetAt: f.interimAt,
			Code: "interim_services_not_placed_14_days", Citations: NewCitations(CiteInterimNoPlacement, CiteInterimDefinition)}
		o.Status = statusOf(o.Due, o.MetAt, end, at)
		o.Message = "interim services for " + ident.Quote(a.ID) + ", who injects drugs and was not placed in treatment within 14 days, are due when the 14 days end (" + o.Status.String() + ")"
		dst = append(dst, o)
	}
	if f.late != 0 {
		o := Obligation{Kind: ObligationInterimServices, Subject: a.ID, Due: f.lateAt.Add(InterimWindow), MetAt: f.lateMet,
			Code: "interim_services_pregnancy_while_waiting", Citations: NewCitations(CiteInterimPregnant, CiteInterimDefinition)}
		o.Status = statusOf(o.Due, o.MetAt, end, at)
		o.Message = "interim services for " + ident.Quote(a.ID) + ", whose pregnancy began while she waited, are due 48 hours after it was recorded (" + o.Status.String() + ")"
		dst = append(dst, o)
	}
	if f.conds.Has(ConditionInjectsDrugs) {
		dst = append(dst, c.admissionObligation(a, f.interimAt, f.admittedAt, f.leftAt, f.leftReason, at))
	}
	if f.conds.Has(ConditionPregnant) && (f.referralOwed || !f.referredAt.IsZero()) {
		due, from := c.StateReferralDue(*a), a.SoughtAt
		if !f.referralFrom.IsZero() && f.referralFrom.After(a.SoughtAt) {
			due, from = f.referralFrom.Add(time.Duration(c.referralHours)*time.Hour), f.referralFrom
		}
		hours := c.referralHours
		if !f.referralDue.IsZero() { // fixed under the policy in force when it arose
			due, hours = f.referralDue, int(f.referralDue.Sub(from)/time.Hour)
		}
		o := Obligation{Kind: ObligationStateReferral, Subject: a.ID, Due: due, MetAt: f.referredAt,
			Code: "state_referral_no_capacity", Citations: NewCitations(CiteStateReferral)}
		o.Status = statusOf(o.Due, o.MetAt, end, at)
		o.Message = fmt.Sprintf("the program has no capacity for %s, who is pregnant: refer her to the State within %d hours of her request (%s)",
			ident.Quote(a.ID), hours, o.Status)
		dst = append(dst, o)
	}
	return dst
}

// Obligations returns every obligation toward a at the moment at, in the order interim
// services, admission, State referral, each with its due time and status:
//
//   - interim services within 48 hours (45 CFR 96.121) for a woman pregnant, or a person who
//     injects drugs, when she sought treatment or at the moment judged (96.131(d),
//     96.126(b)(2) and (c)), or who meets one of the policy's InterimAlsoWhen conditions, and
//     only where no program could admit her on the day of the request (a.CapacityAtRequest
//     not CapacityAvailable; unknown owes them), unless the policy's InterimWhileWaiting owes
//     them to everyone still waiting;
//   - for a person who injects drugs who asked when a program could admit her (so none were
//     owed at the request) and "cannot be placed in comprehensive treatment within 14 days"
//     (96.126(c)), interim services due when the 14 days end (code
//     interim_services_not_placed_14_days), listed once they have ended without her leaving;
//   - admission of a person who injects drugs within 14 or 120 days (AdmissionDue);
//   - for a woman pregnant when she sought treatment or at the moment judged, a referral to
//     the State when the facility "has insufficient capacity to provide treatment services
//     to any such pregnant woman who seeks the services" (96.131(c)): when no program could
//     admit her on the day of the request (a.CapacityAtRequest none, or unknown: fail
//     closed), or p, the program she sought treatment from, has no free bed, or once she
//     was referred; it is due the policy's StateReferralHours (48 by default) after her
//     request. The capacity that owes it is the one when she sought treatment, so a bed
//     that frees later does not erase an owed referral: a late one is met late, or missed.
//
// done says what was done and whether she was admitted or left the list; things done after
// at do not count. An obligation not met when she left is missed if its due time had
// passed, closed otherwise; interim services owed to a person admitted within 48 hours are
// met by the admission.
//
// Obligations refuses (a *ValidationError) invalid facts (Applicant.Validate), an invalid
// program (Program.Validate), a program serving people who inject drugs under a policy for
// programs without them, and progress that cannot be: anything done before she sought
// treatment, such as an admission before the request.
func (c *Compiled) Obligations(a Applicant, done Progress, p Program, at time.Time) ([]Obligation, error) {
	return c.AppendObligations(nil, a, done, p, at)
}

// AppendObligations is Obligations appending to dst.
func (c *Compiled) AppendObligations(dst []Obligation, a Applicant, done Progress, p Program, at time.Time) ([]Obligation, error) {
	var pr problems
	a.validate(&pr, "")
	if err := pr.err(ErrInvalidApplicant); err != nil {
		return dst, err
	}
	p.validate(&pr, "program")
	if p.ServesInjecting && !c.ForInjectingPopulation() {
		pr.addAt("policy_not_for_injecting_population", "program.serves_injecting", CitePreference,
			"The program serves people who inject drugs; the policy is for programs that do not, and lacks the order of 45 CFR 96.131(a).")
	}
	if !jsonin.TimeInRange(at) {
		pr.addAt("time_out_of_range", "at", "", "The moment judged is outside the range accepted, "+jsonin.TimeRange+".")
	}
	if err := pr.err(ErrInvalidProgram); err != nil {
		return dst, err
	}
	done.validate(&a, &pr)
	if err := pr.err(ErrInvalidProgress); err != nil {
		return dst, err
	}
	r := reproOf(&a)
	f := facts{a: &a, admittedAt: doneBy(done.AdmittedAt, at), leftAt: doneBy(done.LeftAt, at), referredAt: doneBy(done.StateReferredAt, at),
		interimAt: doneBy(done.InterimAt, at), referralOwed: !p.HasCapacity() || a.CapacityAtRequest != CapacityAvailable}
	if !f.leftAt.IsZero() {
		f.leftReason = done.LeftReason
	}
	last := at
	if e := f.admittedAt; !e.IsZero() {
		last = e
	} else if e := f.leftAt; !e.IsZero() {
		last = e
	}
	f.conds = c.conditions(&a, r, a.SoughtAt) | c.conditions(&a, r, last)
	return c.appendObligations(dst, &f, at), nil
}

// interimObligation is the interim-services obligation toward a, for whom the conditions
// conds held while waiting; interimAt, admitted and end are the moments done (zero if not).
func (c *Compiled) interimObligation(a *Applicant, conds ConditionSet, interimAt, admitted, end, at time.Time) Obligation {
	o := Obligation{Kind: ObligationInterimServices, Subject: a.ID, Due: c.InterimDue(*a)}
	noPlace := CiteInjectingAdmission
	switch {
	case conds.Has(ConditionPregnant) && conds.Has(ConditionInjectsDrugs):
		o.Code = "interim_services_pregnant_injecting"
		o.Citations = NewCitations(CiteInterimPregnant, noPlace, CiteInterimDefinition)
	case conds.Has(ConditionPregnant):
		o.Code = "interim_services_pregnant"
		o.Citations = NewCitations(CiteInterimPregnant, CiteInterimDefinition)
	case conds.Has(ConditionInjectsDrugs):
		o.Code = "interim_services_injecting"
		o.Citations = NewCitations(noPlace, CiteInterimNoPlacement, CiteInterimDefinition)
	default:
		o.Code = "interim_services_state_policy"
		o.Citations = NewCitations(append(append([]string(nil), c.interimCite...), CiteInterimDefinition)...)
	}
	o.MetAt = interimAt
	if o.MetAt.IsZero() && !admitted.IsZero() && !admitted.After(o.Due) {
		o.MetAt = admitted // admitted within 48 hours: nothing was owed while waiting
	}
	o.Status = statusOf(o.Due, o.MetAt, end, at)
	o.Message = "interim services for " + ident.Quote(a.ID) + " are due 48 hours after treatment was sought (" + o.Status.String() + ")"
	return o
}

// admissionObligation is the 14- or 120-day admission obligation toward a, who injects drugs.
func (c *Compiled) admissionObligation(a *Applicant, interimAt, admitted, left time.Time, reason RemovalReason, at time.Time) Obligation {
	o := Obligation{Kind: ObligationAdmission, Subject: a.ID, Due: c.AdmissionDue(*a, interimAt), MetAt: admitted,
		Citations: NewCitations(CiteInjectingAdmission)}
	if o.MetAt.IsZero() && reason == RemovalAdmittedElsewhere {
		o.MetAt = left // admitted to "a program of such treatment" (96.126(b))
	}
	o.Status = statusOf(o.Due, o.MetAt, left, at)
	id := ident.Quote(a.ID)
	if o.Due.Equal(c.AfterDays(a.SoughtAt, AdmissionDays)) {
		o.Code = "admission_14_days"
		o.Message = id + " injects drugs and must be admitted within 14 days of seeking treatment (" + o.Status.String() + ")"
	} else {
		o.Code = "admission_120_days"
		o.Message = id + " injects drugs, no program could admit her on the day she asked, interim services came within 48 hours, and she must be admitted within 120 days (" + o.Status.String() + ")"
	}
	return o
}

// ProgramObligations returns the program's own obligations at at: the capacity notice due 7
// days after a program serving people who inject drugs reached 90% of its capacity
// (45 CFR 96.126(a)), from p.Reached90At. A program at 90% or more at at without
// Reached90At is refused (ErrInvalidProgram, problem "missing_reached_90_at"): the notice
// runs from when 90% was reached, which a Waitlist keeping occupancy events knows
// (Waitlist.ProgramObligations). A notice at or after the moment reached meets it.
func (c *Compiled) ProgramObligations(p Program, at time.Time) ([]Obligation, error) {
	var pr problems
	p.validate(&pr, "")
	if p.ServesInjecting && !c.ForInjectingPopulation() {
		pr.addAt("policy_not_for_injecting_population", "serves_injecting", CitePreference,
			"The program serves people who inject drugs; the policy is for programs that do not.")
	}
	if p.ServesInjecting && p.Reached90At.IsZero() && p.AtNinetyPercent() {
		pr.addAt("missing_reached_90_at", "reached_90_at", CiteCapacityNotice,
			"The program is at 90% of its capacity but the moment it reached 90% is not given; the 7-day notice runs from that moment.")
	}
	if err := pr.err(ErrInvalidProgram); err != nil {
		return nil, err
	}
	if !p.ServesInjecting || p.Reached90At.IsZero() || p.Reached90At.After(at) {
		return nil, nil
	}
	return []Obligation{c.capacityNotice(p.Reached90At, p.NotifiedAt, at)}, nil
}

func (c *Compiled) capacityNotice(reached, notified, at time.Time) Obligation {
	o := Obligation{Kind: ObligationCapacityNotice, Subject: ProgramSubject, Due: c.AfterDays(reached, CapacityNoticeDays),
		Code: "capacity_notice_90_percent", Citations: NewCitations(CiteCapacityNotice)}
	if n := doneBy(notified, at); !n.IsZero() && !n.Before(reached) {
		o.MetAt = n
	}
	o.Status = statusOf(o.Due, o.MetAt, time.Time{}, at)
	o.Message = fmt.Sprintf("the program reached 90%% of its capacity and must notify the State within 7 days (%s)", o.Status)
	return o
}
