package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// FuzzConsult posts arbitrary bodies to the hook: the service never panics, answers 200 (a
// card with a decision), 400 (problems each with a code and a message) or 413, always in
// JSON.
func FuzzConsult(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "requests", "*.json"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"hook":"patient-consent-consult","hookInstance":"h","context":{"patientId":[{"value":"p"}],"actor":[{"value":"a"}],"purposeOfUse":[]}}`))
	_, svc, _ := startService(f, filepath.Join("testdata", "consents"))
	h := svc.handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, consultPath, bytes.NewReader(body)))
		switch rec.Code {
		case http.StatusOK:
			var cb cardsBody
			if err := json.Unmarshal(rec.Body.Bytes(), &cb); err != nil || len(cb.Cards) != 1 || cb.Cards[0].Extension.Decision == "" {
				t.Fatalf("200 without a card: %s", rec.Body)
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			var eb errorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &eb); err != nil || len(eb.Problems) == 0 {
				t.Fatalf("%d without problems: %s", rec.Code, rec.Body)
			}
			for _, p := range eb.Problems {
				if p.Code == "" || p.Message == "" {
					t.Fatalf("incomplete problem %+v", p)
				}
			}
		default:
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	})
}
