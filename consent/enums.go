// Enums of the consent package. Every enum is a uint8 whose zero value is Unknown, with stable
// snake_case codes held in an unexported table that is never written.

package consent

// Kind is the consent kind: which of the separate consents of 42 CFR 2.31 a consent is.
// Its zero value, KindUnknown, is an unknown kind: it never permits anything.
// A code this package does not know decodes to KindUnknown without error.
type Kind uint8

// Kind values.
const (
	// KindUnknown is the zero value: no kind, or one this package does not know.
	KindUnknown Kind = iota
	// KindGeneral (general) is a consent for named recipients and stated purposes (42 CFR 2.31(a)).
	KindGeneral
	// KindTPO (tpo) is a single consent for all future uses and disclosures for treatment, payment and health care operations (42 CFR 2.31(a)(4)(i), 2.33(b)).
	KindTPO
	// KindCounselingNotes (counseling_notes) is a consent for SUD counseling notes alone, never combined with another kind (42 CFR 2.31(b)).
	KindCounselingNotes
	// KindProceedings (proceedings) is a consent for use in civil, criminal, administrative or legislative proceedings, never combined with another kind (42 CFR 2.31(d)).
	KindProceedings
	// KindResearch (research) is a consent for research, which may expire at the end of the research study (42 CFR 2.31(a)(7)).
	KindResearch
)

var kindCodes = [...]string{"unknown", "general", "tpo", "counseling_notes", "proceedings", "research"}

// String returns the stable snake_case code, or "unknown".
func (v Kind) String() string { return codeOf(uint8(v), kindCodes[:]) }

// IsValid reports whether v is a known kind other than KindUnknown.
func (v Kind) IsValid() bool { return v > 0 && int(v) < len(kindCodes) }

// MarshalText returns the stable code ("unknown" for KindUnknown and out-of-range values).
func (v Kind) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText decodes a stable code. An unknown code is not an error: it decodes to
// KindUnknown, which fails closed wherever it is used.
func (v *Kind) UnmarshalText(b []byte) error {
	*v = Kind(codeIndex(string(b), kindCodes[:]))
	return nil
}

// ParseKind returns the Kind for a stable code and whether the code is known.
func ParseKind(code string) (Kind, bool) {
	v := Kind(codeIndex(code, kindCodes[:]))
	return v, v.IsValid()
}

// Purpose is the purpose of a use or disclosure.
// Its zero value, PurposeUnknown, is an unknown purpose: it never permits anything.
// A code this package does not know decodes to PurposeUnknown without error.
type Purpose uint8

// Purpose values.
const (
	// PurposeUnknown is the zero value: no purpose, or one this package does not know.
	PurposeUnknown Purpose = iota
	// PurposeTreatment (treatment) is treatment of the patient.
	PurposeTreatment
	// PurposePayment (payment) is payment for health care.
	PurposePayment
	// PurposeOperations (operations) is health care operations.
	PurposeOperations
	// PurposePatientRequest (patient_request) is at the request of the patient (42 CFR 2.31(a)(5)).
	PurposePatientRequest
	// PurposeEmergencyTreatment (emergency_treatment) is treatment in a bona fide medical emergency (42 CFR 2.51).
	PurposeEmergencyTreatment
	// PurposeResearch (research) is research (42 CFR 2.52).
	PurposeResearch
	// PurposeAudit (audit) is audit or evaluation (42 CFR 2.53).
	PurposeAudit
	// PurposePublicHealth (public_health) is public health, of de-identified information (42 CFR 2.54).
	PurposePublicHealth
	// PurposeProceedings (proceedings) is use in civil, criminal, administrative or legislative proceedings (42 CFR 2.31(d), subpart E).
	PurposeProceedings
	// PurposeChildAbuseReport (child_abuse_report) is the initial report of suspected child abuse or neglect required by State law (42 CFR 2.12(c)(6)).
	PurposeChildAbuseReport
	// PurposeCrimeOnPremises (crime_on_premises) is a report to law enforcement of a crime on program premises or against program personnel (42 CFR 2.12(c)(5)).
	PurposeCrimeOnPremises
	// PurposeQSOService (qso_service) is a service a qualified service organization provides to the program (42 CFR 2.12(c)(4)).
	PurposeQSOService
	// PurposeCAPTANotification (capta_notification) is the notification of child protective services of an infant affected by substance abuse or withdrawal symptoms (CAPTA, 42 U.S.C. 5106a(b)(2)(B)(ii)). It is not a report of suspected child abuse or neglect: no exception of Part 2 covers it (not 42 CFR 2.12(c)(6)), so it needs a consent that names this purpose.
	PurposeCAPTANotification
)

