package program

import (
	"slices"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/referral"
)

// Coverage is one partner requirement of the guidance judged at a moment: met or not, and
// when met, the partner and the record (QSO agreement or partnership) that meet it, and
// until when (zero: no end known).
type Coverage struct {
	Item      string    `json:"item"`              // the requirement's code
	Cite      string    `json:"cite"`              // the guidance item
	Agreement bool      `json:"agreement"`         // a QSO agreement requirement (else a partnership)
	Met       bool      `json:"met"`               // whether it is met at the moment
	Partner   string    `json:"partner,omitempty"` // the partner meeting it
	Record    string    `json:"record,omitempty"`  // the agreement's or partnership's identifier
	Until     time.Time `json:"until,omitzero"`    // when that record stops meeting it; zero: no end known
}

// qsoaState orders how far a partner's agreements go towards meeting a requirement.
type qsoaState uint8

const (
	qsoaNone       qsoaState = iota // no agreement with this program
	qsoaInvalid                     // consent validation finds an error
	qsoaNoCategory                  // valid, but lists no 42 CFR 2.11 service category
	qsoaNotInForce                  // valid, not in force at the moment
	qsoaCovered                     // valid and in force
)

// hasQSOCategory reports whether the agreement lists at least one service category of the
// QSO definition (42 CFR 2.11): an agreement listing none authorises no QSO disclosure.
func hasQSOCategory(a consent.QSOAgreement) bool {
	for _, s := range a.Services {
		if s.IsValid() {
			return true
		}
	}
	return false
}

// allPartners returns the directory's partners in identifier order.
func allPartners(dir *referral.Directory) []referral.Partner {
	ids := dir.IDs()
	out := make([]referral.Partner, len(ids))
	for i, id := range ids {
		out[i], _ = dir.Lookup(id)
	}
	return out
}

// partnersOf returns the partners of any of the kinds, in order.
func partnersOf(all []referral.Partner, kinds []referral.PartnerKind) []referral.Partner {
	var out []referral.Partner
	for _, p := range all {
		if slices.Contains(kinds, p.Kind) {
			out = append(out, p)
		}
	}
	return out
}

// later reports whether an end time u is later than v, zero (no end) being latest.
func later(u, v time.Time) bool {
	if v.IsZero() {
		return false
	}
	return u.IsZero() || u.After(v)
}

// agreementCoverage judges one QSO agreement requirement at the moment.
func agreementCoverage(r Requirement, program string, all []referral.Partner, extra []consent.QSOAgreement, at, notice time.Time) (Coverage, *Finding, *Finding) {
	cov := Coverage{Item: r.Code, Cite: r.Cite, Agreement: true}
	cites := []string{r.Cite, CiteQSODefinition, CiteQSOException}
	partners := partnersOf(all, r.Kinds)
	if len(partners) == 0 {
		return cov, &Finding{Code: GapNoPartner, Item: r.Code, Cites: cites,
			Message: "The directory holds no partner of the kinds this item names, so no QSO agreement can meet it."}, nil
	}
	best := qsoaNone
	var ids, codes []string
	otherProgram := false
	for _, p := range partners {
		ids = append(ids, p.ID)
		judge := func(a consent.QSOAgreement) {
			if a.Program != local(program) && !a.Program.IsZero() {
				otherProgram = true
				return
			}
			st := qsoaCovered
			switch {
			case !a.Valid():
				st = qsoaInvalid
				for _, q := range a.Problems() {
					if q.Severity == consent.SeverityError && !slices.Contains(codes, string(q.Code)) {
						codes = append(codes, string(q.Code))
					}
				}
			case !hasQSOCategory(a):
				st = qsoaNoCategory
			case !a.InForceAt(at):
				st = qsoaNotInForce
			}
			best = max(best, st)
			if st == qsoaCovered && (!cov.Met || later(a.Expires, cov.Until)) {
				cov.Met, cov.Partner, cov.Record, cov.Until = true, p.ID, a.ID, a.Expires
			}
		}
		for _, a := range p.Agreements {
			judge(a)
		}
		for _, a := range extra {
			if a.Organization == local(p.ID) {
				judge(a)
			}
		}
	}
	if cov.Met {
		if !cov.Until.IsZero() && !cov.Until.After(notice) {
			return cov, nil, &Finding{Code: WarnQSOAExpiring, Item: r.Code, Cites: cites, Partners: []string{cov.Partner},
				Message: "Every agreement meeting this item expires within the notice window."}
		}
		return cov, nil, nil
	}
	slices.Sort(codes)
	if otherProgram {
		codes = append(codes, "other_program")
	}
	f := &Finding{Item: r.Code, Cites: cites, Partners: ids, Problems: codes}
	switch best {
	case qsoaNone:
		f.Code, f.Message = GapQSOANone, "No partner of the kinds this item names holds a QSO agreement with the program."
	case qsoaInvalid:
		f.Code, f.Message = GapQSOAInvalid, "The QSO agreements held with partners of these kinds are not valid agreements under 42 CFR 2.11."
	case qsoaNoCategory:
		f.Code, f.Message = GapQSOANoCategory, "The QSO agreements held list no service of the QSO definition of 42 CFR 2.11."
	default:
		f.Code, f.Message = GapQSOANotInForce, "The valid QSO agreements held are not in force at the moment reviewed (not yet effective, or expired)."
	}
	return cov, f, nil
}

