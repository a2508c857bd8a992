// Package simbench compares dyad's waitlist simulator, priority/sim, with what a researcher
// would otherwise pick, SimPy 3 (Debian's python3-simpy3), on the same model: the federal
// 4-class waitlist of 45 CFR 96.131(a) with the same arrivals, stays, beds and horizon.
//
// Both read ONE scenario definition, testdata/federal4.json, in priority/sim's own scenario
// format: the Go side with sim.DecodeScenario, the SimPy side with waitlist.py, which accepts
// the subset of that format the comparison uses and refuses the rest.
//
// The agreement test checks that both give the same mean wait per group within their 95%
// confidence intervals (the intervals overlap); it skips, saying why, when no python3 with
// SimPy is found. The benchmark reports simulated events per second for both: for SimPy the
// figure waitlist.py measures itself around env.run; an event is an arrival, the end of a stay
// or a dropout, the events priority/sim counts in Result.Events.
//
// # References
//
//   - 45 CFR 96.131(a), preference order, as in the eCFR current to 2026.
//   - SimPy 3.0 documentation, simpy.PriorityResource.
package simbench
