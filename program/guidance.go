package program

import (
	"slices"
	"strconv"
	"time"

	"github.com/dyad-health/dyad/referral"
)

// Guidance is a State's practice guidance for programs serving pregnant women and families,
// as data: which partners the program must hold QSO agreements with, which partnerships it
// must keep active, where it must do outreach and how often, how it shows Safe Infant
// Sleep, which competencies its staff are trained and supervised on and how often, and the
// thresholds of the CHARM measures.
// MassachusettsBSAS returns the guidance this library was born from; a State supplies its
// own as another value (or as JSON, DecodeGuidance). New checks and prepares it.
//
// Thresholds are whole days, counted as 24-hour spans of elapsed time.
type Guidance struct {
	// ID identifies the guidance, e.g. "ma-bsas-pregnant-women-families".
	ID string `json:"id"`
	// Title is the guidance's title, for reports (a State's text, never patient data).
	Title string `json:"title,omitempty"`
	// Agreements are the QSO agreement requirements: for each, a partner of one of its kinds
	// holding a valid agreement with the program, in force (42 CFR 2.11, 2.12(c)(4)).
	Agreements []Requirement `json:"agreements,omitempty"`
	// Partnerships are the partnership requirements: for each, a partner of one of its kinds
	// with a partnership in force and, if the requirement says so, recently active.
	Partnerships []Requirement `json:"partnerships,omitempty"`
	// Outreach are the outreach requirements.
	Outreach []OutreachRequirement `json:"outreach,omitempty"`
	// SafeSleep is the Safe Infant Sleep requirement, or nil when the guidance has none.
	SafeSleep *SleepRequirement `json:"safe_sleep,omitempty"`
	// Competencies are what staff are trained and supervised on.
	Competencies []Competency `json:"competencies,omitempty"`
	// NewStaffGraceDays is how long a new staff member has, from the start of employment,
	// to complete a competency never recorded.
	NewStaffGraceDays int `json:"new_staff_grace_days"`
	// CHARM holds the thresholds of the four CHARM measures.
	CHARM CHARM `json:"charm"`
}

// Requirement is one partner requirement of a guidance item: a partner of any of Kinds
// satisfies it. Code is stable API, the subject of every finding about the requirement.
type Requirement struct {
	Code  string                 `json:"code"`  // stable code, e.g. "qsoa_prenatal_care"
	Cite  string                 `json:"cite"`  // the guidance item, e.g. CiteOrgQSOA
	Kinds []referral.PartnerKind `json:"kinds"` // partner kinds, any one of which satisfies it
	// ActiveWithinDays applies to partnerships: when positive, the partnership must also
	// have a documented joint activity within this many days up to the review moment.
	ActiveWithinDays int `json:"active_within_days,omitempty"`
}

// OutreachRequirement asks for at least one outreach activity to a setting of one of
// Settings within EveryDays up to the review moment.
type OutreachRequirement struct {
	Code      string       `json:"code"`       // stable code, e.g. "outreach_prenatal_care"
	Cite      string       `json:"cite"`       // the guidance item, e.g. CiteOrgOutreach
	Settings  []SourceKind `json:"settings"`   // the settings outreach must reach
	EveryDays int          `json:"every_days"` // the longest time without such outreach
}

// Competency is one topic staff are trained or supervised on, and how often: a positive
// TrainingEveryDays asks for a training record at least that often, a positive
// SupervisionEveryDays for a supervision record at least that often.
type Competency struct {
	Code                 string `json:"code"`                             // stable code, e.g. "motivational_interviewing"
	Cite                 string `json:"cite"`                             // the guidance item, e.g. CiteStaff
	Topic                string `json:"topic"`                            // the guidance's words, for reports
	TrainingEveryDays    int    `json:"training_every_days,omitempty"`    // training at least this often; 0: not asked
	SupervisionEveryDays int    `json:"supervision_every_days,omitempty"` // supervision at least this often; 0: not asked
}

// every returns the refresh period of mode m in days (0: not asked for).
func (c Competency) every(m Mode) int {
	switch m {
	case ModeTraining:
		return c.TrainingEveryDays
	case ModeSupervision:
		return c.SupervisionEveryDays
	}
	return 0
}

