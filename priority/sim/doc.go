// Package sim is a discrete-event simulation of a State's waitlist for substance use
// treatment beds, for researchers who ask "if our State ranked postpartum women first among
// those the federal order calls all others, or held two beds for pregnant women, how long
// would each group wait, how many would give up, how many pregnant women would deliver
// before a bed?" (A policy that ranks postpartum women above people who inject drugs breaks
// 45 CFR 96.131(a) and is refused by the priority package.)
//
// # Start here
//
// Three names do the common job: a Scenario (Statewide, built in and cited, or
// DecodeScenario for your own), Run (a scenario under its policy: estimates per group with
// confidence intervals) and Compare (two runs paired on the same people):
//
//	base := sim.Statewide()                        // cited, calibrated; or DecodeScenario(file)
//	fed, _ := sim.Run(ctx, base, sim.Options{})
//	base.Policy = sim.PolicyOf(statePolicy)        // a priority.Policy value
//	state, _ := sim.Run(ctx, base, sim.Options{})
//	diff, _ := sim.Compare(fed, state)             // paired on the same people, with intervals
//	sim.WriteSummaryCSV(w, fed, state)             // tidy CSV: R's read.csv, pandas.read_csv
//	sim.WriteContrastsCSV(w2, diff)
//
// Example_researcher (the README's program for researchers) runs this in full, and
// examples/waitlist is the command-line tool built this way (a three-policy study of
// Statewide by default; -scenario FILE, -policy FILE, -out DIR). The rest of this page is
// reference.
//
// # Policies
//
// It runs the very policies the EHRs run: a scenario names a policy ("federal"), holds one
// inline in the priority package's JSON format, or takes a priority.Policy value
// (PolicyOf), and every rank the simulator uses comes from [priority.Compiled.Classify]. A
// person's tier is judged when she seeks treatment and again when her facts change with
// time: a pregnant woman who delivers while waiting is classified again (postpartum under a
// policy that has such a tier, or else by her other facts), and again when the policy's
// postpartum window ends, and everyone waiting is ranked again when a new policy comes into
// force (PolicyChanges).
//
// # Model
//
// Programs have beds; one bed holds one person for her whole stay (a length of stay drawn
// from an exponential, lognormal, gamma, Weibull, uniform, fixed or empirical distribution).
// A program's beds may change at given days (BedChanges: no one is discharged early when
// beds are taken away), and a program may refer the people leaving it to another program
// (Next: step-down, such as residential to outpatient), where they wait again, ranked by their
// facts then. People of each group arrive as a Poisson stream: a constant rate or a rate for
// each calendar month, optionally with a yearly trend (rate × (1+g)^(t/365.25)). They wait,
// the best tier first and first come first served within a tier, non-preemptively, for the
// programs their group may enter: on one statewide waitlist, taking the program with the most
// free beds ("apply": "any", the default), or each on the waitlist of one program she applied
// to, drawn in proportion to the admissions its beds allow ("apply": "one", where programs
// keep their own waitlists). A program may reserve beds for a tier and the tiers above it. A
// person who cannot be admitted at once may balk (a waitlist too long, or a join probability
// by its length); a person waiting may give up after a patience drawn from a distribution;
// interim services may be made available after a delay, to those the policy owes them.
// Waiting is admission time minus the time sought.
//
// # Policies: what is honoured, what is refused
//
// Tiers, postpartum_days and no_injecting_population decide the ranks (Classify);
// interim_also_when decides who is owed interim services; calendar_days_zone decides the
// admission deadline of 45 CFR 96.126(b) (GroupStats.AdmissionDeadlineMet, through
// priority.Compiled.AfterDays); interim_while_waiting changes nothing here, since a person
// waits only when no bed was free for her (no capacity at her request). A removal rule and
// state_referral_hours are refused with the code "unsupported": the simulator models neither
// contact attempts nor the program's referral to the State. A policy for programs without
// people who inject drugs is refused when people who inject drugs arrive.
//
// # Outputs
//
// Run gives a Result: per group (and overall), per program and for the whole system,
// estimates over replications with Student-t confidence intervals at the scenario's level
// (Confidence, 0.95 by default; the t quantile is computed, not tabled); means and standard
// deviations by golang.org/x/exp/stats. Result.PerReplication keeps every replication's
// values, and Model.RunReplication reruns replication i alone with the same numbers (each
// replication's random streams derive from the seed and its index only). Compare pairs two
// runs of the same scenario and seed replication by replication — every replication sees the
// same people under both policies (common random numbers) — and estimates each difference
// with its interval. Counts are per replication over the counted period [WarmupDays,
// HorizonDays] (people who first sought treatment in it), with per-year rates beside them;
// time averages (occupancy, the number waiting) cover the same period. Undefined values are
// NaN: empty in CSV, null in JSON.
//
// The person-level trace (Options.Trace, NewTraceWriter: CSV or JSON Lines) has one row per
// event — arrival, tier change, delivery, interim services, admission, dropout, balk,
// discharge, step-down, still waiting at the horizon — with the run, replication, person,
// group, tier and program, joining the summaries on (run, replication, group). From it,
// waits of those who gave up, exact quantiles (WaitQuantiles; the summaries read theirs from
// an hourly histogram) and Little's law (L = λW: GroupStats.MeanWaiting against the trace's
// arrivals and times on the list) can be computed.
//
// WriteSummaryCSV, WriteReplicationsCSV, WriteContrastsCSV and WriteSeriesCSV write tidy
// tables, one header each, every row's key unique, with the seed, replications, warm-up,
// horizon, counted window and confidence on every row. WriteSVG draws the wait distributions
// of several runs, the waitlist over time from day 0, Welch's moving average for choosing the
// warm-up (WelchMovingAverage), and the deliveries while waiting.
//
// Model.Warnings and Model.Load say when arrivals outrun the beds the people may enter
// (Hall's condition over the groups and their programs): "unstable" at a load of 1 or more,
// when only dropout and balking hold the waitlist, "heavy_load" from 0.95.
//
// # Engine
//
// Replications run in parallel on all cores and are reduced in replication order: the same
// scenario and seed give the same results bit for bit, whatever the number of CPUs. Inside a
// replication there is one goroutine and virtual time: events ordered by (time, sequence)
// in an indexed 4-ary heap, from which a cancelled event (a dropout when the person is
// admitted) is removed at once, so that only model events are handled and counted; pending
// arrivals, one per stream, wait beside it in a tournament tree. No clock is read.
//
// The simulator is checked against queueing theory in the conformance corpus under
// testdata/conformance (its README gives the format and the theory of every case): M/M/1,
// M/M/c (Erlang C), non-preemptive priority classes (Cobham) with exponential and gamma
// stays, M/G/1 (Pollaczek–Khinchine) with gamma and Weibull stays, balking (M/M/1/K and a
// birth–death chain), trends, a tandem Jackson network for step-down, capacity schedules and
// a policy change.
//
// # Scenario JSON
//
// A scenario is the JSON of [Scenario], read strictly by DecodeScenario (unknown members,
// duplicate and case-variant keys, trailing data and more than MaxScenarioBytes are refused,
// every problem reported with its JSON path and never the input's text):
//
//	{
//	  "name": "statewide", "horizon_days": 3650, "warmup_days": 365, "replications": 20,
//	  "seed": 2026, "confidence": 0.95, "start": "2026-01-01T00:00:00Z",
//	  "policy": "federal",
//	  "policy_changes": [ { "day": 1826, "policy": { "name": "state-postpartum", "tiers": [ ... ] } } ],
//	  "programs": [ { "id": "women-01", "beds": 12,
//	                  "length_of_stay": { "dist": "lognormal", "mean_days": 74, "sd_days": 100 },
//	                  "bed_changes": [ { "day": 730, "beds": 16 } ],
//	                  "reserved": [ { "tier": "pregnant", "beds": 2 } ],
//	                  "next": [ { "program": "outpatient", "probability": 0.4 } ] },
//	                { "id": "outpatient", "beds": 40,
//	                  "length_of_stay": { "dist": "gamma", "shape": 2, "scale_days": 30 } } ],
//	  "arrivals": [
//	    { "group": "pregnant", "rate_per_day": 0.3, "trend_per_year": 0.05,
//	      "applicant": { "pregnant": true, "woman": true },
//	      "gestational_age_days": { "dist": "uniform", "min_days": 42, "max_days": 280 },
//	      "programs": ["women-01"], "apply": "one" },
//	    { "group": "postpartum", "rate_per_day": 0.5, "applicant": { "dependent_children": true },
//	      "delivered_days_ago": { "dist": "uniform", "min_days": 0, "max_days": 330 } },
//	    { "group": "injecting", "applicant": { "injects_drugs": true },
//	      "monthly_rate_per_day": [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5],
//	      "balking": { "join_probability": [1, 0.9, 0.8, 0.5] } } ],
//	  "dropout": { "dist": "exponential", "mean_days": 30 },
//	  "interim_delay": { "dist": "weibull", "shape": 1.5, "scale_days": 1.5 },
//	  "balking": { "max_waiting": 200 },
//	  "term_days": 280, "sample_every_days": 7
//	}
//
// Distributions are "exponential" (mean_days), "lognormal" (mean_days, sd_days), "gamma"
// and "weibull" (shape, scale_days), "uniform" (min_days, max_days), "fixed" (mean_days) and
// "empirical" (values_days, optional weights). Applicant facts are pregnant, injects_drugs,
// dependent_children, referred_by_child_welfare, leaving_incarceration, veteran and woman.
// [Compile] reports every problem of a scenario at once, each with a stable code and the JSON
// path of the field.
//
// # References
//
//   - 45 CFR part 96, subpart L (Substance Use Prevention, Treatment, and Recovery Services
//     Block Grant), the edition of [priority.Edition]: 96.121 (interim services),
//     96.124(e) (programs for pregnant women and women with dependent children),
//     96.126(a)–(b) (90% capacity notice; admission within 14 or 120 days, interim services
//     within 48 hours), 96.131 (preference for pregnant women; interim services within
//     48 hours).
//   - A. Cobham, "Priority assignment in waiting line problems", Journal of the Operations
//     Research Society of America 2(1), 1954, 70–76.
//   - L. Kleinrock, Queueing Systems, Volume 1 (1975), §5.6, and Volume 2: Computer
//     Applications (1976), §3.6.
//   - D. Gross, J. Shortle, J. Thompson, C. Harris, Fundamentals of Queueing Theory, 4th ed.,
//     2008 (Erlang C, M/M/1/K, birth–death processes, Jackson networks).
//   - P. J. Burke, "The output of a queuing system", Operations Research 4(6), 1956.
//   - P. D. Welch, "The statistical analysis of simulation results", in Computer Performance
//     Modeling Handbook, Academic Press, 1983; A. M. Law, Simulation Modeling and Analysis,
//     5th ed., §9.5.1 (the warm-up plot).
//   - G. Marsaglia, W. W. Tsang, "A simple method for generating gamma variables", ACM TOMS
//     26(3), 2000; M. D. Vose, "A linear algorithm for generating random numbers with a given
//     distribution", IEEE TSE 17(9), 1991 (the alias table).
//   - Student's t: Abramowitz and Stegun, Handbook of Mathematical Functions, 26.7.1 and
//     26.5.8 (through the regularized incomplete beta function); Numerical Recipes, 3rd ed.,
//     §6.4.
//   - The statewide scenario's sources are listed on [Statewide].
package sim
