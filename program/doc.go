// Package program reviews a perinatal substance use treatment program as a whole against a
// State's practice guidance: the partnerships and QSO agreements it holds, its outreach and
// where its referrals come from, the Safe Infant Sleep checklists of its infants' sleep
// environments, its staff's training and supervision, and the four CHARM targets over the
// mother-infant dyads it serves. Where the other packages judge one admission, one
// disclosure or one referral, this one judges the program.
//
// # Start here
//
// Three names do the common job: New (a Guidance, such as MassachusettsBSAS(), into a
// *Reviewer), Facts (what the program holds: partners, agreements, outreach, staff, dyads) and
// Reviewer.Review, which returns a Report of gaps, warnings and measures:
//
//	rv, err := program.New(program.MassachusettsBSAS()) // or DecodeGuidance(a State's JSON)
//	rep, err := rv.Review(facts, program.Options{At: now})
//	for _, g := range rep.Gaps { /* code, guidance item, citations, a plain sentence */ }
//	for _, c := range rep.CHARM { /* the four CHARM measures by period of intake */ }
//
// Example runs this in full; DecodeFacts reads the facts as JSON. The rest of this page is
// reference.
//
// # Where it sits
//
// The package imports referral (the partner directory, outgoing referrals and their
// closed-loop measures), consent (QSO agreement validation, 42 CFR 2.11) and perinatal
// (pregnancy dating and outcomes, medications for opioid use disorder, the AAP 2022 safe
// sleep assessment); none of them imports it, so a vendor taking consent alone, or an EHR
// taking referral, compiles none of this. It is a
// package of its own, not a part of referral, because most of what it judges (staff,
// outreach, cohorts of dyads) is not about referrals, and because a program review is read
// by a program manager or a State contract monitor, not by the systems that move referrals.
//
// # Guidance as data
//
// A Guidance is a value: the partner kinds that need a QSO agreement, the partnerships to
// keep active, the outreach to do and how often, the Safe Infant Sleep item, the staff
// competencies and their refresh intervals, and the CHARM thresholds. MassachusettsBSAS returns the Massachusetts BSAS
// practice guidance for services to pregnant women and families (GuidanceEdition); a State
// supplies its own as another value or as JSON (DecodeGuidance). New checks and prepares a
// Guidance into a Reviewer, immutable and safe for concurrent use; Reviewer.Review judges
// the Facts of one program at a moment (Options.At: no rule reads a clock) and returns a
// Report.
//
// # Gaps and warnings
//
// Every unmet guidance item is a gap (Finding): a stable code, the item's code, the
// identifier of the staff member it is about (if any), the citations and a plain sentence.
//
//   - QSO agreements (CiteOrgQSOA, 42 CFR 2.11, 2.12(c)(4)). A requirement is met by a
//     partner of one of its kinds in the directory holding an agreement that names the
//     program, that the consent package finds valid (consent.QSOAgreement.Valid: no
//     error-level problem), that lists at least one service category of 42 CFR 2.11 (an
//     agreement listing none authorises no QSO disclosure, so it cannot meet the item), and
//     that is in force at the moment (consent.QSOAgreement.InForceAt). A gap says how far
//     the best partner got: no_partner_of_kind, qsoa_none, qsoa_invalid (with consent's
//     problem codes), qsoa_no_qso_service, qsoa_not_in_force; "other_program" among its
//     problems says that agreements naming another program were ignored.
//   - Partnerships (CiteOrgChildWelfare, CiteOrgRecovery). Met by a Partnership with a
//     partner of one of the kinds, in force at the moment and, when the requirement sets
//     ActiveWithinDays, with a documented joint activity within that many days. Gaps:
//     no_partner_of_kind, partnership_none, partnership_not_in_force, partnership_inactive.
//   - Outreach (CiteOrgOutreach). Met by an outreach activity to one of the settings within
//     EveryDays up to the moment. Gap: outreach_none.
//   - Safe Infant Sleep (CiteOrgSafeSleep, perinatal.CiteSafeSleep). Guidance.SafeSleep
//     asks that every infant under one year in the program's care have a
//     sleep-environment checklist (Facts.SleepChecks: perinatal.SleepChecklist, the AAP
//     2022 recommendations item by item) within WithinDays of joining the program's care,
//     and that the latest checklist, completed from intake to the moment, meet every item
//     (perinatal.AssessSleep). A dyad has an infant in care while it is in care and the
//     infant is under one: from the birth, for a dyad pregnant at intake whose pregnancy
//     ended in a live birth or an end whose outcome is not recorded; from intake, for a
//     dyad that came postpartum or parenting (Dyad.InfantBornAt, when given, says whether
//     the infant is still under one; when not given, the infant is taken to be: fail
//     closed). Gaps, each with the dyad's identifier as subject: safe_sleep_none (no
//     checklist past its due time), safe_sleep_unmet (the latest checklist finds items
//     unmet; Problems: perinatal's reason codes), safe_sleep_incomplete (items left
//     unknown: unknown is never met); warning: safe_sleep_due. Report.SafeSleep lists
//     each such dyad with its latest checklist.
//   - Staff development (CiteStaff). Every staff member employed at the moment, for every
//     competency and every mode (training, supervision) it asks for: due EveryDays after the
//     latest record, or NewStaffGraceDays after the start of employment if never recorded;
//     overdue once the moment is past the due time. Gaps: training_overdue,
//     supervision_overdue, with the staff member's identifier as subject.
//
// Warnings (Options.NoticeDays, default 30) flag what is met now but falls due within the
// window: qsoa_expiring, partnership_ending, outreach_due, safe_sleep_due, training_due,
// supervision_due; and record_competency_unknown for a record naming a competency the
// guidance does not define (it counts for none, so a misspelt code shows rather than
// silently failing).
//
// Fail closed: invalid facts are refused whole (a *ValidationError listing every problem),
// never reviewed in part; unknown codes satisfy nothing; a record dated after the moment
// counts for nothing.
//
// # Outreach and referral sources
//
// Sources counts the referrals the program received (Received) at or before the moment,
// and at or after Options.From if set, by source kind and by period of receipt (calendar
// month, quarter or year in Options.Location), prenatal care settings first, with the
// number of pregnant women among them; every period has a prenatal care row, zero if none
// came from there. Beside it, the report carries referral.Measure of the referrals the
// program made (drafted at or after From), by partner kind and period of sending: the
// outgoing closed-loop measures of the referral package.
//
// # CHARM measures
//
// CHARM (CiteCHARM) sets four targets for each mother-infant dyad: early prenatal care,
// medication to reduce cravings and withdrawal, engagement in SUD counseling, and social
// support and basic-needs referrals for the family. CHARM names the targets but no
// thresholds; each threshold below is a field of CHARM, with a default taken from a
// published measure (cited) or, where none fits, labelled as this package's own
// (CiteProgramDefault). Days are 24-hour spans of elapsed time; windows include both ends.
//
// The cohort of a period is the dyads whose intake (Dyad.IntakeAt) falls in the period
// (and at or after Options.From, at or before Options.At). Each measure is judged per dyad
// at Options.At as met, unmet, pending (not met yet, and its window still open) or not
// applicable; over a cohort, a Rate counts met out of the denominator (met plus unmet),
// with pending dyads counted apart, in neither.
//
//  1. Early prenatal care (CHARM target 1; adapted from CiteHEDISPPC with intake in place
//     of enrollment). Denominator: dyads pregnant at intake (Dyad.Pregnancy set, not
//     delivered at intake), less those whose pregnancy is known at the moment to have
//     ended in a stillbirth or another loss (perinatal.Pregnancy.Outcome): HEDIS PPC
//     counts deliveries of live births, so a pregnancy lost before any visit could come is
//     not counted against the program, and neither is one lost after a visit. An end whose
//     outcome is not recorded is counted as a birth. Numerator: those whose first prenatal visit, known at the
//     moment and before delivery, came within PrenatalWithinDays (default 42) after intake
//     (a visit before intake counts: she was already in care) or during the first
//     trimester (perinatal dating: below 14w0d). Pending: no visit yet, not delivered, and
//     either the window or the first trimester still open. Also reported: the median time
//     from intake to the first visit (zero when the visit came first) over dyads with one.
//  2. Medication for OUD (CHARM target 2). Denominator: dyads with an OUD diagnosis
//     (Dyad.OUD). The start of treatment counted is the intake if an MOUD episode covers it,
//     else the first episode start after intake. Started: that start is no later than
//     MOUDStartWithinDays (default 14, CiteHEDISIET initiation) after intake; pending while
//     no episode has started and the window is open. Continued (denominator: dyads with a
//     start at or before the moment, however late; CiteNQF3175 counts those with
//     pharmacotherapy): episodes chained from the start, a gap of at most MOUDMaxGapDays
//     (default 7) between one episode's end and the next one's start bridged, cover at
//     least MOUDContinueDays (default 180, CiteNQF3175) of elapsed time from the start
//     (coverage before intake does not count); pending while the chain reaches the moment
//     or its end is within the gap allowance of it; unmet once a longer gap broke it.
//     An episode ending after the moment, or without an end, is covered up to the moment.
//  3. Engagement in SUD counseling (CHARM target 3; CiteHEDISIET). Denominator: every dyad
//     of the cohort. Initiated: a session attended within CounselingStartWithinDays
//     (default 14) after intake. Engaged: initiated, and at least CounselingEngageSessions
//     (default 2) further sessions attended within CounselingEngageWithinDays (default 34)
//     after the initiating one. Also reported: sessions scheduled and attended from intake
//     to the moment.
//  4. Family-support and basic-needs referrals (CHARM target 4). The family's referrals are
//     the outgoing referrals (referral.Referral) whose patient is the mother or one of
//     Dyad.Family, whose partner kind is one of SupportKinds (by default family resource
//     center, parenting and family services, home visiting, child care, case management,
//     recovery support center, recovery coaching, intimate partner violence services), sent
//     from intake to the moment (or to discharge), not entered in error. Each must close
//     its loop (completed, as in referral) within SupportCloseWithinDays of its sending
//     (default 90, CiteProgramDefault): one still open after that, or completed later,
//     has lapsed (DyadMeasures.SupportLapsed), so that an abandoned referral cannot keep
//     its dyad pending, out of the denominator, for ever. Per dyad: met when one of them
//     was completed within its window; pending while one is still open within its window,
//     or none was sent and the dyad is in care within SupportWithinDays (default 30,
//     CiteProgramDefault) of intake; unmet otherwise. A dyad still in care that is unmet
//     becomes pending again if a referral is sent later in its stay: the target is judged
//     over the whole stay. Per referral, over the cohort: completed within the window out
//     of those decided (completed in time, rejected, cancelled, failed or lapsed), open
//     ones within their window pending. (referral.Measure's ShareCompleted divides by all
//     sent referrals, open ones included, with no window; both figures are in the report.)
//
// # JSON
//
// DecodeFacts reads a program manager's facts (partners with their QSO agreements,
// partnerships, outreach, referrals received and made, staff records, dyads) and
// DecodeGuidance a State's guidance, both through the library's one JSON reader: a byte
// limit checked before anything is read (DefaultMaxFactsBytes, 8 MiB, and
// DefaultMaxGuidanceBytes, 1 MiB; DecodeOptions.MaxBytes sets another), a depth limit,
// unknown members, duplicate and case-variant keys and trailing data refused, every
// problem listed with its path and code, never the input's text. The formats are in
// testdata/conformance/README.md. examples/program-review runs a review on such a file.
//
// # Rules kept
//
// Pure: no I/O, no clock, no global mutable state. Findings, errors and String methods hold
// identifiers, codes and citations only; the facts hold no name, birth date or free text.
//
// # References
//
//   - Massachusetts DPH Bureau of Substance Addiction Services, practice guidance for
//     substance use disorder treatment services for pregnant women and families
//     (GuidanceEdition), "A. Organization" bullets 2-6 and "Supervision, Training and Staff
//     Development"; listed on mass.gov, "Principles of Care and Practice Guidance". Bullets
//     are cited by their position in the copy read.
//   - 42 CFR part 2 as amended 2024-02-16 (89 FR 12472): 2.11 (qualified service
//     organization), 2.12(c)(4) (disclosures to a QSO).
//   - SAMHSA and ACF (2016), A Collaborative Approach to the Treatment of Pregnant Women with
//     Opioid Use Disorders, appendix 5: the CHARM collaborative and its four goals.
//   - NCQA HEDIS: Prenatal and Postpartum Care (PPC), Timeliness of Prenatal Care (first
//     trimester, or within 42 days of enrollment); Initiation and Engagement of Substance
//     Use Disorder Treatment (IET: initiation within 14 days, engagement by two or more
//     further services within 34 days).
//   - American Academy of Pediatrics (2022), Sleep-Related Infant Deaths: Updated 2022
//     Recommendations for Reducing Infant Deaths in the Sleep Environment (through the
//     perinatal package's checklist).
//   - NQF 3175 / CMS MIPS quality measure #468, Continuity of Pharmacotherapy for Opioid Use
//     Disorder: at least 180 days of continuous treatment, gaps of more than 7 days breaking
//     it (as the measure's numerator reads; check the current specification).
package program
