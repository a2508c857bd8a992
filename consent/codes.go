package consent

// RuleEdition names the edition of the regulation every rule of this package encodes. It is
// carried by every Decision so that a stored decision says which rule judged it.
const RuleEdition = "42 CFR part 2 as amended 2024-02-16 (89 FR 12472)"

// Code is a stable machine code of a reason or a validation problem. Codes are API: they
// never change meaning. The sentences that go with them are for people and may change.
type Code string

// Reason and problem codes. Problems are found by Consent.Problems and
// QSOAgreement.Problems; reasons are carried by a Decision.
const (
	// Consent problems (42 CFR 2.31).

	CodeUnknownKind              Code = "unknown_kind"                    // the consent kind is missing or unknown
	CodeMissingPatient           Code = "missing_patient"                 // 2.31(a)(1)
	CodeMissingDiscloser         Code = "missing_discloser"               // 2.31(a)(2)
	CodeMissingInformation       Code = "missing_information"             // 2.31(a)(3): no kind of information
	CodeUnknownInformation       Code = "unknown_information"             // 2.31(a)(3): a kind this package does not know
	CodeMissingDescription       Code = "missing_information_description" // 2.31(a)(3): no specific description
	CodeMissingRecipient         Code = "missing_recipient"               // 2.31(a)(4)(i)
	CodeIncompleteRecipient      Code = "incomplete_recipient"            // 2.31(a)(4)(i): neither a name nor a designation
	CodeUnknownDesignation       Code = "unknown_designation"             // 2.31(a)(4)(i)
	CodeDesignationOutsideTPO    Code = "designation_outside_tpo"         // no longer reported: 2.31(a)(4)(i) allows a class of persons in any consent
	CodeIntermediaryNoMembers    Code = "intermediary_without_members"    // 2.31(a)(4)(ii)
	CodeMemberDesignation        Code = "member_designation_not_treating" // 2.31(a)(4)(ii)(B)
	CodeMissingPurpose           Code = "missing_purpose"                 // 2.31(a)(5)
	CodeUnknownPurpose           Code = "unknown_purpose"                 // 2.31(a)(5)
	CodePurposeOutsideKind       Code = "purpose_outside_kind"            // 2.31(a)(5) with 2.31(b), (d)
	CodeProceedingsCombined      Code = "proceedings_combined"            // 2.31(d)
	CodeCounselingNotesCombined  Code = "counseling_notes_combined"       // 2.31(b)
	CodeMissingRevocation        Code = "missing_revocation_statement"    // 2.31(a)(6)
	CodeMissingExpiration        Code = "missing_expiration"              // 2.31(a)(7)
	CodeExpirationNoneNotAllowed Code = "expiration_none_not_allowed"     // 2.31(a)(7)
	CodeExpirationAmbiguous      Code = "expiration_ambiguous"            // 2.31(a)(7)
	CodeExpiresBeforeSigned      Code = "expires_before_signed"           // 2.31(a)(7)
	CodeUnknownSigner            Code = "missing_signature"               // 2.31(a)(8)
	CodeMissingSignedDate        Code = "missing_signed_date"             // 2.31(a)(9)
	CodeMissingRedisclosure      Code = "missing_redisclosure_statement"  // 2.31(a)(10)
	CodeMissingRefusal           Code = "missing_refusal_statement"       // 2.31(a)(10)
	CodeRevokedBeforeSigned      Code = "revoked_before_signed"           // contradictory facts
	CodeInvalidIdentifier        Code = "invalid_identifier"              // an identifier breaks the identifier rule
	CodeIncompleteExclusion      Code = "incomplete_exclusion"            // an exclusion names neither one party nor one known designation

	// QSO agreement problems (42 CFR 2.11, 2.12(c)(4)).

	CodeMissingProgram        Code = "missing_program"
	CodeMissingOrganization   Code = "missing_organization"
	CodeSameParty             Code = "program_is_organization"
	CodeNoServices            Code = "missing_services"
	CodeServiceOutsideQSO     Code = "service_outside_2_11" // a warning
	CodeNotWritten            Code = "not_written"
	CodeMissingBoundAck       Code = "missing_bound_acknowledgement"
	CodeMissingResistClause   Code = "missing_resist_clause"
	CodeMissingSignature      Code = "missing_signature_date"
	CodeExpiresBeforeEffect   Code = "expires_before_effective"
	CodeEffectiveBeforeSigned Code = "effective_before_signed" // a warning

	// Request reasons: a request that cannot be judged denies.

	CodeRequestUnknownPurpose   Code = "request_unknown_purpose"
	CodeRequestUnknownRecipient Code = "request_unknown_recipient_kind"
	CodeRequestUnknownInfo      Code = "request_unknown_information"
	CodeRequestNoInfo           Code = "request_missing_information"
	CodeRequestMissingParty     Code = "request_missing_party"
	CodeRequestMissingTime      Code = "request_missing_time"
	CodeRequestUnknownDiscloser Code = "request_unknown_discloser_kind"
	CodeEngineNotCompiled       Code = "engine_not_compiled" // the Engine was not built by Compile: it permits nothing

	// Consent reasons: why a consent does or does not permit a request.

	CodeConsentPermits         Code = "consent_permits"
	CodeConsentDeficient       Code = "consent_deficient"
	CodeConsentKnownFalse      Code = "consent_known_false"
	CodeConsentNotYetSigned    Code = "consent_not_yet_signed"
	CodeConsentRevoked         Code = "consent_revoked"
	CodeConsentExpired         Code = "consent_expired"
	CodeDiscloserNotNamed      Code = "discloser_not_named"
	CodeRecipientNotCovered    Code = "recipient_not_covered"
	CodePurposeNotCovered      Code = "purpose_not_covered"
	CodeInfoNotCovered         Code = "information_not_covered"
	CodeCounselingNotesOwn     Code = "counseling_notes_need_own_consent"
	CodeProceedingsNeedBasis   Code = "proceedings_need_consent_or_order"
	CodeNoConsents             Code = "no_consent_on_file"
	CodeNoBasis                Code = "no_basis"
	CodeDiscloserNotProgram    Code = "discloser_not_program"
	CodeExceptionCounselNotes  Code = "exception_excludes_counseling_notes"
	CodeRecipientExcluded      Code = "recipient_excluded"                             // the consent excludes the recipient (or the holder), however reached
	CodeMemberFromProgram      Code = "member_only_through_intermediary"               // a member participant receives through its intermediary (Policy.MembersFromProgram)
	CodeCAPTANotChildAbuse     Code = "capta_notification_needs_consent"               // a CAPTA notification is not a 2.12(c)(6) report
	CodeTreatingNotEstablished Code = "treating_provider_relationship_not_established" // "my treating providers" reaches only a recipient with the relationship established (2.31(a)(4)(i))
	CodeIntermediaryNotNamed   Code = "intermediary_not_named_as_intermediary"         // an intermediary is reached only as one, with its members (2.31(a)(4)(ii))
	CodeProceedingsRecipient   Code = "recipient_needs_proceedings_consent"            // a court or law enforcement only under a proceedings consent (2.31(d))

	// Exception reasons (42 CFR 2.12(c), subparts D and E).

	CodeInternalPermits      Code = "internal_communication_permits"
	CodeInternalNotTreatment Code = "internal_purpose_not_treatment"
	CodeQSOPermits           Code = "qso_permits"
	CodeQSONoAgreement       Code = "qso_no_agreement"
	CodeQSOAgreementInvalid  Code = "qso_agreement_invalid"
	CodeQSONotInForce        Code = "qso_agreement_not_in_force"
	CodeQSOServiceNotCovered Code = "qso_service_not_covered"
	CodeQSOServiceOutside    Code = "qso_service_outside_2_11"
	CodeQSOOwnTreatment      Code = "qso_not_for_own_treatment"
	CodeCrimePermits         Code = "crime_on_premises_permits"
	CodeCrimeNotPolice       Code = "crime_recipient_not_law_enforcement"
	CodeCrimeTooMuch         Code = "crime_information_beyond_identity"
	CodeChildAbusePermits    Code = "child_abuse_report_permits"
	CodeChildAbuseRecipient  Code = "child_abuse_recipient_not_authority"
	CodeChildAbuseNotReq     Code = "child_abuse_report_not_required"
	CodeChildAbuseRecords    Code = "child_abuse_report_carries_records" // the original records stay protected (2.12(c)(6))
	CodeEmergencyPermits     Code = "medical_emergency_permits"
	CodeEmergencyNoFact      Code = "emergency_not_established"
	CodeEmergencyRecipient   Code = "emergency_recipient_not_medical"
	CodeEmergencyPurpose     Code = "emergency_purpose_not_treatment"
	CodeResearchPermits      Code = "research_permits"
	CodeResearchRecipient    Code = "research_recipient_not_researcher"
	CodeResearchNotApproved  Code = "research_conditions_not_met"
	CodeAuditPermits         Code = "audit_permits"
	CodeAuditRecipient       Code = "audit_recipient_not_auditor"
	CodeAuditNoAgreement     Code = "audit_conditions_not_met"
	CodePublicHealthPermits  Code = "public_health_permits"
	CodePublicHealthRecip    Code = "public_health_recipient_not_authority"
	CodeNotDeidentified      Code = "not_deidentified"
	CodePublicHealthIdentity Code = "public_health_identity_not_deidentified" // the patient's identity is not de-identified information (2.54(b))
	CodeCourtOrderPermits    Code = "court_order_permits"
	CodeNoCourtOrder         Code = "no_court_order"
	CodeResearchAuditHolder  Code = "research_audit_holder_may_not_redisclose" // 2.52(b), 2.53(f), 2.62
	CodeQSORecipientKind     Code = "qso_recipient_not_qso"
	CodeQSOServiceUnstated   Code = "qso_service_not_stated"

	// Redisclosure reasons (42 CFR 2.33).

	CodeRedisclosurePermits        Code = "redisclosure_permits"
	CodeRedisclosureNoConsent      Code = "redisclosure_consent_unknown"
	CodeRedisclosureNoReceipt      Code = "redisclosure_received_at_missing"
	CodeRedisclosureNotInForce     Code = "redisclosure_consent_not_in_force"
	CodeHolderNotRecipient         Code = "holder_not_recipient"
	CodeInfoNotReceived            Code = "information_not_received"
	CodeProceedingsAgainst         Code = "redisclosure_proceedings_against_patient"
	CodeRedisclosurePurpose        Code = "redisclosure_purpose_not_permitted"
	CodeRedisclosureRecipient      Code = "redisclosure_recipient_not_contractor"
	CodeIntermediaryNotMember      Code = "intermediary_recipient_not_member"
	CodeRedisclosureKindUnknown    Code = "redisclosure_holder_kind_missing"
	CodeRedisclosureNotConsistent  Code = "redisclosure_not_consistent_with_consent" // 2.33(b)(2): the consent does not cover the recipient
	CodeRedisclosureConsentEnded   Code = "redisclosure_consent_no_longer_in_force"  // the consent stopped counting before the redisclosure (2.31(c))
	CodeRedisclosureRecipientHIPAA Code = "redisclosure_recipient_not_hipaa_tpo"     // 2.33(b)(1): not a party of a HIPAA TPO disclosure (45 CFR 164.506(c))
	CodeRedisclosureNoContract     Code = "redisclosure_contractor_not_bound"        // 2.33(c): no written contract binds the contractor
)
