// Command perinatal walks through the perinatal package on a built-in scenario: a pregnant
// woman dated from her last menstrual period, her gestational age and trimester at a few
// visits, delivery, her infant with prenatal exposure and withdrawal signs, the CAPTA
// affected-infant determination with its obligations, a Plan of Safe Care validated with
// problems and then fixed, and a safe sleep assessment at the first home visit.
//
//	go run ./examples/perinatal          # readable walk-through
//	go run ./examples/perinatal -json    # the same decisions as JSON
//
// Every person is an identifier; no names or birth dates appear anywhere.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/dyad-health/dyad/perinatal"
)

func main() {
	asJSON := flag.Bool("json", false, "print the decisions as JSON instead of text")
	flag.Parse()
	if err := run(os.Stdout, *asJSON); err != nil {
		fmt.Fprintln(os.Stderr, "perinatal:", err)
		os.Exit(1)
	}
}

// scenario is the built-in default: fixed dates, so every run prints the same thing.
type scenario struct {
	mother    string
	pregnancy perinatal.Pregnancy
	history   perinatal.SubstanceUseHistory
	visits    []time.Time
	infant    perinatal.Infant
	draft     perinatal.PlanOfSafeCare
	plan      perinatal.PlanOfSafeCare
	sleep     perinatal.SleepChecklist
	sleepAt   time.Time
	followUps []time.Time
}

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

