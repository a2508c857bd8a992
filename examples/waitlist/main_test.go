package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dyad-health/dyad/priority/sim"
)

// TestDefaultRun runs the built-in comparison with 2 replications and checks the files.
func TestDefaultRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the statewide scenario")
	}
	dir := t.TempDir()
	if err := run("", false, "", dir, 2, false); err != nil {
		t.Fatal(err)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "waitlist.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(svg), "state-postpartum") || !strings.HasSuffix(string(svg), "</svg>\n") {
		t.Error("waitlist.svg lacks the State policy or is cut short")
	}
	data, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res []sim.Result
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Policy != "federal" || res[1].Policy != "state-postpartum" {
		t.Fatalf("results.json holds %d results", len(res))
	}
	// The same people arrive under both policies (common random numbers).
	if res[0].Overall.Arrivals != res[1].Overall.Arrivals {
		t.Errorf("arrivals differ between policies: %+v vs %+v", res[0].Overall.Arrivals, res[1].Overall.Arrivals)
	}
	// The built-in scenario is meant to show the wait of pregnant women in tight women's
	// programs: pregnant women wait days, not hours, and some deliver while waiting.
	for _, r := range res {
		g, ok := r.Group("pregnant")
		if !ok {
			t.Fatalf("%s: no pregnant group", r.Policy)
		}
		if g.MeanWaitDays.Mean < 1 || g.DeliveredWhileWaiting.Mean <= 0 {
			t.Errorf("%s: pregnant women wait %.2f days on average and %.1f deliver while waiting; the default scenario should show days and some deliveries",
				r.Policy, g.MeanWaitDays.Mean, g.DeliveredWhileWaiting.Mean)
		}
	}
	csv, err := os.ReadFile(filepath.Join(dir, "results.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(csv), "policy,group,metric"); n != 1 {
		t.Errorf("results.csv has %d header rows, want 1", n)
	}
}

func TestDefaultScenarioIsValid(t *testing.T) {
	s := defaultScenario()
	if _, err := sim.Compile(s); err != nil {
		t.Fatal(err)
	}
	beds := 0
	for _, p := range s.Programs {
		beds += p.Beds
	}
	rate := 0.0
	for _, a := range s.Arrivals {
		rate += a.RatePerDay
		for _, r := range a.MonthlyRatePerDay {
			rate += r / 12
		}
	}
	// 50 programs, 1,500 beds, about 150,000 arrivals in ten years (41 a day).
	if len(s.Programs) != 50 || beds != 1500 || rate*s.HorizonDays < 140000 || rate*s.HorizonDays > 160000 {
		t.Errorf("%d programs, %d beds, %.0f arrivals", len(s.Programs), beds, rate*s.HorizonDays)
	}
	s.Policy = sim.PolicyRef{Inline: []byte(statePolicy)}
	if _, err := sim.Compile(s); err != nil {
		t.Fatalf("State policy: %v", err)
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
	err = run(name, false, "", dir, 1, false)
	if err == nil || !strings.Contains(err.Error(), "input_too_large") {
		t.Fatalf("err = %v, want input_too_large", err)
	}
}

// FuzzReadScenario: reading a scenario never panics, whatever the bytes. (What the
// scenario decoder promises of its errors is priority/sim's to test.)
func FuzzReadScenario(f *testing.F) {
	var b strings.Builder
	if err := json.NewEncoder(&b).Encode(defaultScenario()); err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(b.String()))
	f.Add([]byte(`{"policy":"QQ-MARK-QQ","QQ-MARK-QQ":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = readScenario(strings.NewReader(string(data)))
	})
}
