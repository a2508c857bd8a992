package priority

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/dyad-health/dyad/internal/ident"
	"github.com/dyad-health/dyad/internal/jsonin"
)

// Contacts is the record of attempts to keep in contact with a person waiting (45 CFR 96.126(c)).
type Contacts struct {
	Attempts      int       `json:"attempts"`                 // all attempts
	FailedInRow   int       `json:"failed_in_row"`            // failed attempts since the last successful one
	LastAttemptAt time.Time `json:"last_attempt_at,omitzero"` // zero if none
	LastReachedAt time.Time `json:"last_reached_at,omitzero"` // zero if never reached
}

// Waiting is a person on the waitlist (or who was, until the list is compacted) as a value:
// the facts, the classification at the moment judged and what has been done.
type Waiting struct {
	Applicant      Applicant      `json:"applicant"`
	Classification Classification `json:"classification"` // zero for a person who has left
	// ClassifiedAt is the moment judged.
	ClassifiedAt time.Time `json:"classified_at"`
	// Arrival numbers people in the order they joined the waitlist; it breaks ties of time sought.
	Arrival         int64         `json:"arrival"`
	Contacts        Contacts      `json:"contacts"`
	Interim         InterimRecord `json:"interim"`
	StateReferredAt time.Time     `json:"state_referred_at,omitzero"`
	// LeftAt is when the person left the list (zero while waiting), and LeftReason why.
	LeftAt     time.Time     `json:"left_at,omitzero"`
	LeftReason RemovalReason `json:"left_reason,omitzero"`
}

// Eligibility filters who may take a bed: everyone whose conditions at the moment judged
// include all of AllOf, at least one of AnyOf (when AnyOf is not empty) and none of NoneOf.
// The zero value admits everyone.
type Eligibility struct {
	AllOf  ConditionSet `json:"all_of,omitzero"`
	AnyOf  ConditionSet `json:"any_of,omitzero"`
	NoneOf ConditionSet `json:"none_of,omitzero"`
}

// Everyone is the Eligibility that admits everyone.
var Everyone = Eligibility{}

// WomensProgram returns the eligibility of a bed in a program for pregnant women and women
// with dependent children (45 CFR 96.124(c), (e)): a woman who is pregnant or has dependent
// children. (Record a newborn as a dependent child: a postpartum woman caring for her infant
// has one.)
func WomensProgram() Eligibility {
	return Eligibility{AllOf: NewConditionSet(ConditionWoman), AnyOf: NewConditionSet(ConditionPregnant, ConditionDependentChildren)}
}

// Admits reports whether a person for whom the conditions s hold is eligible.
func (e Eligibility) Admits(s ConditionSet) bool {
	return s.Contains(e.AllOf) && (e.AnyOf == 0 || s&e.AnyOf != 0) && s&e.NoneOf == 0
}

// checkRead refuses a moment outside the accepted range or before the list's last event.
func (w *Waitlist) checkRead(at time.Time) error {
	if w.policy == nil {
		return errNoPolicy
	}
	if !jsonin.TimeInRange(at) {
		return fmt.Errorf("%w: the moment judged is outside the range accepted, %s", ErrInvalidEvent, jsonin.TimeRange)
	}
	if w.last != noTime && at.UnixNano() < w.last {
		return fmt.Errorf("%w: %s is before the last event at %s", ErrPastMoment, at.UTC().Format(time.RFC3339Nano), nsTime(w.last).Format(time.RFC3339Nano))
	}
	return nil
}

// pendingChange is a person whose tier time alone changed between the list's last
// reclassification and the moment judged.
type pendingChange struct {
	slot uint32
	cond ConditionSet
	rank uint8
	key  k128 // the key she would have
}

// pendingAt returns the people whose conditions at at differ from those recorded, with
// those at at. There are none unless a postpartum window (or a pregnancy recorded to end)
// ended since the last change.
func (w *Waitlist) pendingAt(at time.Time) []pendingChange {
	var out []pendingChange
	w.chg.before(at.UnixNano()+1, false, w.aliveChg, func(it witem) bool {
		r := &w.recs[it.slot]
		if c := w.condsAt(r, at); c != r.cond {
			rank := uint8(w.policy.rankOf(c))
			out = append(out, pendingChange{slot: it.slot, cond: c, rank: rank, key: orderKey(rank, r.sought, r.arrival)})
		}
		return true
	})
	slices.SortFunc(out, func(a, b pendingChange) int {
		if a.key.less(b.key) {
			return -1
		}
		return 1
	})
	return out
}

