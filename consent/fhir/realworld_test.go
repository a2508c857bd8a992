package fhir

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The fixtures under testdata/realworld are this package's own resources written in the
// shapes of the R4 and R5 Consent test resources of an open-source consent decision service
// (LEAP CDS, sdhealthconnect/leap-cds): a privacy scope given only in category, a HIPAA
// policy rule and nothing marking Part 2, nested denies restricting an actor together with
// an action, a class, a code, a label or a resource type, a code given as one object where
// FHIR wants an array, labels whose system is a value set URL, R5's regulatoryBasis given as
// one object, R4 elements (class, organization) inside R5 resources, dates without a time.
// Beside them, a patient portal's Part 2 consent (R4), an HIE's later opt-out of one
// recipient (R4) and a Part 2 opt-in (R5). Every one is read; none is refused.

var (
	rwPatient = consent.Identifier{System: "http://hl7.org/fhir/sid/us-medicare", Value: "5XK2-PR4-HT83"}
	rwProgram = consent.Identifier{System: "http://hl7.org/fhir/sid/us-npi", Value: "1902837465"}
	rwOB      = consent.Identifier{System: "http://hl7.org/fhir/sid/us-npi", Value: "1467503390"}
	rwPeds    = consent.Identifier{System: "http://hl7.org/fhir/sid/us-npi", Value: "1245319599"}
	rwHarbor  = consent.Identifier{System: "http://hl7.org/fhir/sid/us-npi", Value: "1730495822"}
	rwPract   = consent.Identifier{System: "http://hl7.org/fhir/sid/us-npi", Value: "1588664410"}
	// rwAt is inside every fixture's period but the expired ones, after every signing but
	// the later opt-out's.
	rwAt       = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	allStmts   = consent.Statements{Revocation: true, Redisclosure: true, RefusalConsequences: true}
	leapMissng = []string{ // what every LEAP-shaped consent lacks under 2.31(a)
		"missing_information", "missing_information_description", // (a)(3): no label, no description
		"missing_recipient",                                           // (a)(4)(i): a permit for everyone names no recipient
		"missing_purpose",                                             // (a)(5)
		"missing_revocation_statement",                                // (a)(6): no statements (zero Options)
		"missing_signature",                                           // (a)(8): no performer
		"missing_redisclosure_statement", "missing_refusal_statement", // (a)(10)
	}
)

func rwRequest(recipient consent.Identifier, purpose consent.Purpose) consent.Request {
	return consent.Request{Patient: rwPatient, Discloser: rwProgram,
		Recipient: consent.Party{ID: recipient, Kind: consent.RecipientKindCoveredEntity},
		Purpose:   purpose, Information: []consent.InfoKind{consent.InfoKindSUDRecords}, At: rwAt}
}

func readFixture(t *testing.T, o Options, name string) Reading {
	t.Helper()
	rd, err := o.Read(mustRead(t, filepath.Join("testdata", "realworld", name)))
	if err != nil {
		t.Fatalf("%s refused: %v", name, err)
	}
	return rd
}

func codesBy(fs []Finding, e Effect) []string {
	var out []string
	for _, f := range fs {
		if f.Effect == e {
			out = append(out, string(f.Code))
		}
	}
	return out
}

func reasonCodes(d consent.Decision) []string {
	var out []string
	for _, r := range d.Reasons() {
		out = append(out, string(r.Code))
	}
	return out
}

