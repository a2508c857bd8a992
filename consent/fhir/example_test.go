package fhir_test

import (
	"fmt"
	"os"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/consent/fhir"
)

// A vendor holds a TPO consent as a FHIR R4 Consent. Its consent form contains the three
// required statements, which FHIR has no element for, so the vendor says so in Options.
// The consent is decoded and the program asks whether it may send SUD records to the
// patient's obstetric clinic for treatment.
func Example() {
	data, err := os.ReadFile("testdata/resources/tpo-vendor.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	opts := fhir.Options{DefaultStatements: consent.Statements{Revocation: true, Redisclosure: true, RefusalConsequences: true}}
	c, err := opts.Decode(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.ID, c.Kind, c.Patient, c.Disclosers, c.Purposes, c.Information, c.Expires.At)

	e, err := consent.Compile([]consent.Consent{c}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The resource names the patient and the program by literal references ("Patient/p1",
	// "Organization/prog-1"): identifiers without a system, which only identifiers without
	// a system match.
	d := e.Decide(consent.Request{
		Patient:     consent.Identifier{Value: "p1"},
		Discloser:   consent.Identifier{Value: "prog-1"},
		Recipient:   consent.Party{ID: consent.Identifier{System: "http://hl7.org/fhir/sid/us-npi", Value: "1234567893"}, Kind: consent.RecipientKindCoveredEntity},
		Purpose:     consent.PurposeTreatment,
		Information: []consent.InfoKind{consent.InfoKindSUDRecords},
		At:          time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC),
	})
	fmt.Println(d.Permit, d.Basis)
	for _, o := range d.Obligations() {
		fmt.Println(o.Code, o.Cite)
	}
	// The period ends on "2026-12-31", a date without a time zone: the consent stops counting
	// when that day has ended somewhere (its end at UTC+14), never later.
	fmt.Println(d.Until())
	// Output:
	// tpo-1 tpo "p1" ["prog-1"] [treatment payment operations] [sud_records] 2026-12-31 10:00:00 +0000 UTC
	// true consent:"tpo-1"
	// notice_2_32 42 CFR 2.32(a)
	// record_disclosure 42 CFR 2.25
	// limit_to_need 42 CFR 2.13(a)
	// 2026-12-31 10:00:00 +0000 UTC
}

// A permitted disclosure carries the security labels the shared data must hold.
func ExampleLabels() {
	d := consent.DecisionRecord{Permit: true, Basis: consent.Basis{Kind: consent.BasisKindConsent, Consent: "c1"}}.Decision()
	meta := fhir.Meta{}
	fhir.AddSecurityLabels(&meta, fhir.Labels(d))
	for _, l := range meta.Security {
		fmt.Println(l.System, l.Code)
	}
	fmt.Println(len(fhir.Labels(consent.Decision{})), "labels on a deny")
	// Output:
	// http://terminology.hl7.org/CodeSystem/v3-Confidentiality R
	// http://terminology.hl7.org/CodeSystem/v3-ActCode SUD
	// http://terminology.hl7.org/CodeSystem/v3-ActCode ETH
	// http://terminology.hl7.org/CodeSystem/v3-ActCode 42CFRPart2
	// http://terminology.hl7.org/CodeSystem/v3-ActCode NORDSCLCD
	// 0 labels on a deny
}
