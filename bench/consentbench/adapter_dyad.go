package consentbench

// This file is everything an application holding dyad's consent engine does per request,
// and nothing else: the benchmarks time exactly DyadEngine.Decide on dyad's side, as they
// time CedarEngine.Decide (adapter_cedar.go) on Cedar's. When the consent package's API
// changes, this is the file to adapt.

import (
	"errors"
	"fmt"

	"github.com/dyad-health/dyad/consent"
)

// DyadEngine is dyad's compiled consent engine answering the benchmark's requests.
type DyadEngine struct {
	// Engine is the compiled engine.
	Engine *consent.Engine
}

// Decide answers a request as an application holding dyad does: it builds a
// consent.Request from its own request (parsing the recipient kind, purpose and information
// codes) and asks the engine, whose answer is the full consent.Decision: outcome, basis,
// obligations, citations and, on a deny, every reason.
func (e *DyadEngine) Decide(r *Request) (consent.Decision, error) {
	var info [4]consent.InfoKind // room for every request the generator makes
	q, err := dyadRequest(r, info[:0])
	if err != nil {
		return consent.Decision{}, err
	}
	return e.Engine.Decide(q), nil
}

// DyadRequest converts a request to the consent package's value.
func DyadRequest(r Request) (consent.Request, error) {
	return dyadRequest(&r, nil)
}

// dyadRequest converts r, appending its information kinds to info.
func dyadRequest(r *Request, info []consent.InfoKind) (consent.Request, error) {
	rk, ok := consent.ParseRecipientKind(r.RecipientKind)
	p, okp := consent.ParsePurpose(r.Purpose)
	ok = ok && okp
	for _, s := range r.Information {
		k, oki := consent.ParseInfoKind(s)
		ok = ok && oki
		info = append(info, k)
	}
	if !ok {
		return consent.Request{}, unknownCodes(r)
	}
	return consent.Request{
		Patient:     consent.Identifier{Value: r.Patient},
		Discloser:   consent.Identifier{Value: r.Discloser},
		Recipient:   consent.Party{ID: consent.Identifier{Value: r.RecipientID}, Kind: rk},
		Purpose:     p,
		Information: info,
		At:          r.At,
		Facts:       consent.Facts{Emergency: r.Emergency},
	}, nil
}

// unknownCodes lists the codes of r the consent package does not know: a bug in the
// generator, never a reason to deny.
func unknownCodes(r *Request) error {
	var errs []error
	if _, ok := consent.ParseRecipientKind(r.RecipientKind); !ok {
		errs = append(errs, fmt.Errorf("%w: recipient kind %q", ErrUnknownCode, r.RecipientKind))
	}
	if _, ok := consent.ParsePurpose(r.Purpose); !ok {
		errs = append(errs, fmt.Errorf("%w: purpose %q", ErrUnknownCode, r.Purpose))
	}
	for _, s := range r.Information {
		if _, ok := consent.ParseInfoKind(s); !ok {
			errs = append(errs, fmt.Errorf("%w: information %q", ErrUnknownCode, s))
		}
	}
	return errors.Join(errs...)
}
