package perinatal

import (
	"strconv"
	"time"

	"github.com/dyad-health/dyad/internal/ident"
	"github.com/dyad-health/dyad/internal/jsonin"
)

// Helpers shared by the package's enums: every enum is a uint8 whose zero value is
// "unknown", with stable snake_case codes held in an unexported, never-written table.

func enumString(kind string, v uint8, names []string) string {
	if int(v) < len(names) {
		return names[v]
	}
	return kind + "(" + strconv.Itoa(int(v)) + ")"
}

func enumValid(v uint8, names []string) bool { return v > 0 && int(v) < len(names) }

func enumMarshal(kind string, v uint8, names []string) ([]byte, error) {
	if int(v) >= len(names) {
		return nil, &unknownCodeError{kind: kind, value: strconv.Itoa(int(v))}
	}
	return []byte(names[v]), nil
}

func enumUnmarshal(kind string, b []byte, names []string) (uint8, error) {
	for i, n := range names {
		if string(b) == n {
			return uint8(i), nil
		}
	}
	return 0, &unknownCodeError{kind: kind}
}

func itoa(i int) string { return strconv.Itoa(i) }

// checkID records a problem unless id is an identifier under the library's one rule
// (ident.Valid): missingCode (with cite) when it is empty, ProblemIdentifierInvalid
// otherwise.
// It reports whether id is an identifier.
func checkID(ps *problems, field, id, missingCode, cite, missingMsg string) bool {
	switch {
	case id == "":
		ps.add(missingCode, field, cite, missingMsg)
	case !ident.Valid(id):
		ps.add(ProblemIdentifierInvalid, field, "", ident.Rule)
	default:
		return true
	}
	return false
}

// checkTime records ProblemTimeOutOfRange unless t lies in the range every part of the
// library accepts (jsonin.TimeInRange: 1900-01-01 to 2199-12-31 UTC). t must not be zero.
func checkTime(ps *problems, field string, t time.Time) {
	if !jsonin.TimeInRange(t) {
		ps.add(ProblemTimeOutOfRange, field, "", "The time is outside the range accepted, "+jsonin.TimeRange+".")
	}
}

// Problem codes of the validations shared by several types (stable API).
const (
	// ProblemIdentifierInvalid is an identifier that breaks the library's one rule: 1 to
	// 128 bytes of ASCII letters, digits and . _ - : / @ # (no spaces, quotes or line
	// breaks, so no name or free text passes as one, and none can forge a log line).
	ProblemIdentifierInvalid = "identifier_invalid"
	// ProblemTimeOutOfRange is a time outside 1900-01-01 to 2199-12-31 (UTC): a typing
	// error or an attack, never a clinical fact (a year 20260 cannot even be written back
	// as RFC 3339).
	ProblemTimeOutOfRange = "time_out_of_range"
)
