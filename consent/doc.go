// Package consent decides whether substance use disorder (SUD) records may leave a Part 2
// program: "may this discloser give this information to this recipient for this purpose
// now?" It holds 42 CFR Part 2 written consents, their validation and lifecycle, qualified
// service organization (QSO) agreements, the uses and disclosures permitted without consent,
// redisclosure by those who received records, and a decision engine.
//
// # Start here
//
// Three names do the common job: Compile (your consents and QSO agreements into an *Engine,
// every consent validated against 42 CFR 2.31(a) with all problems listed at once),
// Engine.Decide (a Request: who discloses what to whom, for which purpose, at which moment)
// and the Decision it returns (Permit, Basis, Reasons, Obligations):
//
//	engine, err := consent.Compile(consents, agreements)
//	d := engine.Decide(consent.Request{Patient: p, Discloser: program, Recipient: consent.Party{ID: clinic, Kind: consent.RecipientKindCoveredEntity},
//		Purpose: consent.PurposeTreatment, Information: []consent.InfoKind{consent.InfoKindSUDRecords}, At: now})
//	fmt.Println(d)                  // permit on consent:"c1": consent_permits
//	for _, o := range d.Obligations() { /* the 2.32 notice, the accounting of disclosures, ... */ }
//
// ExampleEngine_Decide runs this in full; consents held as FHIR resources are read by the
// consent/fhir package. The rest of this page is reference.
//
// The package imports nothing from the rest of the module but its internal identifier and
// JSON helpers, so a data-sharing vendor can take it alone. It is pure: no I/O, no clock
// read (every rule takes the instant it judges at), no global mutable state.
//
// # What a permit guarantees
//
// Decide permits only where 42 CFR Part 2 (as amended in 2024, RuleEdition) gives a permit,
// read as this page says. A Decision with Permit true guarantees that, at the request's
// instant At:
//
//   - its Basis is a ground the regulation gives: a written consent (42 CFR 2.33(a)), a
//     holder's redisclosure right (2.33(b)(1), (2), (3) or an intermediary's, 2.31(a)(4)(ii)),
//     or an exception to consent (2.12(c)(3) to (6), 2.51 to 2.54, subpart E), whose every
//     condition holds on the facts the request states;
//   - a consent basis conforms to 2.31(a) on its face, was signed, and had not expired, been
//     revoked or become known to be false (2.31(c)) at the instant of the disclosure or, for a
//     holder, when the holder received the records under it (and, unless the Policy says
//     otherwise, still counts for a redisclosure made on its basis); Until is the first
//     instant it stops counting, as far as the engine knows;
//   - the consent names the discloser, names or designates the recipient by exactly its
//     identifier (system and value) or class, states the purpose and describes every kind of
//     information requested; no SUD counseling notes go under anything but a consent for them
//     alone (2.31(b)); nothing goes into proceedings against the patient without a proceedings
//     consent or a court order (2.31(d), 2.33(b)(1), subpart E);
//   - no party the consent excludes receives anything under it, however it would be reached
//     (named, designated, as an intermediary or its member, or by redisclosure);
//   - Obligations list every duty that goes with the disclosure: the 2.32(a) statement with a
//     copy or explanation of the consent for every disclosure made with written consent, the
//     accounting (2.25) or the intermediary's list (2.24), the documentation of an emergency
//     (2.51(c)), the limit to what is needed.
//
// A permit does not judge what the request does not say: that the facts an exception needs
// are true (Facts), that the recipient is of the kind the request gives, or that HIPAA
// permits a covered entity's redisclosure beyond treatment, payment and operations. Those are
// the caller's to establish; when they are unknown, leave them false and the engine denies.
//
// # Values
//
// A Consent holds every element of 42 CFR 2.31(a): the patient, the disclosers, the
// information (kinds and a specific description), the recipients (named, intermediaries with
// their members, or general designations of a class of persons), the exclusions (parties the
// patient refused), the purposes, the expiration, the signer and date signed, and the
// required statements. Its Kind says which of the separate consents it is: general, tpo (a
// single consent for treatment, payment and health care operations), counseling_notes and
// proceedings (each never combined with another kind), research. Consent.Problems and
// Consent.Validate list every non-conforming element, each with a stable Code, a citation and
// a sentence; Consent.StatusAt gives its lifecycle.
//
// Every party and patient is named by an Identifier, a system and a value. A consent permits
// only a party it names by the same system and value; an exclusion reaches every identifier
// that may be its party's: the same value, whatever the systems (one system has several
// spellings, which cannot be told here from two systems), the case of ASCII letters and the
// dashes (a value has several spellings too; FHIR R4 Identifier.value may be "normalized for
// comparison purposes (e.g. removing non-significant whitespace, dashes, etc.)").
//
// A QSOAgreement is the written agreement of 42 CFR 2.11 and 2.12(c)(4).
// QSOAgreement.Problems lists every problem and warns when a service falls outside the
// categories of 2.11.
//
// # Deciding
//
// Compile (or Policy.Compile) builds an immutable Engine from consents and agreements.
// Engine.Decide judges a Request and returns a Decision: Permit (the zero Decision denies),
// the Basis (a consent's ID, an exception's section or a redisclosure paragraph), Until, and,
// through methods that return copies, the Reasons (stable codes with citations and
// sentences), the Obligations and the Citations, stamped with RuleEdition. A Decision is a
// value: nothing a caller does to what it returns can change another decision. Consents are
// tried first, in compile order, then a holder's redisclosure right, then the exceptions in
// section order; the first that permits is the basis.
//
// A deny carries every reason: the request's faults, why each of the patient's consents did
// not apply and why each exception the request invokes failed, with their citations.
// Engine.Explain gives the same outcome with every reason on a permit too. Neither Decide nor
// Explain allocates, on a permit or a deny: both decide the outcome only, trying the consents
// that could cover the recipient up to the first permit. A permit of Decide points to its
// basis's parts, precomputed at compile time and never exposed for writing; a deny (and any
// decision of Explain) keeps the compiled engine and what the rules read of the request
// (none of the caller's memory), and judges the request again, collecting every reason,
// when its reasons are read (the engine is immutable: every reading is the same). An Engine
// not built by Compile (the zero Engine, a nil *Engine) denies every request.
//
// Every rule is coded once in the engine, and once more, plainly, in the reference reading
// consent/internal/spec (one function per paragraph, no index, no fast path). The tests drive
// random worlds of consents, agreements, policies and requests through both and require the
// same outcome, basis, end and obligations.
//
// # The rules
//
// Consent lifecycle (2.31(c)). A consent counts from the instant it is signed until the
// instant it expires (its date, or the occurrence of its expiration event), the program
// receives its written revocation, or it becomes known to be false; at that exact instant it
// no longer counts. A consent that fails validation, or is known false with no time given,
// never counts. None of these is retroactive: what a holder received while the consent
// counted stays received.
//
// Disclosure under consent (2.33(a)). The consent counts at the instant, names the discloser
// (a discloser described only in words, DiscloserDesignation, satisfies 2.31(a)(2) but cannot
// be matched: such a consent permits nothing here), covers the recipient and does not exclude
// it, states the purpose and covers every kind of information requested. Its basis cites
// 2.33(a)(2) for a single TPO consent and 2.33(a)(1) otherwise; every permit carries the
// limit to what the purpose needs (2.13(a)). The classes of persons (2.31(a)(4)(i)), read as
// kinds of recipients:
//
//	treating_providers   part2_program, covered_entity, medical_personnel, whose treating
//	                     provider relationship with the patient (2.11) the request
//	                     establishes: a disclosure for treatment or emergency treatment
//	                     does, any other only with Facts.TreatingProviderRelationship
//	                     (Holder.TreatingProviderRelationship for a holder reached so)
//	health_plans         covered_entity, for payment or operations
//	third_party_payers   covered_entity, lawful_holder, for payment or operations
//	program_operations   business_associate, qso, contractor, for payment or operations
//
// A court or law enforcement receives for an investigation or proceeding: only a
// proceedings consent (never combined with another, 2.31(d)) reaches it. A recipient the
// request says is an intermediary is reached only by an entry naming it as one, with its
// members (2.31(a)(4)(ii)).
//
// An intermediary's members are reached through the intermediary (2.31(a)(4)(ii)): the
// intermediary the consent names passes the records to its own members (named, or designated
// as treating providers, 2.31(a)(4)(ii)(B)), for a purpose the consent states, with the
// 2.32(a) statement; a disclosure under the general designation goes on its list of
// disclosures (2.24, owed to patients who consented "using a general designation"), one to a
// member the consent names does not. A holder is an intermediary only when the consent names
// it as one.
//
// Redisclosure (2.33(b)). A Request with a Holder is judged by the consent the holder received
// the records under (Holder.ReceivedUnder), which must have counted at ReceivedAt and have
// covered the holder (not excluding it) and the information; the consent's exclusions still
// hold, proceedings are never a purpose, and nothing is redisclosed on a consent once it is
// known to be false (2.31(c)(4)). A researcher or auditor holding records it received without
// consent uses no exception to pass them on (2.52(b), 2.53(f); no court order may authorize
// it, 2.62). Then how the consent names the holder chooses its one route:
//
//   - named as an intermediary: to its own members, as above;
//   - a covered entity or business associate (2.33(b)(1)): as HIPAA permits, judged here for
//     treatment (emergency treatment included), payment and operations, under a single TPO
//     consent only (the one case where the records were surely disclosed for those), to a
//     party of such a disclosure (45 CFR 164.506(c): a provider for treatment, a covered
//     entity, provider or business associate for payment, a covered entity or business
//     associate for operations); until the patient revokes the consent (2.33(a)(2)), unless
//     Policy.HIPAARedisclosureAfterConsentEnds;
//   - a Part 2 program under a TPO consent (2.33(b)(2)): consistent with the consent, to a
//     recipient it covers, for a purpose it states, with the 2.32(a) statement and the
//     accounting;
//   - any other lawful holder (2.33(b)(3)): to its contractors, subcontractors or legal
//     representatives (recipient kind contractor) bound by a written contract
//     (Facts.ContractorBound, 2.33(c)), for payment or operations the consent states, never
//     SUD counseling notes (2.31(b)), with the 2.32(a) statement and the contractor's
//     safeguards and breach reports (2.33(c)).
//
// Without consent. SUD counseling notes are never released under an exception (2.31(b)).
// Internal communications (2.12(c)(3): recipient same_program, purpose treatment or
// emergency_treatment); QSO (2.12(c)(4): purpose qso_service, an agreement between exactly the
// discloser and a recipient of kind qso (or business_associate) that conforms, is in force
// and lists the Service the request states (a request that states none is denied: the fact
// is unknown); the basis ends with the agreement); crime on premises (2.12(c)(5):
// law_enforcement, patient_identity only). These three need the program itself as
// discloser. Child abuse and neglect report (2.12(c)(6): child_protective_services and the
// fact that State law requires the initial report; by the program or a lawful holder,
// whoever makes the report; patient_identity only: "the regulations in this part continue to
// apply to the original substance use disorder patient records"). Medical emergency (2.51: the emergency fact, medical_personnel,
// purpose emergency_treatment or treatment). Research (2.52: purpose research, researcher and
// the research_approved fact); audit and evaluation (2.53: purpose audit, auditor and the
// audit_agreement fact); public health (2.54: by the program, purpose public_health, public
// health authority and de-identified information, which the patient's identity never is);
// court order (subpart E: the court_order fact).
//
// A CAPTA notification of an infant affected by substance abuse (PurposeCAPTANotification,
// 42 U.S.C. 5106a(b)(2)(B)(ii)) is not a report of suspected child abuse or neglect: no
// exception covers it, and it needs a consent that states this purpose. Where State law makes
// the infant's exposure a reportable incident, the report is PurposeChildAbuseReport.
//
// # Readings
//
// Where the text leaves a choice, the package reads it as follows. The choices an implementer
// may make otherwise are the fields of Policy (its zero value is the default below).
//
//   - Policy.MembersFromProgram (2.31(a)(4)(ii), 2.33(a)(1)). Default: a program does not
//     disclose straight to an intermediary's member; the intermediary is "the recipient
//     entity". Set it to read 2.33(a)(1) ("any person ... identified ... in the consent") as
//     reaching them.
//   - Policy.DesignationsOnlyInTPO (2.31(a)(4)(i)). Default: any consent may designate a class
//     of persons ("the name(s) of the person(s), or class of persons"). Set it to keep the
//     classes to the single TPO consent.
//   - Policy.RedisclosureAfterConsentEnds (2.31(c), 2.33(b)(2), (b)(3), 2.31(a)(4)(ii)).
//     Default: a redisclosure made on the basis of the consent (an intermediary's, a Part 2
//     program's, a lawful holder's to its contractors) needs the consent to count at the
//     redisclosure too. Set it to let records received while the consent counted be
//     redisclosed after it expires or is revoked (never after it is known to be false).
//   - Policy.HIPAARedisclosureAfterConsentEnds (2.33(a)(2), (b)(1)). Default: a covered
//     entity's or business associate's redisclosure under HIPAA ends with the consent
//     ("until such time as the patient revokes such consent in writing"). Set it to read
//     (b)(1) as outliving the consent.
//   - Policy.PayerExclusionSparesTreatingProviders (2.31(a)(4)(i)). Default: an excluded
//     class reaches every party of a kind the class may hold, whatever the purpose ("not to
//     health plans" reaches every covered entity: a plan may also treat). Set it to spare a
//     party whose treating provider relationship the request establishes, while it receives
//     (or, as a holder, rediscloses) for treatment or emergency treatment only: for payment
//     or operations it acts as the plan or payer the patient refused.
//   - Identifiers (2.31(a)(1), (2), (4)). A permit needs the same system and value; an
//     exclusion reaches any identifier of the same value, whatever the systems, the case of
//     ASCII letters and the dashes (fail closed). A request's recipient identifier, and a redisclosing holder's, must follow
//     the identifier rule (one that breaks it, "dr-x " for "dr-x", could dodge an exclusion
//     while a class still reaches it); the patient's and a program discloser's need a value
//     (they are matched only exactly). The rule is also checked where identifiers enter (Compile, Consent.Problems, the decoders): a
//     consent naming a party with an identifier that breaks it does not conform and permits
//     nothing.
//   - Exclusions restrict their own consent, by every route that rests on it (2.33(b)(1)
//     included: the patient's refusal is not lifted by HIPAA's permissions). Another consent
//     that names the party may still permit: removing or revoking a consent never turns a deny
//     into a permit.
//   - 2.33(b)(1) applies only to records received under a single TPO consent (the regulation
//     asks that they were "disclosed for treatment, payment, and health care operations"),
//     and only the HIPAA permissions for treatment, payment and operations are judged; any
//     other use needs the holder's own review (denied here).
//   - A consent for SUD records covers the patient's identity (every record identifies the
//     patient); one for the identity alone covers no record.
//   - A consent known to be false with no time counts at no instant (2.31(c)(4)); a
//     revocation dated before the signing makes the consent contradictory, hence deficient.
//   - Codes this package does not know (purpose, kind of recipient, information, consent kind,
//     designation) never permit: a request with one is denied, a consent with one is deficient.
//   - Dates given as a day without a time (FHIR) are read by consent/fhir with the bounds no
//     time zone can contradict, or in a zone the caller gives (fhir.Options.Location).
//
// # References
//
//   - 42 CFR part 2, Confidentiality of Substance Use Disorder Patient Records, as amended by
//     the final rule "Confidentiality of Substance Use Disorder (SUD) Patient Records",
//     89 FR 12472 (February 16, 2024), effective April 16, 2024, compliance date
//     February 16, 2026 (RuleEdition). Sections used: 2.11 (definitions), 2.12(c)
//     (exceptions), 2.13(a), 2.14 and 2.15 (signers), 2.24 and 2.25 (lists and accountings of
//     disclosures), 2.31 (consent requirements), 2.32 (notice and copy of consent), 2.33
//     (uses and disclosures permitted with written consent), 2.51 to 2.54 (subpart D) and
//     2.61 to 2.67 (subpart E, court orders).
//   - 45 CFR parts 160 and 164 (HIPAA), for covered entities, business associates and
//     de-identification (164.514(b)).
//   - Child Abuse Prevention and Treatment Act, 42 U.S.C. 5106a(b)(2)(B)(ii), for the
//     notification of an infant affected by substance abuse.
//   - The conformance corpus format: testdata/conformance/README.md.
package consent
