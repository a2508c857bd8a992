package fhir

import (
	"strconv"
	"strings"
	"time"

	"github.com/dyad-health/dyad/consent"
)

// Options tunes Decode and FromResource. The zero Options is the strict default.
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
}

// Decode reads a FHIR R4 Consent resource in JSON and maps it to a consent.Consent with the
// zero Options. The error, if any, is a *MappingError listing every problem with its path.
func Decode(data []byte) (consent.Consent, error) {
	return Options{}.Decode(data)
}

// Decode reads a FHIR R4 Consent resource in JSON and maps it to a consent.Consent.
func (o Options) Decode(data []byte) (consent.Consent, error) {
	r, err := Parse(data)
	if err != nil {
		return consent.Consent{}, err
	}
	return o.FromResource(r)
}

// FromResource maps a parsed resource with the zero Options.
func FromResource(r *Consent) (consent.Consent, error) {
	return Options{}.FromResource(r)
}

// FromResource maps a parsed FHIR Consent to a consent.Consent. It reports every element it
// cannot map without losing or inventing a Part 2 element; doc.go documents the mapping.
func (o Options) FromResource(r *Consent) (consent.Consent, error) {
	m := mapper{loc: o.Location}
	c := m.consent(r, o)
	if len(m.probs) > 0 {
		return consent.Consent{}, &MappingError{Problems: m.probs}
	}
	return c, nil
}

