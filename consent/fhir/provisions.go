package fhir

import (
	"slices"

	"github.com/dyad-health/dyad/consent"
)

// This file reads a provision tree leniently. The rules, each failing closed:
//
//   - A permit at the root (R4 provision type permit, R5 decision permit) is the consent's
//     one permission. Its nested denies are exceptions: each removes from the permission
//     the widest set the consent model can hold that contains what the deny names, and
//     says so when that set is wider than the text (see deny). A permit nested in the
//     permit adds nothing.
//   - A deny at the root (an opt-out; or an opt-in, a base deny around nested permits) is a
//     refusal; each nested permit is a permission of its own (a consent value each), with
//     its own nested denies as exceptions, bounded by the root's period; the permissions
//     read exactly are carved out of the refusal. A deny nested in the deny adds nothing.
//   - A permit nested under a nested deny (an exception to an exception) is not read: the
//     deny it would narrow stays whole.
//   - Every deny is also a Refusal (for the rule that the most recent consent wins), read
//     as wide as its text, wider where it cannot be read exactly.

// exceptions reads the nested provisions of a permission.
func (m *mapper) exceptions(n pnode, g *consent.Consent, rd *Reading) {
	for i := range n.p.Provision {
		k := m.child(n, i)
		if k.permit {
			m.note(CodeProvision, k.path, EffectRead, false, "A permit nested in a permit adds nothing; it is not read.")
			continue
		}
		m.deny(k, g, rd)
	}
}

// denied is what a deny provision names, read once.
type denied struct {
	ex        []consent.Exclusion
	anyone    bool // an actor that cannot be identified: every recipient
	purposes  []consent.Purpose
	unmapped  int // purposes without a Part 2 purpose: the deny covers every purpose
	info      []consent.InfoKind
	allInfo   bool // a label that names no Part 2 kind: every kind
	widerInfo bool // a label that names part of a kind (ETHUD, OPIOIDUD): the whole kind
}

// readDenied reads the actors, purposes and labels of a deny, with their findings.
func (m *mapper) readDenied(n pnode) denied {
	var d denied
	p := n.p
	for i := range p.Actor {
		r, _ := m.actor(&p.Actor[i], n.path, i, false)
		switch {
		case r.Designation != consent.DesignationUnknown:
			d.ex = append(d.ex, consent.Exclusion{Designation: r.Designation})
		case !r.ID.IsZero():
			ids := deniedIDs(p.Actor[i].Reference, m.parties)
			for _, id := range ids {
				d.ex = append(d.ex, consent.Exclusion{ID: id})
			}
			if len(ids) > 1 {
				m.note(CodeProvision, idx(n.path+".actor", i), EffectRead, false, "The denied actor is excluded under every identifier it may be known by: its literal reference, its identifier, and those a permitted actor of the resource pairs with them.")
			}
		default:
			d.anyone = true
		}
		if r.IsIntermediary() {
			m.note(CodeProvision, idx(n.path+".actor", i), EffectRead, true, "A denied actor carries the intermediary extension; it is excluded wherever it appears.")
		}
	}
	for i, pc := range p.Purpose {
		if pu, ok := m.purpose(pc, n.path, i, false); ok && pu != consent.PurposeUnknown {
			d.purposes = append(d.purposes, pu)
		} else {
			d.unmapped++
		}
	}
	for i, l := range p.SecurityLabel {
		k, exact := parseLabel(l)
		switch {
		case k == consent.InfoKindUnknown:
			d.allInfo = true
			m.note(CodeUnknownCode, idx(n.path+".securityLabel", i), EffectRead, true,
				"The denied security label "+quote32(l.Code)+" names no kind of Part 2 information; the records may hold data so labelled, so it is read as denying every kind.")
		case !exact:
			d.widerInfo = true
			d.info = append(d.info, k)
			m.note(CodeUnknownCode, idx(n.path+".securityLabel", i), EffectRead, true,
				"The denied security label "+quote32(l.Code)+" names part of the SUD records; it is read as denying all of them.")
		default:
			d.info = append(d.info, k)
		}
	}
	return d
}

