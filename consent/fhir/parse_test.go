package fhir

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/google/go-cmp/cmp"
)

// TestParseKeepsEveryElement parses a resource with (nearly) every element of R4 Consent
// and writes it back with encoding/json: the two JSON texts must hold the same values, so
// every element was read into its field.
func TestParseKeepsEveryElement(t *testing.T) {
	in := mustRead(t, "testdata/resources/every-element.json")
	r, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if err := json.Unmarshal(in, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out, &b); err != nil {
		t.Fatal(err)
	}
	// Foreign value[x] types other than those modelled are marked, not kept.
	a.(map[string]any)["extension"].([]any)[0] = map[string]any{"url": "urn:foreign"}
	if d := cmp.Diff(a, b); d != "" {
		t.Errorf("elements lost or changed (-in +out):\n%s", d)
	}
}

// TestDecodeEveryElement checks the mapping of the same resource by hand: the ignored
// elements are ignored, the mapped ones mapped.
func TestDecodeEveryElement(t *testing.T) {
	got, err := Decode(mustRead(t, "testdata/resources/every-element.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := consent.Consent{
		ID: "every", Patient: lid("p1"),
		// Purpose COC reads as treatment; no kind extension, one purpose: general.
		Kind: consent.KindGeneral,
		// organization[0].identifier {system urn:orgs, value prog-1}: the system is kept.
		Disclosers: []consent.Identifier{{System: "urn:orgs", Value: "prog-1"}},
		Recipients: []consent.Recipient{{ID: lid("hie-1"), Intermediary: true, Members: lids("ob-1"), MemberDesignation: consent.DesignationTreatingProviders}},
		Purposes:   []consent.Purpose{consent.PurposeTreatment},
		// Security label 42CFRPart2 reads as SUD records.
		Information: []consent.InfoKind{consent.InfoKindSUDRecords},
		// period.end has a time: exact, 2027-01-01T04:59:59Z.
		Expires:  consent.Expiry{At: time.Date(2027, 1, 1, 4, 59, 59, 0, time.UTC)},
		SignedAt: time.Date(2026, 1, 10, 14, 0, 0, 0, time.UTC),
		Signer:   consent.SignerPatient,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Decode (-want +got):\n%s", d)
	}
}

func TestExtensionProblems(t *testing.T) {
	valid := string(mustRead(t, "testdata/resources/every-element.json"))
	tests := []struct {
		name string
		add  string // extension objects added to the root
		want []Problem
	}{
		{"kind with a string", `{"url": "https://dyad-health.github.io/fhir/StructureDefinition/part2-consent-kind", "valueString": "tpo"}`,
			[]Problem{{Code: CodeExtension, Path: "Consent.extension[0]"}}},
		{"statements with a value", `{"url": "https://dyad-health.github.io/fhir/StructureDefinition/part2-statements", "valueBoolean": true}`,
			[]Problem{{Code: CodeExtension, Path: "Consent.extension[0]"}}},
		{"expiration empty", `{"url": "https://dyad-health.github.io/fhir/StructureDefinition/part2-expiration", "valueBoolean": true}`,
			[]Problem{{Code: CodeExtension, Path: "Consent.extension[0]"}, {Code: CodeExtension, Path: "Consent.extension[0]"}}},
		{"expiration none false and unknown part", `{"url": "https://dyad-health.github.io/fhir/StructureDefinition/part2-expiration", "extension": [{"url": "none", "valueBoolean": false}, {"url": "soon", "valueString": "x"}]}`,
			[]Problem{{Code: CodeExtension, Path: "Consent.extension[0].extension[0]"}, {Code: CodeExtension, Path: "Consent.extension[0].extension[1]"}}},
		{"revoked-at without time", `{"url": "https://dyad-health.github.io/fhir/StructureDefinition/part2-revoked-at", "valueCode": "yes"}`,
			[]Problem{{Code: CodeExtension, Path: "Consent.extension[0]"}}},
		{"extension without url", `{"valueString": "x"}`,
			[]Problem{{Code: CodeExtension, Path: "Consent.extension[0].url"}}},
		{"description twice", `{"url": "https://dyad-health.github.io/fhir/StructureDefinition/part2-information-description", "valueString": "a"}, {"url": "https://dyad-health.github.io/fhir/StructureDefinition/part2-information-description", "valueString": "b"}`,
			[]Problem{{Code: CodeExtension, Path: "Consent.extension[1]"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := []byte(replaceOnce(t, valid, `"extension": [{"url": "urn:foreign"`, `"extension": [`+tt.add+`, {"url": "urn:foreign"`))
			_, err := Decode(in)
			if d := cmp.Diff(tt.want, problemsOf(t, err)); d != "" {
				t.Errorf("problems (-want +got):\n%s", d)
			}
		})
	}
}

func replaceOnce(t *testing.T, s, from, to string) string {
	t.Helper()
	for i := 0; i+len(from) <= len(s); i++ {
		if s[i:i+len(from)] == from {
			return s[:i] + to + s[i+len(from):]
		}
	}
	t.Fatalf("no %s", from)
	return ""
}