// CHARM holds the thresholds the four CHARM measures need and the CHARM text does not
// settle; each default cites the measure it is taken from or is labelled as the package's
// own (see the package documentation, "CHARM measures").
type CHARM struct {
	// PrenatalWithinDays: a first prenatal visit within this many days of intake (or in the
	// first trimester) is early. Default 42 (HEDIS PPC timeliness, intake for enrollment).
	PrenatalWithinDays int `json:"prenatal_within_days"`
	// MOUDStartWithinDays: MOUD on at intake or started within this many days is started.
	// Default 14 (HEDIS IET initiation window).
	MOUDStartWithinDays int `json:"moud_start_within_days"`
	// MOUDContinueDays: MOUD continued this long from its start is continued. Default 180
	// (NQF 3175).
	MOUDContinueDays int `json:"moud_continue_days"`
	// MOUDMaxGapDays: a gap between episodes of at most this many days does not break
	// continuity. Default 7 (NQF 3175).
	MOUDMaxGapDays int `json:"moud_max_gap_days"`
	// CounselingStartWithinDays: a counseling session attended within this many days of
	// intake initiates counseling. Default 14 (HEDIS IET initiation).
	CounselingStartWithinDays int `json:"counseling_start_within_days"`
	// CounselingEngageWithinDays and CounselingEngageSessions: at least that many further
	// sessions attended within that many days after the initiating one is engagement.
	// Defaults 34 and 2 (HEDIS IET engagement).
	CounselingEngageWithinDays int `json:"counseling_engage_within_days"` // default 34
	CounselingEngageSessions   int `json:"counseling_engage_sessions"`    // default 2
	// SupportKinds are the partner kinds whose referrals are family-support and basic-needs
	// referrals.
	SupportKinds []referral.PartnerKind `json:"support_kinds"`
	// SupportWithinDays: a dyad with no such referral sent is pending this many days after
	// intake, then unmet. Default 30 (package default: no source sets it).
	SupportWithinDays int `json:"support_within_days"`
	// SupportCloseWithinDays: a support referral counts as completed only if its loop
	// closes (completed) within this many days of its sending; one still open, or
	// completed later, has lapsed once they have passed and no longer keeps the dyad
	// pending. Default 90 (package default: no source sets it; without a window, one
	// abandoned referral would keep its dyad pending, out of the denominator, for ever).
	SupportCloseWithinDays int `json:"support_close_within_days"`
}

// DefaultCHARM returns the CHARM thresholds described on each field of CHARM.
//
// Support kinds, read from CHARM's "social support and basic-needs referrals for the
// family" and the guidance's list of community resources: family resource center,
// parenting and family services, home visiting, child care, case management, recovery
// support center, recovery coaching and intimate partner violence services. Early
// Intervention, prenatal, pediatric and MOUD referrals are health and developmental care,
// counted elsewhere.
func DefaultCHARM() CHARM {
	return CHARM{
		PrenatalWithinDays:         42,
		MOUDStartWithinDays:        14,
		MOUDContinueDays:           180,
		MOUDMaxGapDays:             7,
		CounselingStartWithinDays:  14,
		CounselingEngageWithinDays: 34,
		CounselingEngageSessions:   2,
		SupportKinds: []referral.PartnerKind{referral.PartnerFamilyResourceCenter,
			referral.PartnerParentingFamilyServices, referral.PartnerHomeVisiting,
			referral.PartnerChildCare, referral.PartnerCaseManagement,
			referral.PartnerRecoverySupportCenter, referral.PartnerRecoveryCoaching,
			referral.PartnerIntimatePartnerViolence},
		SupportWithinDays:      30,
		SupportCloseWithinDays: 90,
	}
}

// MassachusettsBSASID is the ID of the guidance MassachusettsBSAS returns.
const MassachusettsBSASID = "ma-bsas-pregnant-women-families"

