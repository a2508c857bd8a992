package consent

// excKind is one of the uses and disclosures permitted without consent, in section order.
type excKind uint8

const (
	excInternal     excKind = iota // 2.12(c)(3)
	excQSO                         // 2.12(c)(4)
	excCrime                       // 2.12(c)(5)
	excChildAbuse                  // 2.12(c)(6)
	excEmergency                   // 2.51
	excResearch                    // 2.52
	excAudit                       // 2.53
	excPublicHealth                // 2.54
	excCourtOrder                  // subpart E
	numExc
)

// Sections of the exceptions, as a Basis.Section and in the corpus's "basis".
const (
	SectionInternal     = "42 CFR 2.12(c)(3)"
	SectionQSO          = "42 CFR 2.12(c)(4)"
	SectionCrime        = "42 CFR 2.12(c)(5)"
	SectionChildAbuse   = "42 CFR 2.12(c)(6)"
	SectionEmergency    = "42 CFR 2.51"
	SectionResearch     = "42 CFR 2.52"
	SectionAudit        = "42 CFR 2.53"
	SectionPublicHealth = "42 CFR 2.54"
	SectionCourtOrder   = "42 CFR part 2 subpart E"
)

func exceptionTemplates() [numExc]template {
	limit := func(cite string) Obligation {
		return Obligation{Code: ObligationCodeLimitToNeed, Cite: cite,
			Message: "Disclose only what the recipient needs for the stated purpose, service or incident."}
	}
	basis := func(s string) Basis { return Basis{Kind: BasisKindException, Section: s} }
	one := func(code Code, cite, msg string) []Reason {
		return []Reason{{Code: code, Cite: cite, Message: msg}}
	}
	var t [numExc]template
	t[excInternal] = newTemplate(basis(SectionInternal),
		one(CodeInternalPermits, SectionInternal, "Communication within the program, or with an entity having direct administrative control over it, for staff who need the information to diagnose, treat or refer the patient."),
		limit(SectionInternal))
	t[excQSO] = newTemplate(basis(SectionQSO),
		one(CodeQSOPermits, SectionQSO, "A valid QSO agreement in force covers a service the organization provides to the program."),
		limit(SectionQSO))
	t[excCrime] = newTemplate(basis(SectionCrime),
		one(CodeCrimePermits, SectionCrime, "A report to law enforcement of a crime on program premises or against program personnel, limited to the circumstances of the incident and the patient's status, name, address and last known whereabouts."),
		limit("42 CFR 2.12(c)(5)(ii)"))
	t[excChildAbuse] = newTemplate(basis(SectionChildAbuse),
		one(CodeChildAbusePermits, SectionChildAbuse, "The initial report of suspected child abuse or neglect that State law requires, to the State or local authority; the original records stay protected."),
		limit(SectionChildAbuse))
	t[excEmergency] = newTemplate(basis(SectionEmergency),
		one(CodeEmergencyPermits, "42 CFR 2.51(a)", "Disclosure to medical personnel to the extent needed to meet a bona fide medical emergency in which the patient's consent cannot first be obtained."),
		Obligation{Code: ObligationCodeDocumentEmergency, Cite: "42 CFR 2.51(c)",
			Message: "Immediately document in the patient's records who received the information and their affiliation, who disclosed it, the date and time, and the nature of the emergency."},
		limit("42 CFR 2.51(a)"))
	t[excResearch] = newTemplate(basis(SectionResearch),
		one(CodeResearchPermits, "42 CFR 2.52(a)", "Disclosure to a qualified researcher who documented the approvals or waivers 42 CFR 2.52 requires."),
		limit(SectionResearch))
	t[excAudit] = newTemplate(basis(SectionAudit),
		one(CodeAuditPermits, SectionAudit, "Disclosure to an auditor or evaluator meeting the conditions of 42 CFR 2.53 and bound by its limits."),
		limit(SectionAudit))
	t[excPublicHealth] = newTemplate(basis(SectionPublicHealth),
		one(CodePublicHealthPermits, SectionPublicHealth, "Disclosure of de-identified information to a public health authority."))
	t[excCourtOrder] = newTemplate(basis(SectionCourtOrder),
		one(CodeCourtOrderPermits, "42 CFR 2.61", "A court order meeting subpart E authorizes the disclosure."),
		limit("42 CFR 2.64(e)"))
	return t
}

