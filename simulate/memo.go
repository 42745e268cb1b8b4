package simulate

import (
	"net/netip"

	"github.com/vpcpath/vpcpath/model"
)

// Memo keeps what walks of one model look up again and again: the route a
// transit gateway route table picks for an address (a scan of every route
// of the table: hundreds on a large estate's gateways) and the attachment
// it sends to, the attachment a packet arrives on at a gateway with the
// route table associated with it there, the subnet by
// which a transit gateway attachment meets a zone, and a subnet's route
// table and network ACL. Each is a function of the model and its
// arguments alone, so a caller that walks the same model, unchanged, many
// times (vpcpath matrix: millions of walks between a few thousand
// addresses) looks each up once. A Memo belongs to one goroutine and one
// model; it starts again past memoCap entries.
//
// (A subnet's route table is not kept: its lookups pair a source subnet
// with a destination, and nearly every one is new.)
type Memo struct {
	m      *model.Model
	tgw    map[memoKey]tgwChoice
	tgwx   map[*model.TGWRouteTable]*addrIndex[tgwChoice] // nil: not indexed (newTGWRouteIndex)
	arrive map[[2]string]tgwArrival
	attSub map[attSubKey]attSubResult
	subs   map[*model.Subnet]subnetTables
	acls   map[*model.NetworkACL]*aclIndexes // inbound, outbound
	// gates is the Gates the memo's walks fill, one after the other.
	gates *Gates
	// The entries used last, looked at before the maps: a matrix walks
	// from one source to every destination in turn, so its source's
	// subnets and attachments come back walk after walk.
	recentSubs   recent[*model.Subnet, subnetTables]
	recentAttSub recent[attSubKey, attSubResult]
	recentArrive recent[[2]string, tgwArrival]
	recentVPCAtt recent[[2]string, *model.TGWAttachment] // gateway, VPC: the attachments found
}

// recent is the last four entries of a lookup, compared one by one.
type recent[K comparable, V any] struct {
	keys [4]K
	vals [4]V
	used [4]bool
	next uint8
}

func (r *recent[K, V]) get(k K) (V, bool) {
	for i := range r.keys {
		if r.used[i] && r.keys[i] == k {
			return r.vals[i], true
		}
	}
	var zero V
	return zero, false
}

func (r *recent[K, V]) put(k K, v V) {
	i := r.next % 4
	r.keys[i], r.vals[i], r.used[i] = k, v, true
	r.next++
}

type memoKey struct {
	rt  *model.TGWRouteTable
	dst netip.Addr
}

// tgwArrival is what a transit gateway knows of an attachment a packet
// arrives on: the attachment, its associated route table there and the
// association.
type tgwArrival struct {
	in *model.TGWAttachment
	rt *model.TGWRouteTable
	as *model.TGWAssociation
}

type attSubKey struct {
	att *model.TGWAttachment
	az  string
	any bool
}

type attSubResult struct {
	sub *model.Subnet
	why string
}

type subnetTables struct {
	rt  *model.RouteTable
	acl *model.NetworkACL
	// aclx is the ACL's index of entries by address, inbound and
	// outbound, each built when first asked (Gates.ACLKey).
	aclx *aclIndexes
	// rtx is the route table's lookups by address (nil: look up).
	rtx *addrIndex[routeChoice]
}

const memoCap = 1 << 18

// NewMemo returns an empty Memo.
func NewMemo() *Memo { return &Memo{} }

// bind readies the memo for walks of m (forgetting another model's).
func (mo *Memo) bind(m *model.Model) {
	if mo.m != m || len(mo.tgw) > memoCap || len(mo.attSub) > memoCap || len(mo.subs) > memoCap || len(mo.arrive) > memoCap {
		mo.m, mo.tgw, mo.attSub, mo.subs = m, map[memoKey]tgwChoice{}, map[attSubKey]attSubResult{}, map[*model.Subnet]subnetTables{}
		mo.tgwx = map[*model.TGWRouteTable]*addrIndex[tgwChoice]{}
		mo.arrive, mo.acls = map[[2]string]tgwArrival{}, map[*model.NetworkACL]*aclIndexes{}
		mo.recentSubs, mo.recentAttSub = recent[*model.Subnet, subnetTables]{}, recent[attSubKey, attSubResult]{}
		mo.recentArrive, mo.recentVPCAtt = recent[[2]string, tgwArrival]{}, recent[[2]string, *model.TGWAttachment]{}
	}
}

