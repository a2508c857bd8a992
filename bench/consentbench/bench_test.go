package consentbench

import (
	"testing"

	"github.com/dyad-health/dyad/consent"
)

// BenchmarkDecide times one decision (ns/op is ns/decision; cpu-ns/op is the CPU time the
// process spent per decision, steadier on a shared machine) in each engine, cycling through
// the 10,000 generated requests. Both engines and all requests are built before the timer
// starts; for Cedar a decision is one Authorize per consent on file for the patient until one
// allows, then one for the exceptions, as an application holding Cedar must do.
func BenchmarkDecide(b *testing.B) {
	_, de, drs, ce, crs := engines(b)
	b.Run("engine=dyad", func(b *testing.B) {
		b.ReportAllocs()
		i, permits := 0, 0
		c0 := cpuNanos(b)
		for b.Loop() {
			if de.Decide(drs[i]).Permit {
				permits++
			}
			if i++; i == len(drs) {
				i = 0
			}
		}
		reportCPU(b, c0)
		_ = permits
	})
	b.Run("engine=cedar", func(b *testing.B) {
		b.ReportAllocs()
		i, permits := 0, 0
		c0 := cpuNanos(b)
		for b.Loop() {
			a, err := ce.Authorize(crs[i])
			if err != nil {
				b.Fatal(err)
			}
			if a.Allow {
				permits++
			}
			if i++; i == len(crs) {
				i = 0
			}
		}
		reportCPU(b, c0)
		_ = permits
	})
}

// BenchmarkDecideByOutcome times the permit and the deny paths apart, to show where time
// goes: dyad's permit path returns a precomputed decision, its deny path collects every
// reason (why each consent and each exception invoked did not apply).
func BenchmarkDecideByOutcome(b *testing.B) {
	_, de, drs, ce, crs := engines(b)
	var split [2]struct {
		d []consent.Request
		c []CedarRequest
	}
	for i := range drs {
		k := 0
		if de.Decide(drs[i]).Permit {
			k = 1
		}
		split[k].d = append(split[k].d, drs[i])
		split[k].c = append(split[k].c, crs[i])
	}
	for k, outcome := range []string{"deny", "permit"} {
		d, c := split[k].d, split[k].c
		b.Run("outcome="+outcome+"/engine=dyad", func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			c0 := cpuNanos(b)
			for b.Loop() {
				de.Decide(d[i])
				if i++; i == len(d) {
					i = 0
				}
			}
			reportCPU(b, c0)
		})
		b.Run("outcome="+outcome+"/engine=cedar", func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			c0 := cpuNanos(b)
			for b.Loop() {
				if _, err := ce.Authorize(c[i]); err != nil {
					b.Fatal(err)
				}
				if i++; i == len(c) {
					i = 0
				}
			}
			reportCPU(b, c0)
		})
	}
}

// reportCPU reports the CPU time per op since c0, where the platform gives CPU time.
func reportCPU(b *testing.B, c0 int64) {
	if c := cpuNanos(b); c > 0 {
		b.ReportMetric(float64(c-c0)/float64(b.N), "cpu-ns/op")
	}
}
