package perinatal

// Reason explains one step of a decision: a stable machine Code (API), the Cite of the
// rule applied and a plain Message (not API). Messages never hold patient free text.
type Reason struct {
	Code    string `json:"code"`
	Cite    string `json:"cite"`
	Message string `json:"message"`
}

// Citations used by this package's rules and reasons.
const (
	// CiteCAPTANotification: health care providers involved in the delivery or care of an
	// affected infant notify child protective services (a notification is not, by itself,
	// a report of abuse).
	CiteCAPTANotification = "42 U.S.C. 5106a(b)(2)(B)(ii)"
	// CiteCAPTAPlan: the development of a plan of safe care for an affected infant.
	CiteCAPTAPlan = "42 U.S.C. 5106a(b)(2)(B)(iii)"
	// CiteCAPTAPlanNeeds: the plan addresses the health and substance use disorder
	// treatment needs of the infant and of the affected family or caregiver.
	CiteCAPTAPlanNeeds = "42 U.S.C. 5106a(b)(2)(B)(iii)(I)"
	// CiteCAPTAPlanMonitoring: monitoring of referrals to and delivery of services for the
	// infant and the affected family or caregiver.
	CiteCAPTAPlanMonitoring = "42 U.S.C. 5106a(b)(2)(B)(iii)(II)"
	// CAPTAEdition names the edition of the CAPTA provisions this package implements.
	CAPTAEdition = "CAPTA sec. 106(b)(2)(B)(ii)-(iii) as amended by the Comprehensive Addiction and Recovery Act of 2016 (Pub. L. 114-198, sec. 503)"
	// CiteDating: estimated delivery date 280 days after the first day of the last
	// menstrual period (Naegele's rule; ACOG Committee Opinion 700, 2017).
	CiteDating = "ACOG Committee Opinion 700 (2017): EDD = LMP + 280 days"
	// CiteTrimesters: trimesters counted from the first day of the last menstrual period:
	// first < 14w0d, second 14w0d to < 28w0d, third 28w0d until delivery.
	CiteTrimesters = "ICD-10-CM Tabular List, chapter 15 (O00-O9A), trimester note"
	// CiteTerm: preterm < 37w0d; early term 37w0d-38w6d; full term 39w0d-40w6d; late term
	// 41w0d-41w6d; postterm 42w0d and beyond.
	CiteTerm = "ACOG/SMFM Committee Opinion 579 (2013, reaffirmed 2019): Definition of Term Pregnancy"
	// CiteSafeSleep: the American Academy of Pediatrics' 2022 safe sleep policy statement.
	CiteSafeSleep = "AAP 2022, Sleep-Related Infant Deaths: Updated 2022 Recommendations (Pediatrics 150(1):e2022057990)"
	// CiteMedicaidPostpartum: Medicaid's extended postpartum coverage, for the 12-month
	// period beginning on the last day of the pregnancy and ending on the last day of the
	// month in which that period ends (MedicaidPostpartumWindow).
	CiteMedicaidPostpartum = "42 U.S.C. 1396a(e)(16)"
	// CitePlanCoordinator: one plan per family with a coordinator the client chooses
	// (Massachusetts BSAS practice guidance for services to pregnant women and families).
	CitePlanCoordinator = "MA BSAS practice guidance: Plan of Safe Care coordinator"
)
