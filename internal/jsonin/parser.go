// Package jsonin is the one way the library reads JSON from outside: every decoder of every
// package goes through it, so that every decoder keeps the same promises.
//
//   - A byte limit, checked before any parsing (MaxBytes; each decoder documents its own).
//   - A nesting limit (MaxDepth), so no input can exhaust the stack.
//   - Duplicate member names rejected, case variants included ("events" and "Events" in one
//     object), so that no second copy can silently replace the first.
//   - Trailing data after the one JSON value rejected.
//   - Unknown members rejected where the format is the library's own (Decode), or skipped
//     where it is another system's (Options.AllowUnknown, or the Parser used directly).
//   - Every problem carries a stable code and a path ("tiers[2].when"), never the input's
//     text: a member name appears in a path only when it looks like a schema name (1 to 32
//     letters, digits and underscores), and values never appear at all.
//   - Every problem is listed, up to MaxProblems; beyond that one "too_many_problems" entry
//     says how many more were found.
//   - Work linear in the input: one pass, no backtracking, no quadratic checks.
//
// Parser is the low-level reader for hand-written decoders (FHIR resources); Decode fills a
// Go value by reflection for the library's own formats.
package jsonin

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Problem codes. They are stable: packages pass them on to their own error types.
const (
	CodeTooLarge        = "input_too_large"   // more bytes than the decoder accepts
	CodeEmpty           = "input_empty"       // no JSON value at all
	CodeSyntax          = "json_syntax"       // not JSON (the byte offset is in the message)
	CodeTooDeep         = "json_too_deep"     // nested deeper than MaxDepth
	CodeTrailingData    = "trailing_data"     // something after the one JSON value
	CodeDuplicateKey    = "duplicate_key"     // a member name twice in one object, any case
	CodeUnknownField    = "unknown_field"     // a member the format does not have
	CodeWrongType       = "wrong_type"        // e.g. a number where a string belongs
	CodeOutOfRange      = "out_of_range"      // a number too large for its field, or a time outside the range
	CodeInvalidValue    = "invalid_value"     // a value its type refuses (a bad time, an unknown code)
	CodeTooManyProblems = "too_many_problems" // further problems were found and not listed
)

// Defaults for Options' zero fields.
const (
	DefaultMaxBytes    = 4 << 20
	DefaultMaxDepth    = 64
	DefaultMaxProblems = 100
)

// Problem is one fault found in the input. Path names where it is, e.g. "tiers[2].when"
// ("" for the document itself); Message is a plain sentence. Neither holds input text.
type Problem struct {
	Code    string `json:"code"`
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}

// Error lists the problems of one input: every problem up to the cap, and how many more
// were found beyond it.
type Error struct {
	Problems []Problem
	// Omitted counts the problems found beyond the cap; the last entry of Problems, code
	// too_many_problems, says so as well.
	Omitted int
}

// Error lists each problem's code and path.
func (e *Error) Error() string {
	n := len(e.Problems) + e.Omitted
	if k := len(e.Problems); k > 0 && e.Problems[k-1].Code == CodeTooManyProblems {
		n-- // the too_many_problems entry is not a problem of the input
	}
	var b strings.Builder
	b.WriteString("json: ")
	b.WriteString(strconv.Itoa(n))
	if n == 1 {
		b.WriteString(" problem: ")
	} else {
		b.WriteString(" problems: ")
	}
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Code)
		if p.Path != "" {
			b.WriteString(" at ")
			b.WriteString(p.Path)
		}
	}
	return b.String()
}

// Codes returns the problems' codes in order.
func (e *Error) Codes() []string {
	out := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.Code
	}
	return out
}

// step is one step of the path being read: a member name (aliasing the input) or an index.
type step struct {
	key   []byte                          // member name; nil for an array index
	index int                             // array index
	known func(key []byte) (string, bool) // the schema's name for key, if any (ObjectKnown)
	name  int8                            // how the member name is shown: nameShape, nameShown or nameHidden
}

// How a member name appears in a path.
const (
	nameShape  int8 = iota // as known says (ObjectKnown), or when it has the shape of a schema name (SafeName)
	nameShown              // as it is (HideKey's opposite, ShowKey)
	nameHidden             // as "?"
)

