// Package conformance runs a folder of conformance cases as subtests: the mechanism that every
// deciding package's TestConformance shares. The format of the cases is in the project's
// shared/conformance/README.md: one JSON case per file, decoded strictly by the package that
// owns the format.
//
// It is imported by tests only, so no user of the library compiles it.
package conformance

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
		t.Fatalf("no *.json case in %s", dir)
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

// Shared returns the folder of the project's shared example cases for a package, rel
// (such as "../../shared/conformance/priority", relative to the package's directory), and
// skips the test when the shared folder is not beside the repository. Any other error
// reaching the folder fails the test.
func Shared(t *testing.T, rel string) string {
	t.Helper()
	dir := filepath.FromSlash(rel)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("shared corpus absent: %v", err)
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