func findPending(p []pendingChange, slot uint32) int {
	for i := range p {
		if p[i].slot == slot {
			return i
		}
	}
	return -1
}

// view returns the person at slot as judged at at, with conditions cond and rank (0-based).
func (w *Waitlist) view(slot uint32, cond ConditionSet, rank uint8, at time.Time) Waiting {
	r := &w.recs[slot]
	v := Waiting{Applicant: w.applicant(r), ClassifiedAt: at, Arrival: int64(r.arrival), Interim: w.interimRecord(r),
		LeftAt: timeOf(r.left), LeftReason: r.reason}
	if r.waiting() {
		v.Classification = w.policy.classification(int(rank), cond)
	}
	if x := w.progOf(r); x != nil {
		v.Contacts = Contacts{Attempts: int(x.attempts), FailedInRow: int(x.failedInRow), LastAttemptAt: timeOf(x.lastAttempt), LastReachedAt: timeOf(x.lastReach)}
		v.StateReferredAt = timeOf(x.referred)
	}
	return v
}

// Len returns the number of people waiting.
func (w *Waitlist) Len() int {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.waiting
}

// walk calls f with the people waiting in admission order at at, while f returns true.
func (w *Waitlist) walk(at time.Time, f func(slot uint32, cond ConditionSet, rank uint8) bool) {
	pend := w.pendingAt(at)
	pi := 0
	w.order.ascend(func(k k128, slot uint32) bool {
		for pi < len(pend) && pend[pi].key.less(k) {
			p := pend[pi]
			pi++
			if !f(p.slot, p.cond, p.rank) {
				return false
			}
		}
		if findPending(pend, slot) >= 0 {
			return true // she is placed elsewhere at at
		}
		r := &w.recs[slot]
		return f(slot, r.cond, r.rank)
	})
	for ; pi < len(pend); pi++ {
		p := pend[pi]
		if !f(p.slot, p.cond, p.rank) {
			return
		}
	}
}

// Next returns the person to admit next at at among those eligible (Everyone for all; see
// WomensProgram), and false if none is. It costs O(log n), plus one step per person it
// passes over as ineligible.
func (w *Waitlist) Next(at time.Time, e Eligibility) (Waiting, bool, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if err := w.checkRead(at); err != nil {
		return Waiting{}, false, err
	}
	var out Waiting
	found := false
	w.walk(at, func(slot uint32, cond ConditionSet, rank uint8) bool {
		if !e.Admits(cond) {
			return true
		}
		out, found = w.view(slot, cond, rank, at), true
		return false
	})
	return out, found, nil
}

// Head returns the first n people eligible at at in admission order (every one if n <= 0).
func (w *Waitlist) Head(n int, at time.Time, e Eligibility) ([]Waiting, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if err := w.checkRead(at); err != nil {
		return nil, err
	}
	if n <= 0 || n > w.waiting {
		n = w.waiting
	}
	out := make([]Waiting, 0, n)
	w.walk(at, func(slot uint32, cond ConditionSet, rank uint8) bool {
		if len(out) == n {
			return false
		}
		if e.Admits(cond) {
			out = append(out, w.view(slot, cond, rank, at))
		}
		return true
	})
	return out, nil
}

// lookup returns the slot of id, or ErrNotFound.
func (w *Waitlist) lookup(id string) (uint32, error) {
	slot, ok := w.byID.get(w, id)
	if !ok {
		return 0, fmt.Errorf("%w: %s", ErrNotFound, quoteID(id))
	}
	return slot, nil
}