var purposeCodes = [...]string{"unknown", "treatment", "payment", "operations", "patient_request", "emergency_treatment", "research", "audit", "public_health", "proceedings", "child_abuse_report", "crime_on_premises", "qso_service", "capta_notification"}

// String returns the stable snake_case code, or "unknown".
func (v Purpose) String() string { return codeOf(uint8(v), purposeCodes[:]) }

// IsValid reports whether v is a known purpose other than PurposeUnknown.
func (v Purpose) IsValid() bool { return v > 0 && int(v) < len(purposeCodes) }

// MarshalText returns the stable code ("unknown" for PurposeUnknown and out-of-range values).
func (v Purpose) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText decodes a stable code. An unknown code is not an error: it decodes to
// PurposeUnknown, which fails closed wherever it is used.
func (v *Purpose) UnmarshalText(b []byte) error {
	*v = Purpose(codeIndex(string(b), purposeCodes[:]))
	return nil
}

// ParsePurpose returns the Purpose for a stable code and whether the code is known.
func ParsePurpose(code string) (Purpose, bool) {
	v := Purpose(codeIndex(code, purposeCodes[:]))
	return v, v.IsValid()
}

// InfoKind is the kind of information a disclosure carries.
// Its zero value, InfoKindUnknown, is an unknown information kind: it never permits anything.
// A code this package does not know decodes to InfoKindUnknown without error.
type InfoKind uint8

// InfoKind values.
const (
	// InfoKindUnknown is the zero value: no information kind, or one this package does not know.
	InfoKindUnknown InfoKind = iota
	// InfoKindSUDRecords (sud_records) is substance use disorder records other than counseling notes (42 CFR 2.11 "records").
	InfoKindSUDRecords
	// InfoKindCounselingNotes (counseling_notes) is SUD counseling notes, which need a consent of their own (42 CFR 2.11, 2.31(b)).
	InfoKindCounselingNotes
	// InfoKindPatientIdentity (patient_identity) is patient identifying information alone: name, address, patient status, last known whereabouts (42 CFR 2.11, 2.12(c)(5)).
	InfoKindPatientIdentity
)

var infoKindCodes = [...]string{"unknown", "sud_records", "counseling_notes", "patient_identity"}

// String returns the stable snake_case code, or "unknown".
func (v InfoKind) String() string { return codeOf(uint8(v), infoKindCodes[:]) }

// IsValid reports whether v is a known information kind other than InfoKindUnknown.
func (v InfoKind) IsValid() bool { return v > 0 && int(v) < len(infoKindCodes) }

// MarshalText returns the stable code ("unknown" for InfoKindUnknown and out-of-range values).
func (v InfoKind) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText decodes a stable code. An unknown code is not an error: it decodes to
// InfoKindUnknown, which fails closed wherever it is used.
func (v *InfoKind) UnmarshalText(b []byte) error {
	*v = InfoKind(codeIndex(string(b), infoKindCodes[:]))
	return nil
}

// ParseInfoKind returns the InfoKind for a stable code and whether the code is known.
func ParseInfoKind(code string) (InfoKind, bool) {
	v := InfoKind(codeIndex(code, infoKindCodes[:]))
	return v, v.IsValid()
}

