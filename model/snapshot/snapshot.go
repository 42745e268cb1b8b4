// Package snapshot loads a saved AWS network into a model.Model.
//
// A snapshot is a folder, read recursively, of JSON files, each the verbatim
// output of one AWS CLI describe call (`aws ec2 describe-subnets --output
// json > subnets.json`). A file is recognised by its top-level key, never by
// its name: Vpcs, Subnets, RouteTables, SecurityGroups, NetworkAcls,
// NetworkInterfaces, Reservations, VpcEndpoints, NatGateways,
// InternetGateways, PrefixLists, VpcPeeringConnections, TransitGateways,
// TransitGatewayAttachments, TransitGatewayVpcAttachments,
// TransitGatewayPeeringAttachments, TransitGatewayRouteTables, VpnGateways,
// VpnConnections, CustomerGateways, DhcpOptions and AvailabilityZones, and
// Direct Connect's directConnectGateways, directConnectGatewayAssociations
// and virtualInterfaces (camelCase as the CLI prints them, or PascalCase as
// Batfish saves them). Several files of one kind merge (pages, or one file
// per account or region). More shapes are understood:
//
//   - describe-vpc-attribute output: {"VpcId": ..., "EnableDnsSupport": {"Value": true}}
//     (or EnableDnsHostnames).
//   - get-managed-prefix-list-entries output: {"Entries": [{"Cidr": ...}]}. The
//     CLI does not say which list the entries belong to, so the file must either
//     carry a top-level "PrefixListId" (vpcpath collect writes one) or have the
//     list's ID in its file name, as in pl-0123456789abcdef0.json or
//     ec2-get-managed-prefix-list-entries-pl-0123456789abcdef0.json.
//   - search-transit-gateway-routes output ({"Routes": [...]}) and
//     get-transit-gateway-route-table-associations ("Associations") or
//     -propagations ("TransitGatewayRouteTablePropagations") output, tied to
//     their table the same way: a top-level "TransitGatewayRouteTableId" or
//     the tgw-rtb- ID in the file name.
//   - Batfish's TransitGatewayStaticRoutes and TransitGatewayPropagations:
//     static routes only, so the loader derives propagated routes from the
//     propagations (a VPC attachment propagates its VPC's CIDR blocks) and
//     records, as an assumption on the table, that routes a VPN, Direct
//     Connect or Connect attachment learns by BGP are in no file.
//
// Boto-style recordings that wrap each response as {"status_code": N,
// "data": {...}} (cloud-custodian's placebo files) are unwrapped; recorded
// error responses are skipped with a warning. The region of a file comes from
// the nearest enclosing folder named like a region (Batfish's
// aws_configs/<region>/ layout, or vpcpath collect's <account>/<region>/),
// else from the availability zones of the subnets.
//
// Files that are not describe output, or describe output vpcpath does not
// model, are skipped with a warning. Malformed JSON, a value of the wrong
// type or shape, and a dangling reference are errors that name the file and
// the field. Symbolic links are not followed, so a link loop cannot hang the
// loader; a file over MaxFileSize is an error.
package snapshot

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"reflect"
	"regexp"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// MaxFileSize is the largest file the loader reads (512 MiB): a larger one is
// an error rather than an out-of-memory crash.
const MaxFileSize = 512 << 20

// maxFileSize is MaxFileSize; tests lower it.
var maxFileSize int64 = MaxFileSize

// Warning is something the loader skipped or could not use. It does not stop
// the load.
type Warning struct {
	File    string
	Message string
}

func (w Warning) String() string {
	if w.File == "" {
		return w.Message
	}
	return w.File + ": " + w.Message
}

// Error is a load failure naming the file and, where there is one, the
// field: the shape every loader shares (model.LoadError).
type Error = model.LoadError

// LoadDir loads the snapshot folder dir.
func LoadDir(dir string) (*model.Model, []Warning, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("snapshot %s: %w", dir, errors.Unwrap(err))
	}
	if !st.IsDir() {
		return nil, nil, fmt.Errorf("snapshot %s: not a folder", dir)
	}
	return LoadFS(os.DirFS(dir), dir)
}

// LoadFS loads the snapshot at the root of fsys; name is how files are named
// in errors and warnings (the folder's path).
func LoadFS(fsys fs.FS, name string) (*model.Model, []Warning, error) {
	l := newLoader(fsys, name)
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return &Error{File: l.display(p), Err: err}
		}
		if d.IsDir() {
			if p != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			l.warn(p, "symbolic link not followed")
			return nil
		}
		if !strings.EqualFold(path.Ext(p), ".json") {
			if p != "README.md" && !strings.HasSuffix(p, "/README.md") {
				l.warn(p, "not a .json file; skipped")
			}
			return nil
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("snapshot %s: no .json files found", name)
	}
	for _, f := range files {
		if err := l.loadFile(f); err != nil {
			return nil, nil, err
		}
	}
	if err := l.finish(); err != nil {
		return nil, nil, err
	}
	return l.m, l.warnings(), nil
}

var regionRE = regexp.MustCompile(`^(?:[a-z]{2}|us-gov|us-iso[a-z]?|cn|eusc)-[a-z]+-\d+$`)

// regionOf returns the region named by the nearest enclosing folder of p.
func regionOf(p string) string {
	dir := path.Dir(p)
	for dir != "." && dir != "/" && dir != "" {
		if b := path.Base(dir); regionRE.MatchString(b) {
			return b
		}
		dir = path.Dir(dir)
	}
	return ""
}

var azRE = regexp.MustCompile(`^((?:[a-z]{2}|us-gov|us-iso[a-z]?|cn|eusc)-[a-z]+-\d+)`)

// regionOfAZ turns "us-east-1a" or "us-west-2-lax-1a" into the region.
func regionOfAZ(az string) string {
	if m := azRE.FindStringSubmatch(az); m != nil {
		return m[1]
	}
	return ""
}

// decodeError turns a json error into one that names the field and line.
func decodeError(file, key string, data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := lineCol(data, se.Offset)
		return &Error{File: file, Field: key, Err: fmt.Errorf("malformed JSON at line %d column %d: %v", line, col, se)}
	case errors.As(err, &te):
		field := key
		if te.Field != "" {
			field = key + "." + te.Field
		}
		return &Error{File: file, Field: field, Err: fmt.Errorf("want %s, found JSON %s", jsonKind(te.Type.Kind()), te.Value)}
	}
	return &Error{File: file, Field: key, Err: err}
}

// jsonKind names a Go kind the way JSON would.
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return k.String()
}

func lineCol(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col := 1, 1
	for _, c := range data[:off] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

func tags(ts []wTag) model.Tags {
	if len(ts) == 0 {
		return nil
	}
	t := make(model.Tags, len(ts))
	for _, x := range ts {
		t[x.Key] = x.Value
	}
	return t
}
