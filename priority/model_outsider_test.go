package priority_test

// Differential tests written from outside (package priority_test) by a State registry
// developer: random operation sequences, ChangePolicy and late pregnancies included, applied
// live; the same list rebuilt from its log (RebuildAcross), restored from a snapshot and the
// events since it, and decoded from its saved JSON must answer Next, Position, Head,
// Obligations (departed included), Overdue and ProgramObligations the same at several moments.
// They held on the code they were written against (qa4 branch from main 637f027).

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/dyad-health/dyad/perinatal"
	"github.com/dyad-health/dyad/priority"
)

// outsiderPolicies are two lawful policies a State might switch between: a federal order
// with a postpartum tier (30 days), and an amended one with veterans after the federal
// injecting group, interim services for everyone waiting and a 24-hour State referral.
func outsiderPolicies(t testing.TB) (*priority.Compiled, *priority.Compiled) {
	a := priority.Federal()
	a.PostpartumDays = 30
	a.Tiers = append(a.Tiers[:3:3], priority.Tier{Name: "pp", When: map[string]bool{"postpartum": true}}, a.Tiers[3])
	b := priority.Federal()
	b.Tiers = append(b.Tiers[:3:3], priority.Tier{Name: "vets", When: map[string]bool{"veteran": true}}, b.Tiers[3])
	b.InterimWhileWaiting = true
	b.StateReferralHours = 24
	ca, err := priority.Compile(a)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := priority.Compile(b)
	if err != nil {
		t.Fatal(err)
	}
	return ca, cb
}

type outsiderRun struct {
	w       *priority.Waitlist
	store   []priority.Event
	ids     []string // every identifier ever added
	at      time.Time
	changes int
	// snaps are snapshots taken after the last change of policy, with that policy; allSnaps
	// every snapshot taken, changes of policy after it or not (RestoreWaitlistAcross).
	snaps    []priority.Snapshot
	allSnaps []priority.Snapshot
	// compactedAt is the seq of the last Compact (0: none).
	compactedAt uint64
}