type mapper struct {
	probs []Problem
	loc   *time.Location // Options.Location
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

func (m *mapper) consent(r *Consent, o Options) consent.Consent {
	var c consent.Consent
	if r == nil {
		m.add(CodeNotConsent, "Consent", "There is no resource.")
		return c
	}
	if r.ResourceType != "Consent" {
		m.add(CodeNotConsent, "Consent.resourceType", "The resource is not a Consent.")
	}
	c.ID = r.ID
	if r.ID != "" && !validID(r.ID) {
		m.add(CodeInvalidID, "Consent.id", "The id is not a FHIR id: 1 to 64 letters, digits, '-' and '.'.")
	}
	m.modifiers(r.ModifierExtension, "Consent.modifierExtension")
	if r.ImplicitRules != "" {
		m.add(CodeUnmappable, "Consent.implicitRules", "Implicit rules modify the meaning of the resource and cannot be followed.")
	}
	if !hasCoding(r.Scope, SystemConsentScope, ScopePatientPrivacy) {
		m.add(CodeScope, "Consent.scope", "The scope is not patient-privacy.")
	}
	part2 := hasCoding(r.PolicyRule, SystemActCode, Law42CFRPart2)
	for i := range r.Category {
		if hasCoding(&r.Category[i], SystemActCode, Category42CFRPart2CD) {
			part2 = true
		}
	}
	for i, pol := range r.Policy {
		m.modifiers(pol.ModifierExtension, idx("Consent.policy", i)+".modifierExtension")
		if pol.URI == Part2PolicyURI {
			part2 = true
		}
	}
	if !part2 {
		m.add(CodeNotPart2, "Consent.policyRule", "Nothing marks the consent as a 42 CFR Part 2 consent (policyRule 42CFRPart2, policy.uri of part 2, or category 42CFRPart2CD).")
	}

	c.Patient = m.ref(r.Patient, "Consent.patient", "Patient")
	if r.DateTime != "" {
		c.SignedAt = m.instant(r.DateTime, "Consent.dateTime", dateStart)
	}
	for i := range r.Organization {
		c.Disclosers = append(c.Disclosers, m.ref(&r.Organization[i], idx("Consent.organization", i), "Organization"))
	}
	c.Signer = m.signer(r.Performer)
	if c.Signer == consent.SignerPatient && len(r.Performer) == 1 {
		if p := performerPatient(r.Performer[0]); !p.IsZero() && !c.Patient.IsZero() && !maySame(p, c.Patient) {
			m.add(CodeConflict, "Consent.performer[0]", "The performer is a patient other than the consent's patient.")
		}
	}

	kindSet, stmtSet := false, false
	for i, e := range r.Extension {
		path := idx("Consent.extension", i)
		switch e.URL {
		case ExtKind:
			if kindSet {
				m.add(CodeExtension, path, "The consent kind is given twice.")
			}
			kindSet = true
			code := m.valueCode(e, path)
			if k, ok := consent.ParseKind(code); ok {
				c.Kind = k
			} else if code != "unknown" && code != "" {
				m.add(CodeUnknownCode, path+".valueCode", "The consent kind "+quote32(code)+" is unknown.")
			}
		case ExtInformationDescription:
			c.InformationDescription = m.valueString(e, path, c.InformationDescription != "")
		case ExtDiscloserDesignation:
			c.DiscloserDesignation = m.valueString(e, path, c.DiscloserDesignation != "")
		case ExtStatements:
			if stmtSet {
				m.add(CodeExtension, path, "The statements are given twice.")
			}
			stmtSet = true
			c.Statements = m.statements(e, path)
		case ExtExpiration:
			if c.Expires.Event != "" || c.Expires.None || !c.Expires.OccurredAt.IsZero() {
				m.add(CodeExtension, path, "The expiration is given twice.")
			}
			m.expiration(e, path, &c.Expires)
		case ExtRevokedAt:
			if !c.RevokedAt.IsZero() {
				m.add(CodeExtension, path, "The revocation is given twice.")
			}
			if e.ValueDateTime == "" || len(e.Extension) > 0 {
				m.add(CodeExtension, path, "The revocation extension needs a valueDateTime.")
				continue
			}
			c.RevokedAt = m.instant(e.ValueDateTime, path+".valueDateTime", dateStop)
		case ExtKnownFalse:
			if e.ValueBoolean == nil || len(e.Extension) > 0 {
				m.add(CodeExtension, path, "The known-false extension needs a valueBoolean.")
				continue
			}
			c.KnownFalse = *e.ValueBoolean
		case ExtKnownFalseAt:
			if !c.KnownFalseAt.IsZero() {
				m.add(CodeExtension, path, "The known-false time is given twice.")
			}
			if e.ValueDateTime == "" || len(e.Extension) > 0 {
				m.add(CodeExtension, path, "The known-false-at extension needs a valueDateTime.")
				continue
			}
			c.KnownFalseAt = m.instant(e.ValueDateTime, path+".valueDateTime", dateStop)
		default:
			m.foreign(e, path)
		}
	}
	if !stmtSet {
		c.Statements = o.DefaultStatements
	}

	switch r.Status {
	case "active":
		if !c.RevokedAt.IsZero() {
			m.add(CodeConflict, "Consent.status", "The consent is active but carries a revocation time.")
		}
	case "inactive":
		if c.RevokedAt.IsZero() {
			m.add(CodeStatus, "Consent.status", "An inactive consent without a revocation time cannot be mapped: when it stopped counting is unknown.")
		}
	case "":
		m.add(CodeStatus, "Consent.status", "The status is missing.")
	default:
		m.add(CodeStatus, "Consent.status", "The status "+quote32(r.Status)+" has no Part 2 meaning (only active, or inactive with a revocation time).")
	}

	if r.Provision != nil {
		m.provision(r.Provision, "Consent.provision", &c)
	}
	if !kindSet {
		c.Kind = inferKind(c)
	}
	return c
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

// purpose maps the purpose coding at index i of path's purpose list, recording a problem
// when it has no Part 2 purpose.
func (m *mapper) purpose(pc Coding, path string, i int) (consent.Purpose, bool) {
	pu, ok := ParsePurposeCoding(pc)
	if !ok {
		m.add(CodeUnknownCode, idx(path+".purpose", i), "The purpose "+quote32(pc.Code)+" has no Part 2 purpose.")
	}
	return pu, ok
}

// label maps the security label at index i of path's label list, recording a problem when
// it names no kind of Part 2 information.
func (m *mapper) label(l Coding, path string, i int) (consent.InfoKind, bool) {
	k, ok := ParseInformationCoding(l)
	if !ok {
		m.add(CodeUnknownCode, idx(path+".securityLabel", i), "The security label "+quote32(l.Code)+" names no kind of Part 2 information.")
	}
	return k, ok
}

func (m *mapper) modifiers(es []Extension, path string) {
	if len(es) > 0 {
		m.add(CodeModifierExtension, path, "A modifier extension changes the meaning of its element and cannot be ignored.")
	}
}

// foreign handles an extension that is not one of this package's: a foreign one carries no
// Part 2 element and is ignored; an unknown one under this package's base is refused.
func (m *mapper) foreign(e Extension, path string) {
	if strings.HasPrefix(e.URL, extBase) {
		m.add(CodeExtension, path, "The extension "+quote32(strings.TrimPrefix(e.URL, extBase))+" is not one of this package's.")
	}
	if e.URL == "" {
		m.add(CodeExtension, path+".url", "An extension has no url.")
	}
}

func (m *mapper) valueCode(e Extension, path string) string {
	if e.ValueCode == "" || len(e.Extension) > 0 || e.otherValue {
		m.add(CodeExtension, path, "The extension needs a valueCode.")
	}
	return e.ValueCode
}

func (m *mapper) valueString(e Extension, path string, dup bool) string {
	if dup {
		m.add(CodeExtension, path, "The extension is given twice.")
	}
	if e.ValueString == "" || len(e.Extension) > 0 || e.otherValue {
		m.add(CodeExtension, path, "The extension needs a valueString.")
	}
	return e.ValueString
}

func (m *mapper) statements(e Extension, path string) consent.Statements {
	var s consent.Statements
	if e.hasValue() {
		m.add(CodeExtension, path, "The statements extension takes sub-extensions, not a value.")
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
			m.add(CodeExtension, p, "Unknown statement "+quote32(sub.URL)+".")
			continue
		}
		if sub.ValueBoolean == nil || len(sub.Extension) > 0 {
			m.add(CodeExtension, p, "A statement needs a valueBoolean.")
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
		m.add(CodeExtension, path, "The expiration extension takes sub-extensions, not a value.")
	}
	if len(e.Extension) == 0 {
		m.add(CodeExtension, path, "The expiration extension is empty.")
	}
	for i, sub := range e.Extension {
		p := idx(path+".extension", i)
		switch sub.URL {
		case "none":
			if sub.ValueBoolean == nil || !*sub.ValueBoolean || len(sub.Extension) > 0 {
				m.add(CodeExtension, p, "\"none\" needs valueBoolean true.")
				continue
			}
			x.None = true
		case "event":
			if sub.ValueString == "" || len(sub.Extension) > 0 || x.Event != "" {
				m.add(CodeExtension, p, "\"event\" needs one valueString.")
				continue
			}
			x.Event = sub.ValueString
		case "occurredAt":
			if sub.ValueDateTime == "" || len(sub.Extension) > 0 || !x.OccurredAt.IsZero() {
				m.add(CodeExtension, p, "\"occurredAt\" needs one valueDateTime.")
				continue
			}
			x.OccurredAt = m.instant(sub.ValueDateTime, p+".valueDateTime", dateStop)
		default:
			m.add(CodeExtension, p, "Unknown expiration part "+quote32(sub.URL)+".")
		}
	}
}

// dateRole says what a dateTime marks, which decides how a date alone is read.
type dateRole uint8

const (
	// dateStart is an instant from which something counts (the date signed, a permission's
	// start): a date alone is read as the latest start of that day.
	dateStart dateRole = iota
	// dateStop is an instant from which something stops counting because it happened then
	// (a revocation's receipt, known falsity, an expiration event): a date alone is read as
	// the earliest start of that day.
	dateStop
	// dateEndInclusive is a period's end, a day FHIR includes in the period: a date alone is
	// read as the earliest end of that day.
	dateEndInclusive
)

// Offsets of the first and last time zones in use: a calendar day starts everywhere
// between 00:00 at UTC+14 and 00:00 at UTC-12.
var (
	earliestZone = time.FixedZone("UTC+14", 14*3600)
	latestZone   = time.FixedZone("UTC-12", -12*3600)
)

// instant parses a FHIR dateTime. A full dateTime (with its required time zone) is exact.
// A date alone is the day in Options.Location when set; otherwise it is read with the
// bounds no time zone can contradict (see Options.Location), the role telling which bound
// fails closed. A year or a month alone is refused.
func (m *mapper) instant(s, path string, role dateRole) time.Time {
	if len(s) == 10 {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			m.add(CodeDate, path, "The date is not a valid FHIR date.")
			return time.Time{}
		}
		if role == dateEndInclusive {
			d = d.AddDate(0, 0, 1)
		}
		loc := m.loc
		if loc == nil {
			loc = earliestZone
			if role == dateStart {
				loc = latestZone
			}
		}
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc).UTC()
	}
	if len(s) < 10 {
		m.add(CodeDate, path, "The date is less precise than a day.")
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		m.add(CodeDate, path, "The dateTime is not a valid FHIR dateTime with a time zone.")
		return time.Time{}
	}
	return t
}

