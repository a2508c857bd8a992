package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dyad-health/dyad/internal/conformance"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// marker is text no message of the package contains, and neither an identifier nor a
// member name a path may show (it has a space): no message may ever hold it. Seeds carry
// it in keys, values, names and policies so that a message quoting the input is found.
const marker = "Zq XjV"

// noInputText fails when an error's text carries the marker.
func noInputText(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), marker) {
		t.Fatalf("the error quotes the input: %v", err)
	}
}

func scenarioSeeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/conformance/*.json")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		c, err := decodeCase(data)
		if err != nil {
			f.Fatal(err)
		}
		f.Add([]byte(c.Scenario))
	}
	b, _ := json.Marshal(Statewide())
	f.Add(b)
	b, _ = json.Marshal(validScenario())
	f.Add(b)
	f.Add([]byte(`{"policy": {"name": "x", "tiers": [{"name": "a"}]}, "horizon_days": 1e308}`))
	f.Add([]byte(`{"arrivals": [{"group": "g", "monthly_rate_per_day": [1,1,1,1,1,1,1,1,1,1,1,1e300]}]}`))
	f.Add([]byte(`{"name": "` + marker + `", "description": "` + marker + `", "policy": "` + marker + `", "` + marker + `": 1,
		"programs": [{"id": "` + marker + `", "beds": 1, "length_of_stay": {"dist": "` + marker + `"}, "reserved": [{"tier": "` + marker + `", "beds": 1}],
		"next": [{"program": "` + marker + `", "probability": 2}]}],
		"arrivals": [{"group": "` + marker + `", "programs": ["` + marker + `"], "apply": "` + marker + `", "rate_per_day": 1}]}`))
	f.Add([]byte(`{"policy": {"name": "` + marker + `", "tiers": [{"name": "` + marker + `", "when": {"` + marker + `": true}}], "calendar_days_zone": "` + marker + `"}}`))
	f.Add([]byte(`{"horizon_days": 10, "replications": 1, "policy": "federal", "balking": {"max_waiting": 1}, "policy_changes": [{"day": 5, "policy": "federal"}],
		"programs": [{"id": "a", "beds": 1, "bed_changes": [{"day": 3, "beds": 2}], "length_of_stay": {"dist": "gamma", "shape": 0.5, "scale_days": 1}, "next": [{"program": "b", "probability": 0.5}]},
		{"id": "b", "beds": 1, "length_of_stay": {"dist": "fixed", "mean_days": 1}}],
		"arrivals": [{"group": "g", "rate_per_day": 2, "trend_per_year": 0.5, "apply": "one", "applicant": {"pregnant": true}, "gestational_age_days": {"dist": "weibull", "shape": 2, "scale_days": 200}}]}`))
}

// FuzzDecodeScenario: the scenario decoder never panics; its errors are *ValidationError
// listing coded problems and never quote the input; what decodes survives a JSON round trip
// unchanged; what compiles has sane limits, its errors quote nothing of the input but
// identifiers, and tiny models run to the end with their counts balanced (Run checks
// conservation) and the same results replication by replication when rerun alone.
func FuzzDecodeScenario(f *testing.F) {
	scenarioSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeScenario(data)
		noInputText(t, err)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 || !errors.Is(err, ErrInvalidScenario) {
				t.Fatalf("error %T %v: want a *ValidationError with problems", err, err)
			}
			for _, p := range ve.Problems {
				if p.Code == "" || p.Message == "" {
					t.Fatalf("problem without a code or message: %+v", p)
				}
			}
			return
		}
		// Round trip.
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		back, err := DecodeScenario(b)
		if err != nil {
			t.Fatalf("a decoded scenario does not read back: %v\n%s", err, b)
		}
		if d := cmp.Diff(s, back, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("round trip (-first +second):\n%s", d)
		}
		m, err := Compile(s)
		noInputText(t, err)
		if err != nil {
			if !errors.Is(err, ErrInvalidScenario) {
				t.Fatalf("Compile error %v does not match ErrInvalidScenario", err)
			}
			return
		}
		if m.reps < 1 || m.horizon <= 0 || m.nSamples > MaxSamples+1 || m.maxBeds > MaxBeds {
			t.Fatalf("compiled model out of limits: reps %d horizon %v samples %d beds %d", m.reps, m.horizon, m.nSamples, m.maxBeds)
		}
		// Run tiny models to the end.
		expected := 0.0
		for _, a := range s.Arrivals {
			expected += a.RatePerDay * s.HorizonDays
			for _, r := range a.MonthlyRatePerDay {
				expected += r * s.HorizonDays
			}
		}
		small := m.reps <= 3 && expected*float64(m.reps) <= 2000 && m.maxBeds <= 1000 && len(s.Programs) <= 20
		for _, a := range s.Arrivals {
			small = small && a.TrendPerYear <= 0
		}
		if !small {
			return
		}
		// A tiny model runs in milliseconds: a run that does not end in seconds is a loop
		// that never reaches the horizon.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		res, err := m.Run(ctx, Options{})
		if err != nil {
			t.Fatalf("run: %v", err)
		}
		// Rerun alone, traced: the same values (the trace changes nothing).
		rep, err := m.RunReplication(ctx, m.reps-1, Options{Trace: func(TraceEvent) {}})
		if err != nil {
			t.Fatalf("replication: %v", err)
		}
		if d := cmp.Diff(res.PerReplication[m.reps-1], *rep, cmpopts.EquateNaNs()); d != "" {
			t.Fatalf("replication alone differs:\n%s", d)
		}
		var buf bytes.Buffer
		if err := WriteSummaryCSV(&buf, res); err != nil {
			t.Fatalf("csv: %v", err)
		}
		if _, err := json.Marshal(res); err != nil {
			t.Fatalf("json: %v", err)
		}
	})
}

// FuzzConformanceCase feeds arbitrary bytes to the conformance case decoder: no panic, and
// errors quote nothing of the input.
func FuzzConformanceCase(f *testing.F) {
	conformance.Seed(f, filepath.Join("testdata", "conformance"))
	f.Add([]byte(`{"description": "` + marker + `", "scenario": {"` + marker + `": 1}, "expect": {"metrics": [{"metric": "` + marker + `"}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := decodeCase(data)
		noInputText(t, err)
	})
}
