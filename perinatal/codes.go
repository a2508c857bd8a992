package perinatal

// Code systems, as FHIR names them.
const (
	SystemLOINC   = "http://loinc.org"
	SystemSNOMED  = "http://snomed.info/sct"
	SystemICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
)

// Coding is a code in a code system with its display name. Comparable.
type Coding struct {
	System  string `json:"system"`
	Code    string `json:"code"`
	Display string `json:"display"`
}

// LOINC codes. Verified on 2026-11-23 against HL7 FHIR implementation guides that expand
// them from LOINC: 82810-3 and the answers LA15173-0, LA26683-5, LA4489-6 in the IPS
// value set "pregnancy-status-uv-ips" and its example observation
// (hl7.org/fhir/uv/ips/ValueSet-pregnancy-status-uv-ips.html, Observation-pregnancy-status-example);
// 11778-8, 11779-6, 11780-4 in the IPS value set "edd-method-uv-ips"
// (hl7.org/fhir/uv/ips/ValueSet-edd-method-uv-ips.html) and the QI-Core example
// Observation-example-delivery-date-estimate.
const (
	LOINCPregnancyStatus    = "82810-3"   // Pregnancy status
	LOINCAnswerPregnant     = "LA15173-0" // Pregnant
	LOINCAnswerNotPregnant  = "LA26683-5" // Not pregnant
	LOINCAnswerUnknown      = "LA4489-6"  // Unknown
	LOINCDeliveryDateEst    = "11778-8"   // Delivery date Estimated
	LOINCDeliveryDateEstLMP = "11779-6"   // Delivery date Estimated from last menstrual period
	LOINCDeliveryDateEstOv  = "11780-4"   // Delivery date Estimated from ovulation date
)

// SNOMED CT codes. Verified on 2026-11-23: 77386006 and 60001007 in the IPS value set
// "pregnancy-status-uv-ips" (hl7.org/fhir/uv/ips/2.0.1/en/ValueSet-pregnancy-status-uv-ips.html)
// and the COVID-19 library value set "pregnancy-status-value-set"; 414819007 on a SNOMED CT
// concept page (healthassure.in/codes/snomed_ct-414819007-neonatal-abstinence-syndrome:
// disorder, synonyms "Neonatal withdrawal syndrome", "Neonatal withdrawal symptoms from
// maternal use of drugs of addiction").
const (
	SNOMEDPregnant                   = "77386006"  // Pregnant (finding)
	SNOMEDNotPregnant                = "60001007"  // Not pregnant (finding)
	SNOMEDNeonatalAbstinenceSyndrome = "414819007" // Neonatal abstinence syndrome (disorder)
)

