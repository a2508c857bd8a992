package sim

import "math"

// Closed forms of queueing theory that the conformance corpus checks the simulator against.
// All take rates per day and return waits in days (time from arrival to the start of
// service, i.e. to admission). They return NaN when the system is unstable (load >= 1) or
// an argument is out of range.

// MM1MeanWait is the mean wait in queue of an M/M/1 system with arrival rate lambda and
// service rate mu: Wq = rho / (mu - lambda), rho = lambda/mu.
func MM1MeanWait(lambda, mu float64) float64 {
	if !(lambda >= 0) || !(mu > 0) || lambda >= mu {
		return math.NaN()
	}
	return lambda / mu / (mu - lambda)
}

// ErlangC is the probability that an arrival waits in an M/M/c system with offered load
// a = lambda/mu (in erlangs) and c servers: C(c, a) = (a^c/c!)(c/(c-a)) /
// (sum_{k<c} a^k/k! + (a^c/c!)(c/(c-a))). It is computed with the Erlang B recursion,
// B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)), and C = c B / (c - a (1 - B)).
func ErlangC(c int, a float64) float64 {
	if c < 1 || !(a >= 0) || a >= float64(c) {
		return math.NaN()
	}
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return float64(c) * b / (float64(c) - a*(1-b))
}

// MMcMeanWait is the mean wait in queue of an M/M/c system: Wq = C(c, a) / (c mu - lambda).
func MMcMeanWait(lambda, mu float64, c int) float64 {
	if !(mu > 0) {
		return math.NaN()
	}
	return ErlangC(c, lambda/mu) / (float64(c)*mu - lambda)
}

// PriorityMeanWaits returns, for non-preemptive priority classes served first come first
// served within a class by c identical exponential servers of rate mu, each class's mean
// wait in queue (Cobham 1954; for c servers with a common exponential service time, e.g.
// Kleinrock, Queueing Systems vol. 2, §3.6):
//
//	W_k = C(c, a) / (c mu (1 - s_{k-1}) (1 - s_k)),  s_k = sum_{i<=k} lambda_i / (c mu),
//
// where a = sum lambda_i / mu and classes are given best first. With c = 1 it is Cobham's
// M/G/1 formula W_k = W0 / ((1 - s_{k-1})(1 - s_k)) with W0 = rho / mu for exponential
// service.
func PriorityMeanWaits(lambdas []float64, mu float64, c int) []float64 {
	total := 0.0
	for _, l := range lambdas {
		total += l
	}
	out := make([]float64, len(lambdas))
	ec := ErlangC(c, total/mu)
	s := 0.0
	for k, l := range lambdas {
		prev := s
		s += l / (float64(c) * mu)
		out[k] = ec / (float64(c) * mu * (1 - prev) * (1 - s))
		if !(mu > 0) || l < 0 {
			out[k] = math.NaN()
		}
	}
	return out
}
