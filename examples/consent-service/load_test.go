package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

var (
	loadFor     = flag.Duration("load", 0, "run TestLoad for this long (0: skip it)")
	loadClients = flag.Int("clients", 8, "concurrent clients of TestLoad")
)

// TestLoad is a bounded load test, skipped unless asked for:
//
//	go test ./examples/consent-service -run TestLoad -args -load 5s -clients 8
//
// It starts the command on a loopback port (the test consents, the real clock), runs N
// clients posting the valid request samples in turn, each waiting for its answer before
// the next, for the duration given, and reports decisions per second and the latency
// percentiles (client-side, request sent to answer read). Every answer must be 200 with the
// decision expected of its request.
func TestLoad(t *testing.T) {
	if testing.Short() || *loadFor <= 0 {
		t.Skip("run with -args -load 5s [-clients 8]")
	}
	names := []string{"permit.json", "deny-later-optout.json", "deny-deficient.json", "no-consent.json", "permit-r5-class.json"}
	want := []string{"CONSENT_PERMIT", "CONSENT_DENY", "CONSENT_DENY", "NO_CONSENT", "CONSENT_PERMIT"}
	bodies := make([][]byte, len(names))
	for i, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", "requests", n))
		if err != nil {
			t.Fatal(err)
		}
		bodies[i] = b
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, []string{"-addr", "127.0.0.1:0", "-consents", filepath.Join("testdata", "consents"),
			"-discloser", testDiscloser, "-assume-statements", "-poll", "0"}, io.Discard, nil, ready)
	}()
	addr := <-ready
	url := "http://" + addr + consultPath
	deadline := time.Now().Add(*loadFor)
	var mu sync.Mutex
	var lat []time.Duration
	bad := 0
	var wg sync.WaitGroup
	start := time.Now()
	for c := range *loadClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}, Timeout: 10 * time.Second}
			var mine []time.Duration
			myBad := 0
			for i := c; time.Now().Before(deadline); i++ {
				k := i % len(bodies)
				t0 := time.Now()
				resp, err := client.Post(url, "application/json", bytes.NewReader(bodies[k]))
				if err != nil {
					myBad++
					continue
				}
				var cb cardsBody
				err = json.NewDecoder(resp.Body).Decode(&cb)
				resp.Body.Close()
				mine = append(mine, time.Since(t0))
				if err != nil || resp.StatusCode != 200 || len(cb.Cards) != 1 || cb.Cards[0].Extension.Decision != want[k] {
					myBad++
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			bad += myBad
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	cancel()
	if err := <-errc; err != nil {
		t.Errorf("run: %v", err)
	}
	if bad > 0 || len(lat) == 0 {
		t.Fatalf("%d bad answers of %d", bad, len(lat))
	}
	slices.Sort(lat)
	q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	fmt.Printf("load: %d clients, %s, GOMAXPROCS %d: %d decisions, %.0f decisions/s, p50 %s, p99 %s, max %s\n",
		*loadClients, elapsed.Round(time.Millisecond), runtime.GOMAXPROCS(0), len(lat), float64(len(lat))/elapsed.Seconds(),
		q(0.50).Round(time.Microsecond), q(0.99).Round(time.Microsecond), lat[len(lat)-1].Round(time.Microsecond))
}
