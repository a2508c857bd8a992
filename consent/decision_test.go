package consent

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

var allStatements = Statements{Revocation: true, Redisclosure: true, RefusalConsequences: true}

// tpoConsent is a conforming single TPO consent with the four general designations.
func tpoConsent() Consent {
	return Consent{
		ID: "c1", Patient: id("p1"), Kind: KindTPO, Disclosers: ids("prog-1"),
		Recipients: []Recipient{
			{Designation: DesignationTreatingProviders}, {Designation: DesignationHealthPlans},
			{Designation: DesignationThirdPartyPayers}, {Designation: DesignationProgramOperations},
		},
		Purposes:               []Purpose{PurposeTreatment, PurposePayment, PurposeOperations},
		Information:            []InfoKind{InfoKindSUDRecords},
		InformationDescription: "diagnosis and treatment plan",
		Expires:                Expiry{At: at("2027-01-01T00:00:00Z")},
		SignedAt:               at("2026-01-10T14:00:00Z"), Signer: SignerPatient, Statements: allStatements,
	}
}

// generalConsent is a conforming general consent naming ob-clinic for treatment.
func generalConsent() Consent {
	return Consent{
		ID: "c2", Patient: id("p1"), Kind: KindGeneral, Disclosers: ids("prog-1"),
		Recipients:             []Recipient{{ID: id("ob-clinic")}},
		Purposes:               []Purpose{PurposeTreatment},
		Information:            []InfoKind{InfoKindSUDRecords},
		InformationDescription: "medication and dose",
		Expires:                Expiry{At: at("2026-12-31T00:00:00Z")},
		SignedAt:               at("2026-01-15T09:00:00Z"), Signer: SignerPatient, Statements: allStatements,
	}
}

func labAgreement() QSOAgreement {
	return QSOAgreement{ID: "q1", Program: id("prog-1"), Organization: id("lab-1"),
		Services: []Service{ServiceLaboratoryAnalyses}, Written: true, BoundByPart2: true,
		ResistJudicialAccess: true, SignedAt: at("2025-12-01T00:00:00Z"),
		Effective: at("2026-01-01T00:00:00Z"), Expires: at("2027-01-01T00:00:00Z")}
}

func obRequest() Request {
	return Request{Patient: id("p1"), Discloser: id("prog-1"),
		Recipient: Party{ID: id("ob-clinic"), Kind: RecipientKindCoveredEntity},
		Purpose:   PurposeTreatment, Information: []InfoKind{InfoKindSUDRecords},
		At: at("2026-02-01T10:00:00Z")}
}

