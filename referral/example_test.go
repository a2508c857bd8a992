package referral_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/referral"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// An Early Intervention referral of an infant, due 7 days after identification, tracked
// until the partner accepts it.
func Example() {
	identified := at("2026-05-10T15:30:00Z")
	r, err := referral.New(referral.Draft{ID: "R-EI-1", Patient: "I1", Subject: referral.SubjectInfant,
		Program: "prog-1", Partner: "ei-1", PartnerKind: referral.PartnerEarlyIntervention,
		SUD: referral.SUDNone}, identified.Add(time.Hour), "staff-7")
	if err != nil {
		panic(err)
	}
	_ = r.AddDue(referral.DueEarlyIntervention(identified, "I1"), identified.Add(time.Hour), "staff-7")

	for _, d := range r.Deadlines(nil, at("2026-05-18T00:00:00Z")) {
		fmt.Println(d.Rule, d.Milestone, d.Due.Format(time.RFC3339), d.State)
	}
	_ = r.Send(at("2026-05-18T09:00:00Z"), "staff-7")
	_ = r.Transition(referral.StatusAccepted, at("2026-05-19T09:00:00Z"), "ei-1", "")
	for _, d := range r.Deadlines(nil, at("2026-05-20T00:00:00Z")) {
		fmt.Println(d.Rule, d.Milestone, d.State)
	}
	fmt.Println(r)
	// Output:
	// early_intervention sent 2026-05-17T15:30:00Z overdue
	// early_intervention sent met_late
	// referral "R-EI-1" (early_intervention) accepted
}

// The consent gate with the consent engine: a referral carrying SUD information goes out
// only on a recorded permit, with its obligations; after the patient revokes the consent,
// a new referral cannot be sent.
func ExampleReferral_Gate() {
	var c consent.Consent
	_ = json.Unmarshal([]byte(`{"id": "c1", "patient": "W1", "kind": "tpo", "disclosers": ["prog-1"],
	  "recipients": [{"designation": "treating_providers"}, {"designation": "health_plans"},
	                 {"designation": "third_party_payers"}, {"designation": "program_operations"}],
	  "purposes": ["treatment", "payment", "operations"], "information": ["sud_records"],
	  "information_description": "opioid use disorder treatment",
	  "expires": {"at": "2027-01-01T00:00:00Z"}, "signed_at": "2026-02-01T09:00:00Z", "signer": "patient",
	  "statements": {"revocation": true, "redisclosure": true, "refusal_consequences": true}}`), &c)
	engine, _ := consent.Compile([]consent.Consent{c}, nil)

	r, _ := referral.New(referral.Draft{ID: "R1", Patient: "W1", Subject: referral.SubjectWoman,
		Program: "prog-1", Partner: "ob-1", PartnerKind: referral.PartnerPrenatalCare,
		SUD: referral.SUDCarries}, at("2026-03-02T09:00:00Z"), "staff-7")
	err := r.Send(at("2026-03-02T09:05:00Z"), "staff-7")
	fmt.Println(errors.Is(err, referral.ErrConsentRequired), err)

	req := r.ConsentRequest(consent.RecipientKindCoveredEntity, consent.PurposeTreatment, "", at("2026-03-02T09:10:00Z"))
	rec, _ := r.AskConsent(engine, req, nil, "staff-7")
	fmt.Println(rec.Permit, rec.Basis)
	fmt.Println(r.Send(at("2026-03-02T09:15:00Z"), "staff-7"), r.Status())
	for _, o := range r.Obligations() {
		if o.Code == "notice_2_32" {
			fmt.Println("travels with it:", o.Code, o.Cite)
		}
	}
	// Output:
	// true referral "R1": consent gate closed: consent_missing
	// true consent:c1
	// <nil> requested
	// travels with it: notice_2_32 42 CFR 2.32(a)
}

