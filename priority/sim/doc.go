// Package sim is a discrete-event simulation of a State's waitlist for substance use
// treatment beds, for researchers who ask "if our State ranked postpartum women above people
// who inject drugs, or held two beds for pregnant women, how long would each group wait, how
// many would give up, how many pregnant women would deliver before a bed?"
//
// It runs the very policies the EHRs run: a scenario names a policy ("federal") or holds
// one inline in the priority package's JSON format, and every rank the simulator uses comes
// from [priority.Compiled.Classify]. A person's tier is judged when she seeks treatment and
// again when her facts change with time: a pregnant woman who delivers while waiting is
// classified again (postpartum under a policy that has such a tier, or else by her other
// facts), and again when the policy's postpartum window ends.
//
// # Model
//
// Programs have beds; one bed holds one person for her whole stay (a length of stay drawn
// from an exponential, lognormal, uniform, fixed or empirical distribution). People of
// each group arrive as a Poisson stream (a constant rate, or a rate for each calendar
// month), join one statewide waitlist and are admitted non-preemptively, the best tier
// first and first come first served within a tier, to the program with the most free beds
// that may take them (a program may reserve beds for a tier and the tiers above it). A
// person may give up after a patience drawn from a distribution, and may be made interim
// services after a delay. Waiting is admission time minus the time sought.
//
// Each replication uses its own random streams derived from the scenario's seed (one PCG
// generator per arrival stream and per program, so that two policies see the same people),
// and replications run in parallel on all cores, then are reduced in replication order:
// the same scenario and seed give the same results bit for bit, whatever the number of
// CPUs. Inside a replication there is one goroutine and virtual time: events ordered by
// (time, sequence) in a binary heap, no clock is read.
//
// Results give, per group and overall, means over replications with 95% Student-t
// confidence intervals: arrivals, admitted, dropped out, still waiting; mean, median, 90th
// and 95th percentile waits; shares admitted within 48 hours, 14 days and 120 days; the
// share given interim services within 48 hours; women who delivered while waiting; bed
// occupancy and days at or above 90% of capacity; and the waitlist length over time.
// [Result.WriteCSV] and encoding/json write them out, and [WriteSVG] draws the wait
// distribution of one or more runs side by side.
//
// The simulator is checked against queueing theory: M/M/1, M/M/c (Erlang C) and
// non-preemptive priority classes (Cobham), see [PriorityMeanWaits], in the conformance
// corpus under testdata/conformance.
//
// # References
//
//   - 45 CFR part 96, subpart L (Substance Use Prevention, Treatment, and Recovery Services
//     Block Grant), the edition of [priority.Edition]: 96.121 (interim services),
//     96.126(a)–(b) (90% capacity notice; admission within 14 or 120 days, interim services
//     within 48 hours), 96.131 (preference for pregnant women; interim services within
//     48 hours).
//   - A. Cobham, "Priority assignment in waiting line problems", Journal of the Operations
//     Research Society of America 2(1), 1954, 70–76.
//   - L. Kleinrock, Queueing Systems, Volume 2: Computer Applications, Wiley, 1976, §3.6.
//   - A. K. Erlang (1917) and any queueing text for the Erlang C formula, e.g. D. Gross,
//     J. Shortle, J. Thompson, C. Harris, Fundamentals of Queueing Theory, 4th ed., 2008.
//   - Student's t quantiles: NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.2;
//     Abramowitz and Stegun, Handbook of Mathematical Functions, 26.7.5.
package sim
