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
	consents []compiled
	// patients indexes the consents by patient: one lookup per decision.
	patients map[string]*patient
	qsoas    []compiledQSOA
	byPair   map[pair][]int32
	exc      [numExc]template
	rt       *reasonTable
	// noConsents holds the reasons and citations of the commonest deny, nothing but "no
	// consent on file" (and, at index 1, the proceedings reason), shared by every such
	// decision.
	noConsents [2]struct {
		reasons []Reason
		cites   []string
	}
}

type pair struct{ program, org string }

// patient indexes one patient's consents.
type patient struct {
	// all are the patient's consents, in compile order.
	all []int32
	// open and named index, for the permit path, the conforming consents that could cover
	// a recipient: those naming it (as recipient, intermediary or member) merged, in
	// compile order, with those that designate recipients by class (open).
	open  []int32
	named []namedCandidates
	// byRecipient indexes named when it is long.
	byRecipient map[string]int32
}

type namedCandidates struct {
	recipient string
	idx       []int32
}

// candidates returns the consents that could cover the recipient, in compile order.
func (p *patient) candidates(recipient string) []int32 {
	if p.byRecipient != nil {
		if i, ok := p.byRecipient[recipient]; ok {
			return p.named[i].idx
		}
		return p.open
	}
	for i := range p.named {
		if p.named[i].recipient == recipient {
			return p.named[i].idx
		}
	}
	return p.open
}

// template is a precomputed permit: the decision parts that do not depend on the request.
type template struct {
	basis       Basis
	reasons     []Reason
	obligations []Obligation
	citations   []string
	// ref is reasons[0] as a reasonRef, for when another basis is found first; citeSet
	// holds the indexes of citations.
	ref     reasonRef
	citeSet citeSet
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
	// the reasons of a deficient consent, whose sentence lists its problems
	deficientReason, redisDeficientReason Reason
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
		patients: make(map[string]*patient),
		byPair:   make(map[pair][]int32),
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
		e.consents = append(e.consents, compileConsent(cloneConsent(c), int32(i)))
		p := e.patients[c.Patient]
		if p == nil {
			p = &patient{}
			e.patients[c.Patient] = p
		}
		p.all = append(p.all, int32(i))
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
	e.rt = newReasonTable(&e.exc)
	for i, seq := range [2][]rid{{rNoConsents, rNoBasis}, {rNoConsents, rProceedings, rNoBasis}} {
		var c collector
		for _, id := range seq {
			c.add(id, -1)
		}
		rs, cites := e.materialise(nil, &c)
		e.noConsents[i].reasons, e.noConsents[i].cites = rs, cites
	}
	for k := range e.exc {
		e.exc[k].ref = reasonRef{rExcPermit + rid(k), -1}
		e.exc[k].citeSet = e.rt.citeSetOf(e.exc[k].citations)
	}
	for i := range e.consents {
		cc := &e.consents[i]
		for _, t := range []*template{&cc.direct, &cc.member, &cc.viaIntermediary, &cc.r233b, &cc.r233c} {
			t.citeSet = e.rt.citeSetOf(t.citations)
		}
	}
	return e, nil
}

