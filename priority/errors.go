package priority

import (
	"errors"
	"strings"
)

// Sentinel errors callers branch on with errors.Is.
var (
	// ErrInvalidPolicy is matched by the *ValidationError Compile returns for a bad policy.
	ErrInvalidPolicy = errors.New("priority: invalid policy")
	// ErrInvalidApplicant is matched by the *ValidationError returned for bad applicant facts.
	ErrInvalidApplicant = errors.New("priority: invalid applicant")
	// ErrInvalidEvent is matched by errors about a waitlist event that cannot be applied.
	ErrInvalidEvent = errors.New("priority: invalid event")
	// ErrDuplicateID is returned when a person is added twice (45 CFR 96.126(c) requires a
	// unique patient identifier).
	ErrDuplicateID = errors.New("priority: duplicate patient identifier")
	// ErrNotFound is returned for a patient identifier not on the waitlist.
	ErrNotFound = errors.New("priority: patient identifier not on the waitlist")
	// ErrRemovalNotAllowed is returned when the policy's removal rule does not allow removing
	// a person as unreachable yet.
	ErrRemovalNotAllowed = errors.New("priority: removal as unreachable not allowed by the policy's removal rule")
	// ErrOutOfOrder is returned for an event earlier than the waitlist's last event, or whose
	// sequence number is not the next one.
	ErrOutOfOrder = errors.New("priority: event out of order")
)

// Problem is one thing wrong with a policy, an applicant or an event.
type Problem struct {
	Code    string `json:"code"`           // stable machine code, e.g. "unknown_condition"
	Cite    string `json:"cite,omitempty"` // the rule the problem offends, e.g. "45 CFR 96.131(a)"
	Message string `json:"message"`        // a plain sentence; never a patient's name or free text
}

// ValidationError lists every problem found, never only the first. errors.Is matches it with
// the sentinel of what was validated (ErrInvalidPolicy, ErrInvalidApplicant or ErrInvalidEvent).
type ValidationError struct {
	Problems []Problem
	kind     error
}

// Error joins the problems' messages.
func (e *ValidationError) Error() string {
	var b strings.Builder
	if e.kind != nil {
		b.WriteString(e.kind.Error())
	} else {
		b.WriteString("priority: invalid")
	}
	for i, p := range e.Problems {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(p.Code)
		b.WriteString(": ")
		b.WriteString(p.Message)
	}
	return b.String()
}

// Is reports whether target is the sentinel of what was validated.
func (e *ValidationError) Is(target error) bool { return e.kind != nil && target == e.kind }

// Codes returns the problems' codes in order.
func (e *ValidationError) Codes() []string {
	out := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.Code
	}
	return out
}

type problems struct {
	list []Problem
}

func (p *problems) add(code, cite, msg string) {
	p.list = append(p.list, Problem{Code: code, Cite: cite, Message: msg})
}

func (p *problems) err(kind error) error {
	if len(p.list) == 0 {
		return nil
	}
	return &ValidationError{Problems: p.list, kind: kind}
}
