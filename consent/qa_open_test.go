//go:build qa

package consent_test

import (
	"testing"

	"github.com/dyad-health/dyad/consent"
)

// Open QA findings: reproducers kept behind the qa build tag because the regulation text they
// rest on could not be verified here (go test -tags qa -run TestQA ./consent/). They fail
// today by design; see the report of the fixc branch.

// TestQA_ResearchConsentMayExpireNone
//
// 42 CFR 2.31(a)(7) (2024, aligned with HIPAA 45 CFR 164.508(c)(1)(v); the eCFR page was not
// retrievable here): "An expiration date or an expiration event that relates to the
// individual patient or the purpose of the use or disclosure. The statement 'end of the
// research study' or 'none' is sufficient if the consent is for a use or disclosure for
// research, including for the creation and maintenance of a research database or research
// repository. ..." (HIPAA 164.508(c)(1)(v) reads exactly so for authorizations.)
//
// Engine: Expiry{None: true} on a research consent is expiration_none_not_allowed ("'none'
// is sufficient only for a single TPO consent"): the consent is deficient and permits
// nothing.
//
// Should: accept "none" for a research consent.
//
// Confidence: a reading (verify the 2024 wording of 2.31(a)(7); doc.go itself says only that
// a research consent "may expire at the end of the research study").
//
// Open (fixc): the 2024 text of 2.31(a)(7) could not be retrieved through the search tool
// (only HIPAA 164.508(c)(1)(v) was), so the engine keeps its fail-closed reading ("none"
// only for a single TPO consent) until the lead verifies the wording.
func TestQA_ResearchConsentMayExpireNone(t *testing.T) {
	c := qaGeneral()
	c.Kind = consent.KindResearch
	c.Purposes = []consent.Purpose{consent.PurposeResearch}
	c.Expires = consent.Expiry{None: true}
	if ps := c.Problems(); len(ps) > 0 {
		t.Errorf("a research consent expiring \"none\": %v", ps)
	}
}
