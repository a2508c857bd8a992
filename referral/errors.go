package referral

import (
	"errors"
	"strconv"
	"strings"

	"github.com/dyad-health/dyad/internal/ident"
	"github.com/dyad-health/dyad/internal/jsonin"
	prob "github.com/dyad-health/dyad/internal/problems"
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

// ValidationError lists every problem a validation found, never only the first, up to a
// cap: at most 100 problems are listed (a decoder's DecodeOptions.MaxProblems), and when
// more were found the last entry, code ProblemTooMany, says how many, as Omitted does.
// It matches ErrInvalid with errors.Is.
type ValidationError struct {
	What     string    // what was validated, e.g. "event", "partner"
	Problems []Problem // every problem up to the cap, in a deterministic order
	// Omitted counts the problems found beyond the cap (0 when every one is listed).
	Omitted int
}

// Error lists every listed problem's code and field, and counts every problem found.
func (e *ValidationError) Error() string {
	return prob.ErrorText("referral", e.What, len(e.Problems), e.Omitted, func(i int) (string, string) {
		return e.Problems[i].Code, e.Problems[i].Field
	})
}

// Is reports whether target is ErrInvalid.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// As lets the library's JSON reader, when it meets a partner inside another document,
// list the partner's problems at their place in that document.
func (e *ValidationError) As(target any) bool {
	t, ok := target.(**jsonin.Error)
	if !ok {
		return false
	}
	je := &jsonin.Error{Omitted: e.Omitted}
	for _, p := range e.Problems {
		je.Problems = append(je.Problems, jsonin.Problem{Code: p.Code, Path: p.Field, Message: p.Message})
	}
	*t = je
	return true
}

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

// addf is add with the field given as prefix and name, joined only when a problem is found.
func (p *problems) addf(code, prefix, name, cite, msg string) {
	p.add(code, prefix+name, cite, msg)
}

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

// TransitionError is an illegal status change. It matches ErrIllegalTransition.
type TransitionError struct {
	Referral string // the referral's identifier
	From, To Status // the status left and the status asked for
}

// Error names the referral and both statuses.
func (e *TransitionError) Error() string {
	return "referral " + ident.Quote(e.Referral) + ": illegal transition " +
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
	return "referral " + ident.Quote(e.Referral) +
		": consent gate closed: " + strings.Join(codes, ", ")
}

// Is reports whether target is ErrConsentRequired.
func (e *GateError) Is(target error) bool { return target == ErrConsentRequired }

// codeError wraps ErrUnknownCode. It names the kind of code and never quotes the text
// that failed to decode (it may be a patient's name or a note); value, when set, is the
// package's own rendering of an out-of-range value being encoded, such as "Status(200)".
type codeError struct {
	kind  string
	value string
}

// Error names the kind, and the value only when it is the package's own.
func (e *codeError) Error() string {
	if e.value != "" {
		return "referral: unknown " + e.kind + " code " + strconv.Quote(e.value)
	}
	return "referral: unknown " + e.kind + " code"
}

// Is reports whether target is ErrUnknownCode.
func (e *codeError) Is(target error) bool { return target == ErrUnknownCode }

// As lets the library's JSON reader report an unknown code with its own problem code,
// ProblemUnknownCode, at the value's path.
func (e *codeError) As(target any) bool {
	if t, ok := target.(**jsonin.ValueError); ok {
		*t = &jsonin.ValueError{Code: ProblemUnknownCode, Message: "Unknown " + e.kind + " code."}
		return true
	}
	return false
}
