package referral

// Tests that the hash chain and the snapshot check cover every field of every event, found
// by reflection so that a field added later is covered by these tests without a change:
// QA found ConsentRecord.Until left out of both (a saved referral whose consent expiry was
// deleted read back with the same head, and its gate then opened after the consent had
// expired, 42 CFR 2.31(c)(1)).

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fullEvent is an event with every field, of every kind, set to a value that is not its
// zero value (the hash does not ask whether such an event is valid).
func fullEvent() Event {
	return Event{Seq: 3, At: t0, Actor: "staff-1", Kind: EventConsentRecorded, Reason: "why_code",
		From: StatusDraft, To: StatusRequested,
		Draft: &Draft{ID: "R1", Patient: "W1", Subject: SubjectWoman, Program: "prog-1", Partner: "ob-1",
			PartnerKind: PartnerPrenatalCare, SUD: SUDCarries},
		Consent: &ConsentRecord{Permit: true, Basis: "consent:c1", ConsentID: "c1", QSOAID: "q1", Patient: "W1",
			Discloser: "prog-1", Recipient: "ob-1", DecidedAt: t0, Until: t0.Add(24 * time.Hour),
			Edition: "42 CFR part 2 as amended 2024-02-16 (89 FR 12472)", Cites: []string{"42 CFR 2.31"},
			Reasons:     []Reason{{Code: "permit_consent", Cite: "42 CFR 2.31", Message: "m"}},
			Obligations: []Obligation{{Code: "notice_2_32", Cite: "42 CFR 2.32(a)"}}},
		Revoked: "c9",
		Due:     &Due{Rule: RuleEarlyIntervention, Milestone: MilestoneSent, At: t0, Cite: "34 CFR 303.303(a)(2)(i)", Source: "I1"},
		Prev:    strings.Repeat("a", 64)}
}

// mutation is one change of one field of an event, by its path in the Go value.
type mutation struct {
	path  string
	apply func(*Event)
}

// mutations lists a change of every leaf field reachable from an Event (through pointers,
// structs and slice elements), a nil for every pointer, and, for every slice, one element
// more and one fewer. Each changes what the event says.
func mutations(t *testing.T) []mutation {
	t.Helper()
	var out []mutation
	// get walks from the event to the value at the path of indexes.
	type step struct {
		field int // struct field index, or -1
		elem  int // slice element index, when field is -1
		deref bool
	}
	get := func(e *Event, steps []step) reflect.Value {
		v := reflect.ValueOf(e).Elem()
		for _, s := range steps {
			switch {
			case s.deref:
				v = v.Elem()
			case s.field >= 0:
				v = v.Field(s.field)
			default:
				v = v.Index(s.elem)
			}
		}
		return v
	}
	timeType := reflect.TypeFor[time.Time]()
	var walk func(v reflect.Value, steps []step, path string)
	add := func(path string, steps []step, f func(reflect.Value)) {
		steps = slices.Clone(steps)
		out = append(out, mutation{path: path, apply: func(e *Event) {
			// Copy every pointer and slice on the way, so that the event mutated shares
			// nothing with the one it was copied from.
			*e = e.clone()
			f(get(e, steps))
		}})
	}
	walk = func(v reflect.Value, steps []step, path string) {
		switch {
		case v.Type() == timeType:
			add(path, steps, func(x reflect.Value) { x.Set(reflect.ValueOf(x.Interface().(time.Time).Add(time.Second))) })
			return
		}
		switch v.Kind() {
		case reflect.Pointer:
			require.False(t, v.IsNil(), "fullEvent leaves %s nil", path)
			add(path+"=nil", steps, func(x reflect.Value) { x.Set(reflect.Zero(x.Type())) })
			walk(v.Elem(), append(steps, step{deref: true}), path)
		case reflect.Struct:
			for i := range v.NumField() {
				f := v.Type().Field(i)
				require.True(t, f.IsExported(), "%s.%s is not exported", path, f.Name)
				walk(v.Field(i), append(steps, step{field: i}), path+"."+f.Name)
			}
		case reflect.Slice:
			require.Positive(t, v.Len(), "fullEvent leaves %s empty", path)
			add(path+"+1", steps, func(x reflect.Value) {
				x.Set(reflect.Append(reflect.AppendSlice(reflect.MakeSlice(x.Type(), 0, x.Len()+1), x), x.Index(0)))
			})
			add(path+"-1", steps, func(x reflect.Value) { x.Set(x.Slice(0, x.Len()-1)) })
			for i := range v.Len() {
				walk(v.Index(i), append(steps, step{field: -1, elem: i}), path+"["+string(rune('0'+i))+"]")
			}
		case reflect.String:
			require.NotEmpty(t, v.String(), "fullEvent leaves %s empty", path)
			add(path, steps, func(x reflect.Value) { x.SetString(x.String() + "x") })
			add(path+"=\"\"", steps, func(x reflect.Value) { x.SetString("") })
		case reflect.Bool:
			add(path, steps, func(x reflect.Value) { x.SetBool(!x.Bool()) })
		case reflect.Int:
			add(path, steps, func(x reflect.Value) { x.SetInt(x.Int() + 1) })
		case reflect.Uint8:
			require.NotZero(t, v.Uint(), "fullEvent leaves %s zero", path)
			add(path, steps, func(x reflect.Value) { x.SetUint(x.Uint() + 1) })
			add(path+"=0", steps, func(x reflect.Value) { x.SetUint(0) })
		default:
			t.Fatalf("%s: a field of kind %s: teach this test to change it", path, v.Kind())
		}
	}
	e := fullEvent()
	walk(reflect.ValueOf(&e).Elem(), nil, "Event")
	return out
}

