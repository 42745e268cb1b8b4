// Package schema holds the JSON Schemas (draft 2020-12) of every document
// vpcpath writes with --output json, embedded so tests and tools can
// validate against the exact files in this directory.
//
// The schema files are generated from the Go types that are marshalled
// (go test ./schema -update rewrites them; a test fails when they drift).
// A document's schema_version bumps only with an entry in CHANGELOG.md.
package schema

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed *.schema.json
var files embed.FS

// Names lists the documents, one schema file each (NAME.schema.json).
var Names = []string{"trace", "resolve", "check", "diff", "probe-plan", "probe-report", "matrix", "validate"}

// File returns the raw schema file of a document.
func File(name string) ([]byte, error) { return files.ReadFile(name + ".schema.json") }

// Compile compiles the schema of a document.
func Compile(name string) (*jsonschema.Schema, error) {
	raw, err := File(name)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	c := jsonschema.NewCompiler()
	url := "https://vpcpath.invalid/schema/" + name + ".schema.json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	return c.Compile(url)
}

// Validate checks one JSON document against the schema of name.
func Validate(name string, document []byte) error {
	s, err := Compile(name)
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(document))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return s.Validate(v)
}

// Version returns the schema_version a document's schema requires (its
// const), or 0 when the document has none.
func Version(name string) (int, error) {
	raw, err := File(name)
	if err != nil {
		return 0, err
	}
	var s struct {
		Properties struct {
			SchemaVersion *struct {
				Const int `json:"const"`
			} `json:"schema_version"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, fmt.Errorf("schema %s: %w", name, err)
	}
	if v := s.Properties.SchemaVersion; v != nil {
		return v.Const, nil
	}
	return 0, nil
}
