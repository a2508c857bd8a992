package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const sample = `goos: linux
BenchmarkDecide/engine=dyad-2    1000000   1500 ns/op   792 B/op   4 allocs/op
BenchmarkDecide/engine=cedar-2    200000   9000 ns/op   935 B/op  24 allocs/op
BenchmarkDecide/engine=dyad-2    1000000   1700 ns/op   792 B/op   4 allocs/op
BenchmarkDecide/engine=cedar-2    200000  12000 ns/op   935 B/op  24 allocs/op
BenchmarkDecide/engine=dyad-2    1000000   1600 ns/op   792 B/op   4 allocs/op
BenchmarkWaitlist/impl=dyad-2   19  58957867 ns/op   9765788 events/s   102.4 ns/event
BenchmarkOther-2                 10  5 ns/op
PASS
`

func TestParse(t *testing.T) {
	s, order, err := parse(strings.NewReader(sample), "engine", "sec/op")
	if err != nil {
		t.Fatal(err)
	}
	want := samples{"Decide": {"dyad": {1500e-9, 1700e-9, 1600e-9}, "cedar": {9000e-9, 12000e-9}}}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("samples (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Decide"}, order); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	s, _, err = parse(strings.NewReader(sample), "impl", "events/s")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(samples{"Waitlist": {"dyad": {9765788}}}, s); diff != "" {
		t.Errorf("events/s (-want +got):\n%s", diff)
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		xs   []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
	} {
		if got := median(c.xs); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.xs, got, c.want)
		}
	}
}

// FuzzParse feeds the parser arbitrary text: it must never panic, and every sample it keeps
// must come from a Benchmark line.
func FuzzParse(f *testing.F) {
	f.Add(sample, "engine", "sec/op")
	f.Add("BenchmarkX/impl=a-2 1 2 events/s 3", "impl", "events/s")
	f.Add("Benchmark 1 2", "", "")
	f.Fuzz(func(t *testing.T, text, key, unit string) {
		s, order, err := parse(strings.NewReader(text), key, unit)
		if err != nil {
			return
		}
		if len(order) != len(s) {
			t.Fatalf("%d names in order, %d benchmarks", len(order), len(s))
		}
		if len(s) > 0 && !strings.Contains(text, "Benchmark") {
			t.Fatal("samples from text without a Benchmark line")
		}
	})
}
