package priority

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dyad-health/dyad/internal/jsonin"
)

// savedList returns a list with a few changes and its JSON.
func savedList(t *testing.T) (*Waitlist, []byte) {
	t.Helper()
	w := newList(t, Federal())
	randomList(t, w, 5, 60)
	b, err := json.Marshal(w)
	noErr(t, err)
	return w, b
}

func decodeErr(t *testing.T, b []byte, target error) *ValidationError {
	t.Helper()
	_, err := DecodeWaitlist(b, WaitlistDecodeOptions{})
	isErr(t, err, target)
	var ve *ValidationError
	errors.As(err, &ve)
	return ve
}

// TestSavedLogDetectsTruncationAndTampering: the count and the hash chain (issue 13: a log cut
// at an event boundary was accepted as another state; 61 events became 0 through a second
// "events" key).
func TestSavedLogDetectsTruncationAndTampering(t *testing.T) {
	w, b := savedList(t)
	var s map[string]json.RawMessage
	noErr(t, json.Unmarshal(b, &s))
	var l SavedLog
	noErr(t, json.Unmarshal(s["log"], &l))
	if len(l.Events) < 10 {
		t.Fatalf("only %d events", len(l.Events))
	}
	resave := func(f func(l *SavedLog)) []byte {
		c := l
		c.Events = append([]Event(nil), l.Events...)
		f(&c)
		lb, err := json.Marshal(c)
		noErr(t, err)
		s2 := map[string]json.RawMessage{}
		for k, v := range s {
			s2[k] = v
		}
		s2["log"] = lb
		out, err := json.Marshal(s2)
		noErr(t, err)
		return out
	}
	// Intact: decodes to the same list.
	back, err := DecodeWaitlist(resave(func(*SavedLog) {}), WaitlistDecodeOptions{})
	noErr(t, err)
	at := nsTime(w.last)
	eq(t, head(t, w, at), head(t, back, at))

	cases := map[string]func(l *SavedLog){
		"cut at an event boundary":              func(l *SavedLog) { l.Events = l.Events[:len(l.Events)-1] },
		"cut, with the count changed":           func(l *SavedLog) { l.Events = l.Events[:len(l.Events)-1]; l.Count-- },
		"first events cut":                      func(l *SavedLog) { l.Events = l.Events[1:]; l.Count-- },
		"an event's time altered":               func(l *SavedLog) { l.Events[3].At = l.Events[3].At.Add(time.Second) },
		"a fact altered":                        func(l *SavedLog) { l.Events[0].Facts.InjectsDrugs = !l.Events[0].Facts.InjectsDrugs },
		"an actor altered":                      func(l *SavedLog) { l.Events[2].Actor = "someone-else" },
		"two events swapped":                    func(l *SavedLog) { l.Events[4], l.Events[5] = l.Events[5], l.Events[4] },
		"an event dropped from the middle":      func(l *SavedLog) { l.Events = append(l.Events[:5], l.Events[6:]...); l.Count-- },
		"head altered":                          func(l *SavedLog) { l.Head = GenesisPrev },
		"a policy other than the list's events": func(l *SavedLog) { l.Events[1].Policy = "sha256:" + strings.Repeat("a", 64) },
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			decodeErr(t, resave(f), ErrBrokenChain)
			lb, _ := json.Marshal(func() SavedLog { c := l; c.Events = append([]Event(nil), l.Events...); f(&c); return c }())
			_, err := DecodeLog(lb, DecodeOptions{})
			isErr(t, err, ErrBrokenChain)
		})
	}
	// Events altered and the chain recomputed by a forger: the saved list holds together, but
	// its head differs from the checkpoint the registry kept apart.
	seq, headHash := w.Checkpoint()
	eq(t, l.Head, headHash)
	eq(t, uint64(len(l.Events)), seq)
}

