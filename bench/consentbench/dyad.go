package consentbench

import (
	"errors"
	"fmt"
	"slices"

	"github.com/dyad-health/dyad/consent"
)

// ErrUnknownCode reports a code the consent package does not know in a generated value: a
// bug in the generator, never a reason to deny.
var ErrUnknownCode = errors.New("consentbench: code unknown to the consent package")

// DyadConsent converts a consent to the consent package's value, complete with what a
// written consent must also carry to conform to 42 CFR 2.31(a) (signer, description,
// statements), so that only the six rules decide.
func DyadConsent(c Consent) (consent.Consent, error) {
	var errs []error
	code := func(what, s string, ok bool) {
		if !ok {
			errs = append(errs, fmt.Errorf("%w: consent %s: %s %q", ErrUnknownCode, c.ID, what, s))
		}
	}
	kind, ok := consent.ParseKind(c.Kind)
	code("kind", c.Kind, ok)
	out := consent.Consent{
		ID:                     c.ID,
		Patient:                consent.Identifier{Value: c.Patient},
		Kind:                   kind,
		Disclosers:             local(c.Disclosers...),
		InformationDescription: "SUD diagnosis, medications and treatment plan",
		SignedAt:               c.SignedAt,
		Signer:                 consent.SignerPatient,
		Statements:             consent.Statements{Revocation: true, Redisclosure: true, RefusalConsequences: true},
		RevokedAt:              c.RevokedAt,
	}
	for _, id := range local(c.Recipients...) {
		out.Recipients = append(out.Recipients, consent.Recipient{ID: id})
	}
	for _, s := range c.Designations {
		d, ok := consent.ParseDesignation(s)
		code("designation", s, ok)
		out.Recipients = append(out.Recipients, consent.Recipient{Designation: d})
	}
	for _, s := range c.Purposes {
		p, ok := consent.ParsePurpose(s)
		code("purpose", s, ok)
		out.Purposes = append(out.Purposes, p)
	}
	for _, s := range c.Information {
		k, ok := consent.ParseInfoKind(s)
		code("information", s, ok)
		out.Information = append(out.Information, k)
	}
	if c.Expires.IsZero() {
		out.Expires = consent.Expiry{None: true}
	} else {
		out.Expires = consent.Expiry{At: c.Expires}
	}
	return out, errors.Join(errs...)
}

// local converts identifiers without a system (the neutral form has none).
func local(values ...string) []consent.Identifier {
	out := make([]consent.Identifier, len(values))
	for i, v := range values {
		out[i] = consent.Identifier{Value: v}
	}
	return out
}

// NewDyadEngine converts the consents and compiles them into a consent.Engine (no QSO
// agreements: none of the six rules needs one). This is the application's set-up, done once
// before any timing, like NewCedarEngine's.
func NewDyadEngine(consents []Consent) (*DyadEngine, error) {
	cs := make([]consent.Consent, 0, len(consents))
	var errs []error
	for _, c := range consents {
		dc, err := DyadConsent(c)
		if err != nil {
			errs = append(errs, err)
		}
		cs = append(cs, dc)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	e, err := consent.Compile(cs, nil)
	if err != nil {
		return nil, err
	}
	return &DyadEngine{Engine: e}, nil
}

// DyadDecision converts a consent.Decision to the neutral form.
func DyadDecision(d consent.Decision) Decision {
	if !d.Permit {
		return Decision{}
	}
	out := Decision{Permit: true}
	switch d.Basis.Kind {
	case consent.BasisKindConsent:
		out.Basis = "consent:" + d.Basis.Consent
	default:
		out.Basis = d.Basis.Section
	}
	for _, o := range d.Obligations() {
		out.Obligations = append(out.Obligations, o.Code.String())
	}
	slices.Sort(out.Obligations)
	out.Obligations = slices.Compact(out.Obligations)
	return out
}
