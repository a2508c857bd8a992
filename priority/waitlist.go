package priority

import (
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/dyad-health/dyad/internal/ident"
	"github.com/dyad-health/dyad/internal/jsonin"
	"github.com/dyad-health/dyad/perinatal"
)

// noTime marks a moment not recorded in a record (Unix nanoseconds of jsonin.TimeInRange
// never reach it).
const noTime = math.MinInt64

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return noTime
	}
	return t.UnixNano()
}

func timeOf(ns int64) time.Time {
	if ns == noTime {
		return time.Time{}
	}
	return nsTime(ns)
}

// rec is one person on the list (waiting, or departed and kept until the next compaction).
// It is small and holds no pointer, so the garbage collector never scans the slab of records:
// the identifier is kept inline when it is short (idPrefixLen bytes or less) and in the
// list's identifier arena otherwise; what fewer people have (a dated or ended pregnancy, an
// earlier delivery; interim services, contacts, a referral) is in pointer-free slabs of the
// list, by index.
//
// The fields are ordered so that none needs padding: 88 bytes.
type rec struct {
	idPre    [idPrefixLen]byte // the identifier's first bytes, zero-padded
	idOff    uint32            // where the identifier is in the arena, when longer than idPrefixLen
	x        uint32            // index of the record's reproX in w.repros; 0 if none
	p        uint32            // index of the record's progX in w.progs; 0 if none
	tpos     uint32            // where the record's entry is in the identifier index (while it names her)
	sought   int64
	arrival  uint64
	left     int64 // noTime while waiting
	dl, chg  wheelPos
	flags    uint16
	cond     ConditionSet // the conditions as last classified
	ever     ConditionSet // every condition that held while waiting
	idLen    uint8
	rank     uint8 // 0-based tier index
	capacity Capacity
	reason   RemovalReason
	owed     ElementSet // every element owed while waiting
	referral bool       // a State referral is owed (96.131(c))
}

// slab holds values by index (0 means none), reusing freed indexes. It is pointer-free when
// T is, so the garbage collector does not scan it.
type slab[T any] struct {
	items []T
	free  []uint32
}

// get returns the value at i, or nil for 0.
func (s *slab[T]) get(i uint32) *T {
	if i == 0 {
		return nil
	}
	return &s.items[i]
}

// alloc stores v and returns its index. A later alloc may move the slab: do not keep a
// pointer from get across it.
func (s *slab[T]) alloc(v T) uint32 {
	if n := len(s.free); n > 0 {
		i := s.free[n-1]
		s.free = s.free[:n-1]
		s.items[i] = v
		return i
	}
	if len(s.items) == 0 {
		var zero T
		s.items = append(s.items, zero) // index 0 means none
	}
	s.items = append(s.items, v)
	return uint32(len(s.items) - 1)
}

// release frees index i (0 is ignored).
func (s *slab[T]) release(i uint32) {
	if i != 0 {
		var zero T
		s.items[i] = zero
		s.free = append(s.free, i)
	}
}

// reproX is a record's reproductive facts beyond the pregnant flag: a dated or ended
// pregnancy, an earlier delivery.
type reproX struct {
	lmp, edd              int64 // calendar days; noTime when absent
	end, prior, delivered int64 // Unix ns; noTime when absent
	// UTC offsets in seconds of end, prior and delivered as given: perinatal dates a
	// delivery by its calendar day where it happened, so the offset is part of the fact.
	offEnd, offPrior, offDelivered int32
	outcome                        perinatal.PregnancyOutcome
}

// zoneOffset returns t's UTC offset in seconds.
func zoneOffset(t time.Time) int32 {
	_, off := t.Zone()
	return int32(off)
}

// timeAt returns the moment ns (noTime: zero) in the fixed offset off seconds (UTC when 0).
func timeAt(ns int64, off int32) time.Time {
	if ns == noTime {
		return time.Time{}
	}
	t := nsTime(ns)
	if off != 0 {
		t = t.In(time.FixedZone("", int(off)))
	}
	return t
}

// progX is what was done for a person: interim services, a referral, contacts.
type progX struct {
	interim                [numElements - 1]int64 // when element e was made available (index e-1); noTime if not
	referred               int64
	attempts, failedInRow  uint32
	lastAttempt, lastReach int64
	// late are the interim elements that became owed only after the 48-hour window, for a
	// condition that did not hold when she sought treatment (a pregnancy dated after the
	// request); they are due 48 hours after lateAt, when they became owed. referralFrom is
	// when a State referral became owed for such a pregnancy (noTime: from the request).
	late         ElementSet
	lateAt       int64
	referralFrom int64
	// referralDue is the State referral's due time as fixed when the list moved to another
	// policy (ChangePolicy) while it was owed or made: the deadline set under the policy in
	// force when the obligation arose (noTime: not fixed, judged under the list's policy).
	referralDue int64
}

func newProgX() progX {
	x := progX{referred: noTime, lastAttempt: noTime, lastReach: noTime, lateAt: noTime, referralFrom: noTime, referralDue: noTime}
	for i := range x.interim {
		x.interim[i] = noTime
	}
	return x
}

// reproOf returns r's reproductive facts, or nil.
func (w *Waitlist) reproOf(r *rec) *reproX { return w.repros.get(r.x) }

// progOf returns what was done for r, or nil.
func (w *Waitlist) progOf(r *rec) *progX { return w.progs.get(r.p) }

// prog returns what was done for r, making the record of it if there is none.
func (w *Waitlist) prog(r *rec) *progX {
	if r.p == 0 {
		r.p = w.progs.alloc(newProgX())
	}
	return w.progs.get(r.p)
}

// setID stores id in r.
func (w *Waitlist) setID(r *rec, id string) {
	r.idPre, r.idLen, r.idOff = idPrefix(id), uint8(len(id)), 0
	if len(id) > idPrefixLen {
		r.idOff = uint32(len(w.idArena))
		w.idArena = append(w.idArena, id...)
	}
}

// idOf returns r's identifier.
func (w *Waitlist) idOf(r *rec) string {
	if r.idLen <= idPrefixLen {
		return string(r.idPre[:r.idLen])
	}
	return string(w.idArena[r.idOff : r.idOff+uint32(r.idLen)])
}

// idIs reports whether r's identifier is id, reading the arena only for a long identifier.
func (w *Waitlist) idIs(r *rec, id string) bool {
	if int(r.idLen) != len(id) || r.idPre != idPrefix(id) {
		return false
	}
	return len(id) <= idPrefixLen || string(w.idArena[r.idOff:r.idOff+uint32(r.idLen)]) == id
}

// free returns slot's record and what it points to to the free lists.
func (w *Waitlist) free(slot uint32) {
	r := &w.recs[slot]
	w.repros.release(r.x)
	w.progs.release(r.p)
	if r.idLen > idPrefixLen {
		w.idGarbage += int(r.idLen)
	}
	*r = rec{dl: noPos, chg: noPos} // a freed record claims no place in the wheels
	w.freeSlots = append(w.freeSlots, slot)
}

// packIDs rewrites the identifier arena without the identifiers of freed records, once they
// are more than half of it.
func (w *Waitlist) packIDs() {
	if w.idGarbage < 64<<10 || w.idGarbage*2 < len(w.idArena) {
		return
	}
	arena := make([]byte, 0, len(w.idArena)-w.idGarbage)
	for i := range w.recs {
		r := &w.recs[i]
		if r.idLen > idPrefixLen {
			off := uint32(len(arena))
			arena = append(arena, w.idArena[r.idOff:r.idOff+uint32(r.idLen)]...)
			r.idOff = off
		}
	}
	w.idArena, w.idGarbage = arena, 0
}

func (r *rec) waiting() bool { return r.left == noTime }

