package priority

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
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
	a := Applicant{ID: "W1", SoughtAt: t0, Pregnant: true, PriorDeliveryAt: t0.Add(-100 * time.Hour)}
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
		{Name: "injecting", When: map[string]bool{"injects_drugs": true}},
		{Name: "postpartum", When: map[string]bool{"postpartum": true}},
		{Name: "child_welfare", When: map[string]bool{"referred_by_child_welfare": true}},
		{Name: "children", When: map[string]bool{"dependent_children": true}},
		{Name: "everyone"}}})
	a := Applicant{ID: "X", SoughtAt: t0, PriorDeliveryAt: t0.Add(-400 * 24 * time.Hour)}
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
		buf, _ = c.AppendObligations(buf[:0], a, Progress{}, p, t0.Add(time.Hour))
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

// reportCPUTotal reports cpu, the CPU time of the timed parts, per operation.
func reportCPUTotal(b *testing.B, cpu time.Duration) {
	if cpu <= 0 || b.N == 0 {
		return
	}
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
}

const bigN = 1_000_000

// benchBatch is how many people the Add and Remove benchmarks add or remove between two
// pauses of the timer.
const benchBatch = 4096

// benchActor records the benchmarks' changes.
const benchActor = "bench"

// benchFar is the benchmark lists' clock: far enough that no change is refused as future.
var benchFar = func() time.Time { return time.Date(2199, 1, 1, 0, 0, 0, 0, time.UTC) }

// bigApplicant is person i of the benchmark list: sought 10 s apart, a third pregnant, half
// injecting drugs, some with an earlier delivery, a known capacity fact.
func bigApplicant(id string, at time.Time, i int) Applicant {
	a := Applicant{ID: id, SoughtAt: at, Pregnant: i%3 == 0, InjectsDrugs: i%2 == 0, CapacityAtRequest: Capacity(i % 3)}
	if i%7 == 0 {
		a.PriorDeliveryAt = at.Add(-200 * 24 * time.Hour)
	}
	return a
}

func bigID(i int) string { return fmt.Sprintf("P%07d", i) }

// bigList is a waitlist of 1,000,000 people, built once and compacted (its log saved
// elsewhere, as a registry would), so that what it holds is what is waiting.
var bigList = sync.OnceValue(func() *Waitlist {
	base := heapInUse()
	defer func() { bigHeld = heapInUse() - min(base, heapInUse()) }()
	w, err := NewWaitlist(MustCompile(Federal()), WaitlistOptions{Now: benchFar})
	if err != nil {
		panic(err)
	}
	for i := range bigN {
		at := t0.Add(time.Duration(i) * 10 * time.Second)
		if _, err := w.Add(bigApplicant(bigID(i), at, i), at, benchActor); err != nil {
			panic(err)
		}
	}
	if err := w.Compact(w.LastSeq()); err != nil {
		panic(err)
	}
	return w
})

// bigHeld is the heap bigList holds, measured when it was built.
var bigHeld uint64

var benchClock = t0.Add(bigN * 10 * time.Second)

func nextBenchTime() time.Time {
	benchClock = benchClock.Add(time.Second)
	return benchClock
}

