// Command admission walks one program through a day of requests for treatment under the
// federal preference order (45 CFR 96.131(a)): it classifies each request, keeps the
// waitlist, prints each person's tier, deadlines and the interim services owed, records what
// the staff did, and shows what became overdue three days later. It writes nothing.
//
//	go run ./examples/admission
package main

import (
	"fmt"
	"io"
	"os"
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
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return day.Add(time.Duration(h) * time.Hour) }
	// The waitlist refuses a change dated after its clock (plus a few minutes): a real system
	// passes time.Now; this walk-through replays a past week, so its clock is that week's end.
	clock := func() time.Time { return day.Add(4 * 24 * time.Hour) }
	list, err := priority.NewWaitlist(policy, priority.WaitlistOptions{Now: clock})
	if err != nil {
		return err
	}
	const staff = "intake-3" // who records each change: every event names its actor

	// The program's occupancy, as events: 21 of 24 beds on February 28, 22 (90%) on the
	// morning of March 1, full that evening. The capacity notice runs from March 1 06:00.
	for _, o := range []struct {
		occupied int
		at       time.Time
	}{{21, day.Add(-48 * time.Hour)}, {22, day.Add(-18 * time.Hour)}, {24, day.Add(-6 * time.Hour)}} {
		if err := list.SetOccupancy("program-1", priority.Occupancy{Beds: 24, Occupied: o.occupied, ServesInjecting: true}, o.at, staff); err != nil {
			return err
		}
	}

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
		// The State's capacity records show no program with a free bed that day: interim
		// services are owed (96.131(d), 96.126(b)(2)), and 120 days may apply (96.126(b)(2)).
		r.a.CapacityAtRequest = priority.CapacityNone
		c, err := list.Add(r.a, r.a.SoughtAt, staff)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  %s %s tier %d %-18s %s\n", r.a.SoughtAt.Format("15:04"), r.a.ID, c.Rank, c.Tier, c.Citations)
	}
	// A-107 reports at 17:00 that she injects drugs: she moves up to tier 3.
	if _, err := list.Update(priority.Applicant{ID: "A-107", InjectsDrugs: true, CapacityAtRequest: priority.CapacityNone}, at(17), staff); err != nil {
		return err
	}

	// Staff make interim services available to some people and refer one woman to the State.
	for _, e := range (priority.BaseElements | priority.PregnancyElements).Slice() {
		if err := list.DeliverInterim("A-104", e, at(18), staff); err != nil {
			return err
		}
	}
	if err := list.ReferToState("A-104", at(18), staff); err != nil {
		return err
	}
	for _, e := range priority.BaseElements.Slice() {
		if err := list.DeliverInterim("A-102", e, at(19), staff); err != nil {
			return err
		}
	}

	endOfDay := at(23)
	fmt.Fprintf(out, "\nWaitlist at %s, in admission order\n", endOfDay.Format("2006-01-02 15:04"))
	head, err := list.Head(0, endOfDay, priority.Everyone)
	if err != nil {
		return err
	}
	for _, w := range head {
		pos, err := list.Position(w.Applicant.ID, endOfDay)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%d. %s  tier %d %s\n", pos, w.Applicant.ID, w.Classification.Rank, w.Classification.Tier)
		obs, err := list.Obligations(w.Applicant.ID, endOfDay)
		if err != nil {
			return err
		}
		for _, o := range obs {
			fmt.Fprintf(out, "     %-16s due %s   %-8s %s\n", o.Kind, o.Due.Format("2006-01-02 15:04"), o.Status, o.Citations)
		}
		ic, err := list.InterimCompliance(w.Applicant.ID, endOfDay)
		if err != nil {
			return err
		}
		if ic.Owed != 0 {
			fmt.Fprintf(out, "     interim owed: %d elements, %d made available, missing: %s\n", ic.Owed.Len(), ic.Delivered.Len(), ic.Missing)
		}
	}
	notices, err := list.ProgramObligations("program-1", endOfDay)
	if err != nil {
		return err
	}
	for _, o := range notices {
		fmt.Fprintf(out, "Program: %s due %s, %s (%s)\n", o.Kind, o.Due.Format("2006-01-02 15:04"), o.Status, o.Citations)
	}

	later := day.Add(3 * 24 * time.Hour)
	fmt.Fprintf(out, "\nOverdue at %s\n", later.Format("2006-01-02 15:04"))
	overdue, err := list.Overdue(later)
	if err != nil {
		return err
	}
	for _, o := range overdue {
		fmt.Fprintf(out, "  %s %s was due %s (%s)\n", o.Subject, o.Kind, o.Due.Format("2006-01-02 15:04"), o.Citations.First())
	}
	next, ok, err := list.Next(later, priority.Everyone)
	if err != nil {
		return err
	}
	if ok {
		fmt.Fprintf(out, "\nNext bed goes to %s (tier %d %s); %d events recorded.\n", next.Applicant.ID, next.Classification.Rank, next.Classification.Tier, list.LastSeq())
	}
	return nil
}
