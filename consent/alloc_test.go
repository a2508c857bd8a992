//go:build !race

package consent

import (
	"fmt"
	"testing"
)

// The permit path of Decide does not allocate (the race detector adds allocations, hence
// the build tag). This asserts allocations, not time.
func TestPermitPathAllocatesNothing(t *testing.T) {
	e := mustCompile(t, []Consent{generalConsent(), tpoConsent()}, []QSOAgreement{labAgreement()})
	qso := obRequest()
	qso.Recipient = Party{ID: id("lab-1"), Kind: RecipientKindQSO}
	qso.Purpose = PurposeQSOService
	qso.Service = ServiceLaboratoryAnalyses
	em := obRequest()
	em.Recipient = Party{ID: id("ed-1"), Kind: RecipientKindMedicalPersonnel}
	em.Purpose = PurposeEmergencyTreatment
	em.Facts.Emergency = true
	for name, r := range map[string]Request{"consent": obRequest(), "qso": qso, "emergency": em} {
		if n := testing.AllocsPerRun(100, func() {
			if !e.Decide(r).Permit {
				t.Fatal("denied")
			}
		}); n != 0 {
			t.Errorf("%s: %v allocations per permit, want 0", name, n)
		}
	}
	// The permitting consent comes last, after consents that do not apply (revoked).
	var cs []Consent
	for i := range 20 {
		c := generalConsent()
		c.ID = fmt.Sprintf("r%d", i)
		c.RevokedAt = at("2026-01-20T00:00:00Z")
		cs = append(cs, c)
	}
	for _, n := range []int{3, 5, 20} {
		e := mustCompile(t, append(cs[:n:n], generalConsent()), nil)
		r := obRequest()
		if a := testing.AllocsPerRun(100, func() {
			if !e.Decide(r).Permit {
				t.Fatal("denied")
			}
		}); a != 0 {
			t.Errorf("%d revoked consents first: %v allocations per permit, want 0", n, a)
		}
	}
}

// A deny allocates nothing either, from Decide or Explain, nor does a permit of Explain:
// the decision keeps the request without its slices and judges it again, collecting every
// reason, when the reasons are read (issue 16). The denies below cover each place a reason
// comes from: the request's own faults, no consent on file, every consent of the patient
// (20, none of which applies, more reasons than the collector holds on the stack), a
// holder's redisclosure, the exceptions invoked and a QSO agreement. Each deny's reasons
// are then read, outside the count, to show the decision holds them.
func TestDenyAllocatesNothing(t *testing.T) {
	var cs []Consent
	for i := range 20 {
		// Each names another discloser, another recipient and another purpose than
		// obRequest asks for, and another kind of information.
		c := generalConsent()
		c.ID = fmt.Sprintf("m%02d", i)
		c.Disclosers = ids("prog-9")
		c.Recipients = []Recipient{{ID: id(fmt.Sprintf("clinic-%02d", i))}}
		c.Purposes = []Purpose{PurposePayment}
		c.Information = []InfoKind{InfoKindPatientIdentity}
		cs = append(cs, c)
	}
	cs = append(cs, tpoConsent())
	e := mustCompile(t, cs, []QSOAgreement{labAgreement()})

	notes := obRequest() // counseling notes: under no consent but one for them alone (2.31(b))
	notes.Information = []InfoKind{InfoKindCounselingNotes}
	nobody := obRequest() // a patient with no consent on file
	nobody.Patient = id("p9")
	faulty := obRequest() // faults of the request itself
	faulty.Purpose, faulty.Information, faulty.At = PurposeUnknown, nil, at("0001-01-01T00:00:00Z")
	holder := obRequest() // a holder redisclosing for a purpose 2.33(b)(1) does not cover
	holder.Discloser = id("ob-clinic")
	holder.Holder = &Holder{Kind: RecipientKindCoveredEntity, ReceivedUnder: "c1", ReceivedAt: at("2026-02-01T00:00:00Z")}
	holder.Purpose = PurposeResearch
	emergency := obRequest() // an emergency without the fact, to the wrong recipient
	emergency.Purpose = PurposeEmergencyTreatment
	qso := obRequest() // a QSO agreement that does not cover the service
	qso.Recipient = Party{ID: id("lab-1"), Kind: RecipientKindQSO}
	qso.Purpose = PurposeQSOService
	qso.Service = ServiceLegal

	for name, tc := range map[string]struct {
		r    Request
		want Code // a reason the deny must hold
	}{
		"counseling notes, 21 consents": {notes, CodeCounselingNotesOwn},
		"no consent on file":            {nobody, CodeNoConsents},
		"faulty request":                {faulty, CodeRequestNoInfo},
		"holder":                        {holder, CodeRedisclosurePurpose},
		"emergency":                     {emergency, CodeEmergencyNoFact},
		"qso":                           {qso, CodeQSOServiceNotCovered},
	} {
		for how, decide := range map[string]func(Request) Decision{"Decide": e.Decide, "Explain": e.Explain} {
			var d Decision
			if n := testing.AllocsPerRun(100, func() { d = decide(tc.r) }); n != 0 {
				t.Errorf("%s, %s: %v allocations per deny, want 0", name, how, n)
			}
			if d.Permit || !d.HasReason(tc.want) || !d.HasReason(CodeNoBasis) {
				t.Errorf("%s, %s: %v, want a deny with %s", name, how, d, tc.want)
			}
		}
	}
	// Explain's permits too: every reason is judged when read.
	ob := obRequest()
	if n := testing.AllocsPerRun(100, func() {
		if !e.Explain(ob).Permit {
			t.Fatal("denied")
		}
	}); n != 0 {
		t.Errorf("Explain permit: %v allocations, want 0", n)
	}
	// Reading allocates the slices read and nothing else: the reasons in one slice, the
	// citations in another (21 consents: 81 refs, past the collector's array, one more).
	d := e.Decide(notes)
	if n := testing.AllocsPerRun(100, func() { _ = d.Reasons() }); n != 2 {
		t.Errorf("Reasons of the 21-consent deny: %v allocations, want 2 (the overflow of the collector, the slice)", n)
	}
	d = e.Decide(nobody)
	if n := testing.AllocsPerRun(100, func() { _ = d.Reasons() }); n != 1 {
		t.Errorf("Reasons of the no-consent deny: %v allocations, want 1", n)
	}
}

