package priority

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

// Event is one change to a waitlist. A waitlist is exactly the result of applying its events
// in order, so the events can be stored, sent and replayed (Rebuild). Only the fields of the
// event's kind are set: Facts for EventAdded and EventFactsUpdated, Reached for
// EventContactAttempted, Element for EventInterimDelivered, Reason for EventRemoved.
type Event struct {
	// Seq numbers the events of one waitlist 1, 2, 3, ...
	Seq  uint64    `json:"seq"`
	Kind EventKind `json:"kind"`
	// At is when the change happened; events are applied in time order.
	At time.Time `json:"at"`
	// ID is the patient identifier the event is about.
	ID      string         `json:"id"`
	Facts   Applicant      `json:"facts,omitzero"`
	Reached bool           `json:"reached,omitempty"`
	Element InterimElement `json:"element,omitzero"`
	Reason  RemovalReason  `json:"reason,omitzero"`
}

// Contacts is the record of attempts to keep in contact with a person waiting (45 CFR 96.126(c)).
type Contacts struct {
	Attempts      int       `json:"attempts"`                 // all attempts
	FailedInRow   int       `json:"failed_in_row"`            // failed attempts since the last successful one
	LastAttemptAt time.Time `json:"last_attempt_at,omitzero"` // zero if none
	LastReachedAt time.Time `json:"last_reached_at,omitzero"` // zero if never reached
}

// Waiting is a person on the waitlist as a value: the facts, the current classification and
// what has been done.
type Waiting struct {
	Applicant      Applicant      `json:"applicant"`
	Classification Classification `json:"classification"`
	// ClassifiedAt is the moment the classification was judged at (the last event about her,
	// or a Refresh).
	ClassifiedAt time.Time `json:"classified_at"`
	// Arrival numbers people in the order they joined the waitlist; it breaks ties of time sought.
	Arrival         int64         `json:"arrival"`
	Contacts        Contacts      `json:"contacts"`
	Interim         InterimRecord `json:"interim"`
	StateReferredAt time.Time     `json:"state_referred_at,omitzero"`
}

type entry struct {
	// The fields a removal reads come first, together, so that they share cache lines.

	// The leaves of the indexes that hold this entry's keys, kept up to date through the
	// trees' moved hooks, so that taking the entry out needs no search from the roots.
	order, interimDL, admissionDL, change handle
	orderK                                key // the entry's key in the order index
	arrival                               int64
	interimDue                            time.Time // zero: no pending interim deadline in the index
	admissionDue                          time.Time // zero: no pending admission deadline in the index
	changeAt                              time.Time // zero: classification does not change with time alone

	a            Applicant
	cls          Classification
	classifiedAt time.Time
	contacts     Contacts
	interim      InterimRecord
	referredAt   time.Time
}

// handle is where a key of an entry is stored: its leaf, and its index in the leaf as a hint.
type handle struct {
	leaf *bnode
	i    int
}

// Deadline kinds in the deadline index (the key's last component).
const (
	dlInterim   = int64(ObligationInterimServices)
	dlAdmission = int64(ObligationAdmission)
)

// Waitlist is the ordered list of people waiting for admission under one policy: by tier,
// then by time sought, then by arrival. Add, remove, next and position take O(log n) time;
// listing what is overdue takes time proportional to what is overdue. Every change is an Event.
//
// A Waitlist is safe for concurrent use: readers share a read lock, and each mutation takes
// the write lock, so mutations are serialized in the order the embedding system calls them.
// Reads reflect the list as of its last event; the mutation methods first apply, as
// EventReclassified events, the tier changes that time alone brought (a postpartum window
// ending) up to the mutation's moment, and Refresh does so on demand.
type Waitlist struct {
	mu        sync.RWMutex
	policy    *Compiled
	byID      map[string]*entry
	arrivals  []*entry // by arrival number; nil once removed
	order     btree    // (rank, sought s, sought ns, arrival)
	deadlines btree    // (due s, due ns, arrival, kind)
	changes   btree    // (change s, change ns, arrival, 0)
	events    eventLog
	last      time.Time
	touched   int64 // written by unplace so that the compiler keeps its early reads
}

