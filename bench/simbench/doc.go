// Package simbench compares dyad's waitlist simulator, priority/sim, with what a researcher
// would otherwise write in Python, on the same model: the federal 4-class waitlist of 45 CFR
// 96.131(a) with the same arrivals, stays, beds and horizon. The Python side is
// waitlist.py, one model written three ways ([Models]): textbook SimPy 3 (Debian's
// python3-simpy3; a process per person, a simpy.PriorityResource), lean SimPy (SimPy's clock,
// the model's own per-tier queues) and a plain heapq event loop without SimPy.
//
// All read ONE scenario definition, testdata/federal4.json, in priority/sim's own scenario
// format: the Go side with sim.DecodeScenario, waitlist.py with a reader of the subset of
// that format the comparison uses, refusing the rest.
//
// The agreement tests check that priority/sim and each Python model give the same mean wait
// per group within their 95% confidence intervals (the intervals overlap), and that the three
// Python models, which draw the same random numbers in the same order, give the identical
// answer; they skip, saying why, when no python3 with SimPy is found. The benchmark reports
// simulated events per second of CPU time and of wall time for every side: for Python the
// figures waitlist.py measures itself around its run loop; an event is an arrival, the end
// of a stay or a dropout, the events priority/sim counts in Result.Events.
//
// # References
//
//   - 45 CFR 96.131(a), preference order, as in the eCFR current to 2026.
//   - SimPy 3.0 documentation, simpy.PriorityResource.
package simbench
