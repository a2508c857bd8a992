package priority

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"
	"slices"
	"time"

	"github.com/dyad-health/dyad/internal/ident"
	"github.com/dyad-health/dyad/perinatal"
)

// Event is one change to a waitlist. A waitlist is exactly the result of applying its events
// in order, so the events can be stored, sent and replayed (Rebuild, Apply). Only the fields
// of the event's kind are set: Facts for EventAdded and EventFactsUpdated, Reached for
// EventContactAttempted, Element for EventInterimDelivered, Reason for EventRemoved, Program
// and Occupancy for EventOccupancy, Program for EventCapacityNotified, NewPolicy for
// EventPolicyChanged; ID for the events
// about a person.
//
// Every event carries the identity of the policy it was recorded under (Policy.ID), so that
// it is never replayed under another, and the actor who made the change (an identifier
// under ident.Rule; empty only for EventReclassified, which the list records itself). Prev
// is the hex SHA-256 of the previous event's canonical encoding (64 zeros for the first
// event): the events form a hash chain, so a saved log that was cut at an event boundary or
// altered is detected when read back.
type Event struct {
	// Seq numbers the events of one waitlist 1, 2, 3, ...
	Seq  uint64    `json:"seq"`
	Kind EventKind `json:"kind"`
	// At is when the change happened; events are applied in time order.
	At        time.Time      `json:"at"`
	Policy    string         `json:"policy"`
	Actor     string         `json:"actor,omitempty"`
	ID        string         `json:"id,omitempty"`
	Facts     Applicant      `json:"facts,omitzero"`
	Reached   bool           `json:"reached,omitempty"`
	Element   InterimElement `json:"element,omitzero"`
	Reason    RemovalReason  `json:"reason,omitzero"`
	Program   string         `json:"program,omitempty"`
	Occupancy Occupancy      `json:"occupancy,omitzero"`
	// NewPolicy is the identity of the policy the list moved to, for EventPolicyChanged
	// (which is itself recorded under the previous policy; the events after it are under
	// NewPolicy).
	NewPolicy string `json:"new_policy,omitempty"`
	Prev      string `json:"prev"`
}

// Occupancy is a program's beds and how many are occupied, recorded as an event so that the
// list knows when the program reached 90% of its capacity (45 CFR 96.126(a)).
type Occupancy struct {
	Beds            int  `json:"beds"`
	Occupied        int  `json:"occupied"`
	ServesInjecting bool `json:"serves_injecting,omitempty"`
}

// MaxBeds bounds a program's beds in an occupancy event.
const MaxBeds = 1 << 20

// MaxSeq bounds every sequence number and count of a waitlist's saved forms: an event's Seq,
// a Snapshot's Seq, Arrivals, LeftSeq and contact counts, a SavedLog's After and After+Count.
// 2^53 is the largest integer every JSON reader holds exactly (a registry written in
// JavaScript reads numbers as doubles), and leaves room for a list's next events without
// wrapping: DecodeSnapshot, DecodeLog, DecodeWaitlist and RestoreWaitlist refuse a larger
// one (ErrInvalidInput, code seq_out_of_range), and a list refuses a change that would number
// an event past it (ErrInvalidEvent). At a million events a second a list takes 285 years to
// reach it.
const MaxSeq = 1 << 53

// genesis is the Prev of the first event.
var genesis = [sha256.Size]byte{}

// GenesisPrev is the Prev of a list's first event: 64 zeros.
var GenesisPrev = hex.EncodeToString(genesis[:])

// ---- canonical encoding ----
//
// An event's canonical encoding is what its hash covers (with the previous hash and the
// policy identity) and what the list keeps in memory. It is written by appendEvent and read
// by readEvent; both must agree with each other and with the JSON form exactly: times are
// Unix nanoseconds (the JSON's RFC 3339 offset does not count), except a pregnancy's LMP and
// EDD, which are calendar dates (perinatal.Pregnancy) and are kept as the day they name, and
// the delivery times (a pregnancy's end, an earlier delivery, a delivery), which keep their
// UTC offset too: perinatal dates a delivery by its calendar day where it happened, so facts
// accepted in one offset and read back in UTC could move a day and fail its checks (a saved
// list then refused whole).

const encVersion = 1

// Fact flags of the canonical encoding (and of a record).
const (
	fPregnant uint16 = 1 << iota
	fInjects
	fChildren
	fChildWelfare
	fIncarceration
	fVeteran
	fWoman
)