// RecipientKind says what kind of party a recipient (or a redisclosing holder) is.
// Its zero value, RecipientKindUnknown, is an unknown recipient kind: it never permits anything.
// A code this package does not know decodes to RecipientKindUnknown without error.
type RecipientKind uint8

// RecipientKind values.
const (
	// RecipientKindUnknown is the zero value: no recipient kind, or one this package does not know.
	RecipientKindUnknown RecipientKind = iota
	// RecipientKindPart2Program (part2_program) is another Part 2 program (42 CFR 2.11).
	RecipientKindPart2Program
	// RecipientKindCoveredEntity (covered_entity) is a HIPAA covered entity (45 CFR 160.103).
	RecipientKindCoveredEntity
	// RecipientKindBusinessAssociate (business_associate) is a HIPAA business associate (45 CFR 160.103).
	RecipientKindBusinessAssociate
	// RecipientKindQSO (qso) is a qualified service organization (42 CFR 2.11).
	RecipientKindQSO
	// RecipientKindLawfulHolder (lawful_holder) is a lawful holder that is none of the kinds above (42 CFR 2.11).
	RecipientKindLawfulHolder
	// RecipientKindMedicalPersonnel (medical_personnel) is medical personnel treating a medical emergency (42 CFR 2.51).
	RecipientKindMedicalPersonnel
	// RecipientKindLawEnforcement (law_enforcement) is a law enforcement agency or official (42 CFR 2.12(c)(5)).
	RecipientKindLawEnforcement
	// RecipientKindChildProtectiveServices (child_protective_services) is the State or local authority receiving child abuse and neglect reports (42 CFR 2.12(c)(6)).
	RecipientKindChildProtectiveServices
	// RecipientKindResearcher (researcher) is a qualified researcher (42 CFR 2.52).
	RecipientKindResearcher
	// RecipientKindAuditor (auditor) is an auditor or evaluator (42 CFR 2.53).
	RecipientKindAuditor
	// RecipientKindPublicHealthAuthority (public_health_authority) is a public health authority (42 CFR 2.54).
	RecipientKindPublicHealthAuthority
	// RecipientKindCourt (court) is a court or other body conducting a proceeding (subpart E).
	RecipientKindCourt
	// RecipientKindSameProgram (same_program) is staff within the program, or an entity with direct administrative control over it (42 CFR 2.12(c)(3)).
	RecipientKindSameProgram
	// RecipientKindIntermediary (intermediary) is an intermediary such as a health information exchange, research institution or ACO (42 CFR 2.11, 2.31(a)(4)(ii)).
	RecipientKindIntermediary
	// RecipientKindContractor (contractor) is a contractor, subcontractor or legal representative of a lawful holder (42 CFR 2.33(c)).
	RecipientKindContractor
)

var recipientKindCodes = [...]string{"unknown", "part2_program", "covered_entity", "business_associate", "qso", "lawful_holder", "medical_personnel", "law_enforcement", "child_protective_services", "researcher", "auditor", "public_health_authority", "court", "same_program", "intermediary", "contractor"}

// String returns the stable snake_case code, or "unknown".
func (v RecipientKind) String() string { return codeOf(uint8(v), recipientKindCodes[:]) }

// IsValid reports whether v is a known recipient kind other than RecipientKindUnknown.
func (v RecipientKind) IsValid() bool { return v > 0 && int(v) < len(recipientKindCodes) }

// MarshalText returns the stable code ("unknown" for RecipientKindUnknown and out-of-range values).
func (v RecipientKind) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText decodes a stable code. An unknown code is not an error: it decodes to
// RecipientKindUnknown, which fails closed wherever it is used.
func (v *RecipientKind) UnmarshalText(b []byte) error {
	*v = RecipientKind(codeIndex(string(b), recipientKindCodes[:]))
	return nil
}

// ParseRecipientKind returns the RecipientKind for a stable code and whether the code is known.
func ParseRecipientKind(code string) (RecipientKind, bool) {
	v := RecipientKind(codeIndex(code, recipientKindCodes[:]))
	return v, v.IsValid()
}

