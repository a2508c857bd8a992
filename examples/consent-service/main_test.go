package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// testNow is inside every test consent's period, after every signing.
var testNow = time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC)

const (
	testDiscloser = "http://hl7.org/fhir/sid/us-npi|1902837465"
	consultPath   = "/cds-services/patient-consent-consult"
)

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startService loads dir and serves the handler over loopback (httptest binds 127.0.0.1).
func startService(t testing.TB, dir string, extra ...string) (*httptest.Server, *service, *syncBuffer) {
	t.Helper()
	args := append([]string{"-consents", dir, "-discloser", testDiscloser, "-assume-statements", "-poll", "0"}, extra...)
	cfg, err := parseFlags(args, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	svc := newService(cfg, log.New(logs, "", 0), func() time.Time { return testNow })
	if err := svc.load(); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc.handler())
	t.Cleanup(srv.Close)
	return srv, svc, logs
}

type cardsBody struct {
	Cards []struct {
		Summary   string `json:"summary"`
		Detail    string `json:"detail"`
		Indicator string `json:"indicator"`
		Source    struct {
			Label string `json:"label"`
			URL   string `json:"url"`
		} `json:"source"`
		Extension struct {
			Decision    string `json:"decision"`
			Obligations []struct {
				ID struct {
					System string `json:"system"`
					Code   string `json:"code"`
				} `json:"id"`
				Parameters *struct {
					Codes []struct {
						System string `json:"system"`
						Code   string `json:"code"`
					} `json:"codes"`
				} `json:"parameters"`
			} `json:"obligations"`
			BasedOn string `json:"basedOn"`
			Reasons []struct {
				Code    string `json:"code"`
				Cite    string `json:"cite"`
				Message string `json:"message"`
				Consent string `json:"consent"`
			} `json:"reasons"`
		} `json:"extension"`
	} `json:"cards"`
}

func post(t *testing.T, url string, body []byte) (int, []byte) {
	t.Helper()
	resp, err := http.Post(url+consultPath, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" && resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("content type %q", ct)
	}
	return resp.StatusCode, b
}

func consultFile(t *testing.T, url, name string) (int, cardsBody, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "requests", name))
	if err != nil {
		t.Fatal(err)
	}
	status, b := post(t, url, data)
	var cb cardsBody
	if status == http.StatusOK {
		if err := json.Unmarshal(b, &cb); err != nil || len(cb.Cards) != 1 {
			t.Fatalf("%s: body %s: %v", name, b, err)
		}
	}
	return status, cb, b
}

