package referral

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/internal/jsonin"
)

// The decoders read the package's own JSON formats (a referral, a saved event log, a
// partner) through the library's one JSON reader, and keep its promises:
//
//   - A byte limit, checked before anything is read: DefaultMaxReferralBytes (4 MiB,
//     some 15,000 events) for a referral or a log, DefaultMaxPartnerBytes (1 MiB) for a
//     partner, or DecodeOptions.MaxBytes. A 64 MiB input is refused at once.
//   - At most 64 levels of nesting.
//   - A member repeated in one object, in any letter case ("events" and "Events"), is
//     refused (duplicate_key): no second copy silently replaces the history.
//   - Nothing may follow the one JSON value (trailing_data), and a member the format does
//     not have is refused (unknown_field).
//   - Every problem carries a stable code and its path (such as "events[3].at"), never
//     the input's text: not an unknown code, not a bad time, not a member name that does
//     not look like a schema name (its path shows "?").
//   - Every problem is listed, up to DecodeOptions.MaxProblems (100 by default), then one
//     too_many_problems entry and ValidationError.Omitted say how many more there were.
//   - Times are RFC 3339 from 1900-01-01 to 2199-12-31 (UTC); Go's zero time,
//     "0001-01-01T00:00:00Z", reads as "not given".
//   - A saved log must be whole and unaltered: its count is the number of its events, each
//     event's prev is the hash of the one before it, and its head is the hash of the last
//     (see chain.go); a log cut at an event boundary is refused with ProblemLogTruncated,
//     an altered, removed or inserted event with ProblemLogChain or ProblemLogHead.
//   - Work and memory are linear in the input.

// Problem codes of the decoders, the saved log and the checks shared by several types
// (stable API). Every decoder of the library uses the same reading codes (those of its one
// JSON reader).
const (
	// ProblemUnknownCode is an enum code this package does not know.
	ProblemUnknownCode = "unknown_code"
	// ProblemTooLarge is an input longer than the decoder's byte limit.
	ProblemTooLarge = jsonin.CodeTooLarge
	// ProblemEmpty is an input that holds no JSON value.
	ProblemEmpty = jsonin.CodeEmpty
	// ProblemSyntax is input that is not JSON (the message gives a byte offset).
	ProblemSyntax = jsonin.CodeSyntax
	// ProblemTooDeep is JSON nested deeper than 64 levels.
	ProblemTooDeep = jsonin.CodeTooDeep
	// ProblemTrailingData is anything after the one JSON value.
	ProblemTrailingData = jsonin.CodeTrailingData
	// ProblemDuplicateKey is a member repeated in one object, letter case aside.
	ProblemDuplicateKey = jsonin.CodeDuplicateKey
	// ProblemUnknownField is a member the format does not have.
	ProblemUnknownField = jsonin.CodeUnknownField
	// ProblemWrongType is a value of the wrong JSON type (a number for a string).
	ProblemWrongType = jsonin.CodeWrongType
	// ProblemOutOfRange is a number too large for its field, or a time outside the range
	// every decoder accepts, 1900-01-01 to 2199-12-31 (UTC).
	ProblemOutOfRange = jsonin.CodeOutOfRange
	// ProblemInvalidValue is a value its field refuses, such as a time not in RFC 3339.
	ProblemInvalidValue = jsonin.CodeInvalidValue
	// ProblemTooMany is the last entry of a list cut short at its cap.
	ProblemTooMany = jsonin.CodeTooManyProblems

	// ProblemIdentifierInvalid is an identifier that breaks the library's one rule: 1 to
	// 128 bytes of ASCII letters, digits and . _ - : / @ #.
	ProblemIdentifierInvalid = "identifier_invalid"
	// ProblemTimeOutOfRange is a time, given to Append or a method that appends, outside
	// 1900-01-01 to 2199-12-31 (UTC) or with a UTC offset that is not whole minutes.
	ProblemTimeOutOfRange = "time_out_of_range"
	// ProblemInvalidDuration is a partner window that is not a Go duration such as "72h".
	ProblemInvalidDuration = "invalid_duration"
	// ProblemNotReference is a field of a consent record that is not a reference of its
	// form (a basis, an edition, a citation; see cite.go) or a reason's message, which a
	// record does not keep: a consent record holds identifiers, codes and citations only,
	// never free text.
	ProblemNotReference = "not_a_reference"
	// ProblemEventChain is an event given to Append whose Prev is not the hash of the
	// referral's latest event.
	ProblemEventChain = "event_chain_broken"

	// ProblemLogUnchained is a saved log with no count, no head and no event hashes (one
	// saved before logs carried them, or one stripped of them); DecodeOptions.AllowUnchained
	// reads it.
	ProblemLogUnchained = "log_unchained"
	// ProblemLogTruncated is a saved log holding fewer events than its count: it was cut.
	ProblemLogTruncated = "log_truncated"
	// ProblemLogCount is a saved log without a count, or holding more events than it says.
	ProblemLogCount = "log_count_mismatch"
	// ProblemLogChain is an event whose prev is not the hash of the event before it: an
	// event was altered, removed or inserted (the fault is this event or the one before).
	ProblemLogChain = "log_chain_broken"
	// ProblemLogHead is a saved log without a head, or whose last event does not hash to
	// it: the last event was altered, or events were cut or added at the end.
	ProblemLogHead = "log_head_mismatch"
)

