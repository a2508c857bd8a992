package conformance

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The test runs in internal/conformance, two levels below the module root, as go test runs
// every package's tests: in the package's directory.
func TestResolve(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Dir(filepath.Dir(wd))
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not where expected: %v", err)
	}
	abs := t.TempDir()
	for _, tc := range []struct{ in, want string }{
		{"", filepath.FromSlash("testdata/conformance")}, // the package's own cases
		{abs, abs}, // an absolute folder, as given
		// Found from the package's directory: kept relative to it.
		{".", "."},
		// Not in internal/conformance, but in the module root: "go test ./priority -args
		// -corpus priority/testdata/conformance" run from the root means the root's folder.
		{"priority/testdata/conformance", filepath.Join(root, "priority", "testdata", "conformance")},
	} {
		got, err := resolve(tc.in, wd)
		if err != nil || got != tc.want {
			t.Errorf("resolve(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// A folder found nowhere fails with every path tried, and the way out (an absolute path).
func TestResolveMissing(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Dir(filepath.Dir(wd))
	_, err = resolve("mycases", wd)
	if err == nil {
		t.Fatal("a missing folder resolved")
	}
	for _, want := range []string{filepath.Join(wd, "mycases"), filepath.Join(root, "mycases"), "absolute path"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	missing := filepath.Join(t.TempDir(), "nope")
	if _, err := resolve(missing, wd); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing absolute folder: %v", err)
	}
	// A file is not a folder of cases.
	if _, err := resolve("conformance.go", wd); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("a file: %v", err)
	}
}

// fakeTB records a skip or a failure and stops the call, as testing.T would.
type fakeTB struct {
	testing.TB
	skipped, failed string
}

type stop struct{}

func (f *fakeTB) Helper()                        {}
func (f *fakeTB) Skipf(format string, a ...any)  { f.skipped = fmt.Sprintf(format, a...); panic(stop{}) }
func (f *fakeTB) Fatal(a ...any)                 { f.failed = fmt.Sprint(a...); panic(stop{}) }
func (f *fakeTB) Fatalf(format string, a ...any) { f.failed = fmt.Sprintf(format, a...); panic(stop{}) }

func (f *fakeTB) run(fn func()) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(stop); !ok {
				panic(r)
			}
		}
	}()
	fn()
}

// Without the environment variable, the further example cases are skipped, and the skip says
// how to run them; with it, the package's subfolder is used, or skipped when absent.
func TestShared(t *testing.T) {
	t.Setenv(EnvShared, "")
	f := &fakeTB{}
	f.run(func() { Shared(f, "priority") })
	if !strings.Contains(f.skipped, EnvShared+"=") || !strings.Contains(f.skipped, "priority/") {
		t.Errorf("skip message does not say how to run them: %q", f.skipped)
	}

	base := t.TempDir()
	if err := os.Mkdir(filepath.Join(base, "consent"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvShared, base)
	f = &fakeTB{}
	var got string
	f.run(func() { got = Shared(f, "consent") })
	if want := filepath.Join(base, "consent"); got != want || f.skipped != "" || f.failed != "" {
		t.Errorf("Shared = %q (skipped %q, failed %q), want %q", got, f.skipped, f.failed, want)
	}
	f = &fakeTB{}
	f.run(func() { Shared(f, "referral") })
	if !strings.Contains(f.skipped, "no referral/ subfolder") {
		t.Errorf("absent subfolder: skipped %q, failed %q", f.skipped, f.failed)
	}
}

// Dir fails the test with resolve's message.
func TestDirFails(t *testing.T) {
	f := &fakeTB{}
	f.run(func() { Dir(f, "mycases") })
	if !strings.Contains(f.failed, "tried") {
		t.Errorf("Dir on a missing folder: failed %q", f.failed)
	}
}