// TestHookShapes posts the hook's request shapes (LEAP CDS clients': patientId and actor as
// arrays of {system, value}, purposeOfUse a string or an array, scope or category, class)
// over loopback and checks each answer by hand against 42 CFR Part 2.
func TestHookShapes(t *testing.T) {
	srv, _, _ := startService(t, filepath.Join("testdata", "consents"))
	tests := []struct {
		request   string
		decision  string
		basedOn   string
		indicator string
		reasons   []string
		detail    string // a part of the card's detail
	}{
		// a-portal names the OB clinic (by NPI) for treatment of SUD records, signed by the
		// patient, in force, statements assumed: 2.33(a) permits, with the 2.32 notice, the
		// accounting (2.25) and the labels as obligations.
		{"permit.json", "CONSENT_PERMIT", "Consent/a-portal", "info", []string{"consent_permits"}, "Permitted under Consent/a-portal"},
		// Pediatrics is named by a-portal (2024-03-04) but the patient's later opt-out
		// (2024-09-12, a file without id, named after it) refuses it: the most recent wins.
		{"deny-later-optout.json", "CONSENT_DENY", "Consent/a-optout-peds-r4", "critical", []string{"fhir_later_refusal"}, "Consent/a-optout-peds-r4 refuses"},
		// b-leap is shaped as LEAP's test consents: on file, judged, deficient: the answer
		// says what it lacks, with paragraphs.
		{"deny-deficient.json", "CONSENT_DENY", "", "critical", []string{"consent_deficient"},
			"Consent/b-leap is not a valid Part 2 consent: no kind of information (42 CFR 2.31(a)(3)), no description of the information (42 CFR 2.31(a)(3)), no recipient named (42 CFR 2.31(a)(4)(i)), no purpose (42 CFR 2.31(a)(5)), no signature (42 CFR 2.31(a)(8))"},
		// LEAP's sample request: a patient with no consent on file.
		{"no-consent.json", "NO_CONSENT", "", "warning", []string{"no_consent_on_file"}, "No consent"},
		// R5 opt-in naming the OB clinic's NPI; the actor is sent with two identifiers (one
		// actor), the class is a resource type and OPIOIDUD (part of SUD records: SUD
		// records are asked for), purposeOfUse an array.
		{"permit-r5-class.json", "CONSENT_PERMIT", "Consent/c-optin", "info", []string{"consent_permits"}, "Consent/c-optin"},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.request, ".json"), func(t *testing.T) {
			status, cb, raw := consultFile(t, srv.URL, tt.request)
			if status != http.StatusOK {
				t.Fatalf("status %d: %s", status, raw)
			}
			c := cb.Cards[0]
			if c.Summary != tt.decision || c.Extension.Decision != tt.decision || c.Extension.BasedOn != tt.basedOn || c.Indicator != tt.indicator {
				t.Errorf("card %s %s %s %s, want %s %s %s", c.Summary, c.Extension.Decision, c.Extension.BasedOn, c.Indicator, tt.decision, tt.basedOn, tt.indicator)
			}
			var codes []string
			for _, r := range c.Extension.Reasons {
				codes = append(codes, r.Code)
				if r.Code == "" || r.Message == "" {
					t.Errorf("incomplete reason %+v", r)
				}
			}
			for _, want := range tt.reasons {
				if !slices.Contains(codes, want) {
					t.Errorf("reasons %v lack %s", codes, want)
				}
			}
			if !strings.Contains(c.Detail, tt.detail) {
				t.Errorf("detail %q lacks %q", c.Detail, tt.detail)
			}
			if c.Source.Label == "" || c.Source.URL == "" {
				t.Errorf("source %+v", c.Source)
			}
			var obs []string
			for _, o := range c.Extension.Obligations {
				obs = append(obs, o.ID.Code)
			}
			want := []string(nil)
			if tt.decision == "CONSENT_PERMIT" {
				want = []string{"notice_2_32", "record_disclosure", "limit_to_need", "security_labels"}
			}
			if !slices.Equal(obs, want) {
				t.Errorf("obligations %v, want %v", obs, want)
			}
			if !strings.Contains(string(raw), `"obligations":[`) {
				t.Errorf("obligations not an array: %s", raw)
			}
		})
	}
}

