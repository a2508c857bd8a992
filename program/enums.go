package program

import "strconv"

// Every enum of this package is a uint8 whose zero value is Unknown, with stable snake_case
// codes held in an unexported table that is never written.

func enumString(kind string, v uint8, codes []string) string {
	if int(v) < len(codes) {
		return codes[v]
	}
	return kind + "(" + strconv.Itoa(int(v)) + ")"
}

func enumMarshal(kind string, v uint8, codes []string) ([]byte, error) {
	if v == 0 || int(v) >= len(codes) {
		return nil, &codeError{kind: kind, code: enumString(kind, v, codes)}
	}
	return []byte(codes[v]), nil
}

func enumUnmarshal(kind string, b []byte, codes []string) (uint8, error) {
	for i := 1; i < len(codes); i++ {
		if string(b) == codes[i] {
			return uint8(i), nil
		}
	}
	return 0, &codeError{kind: kind, code: string(b)}
}

// SourceKind is the kind of setting a referral to the program came from, or an outreach
// visit went to. Prenatal care settings come first: the guidance asks for outreach to them
// to promote referrals of pregnant women (CiteOrgOutreach). The zero value is
// SourceUnknown.
type SourceKind uint8

// The source kinds, in report order.
const (
	SourceUnknown              SourceKind = iota
	SourcePrenatalCare                    // prenatal (obstetric) care: OB/GYN, midwifery, prenatal clinic
	SourceHospital                        // hospital: labor and delivery, maternity, NICU, inpatient
	SourceEmergencyDepartment             // emergency department
	SourcePrimaryCare                     // primary care
	SourcePediatricCare                   // pediatric care
	SourceMOUDProvider                    // medication for opioid use disorder provider (OTP, office-based)
	SourceSUDTreatment                    // another substance use disorder treatment program
	SourceRecoverySupport                 // recovery support center, recovery coaching
	SourceChildWelfare                    // child welfare agency (DCF in Massachusetts)
	SourceHomeVisiting                    // home visiting
	SourceEarlyIntervention               // Early Intervention
	SourceFamilyResourceCenter            // family resource center
	SourceCriminalLegal                   // courts, probation, corrections
	SourceSelf                            // the woman herself
	SourceFamily                          // family member or friend
	SourceOther                           // any other source
	numSourceKinds
)

var sourceKindCodes = [...]string{"unknown", "prenatal_care", "hospital", "emergency_department",
	"primary_care", "pediatric_care", "moud_provider", "sud_treatment", "recovery_support",
	"child_welfare", "home_visiting", "early_intervention", "family_resource_center",
	"criminal_legal", "self", "family", "other"}

// String returns the stable code, e.g. "prenatal_care".
func (k SourceKind) String() string { return enumString("SourceKind", uint8(k), sourceKindCodes[:]) }

// IsValid reports whether k is a declared kind other than SourceUnknown.
func (k SourceKind) IsValid() bool { return k > SourceUnknown && k < numSourceKinds }

// MarshalText encodes the kind as its stable code; SourceUnknown is an error.
func (k SourceKind) MarshalText() ([]byte, error) {
	return enumMarshal("source kind", uint8(k), sourceKindCodes[:])
}

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (k *SourceKind) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("source kind", b, sourceKindCodes[:])
	*k = SourceKind(v)
	return err
}

// SourceKinds returns every declared kind in report order, prenatal care first.
func SourceKinds() []SourceKind {
	out := make([]SourceKind, 0, numSourceKinds-1)
	for k := SourcePrenatalCare; k < numSourceKinds; k++ {
		out = append(out, k)
	}
	return out
}

// Mode is how a competency is kept up: by training or by supervision. The zero value is
// ModeUnknown.
type Mode uint8

// The modes.
const (
	ModeUnknown     Mode = iota
	ModeTraining         // a training session, course or in-service on the competency
	ModeSupervision      // a supervision session that explicitly explores the competency
	numModes
)

var modeCodes = [...]string{"unknown", "training", "supervision"}

// String returns the stable code, e.g. "supervision".
func (m Mode) String() string { return enumString("Mode", uint8(m), modeCodes[:]) }

// IsValid reports whether m is ModeTraining or ModeSupervision.
func (m Mode) IsValid() bool { return m > ModeUnknown && m < numModes }

// MarshalText encodes the mode as its stable code; ModeUnknown is an error.
func (m Mode) MarshalText() ([]byte, error) { return enumMarshal("mode", uint8(m), modeCodes[:]) }

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (m *Mode) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("mode", b, modeCodes[:])
	*m = Mode(v)
	return err
}

// Outcome is a measure judged for one dyad at a moment. The zero value is OutcomeUnknown,
// which no measure returns.
type Outcome uint8

// The outcomes.
const (
	OutcomeUnknown       Outcome = iota
	OutcomeNotApplicable         // the dyad is not in the measure's denominator (e.g. not pregnant at intake)
	OutcomePending               // not met yet, and its window has not closed at the moment judged
	OutcomeMet                   // met
	OutcomeUnmet                 // not met, and its window has closed (or it can no longer be met)
	numOutcomes
)

var outcomeCodes = [...]string{"unknown", "not_applicable", "pending", "met", "unmet"}

// String returns the stable code, e.g. "pending".
func (o Outcome) String() string { return enumString("Outcome", uint8(o), outcomeCodes[:]) }

// IsValid reports whether o is a declared outcome other than OutcomeUnknown.
func (o Outcome) IsValid() bool { return o > OutcomeUnknown && o < numOutcomes }

// MarshalText encodes the outcome as its stable code; OutcomeUnknown is an error.
func (o Outcome) MarshalText() ([]byte, error) {
	return enumMarshal("outcome", uint8(o), outcomeCodes[:])
}

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (o *Outcome) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("outcome", b, outcomeCodes[:])
	*o = Outcome(v)
	return err
}

// StaffState is where one staff member stands on one competency and mode at a moment.
// The zero value is StaffStateUnknown.
type StaffState uint8

// The states.
const (
	StaffStateUnknown StaffState = iota
	StaffCurrent                 // done, and not due again within the notice window
	StaffDue                     // due within the notice window (a warning)
	StaffOverdue                 // the due time has passed (a gap)
	numStaffStates
)

var staffStateCodes = [...]string{"unknown", "current", "due", "overdue"}

// String returns the stable code, e.g. "overdue".
func (s StaffState) String() string { return enumString("StaffState", uint8(s), staffStateCodes[:]) }

// IsValid reports whether s is a declared state other than StaffStateUnknown.
func (s StaffState) IsValid() bool { return s > StaffStateUnknown && s < numStaffStates }

// MarshalText encodes the state as its stable code; StaffStateUnknown is an error.
func (s StaffState) MarshalText() ([]byte, error) {
	return enumMarshal("staff state", uint8(s), staffStateCodes[:])
}

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (s *StaffState) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("staff state", b, staffStateCodes[:])
	*s = StaffState(v)
	return err
}
