package consent

// Reasons are collected cheaply. While the rules are judged, a reason is a reasonRef: the
// index of a static reason (code, citation and sentence, built once at Compile) and the
// consent or QSO agreement it names. The refs go to a collector that lives on the stack;
// only when a decision's reasons or citations are read are they materialised, each into
// one slice allocated at its final size. Citations are de-duplicated through a small bit
// set over the engine's table of citations, never by comparing strings.

// rid identifies a static reason of the engine's reason table.
type rid uint8

// Static reasons. The order is free; the table (newReasonTable) gives each its code,
// citation and sentence.
const (
	// The request itself.
	rReqPurpose rid = iota
	rReqRecipient
	rReqInfo
	rReqNoInfo
	rReqParty
	rReqTime
	rReqHolder
	rNoConsents
	rProceedings
	rCAPTA
	rNoBasis

	// A consent (named by the ref).
	rDeficient // the sentence lists the consent's problems: held by the compiled consent
	rKnownFalse
	rNotYetSigned
	rRevoked
	rExpired
	rDiscloserNotNamed
	rRecipientNotCovered
	rPurposeNotCovered
	rCounselingNotesOwn
	rInfoNotCovered
	rRecipientExcluded
	rMemberFromProgram
	rTreatingNotEstablished
	rIntermediaryNotNamed
	rProceedingsRecipient
	rPermitDirect // the seven permits, in the order of permitReasons
	rPermitTPO
	rPermitMember
	rPermitVia
	rPermit233b1
	rPermit233b2
	rPermit233b3

	// Redisclosure by a holder (42 CFR 2.33).
	rRedisNoConsent
	rRedisNoReceipt
	rRedisDeficient // held by the compiled consent, like rDeficient
	rRedisKnownFalse
	rRedisNotYetSigned
	rRedisRevoked
	rRedisExpired
	rHolderNotRecipient
	rInfoNotReceived
	rProceedingsAgainst
	rProceedingsAgainstOther
	rIntermediaryNotMember
	rRedisPurpose233b1
	rRedisRecipientHIPAA
	rRedisNotConsistent
	rRedisPurpose233b3
	rRedisRecipient
	rRedisCounselingNotes
	rRedisNoContract
	rRedisEnded

	// Exceptions to consent.
	rInternalNotTreatment
	rQSOOwnTreatment
	rCrimeNotPolice
	rCrimeTooMuch
	rChildAbuseRecipient
	rChildAbuseNotReq
	rChildAbuseRecords
	rEmergencyNoFact
	rEmergencyRecipient
	rEmergencyPurpose
	rResearchRecipient
	rResearchNotApproved
	rAuditRecipient
	rAuditNoAgreement
	rPublicHealthRecip
	rNotDeidentified
	rPublicHealthIdentity
	rNoCourtOrder
	rResearcherHolder
	rAuditorHolder
	rResearchAuditCourt
	rQSORecipientKind

	// QSO agreements (named by the ref).
	rQSONoAgreement
	rQSOInvalid
	rQSONotInForce
	rQSOServiceOutside
	rQSOServiceNotCovered
	rQSOServiceUnstated

	// Per exception kind: rNotProgram+k, rCounselNotes+k, rExcPermit+k.
	rNotProgram
	rCounselNotes = rNotProgram + rid(numExc)
	rExcPermit    = rCounselNotes + rid(numExc)
	numRid        = rExcPermit + rid(numExc)
)

// owner tells what the who of a reasonRef indexes.
type owner uint8

const (
	ownerNone      owner = iota
	ownerConsent         // core.consents: the reason's Consent
	ownerAgreement       // core.qsoas: the reason's Agreement
)

// reasonRef is a reason not yet materialised: a static reason and the consent or agreement
// it names (who < 0: none).
type reasonRef struct {
	id  rid
	who int32
}

// maxCites bounds the engine's citation table (a citeSet has that many bits). Every
// citation is a literal of this package; TestCiteTableFits checks the bound holds.
const maxCites = 128

// citeSet is a set of citation indexes.
type citeSet [maxCites / 64]uint64

func (s *citeSet) add(i uint8) bool {
	w, b := i>>6, uint64(1)<<(i&63)
	if s[w]&b != 0 {
		return false
	}
	s[w] |= b
	return true
}

// reasonTable holds the static reasons and the citation table of an engine.
type reasonTable struct {
	reasons [numRid]Reason
	owners  [numRid]owner
	cite    [numRid]uint8 // index in cites of reasons[i].Cite
	cites   []string
	citeIdx map[string]uint8
}

