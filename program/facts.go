package program

import (
	"strconv"
	"time"

	"github.com/dyad-health/dyad/consent"
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
	ID      string        `json:"id"`
	Start   time.Time     `json:"start"`
	End     time.Time     `json:"end,omitzero"`
	Records []StaffRecord `json:"records,omitempty"`
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
	Mother string   `json:"mother"`
	Family []string `json:"family,omitempty"`
	// IntakeAt is the intake (admission) into the program; it places the dyad in a cohort.
	IntakeAt time.Time `json:"intake_at"`
	// DischargedAt ends the program's care, if it ended; zero: still in care.
	DischargedAt time.Time `json:"discharged_at,omitzero"`
	// Pregnancy is the pregnancy she was in at intake; nil if she was not pregnant at
	// intake (she came postpartum or parenting).
	Pregnancy *perinatal.Pregnancy `json:"pregnancy,omitempty"`
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
	Medication perinatal.MOUD `json:"medication"`
	Start      time.Time      `json:"start"`
	End        time.Time      `json:"end,omitzero"`
}

// Session is one scheduled SUD counseling session and whether she attended it.
type Session struct {
	At       time.Time `json:"at"`
	Attended bool      `json:"attended"`
}

// Validate lists every problem of the facts: identifiers, unique identifiers within each
// list, required times, ends after starts, known codes, partnerships naming partners of the
// directory, valid pregnancies and medications, no nil referral. Staff records naming a
// competency the guidance does not define are not problems here: a review reports them.
func (f Facts) Validate() error {
	var ps problems
	f.validate(&ps)
	return ps.err("facts")
}

func (f Facts) validate(ps *problems) {
	f.validateWith(ps, func(i int, _ string) string { return idx("directory", i) },
		func(i int) string { return idx("agreements", i) })
}

func idx(name string, i int) string { return name + "[" + strconv.Itoa(i) + "]" }

// validateWith validates the facts; partnerPath names the path of the i-th partner of the
// directory (in Directory.IDs order), whose identifier is id, and agreementPath the path
// of the i-th agreement of Agreements.
func (f Facts) validateWith(ps *problems, partnerPath func(i int, id string) string, agreementPath func(i int) string) {
	ps.id("program", f.Program)
	seen := map[string]bool{}
	uniq := func(list, path, id string) {
		ps.id(path, id)
		k := list + "\x00" + id
		if seen[k] {
			ps.add(ProblemDuplicate, path, "Two entries of this list share an identifier.")
		}
		seen[k] = true
	}
	need := func(path string, t time.Time) {
		if t.IsZero() {
			ps.add(ProblemMissing, path, "A time is required here.")
		}
	}
	order := func(path string, start, end time.Time) {
		if !end.IsZero() && !start.IsZero() && !end.After(start) {
			ps.add(ProblemOrder, path, "An end is after its start.")
		}
	}
	for i, id := range f.Directory.IDs() {
		p, _ := f.Directory.Lookup(id)
		for j, a := range p.Agreements {
			ps.id(partnerPath(i, id)+idx(".agreements", j)+".id", a.ID)
		}
	}
	for i, a := range f.Agreements {
		b := agreementPath(i)
		uniq("agreements", b+".id", a.ID)
		if a.Program != "" {
			ps.id(b+".program", a.Program)
		}
		if a.Organization != "" {
			ps.id(b+".organization", a.Organization)
		}
	}
	for i, p := range f.Partnerships {
		b := idx("partnerships", i)
		uniq("partnerships", b+".id", p.ID)
		ps.id(b+".partner", p.Partner)
		if _, ok := f.Directory.Lookup(p.Partner); !ok && p.Partner != "" {
			ps.add(ProblemUnknownPartner, b+".partner", "The partnership names no partner of the directory.")
		}
		need(b+".start", p.Start)
		order(b+".end", p.Start, p.End)
		for j, a := range p.Activities {
			need(idx(b+".activities", j), a)
		}
	}
	for i, o := range f.Outreach {
		b := idx("outreach", i)
		uniq("outreach", b+".id", o.ID)
		need(b+".at", o.At)
		if !o.Setting.IsValid() {
			ps.add(ProblemUnknownCode, b+".setting", "The setting is not a known source kind.")
		}
		if o.Partner != "" {
			ps.id(b+".partner", o.Partner)
		}
	}
	for i, r := range f.Received {
		b := idx("received", i)
		uniq("received", b+".id", r.ID)
		need(b+".at", r.At)
		if !r.Source.IsValid() {
			ps.add(ProblemUnknownCode, b+".source", "The source is not a known source kind.")
		}
		if r.Partner != "" {
			ps.id(b+".partner", r.Partner)
		}
	}
	for i, s := range f.Staff {
		b := idx("staff", i)
		uniq("staff", b+".id", s.ID)
		need(b+".start", s.Start)
		order(b+".end", s.Start, s.End)
		for j, r := range s.Records {
			rb := idx(b+".records", j)
			ps.code(rb+".competency", r.Competency)
			if !r.Mode.IsValid() {
				ps.add(ProblemUnknownCode, rb+".mode", "The mode is not training or supervision.")
			}
			need(rb+".at", r.At)
		}
	}
	for i, d := range f.Dyads {
		b := idx("dyads", i)
		uniq("dyads", b+".id", d.ID)
		ps.id(b+".mother", d.Mother)
		for j, m := range d.Family {
			ps.id(idx(b+".family", j), m)
		}
		need(b+".intake_at", d.IntakeAt)
		order(b+".discharged_at", d.IntakeAt, d.DischargedAt)
		if d.Pregnancy != nil {
			if err := d.Pregnancy.Validate(); err != nil {
				ps.add(ProblemPregnancy, b+".pregnancy", "The perinatal package finds the pregnancy invalid (dating, delivery).")
			}
			if v := d.FirstPrenatalVisit; !v.IsZero() && d.Pregnancy.Delivered(v) {
				ps.add(ProblemOrder, b+".first_prenatal_visit", "A prenatal visit comes before the delivery.")
			}
		}
		for j, e := range d.MOUD {
			eb := idx(b+".moud", j)
			if !e.Medication.IsMedication() {
				ps.add(ProblemNoMedication, eb+".medication", "An MOUD episode names a medication (methadone, buprenorphine, naltrexone).")
			}
			need(eb+".start", e.Start)
			order(eb+".end", e.Start, e.End)
		}
		for j, s := range d.Counseling {
			need(idx(b+".counseling", j)+".at", s.At)
		}
	}
	for i, r := range f.Referrals {
		if r == nil {
			ps.add(ProblemNil, idx("referrals", i), "A referral is nil.")
		}
	}
}
