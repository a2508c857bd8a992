// Package conformance runs a folder of conformance cases as subtests: the mechanism that every
// deciding package's TestConformance shares. The format of the cases is documented in the
// repository's docs/conformance.md and, for each package, in its testdata/conformance/README.md:
// one JSON case per file, decoded strictly by the package that owns the format.
//
// It is imported by tests only, so no user of the library compiles it.
package conformance

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// DefaultDir is the folder of a package's own cases, relative to the package's directory.
const DefaultDir = "testdata/conformance"

// EnvShared names the environment variable that points the Shared tests at a folder of
// further example cases, one subfolder per package (priority, consent, sim, perinatal,
// referral), such as the project's shared examples. Unset, those tests are skipped.
const EnvShared = "DYAD_SHARED_CORPUS"

// Run runs every *.json file of dir, in name order, as a subtest named after the file
// without its extension: it reads the file, decodes it with decode and hands the case to
// check. A file that cannot be read or does not match the schema fails its subtest with a
// clear message; it is never skipped. A folder holding no case fails the test.
func Run[C any](t *testing.T, dir string, decode func([]byte) (C, error), check func(t *testing.T, c C)) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json")) // sorted by name
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		abs, _ := filepath.Abs(dir)
		t.Fatalf("no *.json case in %s", abs)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatalf("cannot read case: %v", err)
			}
			c, err := decode(data)
			if err != nil {
				t.Fatalf("case does not match the schema: %v", err)
			}
			check(t, c)
		})
	}
}

// Dir returns the folder a -corpus flag names, for a test running in its package's
// directory (as go test runs it):
//
//   - empty: DefaultDir, the package's own cases;
//   - an absolute path: that folder;
//   - a relative path: relative to the package's directory if such a folder exists there,
//     else relative to the module root (the folder holding go.mod above the package), so that
//     `go test ./priority -args -corpus mycases` run from the repository's root finds
//     ./mycases.
//
// A test cannot know the directory go test was invoked from, so a relative path given from
// elsewhere must be made absolute ("$PWD/mycases"). When no folder is found, the test fails
// with every path tried.
func Dir(t testing.TB, dir string) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	d, err := resolve(dir, wd)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// resolve is Dir for a test running in wd.
func resolve(dir, wd string) (string, error) {
	if dir == "" {
		return filepath.FromSlash(DefaultDir), nil
	}
	dir = filepath.FromSlash(dir)
	var tried []string
	try := func(path, where string) (bool, error) {
		tried = append(tried, fmt.Sprintf("%s (%s)", path, where))
		fi, err := os.Stat(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return false, nil
		case err != nil:
			return false, fmt.Errorf("corpus folder %s: %w", path, err)
		case !fi.IsDir():
			return false, fmt.Errorf("corpus %s is a file, not a folder of *.json cases", path)
		}
		return true, nil
	}
	if filepath.IsAbs(dir) {
		if ok, err := try(dir, "absolute"); ok || err != nil {
			return dir, err
		}
	} else {
		if ok, err := try(filepath.Join(wd, dir), "relative to the package's directory, where go test runs the test"); ok || err != nil {
			return dir, err
		}
		if root := moduleRoot(wd); root != "" {
			p := filepath.Join(root, dir)
			if ok, err := try(p, "relative to the module root"); ok || err != nil {
				return p, err
			}
		}
	}
	return "", fmt.Errorf("-corpus %s: no such folder; tried %s. Give an absolute path (such as -corpus \"$PWD/%s\") when running from another folder",
		dir, strings.Join(tried, " and "), filepath.ToSlash(dir))
}

// moduleRoot returns the nearest directory at or above dir holding a go.mod, or "".
func moduleRoot(dir string) string {
	for {
		if fi, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil && !fi.IsDir() {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Shared returns the folder of the further example cases for the package name ("priority",
// "consent", "sim", "perinatal", "referral"): the subfolder name of the folder the
// environment variable EnvShared names (absolute, or relative to the module root). The test
// is skipped, with a message saying how to run it, when the variable is unset or its folder
// has no such subfolder; any other error reaching the folder fails the test.
func Shared(t testing.TB, name string) string {
	t.Helper()
	base := os.Getenv(EnvShared)
	if base == "" {
		t.Skipf("further example cases not configured: to run them, set %s to a folder with a %s/ subfolder of *.json cases (docs/conformance.md), e.g. %s=$PWD/cases go test ./...", EnvShared, name, EnvShared)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(base) {
		if root := moduleRoot(wd); root != "" {
			base = filepath.Join(root, base)
		}
	}
	dir := filepath.Join(base, name)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s=%s has no %s/ subfolder: no further example cases for this package", EnvShared, os.Getenv(EnvShared), name)
	} else if err != nil {
		t.Fatal(err)
	}
	return dir
}

// Seed adds every *.json file of dir to f's seed corpus.
func Seed(f *testing.F, dir string) {
	f.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}
