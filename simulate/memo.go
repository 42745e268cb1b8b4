package simulate

import (
	"net/netip"

	"github.com/vpcpath/vpcpath/model"
)

// Memo keeps what walks of one model look up again and again: the route a
// transit gateway route table picks for an address (a scan of every route
// of the table: hundreds on a large estate's gateways). It is a function
// of the model and the address alone, so a caller that walks the same
// model, unchanged, many times (vpcpath matrix: millions of walks between
// a few thousand addresses) looks each up once. A Memo belongs to one
// goroutine and one model; it starts again past memoCap entries.
//
// (A subnet's route table is not kept: its lookups pair a source subnet
// with a destination, and nearly every one is new.)
type Memo struct {
	m   *model.Model
	tgw map[memoKey]tgwChoice
	// gates is the Gates the memo's walks fill, one after the other.
	gates *Gates
}

type memoKey struct {
	rt  *model.TGWRouteTable
	dst netip.Addr
}

const memoCap = 1 << 18

// NewMemo returns an empty Memo.
func NewMemo() *Memo { return &Memo{} }

// bind readies the memo for walks of m (forgetting another model's).
func (mo *Memo) bind(m *model.Model) {
	if mo.m != m || len(mo.tgw) > memoCap {
		mo.m, mo.tgw = m, map[memoKey]tgwChoice{}
	}
}

// tgwLookup is lookupTGWRoute, through the memo when the walk has one.
func (t *tracer) tgwLookup(rt *model.TGWRouteTable, dst netip.Addr) tgwChoice {
	if t.memo == nil {
		return lookupTGWRoute(t.m, rt, dst)
	}
	k := memoKey{rt, dst}
	if c, ok := t.memo.tgw[k]; ok {
		return c
	}
	c := lookupTGWRoute(t.m, rt, dst)
	t.memo.tgw[k] = c
	return c
}
