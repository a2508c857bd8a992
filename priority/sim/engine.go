package sim

import (
	"math"
	"math/rand/v2"
)

// Event kinds.
const (
	evArrival   uint8 = iota + 1 // idx: stream
	evDeparture                  // idx: program; gen: tier index of the person leaving
	evDropout                    // idx: applicant slot; gen: slot generation
	evDelivery                   // idx: applicant slot; gen: slot generation
	evWindowEnd                  // idx: applicant slot; gen: slot generation
)

// event is a value in the event heap, ordered by (t, seq). It is 24 bytes: the kind
// rides in the low bits of the sequence key (seq<<kindBits | kind), which keeps the order of
// the sequence numbers since they are unique.
type event struct {
	t   float64
	seq uint64
	idx int32
	gen uint32
}

const kindBits = 3

func (e *event) kind() uint8 { return uint8(e.seq & (1<<kindBits - 1)) }

// eventHeap is a hand-written 4-ary min-heap of events: no interface boxing, no
// allocation once its backing array has grown to the run's high-water mark, and half the
// levels of a binary heap (the heap holds thousands of events, most of them cancelled
// dropouts waiting to be skipped, so its depth is what costs).
type eventHeap []event

func evLess(a, b *event) bool {
	return a.t < b.t || a.t == b.t && a.seq < b.seq
}

func (h *eventHeap) push(e event) {
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

func (h *eventHeap) pop() event {
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
		m := c
		for j := c + 1; j < c+4 && j < n; j++ {
			if evLess(&s[j], &s[m]) {
				m = j
			}
		}
		if !evLess(&s[m], &last) {
			break
		}
		s[i] = s[m]
		i = m
	}
	s[i] = last
	return top
}

// applicant is a person on (or recently on) the waitlist, kept in a reusable slot.
type applicant struct {
	arrive    float64
	interimAt float64 // when interim services are made available (Inf if never)
	stream    int32
	class     int32  // the programs she may enter (Model.classes)
	rank      int32  // current tier index (0 = best)
	gen       uint32 // slot generation: events for an earlier occupant are stale
	tok       uint32 // queue token: queue entries with another token are stale
	counted   bool   // arrived after the warm-up
	waiting   bool
	owed      bool // owed interim services
}

// qent is a waitlist queue entry.
type qent struct {
	slot int32
	tok  uint32
}

// ring is a FIFO queue of one tier, as a growable ring buffer; stale entries are skipped
// lazily.
type ring struct {
	buf  []qent
	head int
	n    int
}

func (q *ring) grow() {
	nb := make([]qent, max(16, 2*len(q.buf)))
	for i := 0; i < q.n; i++ {
		nb[i] = q.buf[(q.head+i)&(len(q.buf)-1)]
	}
	q.buf, q.head = nb, 0
}

func (q *ring) pushBack(e qent) {
	if q.n == len(q.buf) {
		q.grow()
	}
	q.buf[(q.head+q.n)&(len(q.buf)-1)] = e
	q.n++
}

func (q *ring) at(i int) *qent { return &q.buf[(q.head+i)&(len(q.buf)-1)] }

func (q *ring) popFront() {
	q.head = (q.head + 1) & (len(q.buf) - 1)
	q.n--
}

// insertByArrival inserts e after the last live entry that arrived no later than e's
// applicant, keeping the tier first-come first-served by the time each person sought
// treatment. It shifts entries, which is fine: it happens only on a reclassification.
func (r *runner) insertByArrival(q *ring, e qent) {
	q.pushBack(e)
	t := r.apps[e.slot].arrive
	i := q.n - 1
	for i > 0 {
		prev := q.at(i - 1)
		a := &r.apps[prev.slot]
		if a.tok == prev.tok && a.arrive <= t {
			break
		}
		*q.at(i) = *prev
		i--
	}
	*q.at(i) = e
}

type progRun struct {
	free   int
	occ    int
	resOcc []int // per reservation: eligible people in the program
	last   float64
	occInt float64 // ∫ occupied beds dt over the counted period
	hiTime float64 // time at or above 90% of beds over the counted period
	rng    *rand.Rand
	src    *rand.PCG
}

type streamRun struct {
	seg int // current month segment
	rng *rand.Rand
	src *rand.PCG
}

// runner holds one replication's state; a worker reuses it across replications.
type runner struct {
	m        *Model
	h        eventHeap
	seq      uint64
	now      float64
	apps     []applicant
	free     []int32
	q        []ring // per tier and class: index tier*nClass + class
	live     []int  // live entries per tier and class
	nClass   int
	progs    []progRun
	streams  []streamRun
	freeBeds int
	waiting  []int32 // people waiting per group (counted or not)
	nextSamp int
	events   uint64
	acc      repAcc
}

