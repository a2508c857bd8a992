package priority

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/dyad-health/dyad/internal/ident"
	"github.com/dyad-health/dyad/internal/jsonin"
)

// Formats of the saved forms, in their "format" member.
const (
	FormatWaitlist = "dyad.priority.waitlist/1"
	FormatLog      = "dyad.priority.log/1"
	FormatSnapshot = "dyad.priority.snapshot/1"
)

// DefaultWaitlistMaxBytes is the default byte limit of DecodeWaitlist, DecodeLog and
// DecodeSnapshot: 32 MiB, about 150,000 events. A State registry saving a larger list in one
// piece sets DecodeOptions.MaxBytes; the usual way is a snapshot and the log since it.
const DefaultWaitlistMaxBytes = 32 << 20

// SavedLog is a run of a waitlist's events as saved: the events after the event After, with
// the hash of that event (Prev), their number and the hash of the last one (Head). Decoding
// (DecodeLog) checks all of it, so a log cut at an event boundary, or altered, is refused
// with ErrBrokenChain.
type SavedLog struct {
	Format string `json:"format"`
	// Policy is the identity of the policy the events were recorded under (Policy.ID).
	Policy string  `json:"policy"`
	After  uint64  `json:"after"`
	Prev   string  `json:"prev"`
	Count  uint64  `json:"count"`
	Head   string  `json:"head"`
	Events []Event `json:"events"`
}

// SaveLog returns the events recorded after the event seq as a SavedLog (see EventsSince).
func (w *Waitlist) SaveLog(seq uint64) (SavedLog, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.policy == nil {
		return SavedLog{}, errNoPolicy
	}
	return w.saveLog(seq)
}

func (w *Waitlist) saveLog(seq uint64) (SavedLog, error) {
	if err := w.checkSince(seq); err != nil {
		return SavedLog{}, err
	}
	evs, err := w.log.since(seq + 1)
	if err != nil {
		return SavedLog{}, err
	}
	l := SavedLog{Format: FormatLog, Policy: w.policy.id, After: seq, Count: uint64(len(evs)), Events: evs, Head: hexHash(w.log.head)}
	if len(evs) > 0 {
		l.Prev = evs[0].Prev
		l.Policy = evs[0].Policy // the policy the log starts under (it may change, EventPolicyChanged)
	} else {
		l.Prev = l.Head
	}
	return l, nil
}

func parseHash(s string) ([sha256.Size]byte, bool) {
	var h [sha256.Size]byte
	if len(s) != 2*sha256.Size {
		return h, false
	}
	_, err := hex.Decode(h[:], []byte(s))
	return h, err == nil
}

// verify checks the log's shape and chain: format, policy, consecutive seqs after After,
// each event's Prev the hash of the one before (the first's, Prev), Count and Head.
func (l *SavedLog) verify(pr *problems, path string) {
	if l.Format != FormatLog {
		pr.addAt("wrong_format", path+"format", "", "Expected the format "+FormatLog+".")
	}
	if !validPolicyID(l.Policy) {
		pr.addAt("invalid_policy_id", path+"policy", "", "Expected a policy identity, sha256: and 64 hex digits.")
	}
	h, ok := parseHash(l.Prev)
	if !ok {
		pr.addAt("invalid_hash", path+"prev", "", "Expected 64 hex digits.")
	}
	if l.After == 0 && l.Prev != GenesisPrev {
		pr.addAt("broken_chain", path+"prev", "", "A log from the first event starts from the genesis hash.")
	}
	if l.Count != uint64(len(l.Events)) {
		pr.addAt("broken_chain", path+"count", "", fmt.Sprintf("The log says it holds %d events and holds %d: it was cut or added to.", l.Count, len(l.Events)))
	}
	if pr.len() > 0 {
		return
	}
	var enc, buf []byte
	cur := l.Policy
	for i := range l.Events {
		ev := &l.Events[i]
		p := fmt.Sprintf("%sevents[%d]", path, i)
		if ev.Seq != l.After+uint64(i)+1 {
			pr.addAt("broken_chain", p+".seq", "", "The events are not numbered one after another from after+1.")
			return
		}
		if ev.Policy != cur {
			pr.addAt("policy_mismatch", p+".policy", CitePreference, "The event was recorded under another policy than the log's (or than the one the last policy_changed event named).")
			return
		}
		if ev.Prev != hexHash(h) {
			pr.addAt("broken_chain", p+".prev", "", "The event does not follow the one before it (its prev hash differs): the log was altered.")
			return
		}
		enc = appendEvent(enc[:0], ev)
		h, buf = chainHash(buf, h, cur, enc)
		if ev.Kind == EventPolicyChanged {
			if !validPolicyID(ev.NewPolicy) {
				pr.addAt("invalid_policy_id", p+".new_policy", "", "Expected a policy identity, sha256: and 64 hex digits.")
				return
			}
			cur = ev.NewPolicy
		}
	}
	if l.Head != hexHash(h) {
		pr.addAt("broken_chain", path+"head", "", "The hash of the last event differs from head: the log was cut or altered.")
	}
}

