package fhir

import (
	"testing"

	"github.com/dyad-health/dyad/consent"
)

// A refusal reaches an actor as an exclusion of the consent engine does (consent.MayBeExcluded:
// the same value whatever its system, case of letters and dashes; FHIR R4 Identifier.value may
// be "normalized for comparison purposes (e.g. removing non-significant whitespace, dashes,
// etc.)"), so that a patient's "not to DR-X" in a later FHIR Consent is not missed by a request
// naming dr-x; a carved-out permission still covers only exactly its identifier. Before the
// change the refusal compared values exactly and the request was not refused.
func TestRefusalReachesSpellingsOfItsActor(t *testing.T) {
	npi := "http://hl7.org/fhir/sid/us-npi"
	refused := Scope{Actors: []consent.Exclusion{{ID: consent.Identifier{System: npi, Value: "DR-X"}}}}
	r := consent.Request{
		Recipient: consent.Party{ID: consent.Identifier{System: npi, Value: "drx"}, Kind: consent.RecipientKindCoveredEntity},
		Purpose:   consent.PurposeTreatment,
	}
	ids := []consent.Identifier{r.Recipient.ID}
	if !refused.covers(r, ids, false) {
		t.Error("a refusal of DR-X must reach drx")
	}
	if refused.covers(r, ids, true) {
		t.Error("a carved-out permission of DR-X must not cover drx")
	}
	if !excludes(refused.Actors, consent.Identifier{Value: "dr-x"}) {
		t.Error("an exclusion of DR-X must reach dr-x, whatever the system")
	}
	if excludes(refused.Actors, consent.Identifier{System: npi, Value: "dr-y"}) {
		t.Error("an exclusion of DR-X must not reach dr-y")
	}
	if consent.MayBeExcluded(consent.Identifier{}, consent.Identifier{}) {
		t.Error("an exclusion without a value reaches no one")
	}
}
