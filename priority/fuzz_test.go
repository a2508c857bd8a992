package priority

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dyad-health/dyad/internal/conformance"
	"github.com/dyad-health/dyad/internal/jsonin"
)

// Every decoder of the package has a fuzz target: the conformance case reader, DecodePolicy,
// DecodeLog, DecodeSnapshot, DecodeWaitlist, the UnmarshalJSON of InterimRecord,
// ConditionSet, ElementSet, Citations and Capacity, and the enums' UnmarshalText. Each checks,
// besides not panicking, that an error never holds input text (a marker the fuzzer cannot
// avoid finding is planted in the seeds) and that what decodes survives a round trip.

// marker is text no message of the package contains; seeds carry it so that a message
// quoting the input is found.
const marker = "ZqXjV"

// noInputText fails when an error's text carries the marker.
func noInputText(t *testing.T, in []byte, err error) {
	t.Helper()
	if err != nil && bytes.Contains(in, []byte(marker)) && strings.Contains(err.Error(), marker) {
		t.Fatalf("the error quotes the input: %v", err)
	}
}

// FuzzConformanceCase: the case decoder never panics, and never quotes the input.
func FuzzConformanceCase(f *testing.F) {
	conformance.Seed(f, filepath.Join("testdata", "conformance"))
	f.Add([]byte(`{"description":"` + marker + `","policy":"` + marker + `","at":"` + marker + `"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeCase(b)
		noInputText(t, b, err)
		if err != nil {
			return
		}
		_, err = casePolicy(c.Policy)
		noInputText(t, b, err)
	})
}

// FuzzDecodePolicy: any policy that decodes compiles (DecodePolicy validates), survives a
// JSON round trip with the same identity, classifies every possible person into a tier, and
// keeps the federal order of 96.131(a).
func FuzzDecodePolicy(f *testing.F) {
	fed, _ := json.Marshal(Federal())
	f.Add(fed)
	conformance.Seed(f, filepath.Join("testdata", "conformance")) // whole cases: mostly refused
	f.Add([]byte(`{"name":"s","tiers":[{"name":"a","when":{"` + marker + `":true}}],"citations":["` + marker + "\n" + `"]}`))
	f.Add([]byte(`{"name":"s","no_injecting_population":true,"tiers":[{"name":"p","when":{"pregnant":true}},{"name":"v","when":{"veteran":true,"injects_drugs":false}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := DecodePolicy(b, DecodeOptions{})
		noInputText(t, b, err)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 || !errors.Is(err, ErrInvalidPolicy) {
				t.Fatalf("an error without problems: %v", err)
			}
			return
		}
		p.CalendarDaysZone = "" // no zone database lookups while fuzzing
		c, err := Compile(p)
		if err != nil {
			t.Fatalf("a decoded policy does not compile: %v", err)
		}
		b2, err := json.Marshal(c.Policy())
		if err != nil {
			t.Fatal(err)
		}
		q, err := DecodePolicy(b2, DecodeOptions{})
		if err != nil {
			t.Fatalf("round-tripped policy refused: %v", err)
		}
		if q.ID() != p.ID() {
			t.Fatal("the round trip changed the policy's identity")
		}
		possibleSets(func(s ConditionSet) {
			r := c.ClassifyConditions(s).Rank
			if r < 1 || r > c.NumTiers() {
				t.Fatalf("rank %d out of 1..%d", r, c.NumTiers())
			}
			possibleSets(func(u ConditionSet) {
				if federalGroup(s, p.NoInjectingPopulation) < federalGroup(u, p.NoInjectingPopulation) && r >= c.ClassifyConditions(u).Rank {
					t.Fatalf("%s ranked %d, at or after %s (%d): 96.131(a) broken", s, r, u, c.ClassifyConditions(u).Rank)
				}
			})
		})
	})
}

func fuzzList(f *testing.F) *Waitlist {
	p := Federal()
	p.PostpartumDays = 30
	p.Removal = RemovalRule{AfterFailedContacts: 1}
	p.Tiers = append(p.Tiers[:3:3], Tier{Name: "pp", When: map[string]bool{"postpartum": true}}, p.Tiers[3])
	w := newList(f, p)
	randomList(f, w, 9, 40)
	return w
}

// FuzzDecodeWaitlist: a decoded list saves back to the same bytes, and the copy answers as
// the list does.
func FuzzDecodeWaitlist(f *testing.F) {
	w := fuzzList(f)
	b, _ := json.Marshal(w)
	f.Add(b)
	_ = w.Compact(w.LastSeq())
	b, _ = json.Marshal(w)
	f.Add(b) // a snapshot and an empty log
	f.Add(bytes.Replace(b, []byte(`"at":"`), []byte(`"at":"`+marker), 1))
	empty := newList(f, Federal())
	b, _ = json.Marshal(empty)
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		if bytes.Contains(b, []byte("calendar_days_zone")) {
			return // no zone database lookups while fuzzing
		}
		w, err := DecodeWaitlist(b, WaitlistDecodeOptions{})
		noInputText(t, b, err)
		if err != nil {
			return
		}
		out, err := json.Marshal(w)
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeWaitlist(out, WaitlistDecodeOptions{})
		if err != nil {
			t.Fatalf("restoring a saved list: %v", err)
		}
		out2, err := json.Marshal(back)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, out2) {
			t.Fatalf("save, restore, save differ:\n%s\n%s", out, out2)
		}
		at := time.Date(2199, 1, 1, 0, 0, 0, 0, time.UTC)
		h1, err1 := w.Head(0, at, Everyone)
		h2, err2 := back.Head(0, at, Everyone)
		if (err1 == nil) != (err2 == nil) || len(h1) != len(h2) {
			t.Fatal("restored list differs")
		}
		for i := range h1 {
			if h1[i].Applicant.ID != h2[i].Applicant.ID || h1[i].Classification != h2[i].Classification {
				t.Fatal("restored list differs")
			}
		}
	})
}

