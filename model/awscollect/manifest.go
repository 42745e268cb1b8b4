package awscollect

import (
	"fmt"
	"sort"
	"time"
)

// ManifestFormatVersion is the version of the manifest.json schema; it
// changes only when a field changes meaning or goes away.
const ManifestFormatVersion = 1

// ManifestFile is the name of the manifest at the snapshot root.
const ManifestFile = "manifest.json"

// Manifest is manifest.json: how a snapshot was collected.
type Manifest struct {
	FormatVersion int       `json:"format_version"`
	CollectedAt   time.Time `json:"collected_at"` // UTC, when the collection started
	Tool          string    `json:"tool"`         // "vpcpath"
	ToolVersion   string    `json:"tool_version"`
	Accounts      []Account `json:"accounts"`
	Regions       []string  `json:"regions"` // every region collected, sorted
	Calls         []Call    `json:"calls"`   // every call made, sorted by account, region, file
	Gaps          []Gap     `json:"gaps"`    // the calls whose data is missing, and why
}

// Account is one collected account, as sts:GetCallerIdentity names it.
type Account struct {
	AccountID string   `json:"account_id"`
	ARN       string   `json:"arn"`
	UserID    string   `json:"user_id"`
	RoleARN   string   `json:"role_arn,omitempty"` // the role assumed for it, if any
	Regions   []string `json:"regions"`
}

// Call is one call made: all the pages of one operation for one file.
type Call struct {
	Service    string        `json:"service"`   // IAM service prefix: ec2, route53, route53resolver, sts
	Operation  string        `json:"operation"` // API operation, like DescribeVpcs
	IAMAction  string        `json:"iam_action"`
	Account    string        `json:"account,omitempty"`
	Region     string        `json:"region,omitempty"` // empty for global services
	File       string        `json:"file,omitempty"`   // the file it feeds, relative to the snapshot root
	Pages      int           `json:"pages"`            // pages received
	Attempts   int           `json:"attempts"`         // HTTP requests sent, retries included
	Duration   time.Duration `json:"-"`
	DurationMS float64       `json:"duration_ms"`
	OK         bool          `json:"ok"`
	Error      string        `json:"error,omitempty"`
}

// GapReason says why a gap's data is missing.
type GapReason string

const (
	// GapAccessDenied: the identity may not make the call (AccessDenied,
	// UnauthorizedOperation).
	GapAccessDenied GapReason = "access_denied"
	// GapNotFound: the resource of a per-resource call vanished between the
	// call that listed it and the call about it.
	GapNotFound GapReason = "not_found"
)

// Gap is a call whose file is missing from the snapshot. Whatever that file
// would have told is unknown.
type Gap struct {
	Service   string    `json:"service"`
	Operation string    `json:"operation"`
	IAMAction string    `json:"iam_action"`
	Account   string    `json:"account"`
	Region    string    `json:"region,omitempty"`
	File      string    `json:"file"` // the missing file, relative to the snapshot root
	Reason    GapReason `json:"reason"`
	ErrorCode string    `json:"error_code"`
	Error     string    `json:"error"`
}

// Warning is the gap as one line for a person.
func (g Gap) Warning() string {
	where := (callSpec{account: g.Account, region: g.Region}).where()
	switch g.Reason {
	case GapAccessDenied:
		return fmt.Sprintf("warning: %s refused (%s) in %s: %s is not in the snapshot; allow IAM action %s to collect it",
			g.IAMAction, g.ErrorCode, where, g.File, g.IAMAction)
	default:
		return fmt.Sprintf("warning: %s in %s: resource gone during the collection (%s); %s is not in the snapshot",
			g.IAMAction, where, g.ErrorCode, g.File)
	}
}

func sortCalls(calls []Call) {
	sort.SliceStable(calls, func(i, j int) bool {
		a, b := calls[i], calls[j]
		if a.Account != b.Account {
			return a.Account < b.Account
		}
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.IAMAction < b.IAMAction
	})
}