// heapInUse returns the bytes of the live heap after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkWaitlist1M measures the list at 1,000,000 people waiting. Add and Remove work in
// batches of benchBatch people so that the list holds between 1,000,000 and 1,000,000 +
// benchBatch people whatever b.N is: each batch's counterpart (removing what was added,
// adding back whom was removed) runs with the timer stopped, as does compacting the log after
// each batch, and the CPU time reported is that of the timed parts only. Remove takes people
// at random among the million, not the last added.
func BenchmarkWaitlist1M(b *testing.B) {
	w := bigList()
	runtime.GC()
	compact := func() {
		if err := w.Compact(w.LastSeq()); err != nil {
			b.Fatal(err)
		}
	}
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
				if _, err := w.Add(bigApplicant(id, at, j), at, benchActor); err != nil {
					b.Fatal(err)
				}
			}
			cpu += cpuNow() - c0
			b.StopTimer()
			for _, id := range ids {
				if err := w.Remove(id, RemovalDeclined, nextBenchTime(), benchActor); err != nil {
					b.Fatal(err)
				}
			}
			compact()
			b.StartTimer()
			done += n
		}
		reportCPUTotal(b, cpu)
	})
	b.Run("Remove", func(b *testing.B) {
		r := rand.New(rand.NewPCG(1, 2))
		picked := make([]int, 0, benchBatch)
		ids := make([]string, 0, benchBatch)
		b.ReportAllocs()
		var cpu time.Duration
		for done := 0; done < b.N; {
			n := min(benchBatch, b.N-done)
			b.StopTimer()
			picked = picked[:0]
			seen := map[int]bool{}
			for len(picked) < n {
				if i := r.IntN(bigN); !seen[i] {
					seen[i] = true
					picked = append(picked, i)
				}
			}
			// The identifiers are made before the timer starts: formatting them is the
			// caller's work, not the list's.
			ids = ids[:0]
			for _, i := range picked {
				ids = append(ids, bigID(i))
			}
			b.StartTimer()
			c0 := cpuNow()
			for _, id := range ids {
				if err := w.Remove(id, RemovalAdmitted, nextBenchTime(), benchActor); err != nil {
					b.Fatal(err)
				}
			}
			cpu += cpuNow() - c0
			b.StopTimer()
			// The same people come back, as they were: the list stays the million.
			for _, i := range picked {
				at := nextBenchTime()
				a := bigApplicant(bigID(i), t0.Add(time.Duration(i)*10*time.Second), i)
				if _, err := w.Add(a, at, benchActor); err != nil {
					b.Fatal(err)
				}
			}
			compact()
			b.StartTimer()
			done += n
		}
		reportCPUTotal(b, cpu)
	})
	// RemoveRecent removes the people just added (as the previous benchmark of this package
	// did): their records and leaves are still in the cache, so it shows what random removal
	// pays for memory latency.
	b.Run("RemoveRecent", func(b *testing.B) {
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
				if _, err := w.Add(bigApplicant(id, at.Add(-time.Duration(j%1000)*time.Hour), j), at, benchActor); err != nil {
					b.Fatal(err)
				}
				ids = append(ids, id)
			}
			b.StartTimer()
			c0 := cpuNow()
			for _, id := range ids {
				if err := w.Remove(id, RemovalAdmitted, nextBenchTime(), benchActor); err != nil {
					b.Fatal(err)
				}
			}
			cpu += cpuNow() - c0
			b.StopTimer()
			compact()
			b.StartTimer()
			done += n
		}
		reportCPUTotal(b, cpu)
	})
	at := nextBenchTime()
	b.Run("Next", func(b *testing.B) {
		b.ReportAllocs()
		start := cpuNow()
		for b.Loop() {
			x, _, _ := w.Next(at, Everyone)
			sinkInt = len(x.Applicant.ID)
		}
		reportCPU(b, start)
	})
	b.Run("Position", func(b *testing.B) {
		// People drawn at random over the whole million (the identifiers made beforehand), so
		// that the records and leaves read are not the few a short cycle keeps in the cache.
		r := rand.New(rand.NewPCG(3, 4))
		ids := make([]string, 1<<20)
		for i := range ids {
			ids[i] = bigID(r.IntN(bigN))
		}
		runtime.GC()
		b.ReportAllocs()
		i := 0
		start := cpuNow()
		for b.Loop() {
			p, err := w.Position(ids[i&(1<<20-1)], at)
			if err != nil {
				b.Fatal(err)
			}
			sinkInt = p
			i++
		}
		reportCPU(b, start)
	})
	// Overdue at a moment when k people's 48-hour interim deadline has passed: the cost grows
	// with k, not with the million people waiting. (Person i is owed interim services, due
	// 48 h after asking, when pregnant or injecting and capacity is not available: i%3 != 1,
	// and i%2 == 0 or i%3 == 0, so i%6 in {0, 2, 3}: half the people, 10 s apart.)
	for _, k := range []int{10, 1000} {
		b.Run(fmt.Sprintf("Overdue/%d", k), func(b *testing.B) {
			// Judged now (after every change), listing what fell due before the moment when
			// k were late.
			due := t0.Add(48*time.Hour + time.Duration(k*2)*10*time.Second - 5*time.Second)
			at := nsTime(w.last)
			got, err := w.DueBefore(due, at)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			start := cpuNow()
			for b.Loop() {
				obs, _ := w.DueBefore(due, at)
				sinkInt = len(obs)
			}
			reportCPU(b, start)
			b.ReportMetric(float64(len(got)), "listed")
		})
	}
	b.Run("Held", func(b *testing.B) {
		// The heap the list of a million holds, per person waiting (the log compacted).
		for b.Loop() {
		}
		b.ReportMetric(float64(bigHeld)/float64(bigN), "B/waiting")
	})
}

