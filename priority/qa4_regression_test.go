// Regression tests from QA round 4 (findings in qa4_findings_test.go, written against branch
// qa4 from main 637f027), from outside (package priority_test). Each failed there, checked
// by running its reproducer (go test -tags qa4 -run TestQA4 ./priority/) before the fix.
// Run: go test -run TestRegression ./priority/
//
// Regulation text (45 CFR 96, eCFR):
//
//	96.126(a) "... programs that ... treat individuals for intravenous substance abuse to
//	provide to the State, upon reaching 90 percent of its capacity to admit individuals to
//	the program, a notification of that fact within seven days. ... a continually updated
//	record of all such reports ..."
//	96.131(a) "... Programs which serve an injecting drug abuse population ... shall give
//	preference to treatment as follows: (1) Pregnant injecting drug users; (2) Other
//	pregnant substance abusers; (3) Other injecting drug users; (4) All others."
package priority_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/dyad-health/dyad/priority"
	gocmp "github.com/google/go-cmp/cmp"
)

func qa4Clock() time.Time { return time.Date(2199, 1, 1, 0, 0, 0, 0, time.UTC) }

// TestRegressionChangePolicyToNoInjectingDropsCapacityNotice (QA4
// TestQA4ChangePolicyToNoInjectingDropsCapacityNotice): a program serving people who inject
// drugs at 100% occupancy owes its 7-day notice (96.126(a)). ChangePolicy to a policy for
// programs without that population (NoInjectingPopulation, which lacks 96.131(a)'s order)
// was accepted, and the owed notice became unanswerable (ProgramObligations returned an
// error). SetOccupancy refuses such a program under such a policy (ErrInvalidProgram), so
// ChangePolicy now refuses the move with the same error, and records nothing.
func TestRegressionChangePolicyToNoInjectingDropsCapacityNotice(t *testing.T) {
	w, err := priority.NewWaitlist(priority.MustCompile(priority.Federal()), priority.WaitlistOptions{Now: qa4Clock})
	qaNoErr(t, err)
	qaNoErr(t, w.SetOccupancy("prog", priority.Occupancy{Beds: 10, Occupied: 10, ServesInjecting: true}, qaT0, qaActor))
	p := priority.Federal()
	p.NoInjectingPopulation = true
	p.Tiers = []priority.Tier{{Name: "pregnant", When: map[string]bool{"pregnant": true}}, {Name: "everyone"}}
	c2, err := priority.Compile(p)
	qaNoErr(t, err)
	at := qaT0.Add(time.Hour)
	later := qaT0.Add(10 * 24 * time.Hour)
	before, err := w.ProgramObligations("prog", later)
	qaNoErr(t, err)
	seq, pol := w.LastSeq(), w.Policy()
	err = w.ChangePolicy(c2, at, qaActor)
	if !errors.Is(err, priority.ErrInvalidProgram) {
		t.Fatalf("ChangePolicy to a no-injecting policy with a program serving people who inject drugs: %v, want ErrInvalidProgram", err)
	}
	if w.LastSeq() != seq || w.Policy() != pol {
		t.Fatalf("the refused change was recorded: LastSeq %d (was %d), policy %s", w.LastSeq(), seq, w.Policy().ID())
	}
	after, err := w.ProgramObligations("prog", later)
	qaNoErr(t, err)
	// The notice is due 7 days after the program reached 90% (qaT0): overdue at 10 days.
	if len(after) != 1 || after[0].Kind != priority.ObligationCapacityNotice || after[0].Status != priority.StatusOverdue {
		t.Fatalf("after the refusal: %+v, want the 96.126(a) notice, overdue", after)
	}
	if d := gocmp.Diff(before, after); d != "" {
		t.Fatalf("the refusal changed the program's obligations (-before +after):\n%s", d)
	}
	// Control: a list whose programs do not serve people who inject drugs may move.
	w2, err := priority.NewWaitlist(priority.MustCompile(priority.Federal()), priority.WaitlistOptions{Now: qa4Clock})
	qaNoErr(t, err)
	qaNoErr(t, w2.SetOccupancy("prog", priority.Occupancy{Beds: 10, Occupied: 10}, qaT0, qaActor))
	qaNoErr(t, w2.ChangePolicy(c2, at, qaActor))
}

