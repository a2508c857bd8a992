// Package spec is the reference reading of the rules the consent package encodes: a
// deliberately plain, slow restatement of 42 CFR Part 2 (as amended in 2024), one function
// per paragraph, written to be checked line by line against the regulation by a compliance
// officer. It has no index, no precomputed table, no fast path and no bit set; it validates
// every consent again each time it looks at one.
//
// The consent package's engine is tested against it: for every generated world of consents,
// agreements and requests, both must reach the same outcome, the same basis, the same end of
// the basis and the same obligations. Where the text of the regulation leaves a choice, this
// package makes the same documented choice as the engine (consent/doc.go lists them), and the
// choices an implementer may change are those of consent.Policy.
//
// Read it top down: Decide says in which order the grounds for a disclosure are tried; each
// ground is one function named after its paragraph.
package spec

import (
	"strings"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/internal/ident"
)

// Outcome is the reference answer to a request: whether it is permitted, on what basis, until
// when that basis counts (zero: no known end), and what the discloser must do.
type Outcome struct {
	Permit      bool
	Basis       consent.Basis
	Until       time.Time
	Obligations []Obligation
}

// Obligation is one duty that goes with a permitted disclosure: its code and its citation.
type Obligation struct {
	Code consent.ObligationCode
	Cite string
}

// The duties, by the paragraph that imposes them.
var (
	// 42 CFR 2.32(a): each disclosure made with written consent carries a written statement.
	notice = Obligation{consent.ObligationCodeNotice232, "42 CFR 2.32(a)"}
	// 42 CFR 2.25: the patient's accounting of disclosures made with consent.
	accounting = Obligation{consent.ObligationCodeRecordDisclosure, "42 CFR 2.25"}
	// 42 CFR 2.24: an intermediary's list of the disclosures it made.
	intermediaryList = Obligation{consent.ObligationCodeRecordDisclosure, "42 CFR 2.24"}
	// 42 CFR 2.51(c): the program documents a disclosure made in a medical emergency.
	documentEmergency = Obligation{consent.ObligationCodeDocumentEmergency, "42 CFR 2.51(c)"}
	// 42 CFR 2.13(a): "Any use or disclosure made under the regulations in this part must be
	// limited to that information which is necessary to carry out the purpose of the use or
	// disclosure."
	onlyWhatThePurposeNeeds = onlyWhatIsNeeded("42 CFR 2.13(a)")
	// 42 CFR 2.33(c): in redisclosing to a contractor, the lawful holder must "require such
	// recipients to implement appropriate safeguards to prevent unauthorized uses and
	// disclosures; and require such recipients to report any unauthorized uses, disclosures,
	// or breaches of patient identifying information to the lawful holder".
	contractorSafeguards = Obligation{consent.ObligationCodeContractorSafeguards, "42 CFR 2.33(c)"}
)

// onlyWhatIsNeeded is the duty to disclose no more than the purpose needs, under the
// paragraph given.
func onlyWhatIsNeeded(cite string) Obligation {
	return Obligation{consent.ObligationCodeLimitToNeed, cite}
}

// Decide answers the request. The grounds are tried in this order, and the first that
// permits is the basis of the answer:
//
//  1. each of the patient's written consents, in the order given (42 CFR 2.33(a));
//  2. the redisclosure right of a holder of records received under a consent (42 CFR
//     2.33(b), 2.31(a)(4)(ii));
//  3. the uses and disclosures permitted without consent, in section order: 2.12(c)(3),
//     2.12(c)(4), 2.12(c)(5), 2.12(c)(6), 2.51, 2.52, 2.53, 2.54, subpart E.
//
// Anything else is denied (42 CFR 2.13(a)): records may be disclosed only as Part 2 permits.
func Decide(policy consent.Policy, consents []consent.Consent, agreements []consent.QSOAgreement, r consent.Request) Outcome {
	if !requestCanBeJudged(r) {
		return Outcome{}
	}
	for _, c := range consents {
		if c.Patient != r.Patient {
			continue // a consent of another patient, or of an identifier not exactly this one
		}
		if o, ok := useAndDiscloseUnderConsent(policy, c, r); ok {
			return o
		}
	}
	if r.Holder != nil {
		if o, ok := redisclosureByHolder(policy, consents, r); ok {
			return o
		}
	}
	for _, exception := range []func(consent.Request, []consent.QSOAgreement) (Outcome, bool){
		internalProgramCommunications, // 2.12(c)(3)
		qualifiedServiceOrganization,  // 2.12(c)(4)
		crimeOnProgramPremises,        // 2.12(c)(5)
		childAbuseAndNeglectReport,    // 2.12(c)(6)
		medicalEmergency,              // 2.51
		scientificResearch,            // 2.52
		auditAndEvaluation,            // 2.53
		publicHealth,                  // 2.54
		courtOrder,                    // subpart E
	} {
		if o, ok := exception(r, agreements); ok {
			return o
		}
	}
	return Outcome{}
}

