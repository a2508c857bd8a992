package fhir

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/google/go-cmp/cmp"
)

// Regression tests of issue 11 for consent/fhir. Each failed on the code before the fix (the
// same checks, written against the API of then).

var allStatements = Options{DefaultStatements: consent.Statements{Revocation: true, Redisclosure: true, RefusalConsequences: true}}

const ircpRole = `"role":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"IRCP"}]}`

// vendorWith returns testdata/resources/tpo-vendor.json with each old string replaced by the
// new one (pairs).
func vendorWith(t *testing.T, repl ...string) []byte {
	t.Helper()
	s := string(mustRead(t, "testdata/resources/tpo-vendor.json"))
	for i := 0; i+1 < len(repl); i += 2 {
		if !strings.Contains(s, repl[i]) {
			t.Fatalf("no %q in the resource", repl[i])
		}
		s = strings.Replace(s, repl[i], repl[i+1], 1)
	}
	return []byte(s)
}

func treatmentRequest(recipient consent.Identifier, kind consent.RecipientKind, at time.Time) consent.Request {
	return consent.Request{Patient: lid("p1"), Discloser: lid("prog-1"), Recipient: consent.Party{ID: recipient, Kind: kind},
		Purpose: consent.PurposeTreatment, Information: []consent.InfoKind{consent.InfoKindSUDRecords}, At: at}
}

func compileOne(t *testing.T, o Options, res []byte) *Engine {
	t.Helper()
	e, err := o.Compile([][]byte{res}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// A nested deny that names an actor the permit does not list was dropped by Decode: the
// excluded actor was then permitted through a designation, by name under another form of
// reference, or as a member of an intermediary. It is now an exclusion of the consent.
func TestNestedDenyActorIsExcludedEverywhere(t *testing.T) {
	deny := func(ref string) string {
		return `"provision":[{"type":"deny","actor":[{` + ircpRole + `,"reference":` + ref + `}]}],"purpose"`
	}
	npi := func(v string) string {
		return `{"identifier":{"system":"http://hl7.org/fhir/sid/us-npi","value":"` + v + `"}}`
	}
	drx := consent.Identifier{System: "http://hl7.org/fhir/sid/us-npi", Value: "dr-x"}
	tests := []struct {
		name string
		res  []byte
		req  consent.Request
	}{
		{
			// The permit designates treating providers; the deny names dr-x by literal reference.
			name: "through the treating-providers designation",
			res:  vendorWith(t, `"purpose"`, deny(`{"reference":"Practitioner/dr-x"}`)),
			req:  treatmentRequest(lid("dr-x"), consent.RecipientKindCoveredEntity, at),
		},
		{
			// The permit names dr-x by NPI, the deny by literal reference (no system): the
			// exclusion reaches every system.
			name: "named by identifier, denied by literal reference",
			res: vendorWith(t, `{"role"`, `{`+ircpRole+`,"reference":`+npi("dr-x")+`},{"role"`,
				`"purpose"`, deny(`{"reference":"Practitioner/dr-x"}`)),
			req: treatmentRequest(drx, consent.RecipientKindLawfulHolder, at),
		},
		{
			// The deny names dr-x by NPI; the request names dr-x by NPI through the designation.
			name: "denied by identifier, reached by designation",
			res:  vendorWith(t, `"purpose"`, deny(npi("dr-x"))),
			req:  treatmentRequest(drx, consent.RecipientKindCoveredEntity, at),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := compileOne(t, allStatements, tt.res)
			if d := e.Decide(tt.req); d.Permit || !d.HasReason(consent.CodeRecipientExcluded) {
				t.Errorf("the excluded actor: %v, want a deny with %s", d, consent.CodeRecipientExcluded)
			}
			// Anyone else the designation covers is still permitted.
			if d := e.Decide(treatmentRequest(lid("ob-clinic"), consent.RecipientKindCoveredEntity, at)); !d.Permit {
				t.Errorf("another treating provider: %v", d)
			}
		})
	}
	// Through an intermediary: hie-1 is named with member dr-x; the deny excludes dr-x. The
	// intermediary may not pass the records to it.
	hie := `{` + ircpRole + `,"reference":{"reference":"Organization/hie-1"},"extension":[{"url":"` + ExtIntermediary +
		`","extension":[{"url":"member","valueString":"dr-x"},{"url":"member","valueString":"ob-clinic"}]}]},{"role"`
	e := compileOne(t, allStatements, vendorWith(t, `{"role"`, hie, `"purpose"`, deny(`{"reference":"Practitioner/dr-x"}`)))
	r := treatmentRequest(lid("dr-x"), consent.RecipientKindCoveredEntity, at)
	r.Discloser = lid("hie-1")
	r.Holder = &consent.Holder{Kind: consent.RecipientKindIntermediary, ReceivedUnder: "tpo-1", ReceivedAt: time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC)}
	if d := e.Decide(r); d.Permit || !d.HasReason(consent.CodeRecipientExcluded) {
		t.Errorf("through the intermediary: %v", d)
	}
	r.Recipient.ID = lid("ob-clinic")
	if d := e.Decide(r); !d.Permit {
		t.Errorf("the intermediary's other member: %v", d)
	}
}

