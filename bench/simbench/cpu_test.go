//go:build unix

package simbench

import (
	"syscall"
	"testing"
)

// cpuNanos is the CPU time (user and system, all threads: the garbage collector's too) the
// process has used. On a machine shared with other work it is far steadier than wall time,
// which counts the time the benchmark waits for a core.
func cpuNanos(tb testing.TB) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
