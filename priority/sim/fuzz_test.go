package sim

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodeAndCompile feeds arbitrary bytes to the scenario decoder and, when they decode,
// to Compile: neither may panic, and a compiled model must have sane limits. Seeded with
// every scenario of the conformance corpus.
func FuzzDecodeAndCompile(f *testing.F) {
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
	f.Add([]byte(`{"policy": {"name": "x", "tiers": [{"name": "a"}]}, "horizon_days": 1e308}`))
	f.Add([]byte(`{"arrivals": [{"group": "g", "monthly_rate_per_day": [1,1,1,1,1,1,1,1,1,1,1,1e300]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeScenario(data)
		if err != nil {
			return
		}
		m, err := Compile(s)
		if err != nil {
			return
		}
		if m.reps < 1 || m.horizon <= 0 || m.nSamples > MaxSamples+1 {
			t.Fatalf("compiled model out of limits: reps %d horizon %v samples %d", m.reps, m.horizon, m.nSamples)
		}
		// Run tiny models to the end.
		expected := 0.0
		for _, a := range s.Arrivals {
			expected += a.RatePerDay * s.HorizonDays
			for _, r := range a.MonthlyRatePerDay {
				expected += r * s.HorizonDays
			}
		}
		if m.reps <= 4 && expected*float64(m.reps) <= 2000 && m.maxBeds <= 1000 && len(s.Programs) <= 20 {
			if _, err := m.Run(context.Background(), Options{}); err != nil {
				t.Fatalf("run: %v", err)
			}
		}
	})
}

// FuzzConformanceCase feeds arbitrary bytes to the conformance case decoder.
func FuzzConformanceCase(f *testing.F) {
	files, _ := filepath.Glob("testdata/conformance/*.json")
	for _, file := range files {
		data, _ := os.ReadFile(file)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = decodeCase(data)
	})
}