// Parser reads one JSON document from a byte slice. Its methods never panic; a type or
// value problem is recorded with its path and reading goes on; a syntax error is fatal (the
// rest cannot be read reliably) and every later call returns at once. Member names are
// checked for duplicates (case variants included) in every object, whatever the caller does
// with them.
type Parser struct {
	data     []byte
	pos      int
	depth    int
	maxDepth int
	maxProbs int
	root     string
	stack    []step
	probs    []Problem
	omitted  int
	fatal    bool
	keys     []keyRef // member names of the open objects, for the duplicate check
	esc      [][]byte // the member names among keys that held escapes (not the input's bytes)

	// First backing arrays of stack and keys, allocated with the Parser: documents of a
	// usual depth and width are read without growing either slice.
	stackBuf [16]step
	keysBuf  [32]keyRef
}

// keyRef is a member name of an open object, kept without a pointer (so that recording it
// costs no write barrier): its bytes in the input (off >= 0), or, for a name that held
// escapes, its decoded bytes in Parser.esc (off = -1 - index).
type keyRef struct{ off, n int32 }

// name returns the bytes of a member name.
func (p *Parser) name(k keyRef) []byte {
	if k.off >= 0 {
		return p.data[k.off : k.off+k.n]
	}
	return p.esc[-1-k.off]
}

// Options bound a Parser or a Decode. A zero field takes its default.
type Options struct {
	MaxBytes    int    // largest input accepted, in bytes (DefaultMaxBytes)
	MaxDepth    int    // deepest nesting of objects and arrays (DefaultMaxDepth)
	MaxProblems int    // most problems listed (DefaultMaxProblems)
	Root        string // prefix of every path, e.g. "Consent" (none by default)
	// AllowUnknown makes Decode skip members the Go type does not have, for formats that
	// are other systems' (duplicates are still refused).
	AllowUnknown bool
}

func (o Options) maxBytes() int {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return DefaultMaxBytes
}

// NewParser returns a parser over data. It reports input_too_large at once, and reads
// nothing, when data is longer than the limit; input_empty when data holds no value.
func NewParser(data []byte, o Options) *Parser {
	p := &Parser{}
	p.Reset(data, o)
	return p
}

// Reset makes p a parser over data, as NewParser would return, reusing p's buffers: a
// decoder that reads many documents can keep a Parser (in a sync.Pool, say) and allocate
// nothing for it per document. The problems of an earlier document stay with the error End
// returned for it. Release drops p's references to the document once it is read.
func (p *Parser) Reset(data []byte, o Options) {
	if p.stack == nil {
		p.stack, p.keys = p.stackBuf[:0], p.keysBuf[:0]
	}
	p.data, p.pos, p.depth = data, 0, 0
	p.maxDepth, p.maxProbs, p.root = o.MaxDepth, o.MaxProblems, o.Root
	p.stack, p.keys, p.esc = p.stack[:0], p.keys[:0], p.esc[:0]
	p.probs, p.omitted, p.fatal = nil, 0, false
	if p.maxDepth <= 0 {
		p.maxDepth = DefaultMaxDepth
	}
	if p.maxProbs <= 0 {
		p.maxProbs = DefaultMaxProblems
	}
	if len(data) > o.maxBytes() {
		p.Problem(CodeTooLarge, "The input is "+strconv.Itoa(len(data))+" bytes, more than the "+strconv.Itoa(o.maxBytes())+" accepted.")
		p.fatal = true
		return
	}
	if p.Peek() == 0 {
		p.Problem(CodeEmpty, "The input holds no JSON value.")
		p.fatal = true
	}
}

// Release drops p's references to the document read and to its problems (which the error
// of End keeps), so that a pooled Parser holds no document alive.
func (p *Parser) Release() {
	clear(p.stack[:cap(p.stack)])
	clear(p.esc[:cap(p.esc)])
	p.stack, p.keys, p.esc = p.stack[:0], p.keys[:0], p.esc[:0]
	p.data, p.probs, p.root = nil, nil, ""
}

// Fatal reports whether reading has stopped (a syntax error, a limit).
func (p *Parser) Fatal() bool { return p.fatal }

