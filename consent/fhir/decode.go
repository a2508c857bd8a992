package fhir

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dyad-health/dyad/consent"
)

// Options tunes Decode, Read, FromResource and Compile. The zero Options is the strict
// default.
type Options struct {
	// DefaultStatements are the required statements (2.31(a)(6), (a)(10)) the caller knows
	// its consent form contains, used for a resource that has no statements extension.
	// FHIR has no element for them: without this, such a resource maps to a consent that
	// lacks them, which fails validation and permits nothing.
	DefaultStatements consent.Statements
	// Location is the time zone of the consent's dates given as a date alone ("2026-03-10"):
	// a date is then the calendar day in that zone. When nil, a date alone is read with the
	// bounds no time zone can contradict, so that the consent never counts outside the
	// signer's local day wherever the signer was: it counts from the last instant at which
	// its first day has begun everywhere (the start of the day at UTC-12) and stops at the
	// first instant at which a stopping day has begun somewhere (the start of the day at
	// UTC+14) or an inclusive last day has ended somewhere (its end at UTC+14). A full
	// dateTime carries its own offset and is exact.
	Location *time.Location
	// Lenient makes Compile read every resource as Read does: every well-formed R4 or R5
	// Consent is judged (with findings), and only what is not a FHIR Consent is left out.
	// When false, Compile maps each resource exactly, as Decode does, and leaves out every
	// resource it cannot map exactly.
	Lenient bool
}

// Decode reads a FHIR Consent resource in JSON and maps it exactly to a consent.Consent
// with the zero Options. The error, if any, is a *MappingError listing every problem with
// its path.
func Decode(data []byte) (consent.Consent, error) {
	return Options{}.Decode(data)
}

// Decode reads a FHIR Consent resource in JSON and maps it exactly to a consent.Consent:
// any element it cannot map without losing or inventing a Part 2 element is a problem and
// the resource is refused. Read is the lenient reading.
func (o Options) Decode(data []byte) (consent.Consent, error) {
	r, err := Parse(data)
	if err != nil {
		return consent.Consent{}, err
	}
	return o.FromResource(r)
}

// FromResource maps a parsed resource exactly with the zero Options.
func FromResource(r *Consent) (consent.Consent, error) {
	return Options{}.FromResource(r)
}

// FromResource maps a parsed FHIR Consent exactly to a consent.Consent. It reports every
// element it cannot map without losing or inventing a Part 2 element; doc.go documents the
// mapping.
func (o Options) FromResource(r *Consent) (consent.Consent, error) {
	m := mapper{loc: o.Location}
	_, grants := m.read(r, o)
	if len(m.probs) == 0 && len(grants) != 1 {
		m.add(CodeProvision, "Consent.provision", "The resource does not grant exactly one Part 2 permission.")
	}
	if len(m.probs) > 0 {
		return consent.Consent{}, &MappingError{Problems: m.probs}
	}
	return grants[0].g, nil
}

// mapper maps a resource. Strict (lenient false), every element it cannot map exactly is a
// problem (probs) and the resource is refused. Lenient, the same elements are findings
// (finds), the consent is narrowed where needed (void: it grants nothing), and only what
// is not a FHIR Consent is a problem.
type mapper struct {
	probs   []Problem
	loc     *time.Location // Options.Location
	lenient bool
	finds   []Finding
	omitted int
	r5      bool // the resource is read as R5
	void    bool // lenient: the consent grants nothing
	// noRefusals: lenient: the resource's denies are not the patient's statement (a draft,
	// an entered-in-error resource, a consent of another scope than privacy).
	noRefusals bool
	// otherScope: lenient: the resource is a consent of another scope than privacy
	// (research, treatment, advance directive): no privacy consent on file.
	otherScope bool
	// research: lenient: the resource is a research consent (consentscope research): its
	// denies are refusals of research disclosure (see scope).
	research bool
	// parties holds, per provision actor that names itself in several ways (a literal
	// reference and an identifier), every identifier it may be known by (see parties).
	parties  [][]consent.Identifier
	grantBuf [1]grant // the one permission of most resources, without an allocation
}

func (m *mapper) add(code ProblemCode, path, msg string) {
	if len(m.probs) > MaxProblems {
		return
	}
	if len(m.probs) == MaxProblems {
		m.probs = append(m.probs, Problem{Code: CodeTooManyProblems, Path: path, Message: "Further problems were found and not listed."})
		return
	}
	m.probs = append(m.probs, Problem{Code: code, Path: path, Message: msg})
}

// note records a finding. Strict, a finding that strict mapping refuses (refuses) is a
// problem and the others are not reported; lenient, every finding is listed (up to
// MaxProblems).
func (m *mapper) note(code ProblemCode, path string, effect Effect, refuses bool, msg string) {
	if !m.lenient {
		if refuses {
			m.add(code, path, msg)
		}
		return
	}
	if len(m.finds) >= MaxProblems {
		m.omitted++
		return
	}
	m.finds = append(m.finds, Finding{Code: code, Path: path, Effect: effect, Message: msg})
}

// deficiency records a Part 2 element the consent lacks (lenient reading only), with its
// paragraph.
func (m *mapper) deficiency(p consent.Problem, path string) {
	if len(m.finds) >= MaxProblems {
		m.omitted++
		return
	}
	m.finds = append(m.finds, Finding{Code: ProblemCode(p.Code), Path: path, Effect: EffectDeficient, Cite: p.Cite, Message: p.Message})
}

// narrow records what strict mapping refuses and lenient reading narrows: lenient, the
// consent grants nothing (void) when voids is set.
func (m *mapper) narrow(code ProblemCode, path string, voids bool, msg string) {
	if m.lenient && voids {
		m.void = true
		msg += " The consent grants nothing."
	}
	m.note(code, path, EffectNarrowed, true, msg)
}

