package perinatal

import "time"

// Finding is whether a clinical finding is present. The zero value is FindingUnknown
// (not assessed or not recorded), which no rule treats as absent.
type Finding uint8

// The findings.
const (
	FindingUnknown Finding = iota
	FindingAbsent          // assessed and absent
	FindingPresent         // assessed and present
)

var findingNames = []string{"unknown", "absent", "present"}

// String returns the finding's stable code, e.g. "present".
func (f Finding) String() string { return enumString("Finding", uint8(f), findingNames) }

// IsValid reports whether f is FindingAbsent or FindingPresent.
func (f Finding) IsValid() bool { return enumValid(uint8(f), findingNames) }

// MarshalText encodes the finding as its stable code.
func (f Finding) MarshalText() ([]byte, error) {
	return enumMarshal("finding", uint8(f), findingNames)
}

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (f *Finding) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("finding", b, findingNames)
	*f = Finding(v)
	return err
}

// Infant is a newborn as the affected-infant determination sees it. ID is an identifier
// (it may appear in decisions); no name or birth date is ever put into an error or reason.
type Infant struct {
	ID                    string         `json:"id"`
	BornAt                time.Time      `json:"born_at"`
	GestationalAgeAtBirth GestationalAge `json:"gestational_age_at_birth"`
	// PrenatalExposures lists the substances the infant was exposed to before birth
	// (by maternal history, toxicology or both). Empty means none recorded.
	PrenatalExposures []Substance `json:"prenatal_exposures,omitempty"`
	// Withdrawal is whether the infant shows signs of neonatal abstinence / opioid
	// withdrawal syndrome (NAS/NOWS) or other withdrawal.
	Withdrawal Finding `json:"withdrawal"`
	// SubstanceAffected is whether a clinician identified the infant as affected by
	// prenatal substance use otherwise than by withdrawal (State definitions vary).
	SubstanceAffected Finding `json:"substance_affected"`
	// FASD is whether the infant is diagnosed with a fetal alcohol spectrum disorder.
	FASD Finding `json:"fasd"`
}

// Gestational age bounds, in days, accepted for a live birth by Infant.Validate:
// 20w0d to 47w6d.
const (
	minDaysAtBirth = 20 * 7
	maxDaysAtBirth = 47*7 + 6
)

// Exposed reports whether the infant has any recorded prenatal exposure.
func (inf Infant) Exposed() bool { return len(inf.PrenatalExposures) > 0 }

// ExposedTo reports whether the infant was exposed to s before birth.
func (inf Infant) ExposedTo(s Substance) bool {
	for _, e := range inf.PrenatalExposures {
		if e == s {
			return true
		}
	}
	return false
}

// ConceivedAround returns the conventional conception date implied by the birth time and
// the gestational age at birth: birth date - (GA - 14 days).
func (inf Infant) ConceivedAround() time.Time {
	return dateOf(civilDay(inf.BornAt) - inf.GestationalAgeAtBirth.Days() + DaysLMPToConception)
}

// Validate lists every problem: a missing or malformed identifier (ident rule: 1 to 128
// bytes of letters, digits and . _ - : / @ #), a missing birth time or one outside the
// accepted range (1900-01-01 to 2199-12-31 UTC), a gestational age at birth outside
// 20w0d-47w6d, an unknown or repeated exposure, or a finding code out of range. At most
// 100 problems are listed (see ValidationError).
func (inf Infant) Validate() error {
	ps := problems{what: "infant"}
	inf.validate(&ps)
	return ps.err()
}

func (inf *Infant) validate(ps *problems) {
	checkID(ps, "id", inf.ID, "missing_id", "", "The infant has no identifier.")
	if inf.BornAt.IsZero() {
		ps.add("missing_birth_time", "born_at", "", "The infant's birth time is not given.")
	} else {
		checkTime(ps, "born_at", inf.BornAt)
	}
	if d := inf.GestationalAgeAtBirth.Days(); d < minDaysAtBirth || d > maxDaysAtBirth {
		ps.add("gestational_age_out_of_range", "gestational_age_at_birth", CiteTerm, "The gestational age at birth is not between 20w0d and 47w6d.")
	}
	var seen uint32 // bit s set once substance s is listed
	field := func(i int) string { return "prenatal_exposures[" + itoa(i) + "]" }
	for i, s := range inf.PrenatalExposures {
		switch {
		case !s.IsValid():
			ps.add("unknown_substance", field(i), "", "A prenatal exposure has no known substance.")
		case seen&(1<<s) != 0:
			if ps.Full() {
				ps.Omitted++ // counted, without a field name no one will see (never a skipped field: those hold unknown codes)
				continue
			}
			ps.add("duplicate_exposure", field(i), "", "The same prenatal exposure is listed more than once.")
		default:
			seen |= 1 << s
		}
	}
	for _, c := range []struct {
		f     Finding
		field string
	}{{inf.Withdrawal, "withdrawal"}, {inf.SubstanceAffected, "substance_affected"}, {inf.FASD, "fasd"}} {
		if int(c.f) >= len(findingNames) {
			ps.add("unknown_finding", c.field, "", "A finding is not a known code.")
		}
	}
}

