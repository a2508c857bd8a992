package fhir

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/google/go-cmp/cmp"
)

// TestDecodeVendorResource checks every element of a vendor-style resource against the
// mapping of doc.go, by hand.
func TestDecodeVendorResource(t *testing.T) {
	data, err := os.ReadFile("testdata/resources/tpo-vendor.json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	want := consent.Consent{
		ID:      "tpo-1",
		Patient: lid("p1"), // patient.reference "Patient/p1"
		// No kind extension; purposes are exactly TREAT, HPAYMT, HOPERAT: a TPO consent.
		Kind:       consent.KindTPO,
		Disclosers: lids("prog-1"), // organization "Organization/prog-1"
		Recipients: []consent.Recipient{{Designation: consent.DesignationTreatingProviders}},
		Purposes:   []consent.Purpose{consent.PurposeTreatment, consent.PurposePayment, consent.PurposeOperations},
		// securityLabel ETH reads as SUD records.
		Information:            []consent.InfoKind{consent.InfoKindSUDRecords},
		InformationDescription: "diagnosis, medications and treatment plan for opioid use disorder",
		// period.end "2026-12-31" is a date without a time zone, and FHIR includes that day:
		// the consent stops counting as soon as the day has ended somewhere, at its end at
		// UTC+14 (2027-01-01T00:00+14:00), which is 2026-12-31T10:00Z. (period.start
		// "2026-01-10" begins everywhere by 2026-01-10T12:00Z, before the signing at 19:00Z:
		// accepted.)
		Expires: consent.Expiry{At: time.Date(2026, 12, 31, 10, 0, 0, 0, time.UTC)},
		// dateTime 2026-01-10T14:00:00-05:00 is 19:00 UTC.
		SignedAt: time.Date(2026, 1, 10, 19, 0, 0, 0, time.UTC),
		Signer:   consent.SignerPatient, // performer "Patient/p1"
		// No statements extension and zero Options: none of the statements.
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Decode (-want +got):\n%s", d)
	}
}

func problemsOf(t *testing.T, err error) []Problem {
	t.Helper()
	var me *MappingError
	if !errors.As(err, &me) {
		t.Fatalf("error %v is not a *MappingError", err)
	}
	if !errors.Is(err, ErrUnmappable) {
		t.Errorf("error does not match ErrUnmappable")
	}
	for i := range me.Problems {
		if me.Problems[i].Message == "" {
			t.Errorf("problem %d has no message", i)
		}
		me.Problems[i].Message = ""
	}
	return me.Problems
}

