package simbench

import (
	"context"
	"testing"

	"github.com/dyad-health/dyad/priority/sim"
)

// BenchmarkWaitlist simulates testdata/federal4.json in each implementation, on one core
// each (priority/sim with Workers: 1; SimPy is single-threaded), and reports simulated
// events per second, of wall time (events/s) and of the process's CPU time (events/cpu-s,
// steadier on a shared machine). For SimPy the times are what waitlist.py measured around
// env.run, so interpreter start-up and JSON parsing are not held against it.
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
		c0 := cpuNanos(b)
		for b.Loop() {
			r, err := m.Run(context.Background(), sim.Options{Workers: 1})
			if err != nil {
				b.Fatal(err)
			}
			events += r.Events
		}
		secs := b.Elapsed().Seconds()
		cpu := float64(cpuNanos(b)-c0) / 1e9
		b.ReportMetric(float64(events)/secs, "events/s")
		b.ReportMetric(secs*1e9/float64(events), "ns/event")
		if cpu > 0 {
			b.ReportMetric(float64(events)/cpu, "events/cpu-s")
		}
	})
	b.Run("impl=simpy", func(b *testing.B) {
		py := simpy(b)
		var events uint64
		var secs, cpu float64
		for b.Loop() {
			r, err := RunSimPy(py, script, scenario, Overrides{})
			if err != nil {
				b.Fatal(err)
			}
			events += r.Events
			secs += r.Seconds
			cpu += r.CPUSeconds
		}
		b.ReportMetric(float64(events)/secs, "events/s")
		b.ReportMetric(secs*1e9/float64(events), "ns/event")
		b.ReportMetric(float64(events)/cpu, "events/cpu-s")
	})
}