func idx(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func hasCoding(cc *CodeableConcept, system, code string) bool {
	if cc == nil {
		return false
	}
	for _, c := range cc.Coding {
		if c.System == system && c.Code == code {
			return true
		}
	}
	return false
}

// hasCodingIn reports whether any concept has the coding.
func hasCodingIn(ccs []CodeableConcept, system, code string) bool {
	for i := range ccs {
		if hasCoding(&ccs[i], system, code) {
			return true
		}
	}
	return false
}

// isPart2Law reports whether a concept names the privacy law 42 CFR Part 2 (v3 ActCode
// 42CFRPart2, or the same code in the deprecated v3-ActUSPrivacyLaw system).
func isPart2Law(cc *CodeableConcept) bool {
	return hasCoding(cc, SystemActCode, Law42CFRPart2) || hasCoding(cc, SystemActUSPrivacyLaw, Law42CFRPart2)
}

// version tells R4 from R5 by the elements present. A resource with elements of both is read
// as the union (lenient, with a finding; strict mapping refuses it).
func (m *mapper) version(r *Consent) Version {
	r5 := r.Subject != nil || r.Date != "" || r.Period != nil || len(r.Grantor) > 0 || len(r.Grantee) > 0 ||
		len(r.Manager) > 0 || len(r.Controller) > 0 || len(r.RegulatoryBasis) > 0 || r.PolicyBasis != nil ||
		len(r.PolicyText) > 0 || r.Decision != "" || r.Provisions != nil || r.SourceReferences != nil
	r4 := r.Scope != nil || r.Patient != nil || r.DateTime != "" || len(r.Performer) > 0 || len(r.Organization) > 0 ||
		len(r.Policy) > 0 || r.PolicyRule != nil || r.Provision != nil || r.SourceReference != nil
	if r5 {
		for i := range r.Provisions {
			if r4Provision(&r.Provisions[i]) {
				r4 = true
			}
		}
	} else if r.Provision != nil && r5Provision(r.Provision) {
		r5 = true
	}
	if r5 && r4 {
		m.note(CodeMixedVersions, "Consent", EffectRead, true,
			"The resource has elements of both FHIR R4 and R5 Consent; it is read as the union of the two (R5's where both give one).")
	}
	m.r5 = r5
	if r5 {
		return VersionR5
	}
	return VersionR4
}

func r4Provision(p *Provision) bool {
	if p.Type != "" || len(p.Class) > 0 {
		return true
	}
	for i := range p.Provision {
		if r4Provision(&p.Provision[i]) {
			return true
		}
	}
	return false
}

func r5Provision(p *Provision) bool {
	if len(p.DocumentType) > 0 || len(p.ResourceType) > 0 || len(p.Expression) > 0 {
		return true
	}
	for i := range p.Provision {
		if r5Provision(&p.Provision[i]) {
			return true
		}
	}
	return false
}

// read maps a resource: strict, into exactly one consent (the permissions returned) or
// problems; lenient, into a Reading with findings (and its Consents).
func (m *mapper) read(r *Consent, o Options) (Reading, []grant) {
	var rd Reading
	if r == nil {
		m.add(CodeNotConsent, "Consent", "There is no resource.")
		return rd, nil
	}
	if r.ResourceType != "Consent" {
		m.add(CodeNotConsent, "Consent.resourceType", "The resource is not a Consent.")
	}
	rd.ID, rd.Status = r.ID, r.Status
	if r.ID != "" && !validID(r.ID) {
		m.add(CodeInvalidID, "Consent.id", "The id is not a FHIR id: 1 to 64 letters, digits, '-' and '.'.")
	}
	if r.ID == "" && m.lenient {
		m.note(CodeUnmappable, "Consent.id", EffectRead, false, "The resource has no id; decisions name consents by id (Reading.SetID names it).")
	}
	rd.Version = m.version(r)
	var c consent.Consent
	c.ID = r.ID
	m.modifiers(r.ModifierExtension, "Consent", true)
	if r.ImplicitRules != "" {
		m.narrow(CodeUnmappable, "Consent.implicitRules", true, "Implicit rules modify the meaning of the resource and cannot be followed.")
	}
	m.scope(r)
	m.part2(r)

	rd.Patient = m.patient(r)
	rd.patients = append(refIDs(r.Patient), refIDs(r.Subject)...)
	date, datePath := r.DateTime, "Consent.dateTime"
	if r.Date != "" {
		if date != "" && date != r.Date {
			m.narrow(CodeConflict, "Consent.date", true, "The resource gives two different dates signed (dateTime and date).")
		}
		date, datePath = r.Date, "Consent.date"
	}
	rd.Signed = unknownInterval()
	if date != "" {
		c.SignedAt, rd.Signed = m.signed(date, datePath)
	}
	for i := range r.Organization {
		m.discloser(&c, &r.Organization[i], "Consent.organization", i, "Organization")
	}
	for i := range r.Manager {
		m.discloser(&c, &r.Manager[i], "Consent.manager", i, "")
	}
	for i := range r.Controller {
		m.discloser(&c, &r.Controller[i], "Consent.controller", i, "")
	}
	signers, signerPath := r.Performer, "Consent.performer"
	if len(r.Grantor) > 0 {
		if len(signers) > 0 {
			m.note(CodeConflict, "Consent.grantor", EffectRead, true, "The resource gives both performer and grantor; the grantor is read as the signer.")
		}
		signers, signerPath = r.Grantor, "Consent.grantor"
	}
	c.Signer = m.signer(signers, signerPath)
	if c.Signer == consent.SignerPatient && len(signers) == 1 {
		if p := performerPatient(signers[0]); !p.IsZero() && !rd.Patient.IsZero() && !namesPatient(r, p) {
			m.note(CodeConflict, signerPath+"[0]", EffectDeficient, true, "The performer is a patient other than the consent's patient.")
			c.Signer = consent.SignerUnknown
		}
	}
	c.Patient = rd.Patient

	kindSet := m.extensions(r, &c, o)

	switch r.Status {
	case "active":
		rd.OnFile = true
		if !c.RevokedAt.IsZero() {
			m.note(CodeConflict, "Consent.status", EffectRead, true, "The consent is active but carries a revocation time; it is read as revoked then.")
		}
	case "inactive":
		rd.OnFile = true
		if c.RevokedAt.IsZero() {
			m.narrow(CodeStatus, "Consent.status", true, "An inactive consent without a revocation time cannot be mapped: when it stopped counting is unknown.")
		}
	case "":
		m.add(CodeStatus, "Consent.status", "The status is missing.")
	case "unknown":
		rd.OnFile = true
		m.narrow(CodeStatus, "Consent.status", true, "The status \"unknown\" has no Part 2 meaning: whether the consent is in force cannot be told.")
	default:
		m.narrow(CodeStatus, "Consent.status", true, "The status "+quote32(r.Status)+" has no Part 2 meaning (only active, or inactive with a revocation time).")
		if m.lenient {
			// A draft, proposal, rejected or erroneous resource is no statement of the patient's.
			m.noRefusals = true
		}
	}

	grants := m.tree(r, c, &rd)
	if !kindSet {
		for i := range grants {
			grants[i].Kind = inferKind(grants[i].g)
		}
	}
	if m.lenient && m.void {
		grants = nil
	}
	for i := range grants {
		g := &grants[i].g
		g.ID = grantID(r.ID, i, len(grants))
		if kindSet {
			g.Kind = c.Kind
		} else {
			g.Kind = grants[i].Kind
		}
		if m.lenient {
			if len(grants) > 1 {
				g.Disclosers = slices.Clone(g.Disclosers)
			}
			rd.Consents = append(rd.Consents, *g)
			for _, p := range g.Problems() {
				m.deficiency(p, grants[i].path)
			}
		}
	}
	if m.noRefusals {
		rd.Refusals = nil
	}
	if m.research {
		// A research consent's deny that names no purpose refuses research disclosure; one
		// that names purposes refuses those (as written, fail closed).
		for i := range rd.Refusals {
			if len(rd.Refusals[i].Scope.Purposes) == 0 {
				rd.Refusals[i].Scope.Purposes = []consent.Purpose{consent.PurposeResearch}
			}
		}
	}
	if m.otherScope {
		rd.OnFile = false
	}
	if len(rd.Consents) == 0 && m.lenient {
		msg := "The consent grants no Part 2 permission; what it denies still counts."
		if m.noRefusals {
			msg = "The consent grants no Part 2 permission, and what it denies is no statement of the patient's either."
		}
		m.note(CodeGrantsNothing, "Consent", EffectNarrowed, false, msg)
	}
	return rd, grants
}

// grant is one permission a resource grants, before its kind is known.
type grant struct {
	g    consent.Consent
	Kind consent.Kind
	path string
}

// scope checks that the resource is a privacy consent: scope patient-privacy (R4), or a
// category of the consentscope system patient-privacy (R5, and read leniently in R4).
func (m *mapper) scope(r *Consent) {
	if hasCoding(r.Scope, SystemConsentScope, ScopePatientPrivacy) {
		return
	}
	catPrivacy, catOther, research := false, false, hasCoding(r.Scope, SystemConsentScope, scopeResearch)
	for _, cc := range r.Category {
		for _, cd := range cc.Coding {
			if cd.System == SystemConsentScope {
				if cd.Code == ScopePatientPrivacy {
					catPrivacy = true
				} else {
					catOther = true
					research = research || cd.Code == scopeResearch
				}
			}
		}
	}
	scopeOther := r.Scope != nil
	switch {
	case catPrivacy && !scopeOther && m.r5:
		return
	case catPrivacy && !scopeOther && m.lenient:
		m.note(CodeScope, "Consent.category", EffectRead, false, "R4 scope is missing; the consent is read as a privacy consent from its category patient-privacy (as R5 writes it).")
		return
	}
	path := "Consent.scope"
	if m.r5 {
		path = "Consent.category"
	}
	if m.lenient && (scopeOther || catOther) {
		m.otherScope = true
		if research {
			// consentscope research: "Consent to participate in research protocol and
			// information sharing required". A deny under it speaks to information sharing
			// for research: it refuses research disclosure (fail closed for refusals,
			// 42 CFR 2.31(c), 2.33(a)(1)); its grants still authorize nothing.
			m.research = true
			m.narrow(CodeScope, path, true, "The consent is a research consent, not a privacy consent: it authorizes no disclosure; what it denies is read as refusing disclosure for research.")
			return
		}
		m.noRefusals = true
		m.narrow(CodeScope, path, true, "The consent is of another scope than patient-privacy (treatment, advance directive): it authorizes no disclosure.")
		return
	}
	m.narrow(CodeScope, path, true, "The scope is not patient-privacy.")
}

// part2 notes a consent that nothing marks as a Part 2 consent: strict mapping refuses it;
// lenient reading judges it against 42 CFR 2.31(a) like any other.
func (m *mapper) part2(r *Consent) {
	part2 := isPart2Law(r.PolicyRule)
	for i := range r.RegulatoryBasis {
		if isPart2Law(&r.RegulatoryBasis[i]) {
			part2 = true
		}
	}
	if hasCodingIn(r.Category, SystemActCode, Category42CFRPart2CD) {
		part2 = true
	}
	for i, pol := range r.Policy {
		if len(pol.ModifierExtension) > 0 {
			m.modifiers(pol.ModifierExtension, idx("Consent.policy", i), false)
		}
		if pol.URI == Part2PolicyURI {
			part2 = true
		}
	}
	if pb := r.PolicyBasis; pb != nil {
		m.modifiers(pb.ModifierExtension, "Consent.policyBasis", false)
		if pb.URL == Part2PolicyURI {
			part2 = true
		}
	}
	if !part2 {
		path := "Consent.policyRule"
		if m.r5 {
			path = "Consent.regulatoryBasis"
		}
		m.note(CodeNotPart2, path, EffectRead, true, "Nothing marks the consent as a 42 CFR Part 2 consent (policyRule 42CFRPart2, policy.uri of part 2, or category 42CFRPart2CD); it is judged against 42 CFR 2.31(a) all the same.")
	}
}

// patient reads the patient: patient (R4) or subject (R5). A patient that cannot be read
// refuses the resource in either mode: a consent that cannot be attributed could be any
// patient's.
func (m *mapper) patient(r *Consent) consent.Identifier {
	switch {
	case r.Subject != nil && r.Patient != nil:
		p := m.ref(r.Patient, patientPath, "Patient")
		s := m.ref(r.Subject, subjectPath, "Patient")
		if !p.IsZero() && !s.IsZero() && !consent.MayBeSame(p, s) {
			m.add(CodeConflict, "Consent.subject", "The patient and the subject name different patients.")
		}
		return s
	case r.Subject != nil:
		return m.ref(r.Subject, subjectPath, "Patient")
	}
	return m.ref(r.Patient, patientPath, "Patient")
}

// discloser reads the i-th discloser of base (organization in R4, manager or controller in
// R5).
func (m *mapper) discloser(c *consent.Consent, ref *Reference, base string, i int, typ string) {
	path := func() string { return idx(base, i) }
	if m.lenient {
		id, ok := m.tryRef(ref, path, typ)
		if !ok {
			m.note(CodeReference, path(), EffectNarrowed, false, "The discloser cannot be identified; it is not read as one.")
			return
		}
		c.Disclosers = append(c.Disclosers, id)
		return
	}
	c.Disclosers = append(c.Disclosers, m.ref(ref, path, typ))
}

func patientPath() string { return "Consent.patient" }
func subjectPath() string { return "Consent.subject" }

// extensions reads the consent's extensions of this package; it reports whether the kind
// was given.
func (m *mapper) extensions(r *Consent, c *consent.Consent, o Options) bool {
	kindSet, stmtSet := false, false
	for i, e := range r.Extension {
		path := idx("Consent.extension", i)
		switch e.URL {
		case ExtKind:
			if kindSet {
				m.note(CodeExtension, path, EffectDeficient, true, "The consent kind is given twice.")
			}
			code, ok := m.valueCode(e, path)
			k, known := consent.ParseKind(code)
			switch {
			case !ok:
				c.Kind = consent.KindUnknown
			case kindSet && k != c.Kind:
				c.Kind = consent.KindUnknown
			case kindSet:
			case known:
				c.Kind = k
			case code != "unknown":
				m.note(CodeUnknownCode, path+".valueCode", EffectDeficient, true, "The consent kind "+quote32(code)+" is unknown.")
			}
			kindSet = true
		case ExtInformationDescription:
			if s, ok := m.valueString(e, path, c.InformationDescription != ""); ok {
				c.InformationDescription = s
			}
		case ExtDiscloserDesignation:
			if s, ok := m.valueString(e, path, c.DiscloserDesignation != ""); ok {
				c.DiscloserDesignation = s
			}
		case ExtStatements:
			if stmtSet {
				m.note(CodeExtension, path, EffectDeficient, true, "The statements are given twice; a statement counts only where every copy holds it.")
			}
			s := m.statements(e, path)
			if stmtSet {
				s = consent.Statements{Revocation: s.Revocation && c.Statements.Revocation,
					Redisclosure: s.Redisclosure && c.Statements.Redisclosure, RefusalConsequences: s.RefusalConsequences && c.Statements.RefusalConsequences}
			}
			stmtSet = true
			c.Statements = s
		case ExtExpiration:
			if c.Expires.Event != "" || c.Expires.None || !c.Expires.OccurredAt.IsZero() {
				m.narrow(CodeExtension, path, true, "The expiration is given twice.")
			}
			m.expiration(e, path, &c.Expires)
		case ExtRevokedAt:
			if !c.RevokedAt.IsZero() {
				m.narrow(CodeExtension, path, true, "The revocation is given twice.")
			}
			if e.ValueDateTime == "" || len(e.Extension) > 0 {
				m.narrow(CodeExtension, path, true, "The revocation extension needs a valueDateTime.")
				continue
			}
			c.RevokedAt = m.instant(e.ValueDateTime, path, ".valueDateTime", dateStop)
		case ExtKnownFalse:
			if e.ValueBoolean == nil || len(e.Extension) > 0 {
				m.narrow(CodeExtension, path, true, "The known-false extension needs a valueBoolean.")
				continue
			}
			c.KnownFalse = c.KnownFalse || *e.ValueBoolean
		case ExtKnownFalseAt:
			if !c.KnownFalseAt.IsZero() {
				m.narrow(CodeExtension, path, true, "The known-false time is given twice.")
			}
			if e.ValueDateTime == "" || len(e.Extension) > 0 {
				m.narrow(CodeExtension, path, true, "The known-false-at extension needs a valueDateTime.")
				continue
			}
			c.KnownFalseAt = m.instant(e.ValueDateTime, path, ".valueDateTime", dateStop)
		default:
			m.foreign(e, path)
		}
	}
	if !stmtSet {
		c.Statements = o.DefaultStatements
	}
	return kindSet
}

// inferKind infers the consent kind of a resource without the kind extension: counseling
// notes in the information make a counseling-notes consent; proceedings or research as the
// only purpose make a proceedings or research consent; exactly treatment, payment and health
// care operations make a TPO consent; anything else is a general consent.
func inferKind(c consent.Consent) consent.Kind {
	for _, k := range c.Information {
		if k == consent.InfoKindCounselingNotes {
			return consent.KindCounselingNotes
		}
	}
	var set [32]bool
	n := 0
	for _, p := range c.Purposes {
		if int(p) < len(set) && !set[p] {
			set[p] = true
			n++
		}
	}
	switch {
	case n == 1 && set[consent.PurposeProceedings]:
		return consent.KindProceedings
	case n == 1 && set[consent.PurposeResearch]:
		return consent.KindResearch
	case n == 3 && set[consent.PurposeTreatment] && set[consent.PurposePayment] && set[consent.PurposeOperations]:
		return consent.KindTPO
	}
	return consent.KindGeneral
}

// modifiers handles modifier extensions, which change the meaning of their element and may
// not be ignored: strict mapping refuses them; lenient reading lets the consent grant
// nothing when voids is set (the element's meaning is unknown), and otherwise notes them
// (on an element that only ever restricts, such as a deny, keeping it fails closed).
func (m *mapper) modifiers(es []Extension, base string, voids bool) {
	if len(es) == 0 {
		return
	}
	path := base + ".modifierExtension"
	if voids {
		m.narrow(CodeModifierExtension, path, true, "A modifier extension changes the meaning of its element and cannot be ignored.")
		return
	}
	m.note(CodeModifierExtension, path, EffectRead, true, "A modifier extension changes the meaning of its element and cannot be ignored; the element is read as restricting no less than without it.")
}

// foreign handles an extension that is not one of this package's: a foreign one carries no
// Part 2 element and is ignored; an unknown one under this package's base is refused
// (lenient: the consent grants nothing, since it may restrict it).
func (m *mapper) foreign(e Extension, path string) {
	if strings.HasPrefix(e.URL, extBase) {
		m.narrow(CodeExtension, path, true, "The extension "+quote32(strings.TrimPrefix(e.URL, extBase))+" is not one of this package's.")
	}
	if e.URL == "" {
		m.note(CodeExtension, path+".url", EffectRead, true, "An extension has no url; it is ignored.")
	}
}

func (m *mapper) valueCode(e Extension, path string) (string, bool) {
	if e.ValueCode == "" || len(e.Extension) > 0 || e.otherValue {
		m.note(CodeExtension, path, EffectDeficient, true, "The extension needs a valueCode.")
		return e.ValueCode, false
	}
	return e.ValueCode, true
}

func (m *mapper) valueString(e Extension, path string, dup bool) (string, bool) {
	ok := true
	if dup {
		m.note(CodeExtension, path, EffectRead, true, "The extension is given twice; the first is read.")
		ok = false
	}
	if e.ValueString == "" || len(e.Extension) > 0 || e.otherValue {
		m.note(CodeExtension, path, EffectDeficient, true, "The extension needs a valueString.")
		ok = false
	}
	return e.ValueString, ok
}

func (m *mapper) statements(e Extension, path string) consent.Statements {
	var s consent.Statements
	if e.hasValue() {
		m.note(CodeExtension, path, EffectDeficient, true, "The statements extension takes sub-extensions, not a value.")
	}
	for i, sub := range e.Extension {
		p := idx(path+".extension", i)
		var dst *bool
		switch sub.URL {
		case "revocation":
			dst = &s.Revocation
		case "redisclosure":
			dst = &s.Redisclosure
		case "refusalConsequences":
			dst = &s.RefusalConsequences
		default:
			m.note(CodeExtension, p, EffectRead, true, "Unknown statement "+quote32(sub.URL)+".")
			continue
		}
		if sub.ValueBoolean == nil || len(sub.Extension) > 0 {
			m.note(CodeExtension, p, EffectDeficient, true, "A statement needs a valueBoolean.")
			continue
		}
		*dst = *sub.ValueBoolean
	}
	return s
}

func (e Extension) hasValue() bool {
	return e.ValueBoolean != nil || e.ValueCode != "" || e.ValueString != "" || e.ValueDateTime != "" ||
		e.ValueCoding != nil || e.ValueUri != "" || e.ValueIdentifier != nil || e.otherValue
}

func (m *mapper) expiration(e Extension, path string, x *consent.Expiry) {
	if e.hasValue() {
		m.narrow(CodeExtension, path, true, "The expiration extension takes sub-extensions, not a value.")
	}
	if len(e.Extension) == 0 {
		m.narrow(CodeExtension, path, true, "The expiration extension is empty.")
	}
	for i, sub := range e.Extension {
		p := idx(path+".extension", i)
		switch sub.URL {
		case "none":
			if sub.ValueBoolean == nil || !*sub.ValueBoolean || len(sub.Extension) > 0 {
				m.narrow(CodeExtension, p, true, "\"none\" needs valueBoolean true.")
				continue
			}
			x.None = true
		case "event":
			if sub.ValueString == "" || len(sub.Extension) > 0 || x.Event != "" {
				m.narrow(CodeExtension, p, true, "\"event\" needs one valueString.")
				continue
			}
			x.Event = sub.ValueString
		case "occurredAt":
			if sub.ValueDateTime == "" || len(sub.Extension) > 0 || !x.OccurredAt.IsZero() {
				m.narrow(CodeExtension, p, true, "\"occurredAt\" needs one valueDateTime.")
				continue
			}
			x.OccurredAt = m.instant(sub.ValueDateTime, p, ".valueDateTime", dateStop)
		default:
			m.narrow(CodeExtension, p, true, "Unknown expiration part "+quote32(sub.URL)+".")
		}
	}
}

// dateRole says what a dateTime marks, which decides how a date alone is read.
type dateRole uint8

const (
	// dateStart is an instant from which something counts (the date signed, a permission's
	// start): a day alone is read as the latest start of that day; a month or a year alone
	// (lenient reading only) as its latest end.
	dateStart dateRole = iota
	// dateStop is an instant from which something stops counting because it happened then
	// (a revocation's receipt, known falsity, an expiration event): a date alone is read as
	// the earliest start of its day, month or year.
	dateStop
	// dateEndInclusive is a period's end, a day FHIR includes in the period: a date alone is
	// read as the earliest end of its day, month or year.
	dateEndInclusive
)

// Offsets of the first and last time zones in use: a calendar day starts everywhere
// between 00:00 at UTC+14 and 00:00 at UTC-12.
var (
	earliestZone = time.FixedZone("UTC+14", 14*3600)
	latestZone   = time.FixedZone("UTC-12", -12*3600)
)

// partialDate parses a FHIR date of a year, a month or a day: its first day and the first
// day after it, as dates without a zone.
func partialDate(s string) (first, next time.Time, ok bool) {
	var err error
	switch len(s) {
	case 4:
		first, err = time.Parse("2006", s)
		next = first.AddDate(1, 0, 0)
	case 7:
		first, err = time.Parse("2006-01", s)
		next = first.AddDate(0, 1, 0)
	case 10:
		first, err = time.Parse(time.DateOnly, s)
		next = first.AddDate(0, 0, 1)
	default:
		return first, next, false
	}
	return first, next, err == nil
}

// midnight returns the wall-clock date d at midnight in loc.
func midnight(d time.Time, loc *time.Location) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc).UTC()
}

