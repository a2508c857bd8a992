package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/dyad-health/dyad/priority"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestValidateListsEveryProblem(t *testing.T) {
	bad := `{
	  "horizon_days": -1, "warmup_days": -5, "replications": 0, "seed": 1,
	  "policy": "kentucky-2031",
	  "term_days": 1000,
	  "programs": [
	    { "id": "p1", "beds": 0, "length_of_stay": { "dist": "beta", "mean_days": 3 } },
	    { "id": "p1", "beds": 2, "length_of_stay": { "dist": "lognormal", "mean_days": 10 },
	      "reserved": [ { "tier": "pregnant", "beds": 3 } ] }
	  ],
	  "arrivals": [
	    { "group": "g", "rate_per_day": 0, "applicant": {}, "gestational_age_days": { "dist": "uniform", "min_days": 10, "max_days": 5 } },
	    { "group": "g", "rate_per_day": 1, "monthly_rate_per_day": [1, 2], "applicant": { "pregnant": true },
	      "delivered_days_ago": { "dist": "empirical", "values_days": [1, -2], "weights": [1] } }
	  ],
	  "dropout": { "dist": "exponential", "mean_days": 0 }
	}`
	s, err := DecodeScenario([]byte(bad))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	_, err = Compile(s)
	if !errors.Is(err, ErrInvalidScenario) {
		t.Fatalf("Compile error %v does not match ErrInvalidScenario", err)
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Compile error %T is not a *ValidationError", err)
	}
	type cf struct{ Code, Field string }
	var got []cf
	for _, p := range ve.Problems {
		got = append(got, cf{p.Code, p.Field})
		if p.Message == "" {
			t.Errorf("problem %s at %s has no message", p.Code, p.Field)
		}
	}
	// Every problem, in the order the scenario is read. The policy is unknown, so the
	// reservation's tier cannot be checked (no tier list), but its beds still are.
	want := []cf{
		{CodeHorizon, "horizon_days"},
		{CodeWarmup, "warmup_days"},
		{CodeReplications, "replications"},
		{CodeTerm, "term_days"},
		{CodePolicy, "policy"},
		{CodeProgramID, "programs[1].id"}, // duplicate p1
		{CodeBeds, "programs[0].beds"},
		{CodeDist, "programs[0].length_of_stay"},        // beta unknown
		{CodeDist, "programs[1].length_of_stay"},        // lognormal without sd_days
		{CodeReservation, "programs[1].reserved"},       // 3 beds held of 2
		{CodeDist, "dropout"},                           // mean 0
		{CodeRate, "arrivals[0].rate_per_day"},          // 0
		{CodeFacts, "arrivals[0].gestational_age_days"}, // not pregnant
		{CodeDist, "arrivals[0].gestational_age_days"},  // min > max
		{CodeGroup, "arrivals[1].group"},                // duplicate g
		{CodeRate, "arrivals[1]"},                       // both kinds of rate
		{CodeFacts, "arrivals[1].delivered_days_ago"},   // pregnant
		{CodeDist, "arrivals[1].delivered_days_ago"},    // values_days[1] negative
		{CodeDist, "arrivals[1].delivered_days_ago"},    // weights length
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
	for _, p := range ve.Problems {
		if strings.Contains(p.Message, "kentucky-2031") && p.Code != CodePolicy {
			t.Errorf("problem %s quotes the policy name", p.Code)
		}
	}
}

func TestValidateUnknownProgramOfAGroup(t *testing.T) {
	s := validScenario()
	s.Arrivals[0].Programs = []string{"a", "nowhere"}
	_, err := Compile(s)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a *ValidationError, got %v", err)
	}
	want := []Problem{{Code: CodeProgramID, Field: "arrivals[0].programs[1]", Message: `program "nowhere" is not a program of the scenario`}}
	if d := cmp.Diff(want, ve.Problems); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
}

