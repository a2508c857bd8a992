package priority

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
)

var sinkClass Classification
var sinkBool bool
var sinkInt int

func BenchmarkClassifyFederal(b *testing.B) {
	c := MustCompile(Federal())
	a := Applicant{ID: "W1", SoughtAt: t0, Pregnant: true, DeliveredAt: t0.Add(100 * time.Hour), InjectsDrugs: false}
	at := t0.Add(time.Hour)
	b.ReportAllocs()
	start := cpuNow()
	for b.Loop() {
		sinkClass = c.Classify(a, at)
	}
	reportCPU(b, start)
}

func BenchmarkClassifyStateLastTier(b *testing.B) {
	c := MustCompile(Policy{Name: "s", PostpartumDays: 365, Tiers: []Tier{
		{Name: "pregnant_injecting", When: map[string]bool{"pregnant": true, "injects_drugs": true}},
		{Name: "pregnant", When: map[string]bool{"pregnant": true}},
		{Name: "postpartum", When: map[string]bool{"postpartum": true}},
		{Name: "injecting", When: map[string]bool{"injects_drugs": true}},
		{Name: "child_welfare", When: map[string]bool{"referred_by_child_welfare": true}},
		{Name: "children", When: map[string]bool{"dependent_children": true}},
		{Name: "everyone"}}})
	a := Applicant{ID: "X", SoughtAt: t0, Pregnant: true, DeliveredAt: t0.Add(-400 * 24 * time.Hour)}
	b.ReportAllocs()
	start := cpuNow()
	for b.Loop() {
		sinkClass = c.Classify(a, t0)
	}
	reportCPU(b, start)
}

func BenchmarkOwedInterim(b *testing.B) {
	c := MustCompile(Federal())
	a := Applicant{ID: "M", SoughtAt: t0, InjectsDrugs: true}
	b.ReportAllocs()
	start := cpuNow()
	for b.Loop() {
		sinkBool = c.OwedInterim(a, t0.Add(time.Hour))
	}
	reportCPU(b, start)
}

func BenchmarkObligations(b *testing.B) {
	c := MustCompile(Federal())
	a := Applicant{ID: "W1", SoughtAt: t0, Pregnant: true, InjectsDrugs: true}
	p := Program{Beds: 10, Occupied: 10, ServesInjecting: true}
	buf := make([]Obligation, 0, 4)
	b.ReportAllocs()
	start := cpuNow()
	for b.Loop() {
		buf = c.AppendObligations(buf[:0], a, Progress{}, p, t0.Add(time.Hour))
	}
	reportCPU(b, start)
	sinkInt = len(buf)
}

// reportCPU reports the process's CPU time per operation since start as "cpu-ns/op". On a
// shared machine, wall time (ns/op) includes time spent waiting for a core; CPU time does not
// (it does include the garbage collector's work on other threads).
func reportCPU(b *testing.B, start time.Duration) {
	if start == 0 || b.N == 0 {
		return
	}
	b.ReportMetric(float64(cpuNow()-start)/float64(b.N), "cpu-ns/op")
}

const bigN = 1_000_000

// benchBatch is how many people the Add and Remove benchmarks add or remove between two
// pauses of the timer.
const benchBatch = 4096

// reportCPUTotal reports cpu, the CPU time of the timed parts, per operation.
func reportCPUTotal(b *testing.B, cpu time.Duration) {
	if cpu <= 0 || b.N == 0 {
		return
	}
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
}

// bigList is a waitlist of 1,000,000 people, built once: sought 10 s apart, a third pregnant,
// half injecting drugs.
var bigList = sync.OnceValue(func() *Waitlist {
	w, err := NewWaitlist(MustCompile(Federal()))
	if err != nil {
		panic(err)
	}
	for i := range bigN {
		at := t0.Add(time.Duration(i) * 10 * time.Second)
		a := Applicant{ID: fmt.Sprintf("P%07d", i), SoughtAt: at, Pregnant: i%3 == 0, InjectsDrugs: i%2 == 0}
		if _, err := w.Add(a, at); err != nil {
			panic(err)
		}
	}
	return w
})

var benchClock = t0.Add(bigN * 10 * time.Second)

