// Command sidebyside times dyad side by side with what users would pick instead, and writes
// the Markdown tables of bench/BENCHMARKS.md.
//
// It builds each comparison's test binary once (go test -c), then runs rounds: in each round
// every side of every comparison runs once, in a process of its own (the test binary with
// -test.bench selecting that side, -test.count 1), under each GOMAXPROCS configuration, the
// order of the sides turning by one from round to round so that none always runs first.
// Each figure is then given as min / median / max over the rounds, and each ratio is taken
// round by round (the two sides' figures of the same round) before its min / median / max.
//
//	cd bench && go run ./cmd/sidebyside -rounds 8 -benchtime 1s -out results
//
// writes results/<comparison>.txt (the benchmarks' own output, for benchstat),
// results/<comparison>.tsv (one figure per line: round, GOMAXPROCS, side, sub-benchmark,
// unit, value) and results/<comparison>.md (the tables). With -report-only it reads the .tsv
// files of an earlier run and writes the tables again.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// side is one implementation in a comparison.
type side struct {
	// Value is the sub-benchmark key's value naming it: engine=Value, impl=Value.
	Value string
	// Label is how the tables name it.
	Label string
	// Benchtime is its -test.benchtime; empty means the -benchtime flag.
	Benchtime string
	// Dyad marks dyad's side, the denominator of every ratio.
	Dyad bool
}

// metric is one figure a benchmark reports.
type metric struct {
	// Unit is the unit the benchmark reports it in (cpu-ns/decision, events/s).
	Unit string
	// Title heads its column or table.
	Title string
	// Rate says higher is better (events per second); otherwise it is a cost (a time).
	Rate bool
	// NoRatio shows the figure without a ratio (allocations).
	NoRatio bool
}

// comparison is one benchmark compared across sides.
type comparison struct {
	Name string // results file name and section
	Pkg  string // package directory under bench/
	// Bench is the benchmark function; Key the sub-benchmark key naming the side.
	Bench, Key string
	Sides      []side
	Procs      []int // GOMAXPROCS configurations; the first is the headline one
	// ByRow lays the tables out with one row per sub-benchmark below the side (requests=...)
	// and one column per side; otherwise one row per side.
	ByRow bool
	// Metrics are the figures; the first is the headline, by which goals are judged and the
	// faster of several non-dyad sides is chosen.
	Metrics []metric
	// Goals are the ratios to reach, by row (ByRow) or by side value.
	Goals map[string]float64
}

var comparisons = []comparison{
	{
		Name: "consent", Pkg: "consentbench", Bench: "BenchmarkDecideWorkload", Key: "engine",
		Sides: []side{
			{Value: "dyad", Label: "dyad `consent`", Dyad: true},
			{Value: "cedar-slice", Label: "cedar-go, policies in a slice"},
			{Value: "cedar-policyset", Label: "cedar-go, policies in a PolicySet"},
		},
		Procs: []int{1, 2},
		ByRow: true,
		Metrics: []metric{
			{Unit: "cpu-ns/decision", Title: "CPU time per decision"},
			{Unit: "ns/decision", Title: "wall time per decision"},
			{Unit: "allocs/decision", Title: "allocations per decision", NoRatio: true},
			{Unit: "B/decision", Title: "bytes allocated per decision", NoRatio: true},
		},
		Goals: map[string]float64{"requests=mixed": 20, "requests=denied": 10},
	},
	{
		Name: "sim", Pkg: "simbench", Bench: "BenchmarkSimulateFederal4", Key: "impl",
		Sides: []side{
			{Value: "dyad", Label: "dyad `priority/sim`", Dyad: true},
			{Value: "heapq", Label: "Python, plain heapq loop", Benchtime: "1x"},
			{Value: "simpy-lean", Label: "SimPy, lean (own per-tier queues)", Benchtime: "1x"},
			{Value: "simpy-textbook", Label: "SimPy, textbook (PriorityResource)", Benchtime: "1x"},
		},
		Procs: []int{1},
		Metrics: []metric{
			{Unit: "events/cpu-s", Title: "events per CPU-second", Rate: true},
			{Unit: "events/s", Title: "events per wall-clock second", Rate: true},
		},
		Goals: map[string]float64{"heapq": 10, "simpy-textbook": 50},
	},
}

