package consent

import (
	"fmt"
	"testing"
)

// The benchmarks' names say what is measured: the outcome, what permits or denies, and how
// many of the patient's consents the decision examines. Every engine holds 20 consents of
// patient p1 and 50 QSO agreements of prog-1 with other organizations (lab-00 to lab-49).
// Decide examines only the consents that could cover the recipient (those naming it and
// those designating recipients by class, through the recipient index), in compile order,
// up to the first permit; "examines 20 of 20 fully" means every consent is examined and
// fails only at its last condition (the exclusion of the recipient), each checked in full.
//
// Decide and Explain decide the outcome only; a decision's reasons are judged when read.
// The *AndReadReasons benchmarks add reading every reason (Record: reasons, obligations,
// citations), what a caller that logs or shows them pays.

// indexedConsents are 19 general consents each naming another clinic (clinic-00 to
// clinic-18) and, last, the TPO consent designating treating providers: for obRequest (to
// ob-clinic, a covered entity) the recipient index leaves the TPO consent alone.
func indexedConsents() []Consent {
	var cs []Consent
	for i := range 19 {
		c := generalConsent()
		c.ID = fmt.Sprintf("g%02d", i)
		c.Recipients = []Recipient{{ID: id(fmt.Sprintf("clinic-%02d", i))}}
		cs = append(cs, c)
	}
	return append(cs, tpoConsent())
}

// excludingConsents are n TPO consents (x00, ...) that cover obRequest in every respect
// (in force, the discloser named, treating providers designated, the purpose, the
// information) but exclude ob-clinic, so that each is examined in full and fails only at
// the exclusion (42 CFR 2.31(a)(4)).
func excludingConsents(n int) []Consent {
	var cs []Consent
	for i := range n {
		c := tpoConsent()
		c.ID = fmt.Sprintf("x%02d", i)
		c.Exclusions = []Exclusion{{ID: id("ob-clinic")}}
		cs = append(cs, c)
	}
	return cs
}

func benchAgreements() []QSOAgreement {
	var qs []QSOAgreement
	for i := range 50 {
		q := labAgreement()
		q.ID = fmt.Sprintf("q%02d", i)
		q.Organization = id(fmt.Sprintf("lab-%02d", i))
		qs = append(qs, q)
	}
	return qs
}

// benchCase is an engine and a request whose outcome and reasons are known.
type benchCase struct {
	name   string
	cs     []Consent
	r      Request
	permit bool
	// check, when set, checks the decision's reasons before timing (Explain's).
	check func(b *testing.B, rs []Reason)
}

func benchCases() []benchCase {
	qso := obRequest()
	qso.Recipient = Party{ID: id("lab-49"), Kind: RecipientKindQSO}
	qso.Purpose = PurposeQSOService
	qso.Service = ServiceLaboratoryAnalyses
	emergency := obRequest()
	emergency.Recipient = Party{ID: id("ed-1"), Kind: RecipientKindMedicalPersonnel}
	emergency.Purpose = PurposeEmergencyTreatment
	emergency.Facts.Emergency = true
	notes := obRequest()
	notes.Information = []InfoKind{InfoKindCounselingNotes}
	nobody := obRequest()
	nobody.Patient = id("p9")
	revoked := make([]Consent, 0, 20)
	for i := range 19 {
		c := generalConsent()
		c.ID = fmt.Sprintf("r%02d", i)
		c.RevokedAt = at("2026-01-20T00:00:00Z")
		revoked = append(revoked, c)
	}
	revoked = append(revoked, tpoConsent())
	// Every consent fails at its exclusion alone: one reason per consent.
	excludedOnly := func(n int) func(*testing.B, []Reason) {
		return func(b *testing.B, rs []Reason) {
			k := 0
			for _, r := range rs {
				if r.Consent != "" && r.Code != CodeConsentPermits { // not the basis's own reason
					if r.Code != CodeRecipientExcluded {
						b.Fatalf("consent %s fails with %s: not examined in full", r.Consent, r.Code)
					}
					k++
				}
			}
			if k != n {
				b.Fatalf("%d consents fail at the exclusion, want %d", k, n)
			}
		}
	}
	return []benchCase{
		{name: "permit_consent/examines_1_of_20", cs: indexedConsents(), r: obRequest(), permit: true},
		{name: "permit_consent/examines_20_of_20_first_19_revoked", cs: revoked, r: obRequest(), permit: true},
		{name: "permit_consent/examines_20_of_20_fully", cs: append(excludingConsents(19), tpoConsent()), r: obRequest(), permit: true,
			check: excludedOnly(19)},
		{name: "permit_qso/examines_1_of_20_then_1_of_50_agreements", cs: indexedConsents(), r: qso, permit: true},
		{name: "permit_emergency/examines_1_of_20", cs: indexedConsents(), r: emergency, permit: true},
		{name: "deny_counseling_notes/examines_1_of_20", cs: indexedConsents(), r: notes},
		{name: "deny_none_applies/examines_20_of_20_fully", cs: excludingConsents(20), r: obRequest(), check: excludedOnly(20)},
		{name: "deny_no_consent_on_file", cs: indexedConsents(), r: nobody},
	}
}

