package priority_test

import (
	"fmt"
	"time"

	"github.com/dyad-health/dyad/priority"
)

func ExampleCompiled_Classify() {
	policy, err := priority.Compile(priority.Federal())
	if err != nil {
		panic(err)
	}
	sought := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for _, a := range []priority.Applicant{
		{ID: "W1", SoughtAt: sought, Pregnant: true, InjectsDrugs: true},
		{ID: "W2", SoughtAt: sought, Pregnant: true},
		{ID: "M1", SoughtAt: sought, InjectsDrugs: true},
		{ID: "M2", SoughtAt: sought},
	} {
		c := policy.Classify(a, sought)
		fmt.Printf("%s: tier %d %s because %s (%s)\n", a.ID, c.Rank, c.Tier, c.Matched, c.Citations)
	}
	// Output:
	// W1: tier 1 pregnant_injecting because pregnant+injects_drugs (45 CFR 96.131(a)(1))
	// W2: tier 2 pregnant because pregnant (45 CFR 96.131(a)(2))
	// M1: tier 3 injecting because injects_drugs (45 CFR 96.131(a)(3))
	// M2: tier 4 everyone_else because none (45 CFR 96.131(a)(4))
}

func ExampleCompile_statePolicy() {
	p := priority.Policy{
		Name:           "example-state",
		PostpartumDays: 365,
		Tiers: []priority.Tier{
			{Name: "pregnant", When: map[string]bool{"pregnant": true}},
			{Name: "postpartum", When: map[string]bool{"postpartum": true}},
			{Name: "pregnant_injecting", When: map[string]bool{"pregnant": true, "injects_drugs": true}},
			{Name: "everyone"},
			{Name: "veterans", When: map[string]bool{"veteran": true, "homeless": true}},
		},
	}
	_, err := priority.Compile(p)
	fmt.Println(err)
	// Output:
	// priority: invalid policy: unreachable_tier: tier "pregnant_injecting" can never match: everyone it matches is matched first by tier 1; unknown_condition: tier "veterans" uses unknown condition "homeless"; unreachable_tier: tier "veterans" comes after the catch-all tier 4 and can never match
}

func ExampleCompiled_Obligations() {
	policy := priority.MustCompile(priority.Federal())
	sought := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	man := priority.Applicant{ID: "M1", SoughtAt: sought, InjectsDrugs: true}
	full := priority.Program{Beds: 20, Occupied: 20, ServesInjecting: true}

	// Interim services made available 47 hours after he asked: admission may wait 120 days.
	done := priority.Progress{InterimAt: sought.Add(47 * time.Hour)}
	for _, o := range policy.Obligations(man, done, full, sought.Add(72*time.Hour)) {
		fmt.Printf("%s %s due %s: %s %v\n", o.Subject, o.Kind, o.Due.Format(time.RFC3339), o.State, o.Citations)
	}
	// Output:
	// M1 interim_services due 2026-03-03T08:00:00Z: met [45 CFR 96.126(b) 45 CFR 96.121]
	// M1 admission due 2026-06-29T08:00:00Z: open [45 CFR 96.126(b)]
}

func ExampleCompiled_InterimCompliance() {
	policy := priority.MustCompile(priority.Federal())
	sought := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	woman := priority.Applicant{ID: "W1", SoughtAt: sought, Pregnant: true}

	fmt.Println("owed:", policy.InterimElements(woman, sought))
	var rec priority.InterimRecord
	for _, e := range priority.BaseElements.Slice() {
		rec = rec.Deliver(e, sought.Add(20*time.Hour))
	}
	rec = rec.Deliver(priority.ElementFetalEffectsCounseling, sought.Add(30*time.Hour))
	ic := policy.InterimCompliance(woman, rec, sought.Add(49*time.Hour))
	fmt.Println("missing at 49 h:", ic.Missing, ic.State)
	rec = rec.Deliver(priority.ElementPrenatalCareReferral, sought.Add(50*time.Hour))
	ic = policy.InterimCompliance(woman, rec, sought.Add(51*time.Hour))
	fmt.Println("complete at", ic.CompleteAt.Format(time.RFC3339), ic.State)
	// Output:
	// owed: hiv_tb_education+needle_sharing_risks+transmission_to_partners_and_infants+transmission_prevention_steps+hiv_tb_treatment_referral+fetal_effects_counseling+prenatal_care_referral
	// missing at 49 h: prenatal_care_referral overdue
	// complete at 2026-03-03T10:00:00Z met_late
}

func ExampleWaitlist() {
	w, err := priority.NewWaitlist(priority.MustCompile(priority.Federal()))
	if err != nil {
		panic(err)
	}
	t := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	add := func(a priority.Applicant) {
		if _, err := w.Add(a, a.SoughtAt); err != nil {
			fmt.Println(err)
		}
	}
	add(priority.Applicant{ID: "M1", SoughtAt: t, InjectsDrugs: true})
	add(priority.Applicant{ID: "O1", SoughtAt: t.Add(time.Hour)})
	add(priority.Applicant{ID: "W1", SoughtAt: t.Add(2 * time.Hour), Pregnant: true})
	add(priority.Applicant{ID: "W1", SoughtAt: t.Add(3 * time.Hour)}) // a duplicate identifier

	// O1 reports injecting drug use: she moves up to tier 3, behind M1 who asked first.
	if _, err := w.Update(priority.Applicant{ID: "O1", InjectsDrugs: true}, t.Add(4*time.Hour)); err != nil {
		panic(err)
	}
	for _, x := range w.Head(0) {
		pos, _ := w.Position(x.Applicant.ID)
		fmt.Println(pos, x.Applicant.ID, x.Classification.Tier)
	}
	for _, o := range w.Overdue(t.Add(49*time.Hour + 30*time.Minute)) {
		fmt.Println("overdue:", o.Subject, o.Kind, o.Citations[0])
	}
	next, _ := w.Next()
	if err := w.Remove(next.Applicant.ID, priority.RemovalAdmitted, t.Add(50*time.Hour)); err != nil {
		panic(err)
	}
	fmt.Println("admitted", next.Applicant.ID, "- events:", len(w.Events()))
	// Output:
	// priority: duplicate patient identifier: "W1"
	// 1 W1 pregnant
	// 2 M1 injecting
	// 3 O1 injecting
	// overdue: M1 interim_services 45 CFR 96.126(b)
	// overdue: O1 interim_services 45 CFR 96.126(b)
	// admitted W1 - events: 5
}
