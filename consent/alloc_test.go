//go:build !race

package consent

import "testing"

// The permit path of Decide does not allocate (the race detector adds allocations, hence
// the build tag). This asserts allocations, not time.
func TestPermitPathAllocatesNothing(t *testing.T) {
	e := mustCompile(t, []Consent{generalConsent(), tpoConsent()}, []QSOAgreement{labAgreement()})
	qso := obRequest()
	qso.Recipient = Party{ID: "lab-1", Kind: RecipientKindQSO}
	qso.Purpose = PurposeQSOService
	qso.Service = ServiceLaboratoryAnalyses
	em := obRequest()
	em.Recipient = Party{ID: "ed-1", Kind: RecipientKindMedicalPersonnel}
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
}