// partnershipCoverage judges one partnership requirement at the moment.
func partnershipCoverage(r Requirement, all []referral.Partner, ships []Partnership, at, notice time.Time) (Coverage, *Finding, *Finding) {
	cov := Coverage{Item: r.Code, Cite: r.Cite}
	cites := []string{r.Cite}
	partners := partnersOf(all, r.Kinds)
	if len(partners) == 0 {
		return cov, &Finding{Code: GapNoPartner, Item: r.Code, Cites: cites,
			Message: "The directory holds no partner of the kinds this item names."}, nil
	}
	ids := make([]string, len(partners))
	for i, p := range partners {
		ids[i] = p.ID
	}
	window := days(r.ActiveWithinDays)
	found, inForce := false, false
	for _, s := range ships {
		if !slices.Contains(ids, s.Partner) {
			continue
		}
		found = true
		if s.Start.After(at) || (!s.End.IsZero() && !at.Before(s.End)) {
			continue
		}
		inForce = true
		until := s.End
		if r.ActiveWithinDays > 0 {
			var last time.Time
			for _, a := range s.Activities {
				if !a.After(at) && a.After(last) {
					last = a
				}
			}
			if last.IsZero() || at.Sub(last) > window {
				continue
			}
			if q := last.Add(window); until.IsZero() || q.Before(until) {
				until = q
			}
		}
		if !cov.Met || later(until, cov.Until) {
			cov.Met, cov.Partner, cov.Record, cov.Until = true, s.Partner, s.ID, until
		}
	}
	if cov.Met {
		if !cov.Until.IsZero() && !cov.Until.After(notice) {
			return cov, nil, &Finding{Code: WarnPartnershipEnding, Item: r.Code, Cites: cites, Partners: []string{cov.Partner},
				Message: "Every partnership meeting this item ends, or goes without a joint activity too long, within the notice window."}
		}
		return cov, nil, nil
	}
	f := &Finding{Item: r.Code, Cites: cites, Partners: ids}
	switch {
	case !found:
		f.Code, f.Message = GapPartnershipNone, "No partnership is recorded with a partner of the kinds this item names."
	case !inForce:
		f.Code, f.Message = GapPartnershipNotInForce, "No partnership with a partner of these kinds is in force at the moment reviewed."
	default:
		f.Code, f.Message = GapPartnershipInactive, "The partnerships in force show no documented joint activity within the interval the item asks."
	}
	return cov, f, nil
}

// local is the consent identifier of a program or partner named, as in the referral
// directory, by a value without a system.
func local(id string) consent.Identifier { return consent.Identifier{Value: id} }