func TestDiscovery(t *testing.T) {
	srv, _, _ := startService(t, filepath.Join("testdata", "consents"))
	resp, err := http.Get(srv.URL + "/cds-services")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var d struct {
		Services []struct {
			ID, Hook, Title, Description string
		} `json:"services"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || len(d.Services) != 1 || d.Services[0].ID != "patient-consent-consult" || d.Services[0].Hook != "patient-consent-consult" {
		t.Errorf("discovery %d %+v", resp.StatusCode, d)
	}
}

// TestBadRequests: every request that cannot be judged gets 400 with a JSON body naming the
// field (the path of each problem), never the request's text.
func TestBadRequests(t *testing.T) {
	srv, _, _ := startService(t, filepath.Join("testdata", "consents"))
	ok := `{"hook":"patient-consent-consult","hookInstance":"h1","context":{"patientId":[{"system":"http://hl7.org/fhir/sid/us-medicare","value":"5XK2-PR4-HT83"}],"actor":[{"system":"http://hl7.org/fhir/sid/us-npi","value":"1467503390"}],"purposeOfUse":"TREAT"}}`
	with := func(from, to string) string {
		if !strings.Contains(ok, from) {
			t.Fatalf("no %s", from)
		}
		return strings.Replace(ok, from, to, 1)
	}
	tests := []struct {
		name, body string
		paths      []string
	}{
		// Truncated where a string belongs: the reader reports the missing string and the end.
		{"not JSON", `{"hook":`, []string{"hook", "hook"}},
		{"trailing data", ok + `{}`, []string{""}},
		{"duplicate member in any case", with(`"hookInstance":"h1"`, `"hookInstance":"h1","HookInstance":"h2"`), []string{"hookInstance"}},
		{"unknown member", with(`"purposeOfUse":"TREAT"`, `"purposeOfUse":"TREAT","zip":"02134"`), []string{"context.?"}},
		{"identifier with code instead of value", with(`"value":"5XK2-PR4-HT83"`, `"code":"5XK2-PR4-HT83"`), []string{"context.patientId[0].?"}},
		{"wrong hook", with(`"hook":"patient-consent-consult"`, `"hook":"order-sign"`), []string{"hook"}},
		{"no hookInstance", with(`"hookInstance":"h1",`, ``), []string{"hookInstance"}},
		{"no context", `{"hook":"patient-consent-consult","hookInstance":"h1"}`, []string{"context"}},
		{"no patient", with(`"patientId":[{"system":"http://hl7.org/fhir/sid/us-medicare","value":"5XK2-PR4-HT83"}],`, ``), []string{"context.patientId"}},
		{"actor without value", with(`"value":"1467503390"`, `"value":""`), []string{"context.actor[0].value"}},
		{"no actor", with(`"actor":[{"system":"http://hl7.org/fhir/sid/us-npi","value":"1467503390"}]`, `"actor":[]`), []string{"context.actor"}},
		{"purpose a number", with(`"purposeOfUse":"TREAT"`, `"purposeOfUse":7`), []string{"context.purposeOfUse"}},
		{"purpose array of numbers", with(`"purposeOfUse":"TREAT"`, `"purposeOfUse":[7]`), []string{"context.purposeOfUse"}},
		{"no purpose", with(`,"purposeOfUse":"TREAT"`, ``), []string{"context.purposeOfUse"}},
		{"research scope", with(`"purposeOfUse":"TREAT"`, `"purposeOfUse":"TREAT","scope":"research"`), []string{"context.scope"}},
		{"category of no privacy consent", with(`"purposeOfUse":"TREAT"`, `"purposeOfUse":"TREAT","category":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"research"}]`), []string{"context.category"}},
		{"class without code", with(`"purposeOfUse":"TREAT"`, `"purposeOfUse":"TREAT","class":[{"system":"http://hl7.org/fhir/resource-types"}]`), []string{"context.class[0]"}},
		{"content to filter", with(`"purposeOfUse":"TREAT"`, `"purposeOfUse":"TREAT","content":{"resourceType":"Bundle","entry":[]}`), []string{"context.content"}},
		// Several patient identifiers that differ, without -patient-system: which one the
		// consents use cannot be told.
		{"several patients", with(`"value":"5XK2-PR4-HT83"}]`, `"value":"5XK2-PR4-HT83"},{"system":"urn:mrn","value":"m-1"}]`), []string{"context.patientId"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, b := post(t, srv.URL, []byte(tt.body))
			if status != http.StatusBadRequest {
				t.Fatalf("status %d: %s", status, b)
			}
			var eb errorBody
			if err := json.Unmarshal(b, &eb); err != nil {
				t.Fatalf("body %s: %v", b, err)
			}
			var paths []string
			for _, p := range eb.Problems {
				paths = append(paths, p.Path)
				if p.Code == "" || p.Message == "" {
					t.Errorf("incomplete problem %+v", p)
				}
			}
			if eb.Error != "bad_request" || !slices.Equal(paths, tt.paths) {
				t.Errorf("error %q, paths %q, want %q", eb.Error, paths, tt.paths)
			}
			for _, secret := range []string{"02134", "m-1", "order-sign", "h2"} {
				if strings.Contains(string(b), secret) {
					t.Errorf("the answer echoes the request's text %q: %s", secret, b)
				}
			}
		})
	}
	// Too large a body: 413, read no further than the limit.
	status, b := post(t, srv.URL, bytes.Repeat([]byte(" "), 70<<10))
	if status != http.StatusRequestEntityTooLarge || !strings.Contains(string(b), "input_too_large") {
		t.Errorf("large body: %d %s", status, b)
	}
	// A method the hook does not take.
	resp, err := http.Get(srv.URL + consultPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET on the hook: %d", resp.StatusCode)
	}
}

// TestNoPatientTextInAnswersOrLogs: the consents carry a patient's name (display), free
// text (the information description, the narrative) and the request carries a hook
// instance; none of it reaches an answer or a log line.
func TestNoPatientTextInAnswersOrLogs(t *testing.T) {
	dir := t.TempDir()
	const name, text = "Quentin Zyxwvut", "treated at the Elmwood detox unit"
	src, err := os.ReadFile(filepath.Join("testdata", "consents", "b-leap-optin-r4.json"))
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Replace(string(src), `"resourceType": "Consent",`, `"resourceType": "Consent", "text": {"status": "generated", "div": "<div>`+name+`, `+text+`</div>"},`, 1)
	doc = strings.Replace(doc, `"reference": "Patient/pt-b",`, `"reference": "Patient/pt-b", "display": "`+name+`",`, 1)
	if !strings.Contains(doc, text+`</div>`) || !strings.Contains(doc, `"display": "`+name) {
		t.Fatal("fixture not altered")
	}
	if err := os.WriteFile(filepath.Join(dir, "b.json"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	// A broken file whose content holds the name too: reported by file name and codes only.
	if err := os.WriteFile(filepath.Join(dir, "broken.json"), []byte(`{"resourceType":"Consent","status":"active","patient":{"display":"`+name+`"},"x":"`+text+`"`), 0o644); err != nil {
		t.Fatal(err)
	}
	srv, _, logs := startService(t, dir)
	req := `{"hook":"patient-consent-consult","hookInstance":"` + name + `","context":{"patientId":[{"system":"http://hl7.org/fhir/sid/us-medicare","value":"3QM7-RT2-LL90"}],"actor":[{"system":"http://hl7.org/fhir/sid/us-npi","value":"1467503390"}],"purposeOfUse":"TREAT"}}`
	status, b := post(t, srv.URL, []byte(req))
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, b)
	}
	bad := strings.Replace(req, `"purposeOfUse":"TREAT"`, `"purposeOfUse":"TREAT","note":"`+text+`"`, 1)
	status2, b2 := post(t, srv.URL, []byte(bad))
	if status2 != http.StatusBadRequest {
		t.Fatalf("status %d: %s", status2, b2)
	}
	for _, out := range []string{string(b), string(b2), logs.String()} {
		for _, secret := range []string{name, "Zyxwvut", text, "Elmwood"} {
			if strings.Contains(out, secret) {
				t.Errorf("%q leaked into %s", secret, out)
			}
		}
	}
	if !strings.Contains(logs.String(), `consent file "broken.json" not used: unknown_element at Consent.x, syntax at Consent`) {
		t.Errorf("the broken file is not reported by name and code:\n%s", logs)
	}
}

