package sim_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dyad-health/dyad/priority"
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

// A three-policy study of a State's waitlist, with the public API only: the built-in
// statewide scenario (shortened here), the federal order and two State policies, paired
// contrasts on the same people, and one tidy CSV table for R or pandas.
func Example_study() {
	base := sim.Statewide()
	base.HorizonDays, base.WarmupDays, base.Replications = 3*365, 365, 5

	postpartum := priority.Federal()
	postpartum.Name = "state-postpartum"
	postpartum.Tiers = slices.Insert(postpartum.Tiers, 3, priority.Tier{Name: "postpartum", When: map[string]bool{"postpartum": true}})
	interim := postpartum.Clone()
	interim.Name = "state-postpartum-interim"
	interim.InterimAlsoWhen = []string{"postpartum"}

	var results []*sim.Result
	for _, p := range []sim.PolicyRef{sim.FederalPolicy(), sim.PolicyOf(postpartum), sim.PolicyOf(interim)} {
		s := base
		s.Policy = p
		res, err := sim.Run(context.Background(), s, sim.Options{})
		if err != nil {
			fmt.Println(err)
			return
		}
		results = append(results, res)
	}
	for _, r := range results[1:] {
		c, err := sim.Compare(results[0], r) // paired by replication: the same people
		if err != nil {
			fmt.Println(err)
			return
		}
		g, _ := c.Group("postpartum")
		d := g.MeanWaitDays
		fmt.Printf("%s: postpartum women wait less than under the federal order: %v (whole interval below 0: %v)\n",
			c.Run, d.Mean < 0, d.High < 0)
		o, _ := c.Group("overall")
		fmt.Printf("%s: the same people arrived: %v\n", c.Run, o.Arrivals.Mean == 0 && o.Arrivals.High == 0)
	}
	var csv strings.Builder
	if err := sim.WriteSummaryCSV(&csv, results...); err != nil {
		fmt.Println(err)
		return
	}
	header, _, _ := strings.Cut(csv.String(), "\n")
	fmt.Println(header)
	// Output:
	// state-postpartum: postpartum women wait less than under the federal order: true (whole interval below 0: true)
	// state-postpartum: the same people arrived: true
	// state-postpartum-interim: postpartum women wait less than under the federal order: true (whole interval below 0: true)
	// state-postpartum-interim: the same people arrived: true
	// run,scenario,policy,policy_id,level,name,metric,days,unit,mean,low,high,n,confidence,replications,seed,warmup_days,horizon_days,window_days
}

// Replication i of a run can be rerun alone, here with a trace of every person-level event
// written as CSV; its rows join the summaries on (run, replication, group).
func ExampleModel_RunReplication() {
	m, err := sim.Compile(sim.Scenario{HorizonDays: 30, Replications: 10, Seed: 1, Policy: sim.FederalPolicy(),
		Programs: []sim.Program{{ID: "p1", Beds: 1, LengthOfStay: sim.Dist{Name: sim.DistFixed, MeanDays: 4}}},
		Arrivals: []sim.ArrivalStream{{Group: "pregnant", RatePerDay: 0.2, Applicant: sim.Facts{Pregnant: true}}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	var out strings.Builder
	tw := sim.NewTraceWriter(&out, sim.TraceCSV, "federal", m.Name())
	rep, err := m.RunReplication(context.Background(), 7, sim.Options{Trace: tw.Event})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := tw.Flush(); err != nil {
		fmt.Println(err)
		return
	}
	lines := strings.Split(out.String(), "\n")
	fmt.Println(lines[0])
	fmt.Println(strings.Count(out.String(), ",arrival,") == int(rep.Groups[0].Arrivals))
	// Output:
	// run,scenario,policy,replication,person,group,event,day,tier,program,wait_days,counted,step_down
	// true
}

// A model whose arrivals outrun its beds is flagged before it runs.
func ExampleModel_Warnings() {
	m, err := sim.Compile(sim.Scenario{HorizonDays: 365, Replications: 1, Policy: sim.FederalPolicy(),
		Programs: []sim.Program{{ID: "p1", Beds: 10, LengthOfStay: sim.Dist{Name: sim.DistExponential, MeanDays: 30}}},
		Arrivals: []sim.ArrivalStream{{Group: "everyone", RatePerDay: 0.5}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	// 0.5 a day for 30 days each is 15 beds' worth; there are 10.
	fmt.Printf("load %.2f\n", m.Load())
	for _, w := range m.Warnings() {
		fmt.Println(w.Code)
	}
	// Output:
	// load 1.50
	// unstable
}