// instant parses a FHIR dateTime. A full dateTime (with its required time zone) is exact.
// A date alone is the day in Options.Location when set; otherwise it is read with the
// bounds no time zone can contradict (see Options.Location), the role telling which bound
// fails closed. A year or a month alone is refused by strict mapping; lenient reading reads
// it with the bounds that fail closed (a start at its end, a stop at its start).
func (m *mapper) instant(s, base, suffix string, role dateRole) time.Time {
	t, _, ok := m.when(s, base, suffix, role, EffectNarrowed, false)
	if !ok {
		return time.Time{}
	}
	return t
}

// when parses a FHIR dateTime and returns the instant the role reads, the interval the
// instant may lie in, and whether it could be read (bad is the effect of a date that
// cannot be read).
func (m *mapper) when(s, base, suffix string, role dateRole, bad Effect, interval bool) (time.Time, Interval, bool) {
	if len(s) > 10 {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			m.note(CodeDate, base+suffix, bad, true, "The dateTime is not a valid FHIR dateTime with a time zone.")
			return time.Time{}, Interval{}, false
		}
		return t, Interval{t, t}, true
	}
	if len(s) < 10 && !m.lenient {
		m.add(CodeDate, base+suffix, "The date is less precise than a day.")
		return time.Time{}, Interval{}, false
	}
	first, next, ok := partialDate(s)
	if !ok {
		m.note(CodeDate, base+suffix, bad, true, "The date is not a valid FHIR date.")
		return time.Time{}, Interval{}, false
	}
	if len(s) < 10 {
		m.note(CodeDate, base+suffix, EffectRead, false, "The date is less precise than a day; it is read with the bound that fails closed.")
	}
	early, late := earliestZone, latestZone
	if m.loc != nil {
		early, late = m.loc, m.loc
	}
	var iv Interval
	if interval {
		iv = Interval{Earliest: midnight(first, early), Latest: midnight(next, late)}
	}
	var t time.Time
	switch {
	case role == dateEndInclusive:
		t = midnight(next, early)
	case role == dateStop:
		t = midnight(first, early)
	case len(s) == 10:
		t = midnight(first, late)
	default:
		t = midnight(next, late)
	}
	return t, iv, true
}

