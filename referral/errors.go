package referral

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors callers branch on with errors.Is.
var (
	// ErrInvalid is matched by every *ValidationError: the input broke one or more rules.
	ErrInvalid = errors.New("referral: invalid input")
	// ErrUnknownCode is matched when a stable code is not one this package knows.
	ErrUnknownCode = errors.New("referral: unknown code")
	// ErrIllegalTransition is matched by a *TransitionError: the FHIR Task state machine
	// does not allow the status change asked for.
	ErrIllegalTransition = errors.New("referral: illegal status transition")
	// ErrConsentRequired is matched by a *GateError: a referral that would carry SUD
	// information has no recorded permitting consent decision (42 CFR 2.31, 2.12(c)(4)).
	ErrConsentRequired = errors.New("referral: permitting consent decision required")
	// ErrInconsistent is matched when a referral's JSON snapshot disagrees with what its
	// events rebuild.
	ErrInconsistent = errors.New("referral: snapshot disagrees with its events")
)

// Problem is one broken rule. Code is stable API; Message is a plain sentence for people and
// may change. Neither holds a patient's name, birth date or free text: Field names a field
// (with indexes, e.g. "events[2].actor"), never its value.
type Problem struct {
	Code    string `json:"code"`            // stable code, e.g. "identifier_invalid"
	Field   string `json:"field,omitempty"` // the field at fault, e.g. "draft.partner"
	Cite    string `json:"cite,omitempty"`  // the rule's citation, if any
	Message string `json:"message"`         // a plain sentence, not API
}

// ValidationError lists every problem a validation found, never only the first. It matches
// ErrInvalid with errors.Is.
type ValidationError struct {
	What     string    // what was validated, e.g. "event", "partner"
	Problems []Problem // every problem, in a deterministic order
}

// Error lists every problem's code and field.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("referral: invalid ")
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

type problems struct {
	what string
	list []Problem
}

func (p *problems) add(code, field, cite, msg string) {
	p.list = append(p.list, Problem{Code: code, Field: field, Cite: cite, Message: msg})
}

// addf is add with the field given as prefix and name, joined only when a problem is found.
func (p *problems) addf(code, prefix, name, cite, msg string) {
	p.add(code, prefix+name, cite, msg)
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return &ValidationError{What: p.what, Problems: p.list}
}

// TransitionError is an illegal status change. It matches ErrIllegalTransition.
type TransitionError struct {
	Referral string // the referral's identifier
	From, To Status // the status left and the status asked for
}

// Error names the referral and both statuses.
func (e *TransitionError) Error() string {
	return "referral " + strconv.Quote(truncate(e.Referral, 64)) + ": illegal transition " +
		e.From.String() + " -> " + e.To.String() + " (" + CiteTaskStatus + ")"
}

// Is reports whether target is ErrIllegalTransition.
func (e *TransitionError) Is(target error) bool { return target == ErrIllegalTransition }

// GateError is a refused move to requested: the consent gate's decision, with every reason.
// It matches ErrConsentRequired.
type GateError struct {
	Referral string       // the referral's identifier
	Decision GateDecision // the gate's decision, with every reason
}

// Error names the referral and the reason codes.
func (e *GateError) Error() string {
	codes := make([]string, len(e.Decision.Reasons))
	for i, r := range e.Decision.Reasons {
		codes[i] = r.Code
	}
	return "referral " + strconv.Quote(truncate(e.Referral, 64)) +
		": consent gate closed: " + strings.Join(codes, ", ")
}

// Is reports whether target is ErrConsentRequired.
func (e *GateError) Is(target error) bool { return target == ErrConsentRequired }

// codeError wraps ErrUnknownCode, quoting the unknown code truncated to 32 bytes.
type codeError struct {
	kind string
	code string
}

// Error names the kind and quotes the code, truncated.
func (e *codeError) Error() string {
	return "referral: unknown " + e.kind + " code " + strconv.Quote(truncate(e.code, 32))
}

// Is reports whether target is ErrUnknownCode.
func (e *codeError) Is(target error) bool { return target == ErrUnknownCode }

// truncate cuts s to at most n bytes, never inside a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
