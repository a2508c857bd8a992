package fhir

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dyad-health/dyad/internal/jsonin"
)

// Limits that bound the work and memory of a decode, whatever the input.
const (
	// MaxResourceBytes is the largest Consent resource Parse and Decode accept (ErrTooLarge).
	MaxResourceBytes = 1 << 20
	// MaxDepth is the deepest JSON nesting accepted.
	MaxDepth = 64
	// MaxProvisionDepth is the deepest provision nesting accepted.
	MaxProvisionDepth = 8
	// MaxProblems is the most problems one error lists; a further problem is summarised as
	// one "too_many_problems" entry.
	MaxProblems = 100
)

// step is one step of the JSON path being read: a member name (aliasing the input) or an
// array index. The path is rendered into a string only when a problem is reported, so the
// happy path builds no strings.
type step struct {
	key   []byte // member name; nil for an array index
	index int
}

// parser is a small JSON reader specialised for the structs of this package. It never
// panics, reports every type or element problem with its path and goes on, and stops at the
// first syntax error (the rest of the text cannot be read reliably).
type parser struct {
	data  []byte
	pos   int
	depth int
	stack []step
	probs []Problem
	fatal bool
}

// pathString renders the current path, e.g. Consent.provision.purpose[1].code.
func (p *parser) pathString() string {
	var b strings.Builder
	b.WriteString("Consent")
	for _, s := range p.stack {
		if s.key == nil {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
			continue
		}
		b.WriteByte('.')
		b.WriteString(safeName(s.key))
	}
	return b.String()
}

func (p *parser) problem(code ProblemCode, msg string) {
	if len(p.probs) > MaxProblems {
		return
	}
	if len(p.probs) == MaxProblems {
		p.probs = append(p.probs, Problem{Code: CodeTooManyProblems, Path: p.pathString(), Message: "Further problems were found and not listed."})
		return
	}
	p.probs = append(p.probs, Problem{Code: code, Path: p.pathString(), Message: msg})
}

func (p *parser) syntax(msg string) {
	if p.fatal {
		return
	}
	p.fatal = true
	p.problem(CodeSyntax, msg+" at byte offset "+strconv.Itoa(p.pos)+".")
}

func (p *parser) ws() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end.
func (p *parser) peek() byte {
	p.ws()
	if p.pos < len(p.data) {
		return p.data[p.pos]
	}
	return 0
}

// object reads an object, calling f for each member; f must consume the member's value.
// It reports false (with a problem) when the value is not an object.
func (p *parser) object(f func(key []byte)) bool {
	if p.fatal {
		return false
	}
	if c := p.peek(); c != '{' {
		if c == 0 {
			p.syntax("Unexpected end of input")
			return false
		}
		p.problem(CodeWrongType, "Expected a JSON object.")
		p.skip()
		return false
	}
	if p.depth >= MaxDepth {
		p.problem(CodeTooDeep, "The JSON nesting is deeper than allowed.")
		p.fatal = true
		return false
	}
	p.depth++
	p.pos++
	first := true
	for !p.fatal {
		c := p.peek()
		if c == '}' {
			p.pos++
			p.depth--
			return true
		}
		if !first {
			if c != ',' {
				p.syntax("Expected ',' or '}'")
				return false
			}
			p.pos++
			c = p.peek()
		}
		first = false
		if c != '"' {
			p.syntax("Expected a member name")
			return false
		}
		key, ok := p.rawString()
		if !ok {
			return false
		}
		if p.peek() != ':' {
			p.syntax("Expected ':'")
			return false
		}
		p.pos++
		p.stack = append(p.stack, step{key: key})
		f(key)
		p.stack = p.stack[:len(p.stack)-1]
	}
	return false
}

