package fhir

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/dyad-health/dyad/consent"
)

// Reason codes of the decisions Engine adds to the consent engine's.
const (
	// CodeUnmappableConsent is the reason code of a deny by Engine: the patient has a FHIR
	// consent that could not be mapped (or read), and the permit rested on consent. An
	// exception to consent (42 CFR 2.12(c), 2.51-2.54, subpart E) does not depend on
	// consents and still permits.
	CodeUnmappableConsent consent.Code = "fhir_consent_unmappable"
	// CodeLaterRefusal: a consent the patient signed after the consent a permit rested on
	// (or whose order against it cannot be told) refuses the disclosure: the most recent
	// consent that speaks to a disclosure decides (see Engine).
	CodeLaterRefusal consent.Code = "fhir_later_refusal"
	// CodePatientRefused: a consent of the patient's refuses the disclosure (reported on a
	// deny, to say why).
	CodePatientRefused consent.Code = "fhir_patient_refused"
	// CodeActorExcluded: the consent a permit rested on excludes the actor under another of
	// its identifiers (one actor, several identifiers).
	CodeActorExcluded consent.Code = "fhir_actor_excluded"
	// CodeConsentGrantsNothing: a consent of the patient's on file grants nothing as read (see
	// Reading and its findings).
	CodeConsentGrantsNothing consent.Code = "fhir_consent_grants_nothing"
)

const (
	doubtCite   = "42 CFR 2.31(c)"
	refusalCite = "42 CFR 2.31(c)"
)

// Engine is a consent.Engine built from FHIR Consent resources that also remembers, per
// patient, what the consents deny and which resources could not be read. It is immutable
// and safe for concurrent use.
//
// Its Decide answers as consent.Engine.Decide, and then, for a permit that rests on a
// consent (or on a redisclosure under one):
//
//   - deny on doubt: when the patient may have a resource that could not be read
//     (CodeUnmappableConsent);
//   - the most recent consent wins: when another consent that may be the patient's (see
//     below) refuses the disclosure (a base deny, an opt-out, or a nested deny, read as
//     wide as Read reads it), counts at the request's instant (from the earliest instant it
//     may have been signed: a refusal, like a revocation, is not retroactive) and the
//     consent permitting was not surely signed after it (CodeLaterRefusal). A
//     patient's later written refusal withdraws, as far as it reaches, what an earlier
//     consent permitted (the right to revoke in writing, 42 CFR 2.31(a)(6), (c)); a consent
//     signed after the refusal is a new authorization, and permits. "Surely after" compares
//     the intervals the signing dates allow (a date without a time is a day in some time
//     zone): two consents of the same day are in doubt, and the permit is denied.
//
// A refusal counts for every patient it may belong to (fail closed): a resource naming its
// patient by identifier value v, under any system, or by a literal reference "Patient/x"
// that another resource pairs with v (the values resources name one patient by are linked,
// transitively), may be v's. Permits still need the consent's exact patient identifier.
//
// Among a patient's consents, those signed later are tried first (Compile orders them by
// the earliest instant each may have been signed, latest first), so the basis of a permit is
// the most recent consent that permits. A nil *Engine, or the zero Engine, permits nothing.
type Engine struct {
	eng *consent.Engine
	// doubt holds, by value, the identifiers of the patients whose resources could not be
	// read.
	doubt    map[string][]consent.Identifier
	doubtAll bool
	// held holds, by compiled consent id, what a decision needs of its resource.
	held map[string]*held
	// filed holds, by patient value, the resources read leniently; byResource by id.
	filed      map[string][]*filed
	byResource map[string]*filed
}

// held is what Engine keeps of a compiled consent.
type held struct {
	resource   string
	signed     Interval
	exclusions []consent.Exclusion
}

// filed is what Engine keeps of a resource read leniently.
type filed struct {
	patient  consent.Identifier
	resource string
	signed   Interval
	onFile   bool
	grants   int
	refusals []Refusal
	findings []Finding
}

// ResourceError is the error of one resource given to Compile.
type ResourceError struct {
	Index int   // the resource's index in the slice given to Compile
	Err   error // a *MappingError, or an error about the consent's id
}

// CompileError lists every resource Compile could not use. It matches ErrUnmappable.
type CompileError struct {
	// Resources holds the error of each resource left out, in input order.
	Resources []ResourceError
}

