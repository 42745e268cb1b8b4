package model

import (
	"strconv"
)

// LoadError is the one shape of every loader's failure (model/snapshot,
// model/tfplan, and a new loader such as CloudFormation's should declare
// `type Error = model.LoadError` too): the input File, the Field in it (a
// JSON path such as "Subnets[2] (subnet-1).CidrBlock", a Terraform resource
// address, a template's logical ID; "" when the whole file is bad), the
// Line where the loader knows it (0 when not), and the cause Err, which
// errors.Is and errors.As see through Unwrap.
//
// A command prints it as is and exits 2: a load error is bad input, never
// a finding.
type LoadError struct {
	File  string
	Field string
	Line  int
	Err   error
}

// Error reads "file[:line]: [field: ]cause".
func (e *LoadError) Error() string {
	s := e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	if e.Field != "" {
		s += ": " + e.Field
	}
	return s + ": " + e.Err.Error()
}

func (e *LoadError) Unwrap() error { return e.Err }

// NotFoundError is an ID that a question names (a trace's source or
// destination, a profile parameter) and that the model does not hold.
// Kind is the kind the ID should be; Why says how it is missing (a
// dangling reference, a kind the input does not describe). Model.Suggest
// adds the nearest names of the same kind where the message is shown: cmd
// for an error, check for an UNKNOWN outcome's detail.
type NotFoundError struct {
	Kind Kind
	ID   string
	Why  string
}

func (e *NotFoundError) Error() string { return e.Why }
