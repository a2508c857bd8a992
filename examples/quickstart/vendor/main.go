// Command vendor is the README's program for a data-sharing vendor: a FHIR R4 Consent read exactly,
// and a 42 CFR Part 2 decision on a disclosure, with its obligations and security labels. It is
// the body of the consent/fhir package's Example_vendor, which the tests run; it writes nothing.
package main

import (
	"fmt"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/consent/fhir"
)

func main() {
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
}