// requestCanBeJudged: a request is judged only when it says, in codes this package knows,
// for what purpose, to what kind of recipient, which information, about whom, by whom, to
// whom and when (42 CFR 2.13(a): anything else is a disclosure Part 2 does not permit).
func requestCanBeJudged(r consent.Request) bool {
	if !r.Purpose.IsValid() || !r.Recipient.Kind.IsValid() {
		return false
	}
	if len(r.Information) == 0 {
		return false
	}
	for _, k := range r.Information {
		if !k.IsValid() {
			return false
		}
	}
	// Each party needs an identifier. The recipient's, and a redisclosing holder's, must
	// follow the identifier rule: they are compared with the consent's exclusions, and one
	// that breaks it ("dr-x " for "dr-x") could slip past an exclusion of the party it stands
	// for while a class of persons or an exception still reaches it. The patient and a
	// program discloser are matched only exactly, against conforming consents and
	// agreements, which no malformed identifier equals.
	if r.Patient.Value == "" || r.Discloser.Value == "" || !followsIdentifierRule(r.Recipient.ID) {
		return false
	}
	if r.Holder != nil && !followsIdentifierRule(r.Discloser) {
		return false
	}
	if r.At.IsZero() {
		return false
	}
	if r.Holder != nil && !r.Holder.Kind.IsValid() {
		return false
	}
	return true
}

// followsIdentifierRule: the value, and the system if there is one, are identifiers under
// the library's one rule.
func followsIdentifierRule(id consent.Identifier) bool {
	return ident.Valid(id.Value) && (id.System == "" || ident.Valid(id.System))
}

// ----------------------------------------------------------------------------------------
// 42 CFR 2.33(a): uses and disclosures permitted with written consent.

// useAndDiscloseUnderConsent is 42 CFR 2.33(a). Paragraph (a)(1): "A part 2 program may use
// and disclose those records in accordance with that consent to any person or category of
// persons identified or generally designated in the consent"; paragraph (a)(2): under "a
// single consent for all future uses and disclosures for treatment, payment, and health care
// operations", for treatment, payment and health care operations. "In accordance with that
// consent" is read element by element: the consent counts at the instant of the disclosure
// (2.31(c)), names the discloser (2.31(a)(2)), names or designates the recipient and does not
// exclude it (2.31(a)(4)), states the purpose (2.31(a)(5)) and describes every kind of
// information disclosed (2.31(a)(3), (b)). A court or law enforcement receives for an
// investigation or proceeding, which only a consent for that use alone permits (2.31(d)); an
// intermediary is reached only as one (2.31(a)(4)(ii)).
func useAndDiscloseUnderConsent(policy consent.Policy, c consent.Consent, r consent.Request) (Outcome, bool) {
	if !countsAt(c, r.At) {
		return Outcome{}, false
	}
	if !namesDiscloser(c, r.Discloser) {
		return Outcome{}, false
	}
	treating := establishesTreating(r)
	reach := howConsentReaches(policy, c, r.Recipient, r.Purpose, treating)
	switch {
	case reach == notReached:
		return Outcome{}, false
	case reach == asMember && !policy.MembersFromProgram:
		// 2.31(a)(4)(ii): the intermediary is the recipient entity; its members receive
		// through it (unless the policy reads 2.33(a)(1) as letting the program reach them).
		return Outcome{}, false
	}
	if isAnIntermediary(r.Recipient) && reach != asIntermediary {
		return Outcome{}, false
	}
	if excludes(policy, c, r.Recipient, r.Purpose, treating) {
		return Outcome{}, false
	}
	if receivesForProceedings(r.Recipient) && c.Kind != consent.KindProceedings {
		return Outcome{}, false
	}
	if !statesPurpose(c, r.Purpose) {
		return Outcome{}, false
	}
	if !describesInformation(c, r.Information) {
		return Outcome{}, false
	}
	return Outcome{
		Permit:      true,
		Basis:       consent.Basis{Kind: consent.BasisKindConsent, Consent: c.ID},
		Until:       endOf(c),
		Obligations: []Obligation{notice, accounting, onlyWhatThePurposeNeeds},
	}, true
}