// eventLog is an append-only list of events kept in fixed-size chunks, so that appending
// never copies the events already recorded.
type eventLog struct {
	chunks [][]Event
	n      int
}

const eventChunk = 4096

func (l *eventLog) len() int { return l.n }

func (l *eventLog) append(ev Event) {
	if l.n%eventChunk == 0 {
		l.chunks = append(l.chunks, make([]Event, 0, eventChunk))
	}
	c := &l.chunks[len(l.chunks)-1]
	*c = append(*c, ev)
	l.n++
}

func (l *eventLog) all() []Event {
	out := make([]Event, 0, l.n)
	for _, c := range l.chunks {
		out = append(out, c...)
	}
	return out
}

// NewWaitlist returns an empty waitlist under the compiled policy c.
func NewWaitlist(c *Compiled) (*Waitlist, error) {
	if c == nil {
		return nil, fmt.Errorf("%w: nil policy", ErrInvalidPolicy)
	}
	w := &Waitlist{policy: c, byID: make(map[string]*entry), arrivals: []*entry{nil}}
	w.hook()
	return w, nil
}

// hook sets the indexes' moved hooks, which keep each entry's leaf handles current.
func (w *Waitlist) hook() {
	w.order.moved = func(k key, leaf *bnode, i int) { w.arrivals[k[3]].order = handle{leaf, i} }
	w.deadlines.moved = func(k key, leaf *bnode, i int) {
		if e := w.arrivals[k[2]]; k[3] == dlInterim {
			e.interimDL = handle{leaf, i}
		} else {
			e.admissionDL = handle{leaf, i}
		}
	}
	w.changes.moved = func(k key, leaf *bnode, i int) { w.arrivals[k[2]].change = handle{leaf, i} }
}

