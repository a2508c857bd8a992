package fhir

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
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

// pathElem is one step of a JSON path, linked to its parent. It is rendered into a string
// only when a problem is reported, so the happy path builds no strings.
type pathElem struct {
	parent *pathElem
	name   string // element name; "" for an array index
	index  int
}

func (e *pathElem) String() string {
	var steps [MaxDepth + 2]*pathElem
	n := 0
	for s := e; s != nil && n < len(steps); s = s.parent {
		steps[n] = s
		n++
	}
	var b strings.Builder
	for i := n - 1; i >= 0; i-- {
		s := steps[i]
		if s.name == "" {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.name)
	}
	return b.String()
}

// parser is a small JSON reader specialised for the structs of this package. It never
// panics, reports every type or element problem with its path and goes on, and stops at the
// first syntax error (the rest of the text cannot be read reliably).
type parser struct {
	data  []byte
	pos   int
	depth int
	probs []Problem
	fatal bool
}

func (p *parser) problem(code ProblemCode, path *pathElem, msg string) {
	if len(p.probs) > MaxProblems {
		return
	}
	if len(p.probs) == MaxProblems {
		p.probs = append(p.probs, Problem{Code: CodeTooManyProblems, Path: path.String(), Message: "Further problems were found and not listed."})
		return
	}
	p.probs = append(p.probs, Problem{Code: code, Path: path.String(), Message: msg})
}

func (p *parser) syntax(path *pathElem, msg string) {
	if p.fatal {
		return
	}
	p.fatal = true
	p.problem(CodeSyntax, path, msg+" at byte offset "+strconv.Itoa(p.pos)+".")
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
func (p *parser) object(path *pathElem, f func(key []byte, path *pathElem)) bool {
	if p.fatal {
		return false
	}
	if c := p.peek(); c != '{' {
		if c == 0 {
			p.syntax(path, "Unexpected end of input")
			return false
		}
		p.problem(CodeWrongType, path, "Expected a JSON object.")
		p.skip(path)
		return false
	}
	if p.depth >= MaxDepth {
		p.problem(CodeTooDeep, path, "The JSON nesting is deeper than allowed.")
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
				p.syntax(path, "Expected ',' or '}'")
				return false
			}
			p.pos++
			c = p.peek()
		}
		first = false
		if c != '"' {
			p.syntax(path, "Expected a member name")
			return false
		}
		key, ok := p.rawString(path)
		if !ok {
			return false
		}
		if p.peek() != ':' {
			p.syntax(path, "Expected ':'")
			return false
		}
		p.pos++
		child := pathElem{parent: path, name: safeName(key)}
		f(key, &child)
	}
	return false
}

// array reads an array, calling f for each element; f must consume the element.
func (p *parser) array(path *pathElem, f func(i int, path *pathElem)) bool {
	if p.fatal {
		return false
	}
	if c := p.peek(); c != '[' {
		if c == 0 {
			p.syntax(path, "Unexpected end of input")
			return false
		}
		p.problem(CodeWrongType, path, "Expected a JSON array.")
		p.skip(path)
		return false
	}
	if p.depth >= MaxDepth {
		p.problem(CodeTooDeep, path, "The JSON nesting is deeper than allowed.")
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
				p.syntax(path, "Expected ',' or ']'")
				return false
			}
			p.pos++
		}
		child := pathElem{parent: path, index: i}
		f(i, &child)
	}
	return false
}

// safeName returns a member name fit for a path: known names pass as they are, others are
// quoted and truncated to 32 bytes.
func safeName(key []byte) string {
	if len(key) > 0 && len(key) <= 32 {
		plain := true
		for _, c := range key {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
				plain = false
				break
			}
		}
		if plain {
			return string(key)
		}
	}
	return quote32(string(key))
}

// quote32 quotes a value truncated to 32 bytes, for messages about unknown codes.
func quote32(s string) string {
	if len(s) > 32 {
		s = s[:32]
	}
	return strconv.Quote(strings.ToValidUTF8(s, ""))
}

// rawString reads a JSON string and returns its decoded bytes. Without escapes the bytes
// alias the input.
func (p *parser) rawString(path *pathElem) ([]byte, bool) {
	p.pos++ // opening quote
	start := p.pos
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			s := p.data[start:p.pos]
			p.pos++
			return s, true
		case c == '\\':
			return p.escapedString(path, start)
		case c < 0x20:
			p.syntax(path, "Control character in string")
			return nil, false
		}
		p.pos++
	}
	p.syntax(path, "Unterminated string")
	return nil, false
}

