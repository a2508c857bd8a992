package priority

import (
	"testing"
	"time"
)

func TestObligationsWholeDecisions(t *testing.T) {
	c := MustCompile(Federal())
	full := Program{Beds: 10, Occupied: 10, ServesInjecting: true}
	h := time.Hour
	d := 24 * time.Hour
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
				{Kind: ObligationInterimServices, Subject: "W1", Due: t0.Add(48 * h), State: StateOpen, Code: "interim_services_pregnant_injecting",
					Citations: []string{CiteInterimPregnant, CiteInjectingAdmission, CiteInterimDefinition},
					Message:   "interim services for W1 are due 48 hours after treatment was sought (open)"},
				{Kind: ObligationAdmission, Subject: "W1", Due: t0.Add(14 * d), State: StateOpen, Code: "admission_14_days",
					Citations: []string{CiteInjectingAdmission},
					Message:   "W1 injects drugs and must be admitted within 14 days of seeking treatment (open)"},
				{Kind: ObligationStateReferral, Subject: "W1", State: StateOpen, Code: "state_referral_no_capacity",
					Citations: []string{CiteStateReferral},
					Message:   "the program has no capacity for W1, who is pregnant: refer her to the State (open)"},
			},
		},
		{
			name: "man who injects drugs: interim at 47 h, judged at day 20: 120-day admission",
			a:    Applicant{ID: "M", SoughtAt: t0, InjectsDrugs: true},
			done: Progress{InterimAt: t0.Add(47 * h)},
			p:    full, at: t0.Add(20 * d),
			want: []Obligation{
				{Kind: ObligationInterimServices, Subject: "M", Due: t0.Add(48 * h), State: StateMet, MetAt: t0.Add(47 * h), Code: "interim_services_injecting",
					Citations: []string{CiteInjectingAdmission, CiteInterimDefinition},
					Message:   "interim services for M are due 48 hours after treatment was sought (met)"},
				{Kind: ObligationAdmission, Subject: "M", Due: t0.Add(120 * d), State: StateOpen, Code: "admission_120_days",
					Citations: []string{CiteInjectingAdmission},
					Message:   "M injects drugs, was offered interim services within 48 hours and must be admitted within 120 days (open)"},
			},
		},
		{
			name: "man who injects drugs: interim at 49 h is late; admitted on day 15 is late too",
			a:    Applicant{ID: "M", SoughtAt: t0, InjectsDrugs: true},
			done: Progress{InterimAt: t0.Add(49 * h), AdmittedAt: t0.Add(15 * d)},
			p:    full, at: t0.Add(20 * d),
			want: []Obligation{
				{Kind: ObligationInterimServices, Subject: "M", Due: t0.Add(48 * h), State: StateMetLate, MetAt: t0.Add(49 * h), Code: "interim_services_injecting",
					Citations: []string{CiteInjectingAdmission, CiteInterimDefinition},
					Message:   "interim services for M are due 48 hours after treatment was sought (met_late)"},
				{Kind: ObligationAdmission, Subject: "M", Due: t0.Add(14 * d), State: StateMetLate, MetAt: t0.Add(15 * d), Code: "admission_14_days",
					Citations: []string{CiteInjectingAdmission},
					Message:   "M injects drugs and must be admitted within 14 days of seeking treatment (met_late)"},
			},
		},
		{
			name: "admitted within 48 hours: interim services were not needed",
			a:    Applicant{ID: "M", SoughtAt: t0, InjectsDrugs: true},
			done: Progress{AdmittedAt: t0.Add(30 * h)},
			p:    full, at: t0.Add(3 * d),
			want: []Obligation{
				{Kind: ObligationInterimServices, Subject: "M", Due: t0.Add(48 * h), State: StateMet, MetAt: t0.Add(30 * h), Code: "interim_services_injecting",
					Citations: []string{CiteInjectingAdmission, CiteInterimDefinition},
					Message:   "interim services for M are due 48 hours after treatment was sought (met)"},
				{Kind: ObligationAdmission, Subject: "M", Due: t0.Add(14 * d), State: StateMet, MetAt: t0.Add(30 * h), Code: "admission_14_days",
					Citations: []string{CiteInjectingAdmission},
					Message:   "M injects drugs and must be admitted within 14 days of seeking treatment (met)"},
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
			eq(t, tt.want, c.Obligations(tt.a, tt.done, tt.p, tt.at))
		})
	}
}

func TestProgramObligations(t *testing.T) {
	c := MustCompile(Federal())
	d := 24 * time.Hour
	tests := []struct {
		name string
		p    Program
		at   time.Time
		want []Obligation
	}{
		{"89 of 100", Program{Beds: 100, Occupied: 89, ServesInjecting: true}, t0, nil},
		{"90 of 100, moment not recorded", Program{Beds: 100, Occupied: 90, ServesInjecting: true}, t0, []Obligation{
			{Kind: ObligationCapacityNotice, Subject: ProgramSubject, Due: t0.Add(7 * d), State: StateOpen, Code: "capacity_notice_90_percent",
				Citations: []string{CiteCapacityNotice}, Message: "the program reached 90% of its capacity and must notify the State within 7 days (open)"}}},
		{"reached, notified on day 8", Program{Beds: 10, Occupied: 5, ServesInjecting: true, Reached90At: t0, NotifiedAt: t0.Add(8 * d)}, t0.Add(9 * d), []Obligation{
			{Kind: ObligationCapacityNotice, Subject: ProgramSubject, Due: t0.Add(7 * d), State: StateMetLate, MetAt: t0.Add(8 * d), Code: "capacity_notice_90_percent",
				Citations: []string{CiteCapacityNotice}, Message: "the program reached 90% of its capacity and must notify the State within 7 days (met_late)"}}},
		{"a notice before reaching does not count", Program{Beds: 10, Occupied: 10, ServesInjecting: true, Reached90At: t0, NotifiedAt: t0.Add(-d)}, t0.Add(8 * d), []Obligation{
			{Kind: ObligationCapacityNotice, Subject: ProgramSubject, Due: t0.Add(7 * d), State: StateOverdue, Code: "capacity_notice_90_percent",
				Citations: []string{CiteCapacityNotice}, Message: "the program reached 90% of its capacity and must notify the State within 7 days (overdue)"}}},
		{"zero beds is not 90%", Program{ServesInjecting: true}, t0, nil},
		{"not serving people who inject drugs", Program{Beds: 1, Occupied: 1}, t0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { eq(t, tt.want, c.ProgramObligations(tt.p, tt.at)) })
	}
}

func TestStateOf(t *testing.T) {
	due := t0
	tests := []struct {
		due, met, at time.Time
		want         ObligationState
	}{
		{due, time.Time{}, due.Add(-time.Minute), StateOpen},
		{due, time.Time{}, due, StateOpen},
		{due, time.Time{}, due.Add(time.Minute), StateOverdue},
		{due, due, due.Add(time.Hour), StateMet},
		{due, due.Add(time.Minute), due.Add(time.Hour), StateMetLate},
		{due, due.Add(2 * time.Hour), due.Add(time.Hour), StateOverdue}, // met later than judged: not yet
		{time.Time{}, time.Time{}, due, StateOpen},
		{time.Time{}, due, due, StateMet},
	}
	for i, tt := range tests {
		if got := stateOf(tt.due, tt.met, tt.at); got != tt.want {
			t.Errorf("%d: stateOf = %s, want %s", i, got, tt.want)
		}
	}
}
