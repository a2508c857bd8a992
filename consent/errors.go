package consent

import (
	"errors"
	"strconv"
	"strings"

	"github.com/dyad-health/dyad/internal/ident"
)

// Sentinel errors callers branch on with errors.Is.
var (
	// ErrInvalidConsent is matched by a *ValidationError about a consent.
	ErrInvalidConsent = errors.New("consent: invalid consent")
	// ErrInvalidAgreement is matched by a *ValidationError about a QSO agreement.
	ErrInvalidAgreement = errors.New("consent: invalid QSO agreement")
	// ErrDuplicateID is returned by Compile when two consents, or two agreements, share an ID.
	ErrDuplicateID = errors.New("consent: duplicate id")
	// ErrMissingID is returned by Compile when a consent or an agreement has no ID.
	ErrMissingID = errors.New("consent: missing id")
	// ErrInvalidID is returned by Compile when a consent's or an agreement's ID breaks the
	// identifier rule, or a consent's ID begins with "consent:" (the prefix of a basis).
	ErrInvalidID = errors.New("consent: invalid id")
)

// compileError is the error of Compile: the sentinel, what was refused and where; the ID
// is quoted.
type compileError struct {
	sentinel error
	what     string
	index    int
	id       string
}

func (e *compileError) Error() string {
	s := e.sentinel.Error() + ": " + e.what + " at index " + strconv.Itoa(e.index)
	if e.id != "" {
		s += " " + ident.Quote(e.id)
	}
	return s
}

func (e *compileError) Unwrap() error { return e.sentinel }

// Problem is one problem found by a validation. Code is stable API; Message is a plain
// sentence for people and may change. Neither ever holds a patient's name or free text.
type Problem struct {
	Code     Code     `json:"code"`
	Severity Severity `json:"severity"`
	Cite     string   `json:"cite"`
	Message  string   `json:"message"`
}

// String returns "code (cite): message".
func (p Problem) String() string {
	return string(p.Code) + " (" + p.Cite + "): " + p.Message
}

// ValidationError lists every problem a validation found, never only the first. It matches
// ErrInvalidConsent or ErrInvalidAgreement with errors.Is.
type ValidationError struct {
	What     string    // "consent" or "QSO agreement"
	ID       string    // the identifier of the value validated, if any
	Problems []Problem // every problem, errors and warnings, in a fixed order
}

// Error lists every problem's code and citation.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("consent: invalid ")
	b.WriteString(e.What)
	if e.ID != "" {
		b.WriteString(" ")
		b.WriteString(ident.Quote(e.ID))
	}
	b.WriteString(": ")
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(string(p.Code))
		if p.Severity == SeverityWarning {
			b.WriteString(" [warning]")
		}
		b.WriteString(" (")
		b.WriteString(p.Cite)
		b.WriteString(")")
	}
	return b.String()
}

// Is reports whether target is the sentinel this error matches.
func (e *ValidationError) Is(target error) bool {
	if e.What == whatAgreement {
		return target == ErrInvalidAgreement
	}
	return target == ErrInvalidConsent
}

const whatAgreement = "QSO agreement"

// quote32 quotes free text (an unknown service) cut to 32 bytes.
func quote32(s string) string { return ident.QuoteN(s, 32) }

func codeOf(v uint8, names []string) string {
	if int(v) < len(names) {
		return names[v]
	}
	return "unknown"
}

func codeIndex(s string, names []string) uint8 {
	for i := 1; i < len(names); i++ {
		if s == names[i] {
			return uint8(i)
		}
	}
	return 0
}