// array reads an array, calling f for each element; f must consume the element.
func (p *parser) array(f func(i int)) bool {
	if p.fatal {
		return false
	}
	if c := p.peek(); c != '[' {
		if c == 0 {
			p.syntax("Unexpected end of input")
			return false
		}
		p.problem(CodeWrongType, "Expected a JSON array.")
		p.skip()
		return false
	}
	if p.depth >= MaxDepth {
		p.problem(CodeTooDeep, "The JSON nesting is deeper than allowed.")
		p.fatal = true
		return false
	}
	p.depth++
	p.pos++
	for i := 0; !p.fatal; i++ {
		c := p.peek()
		if c == ']' {
			p.pos++
			p.depth--
			return true
		}
		if i > 0 {
			if c != ',' {
				p.syntax("Expected ',' or ']'")
				return false
			}
			p.pos++
		}
		p.stack = append(p.stack, step{index: i})
		f(i)
		p.stack = p.stack[:len(p.stack)-1]
	}
	return false
}

// safeName returns a member name fit for a path, as internal/jsonin writes it: a plain name
// (letters, digits, underscores, at most 32 bytes) as it is, any other as "?", so that no
// input text (a key holding a name or a date) reaches an error.
func safeName(key []byte) string { return jsonin.SafeName(key) }

// quote32 quotes a value truncated to 32 bytes, for messages about unknown codes.
func quote32(s string) string {
	if len(s) > 32 {
		s = s[:32]
	}
	return strconv.Quote(strings.ToValidUTF8(s, ""))
}

// rawString reads a JSON string and returns its decoded bytes. Without escapes the bytes
// alias the input.
func (p *parser) rawString() ([]byte, bool) {
	p.pos++ // opening quote
	start := p.pos
	high := false
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			s := p.data[start:p.pos]
			p.pos++
			if high && !utf8.Valid(s) {
				p.syntax("Invalid UTF-8 in string")
				return nil, false
			}
			return s, true
		case c >= 0x80:
			high = true
		case c == '\\':
			return p.escapedString(start)
		case c < 0x20:
			p.syntax("Control character in string")
			return nil, false
		}
		p.pos++
	}
	p.syntax("Unterminated string")
	return nil, false
}

func (p *parser) escapedString(start int) ([]byte, bool) {
	out := make([]byte, 0, p.pos-start+16)
	out = append(out, p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			if !utf8.Valid(out) {
				p.syntax("Invalid UTF-8 in string")
				return nil, false
			}
			return out, true
		case c < 0x20:
			p.syntax("Control character in string")
			return nil, false
		case c != '\\':
			out = append(out, c)
			p.pos++
			continue
		}
		if p.pos+1 >= len(p.data) {
			break
		}
		e := p.data[p.pos+1]
		p.pos += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				p.syntax("Bad \\u escape")
				return nil, false
			}
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
					p.pos += 2
					if x, ok := p.hex4(); ok {
						r2 = x
					}
				}
				r = utf16.DecodeRune(r, r2)
			}
			out = utf8.AppendRune(out, r)
		default:
			p.syntax("Bad escape")
			return nil, false
		}
	}
	p.syntax("Unterminated string")
	return nil, false
}

func (p *parser) hex4() (rune, bool) {
	if p.pos+4 > len(p.data) {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.pos : p.pos+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}

// skip consumes one value of any type.
func (p *parser) skip() {
	if p.fatal {
		return
	}
	switch c := p.peek(); {
	case c == '{':
		p.object(func([]byte) { p.skip() })
	case c == '[':
		p.array(func(int) { p.skip() })
	case c == '"':
		p.rawString()
	case c == 't':
		p.literal("true")
	case c == 'f':
		p.literal("false")
	case c == 'n':
		p.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		p.number()
	case c == 0:
		p.syntax("Unexpected end of input")
	default:
		p.syntax("Unexpected character")
	}
}

func (p *parser) literal(lit string) bool {
	if len(p.data)-p.pos >= len(lit) && string(p.data[p.pos:p.pos+len(lit)]) == lit {
		p.pos += len(lit)
		return true
	}
	p.syntax("Invalid literal")
	return false
}

func (p *parser) number() {
	start := p.pos
	if p.pos < len(p.data) && p.data[p.pos] == '-' {
		p.pos++
	}
	digits := 0
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' {
			p.pos++
			digits++
			continue
		}
		break
	}
	if digits == 0 || !json.Valid(p.data[start:p.pos]) {
		p.syntax("Invalid number")
	}
}

