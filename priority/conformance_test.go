package priority

import (
	"errors"
	"flag"
	"fmt"
	"path"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/dyad-health/dyad/internal/conformance"
	"github.com/dyad-health/dyad/internal/jsonin"
	"github.com/google/go-cmp/cmp"
)

var corpus = flag.String("corpus", "", "run the conformance cases of this folder instead of testdata/conformance")

// confCase is one conformance case (testdata/conformance/README.md).
type confCase struct {
	Description string          `json:"description"`
	Policy      jsonRaw         `json:"policy"`
	Program     *Program        `json:"program"`
	Occupancy   []confOccupancy `json:"occupancy"`
	At          time.Time       `json:"at"`
	Applicants  []confApplicant `json:"applicants"`
	Expect      confExpect      `json:"expect"`
}

// jsonRaw is a raw JSON value the case decoder keeps for a second, typed reading.
type jsonRaw []byte

func (r *jsonRaw) UnmarshalJSON(b []byte) error {
	*r = append((*r)[:0], b...)
	return nil
}

type confOccupancy struct {
	At              time.Time `json:"at"`
	Beds            int       `json:"beds"`
	Occupied        int       `json:"occupied"`
	ServesInjecting bool      `json:"serves_injecting"`
}

type confApplicant struct {
	Applicant
	InterimDeliveredAt time.Time     `json:"interim_delivered_at"`
	StateReferredAt    time.Time     `json:"state_referred_at"`
	AdmittedAt         time.Time     `json:"admitted_at"`
	LeftAt             time.Time     `json:"left_at"`
	LeftReason         RemovalReason `json:"left_reason"`
	Contacts           []confContact `json:"contacts"`
}

type confContact struct {
	At      time.Time `json:"at"`
	Reached bool      `json:"reached"`
}

type confObligation struct {
	ID     string           `json:"id"`
	Kind   ObligationKind   `json:"kind"`
	Due    *time.Time       `json:"due"`
	Cite   string           `json:"cite"`
	Status ObligationStatus `json:"status"`
}

type confExpect struct {
	Order             []string                    `json:"order"`
	Tiers             map[string]int              `json:"tiers"`
	Obligations       *[]confObligation           `json:"obligations"`
	Settled           *[]confObligation           `json:"settled"`
	InterimElements   map[string][]InterimElement `json:"interim_elements"`
	PolicyProblems    []string                    `json:"policy_problems"`
	ApplicantProblems map[string][]string         `json:"applicant_problems"`
	ProgramProblems   []string                    `json:"program_problems"`
	Removable         map[string]bool             `json:"removable"`
	Overdue           *[]confObligation           `json:"overdue"`
	Next              map[string]string           `json:"next"`
}

// decodeCase reads a case through the package's one JSON reader: unknown members, duplicate
// keys and trailing data fail the case.
func decodeCase(b []byte) (confCase, error) {
	var c confCase
	if err := jsonin.Decode(b, &c, jsonin.Options{MaxBytes: 1 << 20}); err != nil {
		return c, err
	}
	if c.Description == "" {
		return c, errors.New("the case has no description")
	}
	if c.At.IsZero() && c.Expect.PolicyProblems == nil {
		return c, errors.New(`the case has no "at"`)
	}
	return c, nil
}

// casePolicy returns the case's policy: "federal", or an object read with DecodePolicy.
// Problems of an object are returned as the *ValidationError.
func casePolicy(raw jsonRaw) (Policy, error) {
	if len(raw) == 0 {
		return Policy{}, errors.New("the case has no policy")
	}
	if raw[0] == '"' {
		var name string
		if err := jsonin.Decode(raw, &name, jsonin.Options{}); err != nil || name != "federal" {
			return Policy{}, fmt.Errorf("unknown named policy (only \"federal\" is known)")
		}
		return Federal(), nil
	}
	return DecodePolicy(raw, DecodeOptions{})
}

// capacityOn derives capacity_at_request when a case leaves it out: the program's free beds
// decide it when "at" falls on the day she sought treatment (in the policy's zone, or UTC),
// else it is unknown.
func capacityOn(cp *Compiled, prog *Program, a Applicant, at time.Time) Capacity {
	if a.CapacityAtRequest != CapacityUnknown || prog == nil {
		return a.CapacityAtRequest
	}
	loc := cp.Location()
	if loc == nil {
		loc = time.UTC
	}
	y1, m1, d1 := a.SoughtAt.In(loc).Date()
	y2, m2, d2 := at.In(loc).Date()
	if y1 != y2 || m1 != m2 || d1 != d2 {
		return CapacityUnknown
	}
	if prog.HasCapacity() {
		return CapacityAvailable
	}
	return CapacityNone
}