// BenchmarkMemoryLatency is not about the waitlist: it measures the machine, to read the
// waitlist's figures by. Each step loads an element of a 64 MiB array at an address given by
// the element loaded before (a random cycle through all of them), so no two loads overlap:
// ns/op is the latency of one cache and TLB miss, which is what an operation on a list of a
// million people waits for a few times over (BENCHMARKS.md counts them).
func BenchmarkMemoryLatency(b *testing.B) {
	const n = 64 << 20 / 4 // 4-byte elements
	next := make([]uint32, n)
	for i := range next {
		next[i] = uint32(i)
	}
	r := rand.New(rand.NewPCG(5, 6))
	for i := n - 1; i > 0; i-- { // Sattolo: one cycle through every element
		j := r.IntN(i)
		next[i], next[j] = next[j], next[i]
	}
	p := uint32(0)
	for b.Loop() {
		p = next[p]
	}
	sinkInt = int(p)
}

// BenchmarkChurn10M: 10 million add/remove pairs on a list of 1,000 waiting, with a snapshot
// and a compaction every 100,000 events, as a registry running for years would. It reports
// the heap after 1 million pairs and after 10 million: flat.
func BenchmarkChurn10M(b *testing.B) {
	const pairs = 10_000_000
	for b.Loop() {
		base := heapInUse() // what the process holds already (the million-person list, if built)
		w, err := NewWaitlist(MustCompile(Federal()), WaitlistOptions{Now: benchFar})
		if err != nil {
			b.Fatal(err)
		}
		for i := range 1000 {
			if _, err := w.Add(bigApplicant(fmt.Sprintf("S%d", i), t0, i), t0, benchActor); err != nil {
				b.Fatal(err)
			}
		}
		at := t0
		var at1M uint64
		for i := range pairs {
			at = at.Add(time.Second)
			id := bigID(i)
			if _, err := w.Add(bigApplicant(id, at, i), at, benchActor); err != nil {
				b.Fatal(err)
			}
			if err := w.Remove(id, RemovalDeclined, at, benchActor); err != nil {
				b.Fatal(err)
			}
			if w.LastSeq()%100_000 < 2 {
				_ = w.Snapshot()
				if err := w.Compact(w.LastSeq()); err != nil {
					b.Fatal(err)
				}
			}
			if i == 1_000_000 {
				at1M = heapInUse() - min(base, heapInUse())
			}
		}
		at10M := heapInUse() - min(base, heapInUse())
		b.ReportMetric(float64(at1M), "heap-B@1M")
		b.ReportMetric(float64(at10M), "heap-B@10M")
		if w.Len() != 1000 {
			b.Fatalf("%d waiting", w.Len())
		}
	}
}

// Decoder benchmarks: each decoder at three sizes, 1×, 4× and 16×; "ns/B" is the time per
// input byte, which stays level when the work is linear in the input.
func benchDecode(b *testing.B, inputs map[string][]byte, decode func([]byte) error) {
	for _, name := range []string{"1x", "4x", "16x"} {
		in := inputs[name]
		b.Run(name, func(b *testing.B) {
			if err := decode(in); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			start := cpuNow()
			for b.Loop() {
				_ = decode(in)
			}
			reportCPU(b, start)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(in)), "ns/B")
		})
	}
}

// benchListJSON returns a list's JSON after n changes.
func benchListJSON(b *testing.B, n int) (*Waitlist, []byte) {
	w, err := NewWaitlist(MustCompile(Federal()), WaitlistOptions{Now: benchFar})
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		at := t0.Add(time.Duration(i) * time.Minute)
		if _, err := w.Add(bigApplicant(bigID(i), at, i), at, benchActor); err != nil {
			b.Fatal(err)
		}
	}
	out, err := json.Marshal(w)
	if err != nil {
		b.Fatal(err)
	}
	return w, out
}

func BenchmarkDecodePolicy(b *testing.B) {
	// The federal tiers, then n State tiers among "all others", each for one combination of
	// six conditions (so none is unreachable and the federal order holds).
	free := []string{"dependent_children", "referred_by_child_welfare", "leaving_incarceration", "veteran", "woman", "postpartum"}
	in := map[string][]byte{}
	for name, n := range map[string]int{"1x": 3, "4x": 12, "16x": 48} {
		p := Federal()
		p.Tiers = p.Tiers[:3]
		for i := 0; len(p.Tiers) < 3+n; i++ {
			when := map[string]bool{"injects_drugs": false, "pregnant": false}
			for j, c := range free {
				when[c] = i&(1<<j) != 0
			}
			if when["postpartum"] && !when["woman"] {
				continue // never holds: a postpartum woman is a woman
			}
			p.Tiers = append(p.Tiers, Tier{Name: fmt.Sprintf("t%d", i), When: when, Citations: []string{"State Reg. 1.2"}})
		}
		in[name], _ = json.Marshal(p)
	}
	benchDecode(b, in, func(d []byte) error { _, err := DecodePolicy(d, DecodeOptions{}); return err })
}