// establishesTreating: the request establishes that the recipient has a treating provider
// relationship with the patient (2.11): it says so (Facts.TreatingProviderRelationship), or
// the disclosure is for treatment, the recipient's own treatment of the patient, which is
// what that relationship is. A disclosure for payment or operations says nothing of it.
func establishesTreating(r consent.Request) bool {
	return r.Facts.TreatingProviderRelationship || r.Purpose == consent.PurposeTreatment ||
		r.Purpose == consent.PurposeEmergencyTreatment
}

// isAnIntermediary: the request says the recipient is an intermediary.
func isAnIntermediary(p consent.Party) bool { return p.Kind == consent.RecipientKindIntermediary }

// receivesForProceedings: a court, or law enforcement, receives records for a civil,
// criminal, administrative or legislative investigation or proceeding (2.31(d)).
func receivesForProceedings(p consent.Party) bool {
	return p.Kind == consent.RecipientKindCourt || p.Kind == consent.RecipientKindLawEnforcement
}

// namesDiscloser: 42 CFR 2.31(a)(2), "the name or other specific identification of the
// person(s), or class of persons, authorized to make the requested use or disclosure". Only
// a discloser named by exactly its identifier is matched; a class of disclosers described in
// words cannot be matched to a request and permits nothing.
func namesDiscloser(c consent.Consent, discloser consent.Identifier) bool {
	for _, d := range c.Disclosers {
		if d == discloser {
			return true
		}
	}
	return false
}

// reach is how a consent's recipients reach a party.
type reach int

const (
	notReached     reach = iota
	asMember             // a member participant of an intermediary the consent names
	asRecipient          // named, or within a class the consent designates
	asIntermediary       // named as an intermediary
)

// howConsentReaches: 42 CFR 2.31(a)(4). (i) "The name(s) of the person(s), or class of
// persons, to which a disclosure is to be made"; (ii) for an intermediary, its name and "the
// name(s) of the member participants of the intermediary" or "a general designation of a
// participant(s) or class of participants, which must be limited to a participant(s) who has
// a treating provider relationship with the patient". A party named by exactly its
// identifier is reached; a class reaches by the kind of party (and, for "my treating
// providers", a treating provider relationship the request establishes); an intermediary's
// members are reached through it, unless the consent excludes the intermediary. The closest
// reach wins: intermediary, then recipient, then member.
func howConsentReaches(policy consent.Policy, c consent.Consent, p consent.Party, purpose consent.Purpose, treating bool) reach {
	best := notReached
	for _, entry := range c.Recipients {
		if isIntermediaryEntry(entry) {
			if entry.ID == p.ID {
				return asIntermediary
			}
			if !excludesIdentifier(c, entry.ID) && isMemberOf(entry, p, purpose, treating) && best < asMember {
				best = asMember
			}
			continue
		}
		if !entry.ID.IsZero() {
			if entry.ID == p.ID {
				best = asRecipient
			}
			continue
		}
		if classesAllowed(policy, c) && classCovers(entry.Designation, p.Kind, purpose, treating) {
			best = asRecipient
		}
	}
	return best
}

// isIntermediaryEntry: an entry names an intermediary when it says so, or lists the
// intermediary's members, or designates them (2.31(a)(4)(ii)).
func isIntermediaryEntry(e consent.Recipient) bool {
	return e.Intermediary || len(e.Members) > 0 || e.MemberDesignation != consent.DesignationUnknown
}

