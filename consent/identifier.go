package consent

import (
	"bytes"
	"encoding/json"

	"github.com/dyad-health/dyad/internal/ident"
	"github.com/dyad-health/dyad/internal/jsonin"
)

// Identifier names a patient or a party: a Value within an identifier System, such as
// {System: "http://hl7.org/fhir/sid/us-npi", Value: "1234567893"}. An empty System means the
// identifier was given without one (a local identifier, or a FHIR literal reference).
//
// Matching never ignores the system. A consent permits only a party it names by the same
// system and value: an identifier without a system is the same as another only when that one
// has no system either, so "us-medicare|V" never stands for "us-ssn|V" nor for "V". An
// exclusion ("not to X") is applied the other way, fail closed: it reaches every party that
// may be X, that is every identifier whose value may be X's, whatever the system, and
// whatever the case of ASCII letters and the dashes ("DR-X", "dr-x" and "drx" are one value
// to an exclusion; FHIR R4 Identifier.value: a value "may be normalized for comparison
// purposes (e.g. removing non-significant whitespace, dashes, etc.)").
//
// Both parts follow the library's one identifier rule (1 to 128 bytes of letters, digits and
// . _ - : / @ #); Consent.Problems, QSOAgreement.Problems and Engine.Decide treat an
// identifier that breaks it as missing. In JSON an Identifier is either a string (the value,
// without a system, the original form of the conformance format) or an object
// {"system": "...", "value": "..."}.
type Identifier struct {
	// System is the identifier system (a URI or an OID); empty when none was given.
	System string `json:"system,omitempty"`
	// Value is the identifier within its system.
	Value string `json:"value"`
}

// IsZero reports whether the identifier is empty.
func (id Identifier) IsZero() bool { return id == Identifier{} }

// IsValid reports whether the value, and the system if any, follow the identifier rule.
func (id Identifier) IsValid() bool {
	return validIdent(id.Value) && (id.System == "" || validIdent(id.System))
}

// validIdent is ident.Valid through a table (identByte): Decide checks the identifiers of
// every request. TestValidIdent checks it against ident.Valid on every byte in every
// position.
func validIdent(s string) bool {
	if len(s) == 0 || len(s) > ident.MaxLen {
		return false
	}
	// Without a branch per byte: identifiers are short, and almost always valid.
	ok := byte(1)
	for i := 0; i < len(s); i++ {
		ok &= identByte[s[i]]
	}
	return ok == 1
}

// identByte is ident.IsByte as a table: 1 for a byte an identifier may hold, else 0.
var identByte = func() (t [256]byte) {
	for c := range 256 {
		if ident.IsByte(byte(c)) {
			t[c] = 1
		}
	}
	return t
}()

// mayBeSame reports whether a and b may name the same party: the same value, and the same
// system or no system on either side: a QSO agreement's program and organization must not
// (2.11). Exclusions reach further: every identifier of their value, whatever the system,
// the case of letters and the dashes (mayBeExcludedValue).
func mayBeSame(a, b Identifier) bool {
	return a.Value == b.Value && (a.System == b.System || a.System == "" || b.System == "")
}

// MayBeSame reports whether a and b may name the same party, as the engine matches a
// party to a consent's named recipients and disclosers: the same value, and the same system
// or no system on either side. Code outside the engine (consent/fhir) calls it rather than
// coding the rule again. Exclusions reach further: MayBeExcluded.
func MayBeSame(a, b Identifier) bool { return mayBeSame(a, b) }

// String returns the identifier quoted for a message: "value" without a system,
// "system|value" with one (the bar cannot occur in a valid identifier). Any text is escaped
// and bounded: no identifier can forge a log line.
func (id Identifier) String() string {
	if id.System == "" {
		return ident.Quote(id.Value)
	}
	return ident.QuoteN(id.System+"|"+id.Value, 2*ident.MaxLen+1)
}

// MarshalJSON writes a bare string when there is no system, an object otherwise.
func (id Identifier) MarshalJSON() ([]byte, error) {
	if id.System == "" {
		return json.Marshal(id.Value)
	}
	type plain Identifier
	return json.Marshal(plain(id))
}

// UnmarshalJSON reads a string (a value without a system) or an object with the members
// "system" and "value" and no other.
func (id *Identifier) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return &jsonin.ValueError{Code: jsonin.CodeInvalidValue, Message: "An identifier is a string or an object with system and value."}
		}
		*id = Identifier{Value: s}
		return nil
	}
	var v struct {
		System string `json:"system"`
		Value  string `json:"value"`
	}
	if err := jsonin.Decode(data, &v, jsonin.Options{MaxDepth: 2}); err != nil {
		return &jsonin.ValueError{Code: jsonin.CodeInvalidValue, Message: "An identifier is a string or an object with system and value."}
	}
	*id = Identifier{System: v.System, Value: v.Value}
	return nil
}

// safeCode returns a reason code as it is when it is snake_case (every code of this
// package), quoted otherwise (a code read from a stored decision).
func safeCode(s string) string {
	if s == "" || len(s) > 64 {
		return ident.Quote(s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return ident.Quote(s)
		}
	}
	return s
}

// safeText returns a citation as it is when it is printable ASCII of at most 128 bytes
// (every citation of this package), quoted otherwise.
func safeText(s string) string {
	if len(s) > ident.MaxLen {
		return ident.Quote(s)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e || s[i] == '"' {
			return ident.Quote(s)
		}
	}
	return s
}

// MayBeExcluded reports whether an exclusion naming x reaches a party identified as id, as
// the engine judges exclusions (fail closed): x has a value and the values are equal once
// ASCII letters are case-folded and dashes dropped, whatever either system. A permit still
// needs the exact identifier; this is the wider reach of a "not to" only, for code outside
// the engine (consent/fhir's refusals) that must read an exclusion as the engine does.
func MayBeExcluded(x, id Identifier) bool {
	return x.Value != "" && mayBeExcludedValue(x.Value, id.Value)
}