func newRunner(m *Model) *runner {
	r := &runner{m: m}
	r.nClass = len(m.classes)
	r.q = make([]ring, len(m.tierNames)*r.nClass)
	r.live = make([]int, len(m.tierNames)*r.nClass)
	r.progs = make([]progRun, len(m.programs))
	for i := range r.progs {
		r.progs[i].src = rand.NewPCG(0, 0)
		r.progs[i].rng = rand.New(r.progs[i].src)
		r.progs[i].resOcc = make([]int, len(m.programs[i].res))
	}
	r.streams = make([]streamRun, len(m.streams))
	for i := range r.streams {
		r.streams[i].src = rand.NewPCG(0, 0)
		r.streams[i].rng = rand.New(r.streams[i].src)
	}
	r.waiting = make([]int32, len(m.streams))
	r.acc = newRepAcc(len(m.streams), m.nSamples)
	return r
}

// splitmix64 is a bijective mixer used to derive independent PCG seeds.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// streamSeed derives the PCG seed of random stream k of replication rep. Each arrival
// stream and each program has its own stream, so the arrivals (and every applicant's
// gestational age, patience and interim delay) are the same under two policies given the
// same seed: comparisons use common random numbers.
func streamSeed(seed uint64, rep, k int) (uint64, uint64) {
	a := splitmix64(seed ^ splitmix64(uint64(rep)+1))
	return a, splitmix64(a ^ splitmix64(uint64(k)+0x5851f42d4c957f2d))
}

func (r *runner) reset(rep int) {
	m := r.m
	r.h = r.h[:0]
	r.seq = 0
	r.now = 0
	r.apps = r.apps[:0]
	r.free = r.free[:0]
	for i := range r.q {
		r.q[i].head, r.q[i].n = 0, 0
		r.live[i] = 0
	}
	r.freeBeds = m.totalBeds
	for i := range r.progs {
		p := &r.progs[i]
		p.free, p.occ, p.last, p.occInt, p.hiTime = m.programs[i].beds, 0, 0, 0, 0
		clear(p.resOcc)
		p.src.Seed(streamSeed(m.seed, rep, len(m.streams)+i))
	}
	for i := range r.streams {
		r.streams[i].seg = 0
		r.streams[i].src.Seed(streamSeed(m.seed, rep, i))
	}
	clear(r.waiting)
	r.nextSamp = 0
	r.events = 0
	r.acc.reset()
}

func (r *runner) schedule(t float64, kind uint8, idx int32, gen uint32) {
	r.seq++
	r.h.push(event{t: t, seq: r.seq<<kindBits | uint64(kind), idx: idx, gen: gen})
}

// nextArrival returns the first arrival time after t of stream k (a Poisson process,
// piecewise constant by calendar month when rates vary), or +Inf.
func (r *runner) nextArrival(k int, t float64) float64 {
	sm := &r.m.streams[k]
	sr := &r.streams[k]
	e := sr.rng.ExpFloat64()
	if sm.rates == nil {
		return t + e/sm.rate
	}
	edges := r.m.monthEdges
	for sr.seg+1 < len(edges) {
		end := edges[sr.seg+1]
		rate := sm.rates[sr.seg]
		if rate > 0 && rate*(end-t) >= e {
			return t + e/rate
		}
		e -= rate * (end - t)
		t = end
		sr.seg++
	}
	return math.Inf(1)
}

// run simulates replication rep and leaves its statistics in r.acc.
func (r *runner) run(rep int, stop func() bool) bool {
	m := r.m
	r.reset(rep)
	for k := range m.streams {
		if t := r.nextArrival(k, 0); t <= m.horizon {
			r.schedule(t, evArrival, int32(k), 0)
		}
	}
	if !r.runUntil(m.horizon, stop) {
		return false
	}
	r.finish()
	return true
}

// runUntil processes every event at or before until. It returns false if stop said so.
func (r *runner) runUntil(until float64, stop func() bool) bool {
	for len(r.h) > 0 {
		if r.h[0].t > until {
			break
		}
		e := r.h.pop()
		r.sampleUntil(e.t)
		r.now = e.t
		r.events++
		switch e.kind() {
		case evArrival:
			r.arrival(int(e.idx))
		case evDeparture:
			r.departure(int(e.idx), int32(e.gen))
		case evDropout:
			r.dropout(e.idx, e.gen)
		case evDelivery:
			r.delivery(e.idx, e.gen)
		case evWindowEnd:
			r.windowEnd(e.idx, e.gen)
		}
		if r.events&0xffff == 0 && stop != nil && stop() {
			return false
		}
	}
	return true
}