// FuzzDecodeLog: a log that decodes holds together: re-encoded, it decodes again, and every
// event's Prev is the hash of the one before.
func FuzzDecodeLog(f *testing.F) {
	w := fuzzList(f)
	l, _ := w.SaveLog(0)
	b, _ := json.Marshal(l)
	f.Add(b)
	l, _ = w.SaveLog(w.LastSeq() - 5)
	b, _ = json.Marshal(l)
	f.Add(b)
	f.Add(bytes.Replace(b, []byte(`"id":"`), []byte(`"id":"`+marker+` `), 1))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := DecodeLog(b, DecodeOptions{})
		noInputText(t, b, err)
		if err != nil {
			return
		}
		out, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := DecodeLog(out, DecodeOptions{}); err != nil {
			t.Fatalf("a re-encoded log is refused: %v", err)
		}
	})
}

// FuzzDecodeSnapshot: a snapshot that decodes restores to a list, or is refused with an
// error that does not quote it.
func FuzzDecodeSnapshot(f *testing.F) {
	w := fuzzList(f)
	b, _ := json.Marshal(w.Snapshot())
	f.Add(b)
	f.Add(bytes.Replace(b, []byte(`"id":"`), []byte(`"id":"`+marker+` `), 1))
	c := w.Policy()
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeSnapshot(b, DecodeOptions{})
		noInputText(t, b, err)
		if err != nil {
			return
		}
		r, err := RestoreWaitlist(c, s, nil, WaitlistOptions{})
		noInputText(t, b, err)
		if err == nil && r.Len() != len(s.People) {
			t.Fatalf("restored %d people of %d", r.Len(), len(s.People))
		}
	})
}

// FuzzRestoreSnapshot: any snapshot content that passes the shape checks, given its own
// digest (as a forger who recomputes it would), restores without panicking, and the restored
// list's own snapshot restores the same people; an altered digest is refused.
func FuzzRestoreSnapshot(f *testing.F) {
	w := fuzzList(f)
	b, _ := json.Marshal(w.Snapshot())
	f.Add(b)
	c := w.Policy()
	f.Fuzz(func(t *testing.T, b []byte) {
		var s Snapshot
		if jsonin.Decode(b, &s, jsonin.Options{MaxBytes: 1 << 20}) != nil {
			return
		}
		s.Digest = s.digest()
		r, err := RestoreWaitlist(c, s, nil, WaitlistOptions{})
		noInputText(t, b, err)
		if err != nil {
			return
		}
		if r.Len() != len(s.People) {
			t.Fatalf("restored %d people of %d", r.Len(), len(s.People))
		}
		again := r.Snapshot()
		if _, err := RestoreWaitlist(c, again, nil, WaitlistOptions{}); err != nil {
			t.Fatalf("the restored list's own snapshot is refused: %v", err)
		}
		s.Digest = GenesisPrev
		if _, err := RestoreWaitlist(c, s, nil, WaitlistOptions{}); !errors.Is(err, ErrBrokenChain) {
			t.Fatalf("a wrong digest: %v, want ErrBrokenChain", err)
		}
	})
}

