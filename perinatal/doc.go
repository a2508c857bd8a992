// Package perinatal holds the types and rules of perinatal substance use treatment that
// every other dyad package stands on: pregnancy dating, reproductive status, substance
// use, infants with neonatal withdrawal, the CAPTA affected-infant determination with
// its obligations, Plans of Safe Care, Safe Infant Sleep, and the clinical codes for
// these concepts.
//
// # Start here
//
// Three names do the common job: Pregnancy (dated with PregnancyFromLMP or from an EDD, then
// GestationalAgeAt, TrimesterAt and StatusAt at any moment), DetermineAffected (the CAPTA
// affected-infant determination with its obligations) and AssessSleep (Safe Infant Sleep):
//
//	p := perinatal.PregnancyFromLMP(lmp)
//	ga, err := p.GestationalAgeAt(visit)      // "13w6d"; ga.Trimester() is first
//	status := p.StatusAt(perinatal.DefaultPostpartumWindow(), now) // pregnant, postpartum, ...
//	d, err := perinatal.DetermineAffected(infant, perinatal.AffectedPolicy{})
//	for _, o := range d.Obligations { /* CPS notification, Plan of Safe Care, with citations */ }
//
// Example_pregnancyDating and ExampleDetermineAffected run these in full. The rest of this
// page is reference.
//
// # Pregnancy
//
// A [Pregnancy] is dated from the first day of the last menstrual period (LMP) or from an
// estimated delivery date (EDD = LMP + 280 days). [Pregnancy.GestationalAgeAt] gives the
// [GestationalAge] ("13w6d") at any moment up to delivery; [GestationalAge.Trimester]
// splits at 14w0d and 28w0d; [GestationalAge.Term] calls a birth before 37w0d preterm.
// Delivery ends the pregnancy. [StatusAt] and [Pregnancy.StatusAt] give the reproductive
// [Status] (not pregnant, pregnant, postpartum within a [PostpartumWindow] the caller
// chooses), which the priority package uses. A window counts days of 24 hours or calendar
// months, optionally through the end of the month it ends in: [DefaultPostpartumWindow]
// is 365 days (one year counted in days, a day short of 12 calendar months when a
// 29 February falls in it), [PostpartumMonths] counts calendar months, and
// [MedicaidPostpartumWindow] is Medicaid's extended coverage, through the end of the month
// in which the 12 months end (42 U.S.C. 1396a(e)(16)).
//
// # Dates and time zones
//
// Dating counts calendar days, and a calendar day is a day where the patient is. LMP and
// EDD are dates (their year, month and day as written). A moment judged (a visit, the
// delivery) is dated by [Pregnancy.GestationalAgeAt], [Pregnancy.TrimesterAt] and
// [Pregnancy.TermAtDelivery] in the location its time.Time carries, that is in the UTC
// offset it was written with: the package cannot know where the patient was. Equal
// instants written with different offsets can therefore fall on different dates and get
// different ages. An evening visit at 21:00 in New York on the 97th day after the LMP is
// 13w6d (first trimester), but the same instant written in UTC, 01:00 the next day, is
// 14w0d (second trimester); a birth at 21:00 on day 258, 36w6d (preterm), is 37w0d (early
// term) in UTC. This is documented behaviour, not a fault: a system that keeps local times
// with their offset (as HL7 v2 and FHIR allow) gets local dates. A system that normalizes
// times to UTC (an interface engine, a database column) must date them where the patient
// is: [Pregnancy.GestationalAgeIn], [Pregnancy.TrimesterIn] and
// [Pregnancy.TermAtDeliveryIn] take that location and give equal ages for equal instants.
//
// # Infants and CAPTA
//
// [DetermineAffected] answers whether an [Infant] is "affected by substance abuse or
// withdrawal symptoms resulting from prenatal drug exposure, or a fetal alcohol spectrum
// disorder", as an [AffectedDetermination] carrying its outcome, every reason and the
// obligations it triggers: a notification to child protective services (not, by itself,
// a report of abuse) and a [PlanOfSafeCare]. Unassessed findings give an unknown outcome,
// never "not affected". Exposure without signs is not affected under the federal
// minimum; [AffectedPolicy] lets a State count exposure alone.
//
// # Plans of Safe Care and safe sleep
//
// [PlanOfSafeCare.Validate] lists every missing or inconsistent part of a plan: needs of
// the infant and of the caregiver, services and referrals, responsible parties, and
// monitoring. [AssessSleep] checks a [SleepChecklist] against the AAP 2022 safe sleep
// recommendations and lists every unmet item with its reason.
//
// # Decoding
//
// Every type marshals to JSON with snake_case codes. [DecodeInfant], [DecodePlanOfSafeCare]
// and [DecodeSleepChecklist] read the package's formats the way every decoder of the
// library does, safe to face input from anywhere: a byte limit checked before reading
// (64 KiB, 1 MiB and 16 KiB by default; [DecodeOptions] sets another), duplicate and
// case-variant members refused, nothing after the value, no unknown member, every problem
// with a stable code and a path and never the input's text, work linear in the input, and
// every unknown code and every validation problem of a document listed at once, up to a
// cap with a count of the rest. Times are RFC 3339 from 1900-01-01 to 2199-12-31 (UTC).
//
// # Rules kept
//
// Every function is pure: no I/O, no clock (every rule takes the moment it judges), no
// global mutable state. Enums have an unknown zero value, stable snake_case codes and
// text marshalling. Validation returns a [*ValidationError] listing every [Problem] (each
// with a stable code, a citation and a sentence; at most 100, then a count of the rest)
// and matching [ErrInvalid]; unknown codes wrap [ErrUnknownCode]. Identifiers follow the
// library's one rule (1 to 128 bytes of letters, digits and . _ - : / @ #), and times lie
// from 1900-01-01 to 2199-12-31 (UTC). Errors, String methods and reasons hold identifiers
// and codes, never a patient's name, birth date or free text, and never the text of an
// input that failed to decode.
//
// # Codes
//
// LOINC, SNOMED CT and ICD-10-CM constants for these concepts, with their FHIR system
// URIs ([SystemLOINC], [SystemSNOMED], [SystemICD10CM]); each was checked against a
// published source named in codes.go. [LookupCode] rejects codes the package does not know.
//
// # References
//
//   - Child Abuse Prevention and Treatment Act, sec. 106(b)(2)(B)(ii)-(iii),
//     42 U.S.C. 5106a(b)(2)(B)(ii)-(iii), as amended by the Comprehensive Addiction and
//     Recovery Act of 2016, Pub. L. 114-198, sec. 503 ([CAPTAEdition]).
//   - ACOG Committee Opinion 700 (May 2017), Methods for Estimating the Due Date.
//   - ACOG/SMFM Committee Opinion 579 (2013, reaffirmed 2019), Definition of Term Pregnancy.
//   - Social Security Act sec. 1902(e)(5) and (e)(16), 42 U.S.C. 1396a(e)(5), (e)(16):
//     Medicaid's 60-day and extended 12-month postpartum coverage, each through the end of
//     the month in which its period ends; 42 CFR 436.122.
//   - ICD-10-CM Tabular List, chapter 15: trimesters counted from the LMP.
//   - American Academy of Pediatrics, Sleep-Related Infant Deaths: Updated 2022
//     Recommendations for Reducing Infant Deaths in the Sleep Environment, Pediatrics
//     150(1):e2022057990 (2022).
//   - Massachusetts BSAS practice guidance for services to pregnant women and families
//     (one Plan of Safe Care, with a coordinator the client chooses).
package perinatal