// Default byte limits of the decoders. An event takes 150 to 600 bytes.
const (
	DefaultMaxReferralBytes = 4 << 20 // 4 MiB: a referral's JSON or a saved log
	DefaultMaxPartnerBytes  = 1 << 20 // 1 MiB: a partner with its QSO agreements
)

// DecodeOptions bound the decoders and say whether old logs are read. The zero value takes
// the documented defaults; a plain struct, so that a service can log and compare its
// configuration.
type DecodeOptions struct {
	// MaxBytes is the longest input accepted, in bytes; 0 takes the decoder's default.
	MaxBytes int `json:"max_bytes,omitempty"`
	// MaxProblems is the most problems listed; 0 takes 100.
	MaxProblems int `json:"max_problems,omitempty"`
	// AllowUnchained reads a log saved before logs carried a count and a hash chain: no
	// "count", no "head" and no event "prev" at all (for DecodeEvents, a bare array of
	// events). Its events are chained as they are read, so that saving the referral again
	// writes the chain. Such a log cannot show that it was cut short or altered: set this
	// only to bring old files over, once, from a store you trust. A log with any part of
	// the chain is checked in full whatever this says. By default such logs are refused
	// (ProblemLogUnchained).
	AllowUnchained bool `json:"allow_unchained,omitempty"`
}

func (o DecodeOptions) jsonOptions(defaultMax int) jsonin.Options {
	max := defaultMax
	if o.MaxBytes > 0 {
		max = o.MaxBytes
	}
	return jsonin.Options{MaxBytes: max, MaxProblems: o.MaxProblems}
}

func (o DecodeOptions) problems(what string) problems {
	ps := problems{what: what}
	ps.Max = o.MaxProblems
	return ps
}