// TestChainCoversEveryField: changing any field of an event, at any depth (every leaf, a
// pointer set to nil, a list one longer or shorter), changes its hash, so the change
// breaks the chain (chain.go: "Every field is in the form"). Before the fix,
// Event.Consent.Until was the one field whose change kept the hash.
func TestChainCoversEveryField(t *testing.T) {
	base := fullEvent()
	h := hashEvent(&base)
	ms := mutations(t)
	require.Greater(t, len(ms), 60) // every field of Event, Draft, ConsentRecord, Reason, Obligation, Due
	for _, m := range ms {
		e := fullEvent()
		m.apply(&e)
		if reflect.DeepEqual(e, base) {
			t.Errorf("%s: the mutation changed nothing", m.path)
			continue
		}
		if hashEvent(&e) == h {
			t.Errorf("%s: changed, yet the event's hash is the same: the chain does not cover it", m.path)
		}
	}
	if hashEvent(&base) != h || !reflect.DeepEqual(base, fullEvent()) {
		t.Fatal("a mutation reached the base event: the test shares memory between copies")
	}
}

// TestSnapshotCoversEveryConsentAndDueField: the snapshot of a saved referral is checked
// against its events in every field of its consent record and its due times: a snapshot
// whose consent (or due) differs in any one field is refused with ErrInconsistent. Before
// the fix, a snapshot without the consent's "until" read back.
func TestSnapshotCoversEveryConsentAndDueField(t *testing.T) {
	r := mustNew(t, Draft{ID: "R1", Patient: "W1", Subject: SubjectWoman, Program: "prog-1", Partner: "ob-1",
		PartnerKind: PartnerPrenatalCare, SUD: SUDCarries}, t0)
	full := fullEvent()
	rec := *full.Consent
	rec.Reasons[0].Message = ""
	require.NoError(t, r.RecordConsent(rec, t0, "staff-1"))
	require.NoError(t, r.AddDue(*full.Due, t0, "staff-1"))
	for _, m := range mutations(t) {
		var field string
		switch {
		case strings.HasPrefix(m.path, "Event.Consent."):
			field = "consent"
		case strings.HasPrefix(m.path, "Event.Due."):
			field = "dues"
		default:
			continue
		}
		e := Event{Consent: r.consent, Due: &r.dues[0]}
		m.apply(&e)
		if reflect.DeepEqual(e.Consent, r.consent) && reflect.DeepEqual(e.Due, &r.dues[0]) {
			continue // no change (a message already empty set to empty)
		}
		j := referralJSON{}
		b, err := r.MarshalJSON()
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, &j))
		if field == "consent" {
			j.Consent = e.Consent
		} else {
			j.Dues = nil
			if e.Due != nil {
				j.Dues = []Due{*e.Due}
			}
		}
		tampered, err := json.Marshal(j)
		if err != nil {
			continue // a code out of range cannot be written: no saved snapshot holds it
		}
		_, err = DecodeReferral(tampered)
		if !errors.Is(err, ErrInconsistent) {
			t.Errorf("%s: a snapshot differing from the events in this field reads back (err %v)", m.path, err)
		}
	}
}

