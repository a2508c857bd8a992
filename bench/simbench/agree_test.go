package simbench

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/dyad-health/dyad/priority/sim"
)

const (
	script   = "waitlist.py"
	scenario = "testdata/federal4.json"
)

// simpy returns the interpreter to use, or skips the test saying what is missing.
func simpy(t testing.TB) string {
	t.Helper()
	py, err := FindPython()
	if errors.Is(err, ErrNoSimPy) {
		t.Skipf("SKIP: %v; bench/run installs it", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return py
}

// TestSimPyAgreesWithSim runs the federal 4-class scenario in both simulators and requires
// every group's 95% confidence intervals for the mean wait to overlap.
func TestSimPyAgreesWithSim(t *testing.T) {
	agree(t, scenario)
}

// TestSimPyAgreesWithSimDropout does the same over capacity with people leaving the waitlist
// unadmitted, which exercises the reneging in waitlist.py.
func TestSimPyAgreesWithSimDropout(t *testing.T) {
	agree(t, "testdata/federal4-dropout.json")
}

func agree(t *testing.T, scenario string) {
	t.Parallel()
	py := simpy(t)
	s, err := LoadScenario(scenario, Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	gr, err := sim.Run(context.Background(), s, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pr, err := RunSimPy(py, script, scenario, Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := Compare(gr, pr)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 4 {
		t.Fatalf("compared %d groups, want the 4 federal classes", len(cs))
	}
	for _, c := range cs {
		t.Logf("%-20s priority/sim %.3f ± %.3f   SimPy %.3f ± %.3f days", c.Group, c.Go, c.GoHalfWidth, c.Py, c.PyHalfWidth)
		if !c.OverlappingCI95 {
			t.Errorf("group %s: mean waits disagree: priority/sim %.4f ± %.4f, SimPy %.4f ± %.4f days (difference %.4f > %.4f)",
				c.Group, c.Go, c.GoHalfWidth, c.Py, c.PyHalfWidth, c.DifferenceInDays, c.CombinedHalfWidths)
		}
	}
	if pr.Events == 0 || gr.Events == 0 {
		t.Errorf("events: SimPy %d, priority/sim %d; both must count", pr.Events, gr.Events)
	}
}

// TestSimPyModelMatchesTheory checks the SimPy model on its own against Cobham's formula for
// the non-preemptive priority M/M/1 queue, on the shared conformance scenario: pregnant women
// 0.3/day ahead of others 0.5/day, one bed, stays of mean 1 day. With ρ1 = 0.3, ρ = 0.8 and
// W0 = Σλ·E[S²]/2 = 0.8·2/2 = 0.8 days: W1 = W0/(1−ρ1) = 8/7, W2 = W0/((1−ρ1)(1−ρ)) = 40/7.
func TestSimPyModelMatchesTheory(t *testing.T) {
	t.Parallel()
	py := simpy(t)
	pr, err := RunSimPy(py, script, "testdata/mm1-two-groups.json", Overrides{HorizonDays: 60000})
	if err != nil {
		t.Fatal(err)
	}
	for g, want := range map[string]float64{"pregnant": 8.0 / 7, "other": 40.0 / 7} {
		got, ok := pr.Groups[g]
		if !ok {
			t.Fatalf("group %s missing", g)
		}
		if math.Abs(got.MeanWaitDays-want)/want > 0.08 {
			t.Errorf("group %s: SimPy mean wait %.4f days, Cobham %.4f (tolerance 8%%)", g, got.MeanWaitDays, want)
		}
	}
}

// TestWaitlistRefusesUnsupported checks that waitlist.py refuses a scenario outside the subset
// it implements instead of silently simulating another model.
func TestWaitlistRefusesUnsupported(t *testing.T) {
	py := simpy(t)
	if _, err := RunSimPy(py, script, "testdata/unsupported-two-programs.json", Overrides{}); err == nil {
		t.Fatal("waitlist.py accepted a two-program scenario")
	}
}

// TestScenarioDecodes checks that the shared scenario is valid for priority/sim without
// python, so the file cannot rot where SimPy is absent.
func TestScenarioDecodes(t *testing.T) {
	for _, f := range []string{scenario, "testdata/federal4-dropout.json", "testdata/mm1-two-groups.json"} {
		s, err := LoadScenario(f, Overrides{})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if _, err := sim.Compile(s); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
}
