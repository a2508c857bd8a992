package priority

import (
	"bytes"
	"encoding"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func corpusFiles(f *testing.F) [][]byte {
	files, _ := filepath.Glob(filepath.Join("testdata", "conformance", "*.json"))
	var out [][]byte
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// FuzzConformanceCase: the case decoder never panics.
func FuzzConformanceCase(f *testing.F) {
	for _, b := range corpusFiles(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeCase(b)
		if err != nil {
			return
		}
		_, _ = decodePolicy(c.Policy)
	})
}

// FuzzPolicyJSON: any policy that decodes either compiles or lists its problems; a compiled
// policy survives a JSON round trip unchanged and classifies without panicking.
func FuzzPolicyJSON(f *testing.F) {
	fed, _ := json.Marshal(Federal())
	f.Add(fed)
	for _, b := range corpusFiles(f) {
		var c struct {
			Policy json.RawMessage `json:"policy"`
		}
		if json.Unmarshal(b, &c) == nil && len(c.Policy) > 0 && c.Policy[0] == '{' {
			f.Add([]byte(c.Policy))
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var p Policy
		if json.Unmarshal(b, &p) != nil {
			return
		}
		p.CalendarDaysZone = "" // no zone database lookups while fuzzing
		c, err := Compile(p)
		if err != nil {
			if ve, ok := err.(*ValidationError); !ok || len(ve.Problems) == 0 {
				t.Fatalf("Compile error without problems: %v", err)
			}
			return
		}
		b2, err := json.Marshal(c.Policy())
		if err != nil {
			t.Fatal(err)
		}
		var q Policy
		if err := json.Unmarshal(b2, &q); err != nil {
			t.Fatal(err)
		}
		c2, err := Compile(q)
		if err != nil {
			t.Fatalf("round-tripped policy does not compile: %v", err)
		}
		a := Applicant{ID: "x", SoughtAt: t0, Pregnant: true, InjectsDrugs: true, DeliveredAt: t0.Add(time.Hour)}
		for _, at := range []time.Time{t0, t0.Add(2 * time.Hour), t0.Add(400 * 24 * time.Hour)} {
			if c.Classify(a, at) != c2.Classify(a, at) {
				t.Fatal("round trip changed a classification")
			}
			if r := c.Classify(a, at).Rank; r < 1 || r > c.NumTiers() {
				t.Fatalf("rank %d out of 1..%d", r, c.NumTiers())
			}
		}
	})
}

// FuzzWaitlistJSON: a restored waitlist saves back to the same bytes and the same state.
func FuzzWaitlistJSON(f *testing.F) {
	c := MustCompile(Policy{Name: "s", PostpartumDays: 30, Removal: RemovalRule{AfterFailedContacts: 1},
		Tiers: []Tier{{Name: "pp", When: map[string]bool{"postpartum": true}}, {Name: "inj", When: map[string]bool{"injects_drugs": true}}}})
	w, _ := NewWaitlist(c)
	randomList(f, w, 9, 40)
	b, _ := json.Marshal(w)
	f.Add(b)
	empty, _ := NewWaitlist(MustCompile(Federal()))
	b, _ = json.Marshal(empty)
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		var w Waitlist
		if bytes.Contains(b, []byte("calendar_days_zone")) {
			return // no zone database lookups while fuzzing
		}
		if json.Unmarshal(b, &w) != nil {
			return
		}
		out, err := json.Marshal(&w)
		if err != nil {
			t.Fatal(err)
		}
		var back Waitlist
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("restoring a saved list: %v", err)
		}
		out2, err := json.Marshal(&back)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, out2) {
			t.Fatalf("save, restore, save differ:\n%s\n%s", out, out2)
		}
		eqHead := func(x, y []Waiting) bool {
			if len(x) != len(y) {
				return false
			}
			for i := range x {
				if x[i].Applicant.ID != y[i].Applicant.ID || x[i].Classification != y[i].Classification {
					return false
				}
			}
			return true
		}
		if !eqHead(w.Head(0), back.Head(0)) {
			t.Fatal("restored list differs")
		}
	})
}

// FuzzEventJSON: any decodable event is applied or refused without panicking.
func FuzzEventJSON(f *testing.F) {
	f.Add([]byte(`{"seq":2,"kind":"contact_attempted","at":"2026-03-01T09:00:00Z","id":"A","reached":true}`))
	f.Add([]byte(`{"seq":2,"kind":"removed","at":"2026-03-01T09:00:00Z","id":"A","reason":"unreachable"}`))
	f.Add([]byte(`{"seq":2,"kind":"added","at":"2026-03-01T09:00:00Z","id":"B","facts":{"id":"B","sought_at":"2026-03-01T08:00:00Z","pregnant":true}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var ev Event
		if json.Unmarshal(b, &ev) != nil {
			return
		}
		w, _ := NewWaitlist(MustCompile(Federal()))
		if _, err := w.Add(Applicant{ID: "A", SoughtAt: t0}, t0); err != nil {
			t.Fatal(err)
		}
		if err := w.Apply(ev); err == nil {
			if len(w.Events()) != 2 {
				t.Fatal("applied event not recorded")
			}
		} else if len(w.Events()) != 1 {
			t.Fatal("refused event recorded")
		}
	})
}

type textEnum interface {
	encoding.TextMarshaler
	encoding.TextUnmarshaler
	String() string
}

// FuzzEnumText: every code that decodes encodes back to itself.
func FuzzEnumText(f *testing.F) {
	for _, s := range []string{"pregnant", "interim_services", "overdue", "prenatal_care_referral", "admitted_elsewhere", "reclassified", "unknown", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, v := range []textEnum{new(Condition), new(ObligationKind), new(ObligationState), new(InterimElement), new(RemovalReason), new(EventKind)} {
			if v.UnmarshalText([]byte(s)) != nil {
				continue
			}
			b, err := v.MarshalText()
			if err != nil || string(b) != s || v.String() != s {
				t.Fatalf("%T %q: round trip gave %q, %v", v, s, b, err)
			}
		}
	})
}