// Designation is the general designation of recipients allowed by a TPO consent (42 CFR 2.31(a)(4)(i)).
// Its zero value, DesignationUnknown, is an unknown designation: it never permits anything.
// A code this package does not know decodes to DesignationUnknown without error.
type Designation uint8

// Designation values.
const (
	// DesignationUnknown is the zero value: no designation, or one this package does not know.
	DesignationUnknown Designation = iota
	// DesignationTreatingProviders (treating_providers) is "my treating providers".
	DesignationTreatingProviders
	// DesignationHealthPlans (health_plans) is "health plans".
	DesignationHealthPlans
	// DesignationThirdPartyPayers (third_party_payers) is "third-party payers".
	DesignationThirdPartyPayers
	// DesignationProgramOperations (program_operations) is "people helping to operate this program".
	DesignationProgramOperations
)

var designationCodes = [...]string{"unknown", "treating_providers", "health_plans", "third_party_payers", "program_operations"}

// String returns the stable snake_case code, or "unknown".
func (v Designation) String() string { return codeOf(uint8(v), designationCodes[:]) }

// IsValid reports whether v is a known designation other than DesignationUnknown.
func (v Designation) IsValid() bool { return v > 0 && int(v) < len(designationCodes) }

// MarshalText returns the stable code ("unknown" for DesignationUnknown and out-of-range values).
func (v Designation) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText decodes a stable code. An unknown code is not an error: it decodes to
// DesignationUnknown, which fails closed wherever it is used.
func (v *Designation) UnmarshalText(b []byte) error {
	*v = Designation(codeIndex(string(b), designationCodes[:]))
	return nil
}

// ParseDesignation returns the Designation for a stable code and whether the code is known.
func ParseDesignation(code string) (Designation, bool) {
	v := Designation(codeIndex(code, designationCodes[:]))
	return v, v.IsValid()
}

// Signer says who signed a consent (42 CFR 2.31(a)(8)).
// Its zero value, SignerUnknown, is an unknown signer: it never permits anything.
// A code this package does not know decodes to SignerUnknown without error.
type Signer uint8

// Signer values.
const (
	// SignerUnknown is the zero value: no signer, or one this package does not know.
	SignerUnknown Signer = iota
	// SignerPatient (patient) is the patient.
	SignerPatient
	// SignerGuardian (guardian) is a person authorized to sign for a minor patient (42 CFR 2.14).
	SignerGuardian
	// SignerPersonalRepresentative (personal_representative) is a person authorized to sign for a patient who lacks capacity or has died (42 CFR 2.15).
	SignerPersonalRepresentative
)

var signerCodes = [...]string{"unknown", "patient", "guardian", "personal_representative"}

// String returns the stable snake_case code, or "unknown".
func (v Signer) String() string { return codeOf(uint8(v), signerCodes[:]) }

// IsValid reports whether v is a known signer other than SignerUnknown.
func (v Signer) IsValid() bool { return v > 0 && int(v) < len(signerCodes) }

// MarshalText returns the stable code ("unknown" for SignerUnknown and out-of-range values).
func (v Signer) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText decodes a stable code. An unknown code is not an error: it decodes to
// SignerUnknown, which fails closed wherever it is used.
func (v *Signer) UnmarshalText(b []byte) error {
	*v = Signer(codeIndex(string(b), signerCodes[:]))
	return nil
}

// ParseSigner returns the Signer for a stable code and whether the code is known.
func ParseSigner(code string) (Signer, bool) {
	v := Signer(codeIndex(code, signerCodes[:]))
	return v, v.IsValid()
}

// ObligationCode says what the discloser must do when it makes a permitted disclosure.
// Its zero value, ObligationCodeUnknown, is an unknown obligation code.
// A code this package does not know decodes to ObligationCodeUnknown without error.
type ObligationCode uint8