// A nested deny of a class (a Group designation) excludes the class; Encode writes the
// exclusions back as one nested deny, and the round trip keeps them.
func TestExclusionsRoundTrip(t *testing.T) {
	c := sampleConsent()
	c.Exclusions = []consent.Exclusion{{ID: consent.Identifier{System: "http://hl7.org/fhir/sid/us-npi", Value: "dr-x"}},
		{Designation: consent.DesignationHealthPlans}, {ID: lid("ob-9")}}
	data, err := Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(normalize(c), got, cmpConsent); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
}

// Identifier systems were ignored: urn:ietf:rfc:3986|X matched test-system|X, and a patient
// us-medicare|V matched a query for us-ssn|V.
func TestConsultMatchesSystems(t *testing.T) {
	res := vendorWith(t, `"patient": {"reference": "Patient/p1"}`, `"patient": {"identifier": {"system": "http://hl7.org/fhir/sid/us-medicare", "value": "V"}}`,
		`"performer": [{"reference": "Patient/p1"}]`, `"performer": [{"type": "Patient", "identifier": {"system": "http://hl7.org/fhir/sid/us-medicare", "value": "V"}}]`,
		`{"role"`, `{`+ircpRole+`,"reference":{"identifier":{"system":"urn:ietf:rfc:3986","value":"X"}}},{"role"`)
	e := compileOne(t, allStatements, res)
	q := Query{Discloser: lid("prog-1"), RecipientKind: consent.RecipientKindLawfulHolder, At: at, Information: []consent.InfoKind{consent.InfoKindSUDRecords}}
	medicare := Identifier{System: "http://hl7.org/fhir/sid/us-medicare", Value: "V"}
	tests := []struct {
		name    string
		patient Identifier
		actor   Identifier
		want    Answer
	}{
		// The consent names X in urn:ietf:rfc:3986 and a lawful holder is no treating
		// provider: only the name can cover it.
		{"same systems", medicare, Identifier{System: "urn:ietf:rfc:3986", Value: "X"}, AnswerPermit},
		{"actor of another system", medicare, Identifier{System: "test-system", Value: "X"}, AnswerDeny},
		{"actor without a system", medicare, Identifier{Value: "X"}, AnswerDeny},
		{"patient of another system", Identifier{System: "http://hl7.org/fhir/sid/us-ssn", Value: "V"}, Identifier{System: "urn:ietf:rfc:3986", Value: "X"}, AnswerNoConsent},
	}
	for _, tt := range tests {
		res, err := e.Consult(q, ConsultContext{PatientID: []Identifier{tt.patient}, Actor: []Identifier{tt.actor}, PurposeOfUse: Purposes{"TREAT"}})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if res.Answer != tt.want {
			t.Errorf("%s: %s, want %s (%v)", tt.name, res.Answer, tt.want, res.Decisions)
		}
	}
}

