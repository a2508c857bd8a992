// Command referral follows one family's referrals: a pregnant woman waiting for a bed gets
// her interim-services prenatal-care referral (due 48 hours after she sought treatment, sent
// only on her recorded consent), and after delivery her infant, identified with neonatal
// withdrawal, gets the Early Intervention and pediatric referrals her Plan of Safe Care
// lists. It prints the timeline, then what is due and what is overdue on a given day.
package main

import (
	"fmt"
	"log"
	"slices"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/internal/jsonin"
	"github.com/dyad-health/dyad/perinatal"
	"github.com/dyad-health/dyad/priority"
	"github.com/dyad-health/dyad/referral"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		log.Fatal(err)
	}
	return t
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// tpoConsent is the woman's single consent for treatment, payment and operations, naming
// her treating providers (42 CFR 2.31(a)(4)(i)).
const tpoConsent = `{"id": "c1", "patient": "W1", "kind": "tpo", "disclosers": ["prog-1"],
  "recipients": [{"designation": "treating_providers"}, {"designation": "health_plans"},
                 {"designation": "third_party_payers"}, {"designation": "program_operations"}],
  "purposes": ["treatment", "payment", "operations"], "information": ["sud_records"],
  "information_description": "opioid use disorder diagnosis, medications and treatment plan",
  "expires": {"at": "2027-12-31T00:00:00Z"}, "signed_at": "2026-03-02T09:20:00Z", "signer": "patient",
  "statements": {"revocation": true, "redisclosure": true, "refusal_consequences": true}}`