// triggered reports whether the request invokes the exception, so that its failures are
// worth reporting. An exception that is not invoked is neither tried nor reported.
func (k excKind) triggered(r *Request) bool {
	switch k {
	case excInternal:
		return r.Recipient.Kind == RecipientKindSameProgram
	case excQSO:
		return r.Recipient.Kind == RecipientKindQSO || r.Purpose == PurposeQSOService
	case excCrime:
		return r.Purpose == PurposeCrimeOnPremises
	case excChildAbuse:
		return r.Purpose == PurposeChildAbuseReport
	case excEmergency:
		return r.Purpose == PurposeEmergencyTreatment || r.Facts.Emergency
	case excResearch:
		return r.Purpose == PurposeResearch
	case excAudit:
		return r.Purpose == PurposeAudit
	case excPublicHealth:
		return r.Purpose == PurposePublicHealth
	case excCourtOrder:
		return r.Facts.CourtOrder || r.Purpose == PurposeProceedings
	}
	return false
}

// exception reports whether every condition of the exception holds; when rs is not nil it
// appends a reason for each condition that fails.
func (e *Engine) exception(k excKind, r *Request, rs *[]Reason) bool {
	ok := true
	note := func(code Code, cite, msg string) bool {
		ok = false
		if rs == nil {
			return false
		}
		*rs = append(*rs, Reason{Code: code, Cite: cite, Message: msg})
		return true
	}
	program := func(cite string) bool {
		return r.discloserIsProgram() ||
			note(CodeDiscloserNotProgram, cite, "Only the Part 2 program itself may disclose under this exception.")
	}
	noNotes := func(cite string) bool {
		return r.infoMask()&(1<<InfoKindCounselingNotes) == 0 ||
			note(CodeExceptionCounselNotes, "42 CFR 2.31(b)", "SUD counseling notes need a consent of their own; this package never releases them under "+cite+".")
	}
	switch k {
	case excInternal:
		_ = program(SectionInternal) &&
			(r.Purpose == PurposeTreatment || r.Purpose == PurposeEmergencyTreatment ||
				note(CodeInternalNotTreatment, SectionInternal, "Internal communications are allowed only for staff who need the information to diagnose, treat or refer the patient.")) &&
			noNotes(SectionInternal)
	case excQSO:
		_ = program(SectionQSO) &&
			(r.Purpose == PurposeQSOService ||
				note(CodeQSOOwnTreatment, SectionQSO, "A QSO agreement covers only services the organization provides to the program; disclosures for any other purpose, such as the organization's own treatment of the patient, need consent.")) &&
			noNotes(SectionQSO)
		if (ok || rs != nil) && !e.qso(r, rs) {
			ok = false
		}
	case excCrime:
		_ = program(SectionCrime) &&
			(r.Recipient.Kind == RecipientKindLawEnforcement ||
				note(CodeCrimeNotPolice, SectionCrime, "Reports of crimes on program premises or against program personnel go only to law enforcement.")) &&
			(r.infoMask()&^(1<<InfoKindPatientIdentity) == 0 ||
				note(CodeCrimeTooMuch, "42 CFR 2.12(c)(5)(ii)", "Such a report is limited to the circumstances of the incident and the patient's status, name, address and last known whereabouts; SUD records may not be disclosed."))
	case excChildAbuse:
		_ = program(SectionChildAbuse) &&
			(r.Recipient.Kind == RecipientKindChildProtectiveServices ||
				note(CodeChildAbuseRecipient, SectionChildAbuse, "Child abuse and neglect reports go only to the appropriate State or local authority.")) &&
			(r.Facts.InitialReportRequiredByStateLaw ||
				note(CodeChildAbuseNotReq, SectionChildAbuse, "Only the initial report that State law requires is allowed without consent.")) &&
			noNotes(SectionChildAbuse)
	case excEmergency:
		_ = (r.Facts.Emergency ||
			note(CodeEmergencyNoFact, "42 CFR 2.51(a)", "No bona fide medical emergency in which the patient's consent cannot first be obtained is established.")) &&
			(r.Recipient.Kind == RecipientKindMedicalPersonnel ||
				note(CodeEmergencyRecipient, "42 CFR 2.51(a)", "Emergency disclosures go only to medical personnel.")) &&
			(r.Purpose == PurposeEmergencyTreatment || r.Purpose == PurposeTreatment ||
				note(CodeEmergencyPurpose, "42 CFR 2.51(a)", "Emergency disclosures are only for meeting the medical emergency.")) &&
			noNotes(SectionEmergency)
	case excResearch:
		_ = (r.Recipient.Kind == RecipientKindResearcher ||
			note(CodeResearchRecipient, SectionResearch, "Research disclosures without consent go only to qualified researchers.")) &&
			(r.Facts.ResearchApproved ||
				note(CodeResearchNotApproved, "42 CFR 2.52(a)", "The researcher has not documented the approvals or waivers 42 CFR 2.52 requires.")) &&
			noNotes(SectionResearch)
	case excAudit:
		_ = (r.Recipient.Kind == RecipientKindAuditor ||
			note(CodeAuditRecipient, SectionAudit, "Audit and evaluation disclosures go only to auditors or evaluators.")) &&
			(r.Facts.AuditAgreement ||
				note(CodeAuditNoAgreement, SectionAudit, "The auditor or evaluator does not meet the conditions of 42 CFR 2.53 or has not agreed in writing to its limits.")) &&
			noNotes(SectionAudit)
	case excPublicHealth:
		_ = (r.Recipient.Kind == RecipientKindPublicHealthAuthority ||
			note(CodePublicHealthRecip, SectionPublicHealth, "Disclosures under 42 CFR 2.54 go only to public health authorities.")) &&
			(r.Facts.Deidentified ||
				note(CodeNotDeidentified, SectionPublicHealth, "Only de-identified information may go to a public health authority without consent.")) &&
			noNotes(SectionPublicHealth)
	case excCourtOrder:
		_ = (r.Facts.CourtOrder ||
			note(CodeNoCourtOrder, "42 CFR 2.61", "No court order meeting subpart E authorizes the disclosure.")) &&
			noNotes(SectionCourtOrder)
	default:
		return false
	}
	return ok
}

