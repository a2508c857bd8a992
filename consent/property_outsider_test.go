package consent_test

import (
	"slices"
	"testing"
	"time"

	"github.com/dyad-health/dyad/consent"
)

// Outsider properties (qa3): monotonicity of the engine under changes a patient or a program
// may make, checked on the differential generator's worlds with every Policy option drawn,
// the two options added by the QA fixes (HIPAARedisclosureAfterConsentEnds,
// PayerExclusionSparesTreatingProviders) included. Each says: this change never turns a
// deny into a permit.

// outsiderCase runs f on n random worlds (every policy option drawn) and a few requests each.
func outsiderCase(t *testing.T, seed uint64, n int, f func(w world, r consent.Request)) {
	t.Helper()
	g := propertyGen(seed)
	if testing.Short() {
		n /= 10
	}
	for range n {
		w := g.world(t)
		w.policy.HIPAARedisclosureAfterConsentEnds = g.one(2)
		w.policy.PayerExclusionSparesTreatingProviders = g.one(2)
		w.engine = compileOrFail(t, w.policy, w.consents, w.agreements)
		for range 6 {
			f(w, g.request(w.consents, w.agreements))
		}
	}
}

// narrowings are changes to one consent that only take away: an exclusion added (of the
// request's recipient or its holder, by identifier or by class: 2.31(a)(4) "not to X" is a
// refusal), a purpose, a kind of information or a recipient entry removed (2.31(a)(3),
// (a)(4), (a)(5): a consent permits only what it states). None may turn a deny into a permit.
func narrowings(g gen, c consent.Consent, r consent.Request) []consent.Consent {
	var out []consent.Consent
	add := func(f func(*consent.Consent)) {
		x := c
		x.Exclusions = slices.Clone(c.Exclusions)
		x.Purposes = slices.Clone(c.Purposes)
		x.Information = slices.Clone(c.Information)
		x.Recipients = slices.Clone(c.Recipients)
		f(&x)
		out = append(out, x)
	}
	if !r.Recipient.ID.IsZero() {
		add(func(x *consent.Consent) { x.Exclusions = append(x.Exclusions, consent.Exclusion{ID: r.Recipient.ID}) })
	}
	if r.Holder != nil && !r.Discloser.IsZero() {
		add(func(x *consent.Consent) { x.Exclusions = append(x.Exclusions, consent.Exclusion{ID: r.Discloser}) })
	}
	add(func(x *consent.Consent) {
		x.Exclusions = append(x.Exclusions, consent.Exclusion{Designation: pick(g, designate...)})
	})
	if len(c.Purposes) > 1 {
		i := g.n(len(c.Purposes))
		add(func(x *consent.Consent) { x.Purposes = slices.Delete(x.Purposes, i, i+1) })
	}
	if len(c.Information) > 1 {
		i := g.n(len(c.Information))
		add(func(x *consent.Consent) { x.Information = slices.Delete(x.Information, i, i+1) })
	}
	if len(c.Recipients) > 1 {
		i := g.n(len(c.Recipients))
		add(func(x *consent.Consent) { x.Recipients = slices.Delete(x.Recipients, i, i+1) })
	}
	return out
}

func TestOutsiderNarrowingNeverPermits(t *testing.T) {
	g := propertyGen(31)
	denies := 0
	outsiderCase(t, 30, 250, func(w world, r consent.Request) {
		if w.engine.Decide(r).Permit {
			return
		}
		denies++
		for i := range w.consents {
			if w.consents[i].Validate() != nil {
				continue // a deficient consent permits nothing; removing its fault is not narrowing
			}
			for _, n := range narrowings(g, w.consents[i], r) {
				cs := slices.Clone(w.consents)
				cs[i] = n
				if d := compileOrFail(t, w.policy, cs, w.agreements).Decide(r); d.Permit {
					t.Fatalf("narrowing consent %q turned a deny into %v\nnarrowed: %+v\n%s", n.ID, d, n, w.dump(r))
				}
			}
		}
	})
	if denies == 0 {
		t.Fatal("no deny to check")
	}
}

