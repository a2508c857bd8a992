package simbench

import (
	"context"
	"testing"

	"github.com/dyad-health/dyad/priority/sim"
)

// BenchmarkWaitlist simulates testdata/federal4.json in each implementation, on one core
// each (priority/sim with Workers: 1; SimPy is single-threaded), and reports simulated
// events per second. For SimPy the time is what waitlist.py measured around env.run, so
// interpreter start-up and JSON parsing are not held against it.
func BenchmarkWaitlist(b *testing.B) {
	b.Run("impl=dyad", func(b *testing.B) {
		s, err := LoadScenario(scenario, Overrides{})
		if err != nil {
			b.Fatal(err)
		}
		m, err := sim.Compile(s)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		var events uint64
		for b.Loop() {
			r, err := m.Run(context.Background(), sim.Options{Workers: 1})
			if err != nil {
				b.Fatal(err)
			}
			events += r.Events
		}
		secs := b.Elapsed().Seconds()
		b.ReportMetric(float64(events)/secs, "events/s")
		b.ReportMetric(secs*1e9/float64(events), "ns/event")
	})
	b.Run("impl=simpy", func(b *testing.B) {
		py := simpy(b)
		var events uint64
		var secs float64
		for b.Loop() {
			r, err := RunSimPy(py, script, scenario, Overrides{})
			if err != nil {
				b.Fatal(err)
			}
			events += r.Events
			secs += r.Seconds
		}
		b.ReportMetric(float64(events)/secs, "events/s")
		b.ReportMetric(secs*1e9/float64(events), "ns/event")
	})
}
