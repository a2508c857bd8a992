package perinatal

// Answer is a checklist answer. The zero value is AnswerUnknown (not asked or not known),
// which is never read as met.
type Answer uint8

// The answers.
const (
	AnswerUnknown Answer = iota
	AnswerMet            // the practice is followed
	AnswerUnmet          // the practice is not followed
)

var answerNames = []string{"unknown", "met", "unmet"}

// String returns the answer's stable code, e.g. "unmet".
func (a Answer) String() string { return enumString("Answer", uint8(a), answerNames) }

// IsValid reports whether a is AnswerMet or AnswerUnmet.
func (a Answer) IsValid() bool { return enumValid(uint8(a), answerNames) }

// MarshalText encodes the answer as its stable code.
func (a Answer) MarshalText() ([]byte, error) { return enumMarshal("answer", uint8(a), answerNames) }

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (a *Answer) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("answer", b, answerNames)
	*a = Answer(v)
	return err
}

// SleepItem is one item of the Safe Infant Sleep checklist (AAP 2022, CiteSafeSleep).
// The zero value is SleepItemUnknown.
type SleepItem uint8

// The checklist items, in checklist order.
const (
	SleepItemUnknown      SleepItem = iota
	SleepBackToSleep                // placed on the back for every sleep
	SleepFirmFlatSurface            // firm, flat, level surface; no inclined sleeper over 10 degrees
	SleepOwnSpaceInRoom             // own sleep space in the caregivers' room, ideally for the first 6 months
	SleepNoBedSharing               // no bed-sharing
	SleepNoSoftObjects              // no soft objects, bumpers or loose bedding
	SleepNoOverheating              // no overheating and no head covering
	SleepSmokeFree                  // no smoke or nicotine exposure
	SleepNoAlcoholOrDrugs           // no alcohol, cannabis, opioid or illicit drug exposure or impaired caregiver
	SleepPacifierOffered            // a pacifier offered at sleep time
	SleepTummyTime                  // supervised, awake tummy time
	SleepBreastfeeding              // human milk feeding supported
)

var sleepItemNames = []string{"unknown", "back_to_sleep", "firm_flat_surface", "own_space_in_room", "no_bed_sharing", "no_soft_objects", "no_overheating", "smoke_free", "no_alcohol_or_drugs", "pacifier_offered", "tummy_time", "breastfeeding_supported"}

// String returns the item's stable code, e.g. "back_to_sleep".
func (s SleepItem) String() string { return enumString("SleepItem", uint8(s), sleepItemNames) }

// IsValid reports whether s is a declared item other than SleepItemUnknown.
func (s SleepItem) IsValid() bool { return enumValid(uint8(s), sleepItemNames) }

// MarshalText encodes the item as its stable code.
func (s SleepItem) MarshalText() ([]byte, error) {
	return enumMarshal("sleep item", uint8(s), sleepItemNames)
}

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (s *SleepItem) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("sleep item", b, sleepItemNames)
	*s = SleepItem(v)
	return err
}

// sleepUnmet holds, per item, the plain sentence given when the item is unmet.
var sleepUnmet = [...]string{
	SleepBackToSleep:      "The infant is not placed on the back for every sleep.",
	SleepFirmFlatSurface:  "The sleep surface is not firm, flat and level (or is inclined more than 10 degrees).",
	SleepOwnSpaceInRoom:   "The infant does not sleep in an own sleep space in the caregivers' room.",
	SleepNoBedSharing:     "The infant shares a bed.",
	SleepNoSoftObjects:    "Soft objects, bumpers or loose bedding are in the sleep space.",
	SleepNoOverheating:    "The infant is overheated or the head is covered during sleep.",
	SleepSmokeFree:        "The infant is exposed to smoke or nicotine.",
	SleepNoAlcoholOrDrugs: "The infant is exposed to alcohol or drugs, or sleeps with an impaired caregiver.",
	SleepPacifierOffered:  "No pacifier is offered at sleep time.",
	SleepTummyTime:        "The infant does not get supervised, awake tummy time.",
	SleepBreastfeeding:    "Human milk feeding is not supported.",
}

// sleepCodes holds, per item, the reason codes for an unmet and an unknown answer.
var sleepCodes = [...][2]string{
	SleepBackToSleep:      {"sleep_back_to_sleep_unmet", "sleep_back_to_sleep_unknown"},
	SleepFirmFlatSurface:  {"sleep_firm_flat_surface_unmet", "sleep_firm_flat_surface_unknown"},
	SleepOwnSpaceInRoom:   {"sleep_own_space_in_room_unmet", "sleep_own_space_in_room_unknown"},
	SleepNoBedSharing:     {"sleep_no_bed_sharing_unmet", "sleep_no_bed_sharing_unknown"},
	SleepNoSoftObjects:    {"sleep_no_soft_objects_unmet", "sleep_no_soft_objects_unknown"},
	SleepNoOverheating:    {"sleep_no_overheating_unmet", "sleep_no_overheating_unknown"},
	SleepSmokeFree:        {"sleep_smoke_free_unmet", "sleep_smoke_free_unknown"},
	SleepNoAlcoholOrDrugs: {"sleep_no_alcohol_or_drugs_unmet", "sleep_no_alcohol_or_drugs_unknown"},
	SleepPacifierOffered:  {"sleep_pacifier_offered_unmet", "sleep_pacifier_offered_unknown"},
	SleepTummyTime:        {"sleep_tummy_time_unmet", "sleep_tummy_time_unknown"},
	SleepBreastfeeding:    {"sleep_breastfeeding_supported_unmet", "sleep_breastfeeding_supported_unknown"},
}

