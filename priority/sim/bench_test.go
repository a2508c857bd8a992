package sim

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// federal100 is the federal 4-tier scenario at one 100-bed program: stays of 30 days on
// average (lognormal), 3.2 people a day (offered load 96 beds), dropout after 60 days on
// average, interim services after about a day, ten years.
func federal100() Scenario {
	return Scenario{
		HorizonDays: 3650, WarmupDays: 365, Replications: 1, Seed: 1,
		Policy:       PolicyRef{Name: "federal"},
		Dropout:      &Dist{Name: DistExponential, MeanDays: 60},
		InterimDelay: &Dist{Name: DistLognormal, MeanDays: 1, SDDays: 0.8},
		Programs:     []Program{{ID: "p", Beds: 100, LengthOfStay: Dist{Name: DistLognormal, MeanDays: 30, SDDays: 20}}},
		Arrivals: []ArrivalStream{
			{Group: "pregnant_injecting", RatePerDay: 0.2, Applicant: Facts{Pregnant: true, InjectsDrugs: true},
				GestationalAgeDays: &Dist{Name: DistUniform, MinDays: 42, MaxDays: 266}},
			{Group: "pregnant", RatePerDay: 0.4, Applicant: Facts{Pregnant: true},
				GestationalAgeDays: &Dist{Name: DistUniform, MinDays: 42, MaxDays: 266}},
			{Group: "injecting", RatePerDay: 1.2, Applicant: Facts{InjectsDrugs: true}},
			{Group: "other", RatePerDay: 1.4},
		},
	}
}

// saturatedStatewide is the former built-in scenario of examples/waitlist (issue 15 found it saturated): 50 programs (ten small ones
// for pregnant women, with 90-day stays), 1,500 beds, ten years, about 41 people a day
// (about 150,000 arrivals), 100 replications.
func saturatedStatewide() Scenario {
	s := Scenario{
		HorizonDays: 3650, WarmupDays: 180, Replications: 100, Seed: 2026,
		Policy:       PolicyRef{Name: "federal"},
		Dropout:      &Dist{Name: DistExponential, MeanDays: 45},
		InterimDelay: &Dist{Name: DistLognormal, MeanDays: 1.5, SDDays: 1.2},
		Arrivals: []ArrivalStream{
			{Group: "pregnant_injecting", RatePerDay: 0.4, Applicant: Facts{Pregnant: true, InjectsDrugs: true},
				GestationalAgeDays: &Dist{Name: DistUniform, MinDays: 42, MaxDays: 280}},
			{Group: "pregnant", RatePerDay: 0.9, Applicant: Facts{Pregnant: true},
				GestationalAgeDays: &Dist{Name: DistUniform, MinDays: 42, MaxDays: 280}},
			{Group: "postpartum", RatePerDay: 4, Applicant: Facts{DependentChildren: true},
				DeliveredDaysAgo: &Dist{Name: DistUniform, MinDays: 0, MaxDays: 330}},
			{Group: "injecting", MonthlyRatePerDay: []float64{15.5, 15, 14.5, 14, 14, 13.5, 13.5, 14, 14.5, 15, 15, 15.5},
				Applicant: Facts{InjectsDrugs: true}},
			{Group: "other", RatePerDay: 21.3},
		},
	}
	// Pregnant women only in the ten 12-bed programs for women (45 CFR 96.124).
	var womens []string
	for i := 0; i < 50; i += 5 {
		womens = append(womens, fmt.Sprintf("program-%02d", i+1))
	}
	s.Arrivals[0].Programs = womens
	s.Arrivals[1].Programs = womens
	sizes := []int{12, 20, 30, 40, 48}
	for i := range 50 {
		los := Dist{Name: DistLognormal, MeanDays: 42, SDDays: 28}
		switch {
		case i%5 == 0:
			los = Dist{Name: DistLognormal, MeanDays: 90, SDDays: 45}
		case i%3 == 1:
			los = Dist{Name: DistExponential, MeanDays: 40}
		case i%3 == 2:
			los = Dist{Name: DistEmpirical, ValuesDays: []float64{14, 21, 30, 45, 60, 90, 120}, Weights: []float64{2, 3, 4, 3, 2, 1, 1}}
		}
		s.Programs = append(s.Programs, Program{ID: fmt.Sprintf("program-%02d", i+1), Beds: sizes[i%len(sizes)], LengthOfStay: los})
	}
	return s
}