// setDepSeq records the seq of the event that removed the person. Out of the indexes, her
// wheel positions are free: they hold it, so that a removal allocates nothing.
func (r *rec) setDepSeq(seq uint64) {
	r.dl = wheelPos{bucket: notInWheel, pos: uint32(seq)}
	r.chg = wheelPos{bucket: notInWheel, pos: uint32(seq >> 32)}
}

// depSeq returns the seq setDepSeq recorded.
func (r *rec) depSeq() uint64 { return uint64(r.dl.pos) | uint64(r.chg.pos)<<32 }

// setFacts stores a's facts in r.
func (w *Waitlist) setFacts(r *rec, a *Applicant) {
	w.setID(r, a.ID)
	r.sought = a.SoughtAt.UnixNano()
	var fl uint16
	for i, v := range []bool{a.Pregnant, a.InjectsDrugs, a.DependentChildren, a.ReferredByChildWelfare, a.LeavingIncarceration, a.Veteran, a.Woman} {
		if v {
			fl |= 1 << i
		}
	}
	r.flags = fl
	r.capacity = a.CapacityAtRequest
	p := a.Pregnancy
	if p != (perinatal.Pregnancy{}) || !a.PriorDeliveryAt.IsZero() || !a.DeliveredAt.IsZero() || r.x != 0 {
		if r.x == 0 {
			r.x = w.repros.alloc(reproX{})
		}
		x := w.reproOf(r)
		x.lmp, x.edd = noTime, noTime
		if !p.LMP.IsZero() {
			x.lmp = civilDay(p.LMP)
		}
		if !p.EDD.IsZero() {
			x.edd = civilDay(p.EDD)
		}
		x.end, x.prior, x.delivered = unixNano(p.DeliveredAt), unixNano(a.PriorDeliveryAt), unixNano(a.DeliveredAt)
		x.offEnd, x.offPrior, x.offDelivered = zoneOffset(p.DeliveredAt), zoneOffset(a.PriorDeliveryAt), zoneOffset(a.DeliveredAt)
		x.outcome = p.Outcome
	}
}

// applicant returns the facts of r as an Applicant (times in UTC but deliveries, which keep
// the offset they were given in; LMP and EDD as dates).
func (w *Waitlist) applicant(r *rec) Applicant {
	fl := r.flags
	a := Applicant{ID: w.idOf(r), SoughtAt: nsTime(r.sought), CapacityAtRequest: r.capacity,
		Pregnant: fl&fPregnant != 0, InjectsDrugs: fl&fInjects != 0, DependentChildren: fl&fChildren != 0,
		ReferredByChildWelfare: fl&fChildWelfare != 0, LeavingIncarceration: fl&fIncarceration != 0,
		Veteran: fl&fVeteran != 0, Woman: fl&fWoman != 0}
	if x := w.reproOf(r); x != nil {
		if x.lmp != noTime {
			a.Pregnancy.LMP = dayTime(x.lmp)
		}
		if x.edd != noTime {
			a.Pregnancy.EDD = dayTime(x.edd)
		}
		a.Pregnancy.DeliveredAt, a.PriorDeliveryAt, a.DeliveredAt = timeAt(x.end, x.offEnd), timeAt(x.prior, x.offPrior), timeAt(x.delivered, x.offDelivered)
		a.Pregnancy.Outcome = x.outcome
	}
	return a
}

// interimRecord returns the record's deliveries as an InterimRecord.
func (w *Waitlist) interimRecord(r *rec) InterimRecord {
	var ir InterimRecord
	if x := w.progOf(r); x != nil {
		for i := range x.interim {
			ir.at[i+1] = timeOf(x.interim[i])
		}
	}
	return ir
}

// lateOf returns r's late elements and when they became owed (noTime if none).
func (w *Waitlist) lateOf(r *rec) (ElementSet, int64) {
	if x := w.progOf(r); x != nil && x.late != 0 {
		return x.late, x.lateAt
	}
	return 0, noTime
}

// onTimeOwed returns the elements owed within 48 hours of the request: every element owed
// but those that became owed later (lateOf).
func (w *Waitlist) onTimeOwed(r *rec) ElementSet {
	late, _ := w.lateOf(r)
	return r.owed &^ late
}

// interimComplete returns when the set owed within 48 hours of the request was complete
// (noTime if it is not, or none is owed).
func (w *Waitlist) interimComplete(r *rec) int64 { return w.completeOver(r, w.onTimeOwed(r)) }

// notPlacedSet returns the elements owed to r, who injects drugs and asked when a program
// could admit her, once she is not placed within 14 days (Compiled.notPlacedSet).
func (w *Waitlist) notPlacedSet(r *rec) ElementSet {
	if r.owed != 0 {
		return 0
	}
	return w.policy.notPlacedSet(r.ever, r.capacity)
}

// completeOver returns when every element of set was made available (noTime if one was
// not, or set is empty).
func (w *Waitlist) completeOver(r *rec, set ElementSet) int64 {
	x := w.progOf(r)
	if set == 0 || x == nil {
		return noTime
	}
	last := int64(math.MinInt64 + 1)
	for e := ElementHIVTBEducation; e < numElements; e++ {
		if set.Has(e) {
			t := x.interim[e-1]
			if t == noTime {
				return noTime
			}
			last = max(last, t)
		}
	}
	return last
}

// referralFrom returns when the State referral owed to r runs from: her request, or when a
// pregnancy that began after it was recorded.
func (w *Waitlist) referralFrom(r *rec) time.Time {
	if x := w.progOf(r); x != nil && x.referralFrom != noTime {
		return nsTime(x.referralFrom)
	}
	return nsTime(r.sought)
}

// referralDue returns when the State referral owed to r is due: as fixed at a change of
// policy (progX.referralDue), or the list's policy's StateReferralHours after referralFrom.
func (w *Waitlist) referralDue(r *rec) int64 {
	if x := w.progOf(r); x != nil && x.referralDue != noTime {
		return x.referralDue
	}
	return w.referralFrom(r).Add(time.Duration(w.policy.referralHours) * time.Hour).UnixNano()
}

func (w *Waitlist) referredAt(r *rec) int64 {
	if x := w.progOf(r); x != nil {
		return x.referred
	}
	return noTime
}

// progState is what the list knows of a program from occupancy events.
type progState struct {
	occ      Occupancy
	reached  int64 // when it reached 90% (the reach the next notice answers); noTime if not
	notified int64 // the last notice; noTime if none
}

// WaitlistOptions configure a Waitlist.
type WaitlistOptions struct {
	// Now is the embedding system's clock, called once per change to refuse a change dated
	// more than FutureTolerance after it (ErrFutureEvent): a typing error such as a year
	// 2099 would otherwise refuse every later change as out of order. The library never
	// reads the system clock itself. Required for changes; replaying recorded events (Apply,
	// Rebuild, decoding) does not call it.
	Now func() time.Time
	// FutureTolerance is how far after Now a change may be dated (clocks of the systems
	// recording changes differ a little): DefaultFutureTolerance when zero.
	FutureTolerance time.Duration
}

// DefaultFutureTolerance is the default WaitlistOptions.FutureTolerance: five minutes.
const DefaultFutureTolerance = 5 * time.Minute

