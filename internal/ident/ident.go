// Package ident holds the one identifier rule of the library and the one way to put an
// identifier into a message.
//
// An identifier (a patient's, a program's, a consent's, a partner's, an identifier system)
// is 1 to MaxLen bytes of ASCII letters, digits and the punctuation . _ - : / @ #. The set
// keeps spaces, quotes, control characters and so most free text out, and it covers FHIR ids,
// OIDs ("urn:oid:2.16.840.1.113883.4.1"), URIs without query strings and the usual medical
// record numbers. Every decoder of the library checks identifiers with Valid, and every
// message, error and String method writes them with Quote, so that no input can forge a log
// line whatever a caller passes.
package ident

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxLen is the longest identifier, in bytes.
const MaxLen = 128

// Rule is the identifier rule in words, for problem messages.
const Rule = "An identifier is 1 to 128 bytes of letters, digits and . _ - : / @ #."

// Valid reports whether s is an identifier under the rule.
func Valid(s string) bool {
	if len(s) == 0 || len(s) > MaxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !IsByte(s[i]) {
			return false
		}
	}
	return true
}

// IsByte reports whether c may appear in an identifier.
func IsByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	case c == '.', c == '_', c == '-', c == ':', c == '/', c == '@', c == '#':
		return true
	}
	return false
}

// Quote returns s as a Go string literal, cut to at most MaxLen bytes (at a character
// boundary) with invalid UTF-8 dropped: a valid identifier comes out as itself in double
// quotes, and anything else comes out escaped, on one line, bounded in length.
func Quote(s string) string {
	return strconv.Quote(Cut(s, MaxLen))
}

// QuoteN is Quote with another length bound, for places where a shorter excerpt suffices.
func QuoteN(s string, n int) string {
	return strconv.Quote(Cut(s, n))
}

// Cut returns s cut to at most n bytes without splitting a character, invalid UTF-8 dropped.
func Cut(s string, n int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
