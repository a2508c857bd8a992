package main

import (
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/perinatal"
	"github.com/dyad-health/dyad/program"
	"github.com/dyad-health/dyad/referral"
)

// sampleAt is the moment the sample program is reviewed, and sampleFrom the start of its
// review window: the first half of 2026, by quarter.
var (
	sampleAt   = date("2026-06-30T12:00:00Z")
	sampleFrom = date("2026-01-01T00:00:00Z")
)

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// agreement is a QSO agreement of prog-1 with org, for other professional services (a
// 42 CFR 2.11 category), with both undertakings, signed at signed.
func agreement(id, org, signed string) consent.QSOAgreement {
	return consent.QSOAgreement{ID: id, Program: consent.Identifier{Value: "prog-1"}, Organization: consent.Identifier{Value: org},
		Services: []consent.Service{consent.ServiceOtherProfessional}, Written: true,
		BoundByPart2: true, ResistJudicialAccess: true, SignedAt: date(signed)}
}

// sample builds a program of the kind a State contract monitor reviews: a partner
// directory with its QSO agreements, partnerships, outreach, referrals received and made,
// three staff members and five dyads admitted in the first half of 2026. Every fact that
// makes a gap is commented where it is set.
func sample() (program.Facts, program.Options, error) {
	obNoResist := agreement("q-ob-1", "ob-1", "2025-09-01T00:00:00Z")
	obNoResist.ResistJudicialAccess = false // gap: not a valid QSO agreement (42 CFR 2.11)
	ped := agreement("q-ped-1", "ped-1", "2025-01-15T00:00:00Z")
	ped.Expires = date("2026-07-15T00:00:00Z") // warning: expires within 30 days
	pf := agreement("q-pf-1", "pf-1", "2026-06-20T00:00:00Z")
	pf.Effective = date("2026-07-01T00:00:00Z") // gap: signed, not yet in force
	dir, err := referral.NewDirectory(
		referral.Partner{ID: "ob-1", Kind: referral.PartnerPrenatalCare, AckWindow: 72 * time.Hour},
		referral.Partner{ID: "ob-2", Kind: referral.PartnerPrenatalCare, AckWindow: 72 * time.Hour},
		referral.Partner{ID: "ped-1", Kind: referral.PartnerPediatricCare, AckWindow: 72 * time.Hour, Agreements: []consent.QSOAgreement{ped}},
		referral.Partner{ID: "ei-1", Kind: referral.PartnerEarlyIntervention, AckWindow: 48 * time.Hour,
			Agreements: []consent.QSOAgreement{agreement("q-ei-1", "ei-1", "2025-03-01T00:00:00Z")}},
		referral.Partner{ID: "hv-1", Kind: referral.PartnerHomeVisiting,
			Agreements: []consent.QSOAgreement{agreement("q-hv-1", "hv-1", "2025-03-01T00:00:00Z")}},
		referral.Partner{ID: "cc-1", Kind: referral.PartnerChildCare},
		referral.Partner{ID: "pf-1", Kind: referral.PartnerParentingFamilyServices},
		referral.Partner{ID: "frc-1", Kind: referral.PartnerFamilyResourceCenter},
		referral.Partner{ID: "dcf-1", Kind: referral.PartnerChildWelfare},
		referral.Partner{ID: "rsc-1", Kind: referral.PartnerRecoverySupportCenter},
	)
	if err != nil {
		return program.Facts{}, program.Options{}, err
	}
	g := program.MassachusettsBSAS()
	trained := func(at string, skip ...string) []program.StaffRecord {
		var out []program.StaffRecord
	next:
		for _, c := range g.Competencies {
			for _, s := range skip {
				if s == c.Code {
					continue next
				}
			}
			out = append(out, program.StaffRecord{Competency: c.Code, Mode: program.ModeTraining, At: date(at)})
		}
		return out
	}
	s3 := append(trained("2025-09-01T00:00:00Z", "motivational_interviewing"),
		// warning: Motivational Interviewing due again 10 July 2026
		program.StaffRecord{Competency: "motivational_interviewing", Mode: program.ModeTraining, At: date("2025-07-10T00:00:00Z")},
		// gap: supervision on perceptions and values due 90 days later, 18 June
		program.StaffRecord{Competency: "perceptions_values", Mode: program.ModeSupervision, At: date("2026-03-20T00:00:00Z")})

	preg := func(lmp, delivered string) *perinatal.Pregnancy {
		p := perinatal.PregnancyFromLMP(date(lmp))
		if delivered != "" {
			p.DeliveredAt = date(delivered)
		}
		return &p
	}
	bup := func(start, end string) program.MOUDEpisode {
		e := program.MOUDEpisode{Medication: perinatal.MOUDBuprenorphine, Start: date(start)}
		if end != "" {
			e.End = date(end)
		}
		return e
	}
	attended := func(ts ...string) []program.Session {
		out := make([]program.Session, len(ts))
		for i, t := range ts {
			out[i] = program.Session{At: date(t), Attended: true}
		}
		return out
	}
	f := program.Facts{
		Program:    "prog-1",
		Directory:  dir,
		Agreements: []consent.QSOAgreement{obNoResist, pf}, // the directory refuses these; the review reports them
		Partnerships: []program.Partnership{
			// gap: no joint activity with DCF in the last 365 days
			{ID: "ps-dcf", Partner: "dcf-1", Start: date("2024-01-01T00:00:00Z"), Activities: []time.Time{date("2025-05-30T00:00:00Z")}},
			{ID: "ps-rsc", Partner: "rsc-1", Start: date("2025-02-01T00:00:00Z"), Activities: []time.Time{date("2026-06-02T00:00:00Z")}},
		},
		Outreach: []program.Outreach{
			{ID: "out-1", At: date("2026-02-10T15:00:00Z"), Setting: program.SourcePrenatalCare, Partner: "ob-1"},
			// warning: the next outreach to prenatal care falls due 21 July 2026
			{ID: "out-2", At: date("2026-04-22T15:00:00Z"), Setting: program.SourcePrenatalCare, Partner: "ob-2"},
			{ID: "out-3", At: date("2026-05-15T15:00:00Z"), Setting: program.SourceHospital},
		},
		Received: []program.Received{
			{ID: "in-1", At: date("2026-01-05T14:00:00Z"), Source: program.SourcePrenatalCare, Partner: "ob-1", Pregnant: true},
			{ID: "in-2", At: date("2026-01-28T14:00:00Z"), Source: program.SourceSelf},
			{ID: "in-3", At: date("2026-02-20T14:00:00Z"), Source: program.SourcePrenatalCare, Partner: "ob-1", Pregnant: true},
			{ID: "in-4", At: date("2026-03-09T14:00:00Z"), Source: program.SourcePrenatalCare, Partner: "ob-2"},
			{ID: "in-5", At: date("2026-04-01T14:00:00Z"), Source: program.SourceChildWelfare, Partner: "dcf-1", Pregnant: true},
			{ID: "in-6", At: date("2026-05-02T14:00:00Z"), Source: program.SourceEmergencyDepartment},
			{ID: "in-7", At: date("2026-05-30T14:00:00Z"), Source: program.SourcePrenatalCare, Partner: "ob-2", Pregnant: true},
			{ID: "in-8", At: date("2026-06-08T14:00:00Z"), Source: program.SourcePrenatalCare, Partner: "ob-1", Pregnant: true},
		},
		Staff: []program.Staff{
			{ID: "s-1", Start: date("2022-01-10T00:00:00Z"), Records: append(trained("2025-11-03T00:00:00Z"),
				program.StaffRecord{Competency: "perceptions_values", Mode: program.ModeSupervision, At: date("2026-06-01T00:00:00Z")})},
			// gaps: hired 2 March 2026, trained on all but two competencies and never
			// supervised; the rest was due 90 days after hire, 31 May
			{ID: "s-2", Start: date("2026-03-02T00:00:00Z"), Records: trained("2026-04-15T00:00:00Z", "neonatal_abstinence", "ipv_exploitation_safety")},
			{ID: "s-3", Start: date("2020-05-01T00:00:00Z"), Records: s3},
		},
		Dyads: []program.Dyad{
			// Visit 7 days 9 hours after intake; buprenorphine from day 2; three sessions in
			// two weeks; family resource center referral completed.
			{ID: "d-1", Mother: "W-1", Family: []string{"I-1"}, IntakeAt: date("2026-01-12T15:00:00Z"),
				Pregnancy: preg("2025-11-17T00:00:00Z", ""), FirstPrenatalVisit: date("2026-01-20T00:00:00Z"), OUD: true,
				MOUD:       []program.MOUDEpisode{bup("2026-01-14T10:00:00Z", "")},
				Counseling: attended("2026-01-13T15:00:00Z", "2026-01-20T15:00:00Z", "2026-01-27T15:00:00Z")},
			// No prenatal visit before delivery on 1 June; methadone at intake, stopped 10
			// March, resumed 25 March (a 15-day gap); first session 17 days after intake;
			// the infant's home visiting referral rejected.
			{ID: "d-2", Mother: "W-2", Family: []string{"I-2"}, IntakeAt: date("2026-02-03T14:00:00Z"),
				Pregnancy: preg("2025-09-01T00:00:00Z", "2026-06-01T08:00:00Z"), OUD: true,
				MOUD: []program.MOUDEpisode{
					{Medication: perinatal.MOUDMethadone, Start: date("2025-12-01T00:00:00Z"), End: date("2026-03-10T00:00:00Z")},
					{Medication: perinatal.MOUDMethadone, Start: date("2026-03-25T00:00:00Z")}},
				Counseling: attended("2026-02-20T14:00:00Z")},
			// Postpartum at intake with an infant born 20 March; OUD without MOUD; two
			// sessions a week apart; child care referral accepted, not yet completed.
			{ID: "d-3", Mother: "W-3", Family: []string{"I-3"}, IntakeAt: date("2026-04-06T10:00:00Z"), OUD: true,
				InfantBornAt: date("2026-03-20T06:00:00Z"),
				Counseling:   attended("2026-04-07T10:00:00Z", "2026-04-14T10:00:00Z")},
			// Admitted 20 days before the review: visit after 6 days, three sessions, no
			// support referral yet (within the 30 days).
			{ID: "d-4", Mother: "W-4", IntakeAt: date("2026-06-10T10:00:00Z"),
				Pregnancy: preg("2026-04-20T00:00:00Z", ""), FirstPrenatalVisit: date("2026-06-16T10:00:00Z"),
				Counseling: attended("2026-06-11T10:00:00Z", "2026-06-18T10:00:00Z", "2026-06-25T10:00:00Z")},
			// Admitted at 14w0d; first prenatal visit 56 days later; buprenorphine from day
			// 4; parenting referral completed.
			{ID: "d-5", Mother: "W-5", Family: []string{"I-5"}, IntakeAt: date("2026-03-16T10:00:00Z"),
				Pregnancy: preg("2025-12-08T00:00:00Z", ""), FirstPrenatalVisit: date("2026-05-11T10:00:00Z"), OUD: true,
				MOUD:       []program.MOUDEpisode{bup("2026-03-20T10:00:00Z", "")},
				Counseling: attended("2026-03-17T10:00:00Z", "2026-03-24T10:00:00Z", "2026-03-31T10:00:00Z")},
		},
	}
	// Safe Infant Sleep: d-3's home, checked on 9 April, had the infant sharing a bed in a
	// smoking household; checked again on 20 May, every AAP item is met. d-2's infant,
	// born 1 June, has no checklist: gap, it was due 7 days later.
	met := perinatal.SleepChecklist{BackToSleep: perinatal.AnswerMet, FirmFlatSurface: perinatal.AnswerMet,
		OwnSpaceInRoom: perinatal.AnswerMet, NoBedSharing: perinatal.AnswerMet, NoSoftObjects: perinatal.AnswerMet,
		NoOverheating: perinatal.AnswerMet, SmokeFree: perinatal.AnswerMet, NoAlcoholOrDrugs: perinatal.AnswerMet,
		PacifierOffered: perinatal.AnswerMet, TummyTime: perinatal.AnswerMet, BreastfeedingSupported: perinatal.AnswerMet}
	first := met
	first.NoBedSharing, first.SmokeFree = perinatal.AnswerUnmet, perinatal.AnswerUnmet
	f.SleepChecks = []program.SleepCheck{
		{ID: "sc-1", Dyad: "d-3", At: date("2026-04-09T15:00:00Z"), Checklist: first},
		{ID: "sc-2", Dyad: "d-3", At: date("2026-05-20T15:00:00Z"), Checklist: met},
	}
	refs := []struct {
		id, patient string
		subject     referral.Subject
		partner     string
		kind        referral.PartnerKind
		sent        string
		to          []referral.Status
		at          string
	}{
		{"r-1", "W-1", referral.SubjectWoman, "frc-1", referral.PartnerFamilyResourceCenter, "2026-01-15T10:00:00Z",
			[]referral.Status{referral.StatusAccepted, referral.StatusInProgress, referral.StatusCompleted}, "2026-02-02T10:00:00Z"},
		{"r-2", "I-2", referral.SubjectInfant, "hv-1", referral.PartnerHomeVisiting, "2026-06-05T10:00:00Z",
			[]referral.Status{referral.StatusRejected}, "2026-06-08T10:00:00Z"},
		{"r-3", "W-3", referral.SubjectWoman, "cc-1", referral.PartnerChildCare, "2026-04-10T10:00:00Z",
			[]referral.Status{referral.StatusAccepted}, "2026-04-13T10:00:00Z"},
		{"r-4", "W-5", referral.SubjectWoman, "pf-1", referral.PartnerParentingFamilyServices, "2026-03-18T10:00:00Z",
			[]referral.Status{referral.StatusAccepted, referral.StatusInProgress, referral.StatusCompleted}, "2026-04-15T10:00:00Z"},
		{"r-5", "I-5", referral.SubjectInfant, "ped-1", referral.PartnerPediatricCare, "2026-04-20T10:00:00Z",
			[]referral.Status{referral.StatusAccepted, referral.StatusInProgress, referral.StatusCompleted}, "2026-04-30T10:00:00Z"},
	}
	for _, r := range refs {
		ref, err := referral.New(referral.Draft{ID: r.id, Patient: r.patient, Subject: r.subject, Program: "prog-1",
			Partner: r.partner, PartnerKind: r.kind, SUD: referral.SUDNone}, date(r.sent), "s-1")
		if err != nil {
			return program.Facts{}, program.Options{}, err
		}
		if err := ref.Send(date(r.sent), "s-1"); err != nil {
			return program.Facts{}, program.Options{}, err
		}
		for _, s := range r.to {
			reason := ""
			if s == referral.StatusRejected {
				reason = "no_capacity"
			}
			if err := ref.Transition(s, date(r.at), r.partner, reason); err != nil {
				return program.Facts{}, program.Options{}, err
			}
		}
		f.Referrals = append(f.Referrals, ref)
	}
	return f, program.Options{At: sampleAt, From: sampleFrom, Period: referral.PeriodQuarter}, nil
}