// isMemberOf: the party is named among the intermediary's member participants, or the
// consent designates participants "who ha[ve] a treating provider relationship with the
// patient" and the party is such a provider, the relationship established
// (2.31(a)(4)(ii)(A), (B)).
func isMemberOf(e consent.Recipient, p consent.Party, purpose consent.Purpose, treating bool) bool {
	return isNamedMemberOf(e, p) ||
		e.MemberDesignation == consent.DesignationTreatingProviders &&
			classCovers(consent.DesignationTreatingProviders, p.Kind, purpose, treating)
}

// isNamedMemberOf: the party is named among the intermediary's member participants
// (2.31(a)(4)(ii)(A)).
func isNamedMemberOf(e consent.Recipient, p consent.Party) bool {
	for _, m := range e.Members {
		if m == p.ID {
			return true
		}
	}
	return false
}

// classesAllowed: 2.31(a)(4)(i) lets any consent designate a class of persons; a policy may
// keep the classes to the single TPO consent.
func classesAllowed(policy consent.Policy, c consent.Consent) bool {
	return !policy.DesignationsOnlyInTPO || c.Kind == consent.KindTPO
}

// classCovers reads the classes of 2.31(a)(4)(i)'s description of a TPO consent's
// recipients, "my treating providers, health plans, third-party payers, and people helping
// to operate this program", as kinds of parties:
//
//	my treating providers                  a Part 2 program, a covered entity or medical
//	                                       personnel with a treating provider relationship
//	                                       with the patient (2.11) that the request
//	                                       establishes, for any purpose;
//	health plans                           a covered entity, for payment or operations;
//	third-party payers                     a covered entity or another lawful holder, for
//	                                       payment or operations;
//	people helping to operate this program a business associate, a QSO or a contractor, for
//	                                       payment or operations.
//
// An unknown purpose means "for some purpose" (asked of a holder, who received for one).
func classCovers(class consent.Designation, kind consent.RecipientKind, purpose consent.Purpose, treating bool) bool {
	forPaymentOrOperations := purpose == consent.PurposeUnknown || purpose == consent.PurposePayment || purpose == consent.PurposeOperations
	switch class {
	case consent.DesignationTreatingProviders:
		return treating && classMayInclude(class, kind)
	case consent.DesignationHealthPlans, consent.DesignationThirdPartyPayers, consent.DesignationProgramOperations:
		return forPaymentOrOperations && classMayInclude(class, kind)
	}
	return false
}

// classMayInclude: a party of this kind may be one of the class, whatever it receives for
// and whether or not its treating provider relationship is known. A treating provider is a
// Part 2 program, a covered entity or medical personnel; a health plan a covered entity; a
// third-party payer a covered entity or another lawful holder; people helping to operate
// the program its business associates, QSOs and contractors.
func classMayInclude(class consent.Designation, kind consent.RecipientKind) bool {
	switch class {
	case consent.DesignationTreatingProviders:
		return kind == consent.RecipientKindPart2Program || kind == consent.RecipientKindCoveredEntity ||
			kind == consent.RecipientKindMedicalPersonnel
	case consent.DesignationHealthPlans:
		return kind == consent.RecipientKindCoveredEntity
	case consent.DesignationThirdPartyPayers:
		return kind == consent.RecipientKindCoveredEntity || kind == consent.RecipientKindLawfulHolder
	case consent.DesignationProgramOperations:
		return kind == consent.RecipientKindBusinessAssociate || kind == consent.RecipientKindQSO ||
			kind == consent.RecipientKindContractor
	}
	return false
}

// excludes: the patient's "not to X". It holds however X would be reached, and fails
// closed: a named X reaches every party whose identifier value may be X's (sameSpelling:
// whatever the systems, since another spelling of X's system, "urn:oid:2.16.840.1.113883.4.6"
// for "http://hl7.org/fhir/sid/us-npi", cannot be told from another system here, and
// whatever the case of letters and the dashes); an excluded class reaches every party of a
// kind the class may hold, whatever the purpose. Only the policy may spare a party
// established as a treating provider an exclusion of health plans or third-party payers,
// and only while it receives as a treating provider: for treatment or emergency treatment
// (for payment or operations it receives as the plan or payer the patient refused); a
// holder, while it rediscloses for treatment or emergency treatment.
func excludes(policy consent.Policy, c consent.Consent, p consent.Party, purpose consent.Purpose, treating bool) bool {
	for _, x := range c.Exclusions {
		if !x.ID.IsZero() && sameSpelling(x.ID.Value, p.ID.Value) {
			return true
		}
		if x.Designation == consent.DesignationUnknown || !classMayInclude(x.Designation, p.Kind) {
			continue
		}
		payer := x.Designation == consent.DesignationHealthPlans || x.Designation == consent.DesignationThirdPartyPayers
		asProvider := purpose == consent.PurposeTreatment || purpose == consent.PurposeEmergencyTreatment
		if payer && treating && asProvider && policy.PayerExclusionSparesTreatingProviders {
			continue
		}
		return true
	}
	return false
}

