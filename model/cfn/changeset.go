package cfn

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Stack is what an existing stack adds to a template: the physical IDs of
// its resources (aws cloudformation describe-stack-resources) and, for an
// update, what a change set does to them (describe-change-set).
type Stack struct {
	// Physical maps a logical ID to the physical ID of the stack's
	// resource.
	Physical map[string]string
	// Replaced are logical IDs the change set replaces: they get new
	// physical IDs (placeholders) and their old resources go.
	Replaced map[string]bool
	// Removed are the logical IDs the change set removes.
	Removed []string
	// Conditional are logical IDs whose replacement depends on values the
	// change set does not know (Replacement "Conditional").
	Conditional []string
}

// StackResourcesFile reads describe-stack-resources output.
func StackResourcesFile(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out struct {
		StackResources *[]struct {
			LogicalResourceId  string
			PhysicalResourceId string
			ResourceType       string
		}
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("%s: want aws cloudformation describe-stack-resources output: %v", path, err)
	}
	if out.StackResources == nil {
		return nil, fmt.Errorf("%s: no StackResources (want aws cloudformation describe-stack-resources output)", path)
	}
	m := map[string]string{}
	for i, r := range *out.StackResources {
		if r.LogicalResourceId == "" {
			return nil, fmt.Errorf("%s: StackResources[%d]: no LogicalResourceId", path, i)
		}
		if r.PhysicalResourceId != "" {
			m[r.LogicalResourceId] = r.PhysicalResourceId
		}
	}
	return m, nil
}

// ChangeSetFile reads describe-change-set output into s.
func (s *Stack) ChangeSetFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var out struct {
		Changes *[]struct {
			Type           string
			ResourceChange *struct {
				Action             string
				LogicalResourceId  string
				PhysicalResourceId string
				Replacement        string
			}
		}
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return fmt.Errorf("%s: want aws cloudformation describe-change-set output: %v", path, err)
	}
	if out.Changes == nil {
		return fmt.Errorf("%s: no Changes (want aws cloudformation describe-change-set output)", path)
	}
	if s.Replaced == nil {
		s.Replaced = map[string]bool{}
	}
	if s.Physical == nil {
		s.Physical = map[string]string{}
	}
	for i, c := range *out.Changes {
		rc := c.ResourceChange
		if c.Type != "Resource" || rc == nil {
			continue
		}
		if rc.LogicalResourceId == "" {
			return fmt.Errorf("%s: Changes[%d]: no LogicalResourceId", path, i)
		}
		if rc.PhysicalResourceId != "" && s.Physical[rc.LogicalResourceId] == "" {
			s.Physical[rc.LogicalResourceId] = rc.PhysicalResourceId
		}
		switch {
		case rc.Action == "Remove":
			s.Removed = append(s.Removed, rc.LogicalResourceId)
		case rc.Action == "Modify" && strings.EqualFold(rc.Replacement, "True"):
			s.Replaced[rc.LogicalResourceId] = true
		case rc.Action == "Modify" && strings.EqualFold(rc.Replacement, "Conditional"):
			s.Conditional = append(s.Conditional, rc.LogicalResourceId)
		}
	}
	return nil
}
