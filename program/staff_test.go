package program

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Outreach to prenatal care settings within 90 days, both ends included; outreach to
// other settings, or after the moment, does not count.
func TestOutreach(t *testing.T) {
	tests := []struct {
		name string
		acts []Outreach
		gap  bool
		warn bool
	}{
		{"none", nil, true, false},
		{"90 days ago: met, next due now", []Outreach{{ID: "o", At: ago(90), Setting: SourcePrenatalCare}}, false, true},
		{"90 days and a second ago", []Outreach{{ID: "o", At: ago(90).Add(-time.Second), Setting: SourcePrenatalCare}}, true, false},
		{"59 days ago: due in 31 days", []Outreach{{ID: "o", At: ago(59), Setting: SourcePrenatalCare}}, false, false},
		{"60 days ago: due in 30 days, warned", []Outreach{{ID: "o", At: ago(60), Setting: SourcePrenatalCare}}, false, true},
		{"hospital only", []Outreach{{ID: "o", At: ago(1), Setting: SourceHospital}}, true, false},
		{"after the moment", []Outreach{{ID: "o", At: at0.Add(time.Second), Setting: SourcePrenatalCare}}, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := fullFacts(t)
			f.Outreach = tc.acts
			rep := review(t, f, Options{})
			var wantGaps, wantWarns []string
			if tc.gap {
				wantGaps = []string{"outreach_none outreach_prenatal_care"}
			}
			if tc.warn {
				wantWarns = []string{"outreach_due outreach_prenatal_care"}
			}
			if d := cmp.Diff(wantGaps, codes(rep.Gaps), cmp.Comparer(sameStrings)); d != "" {
				t.Errorf("gaps (-want +got):\n%s", d)
			}
			if d := cmp.Diff(wantWarns, codes(rep.Warnings), cmp.Comparer(sameStrings)); d != "" {
				t.Errorf("warnings (-want +got):\n%s", d)
			}
		})
	}
}

func sameStrings(a, b []string) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return cmp.Equal(a, b)
}