func TestParseProblems(t *testing.T) {
	deep := `{"resourceType":"Consent","text":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`
	deepProv := `{"resourceType":"Consent","provision":` + strings.Repeat(`{"provision":[`, 9) + `{}` + strings.Repeat(`]}`, 9) + `}`
	tests := []struct {
		name     string
		in       string
		want     []Problem
		sentinel error
	}{
		{"empty", ``, []Problem{{Code: CodeSyntax, Path: "Consent"}}, ErrInvalidJSON},
		{"truncated", `{"resourceType": "Consent",`, []Problem{{Code: CodeSyntax, Path: "Consent"}}, ErrInvalidJSON},
		{"trailing data", `{"resourceType": "Consent"} {}`, []Problem{{Code: CodeSyntax, Path: "Consent"}}, ErrInvalidJSON},
		{"array at the root", `[]`, []Problem{{Code: CodeWrongType, Path: "Consent"}}, ErrUnmappable},
		{"bad escape", `{"id": "a\q"}`, []Problem{{Code: CodeSyntax, Path: "Consent.id"}}, ErrInvalidJSON},
		{"control character", "{\"id\": \"a\x01\"}", []Problem{{Code: CodeSyntax, Path: "Consent.id"}}, ErrInvalidJSON},
		{"invalid UTF-8", "{\"id\": \"a\xffb\"}", []Problem{{Code: CodeSyntax, Path: "Consent.id"}}, ErrInvalidJSON},
		{"invalid UTF-8 after an escape", "{\"id\": \"\\n\xff\"}", []Problem{{Code: CodeSyntax, Path: "Consent.id"}}, ErrInvalidJSON},
		{"null value", `{"status": null}`, []Problem{{Code: CodeWrongType, Path: "Consent.status"}}, ErrUnmappable},
		{"empty string", `{"status": ""}`, []Problem{{Code: CodeEmptyValue, Path: "Consent.status"}}, ErrUnmappable},
		{"duplicate member", `{"status": "active", "status": "inactive"}`, []Problem{{Code: CodeDuplicate, Path: "Consent.status"}}, ErrUnmappable},
		{"unknown member not echoed", `{"a b": 1}`, []Problem{{Code: CodeUnknownElement, Path: "Consent.?"}}, ErrUnmappable},
		{"nested paths", `{"provision": {"purpose": [{"code": "TREAT"}, {"code": 7}], "actor": [{"role": {"coding": [{"sistem": "x"}]}}]}}`,
			[]Problem{
				{Code: CodeWrongType, Path: "Consent.provision.purpose[1].code"},
				{Code: CodeUnknownElement, Path: "Consent.provision.actor[0].role.coding[0].sistem"},
			}, ErrUnmappable},
		{"too deep", deep, []Problem{{Code: CodeTooDeep, Path: "Consent.text" + strings.Repeat("[0]", 63)}}, ErrInvalidJSON},
		{"provisions too deep", deepProv, []Problem{{Code: CodeTooDeep, Path: "Consent.provision" + strings.Repeat(".provision[0]", 8)}}, ErrUnmappable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			if !errors.Is(err, tt.sentinel) {
				t.Errorf("error %v does not match %v", err, tt.sentinel)
			}
			if d := cmp.Diff(tt.want, problemsOf(t, err)); d != "" {
				t.Errorf("problems (-want +got):\n%s", d)
			}
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	_, err := Parse(make([]byte, MaxResourceBytes+1))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("error %v does not match ErrTooLarge", err)
	}
	if d := cmp.Diff([]Problem{{Code: CodeTooLarge, Path: "Consent"}}, problemsOf(t, err)); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
}

func TestParseEscapes(t *testing.T) {
	r, err := Parse([]byte(`{"resourceType":"Consent","id":"a\"b\\c\/d\u00e9\ud83d\ude00\n"}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "a\"b\\c/d\u00e9\U0001F600\n"; r.ID != want {
		t.Errorf("id = %q, want %q", r.ID, want)
	}
}

// TestMappingProblems decodes variants of a valid resource, each broken in one way.
func TestMappingProblems(t *testing.T) {
	valid, err := Encode(sampleConsent())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Decode(valid); err != nil {
		t.Fatalf("the valid resource does not decode: %v", err)
	}
	s := string(valid)
	tests := []struct {
		name string
		from string // replaced in the valid resource
		to   string
		want []Problem
	}{
		{"not a consent", `"resourceType":"Consent"`, `"resourceType":"Patient"`, []Problem{{Code: CodeNotConsent, Path: "Consent.resourceType"}}},
		{"modifier extension", `"status":"active"`, `"status":"active","modifierExtension":[{"url":"http://x"}]`, []Problem{{Code: CodeModifierExtension, Path: "Consent.modifierExtension"}}},
		{"implicit rules", `"status":"active"`, `"status":"active","implicitRules":"http://x"`, []Problem{{Code: CodeUnmappable, Path: "Consent.implicitRules"}}},
		{"scope research", `"code":"patient-privacy"`, `"code":"research"`, []Problem{{Code: CodeScope, Path: "Consent.scope"}}},
		{"entered in error", `"status":"active"`, `"status":"entered-in-error"`, []Problem{{Code: CodeStatus, Path: "Consent.status"}}},
		{"patient reference of another type", `"patient":{"type":"Patient","identifier":{"value":"p1"}}`, `"patient":{"reference":"Group/p1"}`, []Problem{{Code: CodeReference, Path: "Consent.patient"}}},
		{"month-only date", `"dateTime":"2026-01-10T14:00:00Z"`, `"dateTime":"2026-01"`, []Problem{{Code: CodeDate, Path: "Consent.dateTime"}}},
		{"date without zone", `"dateTime":"2026-01-10T14:00:00Z"`, `"dateTime":"2026-01-10T14:00:00"`, []Problem{{Code: CodeDate, Path: "Consent.dateTime"}}},
		{"unknown kind", `"valueCode":"tpo"`, `"valueCode":"wide"`, []Problem{{Code: CodeUnknownCode, Path: "Consent.extension[0].valueCode"}}},
		{"our unknown extension", `"extension":[`, `"extension":[{"url":"https://dyad-health.github.io/fhir/StructureDefinition/part2-other","valueCode":"x"},`, []Problem{{Code: CodeExtension, Path: "Consent.extension[0]"}}},
		{"extension twice", `"status":"active"`, `"status":"active","extension":[]`, []Problem{{Code: CodeDuplicate, Path: "Consent.extension"}}},
		{"unknown statement", `"url":"revocation"`, `"url":"revoke"`, []Problem{{Code: CodeExtension, Path: "Consent.extension[2].extension[0]"}}},
		{"performer not the patient", `"performer":[{"extension":[{"url":"https://dyad-health.github.io/fhir/StructureDefinition/part2-signer-role","valueCode":"patient"}],"type":"Patient","identifier":{"value":"p1"}}]`, `"performer":[{"reference":"RelatedPerson/r1"}]`, []Problem{{Code: CodeUnknownCode, Path: "Consent.performer[0]"}}},
		{"performer another patient", `"performer":[{"extension":[{"url":"https://dyad-health.github.io/fhir/StructureDefinition/part2-signer-role","valueCode":"patient"}],"type":"Patient","identifier":{"value":"p1"}}]`, `"performer":[{"reference":"Patient/p2"}]`, []Problem{{Code: CodeConflict, Path: "Consent.performer[0]"}}},
		{"two performers", `"performer":[`, `"performer":[{"reference":"Patient/p1"},`, []Problem{{Code: CodeUnmappable, Path: "Consent.performer"}}},
		{"actor role", `"code":"IRCP"`, `"code":"AUT"`, []Problem{{Code: CodeUnknownCode, Path: "Consent.provision.actor[0].role"}}},
		{"designation", `"value":"treating_providers"`, `"value":"my_friends"`, []Problem{{Code: CodeUnknownCode, Path: "Consent.provision.actor[0].reference.identifier.value"}}},
		{"action access only", `"code":"disclose"`, `"code":"access"`, []Problem{{Code: CodeAction, Path: "Consent.provision.action"}}},
		{"label", `"code":"SUD"`, `"code":"HIV"`, []Problem{{Code: CodeUnknownCode, Path: "Consent.provision.securityLabel[0]"}}},
		{"purpose", `"code":"HPAYMT"`, `"code":"HMARKT"`, []Problem{{Code: CodeUnknownCode, Path: "Consent.provision.purpose[1]"}}},
		{"data", `"type":"permit"`, `"type":"permit","data":[{"meaning":"instance","reference":{"reference":"Observation/o1"}}]`, []Problem{{Code: CodeUnmappable, Path: "Consent.provision.data"}}},
		{"period starts after signing", `"period":{`, `"period":{"start":"2026-03-01",`, []Problem{{Code: CodeUnmappable, Path: "Consent.provision.period.start"}}},
		{"opt-out", `"type":"permit"`, `"type":"deny"`, []Problem{{Code: CodeProvision, Path: "Consent.provision"}}},
		{"nested permit", `"type":"permit"`, `"type":"permit","provision":[{"type":"permit"}]`, []Problem{{Code: CodeProvision, Path: "Consent.provision.provision[0].type"}}},
		{"nested deny of two dimensions", `"type":"permit"`, `"type":"permit","provision":[{"type":"deny","purpose":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActReason","code":"TREAT"}],"securityLabel":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"SUD"}]}]`, []Problem{{Code: CodeProvision, Path: "Consent.provision.provision[0]"}}},
		{"active but revoked", `"extension":[`, `"extension":[{"url":"https://dyad-health.github.io/fhir/StructureDefinition/part2-revoked-at","valueDateTime":"2026-02-01T00:00:00Z"},`, []Problem{{Code: CodeConflict, Path: "Consent.status"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(s, tt.from) {
				t.Fatalf("the valid resource has no %s", tt.from)
			}
			_, err := Decode([]byte(strings.Replace(s, tt.from, tt.to, 1)))
			if d := cmp.Diff(tt.want, problemsOf(t, err)); d != "" {
				t.Errorf("problems (-want +got):\n%s", d)
			}
		})
	}
}

// sampleConsent is a TPO consent with every element set.
func sampleConsent() consent.Consent {
	return consent.Consent{
		ID: "c1", Patient: lid("p1"), Kind: consent.KindTPO, Disclosers: lids("prog-1"),
		Recipients:             []consent.Recipient{{Designation: consent.DesignationTreatingProviders}, {ID: lid("hie-1"), Members: lids("ob-1")}},
		Purposes:               []consent.Purpose{consent.PurposeTreatment, consent.PurposePayment, consent.PurposeOperations},
		Information:            []consent.InfoKind{consent.InfoKindSUDRecords},
		InformationDescription: "all SUD treatment records",
		Expires:                consent.Expiry{At: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
		SignedAt:               time.Date(2026, 1, 10, 14, 0, 0, 0, time.UTC),
		Signer:                 consent.SignerPatient,
		Statements:             consent.Statements{Revocation: true, Redisclosure: true, RefusalConsequences: true},
	}
}

func TestNestedDenies(t *testing.T) {
	c := sampleConsent()
	c.Information = []consent.InfoKind{consent.InfoKindSUDRecords, consent.InfoKindPatientIdentity}
	data, err := Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	nested := `"type":"permit","provision":[` +
		`{"type":"deny","purpose":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActReason","code":"HPAYMT"}]},` +
		`{"type":"deny","securityLabel":[{"system":"https://dyad-health.github.io/fhir/CodeSystem/part2-information","code":"patient_identity"}]},` +
		`{"type":"deny","actor":[{"role":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"IRCP"}]},"reference":{"reference":"Organization/hie-1"}}]}]`
	got, err := Decode([]byte(strings.Replace(string(data), `"type":"permit"`, nested, 1)))
	if err != nil {
		t.Fatal(err)
	}
	// The denied purpose and label leave the lists; the denied actor is kept as an
	// exclusion, not removed from the recipients: it is excluded however it would be reached.
	want := c
	want.Purposes = []consent.Purpose{consent.PurposeTreatment, consent.PurposeOperations}
	want.Information = []consent.InfoKind{consent.InfoKindSUDRecords}
	want.Exclusions = []consent.Exclusion{{ID: lid("hie-1")}}
	want.Recipients = normalize(want).Recipients
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Decode (-want +got):\n%s", d)
	}
}

func TestInferKind(t *testing.T) {
	p := func(ps ...consent.Purpose) []consent.Purpose { return ps }
	tests := []struct {
		purposes []consent.Purpose
		info     []consent.InfoKind
		want     consent.Kind
	}{
		{p(consent.PurposeTreatment, consent.PurposePayment, consent.PurposeOperations), nil, consent.KindTPO},
		{p(consent.PurposeTreatment, consent.PurposePayment), nil, consent.KindGeneral},
		{p(consent.PurposeTreatment), []consent.InfoKind{consent.InfoKindCounselingNotes}, consent.KindCounselingNotes},
		{p(consent.PurposeProceedings), nil, consent.KindProceedings},
		{p(consent.PurposeProceedings, consent.PurposeTreatment), nil, consent.KindGeneral},
		{p(consent.PurposeResearch, consent.PurposeResearch), nil, consent.KindResearch},
		{nil, nil, consent.KindGeneral},
	}
	for _, tt := range tests {
		if got := inferKind(consent.Consent{Purposes: tt.purposes, Information: tt.info}); got != tt.want {
			t.Errorf("inferKind(%v, %v) = %v, want %v", tt.purposes, tt.info, got, tt.want)
		}
	}
}

func TestEncodeProblems(t *testing.T) {
	c := sampleConsent()
	c.Disclosers = lids("prog-1", "")
	c.Recipients = append(c.Recipients, consent.Recipient{ID: lid("x"), Designation: consent.DesignationHealthPlans})
	_, err := Encode(c)
	want := []Problem{
		{Code: CodeEmptyValue, Path: "consent.disclosers[1]"},
		{Code: CodeRecipient, Path: "consent.recipients[2]"},
	}
	if d := cmp.Diff(want, problemsOf(t, err)); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
}

// TestErrorsHoldNoFreeText checks that no error repeats free text of a resource, and that an
// unknown code is quoted truncated to 32 bytes.
func TestErrorsHoldNoFreeText(t *testing.T) {
	c := sampleConsent()
	c.InformationDescription = "SECRET description of the patient's records"
	c.Expires = consent.Expiry{Event: "SECRET event"}
	data, err := Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("Z", 40)
	bad := strings.Replace(string(data), `"code":"HPAYMT"`, `"code":"`+long+`"`, 1)
	bad = strings.Replace(bad, `"status":"active"`, `"status":"SECRET-status"`, 1)
	_, err = Decode([]byte(bad))
	if err == nil {
		t.Fatal("no error")
	}
	var me *MappingError
	errors.As(err, &me)
	all := err.Error()
	for _, p := range me.Problems {
		all += p.String()
	}
	if strings.Contains(all, "SECRET d") || strings.Contains(all, "SECRET e") {
		t.Errorf("error repeats free text: %s", all)
	}
	if !strings.Contains(all, `"`+long[:32]+`"`) || strings.Contains(all, long[:33]) {
		t.Errorf("unknown code not quoted truncated to 32 bytes: %s", all)
	}
}

// Identifiers keep their systems: the discloser of every-element.json is named by an
// identifier of system urn:orgs, the patient by a literal reference (no system).
func TestIdentifierSystemsKept(t *testing.T) {
	c, err := Decode(mustRead(t, "testdata/resources/every-element.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Disclosers) != 1 || c.Disclosers[0].System != "urn:orgs" || c.Disclosers[0].Value == "" {
		t.Errorf("disclosers = %v, want one identifier of system urn:orgs", c.Disclosers)
	}
	if c.Patient.System != "" || c.Patient.Value == "" {
		t.Errorf("patient = %v, want a literal reference's id without a system", c.Patient)
	}
}
