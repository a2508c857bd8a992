package referral

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestToFHIR(t *testing.T) {
	r := mustNew(t, sudDraft(), date("2026-03-02T09:00:00Z"))
	c := ConsentRecord{Permit: true, Basis: "consent:c1", ConsentID: "c1", Patient: "W1", Discloser: "prog-1",
		Recipient: "ob-1", DecidedAt: date("2026-03-02T09:30:00Z"),
		Obligations: []Obligation{{Code: "notice_2_32", Cite: "42 CFR 2.32"}, {Code: "record_disclosure", Cite: "42 CFR 2.25"}}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(r.RecordConsent(c, date("2026-03-02T09:30:00Z"), "staff-1"))
	must(r.AddDue(Due{Rule: RuleInterimPrenatal, Milestone: MilestoneSent, At: date("2026-03-04T09:00:00Z"), Cite: CiteInterimPrenatal}, date("2026-03-02T09:30:00Z"), "staff-1"))
	must(r.Send(date("2026-03-02T10:00:00Z"), "staff-1"))
	must(r.Transition(StatusAccepted, date("2026-03-03T10:00:00Z"), "ob-1", ""))
	must(r.Transition(StatusInProgress, date("2026-03-05T10:00:00Z"), "ob-1", "first_visit"))
	pair, err := ToFHIR(r, FHIROptions{IdentifierSystem: "urn:example:referrals"})
	must(err)
	security := `[{"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"R","display":"restricted"},
	  {"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"ETH","display":"substance abuse information sensitivity"},
	  {"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"42CFRPart2"}]`
	wantTask := `{"resourceType":"Task","id":"R1-task","meta":{"security":` + security + `},
	  "identifier":[{"system":"urn:example:referrals","value":"R1"}],
	  "basedOn":[{"reference":"ServiceRequest/R1"}],"status":"in-progress",
	  "statusReason":{"coding":[{"system":"urn:dyad:referral:reason","code":"first_visit"}]},
	  "intent":"order","code":{"coding":[{"system":"http://hl7.org/fhir/CodeSystem/task-code","code":"fulfill"}]},
	  "focus":{"reference":"ServiceRequest/R1"},"for":{"reference":"Patient/W1"},
	  "executionPeriod":{"start":"2026-03-05T10:00:00Z"},
	  "authoredOn":"2026-03-02T09:00:00Z","lastModified":"2026-03-05T10:00:00Z",
	  "requester":{"reference":"Organization/prog-1"},"owner":{"reference":"Organization/ob-1"},
	  "restriction":{"period":{"end":"2026-03-04T09:00:00Z"}},
	  "input":[{"type":{"coding":[{"system":"urn:dyad:referral:input","code":"obligation"}]},"valueCoding":{"system":"urn:dyad:consent:obligation","code":"notice_2_32"}},
	           {"type":{"coding":[{"system":"urn:dyad:referral:input","code":"obligation"}]},"valueCoding":{"system":"urn:dyad:consent:obligation","code":"record_disclosure"}}]}`
	wantSR := `{"resourceType":"ServiceRequest","id":"R1","meta":{"security":` + security + `},
	  "identifier":[{"system":"urn:example:referrals","value":"R1"}],"status":"active","intent":"order",
	  "category":[{"coding":[{"system":"http://snomed.info/sct","code":"3457005","display":"Patient referral"}]}],
	  "code":{"coding":[{"system":"urn:dyad:referral:partner-kind","code":"prenatal_care"}]},
	  "subject":{"reference":"Patient/W1"},"authoredOn":"2026-03-02T09:00:00Z",
	  "requester":{"reference":"Organization/prog-1"},"performer":[{"reference":"Organization/ob-1"}]}`
	jsonEqual(t, "Task", wantTask, pair.Task)
	jsonEqual(t, "ServiceRequest", wantSR, pair.ServiceRequest)
	b, err := json.Marshal(pair)
	must(err)
	jsonEqual(t, "Bundle", `{"resourceType":"Bundle","type":"collection","entry":[{"resource":`+wantTask+`},{"resource":`+wantSR+`}]}`, b)
}

func jsonEqual(t *testing.T, what, want string, got []byte) {
	t.Helper()
	var w, g any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: bad want: %v", what, err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: bad JSON: %v", what, err)
	}
	if d := cmp.Diff(w, g); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

func TestServiceRequestStatus(t *testing.T) {
	want := map[Status]string{StatusDraft: "draft", StatusRequested: "active", StatusReceived: "active",
		StatusAccepted: "active", StatusRejected: "revoked", StatusReady: "active", StatusCancelled: "revoked",
		StatusInProgress: "active", StatusOnHold: "on-hold", StatusFailed: "revoked", StatusCompleted: "completed",
		StatusEnteredInError: "entered-in-error", StatusUnknown: "unknown"}
	for s, w := range want {
		if got := serviceRequestStatus(s); got != w {
			t.Errorf("%v: %q, want %q", s, got, w)
		}
	}
}

func TestToFHIRNoSUDAndIdentifiers(t *testing.T) {
	d := draftNone("R2", PartnerChildCare)
	d.Patient = "mrn:123#4"
	r := mustNew(t, d, t0)
	walk(t, r, t0, StatusRequested, StatusAccepted, StatusInProgress, StatusFailed)
	pair, err := ToFHIR(r, FHIROptions{})
	if err != nil {
		t.Fatal(err)
	}
	var task map[string]any
	_ = json.Unmarshal(pair.Task, &task)
	if _, ok := task["meta"]; ok {
		t.Error("SUD labels on a referral without SUD information")
	}
	if d := cmp.Diff(map[string]any{"type": "Patient", "identifier": map[string]any{"value": "mrn:123#4"}}, task["for"]); d != "" {
		t.Errorf("patient reference: %s", d)
	}
	if d := cmp.Diff(map[string]any{"start": "2026-03-02T12:00:00Z", "end": "2026-03-02T13:00:00Z"}, task["executionPeriod"]); d != "" {
		t.Errorf("execution period: %s", d)
	}
	bad := mustNew(t, draftNone("R_3", PartnerChildCare), t0)
	if _, err := ToFHIR(bad, FHIROptions{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("non-FHIR id: %v", err)
	}
	if _, err := ToFHIR(&Referral{}, FHIROptions{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty referral: %v", err)
	}
}
