package simbench_test

import (
	"fmt"

	"github.com/dyad-health/dyad/bench/simbench"
)

// The one scenario both simulators read, decoded as priority/sim decodes it.
func ExampleLoadScenario() {
	s, err := simbench.LoadScenario("testdata/federal4.json", simbench.Overrides{Replications: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Policy, s.Programs[0].Beds, "beds,", s.Replications, "replications of", s.HorizonDays, "days")
	for _, a := range s.Arrivals {
		fmt.Printf("%-18s %.2f/day pregnant=%t injects=%t\n", a.Group, a.RatePerDay, a.Applicant.Pregnant, a.Applicant.InjectsDrugs)
	}
	// Output:
	// federal 20 beds, 2 replications of 40000 days
	// pregnant_injecting 0.05/day pregnant=true injects=true
	// pregnant           0.10/day pregnant=true injects=false
	// injecting          0.25/day pregnant=false injects=true
	// other              0.32/day pregnant=false injects=false
}
