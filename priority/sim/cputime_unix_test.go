//go:build unix

package sim

import (
	"syscall"
	"time"
)

// cpuTime returns the process's user+system CPU time, so that benchmarks on a shared
// machine can report CPU time per event next to wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
