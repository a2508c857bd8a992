package fhir

import (
	"slices"

	"github.com/dyad-health/dyad/consent"
)

// Code system URIs. Each HL7 code below was checked against HL7 Terminology (THO) or the
// FHIR R4 specification; the comment says where. "Verified" means the code, its system and
// its display were seen in that source.
const (
	// SystemActReason is HL7 v3 ActReason, whose PurposeOfUse branch holds purposes of use.
	// Verified: terminology.hl7.org ValueSet v3-GeneralPurposeOfUse (THO 5.1.0) and FHIR R4
	// ValueSet v3-PurposeOfUse.
	SystemActReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
	// SystemConfidentiality is HL7 v3 Confidentiality. Verified: FHIR R4 examples package
	// (hl7.fhir.r4.examples 4.0.1), code R "restricted".
	SystemConfidentiality = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
	// SystemActCode is HL7 v3 ActCode, which holds the sensitivity codes ETH and SUD, the
	// privacy law 42CFRPart2 (moved here from the deprecated v3-ActUSPrivacyLaw), the consent
	// directive 42CFRPart2CD and the refrain policy NORDSCLCD.
	SystemActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
	// SystemConsentScope is the FHIR consent scope code system. Verified: THO CodeSystem
	// consentscope, code patient-privacy "Privacy Consent".
	SystemConsentScope = "http://terminology.hl7.org/CodeSystem/consentscope"
	// SystemConsentAction is the FHIR consent action code system (collect, access, use,
	// disclose, correct). Verified: code disclose with this system in a published FHIR
	// Consent example and in the LEAP test consents (access, correct); the code system page
	// itself was not read.
	SystemConsentAction = "http://terminology.hl7.org/CodeSystem/consentaction"
	// SystemParticipationType is HL7 v3 ParticipationType, for provision actor roles.
	// Verified: code IRCP "information recipient" in THO 6.3.0 ValueSet
	// fhir-clinical-doc-information-recipient, and as the recipient role of the LEAP consent
	// decision service's test consents (sdhealthconnect/leap-cds).
	SystemParticipationType = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
	// SystemLOINC is LOINC.
	SystemLOINC = "http://loinc.org"
	// SystemActUSPrivacyLaw is the deprecated HL7 v3 ActUSPrivacyLaw code system, which held
	// 42CFRPart2 before it moved to v3-ActCode; read, never written. Verified: the FHIR R4
	// security-labels value set (binding of Meta.security) lists
	// http://terminology.hl7.org/CodeSystem/v3-ActUSPrivacyLaw with code 42CFRPart2
	// "42 CFR Part2".
	SystemActUSPrivacyLaw = "http://terminology.hl7.org/CodeSystem/v3-ActUSPrivacyLaw"

	// SystemPurpose is this package's code system for the consent purposes that HL7
	// ActReason has no code for (audit, child_abuse_report, crime_on_premises, qso_service)
	// and for "unknown". Codes are consent.Purpose codes.
	SystemPurpose = "https://dyad-health.github.io/fhir/CodeSystem/part2-purpose"
	// SystemInformation is this package's code system for the kinds of information that HL7
	// has no code for (counseling_notes, patient_identity) and for "unknown". Codes are
	// consent.InfoKind codes.
	SystemInformation = "https://dyad-health.github.io/fhir/CodeSystem/part2-information"
	// SystemObligation is this package's code system for the obligations of a permitted
	// disclosure, as a consent decision service states them (the LEAP service's card
	// extension obligations: an id coding and parameters). Codes are consent.ObligationCode
	// codes (notice_2_32, record_disclosure, ...) and security_labels (the labels the data
	// must carry, listed as the obligation's parameters).
	SystemObligation = "https://dyad-health.github.io/fhir/CodeSystem/part2-obligation"
	// SystemDesignation is this package's identifier system for the general designations of
	// recipients of a TPO consent (2.31(a)(4)(i)). Values are consent.Designation codes.
	SystemDesignation = "https://dyad-health.github.io/fhir/CodeSystem/part2-designation"
)

