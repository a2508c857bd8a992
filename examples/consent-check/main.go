// Command consent-check asks the consent package whether a disclosure of substance use
// disorder records is allowed under 42 CFR Part 2, and prints the decision with its basis,
// reasons and obligations in plain words.
//
// It reads a bundle {"consents": [...], "qsoas": [...], "request": {...}} (the format of the
// consent conformance corpus, without "expect") from a file or from stdin ("-"), or the
// three parts from separate files:
//
//	go run ./examples/consent-check examples/consent-check/bundle-permit.json
//	go run ./examples/consent-check -consents examples/consent-check/consents.json \
//	    -qsoas examples/consent-check/qsoas.json -request examples/consent-check/request-qso.json
//	go run ./examples/consent-check -json - < examples/consent-check/bundle-deny.json
//
// Flags: -json prints the decision as JSON; -explain lists every reason even on a permit;
// -validate also lists the problems of every consent and agreement. The exit status is 0 on
// a permit, 1 on a deny and 2 when the input cannot be read.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/dyad-health/dyad/consent"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// input is what the command reads.
type input struct {
	Consents []consent.Consent      `json:"consents"`
	QSOAs    []consent.QSOAgreement `json:"qsoas"`
	Request  *consent.Request       `json:"request"`
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("consent-check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the decision as JSON")
	explain := fs.Bool("explain", false, "list every reason, also on a permit")
	validate := fs.Bool("validate", false, "also list the problems of every consent and QSO agreement")
	consentsFile := fs.String("consents", "", "JSON file with an array of consents")
	qsoasFile := fs.String("qsoas", "", "JSON file with an array of QSO agreements")
	requestFile := fs.String("request", "", "JSON file with the request")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	in, err := load(fs.Args(), stdin, *consentsFile, *qsoasFile, *requestFile)
	if err != nil {
		fmt.Fprintln(stderr, "consent-check:", err)
		return 2
	}
	e, err := consent.Compile(in.Consents, in.QSOAs)
	if err != nil {
		fmt.Fprintln(stderr, "consent-check:", err)
		return 2
	}
	var d consent.Decision
	if *explain {
		d = e.Explain(*in.Request)
	} else {
		d = e.Decide(*in.Request)
	}
	if *asJSON {
		out := struct {
			Decision consent.Decision             `json:"decision"`
			Problems map[string][]consent.Problem `json:"problems,omitempty"`
		}{Decision: d}
		if *validate {
			out.Problems = problems(in)
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "consent-check:", err)
			return 2
		}
	} else {
		if *validate {
			printProblems(stdout, in)
		}
		printDecision(stdout, d)
	}
	if d.Permit {
		return 0
	}
	return 1
}

// load reads the bundle (a file argument or "-" for stdin) and the separate files, which
// replace the bundle's parts.
func load(args []string, stdin io.Reader, consentsFile, qsoasFile, requestFile string) (input, error) {
	var in input
	switch len(args) {
	case 0:
		if consentsFile == "" && qsoasFile == "" && requestFile == "" {
			return in, errors.New("give a bundle file, - for stdin, or -consents/-qsoas/-request files")
		}
	case 1:
		var data []byte
		var err error
		if args[0] == "-" {
			data, err = io.ReadAll(stdin)
		} else {
			data, err = os.ReadFile(args[0])
		}
		if err != nil {
			return in, err
		}
		if err := decode(data, &in); err != nil {
			return in, fmt.Errorf("%s: %w", args[0], err)
		}
	default:
		return in, errors.New("at most one bundle file")
	}
	for _, part := range []struct {
		file string
		into any
	}{{consentsFile, &in.Consents}, {qsoasFile, &in.QSOAs}, {requestFile, &in.Request}} {
		if part.file == "" {
			continue
		}
		data, err := os.ReadFile(part.file)
		if err != nil {
			return in, err
		}
		if err := decode(data, part.into); err != nil {
			return in, fmt.Errorf("%s: %w", part.file, err)
		}
	}
	if in.Request == nil {
		return in, errors.New("no request")
	}
	return in, nil
}

// decode is strict: a misspelt field is an error, not silently ignored.
func decode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func problems(in input) map[string][]consent.Problem {
	out := map[string][]consent.Problem{}
	for _, c := range in.Consents {
		if ps := c.Problems(); len(ps) > 0 {
			out["consent:"+c.ID] = ps
		}
	}
	for _, a := range in.QSOAs {
		if ps := a.Problems(); len(ps) > 0 {
			out["qsoa:"+a.ID] = ps
		}
	}
	return out
}

func printProblems(w io.Writer, in input) {
	for _, c := range in.Consents {
		ps := c.Problems()
		if len(ps) == 0 {
			fmt.Fprintf(w, "Consent %q conforms to 42 CFR 2.31.\n", c.ID)
			continue
		}
		fmt.Fprintf(w, "Consent %q has %d problem(s):\n", c.ID, len(ps))
		for _, p := range ps {
			fmt.Fprintf(w, "  - [%s] %s (%s): %s\n", p.Severity, p.Code, p.Cite, p.Message)
		}
	}
	for _, a := range in.QSOAs {
		ps := a.Problems()
		if len(ps) == 0 {
			fmt.Fprintf(w, "QSO agreement %q conforms to 42 CFR 2.11.\n", a.ID)
			continue
		}
		fmt.Fprintf(w, "QSO agreement %q has %d problem(s):\n", a.ID, len(ps))
		for _, p := range ps {
			fmt.Fprintf(w, "  - [%s] %s (%s): %s\n", p.Severity, p.Code, p.Cite, p.Message)
		}
	}
	fmt.Fprintln(w)
}

func printDecision(w io.Writer, d consent.Decision) {
	if d.Permit {
		fmt.Fprintf(w, "PERMIT on %s\n", d.Basis)
	} else {
		fmt.Fprintln(w, "DENY")
	}
	fmt.Fprintln(w, "Why:")
	for _, r := range d.Reasons() {
		about := ""
		if r.Consent != "" {
			about = fmt.Sprintf(" [consent %q]", r.Consent)
		}
		fmt.Fprintf(w, "  - %s%s (%s): %s\n", r.Code, about, r.Cite, r.Message)
	}
	if obs := d.Obligations(); len(obs) > 0 {
		fmt.Fprintln(w, "Before disclosing:")
		for _, o := range obs {
			fmt.Fprintf(w, "  - %s (%s): %s\n", o.Code, o.Cite, o.Message)
		}
	}
	fmt.Fprintf(w, "Judged under %s.\n", d.Edition)
}
