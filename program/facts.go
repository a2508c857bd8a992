package program

import (
	"strconv"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/internal/ident"
	"github.com/dyad-health/dyad/perinatal"
	"github.com/dyad-health/dyad/referral"
)

// Facts is what a program manager knows about one program at a review: its partner
// directory (with the QSO agreements it holds), partnerships, outreach, the referrals it
// received and made, its staff's training and supervision, and its mother-infant dyads.
// Every field is an identifier, a code, a time or a count: no name, birth date or free text.
// Facts are read, never changed, by a review; DecodeFacts reads them from JSON.
type Facts struct {
	// Program is the program's identifier: the Part 2 program named by its QSO agreements.
	Program string
	// Directory is the program's partner directory; nil is an empty directory.
	Directory *referral.Directory
	// Agreements are QSO agreements the program holds, or once held, with partners of the
	// directory, each counting for the partner its Organization names. Those that consent
	// finds invalid belong here: referral.NewDirectory refuses them, but a review reports
	// them (qsoa_invalid). The agreements of the directory's partners count as well.
	Agreements []consent.QSOAgreement
	// Partnerships are the partnerships the program keeps with partners of the directory.
	Partnerships []Partnership
	// Outreach are the outreach activities the program carried out.
	Outreach []Outreach
	// Received are the referrals the program received.
	Received []Received
	// Staff are the program's staff members, with their training and supervision records.
	Staff []Staff
	// Dyads are the mother-infant dyads the program serves or served.
	Dyads []Dyad
	// SleepChecks are the sleep-environment checklists the program completed for its
	// dyads' infants.
	SleepChecks []SleepCheck
	// Referrals are the referrals the program made to partners (outgoing, closed-loop).
	Referrals []*referral.Referral
}

// Partnership is a partnership the program keeps with a partner of its directory: in force
// from Start (inclusive) to End (exclusive; zero: open-ended), with the dates of documented
// joint activities (meetings, case conferences, joint trainings). A partnership agreement
// with child welfare is not a QSO agreement and permits no disclosure by itself.
type Partnership struct {
	ID         string      `json:"id"`                   // the partnership's identifier
	Partner    string      `json:"partner"`              // the partner's identifier in the directory
	Start      time.Time   `json:"start"`                // in force from
	End        time.Time   `json:"end,omitzero"`         // in force until (exclusive); zero: open-ended
	Activities []time.Time `json:"activities,omitempty"` // documented joint activities
}

// Outreach is one outreach activity to a setting, to raise awareness of the program's
// services and promote referrals (CiteOrgOutreach).
type Outreach struct {
	ID      string     `json:"id"`                // the activity's identifier
	At      time.Time  `json:"at"`                // when it took place
	Setting SourceKind `json:"setting"`           // the kind of setting reached
	Partner string     `json:"partner,omitempty"` // the partner's or setting's identifier, if known
}

// Received is one referral the program received: when, from what kind of source, and
// whether the woman referred was pregnant.
type Received struct {
	ID       string     `json:"id"`                // the received referral's identifier
	At       time.Time  `json:"at"`                // when the program received it
	Source   SourceKind `json:"source"`            // the kind of source
	Partner  string     `json:"partner,omitempty"` // the source's identifier, if known
	Pregnant bool       `json:"pregnant"`          // she was pregnant when referred
}

// Staff is one staff member, by identifier only, employed from Start (inclusive) to End
// (exclusive; zero: still employed), with the training and supervision records.
type Staff struct {
	ID      string        `json:"id"`                // the staff member's identifier (no name)
	Start   time.Time     `json:"start"`             // employed from
	End     time.Time     `json:"end,omitzero"`      // employed until (exclusive); zero: still employed
	Records []StaffRecord `json:"records,omitempty"` // training and supervision records
}