// Error names each resource by index with its error.
func (e *CompileError) Error() string {
	var b strings.Builder
	b.WriteString("fhir: ")
	b.WriteString(strconv.Itoa(len(e.Resources)))
	b.WriteString(" consent resource(s) not used:")
	for _, r := range e.Resources {
		b.WriteString(" [")
		b.WriteString(strconv.Itoa(r.Index))
		b.WriteString("] ")
		b.WriteString(r.Err.Error())
	}
	return b.String()
}

// Is reports whether target is ErrUnmappable.
func (e *CompileError) Is(target error) bool { return target == ErrUnmappable }

// Compile decodes every resource with the zero Options and compiles an Engine.
func Compile(resources [][]byte, agreements []consent.QSOAgreement) (*Engine, error) {
	return Options{}.Compile(resources, agreements)
}

// Compile decodes every resource and compiles an Engine with the consents that could be
// used and the agreements. With Options.Lenient, every resource is read as Read does and
// compiled as CompileReadings does. Otherwise each is mapped exactly (Decode): a resource
// that cannot be mapped exactly, has no id, or shares its id with another is left out and
// listed in a *CompileError; the Engine is returned even then, and denies every
// consent-based permit for that resource's patient (for every patient, when the patient
// could not be read). The error is nil when every resource was used. Compile fails without
// an Engine only when the agreements cannot be compiled.
func (o Options) Compile(resources [][]byte, agreements []consent.QSOAgreement) (*Engine, error) {
	if o.Lenient {
		rs := make([]Reading, len(resources))
		for i, data := range resources {
			rs[i], _ = o.Read(data)
		}
		return o.CompileReadings(rs, agreements)
	}
	e := newEngine()
	var bad []ResourceError
	consents := make([]consent.Consent, 0, len(resources))
	owner := make(map[string]int, len(resources)) // consent id -> index in consents, or -1 once duplicated
	for i, data := range resources {
		r, err := Parse(data)
		if err == nil {
			var c consent.Consent
			c, err = o.FromResource(r)
			switch {
			case err != nil:
			case c.ID == "":
				err = &MappingError{Problems: []Problem{{Code: CodeUnmappable, Path: "Consent.id", Message: "The resource has no id; decisions name consents by id."}}}
			default:
				if j, dup := owner[c.ID]; dup {
					err = &MappingError{Problems: []Problem{{Code: CodeConflict, Path: "Consent.id", Message: "Another resource has the same id."}}}
					if j >= 0 {
						e.addDoubt(consents[j].Patient)
						owner[c.ID] = -1
					}
				} else {
					owner[c.ID] = len(consents)
					consents = append(consents, c)
					continue
				}
			}
			m := mapper{}
			if p := m.patient(r); !p.IsZero() && len(m.probs) == 0 {
				e.addDoubt(p)
			} else {
				e.doubtAll = true
			}
		} else {
			e.doubtAll = true
		}
		bad = append(bad, ResourceError{Index: i, Err: err})
	}
	kept := consents[:0]
	for _, c := range consents {
		if owner[c.ID] >= 0 {
			kept = append(kept, c)
		}
	}
	eng, err := consent.Compile(kept, agreements)
	if err != nil {
		return nil, err
	}
	e.eng = eng
	if len(bad) > 0 {
		return e, &CompileError{Resources: bad}
	}
	return e, nil
}

func newEngine() *Engine {
	return &Engine{doubt: make(map[string][]consent.Identifier), held: map[string]*held{}, filed: map[string][]*filed{}, byResource: map[string]*filed{}}
}

