package referral

// Tests of the decoders and the saved log as an attacker would try them (issue 13):
// duplicate and case-variant keys, trailing data, patient text in errors, problem lists
// without end, oversize input, a log cut at an event boundary or with an event altered,
// times no clinic ever saw, identifiers that forge log lines.

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"crypto/sha256"
	"encoding/hex"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// marker is patient free text as a careless sender would put it anywhere in a document.
const marker = "Jane Q Doe DOB 1990-04-01 heroin relapse"

// leaks reports whether s holds any recognisable piece of the marker.
func leaks(s string) bool {
	for _, piece := range []string{"Jane", "Doe", "1990", "heroin", "relapse"} {
		if strings.Contains(s, piece) {
			return true
		}
	}
	return false
}

// validationOf returns err as a *ValidationError, failing the test otherwise.
func validationOf(t *testing.T, err error) *ValidationError {
	t.Helper()
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	require.ErrorIs(t, err, ErrInvalid)
	return ve
}

// codeFields returns "code@field" for every problem.
func codeFields(ve *ValidationError) []string {
	out := make([]string, len(ve.Problems))
	for i, p := range ve.Problems {
		out[i] = p.Code + "@" + p.Field
	}
	return out
}

// savedReferral is a referral of five events (created, due added, sent, accepted,
// started), as saved.
func savedReferral(t *testing.T) (*Referral, []byte) {
	t.Helper()
	r := mustNew(t, draftNone("R1", PartnerEarlyIntervention), t0)
	require.NoError(t, r.AddDue(DueEarlyIntervention(t0, "I1"), t0, "staff-1"))
	walk(t, r, t0, StatusRequested, StatusAccepted, StatusInProgress)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	return r, b
}

// members splits a JSON object into its members.
func members(t *testing.T, b []byte) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// TestDecodeDuplicateKeys: a second "events" (in any letter case) never replaces the
// history; it is refused with duplicate_key at its path. The same inside an event.
func TestDecodeDuplicateKeys(t *testing.T) {
	_, b := savedReferral(t)
	s := string(b)
	for in, want := range map[string]string{
		s[:len(s)-1] + `,"EVENTS":[]}`:                                              "duplicate_key@events",
		s[:len(s)-1] + `,"events":[]}`:                                              "duplicate_key@events",
		strings.Replace(s, `"actor":"staff-1"`, `"actor":"staff-1","Actor":"x"`, 1): "duplicate_key@events[0].actor",
	} {
		_, err := DecodeReferral([]byte(in))
		assert.Equal(t, []string{want}, codeFields(validationOf(t, err)))
	}
}

// TestDecodeTrailingData: one JSON value, nothing after it.
func TestDecodeTrailingData(t *testing.T) {
	_, b := savedReferral(t)
	_, err := DecodeReferral(append(b, ` {"id":"R2"}`...))
	assert.Equal(t, []string{"trailing_data@"}, codeFields(validationOf(t, err)))
}

// TestLogTruncated: a saved referral cut at an event boundary (its last event gone, the
// snapshot made to agree) is refused: the count says five events, four are there. A bare
// array of events, with no count and no chain, is refused the same way by default.
func TestLogTruncated(t *testing.T) {
	r, b := savedReferral(t)
	short, err := Rebuild(r.Events()[:4])
	require.NoError(t, err)
	cut := members(t, mustMarshal(t, short))
	for k, v := range members(t, b) {
		if k == "count" || k == "head" {
			cut[k] = v // what the file said before it was cut
		}
	}
	_, err = DecodeReferral(mustMarshal(t, cut))
	assert.Contains(t, codeFields(validationOf(t, err)), "log_truncated@count")

	_, err = DecodeEvents(mustMarshal(t, r.Events()[:4]))
	assert.Equal(t, []string{"log_unchained@"}, codeFields(validationOf(t, err)))
}