// signed reads the date signed: the instant the consent counts from and the interval the
// signing lies in.
func (m *mapper) signed(s, path string) (time.Time, Interval) {
	t, iv, ok := m.when(s, path, "", dateStart, EffectDeficient, true)
	if !ok {
		return time.Time{}, unknownInterval()
	}
	return t, iv
}

// literal splits a literal reference "Type/id" into its type and id. Lenient reading also
// takes an absolute reference ("https://server/fhir/Type/id") and a version
// ("Type/id/_history/2") as "Type/id"; it reports whether it did so in loose.
func (m *mapper) literal(s string) (typ, id string, loose, ok bool) {
	if t, i, ok := strings.Cut(s, "/"); ok && i != "" && !strings.Contains(i, "/") {
		return t, i, false, true
	}
	if !m.lenient {
		return "", "", false, false
	}
	t, i, ok := looseLiteral(s)
	return t, i, true, ok
}

// looseLiteral reads an absolute ("https://server/fhir/Type/id") or versioned
// ("Type/id/_history/2") reference as its type and id.
func looseLiteral(s string) (typ, id string, ok bool) {
	if base, _, ok := strings.Cut(s, "/_history/"); ok {
		s = base
	}
	absolute := strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
	parts := strings.Split(s, "/")
	if len(parts) < 2 || (len(parts) > 2 && !absolute) {
		return "", "", false
	}
	t, i := parts[len(parts)-2], parts[len(parts)-1]
	if t == "" || t[0] < 'A' || t[0] > 'Z' || !validID(i) {
		return "", "", false
	}
	return t, i, true
}