// citeID returns the index of a citation, adding it to the table if new. Used at Compile
// only.
func (t *reasonTable) citeID(c string) uint8 {
	if i, ok := t.citeIdx[c]; ok {
		return i
	}
	i := uint8(len(t.cites))
	t.cites = append(t.cites, c)
	t.citeIdx[c] = i
	return i
}

// citeSetOf returns the set of the citations, all registered in the table.
func (t *reasonTable) citeSetOf(cites []string) citeSet {
	var s citeSet
	for _, c := range cites {
		s.add(t.citeID(c))
	}
	return s
}

func newReasonTable(exc *[numExc]template) *reasonTable {
	t := &reasonTable{citeIdx: make(map[string]uint8)}
	set := func(id rid, o owner, code Code, cite, msg string) {
		t.reasons[id] = Reason{Code: code, Cite: cite, Message: msg}
		t.owners[id] = o
	}
	const c213a = "42 CFR 2.13(a)"
	set(rReqPurpose, ownerNone, CodeRequestUnknownPurpose, c213a, "The purpose is missing or unknown; a disclosure for an unknown purpose is denied.")
	set(rReqRecipient, ownerNone, CodeRequestUnknownRecipient, c213a, "The recipient's kind is missing or unknown; a disclosure to an unknown kind of recipient is denied.")
	set(rReqInfo, ownerNone, CodeRequestUnknownInfo, "42 CFR 2.31(a)(3)", "A kind of information requested is unknown; it cannot be matched to what a consent describes.")
	set(rReqNoInfo, ownerNone, CodeRequestNoInfo, "42 CFR 2.31(a)(3)", "The request does not say what information would be disclosed.")
	set(rReqParty, ownerNone, CodeRequestMissingParty, c213a, "The request does not identify the patient, the discloser and the recipient, or the recipient's identifier (or a redisclosing holder's) breaks the identifier rule: the consent's exclusions could not be compared with it.")
	set(rReqTime, ownerNone, CodeRequestMissingTime, "42 CFR 2.31(c)", "The request has no instant to judge at; a consent's status depends on it.")
	set(rReqHolder, ownerNone, CodeRequestUnknownDiscloser, "42 CFR 2.33", "The redisclosing holder's kind is missing or unknown.")
	set(rNoConsents, ownerNone, CodeNoConsents, "42 CFR 2.31", "No consent of this patient is on file.")
	set(rProceedings, ownerNone, CodeProceedingsNeedBasis, "42 CFR 2.31(d)",
		"Records may not be used or disclosed in proceedings against the patient without a separate proceedings consent or a court order under subpart E.")
	set(rCAPTA, ownerNone, CodeCAPTANotChildAbuse, SectionChildAbuse,
		"A CAPTA notification of an infant affected by substance abuse is not a report of suspected child abuse or neglect under State law: 42 CFR 2.12(c)(6) does not lift the restrictions for it, so it needs a consent that names this purpose.")
	nb := noBasis()
	set(rNoBasis, ownerNone, nb.Code, nb.Cite, nb.Message)

	set(rDeficient, ownerConsent, CodeConsentDeficient, "42 CFR 2.31(c)(2)", "") // sentence per consent
	statuses := [...]struct {
		id, redis rid
		code      Code
	}{
		{rKnownFalse, rRedisKnownFalse, CodeConsentKnownFalse},
		{rNotYetSigned, rRedisNotYetSigned, CodeConsentNotYetSigned},
		{rRevoked, rRedisRevoked, CodeConsentRevoked},
		{rExpired, rRedisExpired, CodeConsentExpired},
	}
	for _, s := range statuses {
		cite, msg := statusText(s.code)
		set(s.id, ownerConsent, s.code, cite, msg)
		set(s.redis, ownerConsent, CodeRedisclosureNotInForce, "42 CFR 2.31(c)", redisNotInForce(s.code, msg))
	}
	set(rDiscloserNotNamed, ownerConsent, CodeDiscloserNotNamed, "42 CFR 2.31(a)(2)", "The consent does not name this discloser.")
	set(rRecipientNotCovered, ownerConsent, CodeRecipientNotCovered, "42 CFR 2.31(a)(4)", "The consent does not name or designate this recipient.")
	set(rPurposeNotCovered, ownerConsent, CodePurposeNotCovered, "42 CFR 2.31(a)(5)", "The consent does not cover this purpose.")
	set(rCounselingNotesOwn, ownerConsent, CodeCounselingNotesOwn, "42 CFR 2.31(b)", "SUD counseling notes may be disclosed only under a consent for counseling notes alone.")
	set(rInfoNotCovered, ownerConsent, CodeInfoNotCovered, "42 CFR 2.31(a)(3)", "The consent does not cover every kind of information requested.")
	set(rRecipientExcluded, ownerConsent, CodeRecipientExcluded, "42 CFR 2.31(a)(4)", "The consent excludes this party; it receives nothing under the consent, however it would otherwise be reached.")
	set(rMemberFromProgram, ownerConsent, CodeMemberFromProgram, "42 CFR 2.31(a)(4)(ii)", "The consent names the recipient as a member participant of an intermediary: it receives the records through the intermediary, not from the program directly.")
	set(rTreatingNotEstablished, ownerConsent, CodeTreatingNotEstablished, "42 CFR 2.31(a)(4)(i)",
		"The consent reaches this recipient only as one of the patient's treating providers, and the request does not establish a treating provider relationship with the patient (42 CFR 2.11).")
	set(rIntermediaryNotNamed, ownerConsent, CodeIntermediaryNotNamed, "42 CFR 2.31(a)(4)(ii)",
		"The recipient is an intermediary; a consent reaches an intermediary only by naming it as one, with its member participants or a designation of them.")
	set(rProceedingsRecipient, ownerConsent, CodeProceedingsRecipient, "42 CFR 2.31(d)",
		"A court or law enforcement receives records for an investigation or proceeding, which only a consent for that use alone (never combined with another) or a court order may permit.")
	for i, r := range permitReasons() {
		set(rPermitDirect+rid(i), ownerConsent, r.Code, r.Cite, r.Message)
	}

	set(rRedisNoConsent, ownerNone, CodeRedisclosureNoConsent, "42 CFR 2.33",
		"The holder did not name a consent of this patient under which it received the records.")
	set(rRedisNoReceipt, ownerConsent, CodeRedisclosureNoReceipt, "42 CFR 2.33",
		"The holder did not say when it received the records, or the receipt is after the disclosure.")
	set(rRedisDeficient, ownerConsent, CodeRedisclosureNotInForce, "42 CFR 2.31(c)", "") // sentence per consent
	set(rHolderNotRecipient, ownerConsent, CodeHolderNotRecipient, "42 CFR 2.33(b)", "The consent does not name or designate the holder as a recipient, or excludes it.")
	set(rInfoNotReceived, ownerConsent, CodeInfoNotReceived, "42 CFR 2.33(b)", "The request carries information the consent did not let the holder receive.")
	set(rProceedingsAgainst, ownerConsent, CodeProceedingsAgainst, cite233b1,
		"A covered entity or business associate may not redisclose records received under consent for proceedings against the patient; that needs a proceedings consent or a court order.")
	set(rProceedingsAgainstOther, ownerConsent, CodeProceedingsAgainst, cite213a,
		"Records may not otherwise be used or disclosed in civil, criminal, administrative or legislative proceedings; a holder's redisclosure for them needs a proceedings consent or a court order.")
	set(rIntermediaryNotMember, ownerConsent, CodeIntermediaryNotMember, citeIntermediary, "The recipient is not a member participant of the intermediary the consent names as the holder.")
	set(rRedisPurpose233b1, ownerConsent, CodeRedisclosurePurpose, cite233b1,
		"A covered entity or business associate may redisclose here only what it received under a single TPO consent (certainly received for treatment, payment or health care operations), and this package judges only those HIPAA permissions; any other needs the holder's own review.")
	set(rRedisRecipientHIPAA, ownerConsent, CodeRedisclosureRecipientHIPAA, "45 CFR 164.506(c)",
		"HIPAA's treatment, payment and operations permissions disclose to a health care provider for treatment, to a covered entity or provider for its payment, to a covered entity for its operations, or to the discloser's own business associate for its payment or operations; this recipient is none of those for this purpose.")
	set(rRedisNotConsistent, ownerConsent, CodeRedisclosureNotConsistent, cite233b2, "A Part 2 program may redisclose records received under a TPO consent only consistent with the consent, which does not name or designate this recipient.")
	set(rRedisPurpose233b3, ownerConsent, CodeRedisclosurePurpose, cite233b3, "A lawful holder may redisclose only for payment or health care operations the consent covers.")
	set(rRedisRecipient, ownerConsent, CodeRedisclosureRecipient, cite233b3, "A lawful holder may redisclose only to its contractors, subcontractors or legal representatives.")
	set(rRedisCounselingNotes, ownerConsent, CodeCounselingNotesOwn, "42 CFR 2.31(b)",
		"SUD counseling notes go only to whom a consent for counseling notes alone names; a lawful holder's contractor is not one.")
	set(rRedisNoContract, ownerConsent, CodeRedisclosureNoContract, cite233c,
		"A lawful holder may redisclose to its contractor, subcontractor or legal representative only under a written contract or comparable legal instrument binding it to Part 2 upon receipt; the request does not establish one.")
	set(rRedisEnded, ownerConsent, CodeRedisclosureConsentEnded, "42 CFR 2.31(c)", "The consent no longer counts (expired, revoked or known false); a redisclosure made on its basis, or under HIPAA after a TPO consent (42 CFR 2.33(a)(2): until the patient revokes it), may not rely on it then.")

	set(rInternalNotTreatment, ownerNone, CodeInternalNotTreatment, SectionInternal, "Internal communications are allowed only for staff who need the information to diagnose, treat or refer the patient.")
	set(rQSOOwnTreatment, ownerNone, CodeQSOOwnTreatment, SectionQSO, "A QSO agreement covers only services the organization provides to the program; disclosures for any other purpose, such as the organization's own treatment of the patient, need consent.")
	set(rCrimeNotPolice, ownerNone, CodeCrimeNotPolice, SectionCrime, "Reports of crimes on program premises or against program personnel go only to law enforcement.")
	set(rCrimeTooMuch, ownerNone, CodeCrimeTooMuch, "42 CFR 2.12(c)(5)(ii)", "Such a report is limited to the circumstances of the incident and the patient's status, name, address and last known whereabouts; SUD records may not be disclosed.")
	set(rChildAbuseRecipient, ownerNone, CodeChildAbuseRecipient, SectionChildAbuse, "Child abuse and neglect reports go only to the appropriate State or local authority.")
	set(rChildAbuseNotReq, ownerNone, CodeChildAbuseNotReq, SectionChildAbuse, "Only the initial report that State law requires is allowed without consent.")
	set(rChildAbuseRecords, ownerNone, CodeChildAbuseRecords, SectionChildAbuse, "The restrictions continue to apply to the original SUD records: the report without consent carries the patient's identity and the incident, not the records.")
	set(rEmergencyNoFact, ownerNone, CodeEmergencyNoFact, "42 CFR 2.51(a)", "No bona fide medical emergency in which the patient's consent cannot first be obtained is established.")
	set(rEmergencyRecipient, ownerNone, CodeEmergencyRecipient, "42 CFR 2.51(a)", "Emergency disclosures go only to medical personnel.")
	set(rEmergencyPurpose, ownerNone, CodeEmergencyPurpose, "42 CFR 2.51(a)", "Emergency disclosures are only for meeting the medical emergency.")
	set(rResearchRecipient, ownerNone, CodeResearchRecipient, SectionResearch, "Research disclosures without consent go only to qualified researchers.")
	set(rResearchNotApproved, ownerNone, CodeResearchNotApproved, "42 CFR 2.52(a)", "The researcher has not documented the approvals or waivers 42 CFR 2.52 requires.")
	set(rAuditRecipient, ownerNone, CodeAuditRecipient, SectionAudit, "Audit and evaluation disclosures go only to auditors or evaluators.")
	set(rAuditNoAgreement, ownerNone, CodeAuditNoAgreement, SectionAudit, "The auditor or evaluator does not meet the conditions of 42 CFR 2.53 or has not agreed in writing to its limits.")
	set(rPublicHealthRecip, ownerNone, CodePublicHealthRecip, SectionPublicHealth, "Disclosures under 42 CFR 2.54 go only to public health authorities.")
	set(rNotDeidentified, ownerNone, CodeNotDeidentified, SectionPublicHealth, "Only de-identified information may go to a public health authority without consent.")
	set(rPublicHealthIdentity, ownerNone, CodePublicHealthIdentity, SectionPublicHealth, "The patient's identity is never de-identified information; it may not go to a public health authority without consent.")
	set(rNoCourtOrder, ownerNone, CodeNoCourtOrder, "42 CFR 2.61", "No court order meeting subpart E authorizes the disclosure.")
	set(rResearcherHolder, ownerNone, CodeResearchAuditHolder, "42 CFR 2.52(b)", "A researcher may redisclose patient identifying information received without consent only back to where it came from.")
	set(rAuditorHolder, ownerNone, CodeResearchAuditHolder, "42 CFR 2.53(f)", "An auditor or evaluator may disclose patient identifying information received under 42 CFR 2.53 only back to the program or lawful holder it came from.")
	set(rResearchAuditCourt, ownerNone, CodeResearchAuditHolder, "42 CFR 2.62", "No court order may authorize a researcher, auditor or evaluator who received patient identifying information without consent to disclose it.")
	set(rQSORecipientKind, ownerNone, CodeQSORecipientKind, SectionQSO, "The request says the recipient is not a qualified service organization (nor a business associate serving as one).")

	set(rQSONoAgreement, ownerAgreement, CodeQSONoAgreement, SectionQSO, "There is no QSO agreement between this program and this organization.")
	set(rQSOInvalid, ownerAgreement, CodeQSOAgreementInvalid, "42 CFR 2.11", "The QSO agreement with this organization does not conform to 42 CFR 2.11.")
	set(rQSONotInForce, ownerAgreement, CodeQSONotInForce, SectionQSO, "The QSO agreement with this organization was not in force at that instant.")
	set(rQSOServiceOutside, ownerAgreement, CodeQSOServiceOutside, "42 CFR 2.11", "The service is not one of the qualified service organization categories; disclosures for it need consent.")
	set(rQSOServiceNotCovered, ownerAgreement, CodeQSOServiceNotCovered, SectionQSO, "The QSO agreement with this organization does not cover this service.")
	set(rQSOServiceUnstated, ownerAgreement, CodeQSOServiceUnstated, SectionQSO, "The request does not say which service the organization needs the information for.")

	for k := excKind(0); k < numExc; k++ {
		s := k.section()
		set(rNotProgram+rid(k), ownerNone, CodeDiscloserNotProgram, s, "Only the Part 2 program itself may disclose under this exception.")
		set(rCounselNotes+rid(k), ownerNone, CodeExceptionCounselNotes, "42 CFR 2.31(b)",
			"SUD counseling notes need a consent of their own; this package never releases them under "+s+".")
		r := exc[k].reasons[0]
		set(rExcPermit+rid(k), ownerNone, r.Code, r.Cite, r.Message)
	}
	for i := range t.reasons {
		t.cite[i] = t.citeID(t.reasons[i].Cite)
	}
	return t
}

