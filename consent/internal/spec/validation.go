package spec

import (
	"github.com/dyad-health/dyad/consent"
)

// conformsOnItsFace: a consent that "on its face substantially fails to conform to any of
// the requirements set forth in paragraph (a)" does not count (42 CFR 2.31(c)(2)). This reads
// every element of 2.31(a), and the separate consents of 2.31(b) and (d), as a checklist;
// any missing element, unknown code or contradiction fails it.
func conformsOnItsFace(c consent.Consent) bool {
	return c.Kind.IsValid() &&
		namesThePatient(c) &&
		namesWhoMayDisclose(c) &&
		describesTheInformation(c) &&
		namesTheRecipients(c) &&
		exclusionsAreClear(c) &&
		statesEachPurpose(c) &&
		statesTheRightToRevoke(c) &&
		statesAnExpiration(c) &&
		isSigned(c) &&
		isDated(c) &&
		statesRedisclosureAndRefusal(c) &&
		revocationAfterSigning(c)
}

// namesThePatient: 2.31(a)(1), "The name of the patient" (an identifier stands for it).
func namesThePatient(c consent.Consent) bool {
	return followsIdentifierRule(c.Patient)
}

// namesWhoMayDisclose: 2.31(a)(2), the person(s) or class of persons authorized to disclose:
// at least one, either named (every name an identifier) or described.
func namesWhoMayDisclose(c consent.Consent) bool {
	if len(c.Disclosers) == 0 && c.DiscloserDesignation == "" {
		return false
	}
	for _, d := range c.Disclosers {
		if !followsIdentifierRule(d) {
			return false
		}
	}
	return true
}

// describesTheInformation: 2.31(a)(3), "A description of the information to be used or
// disclosed that identifies the information in a specific and meaningful fashion": known
// kinds, and the description in words. 2.31(b): SUD counseling notes only in a consent for
// counseling notes alone, which covers them and nothing else.
func describesTheInformation(c consent.Consent) bool {
	if len(c.Information) == 0 || c.InformationDescription == "" {
		return false
	}
	notes, records := false, false
	for _, k := range c.Information {
		if !k.IsValid() {
			return false
		}
		if k == consent.InfoKindCounselingNotes {
			notes = true
		}
		if k == consent.InfoKindSUDRecords {
			records = true
		}
	}
	if c.Kind == consent.KindCounselingNotes {
		return notes && !records
	}
	return !notes
}

// namesTheRecipients: 2.31(a)(4). At least one entry; each either names a party (by an
// identifier) or designates a known class, not both; an intermediary is named, with its
// members named or designated, a designation of members being limited to treating providers
// (2.31(a)(4)(ii)(B)).
func namesTheRecipients(c consent.Consent) bool {
	if len(c.Recipients) == 0 {
		return false
	}
	for _, e := range c.Recipients {
		named, designated := !e.ID.IsZero(), e.Designation != consent.DesignationUnknown
		if named == designated {
			return false
		}
		if designated && !e.Designation.IsValid() {
			return false
		}
		if named && !followsIdentifierRule(e.ID) {
			return false
		}
		for _, m := range e.Members {
			if !followsIdentifierRule(m) {
				return false
			}
		}
		if isIntermediaryEntry(e) {
			if !named {
				return false
			}
			if len(e.Members) == 0 && e.MemberDesignation == consent.DesignationUnknown {
				return false
			}
			if e.MemberDesignation != consent.DesignationUnknown && e.MemberDesignation != consent.DesignationTreatingProviders {
				return false
			}
		}
	}
	return true
}

// exclusionsAreClear: each exclusion names exactly one party (by an identifier) or one known
// class; an exclusion that cannot be read leaves unknown what the patient refused.
func exclusionsAreClear(c consent.Consent) bool {
	for _, x := range c.Exclusions {
		named, designated := !x.ID.IsZero(), x.Designation != consent.DesignationUnknown
		if named == designated {
			return false
		}
		if designated && !x.Designation.IsValid() {
			return false
		}
		if named && !followsIdentifierRule(x.ID) {
			return false
		}
	}
	return true
}