// ICD-10-CM codes. Verified on 2026-11-23 on ICD-10-CM code reference pages:
// O99.310-O99.315 (icdlist.com/icd-10/O99.31); O99.320-O99.325 (diseasedb.com/icd10/O99.32x,
// and the AAPC note on the 2019 guideline for O99.32-); P96.1 (icdlist.com/icd-10/P96.1,
// icd10codingpro.com, FY2026); P04.3 (icdlist.com/icd-10/P04.3); P04.40 (diseasedb.com),
// P04.41 (icdlist.com, 2024), P04.49 (icd10codingpro.com, FY2026); Q86.0 (icd10data.com);
// F11.20 (payerready.com FY2026, and MMWR 69(29):951, 2020, which names F11.20, P04.49 and
// P96.1 for Massachusetts newborn surveillance). Not encoded because not verified:
// tobacco use in pregnancy (O99.33-), P04.42 and the cannabis newborn codes.
const (
	ICDAlcoholUsePregnancyUnspecified = "O99.310" // Alcohol use complicating pregnancy, unspecified trimester
	ICDAlcoholUsePregnancyFirst       = "O99.311" // Alcohol use complicating pregnancy, first trimester
	ICDAlcoholUsePregnancySecond      = "O99.312" // Alcohol use complicating pregnancy, second trimester
	ICDAlcoholUsePregnancyThird       = "O99.313" // Alcohol use complicating pregnancy, third trimester
	ICDAlcoholUseChildbirth           = "O99.314" // Alcohol use complicating childbirth
	ICDAlcoholUsePuerperium           = "O99.315" // Alcohol use complicating the puerperium
	ICDDrugUsePregnancyUnspecified    = "O99.320" // Drug use complicating pregnancy, unspecified trimester
	ICDDrugUsePregnancyFirst          = "O99.321" // Drug use complicating pregnancy, first trimester
	ICDDrugUsePregnancySecond         = "O99.322" // Drug use complicating pregnancy, second trimester
	ICDDrugUsePregnancyThird          = "O99.323" // Drug use complicating pregnancy, third trimester
	ICDDrugUseChildbirth              = "O99.324" // Drug use complicating childbirth
	ICDDrugUsePuerperium              = "O99.325" // Drug use complicating the puerperium
	ICDNeonatalWithdrawal             = "P96.1"   // Neonatal withdrawal symptoms from maternal use of drugs of addiction
	ICDNewbornAlcohol                 = "P04.3"   // Newborn affected by maternal use of alcohol
	ICDNewbornDrugsUnspecified        = "P04.40"  // Newborn affected by maternal use of unspecified drugs of addiction
	ICDNewbornCocaine                 = "P04.41"  // Newborn affected by maternal use of cocaine
	ICDNewbornOtherDrugs              = "P04.49"  // Newborn affected by maternal use of other drugs of addiction
	ICDFetalAlcoholSyndrome           = "Q86.0"   // Fetal alcohol syndrome (dysmorphic)
	ICDOpioidDependence               = "F11.20"  // Opioid dependence, uncomplicated
)

// catalog lists every code this package knows, for LookupCode. Never written.
var catalog = [...]Coding{
	{SystemLOINC, LOINCPregnancyStatus, "Pregnancy status"},
	{SystemLOINC, LOINCAnswerPregnant, "Pregnant"},
	{SystemLOINC, LOINCAnswerNotPregnant, "Not pregnant"},
	{SystemLOINC, LOINCAnswerUnknown, "Unknown"},
	{SystemLOINC, LOINCDeliveryDateEst, "Delivery date Estimated"},
	{SystemLOINC, LOINCDeliveryDateEstLMP, "Delivery date Estimated from last menstrual period"},
	{SystemLOINC, LOINCDeliveryDateEstOv, "Delivery date Estimated from ovulation date"},
	{SystemSNOMED, SNOMEDPregnant, "Pregnant"},
	{SystemSNOMED, SNOMEDNotPregnant, "Not pregnant"},
	{SystemSNOMED, SNOMEDNeonatalAbstinenceSyndrome, "Neonatal abstinence syndrome"},
	{SystemICD10CM, ICDAlcoholUsePregnancyUnspecified, "Alcohol use complicating pregnancy, unspecified trimester"},
	{SystemICD10CM, ICDAlcoholUsePregnancyFirst, "Alcohol use complicating pregnancy, first trimester"},
	{SystemICD10CM, ICDAlcoholUsePregnancySecond, "Alcohol use complicating pregnancy, second trimester"},
	{SystemICD10CM, ICDAlcoholUsePregnancyThird, "Alcohol use complicating pregnancy, third trimester"},
	{SystemICD10CM, ICDAlcoholUseChildbirth, "Alcohol use complicating childbirth"},
	{SystemICD10CM, ICDAlcoholUsePuerperium, "Alcohol use complicating the puerperium"},
	{SystemICD10CM, ICDDrugUsePregnancyUnspecified, "Drug use complicating pregnancy, unspecified trimester"},
	{SystemICD10CM, ICDDrugUsePregnancyFirst, "Drug use complicating pregnancy, first trimester"},
	{SystemICD10CM, ICDDrugUsePregnancySecond, "Drug use complicating pregnancy, second trimester"},
	{SystemICD10CM, ICDDrugUsePregnancyThird, "Drug use complicating pregnancy, third trimester"},
	{SystemICD10CM, ICDDrugUseChildbirth, "Drug use complicating childbirth"},
	{SystemICD10CM, ICDDrugUsePuerperium, "Drug use complicating the puerperium"},
	{SystemICD10CM, ICDNeonatalWithdrawal, "Neonatal withdrawal symptoms from maternal use of drugs of addiction"},
	{SystemICD10CM, ICDNewbornAlcohol, "Newborn affected by maternal use of alcohol"},
	{SystemICD10CM, ICDNewbornDrugsUnspecified, "Newborn affected by maternal use of unspecified drugs of addiction"},
	{SystemICD10CM, ICDNewbornCocaine, "Newborn affected by maternal use of cocaine"},
	{SystemICD10CM, ICDNewbornOtherDrugs, "Newborn affected by maternal use of other drugs of addiction"},
	{SystemICD10CM, ICDFetalAlcoholSyndrome, "Fetal alcohol syndrome (dysmorphic)"},
	{SystemICD10CM, ICDOpioidDependence, "Opioid dependence, uncomplicated"},
}

