package perinatal

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func allMet() SleepChecklist {
	m := AnswerMet
	return SleepChecklist{m, m, m, m, m, m, m, m, m, m, m}
}

func TestAssessSleep(t *testing.T) {
	const cite = CiteSafeSleep
	tests := []struct {
		name string
		c    SleepChecklist
		want SleepAssessment
	}{
		{"every item met", allMet(), SleepAssessment{Outcome: SleepMeets}},
		{"zero checklist: every item unknown", SleepChecklist{}, SleepAssessment{Outcome: SleepOutcomeUnknown, Unknown: []SleepFinding{
			{SleepBackToSleep, AnswerUnknown, Reason{"sleep_back_to_sleep_unknown", cite, "Whether this practice is followed is not known."}},
			{SleepFirmFlatSurface, AnswerUnknown, Reason{"sleep_firm_flat_surface_unknown", cite, "Whether this practice is followed is not known."}},
			{SleepOwnSpaceInRoom, AnswerUnknown, Reason{"sleep_own_space_in_room_unknown", cite, "Whether this practice is followed is not known."}},
			{SleepNoBedSharing, AnswerUnknown, Reason{"sleep_no_bed_sharing_unknown", cite, "Whether this practice is followed is not known."}},
			{SleepNoSoftObjects, AnswerUnknown, Reason{"sleep_no_soft_objects_unknown", cite, "Whether this practice is followed is not known."}},
			{SleepNoOverheating, AnswerUnknown, Reason{"sleep_no_overheating_unknown", cite, "Whether this practice is followed is not known."}},
			{SleepSmokeFree, AnswerUnknown, Reason{"sleep_smoke_free_unknown", cite, "Whether this practice is followed is not known."}},
			{SleepNoAlcoholOrDrugs, AnswerUnknown, Reason{"sleep_no_alcohol_or_drugs_unknown", cite, "Whether this practice is followed is not known."}},
			{SleepPacifierOffered, AnswerUnknown, Reason{"sleep_pacifier_offered_unknown", cite, "Whether this practice is followed is not known."}},
			{SleepTummyTime, AnswerUnknown, Reason{"sleep_tummy_time_unknown", cite, "Whether this practice is followed is not known."}},
			{SleepBreastfeeding, AnswerUnknown, Reason{"sleep_breastfeeding_supported_unknown", cite, "Whether this practice is followed is not known."}},
		}}},
		{"bed-sharing with soft bedding, pacifier unknown", func() SleepChecklist {
			c := allMet()
			c.NoBedSharing, c.NoSoftObjects, c.PacifierOffered = AnswerUnmet, AnswerUnmet, AnswerUnknown
			return c
		}(), SleepAssessment{Outcome: SleepDoesNotMeet,
			Unmet: []SleepFinding{
				{SleepNoBedSharing, AnswerUnmet, Reason{"sleep_no_bed_sharing_unmet", cite, "The infant shares a bed."}},
				{SleepNoSoftObjects, AnswerUnmet, Reason{"sleep_no_soft_objects_unmet", cite, "Soft objects, bumpers or loose bedding are in the sleep space."}},
			},
			Unknown: []SleepFinding{
				{SleepPacifierOffered, AnswerUnknown, Reason{"sleep_pacifier_offered_unknown", cite, "Whether this practice is followed is not known."}},
			}}},
		{"answer out of range counts as unknown", func() SleepChecklist { c := allMet(); c.BackToSleep = Answer(5); return c }(),
			SleepAssessment{Outcome: SleepOutcomeUnknown, Unknown: []SleepFinding{
				{SleepBackToSleep, AnswerUnknown, Reason{"sleep_back_to_sleep_unknown", cite, "Whether this practice is followed is not known."}},
			}}},
		{"one unmet item only: the inclined sleeper", func() SleepChecklist { c := allMet(); c.FirmFlatSurface = AnswerUnmet; return c }(),
			SleepAssessment{Outcome: SleepDoesNotMeet, Unmet: []SleepFinding{
				{SleepFirmFlatSurface, AnswerUnmet, Reason{"sleep_firm_flat_surface_unmet", cite, "The sleep surface is not firm, flat and level (or is inclined more than 10 degrees)."}},
			}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, AssessSleep(tt.c)); diff != "" {
				t.Errorf("assessment (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAssessSleepEveryItemUnmetHasItsReason(t *testing.T) {
	c := SleepChecklist{}
	for _, p := range []*Answer{&c.BackToSleep, &c.FirmFlatSurface, &c.OwnSpaceInRoom, &c.NoBedSharing, &c.NoSoftObjects, &c.NoOverheating, &c.SmokeFree, &c.NoAlcoholOrDrugs, &c.PacifierOffered, &c.TummyTime, &c.BreastfeedingSupported} {
		*p = AnswerUnmet
	}
	a := AssessSleep(c)
	if a.Outcome != SleepDoesNotMeet || len(a.Unmet) != 11 || len(a.Unknown) != 0 {
		t.Fatalf("got %v with %d unmet, %d unknown", a.Outcome, len(a.Unmet), len(a.Unknown))
	}
	for i, f := range a.Unmet {
		if f.Item != SleepItem(i+1) || f.Reason.Code != "sleep_"+f.Item.String()+"_unmet" || f.Reason.Message == "" {
			t.Errorf("finding %d = %+v", i, f)
		}
	}
}

func TestAssessSleepAllMetAllocatesNothing(t *testing.T) {
	c := allMet()
	if n := testing.AllocsPerRun(100, func() { _ = AssessSleep(c) }); n != 0 {
		t.Errorf("AssessSleep allocates %v times", n)
	}
}
