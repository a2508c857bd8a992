package program

import (
	"strings"
	"testing"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/perinatal"
	"github.com/dyad-health/dyad/referral"
	"github.com/google/go-cmp/cmp"
)

func TestMassachusettsBSASValid(t *testing.T) {
	g := MassachusettsBSAS()
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	// The four QSO groups of the guidance's bullet (early intervention and early childhood
	// read as two), the two partnerships, outreach to prenatal care, and the ten
	// competencies the issue lists from the guidance's staff development section.
	if len(g.Agreements) != 5 || len(g.Partnerships) != 2 || len(g.Outreach) != 1 || len(g.Competencies) != 10 {
		t.Errorf("guidance %d/%d/%d/%d", len(g.Agreements), len(g.Partnerships), len(g.Outreach), len(g.Competencies))
	}
	// Each call is a fresh value, and a Reviewer keeps its own copy.
	g.Agreements[0].Kinds[0] = referral.PartnerChildCare
	if MassachusettsBSAS().Agreements[0].Kinds[0] != referral.PartnerPrenatalCare {
		t.Error("MassachusettsBSAS shares its slices")
	}
	g = MassachusettsBSAS()
	rv, err := New(g)
	if err != nil {
		t.Fatal(err)
	}
	g.Agreements[0].Kinds[0] = referral.PartnerChildCare
	g.Competencies[0].TrainingEveryDays = 1
	if d := cmp.Diff(MassachusettsBSAS(), rv.Guidance()); d != "" {
		t.Errorf("reviewer changed by its caller (-want +got):\n%s", d)
	}
}

// Every problem of a guidance is listed at once, with its path.
func TestGuidanceInvalid(t *testing.T) {
	g := MassachusettsBSAS()
	g.ID = "MA guidance"                        // a space: not an identifier
	g.Agreements[1].Code = g.Agreements[0].Code // duplicate
	g.Agreements[2].Kinds = nil                 // satisfied by nothing
	g.Partnerships[0].Kinds[0] = 99             // unknown kind
	g.Outreach[0].EveryDays = 0                 // "regular" needs an interval
	g.Competencies[3].TrainingEveryDays = 0     // asks for nothing
	g.Competencies[4].Cite = "line\nbreak"      // control character
	g.CHARM.MOUDContinueDays = -1               // negative
	g.CHARM.PrenatalWithinDays = maxDays + 1    // too long
	g.CHARM.SupportKinds = nil                  // the support measure counts nothing
	g.CHARM.CounselingEngageSessions = 0        // engagement by nothing
	_, err := New(g)
	want := []Problem{
		{ProblemIdentifier, "id", ""},
		{ProblemDuplicate, "agreements[1].code", ""},
		{ProblemNoRequirementKind, "agreements[2].kinds", ""},
		{ProblemUnknownCode, "partnerships[0].kinds[0]", ""},
		{ProblemMissing, "outreach[0].every_days", ""},
		{ProblemNoMode, "competencies[3]", ""},
		{ProblemText, "competencies[4].cite", ""},
		{"out_of_range", "charm.prenatal_within_days", ""},
		{ProblemNegative, "charm.moud_continue_days", ""},
		{"out_of_range", "charm.counseling_engage_sessions", ""},
		{ProblemNoRequirementKind, "charm.support_kinds", ""},
	}
	ve, ok := err.(*ValidationError)
	if !ok {
		t.Fatalf("error %v", err)
	}
	got := ve.Problems
	for i := range got {
		got[i].Message = ""
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
	if strings.Contains(err.Error(), "MA guidance") || strings.Contains(err.Error(), "line") {
		t.Errorf("error quotes input: %v", err)
	}
}

// Every problem of the facts is listed at once, with its path; a review refuses them.
func TestFactsInvalid(t *testing.T) {
	f := fullFacts(t)
	f.Program = ""
	bad := qsoa("q bad", "ob-1", ago(10)) // a space in the identifier
	f.Agreements = []consent.QSOAgreement{bad, qsoa("q-x", "ob-1", ago(10)), qsoa("q-x", "ob-1", ago(10))}
	f.Partnerships = append(f.Partnerships, Partnership{ID: "ps-x", Partner: "nobody", Start: ago(5), End: ago(6)})
	f.Outreach = append(f.Outreach, Outreach{ID: "o1", Setting: 77})
	f.Received = []Received{{ID: "r1", At: ago(1)}}
	f.Staff = append(f.Staff, Staff{ID: "s3", Start: ago(5), Records: []StaffRecord{{Competency: "Motivational Interviewing", At: ago(1)}}})
	delivered := perinatal.Pregnancy{LMP: tm("2025-06-01T00:00:00Z"), DeliveredAt: tm("2026-02-20T00:00:00Z")}
	f.Dyads = []Dyad{{ID: "d1", Mother: "Jane Doe", IntakeAt: time.Time{}, Pregnancy: &perinatal.Pregnancy{},
		MOUD: []MOUDEpisode{{Medication: perinatal.MOUDNone, Start: ago(3)}}},
		{ID: "d2", Mother: "W2", IntakeAt: ago(100), Pregnancy: &delivered, FirstPrenatalVisit: tm("2026-03-01T00:00:00Z")}}
	f.Referrals = []*referral.Referral{nil}
	_, err := reviewer(t).Review(f, Options{At: at0})
	want := []Problem{
		{ProblemIdentifier, "program", ""},
		{ProblemIdentifier, "agreements[0].id", ""},
		{ProblemDuplicate, "agreements[2].id", ""},
		{ProblemUnknownPartner, "partnerships[2].partner", ""},
		{ProblemOrder, "partnerships[2].end", ""},
		{ProblemDuplicate, "outreach[1].id", ""},
		{ProblemMissing, "outreach[1].at", ""},
		{ProblemUnknownCode, "outreach[1].setting", ""},
		{ProblemUnknownCode, "received[0].source", ""},
		{ProblemCode, "staff[2].records[0].competency", ""},
		{ProblemUnknownCode, "staff[2].records[0].mode", ""},
		{ProblemIdentifier, "dyads[0].mother", ""},
		{ProblemMissing, "dyads[0].intake_at", ""},
		{ProblemPregnancy, "dyads[0].pregnancy", ""},
		{ProblemNoMedication, "dyads[0].moud[0].medication", ""},
		{ProblemOrder, "dyads[1].first_prenatal_visit", ""},
		{ProblemNil, "referrals[0]", ""},
	}
	ve, ok := err.(*ValidationError)
	if !ok {
		t.Fatalf("error %v", err)
	}
	got := ve.Problems
	for i := range got {
		got[i].Message = ""
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
	for _, s := range []string{"Jane", "Motivational Interviewing", "q bad", "nobody"} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error quotes input %q: %v", s, err)
		}
	}
}