// aclIndexes are an ACL's indexes of entries, inbound and outbound.
type aclIndexes [2]*aclIndex

// index is x's index of entries, the entries of its ACL in the
// direction egress says, built once.
func (x *aclIndexes) index(egress bool, entries []model.NACLEntry) *aclIndex {
	d := 0
	if egress {
		d = 1
	}
	if x[d] == nil {
		x[d] = newACLIndex(entries)
	}
	return x[d]
}

// tgwLookup is lookupTGWRoute, through the memo when the walk has one.
func (t *tracer) tgwLookup(rt *model.TGWRouteTable, dst netip.Addr) tgwChoice {
	if t.memo == nil {
		return lookupTGWRoute(t.m, rt, dst)
	}
	x, indexed := t.memo.tgwx[rt]
	if !indexed {
		x = newTGWRouteIndex(t.m, rt)
		t.memo.tgwx[rt] = x
	}
	if x != nil && dst.IsValid() && dst.Zone() == "" {
		return x.at(dst)
	}
	k := memoKey{rt, dst}
	if c, ok := t.memo.tgw[k]; ok {
		return c
	}
	c := lookupTGWRoute(t.m, rt, dst)
	t.memo.tgw[k] = c
	return c
}

// subnetRouteTable and subnetACL are sub's route table and network ACL,
// through the memo when the walk has one (which keeps both at once).
func (t *tracer) subnetRouteTable(sub *model.Subnet) *model.RouteTable {
	if t.memo == nil {
		rt, _ := t.m.SubnetRouteTable(sub.ID)
		return rt
	}
	return t.subnetTables(sub).rt
}

func (t *tracer) subnetACL(sub *model.Subnet) (*model.NetworkACL, *aclIndexes) {
	if t.memo == nil {
		acl, _ := t.m.SubnetACL(sub.ID)
		return acl, nil
	}
	st := t.subnetTables(sub)
	return st.acl, st.aclx
}

// subnetTables is the memo's entry for sub.
func (t *tracer) subnetTables(sub *model.Subnet) subnetTables {
	mo := t.memo
	if st, ok := mo.recentSubs.get(sub); ok {
		return st
	}
	st, ok := mo.subs[sub]
	if !ok {
		st.rt, _ = t.m.SubnetRouteTable(sub.ID)
		if st.rt != nil {
			st.rtx = newRouteIndex(t.m, st.rt)
		}
		st.acl, _ = t.m.SubnetACL(sub.ID)
		if st.acl != nil {
			st.aclx = mo.acls[st.acl]
			if st.aclx == nil {
				st.aclx = new(aclIndexes)
				mo.acls[st.acl] = st.aclx
			}
		}
		mo.subs[sub] = st
	}
	mo.recentSubs.put(sub, st)
	return st
}

// attachmentSubnet is attachmentSubnetOf, through the memo when the walk
// has one.
func (t *tracer) attachmentSubnet(att *model.TGWAttachment, az string, any bool) (*model.Subnet, string) {
	if t.memo == nil {
		return t.attachmentSubnetOf(att, az, any)
	}
	mo, k := t.memo, attSubKey{att, az, any}
	if r, ok := mo.recentAttSub.get(k); ok {
		return r.sub, r.why
	}
	r, ok := mo.attSub[k]
	if !ok {
		r.sub, r.why = t.attachmentSubnetOf(att, az, any)
		mo.attSub[k] = r
	}
	mo.recentAttSub.put(k, r)
	return r.sub, r.why
}

// tgwArrival is the attachment via that a packet arrives on at transit
// gateway tgwID, the route table associated with it there, and the
// association, through the memo when the walk has one.
func (t *tracer) tgwArrival(tgwID, via string) (*model.TGWAttachment, *model.TGWRouteTable, *model.TGWAssociation) {
	mo, k := t.memo, [2]string{tgwID, via}
	if mo != nil {
		if a, ok := mo.recentArrive.get(k); ok {
			return a.in, a.rt, a.as
		}
		if a, ok := mo.arrive[k]; ok {
			mo.recentArrive.put(k, a)
			return a.in, a.rt, a.as
		}
	}
	in := t.m.TGWAttachments[via]
	a := tgwArrival{in: in, rt: t.m.TGWRouteTableOf(tgwID, in.ID), as: associationOn(in, tgwID)}
	if mo != nil {
		mo.arrive[k] = a
	}
	return a.in, a.rt, a.as
}
