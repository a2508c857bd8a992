// Command benchratio reads `go test -bench` output and prints, as a Markdown table, the
// median of one unit for two values of a sub-benchmark key and their ratio, per benchmark.
// benchstat gives the confidence intervals and significance; this gives the plain "N×" the
// goals are stated in.
//
//	benchratio -key engine -num cedar -den dyad -unit sec/op consent.txt
//
// prints for each benchmark with both engine=cedar and engine=dyad the median sec/op of each
// and median(cedar)/median(dyad). With -goal G it adds whether the ratio reaches G.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

var procs = regexp.MustCompile(`-\d+$`)

// samples maps benchmark (without the key) -> key value -> values of the unit.
type samples map[string]map[string][]float64

func parse(r io.Reader, key, unit string) (samples, []string, error) {
	out := samples{}
	var order []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := procs.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), "")
		var rest []string
		val := ""
		for _, part := range strings.Split(name, "/") {
			if v, ok := strings.CutPrefix(part, key+"="); ok {
				val = v
				continue
			}
			rest = append(rest, part)
		}
		if val == "" {
			continue
		}
		base := strings.Join(rest, "/")
		for i := 2; i+1 < len(f); i += 2 {
			u := f[i+1]
			x, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			if u == "ns/op" && unit == "sec/op" {
				x, u = x/1e9, "sec/op"
			}
			if u != unit {
				continue
			}
			if out[base] == nil {
				out[base] = map[string][]float64{}
				order = append(order, base)
			}
			out[base][val] = append(out[base][val], x)
		}
	}
	return out, order, sc.Err()
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func human(x float64, unit string) string {
	switch unit {
	case "sec/op":
		switch {
		case x < 1e-6:
			return fmt.Sprintf("%.0f ns", x*1e9)
		case x < 1e-3:
			return fmt.Sprintf("%.2f µs", x*1e6)
		default:
			return fmt.Sprintf("%.2f ms", x*1e3)
		}
	case "cpu-ns/op":
		return human(x/1e9, "sec/op") + " CPU"
	case "events/s", "events/cpu-s":
		switch {
		case x >= 1e6:
			return fmt.Sprintf("%.2f M %s", x/1e6, unit)
		default:
			return fmt.Sprintf("%.0f k %s", x/1e3, unit)
		}
	}
	return strconv.FormatFloat(x, 'g', 4, 64) + " " + unit
}

func main() {
	key := flag.String("key", "engine", "sub-benchmark key whose values are compared")
	num := flag.String("num", "", "value whose median is the numerator")
	den := flag.String("den", "", "value whose median is the denominator")
	unit := flag.String("unit", "sec/op", "unit compared (ns/op is read as sec/op)")
	goal := flag.Float64("goal", 0, "ratio to reach, if any")
	flag.Parse()
	if *num == "" || *den == "" || flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: benchratio -key K -num A -den B [-unit U] [-goal G] FILE")
		os.Exit(2)
	}
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	s, order, err := parse(f, *key, *unit)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("| benchmark (%s) | %s=%s | %s=%s | ratio %s / %s | runs |", *unit, *key, *num, *key, *den, *num, *den)
	sep := "| --- | --- | --- | --- | --- |"
	if *goal > 0 {
		fmt.Printf(" goal ≥%g× |", *goal)
		sep += " --- |"
	}
	fmt.Println()
	fmt.Println(sep)
	for _, b := range order {
		a, d := s[b][*num], s[b][*den]
		if len(a) == 0 || len(d) == 0 {
			continue
		}
		ma, md := median(a), median(d)
		r := ma / md
		rs := fmt.Sprintf("**%.1f×**", r)
		if md == 0 {
			rs = "— (none on the " + *den + " side)"
		}
		fmt.Printf("| %s | %s | %s | %s | %d, %d |", b, human(ma, *unit), human(md, *unit), rs, len(a), len(d))
		if *goal > 0 {
			if r >= *goal {
				fmt.Print(" met |")
			} else {
				fmt.Print(" **not met** |")
			}
		}
		fmt.Println()
	}
}
