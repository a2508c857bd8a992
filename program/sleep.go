package program

import (
	"time"

	"github.com/dyad-health/dyad/perinatal"
)

// SleepRequirement is a guidance item on Safe Infant Sleep (CiteOrgSafeSleep): every
// infant under one year in the program's care sleeps where the American Academy of
// Pediatrics' 2022 recommendations are followed (perinatal.CiteSafeSleep), as a
// sleep-environment checklist (perinatal.SleepChecklist) shows, the first one within
// WithinDays of the infant joining the program's care. Code is stable API, the item of
// every finding about the requirement.
type SleepRequirement struct {
	Code       string `json:"code"`        // stable code, e.g. "safe_sleep"
	Cite       string `json:"cite"`        // the guidance item, e.g. CiteOrgSafeSleep
	WithinDays int    `json:"within_days"` // a first checklist within this many days of the infant joining care
}

// SleepCheck is one sleep-environment checklist the program completed for a dyad's infant:
// where the infant sleeps (the program's residence or the family's home), item by item,
// against the AAP 2022 recommendations.
type SleepCheck struct {
	ID        string                   `json:"id"`        // the checklist's identifier
	Dyad      string                   `json:"dyad"`      // the dyad's identifier
	At        time.Time                `json:"at"`        // when it was completed
	Checklist perinatal.SleepChecklist `json:"checklist"` // the answers, item by item
}

// SleepStatus is where one dyad with an infant in the program's care stands on Safe Infant
// Sleep at a moment: since when the infant is in care, when a first checklist is due, the
// latest checklist (zero: none) and its assessment.
type SleepStatus struct {
	Dyad    string                 `json:"dyad"`              // the dyad's identifier
	Since   time.Time              `json:"since"`             // the infant in the program's care from
	Due     time.Time              `json:"due"`               // a first checklist is due by then
	Checked time.Time              `json:"checked,omitzero"`  // the latest checklist at or before the moment; zero: none
	Outcome perinatal.SleepOutcome `json:"outcome,omitempty"` // its assessment (perinatal.AssessSleep); unknown when none
}

// infantSince returns, for a dyad, when an infant under one year joined the program's
// care, and whether one is in its care at the moment at (see the package documentation,
// "Safe Infant Sleep").
func infantSince(d *Dyad, at time.Time) (time.Time, bool) {
	if d.IntakeAt.After(at) || (!d.DischargedAt.IsZero() && !d.DischargedAt.After(at)) {
		return time.Time{}, false // not in care at the moment
	}
	born := d.InfantBornAt
	if p := d.Pregnancy; p != nil {
		// Pregnant at intake: the infant of that pregnancy, once born alive (an end whose
		// outcome is not recorded is taken as a birth: fail closed).
		if !p.Delivered(at) || p.Outcome == perinatal.OutcomeStillbirth || p.Outcome == perinatal.OutcomePregnancyLoss {
			return time.Time{}, false
		}
		born = p.DeliveredAt
	}
	if !born.IsZero() && !at.Before(born.AddDate(1, 0, 0)) {
		return time.Time{}, false // one year old or more
	}
	// Not pregnant at intake and no birth given: a mother-infant dyad, taken to have come
	// with an infant under one (fail closed).
	if born.Before(d.IntakeAt) {
		return d.IntakeAt, true
	}
	return born, true
}

// safeSleep judges the guidance's Safe Infant Sleep requirement at the moment at: one row
// per dyad in care with an infant under one, in dyad order, and its findings. A dyad whose
// latest checklist (completed from intake to the moment) does not meet the
// recommendations is a gap, safe_sleep_unmet, with the unmet items' reason codes as
// problems; one whose latest checklist leaves items unknown, safe_sleep_incomplete, with
// the unknown items' codes; one with no checklist past its due time, safe_sleep_none; and
// one with no checklist falling due within the notice window, a warning, safe_sleep_due.
func (rv *Reviewer) safeSleep(dyads []Dyad, checks []SleepCheck, at, notice time.Time) ([]SleepStatus, []Finding, []Finding) {
	req := rv.g.SafeSleep
	if req == nil {
		return nil, nil, nil
	}
	latest := make(map[string]int, len(checks)) // dyad -> index of its latest checklist
	for i, c := range checks {
		if c.At.After(at) {
			continue
		}
		if j, ok := latest[c.Dyad]; !ok || c.At.After(checks[j].At) {
			latest[c.Dyad] = i
		}
	}
	cites := []string{req.Cite, perinatal.CiteSafeSleep}
	var rows []SleepStatus
	var gaps, warns []Finding
	for i := range dyads {
		d := &dyads[i]
		since, ok := infantSince(d, at)
		if !ok {
			continue
		}
		row := SleepStatus{Dyad: d.ID, Since: since, Due: since.Add(days(req.WithinDays))}
		finding := func(code, msg string, problems []string) Finding {
			return Finding{Code: code, Item: req.Code, Subject: d.ID, Cites: cites, Problems: problems, Message: msg}
		}
		j, checked := latest[d.ID]
		if checked && checks[j].At.Before(d.IntakeAt) {
			checked = false // a checklist from before this stay
		}
		if !checked {
			switch {
			case at.After(row.Due):
				gaps = append(gaps, finding(GapSafeSleepNone, "No sleep-environment checklist was completed for the dyad's infant by its due time.", nil))
			case !row.Due.After(notice):
				warns = append(warns, finding(WarnSafeSleepDue, "A first sleep-environment checklist for the dyad's infant falls due within the notice window.", nil))
			}
			rows = append(rows, row)
			continue
		}
		row.Checked = checks[j].At
		a := perinatal.AssessSleep(checks[j].Checklist)
		row.Outcome = a.Outcome
		switch a.Outcome {
		case perinatal.SleepDoesNotMeet:
			gaps = append(gaps, finding(GapSafeSleepUnmet, "The latest sleep-environment checklist finds recommendations not followed.", reasonCodes(a.Unmet)))
		case perinatal.SleepOutcomeUnknown:
			gaps = append(gaps, finding(GapSafeSleepIncomplete, "The latest sleep-environment checklist leaves recommendations unknown.", reasonCodes(a.Unknown)))
		}
		rows = append(rows, row)
	}
	return rows, gaps, warns
}

// reasonCodes returns the findings' reason codes, e.g. "sleep_no_bed_sharing_unmet".
func reasonCodes(fs []perinatal.SleepFinding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Reason.Code
	}
	return out
}
