// Package dyad is an embeddable library of types and rules for perinatal substance use
// treatment: pregnant and postpartum women with substance use disorders, their infants and
// families. The mother–infant dyad is the unit of care, hence the name.
//
// # Start here
//
// Pick your package by what you build ("Who uses which package" below), then read
// its "Start here": priority (Compile, NewWaitlist, Waitlist.Next and Overdue), consent
// (Compile, Engine.Decide, Decision), consent/fhir (Decode or Read, Labels), priority/sim
// (Statewide, Run, Compare). The README's "Your first program" has a complete program for each
// user, the body of a tested Example (priority's Example_waitlist, consent/fhir's
// Example_vendor, priority/sim's Example_researcher), under examples/quickstart.
//
// The root package holds only this overview; the work is done in its sub-packages:
//
//   - [github.com/dyad-health/dyad/perinatal]: pregnancy dating, reproductive status,
//     substances, infants with neonatal withdrawal, the CAPTA affected-infant determination,
//     Plans of Safe Care and Safe Infant Sleep, with their codes.
//   - [github.com/dyad-health/dyad/priority]: who is admitted first (45 CFR 96.131), what a
//     person waiting for a bed is owed and by when (45 CFR 96.121, 96.126, 96.131), and a
//     waitlist that keeps every event.
//   - [github.com/dyad-health/dyad/priority/sim]: a discrete-event simulation of waitlist
//     policies for researchers, running the very policies the EHRs run.
//   - [github.com/dyad-health/dyad/consent]: 42 CFR Part 2 consent, exceptions, Qualified
//     Service Organization agreements and a decision engine for disclosures.
//   - [github.com/dyad-health/dyad/consent/fhir]: FHIR R4 Consent in and out, purpose-of-use
//     codes and security labels.
//   - [github.com/dyad-health/dyad/referral]: referrals to community partners, tracked until
//     the loop closes.
//
// # Who uses which package
//
// An EHR or capacity-management developer imports priority, perinatal and referral: classify
// each request, keep a waitlist, and be told every deadline (48-hour interim services,
// 14- or 120-day admission, 7-day capacity notice) before it is missed. A data-sharing vendor
// imports consent (and consent/fhir) and asks "may X disclose this to Y for purpose P now?".
// A researcher imports priority/sim and compares waitlist policies over years.
//
// # One short example of each use
//
// A capacity-management system classifies a request and is told what is owed, by when:
//
//	federal, err := priority.Compile(priority.Federal())
//	// handle err: a State policy loaded from JSON lists every problem at once
//	w := priority.Applicant{ID: "W2", SoughtAt: sought, Pregnant: true, InjectsDrugs: true}
//	fmt.Println(federal.Classify(w, now))   // 1 pregnant_injecting (pregnant+injects_drugs)
//	fmt.Println(federal.InterimDue(w))      // sought + 48 h (45 CFR 96.131(d))
//	obs, err := federal.Obligations(w, progress, program, now) // kind, due, status, citations
//
// A data-sharing vendor asks whether a disclosure is allowed:
//
//	engine, err := consent.Compile(consents, qsoAgreements) // once; immutable, concurrent
//	mrn := func(v string) consent.Identifier { return consent.Identifier{System: "urn:example:mrn", Value: v} }
//	d := engine.Decide(consent.Request{Patient: mrn("W2"), Discloser: consent.Identifier{Value: "prog-1"},
//		Recipient: consent.Party{ID: consent.Identifier{Value: "ob-clinic"}, Kind: consent.RecipientKindCoveredEntity},
//		Purpose:   consent.PurposeTreatment, Information: []consent.InfoKind{consent.InfoKindSUDRecords},
//		At:        now})
//	// d.Permit, d.Basis (consent "c1"), d.Until(), d.Reasons(), d.Obligations() (notice_2_32, record_disclosure)
//
// A researcher compares policies over years:
//
//	s, err := sim.DecodeScenario(scenarioJSON) // every problem listed at once
//	res, err := sim.Run(ctx, s, sim.Options{})  // same seed, same results, on any number of CPUs
//	// res.Groups: arrivals, admitted, dropped out, waits with 95% confidence intervals
//
// The package example (example_test.go) runs the first two in full; each package has its own
// examples, and examples/ holds one runnable program per user: examples/waitlist (the main
// one), examples/admission, examples/consent-check, examples/referral and examples/perinatal.
//
// # Rules the library keeps
//
//   - Pure: no I/O, no global mutable state, no clock read inside a rule. Every rule takes
//     the time it judges at; randomness comes only from a seed the caller gives.
//   - Explained: every decision is a value carrying its outcome, its basis and its reasons,
//     each with a stable machine code, a citation (such as "45 CFR 96.131(d)" or
//     "42 CFR 2.31(a)(4)") and a plain sentence. Obligations are data.
//   - Fail closed: unknown or contradictory facts deny a disclosure and never silently drop
//     a person from a waitlist.
//   - No PHI in errors: errors, String methods and decision messages name identifiers and
//     codes, never a patient's name, birth date or free text.
//   - Safe to share: compiled policies and consent engines are immutable and safe for
//     concurrent use.
//
// # References
//
//   - 45 CFR part 96, subpart L: Substance Use Prevention, Treatment, and Recovery Services
//     Block Grant (96.121 interim services, 96.126 capacity and people who inject drugs,
//     96.131 treatment services for pregnant women).
//   - 42 CFR part 2, Confidentiality of Substance Use Disorder Patient Records, as amended
//     in 2024.
//   - Child Abuse Prevention and Treatment Act (CAPTA) as amended by the Comprehensive
//     Addiction and Recovery Act of 2016: Plans of Safe Care.
//   - 34 CFR part 303 (IDEA Part C): Early Intervention referral and timelines.
//   - American Academy of Pediatrics, Sleep-Related Infant Deaths: Updated 2022
//     Recommendations for Reducing Infant Deaths in the Sleep Environment.
package dyad
