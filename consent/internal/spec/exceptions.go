package spec

import (
	"github.com/dyad-health/dyad/consent"
)

// The uses and disclosures Part 2 permits without the patient's consent. Each is one
// function; none of them ever releases SUD counseling notes, which need a consent of their
// own (2.31(b)).

// byTheProgram: the discloser is the Part 2 program itself (not a holder of records it
// received), or another Part 2 program holding them.
func byTheProgram(r consent.Request) bool {
	return r.Holder == nil || r.Holder.Kind == consent.RecipientKindPart2Program
}

// withoutCounselingNotes: the disclosure carries no SUD counseling notes.
func withoutCounselingNotes(r consent.Request) bool {
	for _, k := range r.Information {
		if k == consent.InfoKindCounselingNotes {
			return false
		}
	}
	return true
}

// notAResearcherOrAuditor: the discloser is not a researcher or an auditor holding records
// it received without consent. 42 CFR 2.52(b): a researcher may redisclose patient
// identifying information only back to where it came from; 2.53(f): an auditor or evaluator
// only back to the program or lawful holder it came from; 2.62: no court order may
// authorize either to disclose it. No exception lets them pass it on.
func notAResearcherOrAuditor(r consent.Request) bool {
	return r.Holder == nil || r.Holder.Kind != consent.RecipientKindResearcher && r.Holder.Kind != consent.RecipientKindAuditor
}

// onlyTheIdentity: the disclosure carries the patient's identity and nothing of the records.
func onlyTheIdentity(r consent.Request) bool {
	for _, k := range r.Information {
		if k != consent.InfoKindPatientIdentity {
			return false
		}
	}
	return true
}

// exception is the permit of an exception: its section as the basis and its duties.
func exception(section string, duties ...Obligation) Outcome {
	return Outcome{Permit: true, Basis: consent.Basis{Kind: consent.BasisKindException, Section: section}, Obligations: duties}
}

// internalProgramCommunications: 42 CFR 2.12(c)(3), communications "between or among
// personnel having a need for the information in connection with their duties that arise
// out of the provision of diagnosis, treatment, or referral for treatment", within a Part 2
// program or with an entity that has direct administrative control over it.
func internalProgramCommunications(r consent.Request, _ []consent.QSOAgreement) (Outcome, bool) {
	if r.Recipient.Kind != consent.RecipientKindSameProgram || !byTheProgram(r) || !withoutCounselingNotes(r) {
		return Outcome{}, false
	}
	if r.Purpose != consent.PurposeTreatment && r.Purpose != consent.PurposeEmergencyTreatment {
		return Outcome{}, false
	}
	return exception(consent.SectionInternal, onlyWhatIsNeeded(consent.SectionInternal)), true
}

// qualifiedServiceOrganization: 42 CFR 2.12(c)(4), communications between a Part 2 program
// and a qualified service organization of information needed by the organization to provide
// services to the program, under a written agreement (2.11). The agreement must be between
// exactly this program and this organization, conform, be in force at the instant, and cover
// the service the request names, which must be a QSO category: a request that names none
// leaves the fact the exception turns on unknown. The recipient must be what the agreement
// says it is, a qualified service organization (or a business associate serving as one); a
// request that calls it anything else contradicts the agreement.
func qualifiedServiceOrganization(r consent.Request, agreements []consent.QSOAgreement) (Outcome, bool) {
	if r.Purpose != consent.PurposeQSOService || !byTheProgram(r) || !withoutCounselingNotes(r) {
		return Outcome{}, false
	}
	if r.Recipient.Kind != consent.RecipientKindQSO && r.Recipient.Kind != consent.RecipientKindBusinessAssociate {
		return Outcome{}, false
	}
	if r.Service == consent.ServiceUnknown {
		return Outcome{}, false
	}
	for _, a := range agreements {
		if a.Program != r.Discloser || a.Organization != r.Recipient.ID {
			continue
		}
		if !agreementConforms(a) || !agreementInForce(a, r) || !agreementCoversService(a, r.Service) {
			continue
		}
		o := exception(consent.SectionQSO, onlyWhatIsNeeded(consent.SectionQSO))
		o.Until = a.Expires
		return o, true
	}
	return Outcome{}, false
}

// agreementInForce: from the later of its effective date and its signature, until it
// expires.
func agreementInForce(a consent.QSOAgreement, r consent.Request) bool {
	start := a.SignedAt
	if a.Effective.After(start) {
		start = a.Effective
	}
	if start.IsZero() || r.At.Before(start) {
		return false
	}
	return a.Expires.IsZero() || r.At.Before(a.Expires)
}

func agreementCoversService(a consent.QSOAgreement, s consent.Service) bool {
	if !s.IsValid() {
		return false
	}
	for _, x := range a.Services {
		if x == s {
			return true
		}
	}
	return false
}