// Staff: each competency is due 365 days after the latest training (perceptions and values
// also 90 days after the latest supervision, as the guidance asks both); a competency never
// recorded is due 90 days after the start of employment. Overdue once the moment is past
// the due time; due (a warning) when the due time is within 30 days.
func TestStaffDue(t *testing.T) {
	g := MassachusettsBSAS()
	all := allRecords(g, ago(100), ago(10))
	only := func(code string, m Mode, at time.Time) []StaffRecord {
		var out []StaffRecord
		for _, r := range all {
			if r.Competency == code && r.Mode == m {
				r.At = at
			}
			out = append(out, r)
		}
		return out
	}
	tests := []struct {
		name  string
		staff Staff
		want  []StaffStatus
	}{
		{"all current", Staff{ID: "s", Start: ago(1000), Records: all}, nil},
		{"training 365 days ago: due at the moment, not yet overdue",
			Staff{ID: "s", Start: ago(1000), Records: only("neonatal_abstinence", ModeTraining, ago(365))},
			[]StaffStatus{{Staff: "s", Competency: "neonatal_abstinence", Mode: ModeTraining, State: StaffDue, Last: ago(365), Due: at0}}},
		{"training 366 days ago: overdue",
			Staff{ID: "s", Start: ago(1000), Records: only("neonatal_abstinence", ModeTraining, ago(366))},
			[]StaffStatus{{Staff: "s", Competency: "neonatal_abstinence", Mode: ModeTraining, State: StaffOverdue, Last: ago(366), Due: ago(1)}}},
		{"supervision 91 days ago: overdue",
			Staff{ID: "s", Start: ago(1000), Records: only("perceptions_values", ModeSupervision, ago(91))},
			[]StaffStatus{{Staff: "s", Competency: "perceptions_values", Mode: ModeSupervision, State: StaffOverdue, Last: ago(91), Due: ago(1)}}},
		{"a supervision record does not count as training",
			Staff{ID: "s", Start: ago(1000), Records: append(only("neonatal_abstinence", ModeTraining, ago(400)),
				StaffRecord{Competency: "neonatal_abstinence", Mode: ModeSupervision, At: ago(1)})},
			[]StaffStatus{{Staff: "s", Competency: "neonatal_abstinence", Mode: ModeTraining, State: StaffOverdue, Last: ago(400), Due: ago(35)}}},
		{"a record after the moment does not count",
			Staff{ID: "s", Start: ago(1000), Records: append(only("neonatal_abstinence", ModeTraining, ago(400)),
				StaffRecord{Competency: "neonatal_abstinence", Mode: ModeTraining, At: at0.Add(time.Second)})},
			[]StaffStatus{{Staff: "s", Competency: "neonatal_abstinence", Mode: ModeTraining, State: StaffOverdue, Last: ago(400), Due: ago(35)}}},
		{"departed at the moment: not reviewed", Staff{ID: "s", Start: ago(1000), End: at0}, nil},
		{"starts after the moment: not reviewed", Staff{ID: "s", Start: at0.Add(time.Second)}, nil},
		{"new, 59 days in: nothing due within 30 days", Staff{ID: "s", Start: ago(59)}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := fullFacts(t)
			f.Staff = []Staff{tc.staff}
			rep := review(t, f, Options{})
			if d := cmp.Diff(tc.want, rep.Staff); d != "" {
				t.Errorf("staff (-want +got):\n%s", d)
			}
			// Every overdue row is a gap and every due row a warning, with the staff
			// member as subject and the competency as item.
			var gaps, warns []string
			for _, s := range tc.want {
				code := map[StaffState]map[Mode]string{
					StaffOverdue: {ModeTraining: GapTrainingOverdue, ModeSupervision: GapSupervisionOverdue},
					StaffDue:     {ModeTraining: WarnTrainingDue, ModeSupervision: WarnSupervisionDue}}[s.State][s.Mode]
				if s.State == StaffOverdue {
					gaps = append(gaps, code+" "+s.Competency+" "+s.Staff)
				} else {
					warns = append(warns, code+" "+s.Competency+" "+s.Staff)
				}
			}
			if d := cmp.Diff(gaps, codes(rep.Gaps), cmp.Comparer(sameStrings)); d != "" {
				t.Errorf("gaps (-want +got):\n%s", d)
			}
			if d := cmp.Diff(warns, codes(rep.Warnings), cmp.Comparer(sameStrings)); d != "" {
				t.Errorf("warnings (-want +got):\n%s", d)
			}
		})
	}
}

// A new staff member with no record: due 90 days after the start of employment; every
// competency and mode listed, in guidance order.
func TestNewStaffGrace(t *testing.T) {
	f := fullFacts(t)
	f.Staff = []Staff{{ID: "new", Start: ago(91)}}
	rep := review(t, f, Options{})
	// 10 competencies trained, one also supervised: 11 rows, all overdue since yesterday.
	if len(rep.Staff) != 11 || len(rep.Gaps) != 11 {
		t.Fatalf("%d rows, %d gaps, want 11 each: %v", len(rep.Staff), len(rep.Gaps), codes(rep.Gaps))
	}
	want := []string{"training_overdue perceptions_values new", "supervision_overdue perceptions_values new",
		"training_overdue substance_effects new"}
	if d := cmp.Diff(want, codes(rep.Gaps)[:3]); d != "" {
		t.Errorf("first gaps (-want +got):\n%s", d)
	}
	for _, s := range rep.Staff {
		if s.State != StaffOverdue || !s.Last.IsZero() || !s.Due.Equal(ago(1)) {
			t.Errorf("row %+v", s)
		}
	}
}

// A record naming a competency the guidance does not define counts for nothing, and says
// so once per staff member and code.
func TestRecordUnknownCompetency(t *testing.T) {
	f := fullFacts(t)
	f.Staff[0].Records = append(f.Staff[0].Records,
		StaffRecord{Competency: "motivational_interview", Mode: ModeTraining, At: ago(1)},
		StaffRecord{Competency: "motivational_interview", Mode: ModeSupervision, At: ago(2)})
	rep := review(t, f, Options{})
	if d := cmp.Diff([]string{"record_competency_unknown motivational_interview s1"}, codes(rep.Warnings)); d != "" {
		t.Errorf("warnings (-want +got):\n%s", d)
	}
	if len(rep.Gaps) != 0 {
		t.Errorf("gaps %v", codes(rep.Gaps))
	}
}