// str reads a string into dst, reporting a duplicate when dst is already set.
func (p *parser) str(dst *string) {
	if p.fatal {
		return
	}
	c := p.peek()
	if c != '"' {
		if c == 0 {
			p.syntax("Unexpected end of input")
			return
		}
		p.problem(CodeWrongType, "Expected a JSON string.")
		p.skip()
		return
	}
	b, ok := p.rawString()
	if !ok {
		return
	}
	if *dst != "" {
		p.problem(CodeDuplicate, "The element appears more than once.")
		return
	}
	if len(b) == 0 {
		p.problem(CodeEmptyValue, "FHIR does not allow empty strings.")
		return
	}
	*dst = intern(b)
}

// intern returns the strings that recur in consent resources without allocating.
func intern(b []byte) string {
	switch string(b) {
	case SystemActReason:
		return SystemActReason
	case SystemActCode:
		return SystemActCode
	case SystemConfidentiality:
		return SystemConfidentiality
	case SystemConsentScope:
		return SystemConsentScope
	case SystemConsentAction:
		return SystemConsentAction
	case SystemParticipationType:
		return SystemParticipationType
	case SystemLOINC:
		return SystemLOINC
	case SystemPurpose:
		return SystemPurpose
	case SystemInformation:
		return SystemInformation
	case SystemDesignation:
		return SystemDesignation
	case ExtKind:
		return ExtKind
	case ExtInformationDescription:
		return ExtInformationDescription
	case ExtStatements:
		return ExtStatements
	case ExtExpiration:
		return ExtExpiration
	case ExtSignerRole:
		return ExtSignerRole
	case ExtIntermediary:
		return ExtIntermediary
	case ExtKnownFalse:
		return ExtKnownFalse
	case Part2PolicyURI:
		return Part2PolicyURI
	case Part2PolicyAuthority:
		return Part2PolicyAuthority
	case "Consent":
		return "Consent"
	case "active":
		return "active"
	case "inactive":
		return "inactive"
	case "permit":
		return "permit"
	case "deny":
		return "deny"
	case "Patient":
		return "Patient"
	case "Organization":
		return "Organization"
	case "Group":
		return "Group"
	case "RelatedPerson":
		return "RelatedPerson"
	case "patient-privacy":
		return "patient-privacy"
	case "Privacy Consent":
		return "Privacy Consent"
	case "disclose":
		return "disclose"
	case "Disclose":
		return "Disclose"
	case "IRCP":
		return "IRCP"
	case "information recipient":
		return "information recipient"
	case "revocation":
		return "revocation"
	case "redisclosure":
		return "redisclosure"
	case "refusalConsequences":
		return "refusalConsequences"
	case "none":
		return "none"
	case "event":
		return "event"
	case "occurredAt":
		return "occurredAt"
	case "member":
		return "member"
	case "memberDesignation":
		return "memberDesignation"
	case "TREAT":
		return "TREAT"
	case "HPAYMT":
		return "HPAYMT"
	case "HOPERAT":
		return "HOPERAT"
	case "PATRQT":
		return "PATRQT"
	case "ETREAT":
		return "ETREAT"
	case "HRESCH":
		return "HRESCH"
	case "PUBHLTH":
		return "PUBHLTH"
	case "HLEGAL":
		return "HLEGAL"
	case "COC":
		return "COC"
	case "treatment":
		return "treatment"
	case "healthcare payment":
		return "healthcare payment"
	case "healthcare operations":
		return "healthcare operations"
	case "legal":
		return "legal"
	case "SUD":
		return "SUD"
	case "ETH":
		return "ETH"
	case "42CFRPart2":
		return "42CFRPart2"
	case "42 CFR Part2":
		return "42 CFR Part2"
	case "42CFRPart2CD":
		return "42CFRPart2CD"
	case "42 CFR Part 2 consent directive":
		return "42 CFR Part 2 consent directive"
	case "64292-6":
		return "64292-6"
	case "59284-0":
		return "59284-0"
	case "Release of information consent":
		return "Release of information consent"
	case "substance use disorder information sensitivity":
		return "substance use disorder information sensitivity"
	case "general":
		return "general"
	case "tpo":
		return "tpo"
	case "counseling_notes":
		return "counseling_notes"
	case "proceedings":
		return "proceedings"
	case "research":
		return "research"
	case "unknown":
		return "unknown"
	case "treating_providers":
		return "treating_providers"
	case "health_plans":
		return "health_plans"
	case "third_party_payers":
		return "third_party_payers"
	case "program_operations":
		return "program_operations"
	case "patient":
		return "patient"
	case "guardian":
		return "guardian"
	case "personal_representative":
		return "personal_representative"
	case "sud_records":
		return "sud_records"
	case "patient_identity":
		return "patient_identity"
	}
	return string(b)
}

