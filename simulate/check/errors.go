package check

import (
	"fmt"

	"github.com/vpcpath/vpcpath/model"
)

// noEndpointError is a requirement to an endpoint service that has no
// endpoint in the source's VPC: a failure of the network (create it), not
// an unknown.
type noEndpointError struct {
	service, vpc string
}

func (e *noEndpointError) Error() string {
	return fmt.Sprintf("no endpoint for %s in %s", e.service, e.vpc)
}

// ParamError is a profile parameter that cannot be used: its Name, the
// Value given (empty for a list, whose bad item Err names), and why. Err
// is a *model.NotFoundError when the value names nothing in the model. A
// command adds the flag (--param) to the message.
type ParamError struct {
	Name  string
	Value string
	Err   error
}

func (e *ParamError) Error() string {
	if e.Value == "" {
		return e.Name + ": " + e.Err.Error()
	}
	return e.Name + "=" + e.Value + ": " + e.Err.Error()
}

func (e *ParamError) Unwrap() error { return e.Err }

// hasGroup reports whether m holds a security group with ID or name n, as
// a selector's security_group takes it.
func hasGroup(m *model.Model, n string) bool {
	if m.SecurityGroups[n] != nil {
		return true
	}
	for _, g := range m.SecurityGroups {
		if g.Name == n {
			return true
		}
	}
	return false
}

// NeedParamError is a parameter a profile could not discover in the model
// and needs given: its Name, the shape of a Value ("<vpc-id>"), and Why it
// could not tell. A command says how to give it (--param NAME=VALUE).
type NeedParamError struct {
	Name, Value, Why string
}

func (e *NeedParamError) Error() string {
	give := "give " + e.Name + "=" + e.Value
	if e.Why == "" {
		return give
	}
	return e.Why + ": " + give
}

// UnknownParamError is a parameter the profile does not have; Known lists
// those it has, for a command to suggest the nearest.
type UnknownParamError struct {
	Profile, Name string
	Known         []string
}

func (e *UnknownParamError) Error() string {
	return fmt.Sprintf("profile %s has no parameter %q (see vpcpath profiles)", e.Profile, e.Name)
}