func TestValidateInlinePolicyProblems(t *testing.T) {
	s := validScenario()
	s.Policy = mustPolicy(`{"name": "x", "tiers": [{"name": "a", "when": {"left_handed": true}}]}`)
	_, err := Compile(s)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a *ValidationError, got %v", err)
	}
	// The priority package's own problem (unknown condition, 45 CFR 96.131(a)) comes through.
	if len(ve.Problems) != 1 || ve.Problems[0].Code != CodePolicy || ve.Problems[0].Cite != "45 CFR 96.131(a)" ||
		!strings.Contains(ve.Problems[0].Message, "unknown_condition") {
		t.Errorf("problems = %+v, want one policy problem citing 45 CFR 96.131(a) with code unknown_condition", ve.Problems)
	}
	// A misspelt member of an inline policy is refused when the scenario is read, at its path.
	_, err = DecodeScenario([]byte(`{"policy": {"name": "x", "tiers": [{"name": "a"}], "colour": "red"}}`))
	if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Code != "unknown_field" || ve.Problems[0].Field != "policy.?" {
		t.Errorf("unknown field in inline policy: err = %v, want one unknown_field at policy.?", err)
	}
}

func TestDecodeScenario(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		ok       bool
	}{
		{"unknown field", `{"horizon_days": 1, "beds": 3}`, false},
		{"trailing data", `{"horizon_days": 1} {}`, false},
		{"policy number", `{"policy": 3}`, false},
		{"policy name", `{"policy": "federal"}`, true},
		{"policy object", `{"policy": {"name": "x"}}`, true},
		{"not json", `{`, false},
	} {
		_, err := DecodeScenario([]byte(tc.in))
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v, want ok %v", tc.name, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalidScenario) {
			t.Errorf("%s: err %v does not match ErrInvalidScenario", tc.name, err)
		}
	}
}

func TestPolicyRefJSON(t *testing.T) {
	for _, in := range []string{`"federal"`, `{"name":"x","tiers":[{"name":"all"}]}`} {
		var p PolicyRef
		if err := json.Unmarshal([]byte(in), &p); err != nil {
			t.Fatal(err)
		}
		out, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != in {
			t.Errorf("round trip of %s gave %s", in, out)
		}
	}
	if got := PolicyOf(priority.Policy{}).String(); got != "inline" {
		t.Errorf("String = %q", got)
	}
}

func TestClosedForms(t *testing.T) {
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-5*math.Max(1, math.Abs(want)) {
			t.Errorf("%s = %.7f, want %.7f", name, got, want)
		}
	}
	near("MM1MeanWait(0.7, 1)", MM1MeanWait(0.7, 1), 0.7/0.3)
	// Erlang C(5, 4) by the textbook formula: 42.6667 / (34.3333 + 42.6667) = 0.5541126.
	near("ErlangC(5, 4)", ErlangC(5, 4), (1024.0/120*5)/(1+4+8+64.0/6+256.0/24+1024.0/120*5))
	near("ErlangC(1, 0.7) = rho", ErlangC(1, 0.7), 0.7)
	near("MMcMeanWait(0.4, 0.1, 5)", MMcMeanWait(0.4, 0.1, 5), 5.541126)
	near("MMcMeanWait with c = 1 is M/M/1", MMcMeanWait(0.7, 1, 1), MM1MeanWait(0.7, 1))
	w := PriorityMeanWaits([]float64{0.3, 0.5}, 1, 1) // the shared example: 8/7 and 40/7
	near("Cobham W1", w[0], 8.0/7)
	near("Cobham W2", w[1], 40.0/7)
	w = PriorityMeanWaits([]float64{0.1, 0.15, 0.2, 0.25}, 1, 1)
	for i, want := range []float64{0.7 / 0.9, 0.7 / (0.9 * 0.75), 0.7 / (0.75 * 0.55), 0.7 / (0.55 * 0.3)} {
		near("Cobham 4 classes", w[i], want)
	}
	// One class is plain M/M/c.
	near("one class", PriorityMeanWaits([]float64{0.4}, 0.1, 5)[0], MMcMeanWait(0.4, 0.1, 5))
	for _, x := range []float64{MM1MeanWait(1, 1), ErlangC(2, 2), MMcMeanWait(1, 0, 1), ErlangC(0, 0.1)} {
		if !math.IsNaN(x) {
			t.Errorf("unstable or invalid system gave %v, want NaN", x)
		}
	}
}