// TestLogAltered: one event altered in a saved referral (an actor changed, in the middle
// or at the end) is refused: the next event's hash of its predecessor, or the head, no
// longer matches. The snapshot cannot show it: an actor is not in the snapshot.
func TestLogAltered(t *testing.T) {
	_, b := savedReferral(t)
	for i, want := range map[int]string{1: "log_chain_broken@events[2].prev", 4: "log_head_mismatch@head"} {
		m := members(t, b)
		var es []map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(m["events"], &es))
		es[i]["actor"] = json.RawMessage(`"staff-9"`)
		m["events"] = mustMarshal(t, es)
		_, err := DecodeReferral(mustMarshal(t, m))
		assert.Equal(t, []string{want}, codeFields(validationOf(t, err)), "event %d altered", i)
	}
}

// TestDecodeNeverQuotesInput: wherever patient text is put, no error holds any of it.
func TestDecodeNeverQuotesInput(t *testing.T) {
	_, b := savedReferral(t)
	s := string(b)
	m := `"` + marker + `"`
	for _, in := range []string{
		strings.Replace(s, `"status":"in_progress"`, `"status":`+m, 1),
		strings.Replace(s, `"kind":"created"`, `"kind":`+m, 1),
		strings.Replace(s, `"created_at":"`, `"created_at":`+m+`,"x":"`, 1),
		strings.Replace(s, `"id":"R1"`, `"id":"R1",`+m+`:1`, 1),
		strings.Replace(s, `"actor":"staff-1"`, `"actor":`+m, 1),
		strings.Replace(s, `"id":"R1"`, `"id":`+m, 2),
		strings.Replace(s, `"at":"2026-03-02T09:00:00Z"`, `"at":`+m, 1),
		s + m,
		`[` + m + `]`,
	} {
		_, err := DecodeReferral([]byte(in))
		require.Error(t, err)
		assert.False(t, leaks(err.Error()), "Error() leaks input: %s", err)
		var ve *ValidationError
		if errors.As(err, &ve) {
			for _, p := range ve.Problems {
				assert.False(t, leaks(p.Field+p.Message+p.Cite), "problem leaks input: %+v", p)
			}
		}
	}
	for _, in := range []string{
		`{"id":"p","kind":` + m + `}`,
		`{"id":"p","kind":"child_care","ack_window":` + m + `}`,
		`{"id":"p",` + m + `:1}`,
	} {
		var p Partner
		err := json.Unmarshal([]byte(in), &p)
		require.Error(t, err, in)
		assert.False(t, leaks(err.Error()), "Partner: error leaks input: %s", err)
	}
}

// TestDecodeErrorBounded: 3 MiB of bad member name (under the 4 MiB limit) gives an error
// of a few hundred bytes, not one quoting the 3 MiB.
func TestDecodeErrorBounded(t *testing.T) {
	_, b := savedReferral(t)
	s := string(b)
	in := `{"` + strings.Repeat("x", 3<<20) + `":1,` + s[1:]
	_, err := DecodeReferral([]byte(in))
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 1000)
}

// TestDecodeProblemListCapped: a thousand unknown members give 100 problems and one last
// entry counting the 900 others.
func TestDecodeProblemListCapped(t *testing.T) {
	_, b := savedReferral(t)
	var sb strings.Builder
	sb.WriteString(`{`)
	for i := range 1000 {
		sb.WriteString(`"extra_` + strings.Repeat("y", i%5) + string(rune('a'+i%26)) + `_` + time.Duration(i).String() + `":1,`)
	}
	sb.Write(b[1:])
	_, err := DecodeReferral([]byte(sb.String()))
	ve := validationOf(t, err)
	require.Len(t, ve.Problems, 101)
	assert.Equal(t, "too_many_problems", ve.Problems[100].Code)
	assert.Contains(t, ve.Problems[100].Message, "900")
}

