package fhir

import (
	"errors"
	"strings"
)

// Sentinel errors callers branch on with errors.Is.
var (
	// ErrUnmappable is matched by every *MappingError: the resource (or the consent, when
	// encoding) cannot be mapped without losing or inventing a Part 2 element.
	ErrUnmappable = errors.New("fhir: consent cannot be mapped")
	// ErrInvalidJSON is matched by a *MappingError that holds a syntax problem: the input is
	// not JSON, or not the JSON of a FHIR resource.
	ErrInvalidJSON = errors.New("fhir: invalid JSON")
	// ErrTooLarge is matched by a *MappingError about an input larger than MaxResourceBytes.
	ErrTooLarge = errors.New("fhir: resource too large")
)

// ProblemCode is the stable machine code of a mapping problem. Codes are API; messages are
// for people and may change.
type ProblemCode string

// Problem codes. The first group is found while reading JSON, the second while mapping.
const (
	CodeSyntax          ProblemCode = "syntax"            // not JSON; the reading stopped here
	CodeTooLarge        ProblemCode = "too_large"         // more than MaxResourceBytes
	CodeTooDeep         ProblemCode = "too_deep"          // nesting beyond MaxDepth or MaxProvisionDepth
	CodeUnknownElement  ProblemCode = "unknown_element"   // a member FHIR R4 Consent does not have
	CodeWrongType       ProblemCode = "wrong_type"        // a value of the wrong JSON type
	CodeDuplicate       ProblemCode = "duplicate_element" // the same member twice in an object
	CodeEmptyValue      ProblemCode = "empty_value"       // an empty string, which FHIR forbids
	CodeTooManyProblems ProblemCode = "too_many_problems" // more than MaxProblems problems

	CodeNotConsent        ProblemCode = "not_consent"             // resourceType is not "Consent"
	CodeStatus            ProblemCode = "status_not_mappable"     // a status without a Part 2 meaning
	CodeScope             ProblemCode = "scope_not_privacy"       // scope is missing or not patient-privacy
	CodeNotPart2          ProblemCode = "not_part2"               // nothing marks the consent as a Part 2 consent
	CodeModifierExtension ProblemCode = "modifier_extension"      // a modifier extension, which may not be ignored
	CodeUnknownCode       ProblemCode = "unknown_code"            // a code (purpose, label, role, ...) with no mapping
	CodeUnmappable        ProblemCode = "unmappable_element"      // an element that would narrow the consent in a way Part 2 values cannot hold
	CodeReference         ProblemCode = "unreadable_reference"    // a reference with neither an identifier nor a literal id
	CodeExtension         ProblemCode = "bad_extension"           // an extension of this package with a wrong shape
	CodeDate              ProblemCode = "bad_date"                // a dateTime that is invalid or less precise than a day
	CodeAction            ProblemCode = "action_not_disclose"     // the actions do not include disclosure
	CodeProvision         ProblemCode = "unmappable_provision"    // a provision tree with no exact Part 2 equivalent
	CodeConflict          ProblemCode = "conflicting_elements"    // two elements that contradict each other
	CodeRecipient         ProblemCode = "recipient_not_encodable" // a recipient both named and designated
	CodeInvalidID         ProblemCode = "invalid_id"              // an id outside FHIR's [A-Za-z0-9\-\.]{1,64}
	CodeNotArray          ProblemCode = "not_an_array"            // one value where FHIR wants an array (read as a list of one by Read)
	CodeMixedVersions     ProblemCode = "mixed_versions"          // elements of both R4 and R5 Consent in one resource
	CodeDenyWidened       ProblemCode = "deny_widened"            // a deny read wider than its text (Read): an actor excluded entirely, a purpose or kind removed, nothing granted
	CodeGrantsNothing     ProblemCode = "grants_nothing"          // the consent grants no Part 2 permission (Read); what it denies still counts
)

// Problem is one mapping problem: a stable code, the path of the element (a FHIRPath-like
// JSON path such as "Consent.provision.purpose[1]", or a path into the consent value when
// encoding) and a plain sentence. It never holds free text from the resource; an unknown
// code is quoted truncated to 32 bytes.
type Problem struct {
	// Code is the stable machine code.
	Code ProblemCode `json:"code"`
	// Path locates the element.
	Path string `json:"path"`
	// Message is a plain sentence for people.
	Message string `json:"message"`
}

// String returns "path: code: message".
func (p Problem) String() string {
	return p.Path + ": " + string(p.Code) + ": " + p.Message
}

// MappingError lists every problem found, never only the first. It matches ErrUnmappable,
// and also ErrInvalidJSON or ErrTooLarge when it holds such a problem.
type MappingError struct {
	// Problems holds every problem, in document order (at most MaxProblems and a summary).
	Problems []Problem
}

// Error lists every problem's path and code.
func (e *MappingError) Error() string {
	var b strings.Builder
	b.WriteString("fhir: consent cannot be mapped: ")
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Path)
		b.WriteString(": ")
		b.WriteString(string(p.Code))
	}
	return b.String()
}

// Is reports whether target is a sentinel this error matches.
func (e *MappingError) Is(target error) bool {
	switch target {
	case ErrUnmappable:
		return true
	case ErrInvalidJSON:
		return e.has(CodeSyntax) || e.has(CodeTooDeep)
	case ErrTooLarge:
		return e.has(CodeTooLarge)
	}
	return false
}

// Has reports whether the error holds a problem with the code.
func (e *MappingError) has(c ProblemCode) bool {
	for _, p := range e.Problems {
		if p.Code == c {
			return true
		}
	}
	return false
}
