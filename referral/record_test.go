package referral

// Tests that a consent record keeps identifiers, codes and citations only (QA found that
// a basis, an edition, a citation or a reason's message could carry a patient's name and
// history into a referral's event log and saved JSON).

import (
	"strings"
	"testing"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// TestConsentRecordRefusesFreeText: each field of a consent record that is not an
// identifier (basis, edition, citations, reasons' citations and messages, obligations'
// citations) refuses text that is not a reference of its form: QA's reproducer put a
// patient's name, birth date and history in all of them at once, and every one is listed
// (not the first only), so that nothing of it enters the referral or its saved JSON.
func TestConsentRecordRefusesFreeText(t *testing.T) {
	const phi = "Jane Q Doe DOB 1990-04-01 relapsed on heroin"
	r := mustNew(t, sudDraft(), t0)
	rec := ConsentRecord{Permit: false, Basis: phi, Patient: "W1", Discloser: "prog-1", Recipient: "ob-1",
		DecidedAt: t0, Edition: "Jane Q Doe", Cites: []string{phi},
		Reasons:     []Reason{{Code: "no_consent", Cite: phi, Message: phi}},
		Obligations: []Obligation{{Code: "notice_2_32", Cite: phi}}}
	err := r.RecordConsent(rec, t0.Add(time.Minute), "staff-7")
	want := []string{
		ProblemNotReference + "@consent.basis",
		ProblemNotReference + "@consent.edition",
		ProblemNotReference + "@consent.cites[0]",
		ProblemNotReference + "@consent.reasons[0].cite",
		ProblemNotReference + "@consent.reasons[0].message",
		ProblemNotReference + "@consent.obligations[0].cite",
	}
	if d := cmp.Diff(want, codeFields(validationOf(t, err))); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
	require.False(t, leaks(err.Error()))
	require.Len(t, r.Events(), 1, "the refused record changed the referral")
	b := mustMarshal(t, r)
	require.NotContains(t, string(b), "Jane")
}

// TestConsentRecordForms: what each field accepts. A basis is "consent:" and an
// identifier (a written consent, 42 CFR 2.31) or a section of the CFR (an exception such as
// 42 CFR 2.12(c)(4) or 2.51, or "42 CFR part 2 subpart E" for a court order); a citation is
// a section of the CFR with its paragraphs; an edition is a part of the CFR, optionally "as
// amended" on a date and with its Federal Register citation, as consent.RuleEdition is
// written. Anything else, a reason's message above all, is refused.
func TestConsentRecordForms(t *testing.T) {
	ok := func(field string, rec ConsentRecord) {
		t.Helper()
		r := mustNew(t, sudDraft(), t0)
		if err := r.RecordConsent(rec, t0, "staff-1"); err != nil {
			t.Errorf("%s: refused: %v", field, err)
		}
	}
	bad := func(field string, rec ConsentRecord) {
		t.Helper()
		r := mustNew(t, sudDraft(), t0)
		err := r.RecordConsent(rec, t0, "staff-1")
		if err == nil {
			t.Errorf("%s: accepted", field)
			return
		}
		require.Equal(t, []string{ProblemNotReference + "@consent." + field}, codeFields(validationOf(t, err)))
	}
	base := ConsentRecord{Permit: true, ConsentID: "c1", Patient: "W1", Discloser: "prog-1", Recipient: "ob-1", DecidedAt: t0}
	with := func(f func(*ConsentRecord)) ConsentRecord { c := base; f(&c); return c }
	for _, s := range []string{"", "consent:c1", "consent:urn:oid:2.16.840.1.113883.4.1", "42 CFR 2.12(c)(4)", "42 CFR 2.51",
		"42 CFR 2.33(b)(1)", "42 CFR part 2 subpart E"} {
		ok("basis", with(func(c *ConsentRecord) { c.Basis = s }))
	}
	for _, s := range []string{"consent:", "consent:Jane Doe", `consent:"c 1"`, "Jane Doe", "42 CFR", "CFR 2.31", "42 CFR 2.31 (a)",
		"42 CFR 2.31(a", "42 CFR 2.31()", "42 CFR 2.31(a)x", "42 CFR part 2 subpart", "42 CFR 2.31\u2028"} {
		bad("basis", with(func(c *ConsentRecord) { c.Basis = s }))
	}
	for _, s := range []string{"", consent.RuleEdition, "42 CFR part 2", "42 CFR part 2 as amended 2017-01-18", "42 CFR part 2 (82 FR 6052)"} {
		ok("edition", with(func(c *ConsentRecord) { c.Edition = s }))
	}
	for _, s := range []string{"e", "Jane Q Doe", "42 CFR part 2 as amended yesterday", "42 CFR part 2 as amended 2024-2-16",
		"42 CFR part 2 (89 FR)", "42 CFR 2.31", consent.RuleEdition + " "} {
		bad("edition", with(func(c *ConsentRecord) { c.Edition = s }))
	}
	for _, s := range []string{"42 CFR 2.31", "42 CFR 2.31(a)(4)(ii)(B)", "45 CFR 164.514(b)", "42 CFR 2.12(c)(5)(ii)",
		"42 CFR 2.31(aa)(12)(xiv)(BB)", "42 CFR 2.33(b)(3)(viii)", "34 CFR 303.303(a)(2)(i)", "42 CFR part 2 subpart E"} {
		ok("cites[0]", with(func(c *ConsentRecord) { c.Cites = []string{s} }))
		ok("reasons[0].cite", with(func(c *ConsentRecord) { c.Reasons = []Reason{{Code: "permit_consent", Cite: s}} }))
		ok("obligations[0].cite", with(func(c *ConsentRecord) { c.Obligations = []Obligation{{Code: "notice_2_32", Cite: s}} }))
	}
	ok("reasons[0].cite", with(func(c *ConsentRecord) { c.Reasons = []Reason{{Code: "permit_consent"}} }))
	// Paragraph designators are the CFR's, never words: a name cannot pass for one.
	for _, s := range []string{"", "42", "see chart", "42 CFR 2.31\n", "42 CFR 2.31 Jane", "42  CFR 2.31", strings.Repeat("(a)", 60),
		"42 CFR 2.31(Jane)(Doe)", "42 CFR 2.31(doe)", "42 CFR 2.31(ab)", "42 CFR 2.31(Ab)", "42 CFR 2.31(iiii)", "42 CFR 2.31(vx)",
		"42 CFR 2.31(0)", "42 CFR 2.31(1234)", "42 CFR 2.31(a)(", "42 CFR 2.31)"} {
		bad("cites[0]", with(func(c *ConsentRecord) { c.Cites = []string{s} }))
	}
	bad("reasons[0].message", with(func(c *ConsentRecord) { c.Reasons = []Reason{{Code: "permit_consent", Message: "ok"}} }))
}

// TestFromDecisionRecordsAreAccepted: whatever the consent engine decides (every purpose,
// every recipient kind, with and without the facts its exceptions need, with a consent and
// a QSO agreement in force), the record FromDecision makes of it passes the checks above:
// the forms follow what consent writes, and only free text is refused.
func TestFromDecisionRecordsAreAccepted(t *testing.T) {
	q := consent.QSOAgreement{ID: "q1", Program: consent.Identifier{Value: "prog-1"}, Organization: consent.Identifier{Value: "ob-1"},
		Services: []consent.Service{"child_abuse_neglect_prevention"}, Written: true, BoundByPart2: true,
		ResistJudicialAccess: true, SignedAt: t0.AddDate(0, -1, 0), Effective: t0.AddDate(0, -1, 0), Expires: t0.AddDate(1, 0, 0)}
	e := engine(t, []consent.Consent{tpoConsent(t, time.Time{})}, []consent.QSOAgreement{q})
	n, permits := 0, 0
	for p := consent.Purpose(1); p.IsValid(); p++ {
		for k := consent.RecipientKind(1); k.IsValid(); k++ {
			for _, facts := range []consent.Facts{{}, {Emergency: true, Deidentified: true, CourtOrder: true,
				InitialReportRequiredByStateLaw: true, ResearchApproved: true, AuditAgreement: true}} {
				r := mustNew(t, sudDraft(), t0)
				req := r.ConsentRequest(k, p, "child_abuse_neglect_prevention", t0.Add(time.Hour))
				req.Facts = facts
				rec, err := r.AskConsent(e, req, nil, "staff-1")
				if err != nil {
					t.Fatalf("purpose %s, recipient %s: the record of the engine's decision is refused: %v", p, k, err)
				}
				n++
				if rec.Permit {
					permits++
				}
			}
		}
	}
	require.Greater(t, permits, 10)
	require.Greater(t, n-permits, 10)
}