// Rebuild returns the waitlist obtained by applying events in order to an empty list under c.
func Rebuild(c *Compiled, events []Event) (*Waitlist, error) {
	w, err := NewWaitlist(c)
	if err != nil {
		return nil, err
	}
	for _, ev := range events {
		if err := w.apply(ev); err != nil {
			return nil, fmt.Errorf("event %d: %w", ev.Seq, err)
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

func timeKey(t time.Time) (int64, int64) { return t.Unix(), int64(t.Nanosecond()) }

func (e *entry) orderKey() key {
	s, ns := timeKey(e.a.SoughtAt)
	return key{int64(e.cls.Rank), s, ns, e.arrival}
}

func deadlineKey(due time.Time, arrival, kind int64) key {
	s, ns := timeKey(due)
	return key{s, ns, arrival, kind}
}

// ---- mutations ----

// mutate applies ev as the next event, after the tier changes time brought by ev.At, and
// returns the classification of the person it is about (zero if no longer on the list).
func (w *Waitlist) mutate(ev Event) (Classification, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if ev.At.IsZero() {
		return Classification{}, fmt.Errorf("%w: the event has no time", ErrInvalidEvent)
	}
	if w.policy == nil {
		return Classification{}, fmt.Errorf("%w: the waitlist has no policy (use NewWaitlist)", ErrInvalidPolicy)
	}
	if err := w.refresh(ev.At); err != nil {
		return Classification{}, err
	}
	ev.Seq = uint64(w.events.len()) + 1
	if err := w.apply(ev); err != nil {
		return Classification{}, err
	}
	if ev.Kind == EventRemoved {
		return Classification{}, nil // no second look-up of an identifier just removed
	}
	if e, ok := w.byID[ev.ID]; ok {
		return e.cls, nil
	}
	return Classification{}, nil
}

// Add puts a on the list at at and returns her classification. A second Add of the same
// identifier fails with ErrDuplicateID; invalid facts with ErrInvalidApplicant.
func (w *Waitlist) Add(a Applicant, at time.Time) (Classification, error) {
	return w.mutate(Event{Kind: EventAdded, At: at, ID: a.ID, Facts: a})
}

// Update replaces the facts of a person on the list (she delivered, he reports injecting drug
// use) and reclassifies her at at. a.SoughtAt may be zero (kept) or must equal the recorded one.
func (w *Waitlist) Update(a Applicant, at time.Time) (Classification, error) {
	w.mu.RLock()
	e, ok := w.byID[a.ID]
	if ok && a.SoughtAt.IsZero() {
		a.SoughtAt = e.a.SoughtAt
	}
	w.mu.RUnlock()
	if !ok {
		return Classification{}, fmt.Errorf("%w: %q", ErrNotFound, truncate(a.ID, 32))
	}
	return w.mutate(Event{Kind: EventFactsUpdated, At: at, ID: a.ID, Facts: a})
}

func discard(_ Classification, err error) error { return err }

// RecordContact records an attempt at at to reach the person, and whether it succeeded.
func (w *Waitlist) RecordContact(id string, reached bool, at time.Time) error {
	return discard(w.mutate(Event{Kind: EventContactAttempted, At: at, ID: id, Reached: reached}))
}

// DeliverInterim records that interim-services element e was made available to the person at at.
func (w *Waitlist) DeliverInterim(id string, e InterimElement, at time.Time) error {
	return discard(w.mutate(Event{Kind: EventInterimDelivered, At: at, ID: id, Element: e}))
}

// ReferToState records that the program referred a pregnant woman to the State at at
// (45 CFR 96.131(c)).
func (w *Waitlist) ReferToState(id string, at time.Time) error {
	return discard(w.mutate(Event{Kind: EventStateReferred, At: at, ID: id}))
}

// Remove takes the person off the list at at for reason. RemovalUnreachable is refused with
// ErrRemovalNotAllowed unless the policy's removal rule allows it at at (see Removable).
func (w *Waitlist) Remove(id string, reason RemovalReason, at time.Time) error {
	return discard(w.mutate(Event{Kind: EventRemoved, At: at, ID: id, Reason: reason}))
}

// Refresh applies, as EventReclassified events at at, every tier change that the passage of
// time alone brought by at, and returns how many there were.
func (w *Waitlist) Refresh(at time.Time) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := w.events.len()
	err := w.refresh(at)
	return w.events.len() - n, err
}

func (w *Waitlist) refresh(at time.Time) error {
	for {
		k, ok := w.changes.min()
		if !ok || time.Unix(k[0], k[1]).After(at) {
			return nil
		}
		e := w.arrivals[k[2]]
		if err := w.apply(Event{Seq: uint64(w.events.len()) + 1, Kind: EventReclassified, At: at, ID: e.a.ID}); err != nil {
			return err
		}
	}
}

// Apply applies one recorded event. Its Seq must be the next number and its time no earlier
// than the last event's. Apply does not add EventReclassified events; replaying a list's own
// events (which include them) reproduces it exactly.
func (w *Waitlist) Apply(ev Event) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.apply(ev)
}

func invalidEvent(ev Event, msg string) error {
	return fmt.Errorf("%w: %s event for %q: %s", ErrInvalidEvent, ev.Kind, truncate(ev.ID, 32), msg)
}

func (w *Waitlist) checkShape(ev Event) error {
	if !ev.Kind.IsValid() {
		return fmt.Errorf("%w: unknown event kind %d", ErrInvalidEvent, uint8(ev.Kind))
	}
	if ev.ID == "" {
		return invalidEvent(ev, "no patient identifier")
	}
	hasFacts := ev.Facts != (Applicant{})
	switch {
	case hasFacts != (ev.Kind == EventAdded || ev.Kind == EventFactsUpdated):
		return invalidEvent(ev, "facts belong to added and facts_updated events only, and those need them")
	case ev.Reached && ev.Kind != EventContactAttempted:
		return invalidEvent(ev, "reached belongs to contact_attempted events only")
	case (ev.Element != ElementUnknown) != (ev.Kind == EventInterimDelivered):
		return invalidEvent(ev, "an element belongs to interim_delivered events only, and those need a valid one")
	case (ev.Reason != RemovalUnknown) != (ev.Kind == EventRemoved):
		return invalidEvent(ev, "a reason belongs to removed events only, and those need a valid one")
	case ev.Kind == EventInterimDelivered && !ev.Element.IsValid():
		return invalidEvent(ev, "unknown interim element")
	case ev.Kind == EventRemoved && !ev.Reason.IsValid():
		return invalidEvent(ev, "unknown removal reason")
	}
	if hasFacts {
		if ev.Facts.ID != ev.ID {
			return invalidEvent(ev, "the facts name another identifier")
		}
		if err := ev.Facts.Validate(); err != nil {
			return err
		}
	}
	return nil
}

func (w *Waitlist) apply(ev Event) error {
	if w.policy == nil {
		return fmt.Errorf("%w: the waitlist has no policy (use NewWaitlist)", ErrInvalidPolicy)
	}
	if ev.Seq != uint64(w.events.len())+1 {
		return fmt.Errorf("%w: event seq %d, expected %d", ErrOutOfOrder, ev.Seq, w.events.len()+1)
	}
	if ev.At.IsZero() {
		return invalidEvent(ev, "no time")
	}
	if ev.At.Before(w.last) {
		return fmt.Errorf("%w: event %d at %s is before the last event at %s", ErrOutOfOrder, ev.Seq,
			ev.At.UTC().Format(time.RFC3339Nano), w.last.UTC().Format(time.RFC3339Nano))
	}
	if err := w.checkShape(ev); err != nil {
		return err
	}
	ev.At = ev.At.Round(0)
	ev.Facts.SoughtAt = ev.Facts.SoughtAt.Round(0)
	ev.Facts.DeliveredAt = ev.Facts.DeliveredAt.Round(0)
	e, exists := w.byID[ev.ID]
	if ev.Kind == EventAdded {
		if exists {
			return fmt.Errorf("%w: %q", ErrDuplicateID, truncate(ev.ID, 32))
		}
	} else if !exists {
		return fmt.Errorf("%w: %q", ErrNotFound, truncate(ev.ID, 32))
	}
	switch ev.Kind {
	case EventAdded:
		e = &entry{a: ev.Facts, arrival: int64(len(w.arrivals))}
		w.arrivals = append(w.arrivals, e)
		w.byID[ev.ID] = e
		w.place(e, ev.At)
	case EventFactsUpdated:
		if !ev.Facts.SoughtAt.Equal(e.a.SoughtAt) {
			return invalidEvent(ev, "the time sought cannot change")
		}
		w.unplace(e)
		e.a = ev.Facts
		w.place(e, ev.At)
	case EventReclassified:
		w.unplace(e)
		w.place(e, ev.At)
	case EventContactAttempted:
		e.contacts.Attempts++
		e.contacts.LastAttemptAt = ev.At
		if ev.Reached {
			e.contacts.FailedInRow = 0
			e.contacts.LastReachedAt = ev.At
		} else {
			e.contacts.FailedInRow++
		}
	case EventInterimDelivered:
		e.interim = e.interim.Deliver(ev.Element, ev.At)
		w.unplace(e)
		w.place(e, ev.At)
	case EventStateReferred:
		if e.referredAt.IsZero() {
			e.referredAt = ev.At
		}
	case EventRemoved:
		if ev.Reason == RemovalUnreachable && !w.removable(e, ev.At) {
			return fmt.Errorf("%w: %q at %s", ErrRemovalNotAllowed, truncate(ev.ID, 32), ev.At.UTC().Format(time.RFC3339))
		}
		w.unplace(e)
		delete(w.byID, ev.ID)
		w.arrivals[e.arrival] = nil
	}
	w.events.append(ev)
	w.last = ev.At
	return nil
}

// place classifies e at at and enters it in the indexes.
func (w *Waitlist) place(e *entry, at time.Time) {
	c := w.policy
	e.cls = c.Classify(e.a, at)
	e.classifiedAt = at
	e.orderK = e.orderKey()
	e.order.leaf, e.order.i = w.order.insert(e.orderK)
	owed := c.InterimElements(e.a, at)
	complete := e.interim.CompleteAt(owed)
	if owed != 0 && complete.IsZero() {
		e.interimDue = c.InterimDue(e.a)
		e.interimDL.leaf, e.interimDL.i = w.deadlines.insert(deadlineKey(e.interimDue, e.arrival, dlInterim))
	}
	if e.a.InjectsDrugs {
		e.admissionDue = c.AdmissionDue(e.a, complete)
		e.admissionDL.leaf, e.admissionDL.i = w.deadlines.insert(deadlineKey(e.admissionDue, e.arrival, dlAdmission))
	}
	if e.changeAt = c.ClassificationChangesAt(e.a, at); !e.changeAt.IsZero() {
		s, ns := timeKey(e.changeAt)
		e.change.leaf, e.change.i = w.changes.insert(key{s, ns, e.arrival, 0})
	}
}

// touch reads the key at h's hint and returns its first component (0 for an empty handle).
func (h handle) touch() int64 {
	if h.leaf == nil || h.i >= len(h.leaf.keys) {
		return 0
	}
	return h.leaf.keys[h.i][0]
}

// unplace removes e from the indexes, starting from the leaves that hold its keys.
func (w *Waitlist) unplace(e *entry) {
	// The leaves are far apart in memory and usually not in the cache. Reading them all first,
	// with loads that do not depend on one another, lets the processor wait for their cache
	// misses together instead of one after another.
	w.touched = e.order.touch() + e.interimDL.touch() + e.admissionDL.touch() + e.change.touch()
	w.order.deleteAt(e.order.leaf, e.order.i, e.orderK)
	e.order = handle{}
	if !e.interimDue.IsZero() {
		w.deadlines.deleteAt(e.interimDL.leaf, e.interimDL.i, deadlineKey(e.interimDue, e.arrival, dlInterim))
		e.interimDue, e.interimDL = time.Time{}, handle{}
	}
	if !e.admissionDue.IsZero() {
		w.deadlines.deleteAt(e.admissionDL.leaf, e.admissionDL.i, deadlineKey(e.admissionDue, e.arrival, dlAdmission))
		e.admissionDue, e.admissionDL = time.Time{}, handle{}
	}
	if !e.changeAt.IsZero() {
		s, ns := timeKey(e.changeAt)
		w.changes.deleteAt(e.change.leaf, e.change.i, key{s, ns, e.arrival, 0})
		e.changeAt, e.change = time.Time{}, handle{}
	}
}

func (w *Waitlist) removable(e *entry, at time.Time) bool {
	r := w.policy.policy.Removal
	if r.AfterFailedContacts > 0 && e.contacts.FailedInRow >= r.AfterFailedContacts {
		return true
	}
	if r.AfterDaysWithoutContact > 0 {
		from := e.contacts.LastReachedAt
		if from.IsZero() {
			from = e.a.SoughtAt
		}
		return !at.Before(w.policy.AfterDays(from, r.AfterDaysWithoutContact))
	}
	return false
}

// ---- reads ----

func (e *entry) view() Waiting {
	return Waiting{Applicant: e.a, Classification: e.cls, ClassifiedAt: e.classifiedAt, Arrival: e.arrival,
		Contacts: e.contacts, Interim: e.interim, StateReferredAt: e.referredAt}
}

// Len returns the number of people waiting.
func (w *Waitlist) Len() int {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return len(w.byID)
}

// Next returns the person to admit next, and false if the list is empty.
func (w *Waitlist) Next() (Waiting, bool) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	k, ok := w.order.min()
	if !ok {
		return Waiting{}, false
	}
	return w.arrivals[k[3]].view(), true
}

