package sim

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"time"
)

// Event kinds. Kinds up to evDeparture belong to a person (idx is her slot): the heap keeps
// her entry's position, so that an event cancelled (her dropout when she is admitted) is
// taken out of the heap at once rather than popped later as a no-op.
const (
	evPersonal  uint8 = iota + 1 // idx: slot; her next delivery, end of postpartum window or dropout
	evDeparture                  // idx: slot; the end of her stay
	evArrival                    // idx: stream
	evBeds                       // idx: index into Model.bedEvents
	evPolicy                     // idx: epoch
)

// event is a value in the event heap, ordered by (t, key): the key is the sequence number
// shifted left by kindBits with the kind in the low bits, which keeps the order of the
// sequence numbers since they are unique.
type event struct {
	t   float64
	key uint64
	idx int32
	pos int32 // where the heap keeps this entry's position: hpos[pos] (slot+1 for a person's event; 0, a scratch cell, otherwise)
}

const kindBits = 3

func (e *event) kind() uint8 { return uint8(e.key & (1<<kindBits - 1)) }

// evLess reports whether a comes before b: by time, then by key.
func evLess(a, b *event) bool { return lessBit(a, b) != 0 }

// lessBit is evLess as 1 or 0, without a branch: (t, key) is compared as one 128-bit
// number, the time's bits high and the key low, with a subtract and a subtract-with-borrow.
// Event times are never negative (nor -0: schedule makes it +0) and never NaN, and the bit
// patterns of such float64 values are in the order of their values (+Inf last), so this is
// the order t < t' || t == t' && key < key'.
func lessBit(a, b *event) uint64 {
	_, c := bits.Sub64(a.key, b.key, 0)
	_, c = bits.Sub64(math.Float64bits(a.t), math.Float64bits(b.t), c)
	return c
}

// minChild returns the index of the earliest of the children c, c+1, ... (at most four) of
// a node of the 4-ary heap h, c < len(h). A node with four children takes a tournament of
// three branchless comparisons: which child wins is data the branch predictor cannot guess.
// Keys are unique, so the earliest child is unique, whatever the order of comparisons.
func minChild(h []event, c int) int {
	if c+4 <= len(h) {
		s := h[c : c+4 : c+4]
		m01 := int(lessBit(&s[1], &s[0]))
		m23 := 2 + int(lessBit(&s[3], &s[2]))
		b := int(lessBit(&s[m23&3], &s[m01&3]))
		return c + (m01 ^ (m01^m23)&-b)
	}
	m := c
	for j := c + 1; j < len(h); j++ {
		if evLess(&h[j], &h[m]) {
			m = j
		}
	}
	return m
}

// The event heap is a hand-written 4-ary min-heap of event values in runner.h (no
// interface boxing, no allocation once its backing array has reached the run's high-water
// mark), indexed: hpos[slot+1] is the position of a person's entry, or -1 (hpos[0] is a
// scratch cell the other events write to, so that a move needs no branch).

func (r *runner) hput(i int, e event) {
	r.h[i] = e
	r.hpos[e.pos] = int32(i)
}

func (r *runner) siftUp(i int, e event) {
	h := r.h
	for i > 0 {
		p := (i - 1) / 4
		if !evLess(&e, &h[p]) {
			break
		}
		r.hput(i, h[p])
		i = p
	}
	r.hput(i, e)
}

func (r *runner) siftDown(i int, e event) {
	h := r.h
	n := len(h)
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := minChild(h, c)
		if !evLess(&h[m], &e) {
			break
		}
		r.hput(i, h[m])
		i = m
	}
	r.hput(i, e)
}

func (r *runner) push(e event) {
	r.h = append(r.h, e)
	r.siftUp(len(r.h)-1, e)
}

// popTop removes the event at the top.
func (r *runner) popTop() {
	n := len(r.h) - 1
	last := r.h[n]
	r.h = r.h[:n]
	if n > 0 {
		r.siftDown(0, last)
	}
}

// remove takes the entry at i out of the heap.
func (r *runner) remove(i int) {
	n := len(r.h) - 1
	last := r.h[n]
	r.h = r.h[:n]
	if i == n {
		return
	}
	if i > 0 && evLess(&last, &r.h[(i-1)/4]) {
		r.siftUp(i, last)
	} else {
		r.siftDown(i, last)
	}
}

