package simbench

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strconv"

	"github.com/dyad-health/dyad/priority/sim"
)

// ErrNoSimPy is returned by FindPython when no python3 that imports simpy is found.
var ErrNoSimPy = errors.New("simbench: no python3 with simpy found (install Debian's python3-simpy3, or set DYAD_PYTHON)")

// FindPython returns the first interpreter for which `python3 -c 'import simpy'` succeeds:
// $DYAD_PYTHON if set, then python3, then /usr/bin/python3. Debian's python3-simpy3 installs
// for the system interpreter, which a pyenv or venv python3 earlier in PATH does not see, hence
// the last.
func FindPython() (string, error) {
	cands := []string{"python3", "/usr/bin/python3"}
	if p := os.Getenv("DYAD_PYTHON"); p != "" {
		cands = append([]string{p}, cands...)
	}
	for _, c := range cands {
		if err := exec.Command(c, "-c", "import simpy").Run(); err == nil {
			return c, nil
		}
	}
	return "", ErrNoSimPy
}

// GroupWait is one group's mean wait over replications with its 95% confidence interval.
type GroupWait struct {
	MeanWaitDays  float64 `json:"mean_wait_days"`
	CI95HalfWidth float64 `json:"ci95_half_width"`
	Replications  int     `json:"replications"`
	Admitted      int     `json:"admitted"`
}

// Model names one of the three ways waitlist.py writes the same model (its --model).
type Model string

// The models of waitlist.py, from the slowest to the fastest.
const (
	// ModelTextbook is SimPy as its documentation teaches: a process per person asking a
	// simpy.PriorityResource for a bed.
	ModelTextbook Model = "textbook"
	// ModelLean keeps SimPy's clock and event queue only: a process per arrival stream, a
	// stay is a bare timeout with a callback, the waitlist is the model's own per-tier FIFO
	// queues.
	ModelLean Model = "lean"
	// ModelHeapq is a plain Python event loop over a heapq, no SimPy, with the same queues.
	ModelHeapq Model = "heapq"
)

// Models are the three models, from the slowest to the fastest.
var Models = []Model{ModelTextbook, ModelLean, ModelHeapq}

// PythonResult is what waitlist.py prints.
type PythonResult struct {
	// Python is the interpreter's version; SimPy the version of the simpy module it imports
	// (whatever the model: waitlist.py imports it for all three).
	Python string `json:"python"`
	SimPy  string `json:"simpy"`
	// Model is the model that ran.
	Model           Model                `json:"model"`
	Replications    int                  `json:"replications"`
	HorizonDays     float64              `json:"horizon_days"`
	Groups          map[string]GroupWait `json:"groups"`
	Events          uint64               `json:"events"`
	Seconds         float64              `json:"seconds"`
	EventsPerSecond float64              `json:"events_per_second"`
	// CPUSeconds is the process CPU time spent in env.run.
	CPUSeconds         float64 `json:"cpu_seconds"`
	EventsPerCPUSecond float64 `json:"events_per_cpu_second"`
}

// Overrides shorten a run for tests; zero fields keep the scenario's values.
type Overrides struct {
	Replications int
	HorizonDays  float64
}

// RunPython runs script (waitlist.py) with python on the scenario file, written as model,
// and decodes its output.
func RunPython(python, script, scenario string, model Model, o Overrides) (*PythonResult, error) {
	args := []string{script, scenario, "--model", string(model)}
	if o.Replications > 0 {
		args = append(args, "--replications", strconv.Itoa(o.Replications))
	}
	if o.HorizonDays > 0 {
		args = append(args, "--horizon-days", strconv.FormatFloat(o.HorizonDays, 'g', -1, 64))
	}
	var out, errb bytes.Buffer
	cmd := exec.Command(python, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("simbench: %s %s: %w: %s", python, script, err, errb.String())
	}
	r, err := DecodePythonResult(out.Bytes())
	if err == nil && r.Model != model {
		return nil, fmt.Errorf("%w: model %q, asked for %q", ErrBadOutput, r.Model, model)
	}
	return r, err
}

// ErrBadOutput reports waitlist.py output that does not decode as a PythonResult.
var ErrBadOutput = errors.New("simbench: bad waitlist.py output")

// DecodePythonResult decodes what waitlist.py prints, rejecting unknown fields and trailing
// data so that a change on either side fails loudly.
func DecodePythonResult(b []byte) (*PythonResult, error) {
	var r PythonResult
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadOutput, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: trailing data", ErrBadOutput)
	}
	return &r, nil
}

// LoadScenario reads a scenario file in priority/sim's format and applies the overrides.
func LoadScenario(path string, o Overrides) (sim.Scenario, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return sim.Scenario{}, err
	}
	s, err := sim.DecodeScenario(b)
	if err != nil {
		return sim.Scenario{}, err
	}
	if o.Replications > 0 {
		s.Replications = o.Replications
	}
	if o.HorizonDays > 0 {
		s.HorizonDays = o.HorizonDays
	}
	return s, nil
}

// Comparison is one group's mean wait in both simulators.
type Comparison struct {
	Group              string
	Go, GoHalfWidth    float64
	Py, PyHalfWidth    float64
	OverlappingCI95    bool
	DifferenceInDays   float64
	CombinedHalfWidths float64
}

// Compare pairs each group's mean wait in the Go result with the Python one's. The intervals
// overlap when the means differ by no more than the sum of the half-widths. A group missing on
// either side is an error.
func Compare(g *sim.Result, p *PythonResult) ([]Comparison, error) {
	var out []Comparison
	for _, gr := range g.Groups {
		pw, ok := p.Groups[gr.Group]
		if !ok {
			return nil, fmt.Errorf("simbench: group %q missing from the Python result", gr.Group)
		}
		e := gr.MeanWaitDays
		if e.N < 2 || pw.Replications < 2 {
			return nil, fmt.Errorf("simbench: group %q: a confidence interval needs 2 replications with admissions on each side (priority/sim %d, Python %d)",
				gr.Group, e.N, pw.Replications)
		}
		c := Comparison{
			Group: gr.Group, Go: e.Mean, GoHalfWidth: (e.High - e.Low) / 2,
			Py: pw.MeanWaitDays, PyHalfWidth: pw.CI95HalfWidth,
		}
		c.DifferenceInDays = c.Go - c.Py
		c.CombinedHalfWidths = c.GoHalfWidth + c.PyHalfWidth
		c.OverlappingCI95 = abs(c.DifferenceInDays) <= c.CombinedHalfWidths
		out = append(out, c)
	}
	if len(out) != len(p.Groups) {
		names := make([]string, 0, len(p.Groups))
		for k := range p.Groups {
			names = append(names, k)
		}
		sort.Strings(names)
		return nil, fmt.Errorf("simbench: Python groups %v differ from the Go groups", names)
	}
	return out, nil
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