// sameSpelling: two identifier values are spellings of one value when they are equal with
// ASCII letters in lower case and dashes removed (FHIR R4 Identifier.value: a value "may be
// normalized for comparison purposes (e.g. removing non-significant whitespace, dashes,
// etc.)"). Only exclusions compare so (fail closed).
func sameSpelling(a, b string) bool {
	norm := func(s string) string {
		return strings.Map(func(r rune) rune {
			switch {
			case r == '-':
				return -1
			case 'A' <= r && r <= 'Z':
				return r + ('a' - 'A')
			}
			return r
		}, s)
	}
	return norm(a) == norm(b)
}

// excludesIdentifier: an exclusion names a party that may be the identifier's.
func excludesIdentifier(c consent.Consent, id consent.Identifier) bool {
	for _, x := range c.Exclusions {
		if !x.ID.IsZero() && sameSpelling(x.ID.Value, id.Value) {
			return true
		}
	}
	return false
}

// mayBeTheSame: two identifiers may name one party when their values are equal and their
// systems are equal or one of them has none (the program and the organization of a QSO
// agreement must be two parties, 2.11).
func mayBeTheSame(a, b consent.Identifier) bool {
	return a.Value == b.Value && (a.System == b.System || a.System == "" || b.System == "")
}

// statesPurpose: 42 CFR 2.31(a)(5), "each purpose of the requested use or disclosure".
func statesPurpose(c consent.Consent, purpose consent.Purpose) bool {
	for _, p := range c.Purposes {
		if p == purpose {
			return true
		}
	}
	return false
}

// describesInformation: 42 CFR 2.31(a)(3), the consent describes the information. Every
// kind disclosed must be one the consent lists; the patient's identity is within SUD records,
// which always identify the patient. Counseling notes are listed only by a consent for them
// alone (2.31(b), checked by conformsOnItsFace).
func describesInformation(c consent.Consent, info []consent.InfoKind) bool {
	for _, k := range info {
		if listsInformation(c, k) {
			continue
		}
		if k == consent.InfoKindPatientIdentity && listsInformation(c, consent.InfoKindSUDRecords) {
			continue
		}
		return false
	}
	return true
}

func listsInformation(c consent.Consent, k consent.InfoKind) bool {
	for _, x := range c.Information {
		if x == k {
			return true
		}
	}
	return false
}

// ----------------------------------------------------------------------------------------
// 42 CFR 2.31(c): a consent that does not count.

// countsAt: 42 CFR 2.31(c), "A disclosure may not be made on the basis of a consent which:
// (1) Has expired; (2) On its face substantially fails to conform to any of the requirements
// set forth in paragraph (a) ...; (3) Is known to have been revoked; or (4) Is known, or
// through reasonable diligence could be known, by the person holding the records to be
// materially false." Each counts from its instant, never before; a consent counts only from
// its signing (2.31(a)(9)); a falsity known with no time given counts at every instant.
func countsAt(c consent.Consent, t time.Time) bool {
	if !conformsOnItsFace(c) {
		return false
	}
	if t.Before(c.SignedAt) {
		return false
	}
	if c.KnownFalse && c.KnownFalseAt.IsZero() {
		return false
	}
	for _, stop := range []time.Time{c.KnownFalseAt, c.RevokedAt, c.Expires.At, c.Expires.OccurredAt} {
		if !stop.IsZero() && !t.Before(stop) {
			return false
		}
	}
	return true
}

