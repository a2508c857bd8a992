package program

// Citations carried by findings and measures. Each names its source's edition where it
// matters; see the package documentation's References.
const (
	// GuidanceEdition names the practice guidance MassachusettsBSAS encodes, as read for
	// this package: its section "A. Organization" and its section "Supervision, Training and
	// Staff Development", whose bullets are cited by position ("bullet 3").
	GuidanceEdition = "MA DPH BSAS practice guidance: SUD treatment services for pregnant women and families"

	// CiteOrgSafeSleep is the guidance's Organization bullet on Safe Infant Sleep practices.
	CiteOrgSafeSleep = "MA BSAS practice guidance (pregnant women and families), Organization, bullet 2"
	// CiteOrgQSOA is the guidance's Organization bullet on QSO agreements with community
	// prenatal care, pediatric, Early Intervention and early childhood, and parenting and
	// family service providers.
	CiteOrgQSOA = "MA BSAS practice guidance (pregnant women and families), Organization, bullet 3"
	// CiteOrgOutreach is the guidance's Organization bullet on regular outreach to prenatal
	// care settings and other community providers.
	CiteOrgOutreach = "MA BSAS practice guidance (pregnant women and families), Organization, bullet 4"
	// CiteOrgChildWelfare is the guidance's Organization bullet on an active partnership with
	// the Department of Children and Families.
	CiteOrgChildWelfare = "MA BSAS practice guidance (pregnant women and families), Organization, bullet 5"
	// CiteOrgRecovery is the guidance's Organization bullet on partnerships with recovery
	// supports (recovery coaching, case management, recovery support centers).
	CiteOrgRecovery = "MA BSAS practice guidance (pregnant women and families), Organization, bullet 6"
	// CiteStaff is the guidance's section on supervision, training and staff development.
	CiteStaff = "MA BSAS practice guidance (pregnant women and families), Supervision, Training and Staff Development"

	// CiteQSODefinition defines a qualified service organization and its written agreement.
	CiteQSODefinition = "42 CFR 2.11"
	// CiteQSOException allows disclosures between a program and a QSO under the agreement.
	CiteQSOException = "42 CFR 2.12(c)(4)"

	// CiteCHARM is the CHARM collaborative's four targets for each mother-infant dyad: early
	// prenatal care, medication to reduce cravings and withdrawal, engagement in SUD
	// counseling, social support and basic-needs referrals for the family.
	CiteCHARM = "SAMHSA/ACF 2016, A Collaborative Approach to the Treatment of Pregnant Women with Opioid Use Disorders, appendix 5 (CHARM)"
	// CiteHEDISPPC is the timeliness-of-prenatal-care rate the prenatal measure adapts: a
	// visit in the first trimester, or within 42 days of enrollment (here: of intake).
	CiteHEDISPPC = "NCQA HEDIS Prenatal and Postpartum Care (PPC), Timeliness of Prenatal Care"
	// CiteHEDISIET is the initiation (14 days) and engagement (two more services within 34
	// days) rates the MOUD-start and counseling measures adapt.
	CiteHEDISIET = "NCQA HEDIS Initiation and Engagement of Substance Use Disorder Treatment (IET)"
	// CiteNQF3175 is the continuity-of-pharmacotherapy measure the MOUD-continued measure
	// adapts: at least 180 days of continuous treatment, gaps of at most 7 days bridged.
	CiteNQF3175 = "NQF 3175 (CMS MIPS #468), Continuity of Pharmacotherapy for Opioid Use Disorder"
	// CiteProgramDefault marks a threshold that none of the sources above settles: the
	// package's own default, documented where it is set, which a State replaces by data.
	CiteProgramDefault = "dyad program default (no source sets this threshold)"
)
