package consent_test

import (
	"fmt"
	"time"

	"github.com/dyad-health/dyad/consent"
)

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// tpo is a single consent for treatment, payment and health care operations.
func tpo() consent.Consent {
	return consent.Consent{
		ID: "c1", Patient: id("p1"), Kind: consent.KindTPO,
		Disclosers: []consent.Identifier{id("prog-1")},
		Recipients: []consent.Recipient{
			{Designation: consent.DesignationTreatingProviders},
			{Designation: consent.DesignationHealthPlans},
		},
		Purposes:               []consent.Purpose{consent.PurposeTreatment, consent.PurposePayment, consent.PurposeOperations},
		Information:            []consent.InfoKind{consent.InfoKindSUDRecords},
		InformationDescription: "diagnosis, medications and treatment plan for opioid use disorder",
		Expires:                consent.Expiry{None: true},
		SignedAt:               date("2026-01-10T14:00:00Z"),
		Signer:                 consent.SignerPatient,
		Statements:             consent.Statements{Revocation: true, Redisclosure: true, RefusalConsequences: true},
	}
}

func ExampleConsent_Validate() {
	c := tpo()
	fmt.Println("complete consent:", c.Validate())

	// Made a general consent and left unsigned: an expiration of "none" fits only a single
	// TPO consent, and the signature is missing. (The designation of "my treating providers"
	// still fits: any consent may name a class of persons, 2.31(a)(4)(i).) Every problem is
	// listed at once.
	c.Kind = consent.KindGeneral
	c.Signer = consent.SignerUnknown
	err := c.Validate()
	fmt.Println(err)
	// Output:
	// complete consent: <nil>
	// consent: invalid consent "c1": expiration_none_not_allowed (42 CFR 2.31(a)(7)); missing_signature (42 CFR 2.31(a)(8))
}

func ExampleEngine_Decide() {
	e, err := consent.Compile([]consent.Consent{tpo()}, nil)
	if err != nil {
		panic(err)
	}
	req := consent.Request{
		Patient: id("p1"), Discloser: id("prog-1"),
		Recipient:   consent.Party{ID: id("ob-clinic"), Kind: consent.RecipientKindCoveredEntity},
		Purpose:     consent.PurposeTreatment,
		Information: []consent.InfoKind{consent.InfoKindSUDRecords},
		At:          date("2026-02-01T10:00:00Z"),
	}
	d := e.Decide(req)
	fmt.Println(d.Permit, d.Basis)
	for _, o := range d.Obligations() {
		fmt.Println("must:", o.Code, "-", o.Cite)
	}

	// Counseling notes need a consent of their own.
	req.Information = []consent.InfoKind{consent.InfoKindCounselingNotes}
	d = e.Decide(req)
	fmt.Println(d.Permit)
	for _, r := range d.Reasons() {
		fmt.Println("because:", r.Code, "-", r.Cite)
	}
	// Output:
	// true consent:"c1"
	// must: notice_2_32 - 42 CFR 2.32(a)
	// must: record_disclosure - 42 CFR 2.25
	// must: limit_to_need - 42 CFR 2.13(a)
	// false
	// because: counseling_notes_need_own_consent - 42 CFR 2.31(b)
	// because: no_basis - 42 CFR 2.13(a)
}

func ExampleEngine_Explain() {
	// A revoked general consent and a TPO consent: Explain says why the first did not apply.
	general := tpo()
	general.ID, general.Kind = "c0", consent.KindGeneral
	general.Recipients = []consent.Recipient{{ID: id("ob-clinic")}}
	general.Expires = consent.Expiry{At: date("2026-12-31T00:00:00Z")}
	general.RevokedAt = date("2026-01-20T00:00:00Z")
	e, err := consent.Compile([]consent.Consent{general, tpo()}, nil)
	if err != nil {
		panic(err)
	}
	d := e.Explain(consent.Request{
		Patient: id("p1"), Discloser: id("prog-1"),
		Recipient:   consent.Party{ID: id("ob-clinic"), Kind: consent.RecipientKindCoveredEntity},
		Purpose:     consent.PurposeTreatment,
		Information: []consent.InfoKind{consent.InfoKindSUDRecords},
		At:          date("2026-02-01T10:00:00Z"),
	})
	fmt.Println(d.Permit, d.Basis)
	for _, r := range d.Reasons() {
		fmt.Println(r.Consent, r.Code, "-", r.Cite)
	}
	// Output:
	// true consent:"c1"
	// c1 consent_permits - 42 CFR 2.33(a)(2)
	// c0 consent_revoked - 42 CFR 2.31(c)(3)
}