// TestRealWorldShapes reads every fixture with the zero Options (no statements assumed) and
// checks, by hand against 42 CFR part 2, what it grants, what it lacks, what was narrowed,
// what it refuses, and the decision for a disclosure of SUD records for treatment to the
// actor the fixture's deny names (or to the OB clinic where it names none).
func TestRealWorldShapes(t *testing.T) {
	tests := []struct {
		file      string
		version   Version
		grants    int      // consents granted
		deficient []string // every missing 2.31(a) element, in the order Consent.Problems lists them
		narrowed  []string // findings that narrowed the reading
		refusals  int
		onFile    bool
		to        consent.Identifier
		reasons   []string // reasons the deny must carry
	}{
		// A permit for everyone, minus the practitioner: nothing of 2.31(a) but the patient,
		// the discloser and the dates; deficient, so it permits nothing (2.31(c)(2)).
		// period.start "2024-03-04" (a day) begins everywhere at 12:00Z, after the signing
		// at 09:15Z: the consent counts from that start (narrowed).
		{"r4/deny-practitioner.json", VersionR4, 1, leapMissng, []string{"unmappable_element"}, 1, true, rwPract,
			[]string{"consent_deficient", "fhir_patient_refused"}},
		// Deny harbor "access" of code 11450-4 (code given as one object): the model cannot
		// hold a code, so harbor is excluded entirely (deny_widened).
		{"r4/deny-clinical-code.json", VersionR4, 1, leapMissng, []string{"deny_widened"}, 1, true, rwHarbor,
			[]string{"consent_deficient", "fhir_patient_refused"}},
		{"r4/deny-class-and-label.json", VersionR4, 1, leapMissng, []string{"deny_widened", "deny_widened"}, 2, true, rwHarbor,
			[]string{"consent_deficient", "fhir_patient_refused"}},
		{"r4/deny-class-only.json", VersionR4, 1, leapMissng, []string{"deny_widened"}, 1, true, rwHarbor,
			[]string{"consent_deficient", "fhir_patient_refused"}},
		{"r4/deny-class-with-label.json", VersionR4, 1, leapMissng, []string{"deny_widened"}, 1, true, rwHarbor,
			[]string{"consent_deficient", "fhir_patient_refused"}},
		// Deny label R (restricted) to harbor: R names no Part 2 kind and SUD records are so
		// labelled; the actor is excluded entirely.
		{"r4/deny-label.json", VersionR4, 1, leapMissng, []string{"deny_widened"}, 1, true, rwHarbor,
			[]string{"consent_deficient", "fhir_patient_refused"}},
		// The period ended in 2019, before the signing in 2024: expires_before_signed
		// (2.31(a)(7)) besides the rest.
		{"r4/expired.json", VersionR4, 1, insertAfter(leapMissng, "missing_revocation_statement", "expires_before_signed"), nil, 1, true, rwHarbor,
			[]string{"consent_deficient", "fhir_patient_refused"}},
		// Inactive without a revocation time: when it stopped counting is unknown, so it
		// grants nothing (2.31(c)(3) cannot be applied); its deny still counts.
		{"r4/inactive.json", VersionR4, 0, nil, []string{"status_not_mappable", "grants_nothing"}, 1, true, rwHarbor,
			[]string{"fhir_patient_refused", "fhir_consent_grants_nothing"}},
		// Deny ETHUD and HIV (system: a value set URL) for everyone: HIV names no Part 2
		// kind, so every kind is denied and nothing is granted.
		{"r4/deny-labels-valueset-system.json", VersionR4, 0, nil, []string{"deny_widened", "grants_nothing"}, 1, true, rwOB,
			[]string{"fhir_patient_refused", "fhir_consent_grants_nothing"}},
		// Purposes in the root permit: TREAT and ETREAT read; no recipient, label or signer.
		{"r4/optin-purpose-in-root.json", VersionR4, 1, without(leapMissng, "missing_purpose"), nil, 0, true, rwOB,
			[]string{"consent_deficient"}},
		{"r4/optin-scope-in-category.json", VersionR4, 1, leapMissng, nil, 1, true, rwHarbor,
			[]string{"consent_deficient", "fhir_patient_refused"}},
		// The denied actor is a literal reference alone ("Organization/org-harbor"): read as
		// that id without a system, which may be any system's: it reaches an actor of that
		// value, not the NPI of this request (the FHIR server that could tell is not asked).
		{"r4/optin-literal-actor.json", VersionR4, 1, leapMissng, nil, 1, true, rwHarbor,
			[]string{"consent_deficient"}},
		// An opt-out: a base deny (with a redundant nested deny) grants nothing and refuses
		// every disclosure.
		{"r4/optout.json", VersionR4, 0, nil, []string{"grants_nothing"}, 1, true, rwOB,
			[]string{"fhir_patient_refused", "fhir_consent_grants_nothing"}},
		// One nested deny names purpose HMARKT (marketing), no Part 2 purpose: a denied
		// purpose the reader cannot map may be any Part 2 purpose, so the deny is read as
		// denying every purpose (deny_widened) and the consent grants nothing (QA3: a
		// refusal fails closed, 2.31(c), 2.33(a)(1)).
		{"r4/provision-array.json", VersionR4, 0, nil, []string{"deny_widened", "deny_widened", "deny_widened", "grants_nothing"}, 3, true, rwHarbor,
			[]string{"fhir_patient_refused", "fhir_consent_grants_nothing"}},
		// A research consent (scope research in category) authorizes no disclosure and is no
		// privacy consent on file; inactive besides. Its deny of harbor is a refusal of
		// research disclosure to harbor (consentscope research: "information sharing
		// required" for research; QA3: a refusal fails closed whatever the scope label).
		{"r4/research.json", VersionR4, 0, nil, []string{"scope_not_privacy", "status_not_mappable", "grants_nothing"}, 1, false, rwOB,
			[]string{"no_consent_on_file"}},

		{"r5/deny-practitioner.json", VersionR5, 1, leapMissng, nil, 1, true, rwPract,
			[]string{"consent_deficient", "fhir_patient_refused"}},
		{"r5/deny-clinical-code.json", VersionR5, 1, leapMissng, []string{"deny_widened"}, 1, true, rwHarbor,
			[]string{"consent_deficient", "fhir_patient_refused"}},
		// class is R4's; in an R5 resource it is read all the same (mixed_versions).
		{"r5/deny-class-and-label.json", VersionR5, 1, leapMissng, []string{"deny_widened", "deny_widened"}, 2, true, rwHarbor,
			[]string{"consent_deficient", "fhir_patient_refused"}},
		{"r5/deny-resource-type.json", VersionR5, 1, leapMissng, []string{"deny_widened"}, 1, true, rwHarbor,
			[]string{"consent_deficient", "fhir_patient_refused"}},
		{"r5/deny-label.json", VersionR5, 1, leapMissng, []string{"deny_widened"}, 1, true, rwHarbor,
			[]string{"consent_deficient", "fhir_patient_refused"}},
		{"r5/expired.json", VersionR5, 1, insertAfter(leapMissng, "missing_revocation_statement", "expires_before_signed"), nil, 1, true, rwHarbor,
			[]string{"consent_deficient", "fhir_patient_refused"}},
		{"r5/inactive.json", VersionR5, 0, nil, []string{"status_not_mappable", "grants_nothing"}, 1, true, rwHarbor,
			[]string{"fhir_patient_refused", "fhir_consent_grants_nothing"}},
		// OPIOIDUD (part of SUD records) and HIV denied for everyone: nothing granted.
		{"r5/deny-labels-valueset-system.json", VersionR5, 0, nil, []string{"deny_widened", "grants_nothing"}, 1, true, rwOB,
			[]string{"fhir_patient_refused", "fhir_consent_grants_nothing"}},
		// decision deny with one provision: a permit for TREAT and ETREAT (an opt-in); the
		// base deny refuses everything else.
		{"r5/optin-with-purpose.json", VersionR5, 1, without(leapMissng, "missing_purpose"), nil, 1, true, rwOB,
			[]string{"consent_deficient"}},
		{"r5/optin.json", VersionR5, 1, leapMissng, nil, 1, true, rwHarbor,
			[]string{"consent_deficient", "fhir_patient_refused"}},
		// decision deny, one provision for harbor (access read as disclosure): a permission
		// naming harbor only, deficient; everyone else is refused.
		{"r5/optout.json", VersionR5, 1, without(leapMissng, "missing_recipient"), nil, 1, true, rwOB,
			[]string{"consent_deficient", "fhir_patient_refused"}},
		// One nested deny names purpose HMARKT (marketing), no Part 2 purpose: a denied
		// purpose the reader cannot map may be any Part 2 purpose, so the deny is read as
		// denying every purpose (deny_widened) and the consent grants nothing (QA3: a
		// refusal fails closed, 2.31(c), 2.33(a)(1)).
		{"r5/provision-array.json", VersionR5, 0, nil, []string{"deny_widened", "deny_widened", "deny_widened", "grants_nothing"}, 3, true, rwHarbor,
			[]string{"fhir_patient_refused", "fhir_consent_grants_nothing"}},
		{"r5/research.json", VersionR5, 0, nil, []string{"scope_not_privacy", "status_not_mappable", "grants_nothing"}, 1, false, rwOB,
			[]string{"no_consent_on_file"}},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		seen[tt.file] = true
		t.Run(strings.TrimSuffix(tt.file, ".json"), func(t *testing.T) {
			rd := readFixture(t, Options{}, tt.file)
			if rd.Version != tt.version || len(rd.Consents) != tt.grants || len(rd.Refusals) != tt.refusals || rd.OnFile != tt.onFile {
				t.Errorf("version %s, %d consents, %d refusals, on file %v; want %s, %d, %d, %v",
					rd.Version, len(rd.Consents), len(rd.Refusals), rd.OnFile, tt.version, tt.grants, tt.refusals, tt.onFile)
			}
			if d := cmp.Diff(tt.deficient, codesBy(rd.Findings, EffectDeficient), cmpopts.EquateEmpty()); d != "" {
				t.Errorf("deficiencies (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.narrowed, codesBy(rd.Findings, EffectNarrowed), cmpopts.EquateEmpty()); d != "" {
				t.Errorf("narrowed (-want +got):\n%s", d)
			}
			for _, f := range rd.Findings {
				if f.Effect == EffectDeficient && !strings.HasPrefix(f.Cite, "42 CFR 2.31(a)") {
					t.Errorf("deficiency %s without its 2.31(a) paragraph: %q", f.Code, f.Cite)
				}
			}
			e, err := Options{Lenient: true}.CompileReadings([]Reading{rd}, nil)
			if err != nil {
				t.Fatal(err)
			}
			d := e.Decide(rwRequest(tt.to, consent.PurposeTreatment))
			if d.Permit {
				t.Fatalf("permitted: %s", d)
			}
			got := reasonCodes(d)
			for _, r := range tt.reasons {
				if !slices.Contains(got, r) {
					t.Errorf("reasons %v lack %s", got, r)
				}
			}
		})
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "realworld", "*", "*.json"))
	for _, f := range files {
		rel, _ := filepath.Rel(filepath.Join("testdata", "realworld"), f)
		rel = filepath.ToSlash(rel)
		if !seen[rel] && !slices.Contains([]string{"r4/part2-portal.json", "r4/later-optout-peds.json", "r5/part2-optin.json"}, rel) {
			t.Errorf("fixture %s has no test", rel)
		}
	}
}