// Position returns the 1-based place of the person in the admission order.
func (w *Waitlist) Position(id string) (int, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	e, ok := w.byID[id]
	if !ok {
		return 0, fmt.Errorf("%w: %q", ErrNotFound, truncate(id, 32))
	}
	return w.order.countLess(e.orderK) + 1, nil
}

// Get returns the person with the identifier.
func (w *Waitlist) Get(id string) (Waiting, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	e, ok := w.byID[id]
	if !ok {
		return Waiting{}, fmt.Errorf("%w: %q", ErrNotFound, truncate(id, 32))
	}
	return e.view(), nil
}

// Head returns the first n people in admission order (everyone if n <= 0).
func (w *Waitlist) Head(n int) []Waiting {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if n <= 0 || n > len(w.byID) {
		n = len(w.byID)
	}
	out := make([]Waiting, 0, n)
	w.order.ascend(func(k key) bool {
		if len(out) == n {
			return false
		}
		out = append(out, w.arrivals[k[3]].view())
		return true
	})
	return out
}

func (w *Waitlist) progress(e *entry, at time.Time) Progress {
	owed := w.policy.InterimElements(e.a, at)
	return Progress{InterimAt: doneBy(e.interim.CompleteAt(owed), at), StateReferredAt: doneBy(e.referredAt, at)}
}