// Closed-loop measures over a set of referrals, by partner kind.
func ExampleMeasure() {
	var refs []*referral.Referral
	for i, kind := range []referral.PartnerKind{referral.PartnerPrenatalCare, referral.PartnerPrenatalCare} {
		r, _ := referral.New(referral.Draft{ID: fmt.Sprint("R", i), Patient: "W1", Subject: referral.SubjectWoman,
			Program: "prog-1", Partner: "ob-1", PartnerKind: kind, SUD: referral.SUDNone}, at("2026-01-05T09:00:00Z"), "staff-7")
		_ = r.Send(at("2026-01-05T10:00:00Z"), "staff-7")
		_ = r.Transition(referral.StatusAccepted, at("2026-01-05T10:00:00Z").Add(time.Duration(24*(i+1))*time.Hour), "ob-1", "")
		refs = append(refs, r)
	}
	_ = refs[0].Transition(referral.StatusInProgress, at("2026-01-08T10:00:00Z"), "ob-1", "")
	_ = refs[0].Transition(referral.StatusCompleted, at("2026-01-15T10:00:00Z"), "ob-1", "")
	for _, m := range referral.Measure(refs, nil, referral.MeasureOptions{At: at("2026-02-01T00:00:00Z"), ByKind: true}) {
		fmt.Println(m.Kind, m.Sent, m.Completed, m.ShareCompleted, m.MedianToAcceptance, m.MedianToCompletion)
	}
	// Output:
	// prenatal_care 2 1 0.5 36h0m0s 240h0m0s
}

// A referral as a FHIR R4 Task and ServiceRequest.
func ExampleToFHIR() {
	r, _ := referral.New(referral.Draft{ID: "R1", Patient: "W1", Subject: referral.SubjectWoman,
		Program: "prog-1", Partner: "ob-1", PartnerKind: referral.PartnerPrenatalCare,
		SUD: referral.SUDNone}, at("2026-03-02T09:00:00Z"), "staff-7")
	_ = r.Send(at("2026-03-02T10:00:00Z"), "staff-7")
	pair, _ := referral.ToFHIR(r, referral.FHIROptions{})
	fmt.Println(string(pair.ServiceRequest))
	// Output:
	// {"resourceType":"ServiceRequest","id":"R1","identifier":[{"value":"R1"}],"status":"active","intent":"order","category":[{"coding":[{"system":"http://snomed.info/sct","code":"3457005","display":"Patient referral"}]}],"code":{"coding":[{"system":"urn:dyad:referral:partner-kind","code":"prenatal_care"}]},"subject":{"reference":"Patient/W1"},"authoredOn":"2026-03-02T09:00:00Z","requester":{"reference":"Organization/prog-1"},"performer":[{"reference":"Organization/ob-1"}]}
}

// Every legal next status of an accepted referral.
func ExampleNext() {
	fmt.Println(referral.Next(referral.StatusAccepted))
	// Output:
	// [cancelled in_progress failed entered_in_error]
}

// Save a referral's event log, and read it back: a log cut short or altered is refused.
func ExampleReferral_Log() {
	r, _ := referral.New(referral.Draft{ID: "R1", Patient: "W1", Subject: referral.SubjectWoman,
		Program: "prog-1", Partner: "ob-1", PartnerKind: referral.PartnerPrenatalCare,
		SUD: referral.SUDNone}, at("2026-03-02T09:00:00Z"), "staff-7")
	_ = r.Send(at("2026-03-02T10:00:00Z"), "staff-7")
	_ = r.Transition(referral.StatusAccepted, at("2026-03-03T10:00:00Z"), "ob-1", "")
	saved, _ := json.Marshal(r.Log())

	back, err := referral.DecodeEvents(saved)
	fmt.Println(back.Status(), back.Head() == r.Head(), err)

	// The same file cut after its second event.
	l := r.Log()
	l.Events = l.Events[:2]
	cut, _ := json.Marshal(l)
	_, err = referral.DecodeEvents(cut)
	var ve *referral.ValidationError
	if errors.As(err, &ve) {
		fmt.Println(ve.Codes())
	}
	// Output:
	// accepted true <nil>
	// [log_truncated]
}
