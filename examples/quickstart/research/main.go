// Command research is the README's program for a researcher: a State policy against the federal
// order on the built-in statewide scenario (shortened), paired on the same people. It is the
// body of the priority/sim package's Example_researcher, which the tests run; it writes nothing.
package main

import (
	"context"
	"fmt"
	"slices"

	"github.com/dyad-health/dyad/priority"
	"github.com/dyad-health/dyad/priority/sim"
)

func main() {
	base := sim.Statewide() // calibrated and cited; or sim.DecodeScenario(your JSON)
	base.HorizonDays, base.WarmupDays, base.Replications = 3*365, 365, 5
	state := priority.Federal()
	state.Name = "state-postpartum"
	state.Tiers = slices.Insert(state.Tiers, 3, priority.Tier{Name: "postpartum", When: map[string]bool{"postpartum": true}})
	federal, err := sim.Run(context.Background(), base, sim.Options{})
	if err != nil {
		panic(err)
	}
	base.Policy = sim.PolicyOf(state)
	alternative, err := sim.Run(context.Background(), base, sim.Options{})
	if err != nil {
		panic(err)
	}
	diff, err := sim.Compare(federal, alternative)
	if err != nil {
		panic(err)
	}
	for _, g := range diff.Groups {
		d := g.MeanWaitDays
		fmt.Printf("%-20s %+.2f days (95%% CI %+.2f to %+.2f)\n", g.Group, d.Mean, d.Low, d.High)
	}
}
