package main

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/consent/fhir"
	"github.com/dyad-health/dyad/internal/jsonin"
)

// hookID is the one hook this service answers.
const hookID = "patient-consent-consult"

// hookRequest is a CDS Hooks request of the patient-consent-consult hook. Members CDS Hooks
// defines for every request are accepted (and not read); any other member is refused.
type hookRequest struct {
	Hook              string          `json:"hook"`
	HookInstance      string          `json:"hookInstance"`
	FHIRServer        string          `json:"fhirServer,omitempty"`
	FHIRAuthorization json.RawMessage `json:"fhirAuthorization,omitempty"`
	Context           *hookContext    `json:"context"`
	Prefetch          json.RawMessage `json:"prefetch,omitempty"`
	Extension         json.RawMessage `json:"extension,omitempty"`
}

// hookContext is the hook's context, as LEAP CDS clients send it.
type hookContext struct {
	PatientID    []systemValue   `json:"patientId"`
	Actor        []systemValue   `json:"actor"`
	PurposeOfUse fhir.Purposes   `json:"purposeOfUse"`
	Scope        string          `json:"scope"`
	Category     []systemCode    `json:"category"`
	Class        []systemCode    `json:"class"`
	Content      json.RawMessage `json:"content"`
}

type systemValue struct {
	System string `json:"system"`
	Value  string `json:"value"`
}

type systemCode struct {
	System string `json:"system"`
	Code   string `json:"code"`
}

// problem is one fault of a request, as the 400 body lists it.
type problem struct {
	Code    string `json:"code"`
	Path    string `json:"path"`
	Message string `json:"message"`
}

// errorBody is the body of a 4xx answer.
type errorBody struct {
	Error        string    `json:"error"`
	ErrorMessage string    `json:"errorMessage"`
	Problems     []problem `json:"problems"`
}

// Problem codes of the request checks (besides those of the JSON reader and of consent/fhir).
const (
	codeMissing      = "missing_field"
	codeInvalid      = "invalid_value"
	codeNotSupported = "not_supported"
)

// privacyCategories are the consent categories of privacy consents: a category filter that
// holds none of them asks about consents this service does not decide.
var privacyCategories = []systemCode{
	{fhir.SystemConsentScope, fhir.ScopePatientPrivacy},
	{fhir.SystemLOINC, fhir.CategoryLOINCConsent},
	{fhir.SystemLOINC, fhir.CategoryLOINCReleaseOfInformation},
	{fhir.SystemActCode, fhir.Category42CFRPart2CD},
}

// check lists what makes the request impossible to judge, each with the path of its field.
func (r *hookRequest) check() []problem {
	var ps []problem
	add := func(code, path, msg string) { ps = append(ps, problem{code, path, msg}) }
	if r.Hook != hookID {
		add(codeInvalid, "hook", "The hook must be patient-consent-consult.")
	}
	if r.HookInstance == "" {
		add(codeMissing, "hookInstance", "The hook instance is required.")
	}
	c := r.Context
	if c == nil {
		add(codeMissing, "context", "The context is required.")
		return ps
	}
	if len(c.PatientID) == 0 {
		add(codeMissing, "context.patientId", "At least one patient identifier is required.")
	}
	for i, id := range c.PatientID {
		if id.Value == "" {
			add(codeMissing, idx("context.patientId", i)+".value", "A patient identifier needs a value.")
		}
	}
	if len(c.Actor) == 0 {
		add(codeMissing, "context.actor", "At least one identifier of the actor is required.")
	}
	for i, id := range c.Actor {
		if id.Value == "" {
			add(codeMissing, idx("context.actor", i)+".value", "An actor identifier needs a value.")
		}
	}
	if len(c.PurposeOfUse) == 0 {
		add(codeMissing, "context.purposeOfUse", "A purpose of use is required: a Part 2 disclosure is judged for a purpose.")
	}
	for i, p := range c.PurposeOfUse {
		if p == "" {
			add(codeMissing, idx("context.purposeOfUse", i), "A purpose of use needs a code.")
		}
	}
	if c.Scope != "" && c.Scope != fhir.ScopePatientPrivacy {
		add(codeNotSupported, "context.scope", "This service decides patient-privacy consents only.")
	}
	if len(c.Category) > 0 && !slices.ContainsFunc(c.Category, func(sc systemCode) bool { return slices.Contains(privacyCategories, sc) }) {
		add(codeNotSupported, "context.category", "This service decides privacy consents only (consentscope patient-privacy, LOINC 59284-0 or 64292-6, v3 ActCode 42CFRPart2CD).")
	}
	for i, cl := range c.Class {
		if cl.System == "" || cl.Code == "" {
			add(codeMissing, idx("context.class", i), "A class needs a system and a code.")
		}
	}
	if len(c.Content) > 0 {
		add(codeNotSupported, "context.content", "This service decides; it does not filter or redact content.")
	}
	return ps
}

