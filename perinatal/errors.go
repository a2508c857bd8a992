package perinatal

import (
	"errors"
	"strconv"

	"github.com/dyad-health/dyad/internal/jsonin"
	prob "github.com/dyad-health/dyad/internal/problems"
)

// Sentinel errors callers branch on with errors.Is.
var (
	// ErrInvalid is matched by every *ValidationError: the input broke one or more rules.
	ErrInvalid = errors.New("perinatal: invalid input")
	// ErrUnknownCode is matched when a stable code (an enum's text form, a clinical code)
	// is not one this package knows.
	ErrUnknownCode = errors.New("perinatal: unknown code")
	// ErrBeforePregnancy is returned when a gestational age is asked for a moment before
	// the pregnancy's dating origin (the first day of the last menstrual period).
	ErrBeforePregnancy = errors.New("perinatal: moment is before the pregnancy began")
	// ErrDelivered is returned when a gestational age is asked for a moment after delivery:
	// delivery ends the pregnancy.
	ErrDelivered = errors.New("perinatal: pregnancy ended by delivery before this moment")
	// ErrNotDelivered is returned when a delivery fact is asked of an undelivered pregnancy.
	ErrNotDelivered = errors.New("perinatal: pregnancy not delivered")
)

// Problem is one broken rule found by a validation. Code is stable API; Message is a plain
// sentence for people and may change. Neither ever holds a patient's name, birth date or
// free text: Field names a field (with indexes, e.g. "services[2].party"), never its value.
type Problem struct {
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Cite    string `json:"cite,omitempty"`
	Message string `json:"message"`
}

// ValidationError lists every problem a validation found, never only the first, up to a
// cap: at most 100 problems are listed (a decoder's DecodeOptions.MaxProblems), and when
// more were found the last entry, code ProblemTooMany, says how many, as Omitted does.
// It matches ErrInvalid with errors.Is.
type ValidationError struct {
	What     string    // what was validated, e.g. "pregnancy", "plan of safe care"
	Problems []Problem // every problem up to the cap, in a deterministic order
	// Omitted counts the problems found beyond the cap (0 when every one is listed).
	Omitted int
}

// Error lists every listed problem's code and field, and counts every problem found.
func (e *ValidationError) Error() string {
	return prob.ErrorText("perinatal", e.What, len(e.Problems), e.Omitted, func(i int) (string, string) {
		return e.Problems[i].Code, e.Problems[i].Field
	})
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

// problems accumulates Problems up to the cap; err returns nil when there are none.
type problems struct {
	what string
	prob.List
}

func (p *problems) add(code, field, cite, msg string) { p.List.Add(code, field, cite, msg) }

// merge adds the problems of another validation, each field prefixed.
func (p *problems) merge(prefix string, ve *ValidationError) {
	for _, q := range ve.Problems {
		if q.Code == ProblemTooMany {
			continue
		}
		p.add(q.Code, prob.Join(prefix, q.Field), q.Cite, q.Message)
	}
	p.Omitted += ve.Omitted
}

func (p *problems) err() error {
	if p.Len() == 0 {
		return nil
	}
	items := p.Final()
	out := make([]Problem, len(items))
	for i, q := range items {
		out[i] = Problem(q)
	}
	return &ValidationError{What: p.what, Problems: out, Omitted: p.Omitted}
}

// unknownCodeError wraps ErrUnknownCode. It names the kind of code and never quotes the
// text that failed to decode (it may be a patient's name or a note); value, when set, is
// the package's own rendering of an out-of-range value being encoded, such as "7".
type unknownCodeError struct {
	kind  string
	value string
}

// Error names the kind of code, and the value only when it is the package's own.
func (e *unknownCodeError) Error() string {
	if e.value != "" {
		return "perinatal: unknown " + e.kind + " code " + strconv.Quote(e.value)
	}
	return "perinatal: unknown " + e.kind + " code"
}

// Is reports whether target is ErrUnknownCode.
func (e *unknownCodeError) Is(target error) bool { return target == ErrUnknownCode }

// As lets the library's JSON reader report an unknown code with its own problem code,
// ProblemUnknownCode, at the value's path.
func (e *unknownCodeError) As(target any) bool {
	if t, ok := target.(**jsonin.ValueError); ok {
		*t = &jsonin.ValueError{Code: ProblemUnknownCode, Message: "Unknown " + e.kind + " code."}
		return true
	}
	return false
}