// Facts never lift a refusal: with the request's recipient excluded by identifier from every
// consent, no setting of the facts the QA fixes added (Facts.TreatingProviderRelationship,
// Facts.ContractorBound, Holder.TreatingProviderRelationship) yields a permit resting on a
// consent (directly or by redisclosure). Only an exception, which rests on no consent, may.
func TestOutsiderFactsNeverLiftIDExclusion(t *testing.T) {
	checked := 0
	outsiderCase(t, 32, 200, func(w world, r consent.Request) {
		if r.Recipient.ID.IsZero() || len(w.consents) == 0 {
			return
		}
		cs := slices.Clone(w.consents)
		for i := range cs {
			cs[i].Exclusions = append(slices.Clone(cs[i].Exclusions), consent.Exclusion{ID: consent.Identifier{Value: r.Recipient.ID.Value}})
		}
		e := compileOrFail(t, w.policy, cs, w.agreements)
		for m := range 8 {
			x := r
			x.Facts.TreatingProviderRelationship = m&1 != 0
			x.Facts.ContractorBound = m&2 != 0
			if x.Holder != nil {
				h := *x.Holder
				h.TreatingProviderRelationship = m&4 != 0
				x.Holder = &h
			}
			checked++
			if d := e.Decide(x); d.Permit && d.Basis.Kind != consent.BasisKindException {
				t.Fatalf("excluded recipient %v permitted with facts %+v: %v\n%s", r.Recipient.ID, x.Facts, d, w.dump(x))
			}
		}
	})
	if checked == 0 {
		t.Fatal("nothing checked")
	}
}

// Moving only the request's instant to the basis consent's end (its expiration, revocation or
// known falsity, 2.31(c)) or later never permits on that consent directly; a redisclosure on
// it survives only under the Policy option that says so (RedisclosureAfterConsentEnds,
// HIPAARedisclosureAfterConsentEnds), and never past known falsity (2.31(c)(4)).
func TestOutsiderAfterEndNeverPermitsOnThatConsent(t *testing.T) {
	moved := 0
	outsiderCase(t, 33, 300, func(w world, r consent.Request) {
		d := w.engine.Decide(r)
		if !d.Permit || d.Basis.Consent == "" || d.Until().IsZero() {
			return
		}
		var c consent.Consent
		for _, x := range w.consents {
			if x.ID == d.Basis.Consent {
				c = x
			}
		}
		for _, at := range []int{0, 1, 500} {
			x := r
			x.At = d.Until().Add(hour(at))
			moved++
			d2 := w.engine.Decide(x)
			if !d2.Permit || d2.Basis.Consent != c.ID {
				continue
			}
			falseBy := c.KnownFalse && (c.KnownFalseAt.IsZero() || !x.At.Before(c.KnownFalseAt))
			switch {
			case d2.Basis.Kind == consent.BasisKindConsent && r.Holder == nil:
				t.Fatalf("permit on %q after its end %v: %v\n%s", c.ID, d.Until(), d2, w.dump(x))
			case falseBy:
				t.Fatalf("permit on %q after it became known false: %v\n%s", c.ID, d2, w.dump(x))
			case d2.Basis.Section == "42 CFR 2.33(b)(1)" && !w.policy.HIPAARedisclosureAfterConsentEnds:
				t.Fatalf("2.33(b)(1) permit on %q after its end without the option: %v\n%s", c.ID, d2, w.dump(x))
			case d2.Basis.Section != "42 CFR 2.33(b)(1)" && !w.policy.RedisclosureAfterConsentEnds:
				t.Fatalf("permit on %q after its end without the option: %v\n%s", c.ID, d2, w.dump(x))
			}
		}
	})
	if moved == 0 {
		t.Fatal("no permit with an end to move past")
	}
}

func hour(n int) time.Duration { return time.Duration(n) * time.Hour }
