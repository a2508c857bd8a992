package fhir

import (
	"strconv"
	"strings"

	"github.com/dyad-health/dyad/consent"
)

// CodeUnmappableConsent is the reason code of a deny by Engine: the patient has a FHIR
// consent that could not be mapped, and the permit rested on consent. An exception to
// consent (42 CFR 2.12(c), 2.51-2.54, subpart E) does not depend on consents and still
// permits.
const CodeUnmappableConsent consent.Code = "fhir_consent_unmappable"

const doubtCite = "42 CFR 2.31(c)"

// Engine is a consent.Engine built from FHIR Consent resources that also remembers the
// patients whose resources could not be mapped. It is immutable and safe for concurrent use.
//
// A nil *Engine, or the zero Engine, permits nothing: it answers as a consent.Engine that
// Compile did not build.
type Engine struct {
	eng *consent.Engine
	// doubt holds, by value, the identifiers of the patients whose resources could not be
	// mapped.
	doubt    map[string][]consent.Identifier
	doubtAll bool
}

// ResourceError is the error of one resource given to Compile.
type ResourceError struct {
	Index int   // the resource's index in the slice given to Compile
	Err   error // a *MappingError, or an error about the consent's id
}

// CompileError lists every resource Compile could not use. It matches ErrUnmappable.
type CompileError struct {
	// Resources holds the error of each resource left out, in input order.
	Resources []ResourceError
}

// Error names each resource by index with its error.
func (e *CompileError) Error() string {
	var b strings.Builder
	b.WriteString("fhir: ")
	b.WriteString(strconv.Itoa(len(e.Resources)))
	b.WriteString(" consent resource(s) not used:")
	for _, r := range e.Resources {
		b.WriteString(" [")
		b.WriteString(strconv.Itoa(r.Index))
		b.WriteString("] ")
		b.WriteString(r.Err.Error())
	}
	return b.String()
}

// Is reports whether target is ErrUnmappable.
func (e *CompileError) Is(target error) bool { return target == ErrUnmappable }

// Compile decodes every resource with the zero Options and compiles an Engine.
func Compile(resources [][]byte, agreements []consent.QSOAgreement) (*Engine, error) {
	return Options{}.Compile(resources, agreements)
}

// Compile decodes every resource and compiles an Engine with the consents that could be
// mapped and the agreements. A resource that cannot be mapped, has no id, or shares its id
// with another is left out and listed in a *CompileError; the Engine is returned even then,
// and denies every consent-based permit for that resource's patient (for every patient, when
// the patient could not be read). The error is nil when every resource was used. Compile
// fails without an Engine only when the agreements cannot be compiled.
func (o Options) Compile(resources [][]byte, agreements []consent.QSOAgreement) (*Engine, error) {
	e := &Engine{doubt: make(map[string][]consent.Identifier)}
	var bad []ResourceError
	consents := make([]consent.Consent, 0, len(resources))
	owner := make(map[string]int, len(resources)) // consent id -> index in consents, or -1 once duplicated
	for i, data := range resources {
		r, err := Parse(data)
		if err == nil {
			var c consent.Consent
			c, err = o.FromResource(r)
			switch {
			case err != nil:
			case c.ID == "":
				err = &MappingError{Problems: []Problem{{Code: CodeUnmappable, Path: "Consent.id", Message: "The resource has no id; decisions name consents by id."}}}
			default:
				if j, dup := owner[c.ID]; dup {
					err = &MappingError{Problems: []Problem{{Code: CodeConflict, Path: "Consent.id", Message: "Another resource has the same id."}}}
					if j >= 0 {
						e.addDoubt(consents[j].Patient)
						owner[c.ID] = -1
					}
				} else {
					owner[c.ID] = len(consents)
					consents = append(consents, c)
					continue
				}
			}
			m := mapper{}
			if p := m.ref(r.Patient, "Consent.patient", "Patient"); !p.IsZero() && len(m.probs) == 0 {
				e.addDoubt(p)
			} else {
				e.doubtAll = true
			}
		} else {
			e.doubtAll = true
		}
		bad = append(bad, ResourceError{Index: i, Err: err})
	}
	kept := consents[:0]
	for _, c := range consents {
		if owner[c.ID] >= 0 {
			kept = append(kept, c)
		}
	}
	eng, err := consent.Compile(kept, agreements)
	if err != nil {
		return nil, err
	}
	e.eng = eng
	if len(bad) > 0 {
		return e, &CompileError{Resources: bad}
	}
	return e, nil
}

func (e *Engine) addDoubt(p consent.Identifier) {
	e.doubt[p.Value] = append(e.doubt[p.Value], p)
}

// Consents returns the engine underneath, for calls this type does not wrap (nil for a nil
// or zero Engine; a nil *consent.Engine permits nothing).
func (e *Engine) Consents() *consent.Engine {
	if e == nil {
		return nil
	}
	return e.eng
}

// Doubtful reports whether the patient may have a resource that could not be mapped: one
// whose patient identifier may be this one (the same value, and the same system or none on
// either side). A nil or zero Engine doubts every patient.
func (e *Engine) Doubtful(patient consent.Identifier) bool {
	if e == nil || e.eng == nil || e.doubtAll {
		return true
	}
	for _, d := range e.doubt[patient.Value] {
		if maySame(d, patient) {
			return true
		}
	}
	return false
}

// doubtDecision is the deny of a permit resting on consent for a doubtful patient.
var doubtDecision = consent.DecisionRecord{
	Reasons: []consent.Reason{{
		Code:    CodeUnmappableConsent,
		Cite:    doubtCite,
		Message: "A FHIR consent on file for the patient could not be mapped and might restrict this disclosure; it is denied on doubt.",
	}},
	Citations: []string{doubtCite},
	Edition:   consent.RuleEdition,
}.Decision()

// Decide answers the request as consent.Engine.Decide does, except that a permit resting on
// a consent (or on a redisclosure under one) becomes a deny with reason
// CodeUnmappableConsent when the patient has a resource that could not be mapped.
func (e *Engine) Decide(r consent.Request) consent.Decision {
	d := e.Consents().Decide(r)
	if !d.Permit || d.Basis.Kind == consent.BasisKindException || !e.Doubtful(r.Patient) {
		return d
	}
	return doubtDecision
}
