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
	DistGamma       = "gamma"       // shape and scale_days
	DistWeibull     = "weibull"     // shape and scale_days
)

// Dist is a probability distribution of a duration in days, as in the scenario JSON:
// {"dist": "exponential", "mean_days": 10}. A gamma distribution of shape k and scale θ has
// mean kθ and variance kθ²; a Weibull distribution of shape k and scale λ has mean
// λΓ(1+1/k) and second moment λ²Γ(1+2/k).
type Dist struct {
	// Name is one of the Dist constants.
	Name string `json:"dist"`
	// MeanDays is the mean (exponential, lognormal) or the value (fixed).
	MeanDays float64 `json:"mean_days,omitempty"`
	// SDDays is the standard deviation (lognormal).
	SDDays float64 `json:"sd_days,omitempty"`
	// MinDays and MaxDays bound a uniform distribution.
	MinDays float64 `json:"min_days,omitempty"`
	MaxDays float64 `json:"max_days,omitempty"` // see MinDays
	// ValuesDays are the observed values of an empirical distribution.
	ValuesDays []float64 `json:"values_days,omitempty"`
	// Weights, if given, are the relative frequencies of ValuesDays (same length).
	Weights []float64 `json:"weights,omitempty"`
	// Shape and ScaleDays are the parameters of a gamma or a Weibull distribution.
	Shape     float64 `json:"shape,omitempty"`
	ScaleDays float64 `json:"scale_days,omitempty"` // see Shape
}

// sampler is a compiled Dist.
type sampler struct {
	kind uint8
	a, b float64   // exponential: mean; lognormal: mu, sigma; uniform: min, width; fixed: value; gamma, weibull: shape, scale
	c, d float64   // gamma: Marsaglia–Tsang's d (for the shape, or shape+1 below 1) and 1/shape; weibull: -, 1/shape
	e    float64   // gamma: Marsaglia–Tsang's c = 1/sqrt(9d)
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
	skGamma
	skWeibull
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
	case DistGamma, DistWeibull:
		if !finite(d.Shape) || d.Shape < 0.01 || d.Shape > 1000 {
			bad("%s distribution needs a shape between 0.01 and 1000", d.Name)
		}
		if !finite(d.ScaleDays) || d.ScaleDays <= 0 {
			bad("%s distribution needs a positive, finite scale_days", d.Name)
		}
	case "":
		bad("distribution name (dist) is missing")
	default:
		bad("unknown distribution (want exponential, lognormal, gamma, weibull, empirical, uniform or fixed)")
	}
	if len(d.ValuesDays) > MaxEmpiricalSteps {
		bad("values_days has more than %d values", MaxEmpiricalSteps)
	}
	if d.Name != DistGamma && d.Name != DistWeibull && (d.Shape != 0 || d.ScaleDays != 0) && d.Name != "" {
		bad("shape and scale_days belong to gamma and weibull distributions only")
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
	case DistGamma:
		k := d.Shape
		s := sampler{kind: skGamma, a: k, b: d.ScaleDays, d: 1 / k}
		if k < 1 {
			k++ // draw from gamma(k+1) and multiply by U^(1/k) (Marsaglia and Tsang 2000, §6)
		}
		s.c = k - 1.0/3
		s.e = 1 / math.Sqrt(9*s.c)
		return s
	case DistWeibull:
		return sampler{kind: skWeibull, a: d.Shape, b: d.ScaleDays, d: 1 / d.Shape}
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
	case skGamma:
		return s.a * s.b
	case skWeibull:
		return s.b * math.Gamma(1+1/s.a)
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
	case skGamma:
		return s.b * s.gamma(r)
	case skWeibull:
		// Inversion: (-ln U)^(1/k) is E^(1/k) for E standard exponential.
		return s.b * math.Pow(r.ExpFloat64(), s.d)
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

// skip draws what sample draws from r, without computing the value: the random stream
// advances exactly as sample would advance it, at less cost where the value is not needed.
func (s *sampler) skip(r *rand.Rand) {
	switch s.kind {
	case skExp, skWeibull:
		r.ExpFloat64()
	case skLogn:
		r.NormFloat64()
	case skUnif, skEmp:
		r.Float64()
	case skGamma:
		s.gamma(r)
	}
}

// gamma draws a standard gamma variate of shape s.a by Marsaglia and Tsang's method
// ("A simple method for generating gamma variables", ACM TOMS 26(3), 2000): with
// d = shape - 1/3 and c = 1/sqrt(9d), accept d(1+cZ)^3 for Z standard normal when
// log U < Z²/2 + d - d(1+cZ)^3 + d log (1+cZ)^3. A shape below 1 draws shape+1 and
// multiplies by U^(1/shape).
func (s *sampler) gamma(r *rand.Rand) float64 {
	d, c := s.c, s.e
	for {
		z := r.NormFloat64()
		v := 1 + c*z
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if u < 1-0.0331*z*z*z*z || math.Log(u) < 0.5*z*z+d*(1-v+math.Log(v)) {
			x := d * v
			if s.a < 1 {
				x *= math.Pow(r.Float64(), s.d)
			}
			return x
		}
	}
}

// secondMoment returns E[X²] of the sampler's distribution (for the closed forms of the
// conformance corpus and the stability check).
func (s *sampler) secondMoment() float64 {
	switch s.kind {
	case skExp:
		return 2 * s.a * s.a
	case skFixed:
		return s.a * s.a
	case skLogn:
		return math.Exp(2*s.a + 2*s.b*s.b)
	case skUnif:
		lo, hi := s.a, s.a+s.b
		return (lo*lo + lo*hi + hi*hi) / 3
	case skGamma:
		return s.a * (s.a + 1) * s.b * s.b
	case skWeibull:
		return s.b * s.b * math.Gamma(1+2/s.a)
	case skEmp:
		m, prev := 0.0, 0.0
		for i, v := range s.vals {
			m += v * v * (s.cum[i] - prev)
			prev = s.cum[i]
		}
		return m
	}
	return 0
}
