package sim_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/dyad-health/dyad/priority/sim"
)

// A researcher compares what the federal preference order does to pregnant women and to
// everyone else at one bed, and checks the simulator against Cobham's formula.
func Example() {
	s, err := sim.DecodeScenario([]byte(`{
	  "horizon_days": 100000, "warmup_days": 1000, "replications": 4, "seed": 7,
	  "policy": "federal",
	  "programs": [ { "id": "p1", "beds": 1, "length_of_stay": { "dist": "exponential", "mean_days": 1 } } ],
	  "arrivals": [
	    { "group": "pregnant", "rate_per_day": 0.3, "applicant": { "pregnant": true } },
	    { "group": "other", "rate_per_day": 0.5, "applicant": {} }
	  ]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := sim.Run(context.Background(), s, sim.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	cobham := sim.PriorityMeanWaits([]float64{0.3, 0.5}, 1, 1)
	for i, g := range res.Groups {
		w := g.MeanWaitDays.Mean
		fmt.Printf("%s: mean wait %.1f days, Cobham %.2f, within 5%%: %v\n",
			g.Group, w, cobham[i], w > 0.95*cobham[i] && w < 1.05*cobham[i])
	}
	// Output:
	// pregnant: mean wait 1.1 days, Cobham 1.14, within 5%: true
	// other: mean wait 5.6 days, Cobham 5.71, within 5%: true
}

// Compile lists every problem of a bad scenario at once.
func ExampleCompile() {
	_, err := sim.Compile(sim.Scenario{HorizonDays: 100, Replications: 0, Policy: sim.PolicyRef{Name: "federal"}})
	var ve *sim.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p.Code, p.Field)
		}
	}
	fmt.Println(errors.Is(err, sim.ErrInvalidScenario))
	// Output:
	// replications replications
	// no_programs programs
	// no_arrivals arrivals
	// true
}

// PriorityMeanWaits gives the mean waits of non-preemptive priority classes at c beds.
func ExamplePriorityMeanWaits() {
	for i, w := range sim.PriorityMeanWaits([]float64{0.1, 0.15, 0.2, 0.25}, 1, 1) {
		fmt.Printf("tier %d: %.3f days\n", i+1, w)
	}
	// Output:
	// tier 1: 0.778 days
	// tier 2: 1.037 days
	// tier 3: 1.697 days
	// tier 4: 4.242 days
}
