package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var (
	corpus = flag.String("corpus", "testdata/conformance", "folder of sim conformance cases to run")
	// heavy runs 16 times the replications of every case and divides its tolerances by 4
	// (the standard error of the mean shrinks by sqrt(16)): a slower, stricter check of the
	// simulator against the closed forms. Off by default.
	heavy = flag.Bool("heavy", false, "run conformance cases with 16x the replications and tolerances divided by 4")
)

// sharedCorpus is the project's shared example folder, beside the repository.
const sharedCorpus = "../../../shared/conformance/sim"

// Tolerance is an expected value with an absolute or a relative tolerance.
type Tolerance struct {
	Value  float64  `json:"value"`
	RelTol *float64 `json:"rel_tol,omitempty"`
	AbsTol *float64 `json:"abs_tol,omitempty"`
}

// Case is one conformance case file.
type Case struct {
	Description string          `json:"description"`
	Scenario    json.RawMessage `json:"scenario"`
	Expect      struct {
		MeanWaitDays     map[string]Tolerance `json:"mean_wait_days,omitempty"`
		AdmittedFraction map[string]Tolerance `json:"admitted_fraction,omitempty"`
	} `json:"expect"`
}

func decodeCase(data []byte) (Case, Scenario, error) {
	var c Case
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Case{}, Scenario{}, err
	}
	s, err := DecodeScenario(c.Scenario)
	return c, s, err
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

func runCorpus(t *testing.T, dir string) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no case files in %s", dir)
	}
	sort.Strings(files)
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatalf("cannot read case: %v", err)
			}
			c, s, err := decodeCase(data)
			if err != nil {
				t.Fatalf("case does not match the schema: %v", err)
			}
			if c.Description == "" {
				t.Fatalf("case has no description")
			}
			if len(c.Expect.MeanWaitDays) == 0 && len(c.Expect.AdmittedFraction) == 0 {
				t.Fatalf("case expects nothing")
			}
			if *heavy {
				s.Replications *= 16
				for _, m := range []map[string]Tolerance{c.Expect.MeanWaitDays, c.Expect.AdmittedFraction} {
					for g, tol := range m {
						if tol.RelTol != nil {
							v := *tol.RelTol / 4
							tol.RelTol = &v
						}
						m[g] = tol
					}
				}
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
				if ok, lim := tol.check(gr.MeanWaitDays.Mean); !ok {
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
				if ok, lim := tol.check(got); !ok {
					t.Errorf("admitted fraction of %s = %.5f, want %.5f ± %.5f", g, got, tol.Value, lim)
				}
			}
		})
	}
}

func TestConformance(t *testing.T) { runCorpus(t, *corpus) }

func TestConformanceShared(t *testing.T) {
	if _, err := os.Stat(sharedCorpus); err != nil {
		t.Skipf("shared corpus %s absent", sharedCorpus)
	}
	runCorpus(t, sharedCorpus)
}

// TestConformanceCaseSchema checks that a case not matching the schema is an error (which
// fails its subtest in runCorpus), never silently accepted.
func TestConformanceCaseSchema(t *testing.T) {
	for name, in := range map[string]string{
		"unknown case field":     `{"description": "x", "scenario": {}, "expect": {}, "extra": 1}`,
		"unknown expect field":   `{"description": "x", "scenario": {}, "expect": {"median_wait_days": {}}}`,
		"unknown scenario field": `{"description": "x", "scenario": {"beds": 3}, "expect": {}}`,
		"not JSON":               `{"description": `,
	} {
		if _, _, err := decodeCase([]byte(in)); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
}