func idx(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func (s *service) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /cds-services", s.discovery)
	mux.HandleFunc("POST /cds-services/"+hookID, s.consult)
	mux.HandleFunc("GET /healthz", s.health)
	return mux
}

// discovery answers CDS Hooks discovery.
func (s *service) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"services": []map[string]any{{
		"id":          hookID,
		"hook":        hookID,
		"title":       "Patient Consent Consult (42 CFR Part 2)",
		"description": "Decides whether this program may disclose a patient's substance use disorder records to an actor for a purpose now, under the patient's FHIR consents and 42 CFR Part 2; answers CONSENT_PERMIT, CONSENT_DENY or NO_CONSENT with obligations and reasons.",
	}}})
}

func (s *service) health(w http.ResponseWriter, _ *http.Request) {
	snap := s.cur.Load()
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "files": snap.files, "not_used": snap.refused, "loaded": snap.loaded.UTC().Format(time.RFC3339)})
}

// consult answers the patient-consent-consult hook.
func (s *service) consult(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	seq := s.seq.Add(1)
	snap := s.cur.Load() // one engine for the whole request, whatever a reload does meanwhile
	status, answer := s.answer(w, r, snap)
	s.log.Printf("consult %d: %d %s in %s", seq, status, answer, time.Since(start).Round(time.Microsecond))
}

func (s *service) answer(w http.ResponseWriter, r *http.Request, snap *snapshot) (int, string) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeJSON(w, http.StatusRequestEntityTooLarge, errorBody{Error: "request_too_large", ErrorMessage: "The request body is larger than the service accepts.",
				Problems: []problem{{jsonin.CodeTooLarge, "", "The request body is larger than the service accepts."}}})
			return http.StatusRequestEntityTooLarge, "-"
		}
		writeJSON(w, http.StatusBadRequest, errorBody{Error: "bad_request", ErrorMessage: "The request body could not be read.",
			Problems: []problem{{codeInvalid, "", "The request body could not be read."}}})
		return http.StatusBadRequest, "-"
	}
	var req hookRequest
	if err := jsonin.Decode(body, &req, jsonin.Options{MaxBytes: int(s.cfg.maxBody), MaxDepth: 32}); err != nil {
		return badRequest(w, fromJSON(err))
	}
	if ps := req.check(); len(ps) > 0 {
		return badRequest(w, ps)
	}
	c := req.Context
	ctx := fhir.ConsultContext{PurposeOfUse: c.PurposeOfUse}
	for _, id := range c.PatientID {
		ctx.PatientID = append(ctx.PatientID, fhir.Identifier{System: id.System, Value: id.Value})
	}
	for _, id := range c.Actor {
		ctx.Actor = append(ctx.Actor, fhir.Identifier{System: id.System, Value: id.Value})
	}
	for _, cl := range c.Class {
		ctx.Class = append(ctx.Class, fhir.Coding{System: cl.System, Code: cl.Code})
	}
	q := fhir.Query{
		Discloser:     s.cfg.discloser,
		RecipientKind: s.cfg.recipientKind,
		At:            s.now(),
		Information:   []consent.InfoKind{consent.InfoKindSUDRecords},
		PatientSystem: s.cfg.patientSystem,
		ActorSystem:   s.cfg.actorSystem,
	}
	res, err := snap.engine.Consult(q, ctx)
	if err != nil {
		var me *fhir.MappingError
		if !errors.As(err, &me) {
			return badRequest(w, []problem{{codeInvalid, "context", "The context cannot be judged."}})
		}
		var ps []problem
		for _, p := range me.Problems {
			ps = append(ps, problem{string(p.Code), p.Path, p.Message})
		}
		return badRequest(w, ps)
	}
	writeJSON(w, http.StatusOK, map[string]any{"cards": []card{s.card(snap.engine, res)}})
	return http.StatusOK, string(res.Answer)
}

func badRequest(w http.ResponseWriter, ps []problem) (int, string) {
	fields := make([]string, 0, len(ps))
	for _, p := range ps {
		if p.Path != "" && !slices.Contains(fields, p.Path) {
			fields = append(fields, p.Path)
		}
	}
	msg := "The request cannot be judged"
	if len(fields) > 0 {
		msg += ": " + strings.Join(fields, ", ")
	}
	writeJSON(w, http.StatusBadRequest, errorBody{Error: "bad_request", ErrorMessage: msg + ".", Problems: ps})
	return http.StatusBadRequest, "-"
}

// fromJSON lists the problems of the JSON reader (codes and paths, never the input's text).
func fromJSON(err error) []problem {
	var je *jsonin.Error
	if !errors.As(err, &je) {
		return []problem{{codeInvalid, "", "The request is not JSON the hook defines."}}
	}
	ps := make([]problem, len(je.Problems))
	for i, p := range je.Problems {
		ps[i] = problem{p.Code, p.Path, p.Message}
	}
	return ps
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"internal_error","errorMessage":"The answer could not be written."}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