// Waitlist is the ordered list of people waiting for admission under one policy: by tier,
// then by time sought, then by arrival. It is what 45 CFR 96.126(c) asks of a program (and a
// State's capacity management, of a registry): a waiting list with a unique patient
// identifier for each person, systematic reporting, contact kept with those waiting.
//
// Add, remove, next and position take O(log n) time at most; listing what is overdue or due
// before a moment takes time proportional to what is listed. Every change is an Event
// carrying the policy's identity, the actor and the hash of the event before it;
// EventsSince returns what was recorded after a given event, so that each change is saved
// in O(1); Snapshot and Compact let a list run for years in bounded memory.
//
// Every read takes the moment it judges, at or after the list's last event (ErrPastMoment
// otherwise): tiers that time alone changed since the last event (a postpartum window
// ending) are judged at that moment without being recorded. A change records those tier
// changes first, as EventReclassified events.
//
// The list remembers what was owed: an interim-services, admission or State-referral
// obligation that arose while a person waited stays owed when her facts change (a pregnancy
// loss, a corrected injecting status), and stays answerable after she is admitted or
// removed (Obligations, Compliance) until the next compaction. Interim elements that
// become owed only after the 48-hour window, for a condition that did not hold when she
// sought treatment (a pregnancy dated after the request), are owed from the moment they are
// recorded, as a second interim obligation (code interim_services_pregnancy_while_waiting,
// due 48 hours later), and a State referral owed for such a pregnancy runs from then too: the
// elements owed at the request, and a 120-day deadline they met, stand.
//
// ChangePolicy carries the list to an amended policy, recorded in the chain. A list saved as
// the documented recipe says (events as they come, a snapshot now and then, Compact; see
// Snapshot) is restored across such a change with RestoreWaitlistAcross, given every
// policy it was under since the snapshot.
//
// A Waitlist is safe for concurrent use: readers share a read lock, and each change takes
// the write lock, so changes are serialized in the order the embedding system makes them.
type Waitlist struct {
	mu        sync.RWMutex
	policy    *Compiled
	opts      WaitlistOptions
	byID      idIndex // current or last stay of each identifier held
	recs      []rec   // by slot; slot 0 is never used
	freeSlots []uint32
	repros    slab[reproX]
	progs     slab[progX]
	idArena   []byte // identifiers longer than idPrefixLen
	idGarbage int    // bytes of the arena whose records were freed
	order     btree  // (rank, sought, arrival) -> slot, people waiting
	dl        wheel  // earliest pending deadline -> slot
	chg       wheel  // next classification change -> slot
	programs  map[string]*progState
	log       eventLog
	last      int64  // Unix ns of the last event; noTime before the first
	arrivals  uint64 // people added so far
	waiting   int
	departed  []uint32 // slots of people who left, for compaction
	enc       []byte   // scratch for event encodings
	// policyChanged says the list moved to another policy since it was made (ChangePolicy);
	// known are the policies a replay may move to (RebuildAcross).
	policyChanged bool
	known         map[string]*Compiled
}

// NewWaitlist returns an empty waitlist under the compiled policy c. o.Now is required.
func NewWaitlist(c *Compiled, o WaitlistOptions) (*Waitlist, error) {
	if c == nil {
		return nil, fmt.Errorf("%w: nil policy", ErrInvalidPolicy)
	}
	if o.Now == nil {
		return nil, fmt.Errorf("%w: Now (the embedding system's clock) is required", ErrInvalidOptions)
	}
	w := newWaitlist(c)
	return w, w.setOptions(o)
}

func newWaitlist(c *Compiled) *Waitlist {
	return &Waitlist{policy: c, byID: newIDIndex(), recs: make([]rec, 1), programs: map[string]*progState{},
		log: newEventLog(c.ID()), last: noTime}
}

func (w *Waitlist) setOptions(o WaitlistOptions) error {
	if o.FutureTolerance < 0 {
		return fmt.Errorf("%w: negative FutureTolerance", ErrInvalidOptions)
	}
	if o.FutureTolerance == 0 {
		o.FutureTolerance = DefaultFutureTolerance
	}
	w.opts = o
	return nil
}

// SetOptions replaces the list's options, such as the clock of a list decoded from JSON
// (which has none until given one).
func (w *Waitlist) SetOptions(o WaitlistOptions) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if o.Now == nil {
		return fmt.Errorf("%w: Now (the embedding system's clock) is required", ErrInvalidOptions)
	}
	return w.setOptions(o)
}

// Rebuild returns the waitlist obtained by applying events in order to an empty list under
// c (see Apply). The events must begin with the list's first event (Seq 1) and be
// recorded under c's policy (ErrPolicyMismatch otherwise; for events that change policy,
// use RebuildAcross). The list has no clock: give it
// one with SetOptions before changing it.
func Rebuild(c *Compiled, events []Event) (*Waitlist, error) {
	if c == nil {
		return nil, fmt.Errorf("%w: nil policy", ErrInvalidPolicy)
	}
	w := newWaitlist(c)
	for i := range events {
		if err := w.apply(&events[i], true); err != nil {
			return nil, fmt.Errorf("event %d: %w", events[i].Seq, err)
		}
	}
	return w, nil
}

// Policy returns the compiled policy of the list.
func (w *Waitlist) Policy() *Compiled {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.policy
}

// orderKey is a record's key in the order index: rank (8 bits), time sought (64 bits, as
// an unsigned, order-keeping form of Unix nanoseconds) and arrival number (56 bits).
func orderKey(rank uint8, sought int64, arrival uint64) k128 {
	u := uint64(sought) ^ 1<<63
	return k128{hi: uint64(rank)<<56 | u>>8, lo: (u&0xff)<<56 | arrival&(1<<56-1)}
}

func (r *rec) orderKey() k128 { return orderKey(r.rank, r.sought, r.arrival) }

// repro returns r's reproductive facts, normalized as for an Applicant.
func (w *Waitlist) repro(r *rec) repro {
	rp := repro{episode: r.flags&fPregnant != 0}
	x := w.reproOf(r)
	if x == nil {
		return rp
	}
	if x.lmp != noTime || x.edd != noTime || x.end != noTime || x.outcome != perinatal.OutcomeUnknown {
		rp.episode = true
	}
	rp.origin, rp.dated = originOf(x.lmp, x.edd)
	rp.end, rp.prior = timeAt(x.end, x.offEnd), timeAt(x.prior, x.offPrior)
	if x.delivered != noTime {
		d := timeAt(x.delivered, x.offDelivered)
		sought := nsTime(r.sought)
		switch {
		case !rp.episode:
			if rp.prior.IsZero() {
				rp.prior = d
			}
		case d.After(sought) && rp.end.IsZero():
			rp.end = d
		case rp.prior.IsZero() && !d.After(sought):
			rp.prior = d
		}
	}
	return rp
}

// condsAt returns the conditions that hold for r at t.
func (w *Waitlist) condsAt(r *rec, t time.Time) ConditionSet {
	fl := r.flags
	var s ConditionSet
	rp := w.repro(r)
	if fl&(fPregnant) != 0 || r.x != 0 {
		switch rp.statusAt(w.policy.window, t) {
		case perinatal.StatusPregnant:
			s |= 1 << ConditionPregnant
		case perinatal.StatusPostpartum:
			s |= 1 << ConditionPostpartum
		}
	}
	for i, c := range [...]Condition{ConditionInjectsDrugs, ConditionDependentChildren, ConditionReferredByChildWelfare, ConditionLeavingIncarceration, ConditionVeteran} {
		if fl&(fInjects<<i) != 0 {
			s |= 1 << c
		}
	}
	if fl&fWoman != 0 || rp.woman() {
		s |= 1 << ConditionWoman
	}
	return s
}

// ---- deadlines of a record ----