// scope is the refusal a deny states.
func (d denied) scope(p *Provision) Scope {
	var sc Scope
	if !d.anyone {
		sc.Actors = d.ex
	}
	// A denied purpose with no Part 2 purpose (another system, an unknown code) may be any
	// of them: the refusal covers every purpose (fail closed).
	if len(p.Purpose) > 0 && d.unmapped == 0 {
		sc.Purposes = d.purposes
	}
	if !d.allInfo {
		sc.Information = d.info
	}
	return sc
}

// deny reads a deny nested under a permission: it records the refusal, and removes from the
// permission the widest set the consent model can hold that contains what the deny names,
// choosing the first dimension the deny names of actor, purpose and information:
//
//   - actors: excluded entirely (an actor that cannot be identified: nothing is granted);
//   - else purposes: removed entirely (a purpose with no Part 2 purpose: nothing is
//     granted);
//   - else security labels: their kinds of information removed entirely (a label that
//     names no Part 2 kind: nothing is granted);
//   - else (a deny of every disclosure, or of data the model cannot tell apart: a class,
//     a code, a period of data): nothing is granted.
//
// The removal is exact when the deny names that dimension alone (its actions, if any,
// including disclose or access); otherwise a deny_widened finding says it was widened.
func (m *mapper) deny(n pnode, g *consent.Consent, rd *Reading) {
	p := n.p
	m.modifiers(p.ModifierExtension, n.path, false)
	d := m.readDenied(n)
	if !m.noRefusals {
		rd.Refusals = append(rd.Refusals, Refusal{Consent: rd.ID, Path: n.path, Scope: d.scope(p)})
	}
	disclose, access := disclosureAction(p.Action)
	exact := (len(p.Action) == 0 || disclose || access) && !narrowsData(p) && p.Period == nil && len(p.ModifierExtension) == 0
	var why string
	switch {
	case len(p.Actor) > 0:
		if d.anyone {
			m.narrow(CodeDenyWidened, n.path, true, "A denied actor cannot be identified; the deny is read as denying every recipient.")
			break
		}
		for _, x := range d.ex {
			if !slices.Contains(g.Exclusions, x) {
				g.Exclusions = append(g.Exclusions, x)
			}
		}
		exact = exact && len(p.Purpose) == 0 && len(p.SecurityLabel) == 0
		why = "The deny restricts actors under further conditions (purpose, information, class, code, action or period) that a Part 2 consent value cannot hold; the actors are excluded entirely."
	case len(p.Purpose) > 0:
		if d.unmapped > 0 {
			m.narrow(CodeDenyWidened, n.path, true, "A denied purpose has no Part 2 purpose and may be any of them; the deny is read as denying every purpose.")
			break
		}
		for _, pu := range d.purposes {
			g.Purposes = removeAll(g.Purposes, pu)
		}
		exact = exact && len(p.SecurityLabel) == 0
		why = "The deny restricts purposes under further conditions (information, class, code, action or period) that a Part 2 consent value cannot hold; the purposes are removed entirely."
	case len(p.SecurityLabel) > 0:
		if d.allInfo {
			m.narrow(CodeDenyWidened, n.path, true, "The deny names information no Part 2 kind holds apart; every kind is read as denied.")
			break
		}
		for _, k := range d.info {
			g.Information = removeAll(g.Information, k)
		}
		if slices.Contains(d.info, consent.InfoKindPatientIdentity) && slices.Contains(g.Information, consent.InfoKindSUDRecords) {
			// Every SUD record identifies the patient: denying the identity denies them.
			g.Information = removeAll(g.Information, consent.InfoKindSUDRecords)
			exact = false
		}
		exact = exact && !d.widerInfo
		why = "The deny restricts information under further conditions (a part of a kind, class, code, action or period) that a Part 2 consent value cannot hold; the kinds are removed entirely."
	default:
		msg := "The deny names no actor, purpose or kind of information: it denies every disclosure."
		if !exact {
			msg = "The deny restricts only what a Part 2 consent value cannot hold apart (class, code, action, period or data); it is read as denying every disclosure."
		}
		m.narrow(CodeDenyWidened, n.path, true, msg)
	}
	if !exact && why != "" {
		m.note(CodeDenyWidened, n.path, EffectNarrowed, false, why)
	}
	for i := range p.Provision {
		k := m.child(n, i)
		if k.permit {
			m.note(CodeProvision, k.path, EffectNarrowed, false, "A permit nested under a deny is not read; the deny stays whole.")
		} else {
			m.note(CodeProvision, k.path, EffectRead, false, "A deny nested in a deny adds nothing.")
		}
	}
}

