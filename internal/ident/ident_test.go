package ident

import (
	"strings"
	"testing"
)

func TestValid(t *testing.T) {
	for _, s := range []string{"a", "W-1", "urn:oid:2.16.840.1.113883.4.1", "http://hl7.org/fhir/sid/us-ssn", "mrn#42@site", strings.Repeat("x", MaxLen)} {
		if !Valid(s) {
			t.Errorf("Valid(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"", " a-1 ", "Jane Doe", "a\nb", "a|b", `a"b`, "é", strings.Repeat("x", MaxLen+1), "a?b=c"} {
		if Valid(s) {
			t.Errorf("Valid(%q) = true, want false", s)
		}
	}
}

func TestQuote(t *testing.T) {
	cases := map[string]string{
		"c1":                      `"c1"`,
		"x\ndecision=permit":      `"x\ndecision=permit"`,
		"\xff\xfeok":              `"ok"`,
		strings.Repeat("é", 100):  `"` + strings.Repeat("é", 64) + `"`,
		strings.Repeat("a", 1000): `"` + strings.Repeat("a", MaxLen) + `"`,
	}
	for in, want := range cases {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
		if strings.ContainsAny(Quote(in), "\n\r") {
			t.Errorf("Quote(%q) holds a line break", in)
		}
	}
}