// dues returns r's obligations' due times (noTime where none applies) and which are still
// pending while she waits.
func (w *Waitlist) dues(r *rec) (interim, admission, referral int64, pending [3]bool) {
	c := w.policy
	sought := nsTime(r.sought)
	interim, admission, referral = noTime, noTime, noTime
	done := w.interimComplete(r)
	if w.onTimeOwed(r) != 0 {
		interim = sought.Add(InterimWindow).UnixNano()
		pending[0] = done == noTime
	} else if np := w.notPlacedSet(r); np != 0 {
		interim = c.AfterDays(sought, AdmissionDays).UnixNano()
		pending[0] = w.completeOver(r, np) == noTime
	}
	if late, lateAt := w.lateOf(r); late != 0 && w.completeOver(r, late) == noTime {
		if d := nsTime(lateAt).Add(InterimWindow).UnixNano(); !pending[0] || d < interim {
			interim, pending[0] = d, true
		}
	}
	if r.ever.Has(ConditionInjectsDrugs) {
		a := Applicant{SoughtAt: sought, CapacityAtRequest: r.capacity}
		admission = c.AdmissionDue(a, timeOf(done)).UnixNano()
		pending[1] = true
	}
	if ref := w.referredAt(r); r.referral && r.ever.Has(ConditionPregnant) || ref != noTime {
		referral = w.referralDue(r)
		pending[2] = ref == noTime
	}
	return
}

// nextDue returns r's earliest pending deadline, or noTime.
func (w *Waitlist) nextDue(r *rec) int64 {
	i, a, f, p := w.dues(r)
	next := int64(noTime)
	for k, d := range [3]int64{i, a, f} {
		if p[k] && (next == noTime || d < next) {
			next = d
		}
	}
	return next
}

func (w *Waitlist) movedDL(slot uint32, p wheelPos)       { w.recs[slot].dl = p }
func (w *Waitlist) movedChg(slot uint32, p wheelPos)      { w.recs[slot].chg = p }
func (w *Waitlist) aliveDL(slot uint32, p wheelPos) bool  { return w.recs[slot].dl == p }
func (w *Waitlist) aliveChg(slot uint32, p wheelPos) bool { return w.recs[slot].chg == p }
func (w *Waitlist) movedLeaf(slot, leaf uint32)           { w.byID.setLeaf(&w.recs[slot], leaf) }

// replaceDL puts r (at slot) in the deadline index under its earliest pending deadline.
func (w *Waitlist) replaceDL(slot uint32) {
	r := &w.recs[slot]
	w.dl.remove(&r.dl, w.aliveDL, w.movedDL)
	if d := w.nextDue(r); d != noTime {
		w.dl.add(slot, d, &r.dl)
	}
}

// place classifies r at t and enters it in the indexes.
func (w *Waitlist) place(slot uint32, t time.Time) {
	r := &w.recs[slot]
	c := w.policy
	r.cond = w.condsAt(r, t)
	r.ever |= r.cond
	r.rank = uint8(c.rankOf(r.cond))
	owed := c.owedInterimSet(r.ever, r.capacity)
	if add := owed &^ r.owed; add != 0 && t.UnixNano() > r.sought+int64(InterimWindow) {
		// Elements that became owed after the 48-hour window, for a condition that did not
		// hold when she sought treatment (a pregnancy dated after the request), are owed
		// from now: 45 CFR 96.126(b)(2) asks interim services "not later than 48 hours after
		// such request", which she received for what she was then; the pregnancy elements
		// of 96.121 were not owed on a day she was not pregnant. They are due 48 hours after
		// this moment (a reading: the text sets no time for a condition arising while she
		// waits; 48 hours is the window of 96.131(d) and 96.126(b)(2)). An undated
		// pregnancy counts as begun by the time sought, so its elements were owed at 48
		// hours (fail closed).
		if late := add &^ c.owedInterimSet(w.condsAt(r, nsTime(r.sought)), r.capacity); late != 0 {
			x := w.prog(r)
			if x.late == 0 {
				x.lateAt = t.UnixNano()
			}
			x.late |= late
		}
	}
	r.owed |= owed
	w.byID.setLeaf(r, w.order.insert(r.orderKey(), slot, w.movedLeaf))
	if d := w.nextDue(r); d != noTime {
		w.dl.add(slot, d, &r.dl)
	}
	if ch := c.changesAt(w.repro(r), t); !ch.IsZero() {
		w.chg.add(slot, ch.UnixNano(), &r.chg)
	}
}

// unplace takes r out of the indexes.
func (w *Waitlist) unplace(slot uint32) {
	r := &w.recs[slot]
	w.dl.remove(&r.dl, w.aliveDL, w.movedDL)
	w.chg.remove(&r.chg, w.aliveChg, w.movedChg)
	w.order.deleteAt(w.byID.leafOf(r), slot, r.orderKey(), w.movedLeaf)
}

// referralOwed reports whether the State referral of 45 CFR 96.131(c) is owed to r, a
// pregnant woman, at the moment she is added or found pregnant: "in the event that a
// treatment facility has insufficient capacity to provide treatment services to any such
// pregnant woman who seeks the services from the facility, the facility refer the woman to
// the State". The capacity is judged from her own fact first: CapacityAtRequest none or
// unknown owes it (a free bed in another program, say a men's program, does not show that
// one could take her); CapacityAvailable owes it only when no program the list records has
// a free bed (or none is recorded). Fail closed: unknown owes it.
func (w *Waitlist) referralOwed(r *rec) bool {
	return r.capacity != CapacityAvailable || !w.anyFreeBed()
}

// anyFreeBed reports whether some program the list records had a free bed; false when no
// occupancy is recorded (unknown: the referral is owed).
func (w *Waitlist) anyFreeBed() bool {
	for _, p := range w.programs {
		if p.occ.Occupied < p.occ.Beds {
			return true
		}
	}
	return false
}

// ---- changes ----

// mutate records ev as the next event, after the tier changes time brought by ev.At.
func (w *Waitlist) mutate(ev Event) (Classification, error) { return w.mutateTo(ev, nil) }

// mutateTo is mutate; next is the compiled policy an EventPolicyChanged moves the list to.
func (w *Waitlist) mutateTo(ev Event, next *Compiled) (Classification, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.policy == nil {
		return Classification{}, errNoPolicy
	}
	// The identifier's line of the index is read while the event's shape is checked.
	tag := w.byID.prefetch(ev.ID)
	if w.opts.Now == nil {
		return Classification{}, fmt.Errorf("%w: the list has no clock (give WaitlistOptions.Now with SetOptions)", ErrInvalidOptions)
	}
	if !validActor(ev.Actor) {
		return Classification{}, fmt.Errorf("%w: %s event: the actor does not follow the rule: %s", ErrInvalidEvent, ev.Kind, ident.Rule)
	}
	if !jsonin.TimeInRange(ev.At) {
		return Classification{}, fmt.Errorf("%w: %s event: the time is outside the range accepted, %s", ErrInvalidEvent, ev.Kind, jsonin.TimeRange)
	}
	if now := w.opts.Now(); ev.At.After(now.Add(w.opts.FutureTolerance)) {
		return Classification{}, fmt.Errorf("%w: %s event at %s is more than %s after the clock's %s", ErrFutureEvent, ev.Kind,
			ev.At.UTC().Format(time.RFC3339), w.opts.FutureTolerance, now.UTC().Format(time.RFC3339))
	}
	if w.last != noTime && ev.At.UnixNano() < w.last {
		return Classification{}, w.outOfOrder(&ev)
	}
	if w.log.next+uint64(w.waiting) > MaxSeq { // the event and the reclassifications before it
		return Classification{}, fmt.Errorf("%w: %s event: the list has reached MaxSeq (%d) events", ErrInvalidEvent, ev.Kind, uint64(MaxSeq))
	}
	// Check the event before recording any reclassification, so a refused change records nothing.
	slot, err := w.checkTagged(&ev, tag)
	if err != nil {
		return Classification{}, err
	}
	if ev.Kind == EventPolicyChanged {
		if err := w.checkPolicyChange(next); err != nil {
			return Classification{}, err
		}
	}
	if err := w.refresh(ev.At); err != nil {
		return Classification{}, err
	}
	ev.Seq = w.log.next
	ev.Policy = w.policy.id
	slot = w.applyChecked(&ev, slot)
	if ev.Kind == EventPolicyChanged {
		w.switchPolicy(next, ev.At)
	}
	if ev.ID != "" && ev.Kind != EventRemoved {
		if r := &w.recs[slot]; r.waiting() {
			return w.policy.classification(int(r.rank), r.cond), nil
		}
	}
	return Classification{}, nil
}

