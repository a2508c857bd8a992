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
//
// Input is read the way the library reads JSON (its internal/jsonin reader): at most
// 4 MiB per file or stdin (refused, without reading the rest, beyond that); a member
// repeated in one object, in any letter case, is refused rather than silently replacing
// the first; nothing may follow the one JSON value; a member the format does not have is
// refused; and every problem is reported with its code and path, never with the input's
// text.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/internal/ident"
	"github.com/dyad-health/dyad/internal/jsonin"
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
			data, err = jsonin.ReadAll(stdin, maxInput)
		} else {
			data, err = readFile(args[0])
		}
		if err != nil {
			return in, fmt.Errorf("%s: %w", args[0], err)
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
		data, err := readFile(part.file)
		if err != nil {
			return in, fmt.Errorf("%s: %w", part.file, err)
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

// maxInput is the most bytes read from one file or from stdin.
const maxInput = 4 << 20

// readFile reads a file of at most maxInput bytes.
func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return jsonin.ReadAll(f, maxInput)
}

// decode is strict, as every decoder of the library: a misspelt field, a repeated one or
// anything after the value is an error, not silently ignored, and no error quotes the input.
func decode(data []byte, v any) error {
	return jsonin.Decode(data, v, jsonin.Options{MaxBytes: maxInput})
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
			fmt.Fprintf(w, "Consent %s conforms to 42 CFR 2.31.\n", ident.Quote(c.ID))
			continue
		}
		fmt.Fprintf(w, "Consent %s has %d problem(s):\n", ident.Quote(c.ID), len(ps))
		for _, p := range ps {
			fmt.Fprintf(w, "  - [%s] %s (%s): %s\n", p.Severity, p.Code, p.Cite, p.Message)
		}
	}
	for _, a := range in.QSOAs {
		ps := a.Problems()
		if len(ps) == 0 {
			fmt.Fprintf(w, "QSO agreement %s conforms to 42 CFR 2.11.\n", ident.Quote(a.ID))
			continue
		}
		fmt.Fprintf(w, "QSO agreement %s has %d problem(s):\n", ident.Quote(a.ID), len(ps))
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
			about = " [consent " + ident.Quote(r.Consent) + "]"
		}
		fmt.Fprintf(w, "  - %s%s (%s): %s\n", r.Code, about, r.Cite, r.Message)
	}
	if len(d.Obligations()) > 0 {
		fmt.Fprintln(w, "Before disclosing:")
		for _, o := range d.Obligations() {
			fmt.Fprintf(w, "  - %s (%s): %s\n", o.Code, o.Cite, o.Message)
		}
	}
	fmt.Fprintf(w, "Judged under %s.\n", d.Edition)
}