// Position returns the 1-based place of the person in the admission order at at.
func (w *Waitlist) Position(id string, at time.Time) (int, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if err := w.checkRead(at); err != nil {
		return 0, err
	}
	slot, ok := w.byID.lookup(w, id, pfLookup) // her leaf is read at the same time as her record
	if !ok {
		return 0, fmt.Errorf("%w: %s", ErrNotFound, quoteID(id))
	}
	r := &w.recs[slot]
	if !r.waiting() {
		return 0, fmt.Errorf("%w: %s", ErrNotWaiting, quoteID(id))
	}
	pend := w.pendingAt(at)
	key := r.orderKey()
	var n int
	if i := findPending(pend, slot); i >= 0 {
		key = pend[i].key
		n = w.order.countLess(key)
	} else {
		if n = w.order.rankOf(w.byID.leafOf(r), slot); n < 0 {
			n = w.order.countLess(key) // not reached while the handles hold (TestIndexesAgreeWithRecords)
		}
	}
	for _, p := range pend {
		if w.recs[p.slot].orderKey().less(key) {
			n-- // counted where she was recorded
		}
		if p.key.less(key) {
			n++ // where she is at at (never herself: her key is not less than itself)
		}
	}
	return n + 1, nil
}

// Get returns the person with the identifier as judged at at: waiting, or left and not yet
// compacted away.
func (w *Waitlist) Get(id string, at time.Time) (Waiting, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if err := w.checkRead(at); err != nil {
		return Waiting{}, err
	}
	slot, err := w.lookup(id)
	if err != nil {
		return Waiting{}, err
	}
	r := &w.recs[slot]
	cond := r.cond
	if r.waiting() {
		cond = w.condsAt(r, at)
	}
	return w.view(slot, cond, uint8(w.policy.rankOf(cond)), at), nil
}

// factsOf returns the facts the obligations toward r are judged from at at.
func (w *Waitlist) factsOf(r *rec, a *Applicant, at time.Time) facts {
	judged := at
	if !r.waiting() {
		judged = nsTime(r.left)
	}
	f := facts{a: a, owed: r.owed, conds: r.ever | w.condsAt(r, judged), interimAt: timeOf(w.interimComplete(r)),
		referredAt: timeOf(w.referredAt(r)), referralOwed: r.referral, referralFrom: w.referralFrom(r)}
	if x := w.progOf(r); x != nil && x.referralDue != noTime {
		f.referralDue = nsTime(x.referralDue)
	}
	if late, lateAt := w.lateOf(r); late != 0 {
		f.late, f.lateAt, f.lateMet = late, nsTime(lateAt), timeOf(w.completeOver(r, late))
	}
	if np := w.notPlacedSet(r); np != 0 {
		f.interimAt = timeOf(w.completeOver(r, np))
	}
	if !r.waiting() {
		if r.reason == RemovalAdmitted {
			f.admittedAt = nsTime(r.left)
		} else {
			f.leftAt, f.leftReason = nsTime(r.left), r.reason
		}
	}
	return f
}

func (w *Waitlist) obligations(dst []Obligation, slot uint32, at time.Time) []Obligation {
	r := &w.recs[slot]
	a := w.applicant(r)
	f := w.factsOf(r, &a, at)
	return w.policy.appendObligations(dst, &f, at)
}

// Obligations returns every obligation toward the person at at (see Compiled.Obligations),
// judged from what the list recorded: what was owed while she waited, what was done, and
// her admission or removal. A person who left is answered for until the list is compacted
// past her removal.
func (w *Waitlist) Obligations(id string, at time.Time) ([]Obligation, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if err := w.checkRead(at); err != nil {
		return nil, err
	}
	slot, err := w.lookup(id)
	if err != nil {
		return nil, err
	}
	return w.obligations(nil, slot, at), nil
}

// InterimCompliance returns how the person's interim services stand at at.
func (w *Waitlist) InterimCompliance(id string, at time.Time) (InterimCompliance, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if err := w.checkRead(at); err != nil {
		return InterimCompliance{}, err
	}
	slot, err := w.lookup(id)
	if err != nil {
		return InterimCompliance{}, err
	}
	return w.interimCompliance(slot, at), nil
}

func (w *Waitlist) interimCompliance(slot uint32, at time.Time) InterimCompliance {
	r := &w.recs[slot]
	end := time.Time{}
	if !r.waiting() {
		end = nsTime(r.left)
	}
	owed, due := w.onTimeOwed(r), nsTime(r.sought).Add(InterimWindow)
	if np := w.notPlacedSet(r); np != 0 && w.policy.notPlacedOwed(nsTime(r.sought), timeOf(r.left), at) {
		owed, due = np, w.policy.AfterDays(nsTime(r.sought), AdmissionDays)
	}
	ic := interimCompliance(owed, due, w.interimRecord(r), end, at)
	if ic.Status == StatusClosed && r.reason == RemovalAdmitted {
		ic.Status = StatusMet // admitted within 48 hours: nothing was owed while waiting
	}
	return ic
}

