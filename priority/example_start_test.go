package priority_test

import (
	"fmt"
	"time"

	"github.com/dyad-health/dyad/priority"
)

// An EHR or capacity-management system keeps a waitlist under the federal order: who gets the
// next bed, and what is late. This is the first program of the README.
//
// No program could admit anyone on the day they asked. W1, a pregnant woman, goes first though
// she asked last: 45 CFR 96.131(a)(2) ranks pregnant women before people who inject drugs,
// (a)(3), and everyone else, (a)(4). At 51 hours, past 48 hours from each request, three
// things are overdue: interim services for M1, who injects drugs and could not be placed
// (96.126(b), (c), 96.121), and for W1 (96.131(d), 96.121), and the program's referral of W1 to
// the State (96.131(c); due at the 48 hours of 96.131(d) by default, the regulation setting
// no time). O1, in no group of 96.126 or 96.131, is owed no interim services.
func Example_waitlist() {
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
	// Output:
	// next bed: W1 tier 2 pregnant (pregnant)
	// overdue: M1 interim_services 2026-03-03T08:00:00Z 45 CFR 96.126(b); 45 CFR 96.126(c); 45 CFR 96.121
	// overdue: W1 interim_services 2026-03-03T10:00:00Z 45 CFR 96.131(d); 45 CFR 96.121
	// overdue: W1 state_referral 2026-03-03T10:00:00Z 45 CFR 96.131(c)
}
