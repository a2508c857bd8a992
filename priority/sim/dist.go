package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// Distribution names accepted in Dist.Name.
const (
	DistExponential = "exponential" // mean_days
	DistLognormal   = "lognormal"   // mean_days and sd_days of the distribution itself
	DistEmpirical   = "empirical"   // values_days, optional weights (one of the values is drawn)
	DistUniform     = "uniform"     // min_days and max_days
	DistFixed       = "fixed"       // always mean_days
)

// Dist is a probability distribution of a duration in days, as in the scenario JSON:
// {"dist": "exponential", "mean_days": 10}.
type Dist struct {
	// Name is one of the Dist constants.
	Name string `json:"dist"`
	// MeanDays is the mean (exponential, lognormal) or the value (fixed).
	MeanDays float64 `json:"mean_days,omitempty"`
	// SDDays is the standard deviation (lognormal).
	SDDays float64 `json:"sd_days,omitempty"`
	// MinDays and MaxDays bound a uniform distribution.
	MinDays float64 `json:"min_days,omitempty"`
	MaxDays float64 `json:"max_days,omitempty"`
	// ValuesDays are the observed values of an empirical distribution.
	ValuesDays []float64 `json:"values_days,omitempty"`
	// Weights, if given, are the relative frequencies of ValuesDays (same length).
	Weights []float64 `json:"weights,omitempty"`
}

// sampler is a compiled Dist.
type sampler struct {
	kind uint8
	a, b float64   // exponential: mean; lognormal: mu, sigma; uniform: min, width; fixed: value
	vals []float64 // empirical values
	cum  []float64 // empirical cumulative weights, last = 1
}

const (
	skNone uint8 = iota
	skExp
	skLogn
	skEmp
	skUnif
	skFixed
)

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// check appends every problem of d (at JSON path field) to ps.
func (d *Dist) check(field string, ps *[]Problem) {
	bad := func(msg string, args ...any) {
		*ps = append(*ps, Problem{Code: CodeDist, Field: field, Message: fmt.Sprintf(msg, args...)})
	}
	switch d.Name {
	case DistExponential:
		if !finite(d.MeanDays) || d.MeanDays <= 0 {
			bad("exponential distribution needs a positive, finite mean_days")
		}
	case DistFixed:
		if !finite(d.MeanDays) || d.MeanDays < 0 {
			bad("fixed distribution needs a finite mean_days that is not negative")
		}
	case DistLognormal:
		if !finite(d.MeanDays) || d.MeanDays <= 0 {
			bad("lognormal distribution needs a positive, finite mean_days")
		}
		if !finite(d.SDDays) || d.SDDays <= 0 {
			bad("lognormal distribution needs a positive, finite sd_days")
		}
	case DistUniform:
		if !finite(d.MinDays) || !finite(d.MaxDays) || d.MinDays < 0 || d.MaxDays < d.MinDays {
			bad("uniform distribution needs finite 0 <= min_days <= max_days")
		}
	case DistEmpirical:
		if len(d.ValuesDays) == 0 {
			bad("empirical distribution needs at least one value in values_days")
		}
		for i, v := range d.ValuesDays {
			if !finite(v) || v < 0 {
				bad("values_days[%d] must be finite and not negative", i)
			}
		}
		if len(d.Weights) > 0 {
			if len(d.Weights) != len(d.ValuesDays) {
				bad("weights must have as many entries as values_days (%d, not %d)", len(d.ValuesDays), len(d.Weights))
			}
			sum := 0.0
			for i, w := range d.Weights {
				if !finite(w) || w < 0 {
					bad("weights[%d] must be finite and not negative", i)
				}
				sum += w
			}
			if !(sum > 0) || !finite(sum) {
				bad("weights must have a positive, finite sum")
			}
		}
	case "":
		bad("distribution name (dist) is missing")
	default:
		bad("unknown distribution %q (want exponential, lognormal, empirical, uniform or fixed)", truncate(d.Name, 32))
	}
}

// checkCompile checks d, appending its problems to ps, and compiles it if it has none.
func (d *Dist) checkCompile(field string, ps *[]Problem) sampler {
	n := len(*ps)
	d.check(field, ps)
	if len(*ps) > n {
		return sampler{}
	}
	return d.compile()
}

// compile turns a checked Dist into a sampler.
func (d *Dist) compile() sampler {
	switch d.Name {
	case DistExponential:
		return sampler{kind: skExp, a: d.MeanDays}
	case DistFixed:
		return sampler{kind: skFixed, a: d.MeanDays}
	case DistLognormal:
		s2 := math.Log1p(d.SDDays * d.SDDays / (d.MeanDays * d.MeanDays))
		return sampler{kind: skLogn, a: math.Log(d.MeanDays) - s2/2, b: math.Sqrt(s2)}
	case DistUniform:
		return sampler{kind: skUnif, a: d.MinDays, b: d.MaxDays - d.MinDays}
	case DistEmpirical:
		s := sampler{kind: skEmp, vals: append([]float64(nil), d.ValuesDays...)}
		s.cum = make([]float64, len(s.vals))
		total := 0.0
		for i := range s.vals {
			w := 1.0
			if len(d.Weights) > 0 {
				w = d.Weights[i]
			}
			total += w
			s.cum[i] = total
		}
		for i := range s.cum {
			s.cum[i] /= total
		}
		s.cum[len(s.cum)-1] = 1
		return s
	}
	return sampler{}
}

// mean returns the sampler's mean.
func (s *sampler) mean() float64 {
	switch s.kind {
	case skExp, skFixed:
		return s.a
	case skLogn:
		return math.Exp(s.a + s.b*s.b/2)
	case skUnif:
		return s.a + s.b/2
	case skEmp:
		m, prev := 0.0, 0.0
		for i, v := range s.vals {
			m += v * (s.cum[i] - prev)
			prev = s.cum[i]
		}
		return m
	}
	return 0
}

// sample draws one value. It does not allocate.
func (s *sampler) sample(r *rand.Rand) float64 {
	switch s.kind {
	case skExp:
		return r.ExpFloat64() * s.a
	case skFixed:
		return s.a
	case skLogn:
		return math.Exp(s.a + s.b*r.NormFloat64())
	case skUnif:
		return s.a + s.b*r.Float64()
	case skEmp:
		u := r.Float64()
		i := sort.SearchFloat64s(s.cum, u)
		if i >= len(s.vals) {
			i = len(s.vals) - 1
		}
		return s.vals[i]
	}
	return 0
}