// TestDecodeTooLarge: 64 MiB is refused before it is read, by every decoder.
func TestDecodeTooLarge(t *testing.T) {
	big := []byte(`[` + strings.Repeat(`{"seq":1},`, 64<<20/10) + `{}]`)
	_, err := DecodeEvents(big)
	assert.Equal(t, []string{"input_too_large@"}, codeFields(validationOf(t, err)))
	_, err = DecodeReferral(big)
	assert.Equal(t, []string{"input_too_large@"}, codeFields(validationOf(t, err)))
	_, err = DecodeOptions{}.DecodePartner([]byte(`{"id":"p","agreements":` + string(big) + `}`))
	assert.Equal(t, []string{"input_too_large@"}, codeFields(validationOf(t, err)))
	log2MiB := []byte(`{"count":1,"head":"","events":[{"seq":1,"reason":"` + strings.Repeat("x", 2<<20) + `"}]}`)
	_, err = DecodeEvents(log2MiB)
	assert.NotContains(t, codeFields(validationOf(t, err)), "input_too_large@", "2 MiB is under the default limit")
	_, err = DecodeOptions{MaxBytes: 1 << 20}.DecodeEvents(log2MiB)
	assert.Equal(t, []string{"input_too_large@"}, codeFields(validationOf(t, err)), "MaxBytes sets another limit")
}

// TestPartnerStrict: a partner's JSON is the package's own format: an unknown member is
// refused, not dropped.
func TestPartnerStrict(t *testing.T) {
	var p Partner
	err := json.Unmarshal([]byte(`{"id":"p","kind":"child_care","name":"x"}`), &p)
	assert.Equal(t, []string{"unknown_field@?"}, codeFields(validationOf(t, err)))
}

// TestTimeRange: an event, a due time or a consent decision dated outside 1900-01-01 to
// 2199-12-31 (UTC) is refused when it is appended: a referral dated 2099 by a typing error
// would make every later event "before the previous one", and year 20260 cannot be saved.
func TestTimeRange(t *testing.T) {
	far := time.Date(20260, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := New(draftNone("R1", PartnerPrenatalCare), time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC), "staff-1")
	assert.Equal(t, []string{"time_out_of_range@at"}, codeFields(validationOf(t, err)))

	r := mustNew(t, draftNone("R1", PartnerPrenatalCare), t0)
	err = r.Transition(StatusRequested, far, "staff-1", "")
	assert.Equal(t, []string{"time_out_of_range@at"}, codeFields(validationOf(t, err)))
	err = r.AddDue(DueProgram(far, MilestoneSent, "program policy 4"), t0, "staff-1")
	assert.Equal(t, []string{"time_out_of_range@due.at"}, codeFields(validationOf(t, err)))
	err = r.RecordConsent(ConsentRecord{Permit: true, ConsentID: "c1", Patient: "W1", Discloser: "prog-1",
		Recipient: "partner-prenatal_care", DecidedAt: far}, t0, "staff-1")
	assert.Equal(t, []string{"time_out_of_range@consent.decided_at"}, codeFields(validationOf(t, err)))
	assert.Len(t, r.Events(), 1, "refused events change nothing")

	// A UTC offset that is not a whole number of minutes cannot be written in RFC 3339,
	// so such a time would not survive saving: refused too.
	lmt := time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("LMT", 19*60+32))
	err = r.Transition(StatusRequested, lmt, "staff-1", "")
	assert.Equal(t, []string{"time_out_of_range@at"}, codeFields(validationOf(t, err)))
}

// TestIdentifiersQuoted: an identifier with a line break, however it reached an error or
// a String method, is written escaped on one line, so it cannot forge a log line.
func TestIdentifiersQuoted(t *testing.T) {
	forged := "R1\nlevel=INFO msg=\"consent verified\" referral=R1"
	for _, s := range []string{
		(&TransitionError{Referral: forged, From: StatusDraft, To: StatusCompleted}).Error(),
		(&GateError{Referral: forged, Decision: GateDecision{Reasons: []Reason{{Code: GateConsentMissing}}}}).Error(),
		(&Referral{draft: Draft{ID: forged}}).String(),
	} {
		assert.NotContains(t, s, "\n")
		assert.Contains(t, s, `"R1\nlevel=INFO`)
	}
	_, err := New(Draft{ID: forged, Patient: "W1", Subject: SubjectWoman, Program: "p", Partner: "q",
		PartnerKind: PartnerChildCare, SUD: SUDNone}, t0, "staff-1")
	assert.Equal(t, []string{"identifier_invalid@draft.id"}, codeFields(validationOf(t, err)))
}