// CompileReadings compiles an Engine from readings (Read, one per resource). A refused
// reading, one without an id (see Reading.SetID), and every reading that shares its id with
// another are left out and listed in a *CompileError (Index is the reading's index), and the
// Engine denies every consent-based permit for their patient (every patient, when the
// patient is unknown): what could not be read might restrict. Every other reading counts:
// its consents (deficient ones included, which the engine judges and which permit nothing)
// and its refusals. The consents are compiled most recently signed first. The error is nil
// when every reading was used; CompileReadings fails without an Engine only when the
// agreements cannot be compiled.
func (o Options) CompileReadings(rs []Reading, agreements []consent.QSOAgreement) (*Engine, error) {
	e := newEngine()
	var bad []ResourceError
	first := make(map[string]int, len(rs)) // resource id -> index of the first reading with it
	dup := make(map[string]bool)
	for i, rd := range rs {
		if rd.Refused || rd.ID == "" {
			continue
		}
		if _, ok := first[rd.ID]; ok {
			dup[rd.ID] = true
			continue
		}
		first[rd.ID] = i
	}
	type entry struct {
		c      consent.Consent
		signed Interval
		order  int
	}
	var parties [][]consent.Identifier
	links := patientLinks{}
	for i := range rs {
		if !rs[i].Refused {
			parties = append(parties, rs[i].parties...)
			links.link(rs[i].Patient.Value, rs[i].patients)
		}
	}
	groups := links.groups()
	var entries []entry
	for i := range rs {
		rd := &rs[i]
		var err error
		switch {
		case rd.Refused:
			err = readingError(rd)
		case rd.ID == "":
			err = &MappingError{Problems: []Problem{{Code: CodeUnmappable, Path: "Consent.id", Message: "The resource has no id; decisions name consents by id."}}}
		case dup[rd.ID]:
			err = &MappingError{Problems: []Problem{{Code: CodeConflict, Path: "Consent.id", Message: "Another resource has the same id."}}}
		}
		if err != nil {
			if rd.Patient.IsZero() {
				e.doubtAll = true
			} else {
				e.addDoubt(rd.Patient)
			}
			if !dup[rd.ID] || first[rd.ID] != i || rd.Refused || rd.ID == "" {
				bad = append(bad, ResourceError{Index: i, Err: err})
			}
			continue
		}
		f := &filed{patient: rd.Patient, resource: rd.ID, signed: rd.Signed, onFile: rd.OnFile, grants: len(rd.Consents), refusals: widenActors(rd.Refusals, parties), findings: rd.Findings}
		e.byResource[rd.ID] = f
		vs := groups[links.root(rd.Patient.Value)]
		if len(vs) == 0 {
			vs = []string{rd.Patient.Value}
		}
		for _, v := range vs {
			e.filed[v] = append(e.filed[v], f)
		}
		for _, c := range rd.Consents {
			e.held[c.ID] = &held{resource: rd.ID, signed: rd.Signed, exclusions: c.Exclusions}
			entries = append(entries, entry{c, rd.Signed, len(entries)})
		}
	}
	// Most recent first: the basis of a permit is the latest consent that permits.
	slices.SortStableFunc(entries, func(a, b entry) int { return b.signed.Earliest.Compare(a.signed.Earliest) })
	cs := make([]consent.Consent, len(entries))
	for i, en := range entries {
		cs[i] = en.c
	}
	eng, err := consent.Compile(cs, agreements)
	if err != nil {
		return nil, err
	}
	e.eng = eng
	slices.SortFunc(bad, func(a, b ResourceError) int { return cmp.Compare(a.Index, b.Index) })
	if len(bad) > 0 {
		return e, &CompileError{Resources: bad}
	}
	return e, nil
}

// patientLinks groups the identifier values that may name one patient: the values one
// resource names its patient by (an identifier and the id of a literal reference
// "Patient/pt-7731" together) are one patient's, and so, transitively, are the values other
// resources pair with any of them. Systems are not compared: one value under two spellings
// of a system may be one patient. The groups serve refusals only (fail closed: a refusal
// counts for every patient it may belong to, 42 CFR 2.31(c), 2.33(a)(1)); permits still
// need the consent's exact patient identifier.
type patientLinks map[string]string // value -> parent value (union-find)

func (l patientLinks) root(v string) string {
	for {
		p, ok := l[v]
		if !ok || p == v {
			return v
		}
		v = p
	}
}

// link puts v and the values of ids in one group.
func (l patientLinks) link(v string, ids []consent.Identifier) {
	if _, ok := l[v]; !ok {
		l[v] = v
	}
	for _, id := range ids {
		if _, ok := l[id.Value]; !ok {
			l[id.Value] = id.Value
		}
		a, b := l.root(v), l.root(id.Value)
		if a != b {
			l[b] = a
		}
	}
}