// ObligationCode values.
const (
	// ObligationCodeUnknown is the zero value: no obligation code, or one this package does not know.
	ObligationCodeUnknown ObligationCode = iota
	// ObligationCodeNotice232 (notice_2_32) is attach the notice of 42 CFR 2.32 with a copy of the consent or a clear explanation of its scope.
	ObligationCodeNotice232
	// ObligationCodeRecordDisclosure (record_disclosure) is enter the disclosure in the accounting of disclosures (42 CFR 2.25) or an intermediary's list of disclosures (42 CFR 2.24).
	ObligationCodeRecordDisclosure
	// ObligationCodeDocumentEmergency (document_emergency) is document the emergency disclosure in the patient's records (42 CFR 2.51(c)).
	ObligationCodeDocumentEmergency
	// ObligationCodeLimitToNeed (limit_to_need) is disclose only what the recipient needs for the stated purpose, service or incident (42 CFR 2.13(a)).
	ObligationCodeLimitToNeed
	// ObligationCodeContractorSafeguards (contractor_safeguards) is require the contractor, subcontractor or legal representative to implement appropriate safeguards against unauthorized uses and disclosures and to report any unauthorized use, disclosure or breach to the lawful holder (42 CFR 2.33(c)).
	ObligationCodeContractorSafeguards
)

var obligationCodeCodes = [...]string{"unknown", "notice_2_32", "record_disclosure", "document_emergency", "limit_to_need", "contractor_safeguards"}

// String returns the stable snake_case code, or "unknown".
func (v ObligationCode) String() string { return codeOf(uint8(v), obligationCodeCodes[:]) }

// IsValid reports whether v is a known obligation code other than ObligationCodeUnknown.
func (v ObligationCode) IsValid() bool { return v > 0 && int(v) < len(obligationCodeCodes) }

// MarshalText returns the stable code ("unknown" for ObligationCodeUnknown and out-of-range values).
func (v ObligationCode) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText decodes a stable code. An unknown code is not an error: it decodes to
// ObligationCodeUnknown, which fails closed wherever it is used.
func (v *ObligationCode) UnmarshalText(b []byte) error {
	*v = ObligationCode(codeIndex(string(b), obligationCodeCodes[:]))
	return nil
}

// ParseObligationCode returns the ObligationCode for a stable code and whether the code is known.
func ParseObligationCode(code string) (ObligationCode, bool) {
	v := ObligationCode(codeIndex(code, obligationCodeCodes[:]))
	return v, v.IsValid()
}

// BasisKind says what a permit rests on.
// Its zero value, BasisKindUnknown, is an unknown basis kind.
// A code this package does not know decodes to BasisKindUnknown without error.
type BasisKind uint8

// BasisKind values.
const (
	// BasisKindUnknown is the zero value: no basis kind, or one this package does not know.
	BasisKindUnknown BasisKind = iota
	// BasisKindConsent (consent) is a written consent of the patient (42 CFR 2.31).
	BasisKindConsent
	// BasisKindException (exception) is a use or disclosure permitted without consent (42 CFR 2.12(c), subpart D, subpart E).
	BasisKindException
	// BasisKindRedisclosure (redisclosure) is a lawful holder's redisclosure of what it received (42 CFR 2.33).
	BasisKindRedisclosure
)

var basisKindCodes = [...]string{"unknown", "consent", "exception", "redisclosure"}

// String returns the stable snake_case code, or "unknown".
func (v BasisKind) String() string { return codeOf(uint8(v), basisKindCodes[:]) }

// IsValid reports whether v is a known basis kind other than BasisKindUnknown.
func (v BasisKind) IsValid() bool { return v > 0 && int(v) < len(basisKindCodes) }

// MarshalText returns the stable code ("unknown" for BasisKindUnknown and out-of-range values).
func (v BasisKind) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText decodes a stable code. An unknown code is not an error: it decodes to
// BasisKindUnknown, which fails closed wherever it is used.
func (v *BasisKind) UnmarshalText(b []byte) error {
	*v = BasisKind(codeIndex(string(b), basisKindCodes[:]))
	return nil
}

