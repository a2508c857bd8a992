package fhir

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/google/go-cmp/cmp"
)

// Regressions of issue 14. Each test failed on the code before the fix it names.

// A nested deny of the patient's identity under a consent for SUD records was mapped as
// removing the identity alone; the engine reads SUD records as covering the identity (every
// record identifies the patient), so the identity was still disclosed, against the deny.
// Strict Decode now refuses it; Read removes the SUD records too, and says so.
func TestDenyOfIdentityNotDropped(t *testing.T) {
	c := sampleConsent()
	c.Information = []consent.InfoKind{consent.InfoKindSUDRecords, consent.InfoKindPatientIdentity}
	data, err := Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.Replace(string(data), `"type":"permit"`, `"type":"permit","provision":[`+
		`{"type":"deny","securityLabel":[{"system":"https://dyad-health.github.io/fhir/CodeSystem/part2-information","code":"patient_identity"}]}]`, 1))
	if _, err := Decode(data); err == nil {
		t.Error("strict Decode accepted a deny of the identity beside SUD records")
	}
	rd, err := Options{}.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(rd.Consents) != 1 || len(rd.Consents[0].Information) != 0 {
		t.Fatalf("information %v, want none", rd.Consents)
	}
	e, err := Options{Lenient: true}.CompileReadings([]Reading{rd}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := treatmentRequest(lid("ob-clinic"), consent.RecipientKindCoveredEntity, at)
	r.Information = []consent.InfoKind{consent.InfoKindPatientIdentity}
	if d := e.Decide(r); d.Permit {
		t.Errorf("the identity was disclosed against the deny: %s", d)
	}
}

// LEAP's shapes were refused outright (0 of 15 R4, 0 of 15 R5): no scope, nothing marking
// Part 2, nested denies on two dimensions, an R5 resource. Read judges them; an R5 resource
// with R5's elements maps exactly.
func TestR5ConsentRead(t *testing.T) {
	r5 := `{"resourceType":"Consent","id":"r5-1","status":"active",
	 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]}],
	 "subject":{"reference":"Patient/p1"},"date":"2026-01-10","grantor":[{"reference":"Patient/p1"}],
	 "manager":[{"reference":"Organization/prog-1"}],
	 "regulatoryBasis":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"42CFRPart2"}]}],
	 "period":{"end":"2026-12-31"},"decision":"deny",
	 "provision":[{"actor":[{"role":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"IRCP"}]},"reference":{"reference":"Organization/ob-clinic"}}],
	   "securityLabel":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"SUD"}],
	   "purpose":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActReason","code":"TREAT"}]}]}`
	o := Options{DefaultStatements: allStmts}
	got, err := o.Decode([]byte(r5))
	if err != nil {
		t.Fatalf("strict Decode of an exact R5 opt-in: %v", err)
	}
	want := consent.Consent{ID: "r5-1", Patient: lid("p1"), Kind: consent.KindGeneral, Disclosers: lids("prog-1"),
		Recipients: []consent.Recipient{{ID: lid("ob-clinic")}}, Purposes: []consent.Purpose{consent.PurposeTreatment},
		Information: []consent.InfoKind{consent.InfoKindSUDRecords},
		// Consent.period.end "2026-12-31": its earliest end; date "2026-01-10": its latest start.
		Expires:  consent.Expiry{At: time.Date(2026, 12, 31, 10, 0, 0, 0, time.UTC)},
		SignedAt: time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC), Signer: consent.SignerPatient, Statements: allStmts}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Decode (-want +got):\n%s", d)
	}
}