func mustCompile(t testing.TB, cs []Consent, qs []QSOAgreement) *Engine {
	t.Helper()
	e, err := Compile(cs, qs)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// Expected decisions below are written from the rule they cite, not from the code's output.
var (
	// 2.32(a): "Each disclosure made with the patient's written consent must be accompanied
	// by one of the following written statements", with a copy of the consent or a clear
	// explanation of its scope.
	notice = Obligation{Code: ObligationCodeNotice232, Cite: "42 CFR 2.32(a)",
		Message: "Attach one of the written statements of 42 CFR 2.32(a), with a copy of the consent or a clear explanation of its scope."}
	// 2.25: the patient's accounting of disclosures made with consent.
	accounting = Obligation{Code: ObligationCodeRecordDisclosure, Cite: "42 CFR 2.25",
		Message: "Record the disclosure for the patient's accounting of disclosures."}
	// 2.13(a): "Any use or disclosure made under the regulations in this part must be limited
	// to that information which is necessary to carry out the purpose of the use or
	// disclosure": every permit under a consent carries it.
	need = Obligation{Code: ObligationCodeLimitToNeed, Cite: "42 CFR 2.13(a)",
		Message: "Disclose only what the recipient needs for the purpose."}
	closing = Reason{Code: CodeNoBasis, Cite: "42 CFR 2.13(a)",
		Message: "No consent or exception permits this disclosure; records may be disclosed only as Part 2 permits."}
	// 2.33(a)(1): "A part 2 program may use and disclose those records in accordance with
	// that consent to any person or category of persons identified or generally designated
	// in the consent".
	consentPermits = func(id string) Reason {
		return Reason{Code: CodeConsentPermits, Cite: "42 CFR 2.33(a)(1)", Consent: id,
			Message: "The consent is in force and names the discloser, the recipient, the purpose and every kind of information requested."}
	}
	// 2.33(a)(2): under "a single consent for all future uses and disclosures for treatment,
	// payment, and health care operations, a part 2 program ... may use and disclose those
	// records for treatment, payment, and health care operations".
	tpoPermits = func(id string) Reason {
		return Reason{Code: CodeConsentPermits, Cite: "42 CFR 2.33(a)(2)", Consent: id,
			Message: "The single TPO consent is in force and names the discloser; the recipient, the purpose (treatment, payment or health care operations) and every kind of information requested are within it."}
	}
)

func TestDecideWholeDecisions(t *testing.T) {
	tests := []struct {
		name     string
		consents []Consent
		qsoas    []QSOAgreement
		req      func() Request
		want     DecisionRecord
	}{
		{
			name:     "TPO consent, treating provider: permit with the 2.32 notice and the accounting (2.33(a)(2), 2.31(a)(4)(i), 2.32(a), 2.25)",
			consents: []Consent{tpoConsent()},
			req:      obRequest,
			// The consent expires 2027-01-01: the permit's basis ends then (2.31(c)(1)).
			want: DecisionRecord{Permit: true, Basis: Basis{Kind: BasisKindConsent, Consent: "c1"},
				Reasons:     []Reason{tpoPermits("c1")},
				Obligations: []Obligation{notice, accounting, need},
				Citations:   []string{"42 CFR 2.33(a)(2)", "42 CFR 2.32(a)", "42 CFR 2.25", "42 CFR 2.13(a)"},
				Until:       at("2027-01-01T00:00:00Z"),
				Edition:     RuleEdition},
		},
		{
			name:     "general consent, its named recipient: permit on 2.33(a)(1) with the notice and the accounting, until it expires",
			consents: []Consent{generalConsent()},
			req:      obRequest,
			// 2.33(a)(1): "in accordance with that consent to any person ... identified ...
			// in the consent"; generalConsent expires 2026-12-31 (2.31(c)(1)).
			want: DecisionRecord{Permit: true, Basis: Basis{Kind: BasisKindConsent, Consent: "c2"},
				Reasons:     []Reason{consentPermits("c2")},
				Obligations: []Obligation{notice, accounting, need},
				Citations:   []string{"42 CFR 2.33(a)(1)", "42 CFR 2.32(a)", "42 CFR 2.25", "42 CFR 2.13(a)"},
				Until:       at("2026-12-31T00:00:00Z"),
				Edition:     RuleEdition},
		},
		{
			name: "medical emergency: permit, document it and limit to need (2.51(a), (c))",
			req: func() Request {
				r := obRequest()
				r.Recipient = Party{ID: id("ed-1"), Kind: RecipientKindMedicalPersonnel}
				r.Purpose = PurposeEmergencyTreatment
				r.Facts.Emergency = true
				return r
			},
			want: DecisionRecord{Permit: true, Basis: Basis{Kind: BasisKindException, Section: "42 CFR 2.51"},
				Reasons: []Reason{{Code: CodeEmergencyPermits, Cite: "42 CFR 2.51(a)",
					Message: "Disclosure to medical personnel to the extent needed to meet a bona fide medical emergency in which the patient's consent cannot first be obtained."}},
				Obligations: []Obligation{
					{Code: ObligationCodeDocumentEmergency, Cite: "42 CFR 2.51(c)",
						Message: "Immediately document in the patient's records who received the information and their affiliation, who disclosed it, the date and time, and the nature of the emergency."},
					{Code: ObligationCodeLimitToNeed, Cite: "42 CFR 2.51(a)",
						Message: "Disclose only what the recipient needs for the stated purpose, service or incident."},
				},
				Citations: []string{"42 CFR 2.51", "42 CFR 2.51(a)", "42 CFR 2.51(c)"},
				Edition:   RuleEdition},
		},
		{
			name:     "counseling notes under a TPO consent: deny, with why the consent did not apply (2.31(b))",
			consents: []Consent{tpoConsent()},
			req: func() Request {
				r := obRequest()
				r.Information = []InfoKind{InfoKindCounselingNotes}
				return r
			},
			want: DecisionRecord{
				Reasons: []Reason{
					{Code: CodeCounselingNotesOwn, Cite: "42 CFR 2.31(b)", Consent: "c1",
						Message: "SUD counseling notes may be disclosed only under a consent for counseling notes alone."},
					closing,
				},
				Citations: []string{"42 CFR 2.31(b)", "42 CFR 2.13(a)"},
				Edition:   RuleEdition},
		},
		{
			name: "revoked at the instant and the other consent's recipient differs: every reason listed (2.31(c)(3), (a)(4))",
			consents: []Consent{func() Consent { c := generalConsent(); c.RevokedAt = at("2026-02-01T10:00:00Z"); return c }(), func() Consent {
				c := generalConsent()
				c.ID = "c3"
				c.Recipients = []Recipient{{ID: id("peds-1")}}
				return c
			}()},
			req: obRequest,
			want: DecisionRecord{
				Reasons: []Reason{
					{Code: CodeConsentRevoked, Cite: "42 CFR 2.31(c)(3)", Consent: "c2",
						Message: "The consent was revoked in writing at or before that instant; revocation counts from its receipt, never before."},
					{Code: CodeRecipientNotCovered, Cite: "42 CFR 2.31(a)(4)", Consent: "c3",
						Message: "The consent does not name or designate this recipient."},
					closing,
				},
				Citations: []string{"42 CFR 2.31(c)(3)", "42 CFR 2.31(a)(4)", "42 CFR 2.13(a)"},
				Edition:   RuleEdition},
		},
		{
			name:  "QSO agreement for laboratory analyses: permit, limit to need (2.12(c)(4))",
			qsoas: []QSOAgreement{labAgreement()},
			req: func() Request {
				r := obRequest()
				r.Recipient = Party{ID: id("lab-1"), Kind: RecipientKindQSO}
				r.Purpose = PurposeQSOService
				r.Service = ServiceLaboratoryAnalyses
				return r
			},
			want: DecisionRecord{Permit: true, Basis: Basis{Kind: BasisKindException, Section: SectionQSO},
				Reasons: []Reason{{Code: CodeQSOPermits, Cite: SectionQSO,
					Message: "A valid QSO agreement in force covers a service the organization provides to the program."}},
				Obligations: []Obligation{{Code: ObligationCodeLimitToNeed, Cite: SectionQSO,
					Message: "Disclose only what the recipient needs for the stated purpose, service or incident."}},
				Citations: []string{SectionQSO},
				// labAgreement expires 2027-01-01: the QSO basis ends then.
				Until:   at("2027-01-01T00:00:00Z"),
				Edition: RuleEdition},
		},
		{
			name:     "covered entity redisclosing for treatment what it received under a TPO consent (2.33(b)(1))",
			consents: []Consent{tpoConsent()},
			req: func() Request {
				r := obRequest()
				r.Discloser = id("ob-clinic")
				r.Recipient = Party{ID: id("peds-1"), Kind: RecipientKindCoveredEntity}
				r.Holder = &Holder{Kind: RecipientKindCoveredEntity, ReceivedUnder: "c1", ReceivedAt: at("2026-01-20T00:00:00Z")}
				return r
			},
			// 2.33(b)(1): "When disclosed for treatment, payment, and health care operations
			// activities to a covered entity or business associate, such recipient may further
			// disclose those records in accordance with the HIPAA regulations". It is not a
			// disclosure with written consent (no 2.32 notice). 2.33(a)(2) lets a covered entity
			// use and disclose under a single TPO consent "until such time as the patient revokes
			// such consent in writing": the basis ends with the consent (2027-01-01; the default
			// Policy reads an expiry the same way). The limit to need is 2.13(a)'s.
			want: DecisionRecord{Permit: true,
				Basis: Basis{Kind: BasisKindRedisclosure, Consent: "c1", Section: "42 CFR 2.33(b)(1)"},
				Reasons: []Reason{{Code: CodeRedisclosurePermits, Cite: "42 CFR 2.33(b)(1)", Consent: "c1",
					Message: "A covered entity or business associate that received the records for treatment, payment or health care operations may further disclose them as HIPAA permits, except in proceedings against the patient; this package judges the HIPAA permissions for treatment, payment and health care operations only."}},
				Obligations: []Obligation{need},
				Citations:   []string{"42 CFR 2.33(b)(1)", "42 CFR 2.13(a)"},
				Until:       at("2027-01-01T00:00:00Z"),
				Edition:     RuleEdition},
		},
		{
			name:     "Part 2 program redisclosing consistent with the TPO consent it received the records under (2.33(b)(2), 2.32(a))",
			consents: []Consent{tpoConsent()},
			req: func() Request {
				r := obRequest()
				r.Discloser = id("prog-2")
				r.Recipient = Party{ID: id("peds-1"), Kind: RecipientKindCoveredEntity}
				// prog-2 received the records as one of the patient's treating providers, the
				// only designation of the consent that may reach a Part 2 program (2.31(a)(4)(i)).
				r.Holder = &Holder{Kind: RecipientKindPart2Program, ReceivedUnder: "c1", ReceivedAt: at("2026-01-20T00:00:00Z"),
					TreatingProviderRelationship: true}
				return r
			},
			// 2.33(b)(2): "When disclosed with consent given once for all future treatment,
			// payment, and health care operations activities to a part 2 program that is not a
			// covered entity or business associate, the recipient may further disclose those
			// records consistent with the consent." peds-1 is a treating provider the consent
			// designates. The redisclosure is made on the basis of the consent: the 2.32(a)
			// notice and the 2.25 accounting go with it, and it ends with the consent
			// (2027-01-01, 2.31(c)(1)).
			want: DecisionRecord{Permit: true,
				Basis: Basis{Kind: BasisKindRedisclosure, Consent: "c1", Section: "42 CFR 2.33(b)(2)"},
				Reasons: []Reason{{Code: CodeRedisclosurePermits, Cite: "42 CFR 2.33(b)(2)", Consent: "c1",
					Message: "A Part 2 program that received the records under a single TPO consent may further disclose them consistent with the consent, which covers this recipient, purpose and information."}},
				Obligations: []Obligation{notice, accounting, need},
				Citations:   []string{"42 CFR 2.33(b)(2)", "42 CFR 2.32(a)", "42 CFR 2.25", "42 CFR 2.13(a)"},
				Until:       at("2027-01-01T00:00:00Z"),
				Edition:     RuleEdition},
		},
		{
			name: "lawful holder (a payer that is not a covered entity) to its billing contractor (2.33(b)(3))",
			consents: []Consent{func() Consent {
				c := generalConsent()
				c.Recipients = []Recipient{{ID: id("payer-x")}}
				c.Purposes = []Purpose{PurposePayment}
				return c
			}()},
			req: func() Request {
				r := obRequest()
				r.Discloser = id("payer-x")
				r.Recipient = Party{ID: id("billing-co"), Kind: RecipientKindContractor}
				r.Purpose = PurposePayment
				r.Holder = &Holder{Kind: RecipientKindLawfulHolder, ReceivedUnder: "consent:c2", ReceivedAt: at("2026-01-20T00:00:00Z")}
				r.Facts.ContractorBound = true // the written contract of 2.33(c)
				return r
			},
			// 2.33(b)(3): "When disclosed for payment or health care operations activities to
			// a lawful holder that is not a covered entity or business associate, the recipient
			// may further disclose those records as may be necessary for its contractors,
			// subcontractors, or legal representatives to carry out payment and/or health care
			// operations on behalf of such lawful holder"; the contractor gets the 2.32 notice
			// (2.33(c)), and the holder must require the contractor's safeguards and breach
			// reports (2.33(c)). generalConsent expires 2026-12-31.
			want: DecisionRecord{Permit: true,
				Basis: Basis{Kind: BasisKindRedisclosure, Consent: "c2", Section: "42 CFR 2.33(b)(3)"},
				Reasons: []Reason{{Code: CodeRedisclosurePermits, Cite: "42 CFR 2.33(b)(3)", Consent: "c2",
					Message: "A lawful holder that received the records for payment or health care operations may disclose what its contractor, subcontractor or legal representative needs to carry out those activities on its behalf."}},
				Obligations: []Obligation{notice, {Code: ObligationCodeContractorSafeguards, Cite: "42 CFR 2.33(c)",
					Message: "Require the contractor, subcontractor or legal representative to implement appropriate safeguards against unauthorized uses and disclosures and to report any unauthorized use, disclosure or breach to the lawful holder."},
					{Code: ObligationCodeLimitToNeed, Cite: "42 CFR 2.33(b)(3)",
						Message: "Disclose only what the recipient needs for the purpose."}},
				Citations: []string{"42 CFR 2.33(b)(3)", "42 CFR 2.32(a)", "42 CFR 2.33(c)"},
				Until:     at("2026-12-31T00:00:00Z"),
				Edition:   RuleEdition},
		},
		{
			name: "unknown purpose and unknown recipient kind: deny with both reasons, nothing else judged",
			req: func() Request {
				r := obRequest()
				_ = r.Purpose.UnmarshalText([]byte("marketing"))
				_ = r.Recipient.Kind.UnmarshalText([]byte("data_broker"))
				return r
			},
			want: DecisionRecord{
				Reasons: []Reason{
					{Code: CodeRequestUnknownPurpose, Cite: "42 CFR 2.13(a)", Message: "The purpose is missing or unknown; a disclosure for an unknown purpose is denied."},
					{Code: CodeRequestUnknownRecipient, Cite: "42 CFR 2.13(a)", Message: "The recipient's kind is missing or unknown; a disclosure to an unknown kind of recipient is denied."},
					closing,
				},
				Citations: []string{"42 CFR 2.13(a)"},
				Edition:   RuleEdition},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := mustCompile(t, tt.consents, tt.qsoas)
			got := e.Decide(tt.req()).Record()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Decide mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// A failed QSO exception names the agreement that came closest (2.11, 2.12(c)(4)).
func TestQSODenyNamesAgreement(t *testing.T) {
	expired := labAgreement()
	expired.ID = "q-old"
	expired.Expires = at("2026-01-15T00:00:00Z")
	invalid := labAgreement()
	invalid.ID = "q-bad"
	invalid.BoundByPart2 = false
	e := mustCompile(t, nil, []QSOAgreement{invalid, expired})
	r := obRequest()
	r.Recipient = Party{ID: id("lab-1"), Kind: RecipientKindQSO}
	r.Purpose = PurposeQSOService
	want := DecisionRecord{
		Reasons: []Reason{
			{Code: CodeNoConsents, Cite: "42 CFR 2.31", Message: "No consent of this patient is on file."},
			{Code: CodeQSONotInForce, Cite: SectionQSO, Agreement: "q-old",
				Message: "The QSO agreement with this organization was not in force at that instant."},
			closing,
		},
		Citations: []string{"42 CFR 2.31", SectionQSO, "42 CFR 2.13(a)"},
		Edition:   RuleEdition,
	}
	if diff := cmp.Diff(want, e.Decide(r).Record()); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestExplainAddsOtherConsents(t *testing.T) {
	other := generalConsent()
	other.ID = "c3"
	other.Recipients = []Recipient{{ID: id("peds-1")}}
	e := mustCompile(t, []Consent{other, tpoConsent()}, nil)
	want := DecisionRecord{Permit: true, Basis: Basis{Kind: BasisKindConsent, Consent: "c1"},
		Reasons: []Reason{tpoPermits("c1"),
			{Code: CodeRecipientNotCovered, Cite: "42 CFR 2.31(a)(4)", Consent: "c3",
				Message: "The consent does not name or designate this recipient."}},
		Obligations: []Obligation{notice, accounting, need},
		Citations:   []string{"42 CFR 2.33(a)(2)", "42 CFR 2.32(a)", "42 CFR 2.25", "42 CFR 2.13(a)", "42 CFR 2.31(a)(4)"},
		Until:       at("2027-01-01T00:00:00Z"),
		Edition:     RuleEdition}
	if diff := cmp.Diff(want, e.Explain(obRequest()).Record()); diff != "" {
		t.Errorf("Explain mismatch (-want +got):\n%s", diff)
	}
	// Decide gives the same outcome with the basis reasons only.
	d := e.Decide(obRequest()).Record()
	want.Reasons = want.Reasons[:1]
	want.Citations = want.Citations[:4]
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("Decide mismatch (-want +got):\n%s", diff)
	}
}

func TestZeroDecisionDenies(t *testing.T) {
	var d Decision
	if d.Permit {
		t.Fatal("zero Decision permits")
	}
	// Every form of it: no reason, obligation, citation or end, and it survives JSON.
	if diff := cmp.Diff(DecisionRecord{}, d.Record()); diff != "" || d.String() != "deny" || d.HasReason(CodeNoBasis) ||
		!d.Until().IsZero() || !d.Equal(Decision{}) {
		t.Errorf("zero Decision: %q, record (-want +got):\n%s", d.String(), diff)
	}
	b, err := json.Marshal(d)
	var back Decision
	if err != nil || json.Unmarshal(b, &back) != nil || !back.Equal(d) || back.Permit {
		t.Errorf("zero Decision through JSON: %s, %v, %v", b, err, back)
	}
	var e *Engine
	got := e.Decide(obRequest())
	if got.Permit || !got.HasReason(CodeNoBasis) || got.Edition != RuleEdition {
		t.Errorf("nil engine decision = %+v, want deny with no_basis", got)
	}
}

func TestCompileErrors(t *testing.T) {
	dup := []Consent{generalConsent(), generalConsent()}
	if _, err := Compile(dup, nil); !errors.Is(err, ErrDuplicateID) {
		t.Errorf("duplicate consent IDs: err = %v, want ErrDuplicateID", err)
	}
	noID := generalConsent()
	noID.ID = ""
	if _, err := Compile([]Consent{noID}, nil); !errors.Is(err, ErrMissingID) {
		t.Errorf("missing consent ID: err = %v, want ErrMissingID", err)
	}
	q := labAgreement()
	if _, err := Compile(nil, []QSOAgreement{q, q}); !errors.Is(err, ErrDuplicateID) {
		t.Errorf("duplicate agreement IDs: err = %v, want ErrDuplicateID", err)
	}
	q.ID = ""
	if _, err := Compile(nil, []QSOAgreement{q}); !errors.Is(err, ErrMissingID) {
		t.Errorf("missing agreement ID: err = %v, want ErrMissingID", err)
	}
}

// The engine copies its inputs: changing them after Compile changes no decision.
func TestEngineIsImmutable(t *testing.T) {
	cs := []Consent{generalConsent()}
	qs := []QSOAgreement{labAgreement()}
	e := mustCompile(t, cs, qs)
	cs[0].Recipients[0].ID = id("someone-else")
	cs[0].Disclosers[0] = id("prog-9")
	cs[0].Purposes[0] = PurposePayment
	qs[0].Services[0] = ServiceLegal
	if d := e.Decide(obRequest()); !d.Permit {
		t.Errorf("decision changed after the inputs were modified: %v", d)
	}
	r := obRequest()
	r.Recipient = Party{ID: id("lab-1"), Kind: RecipientKindQSO}
	r.Purpose = PurposeQSOService
	r.Service = ServiceLaboratoryAnalyses
	if d := e.Decide(r); !d.Permit {
		t.Errorf("QSO decision changed after the agreement was modified: %v", d)
	}
	if got := e.Consents(id("p1")); len(got) != 1 || got[0].Recipients[0].ID != id("ob-clinic") {
		t.Errorf("Consents(p1) = %+v", got)
	}
}

// Many goroutines share one engine; run with -race.
func TestEngineConcurrent(t *testing.T) {
	e := mustCompile(t, []Consent{tpoConsent(), generalConsent()}, []QSOAgreement{labAgreement()})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				r := obRequest()
				if (g+i)%2 == 1 {
					r.Information = []InfoKind{InfoKindCounselingNotes}
				}
				d := e.Decide(r)
				if d.Permit != ((g+i)%2 == 0) {
					t.Errorf("goroutine %d request %d: %v", g, i, d)
					return
				}
			}
		}()
	}
	wg.Wait()
	// One deny shared by goroutines that read its reasons (judged again at each reading)
	// while others decide: every reading is the same.
	r := obRequest()
	r.Information = []InfoKind{InfoKindCounselingNotes}
	shared := e.Decide(r)
	want := shared.Record()
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				if g%2 == 0 {
					_ = e.Explain(obRequest())
					continue
				}
				if diff := cmp.Diff(want, shared.Record()); diff != "" {
					t.Errorf("goroutine %d read another deny (-want +got):\n%s", g, diff)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestStatusAt(t *testing.T) {
	c := generalConsent()
	c.RevokedAt = at("2026-06-01T00:00:00Z")
	tests := []struct {
		at   string
		want Status
	}{
		{"2026-01-15T08:59:59Z", StatusNotYetSigned},
		{"2026-01-15T09:00:00Z", StatusInForce}, // signed at this instant
		{"2026-05-31T23:59:59Z", StatusInForce},
		{"2026-06-01T00:00:00Z", StatusRevoked}, // revocation counts from receipt
		{"2027-06-01T00:00:00Z", StatusRevoked}, // revocation wins over a later expiry
	}
	for _, tt := range tests {
		if got := c.StatusAt(at(tt.at)); got != tt.want {
			t.Errorf("StatusAt(%s) = %v, want %v", tt.at, got, tt.want)
		}
	}
	c.RevokedAt = time.Time{}
	if got := c.StatusAt(at("2026-12-31T00:00:00Z")); got != StatusExpired {
		t.Errorf("at the expiry instant: %v, want expired", got)
	}
	c.KnownFalseAt = at("2026-03-01T00:00:00Z")
	if got := c.StatusAt(at("2026-02-28T23:59:59Z")); got != StatusInForce {
		t.Errorf("before the falsity was known: %v, want in force", got)
	}
	if got := c.StatusAt(at("2026-03-01T00:00:00Z")); got != StatusKnownFalse {
		t.Errorf("from the instant the falsity was known: %v, want known false", got)
	}
	c.KnownFalseAt = time.Time{}
	c.KnownFalse = true
	if got := c.StatusAt(at("2026-02-01T00:00:00Z")); got != StatusKnownFalse {
		t.Errorf("known false without a time: %v", got)
	}
	c.Signer = SignerUnknown
	if got := c.StatusAt(at("2026-02-01T00:00:00Z")); got != StatusDeficient {
		t.Errorf("unsigned: %v", got)
	}
}

func TestQSOAgreementInForceAt(t *testing.T) {
	a := labAgreement()
	tests := []struct {
		at   string
		want bool
	}{
		{"2025-12-31T23:59:59Z", false},
		{"2026-01-01T00:00:00Z", true},
		{"2026-12-31T23:59:59Z", true},
		{"2027-01-01T00:00:00Z", false},
	}
	for _, tt := range tests {
		if got := a.InForceAt(at(tt.at)); got != tt.want {
			t.Errorf("InForceAt(%s) = %v, want %v", tt.at, got, tt.want)
		}
	}
	// Backdated: effective before signature counts only from the signature.
	a.Effective = at("2025-11-01T00:00:00Z")
	if a.InForceAt(at("2025-11-15T00:00:00Z")) {
		t.Error("backdated agreement in force before it was signed")
	}
	if !a.InForceAt(at("2025-12-01T00:00:00Z")) {
		t.Error("backdated agreement not in force once signed")
	}
	a.ResistJudicialAccess = false
	if a.InForceAt(at("2026-06-01T00:00:00Z")) {
		t.Error("invalid agreement reported in force")
	}
}

func TestValidationErrors(t *testing.T) {
	c := generalConsent()
	c.Patient = Identifier{}
	c.Signer = SignerUnknown
	c.InformationDescription = "Jane Roe, born 1990-04-02: heroin use"
	err := c.Validate()
	if !errors.Is(err, ErrInvalidConsent) || errors.Is(err, ErrInvalidAgreement) {
		t.Fatalf("err = %v, want ErrInvalidConsent only", err)
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err is %T, want *ValidationError", err)
	}
	want := []Problem{
		{Code: CodeMissingPatient, Severity: SeverityError, Cite: "42 CFR 2.31(a)(1)", Message: "The consent does not identify the patient."},
		{Code: CodeUnknownSigner, Severity: SeverityError, Cite: "42 CFR 2.31(a)(8)", Message: "The consent is not signed by the patient or a person authorized to sign in lieu of the patient."},
	}
	if diff := cmp.Diff(want, ve.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if want := `consent: invalid consent "c2": missing_patient (42 CFR 2.31(a)(1)); missing_signature (42 CFR 2.31(a)(8))`; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if generalConsent().Validate() != nil {
		t.Error("conforming consent reported invalid")
	}
	q := labAgreement()
	q.Services = append(q.Services, "prenatal care of Jane Roe")
	q.Written = false
	err = q.Validate()
	if !errors.Is(err, ErrInvalidAgreement) {
		t.Fatalf("agreement err = %v", err)
	}
	if want := `consent: invalid QSO agreement "q1": service_outside_2_11 [warning] (42 CFR 2.11); not_written (42 CFR 2.11)`; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}

// No message, error or String ever carries a patient's name or the consent's free text.
func TestNoFreeTextLeaks(t *testing.T) {
	const secret = "Jane Roe"
	c := generalConsent()
	c.InformationDescription = secret + " heroin"
	c.Expires = Expiry{Event: secret + " delivers", OccurredAt: at("2026-01-20T00:00:00Z")}
	c.DiscloserDesignation = secret + "'s programs"
	bad := c
	bad.Signer = SignerUnknown
	bad.ID = "c9"
	e := mustCompile(t, []Consent{c, bad}, nil)
	for _, d := range []Decision{e.Decide(obRequest()), e.Explain(obRequest())} {
		b, _ := json.Marshal(d)
		if strings.Contains(string(b), secret) || strings.Contains(d.String(), secret) {
			t.Errorf("decision leaks free text: %s", b)
		}
	}
	if err := bad.Validate(); err == nil || strings.Contains(err.Error(), secret) {
		t.Errorf("validation error leaks free text or is nil: %v", err)
	}
	for _, p := range bad.Problems() {
		if strings.Contains(p.String(), secret) {
			t.Errorf("problem leaks free text: %v", p)
		}
	}
}

func TestDecisionString(t *testing.T) {
	e := mustCompile(t, []Consent{tpoConsent()}, nil)
	if got, want := e.Decide(obRequest()).String(), `permit on consent:"c1": consent_permits`; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got, want := (Decision{}).String(), "deny"; got != want {
		t.Errorf("zero String() = %q, want %q", got, want)
	}
}