// redisNotInForce is the sentence of a redisclosure under a consent that did not count
// when the holder received the records.
func redisNotInForce(code Code, msg string) string {
	return "The consent did not count when the holder received the records (" + string(code) + "): " + msg
}

// collector gathers the reasonRefs of a walk; the first refs stay in the array (on the
// caller's stack), the rest overflow to more.
type collector struct {
	n    int
	buf  [48]reasonRef
	more []reasonRef
}

func (c *collector) add(id rid, who int32) {
	switch {
	case c.n < len(c.buf):
		c.buf[c.n] = reasonRef{id, who}
	case c.more == nil:
		c.more = append(make([]reasonRef, 0, len(c.buf)), reasonRef{id, who})
	default:
		c.more = append(c.more, reasonRef{id, who})
	}
	c.n++
}

func (c *collector) at(i int) reasonRef {
	if i < len(c.buf) {
		return c.buf[i]
	}
	return c.more[i-len(c.buf)]
}

// reason materialises a ref into *dst.
func (e *core) reason(dst *Reason, x reasonRef) {
	switch x.id {
	case rDeficient:
		*dst = e.consents[x.who].deficientReason
		return
	case rRedisDeficient:
		*dst = e.consents[x.who].redisDeficientReason
		return
	}
	*dst = e.rt.reasons[x.id]
	if x.who >= 0 {
		switch e.rt.owners[x.id] {
		case ownerConsent:
			dst.Consent = e.consents[x.who].c.ID
		case ownerAgreement:
			dst.Agreement = e.qsoas[x.who].a.ID
		}
	}
}

