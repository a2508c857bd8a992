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
