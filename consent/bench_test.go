package consent

import (
	"fmt"
	"testing"
)

// benchEngine compiles 20 consents for patient p1 (19 naming other recipients first, the
// TPO consent that permits last, so every consent is examined) and 50 QSO agreements of
// prog-1 with different organizations.
func benchEngine(b *testing.B) *Engine {
	b.Helper()
	var cs []Consent
	for i := range 19 {
		c := generalConsent()
		c.ID = fmt.Sprintf("g%02d", i)
		c.Recipients = []Recipient{{ID: id(fmt.Sprintf("clinic-%02d", i))}}
		cs = append(cs, c)
	}
	cs = append(cs, tpoConsent())
	var qs []QSOAgreement
	for i := range 50 {
		q := labAgreement()
		q.ID = fmt.Sprintf("q%02d", i)
		q.Organization = id(fmt.Sprintf("lab-%02d", i))
		qs = append(qs, q)
	}
	return mustCompile(b, cs, qs)
}

func BenchmarkDecidePermitConsent(b *testing.B) {
	e := benchEngine(b)
	r := obRequest()
	b.ReportAllocs()
	defer startCPU().report(b)
	for b.Loop() {
		if d := e.Decide(r); !d.Permit {
			b.Fatal(d)
		}
	}
}

func BenchmarkDecidePermitQSO(b *testing.B) {
	e := benchEngine(b)
	r := obRequest()
	r.Recipient = Party{ID: id("lab-49"), Kind: RecipientKindQSO}
	r.Purpose = PurposeQSOService
	r.Service = ServiceLaboratoryAnalyses
	b.ReportAllocs()
	defer startCPU().report(b)
	for b.Loop() {
		if d := e.Decide(r); !d.Permit {
			b.Fatal(d)
		}
	}
}

func BenchmarkDecidePermitEmergency(b *testing.B) {
	e := benchEngine(b)
	r := obRequest()
	r.Recipient = Party{ID: id("ed-1"), Kind: RecipientKindMedicalPersonnel}
	r.Purpose = PurposeEmergencyTreatment
	r.Facts.Emergency = true
	b.ReportAllocs()
	defer startCPU().report(b)
	for b.Loop() {
		if d := e.Decide(r); !d.Permit {
			b.Fatal(d)
		}
	}
}

// The deny path collects every reason and allocates.
func BenchmarkDecideDeny(b *testing.B) {
	e := benchEngine(b)
	r := obRequest()
	r.Information = []InfoKind{InfoKindCounselingNotes}
	b.ReportAllocs()
	defer startCPU().report(b)
	for b.Loop() {
		if d := e.Decide(r); d.Permit {
			b.Fatal(d)
		}
	}
}

func BenchmarkExplainPermit(b *testing.B) {
	e := benchEngine(b)
	r := obRequest()
	b.ReportAllocs()
	defer startCPU().report(b)
	for b.Loop() {
		if d := e.Explain(r); !d.Permit {
			b.Fatal(d)
		}
	}
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

func BenchmarkCompile(b *testing.B) {
	e := benchEngine(b)
	var cs []Consent
	for _, j := range e.k.patient(id("p1")).all {
		cs = append(cs, e.k.consents[j].c)
	}
	qs := make([]QSOAgreement, len(e.k.qsoas))
	for i := range e.k.qsoas {
		qs[i] = e.k.qsoas[i].a
	}
	b.ReportAllocs()
	defer startCPU().report(b)
	for b.Loop() {
		if _, err := Compile(cs, qs); err != nil {
			b.Fatal(err)
		}
	}
}

// Worst case for the permit path: all 20 consents name the recipient, purpose and
// information, but the first 19 were revoked, so every one is examined in full.
func BenchmarkDecidePermitAllCandidates(b *testing.B) {
	var cs []Consent
	for i := range 19 {
		c := generalConsent()
		c.ID = fmt.Sprintf("g%02d", i)
		c.RevokedAt = at("2026-01-20T00:00:00Z")
		cs = append(cs, c)
	}
	cs = append(cs, tpoConsent())
	e := mustCompile(b, cs, benchEngine(b).agreements())
	r := obRequest()
	b.ReportAllocs()
	defer startCPU().report(b)
	for b.Loop() {
		if d := e.Decide(r); !d.Permit || d.Basis.Consent != "c1" {
			b.Fatal(d)
		}
	}
}

func (e *Engine) agreements() []QSOAgreement {
	qs := make([]QSOAgreement, len(e.k.qsoas))
	for i := range e.k.qsoas {
		qs[i] = e.k.qsoas[i].a
	}
	return qs
}