// MassachusettsBSAS returns the Massachusetts BSAS practice guidance for services to
// pregnant women and families (GuidanceEdition) as data. Each call returns a fresh value.
//
// Readings, each documented because the guidance leaves it open:
//   - QSO agreements (CiteOrgQSOA) name four groups; "early intervention and early
//     childhood programs" is read as two requirements (an Early Intervention program, and an
//     early childhood program: child care or home visiting), since one agreement with an EI
//     program does not reach early childhood programs. "Providers of parenting and family
//     services" is read strictly as the parenting and family services kind; a State that
//     counts family resource centers adds that kind.
//   - "Active partnership" with child welfare (CiteOrgChildWelfare) and partnerships with
//     recovery supports (CiteOrgRecovery, any of recovery coaching, case management or a
//     recovery support center) are read as a partnership in force with a documented joint
//     activity within the last 365 days (package default: the guidance sets no interval).
//   - "Regular outreach to prenatal care settings" (CiteOrgOutreach) is read as at least one
//     outreach activity to a prenatal care setting within the last 90 days (package
//     default: the guidance sets no interval).
//   - "Implements Safe Infant Sleep practices" (CiteOrgSafeSleep) is read as every infant
//     under one year in the program's care having a sleep-environment checklist against
//     the AAP 2022 recommendations (perinatal.AssessSleep) within 7 days of joining the
//     program's care, and its latest checklist meeting every item (package default: the
//     guidance sets no interval; an infant sleeps from its first night).
//   - Competencies (CiteStaff) are trained at least every 365 days, and perceptions and
//     values are also explored in supervision at least every 90 days, since the guidance
//     asks that "supervision and training" explore them; a new staff member has 90 days
//     (package defaults: the guidance sets no interval).
func MassachusettsBSAS() Guidance {
	qsoa := func(code string, kinds ...referral.PartnerKind) Requirement {
		return Requirement{Code: code, Cite: CiteOrgQSOA, Kinds: kinds}
	}
	comp := func(code, topic string) Competency {
		return Competency{Code: code, Cite: CiteStaff, Topic: topic, TrainingEveryDays: 365}
	}
	perceptions := comp("perceptions_values", "staff perceptions and values about women who use alcohol, drugs and tobacco during pregnancy")
	perceptions.SupervisionEveryDays = 90
	return Guidance{
		ID:    MassachusettsBSASID,
		Title: GuidanceEdition,
		Agreements: []Requirement{
			qsoa("qsoa_prenatal_care", referral.PartnerPrenatalCare),
			qsoa("qsoa_pediatric", referral.PartnerPediatricCare),
			qsoa("qsoa_early_intervention", referral.PartnerEarlyIntervention),
			qsoa("qsoa_early_childhood", referral.PartnerChildCare, referral.PartnerHomeVisiting),
			qsoa("qsoa_parenting_family", referral.PartnerParentingFamilyServices),
		},
		Partnerships: []Requirement{
			{Code: "partnership_child_welfare", Cite: CiteOrgChildWelfare,
				Kinds: []referral.PartnerKind{referral.PartnerChildWelfare}, ActiveWithinDays: 365},
			{Code: "partnership_recovery_support", Cite: CiteOrgRecovery,
				Kinds: []referral.PartnerKind{referral.PartnerRecoveryCoaching,
					referral.PartnerCaseManagement, referral.PartnerRecoverySupportCenter},
				ActiveWithinDays: 365},
		},
		Outreach: []OutreachRequirement{{Code: "outreach_prenatal_care", Cite: CiteOrgOutreach,
			Settings: []SourceKind{SourcePrenatalCare}, EveryDays: 90}},
		SafeSleep: &SleepRequirement{Code: "safe_sleep", Cite: CiteOrgSafeSleep, WithinDays: 7},
		Competencies: []Competency{
			perceptions,
			comp("substance_effects", "effects of substance use during pregnancy, alcohol and nicotine included"),
			comp("neonatal_abstinence", "neonatal abstinence syndrome"),
			comp("infant_development", "infant and child development and resilience"),
			comp("stigma_shame_isolation", "the impact of stigma, shame and isolation on treatment and recovery"),
			comp("bonding_attunement", "mother-infant bonding and attunement"),
			comp("motivational_interviewing", "Motivational Interviewing and other engagement practices"),
			comp("community_resources", "community resources: recovery support centers, family resource centers, Early Intervention, home visiting, child care"),
			comp("relational_support", "relational support networks"),
			comp("ipv_exploitation_safety", "intimate partner violence, sexual exploitation and safety"),
		},
		NewStaffGraceDays: 90,
		CHARM:             DefaultCHARM(),
	}
}

// maxDays bounds every count of days, so that no threshold overflows a time.Duration.
const maxDays = 36500

// days converts a count of days to elapsed time (24-hour days).
func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

// Validate lists every problem of the guidance: identifiers and codes, unique codes,
// requirements with known kinds, competencies that ask for something, days in range.
func (g Guidance) Validate() error {
	var ps problems
	g.validate(&ps)
	return ps.err("guidance")
}

