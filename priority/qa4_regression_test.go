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

// TestRegressionChangePolicyRejudgesPastCompliance (QA4
// TestQA4ChangePolicyRejudgesPastCompliance, medium): ChangePolicy re-judged acts done before
// it under the new policy's deadline. Reading (documented on ChangePolicy): an obligation's
// deadline is set when it arises; 96.131(c) (42 U.S.C. 300x-27(b)(1)) owes the State referral
// when the facility "has insufficient capacity" for a pregnant woman who seeks treatment, so
// it is due the StateReferralHours of the policy in force then (48 h when 0, the package's
// reading of the unstated time). Expected values: referral made at 30 h, due 48 h: met
// (30 < 48), whatever a later 24-hour policy says; made at 30 h under a 24-hour policy:
// met_late (30 > 24), whatever a later 48-hour policy says; still owed at the change: due 48 h
// after the request (overdue at 49 h); arising after the change (request after it): due 24 h.
func TestRegressionChangePolicyRejudgesPastCompliance(t *testing.T) {
	ca, cb := outsiderPolicies(t) // ca: referral due 48 h; cb: StateReferralHours 24
	referral := func(w *priority.Waitlist, id string, at time.Time) priority.Obligation {
		t.Helper()
		obs, err := w.Obligations(id, at)
		qaNoErr(t, err)
		o, ok := qaFind(obs, priority.ObligationStateReferral)
		if !ok {
			t.Fatalf("%s: no state referral obligation: %+v", id, obs)
		}
		return o
	}
	pregnant := func(id string, sought time.Time) priority.Applicant {
		return priority.Applicant{ID: id, SoughtAt: sought, Pregnant: true, CapacityAtRequest: priority.CapacityNone}
	}
	// 48 h -> 24 h: on-time referrals stay met, an open one stays due at 48 h.
	w, err := priority.NewWaitlist(ca, priority.WaitlistOptions{Now: qa4Clock})
	qaNoErr(t, err)
	for _, id := range []string{"PW-A", "PW-B", "PW-OPEN"} {
		_, err = w.Add(pregnant(id, qaT0), qaT0, qaActor)
		qaNoErr(t, err)
	}
	for _, id := range []string{"PW-A", "PW-B"} {
		qaNoErr(t, w.ReferToState(id, qaT0.Add(30*time.Hour), qaActor))
	}
	qaNoErr(t, w.Remove("PW-A", priority.RemovalAdmitted, qaT0.Add(40*time.Hour), qaActor))
	at := qaT0.Add(41 * time.Hour)
	qaNoErr(t, w.ChangePolicy(cb, at, qaActor))
	_, err = w.Add(pregnant("PW-NEW", at), at, qaActor) // arises under cb: due 24 h
	qaNoErr(t, err)
	check := func(label string, w *priority.Waitlist) {
		t.Helper()
		for _, id := range []string{"PW-A", "PW-B"} {
			if o := referral(w, id, at); o.Status != priority.StatusMet || !o.Due.Equal(qaT0.Add(48*time.Hour)) {
				t.Errorf("%s: %s's referral (made at 30 h, due 48 h under the policy in force) is %s due %s, want met due 48 h", label, id, o.Status, o.Due)
			}
		}
		if o := referral(w, "PW-OPEN", qaT0.Add(47*time.Hour)); o.Status != priority.StatusOpen || !o.Due.Equal(qaT0.Add(48*time.Hour)) {
			t.Errorf("%s: the referral still owed at the change is %s due %s, want open, due 48 h after the request", label, o.Status, o.Due)
		}
		if o := referral(w, "PW-NEW", at.Add(25*time.Hour)); o.Status != priority.StatusOverdue || !o.Due.Equal(at.Add(24*time.Hour)) {
			t.Errorf("%s: a referral arising after the change is %s due %s, want overdue, due 24 h (the new policy)", label, o.Status, o.Due)
		}
	}
	check("live", w)
	// The fixed deadlines survive saving (a list that changed policy is saved as a snapshot),
	// replay, and a restore across the change.
	b, err := w.MarshalJSON()
	qaNoErr(t, err)
	dec, err := priority.DecodeWaitlist(b, priority.WaitlistDecodeOptions{})
	qaNoErr(t, err)
	check("decoded", dec)
	all, err := w.EventsSince(0)
	qaNoErr(t, err)
	re, err := priority.RebuildAcross(all, ca, cb)
	qaNoErr(t, err)
	check("rebuilt", re)
	rw, err := priority.RestoreWaitlistAcross(w.Snapshot(), nil, priority.WaitlistOptions{}, cb)
	qaNoErr(t, err)
	check("restored", rw)

	// 24 h -> 48 h: a late referral stays met_late.
	w2, err := priority.NewWaitlist(cb, priority.WaitlistOptions{Now: qa4Clock})
	qaNoErr(t, err)
	_, err = w2.Add(pregnant("PW-C", qaT0), qaT0, qaActor)
	qaNoErr(t, err)
	qaNoErr(t, w2.ReferToState("PW-C", qaT0.Add(30*time.Hour), qaActor))
	if s := referral(w2, "PW-C", at).Status; s != priority.StatusMetLate {
		t.Fatalf("PW-C's referral at 30 h under a 24 h policy is %s, want met_late", s)
	}
	qaNoErr(t, w2.ChangePolicy(ca, at, qaActor))
	if s := referral(w2, "PW-C", at).Status; s != priority.StatusMetLate {
		t.Errorf("after a later change to a 48 h policy, PW-C's late referral is reported %s, want met_late", s)
	}
}
