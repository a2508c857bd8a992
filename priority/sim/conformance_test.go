package sim

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/dyad-health/dyad/internal/conformance"
	"github.com/dyad-health/dyad/internal/jsonin"
)

var (
	corpus = flag.String("corpus", "testdata/conformance", "folder of sim conformance cases to run")
	// heavy runs 16 times the replications of every case and divides its relative
	// tolerances by 4 (the standard error of the mean shrinks by sqrt(16)): a slower,
	// stricter check of the simulator against the closed forms. Off by default.
	heavy = flag.Bool("heavy", false, "run conformance cases with 16x the replications and relative tolerances divided by 4")
)

// Tolerance is an expected value with an absolute or a relative tolerance.
type Tolerance struct {
	Value  float64  `json:"value"`
	RelTol *float64 `json:"rel_tol,omitempty"`
	AbsTol *float64 `json:"abs_tol,omitempty"`
}

// MetricExpect is an expected summary metric: of a group (or "overall"), of a program, or
// of the system when both are empty; named as in the summary CSV, with Days for the
// metric "admitted_within".
type MetricExpect struct {
	Group   string   `json:"group,omitempty"`
	Program string   `json:"program,omitempty"`
	Metric  string   `json:"metric"`
	Days    *float64 `json:"days,omitempty"`
	Tolerance
}

// Case is one conformance case file (testdata/conformance/README.md).
type Case struct {
	Description string          `json:"description"`
	Scenario    json.RawMessage `json:"scenario"`
	Expect      struct {
		MeanWaitDays     map[string]Tolerance `json:"mean_wait_days,omitempty"`
		AdmittedFraction map[string]Tolerance `json:"admitted_fraction,omitempty"`
		Metrics          []MetricExpect       `json:"metrics,omitempty"`
	} `json:"expect"`
	scenario Scenario
}

// decodeCase reads a case strictly (the library's reader), its scenario with
// DecodeScenario.
func decodeCase(data []byte) (Case, error) {
	var c Case
	if err := jsonin.Decode(data, &c, jsonin.Options{MaxBytes: MaxScenarioBytes}); err != nil {
		return Case{}, err
	}
	s, err := DecodeScenario(c.Scenario)
	if err != nil {
		return Case{}, err
	}
	c.scenario = s
	if c.Description == "" {
		return Case{}, fmt.Errorf("case has no description")
	}
	if len(c.Expect.MeanWaitDays) == 0 && len(c.Expect.AdmittedFraction) == 0 && len(c.Expect.Metrics) == 0 {
		return Case{}, fmt.Errorf("case expects nothing")
	}
	return c, nil
}

func (tol Tolerance) check(got float64) (ok bool, limit float64) {
	switch {
	case tol.AbsTol != nil:
		limit = *tol.AbsTol
	case tol.RelTol != nil:
		limit = *tol.RelTol * math.Abs(tol.Value)
	default:
		limit = 1e-9
	}
	return math.Abs(got-tol.Value) <= limit, limit
}

// lookup returns the estimate a MetricExpect names.
func lookup(res *Result, e MetricExpect) (Estimate, error) {
	switch {
	case e.Program != "":
		p, ok := res.Program(e.Program)
		if !ok {
			return Estimate{}, fmt.Errorf("program %q not in the scenario", e.Program)
		}
		for k, s := range programSpecs {
			if s.name == e.Metric {
				return *p.at(k), nil
			}
		}
	case e.Group != "":
		g, ok := res.Group(e.Group)
		if !ok {
			return Estimate{}, fmt.Errorf("group %q not in the scenario", e.Group)
		}
		if e.Metric == cdfMetric {
			for i, d := range res.CDFDays {
				if e.Days != nil && d == *e.Days {
					return g.WaitCDF[i], nil
				}
			}
			return Estimate{}, fmt.Errorf("no admitted_within point at the days given")
		}
		for k, s := range groupSpecs {
			if s.name == e.Metric {
				return *g.at(k), nil
			}
		}
	default:
		for k, s := range systemSpecs {
			if s.name == e.Metric {
				return *res.System.at(k), nil
			}
		}
	}
	return Estimate{}, fmt.Errorf("no metric %q", e.Metric)
}