// LookupCode returns the Coding of a code this package knows in the given system. An
// unknown system or code returns an error wrapping ErrUnknownCode, which does not quote
// the code (it may be input text).
func LookupCode(system, code string) (Coding, error) {
	for _, c := range catalog {
		if c.System == system && c.Code == code {
			return c, nil
		}
	}
	return Coding{}, &unknownCodeError{kind: "clinical"}
}

// KnownCodes returns a fresh copy of every code this package knows, in a fixed order.
func KnownCodes() []Coding {
	out := make([]Coding, len(catalog))
	copy(out, catalog[:])
	return out
}

func mustCode(system, code string) Coding {
	c, _ := LookupCode(system, code)
	return c
}

// LOINCAnswer returns the LOINC answer for the pregnancy status question (82810-3): a
// postpartum or not-pregnant woman is "Not pregnant"; StatusUnknown is "Unknown".
func (s Status) LOINCAnswer() Coding {
	switch s {
	case StatusPregnant:
		return mustCode(SystemLOINC, LOINCAnswerPregnant)
	case StatusNotPregnant, StatusPostpartum:
		return mustCode(SystemLOINC, LOINCAnswerNotPregnant)
	default:
		return mustCode(SystemLOINC, LOINCAnswerUnknown)
	}
}

// SNOMED returns the SNOMED CT finding for the status, and false for StatusUnknown (which
// has no single verified concept here). Postpartum maps to "Not pregnant".
func (s Status) SNOMED() (Coding, bool) {
	switch s {
	case StatusPregnant:
		return mustCode(SystemSNOMED, SNOMEDPregnant), true
	case StatusNotPregnant, StatusPostpartum:
		return mustCode(SystemSNOMED, SNOMEDNotPregnant), true
	default:
		return Coding{}, false
	}
}

// MaternalUseICD10CM returns the ICD-10-CM code for use of s complicating pregnancy in
// trimester t (TrimesterUnknown gives the "unspecified trimester" code): O99.31- for
// alcohol, O99.32- for drugs. Tobacco and SubstanceUnknown return false.
func MaternalUseICD10CM(s Substance, t Trimester) (Coding, bool) {
	var codes [4]string
	switch {
	case s == SubstanceAlcohol:
		codes = [4]string{ICDAlcoholUsePregnancyUnspecified, ICDAlcoholUsePregnancyFirst, ICDAlcoholUsePregnancySecond, ICDAlcoholUsePregnancyThird}
	case s.IsDrug():
		codes = [4]string{ICDDrugUsePregnancyUnspecified, ICDDrugUsePregnancyFirst, ICDDrugUsePregnancySecond, ICDDrugUsePregnancyThird}
	default:
		return Coding{}, false
	}
	if !t.IsValid() {
		t = TrimesterUnknown
	}
	return mustCode(SystemICD10CM, codes[t]), true
}

// ICD10CM returns the ICD-10-CM codes the infant's recorded facts alone support: P96.1
// when withdrawal is present. The "newborn affected by" codes (P04.-) and Q86.0 need a
// clinical judgement of effect and of the exact substance (cannabis, cocaine and
// medications have codes of their own) that this package does not make: they are offered
// as constants for the caller to choose.
func (inf Infant) ICD10CM() []Coding {
	if inf.Withdrawal == FindingPresent {
		return []Coding{mustCode(SystemICD10CM, ICDNeonatalWithdrawal)}
	}
	return nil
}
