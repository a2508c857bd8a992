// Package fhir maps 42 CFR Part 2 consents (consent.Consent) to and from FHIR R4 Consent
// resources in JSON, names purposes of use and kinds of information with HL7 codes, lists
// the security labels a permitted disclosure must carry, and builds consent requests from
// the context of a consent-decision query, so that a vendor holding FHIR consents can put
// the consent engine behind its service. It has no FHIR library dependency: the resource is
// a small set of plain structs (Consent, Provision, Coding, ...) read by a purpose-built
// JSON reader that reports every problem with its JSON path.
//
// # Mapping
//
// Each Part 2 element of consent.Consent maps as follows (ext: an extension of this
// package, URL https://dyad-health.github.io/fhir/StructureDefinition/<name>).
//
//	consent.Consent               FHIR R4 Consent
//	ID                            id (a FHIR id: 1 to 64 of A-Z a-z 0-9 - .)
//	Patient (2.31(a)(1))          patient.identifier {system, value} (read also: reference
//	                              "Patient/<id>", an identifier without a system)
//	Kind (2.31(b), (d))           ext part2-consent-kind (valueCode); when absent on input,
//	                              inferred: counseling notes in the information make
//	                              counseling_notes; proceedings alone, proceedings; research
//	                              alone, research; exactly treatment, payment and operations,
//	                              tpo; anything else, general
//	Disclosers (2.31(a)(2))       organization[].identifier {system, value} (read also
//	                              "Organization/<id>")
//	DiscloserDesignation          ext part2-discloser-designation (valueString)
//	Recipients (2.31(a)(4))       provision.actor[] with role v3-ParticipationType IRCP;
//	  named                       actor.reference.identifier {system, value} (read also
//	                              "<Type>/<id>")
//	  general designation         actor.reference {type Group, identifier {system
//	                              SystemDesignation, value treating_providers | health_plans |
//	                              third_party_payers | program_operations}}
//	  intermediary                ext part2-intermediary on the actor: valueBoolean true, or
//	                              sub-extensions member (valueString, a value without a
//	                              system, or valueIdentifier; repeating) and
//	                              memberDesignation (valueCode)
//	Exclusions                    the actors of a nested deny provision (see below): named, by
//	                              identifier or literal reference, or a Group designation
//	Purposes (2.31(a)(5))         provision.purpose[]: v3-ActReason TREAT, HPAYMT, HOPERAT,
//	                              PATRQT, ETREAT, HRESCH, PUBHLTH, HLEGAL (proceedings); read
//	                              also COC as treatment; audit, child_abuse_report,
//	                              crime_on_premises and qso_service have no ActReason code and
//	                              use SystemPurpose
//	Information (2.31(a)(3))      provision.securityLabel[]: v3-ActCode SUD for sud_records
//	                              (read also ETH and 42CFRPart2); counseling_notes and
//	                              patient_identity use SystemInformation
//	InformationDescription        ext part2-information-description (valueString)
//	Expires (2.31(a)(7))          a date: provision.period.end; an event, its occurrence or
//	                              "none": ext part2-expiration with sub-extensions event
//	                              (valueString), occurredAt (valueDateTime), none (valueBoolean)
//	SignedAt (2.31(a)(9))         dateTime
//	Signer (2.31(a)(8))           performer[0] with ext part2-signer-role (valueCode patient |
//	                              guardian | personal_representative); read also a performer
//	                              of type Patient (or "Patient/<id>") as the patient
//	Statements (2.31(a)(6),(10))  ext part2-statements with sub-extensions revocation,
//	                              redisclosure, refusalConsequences (valueBoolean); when absent
//	                              on input, Options.DefaultStatements
//	RevokedAt (2.31(c)(3))        status inactive with ext part2-revoked-at (valueDateTime)
//	KnownFalse (2.31(c)(4))       ext part2-known-false (valueBoolean)
//	KnownFalseAt                  ext part2-known-false-at (valueDateTime)
//
// Every resource this package writes also has status active (inactive once revoked), scope
// consentscope patient-privacy, category LOINC 64292-6 (Release of information consent) and
// v3-ActCode 42CFRPart2CD (42 CFR Part 2 consent directive), policy {authority
// https://www.ecfr.gov, uri Part2PolicyURI}, policyRule v3-ActCode 42CFRPart2, and a single
// permit provision with action consentaction disclose. LOINC has no code specific to Part 2;
// 64292-6 is the nearest and 59284-0 (the general consent document) is accepted on input.
// FHIR's consentpolicycodes has no Part 2 code, hence policy.uri and policyRule 42CFRPart2.
//
// # What is refused on input
//
// Decode never drops a Part 2 element silently: a resource it cannot map exactly is a
// *MappingError listing every problem with its path and a stable code. It refuses: a
// resourceType other than Consent; a status other than active or inactive-with-revocation
// (an inactive consent without a revocation time, a draft, proposed, rejected or
// entered-in-error consent); a scope other than patient-privacy; a resource that nothing
// marks as a Part 2 consent (policyRule 42CFRPart2, policy.uri Part2PolicyURI, or category
// 42CFRPart2CD); any modifierExtension and implicitRules; a purpose, security label, actor
// role or designation with no mapping; actions that do not include disclose; provision
// class, code, dataPeriod and data (restrictions a Part 2 consent value cannot hold); a
// permission whose period starts after the date signed; more than one performer, or one
// whose signer role cannot be told; a date less precise than a day; extensions of this
// package with a wrong shape; and provision trees other than those below.
//
// Provision trees: the root is a permit; or a deny whose only content is one nested permit
// (an opt-in under a base deny), which is read as that permit. Under the permit, each nested
// provision must be a deny that restricts exactly one of purpose, securityLabel or actor and
// nothing else. Denied purposes and kinds of information are removed from the consent.
// Denied actors become the consent's Exclusions, whether or not the permit lists them: the
// patient's "not to X" holds however X would otherwise be reached (named, within a
// designated class, as an intermediary's member, or by a holder's redisclosure), and an actor
// denied by literal reference ("Practitioner/x", no system) is excluded under every system.
// A deny-only consent (an opt-out) grants no Part 2 permission and is refused. Writing nests
// one deny provision holding the exclusions as actors.
//
// Identifiers: every identifier keeps its system and value (consent.Identifier); a literal
// reference "Type/id" reads as the id without a system. Nothing is matched on the value
// alone: a consent for patient us-medicare|V is not the consent of us-ssn|V. An identifier
// that breaks the library's identifier rule is kept, and makes the consent deficient.
//
// Ignored, because they carry no Part 2 element: meta, text, contained, language,
// identifier, verification, source[x], categories other than the ones above, policies other
// than part 2's, display texts, foreign (non-modifier) extensions, primitive extensions
// ("_element"), actions other than disclose alongside it, and a permission start at or
// before the date signed.
//
// Dates: a full dateTime (which FHIR requires to carry its offset) is exact. A date alone is
// a calendar day in some time zone; read fail closed, the consent never counts outside the
// signer's local day. With Options.Location it is that day in that zone. Without one, the
// bounds no time zone can contradict are used: a start (dateTime, period.start) is the last
// instant at which the day has begun everywhere (its start at UTC-12); a stop that happened on
// the day (a revocation, known falsity, the expiration event) is the first instant at which the
// day has begun anywhere (its start at UTC+14); period.end, a day FHIR includes, ends at the
// first instant at which the day is over somewhere (its end at UTC+14). A consent signed
// "2026-03-10" thus counts from 2026-03-10T12:00Z, and one ending "2026-06-30" stops at
// 2026-06-30T10:00Z.
//
// Round trip: FromResource(ToResource(c)) equals c for every consent ToResource accepts
// (the Intermediary flag is set wherever members imply it). ToResource refuses an empty
// discloser or member identifier (FHIR forbids empty strings), and a recipient or an
// exclusion both named and designated. Writing a decoded resource keeps every element the
// mapping covers, in the canonical form above (denied purposes and labels removed, denied
// actors in one nested deny, COC written as TREAT, ETH as SUD, a date as a dateTime).
//
// # Several consents for one patient
//
// Part 2 consents are separate authorizations: every consent of a patient goes to the
// engine, which permits when any consent in force covers the request. There is no "most
// recent wins" rule; a revocation is a status of the consent it revokes. Compile keeps the
// patients whose resources could not be mapped (every patient, when a resource's patient
// cannot be read), and its Engine turns a permit that rests on a consent into a deny with
// reason CodeUnmappableConsent for every patient that may be one of them (same value, and
// same system or none on either side): a consent that could not be read might have
// restricted the disclosure (deny on doubt). Exceptions to consent, which do not depend on
// consents, still permit. A nil or zero Engine permits nothing.
//
// # Labels and consent-decision services
//
// Labels lists the security labels for a permitted disclosure (v3 Confidentiality R, v3
// ActCode SUD and ETH, 42CFRPart2 and NORDSCLCD). Query.Requests builds consent requests
// from the context of a consent-decision query in the shape the LEAP consent decision
// service uses with CDS Hooks (patient identifier, actor identifiers, purpose-of-use code,
// class codes), and Consult answers it as CONSENT_PERMIT, CONSENT_DENY or NO_CONSENT. Every
// actor of the context is judged: an actor without a value, or of another system than
// Query.ActorSystem, makes the query an error rather than being skipped, so CONSENT_PERMIT
// always speaks for every actor. The patient is the context's one identifier, or the one of
// Query.PatientSystem.
//
// # References
//
//   - 42 CFR part 2, Confidentiality of Substance Use Disorder Patient Records, as amended
//     by the final rule of February 16, 2024 (89 FR 12472); consent.RuleEdition.
//   - HL7 FHIR Release 4 (4.0.1), Consent resource.
//   - HL7 Terminology (THO): v3-ActReason, v3-ActCode, v3-Confidentiality,
//     v3-ParticipationType, consentscope, consentaction; LOINC 64292-6 and 59284-0.
//   - LEAP Consent Decision Service (sdhealthconnect/leap-cds): the patient-consent-consult
//     CDS Hooks context and its CONSENT_PERMIT / CONSENT_DENY / NO_CONSENT answers.
package fhir
