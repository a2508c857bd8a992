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

// A consent service holds an R5 consent as a consent decision service wrote it: a privacy
// category, a HIPAA policy, a permit for everyone but one organization, denied by a label
// and an action. Read judges it rather than refusing it: it says what Part 2 needs that
// the consent lacks, with the paragraphs, and how the deny was read.
func ExampleRead() {
	data, err := os.ReadFile("testdata/realworld/r5/deny-label.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	rd, err := fhir.Read(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rd.ID, rd.Version, len(rd.Consents), "consent,", len(rd.Refusals), "refusal")
	for _, f := range rd.Findings {
		switch f.Effect {
		case fhir.EffectDeficient:
			fmt.Println("lacks", f.Code, f.Cite)
		case fhir.EffectNarrowed:
			fmt.Println("narrowed", f.Path, f.Code)
		}
	}
	// The deny of harbor's access to restricted data cannot be held by a consent value:
	// harbor is excluded entirely, under its NPI and its literal reference alike.
	fmt.Println(rd.Consents[0].Exclusions)
	// Output:
	// r5-deny-label R5 1 consent, 1 refusal
	// narrowed Consent.provision[0] deny_widened
	// lacks missing_information 42 CFR 2.31(a)(3)
	// lacks missing_information_description 42 CFR 2.31(a)(3)
	// lacks missing_recipient 42 CFR 2.31(a)(4)(i)
	// lacks missing_purpose 42 CFR 2.31(a)(5)
	// lacks missing_revocation_statement 42 CFR 2.31(a)(6)
	// lacks missing_signature 42 CFR 2.31(a)(8)
	// lacks missing_redisclosure_statement 42 CFR 2.31(a)(10)
	// lacks missing_refusal_statement 42 CFR 2.31(a)(10)
	// [{"http://hl7.org/fhir/sid/us-npi|1730495822" unknown} {"org-harbor" unknown}]
}

// A consent decision service answers the patient-consent-consult hook: the patient's
// Part 2 consent (R4, from a portal) names the obstetric clinic; the patient's later
// opt-out (from an HIE) refuses pediatrics. The most recent consent wins.
func ExampleEngine_Consult() {
	var resources [][]byte
	for _, name := range []string{"r4/part2-portal.json", "r4/later-optout-peds.json"} {
		data, err := os.ReadFile("testdata/realworld/" + name)
		if err != nil {
			fmt.Println(err)
			return
		}
		resources = append(resources, data)
	}
	opts := fhir.Options{Lenient: true, DefaultStatements: consent.Statements{Revocation: true, Redisclosure: true, RefusalConsequences: true}}
	e, err := opts.Compile(resources, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	npi := "http://hl7.org/fhir/sid/us-npi"
	q := fhir.Query{
		Discloser:     consent.Identifier{System: npi, Value: "1902837465"},
		RecipientKind: consent.RecipientKindCoveredEntity,
		At:            time.Date(2024, 11, 1, 12, 0, 0, 0, time.UTC),
		Information:   []consent.InfoKind{consent.InfoKindSUDRecords},
	}
	for _, actor := range []string{"1467503390", "1245319599"} {
		res, err := e.Consult(q, fhir.ConsultContext{
			PatientID:    []fhir.Identifier{{System: "http://hl7.org/fhir/sid/us-medicare", Value: "5XK2-PR4-HT83"}},
			Actor:        []fhir.Identifier{{System: npi, Value: actor}},
			PurposeOfUse: fhir.Purposes{"TREAT"},
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(actor, res.Answer, res.BasedOn, res.Decision)
	}
	// Output:
	// 1467503390 CONSENT_PERMIT [r4-part2-portal] permit on consent:"r4-part2-portal": consent_permits
	// 1245319599 CONSENT_DENY [r4-later-optout-peds] deny: fhir_later_refusal
}