// boolean reads true or false into dst.
func (p *parser) boolean(dst **bool) {
	if p.fatal {
		return
	}
	var v bool
	switch p.peek() {
	case 't':
		if !p.literal("true") {
			return
		}
		v = true
	case 'f':
		if !p.literal("false") {
			return
		}
	case 0:
		p.syntax("Unexpected end of input")
		return
	default:
		p.problem(CodeWrongType, "Expected true or false.")
		p.skip()
		return
	}
	if *dst != nil {
		p.problem(CodeDuplicate, "The element appears more than once.")
		return
	}
	*dst = &v
}

// raw keeps a copy of the value's JSON text.
func (p *parser) raw(dst *json.RawMessage) {
	p.ws()
	start := p.pos
	p.skip()
	if p.fatal {
		return
	}
	if *dst != nil {
		p.problem(CodeDuplicate, "The element appears more than once.")
		return
	}
	*dst = append(json.RawMessage(nil), p.data[start:p.pos]...)
}

// unknown reports a member this package does not know and skips its value. FHIR primitive
// extensions ("_name") are skipped without a problem: they carry no Part 2 element.
func (p *parser) unknown(key []byte) {
	if len(key) > 1 && key[0] == '_' {
		p.skip()
		return
	}
	p.problem(CodeUnknownElement, "The element is not part of FHIR R4 Consent as this package reads it.")
	p.skip()
}

func list[T any](p *parser, dst *[]T, f func(*parser, *T)) {
	if *dst != nil {
		p.problem(CodeDuplicate, "The element appears more than once.")
		var ignore []T
		dst = &ignore
	}
	p.array(func(int) {
		var zero T
		*dst = append(*dst, zero)
		f(p, &(*dst)[len(*dst)-1])
	})
	if *dst == nil {
		*dst = []T{}
	}
}

func one[T any](p *parser, dst **T, f func(*parser, *T)) {
	v := new(T)
	f(p, v)
	if *dst != nil {
		p.problem(CodeDuplicate, "The element appears more than once.")
		return
	}
	*dst = v
}

func strList(p *parser, dst *[]string) {
	list(p, dst, func(p *parser, s *string) { p.str(s) })
}

func decCoding(p *parser, c *Coding) {
	p.object(func(k []byte) {
		switch string(k) {
		case "extension":
			list(p, &c.Extension, decExtension)
		case "system":
			p.str(&c.System)
		case "version":
			p.str(&c.Version)
		case "code":
			p.str(&c.Code)
		case "display":
			p.str(&c.Display)
		case "userSelected":
			p.boolean(&c.UserSelected)
		case "id":
			p.skip()
		default:
			p.unknown(k)
		}
	})
}

func decConcept(p *parser, c *CodeableConcept) {
	p.object(func(k []byte) {
		switch string(k) {
		case "extension":
			list(p, &c.Extension, decExtension)
		case "coding":
			list(p, &c.Coding, decCoding)
		case "text":
			p.str(&c.Text)
		case "id":
			p.skip()
		default:
			p.unknown(k)
		}
	})
}

