package dyad_test

import (
	"fmt"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/perinatal"
	"github.com/dyad-health/dyad/priority"
)

// Example shows the three questions dyad answers, in a few lines each: how far along a
// pregnancy is, where a pregnant woman who injects drugs stands for a bed and what she is owed,
// and whether her program may share her records with her obstetric clinic.
func Example() {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

	// Pregnancy dating (perinatal).
	p := perinatal.PregnancyFromLMP(time.Date(2025, 10, 6, 0, 0, 0, 0, time.UTC))
	ga, _ := p.GestationalAgeAt(at)
	fmt.Println("gestational age:", ga, "trimester:", ga.Trimester())

	// Priority admission and deadlines (priority).
	federal, err := priority.Compile(priority.Federal())
	if err != nil {
		panic(err)
	}
	w := priority.Applicant{ID: "W2", SoughtAt: at.Add(-21 * time.Hour), Pregnant: true, InjectsDrugs: true}
	fmt.Println("tier:", federal.Classify(w, at))
	fmt.Println("interim services due:", federal.InterimDue(w).Format(time.RFC3339))

	// A 42 CFR Part 2 disclosure decision (consent).
	engine, err := consent.Compile([]consent.Consent{{
		ID: "c1", Patient: consent.Identifier{Value: "W2"}, Kind: consent.KindTPO,
		Disclosers:             []consent.Identifier{{Value: "prog-1"}},
		Recipients:             []consent.Recipient{{Designation: consent.DesignationTreatingProviders}},
		Purposes:               []consent.Purpose{consent.PurposeTreatment, consent.PurposePayment, consent.PurposeOperations},
		Information:            []consent.InfoKind{consent.InfoKindSUDRecords},
		InformationDescription: "medications and treatment plan",
		Expires:                consent.Expiry{None: true},
		SignedAt:               at.Add(-time.Hour),
		Signer:                 consent.SignerPatient,
		Statements:             consent.Statements{Revocation: true, Redisclosure: true, RefusalConsequences: true},
	}}, nil)
	if err != nil {
		panic(err)
	}
	d := engine.Decide(consent.Request{
		Patient: consent.Identifier{Value: "W2"}, Discloser: consent.Identifier{Value: "prog-1"},
		Recipient:   consent.Party{ID: consent.Identifier{Value: "ob-clinic"}, Kind: consent.RecipientKindCoveredEntity},
		Purpose:     consent.PurposeTreatment,
		Information: []consent.InfoKind{consent.InfoKindSUDRecords},
		At:          at,
	})
	fmt.Println("permit:", d.Permit, "basis:", d.Basis)
	// Output:
	// gestational age: 21w0d trimester: second
	// tier: 1 pregnant_injecting (pregnant+injects_drugs)
	// interim services due: 2026-03-03T12:00:00Z
	// permit: true basis: consent:"c1"
}
