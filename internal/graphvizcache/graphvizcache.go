// Package graphvizcache keeps vpcpath from dying at start-up over
// go-graphviz's compilation cache.
//
// go-graphviz (v0.2.10) compiles Graphviz's WebAssembly module in its
// package init, caching the result under $TMPDIR/go-graphviz, and panics
// when that folder exists but is not usable: on a machine where another
// user ran vpcpath first, /tmp/go-graphviz is theirs (its subfolders
// 0700), and every vpcpath command of everyone else would panic before
// main, even `vpcpath probe` run as an unprivileged user.
//
// This package's init runs before go-graphviz's: the Go specification
// (Package initialization) initialises, among packages whose imports are
// initialised, the first by import path; this package imports only os,
// and go-graphviz's wasm package imports fmt and path/filepath, which
// import os. When the cache folder is not usable it points TMPDIR at a
// folder of the current user's own (or, failing that, at one that cannot
// exist, which turns the cache off: the module is compiled in memory);
// simulate/picture calls Restore from its own init, which runs after
// go-graphviz's, to put TMPDIR back.
package graphvizcache

import "os"

const sep = string(os.PathSeparator)

var (
	origTMPDIR, hadTMPDIR = os.LookupEnv("TMPDIR")
	redirected            bool
	// Redirected says where TMPDIR pointed during go-graphviz's init, ""
	// when it was left alone (for tests).
	Redirected string
)

func init() {
	tmp := os.TempDir()
	if Usable(tmp + sep + "go-graphviz") {
		return
	}
	to := sep + "nonexistent" + sep + "vpcpath-no-graphviz-cache" // no cache: compiled in memory
	own := tmp + sep + "vpcpath-" + itoa(os.Getuid())
	if err := os.MkdirAll(own, 0o700); err == nil && Usable(own) && Usable(own+sep+"go-graphviz") {
		to = own
	}
	redirected, Redirected = true, to
	os.Setenv("TMPDIR", to)
}

// Restore puts TMPDIR back as the process started.
func Restore() {
	if !redirected {
		return
	}
	redirected = false
	if hadTMPDIR {
		os.Setenv("TMPDIR", origTMPDIR)
	} else {
		os.Unsetenv("TMPDIR")
	}
}

// Usable reports whether the folder dir can serve as go-graphviz's cache:
// it does not exist yet, or it is a folder this process can write in, and
// so are the folders in it.
func Usable(dir string) bool {
	fi, err := os.Stat(dir)
	if os.IsNotExist(err) {
		return true
	}
	if err != nil || !fi.IsDir() || !writable(dir) {
		return false
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if e.IsDir() && !writable(dir+sep+e.Name()) {
			return false
		}
	}
	return true
}

func writable(dir string) bool {
	f, err := os.CreateTemp(dir, ".vpcpath-probe-*")
	if err != nil {
		return false
	}
	name := f.Name()
	f.Close()
	return os.Remove(name) == nil
}

func itoa(n int) string {
	if n < 0 {
		return "unknown"
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
