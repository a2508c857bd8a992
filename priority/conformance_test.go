package priority

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/dyad-health/dyad/internal/conformance"
	"github.com/google/go-cmp/cmp"
)

var corpus = flag.String("corpus", "", "run the conformance cases of this folder instead of testdata/conformance")

// confCase is one conformance case (shared/conformance/README.md), with this package's
// extensions: applicants' state_referred_at, admitted_at and contacts; the program's
// notified_at; the policy's own options; expect.policy_problems, expect.removable and
// expect.overdue.
type confCase struct {
	Description string          `json:"description"`
	Policy      json.RawMessage `json:"policy"`
	Program     *Program        `json:"program"`
	At          time.Time       `json:"at"`
	Applicants  []confApplicant `json:"applicants"`
	Expect      confExpect      `json:"expect"`
}

type confApplicant struct {
	Applicant
	InterimDeliveredAt time.Time     `json:"interim_delivered_at"`
	StateReferredAt    time.Time     `json:"state_referred_at"`
	AdmittedAt         time.Time     `json:"admitted_at"`
	Contacts           []confContact `json:"contacts"`
}

type confContact struct {
	At      time.Time `json:"at"`
	Reached bool      `json:"reached"`
}

type confObligation struct {
	ID   string         `json:"id"`
	Kind ObligationKind `json:"kind"`
	Due  *time.Time     `json:"due"`
	Cite string         `json:"cite"`
}

type confExpect struct {
	Order           []string                    `json:"order"`
	Tiers           map[string]int              `json:"tiers"`
	Obligations     *[]confObligation           `json:"obligations"`
	InterimElements map[string][]InterimElement `json:"interim_elements"`
	PolicyProblems  []string                    `json:"policy_problems"`
	Removable       map[string]bool             `json:"removable"`
	Overdue         *[]confObligation           `json:"overdue"`
}

func decodeCase(b []byte) (confCase, error) {
	var c confCase
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, err
	}
	if dec.More() {
		return c, errors.New("trailing data after the case")
	}
	if c.Description == "" {
		return c, errors.New("the case has no description")
	}
	if c.At.IsZero() && c.Expect.PolicyProblems == nil {
		return c, errors.New("the case has no \"at\"")
	}
	return c, nil
}

func decodePolicy(raw json.RawMessage) (Policy, error) {
	if len(raw) == 0 {
		return Policy{}, errors.New("the case has no policy")
	}
	var name string
	if json.Unmarshal(raw, &name) == nil {
		if name == "federal" {
			return Federal(), nil
		}
		return Policy{}, fmt.Errorf("unknown named policy %q", name)
	}
	var p Policy
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(&p)
	return p, err
}

type confEvent struct {
	at  time.Time
	idx int // input order, for ties
	do  func() error
}

