package consent

import (
	"fmt"
	"strings"
	"time"
)

// Engine answers disclosure requests against a fixed set of consents and QSO agreements.
// Build it once with Compile; it is immutable and safe for concurrent use by any number of
// goroutines.
type Engine struct {
	consents  []compiled
	byPatient map[string][]int32
	// candidates index, for the permit path, the conforming consents that could cover a
	// recipient: those naming it (as recipient, intermediary or member) merged, in compile
	// order, with those that designate recipients by class (open).
	candidates map[pair][]int32
	open       map[string][]int32
	qsoas      []compiledQSOA
	byPair     map[pair][]int32
	exc        [numExc]template
	request    requestReasons
}

type pair struct{ program, org string }

// template is a precomputed permit: the decision parts that do not depend on the request.
type template struct {
	basis       Basis
	reasons     []Reason
	obligations []Obligation
	citations   []string
}

func (t *template) decision() Decision {
	return Decision{Permit: true, Basis: t.basis, Reasons: t.reasons, Obligations: t.obligations,
		Citations: t.citations, Edition: RuleEdition}
}

type compiled struct {
	c          Consent
	problems   []Problem
	deficient  bool
	knownFalse bool
	// never: the consent never counts (deficient, or known false with no time); otherwise it
	// counts on [from, until), until zero meaning no end. Used by the permit path.
	never       bool
	from, until time.Time
	purposes    uint32
	info        uint32
	end         time.Time
	// permit templates
	direct, member, viaIntermediary, r233b, r233c template
}

type compiledQSOA struct {
	a           QSOAgreement
	valid       bool
	hasCategory bool
}

// Compile copies the consents and agreements into an Engine, validating each once. Invalid
// consents and agreements are kept (a decision says why they did not apply) but never
// permit anything. Compile fails only when an ID is missing or duplicated (ErrMissingID,
// ErrDuplicateID): IDs are how decisions name their basis.
func Compile(consents []Consent, agreements []QSOAgreement) (*Engine, error) {
	e := &Engine{
		byPatient: make(map[string][]int32),
		byPair:    make(map[pair][]int32),
	}
	seen := make(map[string]bool, len(consents))
	for i, c := range consents {
		if c.ID == "" {
			return nil, fmt.Errorf("%w: consent at index %d", ErrMissingID, i)
		}
		if seen[c.ID] {
			return nil, fmt.Errorf("%w: consent %s", ErrDuplicateID, quote32(c.ID))
		}
		seen[c.ID] = true
		e.consents = append(e.consents, compileConsent(cloneConsent(c)))
		e.byPatient[c.Patient] = append(e.byPatient[c.Patient], int32(i))
	}
	seenQ := make(map[string]bool, len(agreements))
	for i, a := range agreements {
		if a.ID == "" {
			return nil, fmt.Errorf("%w: QSO agreement at index %d", ErrMissingID, i)
		}
		if seenQ[a.ID] {
			return nil, fmt.Errorf("%w: QSO agreement %s", ErrDuplicateID, quote32(a.ID))
		}
		seenQ[a.ID] = true
		a.Services = append([]Service(nil), a.Services...)
		e.qsoas = append(e.qsoas, compiledQSOA{a: a, valid: a.Valid(), hasCategory: a.hasCategory()})
		k := pair{a.Program, a.Organization}
		e.byPair[k] = append(e.byPair[k], int32(i))
	}
	e.index()
	e.exc = exceptionTemplates()
	e.request = newRequestReasons()
	return e, nil
}