// groups returns the values of each group, by the group's root.
func (l patientLinks) groups() map[string][]string {
	g := make(map[string][]string, len(l))
	for v := range l {
		r := l.root(v)
		g[r] = append(g[r], v)
	}
	return g
}

// widenActors returns the refusals with each actor named by identifier widened to every
// identifier of a party (an actor some resource names by literal reference and identifier
// together) that it may be: a refusal of "Organization/org-harbor" reaches the NPI another
// resource pairs with that reference (fail closed: 42 CFR 2.31(c), 2.33(a)(1)). The
// refusals given are not changed; they are returned as they are when nothing widens.
func widenActors(refs []Refusal, parties [][]consent.Identifier) []Refusal {
	if len(parties) == 0 {
		return refs
	}
	var out []Refusal
	for i, f := range refs {
		var actors []consent.Exclusion
		for _, x := range f.Scope.Actors {
			if x.ID.Value == "" {
				continue
			}
			for _, grp := range parties {
				if !slices.ContainsFunc(grp, func(g consent.Identifier) bool { return consent.MayBeSame(g, x.ID) }) {
					continue
				}
				for _, g := range grp {
					y := consent.Exclusion{ID: g}
					if !slices.Contains(f.Scope.Actors, y) && !slices.Contains(actors, y) {
						actors = append(actors, y)
					}
				}
			}
		}
		if len(actors) == 0 {
			continue
		}
		if out == nil {
			out = slices.Clone(refs)
		}
		out[i].Scope.Actors = append(slices.Clone(f.Scope.Actors), actors...)
	}
	if out == nil {
		return refs
	}
	return out
}

// readingError is the error of a refused reading.
func readingError(rd *Reading) error {
	me := &MappingError{}
	for _, f := range rd.Findings {
		me.Problems = append(me.Problems, Problem{Code: f.Code, Path: f.Path, Message: f.Message})
	}
	if len(me.Problems) == 0 {
		me.Problems = []Problem{{Code: CodeUnmappable, Path: "Consent", Message: "The resource could not be read."}}
	}
	return me
}

func (e *Engine) addDoubt(p consent.Identifier) {
	e.doubt[p.Value] = append(e.doubt[p.Value], p)
}

// Consents returns the engine underneath, for calls this type does not wrap (nil for a nil
// or zero Engine; a nil *consent.Engine permits nothing).
func (e *Engine) Consents() *consent.Engine {
	if e == nil {
		return nil
	}
	return e.eng
}

// Doubtful reports whether the patient may have a resource that could not be read: one
// whose patient identifier may be this one (the same value, and the same system or none on
// either side). A nil or zero Engine doubts every patient.
func (e *Engine) Doubtful(patient consent.Identifier) bool {
	if e == nil || e.eng == nil || e.doubtAll {
		return true
	}
	for _, d := range e.doubt[patient.Value] {
		if consent.MayBeSame(d, patient) {
			return true
		}
	}
	return false
}

// OnFile reports whether the patient has a consent on file (exactly this identifier): a
// consent the engine judges, or a resource read leniently with status active, inactive or
// unknown, whatever it grants.
func (e *Engine) OnFile(patient consent.Identifier) bool {
	if e == nil {
		return false
	}
	if len(e.Consents().Consents(patient)) > 0 {
		return true
	}
	for _, f := range e.filed[patient.Value] {
		if f.onFile && f.patient == patient {
			return true
		}
	}
	return false
}

// Resource returns the id of the resource a compiled consent comes from ("c1" for "c1" and
// for the consents "c1#1", "c1#2" of a resource with several permissions); "" for an id the
// engine does not know.
func (e *Engine) Resource(consentID string) string {
	if e == nil {
		return ""
	}
	if h := e.held[consentID]; h != nil {
		return h.resource
	}
	if _, ok := e.byResource[consentID]; ok {
		return consentID
	}
	return ""
}

// Findings returns the findings of a resource read leniently (nil for another): what a
// vendor can act on, such as the 2.31(a) elements a consent lacks (Effect
// EffectDeficient, with Cite). The slice is the caller's own.
func (e *Engine) Findings(resource string) []Finding {
	if e == nil {
		return nil
	}
	if f := e.byResource[resource]; f != nil {
		return slices.Clone(f.findings)
	}
	return nil
}