// knownFalseAt: the consent is known to be materially false at t (2.31(c)(4)): from the
// instant the falsity became known, or at every instant when no instant is given.
func knownFalseAt(c consent.Consent, t time.Time) bool {
	if c.KnownFalse && c.KnownFalseAt.IsZero() {
		return true
	}
	return !c.KnownFalseAt.IsZero() && !t.Before(c.KnownFalseAt)
}

// endOf is the first instant at which the consent stops counting: its known falsity,
// revocation, expiration date or the occurrence of its expiration event, whichever is
// first; zero when none is known.
func endOf(c consent.Consent) time.Time {
	var end time.Time
	for _, stop := range []time.Time{c.KnownFalseAt, c.RevokedAt, c.Expires.At, c.Expires.OccurredAt} {
		if !stop.IsZero() && (end.IsZero() || stop.Before(end)) {
			end = stop
		}
	}
	return end
}

// ----------------------------------------------------------------------------------------
// 42 CFR 2.33(b) and 2.31(a)(4)(ii): what a recipient may do with records received under
// consent.

// redisclosureByHolder: the discloser is not the program but a holder of records it received
// under one of the patient's consents (named by ID, or as a basis writes it, "consent:ID").
// The holder may rely on that consent only if it counted when the holder received the
// records, reached the holder as a recipient without excluding it, and covered the
// information. The patient's exclusions still hold, and no redisclosure is ever for
// proceedings against the patient (2.33(b)(1) for a covered entity or business associate,
// 2.13(a) for any holder; subpart E is the way to a court). Then how the consent names the
// holder decides the one paragraph it may use.
func redisclosureByHolder(policy consent.Policy, consents []consent.Consent, r consent.Request) (Outcome, bool) {
	id := strings.TrimPrefix(r.Holder.ReceivedUnder, "consent:")
	var c consent.Consent
	found := false
	for _, x := range consents {
		if x.Patient == r.Patient && x.ID == id && id != "" {
			c, found = x, true
			break
		}
	}
	if !found {
		return Outcome{}, false
	}
	received := r.Holder.ReceivedAt
	if received.IsZero() || received.After(r.At) || !countsAt(c, received) {
		return Outcome{}, false
	}
	holder := consent.Party{ID: r.Discloser, Kind: r.Holder.Kind}
	holderTreats := r.Holder.TreatingProviderRelationship
	if howConsentReaches(policy, c, holder, consent.PurposeUnknown, holderTreats) == notReached || excludes(policy, c, holder, r.Purpose, holderTreats) {
		return Outcome{}, false
	}
	if !describesInformation(c, r.Information) {
		return Outcome{}, false
	}
	if r.Purpose == consent.PurposeProceedings {
		return Outcome{}, false
	}
	if excludes(policy, c, r.Recipient, r.Purpose, establishesTreating(r)) {
		return Outcome{}, false
	}
	switch {
	case namesAsIntermediary(c, r.Discloser):
		return intermediaryToItsMembers(policy, c, r)
	case r.Holder.Kind == consent.RecipientKindCoveredEntity || r.Holder.Kind == consent.RecipientKindBusinessAssociate:
		return coveredEntityUnderHIPAA(policy, c, r)
	case r.Holder.Kind == consent.RecipientKindPart2Program && c.Kind == consent.KindTPO:
		return programConsistentWithConsent(policy, c, r)
	default:
		return lawfulHolderToContractors(policy, c, r)
	}
}

func namesAsIntermediary(c consent.Consent, id consent.Identifier) bool {
	for _, e := range c.Recipients {
		if isIntermediaryEntry(e) && e.ID == id {
			return true
		}
	}
	return false
}

// stillCounts: a redisclosure made on the basis of the consent needs it to count now
// (2.31(c)), unless the policy lets it outlive the consent's expiry or revocation; never
// once the consent is known to be false: 2.31(c)(4) speaks of the consent "known, or through
// reasonable diligence could be known, by the person holding the records to be materially
// false".
func stillCounts(outlives bool, c consent.Consent, t time.Time) bool {
	if knownFalseAt(c, t) {
		return false
	}
	return outlives || countsAt(c, t)
}

