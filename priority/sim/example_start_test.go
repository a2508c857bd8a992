package sim_test

import (
	"context"
	"fmt"
	"slices"

	"github.com/dyad-health/dyad/priority"
	"github.com/dyad-health/dyad/priority/sim"
)

// A researcher asks what a State policy ranking postpartum women first among "all others"
// (after the federal groups of 45 CFR 96.131(a)(1)-(3), as the rule allows) does to each
// group's wait, against the federal order, on the built-in statewide scenario (shortened
// here to run in seconds). This is the third program of the README. The contrasts are paired:
// both runs see the same people. In Statewide, pregnant and postpartum women and women with
// dependent children apply to the women's programs (45 CFR 96.124(e)), the others to the
// general ones, so the policy moves postpartum women ahead of women with dependent children
// only: postpartum women wait less (the whole interval below zero), "injecting" and "other"
// see exactly the same admissions (differences of zero), and the pregnant groups, ranked above
// by 96.131(a), move within noise (a pregnant woman who delivers while waiting is postpartum).
func Example_researcher() {
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
	// Output:
	// pregnant_injecting   +0.02 days (95% CI -0.04 to +0.08)
	// pregnant             -0.03 days (95% CI -0.13 to +0.06)
	// postpartum           -0.59 days (95% CI -0.86 to -0.32)
	// women_with_children  -0.01 days (95% CI -0.25 to +0.23)
	// injecting            +0.00 days (95% CI +0.00 to +0.00)
	// other                +0.00 days (95% CI +0.00 to +0.00)
}
