package referral

import "time"

// Citations carried by reasons, due times and problems. Each names the rule's edition where
// it matters; see the package documentation's References.
const (
	// CiteTaskStatus is the FHIR R4 Task status code system and its state machine.
	CiteTaskStatus = "HL7 FHIR R4 Task.status"
	// CiteInterimPrenatal is the 48-hour interim-services prenatal-care referral.
	CiteInterimPrenatal = "45 CFR 96.131(d)"
	// CiteInterimDefinition defines interim services, including the prenatal-care referral.
	CiteInterimDefinition = "45 CFR 96.121"
	// CiteEarlyIntervention is the Early Intervention referral within 7 days of identification.
	CiteEarlyIntervention = "34 CFR 303.303(a)(2)(i)"
	// CiteEarlyInterventionSubstance requires referral of a child under three affected by
	// prenatal substance exposure or withdrawal.
	CiteEarlyInterventionSubstance = "34 CFR 303.303(b)(2)"
	// CitePlanOfSafeCare is CAPTA's Plan of Safe Care, with its referrals.
	CitePlanOfSafeCare = "42 U.S.C. 5106a(b)(2)(B)(iii)"
	// CiteConsent is the written consent of 42 CFR part 2.
	CiteConsent = "42 CFR 2.31"
	// CiteConsentInvalid lists consents a disclosure may not rely on (expired, revoked, ...).
	CiteConsentInvalid = "42 CFR 2.31(c)"
	// CiteQSO is the qualified service organization exception.
	CiteQSO = "42 CFR 2.12(c)(4)"
	// CiteNotice is the notice that accompanies each disclosure made with consent.
	CiteNotice = "42 CFR 2.32"
)

// FHIRVersion is the FHIR release the Task and ServiceRequest export follows.
const FHIRVersion = "4.0.1"

// EIWindow is the longest time from identifying an infant or toddler to the Early
// Intervention referral: 7 days (34 CFR 303.303(a)(2)(i) says "seven calendar days"). It is
// counted as 7×24 elapsed hours, which is never later than a calendar-day reading.
const EIWindow = 7 * 24 * time.Hour
