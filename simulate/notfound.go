package simulate

import "github.com/vpcpath/vpcpath/model"

// notFound is the error for an ID a question names that m does not hold;
// a command adds the nearest IDs of the kind to its message.
func notFound(m *model.Model, id string, kind model.Kind) error {
	return &model.NotFoundError{Kind: kind, ID: id, Why: missingRef(m, id, kind)}
}