// Failed reports whether any problem was recorded.
func (p *Parser) Failed() bool { return len(p.probs) > 0 }

// End checks that nothing but white space follows the value read, and returns the problems
// found as an *Error, or nil.
func (p *Parser) End() error {
	if !p.fatal && p.Peek() != 0 {
		p.stack = p.stack[:0]
		p.Problem(CodeTrailingData, "Something follows the JSON value, at byte offset "+strconv.Itoa(p.pos)+".")
	}
	if len(p.probs) == 0 {
		return nil
	}
	e := &Error{Problems: p.probs, Omitted: p.omitted}
	if p.omitted > 0 {
		e.Problems = append(e.Problems, Problem{Code: CodeTooManyProblems, Path: "", Message: strconv.Itoa(p.omitted) + " further problems were found and not listed."})
	}
	return e
}

// Path renders the current path, e.g. "tiers[2].when".
func (p *Parser) Path() string {
	var b strings.Builder
	b.WriteString(p.root)
	for _, s := range p.stack {
		if s.key == nil {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		switch {
		case s.name == nameShown:
			b.Write(s.key)
		case s.name == nameHidden:
			b.WriteByte('?')
		case s.known != nil:
			if name, ok := s.known(s.key); ok {
				b.WriteString(name)
			} else {
				b.WriteByte('?')
			}
		default:
			b.WriteString(SafeName(s.key))
		}
	}
	return b.String()
}

// Problem records a problem at the current path. msg must not hold input text.
func (p *Parser) Problem(code, msg string) {
	if len(p.probs) >= p.maxProbs {
		p.omitted++
		return
	}
	p.probs = append(p.probs, Problem{Code: code, Path: p.Path(), Message: msg})
}

// Nested records the problems of e, found in the value at the current path (by a decoder
// that read that value on its own), each at the current path joined with its own path, up
// to the cap; e's too_many_problems entry is not repeated, and what e omitted counts as
// omitted here. e's paths must not hold input text (those of Decode never do).
func (p *Parser) Nested(e *Error) {
	if e == nil {
		return
	}
	base := p.Path()
	for _, q := range e.Problems {
		if q.Code == CodeTooManyProblems {
			continue
		}
		if len(p.probs) >= p.maxProbs {
			p.omitted++
			continue
		}
		path := base
		switch {
		case q.Path == "":
		case base == "" || q.Path[0] == '[':
			path += q.Path
		default:
			path += "." + q.Path
		}
		p.probs = append(p.probs, Problem{Code: q.Code, Path: path, Message: q.Message})
	}
	p.omitted += e.Omitted
}

// SafeName returns a member name fit for a path: a name of 1 to 32 ASCII letters, digits and
// underscores (the shape of every schema name) as it is, anything else as "?", so that no
// input text reaches a message through a path.
func SafeName(key []byte) string {
	if len(key) == 0 || len(key) > 32 {
		return "?"
	}
	for _, c := range key {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return "?"
		}
	}
	return string(key)
}

func (p *Parser) syntax(msg string) {
	if p.fatal {
		return
	}
	p.fatal = true
	p.Problem(CodeSyntax, msg+" at byte offset "+strconv.Itoa(p.pos)+".")
}

func (p *Parser) ws() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// Peek returns the first byte of the next value (after white space), or 0 at the end.
func (p *Parser) Peek() byte {
	p.ws()
	if p.pos < len(p.data) {
		return p.data[p.pos]
	}
	return 0
}

// Offset returns the byte offset of the next unread byte.
func (p *Parser) Offset() int { return p.pos }

// Kind names the JSON type of the next value: "object", "array", "string", "number",
// "boolean", "null", or "" at the end or on bad input.
func (p *Parser) Kind() string {
	switch c := p.Peek(); {
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == '"':
		return "string"
	case c == 't' || c == 'f':
		return "boolean"
	case c == 'n':
		return "null"
	case c == '-' || c >= '0' && c <= '9':
		return "number"
	}
	return ""
}

// Object reads an object, calling f with each member's name; f must consume the member's
// value (Skip, if it does not want it). A member whose name repeats an earlier one of the
// object (in any letter case) is recorded as duplicate_key and skipped without calling f.
// Object reports false (with a wrong_type problem) when the value is not an object. In the
// paths of problems, a member name appears when it has the shape of a schema name (SafeName);
// ObjectKnown is stricter.
func (p *Parser) Object(f func(key []byte)) bool {
	return p.object(nil, f)
}