// TestSavedListRejects: the shape of a saved list (issue 13: duplicate and case-variant keys
// replaced the history; trailing data was accepted).
func TestSavedListRejects(t *testing.T) {
	_, b := savedList(t)
	body := strings.TrimSuffix(string(b), "}")
	for name, in := range map[string]string{
		"case-variant log key":     body + `,"Log":{"format":"dyad.priority.log/1","policy":"x","after":0,"prev":"","count":0,"head":"","events":[]}}`,
		"duplicate log key":        body + `,"log":{}}`,
		"trailing data":            string(b) + ` {}`,
		"unknown member":           body + `,"extra":1}`,
		"not an object":            `[]`,
		"the former format":        `{"policy":{"name":"federal","tiers":[{"name":"all"}]},"events":[]}`,
		"a time out of range":      strings.Replace(string(b), `"at":"2026-`, `"at":"20260-`, 1),
		"patient text in a time":   strings.Replace(string(b), `"at":"2026-03-01T`, `"at":"Jane Q Doe DOB 1990-04-01 heroin relapse`, 1),
		"patient text as a key":    body + `,"Jane Q Doe DOB 1990":1}`,
		"wrong format":             strings.Replace(string(b), FormatWaitlist, "dyad.priority.waitlist/9", 1),
		"a policy breaking 96.131": strings.Replace(string(b), `"tiers":[{"name":"pregnant_injecting"`, `"tiers":[{"name":"all"},{"name":"pregnant_injecting"`, 1),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := DecodeWaitlist([]byte(in), WaitlistDecodeOptions{})
			if err == nil {
				t.Fatal("decoded")
			}
			if strings.Contains(err.Error(), "Jane") || strings.Contains(err.Error(), "heroin") {
				t.Errorf("the error quotes the input: %v", err)
			}
			var w Waitlist
			if json.Unmarshal([]byte(in), &w) == nil {
				t.Error("UnmarshalJSON decoded it")
			}
		})
	}
}

// TestDecodeLimits: every decoder refuses an input over its byte limit before parsing it, and
// the limit is configurable (issue 13: a 100 MB waitlist took 8.8 s and 1.5 GB).
func TestDecodeLimits(t *testing.T) {
	big := bytes.Repeat([]byte(" "), 64<<20)
	big[0] = '{'
	big[len(big)-1] = '}'
	for name, f := range map[string]func([]byte) error{
		"policy":   func(b []byte) error { _, err := DecodePolicy(b, DecodeOptions{}); return err },
		"log":      func(b []byte) error { _, err := DecodeLog(b, DecodeOptions{}); return err },
		"snapshot": func(b []byte) error { _, err := DecodeSnapshot(b, DecodeOptions{}); return err },
		"waitlist": func(b []byte) error { _, err := DecodeWaitlist(b, WaitlistDecodeOptions{}); return err },
	} {
		t.Run(name, func(t *testing.T) {
			err := f(big)
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Codes()[0] != jsonin.CodeTooLarge {
				t.Fatalf("64 MiB: %v", err)
			}
		})
	}
	_, b := savedList(t)
	_, err := DecodeWaitlist(b, WaitlistDecodeOptions{MaxBytes: len(b) - 1})
	isErr(t, err, ErrInvalidInput)
	_, err = DecodeWaitlist(b, WaitlistDecodeOptions{MaxBytes: len(b)})
	noErr(t, err)
}

// TestRebuildUnderAnotherPolicy: events carry the policy's identity, so a replay under another
// policy is refused instead of silently re-ranking everyone (issue 12).
func TestRebuildUnderAnotherPolicy(t *testing.T) {
	w := newList(t, Federal())
	add(t, w, Applicant{ID: "I", SoughtAt: t0, InjectsDrugs: true})
	evs, err := w.EventsSince(0)
	noErr(t, err)
	other := Federal()
	other.PostpartumDays = 30 // ranks alike here, yet another policy
	_, err = Rebuild(MustCompile(other), evs)
	isErr(t, err, ErrPolicyMismatch)
	_, err = RestoreWaitlist(MustCompile(other), w.Snapshot(), nil, WaitlistOptions{})
	isErr(t, err, ErrPolicyMismatch)
	_, err = Rebuild(MustCompile(Federal()), evs)
	noErr(t, err)
}

// TestEventsSinceCostsWhatItReturns: saving each change as it comes costs O(1) per change
// (issue 12: Events() copied the whole log, 20k add+save pairs took 51 s). The bytes
// allocated to fetch the one new event do not grow with the log.
func TestEventsSinceCostsWhatItReturns(t *testing.T) {
	w := newList(t, Federal())
	at := t0
	var saved uint64
	fetch := func() float64 {
		return testing.AllocsPerRun(1, func() {
			evs, err := w.EventsSince(saved)
			if err != nil || len(evs) != 1 {
				t.Fatalf("%d events, %v", len(evs), err)
			}
		})
	}
	var small, large float64
	for i := range 20000 {
		at = at.Add(time.Second)
		add(t, w, Applicant{ID: fmt.Sprintf("P%d", i), SoughtAt: at})
		switch i {
		case 99:
			small = fetch()
		case 19999:
			large = fetch()
		}
		saved = w.LastSeq()
	}
	if large > small+2 {
		t.Errorf("fetching one new event allocates %v times after 100 events and %v after 20,000", small, large)
	}
	evs, err := w.EventsSince(w.LastSeq() - 3)
	noErr(t, err)
	eq(t, 3, len(evs))
	eq(t, w.LastSeq(), evs[2].Seq)
	evs, err = w.EventsSince(w.LastSeq())
	noErr(t, err)
	eq(t, 0, len(evs))
}