func (p *parser) escapedString(path *pathElem, start int) ([]byte, bool) {
	out := make([]byte, 0, p.pos-start+16)
	out = append(out, p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return out, true
		case c < 0x20:
			p.syntax(path, "Control character in string")
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
				p.syntax(path, "Bad \\u escape")
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
			p.syntax(path, "Bad escape")
			return nil, false
		}
	}
	p.syntax(path, "Unterminated string")
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
func (p *parser) skip(path *pathElem) {
	if p.fatal {
		return
	}
	switch c := p.peek(); {
	case c == '{':
		p.object(path, func(_ []byte, child *pathElem) { p.skip(child) })
	case c == '[':
		p.array(path, func(_ int, child *pathElem) { p.skip(child) })
	case c == '"':
		p.rawString(path)
	case c == 't':
		p.literal(path, "true")
	case c == 'f':
		p.literal(path, "false")
	case c == 'n':
		p.literal(path, "null")
	case c == '-' || c >= '0' && c <= '9':
		p.number(path)
	case c == 0:
		p.syntax(path, "Unexpected end of input")
	default:
		p.syntax(path, "Unexpected character")
	}
}

func (p *parser) literal(path *pathElem, lit string) bool {
	if len(p.data)-p.pos >= len(lit) && string(p.data[p.pos:p.pos+len(lit)]) == lit {
		p.pos += len(lit)
		return true
	}
	p.syntax(path, "Invalid literal")
	return false
}

func (p *parser) number(path *pathElem) {
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
		p.syntax(path, "Invalid number")
	}
}

// str reads a string into dst, reporting a duplicate when dst is already set.
func (p *parser) str(dst *string, path *pathElem) {
	if p.fatal {
		return
	}
	c := p.peek()
	if c != '"' {
		if c == 0 {
			p.syntax(path, "Unexpected end of input")
			return
		}
		p.problem(CodeWrongType, path, "Expected a JSON string.")
		p.skip(path)
		return
	}
	b, ok := p.rawString(path)
	if !ok {
		return
	}
	if *dst != "" {
		p.problem(CodeDuplicate, path, "The element appears more than once.")
		return
	}
	if len(b) == 0 {
		p.problem(CodeEmptyValue, path, "FHIR does not allow empty strings.")
		return
	}
	*dst = string(b)
}

// boolean reads true or false into dst.
func (p *parser) boolean(dst **bool, path *pathElem) {
	if p.fatal {
		return
	}
	var v bool
	switch p.peek() {
	case 't':
		if !p.literal(path, "true") {
			return
		}
		v = true
	case 'f':
		if !p.literal(path, "false") {
			return
		}
	case 0:
		p.syntax(path, "Unexpected end of input")
		return
	default:
		p.problem(CodeWrongType, path, "Expected true or false.")
		p.skip(path)
		return
	}
	if *dst != nil {
		p.problem(CodeDuplicate, path, "The element appears more than once.")
		return
	}
	*dst = &v
}

// raw keeps a copy of the value's JSON text.
func (p *parser) raw(dst *json.RawMessage, path *pathElem) {
	p.ws()
	start := p.pos
	p.skip(path)
	if p.fatal {
		return
	}
	if *dst != nil {
		p.problem(CodeDuplicate, path, "The element appears more than once.")
		return
	}
	*dst = append(json.RawMessage(nil), p.data[start:p.pos]...)
}

// unknown reports a member this package does not know and skips its value. FHIR primitive
// extensions ("_name") are skipped without a problem: they carry no Part 2 element.
func (p *parser) unknown(key []byte, path *pathElem) {
	if len(key) > 1 && key[0] == '_' {
		p.skip(path)
		return
	}
	p.problem(CodeUnknownElement, path, "The element is not part of FHIR R4 Consent as this package reads it.")
	p.skip(path)
}

func list[T any](p *parser, dst *[]T, path *pathElem, f func(*parser, *T, *pathElem)) {
	if *dst != nil {
		p.problem(CodeDuplicate, path, "The element appears more than once.")
		var ignore []T
		dst = &ignore
	}
	p.array(path, func(_ int, child *pathElem) {
		var zero T
		*dst = append(*dst, zero)
		f(p, &(*dst)[len(*dst)-1], child)
	})
	if *dst == nil {
		*dst = []T{}
	}
}

func one[T any](p *parser, dst **T, path *pathElem, f func(*parser, *T, *pathElem)) {
	v := new(T)
	f(p, v, path)
	if *dst != nil {
		p.problem(CodeDuplicate, path, "The element appears more than once.")
		return
	}
	*dst = v
}

func strList(p *parser, dst *[]string, path *pathElem) {
	list(p, dst, path, func(p *parser, s *string, path *pathElem) { p.str(s, path) })
}

