package simbench

import (
	"context"
	"testing"

	"github.com/dyad-health/dyad/priority/sim"
)

// BenchmarkSimulateFederal4 simulates testdata/federal4.json (10 replications of 40,000
// days) in each implementation, on one core each, and reports simulated events per second
// of the process's CPU time (events/cpu-s, steadier on a shared machine) and of wall time
// (events/s). One op is one whole simulation.
//
//   - impl=dyad: priority/sim with Workers: 1; the times are the benchmark's own, the CPU
//     time from getrusage (user and system, the garbage collector's too).
//   - impl=heapq, impl=simpy-lean, impl=simpy-textbook: waitlist.py --model heapq, lean or
//     textbook; the times are what waitlist.py measures around its run loop (time.process_time
//     and time.perf_counter), so interpreter start-up and JSON parsing are not held against
//     Python. Before the timing is used, each run's mean waits are checked against
//     priority/sim's (95% confidence intervals overlap), as TestPythonAgreesWithSim does.
//
// bench/run runs each implementation in a process of its own, alternating them round by round.
func BenchmarkSimulateFederal4(b *testing.B) {
	s, err := LoadScenario(scenario, Overrides{})
	if err != nil {
		b.Fatal(err)
	}
	m, err := sim.Compile(s)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("impl=dyad", func(b *testing.B) {
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
		report(b, events, b.Elapsed().Seconds(), float64(cpuNanos(b)-c0)/1e9)
	})
	for _, model := range []Model{ModelHeapq, ModelLean, ModelTextbook} {
		name := "impl=" + string(model)
		if model != ModelHeapq {
			name = "impl=simpy-" + string(model)
		}
		b.Run(name, func(b *testing.B) {
			py := simpy(b)
			want, err := m.Run(context.Background(), sim.Options{})
			if err != nil {
				b.Fatal(err)
			}
			var events uint64
			var secs, cpu float64
			for b.Loop() {
				r, err := RunPython(py, script, scenario, model, Overrides{})
				if err != nil {
					b.Fatal(err)
				}
				cs, err := Compare(want, r)
				if err != nil {
					b.Fatal(err)
				}
				for _, c := range cs {
					if !c.OverlappingCI95 {
						b.Fatalf("%s, group %s: mean wait %.4f ± %.4f days, priority/sim %.4f ± %.4f", model, c.Group, c.Py, c.PyHalfWidth, c.Go, c.GoHalfWidth)
					}
				}
				events += r.Events
				secs += r.Seconds
				cpu += r.CPUSeconds
			}
			report(b, events, secs, cpu)
		})
	}
}

// report reports the event rates; a CPU time of zero (no getrusage) reports none.
func report(b *testing.B, events uint64, secs, cpu float64) {
	b.ReportMetric(float64(events)/secs, "events/s")
	if cpu > 0 {
		b.ReportMetric(float64(events)/cpu, "events/cpu-s")
	}
}