// TestBadFileFailsClosed: a file that cannot be read never widens what is permitted. One
// whose patient can be read puts that patient in doubt; one whose patient cannot be read
// puts every patient in doubt; the others still load.
func TestBadFileFailsClosed(t *testing.T) {
	copyDir := func(t *testing.T) string {
		dir := t.TempDir()
		files, _ := filepath.Glob(filepath.Join("testdata", "consents", "*.json"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	decision := func(t *testing.T, url, request string) string {
		t.Helper()
		status, cb, raw := consultFile(t, url, request)
		if status != http.StatusOK {
			t.Fatalf("status %d: %s", status, raw)
		}
		return cb.Cards[0].Extension.Decision
	}
	t.Run("patient known", func(t *testing.T) {
		dir := copyDir(t)
		// Patient A's resource with a status FHIR does not have for Consent... as JSON of
		// another resource type: refused, patient A readable.
		bad := `{"resourceType":"Contract","id":"a-new","status":"active","patient":{"reference":"Patient/pt-a","identifier":{"system":"http://hl7.org/fhir/sid/us-medicare","value":"5XK2-PR4-HT83"}}}`
		if err := os.WriteFile(filepath.Join(dir, "a-new.json"), []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		srv, svc, logs := startService(t, dir)
		if got := decision(t, srv.URL, "permit.json"); got != "CONSENT_DENY" {
			t.Errorf("patient A with an unreadable file: %s", got)
		}
		if got := decision(t, srv.URL, "permit-r5-class.json"); got != "CONSENT_PERMIT" {
			t.Errorf("patient C, untouched: %s", got)
		}
		if snap := svc.cur.Load(); snap.files != 5 || snap.refused != 1 {
			t.Errorf("%d files, %d not used", snap.files, snap.refused)
		}
		if !strings.Contains(logs.String(), `consent file "a-new.json" not used: not_consent at Consent.resourceType`) {
			t.Errorf("log:\n%s", logs)
		}
	})
	t.Run("patient unknown", func(t *testing.T) {
		dir := copyDir(t)
		if err := os.WriteFile(filepath.Join(dir, "torn.json"), []byte(`{"resourceType":"Consent","status":"act`), 0o644); err != nil {
			t.Fatal(err)
		}
		srv, _, _ := startService(t, dir)
		if got := decision(t, srv.URL, "permit-r5-class.json"); got != "CONSENT_DENY" {
			t.Errorf("a torn file of an unknown patient: %s", got)
		}
	})
}

// TestReload: the folder is reread on the reload signal and when it changes (polled); a
// consent added to the folder is answered, one removed is no longer.
func TestReload(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "consents", "a-portal-r4.json"))
	if err != nil {
		t.Fatal(err)
	}
	decisionOf := func(url string) string {
		_, cb, _ := consultFile(t, url, "permit.json")
		return cb.Cards[0].Extension.Decision
	}
	t.Run("signal", func(t *testing.T) {
		dir := t.TempDir()
		srv, svc, _ := startService(t, dir)
		if got := decisionOf(srv.URL); got != "NO_CONSENT" {
			t.Fatalf("empty folder: %s", got)
		}
		if err := os.WriteFile(filepath.Join(dir, "a.json"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		reload := make(chan os.Signal, 1)
		done := make(chan struct{})
		defer close(done)
		go svc.watch(context.Background(), reload, done)
		reload <- os.Interrupt
		waitFor(t, func() bool { return decisionOf(srv.URL) == "CONSENT_PERMIT" })
	})
	t.Run("poll", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "a.json"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		srv, svc, _ := startService(t, dir, "-poll", "10ms")
		done := make(chan struct{})
		defer close(done)
		go svc.watch(context.Background(), nil, done)
		if got := decisionOf(srv.URL); got != "CONSENT_PERMIT" {
			t.Fatalf("with the consent: %s", got)
		}
		if err := os.Remove(filepath.Join(dir, "a.json")); err != nil {
			t.Fatal(err)
		}
		waitFor(t, func() bool { return decisionOf(srv.URL) == "NO_CONSENT" })
	})
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestReloadDropsNoRequest: clients keep asking while the folder is reloaded over and over
// (a new engine swapped in each time); every request is answered 200 with the same
// decision.
func TestReloadDropsNoRequest(t *testing.T) {
	srv, svc, _ := startService(t, filepath.Join("testdata", "consents"))
	body, err := os.ReadFile(filepath.Join("testdata", "requests", "permit.json"))
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	loaderDone := make(chan int)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				loaderDone <- n
				return
			default:
				if err := svc.load(); err != nil {
					t.Error(err)
				}
				n++
			}
		}
	}()
	var clients sync.WaitGroup
	var mu sync.Mutex
	bad, total := 0, 0
	for range 4 {
		clients.Add(1)
		go func() {
			defer clients.Done()
			for range 50 {
				resp, err := http.Post(srv.URL+consultPath, "application/json", bytes.NewReader(body))
				ok := err == nil
				if ok {
					var cb cardsBody
					err = json.NewDecoder(resp.Body).Decode(&cb)
					resp.Body.Close()
					ok = err == nil && resp.StatusCode == 200 && len(cb.Cards) == 1 && cb.Cards[0].Extension.Decision == "CONSENT_PERMIT"
				}
				mu.Lock()
				total++
				if !ok {
					bad++
				}
				mu.Unlock()
			}
		}()
	}
	clients.Wait()
	close(stop)
	reloads := <-loaderDone
	if bad > 0 || total != 200 || reloads < 2 {
		t.Errorf("%d of %d requests failed during %d reloads", bad, total, reloads)
	}
}

// TestRunServesAndShutsDown starts the command itself on a loopback port, asks it over
// HTTP, and stops it as SIGTERM would: run returns without error.
func TestRunServesAndShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	logs := &syncBuffer{}
	go func() {
		errc <- run(ctx, []string{"-addr", "127.0.0.1:0", "-consents", filepath.Join("testdata", "consents"), "-discloser", testDiscloser, "-assume-statements"}, logs, nil, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-errc:
		t.Fatalf("run: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("not ready")
	}
	// The real clock: the test consents run to 2030.
	_, cb, raw := consultFile(t, "http://"+addr, "permit.json")
	if len(cb.Cards) != 1 || cb.Cards[0].Extension.Decision != "CONSENT_PERMIT" {
		t.Errorf("answer %s", raw)
	}
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no shutdown")
	}
	if !strings.Contains(logs.String(), "shutting down") {
		t.Errorf("log:\n%s", logs)
	}
}

func TestFlags(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"-consents", "x"},
		{"-consents", "x", "-discloser", "a b"},
		{"-consents", "x", "-discloser", "p", "-recipient-kind", "friend"},
		{"-consents", "x", "-discloser", "p", "-zone", "Mars/Olympus"},
		{"-consents", "x", "-discloser", "p", "extra"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	if err := run(context.Background(), []string{"-consents", filepath.Join(t.TempDir(), "none"), "-discloser", "p"}, io.Discard, nil, nil); err == nil {
		t.Error("a folder that does not exist was accepted")
	}
}