func (c *Compiled) classification(i int, s ConditionSet) Classification {
	t := &c.tiers[i]
	return Classification{Rank: i + 1, Tier: t.name, Matched: t.req, Conditions: s, Citations: t.cite}
}

func (w *Waitlist) outOfOrder(ev *Event) error {
	return fmt.Errorf("%w: %s event at %s is before the last event at %s", ErrOutOfOrder, ev.Kind,
		ev.At.UTC().Format(time.RFC3339Nano), nsTime(w.last).Format(time.RFC3339Nano))
}

// Add puts a on the list at at, recorded as done by actor, and returns her classification.
// A second Add of an identifier still waiting fails with ErrDuplicateID (an identifier that
// left the list may come back); invalid facts, or facts dated after at (a time sought, a
// delivery), with ErrInvalidApplicant.
func (w *Waitlist) Add(a Applicant, at time.Time, actor string) (Classification, error) {
	return w.mutate(Event{Kind: EventAdded, At: at, Actor: actor, ID: a.ID, Facts: a})
}

// Update replaces the facts of a person waiting (she delivered, he reports injecting drug
// use) and reclassifies her at at. a.SoughtAt may be zero (kept) or must equal the recorded
// one. What was owed before stays owed.
func (w *Waitlist) Update(a Applicant, at time.Time, actor string) (Classification, error) {
	w.mu.RLock()
	slot, ok := w.byID.get(w, a.ID)
	if ok && a.SoughtAt.IsZero() {
		a.SoughtAt = nsTime(w.recs[slot].sought)
	}
	w.mu.RUnlock()
	return w.mutate(Event{Kind: EventFactsUpdated, At: at, Actor: actor, ID: a.ID, Facts: a})
}

func discard(_ Classification, err error) error { return err }

// RecordContact records an attempt at at to reach the person, and whether it succeeded
// (45 CFR 96.126(c): contact kept with those waiting).
func (w *Waitlist) RecordContact(id string, reached bool, at time.Time, actor string) error {
	return discard(w.mutate(Event{Kind: EventContactAttempted, At: at, Actor: actor, ID: id, Reached: reached}))
}

// DeliverInterim records that interim-services element e was made available to the person at at.
func (w *Waitlist) DeliverInterim(id string, e InterimElement, at time.Time, actor string) error {
	return discard(w.mutate(Event{Kind: EventInterimDelivered, At: at, Actor: actor, ID: id, Element: e}))
}

// ReferToState records that the program referred a pregnant woman to the State at at
// (45 CFR 96.131(c)).
func (w *Waitlist) ReferToState(id string, at time.Time, actor string) error {
	return discard(w.mutate(Event{Kind: EventStateReferred, At: at, Actor: actor, ID: id}))
}

// Remove takes the person off the list at at for reason: admitted (to the program of this
// list), admitted elsewhere, declined, or unreachable, which is refused with
// ErrRemovalNotAllowed unless the policy's removal rule allows it at at (see Removable). Her
// record stays answerable (Obligations, Compliance) until the list is compacted past this
// event.
func (w *Waitlist) Remove(id string, reason RemovalReason, at time.Time, actor string) error {
	return discard(w.mutate(Event{Kind: EventRemoved, At: at, Actor: actor, ID: id, Reason: reason}))
}

// SetOccupancy records a program's beds and occupancy at at. The list derives from these
// events when a program serving people who inject drugs reached 90% of its capacity, from
// which its 7-day notice to the State runs (45 CFR 96.126(a); ProgramObligations), and
// whether any program had a free bed when a pregnant woman was added (the State referral of
// 96.131(c) is owed when none had, or none is recorded, and always when her own
// CapacityAtRequest is not CapacityAvailable). Occupancy more than beds, or negative, is
// refused, and so is a program serving people who inject drugs under a policy for programs
// that do not (ErrInvalidProgram). Once a program is recorded as serving people who inject
// drugs it stays so: an event without ServesInjecting does not reset it.
func (w *Waitlist) SetOccupancy(program string, o Occupancy, at time.Time, actor string) error {
	return discard(w.mutate(Event{Kind: EventOccupancy, At: at, Actor: actor, Program: program, Occupancy: o}))
}

// NotifyCapacity records that the program notified the State at at of reaching 90% of its
// capacity (45 CFR 96.126(a)).
func (w *Waitlist) NotifyCapacity(program string, at time.Time, actor string) error {
	return discard(w.mutate(Event{Kind: EventCapacityNotified, At: at, Actor: actor, Program: program}))
}

// Refresh records, as EventReclassified events at at, every tier change that the passage of
// time alone brought by at, and returns how many there were. Changes do this themselves;
// reads judge such changes without recording them.
func (w *Waitlist) Refresh(at time.Time) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.policy == nil {
		return 0, errNoPolicy
	}
	if w.opts.Now == nil {
		return 0, fmt.Errorf("%w: the list has no clock (give WaitlistOptions.Now with SetOptions)", ErrInvalidOptions)
	}
	if !jsonin.TimeInRange(at) {
		return 0, fmt.Errorf("%w: the time is outside the range accepted, %s", ErrInvalidEvent, jsonin.TimeRange)
	}
	if now := w.opts.Now(); at.After(now.Add(w.opts.FutureTolerance)) {
		return 0, fmt.Errorf("%w: refresh at %s is more than %s after the clock's %s", ErrFutureEvent, at.UTC().Format(time.RFC3339), w.opts.FutureTolerance, now.UTC().Format(time.RFC3339))
	}
	if w.last != noTime && at.UnixNano() < w.last {
		return 0, fmt.Errorf("%w: refresh at %s is before the last event", ErrOutOfOrder, at.UTC().Format(time.RFC3339Nano))
	}
	if w.log.next-1+uint64(w.waiting) > MaxSeq {
		return 0, fmt.Errorf("%w: the list has reached MaxSeq (%d) events", ErrInvalidEvent, uint64(MaxSeq))
	}
	n := w.log.next
	err := w.refresh(at)
	return int(w.log.next - n), err
}

// refresh records the reclassifications due by at. Each person is reclassified at most once
// (her next change then lies after at), so the loop is bounded by the number waiting.
func (w *Waitlist) refresh(at time.Time) error {
	ns := at.UnixNano() + 1 // changes at or before at
	var due []uint32
	w.chg.before(ns, true, w.aliveChg, func(it witem) bool {
		due = append(due, it.slot)
		return true
	})
	if len(due) > w.waiting {
		return fmt.Errorf("%w: more reclassifications (%d) than people waiting (%d)", ErrInvalidEvent, len(due), w.waiting)
	}
	for _, slot := range due {
		ev := Event{Seq: w.log.next, Kind: EventReclassified, At: at, Policy: w.policy.id, ID: w.idOf(&w.recs[slot])}
		w.applyChecked(&ev, slot)
	}
	return nil
}

// Apply applies one recorded event: its Seq must be the next number, its Policy the list's
// policy identity, its Prev the hash of the list's last event, and its time no earlier than
// the last event's. Apply does not add EventReclassified events (a list's own events
// include them) and does not consult the clock: it replays what was recorded.
func (w *Waitlist) Apply(ev Event) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.apply(&ev, true)
}

