package consent

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Engine answers disclosure requests against a fixed set of consents and QSO agreements
// under a Policy. Build it once with Compile (or Policy.Compile); it is immutable and safe
// for concurrent use by any number of goroutines. An Engine not built by Compile (the zero
// Engine, a nil *Engine) permits nothing: every request is denied with
// CodeEngineNotCompiled.
//
// The decisions an Engine returns hold its compiled consents and agreements (a deny's
// reasons are judged again from them when read), which therefore stay in memory as long as
// any of its decisions does.
type Engine struct {
	// k is what Compile built; nil for an Engine Compile did not build. Decisions hold k,
	// never the Engine, so that nothing done to an Engine value afterwards changes them.
	k *core
}

// core is a compiled engine: immutable once Compile returns it.
type core struct {
	policy   Policy
	consents []compiled
	// patients indexes the consents by patient: one lookup per decision, keyed by the
	// identifier's value (one string to hash); patients of one value and several systems
	// are chained (patient.other).
	patients map[string]*patient
	qsoas    []compiledQSOA
	byPair   map[pair][]int32
	exc      [numExc]template
	// qsoT[j] is the QSO exception's permit on agreement j: exc[excQSO] ending when the
	// agreement expires.
	qsoT []template
	rt   *reasonTable
	// strTable holds the strings the rules compare a request's with (see query), strs their
	// indexes; strTable[strUnknown] stands for any other non-empty string: it equals none
	// of them.
	strs     map[string]str
	strTable []string
	// excludedSpelling holds, by an excluded identifier value's folded spelling (see
	// foldValue), the index of a stand-in of that spelling (see internValue).
	excludedSpelling map[string]str
}

// pair keys the QSO agreements by the values of the program's and the organization's
// identifiers (two strings to hash); qsoCheck compares the systems.
type pair struct{ program, org string }

// patient indexes one patient's consents.
type patient struct {
	// id is the patient's identifier; other is the next patient of the same value and
	// another system.
	id    Identifier
	other *patient
	// all are the patient's consents, in compile order.
	all []int32
	// open and named index, for the permit path, the conforming consents that could cover
	// a recipient: those naming it (as recipient, intermediary or member) merged, in
	// compile order, with those that designate recipients by class (open).
	open  []int32
	named []namedCandidates
	// byRecipient indexes named when it is long: the first entry of each recipient value
	// (named is sorted by value, then system).
	byRecipient map[string]int32
}

// patient returns the index of the patient's consents, or nil.
func (e *core) patient(id Identifier) *patient {
	p := e.patients[id.Value]
	if p != nil && p.other == nil && p.id.System == "" && id.System == "" {
		return p // the common case: one patient of this value, no system
	}
	for ; p != nil; p = p.other {
		if p.id.System == id.System {
			return p
		}
	}
	return nil
}

type namedCandidates struct {
	recipient Identifier
	idx       []int32
}

