package priority_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/dyad-health/dyad/perinatal"
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
		{ID: "W2", SoughtAt: sought, Pregnant: true, PriorDeliveryAt: sought.AddDate(0, -8, 0)}, // pregnant again
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

// A State's policy that puts postpartum women before people who inject drugs is refused: the
// federal groups of 45 CFR 96.131(a) keep their order. Ranked first among "all others", after
// people who inject drugs, the same tier is accepted.
func ExampleDecodePolicy() {
	_, err := priority.DecodePolicy([]byte(`{
	  "name": "example-state", "postpartum_days": 365,
	  "tiers": [
	    { "name": "pregnant_injecting", "when": { "pregnant": true, "injects_drugs": true } },
	    { "name": "pregnant", "when": { "pregnant": true } },
	    { "name": "postpartum", "when": { "postpartum": true } },
	    { "name": "injecting", "when": { "injects_drugs": true } },
	    { "name": "everyone_else", "whne": { "veteran": true } }
	  ] }`), priority.DecodeOptions{})
	var ve *priority.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p.Code, p.Path)
		}
	}
	p, err := priority.DecodePolicy([]byte(`{
	  "name": "example-state", "postpartum_days": 365,
	  "tiers": [
	    { "name": "pregnant_injecting", "when": { "pregnant": true, "injects_drugs": true } },
	    { "name": "pregnant", "when": { "pregnant": true } },
	    { "name": "injecting", "when": { "injects_drugs": true } },
	    { "name": "postpartum", "when": { "postpartum": true } },
	    { "name": "everyone_else" }
	  ] }`), priority.DecodeOptions{})
	fmt.Println(p.Name, len(p.Tiers), err)
	_, err = priority.Compile(priority.Policy{Name: "lone", Tiers: []priority.Tier{{Name: "all"}}})
	errors.As(err, &ve)
	fmt.Println(ve.Problems[0].Code, ve.Problems[0].Cite)
	// Output:
	// unknown_field tiers[4].?
	// example-state 5 <nil>
	// federal_order_broken 45 CFR 96.131(a)
}

func ExampleCompiled_Obligations() {
	policy := priority.MustCompile(priority.Federal())
	sought := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	// No program could admit him on the day he asked (the State's capacity records say so).
	man := priority.Applicant{ID: "M1", SoughtAt: sought, InjectsDrugs: true, CapacityAtRequest: priority.CapacityNone}
	full := priority.Program{Beds: 20, Occupied: 20, ServesInjecting: true}

	// Interim services made available 47 hours after he asked: admission may wait 120 days.
	done := priority.Progress{InterimAt: sought.Add(47 * time.Hour)}
	obs, err := policy.Obligations(man, done, full, sought.Add(72*time.Hour))
	if err != nil {
		panic(err)
	}
	for _, o := range obs {
		fmt.Printf("%s %s due %s: %s %v\n", o.Subject, o.Kind, o.Due.Format(time.RFC3339), o.Status, o.Citations)
	}
	// An admission dated before the request cannot be.
	_, err = policy.Obligations(man, priority.Progress{AdmittedAt: sought.Add(-time.Hour)}, full, sought)
	fmt.Println(errors.Is(err, priority.ErrInvalidProgress))
	// Output:
	// M1 interim_services due 2026-03-03T08:00:00Z: met 45 CFR 96.126(b); 45 CFR 96.126(c); 45 CFR 96.121
	// M1 admission due 2026-06-29T08:00:00Z: open 45 CFR 96.126(b)
	// true
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
	fmt.Println("missing at 49 h:", ic.Missing, ic.Status)
	rec = rec.Deliver(priority.ElementPrenatalCareReferral, sought.Add(50*time.Hour))
	ic = policy.InterimCompliance(woman, rec, sought.Add(51*time.Hour))
	fmt.Println("complete at", ic.CompleteAt.Format(time.RFC3339), ic.Status)
	// Output:
	// owed: hiv_tb_education+needle_sharing_risks+transmission_to_partners_and_infants+transmission_prevention_steps+hiv_tb_treatment_referral+fetal_effects_counseling+prenatal_care_referral
	// missing at 49 h: prenatal_care_referral overdue
	// complete at 2026-03-03T10:00:00Z met_late
}