// Consult answered CONSENT_PERMIT while skipping actors it did not judge (another system
// than ActorSystem; an empty value). Every actor is now judged, or the query is an error.
func TestConsultJudgesEveryActor(t *testing.T) {
	e := vendorEngine(t)
	q := Query{Discloser: lid("prog-1"), RecipientKind: consent.RecipientKindCoveredEntity, At: at, Information: []consent.InfoKind{consent.InfoKindSUDRecords}, ActorSystem: "urn:npi"}
	for name, tt := range map[string]struct {
		actors []Identifier
		path   string
	}{
		"other system": {[]Identifier{{System: "urn:npi", Value: "ob-clinic"}, {System: "urn:other", Value: "pd-1"}}, "context.actor[1].system"},
		"no system":    {[]Identifier{{System: "urn:npi", Value: "ob-clinic"}, {Value: "pd-1"}}, "context.actor[1].system"},
		"empty value":  {[]Identifier{{System: "urn:npi", Value: "ob-clinic"}, {System: "urn:npi"}}, "context.actor[1]"},
	} {
		res, err := e.Consult(q, ConsultContext{PatientID: []Identifier{{Value: "p1"}}, Actor: tt.actors, PurposeOfUse: Purposes{"TREAT"}})
		if err == nil {
			t.Errorf("%s: answered %s with %d decisions for %d actors", name, res.Answer, len(res.Decisions), len(tt.actors))
			continue
		}
		if d := cmp.Diff([]Problem{{Code: CodeReference, Path: tt.path}}, problemsOf(t, err)); d != "" {
			t.Errorf("%s: problems (-want +got):\n%s", name, d)
		}
	}
	// Several patient identifiers that differ: the query must say which system the consents use.
	_, err := q.Requests(ConsultContext{PatientID: []Identifier{{System: "urn:a", Value: "p1"}, {System: "urn:b", Value: "p1"}},
		Actor: []Identifier{{System: "urn:npi", Value: "ob-clinic"}}, PurposeOfUse: Purposes{"TREAT"}})
	if d := cmp.Diff([]Problem{{Code: CodeConflict, Path: "context.patientId"}}, problemsOf(t, err)); d != "" {
		t.Errorf("several patients: problems (-want +got):\n%s", d)
	}
}

// Date-only FHIR dates were read as UTC midnight: a consent signed "2026-03-10" permitted at
// 2026-03-09 21:00 in New York, and one ending "2026-06-30" permitted on 07-01 in Sydney.
func TestDateOnlyFailsClosed(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	signed := vendorWith(t, `"dateTime": "2026-01-10T14:00:00-05:00"`, `"dateTime": "2026-03-10"`, `"start": "2026-01-10", `, ``)
	ended := vendorWith(t, `"end": "2026-12-31"`, `"end": "2026-06-30"`)
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name string
		res  []byte
		o    Options
		at   string
		want bool
	}{
		// No zone: 2026-03-10 has begun everywhere from 2026-03-10T00:00-12:00 = 12:00Z.
		{"signed, New York evening before", signed, allStatements, "2026-03-10T01:00:00Z", false}, // 03-09 21:00 EDT
		{"signed, before the day began at UTC-12", signed, allStatements, "2026-03-10T11:59:59Z", false},
		{"signed, the day begun everywhere", signed, allStatements, "2026-03-10T12:00:00Z", true},
		// In New York (EDT from 2026-03-08), the day begins at 04:00Z.
		{"signed, New York zone, before", signed, Options{DefaultStatements: allStatements.DefaultStatements, Location: ny}, "2026-03-10T03:59:59Z", false},
		{"signed, New York zone, the day begun", signed, Options{DefaultStatements: allStatements.DefaultStatements, Location: ny}, "2026-03-10T04:00:00Z", true},
		// No zone: 2026-06-30 has ended somewhere from 2026-07-01T00:00+14:00 = 06-30T10:00Z.
		{"ended, Sydney morning after", ended, allStatements, "2026-06-30T20:00:00Z", false}, // 07-01 06:00 AEST
		{"ended, the last instant of the day at UTC+14", ended, allStatements, "2026-06-30T09:59:59Z", true},
		{"ended, the day over at UTC+14", ended, allStatements, "2026-06-30T10:00:00Z", false},
		// In New York the day ends at 2026-07-01T04:00Z.
		{"ended, New York zone, last instant", ended, Options{DefaultStatements: allStatements.DefaultStatements, Location: ny}, "2026-07-01T03:59:59Z", true},
		{"ended, New York zone, over", ended, Options{DefaultStatements: allStatements.DefaultStatements, Location: ny}, "2026-07-01T04:00:00Z", false},
	}
	for _, tt := range tests {
		e := compileOne(t, tt.o, tt.res)
		if d := e.Decide(treatmentRequest(lid("ob-clinic"), consent.RecipientKindCoveredEntity, utc(tt.at))); d.Permit != tt.want {
			t.Errorf("%s at %s: %v, want permit %v", tt.name, tt.at, d, tt.want)
		}
	}
	// A revocation on a date alone counts from the earliest start of that day (UTC+14).
	revoked := vendorWith(t, `"status": "active"`, `"status": "inactive"`, `"extension": [`,
		`"extension": [{"url": "`+ExtRevokedAt+`", "valueDateTime": "2026-05-01"},`)
	c, err := allStatements.Decode(revoked)
	if err != nil {
		t.Fatal(err)
	}
	if want := utc("2026-04-30T10:00:00Z"); !c.RevokedAt.Equal(want) {
		t.Errorf("revoked %v, want %v", c.RevokedAt, want)
	}
}