func (r *runner) sampleUntil(t float64) {
	m := r.m
	for r.nextSamp < m.nSamples {
		st := m.warmup + float64(r.nextSamp)*m.sampleEvery
		if st > t || st > m.horizon {
			return
		}
		row := r.acc.series[r.nextSamp*len(m.streams):]
		for g, w := range r.waiting {
			row[g] = float64(w)
		}
		r.nextSamp++
	}
}

func (r *runner) alloc() int32 {
	if n := len(r.free); n > 0 {
		s := r.free[n-1]
		r.free = r.free[:n-1]
		return s
	}
	r.apps = append(r.apps, applicant{})
	return int32(len(r.apps) - 1)
}

func (r *runner) release(slot int32) {
	a := &r.apps[slot]
	a.gen++
	a.tok++
	a.waiting = false
	r.free = append(r.free, slot)
}

// arrival handles an arrival of stream k: the person joins the waitlist and the stream's
// next arrival is scheduled.
func (r *runner) arrival(k int) {
	r.addApplicant(k)
	if nt := r.nextArrival(k, r.now); nt <= r.m.horizon {
		r.schedule(nt, evArrival, int32(k), 0)
	}
}

// addApplicant puts a person of stream k on the waitlist now (admitting her at once if a
// bed is free for her tier).
func (r *runner) addApplicant(k int) {
	m := r.m
	sm := &m.streams[k]
	rng := r.streams[k].rng
	t := r.now
	slot := r.alloc()
	a := &r.apps[slot]
	a.arrive, a.stream, a.class, a.counted, a.waiting, a.owed = t, int32(k), sm.class, t >= m.warmup, true, sm.owedInterim
	a.interimAt = math.Inf(1)
	// Every draw is made, in a fixed order, from the stream's own generator, whether or not
	// the person is admitted at once: the same people arrive under every policy.
	rank := sm.rankOther
	deliver, windowEnd, leave := math.Inf(1), math.Inf(1), math.Inf(1)
	if sm.pregnant {
		rank = sm.rankPregnant
		if sm.ga != nil {
			deliver = t + max(m.term-sm.ga.sample(rng), 0)
		}
	} else if sm.ago != nil {
		if end := t - sm.ago.sample(rng) + m.windowDays; end >= t {
			rank = sm.rankPostpartum
			windowEnd = end + windowEps
		}
	}
	if sm.dropout != nil {
		leave = t + sm.dropout.sample(rng)
	}
	if sm.interim != nil {
		// Drawn for everyone, so that the draws stay aligned under a policy that owes
		// interim services to more people.
		if d := sm.interim.sample(rng); a.owed {
			a.interimAt = t + d
		}
	}
	a.rank = rank
	r.waiting[k]++
	if a.counted {
		r.acc.arrive(k, t, m.horizon)
	}
	qi := int(rank)*r.nClass + int(a.class)
	r.q[qi].pushBack(qent{slot: slot, tok: a.tok})
	r.live[qi]++
	if r.freeBeds > 0 {
		if p := r.findProgram(rank, a.class); p >= 0 {
			r.admit(slot, p)
			return
		}
	}
	// She waits: schedule what may happen to her while waiting.
	gen := a.gen
	if deliver <= m.horizon {
		r.schedule(deliver, evDelivery, slot, gen)
	}
	if windowEnd <= m.horizon {
		r.schedule(windowEnd, evWindowEnd, slot, gen)
	}
	if leave <= m.horizon {
		r.schedule(leave, evDropout, slot, gen)
	}
}

// windowEps places the end-of-window reclassification just after the window's last
// instant (the window includes it), well above float rounding of virtual days.
const windowEps = 1e-6

// admissible reports whether a person of tier index rank may take a bed of program p now.
func (r *runner) admissible(p int, rank int32) bool {
	pr := &r.progs[p]
	if pr.free == 0 {
		return false
	}
	res := r.m.programs[p].res
	if len(res) == 0 {
		return true
	}
	held := 0
	for i, rs := range res {
		if rank > rs.rank {
			held += max(0, rs.beds-pr.resOcc[i])
		}
	}
	return pr.free > held
}

// findProgram returns the program with the most free beds that a person of tier rank and
// class may enter (lowest index on ties), or -1.
func (r *runner) findProgram(rank, class int32) int {
	best, bestFree := -1, 0
	for _, p := range r.m.classes[class].programs {
		if f := r.progs[p].free; f > bestFree && r.admissible(int(p), rank) {
			best, bestFree = int(p), f
		}
	}
	return best
}

// integrate accumulates program p's occupancy up to now.
func (r *runner) integrate(p int) {
	pr := &r.progs[p]
	lo := max(pr.last, r.m.warmup)
	if r.now > lo {
		dt := r.now - lo
		pr.occInt += float64(pr.occ) * dt
		if pr.occ*10 >= r.m.programs[p].beds*9 {
			pr.hiTime += dt
		}
	}
	pr.last = r.now
}

