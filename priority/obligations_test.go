package priority

import (
	"errors"
	"testing"
	"time"

	"github.com/dyad-health/dyad/perinatal"
)

// obligations is Compiled.Obligations, failing the test on an error.
func obligations(t *testing.T, c *Compiled, a Applicant, done Progress, p Program, at time.Time) []Obligation {
	t.Helper()
	obs, err := c.Obligations(a, done, p, at)
	noErr(t, err)
	return obs
}

// Whole decisions, each checked against the paragraph it cites: interim services within
// 48 h (96.131(d), 96.126(b)(2), (c), 96.121), admission within 14 or 120 days (96.126(b)),
// the referral to the State (96.131(c)), due 48 h after the request (this package's reading).
func TestObligationsWholeDecisions(t *testing.T) {
	c := MustCompile(Federal())
	full := Program{Beds: 10, Occupied: 10, ServesInjecting: true}
	h := time.Hour
	d := 24 * time.Hour
	interimInj := NewCitations(CiteInjectingAdmission, CiteInterimNoPlacement, CiteInterimDefinition)
	tests := []struct {
		name string
		a    Applicant
		done Progress
		p    Program
		at   time.Time
		want []Obligation
	}{
		{
			name: "pregnant woman who injects drugs, nothing done, 20 h after asking",
			a:    Applicant{ID: "W1", SoughtAt: t0, Pregnant: true, InjectsDrugs: true},
			p:    full, at: t0.Add(20 * h),
			want: []Obligation{
				{Kind: ObligationInterimServices, Subject: "W1", Due: t0.Add(48 * h), Status: StatusOpen, Code: "interim_services_pregnant_injecting",
					Citations: NewCitations(CiteInterimPregnant, CiteInjectingAdmission, CiteInterimDefinition),
					Message:   `interim services for "W1" are due 48 hours after treatment was sought (open)`},
				{Kind: ObligationAdmission, Subject: "W1", Due: t0.Add(14 * d), Status: StatusOpen, Code: "admission_14_days",
					Citations: NewCitations(CiteInjectingAdmission),
					Message:   `"W1" injects drugs and must be admitted within 14 days of seeking treatment (open)`},
				{Kind: ObligationStateReferral, Subject: "W1", Due: t0.Add(48 * h), Status: StatusOpen, Code: "state_referral_no_capacity",
					Citations: NewCitations(CiteStateReferral),
					Message:   `the program has no capacity for "W1", who is pregnant: refer her to the State within 48 hours of her request (open)`},
			},
		},
		{
			name: "man who injects drugs, no program could admit him that day: interim at 47 h, judged at day 20: 120-day admission",
			a:    Applicant{ID: "M", SoughtAt: t0, InjectsDrugs: true, CapacityAtRequest: CapacityNone},
			done: Progress{InterimAt: t0.Add(47 * h)},
			p:    full, at: t0.Add(20 * d),
			want: []Obligation{
				{Kind: ObligationInterimServices, Subject: "M", Due: t0.Add(48 * h), Status: StatusMet, MetAt: t0.Add(47 * h), Code: "interim_services_injecting",
					Citations: interimInj, Message: `interim services for "M" are due 48 hours after treatment was sought (met)`},
				{Kind: ObligationAdmission, Subject: "M", Due: t0.Add(120 * d), Status: StatusOpen, Code: "admission_120_days",
					Citations: NewCitations(CiteInjectingAdmission),
					Message:   `"M" injects drugs, no program could admit her on the day she asked, interim services came within 48 hours, and she must be admitted within 120 days (open)`},
			},
		},
		{
			name: "man who injects drugs: interim at 49 h is late; admitted on day 15 is late too",
			a:    Applicant{ID: "M", SoughtAt: t0, InjectsDrugs: true, CapacityAtRequest: CapacityNone},
			done: Progress{InterimAt: t0.Add(49 * h), AdmittedAt: t0.Add(15 * d)},
			p:    full, at: t0.Add(20 * d),
			want: []Obligation{
				{Kind: ObligationInterimServices, Subject: "M", Due: t0.Add(48 * h), Status: StatusMetLate, MetAt: t0.Add(49 * h), Code: "interim_services_injecting",
					Citations: interimInj, Message: `interim services for "M" are due 48 hours after treatment was sought (met_late)`},
				{Kind: ObligationAdmission, Subject: "M", Due: t0.Add(14 * d), Status: StatusMetLate, MetAt: t0.Add(15 * d), Code: "admission_14_days",
					Citations: NewCitations(CiteInjectingAdmission),
					Message:   `"M" injects drugs and must be admitted within 14 days of seeking treatment (met_late)`},
			},
		},
		{
			name: "admitted within 48 hours: interim services were not needed",
			a:    Applicant{ID: "M", SoughtAt: t0, InjectsDrugs: true},
			done: Progress{AdmittedAt: t0.Add(30 * h)},
			p:    full, at: t0.Add(3 * d),
			want: []Obligation{
				{Kind: ObligationInterimServices, Subject: "M", Due: t0.Add(48 * h), Status: StatusMet, MetAt: t0.Add(30 * h), Code: "interim_services_injecting",
					Citations: interimInj, Message: `interim services for "M" are due 48 hours after treatment was sought (met)`},
				{Kind: ObligationAdmission, Subject: "M", Due: t0.Add(14 * d), Status: StatusMet, MetAt: t0.Add(30 * h), Code: "admission_14_days",
					Citations: NewCitations(CiteInjectingAdmission),
					Message:   `"M" injects drugs and must be admitted within 14 days of seeking treatment (met)`},
			},
		},
		{
			// Issue 12: interim services stayed "overdue" for ever after admission.
			name: "pregnant woman admitted on day 3 with nothing done: interim services and the referral missed",
			a:    Applicant{ID: "W", SoughtAt: t0, Pregnant: true},
			done: Progress{AdmittedAt: t0.Add(3 * d)},
			p:    full, at: t0.Add(4 * d),
			want: []Obligation{
				{Kind: ObligationInterimServices, Subject: "W", Due: t0.Add(48 * h), Status: StatusMissed, Code: "interim_services_pregnant",
					Citations: NewCitations(CiteInterimPregnant, CiteInterimDefinition),
					Message:   `interim services for "W" are due 48 hours after treatment was sought (missed)`},
				{Kind: ObligationStateReferral, Subject: "W", Due: t0.Add(48 * h), Status: StatusMissed, Code: "state_referral_no_capacity",
					Citations: NewCitations(CiteStateReferral),
					Message:   `the program has no capacity for "W", who is pregnant: refer her to the State within 48 hours of her request (missed)`},
			},
		},
		{
			name: "man who injects drugs declines on day 20, after the 14 days: admission missed; interim met",
			a:    Applicant{ID: "M", SoughtAt: t0, InjectsDrugs: true},
			done: Progress{InterimAt: t0.Add(h), LeftAt: t0.Add(20 * d), LeftReason: RemovalDeclined},
			p:    full, at: t0.Add(30 * d),
			want: []Obligation{
				{Kind: ObligationInterimServices, Subject: "M", Due: t0.Add(48 * h), Status: StatusMet, MetAt: t0.Add(h), Code: "interim_services_injecting",
					Citations: interimInj, Message: `interim services for "M" are due 48 hours after treatment was sought (met)`},
				{Kind: ObligationAdmission, Subject: "M", Due: t0.Add(14 * d), Status: StatusMissed, Code: "admission_14_days",
					Citations: NewCitations(CiteInjectingAdmission),
					Message:   `"M" injects drugs and must be admitted within 14 days of seeking treatment (missed)`},
			},
		},
		{
			name: "someone else: nothing owed under the federal floor",
			a:    Applicant{ID: "O", SoughtAt: t0, DependentChildren: true},
			p:    full, at: t0.Add(3 * d),
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eq(t, tt.want, obligations(t, c, tt.a, tt.done, tt.p, tt.at))
		})
	}
}