func ExampleQSOAgreement_Problems() {
	a := consent.QSOAgreement{
		ID: "q1", Program: id("prog-1"), Organization: id("peds-1"),
		Services: []consent.Service{consent.ServiceChildAbuseNeglectPrevention, "pediatric care of the infant"},
		Written:  true, BoundByPart2: true, ResistJudicialAccess: false,
		SignedAt: date("2025-12-01T00:00:00Z"),
	}
	for _, p := range a.Problems() {
		fmt.Println(p.Severity, p.Code, "-", p.Cite)
	}
	fmt.Println("valid:", a.Valid())
	// Output:
	// warning service_outside_2_11 - 42 CFR 2.11
	// error missing_resist_clause - 42 CFR 2.11
	// valid: false
}

// id is an identifier without a system (a local identifier).
func id(value string) consent.Identifier { return consent.Identifier{Value: value} }

// A patient names her treating providers but refuses one of them (a nested deny in FHIR):
// the exclusion holds however that provider would be reached. Identifiers carry their
// system, and an exclusion without one reaches the value in every system.
func ExampleExclusion() {
	npi := func(v string) consent.Identifier {
		return consent.Identifier{System: "http://hl7.org/fhir/sid/us-npi", Value: v}
	}
	c := tpo()
	c.Exclusions = []consent.Exclusion{{ID: id("1234567893")}}
	e, err := consent.Compile([]consent.Consent{c}, nil)
	if err != nil {
		panic(err)
	}
	req := consent.Request{
		Patient: id("p1"), Discloser: id("prog-1"),
		Purpose:     consent.PurposeTreatment,
		Information: []consent.InfoKind{consent.InfoKindSUDRecords},
		At:          date("2026-02-01T10:00:00Z"),
	}
	for _, provider := range []string{"1234567893", "1987654320"} {
		req.Recipient = consent.Party{ID: npi(provider), Kind: consent.RecipientKindCoveredEntity}
		d := e.Decide(req)
		fmt.Println(req.Recipient.ID, d)
	}
	// Output:
	// "http://hl7.org/fhir/sid/us-npi|1234567893" deny: recipient_excluded no_basis
	// "http://hl7.org/fhir/sid/us-npi|1987654320" permit on consent:"c1": consent_permits
}

// A policy states how the engine reads what the regulation leaves open; its zero value is
// the default reading. Here a Part 2 program that received records under the TPO consent
// passes them, consistent with the consent, to a treating provider after the patient revoked
// it: denied by default (2.31(c)), permitted when the policy lets such redisclosures outlive
// the consent. (The deny lists why the consent itself does not let prog-2 disclose: it is
// revoked and does not name prog-2 as a discloser.) prog-2 received the records as one of
// the patient's treating providers, which its holder record says.
func ExamplePolicy_Compile() {
	c := tpo()
	c.RevokedAt = date("2026-01-25T00:00:00Z")
	req := consent.Request{
		Patient: id("p1"), Discloser: id("prog-2"),
		Holder: &consent.Holder{Kind: consent.RecipientKindPart2Program, ReceivedUnder: "c1", ReceivedAt: date("2026-01-20T00:00:00Z"),
			TreatingProviderRelationship: true},
		Recipient:   consent.Party{ID: id("peds-1"), Kind: consent.RecipientKindCoveredEntity},
		Purpose:     consent.PurposeTreatment,
		Information: []consent.InfoKind{consent.InfoKindSUDRecords},
		At:          date("2026-02-01T10:00:00Z"),
	}
	for _, p := range []consent.Policy{{}, {RedisclosureAfterConsentEnds: true}} {
		e, err := p.Compile([]consent.Consent{c}, nil)
		if err != nil {
			panic(err)
		}
		fmt.Println(e.Decide(req))
	}
	// Output:
	// deny: consent_revoked discloser_not_named redisclosure_consent_no_longer_in_force no_basis
	// permit on 42 CFR 2.33(b)(2) under consent:"c1": redisclosure_permits
}
