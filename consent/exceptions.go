package consent

import "slices"

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
		limit(cite213a))
	t[excEmergency] = newTemplate(basis(SectionEmergency),
		one(CodeEmergencyPermits, "42 CFR 2.51(a)", "Disclosure to medical personnel to the extent needed to meet a bona fide medical emergency in which the patient's consent cannot first be obtained."),
		Obligation{Code: ObligationCodeDocumentEmergency, Cite: "42 CFR 2.51(c)",
			Message: "Immediately document in the patient's records who received the information and their affiliation, who disclosed it, the date and time, and the nature of the emergency."},
		limit("42 CFR 2.51(a)"))
	t[excResearch] = newTemplate(basis(SectionResearch),
		one(CodeResearchPermits, "42 CFR 2.52(a)", "Disclosure to a qualified researcher who documented the approvals or waivers 42 CFR 2.52 requires."),
		limit(cite213a))
	t[excAudit] = newTemplate(basis(SectionAudit),
		one(CodeAuditPermits, SectionAudit, "Disclosure to an auditor or evaluator meeting the conditions of 42 CFR 2.53 and bound by its limits."),
		limit(cite213a))
	t[excPublicHealth] = newTemplate(basis(SectionPublicHealth),
		one(CodePublicHealthPermits, SectionPublicHealth, "Disclosure of de-identified information to a public health authority."),
		limit(cite213a))
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

// section returns the exception's section, as in its Basis.
func (k excKind) section() string {
	switch k {
	case excInternal:
		return SectionInternal
	case excQSO:
		return SectionQSO
	case excCrime:
		return SectionCrime
	case excChildAbuse:
		return SectionChildAbuse
	case excEmergency:
		return SectionEmergency
	case excResearch:
		return SectionResearch
	case excAudit:
		return SectionAudit
	case excPublicHealth:
		return SectionPublicHealth
	case excCourtOrder:
		return SectionCourtOrder
	}
	return ""
}

// exception returns the exception's permit when every condition of it holds (for the QSO
// exception, the permit on the agreement found), nil otherwise; when rs is not nil it
// collects a reason for each condition that fails. want is the request's information mask.
func (e *core) exception(k excKind, r *Request, want uint32, rs *collector) *template {
	t := &e.exc[k]
	ok := true
	note := func(id rid) bool {
		ok = false
		if rs == nil {
			return false
		}
		rs.add(id, -1)
		return true
	}
	program := func() bool {
		return r.discloserIsProgram() || note(rNotProgram+rid(k))
	}
	noNotes := func() bool {
		return want&(1<<InfoKindCounselingNotes) == 0 || note(rCounselNotes+rid(k))
	}
	// A researcher or an auditor holding records received without consent under 2.52 or
	// 2.53 may disclose them only back to where they came from (2.52(b), 2.53(f)), and no
	// court order may authorize it to disclose them (2.62): it uses no exception.
	notResearchAudit := func() bool {
		if r.Holder == nil {
			return true
		}
		switch {
		case r.Holder.Kind == RecipientKindResearcher:
			if k == excCourtOrder {
				return note(rResearchAuditCourt)
			}
			return note(rResearcherHolder)
		case r.Holder.Kind == RecipientKindAuditor:
			if k == excCourtOrder {
				return note(rResearchAuditCourt)
			}
			return note(rAuditorHolder)
		}
		return true
	}
	switch k {
	case excInternal:
		_ = program() &&
			(r.Purpose == PurposeTreatment || r.Purpose == PurposeEmergencyTreatment || note(rInternalNotTreatment)) &&
			noNotes()
	case excQSO:
		_ = program() &&
			(r.Purpose == PurposeQSOService || note(rQSOOwnTreatment)) &&
			(r.Recipient.Kind == RecipientKindQSO || r.Recipient.Kind == RecipientKindBusinessAssociate || note(rQSORecipientKind)) &&
			noNotes()
		if ok || rs != nil {
			if j := e.qso(r, rs); j < 0 {
				ok = false
			} else {
				t = &e.qsoT[j]
			}
		}
	case excCrime:
		_ = program() &&
			(r.Recipient.Kind == RecipientKindLawEnforcement || note(rCrimeNotPolice)) &&
			(want&^(1<<InfoKindPatientIdentity) == 0 || note(rCrimeTooMuch))
	case excChildAbuse:
		// 2.12(c)(6) lifts the restrictions for "the reporting under State law of incidents
		// of suspected child abuse and neglect": whoever makes the report, the program or a
		// lawful holder.
		// The restrictions "continue to apply to the original substance use disorder patient
		// records": the report carries the patient's identity, not the records.
		_ = notResearchAudit() &&
			(r.Recipient.Kind == RecipientKindChildProtectiveServices || note(rChildAbuseRecipient)) &&
			(r.Facts.InitialReportRequiredByStateLaw || note(rChildAbuseNotReq)) &&
			noNotes() &&
			(want&^(1<<InfoKindPatientIdentity) == 0 || note(rChildAbuseRecords))
	case excEmergency:
		_ = notResearchAudit() &&
			(r.Facts.Emergency || note(rEmergencyNoFact)) &&
			(r.Recipient.Kind == RecipientKindMedicalPersonnel || note(rEmergencyRecipient)) &&
			(r.Purpose == PurposeEmergencyTreatment || r.Purpose == PurposeTreatment || note(rEmergencyPurpose)) &&
			noNotes()
	case excResearch:
		_ = notResearchAudit() &&
			(r.Recipient.Kind == RecipientKindResearcher || note(rResearchRecipient)) &&
			(r.Facts.ResearchApproved || note(rResearchNotApproved)) &&
			noNotes()
	case excAudit:
		_ = notResearchAudit() &&
			(r.Recipient.Kind == RecipientKindAuditor || note(rAuditRecipient)) &&
			(r.Facts.AuditAgreement || note(rAuditNoAgreement)) &&
			noNotes()
	case excPublicHealth:
		// "A part 2 program may disclose records for public health purposes": the program
		// itself, of de-identified information (the patient's identity never is).
		_ = program() &&
			(r.Recipient.Kind == RecipientKindPublicHealthAuthority || note(rPublicHealthRecip)) &&
			(r.Facts.Deidentified || note(rNotDeidentified)) &&
			(want&(1<<InfoKindPatientIdentity) == 0 || note(rPublicHealthIdentity)) &&
			noNotes()
	case excCourtOrder:
		_ = notResearchAudit() &&
			(r.Facts.CourtOrder || note(rNoCourtOrder)) &&
			noNotes()
	default:
		return nil
	}
	if !ok {
		return nil
	}
	return t
}