// quoteID writes a patient identifier into a message: quoted when it follows the identifier
// rule, left out when it does not (it might be a name or other text).
func quoteID(id string) string {
	if ident.Valid(id) {
		return ident.Quote(id)
	}
	return "(an identifier that does not follow the rule)"
}

// quotePolicyID writes a policy identity into a message: as is when it has the form of one
// ("sha256:" and 64 hex digits, which holds no other text), left out when it does not (a
// stored event's policy field could hold any text).
func quotePolicyID(id string) string {
	if validPolicyID(id) {
		return id
	}
	return "(a policy identity that does not have the form sha256:<64 hex digits>)"
}

func invalidEvent(ev *Event, msg string) error {
	id := ""
	if ev.ID != "" {
		id = " for " + quoteID(ev.ID)
	}
	return fmt.Errorf("%w: %s event%s: %s", ErrInvalidEvent, ev.Kind, id, msg)
}

// check checks an event against its shape and the list's state, without changing anything,
// and returns the slot of the record it is about (0 for an added person or a program event).
func (w *Waitlist) check(ev *Event) (uint32, error) { return w.checkTagged(ev, w.byID.tagOf(ev.ID)) }

// checkTagged is check, given the tag of ev.ID in the identifier index.
func (w *Waitlist) checkTagged(ev *Event, tag uint32) (uint32, error) {
	if !ev.Kind.IsValid() {
		return 0, fmt.Errorf("%w: unknown event kind %d", ErrInvalidEvent, uint8(ev.Kind))
	}
	program := ev.Kind == EventOccupancy || ev.Kind == EventCapacityNotified
	person := !program && ev.Kind != EventPolicyChanged
	withFacts := ev.Kind == EventAdded || ev.Kind == EventFactsUpdated
	switch {
	case person && !withFacts && !ident.Valid(ev.ID):
		return 0, invalidEvent(ev, "the patient identifier does not follow the rule: "+ident.Rule)
	case !person && ev.ID != "":
		return 0, invalidEvent(ev, "a program or policy event names no person")
	case program && !ident.Valid(ev.Program):
		return 0, invalidEvent(ev, "the program identifier does not follow the rule: "+ident.Rule)
	case ev.Kind == EventPolicyChanged && ev.Program != "":
		return 0, invalidEvent(ev, "a policy event names no program")
	case (ev.NewPolicy != "") != (ev.Kind == EventPolicyChanged) || ev.Kind == EventPolicyChanged && !validPolicyID(ev.NewPolicy):
		return 0, invalidEvent(ev, "a new policy belongs to policy_changed events only, and those need a policy identity (sha256: and 64 hex digits)")
	case ev.Kind == EventPolicyChanged && ev.NewPolicy == w.policy.id:
		return 0, invalidEvent(ev, "the new policy is the list's own")
	case person && ev.Program != "":
		return 0, invalidEvent(ev, "only program events name a program")
	case (ev.Kind == EventReclassified) != (ev.Actor == ""):
		return 0, invalidEvent(ev, "every change but a reclassification names its actor, under the identifier rule")
	case ev.Actor != "" && !validActor(ev.Actor):
		return 0, invalidEvent(ev, "the actor does not follow the rule: "+ident.Rule)
	case (ev.Facts != Applicant{}) != (ev.Kind == EventAdded || ev.Kind == EventFactsUpdated):
		return 0, invalidEvent(ev, "facts belong to added and facts_updated events only, and those need them")
	case ev.Reached && ev.Kind != EventContactAttempted:
		return 0, invalidEvent(ev, "reached belongs to contact_attempted events only")
	case (ev.Element != ElementUnknown) != (ev.Kind == EventInterimDelivered) || ev.Kind == EventInterimDelivered && !ev.Element.IsValid():
		return 0, invalidEvent(ev, "an element belongs to interim_delivered events only, and those need a valid one")
	case (ev.Reason != RemovalUnknown) != (ev.Kind == EventRemoved) || ev.Kind == EventRemoved && !ev.Reason.IsValid():
		return 0, invalidEvent(ev, "a reason belongs to removed events only, and those need a valid one")
	case ev.Occupancy != (Occupancy{}) && ev.Kind != EventOccupancy:
		return 0, invalidEvent(ev, "occupancy belongs to occupancy events only")
	}
	if !person {
		switch ev.Kind {
		case EventOccupancy:
			o := ev.Occupancy
			if o.Beds < 0 || o.Occupied < 0 || o.Occupied > o.Beds || o.Beds > MaxBeds {
				return 0, invalidEvent(ev, fmt.Sprintf("occupancy needs 0 <= occupied <= beds <= %d", MaxBeds))
			}
			// 45 CFR 96.131(a): "Programs which serve an injecting drug abuse population ...
			// shall give preference to treatment as follows: (1) Pregnant injecting drug
			// users; (2) Other pregnant substance abusers; (3) Other injecting drug users;
			// (4) All others." A policy for programs without that population lacks the
			// order, so a list under it refuses a program that serves it (as
			// Compiled.Obligations and ProgramObligations do).
			if o.ServesInjecting && !w.policy.ForInjectingPopulation() {
				return 0, fmt.Errorf("%w: program %s serves people who inject drugs; the list's policy is for programs that do not and lacks the order of 45 CFR 96.131(a) (policy_not_for_injecting_population)",
					ErrInvalidProgram, ident.Quote(ev.Program))
			}
		case EventCapacityNotified:
			if _, ok := w.programs[ev.Program]; !ok {
				return 0, fmt.Errorf("%w: program %s has no recorded occupancy", ErrNotFound, ident.Quote(ev.Program))
			}
		}
		return 0, nil
	}
	// The facts are judged before the look-up, so that this work overlaps the wait for the
	// index's line; their error is reported after the identifier's, as always.
	var factsErr error
	switch ev.Kind {
	case EventAdded, EventFactsUpdated:
		var pr problems
		ev.Facts.validate(&pr, "facts")
		if ev.Facts.ID != ev.ID {
			pr.addAt("facts_id_differs", "facts.id", CiteWaitingList, "The facts name another identifier than the event.")
		}
		after := false
		for _, t := range []time.Time{ev.Facts.SoughtAt, ev.Facts.Pregnancy.DeliveredAt, ev.Facts.PriorDeliveryAt, ev.Facts.DeliveredAt} {
			if !t.IsZero() && t.After(ev.At) {
				after = true
			}
		}
		// A last menstrual period is a past date: one after the day recorded (a day of
		// tolerance for time zones) is a typing error, such as the year.
		if lmp := ev.Facts.Pregnancy.LMP; !lmp.IsZero() && civilDay(lmp) > civilDay(ev.At)+1 {
			after = true
		}
		if after {
			pr.addAt("facts_after_event", "facts", CiteWaitingList, "A time of the facts (sought, delivered, last menstrual period) is after the moment they are recorded.")
		}
		factsErr = pr.err(ErrInvalidApplicant)
	}
	pf := pfNone
	if ev.Kind == EventRemoved || ev.Kind == EventFactsUpdated {
		pf = pfAll // her leaf is read at the same time as her record
	}
	slot, held := w.byID.lookupTag(w, ev.ID, tag, pf)
	waiting := held && w.recs[slot].waiting()
	switch {
	case ev.Kind == EventAdded && waiting:
		return 0, fmt.Errorf("%w: %s", ErrDuplicateID, quoteID(ev.ID))
	case ev.Kind != EventAdded && !held:
		return 0, fmt.Errorf("%w: %s", ErrNotFound, quoteID(ev.ID))
	case ev.Kind != EventAdded && !waiting:
		return 0, fmt.Errorf("%w: %s", ErrNotWaiting, quoteID(ev.ID))
	}
	if factsErr != nil {
		return 0, factsErr
	}
	r := &w.recs[slot]
	switch ev.Kind {
	case EventFactsUpdated:
		if ev.Facts.SoughtAt.UnixNano() != r.sought {
			return 0, invalidEvent(ev, "the time sought cannot change")
		}
	case EventRemoved:
		if ev.Reason == RemovalUnreachable && !w.removable(r, ev.At) {
			return 0, fmt.Errorf("%w: %s at %s", ErrRemovalNotAllowed, quoteID(ev.ID), ev.At.UTC().Format(time.RFC3339))
		}
	}
	return slot, nil
}