// ref reads a reference as an identifier: the identifier's system and value, or, without a
// system, the id of a literal reference "Type/id" of the expected type.
func (m *mapper) ref(r *Reference, path, typ string) consent.Identifier {
	if r == nil {
		return consent.Identifier{}
	}
	if r.Identifier != nil && r.Identifier.Value != "" {
		return consent.Identifier{System: r.Identifier.System, Value: r.Identifier.Value}
	}
	if t, id, ok := strings.Cut(r.Reference, "/"); ok && id != "" && !strings.Contains(id, "/") && (t == typ || typ == "" && t != "") {
		return consent.Identifier{Value: id}
	}
	m.add(CodeReference, path, "The reference has neither an identifier value nor a literal reference of the expected type.")
	return consent.Identifier{}
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

// maySame reports whether two identifiers may name the same party: the same value, and the
// same system or no system on either side.
func maySame(a, b consent.Identifier) bool {
	return a.Value == b.Value && (a.System == b.System || a.System == "" || b.System == "")
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

func (m *mapper) signer(ps []Reference) consent.Signer {
	if len(ps) == 0 {
		return consent.SignerUnknown
	}
	if len(ps) > 1 {
		m.add(CodeUnmappable, "Consent.performer", "More than one performer: who signed cannot be told.")
		return consent.SignerUnknown
	}
	p := ps[0]
	path := "Consent.performer[0]"
	for i, e := range p.Extension {
		if e.URL != ExtSignerRole {
			m.foreign(e, idx(path+".extension", i))
			continue
		}
		code := m.valueCode(e, idx(path+".extension", i))
		if s, ok := consent.ParseSigner(code); ok {
			return s
		}
		if code == "unknown" {
			return consent.SignerUnknown
		}
		m.add(CodeUnknownCode, idx(path+".extension", i)+".valueCode", "The signer role "+quote32(code)+" is unknown.")
		return consent.SignerUnknown
	}
	if p.Type == "Patient" || strings.HasPrefix(p.Reference, "Patient/") {
		return consent.SignerPatient
	}
	m.add(CodeUnknownCode, path, "The performer is not the patient and has no signer role: guardian or personal representative cannot be told.")
	return consent.SignerUnknown
}

// provision maps the root provision. It accepts a permit, or a deny whose only content is
// one nested permit (an opt-in under a base deny). Under the permit, nested deny provisions
// are accepted when each removes values of exactly one of purpose, securityLabel or actor.
func (m *mapper) provision(p *Provision, path string, c *consent.Consent) {
	m.modifiers(p.ModifierExtension, path+".modifierExtension")
	if p.Type == "deny" {
		if len(p.Provision) == 1 && p.Provision[0].Type == "permit" && p.Period == nil && len(p.Actor) == 0 &&
			len(p.Action) == 0 && len(p.SecurityLabel) == 0 && len(p.Purpose) == 0 && len(p.Class) == 0 &&
			len(p.Code) == 0 && p.DataPeriod == nil && len(p.Data) == 0 {
			m.provision(&p.Provision[0], path+".provision[0]", c)
			return
		}
		m.add(CodeProvision, path, "A deny provision that is not a base deny around one permit grants no Part 2 permission.")
		return
	}
	if p.Type != "permit" {
		m.add(CodeProvision, path+".type", "The provision type must be permit or deny.")
		return
	}
	if p.Period != nil {
		if p.Period.Start != "" {
			start := m.instant(p.Period.Start, path+".period.start", dateStart)
			if !start.IsZero() && (c.SignedAt.IsZero() || start.After(c.SignedAt)) {
				m.add(CodeUnmappable, path+".period.start", "The permission starts after the date signed; a Part 2 consent counts from its signing.")
			}
		}
		if p.Period.End != "" {
			c.Expires.At = m.instant(p.Period.End, path+".period.end", dateEndInclusive)
		}
	}
	for i := range p.Actor {
		c.Recipients = append(c.Recipients, m.actor(&p.Actor[i], idx(path+".actor", i)))
	}
	m.actions(p.Action, path+".action")
	for i, l := range p.SecurityLabel {
		if k, ok := m.label(l, path, i); ok {
			c.Information = append(c.Information, k)
		}
	}
	for i, pc := range p.Purpose {
		if pu, ok := m.purpose(pc, path, i); ok {
			c.Purposes = append(c.Purposes, pu)
		}
	}
	m.narrowing(p, path)
	for i := range p.Provision {
		m.exception(&p.Provision[i], idx(path+".provision", i), c)
	}
}

// narrowing refuses the elements that would restrict a permission in ways a Part 2 consent
// value cannot hold (which resources, which codes, which dates of data).
func (m *mapper) narrowing(p *Provision, path string) {
	if len(p.Class) > 0 {
		m.add(CodeUnmappable, path+".class", "Restricting by class cannot be held by a Part 2 consent value.")
	}
	if len(p.Code) > 0 {
		m.add(CodeUnmappable, path+".code", "Restricting by code cannot be held by a Part 2 consent value.")
	}
	if p.DataPeriod != nil {
		m.add(CodeUnmappable, path+".dataPeriod", "Restricting by the period of the data cannot be held by a Part 2 consent value.")
	}
	if len(p.Data) > 0 {
		m.add(CodeUnmappable, path+".data", "Restricting to named resources cannot be held by a Part 2 consent value.")
	}
}

func (m *mapper) actions(as []CodeableConcept, path string) {
	if len(as) == 0 {
		return
	}
	for i := range as {
		if hasCoding(&as[i], SystemConsentAction, ActionDisclose) {
			return
		}
	}
	m.add(CodeAction, path, "The permitted actions do not include disclose.")
}

func (m *mapper) actor(a *Actor, path string) consent.Recipient {
	var r consent.Recipient
	m.modifiers(a.ModifierExtension, path+".modifierExtension")
	if !hasCoding(a.Role, SystemParticipationType, RoleInformationRecipient) {
		m.add(CodeUnknownCode, path+".role", "The actor's role is not IRCP (information recipient).")
	}
	switch {
	case a.Reference == nil:
		m.add(CodeReference, path+".reference", "The actor has no reference.")
	case a.Reference.Identifier != nil && a.Reference.Identifier.System == SystemDesignation:
		code := a.Reference.Identifier.Value
		if d, ok := consent.ParseDesignation(code); ok {
			r.Designation = d
		} else if code != "unknown" {
			m.add(CodeUnknownCode, path+".reference.identifier.value", "The designation "+quote32(code)+" is unknown.")
		}
	default:
		r.ID = m.ref(a.Reference, path+".reference", "")
	}
	for i, e := range a.Extension {
		p := idx(path+".extension", i)
		if e.URL != ExtIntermediary {
			m.foreign(e, p)
			continue
		}
		m.intermediary(e, p, &r)
	}
	return r
}

// intermediary reads the intermediary extension. Intermediary is set whenever the extension
// is present: members or a member designation imply it (consent.Recipient.IsIntermediary).
func (m *mapper) intermediary(e Extension, path string, r *consent.Recipient) {
	r.Intermediary = true
	if e.ValueBoolean != nil {
		if !*e.ValueBoolean || len(e.Extension) > 0 {
			m.add(CodeExtension, path, "The intermediary extension takes valueBoolean true or sub-extensions.")
		}
		return
	}
	if e.hasValue() || len(e.Extension) == 0 {
		m.add(CodeExtension, path, "The intermediary extension takes valueBoolean true or sub-extensions.")
		return
	}
	for i, sub := range e.Extension {
		p := idx(path+".extension", i)
		switch sub.URL {
		case "member":
			switch {
			case len(sub.Extension) > 0 || (sub.ValueString == "") == (sub.ValueIdentifier == nil):
				m.add(CodeExtension, p, "\"member\" needs a valueString or a valueIdentifier.")
			case sub.ValueString != "":
				r.Members = append(r.Members, consent.Identifier{Value: sub.ValueString})
			case sub.ValueIdentifier.Value == "":
				m.add(CodeExtension, p, "\"member\" needs a valueIdentifier with a value.")
			default:
				r.Members = append(r.Members, consent.Identifier{System: sub.ValueIdentifier.System, Value: sub.ValueIdentifier.Value})
			}
		case "memberDesignation":
			if sub.ValueCode == "" || len(sub.Extension) > 0 || r.MemberDesignation != consent.DesignationUnknown {
				m.add(CodeExtension, p, "\"memberDesignation\" needs one valueCode.")
				continue
			}
			d, ok := consent.ParseDesignation(sub.ValueCode)
			if !ok {
				m.add(CodeUnknownCode, p+".valueCode", "The designation "+quote32(sub.ValueCode)+" is unknown.")
				continue
			}
			r.MemberDesignation = d
		default:
			m.add(CodeExtension, p, "Unknown intermediary part "+quote32(sub.URL)+".")
		}
	}
}

// exception maps a nested provision under the permit: a deny that removes values of
// exactly one of purpose, securityLabel or actor, and nothing else. Denied purposes and
// kinds of information are removed from the consent's lists. Denied actors become the
// consent's exclusions, whether or not the permit lists them: the patient's "not to X"
// holds however X would be reached (named, designated, as an intermediary's member, or by
// redisclosure), and an actor named here by literal reference and elsewhere by identifier
// is still excluded (an exclusion reaches every identifier that may be its party's).
func (m *mapper) exception(p *Provision, path string, c *consent.Consent) {
	m.modifiers(p.ModifierExtension, path+".modifierExtension")
	if p.Type != "deny" {
		m.add(CodeProvision, path+".type", "Only deny provisions can be nested under the permit.")
		return
	}
	dims := 0
	for _, n := range []int{len(p.Purpose), len(p.SecurityLabel), len(p.Actor)} {
		if n > 0 {
			dims++
		}
	}
	if dims != 1 || p.Period != nil || len(p.Action) > 0 || len(p.Class) > 0 || len(p.Code) > 0 ||
		p.DataPeriod != nil || len(p.Data) > 0 || len(p.Provision) > 0 {
		m.add(CodeProvision, path, "A nested deny must remove values of exactly one of purpose, securityLabel or actor, and restrict nothing else.")
		return
	}
	for i, pc := range p.Purpose {
		if pu, ok := m.purpose(pc, path, i); ok {
			c.Purposes = removeAll(c.Purposes, pu)
		}
	}
	for i, l := range p.SecurityLabel {
		if k, ok := m.label(l, path, i); ok {
			c.Information = removeAll(c.Information, k)
		}
	}
	for i := range p.Actor {
		r := m.actor(&p.Actor[i], idx(path+".actor", i))
		switch {
		case r.IsIntermediary():
			m.add(CodeProvision, idx(path+".actor", i), "A denied actor cannot carry the intermediary extension: denying it excludes the actor wherever it appears.")
		case r.Designation != consent.DesignationUnknown:
			c.Exclusions = append(c.Exclusions, consent.Exclusion{Designation: r.Designation})
		case !r.ID.IsZero():
			c.Exclusions = append(c.Exclusions, consent.Exclusion{ID: r.ID})
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