// statesEachPurpose: 2.31(a)(5), each purpose, in known codes. A single TPO consent covers
// treatment, payment and health care operations only; a research consent research only; a
// consent for use in proceedings is never combined with another purpose (2.31(d)), and
// proceedings need such a consent.
func statesEachPurpose(c consent.Consent) bool {
	if len(c.Purposes) == 0 {
		return false
	}
	for _, p := range c.Purposes {
		if !p.IsValid() {
			return false
		}
		switch c.Kind {
		case consent.KindTPO:
			if p != consent.PurposeTreatment && p != consent.PurposePayment && p != consent.PurposeOperations {
				return false
			}
		case consent.KindResearch:
			if p != consent.PurposeResearch {
				return false
			}
		case consent.KindProceedings:
			if p != consent.PurposeProceedings {
				return false
			}
		}
		if p == consent.PurposeProceedings && c.Kind != consent.KindProceedings {
			return false
		}
	}
	return true
}

// statesTheRightToRevoke: 2.31(a)(6).
func statesTheRightToRevoke(c consent.Consent) bool { return c.Statements.Revocation }

// statesAnExpiration: 2.31(a)(7), "The date, event, or condition upon which the consent will
// expire if not revoked before": exactly one of a date, an event (with the instant it
// occurred, once it has) or, for a single TPO consent only, "none"; a date after the signing.
func statesAnExpiration(c consent.Consent) bool {
	x := c.Expires
	given := 0
	if !x.At.IsZero() {
		given++
	}
	if x.Event != "" {
		given++
	}
	if x.None {
		given++
	}
	if given != 1 {
		return false
	}
	if !x.OccurredAt.IsZero() && x.Event == "" {
		return false
	}
	if x.None && c.Kind != consent.KindTPO {
		return false
	}
	if !x.At.IsZero() && !c.SignedAt.IsZero() && !x.At.After(c.SignedAt) {
		return false
	}
	return true
}

// isSigned: 2.31(a)(8), signed by the patient or a person authorized to sign in lieu of the
// patient (2.14, 2.15).
func isSigned(c consent.Consent) bool { return c.Signer.IsValid() }

// isDated: 2.31(a)(9), the date signed.
func isDated(c consent.Consent) bool { return !c.SignedAt.IsZero() }

// statesRedisclosureAndRefusal: 2.31(a)(10) (with (a)(4)(iii)), the statements on
// redisclosure and on the consequences of refusing to sign.
func statesRedisclosureAndRefusal(c consent.Consent) bool {
	return c.Statements.Redisclosure && c.Statements.RefusalConsequences
}

// revocationAfterSigning: a revocation dated before the signing contradicts the consent's
// own facts.
func revocationAfterSigning(c consent.Consent) bool {
	return c.RevokedAt.IsZero() || c.SignedAt.IsZero() || !c.RevokedAt.Before(c.SignedAt)
}

// agreementConforms: the written agreement of 42 CFR 2.11 ("qualified service
// organization"), under which the organization acknowledges that it is fully bound by Part 2
// and undertakes to resist in judicial proceedings any effort to obtain access to patient
// identifying information except as Part 2 permits. It names a program and another
// organization, lists at least one service, is in writing and signed, and does not end
// before it begins.
func agreementConforms(a consent.QSOAgreement) bool {
	if !followsIdentifierRule(a.Program) || !followsIdentifierRule(a.Organization) {
		return false
	}
	if mayBeTheSame(a.Program, a.Organization) {
		return false
	}
	if len(a.Services) == 0 || !a.Written || !a.BoundByPart2 || !a.ResistJudicialAccess || a.SignedAt.IsZero() {
		return false
	}
	start := a.SignedAt
	if a.Effective.After(start) {
		start = a.Effective
	}
	return a.Expires.IsZero() || a.Expires.After(start)
}