func defaultScenario() scenario {
	delivered := utc(2026, 9, 16, 22, 40)
	s := scenario{
		mother:    "W-2041",
		pregnancy: perinatal.PregnancyFromLMP(utc(2026, 1, 1, 0, 0)),
		history: perinatal.SubstanceUseHistory{
			Uses: []perinatal.SubstanceUse{
				{Substance: perinatal.SubstanceOpioids, Route: perinatal.RouteInjection},
				{Substance: perinatal.SubstanceTobacco, Route: perinatal.RouteNonInjection},
			},
			MOUD: perinatal.MOUDBuprenorphine,
		},
		visits: []time.Time{
			utc(2026, 3, 10, 14, 0), // intake
			utc(2026, 4, 8, 10, 30), // last day of the first trimester
			utc(2026, 4, 9, 10, 30), // first day of the second
			utc(2026, 7, 16, 9, 0),  // third trimester
		},
		infant: perinatal.Infant{
			ID:                    "B-1001",
			BornAt:                delivered,
			GestationalAgeAtBirth: perinatal.GA(36, 6),
			PrenatalExposures:     []perinatal.Substance{perinatal.SubstanceOpioids, perinatal.SubstanceTobacco},
			Withdrawal:            perinatal.FindingPresent,
			SubstanceAffected:     perinatal.FindingAbsent,
			FASD:                  perinatal.FindingAbsent,
		},
		sleepAt:   utc(2026, 9, 24, 15, 0),
		followUps: []time.Time{utc(2026, 10, 16, 12, 0), delivered.AddDate(0, 0, 365), delivered.AddDate(0, 0, 365).Add(time.Minute)},
	}
	s.pregnancy.DeliveredAt = delivered

	created := utc(2026, 9, 18, 9, 0)
	// The first draft, written in a hurry at discharge planning.
	s.draft = perinatal.PlanOfSafeCare{
		InfantID:  "B-1001",
		CreatedAt: created,
		Needs: []perinatal.Need{
			{For: perinatal.RecipientInfant, Domain: perinatal.NeedHealth, Services: []string{"peds"}},
			{For: perinatal.RecipientInfant, Domain: perinatal.NeedDevelopmental, Services: []string{"ei"}},
			{For: perinatal.RecipientCaregiver, Domain: perinatal.NeedSubstanceUseTreatment, Services: []string{"peds"}},
		},
		Services: []perinatal.Service{
			{ID: "peds", For: perinatal.RecipientInfant, Domain: perinatal.NeedHealth, Party: "clinic-7"},
			{ID: "ei", For: perinatal.RecipientInfant, Domain: perinatal.NeedDevelopmental, Party: "ei-3", Referral: true, ReferredAt: created.Add(-24 * time.Hour)},
		},
		Parties: []perinatal.Party{
			{ID: "clinic-7", Role: perinatal.RoleHealthCareProvider},
		},
		Monitoring: perinatal.Monitoring{IntervalDays: 30},
	}
	// The plan after the team's review.
	s.plan = perinatal.PlanOfSafeCare{
		InfantID:  "B-1001",
		CreatedAt: created,
		Needs: []perinatal.Need{
			{For: perinatal.RecipientInfant, Domain: perinatal.NeedHealth, Services: []string{"peds"}},
			{For: perinatal.RecipientInfant, Domain: perinatal.NeedDevelopmental, Services: []string{"ei"}},
			{For: perinatal.RecipientCaregiver, Domain: perinatal.NeedHealth, Services: []string{"postpartum"}},
			{For: perinatal.RecipientCaregiver, Domain: perinatal.NeedSubstanceUseTreatment, Services: []string{"otp", "coach"}},
			{For: perinatal.RecipientCaregiver, Domain: perinatal.NeedParenting, Services: []string{"home-visits"}},
		},
		Services: []perinatal.Service{
			{ID: "peds", For: perinatal.RecipientInfant, Domain: perinatal.NeedHealth, Party: "clinic-7"},
			{ID: "ei", For: perinatal.RecipientInfant, Domain: perinatal.NeedDevelopmental, Party: "ei-3", Referral: true, ReferredAt: created.Add(24 * time.Hour)},
			{ID: "postpartum", For: perinatal.RecipientCaregiver, Domain: perinatal.NeedHealth, Party: "clinic-7"},
			{ID: "otp", For: perinatal.RecipientCaregiver, Domain: perinatal.NeedSubstanceUseTreatment, Party: "otp-2"},
			{ID: "coach", For: perinatal.RecipientCaregiver, Domain: perinatal.NeedRecoverySupport, Party: "rsc-1", Referral: true, ReferredAt: created},
			{ID: "home-visits", For: perinatal.RecipientCaregiver, Domain: perinatal.NeedParenting, Party: "hv-5", Referral: true, ReferredAt: created.Add(48 * time.Hour)},
		},
		Parties: []perinatal.Party{
			{ID: "clinic-7", Role: perinatal.RoleHealthCareProvider},
			{ID: "ei-3", Role: perinatal.RoleEarlyIntervention},
			{ID: "otp-2", Role: perinatal.RoleSUDTreatment},
			{ID: "rsc-1", Role: perinatal.RoleRecoverySupport},
			{ID: "hv-5", Role: perinatal.RoleHomeVisiting},
			{ID: "cm-12", Role: perinatal.RoleCoordinator},
		},
		Monitoring: perinatal.Monitoring{Party: "cm-12", IntervalDays: 30, NextReview: created.AddDate(0, 0, 30)},
	}
	met, unmet := perinatal.AnswerMet, perinatal.AnswerUnmet
	s.sleep = perinatal.SleepChecklist{
		BackToSleep: met, FirmFlatSurface: met, OwnSpaceInRoom: met, NoBedSharing: unmet,
		NoSoftObjects: unmet, NoOverheating: met, SmokeFree: unmet, NoAlcoholOrDrugs: met,
		PacifierOffered: met, TummyTime: met,
		// breastfeeding support not yet discussed: left unknown
	}
	return s
}

// report is everything the scenario decides, for -json.
type report struct {
	Mother         string                          `json:"mother"`
	EDD            string                          `json:"edd"`
	Visits         []visit                         `json:"visits"`
	Delivery       delivery                        `json:"delivery"`
	Determination  perinatal.AffectedDetermination `json:"determination"`
	InfantCodes    []perinatal.Coding              `json:"infant_codes"`
	DraftProblems  []perinatal.Problem             `json:"draft_plan_problems"`
	PlanProblems   []perinatal.Problem             `json:"plan_problems"`
	Sleep          perinatal.SleepAssessment       `json:"sleep"`
	PostpartumDays []followUp                      `json:"follow_ups"`
}