func ExampleWaitlist() {
	t := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return t.Add(72 * time.Hour) } // a real system passes time.Now
	w, err := priority.NewWaitlist(priority.MustCompile(priority.Federal()), priority.WaitlistOptions{Now: clock})
	if err != nil {
		panic(err)
	}
	add := func(a priority.Applicant) {
		if _, err := w.Add(a, a.SoughtAt, "intake-1"); err != nil {
			fmt.Println(err)
		}
	}
	add(priority.Applicant{ID: "M1", SoughtAt: t, InjectsDrugs: true})
	add(priority.Applicant{ID: "O1", SoughtAt: t.Add(time.Hour)})
	add(priority.Applicant{ID: "W1", SoughtAt: t.Add(2 * time.Hour), Pregnant: true})
	add(priority.Applicant{ID: "W1", SoughtAt: t.Add(3 * time.Hour)}) // a duplicate identifier
	add(priority.Applicant{ID: "Jane Doe", SoughtAt: t.Add(3 * time.Hour)})

	// O1 reports injecting drug use: she moves up to tier 3, behind M1 who asked first.
	if _, err := w.Update(priority.Applicant{ID: "O1", InjectsDrugs: true}, t.Add(4*time.Hour), "intake-1"); err != nil {
		panic(err)
	}
	now := t.Add(49*time.Hour + 30*time.Minute)
	head, _ := w.Head(0, now, priority.Everyone)
	for _, x := range head {
		pos, _ := w.Position(x.Applicant.ID, now)
		fmt.Println(pos, x.Applicant.ID, x.Classification.Tier)
	}
	overdue, _ := w.Overdue(now)
	for _, o := range overdue {
		fmt.Println("overdue:", o.Subject, o.Kind, o.Citations.First())
	}
	next, _, _ := w.Next(now, priority.Everyone)
	// W1 is admitted 51 hours after she asked (49 after her 48 hours began), with no interim
	// services made available.
	if err := w.Remove(next.Applicant.ID, priority.RemovalAdmitted, t.Add(51*time.Hour), "intake-1"); err != nil {
		panic(err)
	}
	// Her record stays answerable after admission: what was owed, met or missed.
	cr, _ := w.Compliance("W1", t.Add(52*time.Hour))
	fmt.Println("admitted", cr.ID, "- interim services", cr.Interim.Status, "- events:", w.LastSeq())
	// Output:
	// priority: duplicate patient identifier: "W1"
	// priority: invalid applicant: invalid_id at facts.id: The patient identifier does not follow the rule: An identifier is 1 to 128 bytes of letters, digits and . _ - : / @ #.
	// 1 W1 pregnant
	// 2 M1 injecting
	// 3 O1 injecting
	// overdue: M1 interim_services 45 CFR 96.126(b)
	// overdue: O1 interim_services 45 CFR 96.126(b)
	// admitted W1 - interim services missed - events: 5
}