// refIDs returns every identifier a reference names its target by: its identifier (unless
// it is a designation) and the id of its literal reference, relative, absolute or versioned
// (without a system: one resource may be reached from several servers).
func refIDs(r *Reference) []consent.Identifier {
	if r == nil {
		return nil
	}
	var ids []consent.Identifier
	if r.Identifier != nil && r.Identifier.Value != "" && r.Identifier.System != SystemDesignation {
		ids = append(ids, consent.Identifier{System: r.Identifier.System, Value: r.Identifier.Value})
	}
	if _, id, ok := looseLiteral(r.Reference); ok {
		ids = append(ids, consent.Identifier{Value: id})
	}
	return ids
}

// collectParties records, for every provision actor of the tree that names itself in more
// than one way (a literal reference and an identifier, as EHR-generated resources write
// it), the identifiers it names itself by: one party, however a deny names it.
func (m *mapper) collectParties(p *Provision) {
	if p == nil {
		return
	}
	for i := range p.Actor {
		if ids := refIDs(p.Actor[i].Reference); len(ids) > 1 {
			m.parties = append(m.parties, ids)
		}
	}
	for i := range p.Provision {
		m.collectParties(&p.Provision[i])
	}
}

// deniedIDs returns the identifiers a denied actor reaches: every identifier its reference
// names it by, and every identifier of a party (see collectParties) that one of them may be.
// A refusal fails closed: it reaches every identifier that may be the actor's (42 CFR
// 2.31(a)(4)(i), 2.33(a)(1): a disclosure to a party the consent refuses is not in
// accordance with it).
func deniedIDs(r *Reference, parties [][]consent.Identifier) []consent.Identifier {
	ids := refIDs(r)
	for _, grp := range parties {
		hit := false
		for _, g := range grp {
			for _, id := range ids {
				if consent.MayBeSame(g, id) {
					hit = true
				}
			}
		}
		if !hit {
			continue
		}
		for _, g := range grp {
			if !slices.Contains(ids, g) {
				ids = append(ids, g)
			}
		}
	}
	return ids
}

// tryRef reads a reference as an identifier, as ref does, and reports whether it could. path
// gives the reference's path, built only for a finding.
func (m *mapper) tryRef(r *Reference, path func() string, typ string) (consent.Identifier, bool) {
	if r == nil {
		return consent.Identifier{}, false
	}
	if r.Identifier != nil && r.Identifier.Value != "" {
		return consent.Identifier{System: r.Identifier.System, Value: r.Identifier.Value}, true
	}
	if t, id, loose, ok := m.literal(r.Reference); ok && (t == typ || typ == "" && t != "") {
		if loose {
			m.note(CodeReference, path(), EffectRead, false, "An absolute or versioned reference is read as its type and id, without a system.")
		}
		return consent.Identifier{Value: id}, true
	}
	return consent.Identifier{}, false
}

// ref reads a reference as an identifier: the identifier's system and value, or, without a
// system, the id of a literal reference "Type/id" of the expected type.
func (m *mapper) ref(r *Reference, path func() string, typ string) consent.Identifier {
	if r == nil {
		return consent.Identifier{}
	}
	if id, ok := m.tryRef(r, path, typ); ok {
		return id
	}
	m.add(CodeReference, path(), "The reference has neither an identifier value nor a literal reference of the expected type.")
	return consent.Identifier{}
}

