package program_test

import (
	"fmt"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/perinatal"
	"github.com/dyad-health/dyad/program"
	"github.com/dyad-health/dyad/referral"
)

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// A program reviewed against the Massachusetts guidance: its prenatal clinic's QSO
// agreement lacks the resist clause, it has no early childhood partner, and one staff
// member is new; its one dyad got prenatal care within a week of intake.
func Example() {
	agreement := func(id, org string) consent.QSOAgreement {
		return consent.QSOAgreement{ID: id, Program: consent.Identifier{Value: "prog-1"}, Organization: consent.Identifier{Value: org},
			Services: []consent.Service{consent.ServiceOtherProfessional}, Written: true,
			BoundByPart2: true, ResistJudicialAccess: true, SignedAt: date("2025-09-01T00:00:00Z")}
	}
	noResist := agreement("q-ob", "ob-1")
	noResist.ResistJudicialAccess = false
	dir, err := referral.NewDirectory(
		referral.Partner{ID: "ob-1", Kind: referral.PartnerPrenatalCare},
		referral.Partner{ID: "ped-1", Kind: referral.PartnerPediatricCare, Agreements: []consent.QSOAgreement{agreement("q-ped", "ped-1")}},
		referral.Partner{ID: "ei-1", Kind: referral.PartnerEarlyIntervention, Agreements: []consent.QSOAgreement{agreement("q-ei", "ei-1")}},
		referral.Partner{ID: "pf-1", Kind: referral.PartnerParentingFamilyServices, Agreements: []consent.QSOAgreement{agreement("q-pf", "pf-1")}},
		referral.Partner{ID: "dcf-1", Kind: referral.PartnerChildWelfare},
		referral.Partner{ID: "rsc-1", Kind: referral.PartnerRecoverySupportCenter},
	)
	if err != nil {
		panic(err)
	}
	lmp := perinatal.PregnancyFromLMP(date("2026-02-02T00:00:00Z"))
	facts := program.Facts{
		Program:    "prog-1",
		Directory:  dir,
		Agreements: []consent.QSOAgreement{noResist}, // the directory refuses an invalid agreement
		Partnerships: []program.Partnership{
			{ID: "ps-1", Partner: "dcf-1", Start: date("2025-01-01T00:00:00Z"), Activities: []time.Time{date("2026-05-12T00:00:00Z")}},
			{ID: "ps-2", Partner: "rsc-1", Start: date("2025-01-01T00:00:00Z"), Activities: []time.Time{date("2026-06-02T00:00:00Z")}},
		},
		Outreach: []program.Outreach{{ID: "o-1", At: date("2026-05-20T00:00:00Z"), Setting: program.SourcePrenatalCare}},
		Staff:    []program.Staff{{ID: "staff-9", Start: date("2026-03-01T00:00:00Z")}},
		Dyads: []program.Dyad{{ID: "d-1", Mother: "W-1", IntakeAt: date("2026-04-01T10:00:00Z"), Pregnancy: &lmp,
			FirstPrenatalVisit: date("2026-04-06T10:00:00Z")}},
	}
	rv, err := program.New(program.MassachusettsBSAS())
	if err != nil {
		panic(err)
	}
	rep, err := rv.Review(facts, program.Options{At: date("2026-06-30T12:00:00Z"), NoticeDays: -1})
	if err != nil {
		panic(err)
	}
	for _, g := range rep.Gaps[:3] {
		fmt.Println(g.Code, g.Item, g.Problems)
	}
	fmt.Println(len(rep.Gaps)-3, "more: the new staff member's trainings, due 90 days after 1 March")
	c := rep.CHARM[0]
	fmt.Printf("early prenatal care %d/%d, median %v from intake\n", c.Prenatal.Met, c.Prenatal.Denominator, c.MedianToPrenatal)
	// Output:
	// qsoa_invalid qsoa_prenatal_care [missing_resist_clause]
	// no_partner_of_kind qsoa_early_childhood []
	// training_overdue perceptions_values []
	// 10 more: the new staff member's trainings, due 90 days after 1 March
	// early prenatal care 1/1, median 120h0m0s from intake
}