// schedule adds an event. While an event is being handled it still sits at the top of the
// heap (topFree): the first event its handler schedules takes its place with one sift down,
// instead of a pop and a push. Arrivals do not enter the heap: each stream has one pending
// arrival at most, kept in a tournament tree over the streams (setArrival), and the event
// loop takes whichever of the two comes first by (time, sequence).
func (r *runner) schedule(t float64, kind uint8, idx int32) {
	r.seq++
	e := event{t: t + 0, key: r.seq<<kindBits | uint64(kind), idx: idx} // t + 0: -0 becomes +0 (lessBit)
	if kind == evArrival {
		r.setArrival(int(idx), e)
		return
	}
	if kind <= evDeparture {
		e.pos = idx + 1
	}
	if r.topFree {
		r.topFree = false
		r.siftDown(0, e)
		return
	}
	r.push(e)
}

// setArrival makes e stream k's pending arrival (e.t = +Inf for none) and replays the
// tournament from its leaf to the root: arrTree[1] is then the stream with the earliest
// arrival.
func (r *runner) setArrival(k int, e event) {
	r.arr[k] = e
	i := r.arrLeaves + k
	for i > 1 {
		i /= 2
		a, b := r.arrTree[2*i], r.arrTree[2*i+1]
		w := a
		if a < 0 || b >= 0 && evLess(&r.arr[b], &r.arr[a]) {
			w = b
		}
		r.arrTree[i] = w
	}
}

// peek returns the time of the next event (an arrival or an event of the heap), and
// false if there is none.
func (r *runner) peek() (float64, bool) {
	t := math.Inf(1)
	if k := r.arrTree[1]; k >= 0 {
		t = r.arr[k].t
	}
	if len(r.h) > 0 {
		t = min(t, r.h[0].t)
	}
	return t, t < math.Inf(1)
}

// Person states.
const (
	stFree uint8 = iota
	stWaiting
	stTreatment
)

// applicant is a person in the system (waiting or in treatment), kept in a reusable slot.
type applicant struct {
	arrive    float64 // when she made her current request (first arrival, or step-down referral)
	first     float64 // when she first sought treatment
	deliver   float64 // when she will deliver, while pregnant (+Inf if unknown)
	delivered float64 // when she last delivered (-Inf if never)
	leave     float64 // when she gives up waiting (+Inf if never)
	interimAt float64 // when interim services are made available (+Inf if not owed or never)
	due       float64 // her admission deadline under 45 CFR 96.126(b) (+Inf if none)
	person    int64
	stream    int32
	class     int32 // the programs she may enter (Model.classes)
	rank      int32 // current tier index (0 = best)
	resRank   int32 // tier index her reservation accounting used (in treatment)
	prog      int32 // her program, in treatment
	tok       uint32
	state     uint8
	preg      bool // pregnant (with a delivery to come, or no dating)
	counted   bool // first sought treatment after the warm-up
	routed    bool // her current request is a step-down referral
	owed      bool // owed interim services
	traced    bool // her interim-services row has been traced
}

// qent is a waitlist queue entry.
type qent struct {
	slot int32
	tok  uint32
}

// ring is a FIFO queue of one tier and class, as a growable ring buffer; stale entries
// (people admitted, gone or moved to another tier) are skipped lazily.
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
	beds   int
	free   int // beds - occupied; negative after beds were taken away
	occ    int
	resOcc []int // per reservation: eligible people in the program
	last   float64
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
	m          *Model
	h          []event
	arr        []event // per stream: its pending arrival (t = +Inf if none)
	arrTree    []int32 // tournament over arr: node i holds the earliest stream below it (-1: none); leaves from arrLeaves
	arrLeaves  int
	hpos       []int32 // hpos[slot+1]: position of her event in h, or -1; hpos[0] a scratch cell
	topFree    bool
	seq        uint64
	now        float64
	ep         int // the policy in force
	apps       []applicant
	free       []int32
	q          []ring // per tier and class: index tier*nClass + class
	live       []int  // live entries per tier and class
	nClass     int
	progs      []progRun
	streams    []streamRun
	freeBeds   int     // sum over programs of their free beds (when positive)
	waiting    []int32 // people waiting per group (counted or not, step-down included)
	waitLast   []float64
	nextSamp   int
	sampT      float64 // time of sample nextSamp (+Inf after the last)
	nextPerson int64
	events     uint64
	rep        int
	trace      func(TraceEvent)
	acc        repAcc
	scratch    []int32
}