// endUnlessOutlived is the end of a basis that rests on the consent: its end, or, when the
// policy lets the redisclosure outlive its expiry and revocation, the instant it became
// known to be false (zero: not known).
func endUnlessOutlived(outlives bool, c consent.Consent) time.Time {
	if outlives {
		return c.KnownFalseAt
	}
	return endOf(c)
}

// intermediaryToItsMembers: 42 CFR 2.31(a)(4)(ii). The intermediary the consent names passes
// the records to its own member participants (those the consent names or designates for
// this intermediary, not another's; never another intermediary, never a court or law
// enforcement but under a proceedings consent), for a purpose the consent states, with the
// 2.32(a) statement. A participant reached through a general designation goes on the
// intermediary's list of disclosures, which 2.24 owes to patients who consented "using a
// general designation"; a participant the consent names does not.
func intermediaryToItsMembers(policy consent.Policy, c consent.Consent, r consent.Request) (Outcome, bool) {
	ownMember, named := false, false
	for _, e := range c.Recipients {
		if isIntermediaryEntry(e) && e.ID == r.Discloser && isMemberOf(e, r.Recipient, r.Purpose, establishesTreating(r)) {
			ownMember = true
			if isNamedMemberOf(e, r.Recipient) {
				named = true
			}
		}
	}
	if !ownMember || isAnIntermediary(r.Recipient) {
		return Outcome{}, false
	}
	if receivesForProceedings(r.Recipient) && c.Kind != consent.KindProceedings {
		return Outcome{}, false
	}
	if !statesPurpose(c, r.Purpose) || !stillCounts(policy.RedisclosureAfterConsentEnds, c, r.At) {
		return Outcome{}, false
	}
	duties := []Obligation{notice, intermediaryList, onlyWhatThePurposeNeeds}
	if named {
		duties = []Obligation{notice, onlyWhatThePurposeNeeds}
	}
	return Outcome{
		Permit:      true,
		Basis:       consent.Basis{Kind: consent.BasisKindConsent, Consent: c.ID},
		Until:       endUnlessOutlived(policy.RedisclosureAfterConsentEnds, c),
		Obligations: duties,
	}, true
}

// coveredEntityUnderHIPAA: 42 CFR 2.33(b)(1), "When disclosed for treatment, payment, and
// health care operations activities to a covered entity or business associate, such
// recipient may further disclose those records in accordance with the HIPAA regulations,
// except for uses and disclosures for civil, criminal, administrative, and legislative
// proceedings against the patient." That the records were disclosed for those activities is
// certain only under a single TPO consent; the HIPAA permissions judged here are those for
// treatment (emergency treatment included), payment and health care operations, which name
// their recipients (45 CFR 164.506(c)): "(2) ... for treatment activities of a health care
// provider"; "(3) ... to another covered entity or a health care provider for the payment
// activities of the entity that receives the information"; "(4) ... to another covered
// entity for health care operations activities of the entity that receives the information"
// (and, under (c)(1), "its own ... payment, or health care operations", to its business
// associate). 2.33(a)(2) lets a covered entity or business associate use and disclose for
// those "until such time as the patient revokes such consent in writing": the consent must
// still count, unless the policy reads (b)(1) as outliving it; never once it is known false.
func coveredEntityUnderHIPAA(policy consent.Policy, c consent.Consent, r consent.Request) (Outcome, bool) {
	if c.Kind != consent.KindTPO {
		return Outcome{}, false
	}
	if !partyToHIPAADisclosure(r.Purpose, r.Recipient.Kind) {
		return Outcome{}, false
	}
	if !stillCounts(policy.HIPAARedisclosureAfterConsentEnds, c, r.At) {
		return Outcome{}, false
	}
	return Outcome{
		Permit:      true,
		Basis:       consent.Basis{Kind: consent.BasisKindRedisclosure, Consent: c.ID, Section: "42 CFR 2.33(b)(1)"},
		Until:       endUnlessOutlived(policy.HIPAARedisclosureAfterConsentEnds, c),
		Obligations: []Obligation{onlyWhatThePurposeNeeds},
	}, true
}

