package referral

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/google/go-cmp/cmp"
)

// tpoConsent is a valid single TPO consent of patient W1 naming "my treating providers",
// signed a month before t0, expiring in 2027; revokedAt zero means never revoked.
func tpoConsent(t testing.TB, revokedAt time.Time) consent.Consent {
	t.Helper()
	var c consent.Consent
	src := `{"id": "c1", "patient": "W1", "kind": "tpo", "disclosers": ["prog-1"],
	  "recipients": [{"designation": "treating_providers"}, {"designation": "health_plans"},
	                 {"designation": "third_party_payers"}, {"designation": "program_operations"}],
	  "purposes": ["treatment", "payment", "operations"], "information": ["sud_records"],
	  "information_description": "opioid use disorder treatment and medications",
	  "expires": {"at": "2027-01-01T00:00:00Z"}, "signed_at": "2026-02-01T09:00:00Z", "signer": "patient",
	  "statements": {"revocation": true, "redisclosure": true, "refusal_consequences": true}}`
	if err := json.Unmarshal([]byte(src), &c); err != nil {
		t.Fatal(err)
	}
	c.RevokedAt = revokedAt
	if err := c.Validate(); err != nil {
		t.Fatalf("test consent invalid: %v", err)
	}
	return c
}

func engine(t testing.TB, cs []consent.Consent, qs []consent.QSOAgreement) *consent.Engine {
	t.Helper()
	e, err := consent.Compile(cs, qs)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func sudDraft() Draft {
	return Draft{ID: "R1", Patient: "W1", Subject: SubjectWoman, Program: "prog-1", Partner: "ob-1",
		PartnerKind: PartnerPrenatalCare, SUD: SUDCarries}
}

func gateErr(t *testing.T, err error) GateDecision {
	t.Helper()
	var ge *GateError
	if !errors.As(err, &ge) || !errors.Is(err, ErrConsentRequired) {
		t.Fatalf("err = %v, want *GateError", err)
	}
	return ge.Decision
}

func TestGateNoDecision(t *testing.T) {
	r := mustNew(t, sudDraft(), t0)
	got := gateErr(t, r.Send(t0.Add(time.Hour), "staff-1"))
	want := GateDecision{Reasons: []Reason{{Code: GateConsentMissing, Cite: "42 CFR 2.31",
		Message: "No consent decision is recorded on the referral."}}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("gate (-want +got):\n%s", d)
	}
	if r.Status() != StatusDraft || len(r.Events()) != 1 {
		t.Error("refused send changed the referral")
	}

	d := sudDraft()
	d.SUD = SUDUnknown
	r = mustNew(t, d, t0)
	got = r.Gate(t0)
	want = GateDecision{Reasons: []Reason{
		{Code: GateSUDUndeclared, Cite: "42 CFR 2.31", Message: "The referral does not declare whether it carries SUD information, so it is treated as carrying it."},
		{Code: GateConsentMissing, Cite: "42 CFR 2.31", Message: "No consent decision is recorded on the referral."}}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("undeclared gate (-want +got):\n%s", d)
	}
}

func TestGateNoSUDSaysSo(t *testing.T) {
	r := mustNew(t, draftNone("R1", PartnerChildCare), t0)
	want := GateDecision{Allow: true, Reasons: []Reason{{Code: GateSUDNone,
		Message: "The referral is declared to carry no substance use disorder information."}}}
	if d := cmp.Diff(want, r.Gate(t0)); d != "" {
		t.Errorf("gate (-want +got):\n%s", d)
	}
	if err := r.Send(t0, "staff-1"); err != nil {
		t.Fatal(err)
	}
	if r.Obligations() != nil {
		t.Error("obligations without a decision")
	}
}

// TestGateWithConsentEngine proves the gate with the real consent engine: the TPO consent
// permits the send to the obstetric clinic (a covered entity, for treatment) and its
// obligations travel with the referral.
func TestGateWithConsentEngine(t *testing.T) {
	e := engine(t, []consent.Consent{tpoConsent(t, time.Time{})}, nil)
	r := mustNew(t, sudDraft(), t0)
	req := r.ConsentRequest(consent.RecipientKindCoveredEntity, consent.PurposeTreatment, "", t0.Add(time.Hour))
	rec, err := r.AskConsent(e, req, nil, "staff-1")
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Permit || rec.ConsentID != "c1" || rec.Basis != "consent:c1" || rec.Edition != consent.RuleEdition {
		t.Fatalf("record = %+v", rec)
	}
	// 42 CFR 2.32: every disclosure made with consent carries the notice.
	hasNotice := false
	for _, o := range rec.Obligations {
		hasNotice = hasNotice || o.Code == "notice_2_32"
	}
	if !hasNotice {
		t.Fatalf("no 2.32 notice in %+v", rec.Obligations)
	}
	want := GateDecision{Allow: true, Reasons: []Reason{{Code: GateConsentPermits, Cite: "42 CFR 2.31",
		Message: "A written consent permits the disclosure to the partner."}}, Obligations: rec.Obligations}
	if d := cmp.Diff(want, r.Gate(t0.Add(2*time.Hour))); d != "" {
		t.Errorf("gate (-want +got):\n%s", d)
	}
	if err := r.Send(t0.Add(2*time.Hour), "staff-1"); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(rec.Obligations, r.Obligations()); d != "" {
		t.Errorf("obligations do not travel: %s", d)
	}
	// A revocation after sending does not unsend: what was disclosed stays disclosed.
	if err := r.RecordRevocation("c1", t0.Add(3*time.Hour), "staff-1", "patient_revoked"); err != nil {
		t.Fatal(err)
	}
	if r.Status() != StatusRequested {
		t.Error("revocation after sending changed the status")
	}
	// A deny recorded after the send does not take away the obligations of the disclosure made.
	if err := r.RecordConsent(ConsentRecord{Patient: "W1", Discloser: "prog-1", Recipient: "ob-1",
		DecidedAt: t0.Add(3 * time.Hour)}, t0.Add(3*time.Hour), "staff-1"); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(rec.Obligations, r.Obligations()); d != "" {
		t.Errorf("obligations lost after a later deny: %s", d)
	}
	if _, err := Rebuild(r.Events()); err != nil {
		t.Fatalf("history with a later revocation does not rebuild: %v", err)
	}
}

// TestGateRevokedBeforeSending: consent c1 permitted when asked, then the patient revoked
// it before the referral went out. Asking the engine again at the send sees the revocation
// and denies; a revocation recorded on the referral blocks the earlier permit too.
func TestGateRevokedBeforeSending(t *testing.T) {
	asked, revoked, send := t0.Add(time.Hour), t0.Add(5*time.Hour), t0.Add(6*time.Hour)

	t.Run("engine asked again at send", func(t *testing.T) {
		r := mustNew(t, sudDraft(), t0)
		before := engine(t, []consent.Consent{tpoConsent(t, time.Time{})}, nil)
		req := r.ConsentRequest(consent.RecipientKindCoveredEntity, consent.PurposeTreatment, "", asked)
		if rec, err := r.AskConsent(before, req, nil, "staff-1"); err != nil || !rec.Permit {
			t.Fatalf("first ask: %+v %v", rec, err)
		}
		after := engine(t, []consent.Consent{tpoConsent(t, revoked)}, nil)
		req.At = send
		rec, err := r.AskConsent(after, req, nil, "staff-1")
		if err != nil {
			t.Fatal(err)
		}
		if rec.Permit {
			t.Fatalf("engine permits on a revoked consent: %+v", rec)
		}
		got := gateErr(t, r.Send(send, "staff-1"))
		if len(got.Reasons) != 1 || got.Reasons[0].Code != GateConsentDenied || got.Allow || got.Obligations != nil {
			t.Errorf("gate = %+v", got)
		}
		if r.Status() != StatusDraft {
			t.Error("sent on a revoked consent")
		}
	})

	t.Run("revocation recorded on the referral", func(t *testing.T) {
		r := mustNew(t, sudDraft(), t0)
		e := engine(t, []consent.Consent{tpoConsent(t, time.Time{})}, nil)
		req := r.ConsentRequest(consent.RecipientKindCoveredEntity, consent.PurposeTreatment, "", asked)
		if _, err := r.AskConsent(e, req, nil, "staff-1"); err != nil {
			t.Fatal(err)
		}
		if err := r.RecordRevocation("c1", revoked, "staff-1", "patient_revoked"); err != nil {
			t.Fatal(err)
		}
		got := gateErr(t, r.Send(send, "staff-1"))
		want := GateDecision{Reasons: []Reason{{Code: GateRevoked, Cite: "42 CFR 2.31(c)",
			Message: "The consent or agreement the decision rests on was revoked."}}}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("gate (-want +got):\n%s", d)
		}
		// Judged before the revocation, the permit still held.
		if !r.Gate(revoked.Add(-time.Minute)).Allow {
			t.Error("revocation applied before it happened")
		}
	})
}