// Test120DaysNeedsNoCapacity: 96.126(b)(2) gives 120 days "if no such program has the
// capacity to admit the individual on the date of such request and if interim services ...
// are made available ... not later than 48 hours after such request". Both conditions.
func Test120DaysNeedsNoCapacity(t *testing.T) {
	c := MustCompile(Federal())
	d := 24 * time.Hour
	for _, tt := range []struct {
		cap     Capacity
		interim time.Duration
		want    time.Duration
	}{
		{CapacityNone, 47 * time.Hour, 120 * d},
		{CapacityNone, 48 * time.Hour, 120 * d},
		{CapacityNone, 49 * time.Hour, 14 * d},
		{CapacityAvailable, time.Hour, 14 * d}, // the old code gave 120 days here
		{CapacityUnknown, time.Hour, 14 * d},   // unknown owes the person more
	} {
		a := Applicant{ID: "M", SoughtAt: t0, InjectsDrugs: true, CapacityAtRequest: tt.cap}
		eq(t, t0.Add(tt.want), c.AdmissionDue(a, t0.Add(tt.interim)))
	}
}

// TestStateReferralDue: the referral has a due time and falls overdue (issue 12); a State
// may set it sooner, never later than 48 hours.
func TestStateReferralDue(t *testing.T) {
	h := time.Hour
	a := Applicant{ID: "W", SoughtAt: t0, Pregnant: true}
	full := Program{Beds: 1, Occupied: 1}
	fed := MustCompile(Federal())
	obs := obligations(t, fed, a, Progress{InterimAt: t0.Add(h)}, full, t0.Add(49*h))
	eq(t, 2, len(obs))
	eq(t, ObligationStateReferral, obs[1].Kind)
	eq(t, t0.Add(48*h), obs[1].Due)
	eq(t, StatusOverdue, obs[1].Status)
	p := Federal()
	p.StateReferralHours = 24
	c := MustCompile(p)
	eq(t, t0.Add(24*h), c.StateReferralDue(a))
	for _, bad := range []int{-1, 49} {
		p.StateReferralHours = bad
		_, err := Compile(p)
		isErr(t, err, ErrInvalidPolicy)
	}
	// A bed free in her program and a program that could admit her on the day she asked: no
	// referral owed (96.131(c) is for a facility with "insufficient capacity").
	avail := a
	avail.CapacityAtRequest = CapacityAvailable
	obs = obligations(t, fed, avail, Progress{}, Program{Beds: 2, Occupied: 1}, t0.Add(49*h))
	for _, o := range obs {
		if o.Kind == ObligationStateReferral {
			t.Errorf("a referral owed by a program with a free bed: %+v", o)
		}
	}
	// Her capacity at the request unknown: owed whatever the program's beds now (fail closed;
	// the capacity that owes it is the one "who seeks the services", at the request).
	obs = obligations(t, fed, a, Progress{}, Program{Beds: 2, Occupied: 1}, t0.Add(49*h))
	if len(obs) != 2 || obs[1].Kind != ObligationStateReferral || obs[1].Status != StatusOverdue {
		t.Errorf("capacity unknown at the request: the referral should be owed and overdue: %+v", obs)
	}
}