// ObjectKnown is Object for a decoder that knows its schema: in the paths of problems, a
// member appears by the name known gives for it (the schema's own name, e.g. the one a
// case variant stands for) and as "?" when known does not know it (a name the input made up,
// however it is shaped), so that no input text reaches a path. known is called only when a
// path is written.
func (p *Parser) ObjectKnown(known func(key []byte) (string, bool), f func(key []byte)) bool {
	return p.object(known, f)
}

// HideKey makes the innermost member name of the current path appear as "?" in the paths of
// problems recorded from now on inside that member (a map key, say, which is data).
func (p *Parser) HideKey() {
	if n := len(p.stack); n > 0 && p.stack[n-1].key != nil {
		p.stack[n-1].name = nameHidden
	}
}

// ShowKey makes the innermost member name of the current path appear as it is (a map key
// its type accepted as one of its codes, say).
func (p *Parser) ShowKey() {
	if n := len(p.stack); n > 0 && p.stack[n-1].key != nil {
		p.stack[n-1].name = nameShown
	}
}

// noName is the schema of a value read only to be skipped, or of a map: it knows no name.
func noName([]byte) (string, bool) { return "", false }

func (p *Parser) object(known func(key []byte) (string, bool), f func(key []byte)) bool {
	if p.fatal {
		return false
	}
	if c := p.Peek(); c != '{' {
		if c == 0 {
			p.syntax("Unexpected end of input")
			return false
		}
		p.Problem(CodeWrongType, "Expected a JSON object, found "+p.kindArticle()+".")
		p.Skip()
		return false
	}
	if p.depth >= p.maxDepth {
		p.Problem(CodeTooDeep, "The JSON nesting is deeper than "+strconv.Itoa(p.maxDepth)+".")
		p.fatal = true
		return false
	}
	p.depth++
	p.pos++
	base, escBase := len(p.keys), len(p.esc)
	var seen map[string]struct{} // folded names, once an object has many members
	defer func() { p.keys, p.esc = p.keys[:base], p.esc[:escBase] }()
	first := true
	for !p.fatal {
		c := p.Peek()
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
			c = p.Peek()
		}
		first = false
		if c != '"' {
			p.syntax("Expected a member name")
			return false
		}
		start := p.pos + 1
		key, ok := p.String()
		if !ok {
			return false
		}
		kr := keyRef{int32(start), int32(len(key))}
		if len(key) != p.pos-1-start { // escapes: the decoded name is not the input's bytes
			p.esc = append(p.esc, key)
			kr.off = -int32(len(p.esc))
		}
		if p.Peek() != ':' {
			p.syntax("Expected ':'")
			return false
		}
		p.pos++
		p.stack = append(p.stack, step{key: key, known: known})
		if p.duplicate(kr, key, base, &seen) {
			p.Problem(CodeDuplicateKey, "The member appears more than once in its object (letter case aside); no copy is taken.")
			p.Skip()
		} else {
			f(key)
		}
		p.stack = p.stack[:len(p.stack)-1]
	}
	return false
}

// duplicate records key among the open object's names and reports whether an equal name
// (ASCII letter case aside) was there already. Up to 16 names are compared one by one;
// beyond that a map of folded names keeps the check linear.
func (p *Parser) duplicate(kr keyRef, key []byte, base int, seen *map[string]struct{}) bool {
	names := p.keys[base:]
	if *seen == nil && len(names) < 16 {
		for _, k := range names {
			if k.n == kr.n && foldEqual(p.name(k), key) {
				return true
			}
		}
		p.keys = append(p.keys, kr)
		return false
	}
	if *seen == nil {
		*seen = make(map[string]struct{}, 32)
		for _, k := range names {
			(*seen)[fold(p.name(k))] = struct{}{}
		}
	}
	f := fold(key)
	if _, ok := (*seen)[f]; ok {
		return true
	}
	(*seen)[f] = struct{}{}
	return false
}

