//go:build unix

package fhir

import (
	"syscall"
	"testing"
	"time"
)

// cpuClock reports, next to the wall-clock ns/op, the CPU time the whole process spent per
// operation (cpu-ns/op). On a machine shared with other work the wall clock counts the time
// the benchmark waited for a core; the CPU time does not (it does count GC workers).
type cpuClock struct{ start time.Duration }

func startCPU() cpuClock { return cpuClock{processCPU()} }

func (c cpuClock) report(b *testing.B) {
	if b.N > 0 {
		b.ReportMetric(float64(processCPU()-c.start)/float64(b.N), "cpu-ns/op")
	}
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
