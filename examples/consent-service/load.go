package main

import (
	"context"
	"errors"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dyad-health/dyad/consent/fhir"
	"github.com/dyad-health/dyad/internal/ident"
	"github.com/dyad-health/dyad/internal/jsonin"
)

// snapshot is one immutable state of the service: the engine built from the folder as it
// was, and what the folder held. Requests load the current snapshot once and use it to the
// end; a reload builds a new one and swaps it in.
type snapshot struct {
	engine  *fhir.Engine
	stamp   string // names, sizes and modification times of the files read
	files   int
	refused int
	loaded  time.Time
}

// service answers consults from the current snapshot.
type service struct {
	cfg  config
	log  *log.Logger
	now  func() time.Time
	cur  atomic.Pointer[snapshot]
	seq  atomic.Uint64
	mu   sync.Mutex // serializes loads
	opts fhir.Options
}

func newService(cfg config, logger *log.Logger, now func() time.Time) *service {
	return &service{cfg: cfg, log: logger, now: now, opts: cfg.options()}
}

// consentFile is a file of the folder.
type consentFile struct {
	path string
	name string
	size int64
	mod  time.Time
}

// scan lists the folder's *.json files (regular files, symbolic links followed, dot files
// skipped) in name order, with a stamp that changes when any of them changes.
func scan(dir string) ([]consentFile, string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, "", err
	}
	var files []consentFile
	var b strings.Builder
	for _, en := range entries {
		name := en.Name()
		if strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".json") {
			continue
		}
		path := filepath.Join(dir, name)
		fi, err := os.Stat(path)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		files = append(files, consentFile{path: path, name: name, size: fi.Size(), mod: fi.ModTime()})
		b.WriteString(name)
		b.WriteByte(0)
		b.WriteString(strconv.FormatInt(fi.Size(), 10))
		b.WriteByte(0)
		b.WriteString(strconv.FormatInt(fi.ModTime().UnixNano(), 10))
		b.WriteByte(0)
	}
	slices.SortFunc(files, func(a, b consentFile) int { return strings.Compare(a.name, b.name) })
	return files, b.String(), nil
}

// idFromName is the id given to a resource without one: its file name without ".json",
// when that is a FHIR id.
func idFromName(name string) string {
	return strings.TrimSuffix(name, ".json")
}

// load reads the folder and swaps in a new engine. A file that cannot be read is reported
// (its name and problem codes) and the others still load; its patient (every patient, when
// none can be read from it) is denied every consent-based permit (fhir.CompileReadings).
// At the first load, a folder that cannot be listed is an error; later, it makes every
// patient doubtful until it can be listed again (fail closed).
func (s *service) load() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	files, stamp, err := scan(s.cfg.dir)
	if err != nil {
		if s.cur.Load() == nil {
			return errors.New("the consents folder cannot be read")
		}
		s.log.Printf("the consents folder cannot be read; every consent-based permit is denied until it can")
		e, _ := s.opts.CompileReadings([]fhir.Reading{{Refused: true}}, nil)
		s.cur.Store(&snapshot{engine: e, stamp: "", loaded: s.now()})
		return nil
	}
	readings := make([]fhir.Reading, len(files))
	for i, f := range files {
		readings[i] = s.readFile(f)
	}
	e, err := s.opts.CompileReadings(readings, nil)
	refused := 0
	var ce *fhir.CompileError
	if errors.As(err, &ce) {
		for _, re := range ce.Resources {
			refused++
			s.log.Printf("consent file %s not used: %s", quoteName(files[re.Index].name), problemCodes(re.Err))
		}
	} else if err != nil {
		return err
	}
	s.cur.Store(&snapshot{engine: e, stamp: stamp, files: len(files), refused: refused, loaded: s.now()})
	s.log.Printf("loaded %d consent files (%d not used)", len(files), refused)
	return nil
}

// readFile reads one file leniently and reports what it lacks or what was narrowed (codes
// only).
func (s *service) readFile(f consentFile) fhir.Reading {
	fh, err := os.Open(f.path)
	if err != nil {
		return fhir.Reading{Refused: true, Findings: []fhir.Finding{{Code: "unreadable_file", Path: "Consent", Effect: fhir.EffectNarrowed, Message: "The file cannot be opened."}}}
	}
	defer fh.Close()
	data, err := jsonin.ReadAll(fh, fhir.MaxResourceBytes)
	if err != nil {
		return fhir.Reading{Refused: true, Findings: []fhir.Finding{{Code: fhir.CodeTooLarge, Path: "Consent", Effect: fhir.EffectNarrowed, Message: "The file is larger than a consent resource may be, or cannot be read."}}}
	}
	rd, err := s.opts.Read(data)
	if err != nil {
		return rd
	}
	if rd.ID == "" {
		rd.SetID(idFromName(f.name))
	}
	var narrowed, deficient []string
	for _, x := range rd.Findings {
		switch x.Effect {
		case fhir.EffectNarrowed:
			narrowed = append(narrowed, string(x.Code))
		case fhir.EffectDeficient:
			deficient = append(deficient, string(x.Code))
		}
	}
	if len(narrowed) > 0 || len(deficient) > 0 {
		s.log.Printf("consent file %s read (%s): narrowed [%s], lacks [%s]", quoteName(f.name), rd.Version,
			strings.Join(narrowed, " "), strings.Join(deficient, " "))
	}
	return rd
}

// watch reloads the folder when its stamp changes (polled every cfg.poll) or a value
// arrives on reload, until done is closed or ctx is done.
func (s *service) watch(ctx context.Context, reload <-chan os.Signal, done <-chan struct{}) {
	var tick <-chan time.Time
	if s.cfg.poll > 0 {
		t := time.NewTicker(s.cfg.poll)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-done:
			return
		case <-reload:
			s.log.Printf("reloading on signal")
			if err := s.load(); err != nil {
				s.log.Printf("reload failed")
			}
		case <-tick:
			_, stamp, err := scan(s.cfg.dir)
			if cur := s.cur.Load(); err != nil && cur.stamp == "" || err == nil && cur.stamp == stamp {
				continue
			}
			if err := s.load(); err != nil {
				s.log.Printf("reload failed")
			}
		}
	}
}

// quoteName quotes a file name for a log line: escaped and bounded, so that no name can
// forge a line.
func quoteName(name string) string { return ident.QuoteN(name, 80) }

// problemCodes lists an error's problem codes and paths (never its input's text).
func problemCodes(err error) string {
	var me *fhir.MappingError
	if !errors.As(err, &me) {
		return "unreadable"
	}
	var b strings.Builder
	for i, p := range me.Problems {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(p.Code))
		b.WriteString(" at ")
		b.WriteString(p.Path)
	}
	return b.String()
}