// TestRegressionRestoreAcrossPolicyChangeImpossible (QA4
// TestQA4RestoreAcrossPolicyChangeImpossible, high): a registry following the documented
// recipe (save the events as they come, snapshot, Compact) could not restore its list when
// the State changed policy after the last snapshot: RestoreWaitlist refused the snapshot under
// the new policy and the change under the old one, and RebuildAcross needs the events from
// Seq 1, which Compact dropped (96.126(a) "a continually updated record", 96.126(c) waiting
// list). RestoreWaitlistAcross restores the snapshot under its policy and moves at each
// change to the policy it names. The reproducer tried RestoreWaitlist with each policy; the
// test calls the new function instead (RestoreWaitlist cannot know a policy it is not given)
// and checks that RestoreWaitlist still refuses such events, that a policy not given is
// refused, and that the restored list answers as the live one (differential below).
func TestRegressionRestoreAcrossPolicyChangeImpossible(t *testing.T) {
	ca, cb := outsiderPolicies(t)
	w, err := priority.NewWaitlist(ca, priority.WaitlistOptions{Now: qa4Clock})
	qaNoErr(t, err)
	_, err = w.Add(priority.Applicant{ID: "PW-1", SoughtAt: qaT0, Pregnant: true}, qaT0, qaActor)
	qaNoErr(t, err)
	snap := w.Snapshot() // the registry's last snapshot
	qaNoErr(t, w.Compact(w.LastSeq()))
	qaNoErr(t, w.ChangePolicy(cb, qaT0.Add(time.Hour), qaActor))
	_, err = w.Add(priority.Applicant{ID: "VET-1", SoughtAt: qaT0, Veteran: true}, qaT0.Add(2*time.Hour), qaActor)
	qaNoErr(t, err)
	since, err := w.EventsSince(snap.Seq) // what the registry saved after the snapshot
	qaNoErr(t, err)

	restored, err := priority.RestoreWaitlistAcross(snap, since, priority.WaitlistOptions{Now: qa4Clock}, ca, cb)
	qaNoErr(t, err)
	if restored.Len() != 2 || restored.Policy().ID() != cb.ID() || restored.LastSeq() != w.LastSeq() {
		t.Fatalf("restored list: %d people under %s at seq %d, want 2 under the new policy at %d", restored.Len(), restored.Policy().ID(), restored.LastSeq(), w.LastSeq())
	}
	outsiderSame(t, "restored across", []string{"PW-1", "VET-1"}, w, restored, qaT0.Add(3*time.Hour))
	// The restored list goes on: its next change follows the live list's chain.
	qaNoErr(t, restored.RecordContact("VET-1", true, qaT0.Add(3*time.Hour), qaActor))
	qaNoErr(t, w.RecordContact("VET-1", true, qaT0.Add(3*time.Hour), qaActor))
	le, err := w.EventsSince(w.LastSeq() - 1)
	qaNoErr(t, err)
	re, err := restored.EventsSince(restored.LastSeq() - 1)
	qaNoErr(t, err)
	if len(le) != 1 || len(re) != 1 || le[0].Prev != re[0].Prev || le[0].Policy != re[0].Policy {
		t.Fatalf("the restored list's next event does not follow the live chain: %+v vs %+v", le, re)
	}

	// Refusals: the new policy not given; the snapshot's policy not given; RestoreWaitlist
	// with events holding a change.
	if _, err := priority.RestoreWaitlistAcross(snap, since, priority.WaitlistOptions{}, ca); !errors.Is(err, priority.ErrPolicyMismatch) {
		t.Errorf("without the policy the change names: %v, want ErrPolicyMismatch", err)
	}
	if _, err := priority.RestoreWaitlistAcross(snap, since, priority.WaitlistOptions{}, cb); !errors.Is(err, priority.ErrPolicyMismatch) {
		t.Errorf("without the snapshot's policy: %v, want ErrPolicyMismatch", err)
	}
	if _, err := priority.RestoreWaitlist(ca, snap, since, priority.WaitlistOptions{}); !errors.Is(err, priority.ErrPolicyMismatch) {
		t.Errorf("RestoreWaitlist with a change among the events: %v, want ErrPolicyMismatch", err)
	}
	if _, err := priority.RestoreWaitlistAcross(snap, since, priority.WaitlistOptions{}, ca, nil); !errors.Is(err, priority.ErrInvalidPolicy) {
		t.Errorf("a nil policy: %v, want ErrInvalidPolicy", err)
	}
}

// TestRegressionRestoreAcrossDifferential: random runs with changes of policy and
// compaction (outsiderDrive); every snapshot taken, restored with RestoreWaitlistAcross and
// the events saved after it, must answer as the live list (Next, Head, Position, Obligations
// of everyone ever added, Overdue, ProgramObligations) at the last event and 2, 15, 45 and
// 130 days after it, the documented recipe with and without compaction.
func TestRegressionRestoreAcrossDifferential(t *testing.T) {
	ca, cb := outsiderPolicies(t)
	across := 0
	for seed := uint64(11); seed <= 16; seed++ {
		run := outsiderDrive(t, seed, 600, ca, cb, seed%2 == 0)
		var restored []*priority.Waitlist
		for _, s := range run.allSnaps {
			rest := run.store[s.Seq:]
			for _, ev := range rest {
				if ev.Kind == priority.EventPolicyChanged {
					across++
					break
				}
			}
			rw, err := priority.RestoreWaitlistAcross(s, rest, priority.WaitlistOptions{}, ca, cb)
			if err != nil {
				t.Fatalf("seed %d: RestoreWaitlistAcross at %d: %v", seed, s.Seq, err)
			}
			// The live list dropped the records of people who left by its last compaction
			// (ErrNotFound); a snapshot taken before it still holds them (ErrNotWaiting).
			// Compacting the restored list at the same seq makes them comparable.
			if run.compactedAt > s.Seq {
				qaNoErr(t, rw.Compact(run.compactedAt))
			}
			restored = append(restored, rw)
		}
		if seed%2 == 0 && run.compactedAt == 0 {
			t.Fatalf("seed %d: no compaction exercised", seed)
		}
		for _, d := range []time.Duration{0, 49 * time.Hour, 15 * 24 * time.Hour, 45 * 24 * time.Hour, 130 * 24 * time.Hour} {
			when := run.at.Add(d)
			for i, rw := range restored {
				outsiderSame(t, fmt.Sprintf("seed %d restored across %d", seed, i), run.ids, run.w, rw, when)
			}
		}
	}
	if across == 0 {
		t.Fatal("no snapshot had a change of policy after it: the differential did not exercise RestoreWaitlistAcross")
	}
	t.Logf("%d snapshots restored across a change of policy", across)
}