// doubtDecision is the deny of a permit resting on consent for a doubtful patient.
var doubtDecision = consent.DecisionRecord{
	Reasons: []consent.Reason{{
		Code:    CodeUnmappableConsent,
		Cite:    doubtCite,
		Message: "A FHIR consent on file for the patient could not be mapped and might restrict this disclosure; it is denied on doubt.",
	}},
	Citations: []string{doubtCite},
	Edition:   consent.RuleEdition,
}.Decision()

// Decide answers the request as consent.Engine.Decide does, except that a permit resting on
// a consent (or on a redisclosure under one) becomes a deny when the patient has a resource
// that could not be read (CodeUnmappableConsent) or a consent not surely signed earlier
// refuses the disclosure (CodeLaterRefusal). A deny carries, besides the engine's reasons,
// the refusals of the patient's consents that cover the request (CodePatientRefused) and
// the consents on file that grant nothing as read (CodeGrantsNothing).
func (e *Engine) Decide(r consent.Request) consent.Decision {
	return e.decide(r, nil)
}

// DecideActor decides a request whose recipient is one actor known by several identifiers
// (ids, Recipient.ID among them or not): the actor is permitted when a consent permits it
// under one of them, that consent excludes it under none (CodeActorExcluded), and no
// refusal covers it under any (CodeLaterRefusal), as Decide does for one identifier. It
// tries each identifier in order and returns the first permit, or a deny with the reasons
// of every identifier.
func (e *Engine) DecideActor(r consent.Request, ids []consent.Identifier) consent.Decision {
	if len(ids) == 0 {
		return e.Decide(r)
	}
	var denies []consent.Decision
	for _, id := range ids {
		r.Recipient.ID = id
		d := e.decide(r, ids)
		if d.Permit {
			return d
		}
		denies = append(denies, d)
	}
	return mergeDenies(denies)
}

// mergeDenies combines denies into one with every distinct reason and citation.
func mergeDenies(ds []consent.Decision) consent.Decision {
	if len(ds) == 1 {
		return ds[0]
	}
	rec := consent.DecisionRecord{Edition: consent.RuleEdition}
	for _, d := range ds {
		for _, r := range d.Reasons() {
			if !slices.Contains(rec.Reasons, r) {
				rec.Reasons = append(rec.Reasons, r)
			}
		}
		for _, c := range d.Citations() {
			if !slices.Contains(rec.Citations, c) {
				rec.Citations = append(rec.Citations, c)
			}
		}
	}
	return rec.Decision()
}

// decide decides r; actor holds every identifier of the recipient when it has several.
func (e *Engine) decide(r consent.Request, actor []consent.Identifier) consent.Decision {
	d := e.Consents().Decide(r)
	if !d.Permit {
		return e.explain(d, r, actor)
	}
	if d.Basis.Kind == consent.BasisKindException {
		return d
	}
	if e.Doubtful(r.Patient) {
		return doubtDecision
	}
	h := e.held[d.Basis.Consent]
	if h == nil {
		return d // a consent compiled without a reading (strict Compile): no refusals are known
	}
	for _, id := range actor {
		if excludes(h.exclusions, id) {
			return deny(consent.Reason{Code: CodeActorExcluded, Cite: "42 CFR 2.31(a)(4)", Consent: d.Basis.Consent,
				Message: "The consent excludes the actor under another of its identifiers."})
		}
	}
	if f := e.refusal(r, actor, h); f != nil {
		return deny(consent.Reason{Code: CodeLaterRefusal, Cite: refusalCite, Consent: f.resource,
			Message: "A consent of the patient's that was not surely signed before the consent permitting refuses this disclosure; the most recent consent decides."})
	}
	return d
}

// deny is a deny with one reason.
func deny(r consent.Reason) consent.Decision {
	return consent.DecisionRecord{Reasons: []consent.Reason{r}, Citations: []string{r.Cite}, Edition: consent.RuleEdition}.Decision()
}