// crimeOnProgramPremises: 42 CFR 2.12(c)(5), communications from program personnel to law
// enforcement "directly related to a patient's commission of a crime on the premises of the
// part 2 program or against part 2 program personnel", "limited to the circumstances of the
// incident, including the patient status of the individual ..., that individual's name and
// address, and that individual's last known whereabouts": the patient's identity only.
func crimeOnProgramPremises(r consent.Request, _ []consent.QSOAgreement) (Outcome, bool) {
	if r.Purpose != consent.PurposeCrimeOnPremises || !byTheProgram(r) || r.Recipient.Kind != consent.RecipientKindLawEnforcement {
		return Outcome{}, false
	}
	if !onlyTheIdentity(r) {
		return Outcome{}, false
	}
	return exception(consent.SectionCrime, onlyWhatIsNeeded("42 CFR 2.12(c)(5)(ii)")), true
}

// childAbuseAndNeglectReport: 42 CFR 2.12(c)(6), "the reporting under State law of incidents
// of suspected child abuse and neglect to the appropriate State or local authorities" (the
// initial report the State requires), by whoever makes it: the program or a lawful holder.
// A CAPTA notification of an affected infant is another purpose and is not this report.
// "However, the regulations in this part continue to apply to the original substance use
// disorder patient records": the report carries the patient's identity (with the incident),
// never the records.
func childAbuseAndNeglectReport(r consent.Request, _ []consent.QSOAgreement) (Outcome, bool) {
	if r.Purpose != consent.PurposeChildAbuseReport || r.Recipient.Kind != consent.RecipientKindChildProtectiveServices ||
		!r.Facts.InitialReportRequiredByStateLaw || !withoutCounselingNotes(r) || !onlyTheIdentity(r) || !notAResearcherOrAuditor(r) {
		return Outcome{}, false
	}
	return exception(consent.SectionChildAbuse, onlyWhatThePurposeNeeds), true
}

// medicalEmergency: 42 CFR 2.51(a), disclosure "to medical personnel to the extent necessary
// to meet a bona fide medical emergency in which the patient's prior written consent cannot
// be obtained"; the disclosure is documented (2.51(c)).
func medicalEmergency(r consent.Request, _ []consent.QSOAgreement) (Outcome, bool) {
	if !r.Facts.Emergency || r.Recipient.Kind != consent.RecipientKindMedicalPersonnel || !withoutCounselingNotes(r) || !notAResearcherOrAuditor(r) {
		return Outcome{}, false
	}
	if r.Purpose != consent.PurposeEmergencyTreatment && r.Purpose != consent.PurposeTreatment {
		return Outcome{}, false
	}
	return exception(consent.SectionEmergency, documentEmergency, onlyWhatIsNeeded("42 CFR 2.51(a)")), true
}

// scientificResearch: 42 CFR 2.52, disclosure for research to a qualified researcher who has
// documented the approvals or waivers the section requires.
func scientificResearch(r consent.Request, _ []consent.QSOAgreement) (Outcome, bool) {
	if r.Purpose != consent.PurposeResearch || r.Recipient.Kind != consent.RecipientKindResearcher ||
		!r.Facts.ResearchApproved || !withoutCounselingNotes(r) || !notAResearcherOrAuditor(r) {
		return Outcome{}, false
	}
	return exception(consent.SectionResearch, onlyWhatThePurposeNeeds), true
}

// auditAndEvaluation: 42 CFR 2.53, disclosure for audit or evaluation to an auditor or
// evaluator meeting the section's conditions and bound by its limits.
func auditAndEvaluation(r consent.Request, _ []consent.QSOAgreement) (Outcome, bool) {
	if r.Purpose != consent.PurposeAudit || r.Recipient.Kind != consent.RecipientKindAuditor ||
		!r.Facts.AuditAgreement || !withoutCounselingNotes(r) || !notAResearcherOrAuditor(r) {
		return Outcome{}, false
	}
	return exception(consent.SectionAudit, onlyWhatThePurposeNeeds), true
}

// publicHealth: 42 CFR 2.54, "A part 2 program may disclose records for public health
// purposes without patient consent so long as: (a) The disclosure is made to a public health
// authority ...; and (b) The content of the information from the record disclosed has been
// de-identified": by the program, of de-identified information, which the patient's identity
// never is.
func publicHealth(r consent.Request, _ []consent.QSOAgreement) (Outcome, bool) {
	if r.Purpose != consent.PurposePublicHealth || r.Recipient.Kind != consent.RecipientKindPublicHealthAuthority ||
		!r.Facts.Deidentified || !withoutCounselingNotes(r) || !byTheProgram(r) {
		return Outcome{}, false
	}
	for _, k := range r.Information {
		if k == consent.InfoKindPatientIdentity {
			return Outcome{}, false
		}
	}
	return exception(consent.SectionPublicHealth, onlyWhatThePurposeNeeds), true
}

// courtOrder: 42 CFR part 2 subpart E (2.61 to 2.67), a disclosure a court order meeting the
// subpart authorizes, limited to what the order needs (2.64(e)).
func courtOrder(r consent.Request, _ []consent.QSOAgreement) (Outcome, bool) {
	if !r.Facts.CourtOrder || !withoutCounselingNotes(r) || !notAResearcherOrAuditor(r) {
		return Outcome{}, false
	}
	return exception(consent.SectionCourtOrder, onlyWhatIsNeeded("42 CFR 2.64(e)")), true
}