// TestOldLogs: a log saved before logs carried a count and a hash chain is refused by
// default (it could have been cut or altered unseen), and read with AllowUnchained, which
// chains it: saved again, it reads back without the option. A log stripped of its count
// and head but not of its events' hashes is still checked, whatever the option says.
func TestOldLogs(t *testing.T) {
	r, b := savedReferral(t)
	old := members(t, b)
	delete(old, "count")
	delete(old, "head")
	var es []map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(old["events"], &es))
	for _, e := range es {
		delete(e, "prev")
	}
	old["events"] = mustMarshal(t, es)
	oldJSON := mustMarshal(t, old)
	oldArray := old["events"]

	_, err := DecodeReferral(oldJSON)
	assert.Equal(t, []string{"log_unchained@"}, codeFields(validationOf(t, err)))
	_, err = DecodeEvents(oldArray)
	assert.Equal(t, []string{"log_unchained@"}, codeFields(validationOf(t, err)))

	allow := DecodeOptions{AllowUnchained: true}
	for _, got := range []func() (*Referral, error){
		func() (*Referral, error) { return allow.DecodeReferral(oldJSON) },
		func() (*Referral, error) { return allow.DecodeEvents(oldArray) },
	} {
		back, err := got()
		require.NoError(t, err)
		// Chained as read: the same referral, hashes and all, as the one first saved.
		assert.Empty(t, cmp.Diff(r, back, referralCmp, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })))
		again, err := DecodeEvents(mustMarshal(t, back.Log()))
		require.NoError(t, err)
		assert.Equal(t, r.Head(), again.Head())
	}

	stripped := members(t, b)
	delete(stripped, "count")
	delete(stripped, "head")
	_, err = allow.DecodeReferral(mustMarshal(t, stripped))
	assert.Equal(t, []string{"log_count_mismatch@count", "log_head_mismatch@head"}, codeFields(validationOf(t, err)))
}

// TestLogHeadAnchors: whoever rewrites a whole log can recompute its chain, and the
// rewritten log reads; its head then differs from the one kept apart from the file, which
// is how a caller detects it (Referral.Head).
func TestLogHeadAnchors(t *testing.T) {
	r, _ := savedReferral(t)
	kept := r.Head()
	es := r.Events()
	es[1].Actor = "staff-9"
	for i := range es {
		es[i].Prev = "" // recomputed by Rebuild, as a forger would
	}
	forged, err := Rebuild(es)
	require.NoError(t, err)
	back, err := DecodeEvents(mustMarshal(t, forged.Log()))
	require.NoError(t, err)
	assert.NotEqual(t, kept, back.Head())
	assert.Len(t, kept, 64)
}

// TestAppendChecksPrev: an event whose Prev is not the hash of the latest event is refused
// and changes nothing; an empty Prev is filled in.
func TestAppendChecksPrev(t *testing.T) {
	r := mustNew(t, draftNone("R1", PartnerPrenatalCare), t0)
	head := r.Head()
	err := r.Append(Event{Seq: 2, At: t0, Actor: "staff-1", Kind: EventTransitioned, From: StatusDraft, To: StatusRequested, Prev: strings.Repeat("0", 64)})
	assert.Equal(t, []string{"event_chain_broken@prev"}, codeFields(validationOf(t, err)))
	assert.Equal(t, head, r.Head())
	require.NoError(t, r.Append(Event{Seq: 2, At: t0, Actor: "staff-1", Kind: EventTransitioned, From: StatusDraft, To: StatusRequested, Prev: head}))
	assert.Equal(t, head, r.Events()[1].Prev)
	assert.Empty(t, r.Events()[0].Prev)
}