func insertAfter(xs []string, after, v string) []string {
	i := slices.Index(xs, after)
	return slices.Insert(slices.Clone(xs), i+1, v)
}

func without(xs []string, v string) []string {
	return slices.DeleteFunc(slices.Clone(xs), func(x string) bool { return x == v })
}

// TestRealWorldLEAPConsentAnswered: the LEAP-shaped consents lack the 2.31(a) elements, and
// the answer says which, with paragraphs: "not a valid Part 2 consent: no signer
// (2.31(a)(8)), no required statements (2.31(a)(6), (10))", rather than an error.
func TestRealWorldLEAPConsentAnswered(t *testing.T) {
	rd := readFixture(t, Options{}, "r4/optin-scope-in-category.json")
	var cites []string
	for _, f := range rd.Deficiencies() {
		cites = append(cites, string(f.Code)+" "+f.Cite)
	}
	want := []string{
		"missing_information 42 CFR 2.31(a)(3)", "missing_information_description 42 CFR 2.31(a)(3)",
		"missing_recipient 42 CFR 2.31(a)(4)(i)", "missing_purpose 42 CFR 2.31(a)(5)",
		"missing_revocation_statement 42 CFR 2.31(a)(6)", "missing_signature 42 CFR 2.31(a)(8)",
		"missing_redisclosure_statement 42 CFR 2.31(a)(10)", "missing_refusal_statement 42 CFR 2.31(a)(10)",
	}
	if d := cmp.Diff(want, cites); d != "" {
		t.Errorf("deficiencies (-want +got):\n%s", d)
	}
}