// HL7 and LOINC codes used by the mapping and by Labels.
const (
	// ScopePatientPrivacy is the Consent.scope of a privacy consent.
	ScopePatientPrivacy = "patient-privacy"
	// scopeResearch is the consentscope code of a research consent ("Consent to participate
	// in research protocol and information sharing required").
	scopeResearch = "research"
	// CategoryLOINCReleaseOfInformation is LOINC 64292-6 "Release of information consent
	// Document": the patient's consent to release information for a particular purpose.
	// LOINC has no code specific to 42 CFR Part 2; this is the nearest one, and 59284-0
	// ("Consent Document", the general code) is accepted on input. Verified: CH Core value
	// set ConsentCategoriesVS expanded by tx.fhir.org (LOINC 2.82) and the FHIR R4
	// consent-category value set.
	CategoryLOINCReleaseOfInformation = "64292-6"
	// CategoryLOINCConsent is LOINC 59284-0, the general consent document code.
	CategoryLOINCConsent = "59284-0"
	// Category42CFRPart2CD is v3 ActCode 42CFRPart2CD "42 CFR Part 2 consent directive", the
	// one code specific to a Part 2 consent. Verified: HL7 ActCode 8.0.0 expansions (concept
	// under _ActUSPrivacyConsentDirective).
	Category42CFRPart2CD = "42CFRPart2CD"
	// Law42CFRPart2 is v3 ActCode 42CFRPart2 "42 CFR Part2", a US privacy law code, used as
	// Consent.policyRule and as a security label. Verified: ActPrivacyLaw value set (HL7
	// THO, includes v3-ActCode concepts under _ActPrivacyLaw) and ActCode 8.0.0 expansions.
	Law42CFRPart2 = "42CFRPart2"
	// SensitivitySUD is v3 ActCode SUD "substance use disorder information sensitivity".
	// Verified: ActInformationSensitivityPolicy concepts of ActCode (THO 6.x copies).
	SensitivitySUD = "SUD"
	// SensitivityETH is v3 ActCode ETH "substance abuse information sensitivity", the older
	// code. Verified: terminology.hl7.org ValueSet v3-ActInformationSensitivityPolicy.
	SensitivityETH = "ETH"
	// RefrainNORDSCLCD is v3 ActCode NORDSCLCD "no redisclosure without consent directive".
	// Verified: build.fhir.org/ig/HL7/UTG ValueSet v3-RefrainPolicy (ActCode 9.0.0).
	RefrainNORDSCLCD = "NORDSCLCD"
	// ConfidentialityRestricted is v3 Confidentiality R "restricted".
	ConfidentialityRestricted = "R"
	// ActionDisclose is consentaction "disclose".
	ActionDisclose = "disclose"
	// ActionAccess is consentaction "access" (retrieve, read or access information), read
	// in a permission as disclosure to the actor. Verified: the LEAP consent decision
	// service's test consents (sdhealthconnect/leap-cds) deny actors this action.
	ActionAccess = "access"
	// SensitivityETHUD is v3 ActCode ETHUD "alcohol use disorder information sensitivity",
	// and SensitivityOPIOIDUD is v3 ActCode OPIOIDUD "opioid use disorder information
	// sensitivity": each names part of what SUD (alcohol or drug use disorders) names.
	// Verified: both listed with those displays among the v3-ActCode (8.0.0) concepts of the
	// value set ActInformationSensitivityPolicy (hl7.org/fhir/uv/xver-r5.r4 0.1.0, lookup of
	// R5-v3-ActInformationSensitivityPolicy-for-R4; OPIOIDUD's definition also seen in a
	// copy of ActCode): "Policy for handling information related to opioid use disorders".
	SensitivityETHUD    = "ETHUD"
	SensitivityOPIOIDUD = "OPIOIDUD"
	// RoleInformationRecipient is v3 ParticipationType IRCP "information recipient".
	RoleInformationRecipient = "IRCP"
)

// Part2PolicyURI is the Consent.policy.uri this package writes and accepts: the eCFR text of
// 42 CFR part 2. FHIR's consentpolicycodes code system (cric, hipaa-auth, hipaa-npp, ...)
// has no Part 2 code, so the policy is named by this URI and by policyRule 42CFRPart2.
const Part2PolicyURI = "https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2"

// Part2PolicyAuthority is the Consent.policy.authority this package writes.
const Part2PolicyAuthority = "https://www.ecfr.gov"