// reasons returns the reasons of a decision judged again: t's first when t is not nil (a
// permit with every reason, as Explain gives it), then the collected ones, in one slice of
// exactly their size, the caller's own.
func (e *core) reasons(t *template, c *collector) []Reason {
	pre := 0
	if t != nil {
		pre = len(t.reasons)
	}
	rs := make([]Reason, pre+c.n)
	if t != nil {
		copy(rs, t.reasons)
	}
	for i := 0; i < c.n; i++ {
		e.reason(&rs[pre+i], c.at(i))
	}
	return rs
}

// citations returns the distinct citations of a decision judged again, in order of first
// appearance, t's citations first, in one slice of exactly their size, the caller's own.
// They are de-duplicated through the citation table's indexes, never by comparing strings.
func (e *core) citations(t *template, c *collector) []string {
	var seen citeSet
	var order [maxCites]uint8
	k := 0
	var tcites []string
	if t != nil {
		seen, tcites = t.citeSet, t.citations
	}
	for i := 0; i < c.n; i++ {
		if ci := e.rt.cite[c.at(i).id]; seen.add(ci) {
			order[k] = ci
			k++
		}
	}
	cites := make([]string, len(tcites)+k)
	copy(cites, tcites)
	for i := range k {
		cites[len(tcites)+i] = e.rt.cites[order[i]]
	}
	return cites
}
