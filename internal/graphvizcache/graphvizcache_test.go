package graphvizcache

import (
	"os"
	"path/filepath"
	"testing"
)

func TestUsable(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		dir  string
		want bool
	}{
		{"missing", filepath.Join(dir, "missing"), true},
		{"writable folder", dir, true},
		{"a file", file, false},
	}
	for _, c := range cases {
		if got := Usable(c.dir); got != c.want {
			t.Errorf("%s: Usable(%s) = %v, want %v", c.name, c.dir, got, c.want)
		}
	}
	if os.Getuid() != 0 {
		ro := filepath.Join(dir, "ro")
		if err := os.Mkdir(ro, 0o500); err != nil {
			t.Fatal(err)
		}
		if Usable(ro) {
			t.Error("a read-only folder is usable")
		}
	}
}

func TestItoa(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 65534: "65534", -1: "unknown"} {
		if got := itoa(n); got != want {
			t.Errorf("itoa(%d) = %q", n, got)
		}
	}
}
