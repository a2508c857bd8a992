package consentbench_test

import (
	"fmt"
	"time"

	"github.com/dyad-health/dyad/bench/consentbench"
)

// Both engines answer the same request from the same consent: a TPO consent naming "my
// treating providers" lets the program send SUD records to the obstetric clinic for treatment
// until it is revoked.
func Example() {
	signed := time.Date(2026, 1, 10, 14, 0, 0, 0, time.UTC)
	consents := []consentbench.Consent{{
		ID: "c1", Patient: "p1", Kind: "tpo", Disclosers: []string{"prog-1"},
		Designations: []string{"treating_providers"},
		Purposes:     []string{"treatment", "payment", "operations"},
		Information:  []string{"sud_records"},
		SignedAt:     signed,
		RevokedAt:    signed.AddDate(0, 6, 0),
	}}
	dyad, err := consentbench.NewDyadEngine(consents)
	if err != nil {
		fmt.Println(err)
		return
	}
	cedar, err := consentbench.NewCedarEngine(consents, consentbench.CedarSlice)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, at := range []time.Time{signed.AddDate(0, 1, 0), signed.AddDate(0, 7, 0)} {
		r := consentbench.Request{
			Patient: "p1", Discloser: "prog-1", RecipientID: "ob-clinic", RecipientKind: "covered_entity",
			Purpose: "treatment", Information: []string{"sud_records"}, At: at,
		}
		dd, err := dyad.Decide(&r)
		if err != nil {
			fmt.Println(err)
			return
		}
		ca, err := cedar.Decide(&r)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s\n  dyad:  %s\n  cedar: %s\n", at.Format("2006-01-02"), consentbench.DyadDecision(dd), cedar.Decision(ca))
	}
	// Output:
	// 2026-02-10
	//   dyad:  permit basis=consent:c1 obligations=[limit_to_need,notice_2_32,record_disclosure]
	//   cedar: permit basis=consent:c1 obligations=[limit_to_need,notice_2_32,record_disclosure]
	// 2026-08-10
	//   dyad:  deny
	//   cedar: deny
}
