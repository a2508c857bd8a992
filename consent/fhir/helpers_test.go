package fhir

import "github.com/dyad-health/dyad/consent"

// lid is an identifier without a system (a literal reference's id, or a local identifier).
func lid(value string) consent.Identifier { return consent.Identifier{Value: value} }

// lids converts values without a system to identifiers.
func lids(values ...string) []consent.Identifier {
	out := make([]consent.Identifier, len(values))
	for i, v := range values {
		out[i] = lid(v)
	}
	return out
}
