package sim

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// groupOutcome is the part of a replication's group metrics the trace tests check.
type groupOutcome struct {
	Arrivals, Admitted, Dropped, Waiting, Delivered float64
	MeanWait                                        float64
	Interim48h                                      float64 // NaN-free: -1 when undefined
}

type scripted struct {
	at     float64
	stream int
}

// scriptRun runs replication 0 of s in which nobody arrives by the Poisson streams: the
// people of script arrive at the given times instead (capacity and policy changes happen
// as scheduled), so that every admission can be worked out by hand. It returns the
// replication's values and its trace.
func scriptRun(t *testing.T, s Scenario, script []scripted) (Replication, []TraceEvent) {
	t.Helper()
	m, err := Compile(s)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	r := newRunner(m)
	var events []TraceEvent
	r.trace = func(e TraceEvent) { events = append(events, e) }
	r.reset(0)
	for i, be := range m.bedEvents {
		r.schedule(be.day, evBeds, int32(i))
	}
	for e := 1; e < len(m.epochs); e++ {
		r.schedule(m.epochs[e].at, evPolicy, int32(e))
	}
	for _, a := range script {
		r.runUntil(a.at, nil)
		r.sampleUntil(a.at)
		r.now = a.at
		r.addApplicant(a.stream)
	}
	r.runUntil(m.horizon, nil)
	r.finish()
	out, err := m.replication(r, 0)
	if err != nil {
		t.Fatalf("conservation: %v", err)
	}
	return out, events
}

// traceRun is scriptRun's outcome per group.
func traceRun(t *testing.T, s Scenario, script []scripted) map[string]groupOutcome {
	t.Helper()
	out, _ := scriptRun(t, s, script)
	got := map[string]groupOutcome{}
	for _, gv := range out.Groups {
		o := groupOutcome{Arrivals: gv.Arrivals, Admitted: gv.Admitted, Dropped: gv.DroppedOut,
			Waiting: gv.StillWaiting, Delivered: gv.DeliveredWhileWaiting, MeanWait: gv.MeanWaitDays, Interim48h: gv.InterimWithin48h}
		if math.IsNaN(o.Interim48h) {
			o.Interim48h = -1
		}
		if math.IsNaN(o.MeanWait) {
			o.MeanWait = -1
		}
		got[gv.Group] = o
	}
	return got
}

// statePostpartum ranks postpartum women first among "all others" (45 CFR 96.131(a)(4)),
// after people who inject drugs: a State may not rank them before (priority refuses it).
const statePostpartum = `{"name": "state-postpartum", "postpartum_days": 365, "tiers": [
	{"name": "pregnant_injecting", "when": {"pregnant": true, "injects_drugs": true}},
	{"name": "pregnant", "when": {"pregnant": true}},
	{"name": "injecting", "when": {"injects_drugs": true}},
	{"name": "postpartum", "when": {"postpartum": true}},
	{"name": "everyone_else"}]}`

// mustPolicy decodes a policy in the priority package's JSON format.
func mustPolicy(js string) PolicyRef {
	var p PolicyRef
	if err := json.Unmarshal([]byte(js), &p); err != nil {
		panic(err)
	}
	return p
}

func fixed(d float64) *Dist { return &Dist{Name: DistFixed, MeanDays: d} }

// oneBed is one program with one bed and stays of exactly 5 days; streams arrive only by
// script (their Poisson rate is tiny and the horizon short, and traceRun never schedules
// them).
func oneBed(policy PolicyRef, streams ...ArrivalStream) Scenario {
	for i := range streams {
		streams[i].RatePerDay = 1e-9
	}
	return Scenario{HorizonDays: 40, Replications: 1, Seed: 1, Policy: policy,
		Programs: []Program{{ID: "p1", Beds: 1, LengthOfStay: *fixed(5)}},
		Arrivals: streams}
}

var (
	federal = PolicyRef{Name: "federal"}
	state   = mustPolicy(statePostpartum)
)

