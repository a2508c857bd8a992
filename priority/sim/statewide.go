package sim

import "fmt"

// Statewide returns a built-in scenario of a mid-sized State's residential treatment system
// for substance use disorders, calibrated to published national figures, for studies and for
// the examples/waitlist command. Every number below is either taken from a cited source or
// marked as an assumption; change any of them and keep the scenario as a JSON file
// (examples/waitlist -print-scenario writes it).
//
// Capacity. 1,500 residential beds in 50 programs, about 1.35% of the 110,795 residential
// (non-hospital) beds designated for substance abuse treatment nationally (N-SSATS 2009,
// SAMHSA, "Residential substance abuse treatment programs are operating at 89 percent of
// capacity"); the State's share is an assumption. Ten 12-bed programs are for pregnant women
// and women with dependent children (45 CFR 96.124(e); sizes an assumption: small programs,
// many under Medicaid's 16-bed IMD limit); 20 are long-term and 20 short-term residential
// programs of 24 to 48 beds (690 beds each; the split an assumption).
//
// Lengths of stay, lognormal fitted to the published median and mean (two numbers fix a
// lognormal: σ² = 2 ln(mean/median)), from TEDS-D 2004 (discharges, SAMHSA): long-term
// residential median 46 and mean 74 days (Table 6.2), so sd 95; for women median 44 and
// mean 74 (same table), so sd 100, used for the women's programs; short-term residential
// median 20 and mean 26 days (Table 5.11), so sd 21.6.
//
// Who seeks treatment, as shares of the people arriving:
//   - pregnant women: 1.14%. Pregnant women were 4.4–4.8% of female admissions aged 15–44 in
//     TEDS 2000–2010 (The TEDS Report, "Trends in substances of abuse among pregnant women and
//     women of childbearing age in treatment", SAMHSA 2013; 4.6% used); women were 35.5% of
//     admissions and about 70% of admissions were aged 15–44 (TEDS-A 2017): 0.355 × 0.70 ×
//     0.046 = 1.14%. A quarter of them inject drugs (an assumption). They seek treatment
//     between 6 weeks of gestation and term (uniform; an assumption).
//   - people who inject drugs: 14.3% in all (TEDS 2009: 14.3% of admissions reported
//     injection; The TEDS Report, "Injection drug abuse admissions to substance abuse
//     treatment: 1992 and 2009", SAMHSA 2011), the pregnant ones included.
//   - postpartum women (delivered up to 11 months before; uniform) and other women with
//     dependent children seeking a women's program: 1.5% each (assumptions, set so that the
//     women's programs are about as full as the others).
//   - everyone else: the rest, 81.3%.
//
// Pregnant women, postpartum women and women with dependent children apply to the women's
// programs, everyone else to the long- and short-term programs. Each person applies to one
// program and waits for it ("apply": "one"), as where each program keeps its own waitlist:
// pooled into one statewide waitlist, 1,500 beds at this occupancy would leave almost no one
// waiting.
//
// The total rate, 35 people a day (about 12,800 a year), is calibrated so that the beds are
// 89% occupied over the counted period (88.7% [88.5, 88.8] over 20 replications), the
// utilization of residential beds in N-SSATS 2009 (89%); Model.Load is 0.94. The waits this
// gives are shorter than the waits reported: a mean of about a day (1.15), 5% not admitted
// within 14 days, where about 30% of clients waited more than a month in 57 urban programs
// (Andrews et al., AHRQ Research Activities, January 2014). Real programs serve narrower
// populations and admit in bursts; a study about waits rather than occupancy should raise
// the load (arrivals 6% higher give about 92% occupancy and waits half as long again).
//
// People give up waiting after an exponential time of mean 30 days (an assumption; about
// 4% give up here, against 32% who did not enrol after an assessment at one provider with a
// mean wait of 12.5 days: Loveland and Driscoll, Substance Abuse Treatment, Prevention, and
// Policy 9:41, 2014). Interim services come after a lognormal delay of mean 1.5 days, sd 1.2
// (an assumption). Ten years, with a two-year warm-up (the system starts empty; Welch's plot
// in WriteSVG shows the waitlist level off after about 400 days, the long stays filling the
// beds), 20 replications, seed 2026.
func Statewide() Scenario {
	const total = 35.0 // people a day
	s := Scenario{
		Name:         "statewide",
		Description:  "A mid-sized State's residential system: 50 programs (10 for pregnant women and women with dependent children), 1,500 beds, 35 people a day seeking treatment, calibrated to N-SSATS 2009 and TEDS (see priority/sim.Statewide)",
		HorizonDays:  3650,
		WarmupDays:   730,
		Replications: 20,
		Seed:         2026,
		Policy:       FederalPolicy(),
		Dropout:      &Dist{Name: DistExponential, MeanDays: 30},
		InterimDelay: &Dist{Name: DistLognormal, MeanDays: 1.5, SDDays: 1.2},
	}
	var womens, general []string
	sizes := []int{24, 30, 36, 48}
	for i := range 10 {
		id := fmt.Sprintf("women-%02d", i+1)
		womens = append(womens, id)
		s.Programs = append(s.Programs, Program{ID: id, Beds: 12,
			LengthOfStay: Dist{Name: DistLognormal, MeanDays: 74, SDDays: 100}})
	}
	for i := range 20 {
		id := fmt.Sprintf("long-term-%02d", i+1)
		general = append(general, id)
		s.Programs = append(s.Programs, Program{ID: id, Beds: sizes[i%len(sizes)],
			LengthOfStay: Dist{Name: DistLognormal, MeanDays: 74, SDDays: 95}})
	}
	for i := range 20 {
		id := fmt.Sprintf("short-term-%02d", i+1)
		general = append(general, id)
		s.Programs = append(s.Programs, Program{ID: id, Beds: sizes[i%len(sizes)],
			LengthOfStay: Dist{Name: DistLognormal, MeanDays: 26, SDDays: 21.6}})
	}
	pregnancy := &Dist{Name: DistUniform, MinDays: 42, MaxDays: 280}
	const pregnant = 0.0114
	s.Arrivals = []ArrivalStream{
		{Group: "pregnant_injecting", RatePerDay: total * pregnant * 0.25,
			Applicant: Facts{Pregnant: true, InjectsDrugs: true, Woman: true}, GestationalAgeDays: pregnancy, Programs: womens, Apply: "one"},
		{Group: "pregnant", RatePerDay: total * pregnant * 0.75,
			Applicant: Facts{Pregnant: true, Woman: true}, GestationalAgeDays: pregnancy, Programs: womens, Apply: "one"},
		{Group: "postpartum", RatePerDay: total * 0.015,
			Applicant:        Facts{Woman: true, DependentChildren: true},
			DeliveredDaysAgo: &Dist{Name: DistUniform, MinDays: 0, MaxDays: 330}, Programs: womens, Apply: "one"},
		{Group: "women_with_children", RatePerDay: total * 0.015,
			Applicant: Facts{Woman: true, DependentChildren: true}, Programs: womens, Apply: "one"},
		{Group: "injecting", RatePerDay: total * (0.143 - pregnant*0.25),
			Applicant: Facts{InjectsDrugs: true}, Programs: general, Apply: "one"},
		{Group: "other", RatePerDay: total * (1 - pregnant - 0.015 - 0.015 - (0.143 - pregnant*0.25)),
			Programs: general, Apply: "one"},
	}
	return s
}