// bounds refuses a log whose numbers would pass MaxSeq (or wrap): its After, and After+Count.
func (l *SavedLog) bounds(pr *problems, path string) {
	if l.After > MaxSeq || l.Count > MaxSeq-min(l.After, MaxSeq) {
		pr.addAt("seq_out_of_range", path+"after", "", fmt.Sprintf("After and after+count must be at most %d (MaxSeq).", uint64(MaxSeq)))
	}
}

func validPolicyID(s string) bool {
	const p = "sha256:"
	if len(s) != len(p)+64 || s[:len(p)] != p {
		return false
	}
	_, ok := parseHash(s[len(p):])
	return ok
}

// DecodeLog reads a SavedLog from JSON through the package's one reader (byte limit
// o.MaxBytes, DefaultWaitlistMaxBytes by default; unknown, duplicate and case-variant
// members, trailing data and times outside jsonin.TimeInRange refused; problems with a JSON
// path and a code, never the input's text), then checks its chain (ErrBrokenChain when it
// does not hold). The work is linear in the input's size.
func DecodeLog(data []byte, o DecodeOptions) (SavedLog, error) {
	var l SavedLog
	var pr problems
	pr.fromJSON(jsonin.Decode(data, &l, jsonin.Options{MaxBytes: o.maxBytes(DefaultWaitlistMaxBytes)}))
	if pr.len() == 0 {
		l.bounds(&pr, "")
	}
	if err := pr.err(ErrInvalidInput); err != nil {
		return SavedLog{}, err
	}
	l.verify(&pr, "")
	if err := pr.err(ErrBrokenChain); err != nil {
		return SavedLog{}, err
	}
	return l, nil
}

// Snapshot is a waitlist's state after the event Seq: the people waiting with everything
// the list knows of them, the people who left the list and whose records it still holds
// (not yet compacted away: their compliance records stay answerable, 96.126(c) "systematic
// reporting of treatment demand"), and the programs' occupancy. With the events recorded
// after it, it restores the list (RestoreWaitlist), so the events before it may be
// compacted away (Compact).
//
// The recipe for a registry: save each change as it comes (EventsSince or SaveLog), take a
// snapshot now and then and save it, then Compact up to its Seq. To restore, read the last
// snapshot and the events saved after it and call RestoreWaitlist(policy, snapshot, events,
// options); when the State changed its policy after the snapshot (ChangePolicy: the events
// hold an EventPolicyChanged), call RestoreWaitlistAcross(snapshot, events, options,
// policies...) with every policy the list was under since the snapshot (the snapshot's and
// each one a change names; their identities are in Snapshot.Policy and Event.NewPolicy), so
// keep each policy a list was under, by identity, at least until a snapshot taken after its
// last change is saved.
//
// Digest is the hex SHA-256 of the snapshot's content in a canonical form (see digest in the
// source: every field but Digest, times as instants, facts as the events' canonical
// encoding writes them): RestoreWaitlist,
// DecodeSnapshot and DecodeWaitlist refuse a snapshot whose digest differs (or is missing)
// with ErrBrokenChain. What it detects, and what not: a snapshot damaged in storage or
// edited by hand (a person deleted, a fact changed) without the digest being recomputed. It
// does NOT detect a forger who edits the snapshot and recomputes the digest: the digest is
// not keyed, and a snapshot's content is not covered by the events' hash chain (Head names
// the last event included, not what the snapshot says of it). To detect that, keep Digest
// apart from the saved list (with Checkpoint's head, in the registry's database, say) and
// compare, or keep the events up to Seq and rebuild the list from them (Rebuild) to compare
// with the snapshot.
type Snapshot struct {
	Format string `json:"format"`
	// Policy is the identity of the list's policy (Policy.ID).
	Policy string `json:"policy"`
	// Seq is the last event the snapshot includes, Head its hash, At its time.
	Seq      uint64           `json:"seq"`
	Head     string           `json:"head"`
	At       time.Time        `json:"at,omitzero"`
	Arrivals uint64           `json:"arrivals"`
	People   []SnapshotPerson `json:"people"`
	// Departed are the people who left the list by Seq and whose records it still held,
	// in the order they left.
	Departed []SnapshotDeparted `json:"departed,omitempty"`
	Programs []SnapshotProgram  `json:"programs"`
	Digest   string             `json:"digest"`
}

