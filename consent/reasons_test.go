package consent

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A deny lists every reason of every consent, in compile order, however many consents the
// patient has and however many reasons there are (13 consents: 53 reasons, more than the
// collector holds on the stack).
func TestDenyListsEveryReason(t *testing.T) {
	// Each consent names another discloser, another recipient, another purpose and other
	// information than obRequest asks for: four faults each (42 CFR 2.31(a)(2)-(5)).
	misfit := func(i int) Consent {
		c := generalConsent()
		c.ID = fmt.Sprintf("m%02d", i)
		c.Disclosers = ids("prog-9")
		c.Recipients = []Recipient{{ID: id("other-clinic")}}
		c.Purposes = []Purpose{PurposePayment}
		c.Information = []InfoKind{InfoKindPatientIdentity}
		return c
	}
	for _, n := range []int{1, 4, 5, 13} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var cs []Consent
			var want []Reason
			for i := range n {
				c := misfit(i)
				cs = append(cs, c)
				want = append(want,
					Reason{Code: CodeDiscloserNotNamed, Cite: "42 CFR 2.31(a)(2)", Consent: c.ID, Message: "The consent does not name this discloser."},
					Reason{Code: CodeRecipientNotCovered, Cite: "42 CFR 2.31(a)(4)", Consent: c.ID, Message: "The consent does not name or designate this recipient."},
					Reason{Code: CodePurposeNotCovered, Cite: "42 CFR 2.31(a)(5)", Consent: c.ID, Message: "The consent does not cover this purpose."},
					Reason{Code: CodeInfoNotCovered, Cite: "42 CFR 2.31(a)(3)", Consent: c.ID, Message: "The consent does not cover every kind of information requested."},
				)
			}
			want = append(want, closing)
			wantD := DecisionRecord{Reasons: want, Edition: RuleEdition,
				Citations: []string{"42 CFR 2.31(a)(2)", "42 CFR 2.31(a)(4)", "42 CFR 2.31(a)(5)", "42 CFR 2.31(a)(3)", "42 CFR 2.13(a)"}}
			e := mustCompile(t, cs, nil)
			if diff := cmp.Diff(wantD, e.Decide(obRequest()).Record()); diff != "" {
				t.Errorf("Decide (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantD, e.Explain(obRequest()).Record()); diff != "" {
				t.Errorf("Explain (-want +got):\n%s", diff)
			}
		})
	}
}

// Decide and Explain agree on every request of a grid: the same whole decision on a deny;
// on a permit the same outcome, basis, obligations and first reason, Explain adding the
// others. Patient p1 has 3 consents, p2 7 and a deficient one.
func TestDecideAgreesWithExplain(t *testing.T) {
	var cs []Consent
	for _, p := range []string{"p1", "p2"} {
		n := 3
		if p == "p2" {
			n = 7
		}
		for i := range n {
			c := generalConsent()
			if i%2 == 1 {
				c = tpoConsent()
			}
			c.ID, c.Patient = fmt.Sprintf("%s-c%d", p, i), id(p)
			switch i % 3 {
			case 1:
				c.RevokedAt = at("2026-03-01T00:00:00Z")
			case 2:
				c.Disclosers = append(c.Disclosers, id("prog-3"))
			}
			cs = append(cs, c)
		}
	}
	bad := generalConsent()
	bad.ID, bad.Purposes = "p2-bad", nil // deficient: no purpose
	cs = append(cs, bad)
	e := mustCompile(t, cs, []QSOAgreement{labAgreement()})
	var permits, denies int
	for _, pat := range []string{"p1", "p2", "p3"} {
		for _, disc := range []string{"prog-1", "prog-3"} {
			for _, rc := range []Party{{id("ob-clinic"), RecipientKindCoveredEntity}, {id("ed-1"), RecipientKindMedicalPersonnel}, {id("lab-1"), RecipientKindQSO}} {
				for _, pu := range []Purpose{PurposeTreatment, PurposePayment, PurposeEmergencyTreatment, PurposeQSOService, PurposeProceedings} {
					for _, info := range [][]InfoKind{{InfoKindSUDRecords}, {InfoKindSUDRecords, InfoKindCounselingNotes}} {
						for _, when := range []string{"2026-02-01T10:00:00Z", "2026-06-01T10:00:00Z"} {
							for _, em := range []bool{false, true} {
								r := Request{Patient: id(pat), Discloser: id(disc), Recipient: rc, Purpose: pu, Information: info,
									Service: ServiceLaboratoryAnalyses, At: at(when), Facts: Facts{Emergency: em}}
								d, x := e.Decide(r).Record(), e.Explain(r).Record()
								if !d.Permit {
									denies++
									if diff := cmp.Diff(x, d); diff != "" {
										t.Fatalf("%+v: deny differs from Explain (-explain +decide):\n%s", r, diff)
									}
									continue
								}
								if !x.Permit || d.Basis != x.Basis || !cmp.Equal(d.Obligations, x.Obligations) ||
									len(d.Reasons) != 1 || !cmp.Equal(d.Reasons[0], x.Reasons[0]) {
									t.Fatalf("%+v: permit differs from Explain:\ndecide  %v\nexplain %v", r, d, x)
								}
								permits++
							}
						}
					}
				}
			}
		}
	}
	if permits == 0 || denies == 0 {
		t.Fatalf("%d permits and %d denies: the grid must try both", permits, denies)
	}
}

// The reason table: every static reason has a code and a citation, the citations fit a
// citeSet, and each redisclosure-status reason follows its consent-status reason in the
// same order (redisclose relies on it).
func TestReasonTable(t *testing.T) {
	e := mustCompile(t, []Consent{generalConsent(), tpoConsent()}, []QSOAgreement{labAgreement()})
	if len(e.k.rt.cites) > maxCites {
		t.Fatalf("%d citations, more than a citeSet holds (%d)", len(e.k.rt.cites), maxCites)
	}
	for id := rid(0); id < numRid; id++ {
		r := e.k.rt.reasons[id]
		if r.Code == "" || r.Cite == "" {
			t.Errorf("reason %d: code %q cite %q", id, r.Code, r.Cite)
		}
		if r.Message == "" && id != rDeficient && id != rRedisDeficient {
			t.Errorf("reason %d (%s): no sentence", id, r.Code)
		}
		if e.k.rt.cites[e.k.rt.cite[id]] != r.Cite {
			t.Errorf("reason %d (%s): citation index points to %q, not %q", id, r.Code, e.k.rt.cites[e.k.rt.cite[id]], r.Cite)
		}
	}
	for x := rKnownFalse; x <= rExpired; x++ {
		y := rRedisDeficient + (x - rDeficient)
		ry := e.k.rt.reasons[y]
		if ry.Code != CodeRedisclosureNotInForce || !strings.Contains(ry.Message, "("+string(e.k.rt.reasons[x].Code)+")") {
			t.Errorf("redisclosure reason for %s is %s: %q", e.k.rt.reasons[x].Code, ry.Code, ry.Message)
		}
	}
}
