package perinatal

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var born = time.Date(2026, 9, 17, 8, 0, 0, 0, time.UTC)

func infant(mod func(*Infant)) Infant {
	inf := Infant{ID: "B1", BornAt: born, GestationalAgeAtBirth: GA(37, 0),
		PrenatalExposures: []Substance{SubstanceOpioids},
		Withdrawal:        FindingAbsent, SubstanceAffected: FindingAbsent, FASD: FindingAbsent}
	if mod != nil {
		mod(&inf)
	}
	return inf
}

// The obligations an affected infant triggers, written out by hand from CAPTA
// 106(b)(2)(B)(ii) (notification) and (iii) (plan of safe care).
var affectedObligations = []Obligation{
	{ObligationCPSNotification, "42 U.S.C. 5106a(b)(2)(B)(ii)", "Health care providers involved in the delivery or care of the infant notify child protective services; the notification is not, by itself, a report of abuse."},
	{ObligationPlanOfSafeCare, "42 U.S.C. 5106a(b)(2)(B)(iii)", "Develop a Plan of Safe Care addressing the health and substance use disorder treatment needs of the infant and the affected family or caregiver, with referrals and monitoring."},
}

func TestDetermineAffected(t *testing.T) {
	const cite = "42 U.S.C. 5106a(b)(2)(B)(ii)"
	rWithdrawal := Reason{"withdrawal_from_prenatal_exposure", cite, "The infant shows withdrawal symptoms and a prenatal exposure is recorded."}
	rAffected := Reason{"identified_substance_affected", cite, "The infant is identified as affected by prenatal substance use."}
	rFASD := Reason{"fetal_alcohol_spectrum_disorder", cite, "The infant is diagnosed with a fetal alcohol spectrum disorder."}
	tests := []struct {
		name string
		inf  Infant
		pol  AffectedPolicy
		want AffectedDetermination
	}{
		{"withdrawal with opioid exposure", infant(func(i *Infant) { i.Withdrawal = FindingPresent }), AffectedPolicy{},
			AffectedDetermination{"B1", AffectedYes, CAPTAEdition, []Reason{rWithdrawal}, affectedObligations}},
		{"exposure but no signs", infant(nil), AffectedPolicy{},
			AffectedDetermination{"B1", AffectedNo, CAPTAEdition, []Reason{{"exposure_without_signs", cite, "A prenatal exposure is recorded but the infant has no withdrawal symptoms, is not identified as affected and has no FASD: exposure alone does not make an infant affected under the federal rule."}}, nil}},
		{"exposure but no signs, State counts exposure alone", infant(nil), AffectedPolicy{ExposureAlone: true},
			AffectedDetermination{"B1", AffectedYes, CAPTAEdition, []Reason{{"exposure_alone_state_policy", cite, "A prenatal exposure is recorded and the State policy treats exposure alone as affected."}}, affectedObligations}},
		{"no exposure, no findings", infant(func(i *Infant) { i.PrenatalExposures = nil }), AffectedPolicy{ExposureAlone: true},
			AffectedDetermination{"B1", AffectedNo, CAPTAEdition, []Reason{{"no_exposure_or_findings", cite, "No prenatal exposure, withdrawal symptoms, substance effect or FASD is recorded."}}, nil}},
		{"FASD alone", infant(func(i *Infant) { i.PrenatalExposures = []Substance{SubstanceAlcohol}; i.FASD = FindingPresent }), AffectedPolicy{},
			AffectedDetermination{"B1", AffectedYes, CAPTAEdition, []Reason{rFASD}, affectedObligations}},
		{"every ground listed", infant(func(i *Infant) {
			i.Withdrawal, i.SubstanceAffected, i.FASD = FindingPresent, FindingPresent, FindingPresent
		}), AffectedPolicy{},
			AffectedDetermination{"B1", AffectedYes, CAPTAEdition, []Reason{rWithdrawal, rAffected, rFASD}, affectedObligations}},
		{"affected although other findings unknown", infant(func(i *Infant) {
			i.SubstanceAffected = FindingPresent
			i.Withdrawal, i.FASD = FindingUnknown, FindingUnknown
		}), AffectedPolicy{},
			AffectedDetermination{"B1", AffectedYes, CAPTAEdition, []Reason{rAffected}, affectedObligations}},
		{"withdrawal unassessed", infant(func(i *Infant) { i.Withdrawal = FindingUnknown }), AffectedPolicy{},
			AffectedDetermination{"B1", AffectedUnknown, CAPTAEdition, []Reason{{"withdrawal_not_assessed", cite, "Whether the infant shows withdrawal symptoms is not recorded."}}, nil}},
		{"nothing assessed: every gap listed", infant(func(i *Infant) { i.Withdrawal, i.SubstanceAffected, i.FASD = 0, 0, 0 }), AffectedPolicy{},
			AffectedDetermination{"B1", AffectedUnknown, CAPTAEdition, []Reason{
				{"withdrawal_not_assessed", cite, "Whether the infant shows withdrawal symptoms is not recorded."},
				{"substance_effect_not_assessed", cite, "Whether the infant is affected by prenatal substance use is not recorded."},
				{"fasd_not_assessed", cite, "Whether the infant has a fetal alcohol spectrum disorder is not recorded."},
			}, nil}},
		{"withdrawal without recorded exposure", infant(func(i *Infant) { i.PrenatalExposures = nil; i.Withdrawal = FindingPresent }), AffectedPolicy{},
			AffectedDetermination{"B1", AffectedUnknown, CAPTAEdition, []Reason{{"withdrawal_without_recorded_exposure", cite, "The infant shows withdrawal symptoms but no prenatal exposure is recorded to attribute them to."}}, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DetermineAffected(tt.inf, tt.pol)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("decision (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDetermineAffectedZeroValueIsUnknown(t *testing.T) {
	var d AffectedDetermination
	if d.Outcome != AffectedUnknown || d.Outcome.IsValid() {
		t.Errorf("zero outcome = %v", d.Outcome)
	}
}

func TestInfantValidate(t *testing.T) {
	bad := Infant{
		GestationalAgeAtBirth: GA(19, 6),
		PrenatalExposures:     []Substance{SubstanceOpioids, 0, SubstanceOpioids, Substance(42)},
		Withdrawal:            Finding(7),
	}
	want := []string{"missing_id", "missing_birth_time", "gestational_age_out_of_range", "unknown_substance", "duplicate_exposure", "unknown_substance", "unknown_finding"}
	_, err := DetermineAffected(bad, AffectedPolicy{})
	var ve *ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v, want *ValidationError", err)
	}
	if diff := cmp.Diff(want, ve.Codes()); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		ga GestationalAge
		ok bool
	}{{GA(19, 6), false}, {GA(20, 0), true}, {GA(47, 6), true}, {GA(48, 0), false}} {
		err := infant(func(i *Infant) { i.GestationalAgeAtBirth = tt.ga }).Validate()
		if (err == nil) != tt.ok {
			t.Errorf("GA %v: err = %v, want ok=%v", tt.ga, err, tt.ok)
		}
	}
}

func TestInfantValidateBirth(t *testing.T) {
	tests := []struct {
		name string
		inf  Infant
		p    Pregnancy
		want []string
	}{
		{"consistent", infant(nil), Pregnancy{LMP: lmp, DeliveredAt: born}, nil},
		{"born 13 days after LMP", infant(func(i *Infant) { i.BornAt = date(2026, 1, 14) }), PregnancyFromLMP(lmp), []string{"birth_before_conception"}},
		{"born before LMP", infant(func(i *Infant) { i.BornAt = date(2025, 12, 1) }), PregnancyFromLMP(lmp), []string{"birth_before_conception"}},
		{"born 14 days after LMP", infant(func(i *Infant) { i.BornAt = date(2026, 1, 15) }), PregnancyFromLMP(lmp), nil},
		{"time differs from delivery", infant(nil), Pregnancy{LMP: lmp, DeliveredAt: born.Add(time.Hour)}, []string{"birth_time_mismatch"}},
		{"infant and pregnancy both invalid", Infant{GestationalAgeAtBirth: GA(30, 0)}, Pregnancy{LMP: lmp, EDD: lmp}, []string{"missing_id", "missing_birth_time", "edd_not_after_lmp"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.inf.ValidateBirth(tt.p)
			var got []string
			var ve *ValidationError
			if errors.As(err, &ve) {
				got = ve.Codes()
			} else if err != nil {
				t.Fatalf("unexpected error type %T", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInfantHelpers(t *testing.T) {
	inf := infant(func(i *Infant) { i.PrenatalExposures = []Substance{SubstanceAlcohol, SubstanceCannabis} })
	if !inf.Exposed() || !inf.ExposedTo(SubstanceCannabis) || inf.ExposedTo(SubstanceOpioids) {
		t.Error("exposure helpers wrong")
	}
	// Born 2026-09-17 at 37w0d (259 days): LMP 2026-01-01, conception 2026-01-15.
	if got := infant(nil).ConceivedAround(); !got.Equal(date(2026, 1, 15)) {
		t.Errorf("ConceivedAround = %v", got)
	}
}