func decIdentifier(p *parser, id *Identifier) {
	p.object(func(k []byte) {
		switch string(k) {
		case "extension":
			list(p, &id.Extension, decExtension)
		case "use":
			p.str(&id.Use)
		case "type":
			one(p, &id.Type, decConcept)
		case "system":
			p.str(&id.System)
		case "value":
			p.str(&id.Value)
		case "period":
			one(p, &id.Period, decPeriod)
		case "assigner":
			p.raw(&id.Assigner)
		case "id":
			p.skip()
		default:
			p.unknown(k)
		}
	})
}

func decReference(p *parser, r *Reference) {
	p.object(func(k []byte) {
		switch string(k) {
		case "extension":
			list(p, &r.Extension, decExtension)
		case "reference":
			p.str(&r.Reference)
		case "type":
			p.str(&r.Type)
		case "identifier":
			one(p, &r.Identifier, decIdentifier)
		case "display":
			p.str(&r.Display)
		case "id":
			p.skip()
		default:
			p.unknown(k)
		}
	})
}

func decPeriod(p *parser, v *Period) {
	p.object(func(k []byte) {
		switch string(k) {
		case "extension":
			list(p, &v.Extension, decExtension)
		case "start":
			p.str(&v.Start)
		case "end":
			p.str(&v.End)
		case "id":
			p.skip()
		default:
			p.unknown(k)
		}
	})
}

func decExtension(p *parser, e *Extension) {
	p.object(func(k []byte) {
		switch string(k) {
		case "url":
			p.str(&e.URL)
		case "extension":
			list(p, &e.Extension, decExtension)
		case "valueBoolean":
			p.boolean(&e.ValueBoolean)
		case "valueCode":
			p.str(&e.ValueCode)
		case "valueString":
			p.str(&e.ValueString)
		case "valueDateTime":
			p.str(&e.ValueDateTime)
		case "valueCoding":
			one(p, &e.ValueCoding, decCoding)
		case "valueUri":
			p.str(&e.ValueUri)
		case "valueIdentifier":
			one(p, &e.ValueIdentifier, decIdentifier)
		case "id":
			p.skip()
		default:
			if len(k) > 5 && string(k[:5]) == "value" {
				// Another value[x] type: kept as a marker, so an extension of ours with
				// a wrong type is refused while a foreign one may be ignored.
				e.otherValue = true
				p.skip()
				return
			}
			p.unknown(k)
		}
	})
}

func decMeta(p *parser, m *Meta) {
	p.object(func(k []byte) {
		switch string(k) {
		case "extension":
			list(p, &m.Extension, decExtension)
		case "versionId":
			p.str(&m.VersionID)
		case "lastUpdated":
			p.str(&m.LastUpdated)
		case "source":
			p.str(&m.Source)
		case "profile":
			strList(p, &m.Profile)
		case "security":
			list(p, &m.Security, decCoding)
		case "tag":
			list(p, &m.Tag, decCoding)
		case "id":
			p.skip()
		default:
			p.unknown(k)
		}
	})
}

func decPolicy(p *parser, v *Policy) {
	p.object(func(k []byte) {
		switch string(k) {
		case "extension":
			list(p, &v.Extension, decExtension)
		case "modifierExtension":
			list(p, &v.ModifierExtension, decExtension)
		case "authority":
			p.str(&v.Authority)
		case "uri":
			p.str(&v.URI)
		case "id":
			p.skip()
		default:
			p.unknown(k)
		}
	})
}

func decActor(p *parser, a *Actor) {
	p.object(func(k []byte) {
		switch string(k) {
		case "extension":
			list(p, &a.Extension, decExtension)
		case "modifierExtension":
			list(p, &a.ModifierExtension, decExtension)
		case "role":
			one(p, &a.Role, decConcept)
		case "reference":
			one(p, &a.Reference, decReference)
		case "id":
			p.skip()
		default:
			p.unknown(k)
		}
	})
}

func decData(p *parser, d *Data) {
	p.object(func(k []byte) {
		switch string(k) {
		case "extension":
			list(p, &d.Extension, decExtension)
		case "modifierExtension":
			list(p, &d.ModifierExtension, decExtension)
		case "meaning":
			p.str(&d.Meaning)
		case "reference":
			one(p, &d.Reference, decReference)
		case "id":
			p.skip()
		default:
			p.unknown(k)
		}
	})
}

