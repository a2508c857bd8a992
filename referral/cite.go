package referral

import (
	"strings"
	"time"
)

// Citations carried by reasons, due times and problems. Each names the rule's edition where
// it matters; see the package documentation's References.
const (
	// CiteTaskStatus is the FHIR R4 Task status code system and its state machine.
	CiteTaskStatus = "HL7 FHIR R4 Task.status"
	// CiteInterimPrenatal is the 48-hour interim-services prenatal-care referral.
	CiteInterimPrenatal = "45 CFR 96.131(d)"
	// CiteInterimDefinition defines interim services, including the prenatal-care referral.
	CiteInterimDefinition = "45 CFR 96.121"
	// CiteEarlyIntervention is the Early Intervention referral within 7 days of identification.
	CiteEarlyIntervention = "34 CFR 303.303(a)(2)(i)"
	// CiteEarlyInterventionSubstance requires referral of a child under three affected by
	// prenatal substance exposure or withdrawal.
	CiteEarlyInterventionSubstance = "34 CFR 303.303(b)(2)"
	// CitePlanOfSafeCare is CAPTA's Plan of Safe Care, with its referrals.
	CitePlanOfSafeCare = "42 U.S.C. 5106a(b)(2)(B)(iii)"
	// CiteConsent is the written consent of 42 CFR part 2.
	CiteConsent = "42 CFR 2.31"
	// CiteConsentInvalid lists consents a disclosure may not rely on (expired, revoked, ...).
	CiteConsentInvalid = "42 CFR 2.31(c)"
	// CiteQSO is the qualified service organization exception.
	CiteQSO = "42 CFR 2.12(c)(4)"
	// CiteNotice is the notice that accompanies each disclosure made with consent.
	CiteNotice = "42 CFR 2.32"
)

// FHIRVersion is the FHIR release the Task and ServiceRequest export follows.
const FHIRVersion = "4.0.1"

// EIWindow is the longest time from identifying an infant or toddler to the Early
// Intervention referral: 7 days (34 CFR 303.303(a)(2)(i) says "seven calendar days"). It is
// counted as 7×24 elapsed hours, which is never later than a calendar-day reading.
const EIWindow = 7 * 24 * time.Hour

// The forms of the references a consent record keeps (ConsentRecord.validate). A consent
// record holds identifiers, codes and citations only: its basis, edition and citations
// must each be a reference of its form, and anything else (a name, a note) is refused
// with ProblemNotReference, so that no free text enters a referral's events.
//
//	citation: TITLE " CFR " PART "." SECTION PARAGRAPH*     e.g. 42 CFR 2.31(a)(4)(ii)(B)
//	          TITLE " CFR part " PART [" subpart " LETTER]  e.g. 42 CFR part 2 subpart E
//	edition:  TITLE " CFR part " PART [" as amended " YYYY-MM-DD] [" (" VOLUME " FR " PAGE ")"]
//	          e.g. 42 CFR part 2 as amended 2024-02-16 (89 FR 12472)
//	basis:    "consent:" IDENTIFIER  (a written consent, 42 CFR 2.31)
//	          citation                (an exception's or redisclosure's section)
//
// TITLE, PART, SECTION, VOLUME and PAGE are decimal numbers without a leading zero (1 to
// 3, 4, 5, 3 and 6 digits); a SECTION may end in one lowercase letter; a PARAGRAPH is a
// paragraph designator in parentheses, as the CFR numbers its paragraphs: a number from 1, a
// lowercase letter (or one doubled, "aa"), a lowercase roman numeral or an uppercase letter
// (or one doubled), and never a word; LETTER is one capital letter. These are the forms
// the consent package writes (its citations, consent.RuleEdition, consent.Basis.Ref).

