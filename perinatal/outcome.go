package perinatal

// PregnancyOutcome is how a pregnancy ended. The zero value is OutcomeUnknown: the pregnancy
// has not ended, or it ended (Pregnancy.DeliveredAt is set) in a way not recorded.
//
// Whatever the outcome, the end of the pregnancy ends the pregnant status and starts the
// postpartum window of StatusAt: State laws and Medicaid count the postpartum period from
// "the end of the pregnancy" (e.g. 42 U.S.C. 1396a(e)(16): "the last day of her pregnancy"),
// not from a live birth only.
type PregnancyOutcome uint8

// The outcomes.
const (
	OutcomeUnknown       PregnancyOutcome = iota
	OutcomeLiveBirth                      // a live birth
	OutcomeStillbirth                     // a fetal death at 20 weeks or more (CDC fetal death reporting)
	OutcomePregnancyLoss                  // any other end: miscarriage, ectopic or molar pregnancy, induced abortion
)

var outcomeNames = []string{"unknown", "live_birth", "stillbirth", "pregnancy_loss"}

// String returns the outcome's stable code, e.g. "pregnancy_loss".
func (o PregnancyOutcome) String() string {
	return enumString("PregnancyOutcome", uint8(o), outcomeNames)
}

// IsValid reports whether o is a declared outcome other than OutcomeUnknown.
func (o PregnancyOutcome) IsValid() bool { return enumValid(uint8(o), outcomeNames) }

// MarshalText encodes the outcome as its stable code.
func (o PregnancyOutcome) MarshalText() ([]byte, error) {
	return enumMarshal("pregnancy outcome", uint8(o), outcomeNames)
}

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (o *PregnancyOutcome) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("pregnancy outcome", b, outcomeNames)
	*o = PregnancyOutcome(v)
	return err
}