// StaffRecord is one training or supervision session on a competency, by its code.
type StaffRecord struct {
	Competency string    `json:"competency"` // the competency's code in the guidance
	Mode       Mode      `json:"mode"`       // training or supervision
	At         time.Time `json:"at"`         // when it took place
}

// Dyad is one mother-infant dyad (with its family) in the program's care: the facts the
// CHARM measures need, by identifier and time only.
type Dyad struct {
	ID string `json:"id"` // the dyad's identifier
	// Mother is the woman's patient identifier; Family are the infant's and other family
	// members' patient identifiers. Referrals whose patient is any of them are the family's.
	Mother string   `json:"mother"`           // the woman's patient identifier
	Family []string `json:"family,omitempty"` // the infant's and family members' patient identifiers
	// IntakeAt is the intake (admission) into the program; it places the dyad in a cohort.
	IntakeAt time.Time `json:"intake_at"`
	// DischargedAt ends the program's care, if it ended; zero: still in care.
	DischargedAt time.Time `json:"discharged_at,omitzero"`
	// Pregnancy is the pregnancy she was in at intake; nil if she was not pregnant at
	// intake (she came postpartum or parenting).
	Pregnancy *perinatal.Pregnancy `json:"pregnancy,omitempty"`
	// InfantBornAt is, for a dyad not pregnant at intake, when the infant she came with was
	// born (before intake); zero: not known, and the infant is taken to be under one year
	// old (Safe Infant Sleep). For a dyad pregnant at intake the infant's birth is the
	// pregnancy's end, and this is not given.
	InfantBornAt time.Time `json:"infant_born_at,omitzero"`
	// FirstPrenatalVisit is the first prenatal care visit of that pregnancy, before or
	// after intake; zero: none known.
	FirstPrenatalVisit time.Time `json:"first_prenatal_visit,omitzero"`
	// OUD records an opioid use disorder diagnosis: the MOUD measures apply.
	OUD bool `json:"oud"`
	// MOUD are her episodes of medication for opioid use disorder.
	MOUD []MOUDEpisode `json:"moud,omitempty"`
	// Counseling are her SUD counseling sessions, attended or not.
	Counseling []Session `json:"counseling,omitempty"`
}

// MOUDEpisode is one episode of medication for opioid use disorder: covered from Start
// (inclusive) to End (exclusive; zero: ongoing).
type MOUDEpisode struct {
	Medication perinatal.MOUD `json:"medication"`   // methadone, buprenorphine or naltrexone
	Start      time.Time      `json:"start"`        // covered from
	End        time.Time      `json:"end,omitzero"` // covered until (exclusive); zero: ongoing
}

// Session is one scheduled SUD counseling session and whether she attended it.
type Session struct {
	At       time.Time `json:"at"`       // when the session was scheduled
	Attended bool      `json:"attended"` // whether she attended it
}

// Validate lists every problem of the facts: identifiers, unique identifiers within each
// list, required times, ends after starts, known codes, partnerships naming partners of the
// directory, sleep checklists naming dyads of the facts, valid pregnancies and
// medications, an infant's birth only for a dyad that came with one, no nil referral. Staff records naming a
// competency the guidance does not define are not problems here: a review reports them.
func (f Facts) Validate() error {
	var ps problems
	f.validate(&ps)
	return ps.err("facts")
}

func (f Facts) validate(ps *problems) {
	f.validateWith(ps, func(i int, _ string) loc { return at("directory", i) },
		func(i int) loc { return at("agreements", i) })
}

func idx(name string, i int) string { return name + "[" + strconv.Itoa(i) + "]" }

// loc is a path such as "dyads[3].moud[0].start", kept in parts and rendered only when a
// problem is found, so that validating valid facts builds no string.
type loc struct {
	list  string
	i     int
	sub   string // "" when the path has no second list
	j     int
	field string
}

func at(list string, i int) loc { return loc{list: list, i: i} }

func (l loc) in(sub string, j int) loc { l.sub, l.j = sub, j; return l }

func (l loc) f(field string) loc { l.field = field; return l }