// TestCompaction: a snapshot and the log since it restore the list; compaction drops the
// events and the people who left; the memory held stays flat over many add/remove pairs.
func TestCompaction(t *testing.T) {
	w := newList(t, Federal())
	m := randomList(t, w, 9, 500)
	snap := w.Snapshot()
	seq := snap.Seq
	noErr(t, w.Compact(seq))
	_, err := w.EventsSince(0)
	isErr(t, err, ErrCompacted)
	isErr(t, w.Compact(seq+5), ErrOutOfOrder)
	// People who left are gone; people waiting are not.
	for _, id := range m.order {
		_, err := w.Obligations(id, nsTime(w.last))
		if m.people[id].left {
			isErr(t, err, ErrNotFound)
		} else {
			noErr(t, err)
		}
	}
	// More changes after the snapshot; the snapshot plus the events since restore the list.
	randomList(t, w, 10, 200)
	tail, err := w.EventsSince(seq)
	noErr(t, err)
	sb, err := json.Marshal(snap)
	noErr(t, err)
	snap2, err := DecodeSnapshot(sb, DecodeOptions{})
	noErr(t, err)
	restored, err := RestoreWaitlist(w.Policy(), snap2, tail, WaitlistOptions{})
	noErr(t, err)
	at := nsTime(w.last).Add(20 * 24 * time.Hour)
	eq(t, head(t, w, at), head(t, restored, at))
	o1, err := w.Overdue(at)
	noErr(t, err)
	o2, err := restored.Overdue(at)
	noErr(t, err)
	eq(t, o1, o2)
	s1, h1 := w.Checkpoint()
	s2, h2 := restored.Checkpoint()
	eq(t, s1, s2)
	eq(t, h1, h2)
	// A tail that does not follow the snapshot is refused.
	_, err = RestoreWaitlist(w.Policy(), snap2, tail[1:], WaitlistOptions{})
	isErr(t, err, ErrOutOfOrder)
	// A compacted list saves as a snapshot and an empty log, and decodes to the same list.
	noErr(t, w.Compact(w.LastSeq()))
	b, err := json.Marshal(w)
	noErr(t, err)
	back, err := DecodeWaitlist(b, WaitlistDecodeOptions{})
	noErr(t, err)
	eq(t, head(t, w, at), head(t, back, at))
}

// TestMemoryFlatWithCompaction: 200,000 add/remove pairs with compaction every 10,000 events
// hold no more memory at the end than after the first 20,000 (issue 12: 312 B per pair stayed
// for ever). The benchmark BenchmarkChurn10M does the same over 10 million pairs.
func TestMemoryFlatWithCompaction(t *testing.T) {
	if testing.Short() {
		t.Skip("measures memory over 200,000 pairs")
	}
	w := newList(t, Federal())
	for i := range 1000 { // a standing list
		add(t, w, Applicant{ID: fmt.Sprintf("S%d", i), SoughtAt: t0, InjectsDrugs: i%2 == 0})
	}
	at := t0
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	var early uint64
	for i := range 200000 {
		at = at.Add(time.Second)
		id := fmt.Sprintf("C%d", i)
		add(t, w, Applicant{ID: id, SoughtAt: at, Pregnant: i%3 == 0})
		noErr(t, w.Remove(id, RemovalDeclined, at, actor))
		if w.LastSeq()%10000 < 2 {
			_ = w.Snapshot()
			noErr(t, w.Compact(w.LastSeq()))
		}
		if i == 20000 {
			early = heap()
		}
	}
	late := heap()
	t.Logf("heap after 20,000 pairs %d B, after 200,000 pairs %d B", early, late)
	if late > early+early/2 {
		t.Errorf("memory grew from %d to %d bytes", early, late)
	}
	eq(t, 1000, w.Len())
}
