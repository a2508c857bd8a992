package program

import (
	"strings"

	"github.com/dyad-health/dyad/internal/ident"
)

// Finding codes. A gap is a guidance item the program does not meet at the moment
// reviewed; a warning is one it meets now but will not meet within the notice window
// unless something is done, or a record the review could not use. Codes are stable API.
const (
	// Partners.

	GapNoPartner = "no_partner_of_kind" // the directory holds no partner of any kind the requirement names

	// QSO agreements (42 CFR 2.11, 2.12(c)(4)).

	GapQSOANone        = "qsoa_none"           // partners of the kind, none holds an agreement with the program
	GapQSOAInvalid     = "qsoa_invalid"        // agreements held, none valid (Problems: consent's codes)
	GapQSOANoCategory  = "qsoa_no_qso_service" // valid agreements, none listing a 42 CFR 2.11 service
	GapQSOANotInForce  = "qsoa_not_in_force"   // valid agreements, none in force at the moment
	WarnQSOAExpiring   = "qsoa_expiring"       // covered, but every covering agreement ends within the notice window
	WarnQSOAOtherParty = "qsoa_other_program"  // an agreement of the partner names another program (not counted)

	// Partnerships.

	GapPartnershipNone       = "partnership_none"         // partners of the kind, no partnership with any
	GapPartnershipNotInForce = "partnership_not_in_force" // partnerships, none in force at the moment
	GapPartnershipInactive   = "partnership_inactive"     // in force, no joint activity within the window
	WarnPartnershipEnding    = "partnership_ending"       // covered, but every covering partnership ends or goes quiet within the notice window

	// Outreach.

	GapOutreachNone = "outreach_none" // no outreach to the settings within the interval
	WarnOutreachDue = "outreach_due"  // the next outreach falls due within the notice window

	// Safe Infant Sleep (the sleep-environment checklists, AAP 2022). Subject: the dyad.

	GapSafeSleepNone       = "safe_sleep_none"       // an infant in care with no checklist past its due time
	GapSafeSleepUnmet      = "safe_sleep_unmet"      // the latest checklist finds items unmet (Problems: perinatal's reason codes)
	GapSafeSleepIncomplete = "safe_sleep_incomplete" // the latest checklist leaves items unknown (Problems: perinatal's reason codes)
	WarnSafeSleepDue       = "safe_sleep_due"        // no checklist yet, the first falls due within the notice window

	// Staff development.

	GapTrainingOverdue    = "training_overdue"          // Subject: staff; Item: competency
	GapSupervisionOverdue = "supervision_overdue"       // Subject: staff; Item: competency
	WarnTrainingDue       = "training_due"              // due within the notice window
	WarnSupervisionDue    = "supervision_due"           // due within the notice window
	WarnRecordUnknown     = "record_competency_unknown" // a record names a competency the guidance does not define
)

// Finding is one gap or warning: a stable code, the guidance item it concerns (a
// requirement's or competency's code), the identifier of what it is about (a staff member
// or a dyad, where it is about one), the citations, and a plain sentence. Partners lists the partners
// considered and Problems the validation codes that explain the code (for qsoa_invalid:
// the consent package's problem codes). Nothing in a finding is patient data.
type Finding struct {
	Code     string   `json:"code"`               // stable code, e.g. "qsoa_invalid"
	Item     string   `json:"item"`               // the requirement's or competency's code
	Subject  string   `json:"subject,omitempty"`  // the staff member's identifier (staff findings) or the dyad's (safe sleep findings)
	Cites    []string `json:"cites"`              // the guidance item, and 42 CFR 2.11, 2.12(c)(4) for QSO agreements
	Partners []string `json:"partners,omitempty"` // the partners considered
	Problems []string `json:"problems,omitempty"` // the codes that explain the finding
	Message  string   `json:"message"`            // a plain sentence, not API
}

// String renders the finding on one line: code, item, subject (quoted) and citations, e.g.
// `qsoa_none qsoa_pediatric [MA BSAS ...; 42 CFR 2.11; 42 CFR 2.12(c)(4)]`. A review's
// findings hold codes and one-line citations (Guidance.Validate refuses any other text);
// for a Finding built otherwise, a code or item that is not a snake_case code and a
// citation that is not one line of printable text are written quoted and escaped
// (ident.QuoteText), so that String is always one line.
func (f Finding) String() string {
	var b strings.Builder
	code := func(s string) string {
		if isCode(s) {
			return s
		}
		return ident.QuoteN(s, 64)
	}
	b.WriteString(code(f.Code))
	b.WriteByte(' ')
	b.WriteString(code(f.Item))
	if f.Subject != "" {
		b.WriteByte(' ')
		b.WriteString(ident.Quote(f.Subject))
	}
	b.WriteString(" [")
	for i, c := range f.Cites {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(ident.QuoteText(c, maxText))
	}
	b.WriteByte(']')
	return b.String()
}
