package perinatal

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeInfantListsEveryProblem(t *testing.T) {
	in := `{"id":"","born_at":"2026-09-17T08:00:00Z","gestational_age_at_birth":"37w9d",
		"prenatal_exposures":["opioids","heroin and a long free-text note about the mother","opioids"],
		"withdrawal":"yes","substance_affected":"absent","fasd":"maybe"}`
	inf, err := DecodeInfant([]byte(in))
	var ve *ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v", err)
	}
	// By hand: four unknown codes (GA, exposure 1, withdrawal, fasd) in field order, then
	// Validate's missing_id and duplicate_exposure; GA and exposure 1 are not repeated.
	want := []string{
		"unknown_code@gestational_age_at_birth",
		"unknown_code@prenatal_exposures[1]",
		"unknown_code@withdrawal",
		"unknown_code@fasd",
		"missing_id@id",
		"duplicate_exposure@prenatal_exposures[2]",
	}
	var got []string
	for _, p := range ve.Problems {
		got = append(got, p.Code+"@"+p.Field)
		if strings.Contains(p.Message, "heroin") || strings.Contains(p.Message, "37w9d") || strings.Contains(p.Message, "maybe") {
			t.Errorf("message quotes the input: %q", p.Message)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if strings.Contains(err.Error(), "heroin") {
		t.Errorf("Error() quotes input: %v", err)
	}
	if len(inf.PrenatalExposures) != 3 || inf.PrenatalExposures[1] != SubstanceUnknown {
		t.Errorf("exposures = %v", inf.PrenatalExposures)
	}
}

func TestDecodeInfantValid(t *testing.T) {
	in := `{"id":"B1","born_at":"2026-09-17T08:00:00Z","gestational_age_at_birth":"37w0d","prenatal_exposures":["opioids"],"withdrawal":"present","substance_affected":"absent","fasd":"absent"}`
	inf, err := DecodeInfant([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(infant(func(i *Infant) { i.Withdrawal = FindingPresent }), inf); diff != "" {
		t.Error(diff)
	}
}

func TestDecodePlanListsEveryProblem(t *testing.T) {
	in := `{"infant_id":"B1","created_at":"2026-09-18T09:00:00Z",
		"needs":[{"for":"baby","domain":"health","services":["peds"]},{"for":"caregiver","domain":"sud","services":["otp"]}],
		"services":[{"id":"peds","for":"infant","domain":"health","party":"c"},{"id":"otp","for":"caregiver","domain":"substance_use_treatment","party":"c"}],
		"parties":[{"id":"c","role":"boss"}],
		"monitoring":{"party":"c","interval_days":30}}`
	_, err := DecodePlanOfSafeCare([]byte(in))
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v", err)
	}
	// By hand: three unknown codes; then Validate: need 0 (recipient unknown) refers to an
	// infant service -> mismatch; no infant health need (need 0 is not for the infant);
	// caregiver health missing; caregiver SUD missing (need 1's domain unknown);
	// no coordinator. Validate's unknown_recipient/unknown_domain/unknown_role on the same
	// fields are not repeated.
	want := []string{
		"unknown_code", "unknown_code", "unknown_code",
		"service_does_not_match_need",
		"no_infant_health_need", "no_caregiver_health_need", "no_caregiver_sud_treatment_need",
		"no_coordinator",
	}
	if diff := cmp.Diff(want, ve.Codes()); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if p, err := DecodePlanOfSafeCare(mustJSON(t, validPlan())); err != nil || !cmp.Equal(p, validPlan()) {
		t.Errorf("valid plan round trip: %v\n%s", err, cmp.Diff(validPlan(), p))
	}
}

func TestDecodeSleepChecklist(t *testing.T) {
	c, err := DecodeSleepChecklist([]byte(`{"back_to_sleep":"met","no_bed_sharing":"unmet"}`))
	if err != nil || c.BackToSleep != AnswerMet || c.NoBedSharing != AnswerUnmet || c.SmokeFree != AnswerUnknown {
		t.Fatalf("got %+v, %v", c, err)
	}
	_, err = DecodeSleepChecklist([]byte(`{"back_to_sleep":"yes","smoke_free":"no","tummy_time":"met"}`))
	var ve *ValidationError
	if !errors.As(err, &ve) || cmp.Diff([]string{"unknown_code", "unknown_code"}, ve.Codes()) != "" {
		t.Fatalf("err = %v", err)
	}
	if ve.Problems[0].Field != "back_to_sleep" || ve.Problems[1].Field != "smoke_free" {
		t.Errorf("fields = %+v", ve.Problems)
	}
	_, err = DecodeSleepChecklist([]byte(`{"crib_color":"met"}`))
	if !errors.As(err, &ve) || ve.Problems[0].Code != ProblemUnknownField || ve.Problems[0].Field != "?" {
		t.Errorf("unknown item: %v", err)
	}
}

// TestDecodeMalformed: each reading problem has its own code and path (it was one
// malformed_json for all), and none quotes the input.
func TestDecodeMalformed(t *testing.T) {
	for in, want := range map[string]string{
		`not json`:                         ProblemSyntax + "@",
		`{"id":"B1"} {}`:                   ProblemTrailingData + "@",
		`{"id":"B1","name":"Jane Doe"}`:    ProblemUnknownField + "@?",
		`{"id":"B1","Jane Doe":"x"}`:       ProblemUnknownField + "@?",
		`{"id":5}`:                         ProblemWrongType + "@id",
		`[]`:                               ProblemWrongType + "@",
		``:                                 ProblemEmpty + "@",
		`{"id":"B1","born_at":"Jane"}`:     ProblemInvalidValue + "@born_at",
		`{"prenatal_exposures":[[[[1]]]]}`: ProblemWrongType + "@prenatal_exposures[0]",
	} {
		inf, err := DecodeInfant([]byte(in))
		var ve *ValidationError
		if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Code+"@"+ve.Problems[0].Field != want {
			t.Errorf("%s: err = %v, want %s", in, err, want)
			continue
		}
		if !cmp.Equal(inf, Infant{}) {
			t.Errorf("%s: an unreadable document gave %+v, want the zero value", in, inf)
		}
		if strings.Contains(err.Error(), "Jane") || strings.Contains(ve.Problems[0].Message, "Jane") {
			t.Errorf("error leaks free text: %v", err)
		}
	}
}