// namesPatient reports whether id may be the patient the resource names: its patient
// (subject) identifier, or the id of its literal reference "Patient/id" (a reference may give
// both, and a performer either).
func namesPatient(r *Consent, id consent.Identifier) bool {
	for _, ref := range []*Reference{r.Patient, r.Subject} {
		if ref == nil {
			continue
		}
		if ref.Identifier != nil && ref.Identifier.Value != "" && consent.MayBeSame(id, consent.Identifier{System: ref.Identifier.System, Value: ref.Identifier.Value}) {
			return true
		}
		if lit, ok := strings.CutPrefix(ref.Reference, "Patient/"); ok && consent.MayBeSame(id, consent.Identifier{Value: lit}) {
			return true
		}
	}
	return false
}

// performerPatient returns the patient identifier a performer names, if any.
func performerPatient(p Reference) consent.Identifier {
	if p.Identifier != nil && p.Identifier.Value != "" {
		return consent.Identifier{System: p.Identifier.System, Value: p.Identifier.Value}
	}
	if id, ok := strings.CutPrefix(p.Reference, "Patient/"); ok {
		return consent.Identifier{Value: id}
	}
	return consent.Identifier{}
}

// validID reports whether s is a FHIR id: 1 to 64 of A-Z, a-z, 0-9, '-' and '.'.
func validID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// signer reads who signed from the performer (R4) or grantor (R5). Lenient reading leaves
// the signer unknown where it cannot be told (the consent is then deficient, 2.31(a)(8)).
func (m *mapper) signer(ps []Reference, base string) consent.Signer {
	if len(ps) == 0 {
		return consent.SignerUnknown
	}
	if len(ps) > 1 {
		m.note(CodeUnmappable, base, EffectDeficient, true, "More than one performer: who signed cannot be told.")
		return consent.SignerUnknown
	}
	p := ps[0]
	path := base + "[0]"
	for i, e := range p.Extension {
		if e.URL != ExtSignerRole {
			m.foreign(e, idx(path+".extension", i))
			continue
		}
		code, ok := m.valueCode(e, idx(path+".extension", i))
		if !ok {
			return consent.SignerUnknown
		}
		if s, ok := consent.ParseSigner(code); ok {
			return s
		}
		if code == "unknown" {
			return consent.SignerUnknown
		}
		m.note(CodeUnknownCode, idx(path+".extension", i)+".valueCode", EffectDeficient, true, "The signer role "+quote32(code)+" is unknown.")
		return consent.SignerUnknown
	}
	if p.Type == "Patient" || strings.HasPrefix(p.Reference, "Patient/") {
		return consent.SignerPatient
	}
	m.note(CodeUnknownCode, path, EffectDeficient, true, "The performer is not the patient and has no signer role: guardian or personal representative cannot be told.")
	return consent.SignerUnknown
}

// bound is a period that bounds a permission, with its path.
type bound struct {
	p    *Period
	path string
}

// pnode is a provision with its decision: R4 gives each its type; an R5 provision is the
// opposite of what holds above it.
type pnode struct {
	p      *Provision
	path   string
	permit bool
}

// decision reads a nested provision's decision. An R4 provision without a type (or an
// unknown one) is read as a deny by lenient reading (fail closed); strict mapping refuses it
// where it matters.
func (m *mapper) child(parent pnode, i int) pnode {
	k := &parent.p.Provision[i]
	n := pnode{p: k, path: idx(parent.path+".provision", i)}
	switch k.Type {
	case "permit":
		n.permit = true
	case "deny":
	case "":
		if m.r5 {
			n.permit = !parent.permit
		} else if m.lenient {
			m.note(CodeProvision, n.path+".type", EffectNarrowed, false, "The provision has no type; it is read as a deny.")
		}
	default:
		if m.lenient {
			m.note(CodeProvision, n.path+".type", EffectNarrowed, false, "The provision type is neither permit nor deny; it is read as a deny.")
		}
	}
	return n
}

// tree reads the provisions. It returns the permissions granted, and adds the refusals to
// rd.
func (m *mapper) tree(r *Consent, base consent.Consent, rd *Reading) []grant {
	var root pnode
	var outer []bound // periods that bound every permission: R5's Consent.period
	switch {
	case r.Provision != nil:
		root = pnode{p: r.Provision, path: "Consent.provision", permit: r.Provision.Type == "permit"}
		if r.Period != nil {
			outer = append(outer, bound{r.Period, "Consent.period"})
		}
		if r.Provision.Type != "permit" && r.Provision.Type != "deny" && m.lenient {
			m.note(CodeProvision, "Consent.provision.type", EffectNarrowed, false, "The provision type is neither permit nor deny; it is read as a deny.")
		}
	case m.r5:
		root = pnode{p: &Provision{Provision: r.Provisions}, path: "Consent", permit: r.Decision == "permit"}
		if r.Period != nil {
			outer = append(outer, bound{r.Period, "Consent.period"})
		}
		if r.Decision != "permit" && r.Decision != "deny" {
			m.note(CodeProvision, "Consent.decision", EffectNarrowed, true, "The decision is neither permit nor deny; it is read as a deny.")
		}
	default:
		// No provision: nothing is permitted beyond an empty permission (deficient).
		return append(m.grantBuf[:0], grant{g: base, path: "Consent"})
	}
	m.collectParties(root.p)
	if !m.lenient {
		return m.strictRoot(root, base, outer)
	}
	if root.permit {
		g := m.permission(root, base, outer)
		m.exceptions(root, &g, rd)
		return append(m.grantBuf[:0], grant{g: g, path: root.path})
	}
	return m.denyRoot(root, base, outer, rd)
}

// strictRoot maps the provision tree exactly: a permit, or a deny whose only content is one
// nested permit (an opt-in under a base deny), read as that permit; under the permit, each
// nested provision a deny that restricts exactly one of purpose, securityLabel or actor.
func (m *mapper) strictRoot(root pnode, base consent.Consent, outer []bound) []grant {
	if !root.permit {
		p := root.p
		synthetic := root.path == "Consent"
		m.modifiers(p.ModifierExtension, root.path, true)
		if (p.Type == "deny" || synthetic) && len(p.Provision) == 1 && p.Period == nil && len(p.Actor) == 0 &&
			len(p.Action) == 0 && len(p.SecurityLabel) == 0 && len(p.Purpose) == 0 && len(p.Class) == 0 &&
			len(p.Code) == 0 && p.DataPeriod == nil && len(p.Data) == 0 && !narrowsData(p) {
			if k := m.child(root, 0); k.permit {
				return m.strictRoot(k, base, outer)
			}
		}
		if root.p.Type != "deny" && !synthetic {
			m.add(CodeProvision, root.path+".type", "The provision type must be permit or deny.")
			return nil
		}
		m.add(CodeProvision, root.path, "A deny provision that is not a base deny around one permit grants no Part 2 permission.")
		return nil
	}
	g := m.permission(root, base, outer)
	for i := range root.p.Provision {
		k := m.child(root, i)
		m.modifiers(k.p.ModifierExtension, k.path, true)
		if k.permit || (!m.r5 && k.p.Type != "deny") {
			m.add(CodeProvision, k.path+".type", "Only deny provisions can be nested under the permit.")
			continue
		}
		m.strictException(k, &g)
	}
	return append(m.grantBuf[:0], grant{g: g, path: root.path})
}

