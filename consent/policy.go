package consent

// Policy holds the readings of 42 CFR Part 2 that the text leaves to the implementer. It is a
// plain value (log it, diff it, load it from JSON). The zero Policy is the default: the
// regulation's text, and where the text is ambiguous the reading that permits less. Each
// field names the paragraph it reads; doc.go lists every reading the package makes, these
// and the fixed ones.
type Policy struct {
	// MembersFromProgram lets a Part 2 program disclose directly to a member participant of
	// an intermediary the consent names (42 CFR 2.31(a)(4)(ii), 2.33(a)(1)). By default the
	// members receive through the intermediary only: 2.31(a)(4)(ii) makes the intermediary
	// "the recipient entity", and the members are those to whom it discloses.
	MembersFromProgram bool `json:"members_from_program,omitempty"`
	// DesignationsOnlyInTPO limits the general designations of recipients ("my treating
	// providers", ...) to the single TPO consent. By default any consent may designate a
	// class of persons: 2.31(a)(4)(i) asks for "the name(s) of the person(s), or class of
	// persons"; the single TPO consent's description is one example of such a class.
	DesignationsOnlyInTPO bool `json:"designations_only_in_tpo,omitempty"`
	// RedisclosureAfterConsentEnds lets an intermediary (2.31(a)(4)(ii)), a Part 2 program
	// holding records under a TPO consent (2.33(b)(2)) and a lawful holder passing records
	// to its contractors (2.33(b)(3)) go on redisclosing what they received while the
	// consent counted after it has expired or been revoked (never after it is known to be
	// false, see below). By default they may not: each
	// such disclosure is made on the basis of the consent, and 2.31(c) forbids relying on a
	// consent that has expired or is known to have been revoked. A covered entity or
	// business associate redisclosing under 2.33(b)(1) does so under HIPAA, not on the basis
	// of the consent, and is not affected.
	RedisclosureAfterConsentEnds bool `json:"redisclosure_after_consent_ends,omitempty"`
	// HIPAARedisclosureAfterConsentEnds lets a covered entity or business associate that
	// received records under a single TPO consent go on redisclosing them under 2.33(b)(1)
	// ("in accordance with the HIPAA regulations") after the consent has expired or been
	// revoked. By default it may not: 2.33(a)(2) lets "a part 2 program, covered entity, or
	// business associate ... use and disclose those records for treatment, payment, and
	// health care operations as permitted by the HIPAA regulations, until such time as the
	// patient revokes such consent in writing", and an expired consent is read the same way
	// (2.31(c)(1), fail closed).
	//
	// Neither this option nor RedisclosureAfterConsentEnds lets any redisclosure rely on a
	// consent known, or that could be known, to be materially false: 2.31(c)(4) binds "the
	// person holding the records".
	HIPAARedisclosureAfterConsentEnds bool `json:"hipaa_redisclosure_after_consent_ends,omitempty"`
	// PayerExclusionSparesTreatingProviders reads a consent's exclusion of "health plans" or
	// "third-party payers" (a class of persons, 2.31(a)(4)(i)) as not reaching a party the
	// request establishes as having a treating provider relationship with the patient
	// (Facts.TreatingProviderRelationship, Holder.TreatingProviderRelationship) while it
	// receives for treatment or emergency treatment (a holder: while it rediscloses for
	// them), never for payment or health care operations, where a plan that also treats
	// receives as a plan or payer, the capacity the patient refused (2.31(a)(4)(i), 2.33(a)(1);
	// 45 CFR 164.506(c)(3): payment disclosures serve "the payment activities of the entity
	// that receives the information"). By default it does not spare: an exclusion of a class
	// reaches every party of a kind the class may hold (a covered entity may be a health
	// plan), whatever the purpose, since the request cannot tell a plan that also treats from
	// a provider.
	PayerExclusionSparesTreatingProviders bool `json:"payer_exclusion_spares_treating_providers,omitempty"`
}
