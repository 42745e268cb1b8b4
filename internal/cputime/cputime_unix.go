//go:build unix

// Package cputime reads the CPU time the process has used, for benchmarks
// on a shared machine, where wall time is inflated by other processes.
package cputime

import (
	"runtime"
	"syscall"
	"time"
)

// Process returns the CPU time (user and system) the process has used,
// which, unlike wall time, other processes on a busy machine do not
// inflate; false where the system does not say.
func Process() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}

// PeakRSS returns the largest resident set the process has had, in bytes
// (the high-water mark of its memory); false where the system does not say.
func PeakRSS() (int64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	if runtime.GOOS == "darwin" {
		return int64(ru.Maxrss), true // bytes there
	}
	return int64(ru.Maxrss) * 1024, true // kilobytes on Linux and the BSDs
}