func nextBenchTime() time.Time {
	benchClock = benchClock.Add(time.Second)
	return benchClock
}

func BenchmarkWaitlist1M(b *testing.B) {
	w := bigList()
	runtime.GC() // settle the garbage of building the list before anything is timed
	// Add and Remove work in batches of benchBatch people so that the list holds between
	// 1,000,000 and 1,000,000 + benchBatch people whatever b.N is: each batch's counterpart
	// (removing what was added, adding what will be removed) runs with the timer stopped, and
	// the CPU time reported is that of the timed parts only.
	b.Run("Add", func(b *testing.B) {
		ids := make([]string, 0, benchBatch)
		b.ReportAllocs()
		var cpu time.Duration
		for done := 0; done < b.N; {
			n := min(benchBatch, b.N-done)
			b.StopTimer()
			ids = ids[:0]
			for j := range n {
				ids = append(ids, fmt.Sprintf("A%d-%d", b.N, done+j))
			}
			b.StartTimer()
			c0 := cpuNow()
			for j, id := range ids {
				at := nextBenchTime()
				if _, err := w.Add(Applicant{ID: id, SoughtAt: at, InjectsDrugs: j%2 == 0}, at); err != nil {
					b.Fatal(err)
				}
			}
			cpu += cpuNow() - c0
			b.StopTimer()
			for _, id := range ids {
				if err := w.Remove(id, RemovalDeclined, nextBenchTime()); err != nil {
					b.Fatal(err)
				}
			}
			b.StartTimer()
			done += n
		}
		reportCPUTotal(b, cpu)
	})
	b.Run("Remove", func(b *testing.B) {
		ids := make([]string, 0, benchBatch)
		b.ReportAllocs()
		var cpu time.Duration
		for done := 0; done < b.N; {
			n := min(benchBatch, b.N-done)
			b.StopTimer()
			ids = ids[:0]
			for j := range n {
				at := nextBenchTime()
				id := fmt.Sprintf("R%d-%d", b.N, done+j)
				if _, err := w.Add(Applicant{ID: id, SoughtAt: at.Add(-time.Duration(j%1000) * time.Hour), Pregnant: j%2 == 0}, at); err != nil {
					b.Fatal(err)
				}
				ids = append(ids, id)
			}
			b.StartTimer()
			c0 := cpuNow()
			for _, id := range ids {
				if err := w.Remove(id, RemovalAdmitted, nextBenchTime()); err != nil {
					b.Fatal(err)
				}
			}
			cpu += cpuNow() - c0
			done += n
		}
		reportCPUTotal(b, cpu)
	})
	b.Run("Next", func(b *testing.B) {
		b.ReportAllocs()
		start := cpuNow()
		for b.Loop() {
			x, _ := w.Next()
			sinkInt = len(x.Applicant.ID)
		}
		reportCPU(b, start)
	})
	b.Run("Position", func(b *testing.B) {
		ids := make([]string, 1024)
		for i := range ids {
			ids[i] = fmt.Sprintf("P%07d", (i*7919)%bigN)
		}
		b.ReportAllocs()
		i := 0
		start := cpuNow()
		for b.Loop() {
			p, err := w.Position(ids[i&1023])
			if err != nil {
				b.Fatal(err)
			}
			sinkInt = p
			i++
		}
		reportCPU(b, start)
	})
	// Overdue at a moment when k people's 48-hour interim deadline has passed: the cost grows
	// with k, not with the million people waiting.
	for _, k := range []int{10, 1000} {
		b.Run(fmt.Sprintf("Overdue/%d", k), func(b *testing.B) {
			// Person i is owed interim services (due sought + 48 h) when pregnant or injecting:
			// i%2 == 0 or i%3 == 0, two thirds of people; 10 s apart.
			at := t0.Add(48*time.Hour + time.Duration(k*3/2)*10*time.Second - 5*time.Second)
			got := len(w.Overdue(at))
			b.ReportAllocs()
			start := cpuNow()
			for b.Loop() {
				sinkInt = len(w.Overdue(at))
			}
			reportCPU(b, start)
			b.ReportMetric(float64(got), "overdue")
		})
	}
}
