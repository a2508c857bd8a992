package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dyad-health/dyad/priority"
	"github.com/dyad-health/dyad/priority/sim"
)

func testConfig(out string) config {
	return config{out: out, seed: -1, traceFormat: "csv", now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) },
		stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
}

// readCSV reads a CSV file strictly (every row as wide as the header, quotes as RFC 4180
// says) and returns the header and the rows.
func readCSV(t *testing.T, name string) ([]string, [][]string) {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = 0 // the header's width, for every row
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(recs) < 2 {
		t.Fatalf("%s: %d rows", name, len(recs))
	}
	return recs[0], recs[1:]
}

// checkTidy checks that a tidy CSV table has one header, unique keys, and numbers (or
// empty cells) in its numeric columns, as R's read.csv and pandas.read_csv need to read it
// without fixes.
func checkTidy(t *testing.T, name string, key, numeric []string) (header []string, rows [][]string) {
	t.Helper()
	header, rows = readCSV(t, name)
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, k := range append(slices.Clone(key), numeric...) {
		if _, ok := col[k]; !ok {
			t.Fatalf("%s: no column %q in %v", name, k, header)
		}
	}
	seen := map[string]int{}
	for i, row := range rows {
		if slices.Equal(row, header) {
			t.Fatalf("%s: a second header row at row %d", name, i+2)
		}
		var k []string
		for _, c := range key {
			k = append(k, row[col[c]])
		}
		ks := strings.Join(k, "\x00")
		if j, dup := seen[ks]; dup {
			t.Fatalf("%s: rows %d and %d have the same key %v", name, j+2, i+2, k)
		}
		seen[ks] = i
		for _, c := range numeric {
			v := row[col[c]]
			if v == "" {
				continue // NA
			}
			if x, err := strconv.ParseFloat(v, 64); err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("%s: row %d, column %s: %q is not a number", name, i+2, c, v)
			}
		}
	}
	return header, rows
}