func TestTraceDeliveryWhileWaiting(t *testing.T) {
	// A (other) arrives at 0 and takes the bed until 5. B (other) arrives at 1. C, pregnant
	// at 275 days of a 280-day term, arrives at 2 and delivers at 7 if still waiting; C2 is
	// at 279 days and delivers at 3.
	other := ArrivalStream{Group: "other"}
	pregLate := ArrivalStream{Group: "pregnant", Applicant: Facts{Pregnant: true}, GestationalAgeDays: fixed(275)}
	pregSoon := ArrivalStream{Group: "pregnant", Applicant: Facts{Pregnant: true}, GestationalAgeDays: fixed(279)}
	// Pregnant women are owed interim services (45 CFR 96.131(d)); C waits more than 48 hours
	// and no interim delay is configured, so none of 1 gets them in time: Interim48h 0.
	tests := []struct {
		name   string
		policy PolicyRef
		preg   ArrivalStream
		want   map[string]groupOutcome
	}{{
		// 96.131(a): C, pregnant, is admitted at 5 ahead of B (wait 3); B at 10 (wait 9).
		name: "federal, admitted before delivery", policy: federal, preg: pregLate,
		want: map[string]groupOutcome{
			"other":    {Arrivals: 2, Admitted: 2, MeanWait: (0 + 9) / 2.0, Interim48h: -1},
			"pregnant": {Arrivals: 1, Admitted: 1, MeanWait: 3, Interim48h: 0},
		},
	}, {
		// C2 delivers at 3: under the federal order she is no longer pregnant, so she is
		// "everyone else", behind B who sought treatment at 1 < 2. B at 5 (wait 4), C2 at 10
		// (wait 8).
		name: "federal, delivered while waiting", policy: federal, preg: pregSoon,
		want: map[string]groupOutcome{
			"other":    {Arrivals: 2, Admitted: 2, MeanWait: (0 + 4) / 2.0, Interim48h: -1},
			"pregnant": {Arrivals: 1, Admitted: 1, Delivered: 1, MeanWait: 8, Interim48h: 0},
		},
	}, {
		// Under the State policy C2 is postpartum from 3 (tier 4), ahead of B (tier 5): C2 at
		// 5 (wait 3), B at 10 (wait 9).
		name: "state postpartum tier, delivered while waiting", policy: state, preg: pregSoon,
		want: map[string]groupOutcome{
			"other":    {Arrivals: 2, Admitted: 2, MeanWait: (0 + 9) / 2.0, Interim48h: -1},
			"pregnant": {Arrivals: 1, Admitted: 1, Delivered: 1, MeanWait: 3, Interim48h: 0},
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := oneBed(tc.policy, other, tc.preg)
			got := traceRun(t, s, []scripted{{0, 0}, {1, 0}, {2, 1}})
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("outcome (-want +got):\n%s", d)
			}
		})
	}
}

func TestTracePostpartumWindowEnds(t *testing.T) {
	// State policy, window 365 days. A (other) holds the bed 0–5. F (other) arrives at 0.5.
	// E arrives at 1 having delivered 364.75 days before: postpartum (tier 4) until her
	// window ends at 1.25, then everyone else, behind F. F at 5 (wait 4.5), E at 10 (wait 9).
	// With a delivery 300 days before, E stays postpartum and goes first: E at 5 (wait 4), F
	// at 10 (wait 9.5).
	other := ArrivalStream{Group: "other"}
	for _, tc := range []struct {
		ago              float64
		waitE, waitOther float64
	}{{364.75, 9, (0 + 4.5) / 2}, {300, 4, (0 + 9.5) / 2}} {
		pp := ArrivalStream{Group: "postpartum", DeliveredDaysAgo: fixed(tc.ago)}
		got := traceRun(t, oneBed(state, other, pp), []scripted{{0, 0}, {0.5, 0}, {1, 1}})
		want := map[string]groupOutcome{
			"other":      {Arrivals: 2, Admitted: 2, MeanWait: tc.waitOther, Interim48h: -1},
			"postpartum": {Arrivals: 1, Admitted: 1, MeanWait: tc.waitE, Interim48h: -1},
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("delivered %v days before: outcome (-want +got):\n%s", tc.ago, d)
		}
	}
}