// TestRealWorldPart2Portal: a portal's Part 2 consent with every 2.31(a) element FHIR has.
// Its label SUD is written with a value set URL as system, read as v3 ActCode SUD. Its
// nested deny refuses harbor for payment only; the model cannot hold "not for payment",
// so harbor is excluded entirely (narrowed, never wider).
func TestRealWorldPart2Portal(t *testing.T) {
	o := Options{DefaultStatements: allStmts}
	rd := readFixture(t, o, "r4/part2-portal.json")
	want := consent.Consent{
		ID:      "r4-part2-portal",
		Patient: rwPatient, // patient.identifier (the reference also gives Patient/pt-7731)
		// TREAT and HPAYMT: not exactly treatment, payment and operations: general.
		Kind:       consent.KindGeneral,
		Disclosers: []consent.Identifier{rwProgram},
		Recipients: []consent.Recipient{{ID: rwOB}, {ID: rwPeds}, {ID: rwHarbor}},
		// The deny names Harbor by NPI and by Organization/org-harbor: excluded under both
		// (a refusal reaches every identifier that may be the actor's, 2.33(a)(1)).
		Exclusions: []consent.Exclusion{{ID: rwHarbor}, {ID: consent.Identifier{Value: "org-harbor"}}},
		Purposes:   []consent.Purpose{consent.PurposeTreatment, consent.PurposePayment},
		// v3-InformationSensitivityPolicy (a value set URL) | SUD reads as ActCode SUD.
		Information:            []consent.InfoKind{consent.InfoKindSUDRecords},
		InformationDescription: "opioid use disorder diagnosis, medications and dose",
		// period.end "2025-03-03", a day FHIR includes: its earliest end, at UTC+14.
		Expires: consent.Expiry{At: time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)},
		// dateTime 2024-03-04T10:20:00-05:00 (period.start "2024-03-04" begins everywhere at
		// 12:00Z, before the signing at 15:20Z: no narrowing).
		SignedAt:   time.Date(2024, 3, 4, 10, 20, 0, 0, time.FixedZone("", -5*3600)),
		Signer:     consent.SignerPatient, // performer "Patient/pt-7731", the patient's own reference
		Statements: allStmts,
	}
	if len(rd.Consents) != 1 {
		t.Fatalf("%d consents", len(rd.Consents))
	}
	if d := cmp.Diff(want, rd.Consents[0], cmpopts.EquateApproxTime(0)); d != "" {
		t.Errorf("consent (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"deny_widened"}, codesBy(rd.Findings, EffectNarrowed)); d != "" {
		t.Errorf("narrowed (-want +got):\n%s", d)
	}
	e, err := o.CompileReadings([]Reading{rd}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// OB clinic, treatment, SUD records, within the period: 2.33(a) permits, with the 2.32
	// notice and the accounting (2.25).
	if d := e.Decide(rwRequest(rwOB, consent.PurposeTreatment)); !d.Permit || d.Basis.Ref() != "consent:r4-part2-portal" ||
		!d.HasObligation(consent.ObligationCodeNotice232) {
		t.Errorf("OB: %s", d)
	}
	// Harbor for treatment: the text would permit it; the reading excluded harbor entirely.
	if d := e.Decide(rwRequest(rwHarbor, consent.PurposeTreatment)); d.Permit || !d.HasReason(consent.CodeRecipientExcluded) {
		t.Errorf("harbor: %s", d)
	}
	// Without statements known (zero Options) the consent lacks 2.31(a)(6) and (10).
	rd0 := readFixture(t, Options{}, "r4/part2-portal.json")
	if d := cmp.Diff([]string{"missing_revocation_statement", "missing_redisclosure_statement", "missing_refusal_statement"},
		codesBy(rd0.Findings, EffectDeficient)); d != "" {
		t.Errorf("deficiencies (-want +got):\n%s", d)
	}
}

// TestRealWorldMostRecentWins: the portal consent (signed 2024-03-04) permits pediatrics; the
// patient's later opt-out of pediatrics (2024-09-12, an HIE's resource, a base deny naming
// pediatrics) withdraws that permission from then on; the OB clinic, which the opt-out does
// not name, stays permitted; a consent signed after the opt-out permits again.
func TestRealWorldMostRecentWins(t *testing.T) {
	o := Options{DefaultStatements: allStmts, Lenient: true}
	portal := readFixture(t, o, "r4/part2-portal.json")
	optout := readFixture(t, o, "r4/later-optout-peds.json")
	e, err := o.CompileReadings([]Reading{portal, optout}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Before the opt-out was signed, the portal consent permits pediatrics: a refusal, like a
	// revocation, is not retroactive (2.31(c)).
	r := rwRequest(rwPeds, consent.PurposeTreatment)
	if d := e.Decide(r); !d.Permit {
		t.Errorf("pediatrics before the opt-out: %s", d)
	}
	r.At = time.Date(2024, 11, 1, 12, 0, 0, 0, time.UTC)
	if d := e.Decide(r); d.Permit || !d.HasReason(CodeLaterRefusal) {
		t.Errorf("pediatrics after the opt-out: %s", d)
	}
	ob := rwRequest(rwOB, consent.PurposeTreatment)
	ob.At = r.At
	if d := e.Decide(ob); !d.Permit {
		t.Errorf("OB: %s", d)
	}
	// A renewed consent signed after the opt-out is the most recent: it permits.
	renewed := portal
	renewed.ID = "renewed"
	renewed.Consents = []consent.Consent{portal.Consents[0]}
	renewed.Consents[0].ID = "renewed"
	renewed.Consents[0].SignedAt = time.Date(2024, 10, 1, 9, 0, 0, 0, time.UTC)
	renewed.Signed = Interval{renewed.Consents[0].SignedAt, renewed.Consents[0].SignedAt}
	renewed.Refusals = nil
	e2, err := o.CompileReadings([]Reading{portal, optout, renewed}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := e2.Decide(r); !d.Permit || d.Basis.Ref() != "consent:renewed" {
		t.Errorf("pediatrics under the renewed consent: %s", d)
	}
	// Signed the same day as the opt-out, a date without a time: which came first cannot be
	// told; denied on doubt.
	sameDay := renewed
	sameDay.Signed = Interval{time.Date(2024, 9, 11, 10, 0, 0, 0, time.UTC), time.Date(2024, 9, 13, 12, 0, 0, 0, time.UTC)}
	sameDay.Consents = []consent.Consent{renewed.Consents[0]}
	sameDay.Consents[0].SignedAt = time.Date(2024, 9, 12, 12, 0, 0, 0, time.UTC)
	e3, err := o.CompileReadings([]Reading{portal, optout, sameDay}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := e3.Decide(r); d.Permit || !d.HasReason(CodeLaterRefusal) {
		t.Errorf("same day as the opt-out: %s", d)
	}
}

// TestRealWorldR5Optin: an R5 Part 2 opt-in (decision deny, one permission for the OB clinic
// and pediatrics, treatment, SUD), whose nested provision denies pediatrics the data of
// 2020-2022: the model cannot hold a period of data, so pediatrics is excluded entirely.
func TestRealWorldR5Optin(t *testing.T) {
	o := Options{DefaultStatements: allStmts}
	rd := readFixture(t, o, "r5/part2-optin.json")
	if rd.Version != VersionR5 || len(rd.Consents) != 1 {
		t.Fatalf("%s, %d consents", rd.Version, len(rd.Consents))
	}
	c := rd.Consents[0]
	// grantor Patient/pt-7731 is the patient's own reference: signed by the patient;
	// controller names the program; date "2024-03-04" counts from its latest start.
	if c.Signer != consent.SignerPatient || !slices.Equal(c.Disclosers, []consent.Identifier{rwProgram}) ||
		!c.SignedAt.Equal(time.Date(2024, 3, 4, 12, 0, 0, 0, time.UTC)) || !slices.Equal(c.Exclusions, []consent.Exclusion{{ID: rwPeds}, {ID: consent.Identifier{Value: "org-peds"}}}) {
		t.Errorf("consent %+v", c)
	}
	e, err := o.CompileReadings([]Reading{rd}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := e.Decide(rwRequest(rwOB, consent.PurposeTreatment)); !d.Permit {
		t.Errorf("OB: %s", d)
	}
	if d := e.Decide(rwRequest(rwPeds, consent.PurposeTreatment)); d.Permit {
		t.Errorf("pediatrics: %s", d)
	}
	// Payment is not among the permissions: the base deny refuses it.
	if d := e.Decide(rwRequest(rwOB, consent.PurposePayment)); d.Permit || !d.HasReason(CodePatientRefused) {
		t.Errorf("OB for payment: %s", d)
	}
}

// TestRealWorldStrictDecodeRefuses: the strict Decode still refuses what it cannot map
// exactly: every LEAP-shaped fixture (no scope, not marked Part 2, nested denies on two
// dimensions).
func TestRealWorldStrictDecodeRefuses(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "realworld", "*", "*.json"))
	if len(files) < 30 {
		t.Fatalf("%d fixtures", len(files))
	}
	for _, f := range files {
		if strings.Contains(f, "part2-") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Decode(data); err == nil {
			t.Errorf("%s: strict Decode accepted a resource it cannot map exactly", f)
		}
	}
}