// A registry saves each change as it comes (EventsSince, from the last event saved), takes a
// snapshot now and then and compacts the list, so that a list running for years holds what
// is waiting, not its history. The saved pieces restore the list.
func ExampleWaitlist_EventsSince() {
	t := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return t.Add(time.Hour) }
	policy := priority.MustCompile(priority.Federal())
	w, _ := priority.NewWaitlist(policy, priority.WaitlistOptions{Now: clock})
	var saved []priority.Event // stands for the registry's database
	save := func() {
		var last uint64
		if len(saved) > 0 {
			last = saved[len(saved)-1].Seq
		}
		evs, err := w.EventsSince(last) // only what is new: O(1) per change
		if err != nil {
			panic(err)
		}
		saved = append(saved, evs...)
	}
	w.Add(priority.Applicant{ID: "A", SoughtAt: t, Pregnant: true}, t, "intake-1")
	save()
	w.Add(priority.Applicant{ID: "B", SoughtAt: t, InjectsDrugs: true}, t.Add(time.Minute), "intake-1")
	save()
	snap := w.Snapshot()    // saved too, beside the events
	_ = w.Compact(snap.Seq) // the events up to it leave memory
	w.Remove("A", priority.RemovalAdmitted, t.Add(2*time.Minute), "intake-2")
	save()

	tail := saved[snap.Seq:] // the events after the snapshot
	restored, err := priority.RestoreWaitlist(policy, snap, tail, priority.WaitlistOptions{Now: clock})
	if err != nil {
		panic(err)
	}
	seq, hash := w.Checkpoint()
	seq2, hash2 := restored.Checkpoint()
	fmt.Println(len(saved), "events saved; restored", restored.Len(), "waiting; same chain:", seq == seq2 && hash == hash2)
	fmt.Println("first event:", saved[0].Kind, saved[0].Actor, saved[0].Prev == priority.GenesisPrev)
	// Output:
	// 3 events saved; restored 1 waiting; same chain: true
	// first event: added intake-1 true
}

// A bed in a program for pregnant women and women with dependent children (45 CFR 96.124)
// goes to the first eligible woman, whoever is first on the list.
func ExampleWaitlist_Next() {
	t := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	w, _ := priority.NewWaitlist(priority.MustCompile(priority.Federal()), priority.WaitlistOptions{Now: func() time.Time { return t }})
	w.Add(priority.Applicant{ID: "M1", SoughtAt: t, InjectsDrugs: true}, t, "intake-1")
	w.Add(priority.Applicant{ID: "D1", SoughtAt: t, Woman: true, DependentChildren: true}, t, "intake-1")
	w.Add(priority.Applicant{ID: "L1", SoughtAt: t, Pregnant: true,
		Pregnancy: perinatal.Pregnancy{DeliveredAt: t.Add(-time.Hour), Outcome: perinatal.OutcomeLiveBirth}}, t, "intake-1")
	any, _, _ := w.Next(t, priority.Everyone)
	womens, _, _ := w.Next(t, priority.WomensProgram())
	fmt.Println("any bed:", any.Applicant.ID, "- a women's program bed:", womens.Applicant.ID)
	// Output:
	// any bed: M1 - a women's program bed: D1
}

// A State amends its policy after the registry's last snapshot: the snapshot and the events
// saved since it are restored across the change, given both policies.
func ExampleRestoreWaitlistAcross() {
	t := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return t.Add(time.Hour) }
	federal := priority.MustCompile(priority.Federal())
	amended := priority.Federal()
	amended.StateReferralHours = 24
	state := priority.MustCompile(amended)
	w, _ := priority.NewWaitlist(federal, priority.WaitlistOptions{Now: clock})
	w.Add(priority.Applicant{ID: "A", SoughtAt: t, Pregnant: true}, t, "intake-1")
	snap := w.Snapshot() // saved, with the events up to it
	_ = w.Compact(snap.Seq)
	w.ChangePolicy(state, t.Add(time.Minute), "state-admin")
	w.Add(priority.Applicant{ID: "B", SoughtAt: t, InjectsDrugs: true}, t.Add(2*time.Minute), "intake-1")
	tail, _ := w.EventsSince(snap.Seq) // saved as they came

	if _, err := priority.RestoreWaitlist(federal, snap, tail, priority.WaitlistOptions{}); errors.Is(err, priority.ErrPolicyMismatch) {
		fmt.Println("RestoreWaitlist: a change of policy among the events")
	}
	restored, err := priority.RestoreWaitlistAcross(snap, tail, priority.WaitlistOptions{Now: clock}, federal, state)
	if err != nil {
		panic(err)
	}
	seq, hash := w.Checkpoint()
	seq2, hash2 := restored.Checkpoint()
	fmt.Println("restored", restored.Len(), "waiting under the amended policy:", restored.Policy().ID() == state.ID(), "same chain:", seq == seq2 && hash == hash2)
	// Output:
	// RestoreWaitlist: a change of policy among the events
	// restored 2 waiting under the amended policy: true same chain: true
}
