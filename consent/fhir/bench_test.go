package fhir

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dyad-health/dyad/consent"
)

// typicalResource is the FHIR form of the shared example TPO consent: about 2 KB.
func typicalResource(b *testing.B) []byte {
	b.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "resources", "typical-tpo.json"))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func BenchmarkDecode(b *testing.B) {
	data := typicalResource(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	cpu := startCPU()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
}

func BenchmarkParse(b *testing.B) {
	data := typicalResource(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	cpu := startCPU()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
}

func BenchmarkEncode(b *testing.B) {
	c, err := Decode(typicalResource(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLabels(b *testing.B) {
	d := consent.Decision{Permit: true}
	b.ReportAllocs()
	for b.Loop() {
		if len(Labels(d)) != 5 {
			b.Fatal("labels")
		}
	}
}

func BenchmarkConsult(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "resources", "tpo-vendor.json"))
	if err != nil {
		b.Fatal(err)
	}
	o := Options{DefaultStatements: consent.Statements{Revocation: true, Redisclosure: true, RefusalConsequences: true}}
	e, err := o.Compile([][]byte{data}, nil)
	if err != nil {
		b.Fatal(err)
	}
	q := Query{Discloser: lid("prog-1"), RecipientKind: consent.RecipientKindCoveredEntity, At: at, Information: []consent.InfoKind{consent.InfoKindSUDRecords}}
	ctx := ConsultContext{PatientID: []Identifier{{Value: "p1"}}, Actor: []Identifier{{Value: "ob-clinic"}}, PurposeOfUse: Purposes{"TREAT"}}
	b.ReportAllocs()
	for b.Loop() {
		res, err := e.Consult(q, ctx)
		if err != nil || res.Answer != AnswerPermit {
			b.Fatal(err, res.Answer)
		}
	}
}

// BenchmarkDecodeVendor decodes a vendor-style resource of about 2 KB (indented, with the
// elements a vendor writes rather than this package's canonical form).
func BenchmarkDecodeVendor(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "resources", "tpo-vendor.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	cpu := startCPU()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
}

// BenchmarkRead reads the vendor-style resource leniently (with findings).
func BenchmarkRead(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "resources", "tpo-vendor.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	cpu := startCPU()
	for b.Loop() {
		if _, err := Read(data); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
}

// BenchmarkReadLEAPShape reads an R4 consent in a consent service's shape (scope in
// category, nested denies on two dimensions, a deficient permission): 2.4 KB indented.
func BenchmarkReadLEAPShape(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "realworld", "r4", "deny-class-and-label.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	cpu := startCPU()
	for b.Loop() {
		if _, err := Read(data); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
}

// BenchmarkDecideMostRecent decides a permit that the most-recent-consent rule checks: the
// patient has a Part 2 consent and a later opt-out of another recipient.
func BenchmarkDecideMostRecent(b *testing.B) {
	var rs [][]byte
	for _, n := range []string{"r4/part2-portal.json", "r4/later-optout-peds.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", "realworld", n))
		if err != nil {
			b.Fatal(err)
		}
		rs = append(rs, data)
	}
	e, err := Options{Lenient: true, DefaultStatements: allStmts}.Compile(rs, nil)
	if err != nil {
		b.Fatal(err)
	}
	r := rwRequest(rwOB, consent.PurposeTreatment)
	r.At = time.Date(2024, 11, 1, 12, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if !e.Decide(r).Permit {
			b.Fatal("deny")
		}
	}
}

// BenchmarkConsultLenient answers a consult for an actor with two identifiers, as the hook
// sends them, on the same engine.
func BenchmarkConsultLenient(b *testing.B) {
	var rs [][]byte
	for _, n := range []string{"r4/part2-portal.json", "r4/later-optout-peds.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", "realworld", n))
		if err != nil {
			b.Fatal(err)
		}
		rs = append(rs, data)
	}
	e, err := Options{Lenient: true, DefaultStatements: allStmts}.Compile(rs, nil)
	if err != nil {
		b.Fatal(err)
	}
	q := Query{Discloser: rwProgram, RecipientKind: consent.RecipientKindCoveredEntity, At: time.Date(2024, 11, 1, 12, 0, 0, 0, time.UTC),
		Information: []consent.InfoKind{consent.InfoKindSUDRecords}}
	ctx := ConsultContext{PatientID: []Identifier{{System: rwPatient.System, Value: rwPatient.Value}},
		Actor: []Identifier{{System: "urn:local", Value: "ob-7"}, {System: rwOB.System, Value: rwOB.Value}}, PurposeOfUse: Purposes{"TREAT"}}
	b.ReportAllocs()
	for b.Loop() {
		res, err := e.Consult(q, ctx)
		if err != nil || res.Answer != AnswerPermit {
			b.Fatal(err, res.Answer)
		}
	}
}