func TestTraceDropoutAndInterim(t *testing.T) {
	// A (other) holds the bed 0–5. G (injecting, owed interim services under 45 CFR
	// 96.126(b)) arrives at 1 with interim services made available after 1 day (at 2 ≤ 3, in
	// time); H (injecting) arrives at 1.5 with interim services after 3 days (at 4.5 > 3.5,
	// late) and gives up after 2 days (at 3.5, before the late interim services). D (other)
	// arrives at 2 and gives up after 2 days (at 4). At 5 G is admitted (wait 4); the bed is
	// then held until 10, and no one else is waiting.
	other := ArrivalStream{Group: "other", Dropout: fixed(2)}
	inj := ArrivalStream{Group: "injecting", Applicant: Facts{InjectsDrugs: true}, InterimDelay: fixed(1)}
	injLate := ArrivalStream{Group: "injecting_late", Applicant: Facts{InjectsDrugs: true}, InterimDelay: fixed(3), Dropout: fixed(2)}
	s := oneBed(federal, other, inj, injLate)
	s.Dropout = fixed(100) // scenario default, overridden by "other" and "injecting_late"
	got := traceRun(t, s, []scripted{{0, 0}, {1, 1}, {1.5, 2}, {2, 0}})
	want := map[string]groupOutcome{
		// A admitted at once (wait 0); D gave up.
		"other": {Arrivals: 2, Admitted: 1, Dropped: 1, MeanWait: 0, Interim48h: -1},
		// G: not admitted within 48 hours, interim services at 2, within 48 hours: 1 of 1.
		"injecting": {Arrivals: 1, Admitted: 1, MeanWait: 4, Interim48h: 1},
		// H: gave up at 3.5 without interim services: 0 of 1.
		"injecting_late": {Arrivals: 1, Dropped: 1, MeanWait: -1, Interim48h: 0},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("outcome (-want +got):\n%s", d)
	}
}

func TestTraceReservedBeds(t *testing.T) {
	// Three beds; two reserved for the federal "pregnant" tier and the tier above it. Stays
	// last past the horizon. Others arrive at 0, 1, 2; pregnant women at 3, 4, 5.
	// Other #1 at 0: 3 free > 2 held → admitted. Others at 1 and 2: 2 free, not > 2 held
	// → wait. Pregnant at 3 and 4 take the reserved beds. Pregnant at 5: no bed.
	s := Scenario{HorizonDays: 40, Replications: 1, Seed: 1, Policy: federal,
		Programs: []Program{{ID: "p1", Beds: 3, LengthOfStay: *fixed(1000),
			Reserved: []Reservation{{Tier: "pregnant", Beds: 2}}}},
		Arrivals: []ArrivalStream{
			{Group: "other", RatePerDay: 1e-9},
			{Group: "pregnant", RatePerDay: 1e-9, Applicant: Facts{Pregnant: true}},
		}}
	got := traceRun(t, s, []scripted{{0, 0}, {1, 0}, {2, 0}, {3, 1}, {4, 1}, {5, 1}})
	want := map[string]groupOutcome{
		"other":    {Arrivals: 3, Admitted: 1, Waiting: 2, MeanWait: 0, Interim48h: -1},
		"pregnant": {Arrivals: 3, Admitted: 2, Waiting: 1, MeanWait: 0, Interim48h: 0},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("outcome (-want +got):\n%s", d)
	}
}