// qso looks for an agreement between the discloser and the recipient (each named by exactly
// its identifier) that is valid, in force at r.At and lists the service the request states, and returns its
// index, or -1. On failure, when rs is not nil, it collects the reason of the agreement that
// came closest, naming it.
func (e *core) qso(r *Request, rs *collector) int32 {
	id, j, ok := e.qsoCheck(r)
	if ok {
		return j
	}
	if rs != nil {
		rs.add(id, j)
	}
	return -1
}

// qsoCheck reports true with the agreement's index when an agreement permits, and
// otherwise the reason of the agreement that came closest (invalid < not in force <
// service) and that agreement's index (-1 when there is none).
func (e *core) qsoCheck(r *Request) (rid, int32, bool) {
	idx := e.byPair[pair{r.Discloser.Value, r.Recipient.ID.Value}]
	best, bestJ, bestRank := rQSONoAgreement, int32(-1), 0
	for _, j := range idx {
		q := &e.qsoas[j]
		if q.a.Program.System != r.Discloser.System || q.a.Organization.System != r.Recipient.ID.System {
			continue // the same values in other systems: other parties
		}
		var c rid
		rank := 3
		switch {
		case !q.valid:
			c, rank = rQSOInvalid, 1
		case q.start.IsZero() || r.At.Before(q.start) || (!q.a.Expires.IsZero() && !r.At.Before(q.a.Expires)):
			c, rank = rQSONotInForce, 2
		case r.Service == ServiceUnknown:
			// The service the organization needs the information for is the fact the
			// exception turns on; unstated, it is unknown (fail closed).
			c = rQSOServiceUnstated
		case !r.Service.IsValid():
			c = rQSOServiceOutside
		case !slices.Contains(q.a.Services, r.Service):
			c = rQSOServiceNotCovered
		default:
			return 0, j, true
		}
		if rank > bestRank {
			best, bestJ, bestRank = c, j, rank
		}
	}
	return best, bestJ, false
}