type confEvent struct {
	at time.Time
	do func() error
}

const confActor = "conformance"

// runCase runs one case and reports every mismatch.
func runCase(t *testing.T, c confCase) {
	t.Helper()
	p, err := casePolicy(c.Policy)
	var cp *Compiled
	if err == nil {
		cp, err = Compile(p)
	}
	if c.Expect.PolicyProblems != nil {
		var ve *ValidationError
		if !errors.As(err, &ve) || !errors.Is(err, ErrInvalidPolicy) {
			t.Fatalf("policy: got %v, want a *ValidationError with %v", err, c.Expect.PolicyProblems)
		}
		if diff := cmp.Diff(c.Expect.PolicyProblems, ve.Codes()); diff != "" {
			t.Errorf("policy problems (-want +got):\n%s", diff)
		}
		return
	}
	if err != nil {
		t.Fatalf("policy: %v", err)
	}
	ck := &clock{now: c.At.Add(time.Hour)}
	w, err := NewWaitlist(cp, WaitlistOptions{Now: ck.Now})
	if err != nil {
		t.Fatal(err)
	}
	var evs []confEvent
	earliest := c.At
	for _, a := range c.Applicants {
		if !a.SoughtAt.IsZero() && a.SoughtAt.Before(earliest) {
			earliest = a.SoughtAt
		}
	}
	prog := c.Program
	switch {
	case len(c.Occupancy) > 0:
		for _, o := range c.Occupancy {
			evs = append(evs, confEvent{o.At, func() error {
				return w.SetOccupancy("program", Occupancy{Beds: o.Beds, Occupied: o.Occupied, ServesInjecting: o.ServesInjecting}, o.At, confActor)
			}})
		}
	case prog != nil && prog.Validate() == nil && prog.Beds <= MaxBeds:
		// The program as the case gives it, recorded before everyone: whether it had a free
		// bed decides the list's State referral as it does Compiled.Obligations'.
		evs = append(evs, confEvent{earliest.Add(-time.Second), func() error {
			return w.SetOccupancy("program", Occupancy{Beds: prog.Beds, Occupied: prog.Occupied, ServesInjecting: prog.ServesInjecting}, earliest.Add(-time.Second), confActor)
		}})
	}
	refused := map[string][]string{}
	for i := range c.Applicants {
		a := &c.Applicants[i]
		if err := a.Validate(); err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("%s: %v", a.ID, err)
			}
			refused[a.ID] = ve.Codes()
			continue
		}
		a.CapacityAtRequest = capacityOn(cp, prog, a.Applicant, c.At)
		// A delivery after she sought treatment is recorded when it happens: she is added
		// without it, and her facts are updated then.
		first, end := a.Applicant, time.Time{}
		switch {
		case a.Pregnancy.DeliveredAt.After(a.SoughtAt):
			end = a.Pregnancy.DeliveredAt
			first.Pregnancy.DeliveredAt, first.Pregnancy.Outcome = time.Time{}, 0
		case a.DeliveredAt.After(a.SoughtAt):
			end = a.DeliveredAt
			first.DeliveredAt = time.Time{}
		}
		evs = append(evs, confEvent{a.SoughtAt, func() error { _, err := w.Add(first, a.SoughtAt, confActor); return err }})
		if !end.IsZero() {
			evs = append(evs, confEvent{end, func() error { _, err := w.Update(a.Applicant, end, confActor); return err }})
		}
		for _, ct := range a.Contacts {
			evs = append(evs, confEvent{ct.At, func() error { return w.RecordContact(a.ID, ct.Reached, ct.At, confActor) }})
		}
		if d := a.InterimDeliveredAt; !d.IsZero() {
			evs = append(evs, confEvent{d, func() error {
				for _, e := range (BaseElements | PregnancyElements).Slice() {
					if err := w.DeliverInterim(a.ID, e, d, confActor); err != nil {
						return err
					}
				}
				return nil
			}})
		}
		if d := a.StateReferredAt; !d.IsZero() {
			evs = append(evs, confEvent{d, func() error { return w.ReferToState(a.ID, d, confActor) }})
		}
		if d := a.AdmittedAt; !d.IsZero() {
			evs = append(evs, confEvent{d, func() error { return w.Remove(a.ID, RemovalAdmitted, d, confActor) }})
		}
		if d := a.LeftAt; !d.IsZero() {
			evs = append(evs, confEvent{d, func() error { return w.Remove(a.ID, a.LeftReason, d, confActor) }})
		}
	}
	want := c.Expect.ApplicantProblems
	if want == nil {
		want = map[string][]string{}
	}
	if diff := cmp.Diff(want, refused); diff != "" {
		t.Errorf("applicants refused (-want +got):\n%s", diff)
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
	if len(c.Occupancy) > 0 {
		p, err := w.ProgramAt("program", c.At)
		if err != nil {
			t.Fatalf("ProgramAt: %v", err)
		}
		if c.Program != nil {
			p.NotifiedAt = c.Program.NotifiedAt
		}
		prog = &p
	}
	checkOrder(t, c, cp, w)
	checkObligations(t, c, cp, w, prog, refused)
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
			t.Errorf("interim elements of %s (-want +got):\n%s", id, cmp.Diff(fmt.Sprint(want), fmt.Sprint(got)))
		}
	}
	for id, want := range c.Expect.Removable {
		got, err := w.Removable(id, c.At)
		if err != nil {
			t.Errorf("Removable(%s): %v", id, err)
		} else if got != want {
			t.Errorf("Removable(%s) = %v, want %v", id, got, want)
		}
		ck.now = c.At
		err = w.Remove(id, RemovalUnreachable, c.At, confActor)
		if want != (err == nil) || (!want && !errors.Is(err, ErrRemovalNotAllowed)) {
			t.Errorf("Remove(%s, unreachable) = %v, want allowed=%v", id, err, want)
		}
	}
}