// candidates returns the consents that could cover the recipient, in compile order.
func (p *patient) candidates(recipient Identifier) []int32 {
	if p.byRecipient != nil {
		if i, ok := p.byRecipient[recipient.Value]; ok {
			for _, n := range p.named[i:] {
				if n.recipient.Value != recipient.Value {
					break
				}
				if n.recipient.System == recipient.System {
					return n.idx
				}
			}
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
// Decisions point to it and never expose its slices for writing.
type template struct {
	basis       Basis
	until       time.Time
	reasons     []Reason
	obligations []Obligation
	citations   []string
	// ref is reasons[0] as a reasonRef, for when another basis is found first; citeSet
	// holds the indexes of citations.
	ref     reasonRef
	citeSet citeSet
}

type compiled struct {
	c          Consent
	problems   []Problem
	deficient  bool
	knownFalse bool
	// never: the consent never counts (deficient, or known false with no time); otherwise it
	// counts on [from, until), until zero meaning no end.
	never       bool
	from, until time.Time
	purposes    uint32
	// info is the kinds of information covered: those listed, and the patient's identity
	// with SUD records (every record identifies the patient).
	info uint32
	// entries[i] is what Recipients[i] is, decided once.
	entries []entryKind
	end     time.Time
	// falseAt is when the consent became known to be false (zero: never, or, with
	// knownFalse, at every instant).
	falseAt time.Time
	// permit templates: viaIntermediary to a member the consent designates (with the
	// intermediary's list of 2.24), viaNamed to a member it names.
	direct, member, viaIntermediary, viaNamed, r233b1, r233b2, r233b3 template
	// the reasons of a deficient consent, whose sentence lists its problems
	deficientReason, redisDeficientReason Reason
}

// entryKind is what an entry of a consent's recipients is.
type entryKind uint8

const (
	entryClass        entryKind = iota // a general designation of a class of persons
	entryNamed                         // a named recipient
	entryIntermediary                  // a named intermediary with its members
)

type compiledQSOA struct {
	a     QSOAgreement
	start time.Time // a.start(): in force from then (QSOAgreement.inForce)
	valid bool
}

// Compile copies the consents and agreements into an Engine under the zero (default)
// Policy; see Policy.Compile.
func Compile(consents []Consent, agreements []QSOAgreement) (*Engine, error) {
	return Policy{}.Compile(consents, agreements)
}

// Compile copies the consents and agreements into an Engine under the policy, validating
// each once. Invalid consents and agreements are kept (a decision says why they did not
// apply) but never permit anything. Compile fails only on an ID: missing (ErrMissingID),
// against the identifier rule or, for a consent, beginning with "consent:" (ErrInvalidID),
// or shared by two consents or two agreements (ErrDuplicateID). IDs are how decisions name
// their basis.
func (pol Policy) Compile(consents []Consent, agreements []QSOAgreement) (*Engine, error) {
	e := &core{
		policy:   pol,
		consents: make([]compiled, 0, len(consents)),
		patients: make(map[string]*patient),
		qsoas:    make([]compiledQSOA, 0, len(agreements)),
		byPair:   make(map[pair][]int32),
	}
	seen := make(map[string]bool, len(consents))
	for i, c := range consents {
		if err := checkID("consent", c.ID, i, true); err != nil {
			return nil, err
		}
		if seen[c.ID] {
			return nil, &compileError{sentinel: ErrDuplicateID, what: "consent", index: i, id: c.ID}
		}
		seen[c.ID] = true
		e.consents = append(e.consents, compileConsent(cloneConsent(c), int32(i)))
		p := e.patient(c.Patient)
		if p == nil {
			p = &patient{id: c.Patient, other: e.patients[c.Patient.Value]}
			e.patients[c.Patient.Value] = p
		}
		p.all = append(p.all, int32(i))
	}
	seenQ := make(map[string]bool, len(agreements))
	for i, a := range agreements {
		if err := checkID("QSO agreement", a.ID, i, false); err != nil {
			return nil, err
		}
		if seenQ[a.ID] {
			return nil, &compileError{sentinel: ErrDuplicateID, what: "QSO agreement", index: i, id: a.ID}
		}
		seenQ[a.ID] = true
		a.Services = append([]Service(nil), a.Services...)
		e.qsoas = append(e.qsoas, compiledQSOA{a: a, start: a.start(), valid: a.Valid()})
		k := pair{a.Program.Value, a.Organization.Value}
		e.byPair[k] = append(e.byPair[k], int32(i))
	}
	e.index()
	e.internStrings()
	e.exc = exceptionTemplates()
	e.rt = newReasonTable(&e.exc)
	for k := range e.exc {
		e.exc[k].ref = reasonRef{rExcPermit + rid(k), -1}
		e.exc[k].citeSet = e.rt.citeSetOf(e.exc[k].citations)
	}
	e.qsoT = make([]template, len(e.qsoas))
	for j := range e.qsoas {
		e.qsoT[j] = e.exc[excQSO]
		e.qsoT[j].until = e.qsoas[j].a.Expires
	}
	for i := range e.consents {
		cc := &e.consents[i]
		cc.setUntil(pol)
		for _, t := range cc.templates() {
			t.citeSet = e.rt.citeSetOf(t.citations)
		}
	}
	return &Engine{k: e}, nil
}

// Policy returns the policy the engine was compiled under.
func (e *Engine) Policy() Policy {
	if !e.compiled() {
		return Policy{}
	}
	return e.k.policy
}

func (cc *compiled) templates() []*template {
	return []*template{&cc.direct, &cc.member, &cc.viaIntermediary, &cc.viaNamed, &cc.r233b1, &cc.r233b2, &cc.r233b3}
}

// setUntil sets the end of each permit template's basis: the consent's end, except for the
// redisclosures the policy lets outlive the consent, which end only when it becomes known
// to be false (2.31(c)(4)).
func (cc *compiled) setUntil(pol Policy) {
	cc.direct.until, cc.member.until = cc.until, cc.until
	redis := cc.until
	if pol.RedisclosureAfterConsentEnds {
		redis = cc.falseAt
	}
	cc.viaIntermediary.until, cc.viaNamed.until, cc.r233b2.until, cc.r233b3.until = redis, redis, redis, redis
	cc.r233b1.until = cc.until
	if pol.HIPAARedisclosureAfterConsentEnds {
		cc.r233b1.until = cc.falseAt
	}
}

// knownFalseBy reports whether the consent is known to be false at t (2.31(c)(4)).
func (cc *compiled) knownFalseBy(t time.Time) bool {
	return cc.knownFalse && (cc.falseAt.IsZero() || !t.Before(cc.falseAt))
}

// index builds the candidate lists of the permit path.
func (e *core) index() {
	type key struct{ patient, recipient Identifier }
	named := make(map[key][]int32)
	for i := range e.consents {
		cc := &e.consents[i]
		if cc.deficient {
			continue // never permits
		}
		p := cc.c.Patient
		isOpen := false
		var rids []Identifier
		for _, r := range cc.c.Recipients {
			switch {
			case r.IsIntermediary():
				rids = append(append(rids, r.ID), r.Members...)
				if r.MemberDesignation != DesignationUnknown {
					isOpen = true
				}
			case !r.ID.IsZero():
				rids = append(rids, r.ID)
			default:
				isOpen = true
			}
		}
		if isOpen {
			pi := e.patient(p)
			pi.open = append(pi.open, int32(i))
			continue
		}
		for _, id := range rids {
			k := key{p, id}
			if l := named[k]; len(l) == 0 || l[len(l)-1] != int32(i) {
				named[k] = append(l, int32(i))
			}
		}
	}
	for k, l := range named {
		p := e.patient(k.patient)
		p.named = append(p.named, namedCandidates{k.recipient, mergeSorted(l, p.open)})
	}
	const longNamed = 8 // beyond this many recipients, a map beats a linear scan
	for _, first := range e.patients {
		for p := first; p != nil; p = p.other {
			// Sorted, so that the engine's indexes do not depend on map order.
			slices.SortFunc(p.named, func(a, b namedCandidates) int {
				return cmp.Or(strings.Compare(a.recipient.Value, b.recipient.Value), strings.Compare(a.recipient.System, b.recipient.System))
			})
			if len(p.named) > longNamed {
				p.byRecipient = make(map[string]int32, len(p.named))
				for i, n := range p.named {
					if _, ok := p.byRecipient[n.recipient.Value]; !ok {
						p.byRecipient[n.recipient.Value] = int32(i)
					}
				}
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
	c.Disclosers = append([]Identifier(nil), c.Disclosers...)
	c.Purposes = append([]Purpose(nil), c.Purposes...)
	c.Information = append([]InfoKind(nil), c.Information...)
	c.Exclusions = append([]Exclusion(nil), c.Exclusions...)
	rs := make([]Recipient, len(c.Recipients))
	for i, r := range c.Recipients {
		r.Members = append([]Identifier(nil), r.Members...)
		rs[i] = r
	}
	c.Recipients = rs
	return c
}

// Citations of the consent permits.
const (
	cite233a1        = "42 CFR 2.33(a)(1)"
	cite233a2        = "42 CFR 2.33(a)(2)"
	cite233b1        = "42 CFR 2.33(b)(1)"
	cite233b2        = "42 CFR 2.33(b)(2)"
	cite233b3        = "42 CFR 2.33(b)(3)"
	cite233c         = "42 CFR 2.33(c)"
	cite213a         = "42 CFR 2.13(a)"
	citeIntermediary = "42 CFR 2.31(a)(4)(ii)"
)

// permitReasons are the reasons of a consent's permits, without the consent's ID: direct
// under a consent other than TPO (2.33(a)(1)) and under a TPO consent (2.33(a)(2)), to a
// member from the program, via an intermediary, and the redisclosures of 2.33(b)(1), (2)
// and (3).
func permitReasons() [7]Reason {
	permit := Reason{Code: CodeConsentPermits, Cite: cite233a1,
		Message: "The consent is in force and names the discloser, the recipient, the purpose and every kind of information requested."}
	tpo := permit
	tpo.Cite = cite233a2
	tpo.Message = "The single TPO consent is in force and names the discloser; the recipient, the purpose (treatment, payment or health care operations) and every kind of information requested are within it."
	member := Reason{Code: CodeConsentPermits, Cite: citeIntermediary,
		Message: "The consent is in force and names the recipient as a member participant of an intermediary it names."}
	via := member
	via.Message = "The intermediary the consent names received the records under it, and the recipient is one of that intermediary's member participants."
	return [7]Reason{permit, tpo, member, via,
		{Code: CodeRedisclosurePermits, Cite: cite233b1,
			Message: "A covered entity or business associate that received the records for treatment, payment or health care operations may further disclose them as HIPAA permits, except in proceedings against the patient; this package judges the HIPAA permissions for treatment, payment and health care operations only."},
		{Code: CodeRedisclosurePermits, Cite: cite233b2,
			Message: "A Part 2 program that received the records under a single TPO consent may further disclose them consistent with the consent, which covers this recipient, purpose and information."},
		{Code: CodeRedisclosurePermits, Cite: cite233b3,
			Message: "A lawful holder that received the records for payment or health care operations may disclose what its contractor, subcontractor or legal representative needs to carry out those activities on its behalf."},
	}
}

// compileConsent compiles the consent at index i of the engine.
func compileConsent(c Consent, i int32) compiled {
	cc := compiled{c: c, problems: c.Problems(), end: c.Expires.end()}
	cc.entries = make([]entryKind, len(c.Recipients))
	for i, r := range c.Recipients {
		switch {
		case r.IsIntermediary():
			cc.entries[i] = entryIntermediary
		case !r.ID.IsZero():
			cc.entries[i] = entryNamed
		}
	}
	cc.deficient = hasErrors(cc.problems)
	cc.knownFalse, cc.falseAt = c.knownFalseFrom()
	cc.never = cc.deficient || (cc.knownFalse && c.KnownFalseAt.IsZero())
	cc.from = c.SignedAt
	for _, t := range []time.Time{c.RevokedAt, cc.end, c.KnownFalseAt} {
		if !t.IsZero() && (cc.until.IsZero() || t.Before(cc.until)) {
			cc.until = t
		}
	}
	for _, p := range c.Purposes {
		if p < 32 {
			cc.purposes |= 1 << p
		}
	}
	for _, k := range c.Information {
		if k < 32 {
			cc.info |= 1 << k
		}
	}
	if cc.info&(1<<InfoKindSUDRecords) != 0 {
		cc.info |= 1 << InfoKindPatientIdentity
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
	notice := noticeObligation()
	account := Obligation{Code: ObligationCodeRecordDisclosure, Cite: "42 CFR 2.25",
		Message: "Record the disclosure for the patient's accounting of disclosures."}
	list := Obligation{Code: ObligationCodeRecordDisclosure, Cite: "42 CFR 2.24",
		Message: "Record the disclosure for the intermediary's list of disclosures."}
	limit := func(cite string) Obligation {
		return Obligation{Code: ObligationCodeLimitToNeed, Cite: cite,
			Message: "Disclose only what the recipient needs for the purpose."}
	}
	// 2.13(a): "Any use or disclosure made under the regulations in this part must be
	// limited to that information which is necessary to carry out the purpose of the use or
	// disclosure."
	need := limit(cite213a)
	safeguards := Obligation{Code: ObligationCodeContractorSafeguards, Cite: cite233c,
		Message: "Require the contractor, subcontractor or legal representative to implement appropriate safeguards against unauthorized uses and disclosures and to report any unauthorized use, disclosure or breach to the lawful holder."}
	consentBasis := Basis{Kind: BasisKindConsent, Consent: id}
	redis := func(section string) Basis {
		return Basis{Kind: BasisKindRedisclosure, Consent: id, Section: section}
	}
	direct := prs[0]
	if c.Kind == KindTPO {
		direct = prs[1]
	}
	cc.direct = newTemplate(consentBasis, []Reason{direct}, notice, account, need)
	cc.member = newTemplate(consentBasis, []Reason{prs[2]}, notice, account, need)
	cc.viaIntermediary = newTemplate(consentBasis, []Reason{prs[3]}, notice, list, need)
	cc.viaNamed = newTemplate(consentBasis, []Reason{prs[3]}, notice, need)
	cc.r233b1 = newTemplate(redis(cite233b1), []Reason{prs[4]}, need)
	cc.r233b2 = newTemplate(redis(cite233b2), []Reason{prs[5]}, notice, account, need)
	cc.r233b3 = newTemplate(redis(cite233b3), []Reason{prs[6]}, notice, safeguards, limit(cite233b3))
	cc.direct.ref = reasonRef{rPermitDirect, i}
	if c.Kind == KindTPO {
		cc.direct.ref = reasonRef{rPermitTPO, i}
	}
	cc.member.ref = reasonRef{rPermitMember, i}
	cc.viaIntermediary.ref = reasonRef{rPermitVia, i}
	cc.viaNamed.ref = reasonRef{rPermitVia, i}
	cc.r233b1.ref = reasonRef{rPermit233b1, i}
	cc.r233b2.ref = reasonRef{rPermit233b2, i}
	cc.r233b3.ref = reasonRef{rPermit233b3, i}
	return cc
}

// noticeObligation is the obligation of every disclosure made with written consent.
func noticeObligation() Obligation {
	return Obligation{Code: ObligationCodeNotice232, Cite: "42 CFR 2.32(a)",
		Message: "Attach one of the written statements of 42 CFR 2.32(a), with a copy of the consent or a clear explanation of its scope."}
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

// Consents returns a copy of the engine's consents for the patient (exactly this system and
// value), in compile order.
func (e *Engine) Consents(patient Identifier) []Consent {
	if !e.compiled() {
		return nil
	}
	var idx []int32
	if p := e.k.patient(patient); p != nil {
		idx = p.all
	}
	out := make([]Consent, len(idx))
	for i, j := range idx {
		out[i] = cloneConsent(e.k.consents[j].c)
	}
	return out
}

func (e *Engine) compiled() bool { return e != nil && e.k != nil }

// notCompiled is the decision of an Engine that Compile did not build.
var notCompiled = DecisionRecord{
	Reasons: []Reason{
		{Code: CodeEngineNotCompiled, Cite: "42 CFR 2.13(a)",
			Message: "The engine was not built by Compile; it holds no consent or agreement and permits nothing."},
		noBasis(),
	},
	Citations: []string{"42 CFR 2.13(a)"},
	Edition:   RuleEdition,
}.Decision()

// Decide judges the request at r.At. It denies by default: a permit needs a consent in
// force that covers the request, a holder's redisclosure right (42 CFR 2.33), or an
// exception whose conditions all hold. Consents are tried first in compile order, then the
// redisclosure right, then the exceptions in section order; the first that permits is the
// basis.
//
// On a permit, Decide reports the reasons of its basis only; on a deny it reports every
// reason: the request's own faults, why each of the patient's consents did not apply, and
// why each exception the request invokes failed. Explain returns the same outcome with
// every reason on a permit too.
//
// Decide allocates nothing, on a permit or a deny: it decides the outcome only, trying the
// consents that could cover the recipient and stopping at the first permit. A deny keeps
// what the rules read of the request (the kinds of information as a set, the engine's own
// copies of its strings: none of the caller's memory, which therefore stays on the
// caller's stack) and judges it again, collecting every reason, when its reasons,
// citations or record are read; the engine is immutable, so every reading is the same.
func (e *Engine) Decide(r Request) (d Decision) {
	if !e.compiled() {
		return notCompiled
	}
	k := e.k
	// Instants are compared by the wall clock, as a query keeps them (see query): drop a
	// monotonic reading (UTC does, and is inlined), the holder's in a copy (the caller's is
	// not written).
	r.At = r.At.UTC()
	var h Holder
	if r.Holder != nil {
		h = *r.Holder
		h.ReceivedAt = h.ReceivedAt.UTC()
		r.Holder = &h
	}
	var x derived
	k.derive(&r, &x)
	d.Edition = RuleEdition
	if k.checkRequest(&r, &x, nil) { // outcome, written out: one call less on every decision
		if t := k.find(&r, &x, nil); t != nil {
			// The permit's parts are its basis's, precomputed: nothing of the request is kept.
			d.Permit, d.Basis, d.t = true, t.basis, t
			return d
		}
	}
	d.k = k
	k.keep(&d.q, &r, &x)
	return d
}

// Explain judges the request as Decide does and returns the same outcome, basis and
// obligations, but always with every reason: on a permit it adds why each other consent
// did not apply and what the other bases invoked say. Like a deny of Decide, it decides the
// outcome without allocating and judges the request again when the reasons are read.
func (e *Engine) Explain(r Request) (d Decision) {
	if !e.compiled() {
		return notCompiled
	}
	k := e.k
	// Instants are compared by the wall clock, as a query keeps them (see query): drop a
	// monotonic reading (UTC does, and is inlined), the holder's in a copy (the caller's is
	// not written).
	r.At = r.At.UTC()
	var h Holder
	if r.Holder != nil {
		h = *r.Holder
		h.ReceivedAt = h.ReceivedAt.UTC()
		r.Holder = &h
	}
	var x derived
	k.derive(&r, &x)
	d.Edition, d.k = RuleEdition, k
	if t := k.outcome(&r, &x); t != nil {
		d.Permit, d.Basis, d.t = true, t.basis, t
	}
	k.keep(&d.q, &r, &x)
	return d
}

func (r *Request) discloserIsProgram() bool {
	return r.Holder == nil || r.Holder.Kind == RecipientKindPart2Program
}

// outcome returns the permit for the request (x: what derive made of it), nil for a deny,
// collecting nothing: a fault in the request denies; otherwise the candidates for the
// recipient are tried, then the holder's route, then the exceptions invoked, up to the
// first that permits.
func (e *core) outcome(r *Request, x *derived) *template {
	if !e.checkRequest(r, x, nil) {
		return nil
	}
	return e.find(r, x, nil)
}

// noBasis is the closing reason of every deny.
func noBasis() Reason {
	return Reason{Code: CodeNoBasis, Cite: "42 CFR 2.13(a)",
		Message: "No consent or exception permits this disclosure; records may be disclosed only as Part 2 permits."}
}

// judge judges the request (x: what derive made of it) collecting every reason into c, and
// returns the permit (nil on a deny). It walks every consent of the patient, the holder's
// route and every exception invoked, to the end: on a permit c holds every reason but the
// basis's own; on a deny it holds every reason, closing ones included.
func (e *core) judge(r *Request, x *derived, c *collector) *template {
	var t *template
	if e.checkRequest(r, x, c) {
		t = e.find(r, x, c)
	}
	if t == nil {
		if r.Purpose == PurposeProceedings {
			c.add(rProceedings, -1)
		}
		if r.Purpose == PurposeCAPTANotification {
			c.add(rCAPTA, -1)
		}
		c.add(rNoBasis, -1)
	}
	return t
}

// find returns the first permit for a request checkRequest found no fault in (nil: none).
// With rs nil it tries only the consents that could cover the recipient and returns at the
// first permit. Otherwise it tries every consent of the patient, the holder's route and
// every exception invoked, to the end, and collects into rs every reason of every basis
// other than the one returned.
//
// Each rule is coded once: the same functions judge the outcome (rs nil: they stop at the
// first condition that fails) and the reasons (they note every condition that fails).
func (e *core) find(r *Request, x *derived, rs *collector) *template {
	var found *template
	var idx []int32
	if p := x.p; p != nil {
		if rs == nil {
			// Only the consents that could cover this recipient, in compile order.
			idx = p.candidates(r.Recipient.ID)
		} else {
			idx = p.all
		}
	}
	if len(idx) == 0 && rs != nil {
		rs.add(rNoConsents, -1)
	}
	want := x.want
	for _, j := range idx {
		t := e.direct(&e.consents[j], r, want, j, rs)
		switch {
		case t == nil:
		case found == nil:
			found = t
			if rs == nil {
				return found
			}
		default:
			rs.add(t.ref.id, t.ref.who)
		}
	}
	if r.Holder != nil {
		if t := e.redisclose(r, x.p, want, rs); t != nil && found == nil {
			found = t
			if rs == nil {
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
		if t := e.exception(k, r, want, rs); t != nil {
			if found == nil {
				found = t
				if rs == nil {
					return found
				}
			} else {
				rs.add(rExcPermit+rid(k), -1)
			}
		}
	}
	return found
}

func (e *core) checkRequest(r *Request, x *derived, rs *collector) bool {
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
	if x.noInfo && !note(rReqNoInfo) {
		return false
	}
	if x.badInfo && !note(rReqInfo) {
		return false
	}
	// Each party by an identifier that follows the identifier rule: one that breaks it can
	// be compared with nothing a consent names or excludes, and is never matched loosely.
	if x.badParty && !note(rReqParty) {
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

// designationCovers reports whether a general designation reaches a party of kind k for
// purpose p (PurposeUnknown: for some purpose), treating telling whether the party is
// established to have a treating provider relationship with the patient (42 CFR 2.11). "My
// treating providers" reaches a part2_program, covered_entity or medical_personnel with that
// relationship, for any purpose; "health plans" a covered_entity, and "third-party payers" a
// covered_entity or lawful_holder, for payment or operations; "people helping to operate
// this program" a business_associate, qso or contractor for payment or operations.
func designationCovers(d Designation, k RecipientKind, p Purpose, treating bool) bool {
	payOps := p == PurposeUnknown || p == PurposePayment || p == PurposeOperations
	switch d {
	case DesignationTreatingProviders:
		return treating && (k == RecipientKindPart2Program || k == RecipientKindCoveredEntity || k == RecipientKindMedicalPersonnel)
	case DesignationHealthPlans:
		return payOps && k == RecipientKindCoveredEntity
	case DesignationThirdPartyPayers:
		return payOps && (k == RecipientKindCoveredEntity || k == RecipientKindLawfulHolder)
	case DesignationProgramOperations:
		return payOps && (k == RecipientKindBusinessAssociate || k == RecipientKindQSO || k == RecipientKindContractor)
	}
	return false
}

// recipientTreats reports whether the request establishes that its recipient has a treating
// provider relationship with the patient (42 CFR 2.11: the patient agrees to be diagnosed,
// evaluated or treated by it, and it agrees to undertake that): a disclosure for treatment
// (or emergency treatment) is made for the recipient's own treatment of the patient, which is
// that relationship; for any other purpose only Facts.TreatingProviderRelationship says it.
// Whether the recipient is a provider at all is its kind's question (designationCovers).
func recipientTreats(r *Request) bool {
	return r.Facts.TreatingProviderRelationship || r.Purpose == PurposeTreatment || r.Purpose == PurposeEmergencyTreatment
}

// designationMayInclude reports whether a party of kind k may belong to the class a
// designation names, whatever the purpose and whether or not a treating provider
// relationship is established: the fail-closed reach of an exclusion of the class.
func designationMayInclude(d Designation, k RecipientKind) bool {
	switch d {
	case DesignationTreatingProviders:
		return k == RecipientKindPart2Program || k == RecipientKindCoveredEntity || k == RecipientKindMedicalPersonnel
	case DesignationHealthPlans:
		return k == RecipientKindCoveredEntity
	case DesignationThirdPartyPayers:
		return k == RecipientKindCoveredEntity || k == RecipientKindLawfulHolder
	case DesignationProgramOperations:
		return k == RecipientKindBusinessAssociate || k == RecipientKindQSO || k == RecipientKindContractor
	}
	return false
}

// match tells how a consent's recipients cover a party.
type match uint8

const (
	noMatch           match = iota
	matchMember             // the party is a member participant of a named intermediary
	matchDirect             // named, or covered by a general designation
	matchIntermediary       // the party is a named intermediary
)

// covers tells how the consent's recipients cover party p receiving for purpose pu
// (PurposeUnknown: for some purpose), treating telling whether p's treating provider
// relationship with the patient is established, exclusions aside: named by exactly its
// identifier (matchDirect, or matchIntermediary for an intermediary entry), within a
// designated class (matchDirect), or a member of an intermediary the consent names and does
// not exclude (matchMember). It stops at the first entry that names or designates p (a
// member is reached only when no entry does); whether p is named as an intermediary, which
// decides a holder's route, is namesAsIntermediary's question.
func (e *core) covers(cc *compiled, p *Party, pu Purpose, treating bool) match {
	best := noMatch
	designations := !e.policy.DesignationsOnlyInTPO || cc.c.Kind == KindTPO
	for i := range cc.c.Recipients {
		rc := &cc.c.Recipients[i]
		switch cc.entries[i] {
		case entryIntermediary:
			if rc.ID == p.ID {
				return matchIntermediary
			}
			if best == noMatch && !cc.excludesID(rc.ID) && memberOf(rc, p, pu, treating) {
				best = matchMember
			}
		case entryNamed:
			if rc.ID == p.ID {
				return matchDirect
			}
		default:
			if designations && designationCovers(rc.Designation, p.Kind, pu, treating) {
				return matchDirect
			}
		}
	}
	return best
}

// treatingWouldCover reports whether the consent would reach party p (for purpose pu) were
// its treating provider relationship with the patient established: the reason a request
// that leaves it unknown is told (reasons only, never an outcome).
func (e *core) treatingWouldCover(cc *compiled, p *Party, pu Purpose) bool {
	return e.covers(cc, p, pu, true) != noMatch
}

// namesAsIntermediary reports whether an entry of the consent names id as an intermediary.
func (cc *compiled) namesAsIntermediary(id Identifier) bool {
	for i := range cc.c.Recipients {
		if rc := &cc.c.Recipients[i]; cc.entries[i] == entryIntermediary && rc.ID == id {
			return true
		}
	}
	return false
}

// memberOf reports whether party p is a member participant of the intermediary entry rc:
// named among its members, or covered by its general designation of participants, which
// 2.31(a)(4)(ii)(B) limits to those with a treating provider relationship (treating: that
// relationship is established for p).
func memberOf(rc *Recipient, p *Party, pu Purpose, treating bool) bool {
	return namedMember(rc, &p.ID) ||
		rc.MemberDesignation == DesignationTreatingProviders && designationCovers(DesignationTreatingProviders, p.Kind, pu, treating)
}

// namedMember reports whether the intermediary entry rc names id among its members.
func namedMember(rc *Recipient, id *Identifier) bool {
	for _, m := range rc.Members {
		if m == *id {
			return true
		}
	}
	return false
}

// memberOfIntermediary reports whether party p is a member participant of the intermediary
// id, in any entry of the consent that names id as an intermediary, and whether one of those
// entries names p among its members (2.31(a)(4)(ii)(A)) rather than only designating it.
func (cc *compiled) memberOfIntermediary(id Identifier, p *Party, pu Purpose, treating bool) (member, named bool) {
	for i := range cc.c.Recipients {
		if rc := &cc.c.Recipients[i]; cc.entries[i] == entryIntermediary && rc.ID == id && memberOf(rc, p, pu, treating) {
			member = true
			named = named || namedMember(rc, &p.ID)
		}
	}
	return member, named
}

// excludes reports whether the consent excludes party p, receiving for purpose pu: an
// exclusion names an identifier that may be p's (see mayBeExcludedValue: whatever the
// systems, the case of letters and dashes; fail closed), or a class p's kind may belong to,
// whatever the purpose. treating tells whether p's treating provider relationship with the
// patient is established, which spares p an exclusion of health plans or third-party payers
// only under Policy.PayerExclusionSparesTreatingProviders, and only when p receives for
// treatment or emergency treatment (for payment or operations it receives as a plan or
// payer, the capacity the patient refused). A holder is judged by the purpose it
// rediscloses for: redisclosing for treatment it stands as a treating provider.
func (e *core) excludes(cc *compiled, p *Party, pu Purpose, treating bool) bool {
	for i := range cc.c.Exclusions {
		x := &cc.c.Exclusions[i]
		if !x.ID.IsZero() && mayBeExcludedValue(x.ID.Value, p.ID.Value) {
			return true
		}
		if x.Designation != DesignationUnknown && designationMayInclude(x.Designation, p.Kind) {
			if treating && e.policy.PayerExclusionSparesTreatingProviders &&
				(pu == PurposeTreatment || pu == PurposeEmergencyTreatment) &&
				(x.Designation == DesignationHealthPlans || x.Designation == DesignationThirdPartyPayers) {
				continue
			}
			return true
		}
	}
	return false
}

// excludesID reports whether an exclusion names an identifier that may be id (see
// mayBeExcludedValue).
func (cc *compiled) excludesID(id Identifier) bool {
	for i := range cc.c.Exclusions {
		if x := &cc.c.Exclusions[i]; !x.ID.IsZero() && mayBeExcludedValue(x.ID.Value, id.Value) {
			return true
		}
	}
	return false
}

// mayBeExcludedValue reports whether an excluded identifier value x may name the party of
// value v: equal once ASCII letters are case-folded and dashes dropped. An exclusion fails
// closed: one value has several spellings ("DR-X", "dr-x", "drx"; FHIR R4 Identifier.value:
// the value "may be normalized for comparison purposes (e.g. removing non-significant
// whitespace, dashes, etc.)"; whitespace breaks the identifier rule). A permit still needs
// the exact identifier.
func mayBeExcludedValue(x, v string) bool {
	if x == v {
		return true
	}
	i, j := 0, 0
	for {
		for i < len(x) && x[i] == '-' {
			i++
		}
		for j < len(v) && v[j] == '-' {
			j++
		}
		if i == len(x) || j == len(v) {
			return i == len(x) && j == len(v)
		}
		a, b := x[i], v[j]
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
		i++
		j++
	}
}

// proceedingsRecipient reports whether a recipient of kind k receives records for a civil,
// criminal, administrative or legislative investigation or proceeding (a court, law
// enforcement), which only a consent for that use alone may permit (42 CFR 2.31(d)).
func proceedingsRecipient(k RecipientKind) bool {
	return k == RecipientKindCourt || k == RecipientKindLawEnforcement
}

func (cc *compiled) namesDiscloser(id *Identifier) bool {
	for i := range cc.c.Disclosers {
		if d := &cc.c.Disclosers[i]; d.Value == id.Value && d.System == id.System {
			return true
		}
	}
	return false
}

func (cc *compiled) hasPurpose(p Purpose) bool { return p < 32 && cc.purposes&(1<<p) != 0 }

// counts reports whether the consent counts at t (42 CFR 2.31(c)).
func (cc *compiled) counts(t time.Time) bool { return cc.countsAt(&t) }

// countsAt is counts for the permit path, which cannot afford to copy the instant.
func (cc *compiled) countsAt(t *time.Time) bool {
	return !cc.never && !t.Before(cc.from) && (cc.until.IsZero() || t.Before(cc.until))
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

// statusRid returns the reason a consent that does not count at t does not count. counts and
// status read the same facts; should they ever disagree, the consent is reported expired
// rather than let through.
func (cc *compiled) statusRid(t time.Time) rid {
	if id, bad := cc.status(t); bad {
		return id
	}
	return rExpired
}

// infoReason is the reason information the consent does not cover is refused: counseling
// notes under a consent of another kind, or else information not covered.
func (cc *compiled) infoReason(want uint32) rid {
	if want&(1<<InfoKindCounselingNotes) != 0 && cc.c.Kind != KindCounselingNotes {
		return rCounselingNotesOwn
	}
	return rInfoNotCovered
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

// direct judges the consent at index j for a disclosure by a discloser it names (42 CFR
// 2.33(a)): the consent counts at the request, names the discloser, covers the recipient
// (and does not exclude it), the purpose and every kind of information. want is the
// request's information mask. With rs nil it stops at the first condition that fails;
// otherwise it notes each one.
func (e *core) direct(cc *compiled, r *Request, want uint32, j int32, rs *collector) *template {
	// Each condition is decided once. The permit path (rs nil) decides the cheap ones
	// first and leaves if one fails; the reasons are noted in the order of the rule.
	purpose := cc.hasPurpose(r.Purpose) // 2.31(a)(5): it states the purpose
	info := want&^cc.info == 0          // 2.31(a)(3), (b): it covers every kind of information
	// 42 CFR 2.31(c): the consent counts at the instant (countsAt, written out: the
	// compiler does not inline it, and it is decided for every candidate).
	counts := !cc.never && !r.At.Before(cc.from) && (cc.until.IsZero() || r.At.Before(cc.until))
	if rs == nil && !(counts && purpose && info) {
		return nil
	}
	discloser := cc.namesDiscloser(&r.Discloser) // 2.31(a)(2): it names the discloser
	if rs == nil && !discloser {
		return nil
	}
	// 2.31(a)(4): it names or designates the recipient (an intermediary's member only
	// through it, unless the policy says otherwise; an intermediary only as one, with its
	// members, 2.31(a)(4)(ii)) and does not exclude it; a court or law enforcement only
	// under a consent for proceedings alone (2.31(d)).
	treating := recipientTreats(r)
	m := e.covers(cc, &r.Recipient, r.Purpose, treating)
	recipientOK, recipient := false, rid(0)
	switch {
	case m == noMatch:
		recipient = rRecipientNotCovered
		if rs != nil && !treating && e.treatingWouldCover(cc, &r.Recipient, r.Purpose) {
			recipient = rTreatingNotEstablished
		}
	case m == matchMember && !e.policy.MembersFromProgram:
		recipient = rMemberFromProgram
	case r.Recipient.Kind == RecipientKindIntermediary && !cc.namesAsIntermediary(r.Recipient.ID):
		recipient = rIntermediaryNotNamed
	case len(cc.c.Exclusions) > 0 && e.excludes(cc, &r.Recipient, r.Purpose, treating):
		recipient = rRecipientExcluded
	case proceedingsRecipient(r.Recipient.Kind) && cc.c.Kind != KindProceedings:
		recipient = rProceedingsRecipient
	default:
		recipientOK = true
	}
	if counts && purpose && info && discloser && recipientOK {
		if m == matchMember {
			return &cc.member
		}
		return &cc.direct
	}
	if rs != nil {
		if !counts {
			rs.add(cc.statusRid(r.At), j)
		}
		if !discloser {
			rs.add(rDiscloserNotNamed, j)
		}
		if !recipientOK {
			rs.add(recipient, j)
		}
		if !purpose {
			rs.add(rPurposeNotCovered, j)
		}
		if !info {
			rs.add(cc.infoReason(want), j)
		}
	}
	return nil
}

// receivedUnder returns the patient's consent a holder names, accepting "consent:ID".
func (e *core) receivedUnder(p *patient, name string) (*compiled, int32) {
	id := strings.TrimPrefix(name, basisPrefix)
	if id == "" || p == nil {
		return nil, -1
	}
	for _, i := range p.all {
		if e.consents[i].c.ID == id {
			return &e.consents[i], i
		}
	}
	return nil, -1
}

// redisclose judges a holder's redisclosure of what it received under a consent (42 CFR
// 2.33(b), 2.31(a)(4)(ii)). The consent must have counted when the holder received the
// records and have covered the holder (not excluded) and the information; the recipient
// must not be excluded; proceedings are never a purpose; and no redisclosure relies on the
// consent once it is known to be false (2.31(c)(4)). Then how the consent names the holder
// chooses the one route it may use: an intermediary passes the records to its own members;
// a covered entity or business associate rediscloses under HIPAA (2.33(b)(1)) to a party
// of a HIPAA treatment, payment or operations disclosure; a Part 2 program holding them
// under a TPO consent rediscloses consistent with it (2.33(b)(2)); any other holder passes
// them to its contractors bound by contract, for payment or health care operations
// (2.33(b)(3), (c)), never SUD counseling notes (2.31(b)).
func (e *core) redisclose(r *Request, p *patient, want uint32, rs *collector) *template {
	h := r.Holder
	cc, j := e.receivedUnder(p, h.ReceivedUnder)
	if cc == nil {
		if rs != nil {
			rs.add(rRedisNoConsent, -1)
		}
		return nil
	}
	ok := true
	fail := func(x rid) bool {
		ok = false
		if rs == nil {
			return false
		}
		rs.add(x, j)
		return true
	}
	if h.ReceivedAt.IsZero() || h.ReceivedAt.After(r.At) {
		if !fail(rRedisNoReceipt) {
			return nil
		}
	} else if !cc.counts(h.ReceivedAt) {
		// rRedisDeficient..rRedisExpired follow the order of rDeficient..rExpired.
		if !fail(rRedisDeficient + (cc.statusRid(h.ReceivedAt) - rDeficient)) {
			return nil
		}
	}
	holder := Party{ID: r.Discloser, Kind: h.Kind}
	hm := e.covers(cc, &holder, PurposeUnknown, h.TreatingProviderRelationship)
	if (hm == noMatch || e.excludes(cc, &holder, r.Purpose, h.TreatingProviderRelationship)) && !fail(rHolderNotRecipient) {
		return nil
	}
	if want&^cc.info != 0 && !fail(rInfoNotReceived) {
		return nil
	}
	if r.Purpose == PurposeProceedings {
		// 2.33(b)(1) says it of covered entities and business associates; for any other
		// holder it is 2.13(a) (and the 2.32(a) statement the holder received).
		x := rProceedingsAgainstOther
		if h.Kind == RecipientKindCoveredEntity || h.Kind == RecipientKindBusinessAssociate {
			x = rProceedingsAgainst
		}
		if !fail(x) {
			return nil
		}
	}
	treating := recipientTreats(r)
	if e.excludes(cc, &r.Recipient, r.Purpose, treating) && !fail(rRecipientExcluded) {
		return nil
	}
	if !ok {
		return nil
	}
	// 2.31(c)(4): never on a consent known to be false by then. Otherwise disclosures on
	// the basis of the consent need it to count now (2.31(c)), unless the policy lets them
	// outlive it; so do a covered entity's under HIPAA (2.33(a)(2): "until such time as the
	// patient revokes such consent in writing"), unless the policy lets them.
	falseNow := cc.knownFalseBy(r.At)
	ended := falseNow || !e.policy.RedisclosureAfterConsentEnds && !cc.counts(r.At)
	switch {
	case cc.namesAsIntermediary(r.Discloser):
		// 2.31(a)(4)(ii): the intermediary named by the consent, to its own members.
		member, named := cc.memberOfIntermediary(r.Discloser, &r.Recipient, r.Purpose, treating)
		if !member && !fail(rIntermediaryNotMember) {
			return nil
		}
		if r.Recipient.Kind == RecipientKindIntermediary && !fail(rIntermediaryNotNamed) {
			return nil
		}
		if proceedingsRecipient(r.Recipient.Kind) && cc.c.Kind != KindProceedings && !fail(rProceedingsRecipient) {
			return nil
		}
		if !cc.hasPurpose(r.Purpose) && !fail(rPurposeNotCovered) {
			return nil
		}
		if ended && !fail(rRedisEnded) {
			return nil
		}
		if ok {
			if named {
				return &cc.viaNamed
			}
			return &cc.viaIntermediary
		}
	case h.Kind == RecipientKindCoveredEntity || h.Kind == RecipientKindBusinessAssociate:
		// 2.33(b)(1): received for treatment, payment or health care operations (certain
		// only under a single TPO consent), redisclosed as HIPAA permits for those, to a
		// party of such a disclosure (45 CFR 164.506(c)).
		switch {
		case cc.c.Kind != KindTPO:
		case r.Purpose == PurposeTreatment, r.Purpose == PurposePayment, r.Purpose == PurposeOperations, r.Purpose == PurposeEmergencyTreatment:
			if !hipaaTPORecipient(r.Purpose, r.Recipient.Kind) && !fail(rRedisRecipientHIPAA) {
				return nil
			}
			if (falseNow || !e.policy.HIPAARedisclosureAfterConsentEnds && !cc.counts(r.At)) && !fail(rRedisEnded) {
				return nil
			}
			if ok {
				return &cc.r233b1
			}
			return nil
		}
		fail(rRedisPurpose233b1)
	case h.Kind == RecipientKindPart2Program && cc.c.Kind == KindTPO:
		// 2.33(b)(2): consistent with the consent.
		m := e.covers(cc, &r.Recipient, r.Purpose, treating)
		if (m == noMatch || m == matchMember && !e.policy.MembersFromProgram) && !fail(rRedisNotConsistent) {
			return nil
		}
		if r.Recipient.Kind == RecipientKindIntermediary && !cc.namesAsIntermediary(r.Recipient.ID) && !fail(rIntermediaryNotNamed) {
			return nil
		}
		if proceedingsRecipient(r.Recipient.Kind) && !fail(rProceedingsRecipient) {
			return nil // a TPO consent is never one for proceedings
		}
		if !cc.hasPurpose(r.Purpose) && !fail(rPurposeNotCovered) {
			return nil
		}
		if ended && !fail(rRedisEnded) {
			return nil
		}
		if ok {
			return &cc.r233b2
		}
	default:
		// 2.33(b)(3): to its contractors, for payment or health care operations, under a
		// written contract binding them to Part 2 (2.33(c)); counseling notes only to whom
		// a consent for them names (2.31(b)).
		if (r.Purpose != PurposePayment && r.Purpose != PurposeOperations || !cc.hasPurpose(r.Purpose)) && !fail(rRedisPurpose233b3) {
			return nil
		}
		if r.Recipient.Kind != RecipientKindContractor && !fail(rRedisRecipient) {
			return nil
		}
		if want&(1<<InfoKindCounselingNotes) != 0 && !fail(rRedisCounselingNotes) {
			return nil
		}
		if !r.Facts.ContractorBound && !fail(rRedisNoContract) {
			return nil
		}
		if ended && !fail(rRedisEnded) {
			return nil
		}
		if ok {
			return &cc.r233b3
		}
	}
	return nil
}

// hipaaTPORecipient reports whether a party of kind k may receive a covered entity's or
// business associate's disclosure for purpose p under HIPAA's treatment, payment and
// operations permissions (45 CFR 164.506(c)): "for treatment activities of a health care
// provider" (c)(2), a provider (a Part 2 program, a covered entity, medical personnel);
// "to another covered entity or a health care provider for the payment activities of the
// entity that receives the information" (c)(3), or to the discloser's own business
// associate for its payment activities; "to another covered entity for health care
// operations activities of the entity that receives the information" (c)(4), or to the
// discloser's own business associate for its operations. Nobody else (law enforcement, a
// court, researchers, auditors, public health, child protective services, QSOs and
// contractors of a Part 2 program) is judged here: fail closed.
func hipaaTPORecipient(p Purpose, k RecipientKind) bool {
	provider := k == RecipientKindPart2Program || k == RecipientKindCoveredEntity || k == RecipientKindMedicalPersonnel
	switch p {
	case PurposeTreatment, PurposeEmergencyTreatment:
		return provider
	case PurposePayment:
		return provider || k == RecipientKindBusinessAssociate
	case PurposeOperations:
		return k == RecipientKindCoveredEntity || k == RecipientKindBusinessAssociate
	}
	return false
}