// ParseBasisKind returns the BasisKind for a stable code and whether the code is known.
func ParseBasisKind(code string) (BasisKind, bool) {
	v := BasisKind(codeIndex(code, basisKindCodes[:]))
	return v, v.IsValid()
}

// Severity says how serious a validation problem is.
// Its zero value, SeverityUnknown, is an unknown severity.
// A code this package does not know decodes to SeverityUnknown without error.
type Severity uint8

// Severity values.
const (
	// SeverityUnknown is the zero value: no severity, or one this package does not know.
	SeverityUnknown Severity = iota
	// SeverityError (error) is the value does not conform and must not be relied on.
	SeverityError
	// SeverityWarning (warning) is the value conforms but a part of it needs attention.
	SeverityWarning
)

var severityCodes = [...]string{"unknown", "error", "warning"}

// String returns the stable snake_case code, or "unknown".
func (v Severity) String() string { return codeOf(uint8(v), severityCodes[:]) }

// IsValid reports whether v is a known severity other than SeverityUnknown.
func (v Severity) IsValid() bool { return v > 0 && int(v) < len(severityCodes) }

// MarshalText returns the stable code ("unknown" for SeverityUnknown and out-of-range values).
func (v Severity) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText decodes a stable code. An unknown code is not an error: it decodes to
// SeverityUnknown, which fails closed wherever it is used.
func (v *Severity) UnmarshalText(b []byte) error {
	*v = Severity(codeIndex(string(b), severityCodes[:]))
	return nil
}

// ParseSeverity returns the Severity for a stable code and whether the code is known.
func ParseSeverity(code string) (Severity, bool) {
	v := Severity(codeIndex(code, severityCodes[:]))
	return v, v.IsValid()
}

// Status is the lifecycle status of a consent at an instant.
// Its zero value, StatusUnknown, is an unknown status.
// A code this package does not know decodes to StatusUnknown without error.
type Status uint8

// Status values.
const (
	// StatusUnknown is the zero value: no status, or one this package does not know.
	StatusUnknown Status = iota
	// StatusInForce (in_force) is signed, conforming, not revoked, not expired, not known false.
	StatusInForce
	// StatusNotYetSigned (not_yet_signed) is the instant is before the date signed.
	StatusNotYetSigned
	// StatusDeficient (deficient) is the consent on its face fails to conform to 42 CFR 2.31(a) (42 CFR 2.31(c)(2)).
	StatusDeficient
	// StatusExpired (expired) is the expiration date has passed or the expiration event has occurred (42 CFR 2.31(c)(1)).
	StatusExpired
	// StatusRevoked (revoked) is written revocation was received (42 CFR 2.31(c)(3)).
	StatusRevoked
	// StatusKnownFalse (known_false) is the consent is known to be materially false (42 CFR 2.31(c)(4)).
	StatusKnownFalse
)

var statusCodes = [...]string{"unknown", "in_force", "not_yet_signed", "deficient", "expired", "revoked", "known_false"}

// String returns the stable snake_case code, or "unknown".
func (v Status) String() string { return codeOf(uint8(v), statusCodes[:]) }

// IsValid reports whether v is a known status other than StatusUnknown.
func (v Status) IsValid() bool { return v > 0 && int(v) < len(statusCodes) }

// MarshalText returns the stable code ("unknown" for StatusUnknown and out-of-range values).
func (v Status) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText decodes a stable code. An unknown code is not an error: it decodes to
// StatusUnknown, which fails closed wherever it is used.
func (v *Status) UnmarshalText(b []byte) error {
	*v = Status(codeIndex(string(b), statusCodes[:]))
	return nil
}

// ParseStatus returns the Status for a stable code and whether the code is known.
func ParseStatus(code string) (Status, bool) {
	v := Status(codeIndex(code, statusCodes[:]))
	return v, v.IsValid()
}
