package perinatal

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var planCreated = time.Date(2026, 9, 18, 9, 0, 0, 0, time.UTC)

// validPlan is a complete plan: every CAPTA need of infant and caregiver, met by services
// whose parties are listed, one coordinator, and monitoring.
func validPlan() PlanOfSafeCare {
	return PlanOfSafeCare{
		InfantID:  "B1",
		CreatedAt: planCreated,
		Needs: []Need{
			{For: RecipientInfant, Domain: NeedHealth, Services: []string{"peds"}},
			{For: RecipientInfant, Domain: NeedDevelopmental, Services: []string{"ei"}},
			{For: RecipientCaregiver, Domain: NeedHealth, Services: []string{"pp"}},
			{For: RecipientCaregiver, Domain: NeedSubstanceUseTreatment, Services: []string{"otp"}},
		},
		Services: []Service{
			{ID: "peds", For: RecipientInfant, Domain: NeedHealth, Party: "clinic"},
			{ID: "ei", For: RecipientInfant, Domain: NeedDevelopmental, Party: "ei-1", Referral: true, ReferredAt: planCreated.Add(24 * time.Hour)},
			{ID: "pp", For: RecipientCaregiver, Domain: NeedHealth, Party: "clinic"},
			{ID: "otp", For: RecipientCaregiver, Domain: NeedSubstanceUseTreatment, Party: "otp-1"},
		},
		Parties: []Party{
			{ID: "clinic", Role: RoleHealthCareProvider},
			{ID: "ei-1", Role: RoleEarlyIntervention},
			{ID: "otp-1", Role: RoleSUDTreatment},
			{ID: "coord", Role: RoleCoordinator},
		},
		Monitoring: Monitoring{Party: "coord", IntervalDays: 30, NextReview: planCreated.AddDate(0, 1, 0)},
	}
}

func TestPlanValidate(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*PlanOfSafeCare)
		want []Problem // field and code checked; cite checked against the rule by hand
	}{
		{"valid", nil, nil},
		{"empty plan lists every missing part", func(p *PlanOfSafeCare) { *p = PlanOfSafeCare{} }, []Problem{
			{Code: "missing_infant_id", Field: "infant_id", Cite: CiteCAPTAPlan},
			{Code: "missing_created_at", Field: "created_at", Cite: CiteCAPTAPlan},
			{Code: "no_infant_health_need", Field: "needs", Cite: "42 U.S.C. 5106a(b)(2)(B)(iii)(I)"},
			{Code: "no_caregiver_health_need", Field: "needs", Cite: "42 U.S.C. 5106a(b)(2)(B)(iii)(I)"},
			{Code: "no_caregiver_sud_treatment_need", Field: "needs", Cite: "42 U.S.C. 5106a(b)(2)(B)(iii)(I)"},
			{Code: "no_services", Field: "services", Cite: "42 U.S.C. 5106a(b)(2)(B)(iii)(II)"},
			{Code: "no_parties", Field: "parties", Cite: CiteCAPTAPlan},
			{Code: "no_coordinator", Field: "parties", Cite: CitePlanCoordinator},
			{Code: "no_monitoring_party", Field: "monitoring.party", Cite: "42 U.S.C. 5106a(b)(2)(B)(iii)(II)"},
			{Code: "no_monitoring_interval", Field: "monitoring.interval_days", Cite: "42 U.S.C. 5106a(b)(2)(B)(iii)(II)"},
		}},
		{"caregiver SUD need dropped", func(p *PlanOfSafeCare) { p.Needs = p.Needs[:3] }, []Problem{
			{Code: "no_caregiver_sud_treatment_need", Field: "needs", Cite: CiteCAPTAPlanNeeds},
		}},
		{"inconsistent references", func(p *PlanOfSafeCare) {
			p.Needs[0].Services = []string{"pp", "nope"} // caregiver's service, and a missing one
			p.Needs[1].Services = nil
			p.Services[1].Party = "ghost"
			p.Services[2].Party = ""
			p.Services[3].ID = "peds"
			p.Monitoring.Party = "ghost"
		}, []Problem{
			{Code: "service_does_not_match_need", Field: "needs[0].services[0]", Cite: CiteCAPTAPlanNeeds},
			{Code: "unknown_service", Field: "needs[0].services[1]", Cite: CiteCAPTAPlanNeeds},
			{Code: "need_without_service", Field: "needs[1].services", Cite: CiteCAPTAPlanNeeds},
			{Code: "unknown_service", Field: "needs[3].services[0]", Cite: CiteCAPTAPlanNeeds},
			{Code: "unknown_party", Field: "services[1].party", Cite: CiteCAPTAPlanMonitoring},
			{Code: "service_without_party", Field: "services[2].party", Cite: CiteCAPTAPlanMonitoring},
			{Code: "duplicate_service", Field: "services[3].id", Cite: CiteCAPTAPlan},
			{Code: "unknown_party", Field: "monitoring.party", Cite: CiteCAPTAPlanMonitoring},
		}},
		{"unknown codes and dates", func(p *PlanOfSafeCare) {
			p.Needs = append(p.Needs, Need{For: Recipient(9), Domain: 0, Services: []string{"otp"}})
			p.Services[0].ReferredAt = planCreated // not a referral
			p.Services[1].ReferredAt = planCreated.Add(-48 * time.Hour)
			p.Services[1].ID = ""
			p.Parties = append(p.Parties, Party{ID: "coord", Role: RoleCoordinator}, Party{Role: PartyRole(99)})
			p.Monitoring.IntervalDays = 0
			p.Monitoring.NextReview = planCreated.Add(-time.Second)
		}, []Problem{
			{Code: "unknown_service", Field: "needs[1].services[0]", Cite: CiteCAPTAPlanNeeds},
			{Code: "unknown_recipient", Field: "needs[4].for", Cite: CiteCAPTAPlanNeeds},
			{Code: "unknown_domain", Field: "needs[4].domain", Cite: CiteCAPTAPlanNeeds},
			{Code: "service_does_not_match_need", Field: "needs[4].services[0]", Cite: CiteCAPTAPlanNeeds},
			{Code: "referral_date_without_referral", Field: "services[0].referred_at", Cite: CiteCAPTAPlanMonitoring},
			{Code: "missing_service_id", Field: "services[1].id", Cite: CiteCAPTAPlan},
			{Code: "referral_dated_before_plan", Field: "services[1].referred_at", Cite: CiteCAPTAPlanMonitoring},
			{Code: "duplicate_party", Field: "parties[4].id", Cite: CiteCAPTAPlan},
			{Code: "missing_party_id", Field: "parties[5].id", Cite: CiteCAPTAPlan},
			{Code: "unknown_role", Field: "parties[5].role", Cite: CiteCAPTAPlan},
			{Code: "multiple_coordinators", Field: "parties", Cite: CitePlanCoordinator},
			{Code: "no_monitoring_interval", Field: "monitoring.interval_days", Cite: CiteCAPTAPlanMonitoring},
			{Code: "next_review_before_plan", Field: "monitoring.next_review", Cite: CiteCAPTAPlanMonitoring},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validPlan()
			if tt.mod != nil {
				tt.mod(&p)
			}
			err := p.Validate()
			var got []Problem
			if err != nil {
				var ve *ValidationError
				if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
					t.Fatalf("err = %v, want *ValidationError", err)
				}
				for _, q := range ve.Problems {
					if q.Message == "" {
						t.Errorf("%s has no message", q.Code)
					}
					q.Message = ""
					got = append(got, q)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}
