package program

import (
	"testing"
	"time"

	"github.com/dyad-health/dyad/perinatal"
	"github.com/google/go-cmp/cmp"
)

// allMet is a sleep-environment checklist with every AAP 2022 item met.
func allMet() perinatal.SleepChecklist {
	m := perinatal.AnswerMet
	return perinatal.SleepChecklist{BackToSleep: m, FirmFlatSurface: m, OwnSpaceInRoom: m, NoBedSharing: m,
		NoSoftObjects: m, NoOverheating: m, SmokeFree: m, NoAlcoholOrDrugs: m, PacifierOffered: m, TummyTime: m,
		BreastfeedingSupported: m}
}

// TestSafeSleep: the Safe Infant Sleep item of MassachusettsBSAS (Organization, bullet 2,
// read as a checklist within 7 days of the infant joining the program's care, the latest
// meeting every AAP 2022 item), reviewed at noon on 30 June 2026 with the 30-day notice
// window. Each expectation is worked out in the comment beside its dyad.
func TestSafeSleep(t *testing.T) {
	lmp := tm("2025-09-01T00:00:00Z")
	preg := func(end time.Time, o perinatal.PregnancyOutcome) *perinatal.Pregnancy {
		return &perinatal.Pregnancy{LMP: lmp, DeliveredAt: end, Outcome: o}
	}
	bedSharing := allMet()
	bedSharing.NoBedSharing = perinatal.AnswerUnmet
	bedSharing.SmokeFree = perinatal.AnswerUnmet
	partial := allMet()
	partial.PacifierOffered = perinatal.AnswerUnknown
	dyads := []Dyad{
		// a: came postpartum 20 days ago, no birth date: an infant under one taken to be in
		// care from intake; no checklist, due 7 days after intake, 13 days ago: gap.
		{ID: "a", Mother: "W-a", IntakeAt: ago(20)},
		// b: came with an infant 3 days ago: due in 4 days, within the notice window: warning.
		{ID: "b", Mother: "W-b", IntakeAt: ago(3), InfantBornAt: ago(40)},
		// c: pregnant at intake, live birth 10 days ago; the checklist 5 days ago finds
		// bed-sharing and smoke: gap with those two reason codes, in checklist order.
		{ID: "c", Mother: "W-c", IntakeAt: ago(100), Pregnancy: preg(ago(10), perinatal.OutcomeLiveBirth)},
		// d: an end whose outcome is not recorded is taken as a birth; the only checklist
		// leaves the pacifier unknown: gap, incomplete.
		{ID: "d", Mother: "W-d", IntakeAt: ago(100), Pregnancy: preg(ago(30), perinatal.OutcomeUnknown)},
		// e: an unmet checklist, then one meeting every item: the latest counts, no finding.
		{ID: "e", Mother: "W-e", IntakeAt: ago(60)},
		// f: stillbirth: no infant, no row.
		{ID: "f", Mother: "W-f", IntakeAt: ago(100), Pregnancy: preg(ago(10), perinatal.OutcomeStillbirth)},
		// g: still pregnant: no infant yet.
		{ID: "g", Mother: "W-g", IntakeAt: ago(100), Pregnancy: &perinatal.Pregnancy{LMP: tm("2026-01-01T00:00:00Z")}},
		// h: the infant she came with turned one on 29 June: out of the recommendations' scope.
		{ID: "h", Mother: "W-h", IntakeAt: ago(200), InfantBornAt: tm("2025-06-29T00:00:00Z")},
		// i: discharged before the moment: not judged.
		{ID: "i", Mother: "W-i", IntakeAt: ago(200), DischargedAt: ago(1)},
		// j: its one checklist is dated after the moment: none known; due long ago: gap.
		{ID: "j", Mother: "W-j", IntakeAt: ago(30)},
	}
	checks := []SleepCheck{
		{ID: "sc-c", Dyad: "c", At: ago(5), Checklist: bedSharing},
		{ID: "sc-d", Dyad: "d", At: ago(20), Checklist: partial},
		{ID: "sc-e1", Dyad: "e", At: ago(50), Checklist: bedSharing},
		{ID: "sc-e2", Dyad: "e", At: ago(30), Checklist: allMet()},
		{ID: "sc-j", Dyad: "j", At: at0.Add(time.Hour), Checklist: allMet()},
	}
	rep := review(t, Facts{Program: "prog-1", Dyads: dyads, SleepChecks: checks}, Options{})
	cites := []string{CiteOrgSafeSleep, perinatal.CiteSafeSleep}
	gap := func(code, dyad string, problems ...string) Finding {
		return Finding{Code: code, Item: "safe_sleep", Subject: dyad, Cites: cites, Problems: problems}
	}
	wantGaps := []Finding{
		gap(GapSafeSleepNone, "a"),
		gap(GapSafeSleepUnmet, "c", "sleep_no_bed_sharing_unmet", "sleep_smoke_free_unmet"),
		gap(GapSafeSleepIncomplete, "d", "sleep_pacifier_offered_unknown"),
		gap(GapSafeSleepNone, "j"),
	}
	noMessage := cmp.Transformer("noMessage", func(f Finding) Finding { f.Message = ""; return f })
	var sleepGaps, sleepWarns []Finding
	for _, f := range rep.Gaps {
		if f.Item == "safe_sleep" {
			sleepGaps = append(sleepGaps, f)
		}
	}
	for _, f := range rep.Warnings {
		if f.Item == "safe_sleep" {
			sleepWarns = append(sleepWarns, f)
		}
	}
	if d := cmp.Diff(wantGaps, sleepGaps, noMessage); d != "" {
		t.Errorf("gaps (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]Finding{gap(WarnSafeSleepDue, "b")}, sleepWarns, noMessage); d != "" {
		t.Errorf("warnings (-want +got):\n%s", d)
	}
	wantRows := []SleepStatus{
		{Dyad: "a", Since: ago(20), Due: ago(13)},
		{Dyad: "b", Since: ago(3), Due: ago(-4)},
		{Dyad: "c", Since: ago(10), Due: ago(3), Checked: ago(5), Outcome: perinatal.SleepDoesNotMeet},
		{Dyad: "d", Since: ago(30), Due: ago(23), Checked: ago(20), Outcome: perinatal.SleepOutcomeUnknown},
		{Dyad: "e", Since: ago(60), Due: ago(53), Checked: ago(30), Outcome: perinatal.SleepMeets},
		{Dyad: "j", Since: ago(30), Due: ago(23)},
	}
	if d := cmp.Diff(wantRows, rep.SafeSleep); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	// A guidance without the item asks nothing of sleep.
	g := MassachusettsBSAS()
	g.SafeSleep = nil
	rv, err := New(g)
	if err != nil {
		t.Fatal(err)
	}
	rep2, err := rv.Review(Facts{Program: "prog-1", Dyads: dyads, SleepChecks: checks}, Options{At: at0})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep2.SafeSleep) != 0 || len(rep2.Gaps) != len(rep.Gaps)-len(wantGaps) {
		t.Errorf("without the item: %d rows, %d gaps", len(rep2.SafeSleep), len(rep2.Gaps))
	}
}

