// Package priority holds the rules an EHR or a State capacity-management system embeds to
// decide who is admitted first to substance use treatment funded by the federal block grant,
// and what every person waiting is owed, and by when.
//
// # Policies
//
// A Policy is plain data (JSON): an ordered list of tiers built from documented conditions
// (pregnant, injects drugs, postpartum within the policy's window, dependent children,
// referred by child welfare, leaving incarceration, veteran), with a name and citations, and
// options for who is owed interim services, how days are counted and when a person who cannot
// be reached may be removed. Federal returns the order of 45 CFR 96.131(a). Compile validates
// a policy, listing every problem at once, into a *Compiled, which is immutable and safe for
// concurrent use.
//
// # Classification and obligations
//
// Compiled.Classify places an Applicant at a moment: the tier rank (1 is admitted first), the
// tier name, the conditions that matched and the citations, without allocating.
// Compiled.Obligations lists what is owed to a person waiting, each an Obligation with a kind,
// a due time, citations and a state (open, overdue, met, met late):
//
//   - interim services no later than 48 hours after she sought treatment, for a pregnant woman
//     (45 CFR 96.131(d)) and for a person who injects drugs (45 CFR 96.126(b)), and for anyone
//     else the policy adds;
//   - admission of a person who injects drugs within 14 days, or 120 days when interim services
//     were made available within 48 hours (45 CFR 96.126(b));
//   - referral of a pregnant woman to the State when the program has no capacity (96.131(c));
//   - notice to the State within 7 days of a program reaching 90% of capacity (96.126(a)),
//     from Compiled.ProgramObligations.
//
// Deadlines are elapsed time by default: 48 hours is 48 hours across a daylight-saving change,
// and N days is N×24 hours. A policy may count days as calendar days in a named time zone
// (Policy.CalendarDaysZone): N days from a moment then end with the Nth calendar day after
// that moment's day, in that zone.
//
// # Interim services
//
// Compiled.InterimElements says which elements of 45 CFR 96.121 are owed (the five owed to
// everyone, plus fetal-effects counseling and a prenatal-care referral for pregnant women);
// InterimRecord records each element as made available; Compiled.InterimCompliance judges the
// whole against the 48-hour mark.
//
// # Waitlist
//
// A Waitlist orders people by tier, then time sought, then arrival, with O(log n) add, remove,
// next and position, and lists what is overdue in time proportional to what is overdue. Every
// change is an Event; the list can be rebuilt from its events (Rebuild) and saved and restored
// as JSON with nothing lost.
//
// The package does no I/O (except time.LoadLocation in Compile when a policy names a zone; use
// CompileIn to avoid it), reads no clock and keeps no global state: every rule takes the
// moment it judges at. Errors and messages name patient identifiers and codes only.
//
// # References
//
//   - 45 CFR part 96, subpart L (Substance Use Prevention, Treatment, and Recovery Services
//     Block Grant), the edition named by Edition: 96.121 (definition of interim services),
//     96.126 (capacity of treatment for people who inject drugs: (a) 90% notice, (b) 14/120
//     days and 48-hour interim services, (c) waiting list with a unique patient identifier),
//     96.131 (treatment services for pregnant women: (a) preference order, (c) referral to the
//     State, (d) interim services within 48 hours).
//   - The conformance corpus format: shared/conformance/README.md of the dyad project.
package priority
