package priority

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/dyad-health/dyad/internal/jsonin"
)

// Citations is an ordered list of citations, such as "45 CFR 96.131(a)(1)"; every answer of
// the package (a Classification, an Obligation) carries its citations as this one type. It
// is a comparable value (the citations joined by "; "), so a Classification stays comparable
// and classifying allocates nothing; in JSON it is a list of strings.
type Citations string

// citeSep joins citations; no citation may contain it.
const citeSep = "; "

// NewCitations returns the list of the given citations, in order.
func NewCitations(cites ...string) Citations { return Citations(strings.Join(cites, citeSep)) }

// List returns the citations as a new slice (nil when there are none).
func (c Citations) List() []string {
	if c == "" {
		return nil
	}
	return strings.Split(string(c), citeSep)
}

// Len returns the number of citations.
func (c Citations) Len() int {
	if c == "" {
		return 0
	}
	return strings.Count(string(c), citeSep) + 1
}

// First returns the first citation, or "".
func (c Citations) First() string {
	s, _, _ := strings.Cut(string(c), citeSep)
	return s
}

// Has reports whether cite is one of the citations.
func (c Citations) Has(cite string) bool {
	if cite == "" {
		return false
	}
	return slices.Contains(c.List(), cite)
}

// String returns the citations joined by "; ".
func (c Citations) String() string { return string(c) }

// MarshalJSON encodes the citations as a JSON list of strings.
func (c Citations) MarshalJSON() ([]byte, error) {
	l := c.List()
	if l == nil {
		l = []string{}
	}
	return json.Marshal(l)
}

// UnmarshalJSON decodes a JSON list of strings (strictly, through the package's one reader).
func (c *Citations) UnmarshalJSON(b []byte) error {
	var l []string
	if err := jsonin.Decode(b, &l, jsonin.Options{}); err != nil {
		return &jsonin.ValueError{Code: jsonin.CodeInvalidValue, Message: "Expected a list of citations (strings)."}
	}
	for _, s := range l {
		if s == "" || strings.Contains(s, citeSep) {
			return &jsonin.ValueError{Code: jsonin.CodeInvalidValue, Message: "A citation is empty or holds \"; \"."}
		}
	}
	*c = NewCitations(l...)
	return nil
}
