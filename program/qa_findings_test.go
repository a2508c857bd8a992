//go:build qa

// QA findings for package program, written from outside (package program_test). Each
// TestQA_ test FAILS on the code it was written against: it asserts what the rule asks, and
// its failure message says what the code does instead.
// Run: go test -tags qa -run TestQA ./program/
package program_test

import (
	"strings"
	"testing"
	"time"

	"github.com/dyad-health/dyad/perinatal"
	"github.com/dyad-health/dyad/program"
	"github.com/dyad-health/dyad/referral"
)

func qaReviewer(t *testing.T) *program.Reviewer {
	t.Helper()
	rv, err := program.New(program.MassachusettsBSAS())
	if err != nil {
		t.Fatal(err)
	}
	return rv
}

// TestQA_PregnancyLossCountsAgainstPrenatalCare: a woman admitted at 6w0d whose pregnancy
// ends in a loss three days later, before any prenatal visit could reasonably happen,
// counts as "unmet" for CHARM target 1 (early prenatal care): the program is reported as
// failing a dyad it had three days to serve.
//
// Rule: the measure the package adapts, HEDIS Prenatal and Postpartum Care (CiteHEDISPPC),
// counts deliveries of live births in its denominator; the package doc defines the
// denominator as "dyads pregnant at intake (Dyad.Pregnancy set, not delivered at intake)"
// and documents no exclusion.
//
// What it should do: leave out of the denominator (not applicable) a pregnancy that ended,
// other than in a live birth, before the window closed without a visit; or at least not
// count a loss within the window as unmet.
//
// How sure: a reading (the package adapts HEDIS and does not claim its exclusions).
func TestQA_PregnancyLossCountsAgainstPrenatalCare(t *testing.T) {
	lmp := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	intake := lmp.AddDate(0, 0, 42) // 6w0d
	p := perinatal.Pregnancy{LMP: lmp, DeliveredAt: intake.Add(3 * 24 * time.Hour), Outcome: perinatal.OutcomePregnancyLoss}
	d := program.Dyad{ID: "d-1", Mother: "W-1", IntakeAt: intake, Pregnancy: &p}
	m := qaReviewer(t).MeasureDyad(d, nil, intake.AddDate(0, 0, 60))
	if m.Prenatal == program.OutcomeUnmet {
		t.Errorf("a pregnancy lost 3 days after intake counts as unmet early prenatal care")
	}
}

// TestQA_AbandonedSupportReferralPendingForever: a family-support referral sent during care
// and never closed keeps the dyad "pending" for CHARM target 4 two years after discharge, so
// the dyad never enters the denominator: a program whose referrals are all abandoned shows
// no unmet dyad at all.
//
// Rule: CHARM target 4, "social support and basic-needs referrals for the family" whose
// loop closes; the package doc: "pending while one is still open", and for cohorts "Pending
// ... whose window is still open" (Rate). A window that never closes is no window.
//
// What it should do: close the window at discharge (plus SupportWithinDays, or the
// referral's stall window) and count the dyad unmet if no referral completed by then.
//
// How sure: a reading (the behaviour follows the documented definition; the consequence is
// that the measure can hide every failure).
func TestQA_AbandonedSupportReferralPendingForever(t *testing.T) {
	intake := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	r, err := referral.New(referral.Draft{ID: "R-FRC-1", Patient: "W-1", Subject: referral.SubjectWoman, Program: "prog-1",
		Partner: "frc-1", PartnerKind: referral.PartnerFamilyResourceCenter, SUD: referral.SUDNone}, intake.Add(24*time.Hour), "staff-7")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Send(intake.Add(25*time.Hour), "staff-7"); err != nil {
		t.Fatal(err)
	}
	d := program.Dyad{ID: "d-2", Mother: "W-1", IntakeAt: intake, DischargedAt: intake.AddDate(0, 2, 0)}
	m := qaReviewer(t).MeasureDyad(d, []*referral.Referral{r}, intake.AddDate(2, 6, 0))
	if m.Support == program.OutcomePending {
		t.Errorf("2.5 years after intake (2 years after discharge), the support target is still %s (sent %d, completed %d)",
			m.Support, m.SupportSent, m.SupportCompleted)
	}
}

// TestQA_SchemaShapedKeyInError: DecodeFacts writes an unknown member's name in the
// problem's path when it looks like a schema name, so a patient's name used as a key by a
// sender's mapping reaches the error (same root cause as priority's
// TestQA_SchemaShapedKeyInError: jsonin.SafeName).
//
// Rule: the package doc: "Every problem is listed ... with its path and code and never the
// input's text"; "Findings, errors and String methods hold identifiers, codes and citations
// only".
//
// What it should do: write such a key as "?".
//
// How sure: a reading (referral documents this as intended for schema-shaped names).
func TestQA_SchemaShapedKeyInError(t *testing.T) {
	const name = "Jane_Doe_DOB_19900401"
	_, _, err := program.DecodeFacts([]byte(`{"program":"prog-1","dyads":[{"id":"d-1","mother":"W-1","intake_at":"2026-01-01T00:00:00Z","` + name + `":true}]}`))
	if err != nil && strings.Contains(err.Error(), name) {
		t.Errorf("DecodeFacts: %v", err)
	}
}

// TestQA_CiteLineBreakInFindingString: a State's guidance citation may hold a Unicode line
// break (NEL U+0085, LINE SEPARATOR U+2028): the text check refuses only bytes below 0x20
// and 0x7f, and Finding.String writes the citations unquoted, so a log line of a finding
// can be split.
//
// Rule: the package doc: "Findings, errors and String methods hold identifiers, codes and
// citations only"; Finding.String "renders the finding on one line".
//
// What it should do: refuse control characters and Unicode line separators in guidance text
// (or quote citations in String).
//
// How sure: likely (low severity: guidance is State-authored).
func TestQA_CiteLineBreakInFindingString(t *testing.T) {
	g := program.MassachusettsBSAS()
	g.Agreements[0].Cite = "MA BSAS A.2\u2028level=INFO msg=\"qsoa ok\""
	rv, err := program.New(g)
	if err != nil {
		return // refused: what the rule asks
	}
	rep, err := rv.Review(program.Facts{Program: "prog-1"}, program.Options{At: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Gaps {
		if strings.ContainsRune(f.String(), '\u2028') {
			t.Errorf("Finding.String holds a line separator: %q", f.String())
			break
		}
	}
}
