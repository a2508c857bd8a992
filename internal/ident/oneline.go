package ident

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// OneLineRule is the rule of OneLine in words, for problem messages.
const OneLineRule = "The text is valid UTF-8 of printable characters and plain spaces: no control character (C0, DEL, C1 such as NEL U+0085), no line or paragraph separator (U+2028, U+2029), no other space or invisible format character."

// OneLine reports whether s is text that stays on one line wherever it is written: valid
// UTF-8 whose every rune is printable (unicode.IsPrint: letters, marks, numbers,
// punctuation and symbols) or the ASCII space. It refuses the C0 controls (line feed,
// carriage return, vertical tab, form feed among them), DEL, the C1 controls (NEL U+0085
// among them), the line and paragraph separators U+2028 and U+2029, every other space
// character (no-break spaces included) and the invisible format characters (bidirectional
// overrides such as U+202E, zero-width characters, the byte order mark) that can make a
// log line read other than it is.
//
// Text that passes is exactly text that strconv.Quote writes unchanged apart from its
// quotes and the escaping of `"` and `\`, so citations and titles checked with OneLine
// can be written raw into a one-line message. It is meant for the few texts the library
// keeps that are not identifiers: citations, rule editions, guidance titles.
func OneLine(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return false
		}
		if !unicode.IsPrint(r) {
			return false
		}
		i += n
	}
	return true
}

// QuoteText writes s for a one-line message: as it is when OneLine(s) holds and it is at
// most n bytes long, otherwise quoted and escaped as QuoteN does (cut to n bytes, invalid
// UTF-8 dropped, every non-printable rune escaped), so that no text, whoever set it, can
// split or disguise a log line.
func QuoteText(s string, n int) string {
	if len(s) <= n && OneLine(s) {
		return s
	}
	return strconv.Quote(Cut(s, n))
}
