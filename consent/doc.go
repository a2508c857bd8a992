// Package consent decides whether substance use disorder (SUD) records may leave a Part 2
// program: "may this discloser give this information to this recipient for this purpose
// now?" It holds 42 CFR Part 2 written consents, their validation and lifecycle, qualified
// service organization (QSO) agreements, the uses and disclosures permitted without consent,
// redisclosure by lawful holders, and a decision engine.
//
// The package imports nothing from the rest of the module, so a data-sharing vendor can
// take it alone. It is pure: no I/O, no clock read (every rule takes the instant it judges
// at), no global mutable state.
//
// # Values
//
// A Consent holds every element of 42 CFR 2.31(a): the patient, the disclosers, the
// information (kinds and a specific description), the recipients (named, intermediaries
// with their members, or the TPO general designations), the purposes, the expiration, the
// signer and date signed, and the required statements. Its Kind says which of the separate
// consents it is: general, tpo (a single consent for treatment, payment and health care
// operations), counseling_notes and proceedings (each never combined with another kind),
// research. Consent.Problems and Consent.Validate list every non-conforming element, each
// with a stable Code, a citation and a sentence; Consent.StatusAt gives its lifecycle.
//
// A QSOAgreement is the written agreement of 42 CFR 2.11 and 2.12(c)(4).
// QSOAgreement.Problems lists every problem and warns when a service falls outside the
// categories of 2.11.
//
// # Deciding
//
// Compile builds an immutable Engine from consents and agreements. Engine.Decide judges a
// Request and returns a Decision: Permit (the zero Decision denies), the Basis (a consent's
// ID, an exception's section or a redisclosure paragraph), the Reasons (stable codes with
// citations and sentences), the Obligations (attach the 2.32 notice, record the disclosure
// for the accounting, document an emergency, limit to need) and the Citations, stamped with
// RuleEdition. Consents are tried first, in compile order, then a holder's redisclosure
// right, then the exceptions in section order; the first that permits is the basis.
//
// Decide's permit path does not allocate: it returns the basis's own reasons, obligations
// and citations, precomputed at compile time. A deny carries every reason: the request's
// faults, why each of the patient's consents did not apply and why each exception the
// request invokes failed, with their citations, in one allocation. Engine.Explain gives the
// same outcome with every reason on a permit too.
//
// The rules, and where this package is stricter than the regulation because it cannot
// know more than the request says (it always fails closed):
//
//   - A consent counts from the instant it is signed until the instant it expires, the
//     program receives its written revocation or it becomes known to be false (all
//     exclusive: at that exact instant it no longer counts). A consent that fails validation,
//     or is known false with no time given, never counts (2.31(c)). None of these is
//     retroactive: a holder that received records while a consent counted may still
//     redisclose them as 2.33 allows.
//   - A consent permits when it names the discloser (a general designation of disclosers
//     satisfies 2.31(a)(2) but cannot be matched, so it permits nothing here), covers the
//     recipient, the purpose and every kind of information requested. The TPO designations
//     cover recipient kinds and purposes: treating_providers a part2_program, covered_entity
//     or medical_personnel; health_plans a covered_entity and third_party_payers a
//     covered_entity or lawful_holder, for payment or operations only; program_operations a
//     business_associate, qso or contractor, for payment or operations only. Designations
//     are allowed only in a TPO consent.
//   - SUD counseling notes are released only under a counseling_notes consent; no exception
//     releases them. Use in proceedings needs a proceedings consent or a court order.
//   - The exceptions and their conditions: internal communications (2.12(c)(3): recipient
//     same_program, purpose treatment or emergency_treatment); QSO (2.12(c)(4): purpose
//     qso_service, an agreement between discloser and recipient that conforms, is in force
//     and lists the request's Service, or, when none is given, at least one 2.11 category);
//     crime on premises (2.12(c)(5): law_enforcement, patient_identity only); child abuse
//     report (2.12(c)(6): child_protective_services and the fact that State law requires the
//     initial report); medical emergency (2.51: the emergency fact, medical_personnel,
//     purpose emergency_treatment or treatment);
//     research (2.52: researcher and the research_approved fact); audit and evaluation
//     (2.53: auditor and the audit_agreement fact); public health (2.54: public health
//     authority and de-identified information); court order (subpart E: the court_order
//     fact). The first four need the program itself as discloser.
//   - Redisclosure (2.33): a Request with a Holder is judged by the consent the holder
//     received the records under, which must have counted when they were received and must
//     cover the holder and the information. A part2_program, covered_entity or
//     business_associate that received under a TPO consent may redisclose for treatment,
//     payment and health care operations (other HIPAA permissions are left to the holder's
//     own review: denied here), never for proceedings. An intermediary may pass the records
//     to its named or designated members. Any other lawful holder may disclose only to a
//     contractor for payment or health care operations the consent covers.
//
// # References
//
//   - 42 CFR part 2, Confidentiality of Substance Use Disorder Patient Records, as amended by
//     the final rule "Confidentiality of Substance Use Disorder (SUD) Patient Records",
//     89 FR 12472 (February 16, 2024), effective April 16, 2024, compliance date
//     February 16, 2026 (RuleEdition). Sections used: 2.11 (definitions), 2.12(c)
//     (exceptions), 2.13(a), 2.14 and 2.15 (signers), 2.24 and 2.25 (lists and accountings of
//     disclosures), 2.31 (consent requirements), 2.32 (notice), 2.33 (redisclosure), 2.51 to
//     2.54 (subpart D) and 2.61 to 2.67 (subpart E, court orders).
//   - 45 CFR parts 160 and 164 (HIPAA), for covered entities, business associates and
//     de-identification (164.514(b)).
package consent