// TestObligationsRefuseImpossibleInput: what cannot be is refused, not judged (issue 12).
func TestObligationsRefuseImpossibleInput(t *testing.T) {
	c := MustCompile(Federal())
	a := Applicant{ID: "M", SoughtAt: t0, InjectsDrugs: true}
	h := time.Hour
	tests := []struct {
		name   string
		a      Applicant
		done   Progress
		p      Program
		target error
		code   string
	}{
		{"admission before the request", a, Progress{AdmittedAt: t0.Add(-24 * h)}, Program{}, ErrInvalidProgress, "admitted_at_before_request"},
		{"interim services before the request", a, Progress{InterimAt: t0.Add(-h)}, Program{}, ErrInvalidProgress, "interim_at_before_request"},
		{"admitted and left", a, Progress{AdmittedAt: t0.Add(h), LeftAt: t0.Add(h), LeftReason: RemovalDeclined}, Program{}, ErrInvalidProgress, "admitted_and_left"},
		{"left without a reason", a, Progress{LeftAt: t0.Add(h)}, Program{}, ErrInvalidProgress, "invalid_left_reason"},
		{"negative beds", a, Progress{}, Program{Beds: -5, Occupied: -10}, ErrInvalidProgram, "negative_beds"},
		{"more people than beds", a, Progress{}, Program{Beds: 5, Occupied: 6}, ErrInvalidProgram, "overfull"},
		{"a program serving people who inject drugs under a policy for programs that do not", a, Progress{}, Program{Beds: 5, ServesInjecting: true}, ErrInvalidProgram, "policy_not_for_injecting_population"},
		{"invalid facts", Applicant{ID: "Jane Doe", SoughtAt: t0}, Progress{}, Program{}, ErrInvalidApplicant, "invalid_id"},
	}
	noInj := MustCompile(Policy{Name: "no-inj", NoInjectingPopulation: true, Tiers: []Tier{{Name: "pregnant", When: map[string]bool{"pregnant": true}}, {Name: "all"}}})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cc := c
			if tt.code == "policy_not_for_injecting_population" {
				cc = noInj
			}
			_, err := cc.Obligations(tt.a, tt.done, tt.p, t0.Add(48*h))
			isErr(t, err, tt.target)
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Codes()[0] != tt.code {
				t.Errorf("got %v, want the code %s", err, tt.code)
			}
		})
	}
	eq(t, false, Program{Beds: -5, Occupied: -10}.HasCapacity())
	eq(t, false, Program{Beds: 5, Occupied: -1}.HasCapacity())
	eq(t, true, Program{Beds: 5, Occupied: 4}.HasCapacity())
}