// checkOrder checks the admission order, the tiers and Next, from the waitlist, cross-checked
// with Classify at "at".
func checkOrder(t *testing.T, c confCase, cp *Compiled, w *Waitlist) {
	t.Helper()
	head, err := w.Head(0, c.At, Everyone)
	if err != nil {
		t.Fatalf("Head: %v", err)
	}
	var order []string
	tiers := map[string]int{}
	for i, x := range head {
		order = append(order, x.Applicant.ID)
		tiers[x.Applicant.ID] = x.Classification.Rank
		if got := cp.Classify(x.Applicant, c.At); got != x.Classification {
			t.Errorf("%s: waitlist classification %v differs from Classify %v", x.Applicant.ID, x.Classification, got)
		}
		if pos, err := w.Position(x.Applicant.ID, c.At); err != nil || pos != i+1 {
			t.Errorf("%s: Position %d (%v), Head places her %d", x.Applicant.ID, pos, err, i+1)
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
	for name, want := range c.Expect.Next {
		var e Eligibility
		switch name {
		case "everyone":
		case "womens_program":
			e = WomensProgram()
		default:
			t.Errorf("next: unknown eligibility %q", name)
			continue
		}
		got, ok, err := w.Next(c.At, e)
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		if !ok {
			got.Applicant.ID = ""
		}
		if got.Applicant.ID != want {
			t.Errorf("next for %s = %q, want %q", name, got.Applicant.ID, want)
		}
	}
}

// checkObligations checks the obligations at "at": those of Compiled.Obligations from the
// case's facts, cross-checked with the waitlist's, the program's, and what is overdue.
func checkObligations(t *testing.T, c confCase, cp *Compiled, w *Waitlist, prog *Program, refused map[string][]string) {
	t.Helper()
	var all []Obligation
	p := Program{}
	if prog != nil {
		p = *prog
	}
	for _, a := range c.Applicants {
		if refused[a.ID] != nil || a.SoughtAt.After(c.At) {
			continue
		}
		done := Progress{InterimAt: a.InterimDeliveredAt, StateReferredAt: a.StateReferredAt, AdmittedAt: a.AdmittedAt, LeftAt: a.LeftAt, LeftReason: a.LeftReason}
		direct, err := cp.Obligations(a.Applicant, done, p, c.At)
		if err != nil {
			t.Fatalf("Compiled.Obligations(%s): %v", a.ID, err)
		}
		viaList, err := w.Obligations(a.ID, c.At)
		if err != nil {
			t.Fatalf("Waitlist.Obligations(%s): %v", a.ID, err)
		}
		if diff := cmp.Diff(direct, viaList); diff != "" {
			t.Errorf("%s: waitlist obligations differ from Compiled.Obligations (-direct +list):\n%s", a.ID, diff)
		}
		all = append(all, direct...)
	}
	progObs, err := cp.ProgramObligations(p, c.At)
	var gotProblems []string
	if err != nil {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("ProgramObligations: %v", err)
		}
		gotProblems = ve.Codes()
	}
	if c.Expect.ProgramProblems != nil || c.Expect.Obligations != nil || c.Expect.Settled != nil {
		if diff := cmp.Diff(c.Expect.ProgramProblems, gotProblems); diff != "" {
			t.Errorf("program problems (-want +got):\n%s", diff)
		}
	}
	if len(c.Occupancy) > 0 {
		viaList, err := w.ProgramObligations("program", c.At)
		if err != nil {
			t.Fatalf("Waitlist.ProgramObligations: %v", err)
		}
		if c.Program == nil || c.Program.NotifiedAt.IsZero() {
			if diff := cmp.Diff(progObs, viaList); diff != "" {
				t.Errorf("program obligations differ between the list and Compiled (-direct +list):\n%s", diff)
			}
		}
	}
	all = append(all, progObs...)
	if c.Expect.Obligations != nil {
		pending := slices.DeleteFunc(slices.Clone(all), func(o Obligation) bool { return !o.Status.Pending() })
		matchObligations(t, "obligations", *c.Expect.Obligations, pending)
	}
	if c.Expect.Settled != nil {
		settled := slices.DeleteFunc(slices.Clone(all), func(o Obligation) bool { return o.Status.Pending() })
		matchObligations(t, "settled", *c.Expect.Settled, settled)
	}
	overdue, err := w.Overdue(c.At)
	if err != nil {
		t.Fatalf("Overdue: %v", err)
	}
	// Overdue agrees with Obligations: every person's overdue obligations, no others.
	var fromObligations []Obligation
	for _, o := range all {
		if o.Status == StatusOverdue && o.Subject != ProgramSubject {
			fromObligations = append(fromObligations, o)
		}
	}
	key := func(o Obligation) string { return o.Subject + "/" + o.Kind.String() }
	if diff := cmp.Diff(sortedKeys(fromObligations, key), sortedKeys(overdue, key)); diff != "" {
		t.Errorf("Overdue disagrees with Obligations (-obligations +overdue):\n%s", diff)
	}
	if c.Expect.Overdue != nil {
		matchObligations(t, "overdue", *c.Expect.Overdue, overdue)
	}
}

func sortedKeys(obs []Obligation, key func(Obligation) string) []string {
	out := make([]string, 0, len(obs))
	for _, o := range obs {
		out = append(out, key(o))
	}
	slices.Sort(out)
	return out
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
			if w.Status != StatusUnknown && o.Status != w.Status {
				t.Errorf("%s: %s %s is %s, want %s", what, w.ID, w.Kind, o.Status, w.Status)
			}
			break
		}
		if !found {
			t.Errorf("%s: missing %s %s", what, w.ID, w.Kind)
		}
	}
	for i, o := range got {
		if !used[i] {
			t.Errorf("%s: unexpected %s %s (%s, due %s)", what, o.Subject, o.Kind, o.Status, o.Due.UTC().Format(time.RFC3339))
		}
	}
}