// qso looks for an agreement between the discloser and the recipient that is valid, in
// force at r.At and covers the service. On failure, when rs is not nil, it appends the
// reason of the agreement that came closest, naming it.
func (e *Engine) qso(r *Request, rs *[]Reason) bool {
	code, id := e.qsoCheck(r)
	if code == "" {
		return true
	}
	if rs == nil {
		return false
	}
	var cite, msg string
	switch code {
	case CodeQSONoAgreement:
		cite, msg = SectionQSO, "There is no QSO agreement between this program and this organization."
	case CodeQSOAgreementInvalid:
		cite, msg = "42 CFR 2.11", "The QSO agreement with this organization does not conform to 42 CFR 2.11."
	case CodeQSONotInForce:
		cite, msg = SectionQSO, "The QSO agreement with this organization was not in force at that instant."
	case CodeQSOServiceOutside:
		cite, msg = "42 CFR 2.11", "The service is not one of the qualified service organization categories; disclosures for it need consent."
	default:
		cite, msg = SectionQSO, "The QSO agreement with this organization does not cover this service."
	}
	*rs = append(*rs, Reason{Code: code, Cite: cite, Message: msg, Agreement: id})
	return false
}

// qsoCheck returns "" when an agreement permits, and otherwise the code of the agreement
// that came closest (invalid < not in force < service) and that agreement's ID.
func (e *Engine) qsoCheck(r *Request) (Code, string) {
	idx := e.byPair[pair{r.Discloser, r.Recipient.ID}]
	best, bestID, bestRank := CodeQSONoAgreement, "", 0
	for _, j := range idx {
		q := &e.qsoas[j]
		var c Code
		rank := 3
		switch {
		case !q.valid:
			c, rank = CodeQSOAgreementInvalid, 1
		case !q.a.inForce(r.At):
			c, rank = CodeQSONotInForce, 2
		case r.Service == ServiceUnknown && !q.hasCategory:
			c = CodeQSOServiceOutside
		case r.Service != ServiceUnknown && !r.Service.IsValid():
			c = CodeQSOServiceOutside
		case r.Service != ServiceUnknown && !q.a.covers(r.Service):
			c = CodeQSOServiceNotCovered
		default:
			return "", q.a.ID
		}
		if rank > bestRank {
			best, bestID, bestRank = c, q.a.ID, rank
		}
	}
	return best, bestID
}
