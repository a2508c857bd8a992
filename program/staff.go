package program

import (
	"slices"
	"time"
)

// StaffStatus is where one staff member stands on one competency and mode at a moment:
// the latest record (zero: never), when the next is due, and the state.
type StaffStatus struct {
	Staff      string     `json:"staff"`         // the staff member's identifier
	Competency string     `json:"competency"`    // the competency's code
	Mode       Mode       `json:"mode"`          // training or supervision
	State      StaffState `json:"state"`         // current, due or overdue
	Last       time.Time  `json:"last,omitzero"` // the latest record at or before the moment; zero: never
	Due        time.Time  `json:"due"`           // the record is due by then
}

// staffStatuses judges every staff member employed at the moment (Start at or before it,
// End after it) on every competency and mode the guidance asks for, and returns the rows
// that are due or overdue (in staff, competency, mode order), with their findings. A record
// is due EveryDays after the latest one at or before the moment; one never recorded is due
// NewStaffGraceDays after the start of employment. Overdue: the moment is after the due
// time. Due: the due time falls within the notice window.
func (rv *Reviewer) staffStatuses(staff []Staff, at, notice time.Time) ([]StaffStatus, []Finding, []Finding) {
	g := &rv.g
	var rows []StaffStatus
	var gaps, warns []Finding
	var last []time.Time // latest record per competency and mode, indexed c*2 + mode-1
	for _, s := range staff {
		if s.Start.After(at) || (!s.End.IsZero() && !at.Before(s.End)) {
			continue
		}
		last = slices.Grow(last[:0], 2*len(g.Competencies))[:2*len(g.Competencies)]
		clear(last)
		var unknown []string
		for _, r := range s.Records {
			if r.At.After(at) || !r.Mode.IsValid() {
				continue
			}
			ci, ok := rv.competency[r.Competency]
			if !ok {
				if !slices.Contains(unknown, r.Competency) {
					unknown = append(unknown, r.Competency)
				}
				continue
			}
			i := 2*ci + int(r.Mode) - 1
			if r.At.After(last[i]) {
				last[i] = r.At
			}
		}
		slices.Sort(unknown)
		for _, code := range unknown {
			warns = append(warns, Finding{Code: WarnRecordUnknown, Item: code, Subject: s.ID, Cites: []string{CiteStaff},
				Message: "A record names a competency the guidance does not define; it counts for none."})
		}
		for ci, c := range g.Competencies {
			for _, m := range [...]Mode{ModeTraining, ModeSupervision} {
				every := c.every(m)
				if every == 0 {
					continue
				}
				l := last[2*ci+int(m)-1]
				due := s.Start.Add(days(g.NewStaffGraceDays))
				if !l.IsZero() {
					due = l.Add(days(every))
				}
				row := StaffStatus{Staff: s.ID, Competency: c.Code, Mode: m, Last: l, Due: due}
				switch {
				case at.After(due):
					row.State = StaffOverdue
					code := GapTrainingOverdue
					if m == ModeSupervision {
						code = GapSupervisionOverdue
					}
					gaps = append(gaps, Finding{Code: code, Item: c.Code, Subject: s.ID, Cites: []string{c.Cite},
						Message: "The staff member's " + m.String() + " on this competency is overdue."})
				case !due.After(notice):
					row.State = StaffDue
					code := WarnTrainingDue
					if m == ModeSupervision {
						code = WarnSupervisionDue
					}
					warns = append(warns, Finding{Code: code, Item: c.Code, Subject: s.ID, Cites: []string{c.Cite},
						Message: "The staff member's " + m.String() + " on this competency falls due within the notice window."})
				default:
					continue
				}
				rows = append(rows, row)
			}
		}
	}
	return rows, gaps, warns
}