// index builds the candidate lists of the permit path.
func (e *Engine) index() {
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
			e.patients[p].open = append(e.patients[p].open, int32(i))
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
		p := e.patients[k.program]
		p.named = append(p.named, namedCandidates{k.org, mergeSorted(l, p.open)})
	}
	const longNamed = 8 // beyond this many recipients, a map beats a linear scan
	for _, p := range e.patients {
		if len(p.named) > longNamed {
			p.byRecipient = make(map[string]int32, len(p.named))
			for i, n := range p.named {
				p.byRecipient[n.recipient] = int32(i)
			}
		}
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

// permitReasons are the reasons of a consent's permits, without the consent's ID: direct,
// member, via an intermediary, redisclosure under 2.33(b) and under 2.33(c).
func permitReasons() [5]Reason {
	permit := Reason{Code: CodeConsentPermits, Cite: "42 CFR 2.31(a)",
		Message: "The consent is in force and names the discloser, the recipient, the purpose and every kind of information requested."}
	member := permit
	member.Cite = "42 CFR 2.31(a)(4)(ii)"
	member.Message = "The consent is in force and names the recipient as a member participant of an intermediary it names."
	via := member
	via.Message = "The intermediary received the records under the consent, which names the recipient as one of its member participants."
	return [5]Reason{permit, member, via,
		{Code: CodeRedisclosurePermits, Cite: "42 CFR 2.33(b)",
			Message: "A Part 2 program, covered entity or business associate that received the records under a TPO consent may redisclose them for treatment, payment or health care operations as HIPAA permits."},
		{Code: CodeRedisclosurePermits, Cite: "42 CFR 2.33(c)",
			Message: "A lawful holder that received the records under a consent for payment or health care operations may disclose them to its contractor for those activities."},
	}
}

// compileConsent compiles the consent at index i of the engine.
func compileConsent(c Consent, i int32) compiled {
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
	if cc.deficient {
		cite, msg := statusText(CodeConsentDeficient)
		msg += " (problems: " + problemCodes(cc.problems) + ")."
		cc.deficientReason = Reason{Code: CodeConsentDeficient, Cite: cite, Message: msg, Consent: id}
		cc.redisDeficientReason = Reason{Code: CodeRedisclosureNotInForce, Cite: "42 CFR 2.31(c)",
			Message: redisNotInForce(CodeConsentDeficient, msg), Consent: id}
	}
	prs := permitReasons()
	for k := range prs {
		prs[k].Consent = id
	}
	permit, memberPermit, viaPermit := prs[0], prs[1], prs[2]
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
	cc.member = newTemplate(consentBasis, []Reason{memberPermit}, notice, list)
	cc.viaIntermediary = newTemplate(consentBasis, []Reason{viaPermit}, notice, list)
	cc.r233b = newTemplate(Basis{Kind: BasisKindRedisclosure, Consent: id, Section: "42 CFR 2.33(b)"},
		[]Reason{prs[3]}, limit("42 CFR 2.33(b)"))
	cc.r233c = newTemplate(Basis{Kind: BasisKindRedisclosure, Consent: id, Section: "42 CFR 2.33(c)"},
		[]Reason{prs[4]}, notice, limit("42 CFR 2.33(c)"))
	cc.direct.ref = reasonRef{rPermitDirect, i}
	cc.member.ref = reasonRef{rPermitMember, i}
	cc.viaIntermediary.ref = reasonRef{rPermitVia, i}
	cc.r233b.ref = reasonRef{rPermit233b, i}
	cc.r233c.ref = reasonRef{rPermit233c, i}
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
	var idx []int32
	if p := e.patients[patient]; p != nil {
		idx = p.all
	}
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
	p := e.patients[r.Patient]
	if p == nil || len(p.all) <= fewConsents {
		// One walk collecting reasons, stopping at the first permit: the refs it collects
		// live on the stack, so a permit still allocates nothing.
		t, rs, cites := e.judge(&r, p, false, true)
		if rs == nil {
			return t.decision()
		}
		return decision(t, rs, cites)
	}
	// Two walks: the permit path tries only the candidates for the recipient and collects
	// nothing; a deny walks again collecting every reason.
	checked := e.checkRequest(&r, nil)
	if checked {
		if t := e.find(&r, p, nil, true); t != nil {
			return t.decision()
		}
	}
	return decision(e.judge(&r, p, checked, false))
}

// decision assembles the decision judge returned: a permit on t, or a deny if t is nil.
func decision(t *template, rs []Reason, cites []string) Decision {
	if t == nil {
		return Decision{Reasons: rs, Citations: cites, Edition: RuleEdition}
	}
	return Decision{Permit: true, Basis: t.basis, Reasons: rs, Obligations: t.obligations,
		Citations: cites, Edition: RuleEdition}
}

// fewConsents is the number of consents of a patient up to which Decide walks them once,
// collecting reasons on the way, rather than first trying only the candidates without
// reasons. With at most that many, the collected refs never outgrow the collector's array.
const fewConsents = 4

// Explain judges the request as Decide does and returns the same outcome, basis and
// obligations, but always with every reason: on a permit it adds why each other consent
// did not apply and what the other bases invoked say.
func (e *Engine) Explain(r Request) Decision {
	if e == nil {
		return e.Decide(r)
	}
	return decision(e.judge(&r, e.patients[r.Patient], false, false))
}

// noBasis is the closing reason of every deny.
func noBasis() Reason {
	return Reason{Code: CodeNoBasis, Cite: "42 CFR 2.13(a)",
		Message: "No consent or exception permits this disclosure; records may be disclosed only as Part 2 permits."}
}

// judge judges the request collecting every reason; checked says checkRequest found no
// fault in it already. It returns the permit's template (nil on a deny), the reasons and
// the citations. With first, a permit is returned as soon as found, with nil reasons: its
// decision is t.decision(), the reasons of its basis only, as Decide reports it. (Slices,
// not a Decision, come back so that they travel in registers.)
func (e *Engine) judge(r *Request, p *patient, checked, first bool) (*template, []Reason, []string) {
	var c collector
	var t *template
	if checked || e.checkRequest(r, &c) {
		t = e.find(r, p, &c, first)
	}
	if t != nil && first {
		return t, nil, nil
	}
	if t == nil {
		proc := r.Purpose == PurposeProceedings
		if c.n == 1 && c.buf[0].id == rNoConsents {
			i := 0
			if proc {
				i = 1
			}
			return nil, e.noConsents[i].reasons, e.noConsents[i].cites
		}
		if proc {
			c.add(rProceedings, -1)
		}
		c.add(rNoBasis, -1)
	}
	rs, cites := e.materialise(t, &c)
	return t, rs, cites
}

// find returns the first permit template for a request checkRequest found no fault in, or
// nil. p is the patient's index (nil: no consent on file). When rs is not nil it collects
// every reason of every candidate basis other than the one returned, up to the first
// permit if first is set, else to the end. rs nil needs first.
func (e *Engine) find(r *Request, p *patient, rs *collector, first bool) *template {
	var found *template
	var idx []int32
	if p != nil {
		if rs == nil {
			// Permit path: only the consents that could cover this recipient, in compile order.
			idx = p.candidates(r.Recipient.ID)
		} else {
			idx = p.all
		}
	}
	if len(idx) == 0 && rs != nil {
		rs.add(rNoConsents, -1)
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
		if first && found == nil {
			// The permit path's tests decide a permit without the cost of noting reasons.
			if t := cc.fast(r, want); t != nil {
				return t
			}
		}
		if t := cc.direct1(r, want, j, rs); t != nil && found == nil {
			found = t
			if first {
				return found
			}
		} else if t != nil {
			rs.add(t.ref.id, t.ref.who)
		}
	}
	if r.Holder != nil {
		if t := e.redisclose(r, p, want, rs); t != nil && found == nil {
			found = t
			if first {
				return found
			}
		} else if t != nil {
			rs.add(t.ref.id, t.ref.who)
		}
	}
	for k := excKind(0); k < numExc; k++ {
		if !k.triggered(r) {
			continue
		}
		if e.exception(k, r, want, rs) {
			if found == nil {
				found = &e.exc[k]
				if first {
					return found
				}
			} else {
				rs.add(rExcPermit+rid(k), -1)
			}
		}
	}
	return found
}

func (e *Engine) checkRequest(r *Request, rs *collector) bool {
	ok := true
	note := func(id rid) bool {
		ok = false
		if rs == nil {
			return false
		}
		rs.add(id, -1)
		return true
	}
	if !r.Purpose.IsValid() && !note(rReqPurpose) {
		return false
	}
	if !r.Recipient.Kind.IsValid() && !note(rReqRecipient) {
		return false
	}
	if len(r.Information) == 0 && !note(rReqNoInfo) {
		return false
	}
	for _, k := range r.Information {
		if !k.IsValid() {
			if !note(rReqInfo) {
				return false
			}
			break
		}
	}
	if (r.Patient == "" || r.Discloser == "" || r.Recipient.ID == "") && !note(rReqParty) {
		return false
	}
	if r.At.IsZero() && !note(rReqTime) {
		return false
	}
	if r.Holder != nil && !r.Holder.Kind.IsValid() && !note(rReqHolder) {
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

// status returns the reason a consent does not count at t (rDeficient, rKnownFalse,
// rNotYetSigned, rRevoked or rExpired), or false if it counts.
func (cc *compiled) status(t time.Time) (rid, bool) {
	if cc.deficient {
		return rDeficient, true
	}
	switch lifecycle(t, cc.c.SignedAt, cc.knownFalse, cc.c.KnownFalseAt, cc.c.RevokedAt, cc.end) {
	case StatusKnownFalse:
		return rKnownFalse, true
	case StatusNotYetSigned:
		return rNotYetSigned, true
	case StatusRevoked:
		return rRevoked, true
	case StatusExpired:
		return rExpired, true
	}
	return 0, false
}

// statusText returns the citation and sentence of a status code (for a deficient consent,
// the sentence without the list of its problems).
func statusText(code Code) (cite, msg string) {
	switch code {
	case CodeConsentDeficient:
		return "42 CFR 2.31(c)(2)", "The consent on its face fails to conform to 42 CFR 2.31"
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

// direct1 judges the consent at index j for a disclosure by a discloser it names; want is
// the request's information mask.
func (cc *compiled) direct1(r *Request, want uint32, j int32, rs *collector) *template {
	ok := true
	note := func(id rid) {
		ok = false
		rs.add(id, j)
	}
	// The precomputed interval of the permit path decides most cases without lifecycle.
	if cc.never || r.At.Before(cc.from) || (!cc.until.IsZero() && !r.At.Before(cc.until)) {
		if id, bad := cc.status(r.At); bad {
			note(id)
		}
	}
	if !contains(cc.c.Disclosers, r.Discloser) {
		note(rDiscloserNotNamed)
	}
	m := cc.recipientMatch(r.Recipient, r.Purpose)
	if m == noMatch {
		note(rRecipientNotCovered)
	}
	if cc.purposes&(1<<r.Purpose) == 0 {
		note(rPurposeNotCovered)
	}
	if want&^cc.info != 0 {
		if want&(1<<InfoKindCounselingNotes) != 0 && cc.c.Kind != KindCounselingNotes {
			note(rCounselingNotesOwn)
		} else {
			note(rInfoNotCovered)
		}
	}
	if !ok {
		return nil
	}
	if m == matchMember {
		return &cc.member
	}
	return &cc.direct
}

// redisclose judges a holder's redisclosure of what it received under a consent (2.33).
func (e *Engine) redisclose(r *Request, p *patient, want uint32, rs *collector) *template {
	h := r.Holder
	id := strings.TrimPrefix(h.ReceivedUnder, "consent:")
	var cc *compiled
	var j int32
	if id != "" && p != nil {
		for _, i := range p.all {
			if e.consents[i].c.ID == id {
				cc, j = &e.consents[i], i
				break
			}
		}
	}
	if cc == nil {
		if rs != nil {
			rs.add(rRedisNoConsent, -1)
		}
		return nil
	}
	ok := true
	note := func(x rid) bool {
		ok = false
		if rs == nil {
			return false
		}
		rs.add(x, j)
		return true
	}
	if h.ReceivedAt.IsZero() || h.ReceivedAt.After(r.At) {
		if !note(rRedisNoReceipt) {
			return nil
		}
	} else if x, bad := cc.status(h.ReceivedAt); bad {
		if rs == nil {
			return nil
		}
		// rRedisDeficient..rRedisExpired follow the order of rDeficient..rExpired.
		note(rRedisDeficient + (x - rDeficient))
	}
	m := cc.recipientMatch(Party{ID: r.Discloser, Kind: h.Kind}, PurposeUnknown)
	if m == noMatch && !note(rHolderNotRecipient) {
		return nil
	}
	if want&^cc.info != 0 && !note(rInfoNotReceived) {
		return nil
	}
	if r.Purpose == PurposeProceedings && !note(rProceedingsAgainst) {
		return nil
	}
	if !ok {
		return nil
	}
	switch {
	case m == matchIntermediary || h.Kind == RecipientKindIntermediary:
		if cc.recipientMatch(r.Recipient, r.Purpose) != matchMember {
			note(rIntermediaryNotMember)
			return nil
		}
		if cc.purposes&(1<<r.Purpose) == 0 {
			note(rPurposeNotCovered)
			return nil
		}
		return &cc.viaIntermediary
	case cc.c.Kind == KindTPO && (h.Kind == RecipientKindPart2Program || h.Kind == RecipientKindCoveredEntity || h.Kind == RecipientKindBusinessAssociate):
		switch r.Purpose {
		case PurposeTreatment, PurposePayment, PurposeOperations, PurposeEmergencyTreatment:
			return &cc.r233b
		}
		note(rRedisPurpose233b)
		return nil
	}
	if (r.Purpose != PurposePayment && r.Purpose != PurposeOperations) || cc.purposes&(1<<r.Purpose) == 0 {
		note(rRedisPurpose233c)
		return nil
	}
	if r.Recipient.Kind != RecipientKindContractor {
		note(rRedisRecipient)
		return nil
	}
	return &cc.r233c
}
