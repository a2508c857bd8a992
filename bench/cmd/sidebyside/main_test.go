package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const output = `goos: linux
pkg: github.com/dyad-health/dyad/bench/consentbench
BenchmarkDecideWorkload/engine=dyad/requests=mixed-2   	     100	   6133417 ns/op	       331.9 B/decision	       785.4 cpu-ns/decision
BenchmarkDecideWorkload/engine=dyad/requests=denied    	     130	   4552974 ns/op	       995.9 cpu-ns/decision
BenchmarkOther/engine=dyad                             	      10	         5 ns/op
BenchmarkDecideWorkload                                	      10	         5 ns/op
PASS
`

// TestParseBench reads a side's output: the side from the key, the row from the rest of
// the path, the GOMAXPROCS suffix dropped, other benchmarks and lines ignored.
func TestParseBench(t *testing.T) {
	got, err := parseBench(strings.NewReader(output), "BenchmarkDecideWorkload", "engine")
	if err != nil {
		t.Fatal(err)
	}
	want := []sample{
		{Side: "dyad", Row: "requests=mixed", Unit: "ns/op", Value: 6133417},
		{Side: "dyad", Row: "requests=mixed", Unit: "B/decision", Value: 331.9},
		{Side: "dyad", Row: "requests=mixed", Unit: "cpu-ns/decision", Value: 785.4},
		{Side: "dyad", Row: "requests=denied", Unit: "ns/op", Value: 4552974},
		{Side: "dyad", Row: "requests=denied", Unit: "cpu-ns/decision", Value: 995.9},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("samples (-want +got):\n%s", diff)
	}
	back, err := readSamples(strings.NewReader(want[2].tsv() + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want[2:3], back); diff != "" {
		t.Errorf("tsv round trip (-want +got):\n%s", diff)
	}
}

// TestOrder checks that every side runs first in some round and that each round runs every
// side once.
func TestOrder(t *testing.T) {
	sides := []side{{Value: "a"}, {Value: "b"}, {Value: "c"}}
	var got []string
	for r := range 4 {
		var s []string
		for _, x := range order(sides, r) {
			s = append(s, x.Value)
		}
		got = append(got, strings.Join(s, ""))
	}
	if diff := cmp.Diff([]string{"abc", "bca", "cab", "abc"}, got); diff != "" {
		t.Errorf("orders (-want +got):\n%s", diff)
	}
}

// TestRatiosAreTakenRoundByRound checks that a ratio pairs the two sides' figures of the
// same round: dyad 1, 2, 4 and the other side 10, 10, 10 ns give 10, 5 and 2.5 (min 2.5,
// median 5, max 10), not the ratio of the medians only; a rate is inverted; a round missing
// on one side is left out.
func TestRatiosAreTakenRoundByRound(t *testing.T) {
	r := summarize(ratios(series{0: 1, 1: 2, 2: 4}, series{0: 10, 1: 10, 2: 10, 3: 7}, false))
	if diff := cmp.Diff(stats{min: 2.5, med: 5, max: 10, n: 3}, r, cmp.AllowUnexported(stats{})); diff != "" {
		t.Errorf("cost ratios (-want +got):\n%s", diff)
	}
	r = summarize(ratios(series{0: 100, 1: 90}, series{0: 10, 1: 30}, true))
	if diff := cmp.Diff(stats{min: 3, med: 6.5, max: 10, n: 2}, r, cmp.AllowUnexported(stats{})); diff != "" {
		t.Errorf("rate ratios (-want +got):\n%s", diff)
	}
}

// TestTables renders a small comparison: two rounds, dyad against two stores. The faster
// store by median CPU is "b" (20 and 22 ns against 30 and 30), so the ratios are b's: round
// 0 20/2 = 10, round 1 22/1 = 22; median 16, which meets a goal of 15 and misses one of 20.
// The same figures under GOMAXPROCS=2 are shown without goals: goals are judged under the
// first configuration only.
func TestTables(t *testing.T) {
	c := comparison{
		Name: "x", Bench: "BenchmarkX", Key: "engine", ByRow: true, Procs: []int{1, 2},
		Sides:   []side{{Value: "dyad", Label: "D", Dyad: true}, {Value: "cedar-a", Label: "A"}, {Value: "cedar-b", Label: "B"}},
		Metrics: []metric{{Unit: "cpu-ns/decision", Title: "CPU"}},
		Goals:   map[string]float64{"requests=m": 15, "requests=n": 20},
	}
	var ss []sample
	for _, x := range []struct {
		round int
		side  string
		v     float64
	}{{0, "dyad", 2}, {0, "cedar-a", 30}, {0, "cedar-b", 20}, {1, "dyad", 1}, {1, "cedar-a", 30}, {1, "cedar-b", 22}} {
		for _, procs := range []int{1, 2} {
			for _, row := range []string{"requests=m", "requests=n"} {
				ss = append(ss, sample{Round: x.round, Procs: procs, Side: x.side, Row: row, Unit: "cpu-ns/decision", Value: x.v})
			}
		}
	}
	md, err := tables(c, ss)
	if err != nil {
		t.Fatal(err)
	}
	one, two, ok := strings.Cut(md, "**GOMAXPROCS=2**")
	if !ok {
		t.Fatalf("no GOMAXPROCS=2 section:\n%s", md)
	}
	for _, want := range []string{
		"**GOMAXPROCS=1** (the headline configuration), 2 rounds.",
		"| requests=m | 1 / **2** / 2 ns CPU | 30 / **30** / 30 ns CPU | 20 / **21** / 22 ns CPU | 10.0 / **16.0** / 22.0× (b) | ≥15×: met |",
		"| requests=n | 1 / **2** / 2 ns CPU | 30 / **30** / 30 ns CPU | 20 / **21** / 22 ns CPU | 10.0 / **16.0** / 22.0× (b) | ≥20×: **not met** |",
	} {
		if !strings.Contains(one, want) {
			t.Errorf("GOMAXPROCS=1 tables lack %q:\n%s", want, one)
		}
	}
	if want := "| requests=m | 1 / **2** / 2 ns CPU | 30 / **30** / 30 ns CPU | 20 / **21** / 22 ns CPU | 10.0 / **16.0** / 22.0× (b) |\n"; !strings.Contains(two, want) {
		t.Errorf("GOMAXPROCS=2 tables lack %q (no goal column):\n%s", want, two)
	}
	if _, err := tables(c, ss[:8]); err == nil {
		t.Error("a side without results was not reported")
	}
}
