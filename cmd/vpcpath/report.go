package main

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate/render/report"
)

// reportPicture is the path picture of the HTML reports (--output html).
//
// PICTURE PLUG-IN (issue 12): when simulate/picture lands, return
//
//	func(res simulate.Result) ([]byte, error) { return picture.TraceSVG(m, res) }
//
// here. Until then nil: the report draws its own path strip (report.Strip).
func reportPicture(m *model.Model) report.PictureFunc {
	_ = m
	return nil
}

// reportRun says what a report answers: the network read and the command
// that wrote the page, to run again.
func reportRun(c *cobra.Command, src sourceOptions) report.Run {
	return report.Run{Source: src.describe(), Command: commandLine(c)}
}

// describe names where the network came from, as a person would say it.
func (o *sourceOptions) describe() string {
	var parts []string
	switch {
	case o.plan != "":
		parts = append(parts, "Terraform plan "+o.plan)
	case o.template.file != "":
		parts = append(parts, "CloudFormation template "+o.template.file)
	}
	over := ""
	if len(parts) > 0 {
		over = "over "
	}
	switch {
	case o.example != "":
		parts = append(parts, over+"bundled example "+o.example)
	case o.snapshot != "":
		parts = append(parts, over+"snapshot "+o.snapshot)
	case o.live():
		live := "collected live"
		if o.awsProfile != "" {
			live += " with profile " + o.awsProfile
		}
		if len(o.regions) > 0 {
			live += " in " + strings.Join(o.regions, ", ")
		}
		parts = append(parts, over+live)
	}
	return strings.Join(parts, " ")
}

// commandLine is the command as typed: its path and the flags set, in
// flag order, each value quoted for a POSIX shell where it needs it.
func commandLine(c *cobra.Command) string {
	args := []string{c.CommandPath()}
	c.Flags().Visit(func(f *pflag.Flag) {
		vals := []string{f.Value.String()}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			vals = sv.GetSlice()
		}
		for _, v := range vals {
			if f.Value.Type() == "bool" {
				if v == "true" {
					args = append(args, "--"+f.Name)
				} else {
					args = append(args, "--"+f.Name+"="+v)
				}
				continue
			}
			args = append(args, "--"+f.Name, shellQuote(v))
		}
	})
	return strings.Join(args, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,/=:+@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
