package consent

// id is an identifier without a system, the form the conformance format's bare strings take.
func id(value string) Identifier { return Identifier{Value: value} }

// ids converts values without a system to identifiers.
func ids(values ...string) []Identifier {
	out := make([]Identifier, len(values))
	for i, v := range values {
		out[i] = id(v)
	}
	return out
}