// benchReplications runs replications of s on one goroutine with one reused runner and
// reports events per second and allocations (per replication: 0 in steady state means 0
// per event).
func benchReplications(b *testing.B, s Scenario) {
	m, err := Compile(s)
	if err != nil {
		b.Fatal(err)
	}
	r := newRunner(m)
	r.run(0, nil) // grow the runner's buffers to their high-water mark
	var events uint64
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; b.Loop(); i++ {
		r.run(i%8, nil) // the same 8 replications over and over: the high-water mark holds
		events += r.events
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events), "ns/event")
	if cpu > 0 {
		// CPU time used by the process (this goroutine, plus the little GC there is) per
		// event: on a shared machine, the cost of an event on one core.
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(events), "cpu-ns/event")
	}
	b.ReportMetric(float64(events)/float64(b.N), "events/op")
}

// BenchmarkReplicationFederal100Beds is one core running the federal 4-tier scenario at
// 100 beds; one op is one replication of ten years.
func BenchmarkReplicationFederal100Beds(b *testing.B) { benchReplications(b, federal100()) }

// BenchmarkReplicationStatewide is one core running one replication of the statewide
// scenario.
func BenchmarkReplicationStatewide(b *testing.B) { benchReplications(b, Statewide()) }

// BenchmarkReplicationSaturatedStatewide is one replication of the former built-in
// scenario (saturated: 41 people a day for about 33 a day of capacity), kept to compare the
// engine before and after issue 15 on the same model.
func BenchmarkReplicationSaturatedStatewide(b *testing.B) {
	benchReplications(b, saturatedStatewide())
}

// BenchmarkStatewide100Replications is the whole statewide run, 100 replications on all
// cores, as Run does it (one op = the whole run).
func BenchmarkStatewide100Replications(b *testing.B) {
	m, err := Compile(statewide100())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var events uint64
	cpu0 := cpuTime()
	for b.Loop() {
		res, err := m.Run(context.Background(), Options{})
		if err != nil {
			b.Fatal(err)
		}
		events += res.Events
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	if cpu > 0 {
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	}
}

// BenchmarkCompile is compiling the statewide scenario (policy included).
func BenchmarkCompile(b *testing.B) {
	s := Statewide()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(s); err != nil {
			b.Fatal(err)
		}
	}
}

// statewide100 is Statewide with 100 replications, the run the < 30 s target is about.
func statewide100() Scenario {
	s := Statewide()
	s.Replications = 100
	return s
}

// meanHeapSize runs replication 0 of m event by event and returns the heap's size seen by
// an event, averaged over the events.
func meanHeapSize(m *Model) float64 {
	r := newRunner(m)
	r.reset(0)
	for k := range m.streams {
		if t := r.nextArrival(k, 0); t <= m.horizon {
			r.schedule(t, evArrival, int32(k))
		}
	}
	for i, be := range m.bedEvents {
		r.schedule(be.day, evBeds, int32(i))
	}
	for e := 1; e < len(m.epochs); e++ {
		r.schedule(m.epochs[e].at, evPolicy, int32(e))
	}
	sum, n := 0.0, 0.0
	for {
		next, ok := r.peek()
		if !ok || next > m.horizon {
			break
		}
		sum += float64(len(r.h))
		n++
		r.runUntil(next, nil)
	}
	return sum / n
}

// bareHeap is the bare loop's heap: the same 4-ary heap of the same events, without the
// position index a person's events need.
type bareHeap []event

func (h *bareHeap) push(e event) {
	*h = append(*h, e)
	s := *h
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 4
		if !evLess(&e, &s[p]) {
			break
		}
		s[i] = s[p]
		i = p
	}
	s[i] = e
}

func (h *bareHeap) pop() event {
	s := *h
	top := s[0]
	n := len(s) - 1
	last := s[n]
	s = s[:n]
	*h = s
	if n == 0 {
		return top
	}
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := minChild(s, c)
		if !evLess(&s[m], &last) {
			break
		}
		s[i] = s[m]
		i = m
	}
	s[i] = last
	return top
}

// bareLoop is the least any event costs: pop the earliest, draw an exponential, push an
// event that much later ("hold" model), on a heap of size entries, n times.
type bareLoop struct {
	h   bareHeap
	rng *rand.Rand
	seq uint64
}