// TestSavedMemberRemovedOrChanged: in a saved referral holding every kind of event, each
// member of each event, at any depth, removed or changed to another well-formed value,
// makes the referral unreadable; where the changed log would otherwise be a valid history
// (it reads when stripped of its chain), the refusal names the chain (log_chain_broken or
// log_head_mismatch). QA's reproducer removed the consent's "until".
func TestSavedMemberRemovedOrChanged(t *testing.T) {
	r := mustNew(t, Draft{ID: "R1", Patient: "W1", Subject: SubjectWoman, Program: "prog-1", Partner: "ob-1",
		PartnerKind: PartnerPrenatalCare, SUD: SUDCarries}, t0)
	rec := ConsentRecord{Permit: true, Basis: "consent:c1", ConsentID: "c1", Patient: "W1", Discloser: "prog-1",
		Recipient: "ob-1", DecidedAt: t0, Until: t0.Add(48 * time.Hour), Edition: "42 CFR part 2 as amended 2024-02-16 (89 FR 12472)",
		Cites:       []string{"42 CFR 2.31", "42 CFR 2.32"},
		Reasons:     []Reason{{Code: "permit_consent", Cite: "42 CFR 2.31"}},
		Obligations: []Obligation{{Code: "notice_2_32", Cite: "42 CFR 2.32(a)"}, {Code: "record_disclosure", Cite: "42 CFR 2.25"}}}
	require.NoError(t, r.RecordConsent(rec, t0.Add(time.Minute), "staff-1"))
	require.NoError(t, r.AddDue(DueEarlyIntervention(t0, "I1"), t0.Add(time.Minute), "staff-1"))
	require.NoError(t, r.Send(t0.Add(time.Hour), "staff-1"))
	require.NoError(t, r.RecordRevocation("c1", t0.Add(2*time.Hour), "staff-1", "patient_revoked"))
	require.NoError(t, r.Transition(StatusCancelled, t0.Add(3*time.Hour), "staff-1", "consent_withdrawn"))
	saved := mustMarshal(t, r)
	var orig map[string]any
	require.NoError(t, json.Unmarshal(saved, &orig))
	events := orig["events"].([]any)
	require.Len(t, events, 6)

	tried := 0
	for i := range events {
		var visit func(path string, v any, set func(any), del func())
		visit = func(path string, v any, set func(any), del func()) {
			try := func(what string, change func()) {
				tried++
				var d map[string]any
				require.NoError(t, json.Unmarshal(saved, &d))
				chainDoc = d
				change()
				b := mustMarshal(t, chainDoc)
				_, err := DecodeReferral(b)
				if err == nil {
					t.Errorf("events[%d]%s %s: the altered referral reads back", i, path, what)
					return
				}
				// Does the altered history stand on its own? Strip the chain and see.
				var plain map[string]any
				require.NoError(t, json.Unmarshal(b, &plain))
				delete(plain, "count")
				delete(plain, "head")
				for _, e := range plain["events"].([]any) {
					delete(e.(map[string]any), "prev")
				}
				if _, perr := (DecodeOptions{AllowUnchained: true}).DecodeReferral(mustMarshal(t, plain)); perr == nil {
					var ve *ValidationError
					if !errors.As(err, &ve) || !(slices.Contains(ve.Codes(), ProblemLogChain) || slices.Contains(ve.Codes(), ProblemLogHead)) {
						t.Errorf("events[%d]%s %s: refused, but not by the chain: %v", i, path, what, err)
					}
				}
			}
			if del != nil && path != ".prev" && !isZeroJSON(v) {
				try("removed", del) // removing a member holding its zero value changes nothing
			}
			switch x := v.(type) {
			case map[string]any:
				for k, w := range x {
					visit(path+"."+k, w, func(nv any) { chainAt(i, path)[k] = nv }, func() { delete(chainAt(i, path), k) })
				}
			case []any:
				for j, w := range x {
					jp := path + "[" + string(rune('0'+j)) + "]"
					visit(jp, w, func(nv any) { chainList(i, path)[j] = nv }, nil)
				}
			case string:
				if path == ".prev" {
					return
				}
				try("changed", func() { set(otherString(x)) })
			case bool:
				try("changed", func() { set(!x) })
			case float64:
				try("changed", func() { set(x + 1) })
			}
		}
		for k, w := range events[i].(map[string]any) {
			visit("."+k, w, func(nv any) { chainEv(i)[k] = nv }, func() { delete(chainEv(i), k) })
		}
	}
	require.Greater(t, tried, 60)
}