// index builds the candidate lists of the permit path.
func (e *Engine) index() {
	e.candidates = make(map[pair][]int32)
	e.open = make(map[string][]int32)
	named := make(map[pair][]int32)
	for i := range e.consents {
		cc := &e.consents[i]
		if cc.deficient {
			continue // never permits
		}
		p := cc.c.Patient
		isOpen := false
		var ids []string
		for _, r := range cc.c.Recipients {
			switch {
			case r.IsIntermediary():
				ids = append(append(ids, r.ID), r.Members...)
				if r.MemberDesignation != DesignationUnknown {
					isOpen = true
				}
			case r.ID != "":
				ids = append(ids, r.ID)
			default:
				isOpen = true
			}
		}
		if isOpen {
			e.open[p] = append(e.open[p], int32(i))
			continue
		}
		for _, id := range ids {
			k := pair{p, id}
			if l := named[k]; len(l) == 0 || l[len(l)-1] != int32(i) {
				named[k] = append(l, int32(i))
			}
		}
	}
	for k, l := range named {
		e.candidates[k] = mergeSorted(l, e.open[k.program])
	}
}

// mergeSorted merges two ascending lists of distinct indexes.
func mergeSorted(a, b []int32) []int32 {
	out := make([]int32, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if a[0] < b[0] {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}

func cloneConsent(c Consent) Consent {
	c.Disclosers = append([]string(nil), c.Disclosers...)
	c.Purposes = append([]Purpose(nil), c.Purposes...)
	c.Information = append([]InfoKind(nil), c.Information...)
	rs := make([]Recipient, len(c.Recipients))
	for i, r := range c.Recipients {
		r.Members = append([]string(nil), r.Members...)
		rs[i] = r
	}
	c.Recipients = rs
	return c
}

func compileConsent(c Consent) compiled {
	cc := compiled{c: c, problems: c.Problems(), end: c.Expires.end()}
	cc.deficient = hasErrors(cc.problems)
	cc.knownFalse, _ = c.knownFalseFrom()
	cc.never = cc.deficient || (cc.knownFalse && c.KnownFalseAt.IsZero())
	cc.from = c.SignedAt
	for _, t := range []time.Time{c.RevokedAt, cc.end, c.KnownFalseAt} {
		if !t.IsZero() && (cc.until.IsZero() || t.Before(cc.until)) {
			cc.until = t
		}
	}
	for _, p := range c.Purposes {
		cc.purposes |= 1 << p
	}
	for _, k := range c.Information {
		cc.info |= 1 << k
	}
	id := c.ID
	permit := Reason{Code: CodeConsentPermits, Cite: "42 CFR 2.31(a)", Consent: id,
		Message: "The consent is in force and names the discloser, the recipient, the purpose and every kind of information requested."}
	notice := Obligation{Code: ObligationCodeNotice232, Cite: "42 CFR 2.32",
		Message: "Attach the notice of 42 CFR 2.32 and a copy of the consent or a clear explanation of its scope."}
	account := Obligation{Code: ObligationCodeRecordDisclosure, Cite: "42 CFR 2.25",
		Message: "Record the disclosure for the patient's accounting of disclosures."}
	list := Obligation{Code: ObligationCodeRecordDisclosure, Cite: "42 CFR 2.24",
		Message: "Record the disclosure for the intermediary's list of disclosures."}
	limit := func(cite string) Obligation {
		return Obligation{Code: ObligationCodeLimitToNeed, Cite: cite,
			Message: "Disclose only what the recipient needs for the purpose."}
	}
	consentBasis := Basis{Kind: BasisKindConsent, Consent: id}
	cc.direct = newTemplate(consentBasis, []Reason{permit}, notice, account)
	memberPermit := permit
	memberPermit.Cite = "42 CFR 2.31(a)(4)(ii)"
	memberPermit.Message = "The consent is in force and names the recipient as a member participant of an intermediary it names."
	cc.member = newTemplate(consentBasis, []Reason{memberPermit}, notice, list)
	viaPermit := memberPermit
	viaPermit.Message = "The intermediary received the records under the consent, which names the recipient as one of its member participants."
	cc.viaIntermediary = newTemplate(consentBasis, []Reason{viaPermit}, notice, list)
	cc.r233b = newTemplate(Basis{Kind: BasisKindRedisclosure, Consent: id, Section: "42 CFR 2.33(b)"},
		[]Reason{{Code: CodeRedisclosurePermits, Cite: "42 CFR 2.33(b)", Consent: id,
			Message: "A Part 2 program, covered entity or business associate that received the records under a TPO consent may redisclose them for treatment, payment or health care operations as HIPAA permits."}},
		limit("42 CFR 2.33(b)"))
	cc.r233c = newTemplate(Basis{Kind: BasisKindRedisclosure, Consent: id, Section: "42 CFR 2.33(c)"},
		[]Reason{{Code: CodeRedisclosurePermits, Cite: "42 CFR 2.33(c)", Consent: id,
			Message: "A lawful holder that received the records under a consent for payment or health care operations may disclose them to its contractor for those activities."}},
		notice, limit("42 CFR 2.33(c)"))
	return cc
}

func newTemplate(b Basis, rs []Reason, obs ...Obligation) template {
	t := template{basis: b, reasons: rs[:len(rs):len(rs)], obligations: obs[:len(obs):len(obs)]}
	var cites []string
	if b.Section != "" {
		cites = append(cites, b.Section)
	}
	for _, r := range rs {
		cites = appendCite(cites, r.Cite)
	}
	for _, o := range obs {
		cites = appendCite(cites, o.Cite)
	}
	t.citations = cites[:len(cites):len(cites)]
	return t
}

func appendCite(cites []string, c string) []string {
	if c == "" {
		return cites
	}
	for _, x := range cites {
		if x == c {
			return cites
		}
	}
	return append(cites, c)
}

// Consents returns a copy of the engine's consents for the patient, in compile order.
func (e *Engine) Consents(patient string) []Consent {
	idx := e.byPatient[patient]
	out := make([]Consent, len(idx))
	for i, j := range idx {
		out[i] = cloneConsent(e.consents[j].c)
	}
	return out
}

// Decide judges the request at r.At. It denies by default: a permit needs a consent in
// force that covers the request, a lawful holder's redisclosure right (42 CFR 2.33), or an
// exception whose conditions all hold. Consents are tried first in compile order, then the
// redisclosure right, then the exceptions in section order; the first that permits is the
// basis.
//
// On a permit, Decide reports the reasons of its basis only and does not allocate; on a
// deny it reports every reason: the request's own faults, why each of the patient's
// consents did not apply, and why each exception the request invokes failed. Explain
// returns the same outcome with every reason on a permit too.
func (e *Engine) Decide(r Request) Decision {
	if e == nil {
		return Decision{Reasons: []Reason{noBasis()}, Citations: []string{noBasis().Cite}, Edition: RuleEdition}
	}
	if t := e.find(&r, nil); t != nil {
		return t.decision()
	}
	return e.explain(&r)
}

// Explain judges the request as Decide does and returns the same outcome, basis and
// obligations, but always with every reason: on a permit it adds why each other consent
// did not apply and what the other bases invoked say.
func (e *Engine) Explain(r Request) Decision {
	if e == nil {
		return e.Decide(r)
	}
	return e.explain(&r)
}

// noBasis is the closing reason of every deny.
func noBasis() Reason {
	return Reason{Code: CodeNoBasis, Cite: "42 CFR 2.13(a)",
		Message: "No consent or exception permits this disclosure; records may be disclosed only as Part 2 permits."}
}

func (e *Engine) explain(r *Request) Decision {
	var rs []Reason
	t := e.find(r, &rs)
	d := Decision{Edition: RuleEdition}
	if t != nil {
		d.Permit = true
		d.Basis = t.basis
		d.Obligations = t.obligations
		d.Reasons = append(append([]Reason(nil), t.reasons...), rs...)
		d.Citations = append([]string(nil), t.citations...)
	} else {
		if r.Purpose == PurposeProceedings {
			rs = append(rs, Reason{Code: CodeProceedingsNeedBasis, Cite: "42 CFR 2.31(d)",
				Message: "Records may not be used or disclosed in proceedings against the patient without a separate proceedings consent or a court order under subpart E."})
		}
		rs = append(rs, noBasis())
		d.Reasons = rs
	}
	for _, x := range d.Reasons {
		d.Citations = appendCite(d.Citations, x.Cite)
	}
	return d
}

// find returns the first permit template for the request, or nil. When rs is not nil it
// collects every reason of every candidate basis other than the one returned.
func (e *Engine) find(r *Request, rs *[]Reason) *template {
	if !e.checkRequest(r, rs) {
		return nil
	}
	var found *template
	var idx []int32
	if rs == nil {
		// Permit path: only the consents that could cover this recipient, in compile order.
		var ok bool
		if idx, ok = e.candidates[pair{r.Patient, r.Recipient.ID}]; !ok {
			idx = e.open[r.Patient]
		}
	} else {
		idx = e.byPatient[r.Patient]
	}
	if len(idx) == 0 && rs != nil {
		*rs = append(*rs, Reason{Code: CodeNoConsents, Cite: "42 CFR 2.31",
			Message: "No consent of this patient is on file."})
	}
	want := r.infoMask()
	for _, j := range idx {
		cc := &e.consents[j]
		if rs == nil {
			// Permit path: the same tests as direct1, cheapest first, no reasons.
			if t := cc.fast(r, want); t != nil {
				return t
			}
			continue
		}
		if t := cc.direct1(r, rs); t != nil && found == nil {
			found = t
			if rs == nil {
				return found
			}
		} else if t != nil {
			*rs = append(*rs, t.reasons[0])
		}
	}
	if r.Holder != nil {
		if t := e.redisclose(r, rs); t != nil && found == nil {
			found = t
			if rs == nil {
				return found
			}
		} else if t != nil {
			*rs = append(*rs, t.reasons[0])
		}
	}
	for k := excKind(0); k < numExc; k++ {
		if !k.triggered(r) {
			continue
		}
		if e.exception(k, r, rs) {
			if found == nil {
				found = &e.exc[k]
				if rs == nil {
					return found
				}
			} else {
				*rs = append(*rs, e.exc[k].reasons[0])
			}
		}
	}
	return found
}

// requestReasons are the static reasons for a request that cannot be judged.
type requestReasons struct {
	purpose, recipient, info, noInfo, party, time, holder Reason
}

func newRequestReasons() requestReasons {
	const cite = "42 CFR 2.13(a)"
	return requestReasons{
		purpose:   Reason{Code: CodeRequestUnknownPurpose, Cite: cite, Message: "The purpose is missing or unknown; a disclosure for an unknown purpose is denied."},
		recipient: Reason{Code: CodeRequestUnknownRecipient, Cite: cite, Message: "The recipient's kind is missing or unknown; a disclosure to an unknown kind of recipient is denied."},
		info:      Reason{Code: CodeRequestUnknownInfo, Cite: "42 CFR 2.31(a)(3)", Message: "A kind of information requested is unknown; it cannot be matched to what a consent describes."},
		noInfo:    Reason{Code: CodeRequestNoInfo, Cite: "42 CFR 2.31(a)(3)", Message: "The request does not say what information would be disclosed."},
		party:     Reason{Code: CodeRequestMissingParty, Cite: cite, Message: "The request does not identify the patient, the discloser and the recipient."},
		time:      Reason{Code: CodeRequestMissingTime, Cite: "42 CFR 2.31(c)", Message: "The request has no instant to judge at; a consent's status depends on it."},
		holder:    Reason{Code: CodeRequestUnknownDiscloser, Cite: "42 CFR 2.33", Message: "The redisclosing holder's kind is missing or unknown."},
	}
}

func (e *Engine) checkRequest(r *Request, rs *[]Reason) bool {
	ok := true
	note := func(x Reason) bool {
		ok = false
		if rs == nil {
			return false
		}
		*rs = append(*rs, x)
		return true
	}
	q := &e.request
	if !r.Purpose.IsValid() && !note(q.purpose) {
		return false
	}
	if !r.Recipient.Kind.IsValid() && !note(q.recipient) {
		return false
	}
	if len(r.Information) == 0 && !note(q.noInfo) {
		return false
	}
	for _, k := range r.Information {
		if !k.IsValid() {
			if !note(q.info) {
				return false
			}
			break
		}
	}
	if (r.Patient == "" || r.Discloser == "" || r.Recipient.ID == "") && !note(q.party) {
		return false
	}
	if r.At.IsZero() && !note(q.time) {
		return false
	}
	if r.Holder != nil && !r.Holder.Kind.IsValid() && !note(q.holder) {
		return false
	}
	return ok
}

func (r *Request) infoMask() uint32 {
	var m uint32
	for _, k := range r.Information {
		m |= 1 << k
	}
	return m
}

func (r *Request) discloserIsProgram() bool {
	return r.Holder == nil || r.Holder.Kind == RecipientKindPart2Program
}

// designationCovers reports whether a TPO general designation covers a recipient of kind
// k for purpose p (PurposeUnknown: for any purpose). "My treating providers" covers a
// part2_program, covered_entity or medical_personnel for treatment, payment or operations;
// "health plans" a covered_entity, and "third-party payers" a covered_entity or
// lawful_holder, for payment or operations; "people helping to operate this program" a
// business_associate, qso or contractor for payment or operations.
func designationCovers(d Designation, k RecipientKind, p Purpose) bool {
	payOps := p == PurposeUnknown || p == PurposePayment || p == PurposeOperations
	switch d {
	case DesignationTreatingProviders:
		return k == RecipientKindPart2Program || k == RecipientKindCoveredEntity || k == RecipientKindMedicalPersonnel
	case DesignationHealthPlans:
		return payOps && k == RecipientKindCoveredEntity
	case DesignationThirdPartyPayers:
		return payOps && (k == RecipientKindCoveredEntity || k == RecipientKindLawfulHolder)
	case DesignationProgramOperations:
		return payOps && (k == RecipientKindBusinessAssociate || k == RecipientKindQSO || k == RecipientKindContractor)
	}
	return false
}

// match tells how a consent's recipients cover a party.
type match uint8

const (
	noMatch           match = iota
	matchDirect             // named, or covered by a TPO designation
	matchIntermediary       // the party is a named intermediary
	matchMember             // the party is a member participant of a named intermediary
)

// recipientMatch tells how the consent covers party p receiving for purpose pu
// (PurposeUnknown: for any purpose).
func (cc *compiled) recipientMatch(p Party, pu Purpose) match {
	best := noMatch
	for i := range cc.c.Recipients {
		rc := &cc.c.Recipients[i]
		if rc.IsIntermediary() {
			if rc.ID != "" && rc.ID == p.ID {
				return matchIntermediary
			}
			if contains(rc.Members, p.ID) ||
				(rc.MemberDesignation == DesignationTreatingProviders && designationCovers(DesignationTreatingProviders, p.Kind, pu)) {
				best = matchMember
			}
			continue
		}
		if rc.ID != "" {
			if rc.ID == p.ID {
				return matchDirect
			}
			continue
		}
		if cc.c.Kind == KindTPO && designationCovers(rc.Designation, p.Kind, pu) {
			return matchDirect
		}
	}
	return best
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// status returns the code of the reason a consent does not count at t, or "" if it does.
func (cc *compiled) status(t time.Time) Code {
	if cc.deficient {
		return CodeConsentDeficient
	}
	switch lifecycle(t, cc.c.SignedAt, cc.knownFalse, cc.c.KnownFalseAt, cc.c.RevokedAt, cc.end) {
	case StatusKnownFalse:
		return CodeConsentKnownFalse
	case StatusNotYetSigned:
		return CodeConsentNotYetSigned
	case StatusRevoked:
		return CodeConsentRevoked
	case StatusExpired:
		return CodeConsentExpired
	}
	return ""
}

// statusText returns the citation and sentence of a status code.
func (cc *compiled) statusText(code Code) (cite, msg string) {
	switch code {
	case CodeConsentDeficient:
		return "42 CFR 2.31(c)(2)", "The consent on its face fails to conform to 42 CFR 2.31 (problems: " + problemCodes(cc.problems) + ")."
	case CodeConsentKnownFalse:
		return "42 CFR 2.31(c)(4)", "The consent was known to be materially false at that instant."
	case CodeConsentNotYetSigned:
		return "42 CFR 2.31(a)(9)", "The consent was not yet signed at that instant."
	case CodeConsentRevoked:
		return "42 CFR 2.31(c)(3)", "The consent was revoked in writing at or before that instant; revocation counts from its receipt, never before."
	case CodeConsentExpired:
		return "42 CFR 2.31(c)(1)", "The consent had expired at or before that instant."
	}
	return "", ""
}

func problemCodes(ps []Problem) string {
	var b strings.Builder
	n := 0
	for _, p := range ps {
		if p.Severity != SeverityError {
			continue
		}
		if n > 0 {
			b.WriteString(", ")
		}
		n++
		b.WriteString(string(p.Code))
	}
	return b.String()
}

// fast is direct1 without reasons, for the permit path.
func (cc *compiled) fast(r *Request, want uint32) *template {
	if cc.purposes&(1<<r.Purpose) == 0 || want&^cc.info != 0 || cc.never ||
		r.At.Before(cc.from) || (!cc.until.IsZero() && !r.At.Before(cc.until)) ||
		!contains(cc.c.Disclosers, r.Discloser) {
		return nil
	}
	switch cc.recipientMatch(r.Recipient, r.Purpose) {
	case matchDirect, matchIntermediary:
		return &cc.direct
	case matchMember:
		return &cc.member
	}
	return nil
}

// direct1 judges a consent for a disclosure by a discloser it names.
func (cc *compiled) direct1(r *Request, rs *[]Reason) *template {
	ok := true
	note := func(code Code, cite, msg string) bool {
		ok = false
		if rs == nil {
			return false
		}
		*rs = append(*rs, Reason{Code: code, Cite: cite, Message: msg, Consent: cc.c.ID})
		return true
	}
	if code := cc.status(r.At); code != "" {
		if rs == nil {
			return nil
		}
		cite, msg := cc.statusText(code)
		note(code, cite, msg)
	}
	if !contains(cc.c.Disclosers, r.Discloser) &&
		!note(CodeDiscloserNotNamed, "42 CFR 2.31(a)(2)", "The consent does not name this discloser.") {
		return nil
	}
	m := cc.recipientMatch(r.Recipient, r.Purpose)
	if m == noMatch && !note(CodeRecipientNotCovered, "42 CFR 2.31(a)(4)", "The consent does not name or designate this recipient.") {
		return nil
	}
	if cc.purposes&(1<<r.Purpose) == 0 && !note(CodePurposeNotCovered, "42 CFR 2.31(a)(5)", "The consent does not cover this purpose.") {
		return nil
	}
	if !cc.coversInfo(r, note) {
		return nil
	}
	if !ok {
		return nil
	}
	if m == matchMember {
		return &cc.member
	}
	return &cc.direct
}

func (cc *compiled) coversInfo(r *Request, note func(Code, string, string) bool) bool {
	want := r.infoMask()
	if want&^cc.info == 0 {
		return true
	}
	if want&(1<<InfoKindCounselingNotes) != 0 && cc.c.Kind != KindCounselingNotes {
		return note(CodeCounselingNotesOwn, "42 CFR 2.31(b)", "SUD counseling notes may be disclosed only under a consent for counseling notes alone.")
	}
	return note(CodeInfoNotCovered, "42 CFR 2.31(a)(3)", "The consent does not cover every kind of information requested.")
}

// redisclose judges a holder's redisclosure of what it received under a consent (2.33).
func (e *Engine) redisclose(r *Request, rs *[]Reason) *template {
	h := r.Holder
	id := strings.TrimPrefix(h.ReceivedUnder, "consent:")
	var cc *compiled
	if id != "" {
		for _, j := range e.byPatient[r.Patient] {
			if e.consents[j].c.ID == id {
				cc = &e.consents[j]
				break
			}
		}
	}
	if cc == nil {
		if rs != nil {
			*rs = append(*rs, Reason{Code: CodeRedisclosureNoConsent, Cite: "42 CFR 2.33",
				Message: "The holder did not name a consent of this patient under which it received the records."})
		}
		return nil
	}
	ok := true
	note := func(code Code, cite, msg string) bool {
		ok = false
		if rs == nil {
			return false
		}
		*rs = append(*rs, Reason{Code: code, Cite: cite, Message: msg, Consent: cc.c.ID})
		return true
	}
	if h.ReceivedAt.IsZero() || h.ReceivedAt.After(r.At) {
		if !note(CodeRedisclosureNoReceipt, "42 CFR 2.33", "The holder did not say when it received the records, or the receipt is after the disclosure.") {
			return nil
		}
	} else if code := cc.status(h.ReceivedAt); code != "" {
		if rs == nil {
			return nil
		}
		_, msg := cc.statusText(code)
		note(CodeRedisclosureNotInForce, "42 CFR 2.31(c)", "The consent did not count when the holder received the records ("+string(code)+"): "+msg)
	}
	m := cc.recipientMatch(Party{ID: r.Discloser, Kind: h.Kind}, PurposeUnknown)
	if m == noMatch && !note(CodeHolderNotRecipient, "42 CFR 2.33(a)", "The consent does not name or designate the holder as a recipient.") {
		return nil
	}
	if r.infoMask()&^cc.info != 0 && !note(CodeInfoNotReceived, "42 CFR 2.33(a)", "The request carries information the consent did not let the holder receive.") {
		return nil
	}
	if r.Purpose == PurposeProceedings && !note(CodeProceedingsAgainst, "42 CFR 2.33(b)", "Records received under consent may not be used or disclosed in proceedings against the patient without a proceedings consent or a court order.") {
		return nil
	}
	if !ok {
		return nil
	}
	switch {
	case m == matchIntermediary || h.Kind == RecipientKindIntermediary:
		if cc.recipientMatch(r.Recipient, r.Purpose) != matchMember {
			note(CodeIntermediaryNotMember, "42 CFR 2.31(a)(4)(ii)", "The recipient is not a member participant of the intermediary named in the consent.")
			return nil
		}
		if cc.purposes&(1<<r.Purpose) == 0 {
			note(CodePurposeNotCovered, "42 CFR 2.31(a)(5)", "The consent does not cover this purpose.")
			return nil
		}
		return &cc.viaIntermediary
	case cc.c.Kind == KindTPO && (h.Kind == RecipientKindPart2Program || h.Kind == RecipientKindCoveredEntity || h.Kind == RecipientKindBusinessAssociate):
		switch r.Purpose {
		case PurposeTreatment, PurposePayment, PurposeOperations, PurposeEmergencyTreatment:
			return &cc.r233b
		}
		note(CodeRedisclosurePurpose, "42 CFR 2.33(b)", "This package judges a covered entity's or business associate's redisclosure only for treatment, payment and health care operations; any other HIPAA permission needs the holder's own review.")
		return nil
	}
	if (r.Purpose != PurposePayment && r.Purpose != PurposeOperations) || cc.purposes&(1<<r.Purpose) == 0 {
		note(CodeRedisclosurePurpose, "42 CFR 2.33(c)", "A lawful holder may redisclose only for payment or health care operations the consent covers.")
		return nil
	}
	if r.Recipient.Kind != RecipientKindContractor {
		note(CodeRedisclosureRecipient, "42 CFR 2.33(c)", "A lawful holder may redisclose only to its contractors, subcontractors or legal representatives.")
		return nil
	}
	return &cc.r233c
}