// Obligations returns every obligation toward the person at at (see Compiled.Obligations),
// with what the list records as done, given the program's capacity p.
func (w *Waitlist) Obligations(id string, p Program, at time.Time) ([]Obligation, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	e, ok := w.byID[id]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrNotFound, truncate(id, 32))
	}
	return w.policy.Obligations(e.a, w.progress(e, at), p, at), nil
}

// InterimCompliance returns how the person's interim services stand at at.
func (w *Waitlist) InterimCompliance(id string, at time.Time) (InterimCompliance, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	e, ok := w.byID[id]
	if !ok {
		return InterimCompliance{}, fmt.Errorf("%w: %q", ErrNotFound, truncate(id, 32))
	}
	return w.policy.InterimCompliance(e.a, e.interim, at), nil
}

// Overdue returns the interim-services and admission obligations of people waiting that are
// overdue at at (due before at and not met as of the list's last event), earliest due first.
// It takes time proportional to the number returned, not to the length of the list.
func (w *Waitlist) Overdue(at time.Time) []Obligation {
	w.mu.RLock()
	defer w.mu.RUnlock()
	var out []Obligation
	w.deadlines.ascend(func(k key) bool {
		if !time.Unix(k[0], k[1]).Before(at) {
			return false
		}
		e := w.arrivals[k[2]]
		interimAt := e.interim.CompleteAt(w.policy.InterimElements(e.a, w.last))
		if k[3] == dlInterim {
			both := w.policy.Conditions(e.a, e.a.SoughtAt) | w.policy.Conditions(e.a, at)
			out = append(out, w.policy.interimObligation(e.a, both, time.Time{}, time.Time{}, at))
		} else {
			out = append(out, w.policy.admissionObligation(e.a, interimAt, time.Time{}, at))
		}
		return true
	})
	return out
}