// TestDefaultStudy runs the built-in three-policy study with 2 replications and checks every
// file it writes.
func TestDefaultStudy(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the statewide scenario")
	}
	dir := t.TempDir()
	c := testConfig(dir)
	c.reps = 2
	if err := run(c); err != nil {
		t.Fatal(err)
	}
	out := c.stdout.(*bytes.Buffer).String()
	if !strings.Contains(out, "Wrote the results to "+dir) || !strings.Contains(out, "Paired differences from federal") {
		t.Errorf("output does not say where it wrote, or lacks the contrasts:\n%s", out)
	}
	for _, f := range []string{"scenario.json", "summary.csv", "replications.csv", "contrasts.csv", "series.csv", "results.json", "waitlist.svg", "README.txt"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	_, rows := checkTidy(t, filepath.Join(dir, "summary.csv"), []string{"run", "level", "name", "metric", "days"},
		[]string{"days", "mean", "low", "high", "n", "confidence", "replications", "seed", "warmup_days", "horizon_days", "window_days"})
	runs := map[string]bool{}
	for _, r := range rows {
		runs[r[0]] = true
	}
	if len(runs) != 3 || !runs["federal"] || !runs["state-postpartum"] || !runs["state-postpartum-interim"] {
		t.Errorf("summary.csv runs: %v", runs)
	}
	checkTidy(t, filepath.Join(dir, "replications.csv"), []string{"run", "replication", "level", "name", "metric", "days"},
		[]string{"replication", "days", "value", "seed", "warmup_days", "horizon_days", "window_days"})
	_, crow := checkTidy(t, filepath.Join(dir, "contrasts.csv"), []string{"run", "baseline", "level", "name", "metric", "days"},
		[]string{"days", "difference", "low", "high", "n"})
	for _, r := range crow {
		if r[1] != "federal" {
			t.Fatalf("contrast baseline %q, want federal", r[1])
		}
	}
	checkTidy(t, filepath.Join(dir, "series.csv"), []string{"run", "group", "day"}, []string{"day", "mean", "low", "high"})

	// The scenario written is the one run, and reads back.
	s, err := loadScenario(filepath.Join(dir, "scenario.json"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Replications != 2 || s.Name != "statewide" {
		t.Errorf("scenario.json: %d replications, name %q", s.Replications, s.Name)
	}
	var doc struct {
		Results   []sim.Result   `json:"results"`
		Contrasts []sim.Contrast `json:"contrasts"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Results) != 3 || len(doc.Contrasts) != 2 {
		t.Fatalf("results.json: %d results, %d contrasts", len(doc.Results), len(doc.Contrasts))
	}
	// The same people under every policy: arrivals are equal replication by replication.
	for i := range doc.Results[0].PerReplication {
		if a, b := doc.Results[0].PerReplication[i].Overall.Arrivals, doc.Results[1].PerReplication[i].Overall.Arrivals; a != b {
			t.Errorf("replication %d: %v arrivals under federal, %v under the State policy", i, a, b)
		}
	}
	svg, err := os.ReadFile(filepath.Join(dir, "waitlist.svg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"state-postpartum", "Welch", "Waitlist over time", "Delivered while waiting"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("waitlist.svg lacks %q", want)
		}
	}
	pythonCSVCheck(t, filepath.Join(dir, "summary.csv"), "run,level,name,metric,days", "mean,low,high")
}

// pythonCSVCheck reads a CSV file with the csv module of /usr/bin/python3 (pandas is not
// installed here), as a second, independent reader: the key columns unique, the numeric
// columns floats or empty.
func pythonCSVCheck(t *testing.T, name, key, numeric string) {
	t.Helper()
	py, err := exec.LookPath("/usr/bin/python3")
	if err != nil {
		t.Logf("no /usr/bin/python3: %v", err)
		return
	}
	script := `
import csv, sys
key = sys.argv[2].split(","); num = sys.argv[3].split(",")
with open(sys.argv[1], newline="") as f:
    rows = list(csv.DictReader(f, strict=True))
seen = set()
for i, r in enumerate(rows):
    if None in r or None in r.values():
        sys.exit("row %d has a wrong number of fields" % (i + 2))
    k = tuple(r[c] for c in key)
    if k in seen:
        sys.exit("duplicate key %r" % (k,))
    seen.add(k)
    for c in num:
        if r[c] != "":
            float(r[c])
print(len(rows))
`
	out, err := exec.Command(py, "-c", script, name, key, numeric).CombinedOutput()
	if err != nil {
		t.Fatalf("python csv check of %s: %v\n%s", name, err, out)
	}
}

// TestTraceJoinsTheSummary runs a small scenario file with traces in both formats: every
// trace row joins to the replications' rows on (run, replication, group), the CSV and the
// JSON Lines hold the same events, and the trace rerun of replication 0 counts the arrivals
// the whole run counted.
func TestTraceJoinsTheSummary(t *testing.T) {
	dir := t.TempDir()
	s := sim.Statewide()
	s.HorizonDays, s.WarmupDays, s.Replications = 200, 50, 2
	for i := range s.Arrivals {
		s.Arrivals[i].RatePerDay /= 5
	}
	name := filepath.Join(dir, "small.json")
	b, _ := json.Marshal(s)
	if err := os.WriteFile(name, b, 0o644); err != nil {
		t.Fatal(err)
	}
	pol := filepath.Join(dir, "state.json")
	b, _ = json.Marshal(statePostpartum())
	if err := os.WriteFile(pol, b, 0o644); err != nil {
		t.Fatal(err)
	}
	c := testConfig(filepath.Join(dir, "out"))
	c.scenario, c.policies, c.trace, c.traceFormat = name, []string{pol}, 1, "both"
	if err := run(c); err != nil {
		t.Fatal(err)
	}
	header, rows := checkTidy(t, filepath.Join(dir, "out", "trace.csv"), []string{"run", "replication", "person", "event", "day", "program"},
		[]string{"replication", "person", "day", "wait_days"})
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	_, reps := readCSV(t, filepath.Join(dir, "out", "replications.csv"))
	joins := map[string]bool{}
	arrivals := map[string]float64{} // counted arrivals of replication 0 per run and group
	for _, r := range reps {
		joins[r[0]+"|"+r[3]+"|"+r[5]] = true
		if r[3] == "0" && r[4] == "group" && r[6] == "arrivals" {
			v, _ := strconv.ParseFloat(r[9], 64)
			arrivals[r[0]+"|"+r[5]] = v
		}
	}
	traced := map[string]float64{}
	for _, r := range rows {
		if !joins[r[col["run"]]+"|"+r[col["replication"]]+"|"+r[col["group"]]] {
			t.Fatalf("trace row %v joins no replication row", r)
		}
		if r[col["event"]] == "arrival" && r[col["counted"]] == "true" {
			traced[r[col["run"]]+"|"+r[col["group"]]]++
		}
	}
	for k, v := range arrivals {
		if traced[k] != v {
			t.Errorf("%s: %v counted arrivals traced, %v in replications.csv", k, traced[k], v)
		}
	}
	f, err := os.Open(filepath.Join(dir, "out", "trace.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("trace.jsonl line %d: %v", n+1, err)
		}
		n++
	}
	if n != len(rows) {
		t.Errorf("trace.jsonl has %d events, trace.csv %d", n, len(rows))
	}
	pythonCSVCheck(t, filepath.Join(dir, "out", "trace.csv"), "run,replication,person,event,day,program", "day,wait_days")
}

// TestDefaultFolder: without -out the results go to a new folder named after the scenario
// and the time, and the output says where.
func TestDefaultFolder(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	s := sim.Statewide()
	s.HorizonDays, s.WarmupDays, s.Replications = 100, 10, 2
	b, _ := json.Marshal(s)
	if err := os.WriteFile("s.json", b, 0o644); err != nil {
		t.Fatal(err)
	}
	c := testConfig("")
	c.scenario = "s.json"
	if err := run(c); err != nil {
		t.Fatal(err)
	}
	want := "waitlist-statewide-20260102-030405"
	if _, err := os.Stat(filepath.Join(dir, want, "summary.csv")); err != nil {
		t.Fatalf("no %s/summary.csv: %v", want, err)
	}
	if out := c.stdout.(*bytes.Buffer).String(); !strings.Contains(out, "Wrote the results to "+want) {
		t.Errorf("output does not name the folder:\n%s", out)
	}
}

// TestScenarioFileTooLarge: a scenario file over 4 MiB is refused without being read
// whole (a 64 MiB file is not loaded into memory to be rejected).
func TestScenarioFileTooLarge(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "huge.json")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(64 << 20); err != nil { // 64 MiB of zero bytes, sparse on disk
		t.Fatal(err)
	}
	f.Close()
	c := testConfig(dir)
	c.scenario = name
	err = run(c)
	if err == nil || !strings.Contains(err.Error(), "input_too_large") {
		t.Fatalf("err = %v, want input_too_large", err)
	}
	c = testConfig(dir)
	c.policies = []string{name}
	if err := run(c); err == nil || !strings.Contains(err.Error(), "input_too_large") {
		t.Fatalf("policy file: err = %v, want input_too_large", err)
	}
}

// TestBadFilesNamePaths: a misspelt key in a scenario or policy file is reported at its
// JSON path (the key itself as "?"), without the file's text.
func TestBadFilesNamePaths(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(name, []byte(`{"horizon_days": 10, "replications": 1, "policy": "federal", "programs": [{"id": "p", "beds": 1, "length_of_stay": {"dist": "fixed", "mean_dayz": 3}}], "arrivals": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	c := testConfig(dir)
	c.scenario = name
	err := run(c)
	// The reader shows an unknown member as "?" in its path, never the name as written, and
	// says what it may stand for.
	if err == nil || !strings.Contains(err.Error(), "programs[0].length_of_stay.?") || !strings.Contains(err.Error(), `"mean_days"`) ||
		strings.Contains(err.Error(), "dayz") {
		t.Errorf("err = %v, want the path of the misspelt key", err)
	}
	if err := os.WriteFile(name, []byte(`{"name": "x", "tiers": [{"name": "a", "whne": {}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	c = testConfig(dir)
	c.policies = []string{name}
	if err := run(c); err == nil || !strings.Contains(err.Error(), "tiers[0].?") || strings.Contains(err.Error(), "whne") {
		t.Errorf("policy: err = %v, want the path tiers[0].?", err)
	}
}

func TestPrintScenario(t *testing.T) {
	c := testConfig(t.TempDir())
	c.printScenario = true
	c.reps = 7
	if err := run(c); err != nil {
		t.Fatal(err)
	}
	s, err := sim.DecodeScenario(c.stdout.(*bytes.Buffer).Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if s.Replications != 7 || s.Name != "statewide" {
		t.Errorf("printed scenario: %d replications, name %q", s.Replications, s.Name)
	}
}

// FuzzReadScenario: reading a scenario never panics, whatever the bytes. (What the
// scenario decoder promises of its errors is priority/sim's to test.)
func FuzzReadScenario(f *testing.F) {
	var b strings.Builder
	if err := json.NewEncoder(&b).Encode(sim.Statewide()); err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(b.String()))
	f.Add([]byte(`{"policy":"QQ-MARK-QQ","QQ-MARK-QQ":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = readScenario(bytes.NewReader(data))
	})
}

// TestUnstableWarned: a scenario whose arrivals outrun its beds runs, with a warning.
func TestUnstableWarned(t *testing.T) {
	dir := t.TempDir()
	s := sim.Scenario{HorizonDays: 60, Replications: 2, Seed: 1, Policy: sim.FederalPolicy(),
		Dropout:  &sim.Dist{Name: sim.DistExponential, MeanDays: 10},
		Programs: []sim.Program{{ID: "p", Beds: 5, LengthOfStay: sim.Dist{Name: sim.DistExponential, MeanDays: 30}}},
		Arrivals: []sim.ArrivalStream{{Group: "g", RatePerDay: 1}}}
	b, _ := json.Marshal(s)
	name := filepath.Join(dir, "over.json")
	if err := os.WriteFile(name, b, 0o644); err != nil {
		t.Fatal(err)
	}
	c := testConfig(filepath.Join(dir, "out"))
	c.scenario = name
	if err := run(c); err != nil {
		t.Fatal(err)
	}
	if got := c.stderr.(*bytes.Buffer).String(); !strings.Contains(got, "warning (unstable)") {
		t.Errorf("no warning on stderr:\n%s", got)
	}
}

// TestSamePolicyTwice: a policy file run beside the same policy gets its own label, so the
// tables' keys stay unique.
func TestSamePolicyTwice(t *testing.T) {
	dir := t.TempDir()
	s := sim.Statewide()
	s.HorizonDays, s.WarmupDays, s.Replications = 100, 10, 2
	b, _ := json.Marshal(s)
	name := filepath.Join(dir, "s.json")
	if err := os.WriteFile(name, b, 0o644); err != nil {
		t.Fatal(err)
	}
	pol := filepath.Join(dir, "federal.json")
	b, _ = json.Marshal(priority.Federal())
	if err := os.WriteFile(pol, b, 0o644); err != nil {
		t.Fatal(err)
	}
	c := testConfig(filepath.Join(dir, "out"))
	c.scenario, c.policies = name, []string{pol}
	if err := run(c); err != nil {
		t.Fatal(err)
	}
	_, rows := checkTidy(t, filepath.Join(dir, "out", "summary.csv"), []string{"run", "level", "name", "metric", "days"}, []string{"mean"})
	runs := map[string]bool{}
	for _, r := range rows {
		runs[r[0]] = true
	}
	if !runs["federal"] || !runs["federal#2"] {
		t.Errorf("runs %v", runs)
	}
}