func foldEqual(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		if y >= 'A' && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func fold(b []byte) string {
	return strings.ToLower(string(b))
}

// Array reads an array, calling f with each element's index; f must consume the element.
// It reports false (with a wrong_type problem) when the value is not an array.
func (p *Parser) Array(f func(i int)) bool {
	if p.fatal {
		return false
	}
	if c := p.Peek(); c != '[' {
		if c == 0 {
			p.syntax("Unexpected end of input")
			return false
		}
		p.Problem(CodeWrongType, "Expected a JSON array, found "+p.kindArticle()+".")
		p.Skip()
		return false
	}
	if p.depth >= p.maxDepth {
		p.Problem(CodeTooDeep, "The JSON nesting is deeper than "+strconv.Itoa(p.maxDepth)+".")
		p.fatal = true
		return false
	}
	p.depth++
	p.pos++
	for i := 0; !p.fatal; i++ {
		c := p.Peek()
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

func (p *Parser) kindArticle() string {
	switch k := p.Kind(); k {
	case "":
		return "something else"
	case "array", "object":
		return "an " + k
	default:
		return "a " + k
	}
}

// String reads a JSON string at the next value and returns its decoded bytes (aliasing the
// input when the string has no escapes). The caller must have checked that the next value is
// a string (Peek() == '"'); anything else is a syntax error.
func (p *Parser) String() ([]byte, bool) {
	if p.fatal {
		return nil, false
	}
	if p.Peek() != '"' {
		p.syntax("Expected a string")
		return nil, false
	}
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

func (p *Parser) escapedString(start int) ([]byte, bool) {
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

func (p *Parser) hex4() (rune, bool) {
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

// Skip consumes one value of any type, checking it all the same (syntax, depth, duplicate
// member names).
func (p *Parser) Skip() {
	if p.fatal {
		return
	}
	switch c := p.Peek(); {
	case c == '{':
		p.object(noName, func([]byte) { p.Skip() })
	case c == '[':
		p.Array(func(int) { p.Skip() })
	case c == '"':
		p.String()
	case c == 't':
		p.literal("true")
	case c == 'f':
		p.literal("false")
	case c == 'n':
		p.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		p.Number()
	case c == 0:
		p.syntax("Unexpected end of input")
	default:
		p.syntax("Unexpected character")
	}
}

// Raw consumes one value and returns its bytes as they are in the input (aliasing it).
func (p *Parser) Raw() ([]byte, bool) {
	if p.fatal {
		return nil, false
	}
	p.ws()
	start := p.pos
	n := len(p.probs) + p.omitted
	p.Skip()
	if p.fatal || len(p.probs)+p.omitted != n {
		return nil, false
	}
	return p.data[start:p.pos], true
}

// Null consumes a null if one is next and reports whether it did.
func (p *Parser) Null() bool {
	if p.Peek() == 'n' {
		return p.literal("null")
	}
	return false
}

// Bool reads true or false; anything else is a wrong_type problem (and is skipped).
func (p *Parser) Bool() (v, ok bool) {
	switch p.Peek() {
	case 't':
		return true, p.literal("true")
	case 'f':
		return false, p.literal("false")
	}
	p.Problem(CodeWrongType, "Expected true or false, found "+p.kindArticle()+".")
	p.Skip()
	return false, false
}

func (p *Parser) literal(lit string) bool {
	if len(p.data)-p.pos >= len(lit) && string(p.data[p.pos:p.pos+len(lit)]) == lit {
		p.pos += len(lit)
		return true
	}
	p.syntax("Invalid literal")
	return false
}

// Number reads a number and returns its text (aliasing the input), checked against the JSON
// grammar. The caller must have checked that a number is next.
func (p *Parser) Number() ([]byte, bool) {
	if p.fatal {
		return nil, false
	}
	p.ws()
	start := p.pos
	d := p.data
	i := p.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	default:
		p.pos = i
		p.syntax("Invalid number")
		return nil, false
	}
	if i < len(d) && d[i] == '.' {
		i++
		j := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		if i == j {
			p.pos = i
			p.syntax("Invalid number")
			return nil, false
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		j := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		if i == j {
			p.pos = i
			p.syntax("Invalid number")
			return nil, false
		}
	}
	p.pos = i
	return d[start:i], true
}