func checkCase(t *testing.T, c Case) {
	t.Parallel()
	s := c.scenario
	tighten := func(tol Tolerance) Tolerance {
		if *heavy && tol.RelTol != nil {
			v := *tol.RelTol / 4
			tol.RelTol = &v
		}
		return tol
	}
	if *heavy {
		s.Replications *= 16
	}
	res, err := Run(context.Background(), s, Options{})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	for g, tol := range c.Expect.MeanWaitDays {
		gr, ok := res.Group(g)
		if !ok {
			t.Errorf("group %q not in the scenario", g)
			continue
		}
		t.Logf("mean wait of %s: %.6g [%.6g, %.6g], want %.6g", g, gr.MeanWaitDays.Mean, gr.MeanWaitDays.Low, gr.MeanWaitDays.High, tol.Value)
		if ok, lim := tighten(tol).check(gr.MeanWaitDays.Mean); !ok {
			t.Errorf("mean wait of %s = %.5f (CI %.5f–%.5f), want %.5f ± %.5f", g,
				gr.MeanWaitDays.Mean, gr.MeanWaitDays.Low, gr.MeanWaitDays.High, tol.Value, lim)
		}
	}
	for g, tol := range c.Expect.AdmittedFraction {
		gr, ok := res.Group(g)
		if !ok {
			t.Errorf("group %q not in the scenario", g)
			continue
		}
		got := gr.Admitted.Mean / gr.Arrivals.Mean
		if ok, lim := tighten(tol).check(got); !ok {
			t.Errorf("admitted fraction of %s = %.5f, want %.5f ± %.5f", g, got, tol.Value, lim)
		}
	}
	for _, e := range c.Expect.Metrics {
		got, err := lookup(res, e)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		who := strings.TrimSpace(e.Group + e.Program)
		t.Logf("%s of %s: %.6g [%.6g, %.6g], want %.6g", e.Metric, who, got.Mean, got.Low, got.High, e.Value)
		if ok, lim := tighten(e.Tolerance).check(got.Mean); !ok {
			t.Errorf("%s of %s = %.6g (CI %.6g–%.6g), want %.6g ± %.3g", e.Metric, who, got.Mean, got.Low, got.High, e.Value, lim)
		}
	}
}

// TestConformance runs every case of the corpus (or of -corpus DIR) as a subtest.
func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Dir(t, *corpus), decodeCase, checkCase)
}

// TestConformanceShared runs further example cases, the sim/ folder of $DYAD_SHARED_CORPUS
// (docs/conformance.md), and is skipped without it.
func TestConformanceShared(t *testing.T) {
	conformance.Run(t, conformance.Shared(t, "sim"), decodeCase, checkCase)
}

// TestConformanceCaseSchema checks that a case not matching the schema is an error (which
// fails its subtest), never silently accepted.
func TestConformanceCaseSchema(t *testing.T) {
	valid := `"scenario": {"horizon_days": 10, "replications": 1, "policy": "federal", "programs": [{"id": "p", "beds": 1, "length_of_stay": {"dist": "fixed", "mean_days": 1}}], "arrivals": [{"group": "g", "rate_per_day": 1}]}`
	for name, in := range map[string]string{
		"unknown case field":     `{"description": "x", ` + valid + `, "expect": {"mean_wait_days": {"g": {"value": 1}}}, "extra": 1}`,
		"unknown expect field":   `{"description": "x", ` + valid + `, "expect": {"median_wait_days": {}}}`,
		"unknown metric field":   `{"description": "x", ` + valid + `, "expect": {"metrics": [{"group": "g", "metric": "arrivals", "value": 1, "rel": 1}]}}`,
		"unknown scenario field": `{"description": "x", "scenario": {"beds": 3}, "expect": {}}`,
		"no description":         `{` + valid + `, "expect": {"mean_wait_days": {"g": {"value": 1}}}}`,
		"nothing expected":       `{"description": "x", ` + valid + `, "expect": {}}`,
		"duplicate key":          `{"description": "x", "description": "y", ` + valid + `, "expect": {"mean_wait_days": {"g": {"value": 1}}}}`,
		"not JSON":               `{"description": `,
	} {
		if _, err := decodeCase([]byte(in)); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
	if _, err := decodeCase([]byte(`{"description": "x", ` + valid + `, "expect": {"metrics": [{"group": "g", "metric": "arrivals", "value": 1, "rel_tol": 0.1}]}}`)); err != nil {
		t.Errorf("valid case: %v", err)
	}
}