func newBareLoop(size int) *bareLoop {
	l := &bareLoop{rng: rand.New(rand.NewPCG(1, 2))}
	for range size {
		l.seq++
		l.h.push(event{t: l.rng.ExpFloat64() * float64(size), key: l.seq<<kindBits | uint64(evArrival)})
	}
	return l
}

func (l *bareLoop) run(n uint64) {
	for range n {
		e := l.h.pop()
		l.seq++
		l.h.push(event{t: e.t + l.rng.ExpFloat64()*float64(len(l.h)+1), key: l.seq<<kindBits | e.key&(1<<kindBits-1), idx: e.idx})
	}
}

// BenchmarkBareLoop is the bare pop/push/draw loop on a heap of the size the statewide
// scenario's events see on average; one op is one event.
func BenchmarkBareLoop(b *testing.B) {
	m, err := Compile(Statewide())
	if err != nil {
		b.Fatal(err)
	}
	size := int(meanHeapSize(m) + 0.5)
	l := newBareLoop(size)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	l.run(uint64(b.N))
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(size), "heap")
	if cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "events/cpu-s")
	}
}

// federal4 is the scenario of bench/simbench's comparison with Python
// (bench/simbench/testdata/federal4.json, one replication): one program of 20 beds,
// exponential stays of 25 days, four federal tiers arriving at 0.72 a day in all, no
// dropout, 40,000 days.
func federal4() Scenario {
	return Scenario{HorizonDays: 40000, WarmupDays: 1000, Replications: 1, Seed: 20261123, Policy: FederalPolicy(),
		Programs: []Program{{ID: "p1", Beds: 20, LengthOfStay: Dist{Name: DistExponential, MeanDays: 25}}},
		Arrivals: []ArrivalStream{
			{Group: "pregnant_injecting", RatePerDay: 0.05, Applicant: Facts{Pregnant: true, InjectsDrugs: true}},
			{Group: "pregnant", RatePerDay: 0.10, Applicant: Facts{Pregnant: true}},
			{Group: "injecting", RatePerDay: 0.25, Applicant: Facts{InjectsDrugs: true}},
			{Group: "other", RatePerDay: 0.32},
		}}
}

// BenchmarkModelVersusBareLoop interleaves, in each op, one replication of a scenario and
// the bare loop for as many events on a heap of the same mean size, and reports model
// events per CPU-second as a share of the bare loop's ("model/bare"; the target is at least
// 0.8). Interleaving keeps both under the same load on a shared machine. Scenarios: the
// statewide one; the federal 4-tier one at 100 beds; and the plainest, M/M/c at 100 beds
// with exponential stays and nothing else, where the difference is the event loop's own
// cost beyond the heap; and federal4, the scenario bench/simbench compares with Python, whose
// bare loop bounds that comparison.
func BenchmarkModelVersusBareLoop(b *testing.B) {
	mmc := Scenario{HorizonDays: 3650, WarmupDays: 365, Replications: 1, Seed: 1, Policy: FederalPolicy(),
		Programs: []Program{{ID: "p", Beds: 100, LengthOfStay: Dist{Name: DistExponential, MeanDays: 30}}},
		Arrivals: []ArrivalStream{{Group: "g", RatePerDay: 3.2}}}
	for _, sc := range []struct {
		name string
		s    Scenario
	}{{"statewide", Statewide()}, {"federal100", federal100()}, {"mmc100", mmc}, {"federal4", federal4()}} {
		b.Run(sc.name, func(b *testing.B) { modelVersusBare(b, sc.s) })
	}
}

func modelVersusBare(b *testing.B, s Scenario) {
	m, err := Compile(s)
	if err != nil {
		b.Fatal(err)
	}
	size := int(meanHeapSize(m) + 0.5)
	r := newRunner(m)
	r.run(0, nil)
	l := newBareLoop(size)
	var modelCPU, bareCPU time.Duration
	var events uint64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c0 := cpuTime()
		r.run(i%8, nil)
		c1 := cpuTime()
		l.run(r.events)
		c2 := cpuTime()
		modelCPU += c1 - c0
		bareCPU += c2 - c1
		events += r.events
	}
	b.ReportMetric(float64(size), "heap")
	if modelCPU > 0 && bareCPU > 0 {
		b.ReportMetric(float64(events)/modelCPU.Seconds(), "model-events/cpu-s")
		b.ReportMetric(float64(events)/bareCPU.Seconds(), "bare-events/cpu-s")
		b.ReportMetric(bareCPU.Seconds()/modelCPU.Seconds(), "model/bare")
	}
}
