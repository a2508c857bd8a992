//go:build qa3

package consent_test

import (
	"testing"
	"time"

	"github.com/dyad-health/dyad/consent"
)

// QA round 3 (an outsider's review: a data-sharing vendor's security reviewer). Each test
// below reproduces one problem and FAILS on the code as it stands; run them with
//
//	go test -tags qa3 -run TestQA3 ./consent/
//
// What held is in property_outsider_test.go (untagged, passing) and the report.

// The helpers (q3Portal, q3OptOut, q3FHIRDecide, ...) are in qa3_regress_test.go.

// ===========================================================================================
// consent/fhir: a patient's refusal that the reader drops (fail-open permits)
// ===========================================================================================

// ===========================================================================================
// consent: exclusions and the new option
// ===========================================================================================

// TestQA3_ExclusionMissesCaseVariantOfIdentifier
//
// What it does: a TPO consent designates "my treating providers" and excludes "dr-x" (no
// system: "every system", the package's fail-closed reach). The request discloses for
// treatment to a covered entity identified as "DR-X".
//
// Engine: excludes compares values byte for byte: "DR-X" != "dr-x"; the designation covers
// any covered entity for treatment, so it permits. The package's reading of exclusions is
// "it reaches every party that may be X" (Identifier doc) and it already gives up on systems
// for that reason ("one system has several spellings"); values have several spellings too
// (case of local identifiers and of e-mail style ones, which the identifier rule admits
// with '@'; FHIR lets identifier values be normalized for comparison, removing dashes and
// whitespace: recalled from the R4 Identifier.value comment, NOT retrieved by the search
// tool).
//
// Text: 2.33(a)(1) (verified): disclosure "in accordance with that consent"; the consent
// refuses X.
//
// Why wrong: the same fail-closed argument that widens exclusions over systems applies to
// spellings of the value; a caller that keys recipients by a differently-cased identifier
// bypasses the refusal while a class still reaches the recipient.
//
// Confidence: possible (an identifier's case may be significant in its system; a fix could
// compare values case-insensitively for exclusions only, which fails closed). Severity: low.
func TestQA3_ExclusionMissesCaseVariantOfIdentifier(t *testing.T) {
	c := consent.Consent{ID: "c1", Patient: consent.Identifier{Value: "p1"}, Kind: consent.KindTPO,
		Disclosers:             []consent.Identifier{{Value: "prog-1"}},
		Recipients:             []consent.Recipient{{Designation: consent.DesignationTreatingProviders}},
		Exclusions:             []consent.Exclusion{{ID: consent.Identifier{Value: "dr-x"}}},
		Purposes:               []consent.Purpose{consent.PurposeTreatment, consent.PurposePayment, consent.PurposeOperations},
		Information:            []consent.InfoKind{consent.InfoKindSUDRecords},
		InformationDescription: "diagnosis and treatment plan", Expires: consent.Expiry{None: true},
		SignedAt: time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC), Signer: consent.SignerPatient, Statements: q3Stmts}
	e, err := consent.Compile([]consent.Consent{c}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := consent.Request{Patient: consent.Identifier{Value: "p1"}, Discloser: consent.Identifier{Value: "prog-1"},
		Recipient: consent.Party{ID: consent.Identifier{Value: "dr-x"}, Kind: consent.RecipientKindCoveredEntity},
		Purpose:   consent.PurposeTreatment, Information: []consent.InfoKind{consent.InfoKindSUDRecords},
		At: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)}
	if d := e.Decide(r); d.Permit {
		t.Fatalf("control: dr-x permitted: %v", d)
	}
	for _, v := range []string{"DR-X", "Dr-X", "drx"} {
		r.Recipient.ID.Value = v
		if d := e.Decide(r); d.Permit {
			t.Errorf("exclusion of dr-x; %q permitted: %v", v, d)
		}
	}
}

// TestQA3_PayerExclusionSparedForPayment
//
// What it does: a TPO consent ("my treating providers, health plans, third-party payers,
// and people helping to operate this program") with the patient's "not to health plans".
// Under Policy.PayerExclusionSparesTreatingProviders, a covered entity receives the records
// FOR PAYMENT, the request asserting Facts.TreatingProviderRelationship (an integrated
// plan-provider, or simply a caller's claim).
//
// Engine: excludes skips the health_plans exclusion whenever the treating fact is set,
// whatever the purpose; the health_plans designation itself covers the party for payment,
// so it permits. The option's own justification is the treating relationship, but for
// payment or operations the party receives in its plan/payer capacity: the very capacity
// the patient refused.
//
// Text: 2.31(a)(4)(i) (verified): the recipients are "the name(s) of the person(s), or
// class of persons"; the TPO description lists "health plans" as a class. 2.33(a)(1)
// (verified): disclosure "in accordance with that consent". 45 CFR 164.506(c)(3) (quoted in
// the package, not re-retrieved): payment disclosures go "for the payment activities of
// the entity that receives the information".
//
// Why wrong: the option should spare a treating provider only when it receives as one
// (treatment or emergency treatment), never for payment or operations, where a plan that
// also treats acts as a plan.
//
// Confidence: possible (opt-in option, and documented as sparing "a party whose treating
// provider relationship the request establishes"; the finding is that the purpose is not
// considered). Severity: low.
func TestQA3_PayerExclusionSparedForPayment(t *testing.T) {
	c := consent.Consent{ID: "c1", Patient: consent.Identifier{Value: "p1"}, Kind: consent.KindTPO,
		Disclosers: []consent.Identifier{{Value: "prog-1"}},
		Recipients: []consent.Recipient{{Designation: consent.DesignationTreatingProviders}, {Designation: consent.DesignationHealthPlans},
			{Designation: consent.DesignationThirdPartyPayers}, {Designation: consent.DesignationProgramOperations}},
		Exclusions:             []consent.Exclusion{{Designation: consent.DesignationHealthPlans}},
		Purposes:               []consent.Purpose{consent.PurposeTreatment, consent.PurposePayment, consent.PurposeOperations},
		Information:            []consent.InfoKind{consent.InfoKindSUDRecords},
		InformationDescription: "diagnosis and treatment plan", Expires: consent.Expiry{None: true},
		SignedAt: time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC), Signer: consent.SignerPatient, Statements: q3Stmts}
	e, err := consent.Policy{PayerExclusionSparesTreatingProviders: true}.Compile([]consent.Consent{c}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := consent.Request{Patient: consent.Identifier{Value: "p1"}, Discloser: consent.Identifier{Value: "prog-1"},
		Recipient:   consent.Party{ID: consent.Identifier{Value: "acme-health"}, Kind: consent.RecipientKindCoveredEntity},
		Information: []consent.InfoKind{consent.InfoKindSUDRecords}, At: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC),
		Facts: consent.Facts{TreatingProviderRelationship: true}}
	for _, p := range []consent.Purpose{consent.PurposePayment, consent.PurposeOperations} {
		r.Purpose = p
		if d := e.Decide(r); d.Permit {
			t.Errorf("\"not to health plans\"; a covered entity receives for %v by asserting a treating relationship: %v", p, d)
		}
	}
}