// ComplianceRecord is what a State reports of one person under 45 CFR 96.126(c) (systematic
// reporting of treatment demand) and 96.131: when she sought treatment, whether she still
// waits or when and why she left, how her interim services stand (met, met late, missed),
// within how many days she had to be admitted (14, or 120 under 96.126(b)(2)) and every
// obligation with its status.
type ComplianceRecord struct {
	ID       string    `json:"id"`
	SoughtAt time.Time `json:"sought_at"`
	Arrival  int64     `json:"arrival"`
	Waiting  bool      `json:"waiting"`
	// AdmittedAt is set when she was admitted to this program; LeftAt and LeftReason when
	// she left otherwise.
	AdmittedAt time.Time         `json:"admitted_at,omitzero"`
	LeftAt     time.Time         `json:"left_at,omitzero"`
	LeftReason RemovalReason     `json:"left_reason,omitzero"`
	Interim    InterimCompliance `json:"interim"`
	// AdmissionDays is 14 or 120 for a person who injects drugs, 0 for anyone else.
	AdmissionDays int          `json:"admission_days,omitempty"`
	Obligations   []Obligation `json:"obligations"`
}

// Compliance returns the person's compliance record at at.
func (w *Waitlist) Compliance(id string, at time.Time) (ComplianceRecord, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if err := w.checkRead(at); err != nil {
		return ComplianceRecord{}, err
	}
	slot, err := w.lookup(id)
	if err != nil {
		return ComplianceRecord{}, err
	}
	r := &w.recs[slot]
	cr := ComplianceRecord{ID: w.idOf(r), SoughtAt: nsTime(r.sought), Arrival: int64(r.arrival), Waiting: r.waiting(),
		Interim: w.interimCompliance(slot, at), Obligations: w.obligations(nil, slot, at)}
	if !r.waiting() {
		if r.reason == RemovalAdmitted {
			cr.AdmittedAt = nsTime(r.left)
		} else {
			cr.LeftAt, cr.LeftReason = nsTime(r.left), r.reason
		}
	}
	for _, o := range cr.Obligations {
		if o.Kind == ObligationAdmission {
			cr.AdmissionDays = AdmissionDays
			if o.Code == "admission_120_days" {
				cr.AdmissionDays = ExtendedAdmissionDays
			}
		}
	}
	return cr, nil
}

// DueBefore returns the pending obligations (open or overdue at at) of people waiting whose
// due time is before t, earliest due first (then by arrival, then by kind). It takes time
// proportional to the number of people it returns obligations of, not to the length of the
// list: the list keeps each person under her earliest pending deadline.
func (w *Waitlist) DueBefore(t, at time.Time) ([]Obligation, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if err := w.checkRead(at); err != nil {
		return nil, err
	}
	if !jsonin.TimeInRange(t) {
		return nil, fmt.Errorf("%w: the time is outside the range accepted, %s", ErrInvalidEvent, jsonin.TimeRange)
	}
	return w.dueBefore(t, at), nil
}

type dueItem struct {
	o       Obligation
	arrival uint64
}

func (w *Waitlist) dueBefore(t, at time.Time) []Obligation {
	var items []dueItem
	var buf []Obligation
	w.dl.before(t.UnixNano(), false, w.aliveDL, func(it witem) bool {
		buf = w.obligations(buf[:0], it.slot, at)
		for _, o := range buf {
			if o.Status.Pending() && o.Due.Before(t) {
				items = append(items, dueItem{o, w.recs[it.slot].arrival})
			}
		}
		return true
	})
	slices.SortFunc(items, func(a, b dueItem) int {
		return cmp.Or(a.o.Due.Compare(b.o.Due), cmp.Compare(a.arrival, b.arrival), cmp.Compare(a.o.Kind, b.o.Kind))
	})
	out := make([]Obligation, len(items))
	for i := range items {
		out[i] = items[i].o
	}
	return out
}

// Overdue returns the obligations of people waiting that are overdue at at (due before at and
// not met), earliest due first: DueBefore(at, at). It agrees with Obligations at every moment
// a list answers for, since both judge from the same record.
func (w *Waitlist) Overdue(at time.Time) ([]Obligation, error) {
	return w.DueBefore(at, at)
}