// TestSleepFactsInvalid: a checklist names a dyad of the facts, has an identifier, a time
// and known answers; an infant's birth is given only for a dyad that came with one, and
// before her intake.
func TestSleepFactsInvalid(t *testing.T) {
	p := perinatal.PregnancyFromLMP(tm("2026-01-01T00:00:00Z"))
	f := Facts{Program: "prog-1",
		Dyads: []Dyad{
			{ID: "d1", Mother: "W1", IntakeAt: ago(10), Pregnancy: &p, InfantBornAt: ago(40)},
			{ID: "d2", Mother: "W2", IntakeAt: ago(10), InfantBornAt: ago(5)},
		},
		SleepChecks: []SleepCheck{
			{ID: "s1", Dyad: "d9", At: ago(1), Checklist: allMet()},
			{ID: "s1", Dyad: "d1", Checklist: perinatal.SleepChecklist{TummyTime: 7}},
		}}
	err := f.Validate()
	for _, c := range [][2]string{
		{ProblemConflict, "dyads[0].infant_born_at"},
		{ProblemOrder, "dyads[1].infant_born_at"},
		{ProblemUnknownDyad, "sleep_checks[0].dyad"},
		{ProblemDuplicate, "sleep_checks[1].id"},
		{ProblemMissing, "sleep_checks[1].at"},
		{ProblemUnknownCode, "sleep_checks[1].checklist"},
	} {
		problemAt(t, err, c[0], c[1])
	}
	if n := len(problemCodes(t, err)); n != 6 {
		t.Errorf("%d problems, want 6: %v", n, err)
	}
}

// TestSleepGuidance: the item's code is unique among the guidance's codes, its citation
// one line, its days not negative; read from JSON and written back whole.
func TestSleepGuidance(t *testing.T) {
	g := MassachusettsBSAS()
	g.SafeSleep.Code = "qsoa_prenatal_care"
	g.SafeSleep.Cite = "bullet\u20282"
	g.SafeSleep.WithinDays = -1
	err := g.Validate()
	problemAt(t, err, ProblemDuplicate, "safe_sleep.code")
	problemAt(t, err, ProblemText, "safe_sleep.cite")
	problemAt(t, err, ProblemNegative, "safe_sleep.within_days")
	back, err := DecodeGuidance(mustJSON(t, MassachusettsBSAS()))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(&SleepRequirement{Code: "safe_sleep", Cite: CiteOrgSafeSleep, WithinDays: 7}, back.SafeSleep); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	// The reviewer keeps its own copy.
	g = MassachusettsBSAS()
	rv, err := New(g)
	if err != nil {
		t.Fatal(err)
	}
	g.SafeSleep.WithinDays = 1000
	if rv.Guidance().SafeSleep.WithinDays != 7 {
		t.Error("the reviewer shares the caller's requirement")
	}
}