// String renders the path.
func (l loc) String() string {
	s := idx(l.list, l.i)
	if l.sub != "" {
		s += "." + idx(l.sub, l.j)
	}
	if l.field != "" {
		s += "." + l.field
	}
	return s
}

// validateWith validates the facts; partnerPath gives the path of the i-th partner of the
// directory (in Directory.IDs order), whose identifier is id, and agreementPath the path
// of the i-th agreement of Agreements.
func (f Facts) validateWith(ps *problems, partnerPath func(i int, id string) loc, agreementPath func(i int) loc) {
	ps.id("program", f.Program)
	id := func(l loc, s string) {
		if !ident.Valid(s) {
			ps.add(ProblemIdentifier, l.String(), ident.Rule)
		}
	}
	uniq := func(seen map[string]struct{}, l loc, s string) {
		id(l, s)
		if _, dup := seen[s]; dup {
			ps.add(ProblemDuplicate, l.String(), "Two entries of this list share an identifier.")
		}
		seen[s] = struct{}{}
	}
	need := func(l loc, t time.Time) {
		if t.IsZero() {
			ps.add(ProblemMissing, l.String(), "A time is required here.")
		}
	}
	order := func(l loc, start, end time.Time) {
		if !end.IsZero() && !start.IsZero() && !end.After(start) {
			ps.add(ProblemOrder, l.String(), "An end is after its start.")
		}
	}
	known := func(l loc, ok bool, msg string) {
		if !ok {
			ps.add(ProblemUnknownCode, l.String(), msg)
		}
	}
	for i, pid := range f.Directory.IDs() {
		p, _ := f.Directory.Lookup(pid)
		for j, a := range p.Agreements {
			if !ident.Valid(a.ID) {
				l := partnerPath(i, pid)
				ps.add(ProblemIdentifier, l.in("agreements", j).f("id").String(), ident.Rule)
			}
		}
	}
	seen := make(map[string]struct{}, len(f.Agreements))
	for i, a := range f.Agreements {
		l := agreementPath(i)
		uniq(seen, l.f("id"), a.ID)
		if !a.Program.IsZero() {
			id(l.f("program"), a.Program.Value)
			if a.Program.System != "" {
				id(l.f("program").f("system"), a.Program.System)
			}
		}
		if !a.Organization.IsZero() {
			id(l.f("organization"), a.Organization.Value)
			if a.Organization.System != "" {
				id(l.f("organization").f("system"), a.Organization.System)
			}
		}
	}
	seen = make(map[string]struct{}, len(f.Partnerships))
	for i, p := range f.Partnerships {
		l := at("partnerships", i)
		uniq(seen, l.f("id"), p.ID)
		id(l.f("partner"), p.Partner)
		if _, ok := f.Directory.Lookup(p.Partner); !ok && p.Partner != "" {
			ps.add(ProblemUnknownPartner, l.f("partner").String(), "The partnership names no partner of the directory.")
		}
		need(l.f("start"), p.Start)
		order(l.f("end"), p.Start, p.End)
		for j, a := range p.Activities {
			need(l.in("activities", j), a)
		}
	}
	seen = make(map[string]struct{}, len(f.Outreach))
	for i, o := range f.Outreach {
		l := at("outreach", i)
		uniq(seen, l.f("id"), o.ID)
		need(l.f("at"), o.At)
		known(l.f("setting"), o.Setting.IsValid(), "The setting is not a known source kind.")
		if o.Partner != "" {
			id(l.f("partner"), o.Partner)
		}
	}
	seen = make(map[string]struct{}, len(f.Received))
	for i, r := range f.Received {
		l := at("received", i)
		uniq(seen, l.f("id"), r.ID)
		need(l.f("at"), r.At)
		known(l.f("source"), r.Source.IsValid(), "The source is not a known source kind.")
		if r.Partner != "" {
			id(l.f("partner"), r.Partner)
		}
	}
	seen = make(map[string]struct{}, len(f.Staff))
	for i, s := range f.Staff {
		l := at("staff", i)
		uniq(seen, l.f("id"), s.ID)
		need(l.f("start"), s.Start)
		order(l.f("end"), s.Start, s.End)
		for j, r := range s.Records {
			rl := l.in("records", j)
			if !isCode(r.Competency) {
				ps.add(ProblemCode, rl.f("competency").String(), "A code is 1 to 64 bytes of a-z, 0-9 and _.")
			}
			known(rl.f("mode"), r.Mode.IsValid(), "The mode is not training or supervision.")
			need(rl.f("at"), r.At)
		}
	}
	seen = make(map[string]struct{}, len(f.Dyads))
	for i := range f.Dyads {
		d := &f.Dyads[i]
		l := at("dyads", i)
		uniq(seen, l.f("id"), d.ID)
		id(l.f("mother"), d.Mother)
		for j, m := range d.Family {
			id(l.in("family", j), m)
		}
		need(l.f("intake_at"), d.IntakeAt)
		order(l.f("discharged_at"), d.IntakeAt, d.DischargedAt)
		if !d.InfantBornAt.IsZero() {
			switch {
			case d.Pregnancy != nil:
				ps.add(ProblemConflict, l.f("infant_born_at").String(), "A dyad pregnant at intake has the birth of that pregnancy; infant_born_at is for a dyad that came with an infant.")
			case d.InfantBornAt.After(d.IntakeAt) && !d.IntakeAt.IsZero():
				ps.add(ProblemOrder, l.f("infant_born_at").String(), "She was not pregnant at intake: the infant she came with was born before it.")
			}
		}
		if d.Pregnancy != nil {
			if err := d.Pregnancy.Validate(); err != nil {
				ps.add(ProblemPregnancy, l.f("pregnancy").String(), "The perinatal package finds the pregnancy invalid (dating, delivery).")
			}
			if v := d.FirstPrenatalVisit; !v.IsZero() && d.Pregnancy.Delivered(v) {
				ps.add(ProblemOrder, l.f("first_prenatal_visit").String(), "A prenatal visit comes before the delivery.")
			}
		}
		for j, e := range d.MOUD {
			el := l.in("moud", j)
			if !e.Medication.IsMedication() {
				ps.add(ProblemNoMedication, el.f("medication").String(), "An MOUD episode names a medication (methadone, buprenorphine, naltrexone).")
			}
			need(el.f("start"), e.Start)
			order(el.f("end"), e.Start, e.End)
		}
		for j, s := range d.Counseling {
			need(l.in("counseling", j).f("at"), s.At)
		}
	}
	var dyadIDs map[string]struct{}
	if len(f.SleepChecks) > 0 {
		dyadIDs = make(map[string]struct{}, len(f.Dyads))
		for i := range f.Dyads {
			dyadIDs[f.Dyads[i].ID] = struct{}{}
		}
	}
	seen = make(map[string]struct{}, len(f.SleepChecks))
	for i, c := range f.SleepChecks {
		l := at("sleep_checks", i)
		uniq(seen, l.f("id"), c.ID)
		id(l.f("dyad"), c.Dyad)
		if _, ok := dyadIDs[c.Dyad]; !ok && c.Dyad != "" {
			ps.add(ProblemUnknownDyad, l.f("dyad").String(), "The checklist names no dyad of the facts.")
		}
		need(l.f("at"), c.At)
		answers := c.Checklist.Answers()
		for _, a := range answers[1:] {
			if a != perinatal.AnswerUnknown && !a.IsValid() {
				ps.add(ProblemUnknownCode, l.f("checklist").String(), "An answer is not met, unmet or unknown.")
				break
			}
		}
	}
	for i, r := range f.Referrals {
		if r == nil {
			ps.add(ProblemNil, idx("referrals", i), "A referral is nil.")
		}
	}
}