func main() {
	rounds := flag.Int("rounds", 8, "rounds: each side runs once per round and GOMAXPROCS configuration")
	benchtime := flag.String("benchtime", "1s", "-test.benchtime of the Go sides")
	out := flag.String("out", "results", "directory for the binaries, the raw output and the tables")
	only := flag.String("only", "", "run only this comparison (consent or sim)")
	reportOnly := flag.Bool("report-only", false, "write the tables from an earlier run's .tsv files")
	flag.Parse()
	if err := run(*rounds, *benchtime, *out, *only, *reportOnly); err != nil {
		fmt.Fprintln(os.Stderr, "sidebyside:", err)
		os.Exit(1)
	}
}

func run(rounds int, benchtime, out, only string, reportOnly bool) error {
	if rounds < 1 {
		return errors.New("-rounds must be at least 1")
	}
	dir, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var cs []comparison
	for _, c := range comparisons {
		if only == "" || only == c.Name {
			cs = append(cs, c)
		}
	}
	if len(cs) == 0 {
		return fmt.Errorf("no comparison named %q", only)
	}
	if !reportOnly {
		for _, c := range cs {
			if _, err := os.Stat(filepath.Join(c.Pkg, "doc.go")); err != nil {
				return fmt.Errorf("run me from bench/ (no %s there): %w", c.Pkg, err)
			}
		}
		if err := measure(cs, rounds, benchtime, dir); err != nil {
			return err
		}
	}
	for _, c := range cs {
		f, err := os.Open(filepath.Join(dir, c.Name+".tsv"))
		if err != nil {
			return err
		}
		ss, err := readSamples(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s.tsv: %w", c.Name, err)
		}
		md, err := tables(c, ss)
		if err != nil {
			return fmt.Errorf("%s: %w", c.Name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, c.Name+".md"), []byte(md), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// measure builds the test binaries and runs the rounds, writing <name>.txt and <name>.tsv.
func measure(cs []comparison, rounds int, benchtime, dir string) error {
	raw := map[string]*os.File{}
	tsv := map[string]*os.File{}
	for _, c := range cs {
		bin := filepath.Join(dir, c.Pkg+".test")
		logf("go test -c -o %s ./%s", bin, c.Pkg)
		cmd := exec.Command("go", "test", "-c", "-o", bin, "./"+c.Pkg)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("building %s: %w", c.Pkg, err)
		}
		rf, err := os.Create(filepath.Join(dir, c.Name+".txt"))
		if err != nil {
			return err
		}
		defer rf.Close()
		tf, err := os.Create(filepath.Join(dir, c.Name+".tsv"))
		if err != nil {
			return err
		}
		defer tf.Close()
		raw[c.Name], tsv[c.Name] = rf, tf
	}
	var cmds strings.Builder
	fmt.Fprintf(&cmds, "go run ./cmd/sidebyside -rounds %d -benchtime %s -out %s\n", rounds, benchtime, filepath.Base(dir))
	for _, c := range cs {
		for _, procs := range c.Procs {
			for _, s := range c.Sides {
				fmt.Fprintf(&cmds, "(cd %s && GOMAXPROCS=%d %s)\n", c.Pkg, procs,
					shellJoin(sideArgs(c, s, procs, benchtime, "../"+filepath.Base(dir)+"/"+c.Pkg+".test")))
			}
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "command.txt"), []byte(cmds.String()), 0o644); err != nil {
		return err
	}
	start := time.Now()
	for r := range rounds {
		for _, c := range cs {
			for _, procs := range c.Procs {
				for _, s := range order(c.Sides, r) {
					logf("round %d/%d, %s, GOMAXPROCS=%d: %s", r+1, rounds, c.Name, procs, s.Value)
					out, err := runSide(c, s, procs, benchtime, filepath.Join(dir, c.Pkg+".test"))
					if err != nil {
						return err
					}
					if _, err := raw[c.Name].Write(out); err != nil {
						return err
					}
					ss, err := parseBench(bytes.NewReader(out), c.Bench, c.Key)
					if err != nil {
						return err
					}
					if len(ss) == 0 {
						return fmt.Errorf("%s %s=%s: no benchmark result in:\n%s", c.Name, c.Key, s.Value, out)
					}
					for _, x := range ss {
						if x.Side != s.Value {
							return fmt.Errorf("%s: asked for %s=%s, got a result of %s", c.Name, c.Key, s.Value, x.Side)
						}
						x.Round, x.Procs = r, procs
						if _, err := fmt.Fprintln(tsv[c.Name], x.tsv()); err != nil {
							return err
						}
					}
				}
			}
		}
	}
	logf("%d rounds in %s", rounds, time.Since(start).Round(time.Second))
	return nil
}

// order is the sides in the order round r runs them: turned by r.
func order(sides []side, r int) []side {
	k := r % len(sides)
	return append(append([]side(nil), sides[k:]...), sides[:k]...)
}

// sideArgs is the command line that runs one side once.
func sideArgs(c comparison, s side, procs int, benchtime, bin string) []string {
	bt := s.Benchtime
	if bt == "" {
		bt = benchtime
	}
	pattern := fmt.Sprintf("^%s$/^%s$", c.Bench, regexp.QuoteMeta(c.Key+"="+s.Value))
	return []string{bin, "-test.run", "^$", "-test.bench", pattern, "-test.benchtime", bt,
		"-test.count", "1", "-test.cpu", strconv.Itoa(procs)}
}

// shellJoin joins arguments for a POSIX shell, quoting those with characters it would read.
func shellJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, "^$*?[]()|\\'\" \t") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}