// TestPregnancyLossKeepsWhatWasOwed: a loss recorded as the end of the episode (the perinatal
// model) keeps the interim obligation she was owed while pregnant, overdue (issue 12).
func TestPregnancyLossKeepsWhatWasOwed(t *testing.T) {
	c := MustCompile(Federal())
	h := time.Hour
	a := Applicant{ID: "W", SoughtAt: t0, Pregnant: true, Pregnancy: perinatal.Pregnancy{DeliveredAt: t0.Add(72 * h), Outcome: perinatal.OutcomePregnancyLoss}}
	obs := obligations(t, c, a, Progress{}, Program{Beds: 1, Occupied: 1}, t0.Add(80*h))
	eq(t, 2, len(obs))
	eq(t, ObligationInterimServices, obs[0].Kind)
	eq(t, StatusOverdue, obs[0].Status)
	eq(t, BaseElements|PregnancyElements, c.InterimElements(a, t0.Add(80*h)))
}

func TestProgramObligations(t *testing.T) {
	c := MustCompile(Federal())
	d := 24 * time.Hour
	notice := func(due time.Time, s ObligationStatus, met time.Time) []Obligation {
		return []Obligation{{Kind: ObligationCapacityNotice, Subject: ProgramSubject, Due: due, Status: s, MetAt: met, Code: "capacity_notice_90_percent",
			Citations: NewCitations(CiteCapacityNotice), Message: "the program reached 90% of its capacity and must notify the State within 7 days (" + s.String() + ")"}}
	}
	tests := []struct {
		name string
		p    Program
		at   time.Time
		want []Obligation
		code string
	}{
		{"89 of 100", Program{Beds: 100, Occupied: 89, ServesInjecting: true}, t0, nil, ""},
		// Issue 12: the old code took the moment judged as the moment reached, so the notice
		// was always due 7 days after whatever moment was asked about.
		{"90 of 100, moment not recorded: refused", Program{Beds: 100, Occupied: 90, ServesInjecting: true}, t0, nil, "missing_reached_90_at"},
		{"reached, notified on day 8", Program{Beds: 10, Occupied: 5, ServesInjecting: true, Reached90At: t0, NotifiedAt: t0.Add(8 * d)}, t0.Add(9 * d),
			notice(t0.Add(7*d), StatusMetLate, t0.Add(8*d)), ""},
		{"a notice before reaching does not count", Program{Beds: 10, Occupied: 10, ServesInjecting: true, Reached90At: t0, NotifiedAt: t0.Add(-d)}, t0.Add(8 * d),
			notice(t0.Add(7*d), StatusOverdue, time.Time{}), ""},
		{"zero beds is not 90%", Program{ServesInjecting: true}, t0, nil, ""},
		{"not serving people who inject drugs", Program{Beds: 1, Occupied: 1}, t0, nil, ""},
		{"overfull", Program{Beds: 1, Occupied: 2, ServesInjecting: true}, t0, nil, "overfull"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.ProgramObligations(tt.p, tt.at)
			if tt.code != "" {
				var ve *ValidationError
				if !errors.As(err, &ve) || !errors.Is(err, ErrInvalidProgram) || ve.Codes()[0] != tt.code {
					t.Fatalf("got %v, want %s", err, tt.code)
				}
				return
			}
			noErr(t, err)
			eq(t, tt.want, got)
		})
	}
	// The due time does not move with the moment judged.
	p := Program{Beds: 10, Occupied: 10, ServesInjecting: true, Reached90At: t0}
	a, _ := c.ProgramObligations(p, t0)
	b, _ := c.ProgramObligations(p, t0.AddDate(0, 0, 30))
	eq(t, a[0].Due, b[0].Due)
}

func TestStatusOf(t *testing.T) {
	due := t0
	h := time.Hour
	tests := []struct {
		due, met, end, at time.Time
		want              ObligationStatus
	}{
		{due, time.Time{}, time.Time{}, due.Add(-time.Minute), StatusOpen},
		{due, time.Time{}, time.Time{}, due, StatusOpen},
		{due, time.Time{}, time.Time{}, due.Add(time.Minute), StatusOverdue},
		{due, due, time.Time{}, due.Add(h), StatusMet},
		{due, due.Add(time.Minute), time.Time{}, due.Add(h), StatusMetLate},
		{due, due.Add(2 * h), time.Time{}, due.Add(h), StatusOverdue}, // met later than judged: not yet
		{due, time.Time{}, due.Add(h), due.Add(2 * h), StatusMissed},
		{due, time.Time{}, due, due.Add(2 * h), StatusClosed}, // left at the due time: nothing late yet
		{due, time.Time{}, due.Add(-h), due.Add(2 * h), StatusClosed},
		{due, time.Time{}, due.Add(3 * h), due.Add(2 * h), StatusOverdue}, // left later than judged: not yet
	}
	for i, tt := range tests {
		if got := statusOf(tt.due, tt.met, tt.end, tt.at); got != tt.want {
			t.Errorf("%d: statusOf = %s, want %s", i, got, tt.want)
		}
	}
}