func decCoding(p *parser, c *Coding, path *pathElem) {
	p.object(path, func(k []byte, path *pathElem) {
		switch string(k) {
		case "extension":
			list(p, &c.Extension, path, decExtension)
		case "system":
			p.str(&c.System, path)
		case "version":
			p.str(&c.Version, path)
		case "code":
			p.str(&c.Code, path)
		case "display":
			p.str(&c.Display, path)
		case "userSelected":
			p.boolean(&c.UserSelected, path)
		case "id":
			p.skip(path)
		default:
			p.unknown(k, path)
		}
	})
}

func decConcept(p *parser, c *CodeableConcept, path *pathElem) {
	p.object(path, func(k []byte, path *pathElem) {
		switch string(k) {
		case "extension":
			list(p, &c.Extension, path, decExtension)
		case "coding":
			list(p, &c.Coding, path, decCoding)
		case "text":
			p.str(&c.Text, path)
		case "id":
			p.skip(path)
		default:
			p.unknown(k, path)
		}
	})
}

func decIdentifier(p *parser, id *Identifier, path *pathElem) {
	p.object(path, func(k []byte, path *pathElem) {
		switch string(k) {
		case "extension":
			list(p, &id.Extension, path, decExtension)
		case "use":
			p.str(&id.Use, path)
		case "type":
			one(p, &id.Type, path, decConcept)
		case "system":
			p.str(&id.System, path)
		case "value":
			p.str(&id.Value, path)
		case "period":
			one(p, &id.Period, path, decPeriod)
		case "assigner":
			p.raw(&id.Assigner, path)
		case "id":
			p.skip(path)
		default:
			p.unknown(k, path)
		}
	})
}

func decReference(p *parser, r *Reference, path *pathElem) {
	p.object(path, func(k []byte, path *pathElem) {
		switch string(k) {
		case "extension":
			list(p, &r.Extension, path, decExtension)
		case "reference":
			p.str(&r.Reference, path)
		case "type":
			p.str(&r.Type, path)
		case "identifier":
			one(p, &r.Identifier, path, decIdentifier)
		case "display":
			p.str(&r.Display, path)
		case "id":
			p.skip(path)
		default:
			p.unknown(k, path)
		}
	})
}

func decPeriod(p *parser, v *Period, path *pathElem) {
	p.object(path, func(k []byte, path *pathElem) {
		switch string(k) {
		case "extension":
			list(p, &v.Extension, path, decExtension)
		case "start":
			p.str(&v.Start, path)
		case "end":
			p.str(&v.End, path)
		case "id":
			p.skip(path)
		default:
			p.unknown(k, path)
		}
	})
}

func decExtension(p *parser, e *Extension, path *pathElem) {
	p.object(path, func(k []byte, path *pathElem) {
		switch string(k) {
		case "url":
			p.str(&e.URL, path)
		case "extension":
			list(p, &e.Extension, path, decExtension)
		case "valueBoolean":
			p.boolean(&e.ValueBoolean, path)
		case "valueCode":
			p.str(&e.ValueCode, path)
		case "valueString":
			p.str(&e.ValueString, path)
		case "valueDateTime":
			p.str(&e.ValueDateTime, path)
		case "valueCoding":
			one(p, &e.ValueCoding, path, decCoding)
		case "valueUri":
			p.str(&e.ValueUri, path)
		case "id":
			p.skip(path)
		default:
			if len(k) > 5 && string(k[:5]) == "value" {
				// Another value[x] type: kept as a marker, so an extension of ours with
				// a wrong type is refused while a foreign one may be ignored.
				e.otherValue = true
				p.skip(path)
				return
			}
			p.unknown(k, path)
		}
	})
}

func decMeta(p *parser, m *Meta, path *pathElem) {
	p.object(path, func(k []byte, path *pathElem) {
		switch string(k) {
		case "extension":
			list(p, &m.Extension, path, decExtension)
		case "versionId":
			p.str(&m.VersionID, path)
		case "lastUpdated":
			p.str(&m.LastUpdated, path)
		case "source":
			p.str(&m.Source, path)
		case "profile":
			strList(p, &m.Profile, path)
		case "security":
			list(p, &m.Security, path, decCoding)
		case "tag":
			list(p, &m.Tag, path, decCoding)
		case "id":
			p.skip(path)
		default:
			p.unknown(k, path)
		}
	})
}

func decPolicy(p *parser, v *Policy, path *pathElem) {
	p.object(path, func(k []byte, path *pathElem) {
		switch string(k) {
		case "extension":
			list(p, &v.Extension, path, decExtension)
		case "modifierExtension":
			list(p, &v.ModifierExtension, path, decExtension)
		case "authority":
			p.str(&v.Authority, path)
		case "uri":
			p.str(&v.URI, path)
		case "id":
			p.skip(path)
		default:
			p.unknown(k, path)
		}
	})
}