// A caller's request built in place, with its information slice and holder, stays on the
// caller's stack: Decide and Explain keep none of the request's memory (see query), so the
// escape analysis moves nothing to the heap for them. (Keeping a string of the request in
// the decision made every caller's Information slice escape: one allocation per decision.)
// Decide and Explain are called directly: through a func value nothing could stay.
func TestCallersRequestStaysOnStack(t *testing.T) {
	e := mustCompile(t, []Consent{generalConsent(), tpoConsent()}, []QSOAgreement{labAgreement()})
	when, received := at("2026-02-01T10:00:00Z"), at("2026-02-01T00:00:00Z")
	for _, kind := range []InfoKind{InfoKindSUDRecords, InfoKindCounselingNotes} {
		permit := kind == InfoKindSUDRecords
		if n := testing.AllocsPerRun(100, func() {
			r := Request{Patient: Identifier{Value: "p1"}, Discloser: Identifier{Value: "prog-1"},
				Recipient: Party{ID: Identifier{Value: "ob-clinic"}, Kind: RecipientKindCoveredEntity},
				Purpose:   PurposeTreatment, Information: []InfoKind{kind, InfoKindPatientIdentity}, At: when}
			if e.Decide(r).Permit != permit || e.Explain(r).Permit != permit {
				t.Fatal(e.Explain(r))
			}
		}); n != 0 {
			t.Errorf("%s: %v allocations, want 0", kind, n)
		}
		if n := testing.AllocsPerRun(100, func() {
			// A holder: a covered entity redisclosing under c1 (a TPO consent) for
			// treatment (2.33(b)(1)), or counseling notes it never received.
			r := Request{Patient: Identifier{Value: "p1"}, Discloser: Identifier{Value: "ob-clinic"},
				Holder:    &Holder{Kind: RecipientKindCoveredEntity, ReceivedUnder: "c1", ReceivedAt: received},
				Recipient: Party{ID: Identifier{Value: "peds-1"}, Kind: RecipientKindCoveredEntity},
				Purpose:   PurposeTreatment, Information: []InfoKind{kind}, At: when}
			if e.Decide(r).Permit != permit || e.Explain(r).Permit != permit {
				t.Fatal(e.Explain(r))
			}
		}); n != 0 {
			t.Errorf("holder, %s: %v allocations, want 0", kind, n)
		}
	}
}