func outsiderDrive(t testing.TB, seed uint64, n int, ca, cb *priority.Compiled, compact bool) *outsiderRun {
	r := heldRand(seed)
	w, err := priority.NewWaitlist(ca, priority.WaitlistOptions{Now: func() time.Time { return time.Date(2199, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	run := &outsiderRun{w: w, at: qaT0}
	seen := map[string]bool{}
	var live []string
	flush := func() {
		evs, err := w.EventsSince(uint64(len(run.store)))
		if err != nil {
			t.Fatal(err)
		}
		run.store = append(run.store, evs...)
	}
	for i := 0; i < n; i++ {
		run.at = run.at.Add(time.Duration(r.IntN(400)) * time.Minute)
		at := run.at
		switch k := r.IntN(20); {
		case k < 7 || len(live) == 0:
			id := fmt.Sprintf("P-%d", r.IntN(n))
			a := priority.Applicant{ID: id, SoughtAt: at.Add(-time.Duration(r.IntN(3000)) * time.Minute), Pregnant: r.IntN(4) == 0,
				InjectsDrugs: r.IntN(2) == 0, Veteran: r.IntN(4) == 0, CapacityAtRequest: priority.Capacity(r.IntN(3))}
			if r.IntN(4) == 0 {
				a.PriorDeliveryAt = a.SoughtAt.Add(-time.Duration(r.IntN(40)) * 24 * time.Hour)
			}
			if _, err := w.Add(a, at, qaActor); err != nil {
				if errors.Is(err, priority.ErrDuplicateID) {
					continue
				}
				t.Fatal(err)
			}
			if !seen[id] {
				seen[id] = true
				run.ids = append(run.ids, id)
			}
			live = append(live, id)
		case k < 10:
			j := r.IntN(len(live))
			if err := w.Remove(live[j], []priority.RemovalReason{priority.RemovalAdmitted, priority.RemovalDeclined, priority.RemovalAdmittedElsewhere}[r.IntN(3)], at, qaActor); err != nil {
				t.Fatal(err)
			}
			live = append(live[:j], live[j+1:]...)
		case k < 13:
			_ = w.DeliverInterim(live[r.IntN(len(live))], priority.InterimElement(1+r.IntN(7)), at, qaActor)
		case k < 14:
			beds := 1 + r.IntN(10)
			_ = w.SetOccupancy(fmt.Sprintf("prog-%d", r.IntN(2)), priority.Occupancy{Beds: beds, Occupied: r.IntN(beds + 1), ServesInjecting: r.IntN(2) == 0}, at, qaActor)
		case k < 15:
			_ = w.NotifyCapacity(fmt.Sprintf("prog-%d", r.IntN(2)), at, qaActor)
		case k < 16:
			_ = w.ReferToState(live[r.IntN(len(live))], at, qaActor)
		case k < 17:
			_ = w.RecordContact(live[r.IntN(len(live))], r.IntN(2) == 0, at, qaActor)
		case k < 19:
			g, err := w.Get(live[r.IntN(len(live))], at)
			if err != nil {
				t.Fatal(err)
			}
			a := g.Applicant
			switch {
			case !a.Pregnant && a.PriorDeliveryAt.IsZero() && r.IntN(2) == 0:
				a.Pregnant = true // a pregnancy found while waiting (late interim obligations)
				if r.IntN(2) == 0 {
					// dated: it may have begun after the request (interim_services_pregnancy_while_waiting)
					a.Pregnancy = perinatal.PregnancyFromLMP(at.Add(-time.Duration(r.IntN(10)) * 24 * time.Hour))
				}
			case a.Pregnant && a.Pregnancy.DeliveredAt.IsZero():
				a.Pregnancy = perinatal.Pregnancy{DeliveredAt: at, Outcome: perinatal.PregnancyOutcome(1 + r.IntN(3))}
			default:
				a.InjectsDrugs = !a.InjectsDrugs
			}
			if _, err := w.Update(a, at, qaActor); err != nil {
				t.Fatal(err)
			}
		default:
			to := cb
			if w.Policy().ID() == cb.ID() {
				to = ca
			}
			if r.IntN(15) == 0 {
				if err := w.ChangePolicy(to, at, qaActor); err != nil {
					t.Fatal(err)
				}
				run.changes++
				run.snaps = nil // a snapshot before a change is restored with RestoreWaitlistAcross (allSnaps)
			}
		}
		if r.IntN(40) == 0 {
			flush()
		}
		if r.IntN(30) == 0 {
			flush()
			snap := w.Snapshot()
			sj, err := json.Marshal(snap)
			if err != nil {
				t.Fatal(err)
			}
			if snap, err = priority.DecodeSnapshot(sj, priority.DecodeOptions{}); err != nil {
				t.Fatal(err)
			}
			run.snaps = append(run.snaps, snap)
			run.allSnaps = append(run.allSnaps, snap)
		}
		if compact && r.IntN(300) == 0 {
			flush()
			_ = w.Snapshot()
			if err := w.Compact(w.LastSeq()); err != nil {
				t.Fatal(err)
			}
			run.compactedAt = w.LastSeq()
		}
	}
	flush()
	return run
}

// outsiderSame fails unless a and b give the same answers at when.
func outsiderSame(t *testing.T, label string, ids []string, a, b *priority.Waitlist, when time.Time) {
	t.Helper()
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	for _, e := range []priority.Eligibility{priority.Everyone, priority.WomensProgram()} {
		na, oka, ea := a.Next(when, e)
		nb, okb, eb := b.Next(when, e)
		if js(na) != js(nb) || oka != okb || (ea == nil) != (eb == nil) {
			t.Fatalf("%s at %s: Next differs:\n%s\n%s", label, when, js(na), js(nb))
		}
	}
	ha, _ := a.Head(0, when, priority.Everyone)
	hb, _ := b.Head(0, when, priority.Everyone)
	if js(ha) != js(hb) {
		t.Fatalf("%s at %s: Head differs", label, when)
	}
	for _, id := range ids {
		pa, ea := a.Position(id, when)
		pb, eb := b.Position(id, when)
		if pa != pb || fmt.Sprint(ea) != fmt.Sprint(eb) {
			t.Fatalf("%s at %s: Position(%s) %d %v vs %d %v", label, when, id, pa, ea, pb, eb)
		}
		oa, ea := a.Obligations(id, when)
		ob, eb := b.Obligations(id, when)
		if js(oa) != js(ob) || fmt.Sprint(ea) != fmt.Sprint(eb) {
			t.Fatalf("%s at %s: Obligations(%s) differ:\n%s %v\n%s %v", label, when, id, js(oa), ea, js(ob), eb)
		}
	}
	oa, _ := a.Overdue(when)
	ob, _ := b.Overdue(when)
	if js(oa) != js(ob) {
		t.Fatalf("%s at %s: Overdue differs", label, when)
	}
	for _, p := range []string{"prog-0", "prog-1"} {
		pa, ea := a.ProgramObligations(p, when)
		pb, eb := b.ProgramObligations(p, when)
		if js(pa) != js(pb) || fmt.Sprint(ea) != fmt.Sprint(eb) {
			t.Fatalf("%s at %s: ProgramObligations(%s) differ", label, when, p)
		}
	}
}

// outsiderOrderLawful checks the live order against the policy's own classification: ranks
// never decrease along Head, and within a rank the time sought never decreases (45 CFR
// 96.131(a) order, then first come first served), and Position agrees with Head.
func outsiderOrderLawful(t *testing.T, w *priority.Waitlist, when time.Time) {
	t.Helper()
	h, err := w.Head(0, when, priority.Everyone)
	if err != nil {
		t.Fatal(err)
	}
	c := w.Policy()
	for i, p := range h {
		cl := c.Classify(p.Applicant, when)
		if cl.Rank != p.Classification.Rank {
			t.Fatalf("at %s: %s listed at rank %d, Classify says %d", when, p.Applicant.ID, p.Classification.Rank, cl.Rank)
		}
		if i > 0 {
			q := h[i-1]
			if q.Classification.Rank > p.Classification.Rank || q.Classification.Rank == p.Classification.Rank && q.Applicant.SoughtAt.After(p.Applicant.SoughtAt) {
				t.Fatalf("at %s: %s (rank %d) before %s (rank %d)", when, q.Applicant.ID, q.Classification.Rank, p.Applicant.ID, p.Classification.Rank)
			}
		}
		pos, err := w.Position(p.Applicant.ID, when)
		if err != nil || pos != i+1 {
			t.Fatalf("Position(%s) = %d %v, want %d", p.Applicant.ID, pos, err, i+1)
		}
	}
}

// TestOutsiderDifferentialAcrossPolicyChanges: live vs RebuildAcross(log) vs DecodeWaitlist
// (MarshalJSON) at the last event and at 2, 15, 45 and 130 days after it.
func TestOutsiderDifferentialAcrossPolicyChanges(t *testing.T) {
	ca, cb := outsiderPolicies(t)
	codes := map[string]int{}
	defer func() {
		t.Logf("obligation codes seen: %v", codes)
		for _, c := range []string{"interim_services_pregnancy_while_waiting", "interim_services_not_placed_14_days", "state_referral_no_capacity", "admission_14_days"} {
			if codes[c] == 0 && !t.Failed() {
				t.Errorf("no %s obligation arose: the differential did not exercise it", c)
			}
		}
	}()
	for seed := uint64(1); seed <= 6; seed++ {
		run := outsiderDrive(t, seed, 600, ca, cb, false)
		if run.changes == 0 {
			t.Fatalf("seed %d: no policy change exercised", seed)
		}
		re, err := priority.RebuildAcross(run.store, ca, cb)
		if err != nil {
			t.Fatalf("seed %d: RebuildAcross: %v", seed, err)
		}
		b, err := json.Marshal(run.w)
		if err != nil {
			t.Fatal(err)
		}
		dec, err := priority.DecodeWaitlist(b, priority.WaitlistDecodeOptions{})
		if err != nil {
			t.Fatalf("seed %d: DecodeWaitlist: %v", seed, err)
		}
		var restored []*priority.Waitlist
		for _, s := range run.snaps {
			rw, err := priority.RestoreWaitlist(run.w.Policy(), s, run.store[s.Seq:], priority.WaitlistOptions{})
			if err != nil {
				t.Fatalf("seed %d: RestoreWaitlist at %d: %v", seed, s.Seq, err)
			}
			restored = append(restored, rw)
		}
		for _, id := range run.ids {
			obs, _ := run.w.Obligations(id, run.at)
			for _, o := range obs {
				codes[o.Code]++
			}
		}
		t.Logf("seed %d: %d events, %d policy changes, %d snapshots restored", seed, len(run.store), run.changes, len(restored))
		for _, d := range []time.Duration{0, 49 * time.Hour, 15 * 24 * time.Hour, 45 * 24 * time.Hour, 130 * 24 * time.Hour} {
			when := run.at.Add(d)
			outsiderOrderLawful(t, run.w, when)
			outsiderSame(t, fmt.Sprintf("seed %d rebuilt", seed), run.ids, run.w, re, when)
			outsiderSame(t, fmt.Sprintf("seed %d decoded", seed), run.ids, run.w, dec, when)
			for i, rw := range restored {
				outsiderSame(t, fmt.Sprintf("seed %d restored %d", seed, i), run.ids, run.w, rw, when)
			}
		}
	}
}

// TestOutsiderRandomPoliciesKeepFederalOrder: random State policies built from the documented
// conditions (tiers of up to three required or excluded conditions, in random order, with or
// without the federal tiers after them). For every policy Compile accepts, and every
// applicant (each combination of the facts, judged 10 days after a delivery where one is on
// file), the rank never puts a person of a later federal group of 45 CFR 96.131(a) before one
// of an earlier group: "(1) pregnant injecting drug users; (2) other pregnant substance
// abusers; (3) other injecting drug users; (4) all others". Held.
func TestOutsiderRandomPoliciesKeepFederalOrder(t *testing.T) {
	names := []string{"pregnant", "injects_drugs", "postpartum", "dependent_children", "referred_by_child_welfare", "leaving_incarceration", "veteran", "woman"}
	at := qaT0.Add(30 * 24 * time.Hour)
	var people []priority.Applicant
	for m := 0; m < 1<<7; m++ {
		a := priority.Applicant{ID: fmt.Sprintf("X-%d", m), SoughtAt: at, Pregnant: m&1 != 0, InjectsDrugs: m&2 != 0, DependentChildren: m&8 != 0,
			ReferredByChildWelfare: m&16 != 0, LeavingIncarceration: m&32 != 0, Veteran: m&64 != 0}
		if m&4 != 0 {
			a.PriorDeliveryAt = at.Add(-10 * 24 * time.Hour)
		}
		people = append(people, a)
		b := a
		b.Woman = true
		people = append(people, b)
	}
	group := func(a priority.Applicant) int {
		switch {
		case a.Pregnant && a.InjectsDrugs:
			return 1
		case a.Pregnant:
			return 2
		case a.InjectsDrugs:
			return 3
		}
		return 4
	}
	r := heldRand(99)
	accepted := 0
	for i := 0; i < 4000; i++ {
		p := priority.Policy{Name: "state", Tiers: priority.Federal().Tiers}
		for n := 1 + r.IntN(4); n > 0; n-- {
			when := map[string]bool{}
			if j := r.IntN(5); j < 4 {
				for k, v := range priority.Federal().Tiers[j].When {
					when[k] = v
				}
			}
			for k := r.IntN(3); k > 0; k-- {
				when[names[r.IntN(len(names))]] = r.IntN(3) != 0
			}
			pos := r.IntN(len(p.Tiers) + 1)
			p.Tiers = append(p.Tiers[:pos:pos], append([]priority.Tier{{Name: fmt.Sprintf("s%d", n), When: when}}, p.Tiers[pos:]...)...)
		}
		if r.IntN(3) == 0 { // drop one federal-looking tier
			j := r.IntN(len(p.Tiers))
			p.Tiers = append(p.Tiers[:j:j], p.Tiers[j+1:]...)
		}
		c, err := priority.Compile(p)
		if err != nil {
			continue
		}
		accepted++
		for _, a := range people {
			ca := c.Classify(a, at)
			for _, b := range people {
				if group(a) < group(b) && ca.Rank >= c.Classify(b, at).Rank {
					pj, _ := json.Marshal(p)
					t.Fatalf("policy %s accepted, yet ranks %+v (group %d) at %d, not before %+v (group %d)", pj, b, group(b), c.Classify(b, at).Rank, a, group(a))
				}
			}
		}
	}
	if accepted < 20 {
		t.Fatalf("only %d random policies accepted: the property was hardly exercised", accepted)
	}
	t.Logf("%d policies accepted and checked", accepted)
}
