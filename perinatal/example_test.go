package perinatal_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/dyad-health/dyad/perinatal"
)

// Date a pregnancy from the last menstrual period, and follow it to delivery.
func Example_pregnancyDating() {
	p := perinatal.PregnancyFromLMP(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	edd, _ := p.DueDate()
	fmt.Println("EDD:", edd.Format("2006-01-02"))

	for _, at := range []string{"2026-04-08", "2026-04-09", "2026-07-16"} {
		t, _ := time.Parse(time.DateOnly, at)
		ga, _ := p.GestationalAgeAt(t)
		fmt.Println(at, ga, ga.Trimester())
	}

	p.DeliveredAt = time.Date(2026, 9, 16, 22, 40, 0, 0, time.UTC)
	ga, _ := p.GestationalAgeAtDelivery()
	term, _ := p.TermAtDelivery()
	fmt.Println("delivered at", ga, term)
	fmt.Println("a week later:", p.StatusAt(perinatal.DefaultPostpartumWindow(), p.DeliveredAt.AddDate(0, 0, 7)))
	_, err := p.GestationalAgeAt(p.DeliveredAt.AddDate(0, 0, 7))
	fmt.Println(errors.Is(err, perinatal.ErrDelivered))
	// Output:
	// EDD: 2026-10-08
	// 2026-04-08 13w6d first
	// 2026-04-09 14w0d second
	// 2026-07-16 28w0d third
	// delivered at 36w6d preterm
	// a week later: postpartum
	// true
}

// Determine whether an infant is affected under CAPTA, and what that obliges.
func ExampleDetermineAffected() {
	inf := perinatal.Infant{
		ID:                    "B-1001",
		BornAt:                time.Date(2026, 9, 16, 22, 40, 0, 0, time.UTC),
		GestationalAgeAtBirth: perinatal.GA(36, 6),
		PrenatalExposures:     []perinatal.Substance{perinatal.SubstanceOpioids},
		Withdrawal:            perinatal.FindingPresent,
		SubstanceAffected:     perinatal.FindingAbsent,
		FASD:                  perinatal.FindingAbsent,
	}
	d, err := perinatal.DetermineAffected(inf, perinatal.AffectedPolicy{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.InfantID, d.Outcome)
	for _, r := range d.Reasons {
		fmt.Println("because", r.Code, "-", r.Cite)
	}
	for _, o := range d.Obligations {
		fmt.Println("must", o.Kind, "-", o.Cite)
	}

	inf.Withdrawal = perinatal.FindingAbsent // exposure, but no signs
	d, _ = perinatal.DetermineAffected(inf, perinatal.AffectedPolicy{})
	fmt.Println(d.Outcome, d.Reasons[0].Code)
	// Output:
	// B-1001 affected
	// because withdrawal_from_prenatal_exposure - 42 U.S.C. 5106a(b)(2)(B)(ii)
	// must cps_notification - 42 U.S.C. 5106a(b)(2)(B)(ii)
	// must plan_of_safe_care - 42 U.S.C. 5106a(b)(2)(B)(iii)
	// not_affected exposure_without_signs
}

// Validate a Plan of Safe Care: every missing or inconsistent part is listed at once.
func ExamplePlanOfSafeCare_Validate() {
	plan := perinatal.PlanOfSafeCare{
		InfantID:  "B-1001",
		CreatedAt: time.Date(2026, 9, 18, 9, 0, 0, 0, time.UTC),
		Needs: []perinatal.Need{
			{For: perinatal.RecipientInfant, Domain: perinatal.NeedHealth, Services: []string{"peds"}},
			{For: perinatal.RecipientCaregiver, Domain: perinatal.NeedSubstanceUseTreatment, Services: []string{"otp"}},
		},
		Services: []perinatal.Service{
			{ID: "peds", For: perinatal.RecipientInfant, Domain: perinatal.NeedHealth, Party: "clinic"},
		},
		Parties: []perinatal.Party{{ID: "clinic", Role: perinatal.RoleHealthCareProvider}},
	}
	var ve *perinatal.ValidationError
	if err := plan.Validate(); errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Printf("%s %s (%s)\n", p.Code, p.Field, p.Cite)
		}
	}
	// Output:
	// unknown_service needs[1].services[0] (42 U.S.C. 5106a(b)(2)(B)(iii)(I))
	// no_caregiver_health_need needs (42 U.S.C. 5106a(b)(2)(B)(iii)(I))
	// no_coordinator parties (MA BSAS practice guidance: Plan of Safe Care coordinator)
	// no_monitoring_party monitoring.party (42 U.S.C. 5106a(b)(2)(B)(iii)(II))
	// no_monitoring_interval monitoring.interval_days (42 U.S.C. 5106a(b)(2)(B)(iii)(II))
}

// Assess a home against the AAP 2022 safe sleep checklist.
func ExampleAssessSleep() {
	met, unmet := perinatal.AnswerMet, perinatal.AnswerUnmet
	c := perinatal.SleepChecklist{
		BackToSleep: met, FirmFlatSurface: met, OwnSpaceInRoom: met,
		NoBedSharing: unmet, NoSoftObjects: unmet, NoOverheating: met,
		SmokeFree: met, NoAlcoholOrDrugs: met, PacifierOffered: met,
		TummyTime: met,
		// BreastfeedingSupported not asked yet
	}
	a := perinatal.AssessSleep(c)
	fmt.Println(a.Outcome)
	for _, f := range a.Unmet {
		fmt.Println("unmet:", f.Item, "-", f.Reason.Message)
	}
	for _, f := range a.Unknown {
		fmt.Println("unknown:", f.Item)
	}
	// Output:
	// does_not_meet
	// unmet: no_bed_sharing - The infant shares a bed.
	// unmet: no_soft_objects - Soft objects, bumpers or loose bedding are in the sleep space.
	// unknown: breastfeeding_supported
}

// Decode an infant sent by another system: every problem is listed with its code and path,
// and none quotes the input.
func ExampleDecodeOptions_DecodeInfant() {
	in := `{"id":"B1","born_at":"2026-09-17T08:00:00Z","gestational_age_at_birth":"37w0d",
		"prenatal_exposures":["opioids","Jane's note: heroin"],"withdrawal":"present","fasd":"absent",
		"substance_affected":"absent","Withdrawal":"absent"}`
	_, err := perinatal.DecodeOptions{MaxBytes: 16 << 10}.DecodeInfant([]byte(in))
	var ve *perinatal.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p.Code, p.Field)
		}
	}
	// Output:
	// unknown_code prenatal_exposures[1]
	// duplicate_key withdrawal
}