// SnapshotDeparted is one person who left the list, in a Snapshot: what she was owed and
// what was done while she waited, when and why she left (RemovalAdmitted for an admission
// here), and the Seq of the event that removed her.
type SnapshotDeparted struct {
	SnapshotPerson
	LeftAt     time.Time     `json:"left_at"`
	LeftReason RemovalReason `json:"left_reason"`
	LeftSeq    uint64        `json:"left_seq"`
}

// digest returns the hex SHA-256 of s's content (everything but Digest) in a canonical
// binary form: the facts as the events' canonical encoding writes them (appendFacts, with the
// identifier), every other time as Unix nanoseconds, every number and flag, in the snapshot's
// order. Two snapshots that restore the same list have the same digest however their JSON
// writes them (offsets of times, member order); any change that restores another list
// changes it.
func (s *Snapshot) digest() string {
	b := make([]byte, 0, 256+160*(len(s.People)+len(s.Departed))+64*len(s.Programs))
	t := func(b []byte, at time.Time) []byte { return appendU64(b, uint64(unixNano(at))) }
	b = appendStr(b, "dyad.priority.snapshot.digest/1")
	b = appendStr(b, s.Format)
	b = appendStr(b, s.Policy)
	b = appendU64(b, s.Seq)
	b = appendStr(b, s.Head)
	b = t(b, s.At)
	b = appendU64(b, s.Arrivals)
	person := func(b []byte, p *SnapshotPerson) []byte {
		b = appendStr(b, p.Facts.ID)
		b = appendFacts(b, &p.Facts)
		b = appendU64(b, p.Arrival)
		b = binary.LittleEndian.AppendUint16(b, uint16(p.Ever))
		b = append(b, byte(p.Owed), byte(p.LateOwed))
		if p.ReferralOwed {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
		b = binary.AppendVarint(b, int64(p.Contacts.Attempts))
		b = binary.AppendVarint(b, int64(p.Contacts.FailedInRow))
		b = t(b, p.Contacts.LastAttemptAt)
		b = t(b, p.Contacts.LastReachedAt)
		for e := range p.Interim.at {
			b = t(b, p.Interim.at[e])
		}
		b = t(b, p.StateReferredAt)
		b = t(b, p.LateFrom)
		b = t(b, p.ReferralFrom)
		if !p.ReferralDue.IsZero() { // only when set, so that digests of earlier snapshots hold
			b = append(b, 'D')
			b = t(b, p.ReferralDue)
		}
		return b
	}
	b = binary.AppendUvarint(b, uint64(len(s.People)))
	for i := range s.People {
		b = person(b, &s.People[i])
	}
	b = binary.AppendUvarint(b, uint64(len(s.Departed)))
	for i := range s.Departed {
		d := &s.Departed[i]
		b = person(b, &d.SnapshotPerson)
		b = t(b, d.LeftAt)
		b = append(b, byte(d.LeftReason))
		b = appendU64(b, d.LeftSeq)
	}
	b = binary.AppendUvarint(b, uint64(len(s.Programs)))
	for _, p := range s.Programs {
		b = appendStr(b, p.ID)
		b = binary.AppendVarint(b, int64(p.Occupancy.Beds))
		b = binary.AppendVarint(b, int64(p.Occupancy.Occupied))
		if p.Occupancy.ServesInjecting {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
		b = t(b, p.Reached90At)
		b = t(b, p.NotifiedAt)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// verifyDigest refuses a snapshot whose digest is missing or differs from its content.
func (s *Snapshot) verifyDigest() error {
	if s.Digest == "" || s.Digest != s.digest() {
		return fmt.Errorf("%w: the snapshot's digest is missing or differs from its content: it was altered or damaged", ErrBrokenChain)
	}
	return nil
}

// SnapshotPerson is one person waiting, in a Snapshot.
type SnapshotPerson struct {
	Facts   Applicant `json:"facts"`
	Arrival uint64    `json:"arrival"`
	// Ever is every condition that held while she waited, Owed every interim element owed,
	// ReferralOwed whether a State referral is owed: what stays owed when facts change.
	Ever            ConditionSet  `json:"ever"`
	Owed            ElementSet    `json:"owed"`
	ReferralOwed    bool          `json:"referral_owed,omitempty"`
	Contacts        Contacts      `json:"contacts"`
	Interim         InterimRecord `json:"interim"`
	StateReferredAt time.Time     `json:"state_referred_at,omitzero"`
	// LateOwed are the interim elements that became owed only at LateFrom, after the
	// 48-hour window (a pregnancy that began while she waited); ReferralFrom is when a State
	// referral owed for such a pregnancy runs from (zero: from the request).
	LateOwed     ElementSet `json:"late_owed,omitzero"`
	LateFrom     time.Time  `json:"late_from,omitzero"`
	ReferralFrom time.Time  `json:"referral_from,omitzero"`
	// ReferralDue is the State referral's due time as fixed under the policy in force when
	// it arose, when the list has since moved to another policy (see ChangePolicy); zero:
	// due under the snapshot's policy.
	ReferralDue time.Time `json:"referral_due,omitzero"`
}

// SnapshotProgram is one program's occupancy, in a Snapshot.
type SnapshotProgram struct {
	ID          string    `json:"id"`
	Occupancy   Occupancy `json:"occupancy"`
	Reached90At time.Time `json:"reached_90_at,omitzero"`
	NotifiedAt  time.Time `json:"notified_at,omitzero"`
}

// Snapshot returns the list's state after its last event. It costs O(n) for n people waiting.
func (w *Waitlist) Snapshot() Snapshot {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.policy == nil {
		return Snapshot{}
	}
	return w.snapshot()
}

func (w *Waitlist) snapshot() Snapshot {
	w.log.hashAll()
	s := Snapshot{Format: FormatSnapshot, Policy: w.policy.id, Seq: w.log.next - 1, Head: hexHash(w.log.head),
		At: timeOf(w.last), Arrivals: w.arrivals, People: make([]SnapshotPerson, 0, w.waiting), Programs: []SnapshotProgram{}}
	w.order.ascend(func(_ k128, slot uint32) bool {
		s.People = append(s.People, w.snapshotPerson(&w.recs[slot]))
		return true
	})
	for _, slot := range w.departed {
		r := &w.recs[slot]
		if cur, ok := w.byID.get(w, w.idOf(r)); !ok || cur != slot {
			continue // an earlier stay of an identifier that came back: not answerable
		}
		s.Departed = append(s.Departed, SnapshotDeparted{SnapshotPerson: w.snapshotPerson(r), LeftAt: nsTime(r.left), LeftReason: r.reason, LeftSeq: r.depSeq()})
	}
	slices.SortFunc(s.Departed, func(a, b SnapshotDeparted) int { return cmp.Compare(a.LeftSeq, b.LeftSeq) })
	slices.SortFunc(s.People, func(a, b SnapshotPerson) int {
		if a.Arrival < b.Arrival {
			return -1
		}
		return 1
	})
	for id, p := range w.programs {
		s.Programs = append(s.Programs, SnapshotProgram{ID: id, Occupancy: p.occ, Reached90At: timeOf(p.reached), NotifiedAt: timeOf(p.notified)})
	}
	slices.SortFunc(s.Programs, func(a, b SnapshotProgram) int {
		if a.ID < b.ID {
			return -1
		}
		return 1
	})
	s.Digest = s.digest()
	return s
}

// snapshotPerson returns r as a SnapshotPerson.
func (w *Waitlist) snapshotPerson(r *rec) SnapshotPerson {
	p := SnapshotPerson{Facts: w.applicant(r), Arrival: r.arrival, Ever: r.ever, Owed: r.owed, ReferralOwed: r.referral, Interim: w.interimRecord(r)}
	if x := w.progOf(r); x != nil {
		p.Contacts = Contacts{Attempts: int(x.attempts), FailedInRow: int(x.failedInRow), LastAttemptAt: timeOf(x.lastAttempt), LastReachedAt: timeOf(x.lastReach)}
		p.StateReferredAt = timeOf(x.referred)
		p.LateOwed, p.LateFrom, p.ReferralFrom = x.late, timeOf(x.lateAt), timeOf(x.referralFrom)
		p.ReferralDue = timeOf(x.referralDue)
	}
	return p
}

// validate checks a snapshot's shape (not its agreement with any log).
func (s *Snapshot) validate(pr *problems, path string) {
	if s.Format != FormatSnapshot {
		pr.addAt("wrong_format", path+"format", "", "Expected the format "+FormatSnapshot+".")
	}
	if !validPolicyID(s.Policy) {
		pr.addAt("invalid_policy_id", path+"policy", "", "Expected a policy identity, sha256: and 64 hex digits.")
	}
	if _, ok := parseHash(s.Head); !ok {
		pr.addAt("invalid_hash", path+"head", "", "Expected 64 hex digits.")
	}
	if uint64(len(s.People)) > s.Arrivals {
		pr.addAt("inconsistent_snapshot", path+"arrivals", "", "More people wait than ever arrived.")
	}
	// Every sequence number and count is bounded (MaxSeq), so that the restored list's next
	// event numbers never wrap; every arrival, departure and program is an event up to Seq,
	// so a snapshot at Seq 0 holds nothing.
	if s.Seq > MaxSeq {
		pr.addAt("seq_out_of_range", path+"seq", "", fmt.Sprintf("A snapshot's seq must be at most %d (MaxSeq).", uint64(MaxSeq)))
	}
	if s.Arrivals > s.Seq {
		pr.addAt("inconsistent_snapshot", path+"arrivals", "", "Each arrival is an event: arrivals cannot exceed seq.")
	}
	if uint64(len(s.Programs)) > s.Seq {
		pr.addAt("inconsistent_snapshot", path+"programs", "", "Each program was recorded by an event: more programs than seq.")
	}
	seen := make(map[string]bool, len(s.People))
	var last uint64
	for i := range s.People {
		p := &s.People[i]
		at := fmt.Sprintf("%speople[%d]", path, i)
		p.Facts.validate(pr, at+".facts")
		if seen[p.Facts.ID] {
			pr.addAt("duplicate_id", at+".facts.id", CiteWaitingList, "Two people waiting share an identifier.")
		}
		seen[p.Facts.ID] = true
		if p.Arrival <= last || p.Arrival > s.Arrivals {
			pr.addAt("inconsistent_snapshot", at+".arrival", "", "Arrival numbers must increase and not exceed arrivals.")
		}
		last = p.Arrival
		if p.Contacts.Attempts < 0 || p.Contacts.FailedInRow < 0 || p.Contacts.FailedInRow > p.Contacts.Attempts || uint64(p.Contacts.Attempts) > s.Seq || p.Contacts.Attempts > math.MaxUint32 {
			pr.addAt("inconsistent_snapshot", at+".contacts", "", "Contact counts must be 0 or more, failures no more than attempts, attempts (each an event) no more than seq.")
		}
		if !p.ReferralDue.IsZero() && (p.ReferralDue.Before(p.Facts.SoughtAt) || !p.ReferralFrom.IsZero() && p.ReferralDue.Before(p.ReferralFrom)) {
			pr.addAt("inconsistent_snapshot", at+".referral_due", CiteStateReferral, "A referral's due time is after the request it answers.")
		}
		if (p.LateOwed != 0) != !p.LateFrom.IsZero() || p.LateOwed&^p.Owed != 0 || (!p.LateFrom.IsZero() && p.LateFrom.Before(p.Facts.SoughtAt)) {
			pr.addAt("inconsistent_snapshot", at+".late_owed", CiteInterimPregnant, "Late elements need the moment they became owed, after the request, and must be among those owed.")
		}
	}
	seenGone := make(map[string]bool, len(s.Departed))
	var lastSeq uint64
	for i := range s.Departed {
		d := &s.Departed[i]
		at := fmt.Sprintf("%sdeparted[%d]", path, i)
		d.Facts.validate(pr, at+".facts")
		if seenGone[d.Facts.ID] {
			pr.addAt("duplicate_id", at+".facts.id", CiteWaitingList, "Two departed records share an identifier.")
		}
		seenGone[d.Facts.ID] = true
		if d.Arrival == 0 || d.Arrival > s.Arrivals {
			pr.addAt("inconsistent_snapshot", at+".arrival", "", "An arrival number must be 1 to arrivals.")
		}
		if d.LeftSeq <= lastSeq || d.LeftSeq > s.Seq {
			pr.addAt("inconsistent_snapshot", at+".left_seq", "", "Departures must be in the order of their events, at or before the snapshot's seq.")
		}
		lastSeq = d.LeftSeq
		if !d.LeftReason.IsValid() || d.LeftAt.IsZero() || d.LeftAt.Before(d.Facts.SoughtAt) || (!s.At.IsZero() && d.LeftAt.After(s.At)) {
			pr.addAt("inconsistent_snapshot", at+".left_at", CiteWaitingList, "A departure needs a reason and a time between the request and the snapshot's time.")
		}
		if !d.ReferralDue.IsZero() && (d.ReferralDue.Before(d.Facts.SoughtAt) || !d.ReferralFrom.IsZero() && d.ReferralDue.Before(d.ReferralFrom)) {
			pr.addAt("inconsistent_snapshot", at+".referral_due", CiteStateReferral, "A referral's due time is after the request it answers.")
		}
		if d.Contacts.Attempts < 0 || d.Contacts.FailedInRow < 0 || d.Contacts.FailedInRow > d.Contacts.Attempts || uint64(d.Contacts.Attempts) > s.Seq || d.Contacts.Attempts > math.MaxUint32 {
			pr.addAt("inconsistent_snapshot", at+".contacts", "", "Contact counts must be 0 or more, failures no more than attempts, attempts (each an event) no more than seq.")
		}
	}
	for i, p := range s.Programs {
		at := fmt.Sprintf("%sprograms[%d]", path, i)
		if !ident.Valid(p.ID) {
			pr.addAt("invalid_id", at+".id", "", "The program identifier does not follow the rule: "+ident.Rule)
		}
		if o := p.Occupancy; o.Beds < 0 || o.Occupied < 0 || o.Occupied > o.Beds || o.Beds > MaxBeds {
			pr.addAt("overfull", at+".occupancy", CiteCapacityNotice, "Occupancy needs 0 <= occupied <= beds.")
		}
	}
}

// DecodeSnapshot reads a Snapshot from JSON through the package's one reader, with the limits
// and promises of DecodeLog, checks its shape, and its digest (ErrBrokenChain when it is
// missing or differs; see Snapshot for what the digest does and does not detect).
func DecodeSnapshot(data []byte, o DecodeOptions) (Snapshot, error) {
	var s Snapshot
	var pr problems
	pr.fromJSON(jsonin.Decode(data, &s, jsonin.Options{MaxBytes: o.maxBytes(DefaultWaitlistMaxBytes)}))
	if pr.len() == 0 {
		s.validate(&pr, "")
	}
	if err := pr.err(ErrInvalidInput); err != nil {
		return Snapshot{}, err
	}
	if err := s.verifyDigest(); err != nil {
		return Snapshot{}, err
	}
	return s, nil
}

// RestoreWaitlist returns the list a snapshot describes, with events (recorded after it, the
// first of Seq s.Seq+1) applied. The snapshot and events must be of c's policy
// (ErrPolicyMismatch otherwise), and the snapshot's Digest must match its content
// (ErrBrokenChain otherwise; see Snapshot). To carry a list to an amended policy, restore it
// under its own policy and record the change with ChangePolicy. Events holding a change of
// policy (EventPolicyChanged) are refused here (ErrPolicyMismatch): restore those with
// RestoreWaitlistAcross, given every policy they name.
func RestoreWaitlist(c *Compiled, s Snapshot, events []Event, o WaitlistOptions) (*Waitlist, error) {
	if c == nil {
		return nil, fmt.Errorf("%w: nil policy", ErrInvalidPolicy)
	}
	return restoreWaitlist(c, s, events, o, nil)
}

// RestoreWaitlistAcross is RestoreWaitlist for events that may change policy
// (EventPolicyChanged), as RebuildAcross is Rebuild's: the snapshot is restored under the
// policy of policies whose identity it names, and the events after it are applied, the list
// moving at each change of policy to the policy of policies whose identity the change names.
// A snapshot or a change naming a policy not among policies is refused with
// ErrPolicyMismatch, a nil policy with ErrInvalidPolicy. It is how a registry restores a
// list from its last snapshot and the events saved since it when the State amended its
// policy after that snapshot (ChangePolicy): the documented recipe (save the events as they
// come, snapshot now and then, Compact) then needs no snapshot at each change of policy,
// only every policy the list was under since the snapshot.
func RestoreWaitlistAcross(s Snapshot, events []Event, o WaitlistOptions, policies ...*Compiled) (*Waitlist, error) {
	known := make(map[string]*Compiled, len(policies))
	for _, c := range policies {
		if c == nil {
			return nil, fmt.Errorf("%w: nil policy", ErrInvalidPolicy)
		}
		known[c.id] = c
	}
	c := known[s.Policy]
	if c == nil {
		return nil, fmt.Errorf("%w: the snapshot was taken under policy %s, which was not given", ErrPolicyMismatch, quotePolicyID(s.Policy))
	}
	return restoreWaitlist(c, s, events, o, known)
}

// restoreWaitlist is RestoreWaitlist; known are the policies a change of policy among events
// may move to (none: such a change is refused).
func restoreWaitlist(c *Compiled, s Snapshot, events []Event, o WaitlistOptions, known map[string]*Compiled) (*Waitlist, error) {
	var pr problems
	s.validate(&pr, "snapshot.")
	if err := pr.err(ErrInvalidInput); err != nil {
		return nil, err
	}
	if err := s.verifyDigest(); err != nil {
		return nil, err
	}
	if s.Policy != c.id {
		return nil, fmt.Errorf("%w: the snapshot was taken under policy %s, not %s", ErrPolicyMismatch, quotePolicyID(s.Policy), c.id)
	}
	w := newWaitlist(c)
	if o.Now != nil {
		if err := w.setOptions(o); err != nil {
			return nil, err
		}
	}
	head, _ := parseHash(s.Head)
	w.log.next, w.log.hashed, w.log.head = s.Seq+1, s.Seq, head
	w.arrivals = s.Arrivals
	w.last = unixNano(s.At)
	at := s.At
	for _, sp := range s.Programs {
		w.programs[sp.ID] = &progState{occ: sp.Occupancy, reached: unixNano(sp.Reached90At), notified: unixNano(sp.NotifiedAt)}
	}
	restore := func(p *SnapshotPerson) uint32 {
		w.recs = append(w.recs, rec{arrival: p.Arrival, left: noTime, dl: noPos, chg: noPos, ever: p.Ever, owed: p.Owed, referral: p.ReferralOwed})
		slot := uint32(len(w.recs) - 1)
		r := &w.recs[slot]
		w.setFacts(r, &p.Facts)
		ct := p.Contacts
		if ct != (Contacts{}) || !p.StateReferredAt.IsZero() || p.Interim != (InterimRecord{}) || p.LateOwed != 0 || !p.ReferralFrom.IsZero() || !p.ReferralDue.IsZero() {
			x := w.prog(r)
			x.late, x.lateAt, x.referralFrom = p.LateOwed&p.Owed, unixNano(p.LateFrom), unixNano(p.ReferralFrom)
			x.referralDue = unixNano(p.ReferralDue)
			x.attempts, x.failedInRow = uint32(ct.Attempts), uint32(ct.FailedInRow)
			x.lastAttempt, x.lastReach, x.referred = unixNano(ct.LastAttemptAt), unixNano(ct.LastReachedAt), unixNano(p.StateReferredAt)
			for e := ElementHIVTBEducation; e < numElements; e++ {
				x.interim[e-1] = unixNano(p.Interim.at[e])
			}
		}
		w.byID.set(w, p.Facts.ID, slot)
		return slot
	}
	if at.IsZero() && len(s.People)+len(s.Departed) > 0 {
		return nil, fmt.Errorf("%w: a snapshot with people has a time", ErrInvalidInput)
	}
	// The departed first, so that a person waiting again under the same identifier is the
	// one the identifier names.
	for i := range s.Departed {
		d := &s.Departed[i]
		slot := restore(&d.SnapshotPerson)
		r := &w.recs[slot]
		r.cond = w.condsAt(r, d.LeftAt)
		r.rank = uint8(c.rankOf(r.cond))
		r.left, r.reason = d.LeftAt.UnixNano(), d.LeftReason
		r.setDepSeq(d.LeftSeq)
		w.departed = append(w.departed, slot)
	}
	for i := range s.People {
		slot := restore(&s.People[i])
		w.waiting++
		w.place(slot, at)
	}
	w.known = known
	for i := range events {
		if err := w.apply(&events[i], true); err != nil {
			return nil, fmt.Errorf("event %d: %w", events[i].Seq, err)
		}
	}
	w.known = nil
	return w, nil
}

// Compact drops from memory the events up to seq and the records of people who left the
// list by then, so that a list running for years holds what is waiting, not its history.
// Call it once the events up to seq are saved (EventsSince, SaveLog) and a snapshot taken
// at or after seq is saved: the dropped events can no longer be asked for (ErrCompacted),
// nor the people who left (ErrNotFound). Events are dropped in whole chunks of about 64 KiB,
// so a few after the last whole chunk may stay.
func (w *Waitlist) Compact(seq uint64) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.policy == nil {
		return errNoPolicy
	}
	if seq >= w.log.next {
		return fmt.Errorf("%w: compaction after event %d, the list's last is %d", ErrOutOfOrder, seq, w.log.next-1)
	}
	w.log.compact(seq)
	kept := w.departed[:0]
	for _, slot := range w.departed {
		r := &w.recs[slot]
		if r.waiting() || r.depSeq() > seq {
			if !r.waiting() {
				kept = append(kept, slot)
			}
			continue
		}
		if id := w.idOf(r); true {
			if cur, ok := w.byID.get(w, id); ok && cur == slot {
				w.byID.del(w, id, slot)
			}
		}
		w.free(slot)
	}
	w.departed = slices.Clip(kept)
	w.packIDs()
	return nil
}

// savedWaitlist is a whole list as saved: the policy, a snapshot when the list was
// compacted, and the log after it.
type savedWaitlist struct {
	Format   string    `json:"format"`
	Policy   Policy    `json:"policy"`
	Snapshot *Snapshot `json:"snapshot,omitempty"`
	Log      SavedLog  `json:"log"`
}

// MarshalJSON saves the list: {"format", "policy", "snapshot"?, "log"}. A list never
// compacted (nor moved to another policy) is saved as its whole log (replayed exactly); a
// compacted one, or one that changed policy (saved under its current policy), as a snapshot of
// its state (the people waiting and the departed records it still holds, with its digest)
// and an empty log after it.
func (w *Waitlist) MarshalJSON() ([]byte, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.policy == nil {
		return nil, errNoPolicy
	}
	s := savedWaitlist{Format: FormatWaitlist, Policy: w.policy.policy}
	if w.log.first() > 1 || w.policyChanged {
		snap := w.snapshot()
		s.Snapshot = &snap
	}
	after := uint64(0)
	if s.Snapshot != nil {
		after = s.Snapshot.Seq
	}
	l, err := w.saveLog(after)
	if err != nil {
		return nil, err
	}
	s.Log = l
	return json.Marshal(s)
}

// WaitlistDecodeOptions configure DecodeWaitlist.
type WaitlistDecodeOptions struct {
	// MaxBytes is the largest input accepted (DefaultWaitlistMaxBytes when zero).
	MaxBytes int
	// Location is the calendar-days zone of the saved policy, if it names one (as for
	// CompileIn); nil loads it with time.LoadLocation (Compile).
	Location *time.Location
	// Options are the decoded list's options; without Now the list refuses changes until
	// SetOptions gives it a clock.
	Options WaitlistOptions
}

// DecodeWaitlist reads a list saved by MarshalJSON through the package's one JSON reader
// (the limits and promises of DecodeLog), checks the log's chain, the snapshot's digest
// (ErrBrokenChain for either) and that the snapshot and log are of the saved policy, and
// rebuilds the list.
func DecodeWaitlist(data []byte, o WaitlistDecodeOptions) (*Waitlist, error) {
	var s savedWaitlist
	var pr problems
	pr.fromJSON(jsonin.Decode(data, &s, jsonin.Options{MaxBytes: DecodeOptions{MaxBytes: o.MaxBytes}.maxBytes(DefaultWaitlistMaxBytes)}))
	if err := pr.err(ErrInvalidInput); err != nil {
		return nil, err
	}
	if s.Format != FormatWaitlist {
		pr.addAt("wrong_format", "format", "", "Expected the format "+FormatWaitlist+".")
	}
	if s.Snapshot != nil {
		s.Snapshot.validate(&pr, "snapshot.")
	}
	s.Log.bounds(&pr, "log.")
	if err := pr.err(ErrInvalidInput); err != nil {
		return nil, err
	}
	if s.Snapshot != nil {
		if err := s.Snapshot.verifyDigest(); err != nil {
			return nil, err
		}
	}
	s.Log.verify(&pr, "log.")
	if err := pr.err(ErrBrokenChain); err != nil {
		return nil, err
	}
	var c *Compiled
	var err error
	if o.Location != nil {
		c, err = CompileIn(s.Policy, o.Location)
	} else {
		c, err = Compile(s.Policy)
	}
	if err != nil {
		return nil, err
	}
	if s.Log.Policy != c.id {
		return nil, fmt.Errorf("%w: the log was recorded under another policy than the one saved with it", ErrPolicyMismatch)
	}
	var w *Waitlist
	if s.Snapshot != nil {
		if s.Log.After != s.Snapshot.Seq || s.Log.Prev != s.Snapshot.Head {
			return nil, fmt.Errorf("%w: the log does not follow the snapshot", ErrBrokenChain)
		}
		w, err = RestoreWaitlist(c, *s.Snapshot, s.Log.Events, o.Options)
	} else {
		if s.Log.After != 0 {
			return nil, fmt.Errorf("%w: a log that does not start at the first event needs a snapshot", ErrBrokenChain)
		}
		w, err = Rebuild(c, s.Log.Events)
		if err == nil && o.Options.Now != nil {
			err = w.setOptions(o.Options)
		}
	}
	if err != nil {
		return nil, err
	}
	return w, nil
}

// UnmarshalJSON restores a list saved by MarshalJSON (DecodeWaitlist with its defaults). The
// restored list has no clock: give it one with SetOptions before changing it.
func (w *Waitlist) UnmarshalJSON(b []byte) error {
	nw, err := DecodeWaitlist(b, WaitlistDecodeOptions{})
	if err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.policy, w.opts, w.byID, w.recs, w.freeSlots = nw.policy, nw.opts, nw.byID, nw.recs, nw.freeSlots
	w.repros, w.progs, w.idArena, w.idGarbage = nw.repros, nw.progs, nw.idArena, nw.idGarbage
	w.order, w.dl, w.chg, w.programs, w.log = nw.order, nw.dl, nw.chg, nw.programs, nw.log
	w.last, w.arrivals, w.waiting, w.departed = nw.last, nw.arrivals, nw.waiting, nw.departed
	return nil
}