func newRunner(m *Model) *runner {
	r := &runner{m: m}
	r.nClass = len(m.classes)
	r.q = make([]ring, m.maxTiers*r.nClass)
	r.live = make([]int, m.maxTiers*r.nClass)
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
	r.waitLast = make([]float64, len(m.streams))
	r.arr = make([]event, len(m.streams))
	r.arrLeaves = 1
	for r.arrLeaves < len(m.streams) {
		r.arrLeaves *= 2
	}
	r.arrTree = make([]int32, 2*r.arrLeaves)
	r.acc = newRepAcc(len(m.streams), len(m.programs), m.nSamples)
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
// gestational age, patience, interim delay and balking draw) are the same under two
// policies given the same seed: comparisons use common random numbers. A replication's
// streams depend on the seed and its index only, so replication i can be rerun alone.
func streamSeed(seed uint64, rep, k int) (uint64, uint64) {
	a := splitmix64(seed ^ splitmix64(uint64(rep)+1))
	return a, splitmix64(a ^ splitmix64(uint64(k)+0x5851f42d4c957f2d))
}

func (r *runner) reset(rep int) {
	m := r.m
	r.rep = rep
	r.h = r.h[:0]
	r.topFree = false
	for i := range r.arrTree {
		r.arrTree[i] = -1
	}
	for k := range r.arr {
		r.arr[k] = event{t: math.Inf(1), key: math.MaxUint64, idx: int32(k)}
		r.arrTree[r.arrLeaves+k] = int32(k)
	}
	for i := r.arrLeaves - 1; i >= 1; i-- {
		a, b := r.arrTree[2*i], r.arrTree[2*i+1]
		w := a
		if a < 0 || b >= 0 && evLess(&r.arr[b], &r.arr[a]) {
			w = b
		}
		r.arrTree[i] = w
	}
	r.seq = 0
	r.now = 0
	r.ep = 0
	r.apps = r.apps[:0]
	r.hpos = append(r.hpos[:0], -1)
	r.free = r.free[:0]
	for i := range r.q {
		r.q[i].head, r.q[i].n = 0, 0
		r.live[i] = 0
	}
	r.freeBeds = 0
	for i := range r.progs {
		p := &r.progs[i]
		p.beds = m.programs[i].beds
		p.free, p.occ, p.last = p.beds, 0, 0
		r.freeBeds += p.beds
		clear(p.resOcc)
		p.src.Seed(streamSeed(m.seed, rep, len(m.streams)+i))
	}
	for i := range r.streams {
		r.streams[i].seg = 0
		r.streams[i].src.Seed(streamSeed(m.seed, rep, i))
	}
	clear(r.waiting)
	clear(r.waitLast)
	r.nextSamp = 0
	r.sampT = math.Inf(1)
	if m.nSamples > 0 {
		r.sampT = m.sampleAt(0)
	}
	r.nextPerson = 0
	r.events = 0
	r.acc.reset()
}

// nextArrival returns the first arrival time after t of stream k, or +Inf: a Poisson
// process whose rate is piecewise constant by calendar month when rates vary, times
// e^(beta t) with a trend. It inverts the cumulative rate: with E a standard exponential
// draw, the next arrival t' solves ∫_t^t' rate = E, segment by segment; within a segment of
// base rate ρ, ∫_t^t' ρ e^(βs) ds = (ρ/β)(e^(βt') - e^(βt)), so
// t' = t + log1p(βE/(ρ e^(βt)))/β.
func (r *runner) nextArrival(k int, t float64) float64 {
	sm := &r.m.streams[k]
	sr := &r.streams[k]
	e := sr.rng.ExpFloat64()
	if sm.rates == nil {
		if sm.beta == 0 {
			return t + e/sm.rate
		}
		return trendStep(sm.rate, sm.beta, t, e, math.Inf(1))
	}
	edges := r.m.monthEdges
	for sr.seg+1 < len(edges) {
		end := edges[sr.seg+1]
		rate := sm.rates[sr.seg]
		if rate > 0 {
			mass := rate * (end - t)
			if sm.beta != 0 {
				mass = rate * integralExp(sm.beta, t, end)
			}
			if mass >= e {
				if sm.beta == 0 {
					return t + e/rate
				}
				return trendStep(rate, sm.beta, t, e, end)
			}
			e -= mass
		}
		t = end
		sr.seg++
	}
	return math.Inf(1)
}

// trendStep returns the time t' after t at which ∫_t^t' rate e^(βs) ds reaches e, capped
// at end (the caller knows it is reached before end, up to rounding), or +Inf if the
// declining rate never reaches it.
func trendStep(rate, beta, t, e, end float64) float64 {
	x := beta * e / (rate * math.Exp(beta*t))
	if x <= -1 {
		return math.Inf(1)
	}
	return min(t+math.Log1p(x)/beta, end)
}

// run simulates replication rep and leaves its statistics in r.acc.
func (r *runner) run(rep int, stop func() bool) bool {
	m := r.m
	r.reset(rep)
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
	if !r.runUntil(m.horizon, stop) {
		return false
	}
	r.finish()
	return true
}

// runUntil processes every event at or before until. It returns false if stop said so.
func (r *runner) runUntil(until float64, stop func() bool) bool {
	for {
		var e event
		if k := r.arrTree[1]; k >= 0 && (len(r.h) == 0 || evLess(&r.arr[k], &r.h[0])) {
			e = r.arr[k]
			if e.t > until {
				break
			}
			r.sampleUntil(e.t)
			r.now = e.t
			r.arrival(int(k))
			r.events++
			if r.events&0xffff == 0 && stop != nil && stop() {
				return false
			}
			continue
		}
		if len(r.h) == 0 {
			break
		}
		e = r.h[0]
		if e.t > until {
			break
		}
		r.sampleUntil(e.t)
		r.now = e.t
		r.topFree = true
		switch e.kind() {
		case evPersonal:
			r.hpos[e.pos] = -1
			r.personal(e.idx)
		case evDeparture:
			r.hpos[e.pos] = -1
			r.departure(e.idx)
		case evBeds:
			r.bedChange(int(e.idx))
		case evPolicy:
			r.policyChange(int(e.idx))
		}
		if r.topFree {
			r.topFree = false
			r.popTop()
		}
		r.events++
		if r.events&0xffff == 0 && stop != nil && stop() {
			return false
		}
	}
	return true
}

// sampleAt returns the time of waitlist sample k: k times the spacing, never past the
// horizon (rounding of the product may not push the last sample beyond it).
func (m *Model) sampleAt(k int) float64 { return min(float64(k)*m.sampleEvery, m.horizon) }

// sampleUntil records every sample due at or before t, with the state before the events
// at t.
func (r *runner) sampleUntil(t float64) {
	if t >= r.sampT {
		r.sample(t)
	}
}

// sample records the samples due at or before t and sets sampT to the next one's time
// (+Inf after the last).
func (r *runner) sample(t float64) {
	m := r.m
	G := len(m.streams)
	r.sampT = math.Inf(1)
	for r.nextSamp < m.nSamples {
		if at := m.sampleAt(r.nextSamp); at > t {
			r.sampT = at
			return
		}
		row := r.acc.series[r.nextSamp*G : (r.nextSamp+1)*G]
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
	r.hpos = append(r.hpos, -1)
	return int32(len(r.apps) - 1)
}

func (r *runner) release(slot int32) {
	a := &r.apps[slot]
	a.tok++
	a.state = stFree
	r.free = append(r.free, slot)
}

// addWaiting changes the number of people of group g waiting, integrating it over the
// counted period first.
func (r *runner) addWaiting(g int32, d int32) {
	if r.now > r.m.warmup {
		lo := max(r.waitLast[g], r.m.warmup)
		r.acc.groups[g].waitInt += float64(r.waiting[g]) * (r.now - lo)
	}
	r.waitLast[g] = r.now
	r.waiting[g] += d
}

// rankOf returns the tier a person holds now under the policy in force: pregnant until she
// delivers, postpartum while the policy's window runs, otherwise her group's other tier.
func (r *runner) rankOf(a *applicant) int32 {
	ep := &r.m.epochs[r.ep]
	g := &ep.ranks[a.stream]
	delivered := a.delivered
	if a.preg {
		if a.deliver > r.now {
			return g.pregnant
		}
		delivered = a.deliver
	}
	if delivered > math.Inf(-1) && r.now < delivered+ep.window+windowEps {
		return g.postpartum
	}
	return g.other
}

// windowEps places the end-of-window reclassification just after the window's last
// instant (the window includes it), well above float rounding of virtual days.
const windowEps = 1e-6

// arrival handles an arrival of stream k: the person seeks treatment and the stream's next
// arrival is scheduled.
func (r *runner) arrival(k int) {
	r.addApplicant(k)
	if nt := r.nextArrival(k, r.now); nt <= r.m.horizon {
		r.schedule(nt, evArrival, int32(k))
	} else {
		r.setArrival(k, event{t: math.Inf(1), key: math.MaxUint64, idx: int32(k)})
	}
}

// addApplicant brings a person of stream k who seeks treatment now: admitted at once if a
// bed is free for her tier, else she balks or joins the waitlist.
func (r *runner) addApplicant(k int) {
	m := r.m
	sm := &m.streams[k]
	rng := r.streams[k].rng
	t := r.now
	slot := r.alloc()
	a := &r.apps[slot]
	tok := a.tok
	r.nextPerson++
	inf := math.Inf(1)
	*a = applicant{arrive: t, first: t, deliver: inf, delivered: math.Inf(-1), leave: inf, interimAt: inf, due: inf,
		person: r.nextPerson, stream: int32(k), class: sm.class, prog: -1, tok: tok, state: stWaiting,
		preg: sm.pregnant, counted: t >= m.warmup}
	// Every draw is made, in a fixed order, from the stream's own generator, whether or not
	// the person is admitted at once: the same people arrive under every policy.
	if sm.pregnant && sm.ga != nil {
		a.deliver = t + max(m.term-sm.ga.sample(rng), 0)
	} else if sm.ago != nil {
		a.delivered = t - sm.ago.sample(rng)
	}
	if sm.dropout != nil {
		a.leave = t + sm.dropout.sample(rng)
	}
	ep := &m.epochs[r.ep]
	g := &ep.ranks[k]
	a.rank = r.rankOf(a)
	switch {
	case a.preg:
		a.owed = g.owedPregnant
	case a.delivered > math.Inf(-1) && t < a.delivered+ep.window+windowEps:
		a.owed = g.owedPostpartum
	default:
		a.owed = g.owedOther
	}
	if sm.interim != nil {
		// Drawn for everyone, so that the draws stay aligned under a policy that owes
		// interim services to more people; its value is computed only for those owed.
		if a.owed {
			a.interimAt = t + sm.interim.sample(rng)
		} else {
			sm.interim.skip(rng)
		}
	}
	u := 0.0
	if sm.balk != nil {
		u = rng.Float64()
	}
	if sm.choice != nil {
		// Walker's alias method: one uniform draw picks an entry and decides whether to keep it.
		v := rng.Float64() * float64(len(sm.choice))
		i := min(int(v), len(sm.choice)-1)
		j := sm.choiceA[i]
		if v-float64(i) < sm.choiceP[i] {
			j = int32(i)
		}
		a.class = sm.choice[j]
	}
	if sm.injects {
		// 45 CFR 96.126(b): admission within 14 days, or 120 days when no program could
		// admit her on the day of the request (she is not admitted at once) and interim
		// services are made available within 48 hours. Days follow the policy's mode.
		days := 14
		if a.interimAt <= t+2 {
			days = 120
		}
		a.due = r.afterDays(t, days)
	}
	if a.counted {
		r.acc.arrive(k, t, m.horizon)
	}
	if r.trace != nil {
		r.emit(TraceArrival, slot, -1, math.NaN())
	}
	if r.freeBeds > 0 {
		if p := r.findProgram(a.rank, a.class); p >= 0 {
			if sm.injects {
				a.due = r.afterDays(t, 14) // admitted at once: a program had capacity
			}
			r.admit(slot, p)
			return
		}
	}
	if sm.balk != nil && r.balks(sm.balk, a.class, u) {
		if a.counted {
			r.acc.balk(k, a, t, m.horizon)
		}
		if r.trace != nil {
			r.emit(TraceBalk, slot, -1, 0)
		}
		r.release(slot)
		return
	}
	r.enqueue(slot)
}

// afterDays returns the virtual day of the deadline of days days from virtual day t under
// the policy in force: elapsed days, or calendar days in the policy's zone
// (priority.Compiled.AfterDays).
func (r *runner) afterDays(t float64, days int) float64 {
	pol := r.m.epochs[r.ep].pol
	if pol.Location() == nil {
		return t + float64(days)
	}
	m := r.m
	at := m.timeAt(t)
	return t + daysOfDuration(pol.AfterDays(at, days).Sub(at))
}

// balks reports whether a person of class c, drawing u, declines to join the waitlist.
func (r *runner) balks(b *balkModel, c int32, u float64) bool {
	n := 0
	for _, k := range r.m.classes[c].overlap {
		for t := range r.m.maxTiers {
			n += r.live[t*r.nClass+int(k)]
		}
	}
	if b.max > 0 && n >= b.max {
		return true
	}
	if len(b.join) > 0 {
		p := b.join[min(n, len(b.join)-1)]
		return u >= p
	}
	return false
}

// enqueue puts a person on the waitlist and schedules what may happen to her there.
func (r *runner) enqueue(slot int32) {
	a := &r.apps[slot]
	a.state = stWaiting
	qi := int(a.rank)*r.nClass + int(a.class)
	r.q[qi].pushBack(qent{slot: slot, tok: a.tok})
	r.live[qi]++
	r.addWaiting(a.stream, 1)
	r.schedulePersonal(slot)
}

// schedulePersonal schedules a waiting person's next own event: her delivery, the end of
// her postpartum window (when it changes her tier) or her dropout, whichever comes first.
func (r *runner) schedulePersonal(slot int32) {
	a := &r.apps[slot]
	next := a.leave
	if a.preg {
		next = min(next, a.deliver)
	} else if a.delivered > math.Inf(-1) {
		ep := &r.m.epochs[r.ep]
		g := &ep.ranks[a.stream]
		if end := a.delivered + ep.window + windowEps; end > r.now && g.postpartum != g.other {
			next = min(next, end)
		}
	}
	if next <= r.m.horizon {
		r.schedule(next, evPersonal, slot)
	}
}

// leaveQueue takes a waiting person off the waitlist (her queue entry goes stale; her
// pending event leaves the heap).
func (r *runner) leaveQueue(slot int32) {
	a := &r.apps[slot]
	r.live[int(a.rank)*r.nClass+int(a.class)]--
	r.addWaiting(a.stream, -1)
	a.tok++
	if h := r.hpos[slot+1]; h >= 0 {
		r.remove(int(h))
		r.hpos[slot+1] = -1
	}
}

// admissible reports whether a person of tier index rank may take a bed of program p now.
func (r *runner) admissible(p int, rank int32) bool {
	pr := &r.progs[p]
	if pr.free <= 0 {
		return false
	}
	res := r.m.programs[p].res
	if len(res) == 0 {
		return true
	}
	ranks := r.m.epochs[r.ep].resRank[p]
	held := 0
	for i, beds := range res {
		if rank > ranks[i] {
			held += max(0, beds-pr.resOcc[i])
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

// integrate accumulates program p's occupancy and beds up to now.
func (r *runner) integrate(p int) {
	pr := &r.progs[p]
	lo := max(pr.last, r.m.warmup)
	if r.now > lo {
		dt := r.now - lo
		pa := &r.acc.progs[p]
		pa.occInt += float64(pr.occ) * dt
		pa.bedsInt += float64(pr.beds) * dt
		if pr.beds > 0 && pr.occ*10 >= pr.beds*9 {
			pa.hiTime += dt
		}
	}
	pr.last = r.now
}

// admitWaiting admits a person from the waitlist to program p.
func (r *runner) admitWaiting(slot int32, p int) {
	r.leaveQueue(slot)
	r.admit(slot, p)
}

// admit starts a person's stay in program p.
func (r *runner) admit(slot int32, p int) {
	m := r.m
	a := &r.apps[slot]
	if r.trace != nil {
		r.flushInterim(slot)
	}
	wait := r.now - a.arrive
	if a.routed {
		if a.counted {
			r.acc.groups[a.stream].routedAdmitted++
		}
	} else if a.counted {
		r.acc.admit(int(a.stream), a, r.now, m.horizon)
	}
	if a.arrive >= m.warmup {
		pa := &r.acc.progs[p]
		pa.admissions++
		pa.sumWait += wait
	}
	r.integrate(p)
	pr := &r.progs[p]
	pr.free--
	pr.occ++
	r.freeBeds--
	a.resRank = a.rank
	for i, rk := range m.epochs[r.ep].resRank[p] {
		if a.rank <= rk {
			pr.resOcc[i]++
		}
	}
	a.state = stTreatment
	a.prog = int32(p)
	if r.trace != nil {
		r.emit(TraceAdmission, slot, int32(p), wait)
	}
	r.schedule(r.now+m.programs[p].los.sample(pr.rng), evDeparture, slot)
}

// departure ends a stay: the bed goes to the best person waiting who may take it, and the
// person leaves or is referred on.
func (r *runner) departure(slot int32) {
	m := r.m
	a := &r.apps[slot]
	p := int(a.prog)
	r.integrate(p)
	pr := &r.progs[p]
	pr.occ--
	pr.free++
	if pr.free > 0 {
		r.freeBeds++
	}
	for i, rk := range m.epochs[r.ep].resRank[p] {
		if a.resRank <= rk {
			pr.resOcc[i]--
		}
	}
	if r.trace != nil {
		r.emit(TraceDischarge, slot, int32(p), math.NaN())
	}
	r.fill(p)
	if routes := m.programs[p].routes; len(routes) > 0 {
		u := pr.rng.Float64()
		for _, rt := range routes {
			if u < rt.cum {
				r.stepDown(slot, int(rt.prog), pr.rng)
				return
			}
		}
	}
	r.release(slot)
}

// stepDown refers a person leaving a program to program q: a new request, from now, for
// q only, ranked by her facts now.
func (r *runner) stepDown(slot int32, q int, rng *rand.Rand) {
	m := r.m
	a := &r.apps[slot]
	sm := &m.streams[a.stream]
	if a.preg && a.deliver <= r.now {
		a.preg, a.delivered, a.deliver = false, a.deliver, math.Inf(1)
	}
	a.routed = true
	a.arrive = r.now
	a.prog = -1
	a.class = m.programs[q].routeClass
	a.leave, a.interimAt, a.due, a.owed = math.Inf(1), math.Inf(1), math.Inf(1), false
	if sm.dropout != nil {
		a.leave = r.now + sm.dropout.sample(rng)
	}
	a.rank = r.rankOf(a)
	if a.counted {
		r.acc.groups[a.stream].routed++
	}
	if r.now >= m.warmup {
		r.acc.progs[q].referrals++
	}
	if r.trace != nil {
		r.emit(TraceStepDown, slot, int32(q), math.NaN())
	}
	if r.freeBeds > 0 {
		if p := r.findProgram(a.rank, a.class); p >= 0 {
			r.admit(slot, p)
			return
		}
	}
	r.enqueue(slot)
}

// fill admits the best waiting people to program p while it has a bed for them: the best
// tier first, and within it the earliest to seek treatment among the classes that may
// enter this program. Admissibility only grows with a better tier, so the first tier with
// someone who may enter decides.
func (r *runner) fill(p int) {
	pr := &r.progs[p]
	classes := r.m.programs[p].classes
	nt := len(r.m.epochs[r.ep].tierNames)
	for pr.free > 0 {
		admitted := false
		for t := range nt {
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
				r.admitWaiting(best, p)
				admitted = true
			}
			break
		}
		if !admitted {
			return
		}
	}
}

// personal handles a waiting person's own event: her delivery, the end of her postpartum
// window, her dropout, each when due.
func (r *runner) personal(slot int32) {
	m := r.m
	a := &r.apps[slot]
	if r.trace != nil {
		r.flushInterim(slot)
	}
	if a.preg && a.deliver <= r.now {
		a.preg, a.delivered, a.deliver = false, a.deliver, math.Inf(1)
		if a.counted && !a.routed {
			r.acc.groups[a.stream].delivered++
		}
		if r.trace != nil {
			r.emit(TraceDelivery, slot, -1, math.NaN())
		}
	}
	if a.leave <= r.now {
		r.leaveQueue(slot)
		if a.routed {
			if a.counted {
				r.acc.groups[a.stream].routedDropped++
			}
		} else if a.counted {
			r.acc.drop(int(a.stream), a, r.now, m.horizon)
		}
		if r.trace != nil {
			r.emit(TraceDropout, slot, -1, r.now-a.arrive)
		}
		r.release(slot)
		return
	}
	if nr := r.rankOf(a); nr != a.rank {
		r.move(slot, nr)
		if a.state != stWaiting {
			return
		}
	}
	r.schedulePersonal(slot)
}

// move reclassifies a waiting person into tier rank, keeping her place by the time she
// sought treatment, and admits her if a bed is free for her new tier.
func (r *runner) move(slot int32, rank int32) {
	a := &r.apps[slot]
	old := a.rank
	a.tok++
	r.live[int(a.rank)*r.nClass+int(a.class)]--
	a.rank = rank
	qi := int(rank)*r.nClass + int(a.class)
	r.live[qi]++
	r.insertByArrival(&r.q[qi], qent{slot: slot, tok: a.tok})
	if r.trace != nil && r.m.epochs[r.ep].tierNames[old] != r.m.epochs[r.ep].tierNames[rank] {
		r.emit(TraceTierChange, slot, -1, math.NaN())
	}
	if r.freeBeds > 0 {
		if p := r.findProgram(rank, a.class); p >= 0 {
			r.admitWaiting(slot, p)
		}
	}
}

// bedChange applies a step of a program's capacity schedule.
func (r *runner) bedChange(i int) {
	be := r.m.bedEvents[i]
	p := int(be.prog)
	r.integrate(p)
	pr := &r.progs[p]
	old := max(pr.free, 0)
	pr.beds = be.beds
	pr.free = pr.beds - pr.occ
	r.freeBeds += max(pr.free, 0) - old
	r.fill(p)
}

// policyChange puts policy k in force: everyone is ranked again, the queues are rebuilt
// in the order people sought treatment, reservations are recounted, and free beds filled.
func (r *runner) policyChange(k int) {
	m := r.m
	prev := &m.epochs[r.ep]
	r.ep = k
	ep := &m.epochs[k]
	for p := range r.progs {
		clear(r.progs[p].resOcc)
	}
	r.scratch = r.scratch[:0]
	for s := range r.apps {
		a := &r.apps[s]
		switch a.state {
		case stTreatment:
			a.rank = r.rankOf(a)
			a.resRank = a.rank
			for i, rk := range ep.resRank[a.prog] {
				if a.resRank <= rk {
					r.progs[a.prog].resOcc[i]++
				}
			}
		case stWaiting:
			r.scratch = append(r.scratch, int32(s))
		}
	}
	slices.SortFunc(r.scratch, func(x, y int32) int {
		a, b := &r.apps[x], &r.apps[y]
		switch {
		case a.arrive < b.arrive:
			return -1
		case a.arrive > b.arrive:
			return 1
		}
		return int(a.person - b.person)
	})
	for i := range r.q {
		r.q[i].head, r.q[i].n = 0, 0
		r.live[i] = 0
	}
	for _, s := range r.scratch {
		a := &r.apps[s]
		oldTier := prev.tierNames[a.rank]
		a.rank = r.rankOf(a)
		a.tok++
		qi := int(a.rank)*r.nClass + int(a.class)
		r.q[qi].pushBack(qent{slot: s, tok: a.tok})
		r.live[qi]++
		if h := r.hpos[s+1]; h >= 0 {
			r.remove(int(h))
			r.hpos[s+1] = -1
		}
		r.schedulePersonal(s)
		if r.trace != nil && ep.tierNames[a.rank] != oldTier {
			r.emit(TraceTierChange, s, -1, math.NaN())
		}
	}
	for p := range r.progs {
		r.fill(p)
	}
}

// finish closes the replication: occupancy and waitlist integrals up to the horizon, the
// people still waiting, the remaining time-series samples.
func (r *runner) finish() {
	m := r.m
	r.sampleUntil(m.horizon)
	r.now = m.horizon
	for p := range r.progs {
		r.integrate(p)
	}
	for g := range r.waiting {
		r.addWaiting(int32(g), 0)
	}
	for i := range r.apps {
		a := &r.apps[i]
		if a.state != stWaiting {
			continue
		}
		if r.trace != nil {
			r.flushInterim(int32(i))
			r.emit(TraceStillWaiting, int32(i), -1, m.horizon-a.arrive)
		}
		if !a.counted {
			continue
		}
		if a.routed {
			r.acc.groups[a.stream].routedWaiting++
		} else {
			r.acc.stillWaiting(int(a.stream), a, m.horizon)
		}
	}
	r.acc.events = r.events
}

// timeAt returns the calendar moment of virtual day t (t days of 24 elapsed hours after
// Start), in steps a time.Duration can hold (at most 10 of them: t is below MaxHorizonDays).
func (m *Model) timeAt(t float64) time.Time {
	const step = 100000 // days; 8.64e18 ns, within a Duration
	at := m.start
	for t > step {
		at = at.Add(step * 24 * time.Hour)
		t -= step
	}
	return at.Add(time.Duration(t * 86400e9))
}

// daysOfDuration converts a time.Duration to days.
func daysOfDuration(d time.Duration) float64 { return float64(d) / 86400e9 }