// referralSnapshot is what a referral's JSON says of it beside its events, for readers; the
// events are the truth, and the snapshot is checked against them on decode.
type referralSnapshot struct {
	ID          string         `json:"id"`
	Patient     string         `json:"patient"`
	Subject     Subject        `json:"subject"`
	Program     string         `json:"program"`
	Partner     string         `json:"partner"`
	PartnerKind PartnerKind    `json:"partner_kind"`
	SUD         SUDContent     `json:"sud,omitzero"`
	Status      Status         `json:"status"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	Consent     *ConsentRecord `json:"consent,omitempty"`
	Dues        []Due          `json:"dues,omitempty"`
}

// referralJSON is a referral's JSON form: the snapshot, the log's count and head, and the
// events.
type referralJSON struct {
	referralSnapshot
	Count  int     `json:"count"`
	Head   string  `json:"head"`
	Events []Event `json:"events"`
}

// referralIn is what is read: count and head may be absent (an old log).
type referralIn struct {
	referralSnapshot
	Count  *int    `json:"count"`
	Head   *string `json:"head"`
	Events []Event `json:"events"`
}

// Log is a referral's saved event log: its events, how many there are, and the hash of
// the last one (Referral.Head), so that a log cut short or altered is refused when it is
// read back (DecodeEvents). Each event carries the hash of the one before it (Event.Prev).
type Log struct {
	Count  int     `json:"count"`  // the number of events
	Head   string  `json:"head"`   // the hash of the last event
	Events []Event `json:"events"` // every event, in order
}

// Log returns the referral's event log, ready to save as JSON.
func (r *Referral) Log() Log {
	es := r.Events()
	return Log{Count: len(es), Head: r.Head(), Events: es}
}

// MarshalJSON encodes the referral as a snapshot (id, patient, subject, program, partner,
// partner_kind, sud, status, created_at, updated_at, consent, dues), the count of its
// events, the hash of the last (head), and its events, each with the hash of the one
// before it (prev).
func (r *Referral) MarshalJSON() ([]byte, error) {
	j := referralJSON{referralSnapshot: referralSnapshot{ID: r.draft.ID, Patient: r.draft.Patient,
		Subject: r.draft.Subject, Program: r.draft.Program, Partner: r.draft.Partner,
		PartnerKind: r.draft.PartnerKind, SUD: r.draft.SUD, Status: r.status, CreatedAt: r.created,
		UpdatedAt: r.updated, Consent: r.consent, Dues: r.dues},
		Count: len(r.events), Head: r.Head(), Events: r.events}
	if j.Events == nil {
		j.Events = []Event{}
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes a referral as DecodeOptions.DecodeReferral does with the default
// options.
func (r *Referral) UnmarshalJSON(b []byte) error {
	got, err := DecodeOptions{}.DecodeReferral(b)
	if err != nil {
		return err
	}
	*r = *got
	return nil
}

// DecodeReferral decodes one referral's JSON with the default options: see
// DecodeOptions.DecodeReferral.
func DecodeReferral(b []byte) (*Referral, error) { return DecodeOptions{}.DecodeReferral(b) }

// DecodeReferral decodes one referral's JSON (MarshalJSON's form): it reads it strictly
// (the promises listed above DecodeOptions; at most MaxBytes, DefaultMaxReferralBytes by
// default), checks that the log is whole and unaltered (count, every event's prev, head;
// an old log without them only with AllowUnchained), rebuilds the referral from its events
// (Rebuild's rules, each event's problems listed at "events[i]"), and checks that the
// snapshot fields agree with what the events make; a disagreement wraps ErrInconsistent.
// A refused transition is a *TransitionError or a *GateError, as from Rebuild.
func (o DecodeOptions) DecodeReferral(b []byte) (*Referral, error) {
	ps := o.problems("referral")
	var j referralIn
	if err := jsonin.Decode(b, &j, o.jsonOptions(DefaultMaxReferralBytes)); err != nil {
		ps.AddJSON(err)
		return nil, ps.err()
	}
	got, err := o.rebuild(&ps, j.Count, j.Head, j.Events, false)
	if err != nil {
		return nil, err
	}
	ps = o.problems("referral snapshot")
	check := func(ok bool, field string) {
		if !ok {
			ps.add("snapshot_mismatch", field, "", "The snapshot field disagrees with the referral's events.")
		}
	}
	d := got.draft
	check(j.ID == d.ID, "id")
	check(j.Patient == d.Patient, "patient")
	check(j.Subject == d.Subject, "subject")
	check(j.Program == d.Program, "program")
	check(j.Partner == d.Partner, "partner")
	check(j.PartnerKind == d.PartnerKind, "partner_kind")
	check(j.SUD == d.SUD, "sud")
	check(j.Status == got.status, "status")
	check(j.CreatedAt.Equal(got.created), "created_at")
	check(j.UpdatedAt.Equal(got.updated), "updated_at")
	check((j.Consent == nil) == (got.consent == nil) && (j.Consent == nil || consentEqual(*j.Consent, *got.consent)), "consent")
	check(slices.EqualFunc(j.Dues, got.dues, dueEqual), "dues")
	if err := ps.err(); err != nil {
		return nil, &inconsistentError{err.(*ValidationError)}
	}
	return got, nil
}

// DecodeEvents decodes a saved Log with the default options: see
// DecodeOptions.DecodeEvents.
func DecodeEvents(b []byte) (*Referral, error) { return DecodeOptions{}.DecodeEvents(b) }

// DecodeEvents decodes a saved Log ({"count": N, "head": "...", "events": [...]}, as
// Referral.Log makes it) strictly, checks that it is whole and unaltered, and rebuilds the
// referral its events make (Rebuild's rules). The input is at most MaxBytes long
// (DefaultMaxReferralBytes by default). A bare JSON array of events, as logs were saved
// before they carried a count and a hash chain, is refused (ProblemLogUnchained) unless
// AllowUnchained is set.
func (o DecodeOptions) DecodeEvents(b []byte) (*Referral, error) {
	ps := o.problems("referral log")
	if firstByte(b) == '[' {
		var es []Event
		if err := jsonin.Decode(b, &es, o.jsonOptions(DefaultMaxReferralBytes)); err != nil {
			ps.AddJSON(err)
			return nil, ps.err()
		}
		if !o.AllowUnchained {
			ps.add(ProblemLogUnchained, "", "", "A bare array of events has no count and no head, so a cut would go unseen; it is read only when old logs are allowed.")
			return nil, ps.err()
		}
		return o.rebuild(&ps, nil, nil, es, true)
	}
	var l struct {
		Count  *int    `json:"count"`
		Head   *string `json:"head"`
		Events []Event `json:"events"`
	}
	if err := jsonin.Decode(b, &l, o.jsonOptions(DefaultMaxReferralBytes)); err != nil {
		ps.AddJSON(err)
		return nil, ps.err()
	}
	return o.rebuild(&ps, l.Count, l.Head, l.Events, false)
}

// firstByte returns the first byte of b that is not JSON white space, or 0.
func firstByte(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\n', '\r':
		default:
			return c
		}
	}
	return 0
}

// rebuild checks the log's count, chain and head (or, for a log without any of them, that
// AllowUnchained is set) and then applies its events, listing the problems of a refused
// event at "events[i]". A bare array (allowed by the caller) has no count or head: only
// the prev its events carry are checked, by Append.
func (o DecodeOptions) rebuild(ps *problems, count *int, head *string, events []Event, bare bool) (*Referral, error) {
	chained := !bare && (count != nil || head != nil)
	for i := 0; !bare && i < len(events); i++ {
		if events[i].Prev != "" {
			chained = true
			break
		}
	}
	switch {
	case bare:
	case chained:
		checkChain(ps, count, head, events)
	case !o.AllowUnchained:
		ps.add(ProblemLogUnchained, "", "", "The log has no count and no hash chain (it was saved before logs carried them, or they were removed), so a cut or an alteration would go unseen; it is read only when old logs are allowed.")
	}
	if len(events) == 0 && ps.Len() == 0 {
		ps.add("events_empty", "events", "", "A referral needs at least its creation event.")
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	r := &Referral{}
	for i := range events {
		if err := r.Append(events[i]); err != nil {
			var ve *ValidationError
			if errors.As(err, &ve) {
				ps.what = "referral events"
				ps.merge("events["+strconv.Itoa(i)+"]", ve)
				return nil, ps.err()
			}
			return nil, err
		}
	}
	return r, nil
}

// checkChain lists what is wrong with a log's count, its events' prev and its head.
func checkChain(ps *problems, count *int, head *string, events []Event) {
	switch {
	case count == nil:
		ps.add(ProblemLogCount, "count", "", "The log does not say how many events it holds.")
	case *count > len(events):
		ps.add(ProblemLogTruncated, "count", "", "The log holds fewer events than its count: it was cut short.")
	case *count < len(events):
		ps.add(ProblemLogCount, "count", "", "The log holds more events than its count.")
	}
	prev := ""
	for i := range events {
		if events[i].Prev != prev {
			msg := "The event does not follow the one before it: this event or the one before was altered, or an event was removed or inserted."
			if i == 0 {
				msg = "The first event follows no other, so it carries no hash of a predecessor."
			}
			ps.add(ProblemLogChain, "events["+strconv.Itoa(i)+"].prev", "", msg)
		}
		prev = hexHash(hashEvent(&events[i]))
	}
	switch {
	case head == nil:
		ps.add(ProblemLogHead, "head", "", "The log does not carry the hash of its last event.")
	case count != nil && *count == len(events) && *head != prev:
		ps.add(ProblemLogHead, "head", "", "The last event is not the one the log was saved with: it was altered, or events were cut or added at the end.")
	}
}

type inconsistentError struct{ *ValidationError }

// Is reports whether target is ErrInconsistent or ErrInvalid.
func (e *inconsistentError) Is(target error) bool {
	return target == ErrInconsistent || target == ErrInvalid
}

// Unwrap returns the *ValidationError listing the disagreeing fields.
func (e *inconsistentError) Unwrap() error { return e.ValidationError }

// partnerJSON is Partner's JSON form: windows as Go duration strings such as "72h".
type partnerJSON struct {
	ID         string                 `json:"id"`
	Kind       PartnerKind            `json:"kind"`
	AckWindow  string                 `json:"ack_window,omitempty"`
	StallAfter string                 `json:"stall_after,omitempty"`
	Agreements []consent.QSOAgreement `json:"agreements,omitempty"`
}

// DecodePartner decodes a partner (MarshalJSON's form: windows as Go duration strings such
// as "72h") strictly, with the promises listed above DecodeOptions; the input is at most
// MaxBytes long (DefaultMaxPartnerBytes by default). It does not validate the partner:
// NewDirectory does.
func (o DecodeOptions) DecodePartner(b []byte) (Partner, error) {
	ps := o.problems("partner")
	var j partnerJSON
	if err := jsonin.Decode(b, &j, o.jsonOptions(DefaultMaxPartnerBytes)); err != nil {
		ps.AddJSON(err)
		return Partner{}, ps.err()
	}
	q := Partner{ID: j.ID, Kind: j.Kind, Agreements: j.Agreements}
	for _, w := range []struct {
		field string
		s     string
		dst   *time.Duration
	}{{"ack_window", j.AckWindow, &q.AckWindow}, {"stall_after", j.StallAfter, &q.StallAfter}} {
		if w.s == "" {
			continue
		}
		d, err := time.ParseDuration(w.s)
		if err != nil {
			ps.add(ProblemInvalidDuration, w.field, "", `A window is a Go duration such as "72h" or "90m".`)
			continue
		}
		*w.dst = d
	}
	if err := ps.err(); err != nil {
		return Partner{}, err
	}
	return q, nil
}