func runCorpus(t *testing.T, dir string) {
	t.Helper()
	conformance.Run(t, dir, decodeCase, runCase)
}

func TestConformance(t *testing.T) {
	runCorpus(t, conformance.Dir(t, *corpus))
}

// sharedWrongReadings are the shared example cases that encode a reading issue 12 says was
// wrong. Each must still decode; instead of its expectations, the test checks that its policy
// is now refused for the reason given, so the divergence is seen, not skipped.
var sharedWrongReadings = map[string]string{
	// The policy ranks postpartum women (the fourth federal group when they do not inject
	// drugs) before people who inject drugs, for a program that serves them: 45 CFR 96.131(a).
	"state-postpartum-tier": "federal_order_broken",
}

// TestSharedConformance runs further example cases, the priority/ folder of $DYAD_SHARED_CORPUS
// (docs/conformance.md), and is skipped without it.
func TestSharedConformance(t *testing.T) {
	conformance.Run(t, conformance.Shared(t, "priority"), decodeCase, func(t *testing.T, c confCase) {
		code, wrong := sharedWrongReadings[path.Base(t.Name())]
		if !wrong {
			runCase(t, c)
			return
		}
		p, err := casePolicy(c.Policy)
		if err == nil {
			_, err = Compile(p)
		}
		var ve *ValidationError
		if !errors.As(err, &ve) || !slices.Contains(ve.Codes(), code) {
			t.Errorf("the shared case encodes a reading issue 12 corrects; its policy should be refused with %s, got %v", code, err)
		}
	})
}
