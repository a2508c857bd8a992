//go:build !race

package consent

import (
	"fmt"
	"testing"
)

// The permit path of Decide does not allocate (the race detector adds allocations, hence
// the build tag). This asserts allocations, not time.
func TestPermitPathAllocatesNothing(t *testing.T) {
	e := mustCompile(t, []Consent{generalConsent(), tpoConsent()}, []QSOAgreement{labAgreement()})
	qso := obRequest()
	qso.Recipient = Party{ID: id("lab-1"), Kind: RecipientKindQSO}
	qso.Purpose = PurposeQSOService
	qso.Service = ServiceLaboratoryAnalyses
	em := obRequest()
	em.Recipient = Party{ID: id("ed-1"), Kind: RecipientKindMedicalPersonnel}
	em.Purpose = PurposeEmergencyTreatment
	em.Facts.Emergency = true
	for name, r := range map[string]Request{"consent": obRequest(), "qso": qso, "emergency": em} {
		if n := testing.AllocsPerRun(100, func() {
			if !e.Decide(r).Permit {
				t.Fatal("denied")
			}
		}); n != 0 {
			t.Errorf("%s: %v allocations per permit, want 0", name, n)
		}
	}
	// A patient with more than fewConsents consents takes the other path of Decide; the
	// permitting consent comes last, after consents that collect reasons on the one-walk
	// path.
	var cs []Consent
	for i := range fewConsents + 1 {
		c := generalConsent()
		c.ID = fmt.Sprintf("r%d", i)
		c.RevokedAt = at("2026-01-20T00:00:00Z")
		cs = append(cs, c)
	}
	for _, n := range []int{fewConsents - 1, fewConsents + 1} {
		e := mustCompile(t, append(cs[:n:n], generalConsent()), nil)
		r := obRequest()
		if a := testing.AllocsPerRun(100, func() {
			if !e.Decide(r).Permit {
				t.Fatal("denied")
			}
		}); a != 0 {
			t.Errorf("%d revoked consents first: %v allocations per permit, want 0", n, a)
		}
	}
}
