package perinatal

import (
	"errors"
	"strconv"
	"strings"
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

// ValidationError lists every problem a validation found, never only the first.
// It matches ErrInvalid with errors.Is.
type ValidationError struct {
	What     string    // what was validated, e.g. "pregnancy", "plan of safe care"
	Problems []Problem // every problem, in a deterministic order
}

// Error lists every problem's code and field.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("perinatal: invalid ")
	b.WriteString(e.What)
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(len(e.Problems)))
	if len(e.Problems) == 1 {
		b.WriteString(" problem: ")
	} else {
		b.WriteString(" problems: ")
	}
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Code)
		if p.Field != "" {
			b.WriteString(" (")
			b.WriteString(p.Field)
			b.WriteString(")")
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

// problems accumulates Problems; err returns nil when there are none.
type problems struct {
	what string
	list []Problem
}

func (p *problems) add(code, field, cite, msg string) {
	p.list = append(p.list, Problem{Code: code, Field: field, Cite: cite, Message: msg})
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return &ValidationError{What: p.what, Problems: p.list}
}

// unknownCodeError wraps ErrUnknownCode, quoting the unknown code truncated to 32 bytes.
type unknownCodeError struct {
	kind string
	code string
}

// Error names the kind of code and quotes the unknown code, truncated to 32 bytes.
func (e *unknownCodeError) Error() string {
	return "perinatal: unknown " + e.kind + " code " + strconv.Quote(truncate(e.code, 32))
}

// Is reports whether target is ErrUnknownCode.
func (e *unknownCodeError) Is(target error) bool { return target == ErrUnknownCode }
