package referral

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/google/go-cmp/cmp"
)

func TestNewListsEveryProblem(t *testing.T) {
	_, err := New(Draft{ID: "has space", Patient: "", Program: "p", Partner: "q", SUD: SUDContent(9)}, time.Time{}, "")
	var ve *ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v", err)
	}
	want := []Problem{
		{Code: "event_time_missing", Field: "at", Message: "The event has no time."},
		{Code: "identifier_invalid", Field: "actor", Message: "An identifier is 1 to 128 bytes of letters, digits and . _ - : / @ #."},
		{Code: "identifier_invalid", Field: "draft.id", Message: "An identifier is 1 to 128 bytes of letters, digits and . _ - : / @ #."},
		{Code: "identifier_invalid", Field: "draft.patient", Message: "An identifier is 1 to 128 bytes of letters, digits and . _ - : / @ #."},
		{Code: "subject_unknown", Field: "draft.subject", Message: "The referral's subject is not a known subject."},
		{Code: "partner_kind_unknown", Field: "draft.partner_kind", Message: "The partner kind is not a known kind."},
		{Code: "sud_unknown", Field: "draft.sud", Message: "The SUD-content declaration is not a known code."},
	}
	if d := cmp.Diff(want, ve.Problems); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
	if strings.Contains(err.Error(), "has space") {
		t.Errorf("error quotes an invalid value: %v", err)
	}
}

func TestAppendRefusals(t *testing.T) {
	r := mustNew(t, draftNone("R1", PartnerPrenatalCare), t0)
	cases := []struct {
		name  string
		e     Event
		codes []string
	}{
		{"out of sequence and backwards", Event{Seq: 5, At: t0.Add(-time.Hour), Actor: "a", Kind: EventTransitioned, From: StatusDraft, To: StatusRequested},
			[]string{"event_out_of_sequence", "event_before_previous"}},
		{"free-text reason", Event{Seq: 2, At: t0, Actor: "a", Kind: EventTransitioned, Reason: "Mom said no", From: StatusDraft, To: StatusCancelled},
			[]string{"reason_not_code"}},
		{"second creation", Event{Seq: 2, At: t0, Actor: "a", Kind: EventCreated, To: StatusDraft, Draft: &Draft{}},
			[]string{"event_kind_out_of_place", "identifier_invalid", "identifier_invalid", "identifier_invalid", "identifier_invalid",
				"subject_unknown", "partner_kind_unknown"}},
		{"wrong from, extra due", Event{Seq: 2, At: t0, Actor: "a", Kind: EventTransitioned, From: StatusAccepted, To: StatusCancelled, Due: &Due{}},
			[]string{"from_mismatch", "reason_required", "event_field_unexpected"}},
		{"revocation without id", Event{Seq: 2, At: t0, Actor: "a", Kind: EventConsentRevoked},
			[]string{"event_field_missing"}},
		{"due without rule", Event{Seq: 2, At: t0, Actor: "a", Kind: EventDueAdded, Due: &Due{Rule: RulePartnerAck, Cite: "x\ny"}},
			[]string{"due_rule_invalid", "due_milestone_unknown", "due_time_missing", "text_control_character"}},
		{"unknown kind", Event{Seq: 2, At: t0, Actor: "a"}, []string{"event_kind_unknown"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := r.Append(c.e)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v", err)
			}
			if d := cmp.Diff(c.codes, ve.Codes()); d != "" {
				t.Errorf("codes (-want +got):\n%s", d)
			}
			if len(r.Events()) != 1 || r.Status() != StatusDraft {
				t.Errorf("refused event changed the referral")
			}
		})
	}
}

func TestRebuildRefusesForgedHistory(t *testing.T) {
	r := mustNew(t, Draft{ID: "R1", Patient: "W1", Subject: SubjectWoman, Program: "prog-1", Partner: "ob-1",
		PartnerKind: PartnerPrenatalCare, SUD: SUDCarries}, t0)
	es := r.Events()
	// A forged send without any consent decision: the gate refuses it on rebuild too.
	es = append(es, Event{Seq: 2, At: t0.Add(time.Hour), Actor: "a", Kind: EventTransitioned, From: StatusDraft, To: StatusRequested})
	if _, err := Rebuild(es); !errors.Is(err, ErrConsentRequired) {
		t.Fatalf("err = %v, want ErrConsentRequired", err)
	}
	if _, err := Rebuild(nil); !errors.Is(err, ErrInvalid) {
		t.Fatalf("empty history: %v", err)
	}
	if _, err := Rebuild(es[1:]); !errors.Is(err, ErrInvalid) {
		t.Fatalf("history without creation: %v", err)
	}
}