// runCase runs one case and returns every mismatch.
func runCase(t *testing.T, c confCase) {
	t.Helper()
	p, err := decodePolicy(c.Policy)
	if err != nil {
		t.Fatalf("policy: %v", err)
	}
	cp, err := Compile(p)
	if c.Expect.PolicyProblems != nil {
		var ve *ValidationError
		if !errors.As(err, &ve) || !errors.Is(err, ErrInvalidPolicy) {
			t.Fatalf("Compile: got %v, want a *ValidationError with %v", err, c.Expect.PolicyProblems)
		}
		if diff := cmp.Diff(c.Expect.PolicyProblems, ve.Codes()); diff != "" {
			t.Errorf("policy problems (-want +got):\n%s", diff)
		}
		return
	}
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	prog := Program{}
	if c.Program != nil {
		prog = *c.Program
	}
	w, err := NewWaitlist(cp)
	if err != nil {
		t.Fatal(err)
	}
	var evs []confEvent
	for i, a := range c.Applicants {
		a := a
		evs = append(evs, confEvent{a.SoughtAt, i, func() error { _, err := w.Add(a.Applicant, a.SoughtAt); return err }})
		for _, ct := range a.Contacts {
			evs = append(evs, confEvent{ct.At, i, func() error { return w.RecordContact(a.ID, ct.Reached, ct.At) }})
		}
		if d := a.InterimDeliveredAt; !d.IsZero() {
			evs = append(evs, confEvent{d, i, func() error {
				for _, e := range cp.InterimElements(a.Applicant, d).Slice() {
					if err := w.DeliverInterim(a.ID, e, d); err != nil {
						return err
					}
				}
				return nil
			}})
		}
		if d := a.StateReferredAt; !d.IsZero() {
			evs = append(evs, confEvent{d, i, func() error { return w.ReferToState(a.ID, d) }})
		}
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].at.Before(evs[j].at) })
	for _, ev := range evs {
		if ev.at.After(c.At) {
			continue
		}
		if err := ev.do(); err != nil {
			t.Fatalf("building the waitlist: %v", err)
		}
	}
	if _, err := w.Refresh(c.At); err != nil {
		t.Fatalf("Refresh: %v", err)
	}

	// Order and tiers, from the waitlist, cross-checked with Classify at "at".
	var order []string
	tiers := map[string]int{}
	for _, x := range w.Head(0) {
		order = append(order, x.Applicant.ID)
		tiers[x.Applicant.ID] = x.Classification.Rank
		if got := cp.Classify(x.Applicant, c.At); got != x.Classification {
			t.Errorf("%s: waitlist classification %v differs from Classify %v", x.Applicant.ID, x.Classification, got)
		}
	}
	if c.Expect.Order != nil {
		if diff := cmp.Diff(c.Expect.Order, order); diff != "" {
			t.Errorf("order (-want +got):\n%s", diff)
		}
	}
	for id, want := range c.Expect.Tiers {
		if got, ok := tiers[id]; !ok || got != want {
			t.Errorf("tier of %s = %d, want %d", id, got, want)
		}
	}

	// Obligations pending at "at".
	if c.Expect.Obligations != nil {
		var got []Obligation
		for _, a := range c.Applicants {
			done := Progress{InterimAt: a.InterimDeliveredAt, StateReferredAt: a.StateReferredAt, AdmittedAt: a.AdmittedAt}
			direct := cp.Obligations(a.Applicant, done, prog, c.At)
			if a.AdmittedAt.IsZero() { // the waitlist knows everything else the case records
				viaList, err := w.Obligations(a.ID, prog, c.At)
				if err != nil {
					t.Fatalf("Waitlist.Obligations(%s): %v", a.ID, err)
				}
				if diff := cmp.Diff(direct, viaList); diff != "" {
					t.Errorf("%s: waitlist obligations differ from Compiled.Obligations (-direct +list):\n%s", a.ID, diff)
				}
			}
			got = append(got, direct...)
		}
		got = append(got, cp.ProgramObligations(prog, c.At)...)
		got = slices.DeleteFunc(got, func(o Obligation) bool { return !o.State.Pending() })
		matchObligations(t, "obligations", *c.Expect.Obligations, got)
	}
	if c.Expect.Overdue != nil {
		matchObligations(t, "overdue", *c.Expect.Overdue, w.Overdue(c.At))
	}
	for id, want := range c.Expect.InterimElements {
		var a *confApplicant
		for i := range c.Applicants {
			if c.Applicants[i].ID == id {
				a = &c.Applicants[i]
			}
		}
		if a == nil {
			t.Errorf("interim_elements names unknown applicant %q", id)
			continue
		}
		got := cp.InterimElements(a.Applicant, c.At).Slice()
		if !slices.Equal(want, got) {
			diff := cmp.Diff(fmt.Sprint(want), fmt.Sprint(got))
			t.Errorf("interim elements of %s (-want +got):\n%s", id, diff)
		}
	}
	for id, want := range c.Expect.Removable {
		got, err := w.Removable(id, c.At)
		if err != nil {
			t.Errorf("Removable(%s): %v", id, err)
		} else if got != want {
			t.Errorf("Removable(%s) = %v, want %v", id, got, want)
		}
		err = w.Remove(id, RemovalUnreachable, c.At)
		if want != (err == nil) || (!want && !errors.Is(err, ErrRemovalNotAllowed)) {
			t.Errorf("Remove(%s, unreachable) = %v, want allowed=%v", id, err, want)
		}
	}
}

func matchObligations(t *testing.T, what string, want []confObligation, got []Obligation) {
	t.Helper()
	used := make([]bool, len(got))
	for _, w := range want {
		found := false
		for i, o := range got {
			if used[i] || o.Subject != w.ID || o.Kind != w.Kind {
				continue
			}
			used[i], found = true, true
			if w.Due != nil && !o.Due.Equal(*w.Due) {
				t.Errorf("%s: %s %s due %s, want %s", what, w.ID, w.Kind, o.Due.UTC().Format(time.RFC3339), w.Due.UTC().Format(time.RFC3339))
			}
			if w.Cite != "" && !o.Cites(w.Cite) {
				t.Errorf("%s: %s %s cites %v, want %q among them", what, w.ID, w.Kind, o.Citations, w.Cite)
			}
			break
		}
		if !found {
			t.Errorf("%s: missing %s %s", what, w.ID, w.Kind)
		}
	}
	for i, o := range got {
		if !used[i] {
			t.Errorf("%s: unexpected %s %s (%s, due %s)", what, o.Subject, o.Kind, o.State, o.Due.UTC().Format(time.RFC3339))
		}
	}
}

func runCorpus(t *testing.T, dir string) {
	t.Helper()
	conformance.Run(t, dir, decodeCase, runCase)
}

func TestConformance(t *testing.T) {
	dir := filepath.Join("testdata", "conformance")
	if *corpus != "" {
		dir = *corpus
	}
	runCorpus(t, dir)
}

// TestSharedConformance runs the project's shared example cases, beside the repository.
func TestSharedConformance(t *testing.T) {
	runCorpus(t, conformance.Shared(t, "../../shared/conformance/priority"))
}
