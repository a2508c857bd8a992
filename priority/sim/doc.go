// Package sim is a discrete-event simulation of a State's waitlist for substance use
// treatment beds, for researchers who ask "if our State ranked postpartum women first among
// those the federal order calls all others, or held two beds for pregnant women, how long
// would each group wait, how many would give up, how many pregnant women would deliver
// before a bed?" (A policy that ranks postpartum women above people who inject drugs breaks
// 45 CFR 96.131(a) and is refused by the priority package.)
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
// that may take them: a group may be limited to some programs (say, the programs for
// pregnant women of 45 CFR 96.124), and a program may reserve beds for a tier and the tiers
// above it. A
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
// # Scenario JSON
//
// A scenario is the JSON of [Scenario]; the shared conformance README gives its core, and
// the simulator accepts more:
//
//	{
//	  "horizon_days": 3650, "warmup_days": 180, "replications": 50, "seed": 2026,
//	  "start": "2026-01-01T00:00:00Z",
//	  "policy": "federal",
//	  "programs": [ { "id": "p1", "beds": 30,
//	                  "length_of_stay": { "dist": "lognormal", "mean_days": 42, "sd_days": 28 },
//	                  "reserved": [ { "tier": "pregnant", "beds": 2 } ] } ],
//	  "arrivals": [
//	    { "group": "pregnant", "rate_per_day": 3, "applicant": { "pregnant": true },
//	      "gestational_age_days": { "dist": "uniform", "min_days": 42, "max_days": 252 },
//	      "programs": ["p1"] },
//	    { "group": "postpartum", "rate_per_day": 4, "applicant": { "dependent_children": true },
//	      "delivered_days_ago": { "dist": "uniform", "min_days": 0, "max_days": 330 } },
//	    { "group": "injecting", "applicant": { "injects_drugs": true },
//	      "monthly_rate_per_day": [15.5, 15, 14.5, 14, 14, 13.5, 13.5, 14, 14.5, 15, 15, 15.5] } ],
//	  "dropout": { "dist": "exponential", "mean_days": 45 },
//	  "interim_delay": { "dist": "empirical", "values_days": [0.5, 1, 3], "weights": [2, 2, 1] },
//	  "term_days": 280, "sample_every_days": 30
//	}
//
// The policy is "federal" or an object in the priority package's format; "start" (the
// calendar date of day 0) is optional. Distributions are "exponential" (mean_days), "lognormal" (mean_days, sd_days), "uniform"
// (min_days, max_days), "fixed" (mean_days) and "empirical" (values_days, optional
// weights). [Compile] reports every problem of a scenario at once, each with a stable code
// and the JSON path of the field.
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
