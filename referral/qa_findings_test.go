//go:build qa

// QA findings for package referral, written from outside (package referral_test). Each
// TestQA_ test FAILS on the code it was written against: it asserts what the rule asks, and
// its failure message says what the code does instead.
// Run: go test -tags qa -run TestQA ./referral/
package referral_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/dyad-health/dyad/referral"
)

var qaT0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func qaDraft(sud referral.SUDContent) referral.Draft {
	return referral.Draft{ID: "R-1", Patient: "W-1", Subject: referral.SubjectWoman, Program: "prog-1",
		Partner: "ob-1", PartnerKind: referral.PartnerPrenatalCare, SUD: sud}
}

// TestQA_ChainDoesNotCoverConsentUntil: the hash of an event leaves out the consent
// record's Until (the moment the consent or QSO agreement stops counting), and the snapshot
// check ignores it too. Deleting "until" from a saved referral keeps every prev and the head
// unchanged; the decoded referral then passes the gate after the consent expired.
//
// Rule: 42 CFR 2.31(c)(1): a consent that has expired does not count; the package doc:
// "The gate refuses the permit from then on (42 CFR 2.31(c)(1))", and chain.go: "Every
// field is in the form, so no change to an event goes unseen."
//
// What the code does: appendCanonical writes permit, basis, consent_id, qsoa_id, patient,
// discloser, recipient, decided_at, edition, cites, reasons, obligations, and not until;
// consentEqual (snapshot check) does not compare Until either.
//
// What it should do: hash Until (and compare it), so the altered log is refused with
// ProblemLogChain / ProblemLogHead.
//
// How sure: certain.
func TestQA_ChainDoesNotCoverConsentUntil(t *testing.T) {
	r, err := referral.New(qaDraft(referral.SUDCarries), qaT0, "staff-7")
	if err != nil {
		t.Fatal(err)
	}
	rec := referral.ConsentRecord{Permit: true, Basis: "consent:c1", ConsentID: "c1", Patient: "W-1", Discloser: "prog-1",
		Recipient: "ob-1", DecidedAt: qaT0, Until: qaT0.Add(24 * time.Hour)}
	if err := r.RecordConsent(rec, qaT0.Add(time.Minute), "staff-7"); err != nil {
		t.Fatal(err)
	}
	late := qaT0.Add(48 * time.Hour)
	if r.Gate(late).Allow {
		t.Fatal("setup: the gate should refuse after the consent expired")
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	delete(m["events"].([]any)[1].(map[string]any)["consent"].(map[string]any), "until")
	delete(m["consent"].(map[string]any), "until")
	tampered, _ := json.Marshal(m)

	back, err := referral.DecodeReferral(tampered)
	if err == nil {
		sameHead := back.Head() == r.Head()
		sendErr := back.Send(late, "staff-7")
		t.Errorf("a saved referral with the consent's expiry removed is accepted (same head: %v); sent after expiry: err=%v status=%s",
			sameHead, sendErr, back.Status())
	}
}

// TestQA_FreeTextEntersReferralViaConsentRecord: a consent record's basis, edition,
// citations and reason messages accept any text (up to 128 or 512 bytes, spaces allowed),
// so a patient's name and history enter the referral's event log and its saved JSON.
//
// Rule: the package doc: "Errors, String methods and reasons hold identifiers and codes
// only ... so no name or free text enters a referral"; FromDecision: "Messages are not
// kept"; Draft: "Every field is an identifier or a code, never a name or free text".
//
// What it should do: refuse a basis that is not a basis reference (kind:identifier), reason
// messages (or drop them), and citations/editions outside a citation form.
//
// How sure: likely (the fields are documented as codes and citations; no rule keeps a name
// out of them).
func TestQA_FreeTextEntersReferralViaConsentRecord(t *testing.T) {
	r, err := referral.New(qaDraft(referral.SUDCarries), qaT0, "staff-7")
	if err != nil {
		t.Fatal(err)
	}
	const phi = "Jane Q Doe DOB 1990-04-01 relapsed on heroin"
	rec := referral.ConsentRecord{Permit: false, Basis: phi, Patient: "W-1", Discloser: "prog-1", Recipient: "ob-1",
		DecidedAt: qaT0, Edition: "Jane Q Doe", Cites: []string{phi},
		Reasons: []referral.Reason{{Code: "no_consent", Message: phi}}}
	if err := r.RecordConsent(rec, qaT0.Add(time.Minute), "staff-7"); err == nil {
		b, _ := json.Marshal(r)
		t.Errorf("free text accepted into the referral; its saved JSON holds it: %v", strings.Contains(string(b), "Jane Q Doe"))
	}
}

// TestQA_EnteredInErrorReferralMeetsDeadline: a referral sent on time and then marked
// entered-in-error (it "should never have existed", e.g. sent for the wrong patient) still
// meets its due time: Deadlines reports "met", so the prenatal-care referral of interim
// services (45 CFR 96.131(d), 96.121), or an Early Intervention referral, shows as done.
//
// Rule: FHIR R4 task-status entered-in-error: "The task should never have existed and is
// retained only because of the possibility it may have been used"; Measure in this package
// already leaves such referrals out; 45 CFR 96.131(d): interim services, "including a
// referral for prenatal care", within 48 hours.
//
// What it should do: a referral entered in error reaches no milestone: its deadlines are
// missed (or no longer listed), never met.
//
// How sure: likely.
func TestQA_EnteredInErrorReferralMeetsDeadline(t *testing.T) {
	r, err := referral.New(qaDraft(referral.SUDNone), qaT0, "staff-7")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.AddDue(referral.DueEarlyIntervention(qaT0, "I-1"), qaT0, "staff-7"); err != nil {
		t.Fatal(err)
	}
	if err := r.Send(qaT0.Add(time.Hour), "staff-7"); err != nil {
		t.Fatal(err)
	}
	if err := r.Transition(referral.StatusEnteredInError, qaT0.Add(2*time.Hour), "staff-7", "wrong_patient"); err != nil {
		t.Fatal(err)
	}
	for _, d := range r.Deadlines(nil, qaT0.Add(10*24*time.Hour)) {
		if d.State == referral.DeadlineMet || d.State == referral.DeadlineMetLate {
			t.Errorf("deadline %s/%s of a referral entered in error is %s", d.Rule, d.Milestone, d.State)
		}
	}
}
