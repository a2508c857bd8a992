package fhir

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/google/go-cmp/cmp"
)

var at = time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC)

func vendorEngine(t *testing.T, more ...[]byte) *Engine {
	t.Helper()
	data, err := os.ReadFile("testdata/resources/tpo-vendor.json")
	if err != nil {
		t.Fatal(err)
	}
	o := Options{DefaultStatements: consent.Statements{Revocation: true, Redisclosure: true, RefusalConsequences: true}}
	e, err := o.Compile(append([][]byte{data}, more...), nil)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestRequests(t *testing.T) {
	q := Query{Discloser: lid("prog-1"), RecipientKind: consent.RecipientKindCoveredEntity, At: at, PatientSystem: "urn:mrn"}
	ctx := ConsultContext{
		PatientID:    []Identifier{{System: "urn:other", Value: "x9"}, {System: "urn:mrn", Value: "p1"}},
		Actor:        []Identifier{{Value: "ob-clinic"}, {Value: "peds-1"}},
		PurposeOfUse: Purposes{"HMARKT"},
		Class:        []Coding{{System: SystemActCode, Code: "SUD"}, {System: "urn:x", Code: "y"}},
	}
	got, err := q.Requests(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// HMARKT has no Part 2 purpose and urn:x#y no information kind: both stay unknown,
	// which the engine denies.
	info := []consent.InfoKind{consent.InfoKindSUDRecords, consent.InfoKindUnknown}
	// PatientSystem urn:mrn chooses the patient's identifier of that system, system kept.
	mrn := consent.Identifier{System: "urn:mrn", Value: "p1"}
	want := []consent.Request{
		{Patient: mrn, Discloser: lid("prog-1"), Recipient: consent.Party{ID: lid("ob-clinic"), Kind: consent.RecipientKindCoveredEntity}, Purpose: consent.PurposeUnknown, Information: info, At: at},
		{Patient: mrn, Discloser: lid("prog-1"), Recipient: consent.Party{ID: lid("peds-1"), Kind: consent.RecipientKindCoveredEntity}, Purpose: consent.PurposeUnknown, Information: info, At: at},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Requests (-want +got):\n%s", d)
	}

	_, err = q.Requests(ConsultContext{PatientID: []Identifier{{System: "urn:other", Value: "x9"}}, PurposeOfUse: Purposes{"TREAT"}})
	wantP := []Problem{
		{Code: CodeReference, Path: "context.patientId"},
		{Code: CodeReference, Path: "context.actor"},
		{Code: CodeUnmappable, Path: "context.class"},
	}
	if d := cmp.Diff(wantP, problemsOf(t, err)); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
}

func TestConsult(t *testing.T) {
	e := vendorEngine(t)
	q := Query{Discloser: lid("prog-1"), RecipientKind: consent.RecipientKindCoveredEntity, At: at, Information: []consent.InfoKind{consent.InfoKindSUDRecords}}
	ctx := func(patient, purpose string) ConsultContext {
		return ConsultContext{PatientID: []Identifier{{Value: patient}}, Actor: []Identifier{{Value: "ob-clinic"}}, PurposeOfUse: Purposes{purpose}}
	}
	tests := []struct {
		name   string
		ctx    ConsultContext
		answer Answer
		labels int
	}{
		// The TPO consent designates treating providers; the clinic is a covered entity
		// receiving for treatment (2.31(a)(4)(i)).
		{"treatment", ctx("p1", "TREAT"), AnswerPermit, 5},
		// COC (coordination of care) is read as treatment.
		{"coordination of care", ctx("p1", "COC"), AnswerPermit, 5},
		// Research is not among the consent's purposes.
		{"research", ctx("p1", "HRESCH"), AnswerDeny, 0},
		// p2 has no consent on file.
		{"no consent", ctx("p2", "TREAT"), AnswerNoConsent, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := e.Consult(q, tt.ctx)
			if err != nil {
				t.Fatal(err)
			}
			if res.Answer != tt.answer || len(res.Labels) != tt.labels || len(res.Decisions) != 1 {
				t.Errorf("answer %s with %d labels and %d decisions, want %s with %d labels (%v)", res.Answer, len(res.Labels), len(res.Decisions), tt.answer, tt.labels, res.Decisions)
			}
		})
	}
}

func TestCompileBadResources(t *testing.T) {
	noID, _ := Encode(consent.Consent{Patient: lid("p2"), Kind: consent.KindGeneral})
	dup, _ := os.ReadFile("testdata/resources/tpo-vendor.json")
	data, _ := os.ReadFile("testdata/resources/tpo-vendor.json")
	e, err := Compile([][]byte{data, dup, noID, []byte("{")}, nil)
	var ce *CompileError
	if !errors.As(err, &ce) || !errors.Is(err, ErrUnmappable) {
		t.Fatalf("error %v is not a *CompileError", err)
	}
	var idx []int
	for _, r := range ce.Resources {
		idx = append(idx, r.Index)
	}
	// Both copies of tpo-1 are dropped (resource 1 is reported, and resource 0 loses its
	// place), the resource without id and the broken one are reported.
	if d := cmp.Diff([]int{1, 2, 3}, idx); d != "" {
		t.Errorf("resources (-want +got):\n%s", d)
	}
	if n := len(e.Consents().Consents(lid("p1"))); n != 0 {
		t.Errorf("%d consents kept for p1, want 0", n)
	}
	// The broken resource's patient is unknown: every patient is in doubt.
	if !e.Doubtful(lid("p1")) || !e.Doubtful(lid("anyone")) {
		t.Errorf("doubt not recorded")
	}
}

func TestEngineDoubtOnlyForItsPatient(t *testing.T) {
	other := sampleConsent()
	other.ID, other.Patient = "c9", lid("p9")
	bad, _ := Encode(other)
	e := vendorEngine(t)
	eBad, err := Options{DefaultStatements: consent.Statements{Revocation: true, Redisclosure: true, RefusalConsequences: true}}.Compile(
		[][]byte{mustRead(t, "testdata/resources/tpo-vendor.json"), []byte(string(bad[:len(bad)-1]) + `,"implicitRules":"x"}`)}, nil)
	if err == nil {
		t.Fatal("no error for the implicit rules")
	}
	r := consent.Request{Patient: lid("p1"), Discloser: lid("prog-1"), Recipient: consent.Party{ID: lid("ob-clinic"), Kind: consent.RecipientKindCoveredEntity},
		Purpose: consent.PurposeTreatment, Information: []consent.InfoKind{consent.InfoKindSUDRecords}, At: at}
	if d := cmp.Diff(e.Decide(r), eBad.Decide(r)); d != "" {
		t.Errorf("p9's unmappable consent changed p1's decision (-want +got):\n%s", d)
	}
	r.Patient = lid("p9")
	if got := eBad.Decide(r); got.Permit {
		t.Errorf("p9 permitted: %s", got)
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestDenyOnDoubtDecision(t *testing.T) {
	c := sampleConsent()
	c.ID = "c2"
	bad, err := Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	bad = []byte(string(bad[:len(bad)-1]) + `,"implicitRules":"urn:rules"}`)
	o := Options{DefaultStatements: consent.Statements{Revocation: true, Redisclosure: true, RefusalConsequences: true}}
	e, err := o.Compile([][]byte{mustRead(t, "testdata/resources/tpo-vendor.json"), bad}, nil)
	if err == nil {
		t.Fatal("no error for the unmappable resource")
	}
	r := consent.Request{Patient: lid("p1"), Discloser: lid("prog-1"), Recipient: consent.Party{ID: lid("ob-clinic"), Kind: consent.RecipientKindCoveredEntity},
		Purpose: consent.PurposeTreatment, Information: []consent.InfoKind{consent.InfoKindSUDRecords}, At: at}
	if !e.Consents().Decide(r).Permit {
		t.Fatal("the mapped TPO consent alone should permit")
	}
	want := consent.DecisionRecord{
		Reasons: []consent.Reason{{
			Code:    CodeUnmappableConsent,
			Cite:    "42 CFR 2.31(c)",
			Message: "A FHIR consent on file for the patient could not be mapped and might restrict this disclosure; it is denied on doubt.",
		}},
		Citations: []string{"42 CFR 2.31(c)"},
		Edition:   consent.RuleEdition,
	}
	if d := cmp.Diff(want, e.Decide(r).Record()); d != "" {
		t.Errorf("Decide (-want +got):\n%s", d)
	}
}