func TestTQuantileAndEstimate(t *testing.T) {
	// Table values of Student's t (NIST/SEMATECH e-Handbook 1.3.6.7.2, three decimals): the
	// 0.975 quantile with 1, 3, 10, 30, 100 degrees of freedom, the 0.95 and 0.995
	// quantiles with 10, the 0.90 with 5.
	for _, tc := range []struct {
		p    float64
		df   int
		want float64
	}{
		{0.975, 1, 12.706}, {0.975, 3, 3.182}, {0.975, 10, 2.228}, {0.975, 30, 2.042}, {0.975, 100, 1.984},
		{0.95, 10, 1.812}, {0.995, 10, 3.169}, {0.90, 5, 1.476}, {0.995, 1, 63.657}, {0.95, 1, 6.314},
	} {
		if got := tQuantile(tc.p, tc.df); math.Abs(got-tc.want) > 6e-4 {
			t.Errorf("t(%v, %d) = %.5f, want %.3f", tc.p, tc.df, got, tc.want)
		}
	}
	// Far out, the normal quantile: 1.959964.
	if got := tQuantile(0.975, 1000000); math.Abs(got-1.959964) > 1e-5 {
		t.Errorf("t(0.975, 1e6) = %v, want 1.959964", got)
	}
	// {1, 2, 3, 4}: mean 2.5, s = sqrt(5/3) = 1.290994, half width 3.182 × s / 2 = 2.054.
	buf := make([]float64, 8)
	e := estimate([]float64{1, 2, math.NaN(), 3, 4}, 0.95, buf)
	half := tQuantile(0.975, 3) * math.Sqrt(5.0/3) / 2
	want := Estimate{Mean: 2.5, Low: 2.5 - half, High: 2.5 + half, N: 4}
	if d := cmp.Diff(want, e, cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-9 })); d != "" {
		t.Errorf("estimate (-want +got):\n%s", d)
	}
	if math.Abs(half-3.182*math.Sqrt(5.0/3)/2) > 1e-3 {
		t.Errorf("half width %v, want 2.054", half)
	}
	// 90%: t(0.95, 3) = 2.353.
	e = estimate([]float64{1, 2, 3, 4}, 0.90, buf)
	if math.Abs(e.HalfWidth()-2.353*math.Sqrt(5.0/3)/2) > 1e-3 {
		t.Errorf("90%% half width %v, want %v", e.HalfWidth(), 2.353*math.Sqrt(5.0/3)/2)
	}
	if d := cmp.Diff(Estimate{Mean: 7, Low: 7, High: 7, N: 1}, estimate([]float64{7}, 0.95, buf)); d != "" {
		t.Errorf("one value (-want +got):\n%s", d)
	}
	// No value: undefined, NaN (not 0), N = 0.
	if e := estimate([]float64{math.NaN()}, 0.95, buf); !math.IsNaN(e.Mean) || !math.IsNaN(e.Low) || !math.IsNaN(e.High) || e.N != 0 {
		t.Errorf("no value: %+v, want NaN with N 0", e)
	}
}