// A nil *fhir.Engine panicked; it now permits nothing, as the zero Engine.
func TestNilEngineDenies(t *testing.T) {
	var null *Engine
	var zero Engine
	for name, e := range map[string]*Engine{"nil": null, "zero": &zero} {
		if d := e.Decide(treatmentRequest(lid("ob-clinic"), consent.RecipientKindCoveredEntity, at)); d.Permit || !d.HasReason(consent.CodeEngineNotCompiled) {
			t.Errorf("%s engine: %v", name, d)
		}
		res, err := e.Consult(Query{Discloser: lid("prog-1"), RecipientKind: consent.RecipientKindCoveredEntity, At: at, Information: []consent.InfoKind{consent.InfoKindSUDRecords}},
			ConsultContext{PatientID: []Identifier{{Value: "p1"}}, Actor: []Identifier{{Value: "ob-clinic"}}, PurposeOfUse: Purposes{"TREAT"}})
		if err != nil || res.Answer == AnswerPermit {
			t.Errorf("%s engine consult: %s %v", name, res.Answer, err)
		}
		if !e.Doubtful(lid("p1")) {
			t.Errorf("%s engine has no doubt", name)
		}
	}
}

// Decode accepted an id outside FHIR's [A-Za-z0-9\-\.]{1,64} (a newline among them), which
// then named the consent in decisions (issue 13).
func TestDecodeRefusesNonFHIRID(t *testing.T) {
	for _, id := range []string{`c1\npermit`, `consent:c1`, `a b`, `c_1`, strings.Repeat("x", 65)} {
		_, err := allStatements.Decode(vendorWith(t, `"id": "tpo-1"`, `"id": "`+id+`"`))
		if !errors.Is(err, ErrUnmappable) {
			t.Errorf("Decode accepted id %q", id)
			continue
		}
		if d := cmp.Diff([]Problem{{Code: CodeInvalidID, Path: "Consent.id"}}, problemsOf(t, err)); d != "" {
			t.Errorf("id %q: problems (-want +got):\n%s", id, d)
		}
		if strings.ContainsAny(err.Error(), "\n\r") {
			t.Errorf("error holds a line break: %q", err)
		}
	}
	for _, id := range []string{"a", "A-1.b", strings.Repeat("x", 64)} {
		if _, err := allStatements.Decode(vendorWith(t, `"id": "tpo-1"`, `"id": "`+id+`"`)); err != nil {
			t.Errorf("Decode refused id %q: %v", id, err)
		}
	}
}