// SleepChecklist records, item by item, whether a home (or any place an infant stays)
// follows the AAP 2022 safe sleep recommendations. Comparable; the zero value is all
// unknown.
type SleepChecklist struct {
	BackToSleep            Answer `json:"back_to_sleep"`
	FirmFlatSurface        Answer `json:"firm_flat_surface"`
	OwnSpaceInRoom         Answer `json:"own_space_in_room"`
	NoBedSharing           Answer `json:"no_bed_sharing"`
	NoSoftObjects          Answer `json:"no_soft_objects"`
	NoOverheating          Answer `json:"no_overheating"`
	SmokeFree              Answer `json:"smoke_free"`
	NoAlcoholOrDrugs       Answer `json:"no_alcohol_or_drugs"`
	PacifierOffered        Answer `json:"pacifier_offered"`
	TummyTime              Answer `json:"tummy_time"`
	BreastfeedingSupported Answer `json:"breastfeeding_supported"`
}

// Answers returns the answers in checklist order, indexed by SleepItem (index 0 unused).
func (c SleepChecklist) Answers() [len(sleepUnmet)]Answer {
	return [...]Answer{0, c.BackToSleep, c.FirmFlatSurface, c.OwnSpaceInRoom, c.NoBedSharing,
		c.NoSoftObjects, c.NoOverheating, c.SmokeFree, c.NoAlcoholOrDrugs, c.PacifierOffered,
		c.TummyTime, c.BreastfeedingSupported}
}

// SleepOutcome is the overall result of a safe sleep assessment. The zero value is
// SleepOutcomeUnknown.
type SleepOutcome uint8

// The outcomes.
const (
	SleepOutcomeUnknown SleepOutcome = iota // no item unmet, but some not known
	SleepMeets                              // every item met
	SleepDoesNotMeet                        // at least one item unmet
)

var sleepOutcomeNames = []string{"unknown", "meets", "does_not_meet"}

// String returns the outcome's stable code, e.g. "does_not_meet".
func (o SleepOutcome) String() string {
	return enumString("SleepOutcome", uint8(o), sleepOutcomeNames)
}

// IsValid reports whether o is SleepMeets or SleepDoesNotMeet.
func (o SleepOutcome) IsValid() bool { return enumValid(uint8(o), sleepOutcomeNames) }

// MarshalText encodes the outcome as its stable code.
func (o SleepOutcome) MarshalText() ([]byte, error) {
	return enumMarshal("sleep outcome", uint8(o), sleepOutcomeNames)
}

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (o *SleepOutcome) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("sleep outcome", b, sleepOutcomeNames)
	*o = SleepOutcome(v)
	return err
}

// SleepFinding is one checklist item that is not met (or not known), with its reason.
type SleepFinding struct {
	Item   SleepItem `json:"item"`
	Answer Answer    `json:"answer"`
	Reason Reason    `json:"reason"`
}

// SleepAssessment is the explained result of assessing a SleepChecklist: every unmet item
// with its reason, then every unknown item.
type SleepAssessment struct {
	Outcome SleepOutcome   `json:"outcome"`
	Unmet   []SleepFinding `json:"unmet,omitempty"`
	Unknown []SleepFinding `json:"unknown,omitempty"`
}

// AssessSleep assesses the checklist against the AAP 2022 recommendations (CiteSafeSleep).
// Every unmet item is listed with its reason (code "sleep_<item>_unmet"), then every
// unknown item ("sleep_<item>_unknown"); an answer code out of range counts as unknown.
// The outcome is SleepDoesNotMeet if any item is unmet, else SleepOutcomeUnknown if any is
// unknown, else SleepMeets. Nothing is allocated when every item is met.
func AssessSleep(c SleepChecklist) SleepAssessment {
	var a SleepAssessment
	ans := c.Answers()
	for i := 1; i < len(ans); i++ {
		item := SleepItem(i)
		switch ans[i] {
		case AnswerMet:
		case AnswerUnmet:
			a.Unmet = append(a.Unmet, SleepFinding{item, AnswerUnmet,
				Reason{sleepCodes[i][0], CiteSafeSleep, sleepUnmet[i]}})
		default:
			a.Unknown = append(a.Unknown, SleepFinding{item, AnswerUnknown,
				Reason{sleepCodes[i][1], CiteSafeSleep, "Whether this practice is followed is not known."}})
		}
	}
	switch {
	case len(a.Unmet) > 0:
		a.Outcome = SleepDoesNotMeet
	case len(a.Unknown) > 0:
		a.Outcome = SleepOutcomeUnknown
	default:
		a.Outcome = SleepMeets
	}
	return a
}