type visit struct {
	At             time.Time                `json:"at"`
	GestationalAge perinatal.GestationalAge `json:"gestational_age"`
	Trimester      perinatal.Trimester      `json:"trimester"`
	Status         perinatal.Status         `json:"status"`
	Codes          []perinatal.Coding       `json:"codes"`
}

type delivery struct {
	At             time.Time                `json:"at"`
	GestationalAge perinatal.GestationalAge `json:"gestational_age"`
	Term           perinatal.Term           `json:"term"`
}

type followUp struct {
	At     time.Time        `json:"at"`
	Status perinatal.Status `json:"status"`
}

func problemsOf(err error) ([]perinatal.Problem, error) {
	if err == nil {
		return []perinatal.Problem{}, nil
	}
	var ve *perinatal.ValidationError
	if errors.As(err, &ve) {
		return ve.Problems, nil
	}
	return nil, err
}

func decide(s scenario) (report, error) {
	r := report{Mother: s.mother}
	if err := s.history.Validate(); err != nil {
		return r, err
	}
	edd, err := s.pregnancy.DueDate()
	if err != nil {
		return r, err
	}
	r.EDD = edd.Format(time.DateOnly)
	for _, at := range s.visits {
		ga, err := s.pregnancy.GestationalAgeAt(at)
		if err != nil {
			return r, err
		}
		v := visit{At: at, GestationalAge: ga, Trimester: ga.Trimester(), Status: s.pregnancy.StatusAt(perinatal.DefaultPostpartumWindow(), at)}
		for _, u := range s.history.Uses {
			if c, ok := perinatal.MaternalUseICD10CM(u.Substance, ga.Trimester()); ok && !containsCode(v.Codes, c) {
				v.Codes = append(v.Codes, c)
			}
		}
		r.Visits = append(r.Visits, v)
	}
	ga, err := s.pregnancy.GestationalAgeAtDelivery()
	if err != nil {
		return r, err
	}
	r.Delivery = delivery{At: s.pregnancy.DeliveredAt, GestationalAge: ga, Term: ga.Term()}
	if err := s.infant.ValidateBirth(s.pregnancy); err != nil {
		return r, err
	}
	if r.Determination, err = perinatal.DetermineAffected(s.infant, perinatal.AffectedPolicy{}); err != nil {
		return r, err
	}
	r.InfantCodes = s.infant.ICD10CM()
	if r.DraftProblems, err = problemsOf(s.draft.Validate()); err != nil {
		return r, err
	}
	if r.PlanProblems, err = problemsOf(s.plan.Validate()); err != nil {
		return r, err
	}
	r.Sleep = perinatal.AssessSleep(s.sleep)
	for _, at := range s.followUps {
		r.PostpartumDays = append(r.PostpartumDays, followUp{At: at, Status: s.pregnancy.StatusAt(perinatal.DefaultPostpartumWindow(), at)})
	}
	return r, nil
}

func containsCode(cs []perinatal.Coding, c perinatal.Coding) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