func (r *runner) admit(slot int32, p int) {
	m := r.m
	a := &r.apps[slot]
	r.live[int(a.rank)*r.nClass+int(a.class)]--
	r.waiting[a.stream]--
	if a.counted {
		r.acc.admit(int(a.stream), a, r.now, m.horizon)
	}
	r.integrate(p)
	pr := &r.progs[p]
	pr.free--
	pr.occ++
	r.freeBeds--
	for i, rs := range m.programs[p].res {
		if a.rank <= rs.rank {
			pr.resOcc[i]++
		}
	}
	r.schedule(r.now+m.programs[p].los.sample(pr.rng), evDeparture, int32(p), uint32(a.rank))
	r.release(slot)
}

func (r *runner) departure(p int, rank int32) {
	m := r.m
	r.integrate(p)
	pr := &r.progs[p]
	pr.free++
	pr.occ--
	r.freeBeds++
	for i, rs := range m.programs[p].res {
		if rank <= rs.rank {
			pr.resOcc[i]--
		}
	}
	// Admit the best waiting people while the program has a bed for them: the best tier
	// first, and within it the earliest to seek treatment among the classes that may enter
	// this program. Admissibility only grows with a better tier, so the first tier with
	// someone who may enter decides.
	classes := m.programs[p].classes
	for pr.free > 0 {
		admitted := false
		for t := range len(m.tierNames) {
			best, bestQ := int32(-1), -1
			for _, c := range classes {
				qi := t*r.nClass + int(c)
				if r.live[qi] == 0 {
					continue
				}
				q := &r.q[qi]
				for q.n > 0 {
					h := q.at(0)
					if r.apps[h.slot].tok == h.tok {
						break
					}
					q.popFront()
				}
				if h := q.at(0).slot; best < 0 || r.apps[h].arrive < r.apps[best].arrive {
					best, bestQ = h, qi
				}
			}
			if best < 0 {
				continue
			}
			if r.admissible(p, int32(t)) {
				r.q[bestQ].popFront()
				r.admit(best, p)
				admitted = true
			}
			break
		}
		if !admitted {
			return
		}
	}
}

func (r *runner) dropout(slot int32, gen uint32) {
	a := &r.apps[slot]
	if a.gen != gen || !a.waiting {
		return
	}
	r.live[int(a.rank)*r.nClass+int(a.class)]--
	r.waiting[a.stream]--
	if a.counted {
		r.acc.drop(int(a.stream), a, r.now, r.m.horizon)
	}
	r.release(slot)
}

func (r *runner) delivery(slot int32, gen uint32) {
	a := &r.apps[slot]
	if a.gen != gen || !a.waiting {
		return
	}
	if a.counted {
		r.acc.groups[a.stream].delivered++
	}
	sm := &r.m.streams[a.stream]
	if end := r.now + r.m.windowDays + windowEps; end <= r.m.horizon {
		r.schedule(end, evWindowEnd, slot, gen)
	}
	r.move(slot, sm.rankPostpartum)
}

func (r *runner) windowEnd(slot int32, gen uint32) {
	a := &r.apps[slot]
	if a.gen != gen || !a.waiting {
		return
	}
	r.move(slot, r.m.streams[a.stream].rankOther)
}

// move reclassifies a waiting person into tier rank, keeping her place by the time she
// sought treatment, and admits her if a bed is free for her new tier.
func (r *runner) move(slot int32, rank int32) {
	a := &r.apps[slot]
	if a.rank == rank {
		return
	}
	a.tok++
	r.live[int(a.rank)*r.nClass+int(a.class)]--
	a.rank = rank
	qi := int(rank)*r.nClass + int(a.class)
	r.live[qi]++
	r.insertByArrival(&r.q[qi], qent{slot: slot, tok: a.tok})
	if r.freeBeds > 0 {
		if p := r.findProgram(rank, a.class); p >= 0 {
			r.admit(slot, p)
		}
	}
}

// finish closes the replication: occupancy up to the horizon, people still waiting, the
// remaining time-series samples.
func (r *runner) finish() {
	m := r.m
	r.sampleUntil(m.horizon)
	r.now = m.horizon
	for p := range r.progs {
		r.integrate(p)
		r.acc.occInt += r.progs[p].occInt
		r.acc.hiTime += r.progs[p].hiTime
	}
	for i := range r.apps {
		a := &r.apps[i]
		if a.waiting && a.counted {
			r.acc.stillWaiting(int(a.stream), a, m.horizon)
		}
	}
	r.acc.events = r.events
}
