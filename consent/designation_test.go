package consent_test

import (
	"testing"

	"github.com/dyad-health/dyad/consent"
)

// Covers is the reach of a refusal of the class (the relationship taken as established, fail
// closed); CoversRequest is what the engine permits through the designation: "my treating
// providers" reaches a covered entity receiving for payment only when the request says its
// treating provider relationship with the patient is established (42 CFR 2.11, 2.31(a)(4)(i)),
// and for treatment by the purpose itself.
func TestDesignationCoversAndCoversRequest(t *testing.T) {
	d := consent.DesignationTreatingProviders
	ce := consent.Party{ID: consent.Identifier{Value: "clinic"}, Kind: consent.RecipientKindCoveredEntity}
	pay := consent.Request{Recipient: ce, Purpose: consent.PurposePayment}
	if !d.Covers(ce.Kind, consent.PurposePayment) {
		t.Error("Covers: a refusal of treating providers must reach a covered entity for payment")
	}
	if d.CoversRequest(pay) {
		t.Error("CoversRequest: payment without an established relationship is not covered")
	}
	pay.Facts.TreatingProviderRelationship = true
	if !d.CoversRequest(pay) {
		t.Error("CoversRequest: payment with the relationship established is covered")
	}
	treat := consent.Request{Recipient: ce, Purpose: consent.PurposeTreatment}
	if !d.CoversRequest(treat) {
		t.Error("CoversRequest: a disclosure for the recipient's treatment establishes it")
	}
	qso := consent.Request{Recipient: consent.Party{ID: consent.Identifier{Value: "q"}, Kind: consent.RecipientKindQSO}, Purpose: consent.PurposeTreatment}
	if d.CoversRequest(qso) || d.Covers(consent.RecipientKindQSO, consent.PurposeTreatment) {
		t.Error("a QSO is not a treating provider")
	}
}

// MayBeSame is the engine's matching of a named party (same value; same system or none on
// either side), narrower than an exclusion's reach (MayBeExcluded: any system, case, dashes).
func TestMayBeSameNarrowerThanMayBeExcluded(t *testing.T) {
	npi := "http://hl7.org/fhir/sid/us-npi"
	a := consent.Identifier{System: npi, Value: "dr-x"}
	for _, c := range []struct {
		b             consent.Identifier
		same, exclude bool
	}{
		{consent.Identifier{System: npi, Value: "dr-x"}, true, true},
		{consent.Identifier{Value: "dr-x"}, true, true},
		{consent.Identifier{System: "urn:other", Value: "dr-x"}, false, true},
		{consent.Identifier{System: npi, Value: "DR-X"}, false, true},
		{consent.Identifier{System: npi, Value: "dr-y"}, false, false},
	} {
		if got := consent.MayBeSame(a, c.b); got != c.same {
			t.Errorf("MayBeSame(%v, %v) = %v, want %v", a, c.b, got, c.same)
		}
		if got := consent.MayBeExcluded(a, c.b); got != c.exclude {
			t.Errorf("MayBeExcluded(%v, %v) = %v, want %v", a, c.b, got, c.exclude)
		}
	}
}