func run(w io.Writer, asJSON bool) error {
	s := defaultScenario()
	r, err := decide(s)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	p := func(format string, a ...any) { fmt.Fprintf(w, format+"\n", a...) }
	section := func(title string) { p("\n%s\n%s", title, strings.Repeat("─", len([]rune(title)))) }
	const day = "Mon 2006-01-02 15:04 MST"

	p("dyad/perinatal — a worked scenario (all people are identifiers)")

	section("1. Pregnancy dated from the last menstrual period")
	p("client %s  LMP %s  →  EDD %s", s.mother, s.pregnancy.LMP.Format(time.DateOnly), r.EDD)
	p("  source: %s", perinatal.CiteDating)
	p("substance use: %s; medication for OUD: %s; injects drugs: %v",
		usesString(s.history), s.history.MOUD, s.history.InjectsDrugs())
	p("")
	p("  %-24s %-8s %-10s %-10s %s", "visit", "GA", "trimester", "status", "ICD-10-CM")
	for _, v := range r.Visits {
		var codes []string
		for _, c := range v.Codes {
			codes = append(codes, c.Code)
		}
		p("  %-24s %-8s %-10s %-10s %s", v.At.Format(day), v.GestationalAge, v.Trimester, v.Status, strings.Join(codes, ", "))
	}
	p("  trimesters split at 14w0d and 28w0d; source: %s", perinatal.CiteTrimesters)

	section("2. Delivery ends the pregnancy")
	p("delivered %s at %s: %s (term starts at 37w0d)", r.Delivery.At.Format(day), r.Delivery.GestationalAge, r.Delivery.Term)
	p("  source: %s", perinatal.CiteTerm)
	after := r.Delivery.At.Add(time.Hour)
	_, gaErr := s.pregnancy.GestationalAgeAt(after)
	p("an hour later: status %s; gestational age → %v", s.pregnancy.StatusAt(perinatal.DefaultPostpartumWindow(), after), gaErr)

	section("3. The infant and the CAPTA affected-infant determination")
	inf := s.infant
	p("infant %s  born at %s  exposures: %s", inf.ID, inf.GestationalAgeAtBirth, substances(inf.PrenatalExposures))
	p("withdrawal signs (NAS/NOWS): %s   identified as affected: %s   FASD: %s", inf.Withdrawal, inf.SubstanceAffected, inf.FASD)
	d := r.Determination
	p("")
	p("outcome: %s", strings.ToUpper(d.Outcome.String()))
	for _, reason := range d.Reasons {
		p("  because  %s [%s]\n           %s", reason.Code, reason.Cite, reason.Message)
	}
	for _, o := range d.Obligations {
		p("  must     %s [%s]\n           %s", o.Kind, o.Cite, o.Message)
	}
	for _, c := range r.InfantCodes {
		p("  code     %s %s (%s)", c.Code, c.Display, c.System)
	}
	p("  rule     %s", d.Edition)

	section("4. Plan of Safe Care — first draft")
	p("%d problems, all listed at once:", len(r.DraftProblems))
	for _, q := range r.DraftProblems {
		p("  ✗ %-32s %-28s %s", q.Code, q.Field, q.Message)
	}

	section("5. Plan of Safe Care — after review")
	if len(r.PlanProblems) == 0 {
		p("✓ valid: %d needs, %d services (%d referrals), %d parties, coordinator and monitoring every %d days",
			len(s.plan.Needs), len(s.plan.Services), countReferrals(s.plan), len(s.plan.Parties), s.plan.Monitoring.IntervalDays)
	} else {
		for _, q := range r.PlanProblems {
			p("  ✗ %s %s", q.Code, q.Field)
		}
	}
	for _, n := range s.plan.Needs {
		p("  %-9s %-23s → %s", n.For, n.Domain, strings.Join(n.Services, ", "))
	}

	section("6. Safe Infant Sleep at the first home visit")
	p("%s: %s", s.sleepAt.Format(day), strings.ToUpper(r.Sleep.Outcome.String()))
	p("  source: %s", perinatal.CiteSafeSleep)
	for _, f := range r.Sleep.Unmet {
		p("  ✗ %-24s %s", f.Item, f.Reason.Message)
	}
	for _, f := range r.Sleep.Unknown {
		p("  ? %-24s %s", f.Item, f.Reason.Message)
	}

	section("7. Postpartum status (12-month window, last instant included)")
	for _, f := range r.PostpartumDays {
		p("  %-24s %s", f.At.Format(day), f.Status)
	}
	return nil
}

func usesString(h perinatal.SubstanceUseHistory) string {
	var parts []string
	for _, u := range h.Uses {
		parts = append(parts, u.Substance.String()+" ("+u.Route.String()+")")
	}
	return strings.Join(parts, ", ")
}

func substances(ss []perinatal.Substance) string {
	var parts []string
	for _, s := range ss {
		parts = append(parts, s.String())
	}
	return strings.Join(parts, ", ")
}

func countReferrals(p perinatal.PlanOfSafeCare) int {
	n := 0
	for _, s := range p.Services {
		if s.Referral {
			n++
		}
	}
	return n
}
