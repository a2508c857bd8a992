package consentbench

import (
	"fmt"
	"runtime"
	"testing"
)

// BenchmarkDecideWorkload times each engine deciding every request of a workload, from the
// application's own request to the engine's answer: exactly DyadEngine.Decide
// (adapter_dyad.go) on dyad's side and CedarEngine.Decide (adapter_cedar.go) on Cedar's, so
// building the engine's request is timed on both sides alike, and dyad's full Decision is
// built inside the loop as Cedar's asks are. One op is one pass over the requests; the
// figures per decision are reported as ns/decision (wall time), cpu-ns/decision (the CPU time
// of the whole process, user and system, garbage collector included, from getrusage),
// allocs/decision and B/decision.
//
// Sub-benchmarks: engine=dyad, engine=cedar-slice and engine=cedar-policyset (Cedar's
// policies held in a slice or in a cedar.PolicySet), each building only its own engine, so
// that the heap its garbage collector marks is its own (the workload and that engine); then
// requests=mixed (all 10,000 generated requests), requests=denied and requests=permitted
// (those the engine denies, or permits: the engines agree on every request, as
// TestEnginesAgree checks), and requests=denied-reasons-read: the denied requests, the
// application then reading every reason of the answer. A dyad Decision holds every reason
// of a deny but judges them only when read (Decision.Reasons); a Cedar deny carries none
// (its diagnostic names only the forbid policies that matched, here none), so on Cedar's
// side that row times the same work as requests=denied. bench/run runs each engine in a
// process of its own, alternating engines round by round.
func BenchmarkDecideWorkload(b *testing.B) {
	s := Generate(seed, patients, requests)
	b.Run("engine=dyad", func(b *testing.B) {
		e, err := NewDyadEngine(s.Consents)
		if err != nil {
			b.Fatal(err)
		}
		pass := func(read bool) func(reqs []Request) (int, error) {
			return func(reqs []Request) (int, error) {
				permits := 0
				for i := range reqs {
					d, err := e.Decide(&reqs[i])
					if err != nil {
						return 0, err
					}
					if d.Permit {
						permits++
					}
					if read && len(d.Reasons()) == 0 {
						return 0, fmt.Errorf("request %d: a decision without reasons", i)
					}
				}
				return permits, nil
			}
		}
		workloads(b, s.Requests, func(r *Request) (bool, error) {
			d, err := e.Decide(r)
			return d.Permit, err
		}, pass(false), pass(true))
	})
	for _, store := range []CedarStore{CedarSlice, CedarPolicySet} {
		b.Run("engine=cedar-"+store.String(), func(b *testing.B) {
			e, err := NewCedarEngine(s.Consents, store)
			if err != nil {
				b.Fatal(err)
			}
			workloads(b, s.Requests, func(r *Request) (bool, error) {
				a, err := e.Decide(r)
				return a.Allow, err
			}, func(reqs []Request) (int, error) {
				permits := 0
				for i := range reqs {
					a, err := e.Decide(&reqs[i])
					if err != nil {
						return 0, err
					}
					if a.Allow {
						permits++
					}
				}
				return permits, nil
			}, nil)
		})
	}
}

// workloads splits the requests by the engine's outcome (decide, before any timing) and times
// pass, one pass over the requests per op, on the mixed, denied and permitted requests, and
// read (pass when nil), reading every reason, on the denied ones.
func workloads(b *testing.B, all []Request, decide func(*Request) (bool, error), pass, read func([]Request) (int, error)) {
	if read == nil {
		read = pass
	}
	var denied, permitted []Request
	for i := range all {
		ok, err := decide(&all[i])
		if err != nil {
			b.Fatal(err)
		}
		if ok {
			permitted = append(permitted, all[i])
		} else {
			denied = append(denied, all[i])
		}
	}
	for _, w := range []struct {
		name    string
		reqs    []Request
		permits int
		pass    func([]Request) (int, error)
	}{{"mixed", all, len(permitted), pass}, {"denied", denied, 0, pass}, {"permitted", permitted, len(permitted), pass},
		{"denied-reasons-read", denied, 0, read}} {
		b.Run("requests="+w.name, func(b *testing.B) {
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			c0 := cpuNanos(b)
			for b.Loop() {
				permits, err := w.pass(w.reqs)
				if err != nil {
					b.Fatal(err)
				}
				if permits != w.permits {
					b.Fatalf("%d permits in a pass over %d requests, want %d", permits, len(w.reqs), w.permits)
				}
			}
			c1 := cpuNanos(b)
			runtime.ReadMemStats(&m1)
			n := float64(b.N) * float64(len(w.reqs))
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/decision")
			if c1 > 0 {
				b.ReportMetric(float64(c1-c0)/n, "cpu-ns/decision")
			}
			b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/n, "allocs/decision")
			b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/n, "B/decision")
		})
	}
}