// ValidateBirth checks the infant against the mother's pregnancy and lists every problem:
// those of Validate and Pregnancy.Validate, a birth before conception (before the
// pregnancy's dating origin + 14 days), and a birth time differing from the recorded
// delivery. A nil error means both agree.
func (inf Infant) ValidateBirth(p Pregnancy) error {
	ps := problems{what: "infant birth"}
	var ve *ValidationError
	if err := inf.Validate(); err != nil && asValidation(err, &ve) {
		ps.merge("", ve)
	}
	if err := p.Validate(); err != nil && asValidation(err, &ve) {
		ps.merge("pregnancy", ve)
	} else if !inf.BornAt.IsZero() {
		if civilDay(inf.BornAt)-p.originDay() < DaysLMPToConception {
			ps.add("birth_before_conception", "born_at", CiteDating, "The birth is dated before the pregnancy's conception.")
		}
		if !p.DeliveredAt.IsZero() && !p.DeliveredAt.Equal(inf.BornAt) {
			ps.add("birth_time_mismatch", "born_at", "", "The birth time differs from the pregnancy's recorded delivery.")
		}
	}
	return ps.err()
}

func asValidation(err error, target **ValidationError) bool {
	ve, ok := err.(*ValidationError)
	if ok {
		*target = ve
	}
	return ok
}

// Affected is the outcome of the CAPTA affected-infant determination. The zero value is
// AffectedUnknown: the facts do not settle it, and no one may read it as "not affected".
type Affected uint8

// The outcomes.
const (
	AffectedUnknown Affected = iota // facts missing: assess the infant
	AffectedYes                     // affected: notify CPS and develop a Plan of Safe Care
	AffectedNo                      // not affected under the rule applied
)

var affectedNames = []string{"unknown", "affected", "not_affected"}

// String returns the outcome's stable code, e.g. "affected".
func (a Affected) String() string { return enumString("Affected", uint8(a), affectedNames) }

// IsValid reports whether a is AffectedYes or AffectedNo.
func (a Affected) IsValid() bool { return enumValid(uint8(a), affectedNames) }

// MarshalText encodes the outcome as its stable code.
func (a Affected) MarshalText() ([]byte, error) {
	return enumMarshal("affected outcome", uint8(a), affectedNames)
}

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (a *Affected) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("affected outcome", b, affectedNames)
	*a = Affected(v)
	return err
}

// ObligationKind is a kind of duty a determination triggers. The zero value is unknown.
type ObligationKind uint8

// The obligation kinds.
const (
	ObligationUnknown ObligationKind = iota
	// ObligationCPSNotification: the health care providers involved in the delivery or
	// care of the infant notify child protective services. A notification is not, by
	// itself, a report of child abuse or neglect.
	ObligationCPSNotification
	// ObligationPlanOfSafeCare: a Plan of Safe Care is developed for the infant and the
	// affected family or caregiver, with referrals to services and monitoring.
	ObligationPlanOfSafeCare
)

var obligationNames = []string{"unknown", "cps_notification", "plan_of_safe_care"}

// String returns the kind's stable code, e.g. "cps_notification".
func (k ObligationKind) String() string {
	return enumString("ObligationKind", uint8(k), obligationNames)
}

// IsValid reports whether k is a declared kind other than ObligationUnknown.
func (k ObligationKind) IsValid() bool { return enumValid(uint8(k), obligationNames) }

// MarshalText encodes the kind as its stable code.
func (k ObligationKind) MarshalText() ([]byte, error) {
	return enumMarshal("obligation", uint8(k), obligationNames)
}

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (k *ObligationKind) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("obligation", b, obligationNames)
	*k = ObligationKind(v)
	return err
}

// Obligation is a duty triggered by a decision, as data.
type Obligation struct {
	Kind    ObligationKind `json:"kind"`
	Cite    string         `json:"cite"`
	Message string         `json:"message"`
}

// AffectedPolicy adjusts the determination to a State's definition. The zero value is the
// federal minimum: prenatal exposure alone does not make an infant affected.
type AffectedPolicy struct {
	// ExposureAlone makes any recorded prenatal exposure enough, as some States do.
	ExposureAlone bool `json:"exposure_alone"`
}

// AffectedDetermination is the explained answer to "is this infant affected by substance
// abuse or withdrawal symptoms resulting from prenatal drug exposure, or by a fetal
// alcohol spectrum disorder?" (CAPTA, CiteCAPTANotification), with the obligations an
// affected infant triggers. The zero value is AffectedUnknown with no reasons.
type AffectedDetermination struct {
	InfantID    string       `json:"infant_id"`
	Outcome     Affected     `json:"outcome"`
	Edition     string       `json:"edition"`
	Reasons     []Reason     `json:"reasons"`
	Obligations []Obligation `json:"obligations,omitempty"`
}