// TestGateExpiredBeforeSending: the TPO consent permitted when asked, then expired before the
// referral went out. A disclosure may not rely on an expired consent (42 CFR 2.31(c)(1)):
// the recorded permit carries the consent's expiry and the gate refuses it from that instant
// (and not before it).
func TestGateExpiredBeforeSending(t *testing.T) {
	asked, expires, send := t0.Add(time.Hour), t0.Add(5*time.Hour), t0.Add(6*time.Hour)
	c := tpoConsent(t, time.Time{})
	c.Expires = consent.Expiry{At: expires}
	r := mustNew(t, sudDraft(), t0)
	req := r.ConsentRequest(consent.RecipientKindCoveredEntity, consent.PurposeTreatment, "", asked)
	rec, err := r.AskConsent(engine(t, []consent.Consent{c}, nil), req, nil, "staff-1")
	if err != nil || !rec.Permit || !rec.Until.Equal(expires) {
		t.Fatalf("record = %+v, %v; want a permit until %v", rec, err, expires)
	}
	if !r.Gate(expires.Add(-time.Second)).Allow {
		t.Error("the gate refused a second before the consent expired")
	}
	got := gateErr(t, r.Send(send, "staff-1"))
	want := GateDecision{Reasons: []Reason{{Code: GateExpired, Cite: "42 CFR 2.31(c)",
		Message: "The consent or agreement the decision rests on no longer counted at this moment (it had expired)."}}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("gate (-want +got):\n%s", d)
	}
	if r.Status() != StatusDraft {
		t.Error("sent on an expired consent")
	}
	// At the very instant of expiry the consent no longer counts (2.31(c)(1)).
	if r.Gate(expires).Allow {
		t.Error("the gate allowed at the instant the consent expired")
	}
}

