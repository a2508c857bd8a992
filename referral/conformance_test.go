package referral

import (
	"errors"
	"flag"
	"slices"
	"testing"
	"time"

	"github.com/dyad-health/dyad/internal/conformance"
	"github.com/dyad-health/dyad/internal/jsonin"
	"github.com/google/go-cmp/cmp"
)

var corpus = flag.String("corpus", "testdata/conformance", "folder of referral conformance cases (JSON, one case per file)")

// conformanceCase is one case of the referral conformance corpus; the format is documented
// in testdata/conformance/README.md.
type conformanceCase struct {
	Description string    `json:"description"`
	Partners    []Partner `json:"partners,omitempty"`
	Events      []Event   `json:"events"`
	At          time.Time `json:"at"`
	Expect      struct {
		Refused *struct {
			Seq     int      `json:"seq"`
			Error   string   `json:"error"` // illegal_transition, consent_required or invalid
			Reasons []string `json:"reasons,omitempty"`
		} `json:"refused,omitempty"`
		Status Status `json:"status"`
		Gate   *struct {
			Allow   bool     `json:"allow"`
			Reasons []string `json:"reasons"`
		} `json:"gate,omitempty"`
		Obligations []string `json:"obligations,omitempty"`
		Deadlines   *[]struct {
			Rule      Rule           `json:"rule"`
			Milestone Milestone      `json:"milestone"`
			Due       time.Time      `json:"due"`
			State     DeadlineStatus `json:"state"`
		} `json:"deadlines,omitempty"`
	} `json:"expect"`
}

func TestConformance(t *testing.T) { runCorpus(t, conformance.Dir(t, *corpus)) }

// TestSharedConformance runs further example cases, the referral/ folder of $DYAD_SHARED_CORPUS
// (docs/conformance.md), and is skipped without it.
func TestSharedConformance(t *testing.T) {
	runCorpus(t, conformance.Shared(t, "referral"))
}

func runCorpus(t *testing.T, dir string) {
	t.Helper()
	conformance.Run(t, dir, decodeCase, runCase)
}

// decodeCase decodes one case with the library's one JSON reader (unknown members,
// members repeated in any letter case and trailing data are errors) and checks that it
// says what it is about and what it expects.
func decodeCase(b []byte) (conformanceCase, error) {
	var c conformanceCase
	if err := jsonin.Decode(b, &c, jsonin.Options{}); err != nil {
		return c, err
	}
	if c.Description == "" || c.At.IsZero() || len(c.Events) == 0 || !c.Expect.Status.IsValid() {
		return c, errors.New("case lacks description, at, events or expect.status")
	}
	return c, nil
}

func runCase(t *testing.T, c conformanceCase) {
	dir, err := NewDirectory(c.Partners...)
	if err != nil {
		t.Fatalf("partners: %v", err)
	}
	r := &Referral{}
	var refusal error
	refusedSeq := 0
	for _, e := range c.Events {
		if err := r.Append(e); err != nil {
			refusal, refusedSeq = err, e.Seq
			break
		}
	}
	switch want := c.Expect.Refused; {
	case want == nil && refusal != nil:
		t.Fatalf("event %d refused: %v", refusedSeq, refusal)
	case want != nil && refusal == nil:
		t.Fatalf("event %d applied, want refused (%s)", want.Seq, want.Error)
	case want != nil:
		if refusedSeq != want.Seq {
			t.Errorf("refused event %d, want %d", refusedSeq, want.Seq)
		}
		sentinel := map[string]error{"illegal_transition": ErrIllegalTransition,
			"consent_required": ErrConsentRequired, "invalid": ErrInvalid}[want.Error]
		if sentinel == nil {
			t.Fatalf("unknown expected error %q", want.Error)
		}
		if !errors.Is(refusal, sentinel) {
			t.Errorf("refusal %v, want %s", refusal, want.Error)
		}
		if want.Reasons != nil {
			var ge *GateError
			if !errors.As(refusal, &ge) {
				t.Fatalf("reasons expected from a gate refusal, got %v", refusal)
			}
			if d := cmp.Diff(want.Reasons, reasonCodes(ge.Decision.Reasons)); d != "" {
				t.Errorf("gate reasons (-want +got):\n%s", d)
			}
		}
	}
	if len(r.events) == 0 {
		t.Fatal("no event applied")
	}
	if r.Status() != c.Expect.Status {
		t.Errorf("status %v, want %v", r.Status(), c.Expect.Status)
	}
	if g := c.Expect.Gate; g != nil {
		got := r.Gate(c.At)
		if got.Allow != g.Allow {
			t.Errorf("gate allow %v, want %v", got.Allow, g.Allow)
		}
		if d := cmp.Diff(g.Reasons, reasonCodes(got.Reasons)); d != "" {
			t.Errorf("gate reasons (-want +got):\n%s", d)
		}
	}
	if c.Expect.Obligations != nil {
		var got []string
		for _, o := range r.Obligations() {
			got = append(got, o.Code)
		}
		for _, w := range c.Expect.Obligations {
			if !slices.Contains(got, w) {
				t.Errorf("obligation %s missing from %v", w, got)
			}
		}
	}
	if c.Expect.Deadlines != nil {
		var p *Partner
		if q, ok := dir.Lookup(r.Partner()); ok {
			p = &q
		}
		got := r.Deadlines(p, c.At)
		want := *c.Expect.Deadlines
		if len(got) != len(want) {
			t.Fatalf("%d deadlines, want %d: %+v", len(got), len(want), got)
		}
		for i, w := range want {
			g := got[i]
			if g.Rule != w.Rule || g.Milestone != w.Milestone || !g.Due.Equal(w.Due) || g.State != w.State {
				t.Errorf("deadline %d = %v %v %v %v, want %v %v %v %v", i, g.Rule, g.Milestone, g.Due, g.State,
					w.Rule, w.Milestone, w.Due, w.State)
			}
		}
	}
}

func reasonCodes(rs []Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Code
	}
	return out
}