func TestHeapOrder(t *testing.T) {
	r := &runner{hpos: []int32{-1}}
	seq := uint64(0)
	push := func(t float64) {
		seq++
		r.push(event{t: t, key: seq<<kindBits | uint64(evArrival)})
	}
	for _, x := range []float64{5, 1, 3, 1, 4, 1, 2, 0.5} {
		push(x)
	}
	// Equal times come out in insertion order (seq 2, 4, 6 for t = 1).
	var got []float64
	var seqs []uint64
	for len(r.h) > 0 {
		got = append(got, r.h[0].t)
		seqs = append(seqs, r.h[0].key>>kindBits)
		r.popTop()
	}
	if d := cmp.Diff([]float64{0.5, 1, 1, 1, 2, 3, 4, 5}, got); d != "" {
		t.Errorf("pop order (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]uint64{8, 2, 4, 6, 7, 3, 5, 1}, seqs); d != "" {
		t.Errorf("pop sequence (-want +got):\n%s", d)
	}
}

func TestRingInsertByArrival(t *testing.T) {
	r := &runner{apps: []applicant{{arrive: 1}, {arrive: 2}, {arrive: 4}, {arrive: 3}, {arrive: 0.5, tok: 1}}}
	var q ring
	for i := range 40 { // grow past the first buffer, then drain back
		q.pushBack(qent{slot: 0, tok: 99})
		_ = i
	}
	for q.n > 0 {
		q.popFront()
	}
	q.pushBack(qent{slot: 0})
	q.pushBack(qent{slot: 4, tok: 0}) // stale: slot 4's token is now 1
	q.pushBack(qent{slot: 1})
	q.pushBack(qent{slot: 2})
	r.insertByArrival(&q, qent{slot: 3}) // arrived at 3: after 2, before 4
	var got []int32
	for i := range q.n {
		if e := q.at(i); r.apps[e.slot].tok == e.tok {
			got = append(got, e.slot)
		}
	}
	if d := cmp.Diff([]int32{0, 1, 3, 2}, got); d != "" {
		t.Errorf("queue (-want +got):\n%s", d)
	}
}

func TestTraceProgramsOfAGroup(t *testing.T) {
	// Two one-bed programs, stays of 5 days: "women" (listed first) and "general". Pregnant
	// women may enter only "women"; others any program. A (other) at 0 takes the program
	// with the most free beds, the first on a tie: "women", until 5. P (pregnant) at 1 may
	// not enter "general": she waits. B (other) at 2 enters "general" at once. At 5 "women"
	// frees and P is admitted (wait 4). Without the restriction P would enter "general" at 1
	// (wait 0) and B would wait for "women" until 5 (wait 3).
	for _, tc := range []struct {
		programs          []string
		waitP, waitOthers float64
	}{{[]string{"women"}, 4, 0}, {nil, 0, (0 + 3) / 2.0}} {
		s := Scenario{HorizonDays: 40, Replications: 1, Seed: 1, Policy: federal,
			Programs: []Program{{ID: "women", Beds: 1, LengthOfStay: *fixed(5)}, {ID: "general", Beds: 1, LengthOfStay: *fixed(5)}},
			Arrivals: []ArrivalStream{
				{Group: "other", RatePerDay: 1e-9},
				{Group: "pregnant", RatePerDay: 1e-9, Applicant: Facts{Pregnant: true}, Programs: tc.programs},
			}}
		got := traceRun(t, s, []scripted{{0, 0}, {1, 1}, {2, 0}})
		interim := -1.0 // owed (96.131(d)), none configured: 0 of 1 when she waits past 48 h
		if tc.waitP > 2 {
			interim = 0
		}
		want := map[string]groupOutcome{
			"other":    {Arrivals: 2, Admitted: 2, MeanWait: tc.waitOthers, Interim48h: -1},
			"pregnant": {Arrivals: 1, Admitted: 1, MeanWait: tc.waitP, Interim48h: interim},
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("programs %v: outcome (-want +got):\n%s", tc.programs, d)
		}
	}
}
