package simbench

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

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

// TestPythonAgreesWithSim runs the federal 4-class scenario in priority/sim and in the three
// Python models (textbook SimPy, lean SimPy, plain heapq) and requires every group's 95%
// confidence intervals for the mean wait to overlap between priority/sim and each model, and
// the three models to give the identical answer (same mean waits to the last bit, same
// admissions, same event count): they are one model drawing the same random numbers in the
// same order, written three ways.
func TestPythonAgreesWithSim(t *testing.T) {
	agree(t, scenario)
}

// TestPythonAgreesWithSimDropout does the same over capacity with people leaving the waitlist
// unadmitted, which exercises the reneging of each model.
func TestPythonAgreesWithSimDropout(t *testing.T) {
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
	prs := runModels(t, py, scenario, Overrides{})
	for _, m := range Models {
		pr := prs[m]
		cs, err := Compare(gr, pr)
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		if len(cs) != 4 {
			t.Fatalf("%s: compared %d groups, want the 4 federal classes", m, len(cs))
		}
		for _, c := range cs {
			if !c.OverlappingCI95 {
				t.Errorf("%s, group %s: mean waits disagree: priority/sim %.4f ± %.4f, Python %.4f ± %.4f days (difference %.4f > %.4f)",
					m, c.Group, c.Go, c.GoHalfWidth, c.Py, c.PyHalfWidth, c.DifferenceInDays, c.CombinedHalfWidths)
			}
			if m == ModelTextbook {
				t.Logf("%-20s priority/sim %.3f ± %.3f   Python (all three models) %.3f ± %.3f days", c.Group, c.Go, c.GoHalfWidth, c.Py, c.PyHalfWidth)
			}
		}
		if pr.Events == 0 || gr.Events == 0 {
			t.Errorf("%s: events: Python %d, priority/sim %d; both must count", m, pr.Events, gr.Events)
		}
	}
	identical(t, prs)
}

// runModels runs the scenario in the three Python models at once, one process each.
func runModels(t *testing.T, py, scenario string, o Overrides) map[Model]*PythonResult {
	t.Helper()
	type res struct {
		m   Model
		r   *PythonResult
		err error
	}
	ch := make(chan res, len(Models))
	for _, m := range Models {
		go func() {
			r, err := RunPython(py, script, scenario, m, o)
			ch <- res{m, r, err}
		}()
	}
	out := map[Model]*PythonResult{}
	for range Models {
		x := <-ch
		if x.err != nil {
			t.Fatalf("%s: %v", x.m, x.err)
		}
		out[x.m] = x.r
	}
	return out
}

// identical requires the lean and heapq models to give the textbook model's answer exactly.
func identical(t *testing.T, prs map[Model]*PythonResult) {
	t.Helper()
	want := prs[ModelTextbook]
	for _, m := range []Model{ModelLean, ModelHeapq} {
		got := prs[m]
		if diff := cmp.Diff(want.Groups, got.Groups); diff != "" {
			t.Errorf("%s and %s differ (-%s +%s):\n%s", ModelTextbook, m, ModelTextbook, m, diff)
		}
		if got.Events != want.Events {
			t.Errorf("%s counted %d events, %s %d", m, got.Events, ModelTextbook, want.Events)
		}
	}
}

// TestPythonModelsMatchTheory checks the three Python models on their own against Cobham's formula for
// the non-preemptive priority M/M/1 queue, on the shared conformance scenario: pregnant women
// 0.3/day ahead of others 0.5/day, one bed, stays of mean 1 day. With ρ1 = 0.3, ρ = 0.8 and
// W0 = Σλ·E[S²]/2 = 0.8·2/2 = 0.8 days: W1 = W0/(1−ρ1) = 8/7, W2 = W0/((1−ρ1)(1−ρ)) = 40/7.
func TestPythonModelsMatchTheory(t *testing.T) {
	t.Parallel()
	py := simpy(t)
	prs := runModels(t, py, "testdata/mm1-two-groups.json", Overrides{HorizonDays: 60000})
	for _, m := range Models {
		for g, want := range map[string]float64{"pregnant": 8.0 / 7, "other": 40.0 / 7} {
			got, ok := prs[m].Groups[g]
			if !ok {
				t.Fatalf("%s: group %s missing", m, g)
			}
			if math.Abs(got.MeanWaitDays-want)/want > 0.08 {
				t.Errorf("%s, group %s: mean wait %.4f days, Cobham %.4f (tolerance 8%%)", m, g, got.MeanWaitDays, want)
			}
		}
	}
	identical(t, prs)
}

// TestWaitlistRefusesUnsupported checks that waitlist.py refuses a scenario outside the subset
// it implements instead of silently simulating another model.
func TestWaitlistRefusesUnsupported(t *testing.T) {
	py := simpy(t)
	for _, m := range Models {
		if _, err := RunPython(py, script, "testdata/unsupported-two-programs.json", m, Overrides{}); err == nil {
			t.Errorf("waitlist.py --model %s accepted a two-program scenario", m)
		}
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