func TestGateMismatches(t *testing.T) {
	r := mustNew(t, sudDraft(), t0)
	c := ConsentRecord{Permit: true, Basis: "42 CFR 2.51", Patient: "W2", Discloser: "prog-9", Recipient: "ped-1",
		DecidedAt: t0.Add(3 * time.Hour), Cites: []string{"42 CFR 2.51"}}
	if err := r.RecordConsent(c, t0.Add(time.Hour), "staff-1"); err != nil {
		t.Fatal(err)
	}
	want := GateDecision{Reasons: []Reason{
		{Code: GateBasisNotAllowed, Cite: "42 CFR 2.31", Message: "The recorded permit rests on neither a written consent nor a QSO agreement."},
		{Code: GateWrongPatient, Cite: "42 CFR 2.31", Message: "The recorded decision was asked for another patient."},
		{Code: GateWrongDiscloser, Cite: "42 CFR 2.31", Message: "The recorded decision was asked for another discloser."},
		{Code: GateWrongRecipient, Cite: "42 CFR 2.31", Message: "The recorded decision was asked for another recipient."},
		{Code: GateDecidedLater, Cite: "42 CFR 2.31", Message: "The recorded decision judged a later moment than the one being judged."},
	}}
	if d := cmp.Diff(want, r.Gate(t0.Add(2*time.Hour))); d != "" {
		t.Errorf("gate (-want +got):\n%s", d)
	}
}

