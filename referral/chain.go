package referral

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"time"
)

// The hash chain of a referral's events.
//
// Every event carries, in Prev, the hash of the event before it ("" for the first), and a
// saved referral (its JSON, or a Log) carries the number of its events and the hash of the
// last, its head. A log cut at an event boundary then disagrees with its count and its
// head; an event altered, removed or inserted breaks the next event's Prev, or the head.
//
// The hash of an event is the lowercase hex SHA-256 (crypto/sha256) of its canonical form:
// the byte string "dyad-referral-event-v2", then each of the event's fields in the order
// of the Event type, each written as its text and preceded by the text's length in bytes
// as an unsigned LEB128 varint (encoding/binary's uvarint):
//
//	seq (decimal), at, actor, kind, reason, from, to,
//	draft:   a byte 0 when absent; else 1, then id, patient, subject, program, partner,
//	         partner_kind, sud;
//	consent: a byte 0 when absent; else 1, then permit ("true" or "false"), basis,
//	         consent_id, qsoa_id, patient, discloser, recipient, decided_at, until,
//	         edition, the number of cites (decimal) and each cite, the number of reasons
//	         and each one's code, cite and message, the number of obligations and each
//	         one's code and cite;
//	revoked,
//	due:     a byte 0 when absent; else 1, then rule, milestone, at, cite, source;
//	prev.
//
// Times are written as time.RFC3339Nano writes them (their own UTC offset kept; the zero
// time, such as an absent until, as "0001-01-01T00:00:00Z"), and codes as their stable
// snake_case text (an absent status as "unknown"). Every field is in the form, so no change
// to an event goes unseen; TestChainCoversEveryField changes each field of every type an
// event holds, found by reflection, and checks that the hash changes.
//
// Form v1 (dyad before the consent's until was hashed) left until out: a v1 log cannot
// show that a consent's expiry was not removed or moved, so it does not verify under v2
// and is refused (ProblemLogChain, ProblemLogHead). The snapshot of a saved referral is
// checked against its events with the same form (consentEqual, dueEqual), so the chain and
// the snapshot check cover the same fields by construction.
//
// The chain detects damage, truncation and tampering by anyone who does not recompute it;
// whoever can rewrite a whole file can recompute every hash. To detect that too, keep
// Referral.Head somewhere the file's writer cannot reach (a database row, a signed
// audit record) and compare it on reading.
const eventHashDomain = "dyad-referral-event-v2"

// hashEvent returns the SHA-256 of the event's canonical form.
func hashEvent(e *Event) [sha256.Size]byte {
	var buf [512]byte
	return sha256.Sum256(appendCanonical(buf[:0], e))
}

// hexHash returns h as lowercase hex, the form events and logs carry.
func hexHash(h [sha256.Size]byte) string { return hex.EncodeToString(h[:]) }

func appendField(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendTime(b []byte, t time.Time) []byte {
	var buf [40]byte
	ts := t.AppendFormat(buf[:0], time.RFC3339Nano)
	b = binary.AppendUvarint(b, uint64(len(ts)))
	return append(b, ts...)
}

func appendCanonical(b []byte, e *Event) []byte {
	b = appendField(b, eventHashDomain)
	b = appendField(b, strconv.Itoa(e.Seq))
	b = appendTime(b, e.At)
	b = appendField(b, e.Actor)
	b = appendField(b, e.Kind.String())
	b = appendField(b, e.Reason)
	b = appendField(b, e.From.String())
	b = appendField(b, e.To.String())
	if d := e.Draft; d == nil {
		b = append(b, 0)
	} else {
		b = append(b, 1)
		b = appendField(b, d.ID)
		b = appendField(b, d.Patient)
		b = appendField(b, d.Subject.String())
		b = appendField(b, d.Program)
		b = appendField(b, d.Partner)
		b = appendField(b, d.PartnerKind.String())
		b = appendField(b, d.SUD.String())
	}
	if c := e.Consent; c == nil {
		b = append(b, 0)
	} else {
		b = append(b, 1)
		b = appendConsent(b, c)
	}
	b = appendField(b, e.Revoked)
	if d := e.Due; d == nil {
		b = append(b, 0)
	} else {
		b = append(b, 1)
		b = appendDue(b, d)
	}
	return appendField(b, e.Prev)
}

// appendConsent appends the canonical form of a consent record (without its presence byte).
func appendConsent(b []byte, c *ConsentRecord) []byte {
	b = appendField(b, strconv.FormatBool(c.Permit))
	b = appendField(b, c.Basis)
	b = appendField(b, c.ConsentID)
	b = appendField(b, c.QSOAID)
	b = appendField(b, c.Patient)
	b = appendField(b, c.Discloser)
	b = appendField(b, c.Recipient)
	b = appendTime(b, c.DecidedAt)
	b = appendTime(b, c.Until)
	b = appendField(b, c.Edition)
	b = appendField(b, strconv.Itoa(len(c.Cites)))
	for _, s := range c.Cites {
		b = appendField(b, s)
	}
	b = appendField(b, strconv.Itoa(len(c.Reasons)))
	for _, r := range c.Reasons {
		b = appendField(b, r.Code)
		b = appendField(b, r.Cite)
		b = appendField(b, r.Message)
	}
	b = appendField(b, strconv.Itoa(len(c.Obligations)))
	for _, o := range c.Obligations {
		b = appendField(b, o.Code)
		b = appendField(b, o.Cite)
	}
	return b
}

// appendDue appends the canonical form of a due time (without its presence byte).
func appendDue(b []byte, d *Due) []byte {
	b = appendField(b, d.Rule.String())
	b = appendField(b, d.Milestone.String())
	b = appendTime(b, d.At)
	b = appendField(b, d.Cite)
	return appendField(b, d.Source)
}

// consentEqual reports whether two consent records have the same canonical form: the
// snapshot check compares exactly what the chain hashes.
func consentEqual(a, b ConsentRecord) bool {
	var ba, bb [512]byte
	return bytes.Equal(appendConsent(ba[:0], &a), appendConsent(bb[:0], &b))
}

// dueEqual reports whether two due times have the same canonical form.
func dueEqual(a, b Due) bool {
	var ba, bb [256]byte
	return bytes.Equal(appendDue(ba[:0], &a), appendDue(bb[:0], &b))
}