func main() {
	partners := []referral.Partner{
		{ID: "ob-1", Kind: referral.PartnerPrenatalCare, AckWindow: 72 * time.Hour},
		{ID: "ei-1", Kind: referral.PartnerEarlyIntervention, AckWindow: 48 * time.Hour},
		{ID: "ped-1", Kind: referral.PartnerPediatricCare, AckWindow: 72 * time.Hour},
	}
	dir, err := referral.NewDirectory(partners...)
	check(err)

	// 1. Pregnant, no bed: interim services, with a prenatal-care referral within 48 h.
	policy, err := priority.Compile(priority.Federal())
	check(err)
	woman := priority.Applicant{ID: "W1", SoughtAt: at("2026-03-02T09:00:00Z"), Pregnant: true}
	due, owed := referral.DueInterimPrenatal(policy, woman, woman.SoughtAt)
	if !owed {
		log.Fatal("no prenatal-care referral owed")
	}
	var c consent.Consent
	check(jsonin.Decode([]byte(tpoConsent), &c, jsonin.Options{})) // the library's one JSON reader: strict, bounded
	engine, err := consent.Compile([]consent.Consent{c}, nil)
	check(err)

	pn, err := referral.New(referral.Draft{ID: "R-PN-1", Patient: "W1", Subject: referral.SubjectWoman,
		Program: "prog-1", Partner: "ob-1", PartnerKind: referral.PartnerPrenatalCare,
		SUD: referral.SUDCarries}, at("2026-03-02T09:30:00Z"), "staff-7")
	check(err)
	check(pn.AddDue(due, at("2026-03-02T09:30:00Z"), "staff-7"))
	if err := pn.Send(at("2026-03-02T09:40:00Z"), "staff-7"); err != nil {
		fmt.Println("refused before consent:", err)
	}
	// Ask the consent engine at the moment of sending, record its answer, and send on a permit.
	check(pn.SendWith(engine, consent.RecipientKindCoveredEntity, consent.PurposeTreatment, "", nil,
		at("2026-03-03T14:00:00Z"), "staff-7"))
	check(pn.Transition(referral.StatusReceived, at("2026-03-03T16:00:00Z"), "ob-1", ""))
	check(pn.Transition(referral.StatusAccepted, at("2026-03-04T11:00:00Z"), "ob-1", ""))
	check(pn.Transition(referral.StatusInProgress, at("2026-03-10T09:00:00Z"), "ob-1", "first_prenatal_visit"))

	// 2. Delivery on 20 July; the infant is identified with neonatal withdrawal on 22 July.
	identified := at("2026-07-22T10:00:00Z")
	plan := perinatal.PlanOfSafeCare{InfantID: "I1", CreatedAt: at("2026-07-24T12:00:00Z"),
		Needs: []perinatal.Need{
			{For: perinatal.RecipientInfant, Domain: perinatal.NeedDevelopmental, Services: []string{"ei"}},
			{For: perinatal.RecipientInfant, Domain: perinatal.NeedHealth, Services: []string{"ped"}},
		},
		Services: []perinatal.Service{
			{ID: "ei", For: perinatal.RecipientInfant, Domain: perinatal.NeedDevelopmental, Party: "ei-1", Referral: true},
			{ID: "ped", For: perinatal.RecipientInfant, Domain: perinatal.NeedHealth, Party: "ped-1", Referral: true},
		},
		Parties: []perinatal.Party{{ID: "prog-1", Role: perinatal.RoleCoordinator},
			{ID: "ei-1", Role: perinatal.RoleEarlyIntervention}, {ID: "ped-1", Role: perinatal.RoleHealthCareProvider}},
		Monitoring: perinatal.Monitoring{Party: "prog-1", IntervalDays: 14}}

	// The infant's referrals carry the infant's own findings only, and say so.
	infantDraft := func(id, partner string, kind referral.PartnerKind) referral.Draft {
		return referral.Draft{ID: id, Patient: "I1", Subject: referral.SubjectInfant, Program: "prog-1",
			Partner: partner, PartnerKind: kind, SUD: referral.SUDNone}
	}
	ei, err := referral.New(infantDraft("R-EI-1", "ei-1", referral.PartnerEarlyIntervention), at("2026-07-24T12:30:00Z"), "staff-7")
	check(err)
	check(ei.AddDue(referral.DueEarlyIntervention(identified, "I1"), at("2026-07-24T12:30:00Z"), "staff-7"))
	eiPlan, err := referral.DuePlanOfSafeCare(plan, "ei")
	check(err)
	check(ei.AddDue(eiPlan, at("2026-07-24T12:30:00Z"), "staff-7"))
	check(ei.Send(at("2026-07-27T09:00:00Z"), "staff-7"))
	check(ei.Transition(referral.StatusReceived, at("2026-07-28T15:00:00Z"), "ei-1", ""))
	check(ei.Transition(referral.StatusAccepted, at("2026-07-30T10:00:00Z"), "ei-1", ""))

	ped, err := referral.New(infantDraft("R-PED-1", "ped-1", referral.PartnerPediatricCare), at("2026-07-24T12:40:00Z"), "staff-7")
	check(err)
	pedPlan, err := referral.DuePlanOfSafeCare(plan, "ped")
	check(err)
	check(ped.AddDue(pedPlan, at("2026-07-24T12:40:00Z"), "staff-7"))

	refs := []*referral.Referral{pn, ei, ped}

	// 3. The timeline.
	type line struct {
		at  time.Time
		seq int
		ref string
		txt string
	}
	var lines []line
	for i, r := range refs {
		for _, e := range r.Events() {
			txt := e.Kind.String()
			switch e.Kind {
			case referral.EventCreated:
				txt = "drafted for " + e.Draft.Subject.String() + " " + e.Draft.Patient + " to " + e.Draft.Partner + " (" + e.Draft.PartnerKind.String() + "), SUD " + e.Draft.SUD.String()
			case referral.EventTransitioned:
				txt = e.From.String() + " -> " + e.To.String()
			case referral.EventConsentRecorded:
				txt = fmt.Sprintf("consent decision recorded: permit=%v basis=%s", e.Consent.Permit, e.Consent.Basis)
			case referral.EventDueAdded:
				txt = fmt.Sprintf("due by rule %s: %s by %s (%s)", e.Due.Rule, e.Due.Milestone, e.Due.At.Format("2006-01-02 15:04"), e.Due.Cite)
			}
			if e.Reason != "" {
				txt += " [" + e.Reason + "]"
			}
			lines = append(lines, line{e.At, i*100 + e.Seq, r.ID(), txt + " by " + e.Actor})
		}
	}
	slices.SortStableFunc(lines, func(a, b line) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return a.seq - b.seq
	})
	fmt.Println("Timeline (UTC)")
	for _, l := range lines {
		fmt.Printf("  %s  %-8s %s\n", l.at.Format("2006-01-02 15:04"), l.ref, l.txt)
	}
	fmt.Println("Obligations travelling with R-PN-1:")
	for _, o := range pn.Obligations() {
		fmt.Printf("  %s (%s)\n", o.Code, o.Cite)
	}

	// 4. What is due and what is overdue on 10 August.
	now := at("2026-08-10T09:00:00Z")
	fmt.Println("Deadlines on", now.Format("2006-01-02 15:04"))
	for _, r := range refs {
		p, _ := dir.Lookup(r.Partner())
		for _, d := range r.Deadlines(&p, now) {
			fmt.Printf("  %-8s %-18s %-12s due %s  %s\n", d.Referral, d.Rule, d.Milestone, d.Due.Format("2006-01-02 15:04"), d.State)
		}
	}
	review := referral.ReviewAt(refs, dir, now, referral.ReviewOptions{StallAfter: 14 * 24 * time.Hour})
	fmt.Println("Overdue:")
	for _, d := range review.Overdue {
		fmt.Printf("  %s: %s %s was due %s\n", d.Referral, d.Rule, d.Milestone, d.Due.Format("2006-01-02 15:04"))
	}
	fmt.Println("Stalled (no event for over 14 days):")
	for _, s := range review.Stalled {
		fmt.Printf("  %s: %s since %s (%.0f days)\n", s.Referral, s.Status, s.Since.Format("2006-01-02"), s.Idle.Hours()/24)
	}
	fmt.Println("Closed-loop measures:")
	for _, m := range referral.Measure(refs, dir, referral.MeasureOptions{At: now, ByKind: true}) {
		median := "—" // nothing accepted yet: no time to acceptance to take the median of
		if m.Accepted > 0 {
			median = m.MedianToAcceptance.String()
		}
		fmt.Printf("  %-18s sent %d accepted %d completed %d overdue %d median to acceptance %s\n",
			m.Kind, m.Sent, m.Accepted, m.Completed, m.Overdue, median)
	}
}