// narrowsData reports whether a provision restricts which data it applies to in a way a
// Part 2 consent value cannot hold (R4 class, code, dataPeriod, data; R5 documentType,
// resourceType, expression).
func narrowsData(p *Provision) bool {
	return len(p.Class) > 0 || len(p.Code) > 0 || p.DataPeriod != nil || len(p.Data) > 0 ||
		len(p.DocumentType) > 0 || len(p.ResourceType) > 0 || len(p.Expression) > 0
}

// permission reads a permit provision as a Part 2 permission: its period, actors (the
// recipients), actions, security labels (the information) and purposes. Lenient reading
// drops what it cannot read exactly, or lets the consent grant nothing where the text
// restricts the permission in a way a consent value cannot hold (which data, which codes).
func (m *mapper) permission(n pnode, base consent.Consent, outer []bound) consent.Consent {
	g := base
	p := n.p
	path := n.path
	if path != "Consent" {
		m.modifiers(p.ModifierExtension, path, true)
	}
	for _, b := range outer {
		m.period(b.p, b.path, "", &g)
	}
	if p.Period != nil {
		m.period(p.Period, path, ".period", &g)
	}
	for i := range p.Actor {
		if r, ok := m.permitActor(&p.Actor[i], path, i); ok {
			g.Recipients = append(g.Recipients, r)
		}
	}
	m.actions(p.Action, path, true)
	for i, l := range p.SecurityLabel {
		if k, ok := m.permitLabel(l, path, i); ok {
			g.Information = append(g.Information, k)
		}
	}
	for i, pc := range p.Purpose {
		if pu, ok := m.purpose(pc, path, i, true); ok {
			g.Purposes = append(g.Purposes, pu)
		}
	}
	m.narrowing(p, path)
	return g
}

// period applies a permission's period: the consent counts from its start (never before the
// date signed) and until its end.
func (m *mapper) period(per *Period, base, mid string, g *consent.Consent) {
	if per.Start != "" {
		start := m.instant(per.Start, base, mid+".start", dateStart)
		switch {
		case start.IsZero():
			if m.lenient {
				m.narrow(CodeDate, base+mid+".start", true, "The start of the permission cannot be read.")
			}
		case g.SignedAt.IsZero() || start.After(g.SignedAt):
			if m.lenient && !g.SignedAt.IsZero() {
				m.note(CodeUnmappable, base+mid+".start", EffectNarrowed, false, "The permission starts after the date signed; the consent counts from that start.")
				g.SignedAt = start
			} else {
				m.note(CodeUnmappable, base+mid+".start", EffectRead, true, "The permission starts after the date signed; a Part 2 consent counts from its signing.")
			}
		}
	}
	if per.End != "" {
		end := m.instant(per.End, base, mid+".end", dateEndInclusive)
		switch {
		case end.IsZero():
			if m.lenient {
				m.narrow(CodeDate, base+mid+".end", true, "The end of the permission cannot be read.")
			}
		case g.Expires.At.IsZero() || end.Before(g.Expires.At):
			g.Expires.At = end
		}
	}
}

// narrowing handles the elements that would restrict a permission in ways a Part 2 consent
// value cannot hold (which resources, which codes, which dates of data): strict mapping
// refuses them; lenient reading lets the consent grant nothing, since reading the permission
// without them would permit more than the text.
func (m *mapper) narrowing(p *Provision, path string) {
	for _, e := range []struct {
		present bool
		name    string
		what    string
	}{
		{len(p.Class) > 0, "class", "Restricting by class"},
		{len(p.Code) > 0, "code", "Restricting by code"},
		{p.DataPeriod != nil, "dataPeriod", "Restricting by the period of the data"},
		{len(p.Data) > 0, "data", "Restricting to named resources"},
		{len(p.DocumentType) > 0, "documentType", "Restricting by document type"},
		{len(p.ResourceType) > 0, "resourceType", "Restricting by resource type"},
		{len(p.Expression) > 0, "expression", "Restricting by an expression"},
	} {
		if e.present {
			m.narrow(CodeUnmappable, path+"."+e.name, true, e.what+" cannot be held by a Part 2 consent value.")
		}
	}
}

// disclosureAction reports whether the actions include one that discloses to the actor:
// disclose, or access (the actor retrieves the information).
func disclosureAction(as []CodeableConcept) (disclose, access bool) {
	for i := range as {
		if hasCoding(&as[i], SystemConsentAction, ActionDisclose) {
			disclose = true
		}
		if hasCoding(&as[i], SystemConsentAction, ActionAccess) {
			access = true
		}
	}
	return disclose, access
}

// actions checks a permission's actions: strict, they must include disclose; lenient,
// access is read as disclosure to the actor, and actions without either grant nothing.
func (m *mapper) actions(as []CodeableConcept, base string, permit bool) {
	if len(as) == 0 {
		return
	}
	disclose, access := disclosureAction(as)
	switch {
	case disclose:
	case access && m.lenient:
		m.note(CodeAction, base+".action", EffectRead, false, "The permitted action access is read as disclosure to the actor.")
	default:
		m.narrow(CodeAction, base+".action", permit, "The permitted actions do not include disclose.")
	}
}

// purpose maps the purpose coding at index i of path's purpose list, recording a finding
// when it has no Part 2 purpose (strict: a problem; lenient, in a permission: the purpose is
// not granted).
func (m *mapper) purpose(pc Coding, path string, i int, permit bool) (consent.Purpose, bool) {
	pu, ok := ParsePurposeCoding(pc)
	switch {
	case !ok:
		effect, msg := EffectRead, " has no Part 2 purpose; the deny is read as denying every purpose."
		if permit {
			effect, msg = EffectNarrowed, " has no Part 2 purpose; it is not granted."
		}
		m.note(CodeUnknownCode, idx(path+".purpose", i), effect, true, "The purpose "+quote32(pc.Code)+msg)
	case pc.System != SystemActReason && pc.System != SystemPurpose:
		m.note(CodeUnknownCode, idx(path+".purpose", i), EffectRead, false, "The purpose's system is read as v3 ActReason (a value set URL, OID or older URI of it).")
	}
	return pu, ok
}

// permitLabel maps a security label of a permission to the kind of information granted.
// Lenient reading grants no kind for a label that names only part of SUD records (ETHUD,
// OPIOIDUD) or no kind at all (HIV, R, ...): reading it as a whole kind would grant more
// than the text.
func (m *mapper) permitLabel(l Coding, path string, i int) (consent.InfoKind, bool) {
	k, exact := parseLabel(l)
	if k != consent.InfoKindUnknown && exact && (l.System == SystemActCode || l.System == SystemInformation || !m.lenient) {
		return k, true
	}
	p := idx(path+".securityLabel", i)
	switch {
	case k != consent.InfoKindUnknown && exact:
		m.note(CodeUnknownCode, p, EffectRead, false, "The label's system is read as v3 ActCode (a value set URL, OID or older URI of it).")
		return k, true
	case k != consent.InfoKindUnknown:
		m.note(CodeUnknownCode, p, EffectNarrowed, true, "The security label "+quote32(l.Code)+" names part of the SUD records only; it is not granted.")
	default:
		m.note(CodeUnknownCode, p, EffectNarrowed, true, "The security label "+quote32(l.Code)+" names no kind of Part 2 information.")
	}
	return consent.InfoKindUnknown, false
}

