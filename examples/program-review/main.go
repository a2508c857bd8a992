// Command program-review reviews a perinatal substance use treatment program against a
// State's practice guidance (by default the Massachusetts BSAS guidance for services to
// pregnant women and families) and prints every unmet guidance item with its citation,
// the warnings, then the measures behind them: QSO agreement and partnership coverage,
// outreach, referrals received by source beside the referrals made, Safe Infant Sleep
// checklists, staff due or overdue, and the four CHARM measures by period of intake.
//
// With no input it reviews a built-in sample program. A program manager reviews their own
// with -in, a facts document in the format of program/testdata/conformance/README.md
// (print the sample's with -dump-sample to start from it):
//
//	go run ./examples/program-review
//	go run ./examples/program-review -dump-sample > my-program.json
//	go run ./examples/program-review -in my-program.json -at 2026-06-30T17:00:00-04:00
//	go run ./examples/program-review -in my-program.json -guidance my-state.json -json
//
// Flags: -in FILE ("-" for stdin), -guidance FILE (a State's guidance; -dump-guidance
// prints the built-in one), -at TIME (RFC 3339; default: the document's "at"),
// -from TIME, -period none|month|quarter|year, -tz ZONE (where periods begin), -notice DAYS,
// -max-bytes N (the longest document read; default 8 MiB of facts, 1 MiB of guidance),
// -json. The exit status is 0
// when no guidance item is unmet, 1 when some are, 2 when the input cannot be read. Every
// input is read through the library's one JSON reader: problems are listed with their path
// and code, never the input's text.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // -tz works where the system has no time zone database

	"github.com/dyad-health/dyad/internal/jsonin"
	"github.com/dyad-health/dyad/program"
	"github.com/dyad-health/dyad/referral"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("program-review", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", `facts document to review ("-" for stdin); none: the built-in sample`)
	guidanceFile := fs.String("guidance", "", "a State's guidance document; none: Massachusetts BSAS")
	atFlag := fs.String("at", "", "the moment reviewed, RFC 3339 (default: the document's \"at\")")
	fromFlag := fs.String("from", "", "start of the review window, RFC 3339 (default: the document's \"from\")")
	periodFlag := fs.String("period", "", "group counts and the cohort by none, month, quarter or year")
	notice := fs.Int("notice", 0, "warning window in days (0: 30; negative: no warnings of things falling due)")
	tz := fs.String("tz", "", "time zone where periods begin, e.g. America/New_York (default UTC)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	maxBytes := fs.Int("max-bytes", 0, "the longest facts or guidance document read, in bytes (0: the program package's defaults, 8 MiB and 1 MiB)")
	dumpSample := fs.Bool("dump-sample", false, "print the sample program's facts document and exit")
	dumpGuidance := fs.Bool("dump-guidance", false, "print the built-in guidance document and exit")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		if fs.NArg() > 0 {
			fmt.Fprintln(stderr, "program-review: unexpected arguments; use -in FILE")
		}
		return 2
	}
	if *dumpGuidance {
		return dump(stdout, stderr, program.MassachusettsBSAS())
	}
	var facts program.Facts
	var opt program.Options
	var err error
	if *in == "" {
		facts, opt, err = sample()
		if err == nil && *dumpSample {
			b, err := program.EncodeFacts(facts, opt)
			if err != nil {
				fmt.Fprintln(stderr, "program-review:", err)
				return 2
			}
			fmt.Fprintf(stdout, "%s\n", b)
			return 0
		}
	} else {
		var data []byte
		dec := program.DecodeOptions{MaxBytes: *maxBytes}
		if data, err = readInput(*in, stdin, limit(*maxBytes, program.DefaultMaxFactsBytes)); err == nil {
			facts, opt, err = dec.DecodeFacts(data)
		}
	}
	if err != nil {
		return fail(stderr, *in, err)
	}
	g := program.MassachusettsBSAS()
	if *guidanceFile != "" {
		data, err := readInput(*guidanceFile, stdin, limit(*maxBytes, program.DefaultMaxGuidanceBytes))
		if err == nil {
			g, err = program.DecodeOptions{MaxBytes: *maxBytes}.DecodeGuidance(data)
		}
		if err != nil {
			return fail(stderr, *guidanceFile, err)
		}
	}
	for _, t := range []struct {
		s   string
		dst *time.Time
	}{{*atFlag, &opt.At}, {*fromFlag, &opt.From}} {
		if t.s == "" {
			continue
		}
		v, err := time.Parse(time.RFC3339, t.s)
		if err != nil {
			fmt.Fprintln(stderr, "program-review: -at and -from take an RFC 3339 time such as 2026-06-30T17:00:00-04:00")
			return 2
		}
		*t.dst = v
	}
	if *periodFlag != "" {
		if err := opt.Period.UnmarshalText([]byte(*periodFlag)); err != nil {
			fmt.Fprintln(stderr, "program-review: -period is none, month, quarter or year")
			return 2
		}
	}
	if opt.At.IsZero() {
		fmt.Fprintln(stderr, "program-review: the document has no \"at\": say when to review with -at")
		return 2
	}
	opt.NoticeDays = *notice
	if *tz != "" {
		loc, err := time.LoadLocation(*tz)
		if err != nil {
			fmt.Fprintln(stderr, "program-review: -tz takes an IANA time zone name such as America/New_York")
			return 2
		}
		opt.Location = loc
	}
	rv, err := program.New(g)
	if err != nil {
		return fail(stderr, "guidance", err)
	}
	rep, err := rv.Review(facts, opt)
	if err != nil {
		return fail(stderr, *in, err)
	}
	if *asJSON {
		if code := dump(stdout, stderr, rep); code != 0 {
			return code
		}
	} else {
		report(stdout, g, rep)
	}
	if len(rep.Gaps) > 0 {
		return 1
	}
	return 0
}

// limit is the byte limit of a read: the -max-bytes flag when positive, else the default.
func limit(flag, def int) int {
	if flag > 0 {
		return flag
	}
	return def
}

// readInput reads a file, or stdin for "-", bounded by max bytes.
func readInput(name string, stdin io.Reader, max int) ([]byte, error) {
	if name == "-" {
		return jsonin.ReadAll(stdin, max)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return jsonin.ReadAll(f, max)
}

// fail prints why the input cannot be used: every problem with its code and path.
func fail(stderr io.Writer, name string, err error) int {
	if name == "" {
		name = "sample"
	}
	switch e := err.(type) {
	case *program.ValidationError:
		fmt.Fprintf(stderr, "program-review: %s: %d problem(s)\n", name, len(e.Problems)+e.Omitted)
		for _, p := range e.Problems {
			fmt.Fprintf(stderr, "  %s at %s: %s\n", p.Code, orDash(p.Path), p.Message)
		}
	case *jsonin.Error:
		for _, p := range e.Problems {
			fmt.Fprintf(stderr, "program-review: %s: %s: %s\n", name, p.Code, p.Message)
		}
	default:
		fmt.Fprintf(stderr, "program-review: %s: %v\n", name, err)
	}
	return 2
}

func dump(stdout, stderr io.Writer, v any) int {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		fmt.Fprintln(stderr, "program-review:", err)
		return 2
	}
	fmt.Fprintf(stdout, "%s\n", b)
	return 0
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

const stamp = "2006-01-02 15:04 MST"

func report(w io.Writer, g program.Guidance, rep program.Report) {
	fmt.Fprintf(w, "Program review of %s against %s at %s\n", rep.Program, rep.Guidance, rep.At.Format(stamp))
	fmt.Fprintf(w, "Guidance: %s\n", g.Title)
	if !rep.From.IsZero() {
		fmt.Fprintf(w, "Counts and cohort from %s", rep.From.Format(stamp))
		if rep.Period != referral.PeriodNone {
			fmt.Fprintf(w, ", by %s", rep.Period)
		}
		fmt.Fprintln(w)
	}

	fmt.Fprintf(w, "\nUnmet guidance items (%d):\n", len(rep.Gaps))
	findings(w, rep.Gaps)
	fmt.Fprintf(w, "\nWarnings (%d):\n", len(rep.Warnings))
	findings(w, rep.Warnings)

	fmt.Fprintln(w, "\nQSO agreements and partnerships:")
	for _, c := range rep.Coverage {
		what := "partnership  "
		if c.Agreement {
			what = "QSO agreement"
		}
		if !c.Met {
			fmt.Fprintf(w, "  %-30s %s  unmet\n", c.Item, what)
			continue
		}
		until := "no end"
		if !c.Until.IsZero() {
			until = "until " + c.Until.Format("2006-01-02")
		}
		fmt.Fprintf(w, "  %-30s %s  met by %s (%s), %s\n", c.Item, what, c.Partner, c.Record, until)
	}
	fmt.Fprintln(w, "\nOutreach:")
	for _, o := range rep.Outreach {
		if o.Last.IsZero() {
			fmt.Fprintf(w, "  %-30s none\n", o.Item)
			continue
		}
		fmt.Fprintf(w, "  %-30s last %s, %d within the interval", o.Item, o.Last.Format("2006-01-02"), o.Count)
		if o.Met {
			fmt.Fprintf(w, ", next due %s", o.Due.Format("2006-01-02"))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "\nReferrals received, by source (prenatal care settings first):")
	for _, s := range rep.Sources {
		fmt.Fprintf(w, "  %-22s %-10s received %d, pregnant %d\n", s.Source, period(s.PeriodStart), s.Received, s.Pregnant)
	}
	fmt.Fprintln(w, "\nReferrals made, closed loop (referral.Measure, by partner kind and period sent):")
	if len(rep.Outgoing) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for _, m := range rep.Outgoing {
		fmt.Fprintf(w, "  %-26s %-10s sent %d, accepted %d, completed %d, ended %d, overdue %d\n",
			m.Kind, period(m.PeriodStart), m.Sent, m.Accepted, m.Completed, m.Closed, m.Overdue)
	}
	fmt.Fprintln(w, "\nSafe Infant Sleep (infants under one in care; the latest sleep-environment checklist, AAP 2022):")
	if len(rep.SafeSleep) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for _, s := range rep.SafeSleep {
		if s.Checked.IsZero() {
			fmt.Fprintf(w, "  %-6s in care since %s, no checklist, first due %s\n", s.Dyad, s.Since.Format("2006-01-02"), s.Due.Format("2006-01-02"))
			continue
		}
		fmt.Fprintf(w, "  %-6s in care since %s, checked %s: %s\n", s.Dyad, s.Since.Format("2006-01-02"), s.Checked.Format("2006-01-02"), s.Outcome)
	}
	fmt.Fprintln(w, "\nStaff due or overdue:")
	if len(rep.Staff) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for _, s := range rep.Staff {
		last := "never"
		if !s.Last.IsZero() {
			last = s.Last.Format("2006-01-02")
		}
		fmt.Fprintf(w, "  %-6s %-26s %-11s %-7s last %s, due %s\n", s.Staff, s.Competency, s.Mode, s.State, last, s.Due.Format("2006-01-02"))
	}
	fmt.Fprintln(w, "\nCHARM measures, by period of intake (met/denominator; pending apart):")
	for _, c := range rep.CHARM {
		plural := "s"
		if c.Dyads == 1 {
			plural = ""
		}
		fmt.Fprintf(w, "  %s: %d dyad%s\n", period(c.PeriodStart), c.Dyads, plural)
		median := ""
		if c.PrenatalVisits > 0 {
			median = fmt.Sprintf(", median %.1f days from intake to first visit", c.MedianToPrenatal.Hours()/24)
		}
		rate(w, "early prenatal care", c.Prenatal, median)
		rate(w, "MOUD started", c.MOUDStarted, "")
		rate(w, "MOUD continued", c.MOUDContinued, "")
		rate(w, "counseling initiated", c.CounselingInitiated, "")
		rate(w, "counseling engaged", c.CounselingEngaged, fmt.Sprintf(", %d of %d sessions attended", c.SessionsAttended, c.SessionsScheduled))
		rate(w, "support referral closed", c.Support, "")
		rate(w, "support referrals completed", c.SupportReferrals, fmt.Sprintf(", %d sent", c.SupportSent))
	}
}

func findings(w io.Writer, fs []program.Finding) {
	if len(fs) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for _, f := range fs {
		var extra []string
		if f.Subject != "" {
			about := "staff "
			if strings.HasPrefix(f.Code, "safe_sleep_") {
				about = "dyad "
			}
			extra = append(extra, about+f.Subject)
		}
		if len(f.Partners) > 0 {
			extra = append(extra, "partners "+strings.Join(f.Partners, " "))
		}
		if len(f.Problems) > 0 {
			extra = append(extra, "problems "+strings.Join(f.Problems, " "))
		}
		line := "  " + f.Code + " " + f.Item
		if len(extra) > 0 {
			line += " (" + strings.Join(extra, "; ") + ")"
		}
		fmt.Fprintln(w, line)
		fmt.Fprintf(w, "      %s\n      %s\n", strings.Join(f.Cites, "; "), f.Message)
	}
}

func rate(w io.Writer, name string, r program.Rate, extra string) {
	share := "   —"
	if r.Denominator > 0 {
		share = fmt.Sprintf("%3.0f%%", 100*r.Share)
	}
	fmt.Fprintf(w, "    %-28s %d/%d %s, pending %d%s\n", name, r.Met, r.Denominator, share, r.Pending, extra)
}

// period names a period by its start date, or "all" without periods.
func period(start time.Time) string {
	if start.IsZero() {
		return "all"
	}
	return start.Format("2006-01-02")
}