// Presence bits of a facts encoding's optional times.
const (
	pLMP uint8 = 1 << iota
	pEDD
	pEnd
	pPrior
	pDelivered
	// pOffsets says each delivery time present is followed by its UTC offset in seconds
	// (int32). It is set only when one of them is not UTC, so an encoding of UTC times is
	// unchanged (and so are the hashes of logs written before offsets were kept).
	pOffsets
)

// maxOffset bounds a UTC offset read back: a day either way.
const maxOffset = 24 * 3600

func appendU64(b []byte, v uint64) []byte { return binary.LittleEndian.AppendUint64(b, v) }
func appendStr(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// civilDay returns the day number (days since 1970-01-01) of t's calendar date in t's own
// location, as perinatal dates a pregnancy.
func civilDay(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

func dayTime(d int64) time.Time { return time.Unix(d*86400, 0).UTC() }

func nsTime(ns int64) time.Time { return time.Unix(0, ns).UTC() }

func appendFacts(b []byte, a *Applicant) []byte {
	var fl uint16
	for i, v := range []bool{a.Pregnant, a.InjectsDrugs, a.DependentChildren, a.ReferredByChildWelfare, a.LeavingIncarceration, a.Veteran, a.Woman} {
		if v {
			fl |= 1 << i
		}
	}
	var pres uint8
	p := a.Pregnancy
	for i, t := range []time.Time{p.LMP, p.EDD, p.DeliveredAt, a.PriorDeliveryAt, a.DeliveredAt} {
		if !t.IsZero() {
			pres |= 1 << i
			if i >= 2 && zoneOffset(t) != 0 {
				pres |= pOffsets
			}
		}
	}
	b = binary.LittleEndian.AppendUint16(b, fl)
	b = append(b, byte(a.CapacityAtRequest), byte(p.Outcome), pres)
	b = appendU64(b, uint64(a.SoughtAt.UnixNano()))
	if pres&pLMP != 0 {
		b = appendU64(b, uint64(civilDay(p.LMP)))
	}
	if pres&pEDD != 0 {
		b = appendU64(b, uint64(civilDay(p.EDD)))
	}
	for i, t := range []time.Time{p.DeliveredAt, a.PriorDeliveryAt, a.DeliveredAt} {
		if pres&(pEnd<<i) != 0 {
			b = appendU64(b, uint64(t.UnixNano()))
			if pres&pOffsets != 0 {
				b = binary.LittleEndian.AppendUint32(b, uint32(zoneOffset(t)))
			}
		}
	}
	return b
}

// appendEvent appends ev's canonical encoding (without Policy and Prev, which the hash adds).
func appendEvent(b []byte, ev *Event) []byte {
	b = append(b, encVersion, byte(ev.Kind))
	b = binary.AppendUvarint(b, ev.Seq)
	b = appendU64(b, uint64(ev.At.UnixNano()))
	b = appendStr(b, ev.Actor)
	b = appendStr(b, ev.ID)
	switch ev.Kind {
	case EventAdded, EventFactsUpdated:
		b = appendFacts(b, &ev.Facts)
	case EventContactAttempted:
		r := byte(0)
		if ev.Reached {
			r = 1
		}
		b = append(b, r)
	case EventInterimDelivered:
		b = append(b, byte(ev.Element))
	case EventRemoved:
		b = append(b, byte(ev.Reason))
	case EventOccupancy:
		b = appendStr(b, ev.Program)
		b = binary.AppendUvarint(b, uint64(ev.Occupancy.Beds))
		b = binary.AppendUvarint(b, uint64(ev.Occupancy.Occupied))
		s := byte(0)
		if ev.Occupancy.ServesInjecting {
			s = 1
		}
		b = append(b, s)
	case EventCapacityNotified:
		b = appendStr(b, ev.Program)
	case EventPolicyChanged:
		b = appendStr(b, ev.NewPolicy)
	}
	return b
}

var errEncoding = errors.New("priority: corrupt event encoding")

type reader struct {
	b   []byte
	err bool
}

func (r *reader) u8() uint8 {
	if len(r.b) < 1 {
		r.err = true
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func (r *reader) u16() uint16 {
	if len(r.b) < 2 {
		r.err = true
		return 0
	}
	v := binary.LittleEndian.Uint16(r.b)
	r.b = r.b[2:]
	return v
}

func (r *reader) u32() uint32 {
	if len(r.b) < 4 {
		r.err = true
		return 0
	}
	v := binary.LittleEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *reader) u64() uint64 {
	if len(r.b) < 8 {
		r.err = true
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) str() string {
	n := r.uvarint()
	if r.err || n > uint64(len(r.b)) {
		r.err = true
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *reader) facts() Applicant {
	var a Applicant
	fl := r.u16()
	a.CapacityAtRequest = Capacity(r.u8())
	a.Pregnancy.Outcome = perinatal.PregnancyOutcome(r.u8())
	pres := r.u8()
	for i, f := range []*bool{&a.Pregnant, &a.InjectsDrugs, &a.DependentChildren, &a.ReferredByChildWelfare, &a.LeavingIncarceration, &a.Veteran, &a.Woman} {
		*f = fl&(1<<i) != 0
	}
	a.SoughtAt = nsTime(int64(r.u64()))
	if pres&pLMP != 0 {
		a.Pregnancy.LMP = dayTime(int64(r.u64()))
	}
	if pres&pEDD != 0 {
		a.Pregnancy.EDD = dayTime(int64(r.u64()))
	}
	for i, t := range []*time.Time{&a.Pregnancy.DeliveredAt, &a.PriorDeliveryAt, &a.DeliveredAt} {
		if pres&(pEnd<<i) != 0 {
			ns := int64(r.u64())
			var off int32
			if pres&pOffsets != 0 {
				off = int32(r.u32())
				if off < -maxOffset || off > maxOffset {
					r.err = true
				}
			}
			*t = timeAt(ns, off)
		}
	}
	if pres >= pOffsets<<1 {
		r.err = true
	}
	return a
}

// readEvent reads one event's canonical encoding and returns it and the bytes it took.
func readEvent(b []byte) (Event, int, error) {
	r := reader{b: b}
	var ev Event
	if r.u8() != encVersion {
		return ev, 0, errEncoding
	}
	ev.Kind = EventKind(r.u8())
	ev.Seq = r.uvarint()
	ev.At = nsTime(int64(r.u64()))
	ev.Actor = r.str()
	ev.ID = r.str()
	switch ev.Kind {
	case EventAdded, EventFactsUpdated:
		ev.Facts = r.facts()
		ev.Facts.ID = ev.ID
	case EventContactAttempted:
		ev.Reached = r.u8() == 1
	case EventInterimDelivered:
		ev.Element = InterimElement(r.u8())
	case EventRemoved:
		ev.Reason = RemovalReason(r.u8())
	case EventOccupancy:
		ev.Program = r.str()
		ev.Occupancy.Beds = int(min(r.uvarint(), math.MaxInt32))
		ev.Occupancy.Occupied = int(min(r.uvarint(), math.MaxInt32))
		ev.Occupancy.ServesInjecting = r.u8() == 1
	case EventCapacityNotified:
		ev.Program = r.str()
	case EventPolicyChanged:
		ev.NewPolicy = r.str()
	}
	if r.err {
		return ev, 0, errEncoding
	}
	return ev, len(b) - len(r.b), nil
}

// chainHash returns the hash of an event whose canonical encoding is enc, recorded under the
// policy of identity policy, after the event of hash prev: SHA-256 of prev, policy and enc,
// one after another. buf is scratch space, returned for reuse.
func chainHash(buf []byte, prev [sha256.Size]byte, policy string, enc []byte) ([sha256.Size]byte, []byte) {
	buf = append(append(append(buf[:0], prev[:]...), policy...), enc...)
	return sha256.Sum256(buf), buf
}

// ---- the in-memory log ----

// logChunkBytes is the size at which a chunk of the log is closed and a new one begun.
const logChunkBytes = 64 << 10

// logChunk holds the canonical encodings of consecutive events.
type logChunk struct {
	policy string            // the policy its events were recorded under
	first  uint64            // seq of its first event
	count  int               // events held
	data   []byte            // their encodings, one after another
	prev   [sha256.Size]byte // hash of the event before first (valid when hashed covers first-1)
	ends   []uint32          // end offset of each event (for seeking)
}

// eventLog is the list's events since its last compaction, kept as canonical encodings in
// chunks, so appending never copies what was recorded, and EventsSince(seq) costs what it
// returns. Hashes are computed when events are read out (or the list compacted), not when
// they are appended.
type eventLog struct {
	chunks []*logChunk
	next   uint64 // seq of the next event
	// hashed is the seq up to which the chain is computed; head is the hash of event hashed
	// (genesis when hashed is 0 and nothing was compacted).
	hashed uint64
	head   [sha256.Size]byte
	policy string
	buf    []byte // scratch for hashing
}

func newEventLog(policy string) eventLog {
	return eventLog{next: 1, policy: policy, head: genesis}
}

// first returns the seq of the first event held (next when none is).
func (l *eventLog) first() uint64 {
	if len(l.chunks) == 0 {
		return l.next
	}
	return l.chunks[0].first
}

func (l *eventLog) append(enc []byte) {
	var c *logChunk
	if n := len(l.chunks); n > 0 && len(l.chunks[n-1].data)+len(enc) <= logChunkBytes && l.chunks[n-1].policy == l.policy {
		c = l.chunks[n-1]
	} else {
		c = &logChunk{policy: l.policy, first: l.next, data: make([]byte, 0, logChunkBytes)}
		if l.hashed+1 == l.next {
			c.prev = l.head
		}
		l.chunks = append(l.chunks, c)
	}
	c.data = append(c.data, enc...)
	c.ends = append(c.ends, uint32(len(c.data)))
	c.count++
	l.next++
}

// hashAll computes the chain up to the last event.
func (l *eventLog) hashAll() { l.hashFrom(nil, 0) }

// hashFrom computes the chain from the first event not hashed to the last, calling emit (when
// not nil) with every event from seq on, with its Prev.
func (l *eventLog) hashFrom(emit func(enc []byte, seq uint64, prev [sha256.Size]byte, policy string) error, seq uint64) error {
	for _, c := range l.chunks {
		last := c.first + uint64(c.count) - 1
		if last <= l.hashed {
			continue
		}
		if c.first == l.hashed+1 {
			c.prev = l.head
		}
		h := l.head
		start := 0
		for i := 0; i < c.count; i++ {
			end := int(c.ends[i])
			s := c.first + uint64(i)
			if s > l.hashed {
				if emit != nil && s >= seq {
					if err := emit(c.data[start:end], s, h, c.policy); err != nil {
						return err
					}
				}
				h, l.buf = chainHash(l.buf, h, c.policy, c.data[start:end])
				l.head, l.hashed = h, s
			}
			start = end
		}
	}
	return nil
}

// since returns the events from seq on (seq >= first()), with their Prev, hashing what was
// not hashed yet. Events not hashed before cost their own hashing; events hashed before cost
// the rehashing of their chunk's earlier events (at most one chunk).
func (l *eventLog) since(seq uint64) ([]Event, error) {
	if seq < l.first() {
		return nil, ErrCompacted
	}
	out := make([]Event, 0, l.next-min(seq, l.next))
	emit := func(enc []byte, s uint64, prev [sha256.Size]byte, policy string) error {
		ev, _, err := readEvent(enc)
		if err != nil {
			return err
		}
		ev.Policy = policy
		ev.Prev = hex.EncodeToString(prev[:])
		out = append(out, ev)
		return nil
	}
	if seq > l.hashed {
		return out, l.hashFrom(emit, seq)
	}
	// Some asked-for events were hashed before: replay their chunks' hashes from each
	// chunk's start.
	hashedBefore := l.hashed
	i, _ := slices.BinarySearchFunc(l.chunks, seq, func(c *logChunk, s uint64) int {
		switch {
		case c.first+uint64(c.count) <= s:
			return -1
		case c.first > s:
			return 1
		}
		return 0
	})
	for _, c := range l.chunks[i:] {
		h := c.prev
		start := 0
		for j := 0; j < c.count; j++ {
			end := int(c.ends[j])
			s := c.first + uint64(j)
			if s > hashedBefore {
				return out, l.hashFrom(emit, s)
			}
			if s >= seq {
				if err := emit(c.data[start:end], s, h, c.policy); err != nil {
					return nil, err
				}
			}
			h, l.buf = chainHash(l.buf, h, c.policy, c.data[start:end])
			start = end
		}
	}
	return out, nil
}

// compact drops the chunks whose events are all at or before seq, after hashing them.
func (l *eventLog) compact(seq uint64) {
	l.hashAll()
	n := 0
	for n < len(l.chunks) && l.chunks[n].first+uint64(l.chunks[n].count)-1 <= seq {
		n++
	}
	if n == len(l.chunks) && n > 0 {
		// Keep an empty chunk that carries the hash the next event chains from.
		l.chunks = []*logChunk{}
		return
	}
	l.chunks = slices.Delete(l.chunks, 0, n)
}

// validActor reports whether a is an actor of a change: an identifier under ident.Rule.
func validActor(a string) bool { return ident.Valid(a) }