// denyRoot reads a base deny: its refusal, and each nested permit as a permission of its own.
func (m *mapper) denyRoot(root pnode, base consent.Consent, outer []bound, rd *Reading) []grant {
	p := root.p
	if root.path != "Consent" {
		m.modifiers(p.ModifierExtension, root.path, false)
	}
	d := m.readDenied(root)
	ref := Refusal{Consent: rd.ID, Path: root.path, Scope: d.scope(p)}
	if p.Period != nil && root.path != "Consent" {
		outer = append(slices.Clip(outer), bound{p.Period, root.path + ".period"})
	}
	if narrowsData(p) || len(p.Action) > 0 {
		m.note(CodeDenyWidened, root.path, EffectRead, false, "The base deny restricts what a Part 2 consent value cannot hold apart (class, code, action or data); it is read as denying every class, code, action and data.")
	}
	if d.unmapped > 0 {
		m.note(CodeDenyWidened, root.path, EffectRead, false, "A denied purpose has no Part 2 purpose and may be any of them; the base deny is read as denying every purpose.")
	}
	var grants []grant
	for i := range p.Provision {
		k := m.child(root, i)
		if !k.permit {
			m.note(CodeProvision, k.path, EffectRead, false, "A deny nested in a deny adds nothing.")
			continue
		}
		before := m.void
		m.void = false
		g := m.permission(k, base, outer)
		clean := !m.void && k.p.Period == nil && !narrowsData(k.p) &&
			len(g.Recipients) == len(k.p.Actor) && len(g.Information) == len(k.p.SecurityLabel) && len(g.Purposes) == len(k.p.Purpose)
		m.exceptions(k, &g, rd)
		void := m.void
		m.void = before
		if clean && !void {
			ref.Except = append(ref.Except, carve(g))
		}
		if !void {
			grants = append(grants, grant{g: g, path: k.path})
		}
	}
	if !m.noRefusals {
		rd.Refusals = append([]Refusal{ref}, rd.Refusals...)
	}
	if len(grants) > 1 {
		m.note(CodeProvision, root.path, EffectRead, false, "The base deny holds several permissions; each is read as a consent of its own (ids <id>#1, <id>#2, ...).")
	}
	return grants
}

// carve is the scope a permission read exactly carves out of its consent's base deny: its
// recipients (matched by exactly their identifier, or by designation) but those its own
// denies exclude (a designation carves nothing out once any designation is excluded),
// purposes and kinds of information as its own denies left them.
func carve(g consent.Consent) Scope {
	var sc Scope
	excludedDesignation := false
	for _, x := range g.Exclusions {
		if x.Designation != consent.DesignationUnknown {
			excludedDesignation = true
		}
	}
	for _, r := range g.Recipients {
		switch {
		case r.Designation != consent.DesignationUnknown:
			if !excludedDesignation {
				sc.Actors = append(sc.Actors, consent.Exclusion{Designation: r.Designation})
			}
		case !r.ID.IsZero() && !excludes(g.Exclusions, r.ID):
			sc.Actors = append(sc.Actors, consent.Exclusion{ID: r.ID})
		}
	}
	if len(g.Recipients) > 0 && len(sc.Actors) == 0 {
		// Every recipient is excluded: the permission carves out nothing (an empty list
		// would read as every recipient).
		sc.Purposes = []consent.Purpose{consent.PurposeUnknown}
		return sc
	}
	sc.Purposes = slices.Clone(g.Purposes)
	sc.Information = slices.Clone(g.Information)
	return sc
}

// excludes reports whether an exclusion by identifier may reach id.
func excludes(xs []consent.Exclusion, id consent.Identifier) bool {
	for _, x := range xs {
		if consent.MayBeExcluded(x.ID, id) {
			return true
		}
	}
	return false
}
