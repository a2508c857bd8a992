// Package priority holds the rules an EHR or a State capacity-management system embeds to
// decide who is admitted first to substance use treatment funded by the federal block grant
// (45 CFR part 96, subpart L), what every person waiting is owed and by when, and a waitlist
// that keeps all of it for years.
//
// # Start here
//
// Three names do the common job: Compile (a Policy, such as Federal(), into a *Compiled),
// NewWaitlist, and the Waitlist's Add, Next, Obligations and Overdue:
//
//	policy := priority.MustCompile(priority.Federal())
//	list, _ := priority.NewWaitlist(policy, priority.WaitlistOptions{Now: time.Now})
//	list.Add(priority.Applicant{ID: "A-104", SoughtAt: now, Pregnant: true, InjectsDrugs: true}, now, "intake-3")
//	next, _, _ := list.Next(now, priority.Everyone)     // who gets the next bed
//	overdue, _ := list.Overdue(now)                     // what is late, with citations
//
// Example_waitlist (the README's first program) runs this in full; Compiled.Classify and
// Compiled.Obligations judge one person without a list. The rest of this page is reference.
//
// # Policies
//
// A Policy is plain data (JSON, read strictly with DecodePolicy): an ordered list of tiers
// built from documented conditions (pregnant, injects drugs, postpartum within the policy's
// window, dependent children, referred by child welfare, leaving incarceration, veteran,
// woman), with a name and citations, and options. Federal returns the order of
// 45 CFR 96.131(a). Compile validates a policy, listing every problem at once, into a
// *Compiled, which is immutable and safe for concurrent use. Policy.ID is its identity.
//
// # What a State may configure, and what it may not
//
// A State may: add tiers built from the conditions (splitting a federal group, such as
// postpartum women or veterans among "everyone else", or ranking within one); name them and
// cite its own rules; choose the postpartum window (PostpartumDays); owe interim services to
// people meeting further conditions (InterimAlsoWhen) and to everyone still waiting even where
// a program had capacity (InterimWhileWaiting); count the 14-, 120- and 7-day deadlines as
// calendar days in its time zone (CalendarDaysZone); allow removing people it cannot reach
// (Removal); set the program's referral to the State due sooner than 48 hours
// (StateReferralHours).
//
// A State may not: reorder the four federal groups of 45 CFR 96.131(a) (pregnant women who
// inject drugs, other pregnant women, other people who inject drugs, everyone else), nor put
// two of them in one tier (the earlier to ask would then go first whatever her group) — so no
// lone catch-all tier, no veterans before pregnant women, no postpartum women (who are in the
// fourth group) before people who inject drugs. Compile refuses such a policy with problem
// "federal_order_broken" and the paragraph. A policy for programs that do not serve an
// injecting drug population (NoInjectingPopulation) must still rank pregnant women first
// (96.131(a)), and a program that serves people who inject drugs is refused under it. Nor may
// a policy remove the interim services of 96.121, the 48-hour limit, the 14- and 120-day
// admission deadlines of 96.126(b) or the 7-day capacity notice of 96.126(a): they are not
// options. FederalFloor says the same in one sentence.
//
// # Applicants
//
// An Applicant's reproductive facts follow the perinatal model: Pregnancy is her current
// pregnancy episode with its dating and, once ended, when and how it ended (a live birth, a
// stillbirth or a pregnancy loss); PriorDeliveryAt an earlier delivery, kept apart so that a
// woman pregnant again keeps her priority. A pregnancy's end starts the postpartum window
// whatever its outcome and never takes back what she was owed while pregnant.
// CapacityAtRequest says whether a program could admit her on the day she asked; the rules
// of 96.126(b)(2) and 96.131(d) turn on it, and unknown owes her more. Identifiers follow the
// library's one rule (1 to 128 bytes of letters, digits and . _ - : / @ #) and every time
// lies within 1900–2199.
//
// # Classification and obligations
//
// Compiled.Classify places an Applicant at a moment: the tier rank (1 is admitted first), the
// tier name, the conditions that matched and the Citations, without allocating.
// Compiled.Obligations lists what is owed to a person, each an Obligation with a kind, a due
// time, Citations and a status (open, overdue, met, met late, missed, closed):
//
//   - interim services (96.121) no later than 48 hours after she sought treatment, for a
//     pregnant woman when no facility has the capacity to admit her (96.131(d)) and for a
//     person who injects drugs who cannot be placed in treatment (96.126(b)(2), (c)), and for
//     anyone else the policy adds;
//   - admission of a person who injects drugs within 14 days, or within 120 days when no
//     program could admit her on the day of the request and interim services came within 48
//     hours (96.126(b));
//   - the program's referral of a pregnant woman to the State when it has no capacity for her
//     (96.131(c)), due 48 hours after her request (or the policy's StateReferralHours): the
//     regulation sets no time, and the State must make interim services available within
//     those 48 hours (96.131(d)), which it cannot do for a woman not yet referred;
//   - the program's notice to the State within 7 days of reaching 90% of its capacity
//     (96.126(a)), from Compiled.ProgramObligations or Waitlist.ProgramObligations.
//
// An obligation not met when the person was admitted or left is missed if its due time had
// passed, closed otherwise. Deadlines are elapsed time by default: 48 hours is 48 hours across
// a daylight-saving change, and N days is N×24 hours. A policy may count days as calendar days
// in a named time zone: N days from a moment then end with the Nth calendar day after that
// moment's day, in that zone.
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
// A Waitlist orders people by tier, then time sought, then arrival, with O(log n) Add,
// Remove, Next (with an Eligibility filter, such as WomensProgram for the beds of a program
// under 96.124) and Position, and lists what is overdue, or due before a moment, in time
// proportional to what it lists. Every read takes the moment it judges. Every change is an
// Event carrying the policy's identity, the actor and the hash of the event before it, and is
// checked at the door: identifiers, times in range, no date more than a tolerance after the
// embedding system's clock. A registry saves each change as it comes (EventsSince, SaveLog),
// takes a Snapshot now and then and compacts the list (Compact), so memory holds what is
// waiting, not years of history; a saved log that was cut or altered is refused when read
// (DecodeLog, DecodeWaitlist). It restores the list from the last snapshot and the events
// after it (RestoreWaitlist, or RestoreWaitlistAcross, given every policy named, when the
// State changed policy after the snapshot with ChangePolicy). Programs' occupancy is recorded as events, so the capacity
// notice runs from when 90% was reached. Each person's compliance record (interim services
// met, met late or missed; admission within 14 or 120 days) stays answerable after she is
// admitted or removed, for the reporting 96.126(c) asks.
//
// # Reading JSON
//
// Every decoder of the package (DecodePolicy, DecodeLog, DecodeSnapshot, DecodeWaitlist,
// Waitlist.UnmarshalJSON, and the UnmarshalJSON/UnmarshalText of its types) goes through the
// library's one reader: a byte limit checked before parsing (1 MiB for a policy, 32 MiB for a
// list, a log or a snapshot, configurable), duplicate and case-variant keys, trailing data and
// unknown members refused, times outside 1900–2199 refused, and problems reported with a JSON
// path and a code, never the input's text.
//
// The package does no I/O (except time.LoadLocation in Compile when a policy names a zone; use
// CompileIn to avoid it), reads no clock (the waitlist's clock is the caller's) and keeps no
// global state: every rule takes the moment it judges at. Errors and messages name quoted
// identifiers and codes only.
//
// # References
//
//   - 45 CFR part 96, subpart L (Substance Use Prevention, Treatment, and Recovery Services
//     Block Grant), the edition named by Edition: 96.121 (definition of interim services),
//     96.124(c), (e) (programs for pregnant women and women with dependent children), 96.126
//     (capacity of treatment for people who inject drugs: (a) 90% notice, (b) 14/120 days and
//     48-hour interim services, (c) waiting list with a unique patient identifier, interim
//     services for those who cannot be placed), 96.131 (treatment services for pregnant women:
//     (a) preference order, (c) referral to the State, (d) interim services within 48 hours).
//   - The conformance corpus format: testdata/conformance/README.md in this package's folder.
package priority