// Reason codes of the affected-infant determination (stable API).
const (
	ReasonWithdrawal             = "withdrawal_from_prenatal_exposure"
	ReasonSubstanceAffected      = "identified_substance_affected"
	ReasonFASD                   = "fetal_alcohol_spectrum_disorder"
	ReasonExposureAlone          = "exposure_alone_state_policy"
	ReasonWithdrawalNoExposure   = "withdrawal_without_recorded_exposure"
	ReasonWithdrawalUnknown      = "withdrawal_not_assessed"
	ReasonSubstanceAffectUnknown = "substance_effect_not_assessed"
	ReasonFASDUnknown            = "fasd_not_assessed"
	ReasonExposureWithoutSigns   = "exposure_without_signs"
	ReasonNoFindings             = "no_exposure_or_findings"
)

// DetermineAffected applies the CAPTA affected-infant rule to inf under policy pol.
//
// The infant is affected when any of these holds (every one that holds is a reason):
// withdrawal signs with a recorded prenatal exposure; a clinician's identification as
// affected by prenatal substance use; a fetal alcohol spectrum disorder; or, under a State
// policy with ExposureAlone, any recorded exposure. Otherwise the outcome is unknown when
// any finding is unassessed or withdrawal has no recorded exposure to attribute it to
// (every such gap is a reason), and not affected when all three findings are absent:
// in particular an infant with exposure but no signs is not affected under the federal
// minimum. An affected infant triggers a CPS notification (not a report of abuse) and a
// Plan of Safe Care. An invalid infant returns the *ValidationError of Validate.
func DetermineAffected(inf Infant, pol AffectedPolicy) (AffectedDetermination, error) {
	if err := inf.Validate(); err != nil {
		return AffectedDetermination{}, err
	}
	d := AffectedDetermination{InfantID: inf.ID, Edition: CAPTAEdition}
	var yes, gaps []Reason
	switch inf.Withdrawal {
	case FindingPresent:
		if inf.Exposed() {
			yes = append(yes, Reason{ReasonWithdrawal, CiteCAPTANotification,
				"The infant shows withdrawal symptoms and a prenatal exposure is recorded."})
		} else {
			gaps = append(gaps, Reason{ReasonWithdrawalNoExposure, CiteCAPTANotification,
				"The infant shows withdrawal symptoms but no prenatal exposure is recorded to attribute them to."})
		}
	case FindingUnknown:
		gaps = append(gaps, Reason{ReasonWithdrawalUnknown, CiteCAPTANotification,
			"Whether the infant shows withdrawal symptoms is not recorded."})
	}
	switch inf.SubstanceAffected {
	case FindingPresent:
		yes = append(yes, Reason{ReasonSubstanceAffected, CiteCAPTANotification,
			"The infant is identified as affected by prenatal substance use."})
	case FindingUnknown:
		gaps = append(gaps, Reason{ReasonSubstanceAffectUnknown, CiteCAPTANotification,
			"Whether the infant is affected by prenatal substance use is not recorded."})
	}
	switch inf.FASD {
	case FindingPresent:
		yes = append(yes, Reason{ReasonFASD, CiteCAPTANotification,
			"The infant is diagnosed with a fetal alcohol spectrum disorder."})
	case FindingUnknown:
		gaps = append(gaps, Reason{ReasonFASDUnknown, CiteCAPTANotification,
			"Whether the infant has a fetal alcohol spectrum disorder is not recorded."})
	}
	if pol.ExposureAlone && inf.Exposed() {
		yes = append(yes, Reason{ReasonExposureAlone, CiteCAPTANotification,
			"A prenatal exposure is recorded and the State policy treats exposure alone as affected."})
	}
	switch {
	case len(yes) > 0:
		d.Outcome = AffectedYes
		d.Reasons = yes
		d.Obligations = []Obligation{
			{ObligationCPSNotification, CiteCAPTANotification,
				"Health care providers involved in the delivery or care of the infant notify child protective services; the notification is not, by itself, a report of abuse."},
			{ObligationPlanOfSafeCare, CiteCAPTAPlan,
				"Develop a Plan of Safe Care addressing the health and substance use disorder treatment needs of the infant and the affected family or caregiver, with referrals and monitoring."},
		}
	case len(gaps) > 0:
		d.Outcome = AffectedUnknown
		d.Reasons = gaps
	case inf.Exposed():
		d.Outcome = AffectedNo
		d.Reasons = []Reason{{ReasonExposureWithoutSigns, CiteCAPTANotification,
			"A prenatal exposure is recorded but the infant has no withdrawal symptoms, is not identified as affected and has no FASD: exposure alone does not make an infant affected under the federal rule."}}
	default:
		d.Outcome = AffectedNo
		d.Reasons = []Reason{{ReasonNoFindings, CiteCAPTANotification,
			"No prenatal exposure, withdrawal symptoms, substance effect or FASD is recorded."}}
	}
	return d, nil
}
