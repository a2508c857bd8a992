// Command consent-service is a consent decision service for 42 CFR Part 2: it holds the
// patients' FHIR Consent resources (R4 or R5) and answers, over CDS Hooks, whether this
// program may disclose SUD records to an actor for a purpose now, the way consent decision
// services are deployed (the request and response shapes of the LEAP Consent Decision
// Service's patient-consent-consult hook).
//
//	go run ./examples/consent-service -addr 127.0.0.1:8080 -consents DIR -discloser ID
//
// DIR holds FHIR Consent JSON files (*.json, one resource per file, R4 or R5). ID is this
// program's identifier as the consents name it, "system|value" or a value alone (a literal
// reference "Organization/x" reads as the value x without a system).
//
// Endpoints:
//
//	GET  /cds-services                          CDS Hooks discovery
//	POST /cds-services/patient-consent-consult  the consult: one card with the decision
//	GET  /healthz                               how many consents are loaded and refused
//
// The consult's context: patientId (an array of {system, value}: the patient's
// identifiers; see -patient-system), actor (an array of {system, value}: the identifiers of
// the one actor that would receive), purposeOfUse (an HL7 v3 ActReason code, or an array of
// them: every one is judged), optional scope ("patient-privacy") or category (codings: this
// service decides privacy consents only), optional class (codings of the data requested:
// v3 ActCode SUD, ETH, ETHUD, OPIOIDUD, 42CFRPart2, or a content class such as a resource
// type). The answer is a card whose extension holds decision (CONSENT_PERMIT, CONSENT_DENY
// or NO_CONSENT), obligations (each {id: {system, code}, parameters}), basedOn ("Consent/id"
// of the consent the answer rests on) and reasons (code, cite, message). A request it
// cannot judge is answered 400 with a JSON body naming each faulty field ({error,
// errorMessage, problems: [{code, path, message}]}); no response and no log line carries
// the request's or a consent's text.
//
// Consents are read leniently and judged strictly (consent/fhir Read): a consent lacking
// 42 CFR 2.31(a) elements is judged, and permits nothing, and the card's detail names what
// it lacks ("Consent/c1 is not a valid Part 2 consent: no signature (42 CFR 2.31(a)(8)),
// ..."). A file that cannot be read (not JSON, not a FHIR Consent, larger than 1 MiB) is
// reported at load by file name and problem codes, and the others still load: the engine is
// always rebuilt from the folder as it is, and the refused file's patient (every patient,
// when the file names none that can be read) is denied every consent-based permit until the
// file is fixed. Keeping the previous engine instead could keep permitting what the new
// file revokes; leaving the file out silently could drop a refusal. Neither widens what is
// permitted this way.
//
// The folder is polled for changes (-poll, the names, sizes and modification times of its
// files) and reread on SIGHUP; the new engine replaces the old one atomically, and a
// request in flight finishes on the engine it started with. SIGINT and SIGTERM stop the
// server gracefully (requests in flight are answered, for up to 10 seconds).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/consent/fhir"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	if err := run(ctx, os.Args[1:], os.Stderr, hup, nil); err != nil {
		fmt.Fprintln(os.Stderr, "consent-service:", err)
		os.Exit(1)
	}
}

// config is what the flags set.
type config struct {
	addr          string
	dir           string
	discloser     consent.Identifier
	recipientKind consent.RecipientKind
	patientSystem string
	actorSystem   string
	statements    bool
	location      *time.Location
	poll          time.Duration
	maxBody       int64
	sourceLabel   string
	sourceURL     string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("consent-service", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&c.dir, "consents", "", "folder of FHIR Consent JSON files (required)")
	discloser := fs.String("discloser", "", `this program's identifier as the consents name it: "system|value" or a value (required)`)
	kind := fs.String("recipient-kind", "covered_entity", "what the actors asked about are (a consent.RecipientKind code): designations such as treating providers are judged by it")
	fs.StringVar(&c.patientSystem, "patient-system", "", "the identifier system of the patients in the consents, chosen among context.patientId (empty: the context must give one identifier)")
	fs.StringVar(&c.actorSystem, "actor-system", "", "the identifier system every actor identifier must have (empty: any)")
	fs.BoolVar(&c.statements, "assume-statements", false, "the consent forms behind the resources hold the statements of 42 CFR 2.31(a)(6) and (a)(10), which FHIR has no element for")
	zone := fs.String("zone", "", "time zone of dates given without a time, e.g. America/New_York (empty: the bounds no zone can contradict)")
	fs.DurationVar(&c.poll, "poll", 2*time.Second, "how often to look for changes in the folder (0: only on SIGHUP)")
	fs.Int64Var(&c.maxBody, "max-body", 64<<10, "largest request body accepted, in bytes")
	fs.StringVar(&c.sourceLabel, "source-label", "dyad consent service", "the source label of the cards")
	fs.StringVar(&c.sourceURL, "source-url", "https://github.com/dyad-health/dyad", "the source URL of the cards")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, errors.New("unexpected arguments")
	}
	if c.dir == "" || *discloser == "" {
		return c, errors.New("-consents and -discloser are required")
	}
	if sys, val, ok := strings.Cut(*discloser, "|"); ok {
		c.discloser = consent.Identifier{System: sys, Value: val}
	} else {
		c.discloser = consent.Identifier{Value: *discloser}
	}
	if !c.discloser.IsValid() {
		return c, errors.New("-discloser is not a valid identifier")
	}
	k, ok := consent.ParseRecipientKind(*kind)
	if !ok {
		return c, errors.New("-recipient-kind is not a known recipient kind")
	}
	c.recipientKind = k
	if *zone != "" {
		loc, err := time.LoadLocation(*zone)
		if err != nil {
			return c, errors.New("-zone is not a known time zone")
		}
		c.location = loc
	}
	if c.maxBody <= 0 {
		return c, errors.New("-max-body must be positive")
	}
	return c, nil
}

// run starts the service and serves until ctx is done. Each value received on reload
// rereads the folder. When ready is not nil, the address listened on is sent on it.
func run(ctx context.Context, args []string, stderr io.Writer, reload <-chan os.Signal, ready chan<- string) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	logger := log.New(stderr, "consent-service: ", log.LstdFlags|log.LUTC)
	svc := newService(cfg, logger, time.Now)
	if err := svc.load(); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           svc.handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          logger,
	}
	logger.Printf("listening on %s", ln.Addr())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	done := make(chan struct{})
	go svc.watch(ctx, reload, done)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		close(done)
		return err
	case <-ctx.Done():
	}
	close(done)
	logger.Printf("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// options are the reading options of the service's consents.
func (c config) options() fhir.Options {
	o := fhir.Options{Lenient: true, Location: c.location}
	if c.statements {
		o.DefaultStatements = consent.Statements{Revocation: true, Redisclosure: true, RefusalConsequences: true}
	}
	return o
}