// A consult whose purposeOfUse was an array did not decode (the hook allows a string or an
// array); every purpose of it is now judged, and CONSENT_PERMIT needs each.
func TestPurposeOfUseStringOrArray(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Purposes
	}{
		{`{"purposeOfUse":"TREAT"}`, Purposes{"TREAT"}},
		{`{"purposeOfUse":["TREAT","HPAYMT"]}`, Purposes{"TREAT", "HPAYMT"}},
	} {
		var ctx ConsultContext
		if err := json.Unmarshal([]byte(tt.in), &ctx); err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		if d := cmp.Diff(tt.want, ctx.PurposeOfUse); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.in, d)
		}
		out, _ := json.Marshal(ctx)
		var back ConsultContext
		if err := json.Unmarshal(out, &back); err != nil || !cmp.Equal(ctx.PurposeOfUse, back.PurposeOfUse) {
			t.Errorf("round trip of %s: %s", tt.in, out)
		}
	}
	var ctx ConsultContext
	if err := json.Unmarshal([]byte(`{"purposeOfUse":3}`), &ctx); err == nil {
		t.Error("a number was read as a purpose of use")
	}
	e := vendorEngine(t)
	q := Query{Discloser: lid("prog-1"), RecipientKind: consent.RecipientKindCoveredEntity, At: at, Information: []consent.InfoKind{consent.InfoKindSUDRecords}}
	base := ConsultContext{PatientID: []Identifier{{Value: "p1"}}, Actor: []Identifier{{Value: "ob-clinic"}}}
	// The vendor consent is TPO for treating providers: treatment is permitted; research is
	// not among its purposes, so treatment and research together are denied.
	base.PurposeOfUse = Purposes{"TREAT", "COC"}
	if res, err := e.Consult(q, base); err != nil || res.Answer != AnswerPermit || len(res.Decisions) != 2 {
		t.Errorf("TREAT, COC: %v %v", res.Answer, err)
	}
	base.PurposeOfUse = Purposes{"TREAT", "HRESCH"}
	if res, err := e.Consult(q, base); err != nil || res.Answer != AnswerDeny || res.Decision.Permit {
		t.Errorf("TREAT, HRESCH: %v %v", res.Answer, err)
	}
	base.PurposeOfUse = nil
	if _, err := e.Consult(q, base); err == nil || !errors.Is(err, ErrUnmappable) {
		t.Errorf("no purpose of use: %v", err)
	}
}

// An actor with several identifiers was treated as several actors: CONSENT_PERMIT needed a
// consent naming each identifier. The hook's actor is one party; it is permitted under one
// identifier a consent names, unless that consent excludes it under another.
func TestOneActorSeveralIdentifiers(t *testing.T) {
	c := sampleConsent()
	c.Recipients = []consent.Recipient{{ID: consent.Identifier{System: "urn:npi", Value: "111"}}}
	c.Kind = consent.KindGeneral
	data, err := Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	e, err := Options{Lenient: true}.Compile([][]byte{data}, nil)
	if err != nil {
		t.Fatal(err)
	}
	q := Query{Discloser: lid("prog-1"), RecipientKind: consent.RecipientKindCoveredEntity, At: at, Information: []consent.InfoKind{consent.InfoKindSUDRecords}}
	ctx := ConsultContext{PatientID: []Identifier{{Value: "p1"}}, PurposeOfUse: Purposes{"TREAT"},
		Actor: []Identifier{{System: "urn:local", Value: "ob-7"}, {System: "urn:npi", Value: "111"}}}
	res, err := e.Consult(q, ctx)
	if err != nil || res.Answer != AnswerPermit || !slices14(res.BasedOn, "c1") {
		t.Fatalf("one actor, NPI named: %v %v %v", res.Answer, res.BasedOn, err)
	}
	// The same consent excluding the actor's local identifier: the consent both names and
	// excludes the one actor; excluded wins.
	c.Exclusions = []consent.Exclusion{{ID: consent.Identifier{System: "urn:local", Value: "ob-7"}}}
	data, _ = Encode(c)
	e, _ = Options{Lenient: true}.Compile([][]byte{data}, nil)
	res, err = e.Consult(q, ctx)
	if err != nil || res.Answer != AnswerDeny || !res.Decision.HasReason(CodeActorExcluded) {
		t.Errorf("one actor, named and excluded: %v %s %v", res.Answer, res.Decision, err)
	}
}

func slices14(xs []string, v ...string) bool { return cmp.Equal(xs, v) }

