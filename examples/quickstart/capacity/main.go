// Command capacity is the first program of the README for an EHR or capacity-management developer: a
// waitlist under the federal order of 45 CFR 96.131(a), who gets the next bed and what is overdue.
// It is the body of priority.Example_waitlist, which the tests run; it writes nothing.
package main

import (
	"fmt"
	"time"

	"github.com/dyad-health/dyad/priority"
)

func main() {
	policy := priority.MustCompile(priority.Federal()) // or DecodePolicy(a State's JSON)
	list, err := priority.NewWaitlist(policy, priority.WaitlistOptions{Now: time.Now})
	if err != nil {
		panic(err)
	}
	t := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for i, a := range []priority.Applicant{{ID: "M1", InjectsDrugs: true}, {ID: "O1"}, {ID: "W1", Pregnant: true}} {
		a.SoughtAt = t.Add(time.Duration(i) * time.Hour) // no program could admit them then:
		a.CapacityAtRequest = priority.CapacityNone      // interim services are owed within 48 hours
		if _, err := list.Add(a, a.SoughtAt, "intake-1"); err != nil {
			panic(err)
		}
	}
	now := t.Add(51 * time.Hour)
	next, _, _ := list.Next(now, priority.Everyone)
	fmt.Println("next bed:", next.Applicant.ID, "tier", next.Classification)
	overdue, _ := list.Overdue(now)
	for _, o := range overdue {
		fmt.Println("overdue:", o.Subject, o.Kind, o.Due.Format(time.RFC3339), o.Citations)
	}
}
