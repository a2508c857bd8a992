package fhir_test

import (
	"fmt"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/consent/fhir"
)

// A data-sharing vendor holds a patient's Part 2 consent as a FHIR R4 Consent and asks: may
// the program send her SUD records to her obstetric clinic for treatment now? This is the
// second program of the README.
//
// The consent names the program (organization), the patient's treating providers as a class
// (2.31(a)(4)(i)), treatment (2.31(a)(5)) and the SUD records it covers, was signed by the
// patient (performer, dateTime) and ends on 2026-12-31; its form holds the three statements
// of 2.31(a)(6), (10), which FHIR has no element for, so the vendor says so in Options. The
// clinic, a covered entity treating her, is one of her treating providers: permit, on the
// consent (2.33(a)), with the 2.32(a) notice and an entry in the accounting of disclosures
// (2.25); the records carry the labels of restricted Part 2 data that may not be redisclosed
// (R, SUD, ETH, 42CFRPart2, NORDSCLCD: see Labels).
func Example_vendor() {
	resource := []byte(`{"resourceType": "Consent", "id": "c1", "status": "active",
	  "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}]},
	  "policyRule": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "42CFRPart2"}]},
	  "patient": {"reference": "Patient/p1"}, "performer": [{"reference": "Patient/p1"}],
	  "dateTime": "2026-01-10T14:00:00-05:00", "organization": [{"reference": "Organization/prog-1"}],
	  "extension": [{"url": "https://dyad-health.github.io/fhir/StructureDefinition/part2-information-description",
	    "valueString": "diagnosis, medications and treatment plan for opioid use disorder"}],
	  "provision": {"type": "permit", "period": {"start": "2026-01-10", "end": "2026-12-31"},
	    "actor": [{"role": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "IRCP"}]},
	      "reference": {"identifier": {"system": "https://dyad-health.github.io/fhir/CodeSystem/part2-designation", "value": "treating_providers"}}}],
	    "securityLabel": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "ETH"}],
	    "purpose": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "TREAT"}]}}`)
	opts := fhir.Options{DefaultStatements: consent.Statements{Revocation: true, Redisclosure: true, RefusalConsequences: true}}
	c, err := opts.Decode(resource) // exact; fhir.Read reads leniently, with findings
	if err != nil {
		panic(err)
	}
	engine, err := consent.Compile([]consent.Consent{c}, nil)
	if err != nil {
		panic(err)
	}
	d := engine.Decide(consent.Request{
		Patient: consent.Identifier{Value: "p1"}, Discloser: consent.Identifier{Value: "prog-1"},
		Recipient:   consent.Party{ID: consent.Identifier{Value: "ob-clinic"}, Kind: consent.RecipientKindCoveredEntity},
		Purpose:     consent.PurposeTreatment,
		Information: []consent.InfoKind{consent.InfoKindSUDRecords},
		At:          time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC),
	})
	fmt.Println(d)
	for _, o := range d.Obligations() {
		fmt.Println("must:", o.Code, o.Cite)
	}
	for _, l := range fhir.Labels(d) {
		fmt.Println("label:", l.Code)
	}
	// Output:
	// permit on consent:"c1": consent_permits
	// must: notice_2_32 42 CFR 2.32(a)
	// must: record_disclosure 42 CFR 2.25
	// label: R
	// label: SUD
	// label: ETH
	// label: 42CFRPart2
	// label: NORDSCLCD
}
