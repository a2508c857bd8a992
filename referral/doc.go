// Package referral tracks referrals of pregnant and postpartum women, their infants and
// families to community partners until the loop closes: the referral arrived, was accepted,
// and ended in a service.
//
// # Start here
//
// Three names do the common job: New (a Draft: who is referred, by which program, to which
// partner, carrying SUD information or not) into a *Referral, its Send and Transition (each a
// recorded event), and Deadlines (every due time, judged at a moment: open, overdue, met, met
// late):
//
//	r, err := referral.New(referral.Draft{ID: "R-1", Patient: "I1", Subject: referral.SubjectInfant, Program: "prog-1",
//		Partner: "ei-1", PartnerKind: referral.PartnerEarlyIntervention, SUD: referral.SUDNone}, now, "staff-7")
//	err = r.AddDue(referral.DueEarlyIntervention(identified, "I1"), now, "staff-7")
//	err = r.Send(now, "staff-7")             // a referral carrying SUD information needs a consent first (Gate)
//	for _, d := range r.Deadlines(nil, later) { /* rule, milestone, due, state */ }
//
// Example runs this in full; ExampleReferral_Gate shows the consent gate. The rest of this page
// is reference.
//
// # Partners
//
// A Partner has a PartnerKind (prenatal care, pediatric care, Early Intervention, home
// visiting, recovery support center, recovery coaching, case management, family resource
// center, child care, child welfare, parenting and family services, intimate partner
// violence services, HIV/TB services, MOUD provider, primary care), an acknowledgement
// window, and the QSO agreements (consent.QSOAgreement) the program holds with it, or none.
// A Directory is an immutable, validated set of partners.
//
// # Lifecycle and events
//
// A Referral moves through the statuses of the FHIR R4 Task workflow (Status; the 12 codes
// of http://hl7.org/fhir/task-status) and only along the legal transitions (CanTransition,
// documented in machine.go). Every change is an Event with its time, actor and reason code;
// a referral is built only by applying events, so Rebuild(r.Events()) reproduces it exactly,
// and its JSON holds its events (a snapshot beside them is checked against them on decode).
//
// # Saved logs and decoding
//
// Each event carries the SHA-256 hash of the event before it (Event.Prev), and a saved
// referral (its JSON, or its Log) carries the number of its events and the hash of the
// last (Referral.Head): DecodeReferral and DecodeEvents refuse a log cut at an event
// boundary (ProblemLogTruncated) or with an event altered, removed or inserted
// (ProblemLogChain, ProblemLogHead). Logs saved before the chain existed are refused too,
// unless DecodeOptions.AllowUnchained reads them (and chains them). The chain form is
// documented in chain.go; keep Head apart from the file to detect a file rewritten whole.
// Every decoder reads through the library's one JSON reader: a byte limit (4 MiB for a
// referral or a log, 1 MiB for a partner, DecodeOptions.MaxBytes otherwise), members
// repeated in any letter case, unknown members and trailing data refused, every problem
// with a code and a path and never the input's text, capped at 100 with a count of the
// rest, work linear in the input.
//
// # Consent gate
//
// A referral that would carry substance use disorder information (Draft.SUD not SUDNone)
// cannot move to requested unless a permitting consent decision, resting on a written
// consent (42 CFR 2.31) or a QSO agreement (42 CFR 2.12(c)(4)), is recorded on it for its
// patient, program and partner, judged no later than the send, and the consent or agreement
// was not revoked before the send (Referral.Gate, GateError). Decisions come from the
// consent package (AskConsent, FromDecision); SendWith asks the consent engine at the very
// moment of sending, so a consent revoked since an earlier decision blocks the send, while
// Send relies on what is recorded. The decisions' obligations, such as the 42 CFR 2.32
// notice and the accounting entry, travel with the referral (Referral.Obligations, and the
// FHIR export). A referral that carries no SUD information says so: SUDNone, and the gate's
// reason "sud_none_declared". An undeclared referral is treated as carrying it.
//
// # Timeliness
//
// Due times come by rule: the prenatal-care referral of interim services, sent within 48
// hours after she sought treatment (DueInterimPrenatal, from priority; 45 CFR 96.131(d)); the
// Early Intervention referral, sent within 7 days of identifying the child
// (DueEarlyIntervention; 34 CFR 303.303(a)(2)(i)); the referrals a Plan of Safe Care lists
// (DuePlanOfSafeCare, from perinatal); and each partner's acknowledgement window.
// Referral.Deadlines judges them at a moment (open, overdue, met, met late, missed) and
// ReviewAt lists overdue deadlines and stalled referrals. A referral entered in error
// reached no milestone (the FHIR task "should never have existed"): its deadlines are
// missed, never met.
//
// # Measures and FHIR
//
// Measure gives closed-loop measures over a set of referrals: share completed, median time
// to acceptance and to completion, overdue count, by partner kind and by period. ToFHIR
// exports a referral as a FHIR R4 Task plus the ServiceRequest it fulfils.
//
// # Rules kept
//
// Pure: no I/O, no clock, no global mutable state; every rule takes the moment it judges.
// Errors, String methods and reasons hold identifiers and codes only: identifiers follow
// the library's one rule (1 to 128 bytes of letters, digits and . _ - : / @ #) and are
// written quoted and escaped, so no name or free text enters a referral and no identifier
// can forge a log line; reasons are snake_case codes. A recorded consent decision keeps
// identifiers, codes and citations only: its basis, edition and citations must each be a
// reference of its form (cite.go) and its reasons carry no sentence, or the record is
// refused (ProblemNotReference). The one other text a referral keeps, a due time's
// citation, is one line of printable text (no control character, no Unicode line or
// paragraph separator such as U+0085 or U+2028). Every time a referral carries lies
// from 1900-01-01 to 2199-12-31 (UTC).
//
// # References
//
//   - HL7 FHIR R4 (4.0.1): Task (task-status code system, 12 codes) and ServiceRequest;
//     SNOMED CT 3457005 Patient referral; v3-ActCode ETH and 42CFRPart2, v3-Confidentiality R.
//   - 42 CFR part 2 as amended 2024-02-16 (89 FR 12472): 2.31 consent, 2.31(c) consents that
//     do not count, 2.12(c)(4) qualified service organizations, 2.32 notice.
//   - 45 CFR part 96, subpart L: 96.121 interim services (including a referral for prenatal
//     care), 96.131(d) interim services within 48 hours.
//   - 34 CFR part 303 (IDEA Part C, 2011 regulations): 303.303(a)(2)(i) referral as soon as
//     possible and no more than seven calendar days after identification; 303.303(b)(2)
//     referral of a child affected by prenatal substance exposure or withdrawal.
//   - CAPTA sec. 106(b)(2)(B)(iii), 42 U.S.C. 5106a(b)(2)(B)(iii), as amended by CARA 2016:
//     Plans of Safe Care with referrals and monitoring.
package referral