// refusal returns the resource of a refusal that undoes a permit resting on h: one of the
// patient's, another resource's, covering the request, and not surely signed before h.
func (e *Engine) refusal(r consent.Request, actor []consent.Identifier, h *held) *filed {
	ids := actor
	if len(ids) == 0 {
		ids = []consent.Identifier{r.Recipient.ID}
	}
	for _, f := range e.filed[r.Patient.Value] {
		// Every resource filed under the request's patient value may be the patient's (see
		// patientLinks): its refusals count, whatever the systems.
		if f.resource == h.resource || h.signed.SurelyAfter(f.signed) || r.At.Before(f.signed.Earliest) {
			continue
		}
		for i := range f.refusals {
			if f.refusals[i].Covers(r, ids) {
				return f
			}
		}
	}
	return nil
}

// explain adds to a deny the reasons the FHIR reading knows: the patient's refusals that
// cover the request and the consents on file that grant nothing.
func (e *Engine) explain(d consent.Decision, r consent.Request, actor []consent.Identifier) consent.Decision {
	if e == nil {
		return d
	}
	ids := actor
	if len(ids) == 0 {
		ids = []consent.Identifier{r.Recipient.ID}
	}
	var more []consent.Reason
	for _, f := range e.filed[r.Patient.Value] {
		for i := range f.refusals {
			if r.At.Before(f.signed.Earliest) {
				break
			}
			if f.refusals[i].Covers(r, ids) {
				more = append(more, consent.Reason{Code: CodePatientRefused, Cite: refusalCite, Consent: f.resource,
					Message: "A consent of the patient's refuses this disclosure."})
				break
			}
		}
		if f.onFile && f.grants == 0 && f.patient == r.Patient {
			more = append(more, consent.Reason{Code: CodeConsentGrantsNothing, Cite: "42 CFR 2.31(c)", Consent: f.resource,
				Message: "A consent of the patient's on file grants no Part 2 permission as read (see its findings)."})
		}
	}
	if len(more) == 0 {
		return d
	}
	rec := d.Record()
	rec.Reasons = append(rec.Reasons, more...)
	if !slices.Contains(rec.Citations, refusalCite) {
		rec.Citations = append(rec.Citations, refusalCite)
	}
	return rec.Decision()
}

// Covers reports whether the refusal covers the request, the recipient known by ids (every
// identifier of one actor; Recipient.ID when ids is empty): its scope covers it and none of
// its exceptions does.
func (f Refusal) Covers(r consent.Request, ids []consent.Identifier) bool {
	if len(ids) == 0 {
		ids = []consent.Identifier{r.Recipient.ID}
	}
	if !f.Scope.covers(r, ids, false) {
		return false
	}
	for _, x := range f.Except {
		if x.covers(r, ids, true) {
			return false
		}
	}
	return true
}

// covers reports whether the scope covers the request. A refusal's scope (exact false)
// reaches every identifier that may be its actor's and a request carrying any kind it
// covers; a carved-out permission (exact true) covers an actor only by exactly its
// identifier, and a request only when it covers every kind requested.
func (s Scope) covers(r consent.Request, ids []consent.Identifier, exact bool) bool {
	if len(s.Actors) > 0 {
		hit := false
		for _, x := range s.Actors {
			if x.Designation != consent.DesignationUnknown {
				// A refusal reaches the whole class (Covers takes the relationship as
				// established); a carved-out permission only what the engine would permit.
				if exact {
					hit = hit || x.Designation.CoversRequest(r)
				} else {
					hit = hit || x.Designation.Covers(r.Recipient.Kind, r.Purpose)
				}
				continue
			}
			for _, id := range ids {
				if exact && x.ID == id || !exact && consent.MayBeExcluded(x.ID, id) {
					hit = true
				}
			}
		}
		if !hit {
			return false
		}
	}
	if len(s.Purposes) > 0 && !slices.Contains(s.Purposes, r.Purpose) {
		return false
	}
	if len(s.Information) > 0 {
		// Every SUD record identifies the patient (the engine's reading): a request for SUD
		// records carries the identity, and a permission for SUD records covers it.
		n := 0
		for _, k := range r.Information {
			in := slices.Contains(s.Information, k) ||
				exact && k == consent.InfoKindPatientIdentity && slices.Contains(s.Information, consent.InfoKindSUDRecords) ||
				!exact && k == consent.InfoKindSUDRecords && slices.Contains(s.Information, consent.InfoKindPatientIdentity)
			if in {
				n++
			}
		}
		if exact && n < len(r.Information) || !exact && n == 0 {
			return false
		}
	}
	return true
}