func BenchmarkDecodeLog(b *testing.B) {
	in := map[string][]byte{}
	for name, n := range map[string]int{"1x": 500, "4x": 2000, "16x": 8000} {
		w, _ := benchListJSON(b, n)
		l, err := w.SaveLog(0)
		if err != nil {
			b.Fatal(err)
		}
		in[name], _ = json.Marshal(l)
	}
	benchDecode(b, in, func(d []byte) error { _, err := DecodeLog(d, DecodeOptions{}); return err })
}

func BenchmarkDecodeSnapshot(b *testing.B) {
	in := map[string][]byte{}
	for name, n := range map[string]int{"1x": 500, "4x": 2000, "16x": 8000} {
		w, _ := benchListJSON(b, n)
		in[name], _ = json.Marshal(w.Snapshot())
	}
	benchDecode(b, in, func(d []byte) error { _, err := DecodeSnapshot(d, DecodeOptions{}); return err })
}

func BenchmarkDecodeWaitlist(b *testing.B) {
	in := map[string][]byte{}
	for name, n := range map[string]int{"1x": 500, "4x": 2000, "16x": 8000} {
		_, in[name] = benchListJSON(b, n)
	}
	benchDecode(b, in, func(d []byte) error { _, err := DecodeWaitlist(d, WaitlistDecodeOptions{}); return err })
}

// BenchmarkDecodeInterimRecord: a record has at most seven entries (and 4 KiB), so one size.
func BenchmarkDecodeInterimRecord(b *testing.B) {
	var r InterimRecord
	for e := range numElements {
		r = r.Deliver(e, t0.Add(time.Duration(e)*time.Hour))
	}
	in, _ := json.Marshal(r)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	start := cpuNow()
	for b.Loop() {
		var x InterimRecord
		if err := x.UnmarshalJSON(in); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

// BenchmarkDecodeReject64MiB: a 64 MiB input to each decoder is refused at the byte limit,
// before parsing (issue 13).
func BenchmarkDecodeReject64MiB(b *testing.B) {
	big := bytes.Repeat([]byte(`{"events":[`), (64<<20)/11)
	for name, f := range map[string]func([]byte) error{
		"policy":   func(d []byte) error { _, err := DecodePolicy(d, DecodeOptions{}); return err },
		"log":      func(d []byte) error { _, err := DecodeLog(d, DecodeOptions{}); return err },
		"snapshot": func(d []byte) error { _, err := DecodeSnapshot(d, DecodeOptions{}); return err },
		"waitlist": func(d []byte) error { _, err := DecodeWaitlist(d, WaitlistDecodeOptions{}); return err },
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if f(big) == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
}

// BenchmarkHeldWithProgress reports the heap held per person waiting when everyone has had
// every interim-services element made available, one contact recorded and (pregnant women) a
// referral to the State, and a third have a dated pregnancy: the upper end of what a record
// holds. 200,000 people, the log compacted.
func BenchmarkHeldWithProgress(b *testing.B) {
	const n = 200_000
	for b.Loop() {
		base := heapInUse()
		w, err := NewWaitlist(MustCompile(Federal()), WaitlistOptions{Now: benchFar})
		if err != nil {
			b.Fatal(err)
		}
		for i := range n {
			at := t0.Add(time.Duration(i) * 10 * time.Second)
			a := bigApplicant(bigID(i), at, i)
			if a.Pregnant {
				a.Pregnancy.EDD = at.AddDate(0, 4, 0)
			}
			if _, err := w.Add(a, at, benchActor); err != nil {
				b.Fatal(err)
			}
			for _, e := range (BaseElements | PregnancyElements).Slice() {
				if err := w.DeliverInterim(a.ID, e, at, benchActor); err != nil {
					b.Fatal(err)
				}
			}
			if err := w.RecordContact(a.ID, true, at, benchActor); err != nil {
				b.Fatal(err)
			}
			if a.Pregnant {
				if err := w.ReferToState(a.ID, at, benchActor); err != nil {
					b.Fatal(err)
				}
			}
		}
		if err := w.Compact(w.LastSeq()); err != nil {
			b.Fatal(err)
		}
		held := heapInUse() - min(base, heapInUse())
		b.ReportMetric(float64(held)/n, "B/waiting")
		if w.Len() != n {
			b.Fatal(w.Len())
		}
	}
}
