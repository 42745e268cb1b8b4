package render

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/vpcpath/vpcpath/simulate/check"
)

// CheckSchemaVersion is the version of the check document. CHANGELOG.md
// says what each version changed.
const CheckSchemaVersion = 2

// CheckReport is the JSON form of a check run.
type CheckReport struct {
	SchemaVersion int            `json:"schema_version"`
	Profile       string         `json:"profile,omitempty"`
	Discovered    []string       `json:"discovered"`
	Summary       map[string]int `json:"summary"`
	// Refused lists what AWS would refuse to create (section "refused"):
	// the network cannot exist as described, and no flow was checked.
	Refused    []check.Outcome `json:"refused,omitempty"`
	Functional []check.Outcome `json:"functional"`
	Shape      []check.Outcome `json:"shape"`
}

// NewCheckReport sorts outcomes into their sections and counts them.
func NewCheckReport(profile string, discovered []string, outcomes []check.Outcome) CheckReport {
	r := CheckReport{SchemaVersion: CheckSchemaVersion, Profile: profile, Discovered: discovered, Summary: map[string]int{"PASS": 0, "FAIL": 0, "UNKNOWN": 0},
		Functional: []check.Outcome{}, Shape: []check.Outcome{}}
	if r.Discovered == nil {
		r.Discovered = []string{}
	}
	for _, o := range outcomes {
		r.Summary[string(o.Status)]++
		switch o.Section {
		case "refused":
			r.Refused = append(r.Refused, o)
		case "shape":
			r.Shape = append(r.Shape, o)
		default:
			r.Functional = append(r.Functional, o)
		}
	}
	return r
}

// CheckText writes a check run as tables a person reads.
func CheckText(w io.Writer, r CheckReport) error {
	if r.Profile != "" {
		fmt.Fprintf(w, "PROFILE  %s\n", r.Profile)
	}
	for _, d := range r.Discovered {
		fmt.Fprintf(w, "  %s\n", d)
	}
	section := func(title string, os []check.Outcome) {
		if len(os) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s\n", title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  STATUS\tREQUIREMENT\tFROM\tPORTS\tDETAIL")
		for _, o := range os {
			ports := o.Protocol
			if len(o.Ports) > 0 {
				ports += " " + o.Ports.String()
			}
			if ports == "" {
				ports = "-"
			}
			from := o.SourceSubnet
			if from == "" {
				from = "-"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", o.Status, o.Name, from, ports, o.Detail)
		}
		tw.Flush()
		for _, o := range os {
			if o.Status == check.Pass {
				continue
			}
			fmt.Fprintf(w, "\n  %s %s\n", o.Status, o.Name)
			if o.Source != "" {
				fmt.Fprintf(w, "    from %s", o.Source)
				if len(o.SharedBy) > 1 {
					fmt.Fprintf(w, " (and %d more sharing its subnet and groups)", len(o.SharedBy)-1)
				}
				fmt.Fprintln(w)
			}
			if o.Rule != "" {
				fmt.Fprintf(w, "    rule: %s\n", o.Rule)
			}
			if o.Fix != nil {
				fmt.Fprintf(w, "    fix:  %s\n", *o.Fix)
			}
			sourceFixes(w, "          ", o.FixSource)
		}
	}
	section("REFUSED BY AWS (the network cannot exist as described: no flow was checked)", r.Refused)
	section("FUNCTIONALLY REACHABLE", r.Functional)
	title := "STATIC CHECKS"
	if strings.HasPrefix(r.Profile, "databricks") {
		title = "SHAPED AS DATABRICKS VALIDATES"
	}
	section(title, r.Shape)
	fmt.Fprintf(w, "\n%d passed, %d failed, %d unknown\n", r.Summary["PASS"], r.Summary["FAIL"], r.Summary["UNKNOWN"])
	return nil
}

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
	Output    string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// CheckJUnit writes a check run as JUnit XML for CI systems: FAIL is a
// failure, UNKNOWN a skipped test with its reason.
func CheckJUnit(w io.Writer, r CheckReport) error {
	name := r.Profile
	if name == "" {
		name = "intents"
	}
	var out junitSuites
	for _, sec := range []struct {
		name string
		os   []check.Outcome
	}{{"refused", r.Refused}, {"functional", r.Functional}, {"shape", r.Shape}} {
		if sec.name == "refused" && len(sec.os) == 0 {
			continue
		}
		s := junitSuite{Name: "vpcpath " + name + " " + sec.name}
		for _, o := range sec.os {
			c := junitCase{Name: strings.TrimSpace(o.Name + " " + o.Source), Classname: "vpcpath." + sec.name, Output: o.Detail}
			msg := o.Detail
			if o.Fix != nil {
				msg += "\nfix: " + *o.Fix
			}
			for _, f := range o.FixSource {
				msg += "\nin " + f.Language + ", " + f.Summary + ":\n" + f.Code
			}
			switch o.Status {
			case check.Fail:
				c.Failure = &junitMessage{Message: o.Detail, Text: msg}
				s.Failures++
			case check.Unknown:
				c.Skipped = &junitMessage{Message: "UNKNOWN: " + o.Detail}
				s.Skipped++
			}
			s.Tests++
			s.Cases = append(s.Cases, c)
		}
		out.Suites = append(out.Suites, s)
	}
	fmt.Fprint(w, xml.Header)
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	fmt.Fprintln(w)
	return nil
}