// FuzzEvent: any event that decodes is applied or refused without panicking; a refused event
// records nothing.
func FuzzEvent(f *testing.F) {
	pol := Federal().ID()
	for _, s := range []string{
		`{"seq":2,"kind":"contact_attempted","at":"2026-03-01T09:00:00Z","actor":"n","id":"A","reached":true}`,
		`{"seq":2,"kind":"removed","at":"2026-03-01T09:00:00Z","actor":"n","id":"A","reason":"unreachable"}`,
		`{"seq":2,"kind":"added","at":"2026-03-01T09:00:00Z","actor":"n","id":"B","facts":{"id":"B","sought_at":"2026-03-01T08:00:00Z","pregnant":true}}`,
		`{"seq":2,"kind":"occupancy","at":"2026-03-01T09:00:00Z","actor":"n","program":"p","occupancy":{"beds":3,"occupied":3,"serves_injecting":true}}`,
		`{"seq":2,"kind":"policy_changed","at":"2026-03-01T09:00:00Z","actor":"n","new_policy":"sha256:0000000000000000000000000000000000000000000000000000000000000001"}`,
	} {
		f.Add([]byte(strings.Replace(s, `"seq":2`, `"seq":2,"policy":"`+pol+`"`, 1)))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var ev Event
		if jsonin.Decode(b, &ev, jsonin.Options{}) != nil {
			return
		}
		w := newList(t, Federal())
		if _, err := w.Add(Applicant{ID: "A", SoughtAt: t0}, t0, actor); err != nil {
			t.Fatal(err)
		}
		_, ev.Prev = w.Checkpoint()
		err := w.Apply(ev)
		noInputText(t, b, err)
		if want := uint64(1); err == nil {
			want = 2
			if w.LastSeq() != want {
				t.Fatal("applied event not recorded")
			}
		} else if w.LastSeq() != want {
			t.Fatal("refused event recorded")
		}
	})
}

// FuzzValueDecoders: the UnmarshalJSON of the package's value types.
func FuzzValueDecoders(f *testing.F) {
	for _, s := range []string{`{"hiv_tb_education":"2026-03-01T08:00:00Z"}`, `["pregnant","injects_drugs"]`, `["prenatal_care_referral"]`,
		`["45 CFR 96.131(a)"]`, `true`, `null`, `{"` + marker + `":"` + marker + `"}`, `["` + marker + `"]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, v := range []json.Unmarshaler{new(InterimRecord), new(ConditionSet), new(ElementSet), new(Citations), new(Capacity)} {
			err := v.UnmarshalJSON(b)
			noInputText(t, b, err)
			if err != nil {
				continue
			}
			out, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("%T: %v", v, err)
			}
			w := v
			switch v.(type) {
			case *InterimRecord:
				w = new(InterimRecord)
			case *ConditionSet:
				w = new(ConditionSet)
			case *ElementSet:
				w = new(ElementSet)
			case *Citations:
				w = new(Citations)
			case *Capacity:
				w = new(Capacity)
			}
			if err := w.UnmarshalJSON(out); err != nil {
				t.Fatalf("%T: %s does not decode back: %v", v, out, err)
			}
			out2, _ := json.Marshal(w)
			if !bytes.Equal(out, out2) {
				t.Fatalf("%T: round trip %s, %s", v, out, out2)
			}
		}
	})
}

type textEnum interface {
	encoding.TextMarshaler
	encoding.TextUnmarshaler
	String() string
}

// FuzzEnumText: every code that decodes encodes back to itself; an unknown one is refused
// without being quoted.
func FuzzEnumText(f *testing.F) {
	for _, s := range []string{"pregnant", "interim_services", "overdue", "prenatal_care_referral", "admitted_elsewhere", "reclassified", "unknown", "", "x", marker} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, v := range []textEnum{new(Condition), new(ObligationKind), new(ObligationStatus), new(InterimElement), new(RemovalReason), new(EventKind)} {
			err := v.UnmarshalText([]byte(s))
			noInputText(t, []byte(s), err)
			if err != nil {
				continue
			}
			b, err := v.MarshalText()
			if err != nil || string(b) != s || v.String() != s {
				t.Fatalf("%T %q: round trip gave %q, %v", v, s, b, err)
			}
		}
	})
}