// apply checks and applies ev as the list's next event and records it. replay says ev comes
// from a record (Apply, Rebuild, decoding): then its Seq, Policy and Prev are checked.
// errNoPolicy is returned by a Waitlist's methods when it was not made by NewWaitlist (or
// Rebuild, RestoreWaitlist, DecodeWaitlist).
var errNoPolicy = fmt.Errorf("%w: the waitlist has no policy (use NewWaitlist)", ErrInvalidPolicy)

func (w *Waitlist) apply(ev *Event, replay bool) error {
	if w.policy == nil {
		return errNoPolicy
	}
	if ev.Seq != w.log.next {
		return fmt.Errorf("%w: event seq %d, expected %d", ErrOutOfOrder, ev.Seq, w.log.next)
	}
	if ev.Policy != w.policy.id {
		return fmt.Errorf("%w: event %d names policy %s, the list's is %s", ErrPolicyMismatch, ev.Seq, quotePolicyID(ev.Policy), w.policy.id)
	}
	if !jsonin.TimeInRange(ev.At) {
		return invalidEvent(ev, "the time is outside the range accepted, "+jsonin.TimeRange)
	}
	if w.last != noTime && ev.At.UnixNano() < w.last {
		return w.outOfOrder(ev)
	}
	if replay {
		w.log.hashAll()
		if ev.Prev != hexHash(w.log.head) {
			return fmt.Errorf("%w: event %d does not follow the list's last event (prev hash differs)", ErrBrokenChain, ev.Seq)
		}
	}
	var next *Compiled
	if ev.Kind == EventPolicyChanged {
		if next = w.known[ev.NewPolicy]; next == nil {
			return fmt.Errorf("%w: event %d moves the list to policy %s, which was not given (replay a change of policy with RebuildAcross or RestoreWaitlistAcross)",
				ErrPolicyMismatch, ev.Seq, quotePolicyID(ev.NewPolicy))
		}
	}
	slot, err := w.check(ev)
	if err != nil {
		return err
	}
	if next != nil {
		if err := w.checkPolicyChange(next); err != nil {
			return err
		}
	}
	w.applyChecked(ev, slot)
	if next != nil {
		w.switchPolicy(next, ev.At)
	}
	return nil
}

