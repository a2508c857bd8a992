// Package problems is the problem-list machinery that perinatal and referral share: a
// list of problems capped with a count of what was left out, the problems of
// internal/jsonin turned into list entries, and the text of a validation error.
//
// Each package keeps its own exported Problem and ValidationError types (users branch on
// them); their Problem has the shape of Problem here, so each entry converts with a plain
// type conversion.
package problems

import (
	"errors"
	"strconv"
	"strings"

	"github.com/dyad-health/dyad/internal/jsonin"
)

// DefaultMax is the most problems a list holds by default; beyond it one last entry, code
// CodeTooMany, says how many more were found.
const DefaultMax = jsonin.DefaultMaxProblems

// CodeTooMany is the code of the last entry of a list that was cut short.
const CodeTooMany = jsonin.CodeTooManyProblems

// Problem is one broken rule: a stable code, the field at fault (with indexes, such as
// "services[2].party"; never its value), the rule's citation, and a plain sentence.
type Problem struct {
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Cite    string `json:"cite,omitempty"`
	Message string `json:"message"`
}

// List accumulates problems up to a cap. The zero value holds DefaultMax problems.
type List struct {
	// Max is the most problems listed; 0 means DefaultMax.
	Max int
	// Skip holds fields whose problems are dropped as already reported (a decoder that
	// reported an unknown code at a field does not repeat the field's validation problem).
	Skip map[string]struct{}
	// Items are the problems listed, in the order found.
	Items []Problem
	// Omitted counts the problems found beyond the cap.
	Omitted int
}

func (l *List) max() int {
	if l.Max > 0 {
		return l.Max
	}
	return DefaultMax
}

// Add records a problem, or counts it as omitted when the list is full.
func (l *List) Add(code, field, cite, msg string) {
	if l.Skip != nil {
		if _, ok := l.Skip[field]; ok {
			return
		}
	}
	if len(l.Items) >= l.max() {
		l.Omitted++
		return
	}
	l.Items = append(l.Items, Problem{Code: code, Field: field, Cite: cite, Message: msg})
}

// Full reports whether any further problem would be omitted.
func (l *List) Full() bool { return len(l.Items) >= l.max() }

// Len returns how many problems were found, listed or not.
func (l *List) Len() int { return len(l.Items) + l.Omitted }

// Merge adds the problems of another list (its CodeTooMany entry aside), each field
// prefixed, and counts what it omitted.
func (l *List) Merge(prefix string, items []Problem, omitted int) {
	for _, p := range items {
		if p.Code == CodeTooMany {
			continue
		}
		f := p.Field
		if prefix != "" {
			f = Join(prefix, f)
		}
		l.Add(p.Code, f, p.Cite, p.Message)
	}
	l.Omitted += omitted
}

// Join joins a field prefix and a field: "a" and "b" make "a.b", "a" and "[2].b" make
// "a[2].b", and an empty side leaves the other.
func Join(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "":
		return prefix
	case field[0] == '[':
		return prefix + field
	}
	return prefix + "." + field
}

// AddJSON adds the problems of an error of internal/jsonin (*jsonin.Error): each with its
// code, its path as the field, and its sentence; what it omitted is counted. It reports
// whether err was such an error; any other error is not added.
func (l *List) AddJSON(err error) bool {
	var e *jsonin.Error
	if !errors.As(err, &e) {
		return false
	}
	for _, p := range e.Problems {
		if p.Code == CodeTooMany {
			continue
		}
		l.Add(p.Code, p.Path, "", p.Message)
	}
	l.Omitted += e.Omitted
	return true
}

// Final returns the problems listed, followed, when some were omitted, by one entry of
// code CodeTooMany saying how many.
func (l *List) Final() []Problem {
	if l.Omitted == 0 {
		return l.Items
	}
	return append(l.Items[:len(l.Items):len(l.Items)], Problem{Code: CodeTooMany,
		Message: strconv.Itoa(l.Omitted) + " further problems were found and not listed."})
}

// ErrorText is the text of a validation error: "<pkg>: invalid <what>: <n> problems:
// code (field); ...", n counting omitted problems too. problem returns the code and field
// of the i-th of the k problems listed (a trailing CodeTooMany entry is listed but not
// counted).
func ErrorText(pkg, what string, k, omitted int, problem func(i int) (code, field string)) string {
	n := k + omitted
	if k > 0 {
		if c, _ := problem(k - 1); c == CodeTooMany && omitted > 0 {
			n--
		}
	}
	var b strings.Builder
	b.WriteString(pkg)
	b.WriteString(": invalid ")
	b.WriteString(what)
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(n))
	if n == 1 {
		b.WriteString(" problem: ")
	} else {
		b.WriteString(" problems: ")
	}
	for i := range k {
		if i > 0 {
			b.WriteString("; ")
		}
		code, field := problem(i)
		b.WriteString(code)
		if field != "" {
			b.WriteString(" (")
			b.WriteString(field)
			b.WriteString(")")
		}
	}
	return b.String()
}