// isCitation reports whether s is a citation of the CFR in the form above, at most maxCite bytes.
func isCitation(s string) bool {
	if len(s) > maxCite {
		return false
	}
	rest, ok := cfrTitle(s)
	if !ok {
		return false
	}
	if r, ok := cut(rest, "part "); ok {
		r, ok = number(r, 4)
		if !ok {
			return false
		}
		if r == "" {
			return true
		}
		r, ok = cut(r, " subpart ")
		return ok && len(r) == 1 && r[0] >= 'A' && r[0] <= 'Z'
	}
	rest, ok = number(rest, 4)
	if !ok {
		return false
	}
	if rest, ok = cut(rest, "."); !ok {
		return false
	}
	if rest, ok = number(rest, 5); !ok {
		return false
	}
	if rest != "" && rest[0] >= 'a' && rest[0] <= 'z' {
		rest = rest[1:]
	}
	for rest != "" {
		if rest[0] != '(' {
			return false
		}
		end := strings.IndexByte(rest, ')')
		if end < 0 || !isParagraph(rest[1:end]) {
			return false
		}
		rest = rest[end+1:]
	}
	return true
}

// isParagraph reports whether p is a paragraph designator of the CFR: a number of 1 to 3
// digits, a lowercase letter or the same letter twice ("a", "aa"), a lowercase roman
// numeral ("iv"), or an uppercase letter or the same letter twice ("B", "BB"). Nothing
// else, so that no word (a name) passes for a paragraph.
func isParagraph(p string) bool {
	switch {
	case p == "":
		return false
	case p[0] >= '0' && p[0] <= '9':
		rest, ok := number(p, 3)
		return ok && rest == "" && p != "0"
	case len(p) <= 2 && (p[0] >= 'a' && p[0] <= 'z' || p[0] >= 'A' && p[0] <= 'Z') && (len(p) == 1 || p[1] == p[0]):
		return true
	}
	return isRoman(p)
}

// isRoman reports whether s is a lowercase roman numeral from i to cccxcix, in its one
// canonical form (no "iiii", no "vx").
func isRoman(s string) bool {
	if s == "" {
		return false
	}
	rest := s
	take := func(max int, c byte) {
		for n := 0; n < max && rest != "" && rest[0] == c; n++ {
			rest = rest[1:]
		}
	}
	digit := func(one, five, ten byte) {
		switch {
		case strings.HasPrefix(rest, string([]byte{one, ten})), strings.HasPrefix(rest, string([]byte{one, five})):
			rest = rest[2:]
		default:
			take(1, five)
			take(3, one)
		}
	}
	take(3, 'c')
	digit('x', 'l', 'c')
	digit('i', 'v', 'x')
	return rest == ""
}

// isEdition reports whether s names a rule edition in the form above.
func isEdition(s string) bool {
	if len(s) > maxCite {
		return false
	}
	rest, ok := cfrTitle(s)
	if !ok {
		return false
	}
	if rest, ok = cut(rest, "part "); !ok {
		return false
	}
	if rest, ok = number(rest, 4); !ok {
		return false
	}
	if r, ok := cut(rest, " as amended "); ok {
		if len(r) < 10 {
			return false
		}
		if _, err := time.Parse(time.DateOnly, r[:10]); err != nil {
			return false
		}
		rest = r[10:]
	}
	if r, ok := cut(rest, " ("); ok {
		if r, ok = number(r, 3); !ok {
			return false
		}
		if r, ok = cut(r, " FR "); !ok {
			return false
		}
		if r, ok = number(r, 6); !ok {
			return false
		}
		rest = r
		if rest != ")" {
			return false
		}
		rest = ""
	}
	return rest == ""
}

// isBasisRef reports whether s is a basis reference in the form above.
func isBasisRef(s string) bool {
	if id, ok := cut(s, "consent:"); ok {
		return isID(id)
	}
	return isCitation(s)
}

// cfrTitle reads TITLE " CFR " and returns what follows.
func cfrTitle(s string) (string, bool) {
	rest, ok := number(s, 3)
	if !ok {
		return "", false
	}
	return cut(rest, " CFR ")
}

// number reads a decimal number of 1 to max digits without a leading zero and returns
// what follows.
func number(s string, max int) (string, bool) {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == 0 || n > max || (s[0] == '0' && n > 1) {
		return "", false
	}
	return s[n:], true
}

// cut reads the prefix p and returns what follows.
func cut(s, p string) (string, bool) { return strings.CutPrefix(s, p) }