// TestEventHashFollowsTheDocumentedForm: the hash of an event is the SHA-256 of the
// canonical form documented in chain.go, written out here by hand from that text (every
// field's length as a one-byte uvarint, since each is under 128 bytes), so that another
// implementation can check a saved log.
func TestEventHashFollowsTheDocumentedForm(t *testing.T) {
	e := Event{Seq: 1, At: t0, Actor: "staff-1", Kind: EventCreated, To: StatusDraft,
		Draft: &Draft{ID: "R1", Patient: "W1", Subject: SubjectWoman, Program: "prog-1", Partner: "ob-1",
			PartnerKind: PartnerPrenatalCare, SUD: SUDNone}}
	form := "\x16dyad-referral-event-v2" + // the domain, 22 bytes
		"\x011" + "\x142026-03-02T09:00:00Z" + "\x07staff-1" + "\x07created" + // seq, at, actor, kind
		"\x00" + "\x07unknown" + "\x05draft" + // reason (empty), from (absent), to
		"\x01" + "\x02R1" + "\x02W1" + "\x05woman" + "\x06prog-1" + "\x04ob-1" + "\x0dprenatal_care" + "\x04none" + // draft
		"\x00" + // no consent
		"\x00" + // revoked (empty)
		"\x00" + // no due
		"\x00" // prev (empty: the first event)
	sum := sha256.Sum256([]byte(form))
	want := hex.EncodeToString(sum[:])
	r, err := Rebuild([]Event{e})
	require.NoError(t, err)
	assert.Equal(t, want, r.Head())

	// A consent event: until (the consent's expiry, 42 CFR 2.31(c)(1)) follows decided_at.
	c := Event{Seq: 2, At: t0, Actor: "staff-1", Kind: EventConsentRecorded,
		Consent: &ConsentRecord{Permit: true, Basis: "consent:c1", ConsentID: "c1", Patient: "W1", Discloser: "prog-1",
			Recipient: "ob-1", DecidedAt: t0, Until: t0.Add(24 * time.Hour), Cites: []string{"42 CFR 2.31"},
			Obligations: []Obligation{{Code: "notice_2_32", Cite: "42 CFR 2.32(a)"}}}}
	form = "\x16dyad-referral-event-v2" +
		"\x012" + "\x142026-03-02T09:00:00Z" + "\x07staff-1" + "\x10consent_recorded" + // seq, at, actor, kind
		"\x00" + "\x07unknown" + "\x07unknown" + // reason, from, to
		"\x00" + // no draft
		"\x01" + "\x04true" + "\x0aconsent:c1" + "\x02c1" + "\x00" + "\x02W1" + "\x06prog-1" + "\x04ob-1" + // permit .. recipient
		"\x142026-03-02T09:00:00Z" + "\x142026-03-03T09:00:00Z" + // decided_at, until
		"\x00" + "\x011" + "\x0b42 CFR 2.31" + "\x010" + "\x011" + "\x0bnotice_2_32" + "\x0e42 CFR 2.32(a)" + // edition, cites, reasons, obligations
		"\x00" + "\x00" + // revoked (empty), no due
		"\x40" + want // prev: the hash of the first event, 64 bytes
	sum = sha256.Sum256([]byte(form))
	require.NoError(t, r.Append(c))
	assert.Equal(t, hex.EncodeToString(sum[:]), r.Head())
}

// TestDuePlanIntervalBound: a plan whose review interval would overflow the date
// arithmetic gives no due time computed from garbage, but a problem.
func TestDuePlanIntervalBound(t *testing.T) {
	p := plan()
	p.Monitoring.IntervalDays = 1 << 40
	_, err := DuePlanOfSafeCare(p, "ei")
	assert.Equal(t, []string{"plan_interval_too_long@monitoring"}, codeFields(validationOf(t, err)))
}

// TestDecodeTenMiBString: a 10 MiB bad string, under a limit raised to 16 MiB, gives a
// short error from every decoder.
func TestDecodeTenMiBString(t *testing.T) {
	bad := `"` + strings.Repeat("Jane ", 2<<20) + `"`
	o := DecodeOptions{MaxBytes: 16 << 20}
	_, err := o.DecodeReferral([]byte(`{"status":` + bad + `}`))
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 4096)
	_, err = o.DecodeEvents([]byte(`{"count":1,"head":` + bad + `,"events":[]}`))
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 4096)
	_, err = o.DecodePartner([]byte(`{"id":"p","ack_window":` + bad + `}`))
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 4096)
	assert.False(t, leaks(err.Error()))
}
