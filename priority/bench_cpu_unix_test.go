//go:build unix

package priority

import (
	"syscall"
	"time"
)

// cpuNow returns the CPU time (user and system, every thread, garbage collection included)
// the test process has used so far.
func cpuNow() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