// Extension URLs of this package. Each carries a Part 2 element FHIR R4 Consent has no
// element for; doc.go lists them with their value types.
const (
	extBase = "https://dyad-health.github.io/fhir/StructureDefinition/"
	// ExtKind carries consent.Kind (valueCode: general, tpo, counseling_notes, proceedings,
	// research) on the Consent.
	ExtKind = extBase + "part2-consent-kind"
	// ExtInformationDescription carries the description of the information (valueString).
	ExtInformationDescription = extBase + "part2-information-description"
	// ExtDiscloserDesignation carries a general designation of the disclosers (valueString).
	ExtDiscloserDesignation = extBase + "part2-discloser-designation"
	// ExtStatements carries the required statements: sub-extensions "revocation",
	// "redisclosure" and "refusalConsequences", each valueBoolean.
	ExtStatements = extBase + "part2-statements"
	// ExtExpiration carries an expiration that is not a date: sub-extension "none"
	// (valueBoolean true), or "event" (valueString) with "occurredAt" (valueDateTime) once the
	// event has occurred. A date expiration is Consent.provision.period.end.
	ExtExpiration = extBase + "part2-expiration"
	// ExtSignerRole carries consent.Signer (valueCode: patient, guardian,
	// personal_representative) on the Consent.performer reference.
	ExtSignerRole = extBase + "part2-signer-role"
	// ExtRevokedAt carries when the program received the written revocation
	// (valueDateTime); the Consent's status is then "inactive".
	ExtRevokedAt = extBase + "part2-revoked-at"
	// ExtKnownFalse marks a consent known to be materially false (valueBoolean).
	ExtKnownFalse = extBase + "part2-known-false"
	// ExtKnownFalseAt carries when the consent became known to be materially false
	// (valueDateTime); it stops counting from that instant.
	ExtKnownFalseAt = extBase + "part2-known-false-at"
	// ExtIntermediary marks a recipient actor as an intermediary: valueBoolean true, or
	// sub-extensions "member" (valueString for a value without a system, or valueIdentifier;
	// repeating) and "memberDesignation" (valueCode).
	ExtIntermediary = extBase + "part2-intermediary"
)

// purposeHL7 maps the consent purposes that have an HL7 ActReason code. Codes and displays
// verified: TREAT, ETREAT, HPAYMT, HOPERAT, HRESCH, PATRQT, PUBHLTH in THO ValueSet
// v3-GeneralPurposeOfUse (5.1.0); HLEGAL "legal" (a child of HOPERAT) in the FHIR
// v3-PurposeOfUse value set; COC "coordination of care" in ActReason expansions and a FHIR
// Consent example. Reading proceedings as HLEGAL is this package's choice: ActReason has no
// code for use in proceedings against a patient.
var purposeHL7 = [...]struct {
	p       consent.Purpose
	code    string
	display string
}{
	{consent.PurposeTreatment, "TREAT", "treatment"},
	{consent.PurposePayment, "HPAYMT", "healthcare payment"},
	{consent.PurposeOperations, "HOPERAT", "healthcare operations"},
	{consent.PurposePatientRequest, "PATRQT", "patient requested"},
	{consent.PurposeEmergencyTreatment, "ETREAT", "Emergency Treatment"},
	{consent.PurposeResearch, "HRESCH", "healthcare research"},
	{consent.PurposePublicHealth, "PUBHLTH", "public health"},
	{consent.PurposeProceedings, "HLEGAL", "legal"},
}

// PurposeCoding returns the Coding for a consent purpose: its HL7 ActReason code when there
// is one, otherwise this package's SystemPurpose code.
func PurposeCoding(p consent.Purpose) Coding {
	for _, m := range purposeHL7 {
		if m.p == p {
			return Coding{System: SystemActReason, Code: m.code, Display: m.display}
		}
	}
	return Coding{System: SystemPurpose, Code: p.String()}
}

// ParsePurposeCoding returns the consent purpose of a Coding and whether it has one. It
// reads ActReason TREAT, HPAYMT, HOPERAT, PATRQT, ETREAT, HRESCH, PUBHLTH, HLEGAL and COC
// (as treatment), also under the systems real data uses for ActReason (its STU3 URI, its
// OID, and the value set URL v3-PurposeOfUse), and every SystemPurpose code.
func ParsePurposeCoding(c Coding) (consent.Purpose, bool) {
	switch {
	case isSystem(SystemActReason, c.System):
		for _, m := range purposeHL7 {
			if m.code == c.Code {
				return m.p, true
			}
		}
		// Read but never written: COC (coordination of care) is part of treatment.
		if c.Code == "COC" {
			return consent.PurposeTreatment, true
		}
	case c.System == SystemPurpose:
		if c.Code == "unknown" {
			return consent.PurposeUnknown, true
		}
		return consent.ParsePurpose(c.Code)
	}
	return consent.PurposeUnknown, false
}

// InformationCoding returns the security-label Coding for a kind of information: ActCode
// SUD for SUD records, this package's SystemInformation code otherwise.
func InformationCoding(k consent.InfoKind) Coding {
	if k == consent.InfoKindSUDRecords {
		return Coding{System: SystemActCode, Code: SensitivitySUD, Display: "substance use disorder information sensitivity"}
	}
	return Coding{System: SystemInformation, Code: k.String()}
}

