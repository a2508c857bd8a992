// Command admission walks one program through a day of requests for treatment under the
// federal preference order (45 CFR 96.131(a)): it classifies each request, keeps the
// waitlist, prints each person's tier, deadlines and the interim services owed, records what
// the staff did, and shows what became overdue three days later.
//
//	go run ./examples/admission
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/dyad-health/dyad/priority"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// request is one call to the program during the day.
type request struct {
	hour int
	a    priority.Applicant
}

func run(out io.Writer) error {
	policy, err := priority.Compile(priority.Federal())
	if err != nil {
		return err
	}
	list, err := priority.NewWaitlist(policy)
	if err != nil {
		return err
	}
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return day.Add(time.Duration(h) * time.Hour) }
	// The program is full; it reached 90% of its beds on the morning of March 1.
	program := priority.Program{Beds: 24, Occupied: 24, ServesInjecting: true, Reached90At: day.Add(-18 * time.Hour)}

	requests := []request{
		{8, priority.Applicant{ID: "A-101"}},
		{9, priority.Applicant{ID: "A-102", InjectsDrugs: true}},
		{10, priority.Applicant{ID: "A-103", Pregnant: true}},
		{11, priority.Applicant{ID: "A-104", Pregnant: true, InjectsDrugs: true}},
		{13, priority.Applicant{ID: "A-105", InjectsDrugs: true, DependentChildren: true}},
		{15, priority.Applicant{ID: "A-106", Pregnant: true, DependentChildren: true}},
		{16, priority.Applicant{ID: "A-107"}},
	}
	fmt.Fprintf(out, "Requests on %s (policy %q)\n", day.Format("2006-01-02"), policy.Name())
	for _, r := range requests {
		r.a.SoughtAt = at(r.hour)
		c, err := list.Add(r.a, r.a.SoughtAt)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  %s %s tier %d %-18s %s\n", r.a.SoughtAt.Format("15:04"), r.a.ID, c.Rank, c.Tier, c.Citations)
	}
	// A-107 reports at 17:00 that she injects drugs: she moves up to tier 3.
	if _, err := list.Update(priority.Applicant{ID: "A-107", InjectsDrugs: true}, at(17)); err != nil {
		return err
	}

	// Staff make interim services available to some people and refer one woman to the State.
	for _, e := range (priority.BaseElements | priority.PregnancyElements).Slice() {
		if err := list.DeliverInterim("A-104", e, at(18)); err != nil {
			return err
		}
	}
	if err := list.ReferToState("A-104", at(18)); err != nil {
		return err
	}
	for _, e := range priority.BaseElements.Slice() {
		if err := list.DeliverInterim("A-102", e, at(19)); err != nil {
			return err
		}
	}

	endOfDay := at(23)
	fmt.Fprintf(out, "\nWaitlist at %s, in admission order\n", endOfDay.Format("2006-01-02 15:04"))
	for _, w := range list.Head(0) {
		pos, err := list.Position(w.Applicant.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%d. %s  tier %d %s\n", pos, w.Applicant.ID, w.Classification.Rank, w.Classification.Tier)
		obs, err := list.Obligations(w.Applicant.ID, program, endOfDay)
		if err != nil {
			return err
		}
		for _, o := range obs {
			due := "no fixed time"
			if !o.Due.IsZero() {
				due = "due " + o.Due.Format("2006-01-02 15:04")
			}
			fmt.Fprintf(out, "     %-16s %-22s %-8s %s\n", o.Kind, due, o.State, strings.Join(o.Citations, ", "))
		}
		if owed := policy.InterimElements(w.Applicant, endOfDay); owed != 0 {
			ic, err := list.InterimCompliance(w.Applicant.ID, endOfDay)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "     interim owed: %d elements, %d made available, missing: %s\n", owed.Len(), ic.Delivered.Len(), ic.Missing)
		}
	}
	for _, o := range policy.ProgramObligations(program, endOfDay) {
		fmt.Fprintf(out, "Program: %s due %s, %s (%s)\n", o.Kind, o.Due.Format("2006-01-02 15:04"), o.State, strings.Join(o.Citations, ", "))
	}

	later := day.Add(3 * 24 * time.Hour)
	fmt.Fprintf(out, "\nOverdue at %s\n", later.Format("2006-01-02 15:04"))
	for _, o := range list.Overdue(later) {
		fmt.Fprintf(out, "  %s %s was due %s (%s)\n", o.Subject, o.Kind, o.Due.Format("2006-01-02 15:04"), o.Citations[0])
	}
	next, ok := list.Next()
	if ok {
		fmt.Fprintf(out, "\nNext bed goes to %s (tier %d %s); %d events recorded.\n", next.Applicant.ID, next.Classification.Rank, next.Classification.Tier, len(list.Events()))
	}
	return nil
}