// runSide runs one side once, in a process of its own, and returns its output.
func runSide(c comparison, s side, procs int, benchtime, bin string) ([]byte, error) {
	args := sideArgs(c, s, procs, benchtime, bin)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = c.Pkg
	cmd.Env = append(os.Environ(), "GOMAXPROCS="+strconv.Itoa(procs))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s %s=%s (GOMAXPROCS=%d): %w\n%s%s", c.Name, c.Key, s.Value, procs, err, out.Bytes(), errb.Bytes())
	}
	return out.Bytes(), nil
}

// sample is one figure of one benchmark result.
type sample struct {
	Round, Procs int
	Side         string // the key's value
	Row          string // the sub-benchmark path below the side, "" if none
	Unit         string
	Value        float64
}

func (x sample) tsv() string {
	return fmt.Sprintf("%d\t%d\t%s\t%s\t%s\t%s", x.Round, x.Procs, x.Side, x.Row, x.Unit,
		strconv.FormatFloat(x.Value, 'g', -1, 64))
}

var procSuffix = regexp.MustCompile(`-\d+$`)

// parseBench reads `go test -bench` output and returns the figures of bench's results,
// split by the key's value (the side) and the rest of the sub-benchmark path (the row).
// Round and Procs are left zero.
func parseBench(r io.Reader, bench, key string) ([]sample, error) {
	var out []sample
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || len(f)%2 != 0 {
			continue
		}
		parts := strings.Split(procSuffix.ReplaceAllString(f[0], ""), "/")
		if parts[0] != bench {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		var rest []string
		sideName := ""
		for _, p := range parts[1:] {
			if v, ok := strings.CutPrefix(p, key+"="); ok && sideName == "" {
				sideName = v
				continue
			}
			rest = append(rest, p)
		}
		if sideName == "" {
			continue
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%s: figure %q: %w", f[0], f[i], err)
			}
			out = append(out, sample{Side: sideName, Row: strings.Join(rest, "/"), Unit: f[i+1], Value: v})
		}
	}
	return out, sc.Err()
}

// readSamples reads a .tsv file written by measure.
func readSamples(r io.Reader) ([]sample, error) {
	var out []sample
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 6 {
			return nil, fmt.Errorf("line %d: %d fields, want 6", n, len(f))
		}
		round, err1 := strconv.Atoi(f[0])
		procs, err2 := strconv.Atoi(f[1])
		v, err3 := strconv.ParseFloat(f[5], 64)
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		out = append(out, sample{Round: round, Procs: procs, Side: f[2], Row: f[3], Unit: f[4], Value: v})
	}
	return out, sc.Err()
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "==> "+format+"\n", args...)
}