// permitActor reads an actor of a permission as a recipient. Lenient reading drops an actor
// it cannot read exactly (a role other than information recipient, no reference it can
// read, an unknown designation, a modifier or a malformed intermediary extension).
func (m *mapper) permitActor(a *Actor, base string, i int) (consent.Recipient, bool) {
	r, ok := m.actor(a, base, i, true)
	if !ok && m.lenient {
		m.note(CodeReference, idx(base+".actor", i), EffectNarrowed, false, "The actor cannot be read exactly as a recipient; it is not granted.")
	}
	return r, ok
}

// actor reads a provision actor: a named recipient, a designation or an intermediary. It
// reports false when the actor cannot be read exactly (lenient reading only; strict
// mapping records problems instead).
func (m *mapper) actor(a *Actor, base string, i int, permit bool) (consent.Recipient, bool) {
	path := func() string { return idx(base+".actor", i) }
	var r consent.Recipient
	ok := true
	if len(a.ModifierExtension) > 0 {
		m.modifiers(a.ModifierExtension, path(), false)
		ok = false
	}
	if !hasCoding(a.Role, SystemParticipationType, RoleInformationRecipient) {
		if permit || !m.lenient {
			m.note(CodeUnknownCode, path()+".role", EffectRead, true, "The actor's role is not IRCP (information recipient).")
			ok = false
		}
	}
	switch {
	case a.Reference == nil:
		m.note(CodeReference, path()+".reference", EffectRead, true, "The actor has no reference.")
		ok = false
	case a.Reference.Identifier != nil && a.Reference.Identifier.System == SystemDesignation:
		code := a.Reference.Identifier.Value
		if d, known := consent.ParseDesignation(code); known {
			r.Designation = d
		} else {
			if code != "unknown" {
				m.note(CodeUnknownCode, path()+".reference.identifier.value", EffectRead, true, "The designation "+quote32(code)+" is unknown.")
			}
			ok = false
		}
	case m.lenient:
		id, read := m.tryRef(a.Reference, func() string { return path() + ".reference" }, "")
		if !read {
			m.note(CodeReference, path()+".reference", EffectRead, false, "The reference has neither an identifier value nor a literal reference.")
			ok = false
		}
		r.ID = id
	default:
		r.ID = m.ref(a.Reference, func() string { return path() + ".reference" }, "")
	}
	for j, e := range a.Extension {
		p := idx(path()+".extension", j)
		if e.URL != ExtIntermediary {
			m.foreign(e, p)
			continue
		}
		if !m.intermediary(e, p, &r) {
			ok = false
		}
	}
	return r, ok
}

// intermediary reads the intermediary extension. Intermediary is set whenever the extension
// is present: members or a member designation imply it (consent.Recipient.IsIntermediary).
// It reports whether the extension was read exactly.
func (m *mapper) intermediary(e Extension, path string, r *consent.Recipient) bool {
	r.Intermediary = true
	if e.ValueBoolean != nil {
		if !*e.ValueBoolean || len(e.Extension) > 0 {
			m.note(CodeExtension, path, EffectRead, true, "The intermediary extension takes valueBoolean true or sub-extensions.")
			return false
		}
		return true
	}
	if e.hasValue() || len(e.Extension) == 0 {
		m.note(CodeExtension, path, EffectRead, true, "The intermediary extension takes valueBoolean true or sub-extensions.")
		return false
	}
	ok := true
	for i, sub := range e.Extension {
		p := idx(path+".extension", i)
		switch sub.URL {
		case "member":
			switch {
			case len(sub.Extension) > 0 || (sub.ValueString == "") == (sub.ValueIdentifier == nil):
				m.note(CodeExtension, p, EffectRead, true, "\"member\" needs a valueString or a valueIdentifier.")
				ok = false
			case sub.ValueString != "":
				r.Members = append(r.Members, consent.Identifier{Value: sub.ValueString})
			case sub.ValueIdentifier.Value == "":
				m.note(CodeExtension, p, EffectRead, true, "\"member\" needs a valueIdentifier with a value.")
				ok = false
			default:
				r.Members = append(r.Members, consent.Identifier{System: sub.ValueIdentifier.System, Value: sub.ValueIdentifier.Value})
			}
		case "memberDesignation":
			if sub.ValueCode == "" || len(sub.Extension) > 0 || r.MemberDesignation != consent.DesignationUnknown {
				m.note(CodeExtension, p, EffectRead, true, "\"memberDesignation\" needs one valueCode.")
				ok = false
				continue
			}
			d, known := consent.ParseDesignation(sub.ValueCode)
			if !known {
				m.note(CodeUnknownCode, p+".valueCode", EffectRead, true, "The designation "+quote32(sub.ValueCode)+" is unknown.")
				ok = false
				continue
			}
			r.MemberDesignation = d
		default:
			m.note(CodeExtension, p, EffectRead, true, "Unknown intermediary part "+quote32(sub.URL)+".")
			ok = false
		}
	}
	return ok
}

// strictException maps a nested provision under the permit exactly: a deny that removes
// values of exactly one of purpose, securityLabel or actor, and nothing else. Denied
// purposes and kinds of information are removed from the consent's lists. Denied actors
// become the consent's exclusions, whether or not the permit lists them: the patient's "not
// to X" holds however X would be reached (named, designated, as an intermediary's member,
// or by redisclosure), and an actor named here by literal reference and elsewhere by
// identifier is still excluded (an exclusion reaches every identifier that may be its
// party's).
func (m *mapper) strictException(n pnode, c *consent.Consent) {
	p, path := n.p, n.path
	dims := 0
	for _, k := range []int{len(p.Purpose), len(p.SecurityLabel), len(p.Actor)} {
		if k > 0 {
			dims++
		}
	}
	if dims != 1 || p.Period != nil || len(p.Action) > 0 || narrowsData(p) || len(p.Provision) > 0 {
		m.add(CodeProvision, path, "A nested deny must remove values of exactly one of purpose, securityLabel or actor, and restrict nothing else.")
		return
	}
	for i, pc := range p.Purpose {
		if pu, ok := m.purpose(pc, path, i, false); ok {
			c.Purposes = removeAll(c.Purposes, pu)
		}
	}
	identity := false
	for i, l := range p.SecurityLabel {
		if k, exact := parseLabel(l); k != consent.InfoKindUnknown && exact {
			c.Information = removeAll(c.Information, k)
			identity = identity || k == consent.InfoKindPatientIdentity
		} else {
			m.add(CodeUnknownCode, idx(path+".securityLabel", i), "The security label "+quote32(l.Code)+" names no kind of Part 2 information.")
		}
	}
	if identity && slices.Contains(c.Information, consent.InfoKindSUDRecords) {
		m.add(CodeProvision, path, "A deny of the patient's identity cannot be held while SUD records, every one of which identifies the patient, are permitted.")
	}
	for i := range p.Actor {
		r, _ := m.actor(&p.Actor[i], path, i, false)
		switch {
		case r.IsIntermediary():
			m.add(CodeProvision, idx(path+".actor", i), "A denied actor cannot carry the intermediary extension: denying it excludes the actor wherever it appears.")
		case r.Designation != consent.DesignationUnknown:
			c.Exclusions = append(c.Exclusions, consent.Exclusion{Designation: r.Designation})
		case !r.ID.IsZero():
			for _, id := range deniedIDs(p.Actor[i].Reference, m.parties) {
				c.Exclusions = append(c.Exclusions, consent.Exclusion{ID: id})
			}
		}
	}
}

func removeAll[T comparable](xs []T, v T) []T {
	out := xs[:0]
	for _, x := range xs {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}