// randomReferral applies a seeded random mix of operations, some legal, some not.
func randomReferral(t testing.TB, rng *rand.Rand, id string) *Referral {
	sud := []SUDContent{SUDNone, SUDCarries, SUDUnknown}[rng.IntN(3)]
	d := Draft{ID: id, Patient: "W1", Subject: SubjectWoman, Program: "prog-1", Partner: "ob-1",
		PartnerKind: PartnerKinds()[rng.IntN(15)], SUD: sud}
	at := t0.Add(time.Duration(rng.IntN(1000)) * time.Hour)
	r := mustNew(t, d, at)
	all := Statuses()
	for range rng.IntN(25) {
		at = at.Add(time.Duration(rng.IntN(72*60)) * time.Minute)
		switch rng.IntN(6) {
		case 0, 1, 2:
			_ = r.Transition(all[rng.IntN(len(all))], at, "staff-1", []string{"", "no_show", "family_request"}[rng.IntN(3)])
		case 3:
			c := ConsentRecord{Permit: rng.IntN(3) > 0, ConsentID: []string{"c1", "c2", ""}[rng.IntN(3)],
				Patient: "W1", Discloser: "prog-1", Recipient: []string{"ob-1", "other"}[rng.IntN(2)],
				DecidedAt: at.Add(-time.Duration(rng.IntN(3)) * time.Hour), Edition: consent.RuleEdition,
				Obligations: []Obligation{{Code: "notice_2_32", Cite: CiteNotice}}}
			_ = r.RecordConsent(c, at, "staff-1")
		case 4:
			_ = r.RecordRevocation([]string{"c1", "c2"}[rng.IntN(2)], at, "staff-1", "patient_revoked")
		case 5:
			_ = r.AddDue(DueProgram(at.Add(time.Duration(rng.IntN(200))*time.Hour), Milestone(1+rng.IntN(4)), "program policy 4.2"), at, "staff-1")
		}
	}
	return r
}

// TestRebuildReproducesReferral is the replay property: for seeded random histories, the
// referral rebuilt from its events, and the one decoded from its JSON, equal the original.
func TestRebuildReproducesReferral(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 400 {
		r := randomReferral(t, rng, "R"+string(rune('a'+i%26)))
		got, err := Rebuild(r.Events())
		if err != nil {
			t.Fatalf("case %d: Rebuild: %v", i, err)
		}
		if d := cmp.Diff(r, got, referralCmp); d != "" {
			t.Fatalf("case %d: rebuilt differs (-orig +rebuilt):\n%s", i, d)
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("case %d: marshal: %v", i, err)
		}
		back, err := DecodeReferral(b)
		if err != nil {
			t.Fatalf("case %d: decode: %v\n%s", i, err, b)
		}
		if d := cmp.Diff(r, back, referralCmp, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); d != "" {
			t.Fatalf("case %d: decoded differs:\n%s", i, d)
		}
	}
}

func TestJSONSnapshotMustAgree(t *testing.T) {
	r := mustNew(t, draftNone("R1", PartnerPediatricCare), t0)
	walk(t, r, t0, StatusRequested, StatusAccepted)
	b, _ := json.Marshal(r)
	forged := strings.Replace(string(b), `"status":"accepted"`, `"status":"completed"`, 1)
	_, err := DecodeReferral([]byte(forged))
	if !errors.Is(err, ErrInconsistent) {
		t.Fatalf("err = %v, want ErrInconsistent", err)
	}
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Problems[0].Field != "status" {
		t.Fatalf("problems: %v", err)
	}
	extra := strings.Replace(string(b), `"id":"R1"`, `"id":"R1","name":"x"`, 1)
	if _, err := DecodeReferral([]byte(extra)); err == nil {
		t.Fatal("unknown field accepted")
	}
	es, _ := json.Marshal(r.Log())
	back, err := DecodeEvents(es)
	if err != nil || back.Status() != StatusAccepted {
		t.Fatalf("DecodeEvents: %v %v", back, err)
	}
}

func TestAccessorsAndString(t *testing.T) {
	r := mustNew(t, draftNone("R1", PartnerEarlyIntervention), t0)
	end := walk(t, r, t0, StatusRequested, StatusReceived, StatusAccepted)
	if s := r.String(); s != `referral "R1" (early_intervention) accepted` {
		t.Errorf("String = %q", s)
	}
	if got, ok := r.SentAt(); !ok || !got.Equal(t0.Add(time.Hour)) {
		t.Errorf("SentAt = %v %v", got, ok)
	}
	if _, ok := r.FirstAt(StatusCompleted); ok {
		t.Error("FirstAt(completed) reached")
	}
	if !r.UpdatedAt().Equal(end) || !r.CreatedAt().Equal(t0) || r.Patient() != "W1" || r.Partner() != "partner-early_intervention" {
		t.Error("accessors")
	}
	// Events returns a copy.
	es := r.Events()
	es[0].Draft.ID = "changed"
	if r.ID() != "R1" {
		t.Error("Events shares storage")
	}
}

func TestStoppingNeedsReason(t *testing.T) {
	for _, to := range []Status{StatusRejected, StatusCancelled, StatusFailed, StatusOnHold, StatusEnteredInError} {
		from := map[Status]Status{StatusRejected: StatusRequested, StatusCancelled: StatusDraft,
			StatusFailed: StatusAccepted, StatusOnHold: StatusInProgress, StatusEnteredInError: StatusDraft}[to]
		r := mustNew(t, draftNone("R1", PartnerPrenatalCare), t0)
		at := walk(t, r, t0, pathTo[from]...)
		err := r.Transition(to, at.Add(time.Hour), "staff-1", "")
		var ve *ValidationError
		if !errors.As(err, &ve) || !cmp.Equal(ve.Codes(), []string{"reason_required"}) {
			t.Errorf("%v without reason: %v", to, err)
		}
	}
	// Moving forward needs no reason.
	r := mustNew(t, draftNone("R1", PartnerPrenatalCare), t0)
	if err := r.Transition(StatusRequested, t0, "staff-1", ""); err != nil {
		t.Error(err)
	}
}