// chainDoc is the document TestSavedMemberRemovedOrChanged is altering; chainEv, chainAt
// and chainList reach into it.
var chainDoc map[string]any

func chainEv(i int) map[string]any { return chainDoc["events"].([]any)[i].(map[string]any) }

// chainAt returns the object at path (".consent", ".consent.reasons[0]") inside event i.
func chainAt(i int, path string) map[string]any {
	var v any = chainEv(i)
	for _, part := range strings.Split(strings.TrimPrefix(path, "."), ".") {
		if part == "" {
			continue
		}
		name, idx, list := strings.Cut(part, "[")
		v = v.(map[string]any)[name]
		if list {
			v = v.([]any)[int(idx[0]-'0')]
		}
	}
	return v.(map[string]any)
}

// chainList returns the list at path inside event i.
func chainList(i int, path string) []any {
	dir, name := path[:strings.LastIndex(path, ".")], path[strings.LastIndex(path, ".")+1:]
	return chainAt(i, dir)[name].([]any)
}

// otherString returns another well-formed value of the same shape as s: a time one second
// later, another code of the same enum where s is one, else s with a letter added.
func otherString(s string) string {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.Add(time.Second).Format(time.RFC3339Nano)
	}
	for _, codes := range [][]string{statusCodes[:], partnerKindCodes[:], subjectCodes[:], sudCodes[:], eventKindCodes[:], ruleCodes[:], milestoneCodes[:]} {
		if i := slices.Index(codes, s); i > 0 {
			return codes[1+i%(len(codes)-1)]
		}
	}
	return s + "x"
}

// isZeroJSON reports whether v is the zero value of its JSON type.
func isZeroJSON(v any) bool { return v == "" || v == false || v == 0.0 || v == nil }

// TestSavedConsentExpiryCannotBeRemoved is QA's reproducer as a regression test: a permit
// resting on a consent that expires a day later (Until) stops opening the gate then
// (42 CFR 2.31(c)(1): a consent that has expired does not count). Removing "until" from
// the saved referral, from the event and from the snapshot, must not give a referral whose
// gate opens after the expiry: the consent event is the last, so its change shows as a
// head that no longer matches (log_head_mismatch at "head"); removing it from the
// snapshot alone shows as a snapshot that disagrees with the events (ErrInconsistent).
func TestSavedConsentExpiryCannotBeRemoved(t *testing.T) {
	r := mustNew(t, Draft{ID: "R-1", Patient: "W-1", Subject: SubjectWoman, Program: "prog-1", Partner: "ob-1",
		PartnerKind: PartnerPrenatalCare, SUD: SUDCarries}, t0)
	rec := ConsentRecord{Permit: true, Basis: "consent:c1", ConsentID: "c1", Patient: "W-1", Discloser: "prog-1",
		Recipient: "ob-1", DecidedAt: t0, Until: t0.Add(24 * time.Hour)}
	require.NoError(t, r.RecordConsent(rec, t0.Add(time.Minute), "staff-7"))
	late := t0.Add(48 * time.Hour)
	g := r.Gate(late)
	require.False(t, g.Allow)
	require.Equal(t, GateExpired, g.Reasons[0].Code)

	strip := func(fromEvent, fromSnapshot bool) []byte {
		var m map[string]any
		require.NoError(t, json.Unmarshal(mustMarshal(t, r), &m))
		if fromEvent {
			delete(m["events"].([]any)[1].(map[string]any)["consent"].(map[string]any), "until")
		}
		if fromSnapshot {
			delete(m["consent"].(map[string]any), "until")
		}
		return mustMarshal(t, m)
	}
	_, err := DecodeReferral(strip(true, true))
	require.Equal(t, []string{ProblemLogHead + "@head"}, codeFields(validationOf(t, err)))
	_, err = DecodeReferral(strip(false, true))
	require.ErrorIs(t, err, ErrInconsistent)
	require.Equal(t, []string{"snapshot_mismatch@consent"}, codeFields(validationOf(t, err)))
	back, err := DecodeReferral(strip(false, false))
	require.NoError(t, err)
	require.Equal(t, r.Head(), back.Head())
	require.ErrorIs(t, back.Send(late, "staff-7"), ErrConsentRequired)
}
