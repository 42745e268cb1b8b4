package check

import "fmt"

// noEndpointError is a requirement to an endpoint service that has no
// endpoint in the source's VPC: a failure of the network (create it), not
// an unknown.
type noEndpointError struct {
	service, vpc string
}

func (e *noEndpointError) Error() string {
	return fmt.Sprintf("no endpoint for %s in %s", e.service, e.vpc)
}