func TestHistogram(t *testing.T) {
	for _, tc := range []struct {
		w      float64
		bin    int
		lo, wd float64
	}{
		{0, 0, 0, 1.0 / 24},
		{1.0 / 24, 1, 1.0 / 24, 1.0 / 24},
		{13.999, 335, 335.0 / 24, 1.0 / 24},
		{14, 336, 14, 0.25},
		{179.99, 336 + 663, 179.75, 0.25},
		{180, 1000, 180, 5},
		{3649, 1000 + 693, 3645, 5},
		{5000, nBins - 1, 3650, 0},
	} {
		b := binOf(tc.w)
		lo, wd := binRange(b)
		if b != tc.bin || math.Abs(lo-tc.lo) > 1e-12 || wd != tc.wd {
			t.Errorf("wait %v: bin %d [%v +%v], want %d [%v +%v]", tc.w, b, lo, wd, tc.bin, tc.lo, tc.wd)
		}
	}
	// Ten waits of 20.1 days (bin [20, 20.25)) and ten of 30.1 ([30, 30.25)): the median
	// (target 10 of 20) is the top of the first bin, 20.25; the 0.75 quantile (target 15)
	// is half-way through the second, 30.125.
	h := make([]uint32, nBins)
	h[binOf(20.1)] = 10
	h[binOf(30.1)] = 10
	if got := histQuantile(h, 0, 20, 0.5); math.Abs(got-20.25) > 1e-12 {
		t.Errorf("median = %v, want 20.25", got)
	}
	if got := histQuantile(h, 0, 20, 0.75); math.Abs(got-30.125) > 1e-12 {
		t.Errorf("0.75 quantile = %v, want 30.125", got)
	}
	if !math.IsNaN(histQuantile(h, 0, 0, 0.5)) {
		t.Error("quantile of nothing should be NaN")
	}
}

func TestDistributions(t *testing.T) {
	// Lognormal with mean 10 and sd 5: sigma^2 = ln(1 + 25/100) = 0.2231436,
	// mu = ln 10 - sigma^2/2 = 2.3025851 - 0.1115718 = 2.1910133.
	d := Dist{Name: DistLognormal, MeanDays: 10, SDDays: 5}
	s := d.compile()
	if math.Abs(s.b*s.b-0.2231436) > 1e-6 || math.Abs(s.a-2.1910133) > 1e-6 {
		t.Errorf("lognormal mu, sigma^2 = %v, %v", s.a, s.b*s.b)
	}
	// Means of the compiled samplers, by hand, and sample means of 200,000 draws within
	// 1% (each draw's standard deviation is at most the mean here, so the sample mean's
	// standard error is below 0.23%).
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		d    Dist
		mean float64
	}{
		{Dist{Name: DistExponential, MeanDays: 7}, 7},
		{d, 10},
		{Dist{Name: DistUniform, MinDays: 2, MaxDays: 6}, 4},
		{Dist{Name: DistFixed, MeanDays: 3}, 3},
		// (1×1 + 2×3 + 10×1) / 5 = 17/5.
		{Dist{Name: DistEmpirical, ValuesDays: []float64{1, 2, 10}, Weights: []float64{1, 3, 1}}, 3.4},
		{Dist{Name: DistEmpirical, ValuesDays: []float64{4, 8}}, 6},
		// Gamma: kθ; Weibull: λΓ(1+1/k). Their sd over mean is at most 1.41 here, so the
		// sample mean's standard error is below 0.32%.
		{Dist{Name: DistGamma, Shape: 2, ScaleDays: 0.5}, 1},
		{Dist{Name: DistGamma, Shape: 0.5, ScaleDays: 4}, 2},
		{Dist{Name: DistWeibull, Shape: 2, ScaleDays: 1}, math.Gamma(1.5)},
		{Dist{Name: DistWeibull, Shape: 0.8, ScaleDays: 10}, 10 * math.Gamma(2.25)},
	} {
		var ps []Problem
		tc.d.check("d", &ps)
		if len(ps) > 0 {
			t.Errorf("%s: unexpected problems %v", tc.d.Name, ps)
			continue
		}
		s := tc.d.compile()
		if math.Abs(s.mean()-tc.mean) > 1e-9 {
			t.Errorf("%s: mean %v, want %v", tc.d.Name, s.mean(), tc.mean)
		}
		sum := 0.0
		const n = 200000
		for range n {
			sum += s.sample(r)
		}
		if got := sum / n; math.Abs(got-tc.mean) > 0.01*tc.mean {
			t.Errorf("%s: sample mean %v, want %v ± 1%%", tc.d.Name, got, tc.mean)
		}
	}
}