// systemAliases are the systems real data uses for an HL7 v3 code system besides its
// terminology.hl7.org URI (the key), read as that system.
//
// v3 ActCode's sensitivity and privacy law codes: the value sets that hold them, used as if
// they were code systems (the LEAP test consents label with
// http://terminology.hl7.org/ValueSet/v3-InformationSensitivityPolicy), ActCode's OID, and
// the deprecated ActUSPrivacyLaw system for 42CFRPart2 (read apart, see parseLabel).
// Verified: the value set URLs v3-InformationSensitivityPolicy and
// v3-ActInformationSensitivityPolicy (FHIR R5 preview and THO pages: "include codes from
// system v3-ActCode where concept is-a _InformationSensitivityPolicy" /
// "_ActInformationSensitivityPolicy"); the OID 2.16.840.1.113883.5.4 mapped to v3-ActCode
// in the OID-to-URI tables of FHIR converters (public code); http://hl7.org/fhir/v3/ActCode,
// ActCode's URI in FHIR STU3 (the STU3 value set pages: "All codes from system
// http://hl7.org/fhir/v3/ActCode").
//
// v3 ActReason's purposes of use, by the same three spellings: its STU3 URI
// http://hl7.org/fhir/v3/ActReason (as STU3 wrote every v3 system, like ActCode above), its
// OID 2.16.840.1.113883.5.8 (HL7's OID of ActReason, as the OID-to-URI tables of FHIR
// converters map it; not re-retrieved here), and the value set of purposes of use drawn from
// it, http://terminology.hl7.org/ValueSet/v3-PurposeOfUse, used as if it were the code
// system. A purpose written under one of them is the same purpose: read otherwise, a
// patient's refusal written so would be lost.
var systemAliases = map[string][]string{
	SystemActCode: {
		"http://terminology.hl7.org/ValueSet/v3-InformationSensitivityPolicy",
		"http://terminology.hl7.org/ValueSet/v3-ActInformationSensitivityPolicy",
		"urn:oid:2.16.840.1.113883.5.4",
		"http://hl7.org/fhir/v3/ActCode",
	},
	SystemActReason: {
		"http://hl7.org/fhir/v3/ActReason",
		"urn:oid:2.16.840.1.113883.5.8",
		"http://terminology.hl7.org/ValueSet/v3-PurposeOfUse",
	},
}

// isSystem reports whether system is the code system canonical or one of the aliases real
// data uses for it (systemAliases).
func isSystem(canonical, system string) bool {
	return system == canonical || slices.Contains(systemAliases[canonical], system)
}

// isActCode reports whether a system is v3 ActCode or one of the aliases real data uses.
func isActCode(system string) bool { return isSystem(SystemActCode, system) }

// parseLabel reads a security label as a kind of Part 2 information: exact when the label
// names exactly that kind (ActCode SUD, ETH and 42CFRPart2 for SUD records, and this
// package's codes), not exact when it names part of it (ActCode ETHUD, OPIOIDUD: alcohol or
// opioid use disorder information, part of SUD records). InfoKindUnknown when it names no
// kind (HIV, PSY, a confidentiality code, ...).
func parseLabel(c Coding) (k consent.InfoKind, exact bool) {
	switch {
	case isActCode(c.System):
		switch c.Code {
		case SensitivitySUD, SensitivityETH, Law42CFRPart2:
			return consent.InfoKindSUDRecords, true
		case SensitivityETHUD, SensitivityOPIOIDUD:
			return consent.InfoKindSUDRecords, false
		}
	case c.System == SystemActUSPrivacyLaw:
		if c.Code == Law42CFRPart2 {
			return consent.InfoKindSUDRecords, true
		}
	case c.System == SystemInformation:
		k, ok := consent.ParseInfoKind(c.Code)
		return k, ok
	}
	return consent.InfoKindUnknown, false
}

// ParseInformationCoding returns the kind of information of a Coding and whether it names
// exactly that kind. ActCode SUD, ETH and 42CFRPart2 (also under the systems real data
// uses for ActCode: the value set URLs v3-InformationSensitivityPolicy and
// v3-ActInformationSensitivityPolicy, ActCode's OID, and v3-ActUSPrivacyLaw for
// 42CFRPart2) read as SUD records; SystemInformation codes as themselves. ETHUD and
// OPIOIDUD name part of SUD records: they are not read as a kind here (a consent granting
// them does not grant all SUD records), while a request for them asks for SUD records (see
// Query.Requests).
func ParseInformationCoding(c Coding) (consent.InfoKind, bool) {
	if c.System == SystemInformation && c.Code == "unknown" {
		return consent.InfoKindUnknown, true
	}
	k, exact := parseLabel(c)
	if k == consent.InfoKindUnknown || !exact {
		return consent.InfoKindUnknown, false
	}
	return k, true
}

// ObligationLabels is the SystemObligation code of the obligation to label the disclosed
// data with the security labels Labels returns.
const ObligationLabels = "security_labels"

// ObligationCoding returns the SystemObligation Coding of an obligation.
func ObligationCoding(o consent.ObligationCode) Coding {
	return Coding{System: SystemObligation, Code: o.String()}
}