// checkPolicyChange refuses a move to the policy c that the list's programs do not allow:
// a policy for programs without people who inject drugs while a program is recorded as
// serving them (ErrInvalidProgram, as SetOccupancy refuses such a program under such a
// policy). 45 CFR 96.131(a) orders admission for "Programs which serve an injecting drug
// abuse population", and 96.126(a) owes their 90% capacity notice to the State; a policy
// without that population has neither, so the move would leave the notice unanswerable.
// Once recorded as serving them a program stays so (SetOccupancy), so such a list cannot
// move to such a policy.
func (w *Waitlist) checkPolicyChange(c *Compiled) error {
	if c.ForInjectingPopulation() {
		return nil
	}
	ids := make([]string, 0, 1)
	for id, p := range w.programs {
		if p.occ.ServesInjecting {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	return fmt.Errorf("%w: program %s serves people who inject drugs; the new policy is for programs that do not and lacks the order of 45 CFR 96.131(a) (policy_not_for_injecting_population)",
		ErrInvalidProgram, ident.Quote(ids[0]))
}

// switchPolicy moves the list to the policy c at at, after its EventPolicyChanged was
// recorded: the events after it are recorded under c, and every person waiting is
// reclassified under c (tier, owed interim elements, deadlines, next change). What was owed
// and done stays: owed sets only grow, and elements c owes that the previous policy did not
// are owed from at (see place).
func (w *Waitlist) switchPolicy(c *Compiled, at time.Time) {
	w.fixReferralDues()
	w.policy = c
	w.log.policy = c.id
	w.policyChanged = true
	slots := make([]uint32, 0, w.waiting)
	w.order.ascend(func(_ k128, slot uint32) bool {
		slots = append(slots, slot)
		return true
	})
	for _, slot := range slots {
		w.unplace(slot)
		w.place(slot, at)
	}
}

// fixReferralDues fixes, before the list moves to another policy, the due time of every
// State referral owed or made (people waiting, and the departed records the list holds) under
// the policy in force, so that the move never re-judges it. 45 CFR 96.131(c) (42 U.S.C.
// 300x-27(b)(1)) owes the referral when the facility "has insufficient capacity" for a
// pregnant woman who seeks treatment: the obligation arises then, and its deadline (the
// policy's StateReferralHours, the package's reading of the unstated time) is the one of the
// policy in force when it arose. A later policy cannot make a referral made on time late, nor
// a late one on time (96.126(c) "systematic reporting": a report of a past period must not
// change when a later policy is adopted). Obligations that arise after the move take the new
// policy's deadline.
func (w *Waitlist) fixReferralDues() {
	fix := func(slot uint32) {
		r := &w.recs[slot]
		if !r.ever.Has(ConditionPregnant) || !r.referral && w.referredAt(r) == noTime {
			return // no referral obligation has arisen
		}
		if x := w.progOf(r); x != nil && x.referralDue != noTime {
			return
		}
		due := w.referralDue(r)
		w.prog(r).referralDue = due
	}
	w.order.ascend(func(_ k128, slot uint32) bool {
		fix(slot)
		return true
	})
	for _, slot := range w.departed {
		fix(slot)
	}
}

// ChangePolicy moves the list to the compiled policy c at at, recorded as done by actor: an
// EventPolicyChanged, recorded under the list's policy and naming c's identity, after which
// every event is recorded under c. Every person waiting is reclassified under c at at (a
// State's amended order applies from then on); arrival order, facts, contacts, interim
// services made available, referrals and what was owed are kept, and so are the records of
// people who left; obligations c owes that the previous policy did not are owed from at.
// An obligation keeps the deadline of the policy in force when it arose: a State referral
// owed or made before the change (45 CFR 96.131(c)) stays due StateReferralHours of the
// previous policy after the request, so a referral made on time stays met and a late one
// stays met_late (see fixReferralDues); referrals that become owed after it are due under c.
// Only the State referral's deadline is fixed so: the other deadlines (interim services,
// admission within 14 or 120 days, the capacity notice) are judged after the change by c's
// way of counting days (elapsed time, or calendar days in c's zone), so a change of counting
// moves those already running by up to a day. Keep the counting when amending a policy, or
// judge the earlier deadlines from the records saved before the change.
// It is how a list is carried to an amended policy (45 CFR 96.126(c) "a waiting list ...
// while awaiting admission", 96.126(a) "a continually updated record"): never silently,
// always as an event in the chain.
//
// It is refused with ErrInvalidPolicy for a nil policy, ErrInvalidEvent when c is the
// list's own policy, ErrInvalidProgram when c is for programs that do not serve people who
// inject drugs (NoInjectingPopulation) while a program of the list is recorded as serving
// them (45 CFR 96.131(a), 96.126(a); the list is left unchanged), and with the errors of
// every change (clock, actor, time order).
// Rebuild, RestoreWaitlist and Apply refuse a log holding a change of policy
// (ErrPolicyMismatch): replay it with RebuildAcross (from the first event) or
// RestoreWaitlistAcross (from a snapshot), given every policy it names. A list that changed policy is saved
// (MarshalJSON) as a snapshot under its new policy.
func (w *Waitlist) ChangePolicy(c *Compiled, at time.Time, actor string) error {
	if c == nil {
		return fmt.Errorf("%w: nil policy", ErrInvalidPolicy)
	}
	return discard(w.mutateTo(Event{Kind: EventPolicyChanged, At: at, Actor: actor, NewPolicy: c.id}, c))
}

// RebuildAcross is Rebuild for events that may change policy (EventPolicyChanged): the list
// starts under the policy of policies whose identity the first event names, and moves to
// the policy each change names, which must be among policies (ErrPolicyMismatch otherwise).
func RebuildAcross(events []Event, policies ...*Compiled) (*Waitlist, error) {
	known := make(map[string]*Compiled, len(policies))
	for _, c := range policies {
		if c == nil {
			return nil, fmt.Errorf("%w: nil policy", ErrInvalidPolicy)
		}
		known[c.id] = c
	}
	if len(events) == 0 {
		if len(policies) == 0 {
			return nil, fmt.Errorf("%w: no policy", ErrInvalidPolicy)
		}
		return newWaitlist(policies[0]), nil
	}
	first := known[events[0].Policy]
	if first == nil {
		return nil, fmt.Errorf("%w: the first event names policy %s, which was not given", ErrPolicyMismatch, quotePolicyID(events[0].Policy))
	}
	w := newWaitlist(first)
	w.known = known
	for i := range events {
		if err := w.apply(&events[i], true); err != nil {
			return nil, fmt.Errorf("event %d: %w", events[i].Seq, err)
		}
	}
	w.known = nil
	return w, nil
}

// applyChecked applies and records ev, which check accepted; slot is the record check
// found for ev.ID. It returns the slot of the person the event is about (for an added
// person, her new record's), 0 for a program event.
func (w *Waitlist) applyChecked(ev *Event, slot uint32) uint32 {
	at := ev.At
	switch ev.Kind {
	case EventAdded:
		slot = w.add(ev, at)
	case EventFactsUpdated:
		r := &w.recs[slot]
		w.unplace(slot)
		wasPregnant := r.ever.Has(ConditionPregnant)
		w.setFacts(r, &ev.Facts)
		w.place(slot, at)
		if !wasPregnant && r.ever.Has(ConditionPregnant) && w.referralOwed(r) {
			r.referral = true
			// A pregnancy that began after the request (by its dating) owes the referral
			// of 96.131(c) from when it is recorded, not from a request she made when not
			// pregnant.
			sought := nsTime(r.sought)
			if !w.condsAt(r, sought).Has(ConditionPregnant) && at.After(sought.Add(time.Duration(w.policy.referralHours)*time.Hour)) {
				x := w.prog(r)
				x.referralFrom, x.referralDue = at.UnixNano(), noTime // arises now, under the list's policy
			}
			w.replaceDL(slot)
		}
	case EventReclassified:
		w.unplace(slot)
		w.place(slot, at)
	case EventContactAttempted:
		x := w.prog(&w.recs[slot])
		x.attempts++
		x.lastAttempt = at.UnixNano()
		if ev.Reached {
			x.failedInRow = 0
			x.lastReach = at.UnixNano()
		} else {
			x.failedInRow++
		}
	case EventInterimDelivered:
		x := w.prog(&w.recs[slot])
		if x.interim[ev.Element-1] == noTime {
			x.interim[ev.Element-1] = at.UnixNano()
		}
		w.replaceDL(slot)
	case EventStateReferred:
		if x := w.prog(&w.recs[slot]); x.referred == noTime {
			x.referred = at.UnixNano()
		}
		w.replaceDL(slot)
	case EventRemoved:
		w.unplace(slot)
		r := &w.recs[slot]
		r.left, r.reason = at.UnixNano(), ev.Reason
		r.setDepSeq(ev.Seq)
		w.waiting--
		w.departed = append(w.departed, slot)
	case EventOccupancy:
		w.occupancy(ev)
	case EventCapacityNotified:
		w.programs[ev.Program].notified = at.UnixNano()
	}
	w.enc = appendEvent(w.enc[:0], ev)
	w.log.append(w.enc)
	w.last = at.UnixNano()
	return slot
}

func hexHash(h [32]byte) string { return hex.EncodeToString(h[:]) }

// add enters a new person and returns her record's slot.
func (w *Waitlist) add(ev *Event, at time.Time) uint32 {
	var slot uint32
	if n := len(w.freeSlots); n > 0 {
		slot = w.freeSlots[n-1]
		w.freeSlots = w.freeSlots[:n-1]
	} else {
		w.recs = append(w.recs, rec{})
		slot = uint32(len(w.recs) - 1)
	}
	w.arrivals++
	w.recs[slot] = rec{arrival: w.arrivals, left: noTime, dl: noPos, chg: noPos}
	r := &w.recs[slot]
	w.setFacts(r, &ev.Facts)
	w.byID.set(w, ev.ID, slot)
	w.waiting++
	w.place(slot, at)
	if r.ever.Has(ConditionPregnant) && w.referralOwed(r) {
		r.referral = true
		w.replaceDL(slot)
	}
	return slot
}

// occupancy applies an occupancy event. A program serving people who inject drugs that
// rises to 90% or more (from below, from no record, or from not being recorded as serving
// them) has reached 90% at this moment, unless an earlier reach is still waiting for its
// notice: one notice answers both.
func (w *Waitlist) occupancy(ev *Event) {
	p := w.programs[ev.Program]
	if p == nil {
		p = &progState{reached: noTime, notified: noTime}
		w.programs[ev.Program] = p
	}
	// Serving people who inject drugs is kept once recorded: an occupancy event without the
	// flag (serves_injecting is omitted from JSON when false, as a bed-count feed sends it)
	// does not reset it, so an owed 7-day notice never vanishes with it (96.126(a): "a
	// continually updated record of all such reports"). A program that was at 90% before it
	// was recorded as serving them reaches 90% as a program of 96.126(a) when the flag is
	// set.
	served := p.occ.ServesInjecting
	before := served && Program{Beds: p.occ.Beds, Occupied: p.occ.Occupied}.AtNinetyPercent()
	p.occ = ev.Occupancy
	p.occ.ServesInjecting = p.occ.ServesInjecting || served
	now := Program{Beds: p.occ.Beds, Occupied: p.occ.Occupied}.AtNinetyPercent()
	if now && !before && p.occ.ServesInjecting {
		answered := p.reached != noTime && p.notified != noTime && p.notified >= p.reached
		if p.reached == noTime || answered {
			p.reached = ev.At.UnixNano()
		}
	}
}

func (w *Waitlist) removable(r *rec, at time.Time) bool {
	rule := w.policy.policy.Removal
	var failed uint32
	from := nsTime(r.sought)
	if x := w.progOf(r); x != nil {
		failed = x.failedInRow
		if x.lastReach != noTime {
			from = nsTime(x.lastReach)
		}
	}
	if rule.AfterFailedContacts > 0 && failed >= uint32(rule.AfterFailedContacts) {
		return true
	}
	if rule.AfterDaysWithoutContact > 0 {
		// Removable once the days have passed: from the first instant after the deadline in
		// calendar-day mode (the day after the last day counted), at the deadline in elapsed
		// mode (N×24 hours), as before calendar deadlines ended with their last instant.
		d := w.policy.AfterDays(from, rule.AfterDaysWithoutContact)
		if w.policy.loc != nil {
			d = d.Add(time.Nanosecond)
		}
		return !at.Before(d)
	}
	return false
}