// validScenario is a small, fast scenario with every feature on.
func validScenario() Scenario {
	return Scenario{
		HorizonDays: 400, WarmupDays: 50, Replications: 6, Seed: 42,
		Policy:       mustPolicy(statePostpartum),
		Dropout:      &Dist{Name: DistExponential, MeanDays: 20},
		InterimDelay: &Dist{Name: DistLognormal, MeanDays: 1.5, SDDays: 1},
		Programs: []Program{
			{ID: "a", Beds: 6, LengthOfStay: Dist{Name: DistLognormal, MeanDays: 12, SDDays: 6},
				Reserved: []Reservation{{Tier: "pregnant", Beds: 1}}},
			{ID: "b", Beds: 4, LengthOfStay: Dist{Name: DistEmpirical, ValuesDays: []float64{5, 10, 20}}},
		},
		Arrivals: []ArrivalStream{
			{Group: "pregnant", RatePerDay: 0.1, Applicant: Facts{Pregnant: true, InjectsDrugs: true},
				GestationalAgeDays: &Dist{Name: DistUniform, MinDays: 278, MaxDays: 280}},
			{Group: "postpartum", RatePerDay: 0.2, DeliveredDaysAgo: &Dist{Name: DistUniform, MinDays: 300, MaxDays: 365}},
			{Group: "injecting", MonthlyRatePerDay: []float64{0.4, 0.4, 0.3, 0.3, 0.3, 0.2, 0.2, 0.3, 0.3, 0.3, 0.4, 0.4},
				Applicant: Facts{InjectsDrugs: true}},
			{Group: "other", RatePerDay: 0.4},
		},
	}
}

func TestRunDeterministicWhateverWorkers(t *testing.T) {
	m, err := Compile(validScenario())
	if err != nil {
		t.Fatal(err)
	}
	var results []*Result
	for _, w := range []int{1, 2, 5} {
		calls := 0
		res, err := m.Run(context.Background(), Options{Workers: w, Progress: func(done, total int) {
			calls++
			if done != calls || total != 6 {
				t.Errorf("progress(%d, %d) on call %d", done, total, calls)
			}
		}})
		if err != nil {
			t.Fatal(err)
		}
		if calls != 6 {
			t.Errorf("progress called %d times, want 6", calls)
		}
		results = append(results, res)
	}
	for i := 1; i < len(results); i++ {
		if d := cmp.Diff(results[0], results[i], cmpopts.EquateNaNs()); d != "" {
			t.Errorf("results differ with another number of workers (-1 worker +more):\n%s", d)
		}
	}
	var a, b bytes.Buffer
	_ = json.NewEncoder(&a).Encode(results[0])
	_ = json.NewEncoder(&b).Encode(results[2])
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("JSON of the results differs between 1 and 5 workers")
	}
	// GOMAXPROCS 1 (every worker on one thread) gives the same results too.
	prev := runtime.GOMAXPROCS(1)
	one, err := m.Run(context.Background(), Options{})
	runtime.GOMAXPROCS(prev)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(results[0], one, cmpopts.EquateNaNs()); d != "" {
		t.Errorf("results differ with GOMAXPROCS 1:\n%s", d)
	}
	// A different seed gives different results.
	s := validScenario()
	s.Seed = 43
	other, err := Run(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if other.Overall.Arrivals == results[0].Overall.Arrivals {
		t.Error("seed 43 gave the same arrivals as seed 42")
	}
}

