package referral

import (
	"bytes"
	"encoding/json"
	"slices"
	"time"
)

// referralJSON is a referral's JSON form: a snapshot of what its events make of it, for
// readers, and the events themselves, which are the truth.
type referralJSON struct {
	ID          string         `json:"id"`
	Patient     string         `json:"patient"`
	Subject     Subject        `json:"subject"`
	Program     string         `json:"program"`
	Partner     string         `json:"partner"`
	PartnerKind PartnerKind    `json:"partner_kind"`
	SUD         SUDContent     `json:"sud,omitzero"`
	Status      Status         `json:"status"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	Consent     *ConsentRecord `json:"consent,omitempty"`
	Dues        []Due          `json:"dues,omitempty"`
	Events      []Event        `json:"events"`
}

// MarshalJSON encodes the referral as a snapshot (id, patient, subject, program, partner,
// partner_kind, sud, status, created_at, updated_at, consent, dues) and its events.
func (r *Referral) MarshalJSON() ([]byte, error) {
	j := referralJSON{ID: r.draft.ID, Patient: r.draft.Patient, Subject: r.draft.Subject,
		Program: r.draft.Program, Partner: r.draft.Partner, PartnerKind: r.draft.PartnerKind,
		SUD: r.draft.SUD, Status: r.status, CreatedAt: r.created, UpdatedAt: r.updated,
		Consent: r.consent, Dues: r.dues, Events: r.events}
	if j.Events == nil {
		j.Events = []Event{}
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes a referral strictly (unknown fields are an error), rebuilds it from
// its events (Rebuild), and checks that the snapshot fields agree with what the events make;
// a disagreement wraps ErrInconsistent.
func (r *Referral) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var j referralJSON
	if err := dec.Decode(&j); err != nil {
		return err
	}
	got, err := Rebuild(j.Events)
	if err != nil {
		return err
	}
	ps := problems{what: "referral snapshot"}
	check := func(ok bool, field string) {
		if !ok {
			ps.add("snapshot_mismatch", field, "", "The snapshot field disagrees with the referral's events.")
		}
	}
	d := got.draft
	check(j.ID == d.ID, "id")
	check(j.Patient == d.Patient, "patient")
	check(j.Subject == d.Subject, "subject")
	check(j.Program == d.Program, "program")
	check(j.Partner == d.Partner, "partner")
	check(j.PartnerKind == d.PartnerKind, "partner_kind")
	check(j.SUD == d.SUD, "sud")
	check(j.Status == got.status, "status")
	check(j.CreatedAt.Equal(got.created), "created_at")
	check(j.UpdatedAt.Equal(got.updated), "updated_at")
	check((j.Consent == nil) == (got.consent == nil) && (j.Consent == nil || consentEqual(*j.Consent, *got.consent)), "consent")
	check(slices.EqualFunc(j.Dues, got.dues, dueEqual), "dues")
	if err := ps.err(); err != nil {
		return &inconsistentError{err.(*ValidationError)}
	}
	*r = *got
	return nil
}

type inconsistentError struct{ *ValidationError }

// Is reports whether target is ErrInconsistent or ErrInvalid.
func (e *inconsistentError) Is(target error) bool {
	return target == ErrInconsistent || target == ErrInvalid
}

// Unwrap returns the *ValidationError listing the disagreeing fields.
func (e *inconsistentError) Unwrap() error { return e.ValidationError }

func dueEqual(a, b Due) bool {
	return a.Rule == b.Rule && a.Milestone == b.Milestone && a.At.Equal(b.At) && a.Cite == b.Cite && a.Source == b.Source
}

func consentEqual(a, b ConsentRecord) bool {
	return a.Permit == b.Permit && a.Basis == b.Basis && a.ConsentID == b.ConsentID && a.QSOAID == b.QSOAID &&
		a.Patient == b.Patient && a.Discloser == b.Discloser && a.Recipient == b.Recipient &&
		a.DecidedAt.Equal(b.DecidedAt) && a.Edition == b.Edition && slices.Equal(a.Cites, b.Cites) &&
		slices.Equal(a.Reasons, b.Reasons) && slices.Equal(a.Obligations, b.Obligations)
}

// DecodeReferral decodes one referral's JSON strictly, as Referral.UnmarshalJSON.
func DecodeReferral(b []byte) (*Referral, error) {
	r := &Referral{}
	if err := r.UnmarshalJSON(b); err != nil {
		return nil, err
	}
	return r, nil
}

// DecodeEvents decodes a JSON array of events strictly (unknown fields are an error) and
// rebuilds the referral they make.
func DecodeEvents(b []byte) (*Referral, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var es []Event
	if err := dec.Decode(&es); err != nil {
		return nil, err
	}
	return Rebuild(es)
}
