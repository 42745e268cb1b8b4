package awscollect

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"time"
)

// IAMPolicy is iam-policy.json: the minimal IAM policy the collector needs in
// each collected account. With RoleARNs, the base identity also needs
// sts:AssumeRole on those roles.
//
//go:embed iam-policy.json
var IAMPolicy []byte

// marshalCLI encodes v as the AWS CLI prints JSON: indented by four spaces,
// HTML characters left alone, and members the API did not return left out
// rather than written as null or "" (nil pointers, slices and maps, and
// enum values that are the empty string).
func marshalCLI(v any) ([]byte, error) {
	tree, _ := cliValue(reflect.ValueOf(v))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "    ")
	if err := enc.Encode(tree); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var timeType = reflect.TypeFor[time.Time]()

// cliValue turns a value of the SDK's types into plain maps, slices and
// scalars, reporting false for an absent member.
func cliValue(v reflect.Value) (any, bool) {
	switch v.Kind() {
	case reflect.Invalid:
		return nil, false
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, false
		}
		return cliValue(v.Elem())
	case reflect.Struct:
		if v.Type() == timeType {
			return v.Interface(), true
		}
		out := map[string]any{}
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || f.Name == "ResultMetadata" {
				continue
			}
			if e, ok := cliValue(v.Field(i)); ok {
				out[f.Name] = e
			}
		}
		return out, true
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return nil, false
		}
		out := make([]any, v.Len())
		for i := range v.Len() {
			out[i], _ = cliValue(v.Index(i))
		}
		return out, true
	case reflect.Map:
		if v.IsNil() {
			return nil, false
		}
		out := map[string]any{}
		iter := v.MapRange()
		for iter.Next() {
			if e, ok := cliValue(iter.Value()); ok {
				out[fmt.Sprint(iter.Key().Interface())] = e
			}
		}
		return out, true
	case reflect.String:
		// An enum (a named string type) the API did not set.
		if v.Len() == 0 && v.Type().PkgPath() != "" {
			return nil, false
		}
		return v.String(), true
	default:
		return v.Interface(), true
	}
}

// WriteDir writes the snapshot to dir. It writes into a new folder beside
// dir and renames it into place at the end, so dir never holds half a
// snapshot. An existing empty dir is replaced; so is an existing snapshot (a
// folder with a manifest.json); any other existing dir is an error.
func (r *Result) WriteDir(dir string) (err error) {
	dir = filepath.Clean(dir)
	replace := false
	switch fi, err := os.Stat(dir); {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("awscollect: %w", err)
	case !fi.IsDir():
		return fmt.Errorf("awscollect: %s exists and is not a folder", dir)
	default:
		entries, err := os.ReadDir(dir)
		if err != nil {
			return fmt.Errorf("awscollect: %w", err)
		}
		if len(entries) > 0 {
			if _, err := os.Stat(filepath.Join(dir, ManifestFile)); err != nil {
				return fmt.Errorf("awscollect: %s is not empty and holds no %s (not a snapshot): refusing to replace it", dir, ManifestFile)
			}
		}
		replace = true
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("awscollect: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".partial-")
	if err != nil {
		return fmt.Errorf("awscollect: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("awscollect: %w", err)
	}
	for _, name := range r.Files() {
		p := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("awscollect: %w", err)
		}
		if err := os.WriteFile(p, r.files[name], 0o644); err != nil {
			return fmt.Errorf("awscollect: %w", err)
		}
	}
	m, err := json.MarshalIndent(r.Manifest, "", "  ")
	if err != nil {
		return fmt.Errorf("awscollect: encoding the manifest: %w", err)
	}
	if err := os.WriteFile(filepath.Join(tmp, ManifestFile), append(m, '\n'), 0o644); err != nil {
		return fmt.Errorf("awscollect: %w", err)
	}
	if !replace {
		if err := os.Rename(tmp, dir); err != nil {
			return fmt.Errorf("awscollect: %w", err)
		}
		return nil
	}
	// Move the old snapshot (or empty folder) aside, put the new one in its
	// place, then delete the old one.
	old := tmp + ".old"
	if err := os.Rename(dir, old); err != nil {
		return fmt.Errorf("awscollect: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if rerr := os.Rename(old, dir); rerr != nil {
			return fmt.Errorf("awscollect: %w (and the previous snapshot stays at %s: %v)", err, old, rerr)
		}
		return fmt.Errorf("awscollect: %w", err)
	}
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("awscollect: the new snapshot is in place but the old one could not be removed: %w", err)
	}
	return nil
}

// CollectToTempDir collects as [Collect] does and writes the snapshot into a
// new temporary folder, for commands that take --profile/--region instead of
// --snapshot. cleanup removes the folder; it is never nil, so it can be
// deferred before the error is checked.
func CollectToTempDir(ctx context.Context, opts Options) (dir string, cleanup func(), err error) {
	cleanup = func() {}
	res, err := Collect(ctx, opts)
	if err != nil {
		return "", cleanup, err
	}
	base, err := os.MkdirTemp("", "vpcpath-collect-")
	if err != nil {
		return "", cleanup, fmt.Errorf("awscollect: %w", err)
	}
	dir = filepath.Join(base, "snapshot")
	if err := res.WriteDir(dir); err != nil {
		os.RemoveAll(base)
		return "", cleanup, err
	}
	return dir, func() { os.RemoveAll(base) }, nil
}