func (g Guidance) validate(ps *problems) {
	ps.id("id", g.ID)
	ps.text("title", g.Title)
	codes := map[string]bool{}
	unique := func(path, c string) {
		ps.code(path, c)
		if codes[c] {
			ps.add(ProblemDuplicate, path, "Two items of the guidance share a code.")
		}
		codes[c] = true
	}
	dayCount := func(path string, n int, positive bool) {
		switch {
		case n < 0:
			ps.add(ProblemNegative, path, "A count of days is not negative.")
		case n == 0 && positive:
			ps.add(ProblemMissing, path, "A count of days is required here.")
		case n > maxDays:
			ps.add("out_of_range", path, "A count of days is at most 36500.")
		}
	}
	reqs := func(name string, rs []Requirement) {
		for i, r := range rs {
			p := name + "[" + strconv.Itoa(i) + "]"
			unique(p+".code", r.Code)
			ps.text(p+".cite", r.Cite)
			if len(r.Kinds) == 0 {
				ps.add(ProblemNoRequirementKind, p+".kinds", "A requirement names at least one partner kind.")
			}
			for j, k := range r.Kinds {
				if !k.IsValid() {
					ps.add(ProblemUnknownCode, p+".kinds["+strconv.Itoa(j)+"]", "The partner kind is not a known kind.")
				}
			}
			dayCount(p+".active_within_days", r.ActiveWithinDays, false)
		}
	}
	reqs("agreements", g.Agreements)
	reqs("partnerships", g.Partnerships)
	for i, o := range g.Outreach {
		p := "outreach[" + strconv.Itoa(i) + "]"
		unique(p+".code", o.Code)
		ps.text(p+".cite", o.Cite)
		if len(o.Settings) == 0 {
			ps.add(ProblemNoRequirementKind, p+".settings", "An outreach requirement names at least one setting.")
		}
		for j, s := range o.Settings {
			if !s.IsValid() {
				ps.add(ProblemUnknownCode, p+".settings["+strconv.Itoa(j)+"]", "The setting is not a known source kind.")
			}
		}
		dayCount(p+".every_days", o.EveryDays, true)
	}
	if r := g.SafeSleep; r != nil {
		unique("safe_sleep.code", r.Code)
		ps.text("safe_sleep.cite", r.Cite)
		dayCount("safe_sleep.within_days", r.WithinDays, false)
	}
	for i, c := range g.Competencies {
		p := "competencies[" + strconv.Itoa(i) + "]"
		unique(p+".code", c.Code)
		ps.text(p+".cite", c.Cite)
		ps.text(p+".topic", c.Topic)
		dayCount(p+".training_every_days", c.TrainingEveryDays, false)
		dayCount(p+".supervision_every_days", c.SupervisionEveryDays, false)
		if c.TrainingEveryDays == 0 && c.SupervisionEveryDays == 0 {
			ps.add(ProblemNoMode, p, "A competency asks for training, supervision or both, at some interval.")
		}
	}
	dayCount("new_staff_grace_days", g.NewStaffGraceDays, false)
	c := g.CHARM
	dayCount("charm.prenatal_within_days", c.PrenatalWithinDays, true)
	dayCount("charm.moud_start_within_days", c.MOUDStartWithinDays, true)
	dayCount("charm.moud_continue_days", c.MOUDContinueDays, true)
	dayCount("charm.moud_max_gap_days", c.MOUDMaxGapDays, false)
	dayCount("charm.counseling_start_within_days", c.CounselingStartWithinDays, true)
	dayCount("charm.counseling_engage_within_days", c.CounselingEngageWithinDays, true)
	if c.CounselingEngageSessions < 1 || c.CounselingEngageSessions > 1000 {
		ps.add("out_of_range", "charm.counseling_engage_sessions", "Engagement asks for 1 to 1000 further sessions.")
	}
	dayCount("charm.support_within_days", c.SupportWithinDays, true)
	dayCount("charm.support_close_within_days", c.SupportCloseWithinDays, true)
	if len(c.SupportKinds) == 0 {
		ps.add(ProblemNoRequirementKind, "charm.support_kinds", "The support measure names at least one partner kind.")
	}
	for j, k := range c.SupportKinds {
		if !k.IsValid() {
			ps.add(ProblemUnknownCode, "charm.support_kinds["+strconv.Itoa(j)+"]", "The partner kind is not a known kind.")
		}
	}
}

// clone returns a deep copy of g, so that a Reviewer never shares slices with its caller.
func (g Guidance) clone() Guidance {
	cl := func(rs []Requirement) []Requirement {
		out := slices.Clone(rs)
		for i := range out {
			out[i].Kinds = slices.Clone(out[i].Kinds)
		}
		return out
	}
	g.Agreements = cl(g.Agreements)
	g.Partnerships = cl(g.Partnerships)
	g.Outreach = slices.Clone(g.Outreach)
	for i := range g.Outreach {
		g.Outreach[i].Settings = slices.Clone(g.Outreach[i].Settings)
	}
	if g.SafeSleep != nil {
		r := *g.SafeSleep
		g.SafeSleep = &r
	}
	g.Competencies = slices.Clone(g.Competencies)
	g.CHARM.SupportKinds = slices.Clone(g.CHARM.SupportKinds)
	return g
}
