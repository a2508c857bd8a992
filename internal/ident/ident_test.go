package ident

import (
	"strings"
	"testing"
	"unicode"
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

// TestOneLine: every Unicode line break (LF, VT, FF, CR, NEL, LS, PS: the mandatory breaks
// of UAX #14 and the newline functions of the Unicode Standard, section 5.8), every other
// control, no-break and other non-ASCII spaces, bidirectional overrides and zero-width
// characters are refused; citations as the library writes them pass.
func TestOneLine(t *testing.T) {
	for _, s := range []string{"", "42 CFR 2.31(c)(1)", "MA BSAS practice guidance (pregnant women and families), Organization, bullet 2",
		"42 CFR part 2 as amended 2024-02-16 (89 FR 12472)", "§ 2.31 — “consent”", "Ærø Straße 5½"} {
		if !OneLine(s) {
			t.Errorf("OneLine(%q) = false, want true", s)
		}
		if QuoteText(s, 256) != s {
			t.Errorf("QuoteText(%q) = %s, want it unchanged", s, QuoteText(s, 256))
		}
	}
	bad := []string{"a\nb", "a\rb", "a\vb", "a\fb", "a\tb", "a\x00b", "a\x7fb", "a\u0085b", "a\u2028b", "a\u2029b",
		"a\u0080b", "a\u009fb", "a\u00a0b", "a\u202eb", "a\u2066b", "a\u200bb", "a\ufeffb", "a\u3000b", "a\xffb", "a\xe2\x80b"}
	for _, s := range bad {
		if OneLine(s) {
			t.Errorf("OneLine(%q) = true, want false", s)
		}
		q := QuoteText(s, 256)
		for _, r := range q {
			if r != ' ' && !unicode.IsPrint(r) {
				t.Errorf("QuoteText(%q) = %q holds %U", s, q, r)
			}
		}
	}
	if got := QuoteText(strings.Repeat("a", 300), 10); got != `"aaaaaaaaaa"` {
		t.Errorf("QuoteText of a long text = %s, want it cut and quoted", got)
	}
}