func TestRunConservesAndReports(t *testing.T) {
	res, err := Run(context.Background(), validScenario(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Conservation is checked per replication by Run; the means add up too.
	for _, g := range append(res.Groups, res.Overall) {
		sum := g.Admitted.Mean + g.DroppedOut.Mean + g.StillWaiting.Mean
		if math.Abs(sum-g.Arrivals.Mean) > 1e-9*g.Arrivals.Mean {
			t.Errorf("%s: %v admitted + dropped + waiting != %v arrivals", g.Group, sum, g.Arrivals.Mean)
		}
		if g.Arrivals.N != 6 || g.Arrivals.Mean <= 0 {
			t.Errorf("%s: arrivals %+v", g.Group, g.Arrivals)
		}
		for _, e := range []Estimate{g.AdmittedWithin48h, g.AdmittedWithin14d, g.AdmittedWithin120d} {
			if e.N > 0 && (e.Low < 0 || e.High > 1 || e.Mean < e.Low || e.Mean > e.High) {
				t.Errorf("%s: share %+v outside [0, 1] or its interval", g.Group, e)
			}
		}
		// A share within d days counts only people who arrived at least d days before the
		// horizon: here (350 counted days) nobody for d = 365.
		if last := g.WaitCDF[len(g.WaitCDF)-1]; last.N != 0 {
			t.Errorf("%s: share within 365 days defined (%+v) though no one arrived 365 days before the horizon", g.Group, last)
		}
	}
	pp, _ := res.Group("pregnant")
	if pp.DeliveredWhileWaiting.Mean <= 0 {
		t.Errorf("no pregnant woman delivered while waiting (0 to 2 days from term on arrival): %+v", pp.DeliveredWhileWaiting)
	}
	if res.System.Occupancy.Mean <= 0 || res.System.Occupancy.Mean > 1 {
		t.Errorf("occupancy %+v", res.System.Occupancy)
	}
	// Samples every 400/200 = 2 days from day 0 to day 400.
	if len(res.Waitlist.Days) != 201 || len(res.Waitlist.Lines) != 5 {
		t.Errorf("series: %d samples, %d lines; want 201 and 5", len(res.Waitlist.Days), len(res.Waitlist.Lines))
	}
	if d := cmp.Diff([]string{"pregnant_injecting", "pregnant", "injecting", "postpartum", "everyone_else"}, res.Tiers); d != "" {
		t.Errorf("tiers (-want +got):\n%s", d)
	}
	var csvOut, series bytes.Buffer
	if err := res.WriteCSV(&csvOut); err != nil {
		t.Fatal(err)
	}
	// Header + 5 groups × (22 metrics + 28 CDF points) + 2 programs × 7 metrics + 2 system rows.
	if n := strings.Count(csvOut.String(), "\n"); n != 1+5*(22+nGrid)+2*7+2 {
		t.Errorf("CSV has %d lines", n)
	}
	if err := res.WriteSeriesCSV(&series); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(series.String(), "run,scenario,policy,group,day,mean,low,high,warmup_days,horizon_days\n") {
		t.Errorf("series CSV header: %q", strings.SplitN(series.String(), "\n", 2)[0])
	}
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, validScenario(), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestWriteSVG(t *testing.T) {
	s := validScenario()
	a, err := Run(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Policy = PolicyRef{Name: "federal"}
	b, err := Run(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteSVG(&buf, []*Result{a, b}, ChartOptions{Labels: []string{"State <postpartum>", ""}}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"<svg", "</svg>", "State &lt;postpartum&gt;", "federal", "48 h", "120 d", "postpartum",
		"Waitlist over time", "Warm-up (Welch", "Delivered while waiting", "warm-up"} {
		if !strings.Contains(out, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if strings.Contains(out, "<script") || strings.Contains(out, "NaN") {
		t.Error("SVG has a script or NaN")
	}
	if err := WriteSVG(&buf, nil, ChartOptions{}); !errors.Is(err, ErrChart) {
		t.Errorf("no results: err = %v", err)
	}
	s.Arrivals = s.Arrivals[:2]
	c, err := Run(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteSVG(&buf, []*Result{a, c}, ChartOptions{}); !errors.Is(err, ErrChart) {
		t.Errorf("different groups: err = %v", err)
	}
}
