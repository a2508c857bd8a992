package priority

import (
	"errors"
	"strings"

	"github.com/dyad-health/dyad/internal/jsonin"
)

// Sentinel errors callers branch on with errors.Is.
var (
	// ErrInvalidPolicy is matched by the *ValidationError Compile and DecodePolicy return for a
	// bad policy.
	ErrInvalidPolicy = errors.New("priority: invalid policy")
	// ErrInvalidApplicant is matched by the *ValidationError returned for bad applicant facts.
	ErrInvalidApplicant = errors.New("priority: invalid applicant")
	// ErrInvalidProgram is matched by the *ValidationError returned for a program's capacity
	// that cannot be (negative beds, more people than beds) or that lacks a fact a rule needs.
	ErrInvalidProgram = errors.New("priority: invalid program")
	// ErrInvalidProgress is matched by the *ValidationError returned for what was done for a
	// person when it cannot be (an admission before the request).
	ErrInvalidProgress = errors.New("priority: invalid progress")
	// ErrInvalidEvent is matched by errors about a waitlist event that cannot be applied.
	ErrInvalidEvent = errors.New("priority: invalid event")
	// ErrInvalidInput is matched by the *ValidationError a decoder returns for input that is
	// not the format (too large, not JSON, unknown or duplicate members, trailing data).
	ErrInvalidInput = errors.New("priority: invalid input")
	// ErrDuplicateID is returned when a person is added twice while waiting (45 CFR 96.126(c)
	// requires a unique patient identifier).
	ErrDuplicateID = errors.New("priority: duplicate patient identifier")
	// ErrNotFound is returned for a patient identifier the waitlist does not hold, or a
	// program it has no occupancy for.
	ErrNotFound = errors.New("priority: not on the waitlist")
	// ErrNotWaiting is returned when a change is asked for a person who has left the list.
	ErrNotWaiting = errors.New("priority: the person is no longer waiting")
	// ErrRemovalNotAllowed is returned when the policy's removal rule does not allow removing
	// a person as unreachable yet.
	ErrRemovalNotAllowed = errors.New("priority: removal as unreachable not allowed by the policy's removal rule")
	// ErrOutOfOrder is returned for an event earlier than the waitlist's last event, or whose
	// sequence number is not the next one.
	ErrOutOfOrder = errors.New("priority: event out of order")
	// ErrFutureEvent is returned for a change dated more than the waitlist's FutureTolerance
	// after the moment its clock gives: such a date is a typing error, and accepting it would
	// refuse every later change as out of order.
	ErrFutureEvent = errors.New("priority: event dated in the future")
	// ErrPastMoment is returned when a waitlist is asked to judge a moment before its last
	// event: what was recorded since may not have held then. Use the compliance record, or
	// rebuild the list from its events up to that moment.
	ErrPastMoment = errors.New("priority: moment before the waitlist's last event")
	// ErrPolicyMismatch is returned when events, a snapshot or a saved list recorded under one
	// policy are replayed under another, which would silently re-rank everyone.
	ErrPolicyMismatch = errors.New("priority: recorded under another policy")
	// ErrBrokenChain is returned when a saved event log does not hold together: a count that
	// does not match, an event whose predecessor hash differs, a head hash that differs. It
	// means truncation or tampering.
	ErrBrokenChain = errors.New("priority: event log truncated or altered")
	// ErrCompacted is returned when events are asked for that the waitlist has dropped after
	// a snapshot (Compact).
	ErrCompacted = errors.New("priority: events compacted")
	// ErrInvalidOptions is returned by NewWaitlist for options it cannot work with.
	ErrInvalidOptions = errors.New("priority: invalid waitlist options")
)

// Problem is one thing wrong with a policy, an applicant, a program, an event or an input.
type Problem struct {
	Code string `json:"code"`           // stable machine code, e.g. "unknown_condition"
	Path string `json:"path,omitempty"` // where, as a JSON path, e.g. "tiers[2].when"
	Cite string `json:"cite,omitempty"` // the rule the problem offends, e.g. "45 CFR 96.131(a)"
	// Message is a plain sentence; it names identifiers (quoted) and codes, never a
	// patient's name or other free text from the input.
	Message string `json:"message"`
}

// ValidationError lists every problem found, never only the first (up to a cap, beyond which
// one "too_many_problems" problem says how many more there were). errors.Is matches it with
// the sentinel of what was validated (ErrInvalidPolicy, ErrInvalidApplicant, ...).
type ValidationError struct {
	Problems []Problem
	kind     error
}

// Error joins the problems' codes, paths and messages.
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
		if p.Path != "" {
			b.WriteString(" at ")
			b.WriteString(p.Path)
		}
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

// maxProblems caps the problems one validation lists.
const maxProblems = 100

type problems struct {
	list    []Problem
	omitted int
}

func (p *problems) add(code, cite, msg string) { p.addAt(code, "", cite, msg) }

func (p *problems) addAt(code, path, cite, msg string) {
	if len(p.list) >= maxProblems {
		p.omitted++
		return
	}
	p.list = append(p.list, Problem{Code: code, Path: path, Cite: cite, Message: msg})
}

func (p *problems) len() int { return len(p.list) + p.omitted }

func (p *problems) err(kind error) error {
	if len(p.list) == 0 {
		return nil
	}
	list := p.list
	if p.omitted > 0 {
		list = append(list, Problem{Code: jsonin.CodeTooManyProblems, Message: itoa(p.omitted) + " further problems were found and not listed."})
	}
	return &ValidationError{Problems: list, kind: kind}
}

// fromJSON turns the *jsonin.Error of a decoder into problems (codes and paths; jsonin's
// messages never hold input text). Any other error becomes one generic problem.
func (p *problems) fromJSON(err error) {
	if err == nil {
		return
	}
	var je *jsonin.Error
	if !errors.As(err, &je) {
		p.add(jsonin.CodeInvalidValue, "", "The input cannot be read.")
		return
	}
	for _, q := range je.Problems {
		if q.Code == jsonin.CodeTooManyProblems {
			continue
		}
		p.addAt(q.Code, q.Path, "", q.Message)
	}
	p.omitted += je.Omitted
}