// partyToHIPAADisclosure: who may receive a covered entity's disclosure for the purpose
// under 45 CFR 164.506(c): a health care provider (a Part 2 program, a covered entity,
// medical personnel) for treatment; a covered entity, a provider or the discloser's business
// associate for payment; a covered entity or the discloser's business associate for health
// care operations. Anything else is not judged here, hence denied.
func partyToHIPAADisclosure(purpose consent.Purpose, kind consent.RecipientKind) bool {
	provider := kind == consent.RecipientKindPart2Program || kind == consent.RecipientKindCoveredEntity ||
		kind == consent.RecipientKindMedicalPersonnel
	switch purpose {
	case consent.PurposeTreatment, consent.PurposeEmergencyTreatment:
		return provider
	case consent.PurposePayment:
		return provider || kind == consent.RecipientKindBusinessAssociate
	case consent.PurposeOperations:
		return kind == consent.RecipientKindCoveredEntity || kind == consent.RecipientKindBusinessAssociate
	}
	return false
}

// programConsistentWithConsent: 42 CFR 2.33(b)(2), "When disclosed with consent given once
// for all future treatment, payment, and health care operations activities to a part 2
// program that is not a covered entity or business associate, the recipient may further
// disclose those records consistent with the consent." Consistent with the consent: to a
// recipient it names or designates (an intermediary only as one; never a court or law
// enforcement, which a TPO consent cannot reach, 2.31(d)), for a purpose it states, while
// it counts. The redisclosure is made with written consent: the 2.32(a) statement and the
// accounting go with it.
func programConsistentWithConsent(policy consent.Policy, c consent.Consent, r consent.Request) (Outcome, bool) {
	reach := howConsentReaches(policy, c, r.Recipient, r.Purpose, establishesTreating(r))
	if reach == notReached || (reach == asMember && !policy.MembersFromProgram) {
		return Outcome{}, false
	}
	if isAnIntermediary(r.Recipient) && reach != asIntermediary {
		return Outcome{}, false
	}
	if receivesForProceedings(r.Recipient) {
		return Outcome{}, false
	}
	if !statesPurpose(c, r.Purpose) || !stillCounts(policy.RedisclosureAfterConsentEnds, c, r.At) {
		return Outcome{}, false
	}
	return Outcome{
		Permit:      true,
		Basis:       consent.Basis{Kind: consent.BasisKindRedisclosure, Consent: c.ID, Section: "42 CFR 2.33(b)(2)"},
		Until:       endUnlessOutlived(policy.RedisclosureAfterConsentEnds, c),
		Obligations: []Obligation{notice, accounting, onlyWhatThePurposeNeeds},
	}, true
}

// lawfulHolderToContractors: 42 CFR 2.33(b)(3), "When disclosed for payment or health care
// operations activities to a lawful holder that is not a covered entity or business
// associate, the recipient may further disclose those records as may be necessary for its
// contractors, subcontractors, or legal representatives to carry out payment and/or health
// care operations on behalf of such lawful holder." The consent must state that purpose.
// 2.33(c): the lawful holder "must have in place a written contract or comparable legal
// instrument with the contractor ... which provides that the contractor ... is fully bound
// by the provisions of part 2 upon receipt", furnishes the 2.32 notice, requires safeguards
// and breach reports, and discloses only what the contractor needs. SUD counseling notes go
// only to whom a consent for them names (2.31(b)): never on to a contractor.
func lawfulHolderToContractors(policy consent.Policy, c consent.Consent, r consent.Request) (Outcome, bool) {
	if r.Purpose != consent.PurposePayment && r.Purpose != consent.PurposeOperations {
		return Outcome{}, false
	}
	if !statesPurpose(c, r.Purpose) || r.Recipient.Kind != consent.RecipientKindContractor {
		return Outcome{}, false
	}
	if !withoutCounselingNotes(r) || !r.Facts.ContractorBound {
		return Outcome{}, false
	}
	if !stillCounts(policy.RedisclosureAfterConsentEnds, c, r.At) {
		return Outcome{}, false
	}
	return Outcome{
		Permit:      true,
		Basis:       consent.Basis{Kind: consent.BasisKindRedisclosure, Consent: c.ID, Section: "42 CFR 2.33(b)(3)"},
		Until:       endUnlessOutlived(policy.RedisclosureAfterConsentEnds, c),
		Obligations: []Obligation{notice, contractorSafeguards, onlyWhatIsNeeded("42 CFR 2.33(b)(3)")},
	}, true
}
