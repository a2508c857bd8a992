package perinatal

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLookupCode(t *testing.T) {
	for _, tt := range []struct {
		system, code, display string
	}{
		{"http://loinc.org", "82810-3", "Pregnancy status"},
		{"http://loinc.org", "11778-8", "Delivery date Estimated"},
		{"http://snomed.info/sct", "77386006", "Pregnant"},
		{"http://snomed.info/sct", "414819007", "Neonatal abstinence syndrome"},
		{"http://hl7.org/fhir/sid/icd-10-cm", "P96.1", "Neonatal withdrawal symptoms from maternal use of drugs of addiction"},
		{"http://hl7.org/fhir/sid/icd-10-cm", "O99.323", "Drug use complicating pregnancy, third trimester"},
		{"http://hl7.org/fhir/sid/icd-10-cm", "F11.20", "Opioid dependence, uncomplicated"},
	} {
		c, err := LookupCode(tt.system, tt.code)
		if err != nil || c != (Coding{tt.system, tt.code, tt.display}) {
			t.Errorf("LookupCode(%s, %s) = %+v, %v", tt.system, tt.code, c, err)
		}
	}
	for _, tt := range []struct{ system, code string }{
		{"http://loinc.org", "P96.1"},      // right code, wrong system
		{"http://snomed.info/sct", "0000"}, // unknown
		{"urn:x", "82810-3"},
		{"http://loinc.org", strings.Repeat("9", 60)},
	} {
		_, err := LookupCode(tt.system, tt.code)
		if !errors.Is(err, ErrUnknownCode) {
			t.Errorf("LookupCode(%s, %s) err = %v", tt.system, tt.code, err)
		} else if strings.Contains(err.Error(), strings.Repeat("9", 33)) {
			t.Errorf("error quotes more than 32 bytes: %v", err)
		}
	}
	all := KnownCodes()
	all[0].Code = "changed"
	if KnownCodes()[0].Code != "82810-3" {
		t.Error("KnownCodes exposes the catalog")
	}
	seen := map[Coding]bool{}
	for _, c := range KnownCodes() {
		if seen[c] || c.Display == "" {
			t.Errorf("duplicate or undisplayed code %+v", c)
		}
		seen[c] = true
	}
}

func TestStatusCodes(t *testing.T) {
	for _, tt := range []struct {
		s      Status
		loinc  string
		snomed string
	}{
		{StatusPregnant, "LA15173-0", "77386006"},
		{StatusNotPregnant, "LA26683-5", "60001007"},
		{StatusPostpartum, "LA26683-5", "60001007"},
		{StatusUnknown, "LA4489-6", ""},
	} {
		if got := tt.s.LOINCAnswer(); got.Code != tt.loinc || got.System != SystemLOINC {
			t.Errorf("%v.LOINCAnswer() = %+v", tt.s, got)
		}
		c, ok := tt.s.SNOMED()
		if c.Code != tt.snomed || ok != (tt.snomed != "") {
			t.Errorf("%v.SNOMED() = %+v, %v", tt.s, c, ok)
		}
	}
}

func TestMaternalUseICD10CM(t *testing.T) {
	for _, tt := range []struct {
		s    Substance
		t    Trimester
		want string
	}{
		{SubstanceOpioids, TrimesterFirst, "O99.321"},
		{SubstanceStimulants, TrimesterSecond, "O99.322"},
		{SubstanceCannabis, TrimesterThird, "O99.323"},
		{SubstanceSedatives, TrimesterUnknown, "O99.320"},
		{SubstanceOther, Trimester(9), "O99.320"},
		{SubstanceAlcohol, TrimesterFirst, "O99.311"},
		{SubstanceAlcohol, TrimesterThird, "O99.313"},
		{SubstanceAlcohol, TrimesterUnknown, "O99.310"},
		{SubstanceTobacco, TrimesterFirst, ""},
		{SubstanceUnknown, TrimesterFirst, ""},
	} {
		c, ok := MaternalUseICD10CM(tt.s, tt.t)
		if c.Code != tt.want || ok != (tt.want != "") || (ok && c.System != SystemICD10CM) {
			t.Errorf("MaternalUseICD10CM(%v, %v) = %+v, %v; want %q", tt.s, tt.t, c, ok, tt.want)
		}
	}
}

func TestInfantICD10CM(t *testing.T) {
	if got := infant(nil).ICD10CM(); got != nil {
		t.Errorf("no withdrawal: %+v", got)
	}
	want := []Coding{{SystemICD10CM, "P96.1", "Neonatal withdrawal symptoms from maternal use of drugs of addiction"}}
	if diff := cmp.Diff(want, infant(func(i *Infant) { i.Withdrawal = FindingPresent }).ICD10CM()); diff != "" {
		t.Error(diff)
	}
}
