package dyad_test

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The README's programs cannot drift from the code: each Go block of README.md is marked
//
//	<!-- example: PROGRAM-DIR PACKAGE-DIR ExampleName -->
//
// and must be, after whitespace normalisation, the file PROGRAM-DIR/main.go from its package
// clause on, whose main body must be the body of ExampleName in PACKAGE-DIR (which go test
// runs and checks against its Output comment); the README's output block after it must be that
// Output. TestReadmeInstall then runs each program as the README's Install section says, in a
// workspace outside the repository.

// readmeProgram is one marked program of README.md.
type readmeProgram struct {
	dir, pkg, example string // from the marker
	code, output      string // the Go block and the next text block
	line              int    // of the marker, for messages
}

var readmeMarker = regexp.MustCompile(`^<!-- example: (\S+) (\S+) (Example\w*) -->$`)

// readmePrograms reads the marked Go blocks of README.md with the output block that follows
// each. A Go block without a marker is an error: every program shown must be checked.
func readmePrograms(t *testing.T) []readmeProgram {
	t.Helper()
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var progs []readmeProgram
	var cur *readmeProgram
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if m := readmeMarker.FindStringSubmatch(l); m != nil {
			progs = append(progs, readmeProgram{dir: m[1], pkg: m[2], example: m[3], line: i + 1})
			cur = &progs[len(progs)-1]
			continue
		}
		if !strings.HasPrefix(l, "```") {
			continue
		}
		lang := strings.TrimPrefix(l, "```")
		start := i + 1
		for i++; i < len(lines) && lines[i] != "```"; i++ {
		}
		if i == len(lines) {
			t.Fatalf("README.md:%d: code block not closed", start)
		}
		block := strings.Join(lines[start:i], "\n") + "\n"
		switch {
		case lang == "go" && (cur == nil || cur.code != ""):
			t.Errorf("README.md:%d: a Go block without an <!-- example: ... --> marker before it", start)
		case lang == "go":
			cur.code = block
		case lang == "text" && cur != nil && cur.code != "" && cur.output == "":
			cur.output = block
		}
	}
	for _, p := range progs {
		if p.code == "" || p.output == "" {
			t.Errorf("README.md:%d: marker of %s without a Go block and an output block after it", p.line, p.example)
		}
	}
	if len(progs) < 3 {
		t.Fatalf("README.md has %d marked programs, want one for each of the three users", len(progs))
	}
	return progs
}

// normalize collapses every run of white space into one space.
func normalize(s string) string { return strings.Join(strings.Fields(s), " ") }

// funcBody returns the source text between the braces of the function name declared in one
// of files, and the file's text.
func funcBody(t *testing.T, files []string, name string) (body, src string) {
	t.Helper()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, f, data, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == name && fd.Body != nil {
				from, to := fset.Position(fd.Body.Lbrace).Offset+1, fset.Position(fd.Body.Rbrace).Offset
				return string(data[from:to]), string(data)
			}
		}
	}
	t.Fatalf("no func %s in %v", name, files)
	return "", ""
}

// exampleParts splits an Example's body into its code and its expected output (the lines of
// its "// Output:" comment, without the comment markers).
func exampleParts(t *testing.T, body string) (code, output string) {
	t.Helper()
	code, out, ok := strings.Cut(body, "// Output:\n")
	if !ok {
		t.Fatal("the Example has no Output comment, so go test does not check what it prints")
	}
	var b strings.Builder
	for l := range strings.SplitSeq(strings.TrimRight(out, " \t\n"), "\n") {
		l = strings.TrimSpace(l)
		l = strings.TrimPrefix(strings.TrimPrefix(l, "//"), " ")
		b.WriteString(l + "\n")
	}
	return code, b.String()
}

func TestReadmePrograms(t *testing.T) {
	for _, p := range readmePrograms(t) {
		t.Run(p.example, func(t *testing.T) {
			// The README's block is the program file, from its package clause on.
			mainFile := filepath.Join(filepath.FromSlash(p.dir), "main.go")
			mainBody, src := funcBody(t, []string{mainFile}, "main")
			_, fromPackage, ok := strings.Cut(src, "\npackage main\n")
			if !ok {
				t.Fatalf("%s: no package clause at the start of a line", mainFile)
			}
			if got, want := normalize(p.code), normalize("package main\n"+fromPackage); got != want {
				t.Errorf("README.md:%d: the Go block is not %s:\nREADME: %s\nfile:   %s", p.line, mainFile, got, want)
			}
			// The program's main is the Example's body.
			tests, err := filepath.Glob(filepath.Join(filepath.FromSlash(p.pkg), "*_test.go"))
			if err != nil || len(tests) == 0 {
				t.Fatalf("no test files in %s: %v", p.pkg, err)
			}
			exBody, _ := funcBody(t, tests, p.example)
			exCode, exOut := exampleParts(t, exBody)
			if got, want := normalize(mainBody), normalize(exCode); got != want {
				t.Errorf("%s's main is not the body of %s in %s:\nmain:    %s\nExample: %s", mainFile, p.example, p.pkg, got, want)
			}
			// What the README says it prints is what the Example is checked to print.
			if p.output != exOut {
				t.Errorf("README.md:%d: the output block is not %s's Output:\nREADME:\n%s\nExample:\n%s", p.line, p.example, p.output, exOut)
			}
		})
	}
}

// TestReadmeInstall follows the README's Install section for the workspace route: a new module
// outside the repository, `go work init . <clone>`, each program saved as main.go, `go run .`;
// what it prints must be the README's output block. It builds three programs, so -short skips it.
func TestReadmeInstall(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not building the README's programs in a workspace outside the repository")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	root, err := os.Getwd() // the module root: this test is in the root package
	if err != nil {
		t.Fatal(err)
	}
	// The README's commands, exactly as written there.
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"go mod init example.com/myapp", "go work init . ../dyad", "go run ."} {
		if !bytes.Contains(readme, []byte("\n"+line+"\n")) {
			t.Fatalf("README.md no longer says %q: update this test with it", line)
		}
	}
	for _, p := range readmePrograms(t) {
		t.Run(p.example, func(t *testing.T) {
			dir := t.TempDir()
			env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
				// A workspace refuses -mod=mod; the user's own setting is not the README's.
				return strings.HasPrefix(kv, "GOFLAGS=") || strings.HasPrefix(kv, "GOWORK=")
			})
			env = append(env, "GOFLAGS=-buildvcs=false")
			run := func(args ...string) string {
				t.Helper()
				cmd := exec.Command(goTool, args...)
				cmd.Dir, cmd.Env = dir, env
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Run(); err != nil {
					t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
				}
				return stdout.String()
			}
			run("mod", "init", "example.com/myapp")
			run("work", "init", ".", root) // the README's ../dyad, absolute here
			if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(p.code), 0o644); err != nil {
				t.Fatal(err)
			}
			if got := run("run", "."); got != p.output {
				t.Errorf("README.md:%d: go run . printed\n%s\nthe README says\n%s", p.line, got, p.output)
			}
		})
	}
}