// Removable reports whether the policy's removal rule allows removing the person as
// unreachable at at.
func (w *Waitlist) Removable(id string, at time.Time) (bool, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if err := w.checkRead(at); err != nil {
		return false, err
	}
	slot, err := w.lookup(id)
	if err != nil {
		return false, err
	}
	r := &w.recs[slot]
	return r.waiting() && w.removable(r, at), nil
}

// ProgramAt returns what the list's occupancy events say of a program at at: its beds and
// occupancy, whether it serves people who inject drugs, when it reached 90% of its capacity
// (the reach the next notice answers) and when it last notified the State.
func (w *Waitlist) ProgramAt(program string, at time.Time) (Program, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.programAt(program, at)
}

func (w *Waitlist) programAt(program string, at time.Time) (Program, error) {
	if err := w.checkRead(at); err != nil {
		return Program{}, err
	}
	p, ok := w.programs[program]
	if !ok {
		return Program{}, fmt.Errorf("%w: program %s has no recorded occupancy", ErrNotFound, ident.Quote(program))
	}
	return Program{Beds: p.occ.Beds, Occupied: p.occ.Occupied, ServesInjecting: p.occ.ServesInjecting,
		Reached90At: timeOf(p.reached), NotifiedAt: timeOf(p.notified)}, nil
}

// ProgramObligations returns the program's capacity notice at at (45 CFR 96.126(a)), due 7
// days after the moment its occupancy events show it reached 90% of its capacity; none if
// it never did or does not serve people who inject drugs.
func (w *Waitlist) ProgramObligations(program string, at time.Time) ([]Obligation, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	p, err := w.programAt(program, at)
	if err != nil {
		return nil, err
	}
	if !p.ServesInjecting || p.Reached90At.IsZero() {
		return nil, nil
	}
	if !w.policy.ForInjectingPopulation() {
		return nil, fmt.Errorf("%w: program %s serves people who inject drugs; the policy is for programs that do not", ErrInvalidProgram, ident.Quote(program))
	}
	return []Obligation{w.policy.capacityNotice(p.Reached90At, p.NotifiedAt, at)}, nil
}

// LastSeq returns the Seq of the list's last event (0 before the first).
func (w *Waitlist) LastSeq() uint64 {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.log.next == 0 {
		return 0
	}
	return w.log.next - 1
}

// EventsSince returns the events recorded after the event seq (seq 0: from the first), with
// their Prev hashes, in order. It costs what it returns (plus hashing what no read has
// hashed yet), so saving each change as it comes costs O(1) per change. Events dropped by
// Compact are refused with ErrCompacted; a seq after the list's last event (a store ahead
// of a list restored from an older copy) with ErrOutOfOrder, as Compact refuses it: the
// answer "nothing new" would let the store skip the list's next events, which 96.126(a)'s
// "continually updated record" cannot miss.
func (w *Waitlist) EventsSince(seq uint64) ([]Event, error) {
	w.mu.Lock() // hashing writes the log's chain state
	defer w.mu.Unlock()
	if w.policy == nil {
		return nil, errNoPolicy
	}
	if err := w.checkSince(seq); err != nil {
		return nil, err
	}
	return w.log.since(seq + 1)
}

// checkSince refuses a seq after the list's last event.
func (w *Waitlist) checkSince(seq uint64) error {
	if seq >= w.log.next {
		return fmt.Errorf("%w: events after event %d asked for, the list's last is %d", ErrOutOfOrder, seq, w.log.next-1)
	}
	return nil
}

// Events returns every event the list holds (all of them unless compacted), in order.
//
// Deprecated: use EventsSince, which costs what it returns.
func (w *Waitlist) Events() []Event {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.policy == nil {
		return nil
	}
	evs, err := w.log.since(w.log.first())
	if err != nil {
		return nil
	}
	return evs
}

// Checkpoint returns the Seq of the list's last event and the hex hash of the chain up to it
// (GenesisPrev before the first event). Keep it apart from a saved log (in the registry's
// database, say): a log whose head hash differs was altered, even if rewritten whole.
func (w *Waitlist) Checkpoint() (uint64, string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.policy == nil {
		return 0, GenesisPrev
	}
	w.log.hashAll()
	return w.log.next - 1, hexHash(w.log.head)
}
