package perinatal

import (
	"errors"

	"github.com/dyad-health/dyad/internal/jsonin"
)

// The decoders read the package's own JSON formats (the field names of each type's json
// tags) through the library's one JSON reader, and keep its promises:
//
//   - A byte limit, checked before anything is read: DefaultMaxInfantBytes,
//     DefaultMaxPlanBytes or DefaultMaxSleepBytes, or DecodeOptions.MaxBytes. A 64 MiB
//     input is refused at once.
//   - At most 64 levels of nesting.
//   - A member repeated in one object, in any letter case ("fasd" and "FASD"), is refused
//     (duplicate_key): no second copy silently replaces the first.
//   - Nothing may follow the one JSON value (trailing_data), and a member the format does
//     not have is refused (unknown_field).
//   - Every problem carries a stable code and its path (such as "prenatal_exposures[1]"),
//     never the input's text: not an unknown code, not a bad time, not a member name that
//     does not look like a schema name (its path shows "?").
//   - Every problem is listed, up to DecodeOptions.MaxProblems (100 by default), then one
//     too_many_problems entry and ValidationError.Omitted say how many more there were.
//   - Work and memory are linear in the input.
//
// A document that cannot be read (any problem other than an unknown code) returns the
// zero value and the reading problems. A document whose only reading problems are unknown
// codes (ProblemUnknownCode, in document order) returns the value decoded, each unknown
// code as the enum's unknown value, and the problems of the type's Validate after them,
// except those on a field already reported as an unknown code (when the unknown codes
// alone fill the list, Validate is not run).

// Problem codes of the decoders (stable API). Every decoder of the library uses the same
// codes (those of its one JSON reader).
const (
	// ProblemUnknownCode is an enum code or gestational age this package does not know.
	ProblemUnknownCode = "unknown_code"
	// ProblemTooLarge is an input longer than the decoder's byte limit.
	ProblemTooLarge = jsonin.CodeTooLarge
	// ProblemEmpty is an input that holds no JSON value.
	ProblemEmpty = jsonin.CodeEmpty
	// ProblemSyntax is input that is not JSON (the message gives a byte offset).
	ProblemSyntax = jsonin.CodeSyntax
	// ProblemTooDeep is JSON nested deeper than 64 levels.
	ProblemTooDeep = jsonin.CodeTooDeep
	// ProblemTrailingData is anything after the one JSON value.
	ProblemTrailingData = jsonin.CodeTrailingData
	// ProblemDuplicateKey is a member repeated in one object, letter case aside.
	ProblemDuplicateKey = jsonin.CodeDuplicateKey
	// ProblemUnknownField is a member the format does not have.
	ProblemUnknownField = jsonin.CodeUnknownField
	// ProblemWrongType is a value of the wrong JSON type (a number for a string).
	ProblemWrongType = jsonin.CodeWrongType
	// ProblemOutOfRange is a number too large for its field, or a time outside the range
	// every decoder accepts, 1900-01-01 to 2199-12-31 (UTC).
	ProblemOutOfRange = jsonin.CodeOutOfRange
	// ProblemInvalidValue is a value its field refuses, such as a time not in RFC 3339.
	ProblemInvalidValue = jsonin.CodeInvalidValue
	// ProblemTooMany is the last entry of a list cut short at its cap.
	ProblemTooMany = jsonin.CodeTooManyProblems
	// ProblemMalformedJSON was the one code of every reading problem.
	//
	// Deprecated: the decoders now report each reading problem with its own code
	// (ProblemSyntax, ProblemUnknownField, ProblemDuplicateKey, ...) and its path.
	ProblemMalformedJSON = "malformed_json"
)

// Default byte limits of the decoders. A valid infant takes under 1 KiB, a sleep checklist
// under 1 KiB, and a plan of safe care about 200 bytes per need, service or party.
const (
	DefaultMaxInfantBytes = 64 << 10 // 64 KiB
	DefaultMaxPlanBytes   = 1 << 20  // 1 MiB: thousands of needs, services and parties
	DefaultMaxSleepBytes  = 16 << 10 // 16 KiB
)