// Removable reports whether the policy's removal rule allows removing the person as
// unreachable at at.
func (w *Waitlist) Removable(id string, at time.Time) (bool, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	e, ok := w.byID[id]
	if !ok {
		return false, fmt.Errorf("%w: %q", ErrNotFound, truncate(id, 32))
	}
	return w.removable(e, at), nil
}

// Events returns a copy of every event so far, in order.
func (w *Waitlist) Events() []Event {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.events.all()
}

type savedWaitlist struct {
	Policy Policy  `json:"policy"`
	Events []Event `json:"events"`
}

// MarshalJSON saves the list as its policy and its events: {"policy": ..., "events": [...]}.
func (w *Waitlist) MarshalJSON() ([]byte, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.policy == nil {
		return nil, fmt.Errorf("%w: the waitlist has no policy (use NewWaitlist)", ErrInvalidPolicy)
	}
	return json.Marshal(savedWaitlist{Policy: w.policy.policy, Events: w.events.all()})
}

// UnmarshalJSON restores a list saved by MarshalJSON: it compiles the policy with Compile
// (which loads a calendar-days zone from the system's time zone database) and replays the
// events. Unknown fields are an error. To restore with a zone of your own, decode the policy
// and events yourself and call CompileIn and Rebuild.
func (w *Waitlist) UnmarshalJSON(b []byte) error {
	var s savedWaitlist
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return fmt.Errorf("priority: decoding waitlist: %w", err)
	}
	if dec.More() {
		return fmt.Errorf("priority: decoding waitlist: trailing data")
	}
	c, err := Compile(s.Policy)
	if err != nil {
		return err
	}
	nw, err := Rebuild(c, s.Events)
	if err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.policy, w.byID, w.arrivals, w.events, w.last = nw.policy, nw.byID, nw.arrivals, nw.events, nw.last
	w.order, w.deadlines, w.changes = nw.order, nw.deadlines, nw.changes
	w.hook() // the hooks copied from nw would update nw's arrivals
	return nil
}
