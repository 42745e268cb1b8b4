package probe

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// classTitles are the classes in the order text output lists them.
var classTitles = []struct{ class, title string }{
	{ReachableButDropped, "PREDICTED REACHABLE BUT DROPPED"},
	{BlockedButOpen, "PREDICTED BLOCKED BUT OPEN"},
	{DNSOtherwise, "DNS ANSWERED OTHERWISE THAN MODELLED"},
	{Inconclusive, "INCONCLUSIVE"},
	{Agree, "AGREE"},
}

// WriteText writes a validation for a terminal: a summary, the
// disagreements with their likely causes, then the rest.
func WriteText(w io.Writer, v *Validation) error {
	host := v.Host.Hostname
	if v.Host.InstanceID != "" {
		host += " " + v.Host.InstanceID
	}
	fmt.Fprintf(w, "VALIDATE  probe on %s = %s (%s) in %s, %s\n", host, v.Source.ENI, v.Source.IP, v.Source.Subnet, v.Source.VPC)
	var parts []string
	for _, ct := range classTitles {
		parts = append(parts, fmt.Sprintf("%d %s", v.Summary[ct.class], ct.class))
	}
	fmt.Fprintf(w, "SUMMARY   %s\n", strings.Join(parts, ", "))
	for _, n := range v.Notes {
		fmt.Fprintf(w, "NOTE      %s\n", n)
	}
	for _, ct := range classTitles {
		var items []Item
		for _, it := range v.Items {
			if it.Class == ct.class {
				items = append(items, it)
			}
		}
		if len(items) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s\n", ct.title)
		if ct.class == Agree || ct.class == Inconclusive {
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			if ct.class == Agree {
				fmt.Fprintln(tw, "  CHECK\tTARGET\tOBSERVED\tDETAIL")
			} else {
				fmt.Fprintln(tw, "  CHECK\tTARGET\tPREDICTED\tOBSERVED\tDETAIL")
			}
			for _, it := range items {
				if ct.class == Agree {
					fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", it.Check, it.Target, it.Observed, it.Detail)
				} else {
					fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", it.Check, it.Target, it.Predicted, it.Observed, it.Detail)
				}
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			continue
		}
		for _, it := range items {
			name := ""
			if it.Name != "" {
				name = " " + it.Name
			}
			fmt.Fprintf(w, "  %s  %s%s  (%s)\n", it.Check, it.Target, name, it.Requirement)
			fmt.Fprintf(w, "    predicted  %s\n", it.Predicted)
			fmt.Fprintf(w, "    observed   %s\n", it.Observed)
			fmt.Fprintf(w, "    why        %s\n", it.Detail)
			fmt.Fprintf(w, "    likely causes:\n")
			for _, c := range it.Causes {
				fmt.Fprintf(w, "      - %s: %s\n", c.Class, c.Text)
			}
		}
	}
	return nil
}
