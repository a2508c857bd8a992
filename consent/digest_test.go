package consent_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
)

// TestDecisionDigest hashes everything Decide and Explain say (the whole Record, with every
// reason, citation and obligation, and String) for DYAD_DIGEST_N random requests of the
// differential test's generator (seed DYAD_DIFF_SEED, default 1). It is a tool for changes
// of the engine's internals that must not change a single answer: run it on the code before
// and after with the same N and compare the digests, or give the digest before as
// DYAD_DIGEST_WANT and the test fails on any difference. Without DYAD_DIGEST_N it skips.
//
//	DYAD_DIGEST_N=1000000 go test ./consent -run TestDecisionDigest -v
func TestDecisionDigest(t *testing.T) {
	s := os.Getenv("DYAD_DIGEST_N")
	if s == "" {
		t.Skip("DYAD_DIGEST_N not set: the digest is compared between two versions of the code, by hand or with DYAD_DIGEST_WANT")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		t.Fatalf("DYAD_DIGEST_N=%q is not a positive count", s)
	}
	seed := uint64(1)
	if s := os.Getenv("DYAD_DIFF_SEED"); s != "" {
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("DYAD_DIFF_SEED=%q: %v", s, err)
		}
	}
	g := gen{pcg{rand.New(rand.NewPCG(seed, 0x11))}}
	h := sha256.New()
	var w world
	permits, reasons := 0, 0
	for i := range n {
		if i%64 == 0 {
			w = g.world(t)
		}
		r := g.request(w.consents, w.agreements)
		d, x := w.engine.Decide(r), w.engine.Explain(r)
		for _, d := range []struct {
			rec any
			s   string
		}{{d.Record(), d.String()}, {x.Record(), x.String()}} {
			b, err := json.Marshal(d.rec)
			if err != nil {
				t.Fatal(err)
			}
			h.Write(b)
			h.Write([]byte(d.s))
			h.Write([]byte{'\n'})
		}
		if d.Permit {
			permits++
		}
		reasons += len(x.Reasons())
	}
	got := hex.EncodeToString(h.Sum(nil))
	t.Logf("%d requests (%d permits, %d reasons from Explain): digest %s", n, permits, reasons, got)
	if want := os.Getenv("DYAD_DIGEST_WANT"); want != "" && want != got {
		t.Errorf("digest %s, want %s: some decision says something else than before", got, want)
	}
}