// TestGateQSOAgreement: a partner serving the program under a QSO agreement (services to
// prevent or treat child abuse and neglect, 42 CFR 2.11) may receive what it needs for that
// service without consent; the gate opens on the agreement.
func TestGateQSOAgreement(t *testing.T) {
	q := consent.QSOAgreement{ID: "q1", Program: consent.Identifier{Value: "prog-1"}, Organization: consent.Identifier{Value: "frc-1"},
		Services: []consent.Service{"child_abuse_neglect_prevention"}, Written: true, BoundByPart2: true,
		ResistJudicialAccess: true, SignedAt: t0.Add(-30 * 24 * time.Hour)}
	p := Partner{ID: "frc-1", Kind: PartnerFamilyResourceCenter, Agreements: []consent.QSOAgreement{q}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	e := engine(t, nil, []consent.QSOAgreement{q})
	r := mustNew(t, Draft{ID: "R2", Patient: "W1", Subject: SubjectWoman, Program: "prog-1", Partner: "frc-1",
		PartnerKind: PartnerFamilyResourceCenter, SUD: SUDCarries}, t0)
	req := r.ConsentRequest(consent.RecipientKindQSO, consent.PurposeQSOService, "child_abuse_neglect_prevention", t0.Add(time.Hour))
	rec, err := r.AskConsent(e, req, &p, "staff-1")
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Permit || rec.QSOAID != "q1" || rec.ConsentID != "" {
		t.Fatalf("record = %+v", rec)
	}
	g := r.Gate(t0.Add(time.Hour))
	if !g.Allow || g.Reasons[0].Code != GateQSOAPermits || g.Reasons[0].Cite != "42 CFR 2.12(c)(4)" {
		t.Fatalf("gate = %+v", g)
	}
	// The agreement ends (recorded on the referral) before the send: blocked.
	if err := r.RecordRevocation("q1", t0.Add(2*time.Hour), "staff-1", "agreement_terminated"); err != nil {
		t.Fatal(err)
	}
	if g := gateErr(t, r.Send(t0.Add(3*time.Hour), "staff-1")); g.Reasons[0].Code != GateRevoked {
		t.Errorf("gate = %+v", g)
	}
}

// TestSendWithSeesRevocation: a permit recorded before the patient revoked consent c1
// would let Send through (the referral was never told of the revocation); SendWith asks
// the engine at the send and is refused.
func TestSendWithSeesRevocation(t *testing.T) {
	asked, revoked, send := t0.Add(time.Hour), t0.Add(5*time.Hour), t0.Add(6*time.Hour)
	r := mustNew(t, sudDraft(), t0)
	req := r.ConsentRequest(consent.RecipientKindCoveredEntity, consent.PurposeTreatment, "", asked)
	if _, err := r.AskConsent(engine(t, []consent.Consent{tpoConsent(t, time.Time{})}, nil), req, nil, "staff-1"); err != nil {
		t.Fatal(err)
	}
	if !r.Gate(send).Allow {
		t.Fatal("recorded permit should hold for Send")
	}
	after := engine(t, []consent.Consent{tpoConsent(t, revoked)}, nil)
	err := r.SendWith(after, consent.RecipientKindCoveredEntity, consent.PurposeTreatment, "", nil, send, "staff-1")
	if g := gateErr(t, err); len(g.Reasons) != 1 || g.Reasons[0].Code != GateConsentDenied {
		t.Fatalf("gate = %+v", g)
	}
	if r.Status() != StatusDraft {
		t.Fatal("sent on a revoked consent")
	}
	if c, _ := r.Consent(); c.Permit || !c.DecidedAt.Equal(send) {
		t.Fatalf("fresh decision not recorded: %+v", c)
	}
	// Before the revocation, SendWith sends.
	r2 := mustNew(t, sudDraft(), t0)
	if err := r2.SendWith(after, consent.RecipientKindCoveredEntity, consent.PurposeTreatment, "", nil, asked, "staff-1"); err != nil || r2.Status() != StatusRequested {
		t.Fatalf("SendWith before revocation: %v %v", err, r2.Status())
	}
	// A referral without SUD information is sent without asking (a nil engine is never called).
	r3 := mustNew(t, draftNone("R3", PartnerChildCare), t0)
	if err := r3.SendWith(nil, consent.RecipientKindCoveredEntity, consent.PurposeTreatment, "", nil, asked, "staff-1"); err != nil {
		t.Fatal(err)
	}
}
