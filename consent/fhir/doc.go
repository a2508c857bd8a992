// Package fhir maps 42 CFR Part 2 consents (consent.Consent) to and from FHIR Consent
// resources in JSON (R4 and R5), names purposes of use and kinds of information with HL7
// codes, lists the security labels a permitted disclosure must carry, and builds consent
// requests from the context of a consent-decision query, so that a vendor holding FHIR
// consents can put the consent engine behind its service. It has no FHIR library
// dependency: the resource is a small set of plain structs (Consent, Provision, Coding, ...)
// filled by hand-written decoders over the library's one JSON reader (internal/jsonin: a
// byte limit, a nesting limit, duplicate and case-variant member names refused, trailing
// data refused, every problem with its path and a code, never the input's text).
//
// # Start here
//
// Three names do the common job: Decode (one FHIR Consent resource, R4 or R5, into a
// consent.Consent, exactly, or every problem) or Read (leniently, with findings), then the
// consent package's Compile and Engine.Decide, and Labels (the security labels a permitted
// disclosure must carry). A consent decision service uses Compile and Engine.Consult instead:
//
//	c, err := fhir.Options{DefaultStatements: statements}.Decode(resource) // or fhir.Read(resource)
//	engine, err := consent.Compile([]consent.Consent{c}, nil)
//	d := engine.Decide(request)                // permit or deny, basis, reasons, obligations
//	labels := fhir.Labels(d)                    // R, SUD, ETH, 42CFRPart2, NORDSCLCD on a permit
//	resource, err = fhir.Encode(c)              // and back to FHIR R4
//
// Example_vendor (the README's program for a data-sharing vendor) runs this in full. The rest
// of this page is reference.
//
// There are two readings. Decode (and Compile with the zero Options) maps a resource
// exactly, or refuses it with every problem: what it returns is what the resource says.
// Read (and Compile with Options.Lenient) reads leniently and judges strictly, as a vendor
// needs with the consents that patient portals, HIEs and consent services hold: it refuses
// only what is not a FHIR Consent, maps everything else to the consent model with findings
// (what was read and how, what is missing for Part 2 with its 2.31(a) paragraph, what could
// not be mapped and what the reading did about it), and never reads a consent as permitting
// more than its text allows: what the model cannot hold exactly is narrowed (see "Read:
// lenient reading"). A consent lacking 2.31(a) elements is kept, deficient: the engine
// judges it, it permits nothing, and the answer can say "not a valid Part 2 consent: no
// signature (2.31(a)(8)), ...".
//
// # Mapping
//
// Each Part 2 element of consent.Consent maps as follows (ext: an extension of this
// package, URL https://dyad-health.github.io/fhir/StructureDefinition/<name>). An R5
// resource maps the same way through R5's names: subject for patient, date for dateTime,
// grantor for performer, manager and controller for organization, regulatoryBasis for
// policyRule, policyBasis.url for policy.uri, Consent.period for the root provision's period,
// and decision with provisions for the provision tree (each R5 provision is the opposite of
// what holds above it). The version is told by the elements present; a resource with
// elements of both is read as their union by Read (finding mixed_versions) and refused by
// Decode.
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
//	                              also COC as treatment, and ActReason codes under its STU3
//	                              URI, its OID and the value set URL v3-PurposeOfUse; audit,
//	                              child_abuse_report,
//	                              crime_on_premises and qso_service have no ActReason code and
//	                              use SystemPurpose
//	Information (2.31(a)(3))      provision.securityLabel[]: v3-ActCode SUD for sud_records
//	                              (read also ETH and 42CFRPart2, and the ActCode codes under
//	                              the value set URLs v3-InformationSensitivityPolicy and
//	                              v3-ActInformationSensitivityPolicy, ActCode's OID and
//	                              STU3 URI, and v3-ActUSPrivacyLaw for 42CFRPart2);
//	                              counseling_notes and patient_identity use SystemInformation
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
// # Decode: exact mapping
//
// Decode never drops a Part 2 element silently: a resource it cannot map exactly is a
// *MappingError listing every problem with its path and a stable code. It refuses: a
// resourceType other than Consent; a status other than active or inactive-with-revocation
// (an inactive consent without a revocation time, a draft, proposed, rejected,
// entered-in-error or unknown consent); an R4 scope other than patient-privacy (R5: a
// category of the consentscope system, patient-privacy); a resource that nothing marks as a
// Part 2 consent (policyRule or regulatoryBasis 42CFRPart2, policy.uri or policyBasis.url
// Part2PolicyURI, or category 42CFRPart2CD); any modifierExtension and implicitRules; a
// purpose, security label, actor role or designation with no exact mapping (ETHUD and
// OPIOIDUD name part of SUD records: refused); actions that do not include disclose;
// provision class, code, dataPeriod, data, documentType, resourceType and expression
// (restrictions a Part 2 consent value cannot hold); a permission whose period starts after
// the date signed; more than one performer, or one whose signer role cannot be told; a date
// less precise than a day; extensions of this package with a wrong shape; elements of both
// R4 and R5; and provision trees other than those below.
//
// Provision trees: the root is a permit; or a deny whose only content is one nested permit
// (an opt-in under a base deny; in R5, decision deny with one provision), which is read as
// that permit. Under the permit, each nested provision must be a deny that restricts exactly
// one of purpose, securityLabel or actor and nothing else. Denied purposes and kinds of
// information are removed from the consent (a deny of the patient's identity cannot be held
// while SUD records, every one of which identifies the patient, are granted: refused).
// Denied actors become the consent's Exclusions, whether or not the permit lists them: the
// patient's "not to X" holds however X would otherwise be reached (named, within a
// designated class, as an intermediary's member, or by a holder's redisclosure), and an actor
// denied by literal reference ("Practitioner/x", no system) is excluded under every system.
// An actor is one party however it is named: a denied actor is excluded under its
// identifier and the id of its literal reference (relative, absolute or versioned), and
// under every identifier that an actor of the same resource pairs with either of them (a
// permit naming Harbor as "Organization/org-harbor" with its NPI, and a deny naming
// "Organization/org-harbor" alone, exclude the NPI too); in the same way, Engine lets a
// refusal of one resource reach every identifier that an actor of any resource compiled
// with it pairs with the refused one (fail closed: a refusal reaches every identifier that
// may be the actor's, 42 CFR 2.31(a)(4)(i), 2.33(a)(1)).
// A deny-only consent (an opt-out) grants no Part 2 permission and is refused. Writing nests
// one deny provision holding the exclusions as actors.
//
// # Read: lenient reading
//
// Read refuses only a resource that is not a FHIR Consent (not JSON, more than
// MaxResourceBytes, a member neither version has, a value of the wrong type, another
// resourceType, an invalid id, no status) or that cannot be attributed (a patient that
// cannot be read, a patient and a subject that differ). Everything else is read, each reading
// below with a finding, and a Reading holds the consents granted (Consents), what the
// resource refuses (Refusals) and the findings:
//
//   - One value where FHIR wants an array (a code object, R5's regulatoryBasis object) is
//     read as a list of one (not_an_array). Elements of both versions are read together.
//   - Scope: an R4 resource without scope is a privacy consent when a category of the
//     consentscope system says patient-privacy (as R5 writes it). A consent of another scope
//     (research, treatment, advance directive) authorizes no disclosure: it grants nothing
//     and is no privacy consent on file. The denies of a treatment or advance directive
//     consent are no statement about disclosure; those of a research consent (consentscope
//     research: "Consent to participate in research protocol and information sharing
//     required") are refusals of disclosure for research (a deny naming purposes: those
//     purposes), since a refusal fails closed whatever its scope label.
//   - A consent nothing marks as Part 2 (a HIPAA authorization, policyRule hipaa-self-pay)
//     is judged against 2.31(a) like any other (not_part2, read).
//   - Status: inactive without a revocation time, or unknown: the consent grants nothing
//     (when it stopped counting cannot be told), and what it denies still counts. Draft,
//     proposed, rejected, not-done and entered-in-error: nothing, neither grant nor refusal
//     (no statement of the patient's).
//   - A modifier extension or implicit rules on the resource or on a permission: the
//     consent grants nothing. On a deny, an actor or a policy: kept, read as restricting no
//     less than without it.
//   - The 2.31(a) elements that are missing (no signer, no statements, no recipient, no
//     information, no purpose, ...) make the consent deficient, with a finding per element
//     and its paragraph; several performers, a performer who is neither the patient nor
//     carries a signer role, a malformed kind or statements extension are read as the
//     element missing.
//   - A permission: actors with a role other than IRCP, or whose reference cannot be read,
//     are not granted; access is read as disclosure to the actor, actions with neither
//     disclose nor access grant nothing; purposes with no Part 2 purpose are not granted; a
//     label naming part of SUD records (ETHUD, OPIOIDUD) or no Part 2 kind (HIV, R) grants
//     no kind; restricting the permission to a class, code, document or resource type,
//     period of data, data or expression grants nothing (reading it without them would
//     permit more); a period start after the date signed makes the consent count from that
//     start; an unreadable date, a malformed expiration, revocation or known-falsity
//     extension, or an unknown extension of this package grants nothing.
//   - A deny nested under a permission removes from it the widest set the consent model can
//     hold that contains what the deny names (deny_widened when that set is wider than the
//     text), by the first dimension it names of: actors (excluded entirely, whatever else
//     the deny restricts: purpose, label, class, code, action, period; an actor that cannot
//     be identified: nothing is granted); purposes (removed entirely; a purpose with no
//     Part 2 purpose, such as HMARKT or a code of an unknown system, may be any: nothing is
//     granted, and the deny's refusal covers every purpose); security labels
//     (their kinds removed entirely: ETHUD and OPIOIDUD remove SUD records, the identity
//     removes SUD records too, a label of no Part 2 kind removes everything); otherwise
//     (only a class, code, action, period or data, or nothing) nothing is granted. A
//     permit nested under that deny is not read: the deny stays whole.
//   - A base deny (an opt-out; R4 provision type deny, R5 decision deny) is a refusal;
//     each permit nested in it is a permission of its own (a consent value each: ids
//     "<id>#1", "<id>#2", ... when there are several), bounded by the deny's period, with
//     its own nested denies; each permission read exactly is carved out of the refusal. A
//     deny nested in the base deny adds nothing.
//   - A provision without a type (R4) or a decision (R5) that is neither permit nor deny is
//     read as a deny.
//   - A literal reference may be absolute ("https://server/fhir/Organization/x") or
//     versioned ("Organization/x/_history/2"): read as the type and id.
//   - A date of a year or a month alone is read with the bound that fails closed: a start
//     at the end of the period, a stop at its start, an inclusive end at its earliest end.
//   - A resource without an id is read (Reading.SetID names it, as a service may after its
//     file); Compile and CompileReadings leave out one without an id.
//
// Every refusal (a base deny, a nested deny) is also kept, read as wide as its text and
// wider where it cannot be read exactly (a class, code, action, period or data restriction
// is dropped; an actor that cannot be identified is every actor; a label of no Part 2 kind is
// every kind), for the rule that the most recent consent wins (see Engine).
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
// bounds no time zone can contradict are used: a start (dateTime, date, period.start) is the
// last instant at which the day has begun everywhere (its start at UTC-12); a stop that
// happened on the day (a revocation, known falsity, the expiration event) is the first
// instant at which the day has begun anywhere (its start at UTC+14); period.end, a day FHIR
// includes, ends at the first instant at which the day is over somewhere (its end at
// UTC+14). A consent signed "2026-03-10" thus counts from 2026-03-10T12:00Z, and one ending
// "2026-06-30" stops at 2026-06-30T10:00Z. The signing is kept as the interval it may lie in
// (Reading.Signed): from the day's start at UTC+14 to its end at UTC-12.
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
// engine, which permits when a consent in force covers the request. Consents that deny speak
// too: the most recent consent that speaks to a disclosure decides. A patient's refusal
// written after a consent (an opt-out, the base deny of a later opt-in, or a later consent's
// nested deny) withdraws, as far as it reaches, what the earlier consent permitted, from the
// earliest instant the refusal may have been signed on (the right to revoke in writing,
// 2.31(a)(6), (c); a revocation is not retroactive); a consent signed after the refusal is a
// new authorization and permits. Engine.Decide applies the rule to the permit the consent
// engine finds (the most recent consent that permits: Compile orders each patient's consents
// latest signed first): the permit stands only when its consent was surely signed after every
// other consent of the patient's that refuses the request; two consents whose order the
// signing dates cannot tell (the same day without a time) deny on doubt (CodeLaterRefusal).
// A refusal counts from its signing on, whatever becomes of its resource later (its period
// ending, its status turning inactive): what a written refusal withdrew is not restored by
// the refusing document's end; only a consent signed later permits again (fail closed).
// A consent's own nested denies restrict it already (Exclusions, removed purposes and kinds).
// A refusal counts for every patient it may belong to: one naming its patient by the same
// identifier value under another system, or by a literal reference ("Patient/pt-7731")
// that another resource pairs with the patient's identifier, is the patient's too (fail
// closed; permits still need the consent's exact patient identifier).
// This is the rule of consent decision services such as LEAP CDS (the most recent applicable
// consent wins), limited to consents that say something of the disclosure: a later consent
// that merely does not name a recipient does not withdraw an earlier one's permission.
//
// Compile keeps the patients whose resources could not be read (every patient, when a
// resource's patient cannot be read), and its Engine turns a permit that rests on a consent
// into a deny with reason CodeUnmappableConsent for every patient that may be one of them
// (same value, and same system or none on either side): a consent that could not be read
// might have restricted the disclosure (deny on doubt). Exceptions to consent, which do not
// depend on consents, still permit. A nil or zero Engine permits nothing.
//
// # Labels and consent-decision services
//
// Labels lists the security labels for a permitted disclosure (v3 Confidentiality R, v3
// ActCode SUD and ETH, 42CFRPart2 and NORDSCLCD). Query.Requests builds consent requests
// from the context of a consent-decision query in the shape the LEAP consent decision
// service uses with CDS Hooks: the patient's identifiers, the identifiers of the one actor
// asked about, one purpose-of-use code or several (each judged), and class codings:
// sensitivity labels (SUD, ETH, 42CFRPart2; ETHUD and OPIOIDUD ask for SUD records, of
// which they are part) or content classes (a resource type, an IHE format code, a MIME type,
// a URI: the data within Query.Information). Consult answers it as CONSENT_PERMIT (the actor
// is permitted for every purpose), CONSENT_DENY or NO_CONSENT (denied, and the patient has no
// consent on file, Engine.OnFile), with BasedOn naming the consent resources the answer rests
// on. The actor is one party: it is permitted under one of its identifiers that a consent
// names, unless that consent excludes it under another (CodeActorExcluded) or a refusal
// reaches any of them (Engine.DecideActor). Every identifier is judged: an identifier
// without a value, or of another system than Query.ActorSystem, makes the query an error
// rather than being skipped. The patient is the context's one identifier, or the one of
// Query.PatientSystem. A deny carries, besides the engine's reasons, the patient's refusals
// that cover the request (CodePatientRefused) and the consents on file that grant nothing as
// read (CodeConsentGrantsNothing); Engine.Findings gives a resource's findings, such as
// the 2.31(a) elements it lacks.
//
// examples/consent-service serves Consult over CDS Hooks.
//
// # References
//
//   - 42 CFR part 2, Confidentiality of Substance Use Disorder Patient Records, as amended
//     by the final rule of February 16, 2024 (89 FR 12472); consent.RuleEdition.
//   - HL7 FHIR Release 4 (4.0.1) and Release 5 (5.0.0), Consent resource.
//   - HL7 Terminology (THO): v3-ActReason, v3-ActCode (ETH, ETHUD, OPIOIDUD, SUD, 42CFRPart2,
//     42CFRPart2CD, NORDSCLCD), the deprecated v3-ActUSPrivacyLaw, the value sets
//     v3-InformationSensitivityPolicy and v3-ActInformationSensitivityPolicy (whose URLs
//     real data uses as code systems), v3-Confidentiality, v3-ParticipationType,
//     consentscope, consentaction; LOINC 64292-6 and 59284-0.
//   - LEAP Consent Decision Service (sdhealthconnect/leap-cds): the patient-consent-consult
//     CDS Hooks context and its CONSENT_PERMIT / CONSENT_DENY / NO_CONSENT answers.
package fhir