func decActor(p *parser, a *Actor, path *pathElem) {
	p.object(path, func(k []byte, path *pathElem) {
		switch string(k) {
		case "extension":
			list(p, &a.Extension, path, decExtension)
		case "modifierExtension":
			list(p, &a.ModifierExtension, path, decExtension)
		case "role":
			one(p, &a.Role, path, decConcept)
		case "reference":
			one(p, &a.Reference, path, decReference)
		case "id":
			p.skip(path)
		default:
			p.unknown(k, path)
		}
	})
}

func decData(p *parser, d *Data, path *pathElem) {
	p.object(path, func(k []byte, path *pathElem) {
		switch string(k) {
		case "extension":
			list(p, &d.Extension, path, decExtension)
		case "modifierExtension":
			list(p, &d.ModifierExtension, path, decExtension)
		case "meaning":
			p.str(&d.Meaning, path)
		case "reference":
			one(p, &d.Reference, path, decReference)
		case "id":
			p.skip(path)
		default:
			p.unknown(k, path)
		}
	})
}

func decProvision(p *parser, v *Provision, path *pathElem) {
	p.provisionDepth(v, path, 1)
}

func (p *parser) provisionDepth(v *Provision, path *pathElem, depth int) {
	if depth > MaxProvisionDepth {
		p.problem(CodeTooDeep, path, "Provisions are nested deeper than allowed.")
		p.skip(path)
		return
	}
	p.object(path, func(k []byte, path *pathElem) {
		switch string(k) {
		case "extension":
			list(p, &v.Extension, path, decExtension)
		case "modifierExtension":
			list(p, &v.ModifierExtension, path, decExtension)
		case "type":
			p.str(&v.Type, path)
		case "period":
			one(p, &v.Period, path, decPeriod)
		case "actor":
			list(p, &v.Actor, path, decActor)
		case "action":
			list(p, &v.Action, path, decConcept)
		case "securityLabel":
			list(p, &v.SecurityLabel, path, decCoding)
		case "purpose":
			list(p, &v.Purpose, path, decCoding)
		case "class":
			list(p, &v.Class, path, decCoding)
		case "code":
			list(p, &v.Code, path, decConcept)
		case "dataPeriod":
			one(p, &v.DataPeriod, path, decPeriod)
		case "data":
			list(p, &v.Data, path, decData)
		case "provision":
			list(p, &v.Provision, path, func(p *parser, c *Provision, path *pathElem) {
				p.provisionDepth(c, path, depth+1)
			})
		case "id":
			p.skip(path)
		default:
			p.unknown(k, path)
		}
	})
}

func decConsent(p *parser, c *Consent, path *pathElem) {
	p.object(path, func(k []byte, path *pathElem) {
		switch string(k) {
		case "resourceType":
			p.str(&c.ResourceType, path)
		case "id":
			p.str(&c.ID, path)
		case "meta":
			one(p, &c.Meta, path, decMeta)
		case "implicitRules":
			p.str(&c.ImplicitRules, path)
		case "language":
			p.str(&c.Language, path)
		case "text":
			p.raw(&c.Text, path)
		case "contained":
			list(p, &c.Contained, path, func(p *parser, r *json.RawMessage, path *pathElem) { p.raw(r, path) })
		case "extension":
			list(p, &c.Extension, path, decExtension)
		case "modifierExtension":
			list(p, &c.ModifierExtension, path, decExtension)
		case "identifier":
			list(p, &c.Identifier, path, decIdentifier)
		case "status":
			p.str(&c.Status, path)
		case "scope":
			one(p, &c.Scope, path, decConcept)
		case "category":
			list(p, &c.Category, path, decConcept)
		case "patient":
			one(p, &c.Patient, path, decReference)
		case "dateTime":
			p.str(&c.DateTime, path)
		case "performer":
			list(p, &c.Performer, path, decReference)
		case "organization":
			list(p, &c.Organization, path, decReference)
		case "sourceAttachment":
			p.raw(&c.SourceAttachment, path)
		case "sourceReference":
			one(p, &c.SourceReference, path, decReference)
		case "policy":
			list(p, &c.Policy, path, decPolicy)
		case "policyRule":
			one(p, &c.PolicyRule, path, decConcept)
		case "verification":
			p.raw(&c.Verification, path)
		case "provision":
			one(p, &c.Provision, path, decProvision)
		default:
			p.unknown(k, path)
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
	p := parser{data: data}
	root := pathElem{name: "Consent"}
	var c Consent
	decConsent(&p, &c, &root)
	if !p.fatal {
		if p.peek() != 0 {
			p.syntax(&root, "Unexpected data after the resource")
		}
	}
	if len(p.probs) > 0 {
		return nil, &MappingError{Problems: p.probs}
	}
	return &c, nil
}