func decProvision(p *parser, v *Provision) {
	p.provisionDepth(v, 1)
}

func (p *parser) provisionDepth(v *Provision, depth int) {
	if depth > MaxProvisionDepth {
		p.problem(CodeTooDeep, "Provisions are nested deeper than allowed.")
		p.skip()
		return
	}
	p.object(func(k []byte) {
		switch string(k) {
		case "extension":
			list(p, &v.Extension, decExtension)
		case "modifierExtension":
			list(p, &v.ModifierExtension, decExtension)
		case "type":
			p.str(&v.Type)
		case "period":
			one(p, &v.Period, decPeriod)
		case "actor":
			list(p, &v.Actor, decActor)
		case "action":
			list(p, &v.Action, decConcept)
		case "securityLabel":
			list(p, &v.SecurityLabel, decCoding)
		case "purpose":
			list(p, &v.Purpose, decCoding)
		case "class":
			list(p, &v.Class, decCoding)
		case "code":
			list(p, &v.Code, decConcept)
		case "dataPeriod":
			one(p, &v.DataPeriod, decPeriod)
		case "data":
			list(p, &v.Data, decData)
		case "provision":
			list(p, &v.Provision, func(p *parser, c *Provision) {
				p.provisionDepth(c, depth+1)
			})
		case "id":
			p.skip()
		default:
			p.unknown(k)
		}
	})
}

func decConsent(p *parser, c *Consent) {
	p.object(func(k []byte) {
		switch string(k) {
		case "resourceType":
			p.str(&c.ResourceType)
		case "id":
			p.str(&c.ID)
		case "meta":
			one(p, &c.Meta, decMeta)
		case "implicitRules":
			p.str(&c.ImplicitRules)
		case "language":
			p.str(&c.Language)
		case "text":
			p.raw(&c.Text)
		case "contained":
			list(p, &c.Contained, func(p *parser, r *json.RawMessage) { p.raw(r) })
		case "extension":
			list(p, &c.Extension, decExtension)
		case "modifierExtension":
			list(p, &c.ModifierExtension, decExtension)
		case "identifier":
			list(p, &c.Identifier, decIdentifier)
		case "status":
			p.str(&c.Status)
		case "scope":
			one(p, &c.Scope, decConcept)
		case "category":
			list(p, &c.Category, decConcept)
		case "patient":
			one(p, &c.Patient, decReference)
		case "dateTime":
			p.str(&c.DateTime)
		case "performer":
			list(p, &c.Performer, decReference)
		case "organization":
			list(p, &c.Organization, decReference)
		case "sourceAttachment":
			p.raw(&c.SourceAttachment)
		case "sourceReference":
			one(p, &c.SourceReference, decReference)
		case "policy":
			list(p, &c.Policy, decPolicy)
		case "policyRule":
			one(p, &c.PolicyRule, decConcept)
		case "verification":
			p.raw(&c.Verification)
		case "provision":
			one(p, &c.Provision, decProvision)
		default:
			p.unknown(k)
		}
	})
}

// Parse reads a FHIR R4 Consent resource in JSON. It checks the JSON form only (syntax,
// element names and types, duplicates, nesting and size limits); Decode also maps it.
// The error, if any, is a *MappingError listing every problem with its JSON path.
func Parse(data []byte) (*Consent, error) {
	if len(data) > MaxResourceBytes {
		return nil, &MappingError{Problems: []Problem{{Code: CodeTooLarge, Path: "Consent", Message: "The resource is larger than MaxResourceBytes."}}}
	}
	p := parser{data: data, stack: make([]step, 0, 16)}
	var c Consent
	decConsent(&p, &c)
	if !p.fatal {
		if p.peek() != 0 {
			p.syntax("Unexpected data after the resource")
		}
	}
	if len(p.probs) > 0 {
		return nil, &MappingError{Problems: p.probs}
	}
	return &c, nil
}
