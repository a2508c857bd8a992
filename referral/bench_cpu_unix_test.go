//go:build unix

package referral

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user and system) the whole process has used. On a
// machine shared with other work the wall clock counts the time a benchmark waited for a
// core; the CPU time does not (it does count the garbage collector's workers).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