// DecodeOptions bound the decoders. The zero value takes each decoder's documented
// defaults; a plain struct, so that a service can log and compare its configuration.
type DecodeOptions struct {
	// MaxBytes is the longest input accepted, in bytes; 0 takes the decoder's default.
	MaxBytes int `json:"max_bytes,omitempty"`
	// MaxProblems is the most problems listed; 0 takes 100.
	MaxProblems int `json:"max_problems,omitempty"`
}

// decode reads data into v and then, unless reading failed, validates it. A reading
// problem other than an unknown code leaves *v zero.
func decode[T any](o DecodeOptions, what string, maxBytes int, data []byte, v *T, validate func(*T, *problems)) error {
	ps := problems{what: what}
	ps.Max = o.MaxProblems
	if o.MaxBytes > 0 {
		maxBytes = o.MaxBytes
	}
	err := jsonin.Decode(data, v, jsonin.Options{MaxBytes: maxBytes, MaxProblems: o.MaxProblems})
	if err != nil {
		var je *jsonin.Error
		if !errors.As(err, &je) {
			return err // not reached: Decode returns only *jsonin.Error
		}
		ps.AddJSON(je)
		for _, q := range je.Problems {
			if q.Code != ProblemUnknownCode && q.Code != ProblemTooMany {
				var zero T
				*v = zero
				return ps.err()
			}
		}
		if je.Omitted > 0 {
			return ps.err() // the list is full already: validation would add nothing to it
		}
		ps.Skip = make(map[string]struct{}, len(je.Problems))
		for _, q := range je.Problems {
			ps.Skip[q.Path] = struct{}{}
		}
	}
	if validate != nil {
		validate(v, &ps)
	}
	return ps.err()
}

// DecodeInfant decodes an Infant with the default options: see DecodeOptions.DecodeInfant.
func DecodeInfant(data []byte) (Infant, error) { return DecodeOptions{}.DecodeInfant(data) }

// DecodeInfant decodes an Infant from JSON (the field names of Infant's tags) and checks
// it, returning every reading problem, or every unknown code and every Validate problem,
// in one *ValidationError. The input is at most MaxBytes long (DefaultMaxInfantBytes, 64
// KiB, by default); the limits and promises of every decoder are listed above
// DecodeOptions.
func (o DecodeOptions) DecodeInfant(data []byte) (Infant, error) {
	var inf Infant
	err := decode(o, "infant", DefaultMaxInfantBytes, data, &inf, (*Infant).validate)
	return inf, err
}

// DecodePlanOfSafeCare decodes a PlanOfSafeCare with the default options: see
// DecodeOptions.DecodePlanOfSafeCare.
func DecodePlanOfSafeCare(data []byte) (PlanOfSafeCare, error) {
	return DecodeOptions{}.DecodePlanOfSafeCare(data)
}

// DecodePlanOfSafeCare decodes a PlanOfSafeCare from JSON and checks it, returning every
// reading problem, or every unknown code and every Validate problem, in one
// *ValidationError. The input is at most MaxBytes long (DefaultMaxPlanBytes, 1 MiB, by
// default).
func (o DecodeOptions) DecodePlanOfSafeCare(data []byte) (PlanOfSafeCare, error) {
	var p PlanOfSafeCare
	err := decode(o, "plan of safe care", DefaultMaxPlanBytes, data, &p, (*PlanOfSafeCare).validate)
	return p, err
}

// DecodeSleepChecklist decodes a SleepChecklist with the default options: see
// DecodeOptions.DecodeSleepChecklist.
func DecodeSleepChecklist(data []byte) (SleepChecklist, error) {
	return DecodeOptions{}.DecodeSleepChecklist(data)
}

// DecodeSleepChecklist decodes a SleepChecklist from JSON, returning every reading
// problem or every unknown answer code in one *ValidationError. Absent items are
// AnswerUnknown, which is not a problem; an item the checklist does not have is
// unknown_field. The input is at most MaxBytes long (DefaultMaxSleepBytes, 16 KiB, by
// default).
func (o DecodeOptions) DecodeSleepChecklist(data []byte) (SleepChecklist, error) {
	var c SleepChecklist
	err := decode[SleepChecklist](o, "sleep checklist", DefaultMaxSleepBytes, data, &c, nil)
	return c, err
}