// BenchmarkDecide times Engine.Decide: the outcome, basis and, on a deny, a decision that
// holds every reason (judged when read).
func BenchmarkDecide(b *testing.B) {
	for _, c := range benchCases() {
		b.Run(c.name, func(b *testing.B) {
			e := c.engine(b)
			r := c.r
			b.ReportAllocs()
			defer startCPU().report(b)
			for b.Loop() {
				if d := e.Decide(r); d.Permit != c.permit {
					b.Fatal(d)
				}
			}
		})
	}
}

// BenchmarkDecideAndReadReasons times Engine.Decide and reading the whole decision
// (Record: every reason, the obligations, the citations).
func BenchmarkDecideAndReadReasons(b *testing.B) {
	for _, c := range benchCases() {
		if c.permit {
			continue // a permit of Decide reads its basis's precomputed reason
		}
		b.Run(c.name, func(b *testing.B) {
			e := c.engine(b)
			r := c.r
			b.ReportAllocs()
			defer startCPU().report(b)
			for b.Loop() {
				if d := e.Decide(r).Record(); d.Permit || len(d.Reasons) < 2 {
					b.Fatal(d)
				}
			}
		})
	}
}

// BenchmarkExplainAndReadReasons times Engine.Explain of a permit and reading the whole
// decision: the basis's reason and why each of the 19 other consents did not apply (each
// names another clinic: one reason, recipient_not_covered), 20 in all.
func BenchmarkExplainAndReadReasons(b *testing.B) {
	e := mustCompile(b, indexedConsents(), benchAgreements())
	r := obRequest()
	b.ReportAllocs()
	defer startCPU().report(b)
	for b.Loop() {
		if d := e.Explain(r).Record(); !d.Permit || len(d.Reasons) != 20 {
			b.Fatal(len(d.Reasons), d)
		}
	}
}

// engine compiles the case's consents with the 50 agreements and checks the outcome (and
// the reasons, when the case says how) before any timing.
func (c benchCase) engine(b *testing.B) *Engine {
	b.Helper()
	e := mustCompile(b, c.cs, benchAgreements())
	x := e.Explain(c.r)
	if d := e.Decide(c.r); d.Permit != c.permit || x.Permit != c.permit {
		b.Fatalf("Decide %v, Explain %v, want permit %v", d, x, c.permit)
	}
	if c.check != nil {
		c.check(b, x.Reasons())
	}
	return e
}

func BenchmarkValidateConsent(b *testing.B) {
	c := tpoConsent()
	b.ReportAllocs()
	defer startCPU().report(b)
	for b.Loop() {
		if err := c.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateConsentInvalid(b *testing.B) {
	c := Consent{ID: "c9"}
	b.ReportAllocs()
	defer startCPU().report(b)
	for b.Loop() {
		if err := c.Validate(); err == nil {
			b.Fatal("valid")
		}
	}
}

func BenchmarkValidateQSOAgreement(b *testing.B) {
	a := labAgreement()
	b.ReportAllocs()
	defer startCPU().report(b)
	for b.Loop() {
		if err := a.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompile compiles the 20 consents and 50 agreements of the Decide benchmarks.
func BenchmarkCompile(b *testing.B) {
	cs, qs := indexedConsents(), benchAgreements()
	b.ReportAllocs()
	defer startCPU().report(b)
	for b.Loop() {
		if _, err := Compile(cs, qs); err != nil {
			b.Fatal(err)
		}
	}
}