// TestSensitivityCodes: the SUD sensitivity codes and the systems real data writes them
// with. ETH ("substance abuse information sensitivity"), SUD and 42CFRPart2 name SUD records;
// ETHUD (alcohol) and OPIOIDUD (opioid use disorder) name part of them: a consent granting
// them grants no whole kind, a request for them asks for SUD records; HIV and R name none.
func TestSensitivityCodes(t *testing.T) {
	vs := "http://terminology.hl7.org/ValueSet/v3-InformationSensitivityPolicy"
	tests := []struct {
		c       Coding
		grant   consent.InfoKind // what a consent granting the label grants
		request consent.InfoKind // what a request for it asks for
	}{
		{Coding{System: SystemActCode, Code: "SUD"}, consent.InfoKindSUDRecords, consent.InfoKindSUDRecords},
		{Coding{System: SystemActCode, Code: "ETH"}, consent.InfoKindSUDRecords, consent.InfoKindSUDRecords},
		{Coding{System: SystemActCode, Code: "42CFRPart2"}, consent.InfoKindSUDRecords, consent.InfoKindSUDRecords},
		{Coding{System: SystemActUSPrivacyLaw, Code: "42CFRPart2"}, consent.InfoKindSUDRecords, consent.InfoKindSUDRecords},
		{Coding{System: vs, Code: "SUD"}, consent.InfoKindSUDRecords, consent.InfoKindSUDRecords},
		{Coding{System: "http://terminology.hl7.org/ValueSet/v3-ActInformationSensitivityPolicy", Code: "ETH"}, consent.InfoKindSUDRecords, consent.InfoKindSUDRecords},
		{Coding{System: "urn:oid:2.16.840.1.113883.5.4", Code: "ETH"}, consent.InfoKindSUDRecords, consent.InfoKindSUDRecords},
		{Coding{System: "http://hl7.org/fhir/v3/ActCode", Code: "SUD"}, consent.InfoKindSUDRecords, consent.InfoKindSUDRecords},
		{Coding{System: SystemActCode, Code: "ETHUD"}, consent.InfoKindUnknown, consent.InfoKindSUDRecords},
		{Coding{System: vs, Code: "OPIOIDUD"}, consent.InfoKindUnknown, consent.InfoKindSUDRecords},
		{Coding{System: SystemActCode, Code: "HIV"}, consent.InfoKindUnknown, consent.InfoKindUnknown},
		{Coding{System: SystemConfidentiality, Code: "R"}, consent.InfoKindUnknown, consent.InfoKindUnknown},
		// The code of another system is not ActCode's: never read by its code alone.
		{Coding{System: "urn:other", Code: "SUD"}, consent.InfoKindUnknown, consent.InfoKindUnknown},
		{Coding{System: SystemActUSPrivacyLaw, Code: "ETH"}, consent.InfoKindUnknown, consent.InfoKindUnknown},
	}
	for _, tt := range tests {
		k, _ := ParseInformationCoding(tt.c)
		if k != tt.grant {
			t.Errorf("%s|%s granted as %s, want %s", tt.c.System, tt.c.Code, k, tt.grant)
		}
		if got := requestInfo(tt.c, []consent.InfoKind{consent.InfoKindCounselingNotes}); len(got) != 1 || got[0] != tt.request {
			t.Errorf("%s|%s requested as %v, want %s", tt.c.System, tt.c.Code, got, tt.request)
		}
	}
	// A content class asks for the query's information; without one, it cannot be judged.
	mt := Coding{System: "http://hl7.org/fhir/resource-types", Code: "MedicationStatement"}
	if got := requestInfo(mt, []consent.InfoKind{consent.InfoKindSUDRecords}); len(got) != 1 || got[0] != consent.InfoKindSUDRecords {
		t.Errorf("content class: %v", got)
	}
	if got := requestInfo(mt, nil); len(got) != 1 || got[0] != consent.InfoKindUnknown {
		t.Errorf("content class without information: %v", got)
	}
}
