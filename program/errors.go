package program

import (
	"errors"
	"strconv"
	"strings"

	"github.com/dyad-health/dyad/internal/ident"
	"github.com/dyad-health/dyad/internal/jsonin"
)

// Sentinel errors callers branch on with errors.Is.
var (
	// ErrInvalid is matched by every *ValidationError: the guidance, the facts or the JSON
	// input broke one or more rules.
	ErrInvalid = errors.New("program: invalid input")
	// ErrUnknownCode is matched when a stable code is not one this package knows.
	ErrUnknownCode = errors.New("program: unknown code")
)

// Problem codes of this package's own validation (the JSON reader's codes, such as
// "duplicate_key" or "unknown_field", are passed on as they are).
const (
	ProblemIdentifier        = "identifier_invalid"         // not an identifier (ident rule)
	ProblemCode              = "code_invalid"               // not a snake_case code of at most 64 bytes
	ProblemDuplicate         = "duplicate"                  // an identifier or code used twice
	ProblemMissing           = "missing"                    // a required value is absent
	ProblemUnknownCode       = "unknown_code"               // an enum value this package does not know
	ProblemOrder             = "time_order"                 // an end is not after its start
	ProblemNegative          = "negative"                   // a count of days is negative
	ProblemUnknownPartner    = "partner_unknown"            // a partnership names no partner of the directory
	ProblemUnknownCompetency = "competency_unknown"         // a competency the guidance does not define
	ProblemText              = "text_invalid"               // a citation or title too long, or not one line of printable text
	ProblemPregnancy         = "pregnancy_invalid"          // perinatal finds the pregnancy invalid
	ProblemNoMedication      = "moud_not_medication"        // an MOUD episode names no medication
	ProblemNil               = "nil_value"                  // a nil referral
	ProblemReferral          = "referral_invalid"           // the referral package refuses the referral
	ProblemNoRequirementKind = "requirement_without_kind"   // a requirement any of no kinds would satisfy
	ProblemNoMode            = "competency_without_refresh" // a competency that asks for nothing
	ProblemUnknownDyad       = "dyad_unknown"               // a sleep checklist names no dyad of the facts
	ProblemConflict          = "conflict"                   // two facts contradict each other
)

// Problem is one broken rule of an input. Code is stable API; Message is a plain sentence
// for people and may change. Path names where the problem is, e.g. "dyads[3].moud[0].end",
// never the value found there.
type Problem struct {
	Code    string `json:"code"`           // stable code, e.g. "identifier_invalid" or "unknown_field"
	Path    string `json:"path,omitempty"` // where, e.g. "dyads[3].moud[0].end"; "" for the whole input
	Message string `json:"message"`        // a plain sentence, not API
}

// ValidationError lists every problem of an input, never only the first. It matches
// ErrInvalid with errors.Is.
type ValidationError struct {
	What     string    // what was read or checked: "guidance", "facts", "facts JSON", ...
	Problems []Problem // every problem, in a deterministic order
	Omitted  int       // problems found beyond the cap of the JSON reader, not listed
}

// Error lists every problem's code and path.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("program: invalid ")
	b.WriteString(e.What)
	b.WriteString(": ")
	n := len(e.Problems) + e.Omitted
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

// Is reports whether target is ErrInvalid.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Codes returns the problems' codes in order.
func (e *ValidationError) Codes() []string {
	out := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.Code
	}
	return out
}

// problems collects Problems; its zero value is ready.
type problems struct {
	list []Problem
}

func (p *problems) add(code, path, msg string) {
	p.list = append(p.list, Problem{Code: code, Path: path, Message: msg})
}

func (p *problems) err(what string) error {
	if len(p.list) == 0 {
		return nil
	}
	return &ValidationError{What: what, Problems: p.list}
}

// id adds a problem unless s is an identifier.
func (p *problems) id(path, s string) {
	if !ident.Valid(s) {
		p.add(ProblemIdentifier, path, ident.Rule)
	}
}

// code adds a problem unless s is a snake_case code.
func (p *problems) code(path, s string) {
	if !isCode(s) {
		p.add(ProblemCode, path, "A code is 1 to 64 bytes of a-z, 0-9 and _.")
	}
}

// text adds a problem if s (a citation, title or topic written by a State, never patient
// data) is longer than 256 bytes or is not one line of printable text (ident.OneLine:
// valid UTF-8 with no control character, no Unicode line or paragraph separator such as
// NEL U+0085 or LS U+2028, no other space than the plain one, no invisible format
// character such as a bidirectional override), so that a finding written on one line
// stays one line and reads as it is.
func (p *problems) text(path, s string) {
	switch {
	case len(s) > maxText:
		p.add(ProblemText, path, "A citation or title is at most 256 bytes.")
	case !ident.OneLine(s):
		p.add(ProblemText, path, "A citation or title is one line of printable text. "+ident.OneLineRule)
	}
}

// maxText is the longest citation, title or topic, in bytes.
const maxText = 256

// isCode reports whether s is a stable snake_case code: 1 to 64 bytes of a-z, 0-9 and _.
func isCode(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// fromJSON converts the JSON reader's error into a *ValidationError.
func fromJSON(what string, err error) error {
	var je *jsonin.Error
	if !errors.As(err, &je) {
		return &ValidationError{What: what, Problems: []Problem{{Code: jsonin.CodeInvalidValue, Message: "The input cannot be read."}}}
	}
	out := &ValidationError{What: what, Omitted: je.Omitted, Problems: make([]Problem, len(je.Problems))}
	for i, q := range je.Problems {
		out.Problems[i] = Problem{Code: q.Code, Path: q.Path, Message: q.Message}
	}
	return out
}

// codeError is an unknown enum code. It matches ErrUnknownCode, and the JSON reader reports
// it as unknown_code at the value's path, without the code's text.
type codeError struct {
	kind string
	code string
}

// Error names the kind and quotes the code, bounded.
func (e *codeError) Error() string {
	return "program: unknown " + e.kind + " code " + ident.QuoteN(e.code, 32)
}

// Unwrap gives ErrUnknownCode and the JSON reader's value error.
func (e *codeError) Unwrap() []error {
	return []error{ErrUnknownCode, &jsonin.ValueError{Code: ProblemUnknownCode, Message: "Unknown " + e.kind + " code."}}
}
