package model

import "reflect"

// Clone returns a deep copy of m: every map, slice and pointed-to resource
// is copied, so the copy can be changed (a what-if overlay, a plan applied
// over a snapshot) without touching m. The copy is indexed.
//
// The copy walks the exported fields by reflection, so a field added to the
// model is copied without anyone remembering to: TestCloneSharesNothing
// fills every field and checks that nothing reachable is shared. Values of
// types with unexported state only (netip.Addr, netip.Prefix) are
// immutable and copied as values.
func (m *Model) Clone() *Model {
	c := &Model{}
	cloneInto(reflect.ValueOf(c).Elem(), reflect.ValueOf(m).Elem())
	c.Index()
	return c
}

// cloneInto deep-copies src into dst (settable, same type).
func cloneInto(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		cloneInto(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Map:
		if src.IsNil() {
			return
		}
		mp := reflect.MakeMapWithSize(src.Type(), src.Len())
		it := src.MapRange()
		for it.Next() {
			v := reflect.New(src.Type().Elem()).Elem()
			cloneInto(v, it.Value())
			mp.SetMapIndex(it.Key(), v) // keys are strings, addresses or kinds: values
		}
		dst.Set(mp)
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := 0; i < src.Len(); i++ {
			cloneInto(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Struct:
		t := src.Type()
		if !hasExported(t) {
			dst.Set(src) // an immutable value type (netip.Addr, netip.Prefix)
			return
		}
		// Exported fields are copied deeply; unexported ones (the model's
		// indexes) are rebuilt by Index.
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).IsExported() {
				cloneInto(dst.Field(i), src.Field(i))
			}
		}
	case reflect.Interface:
		if !src.IsNil() {
			v := reflect.New(src.Elem().Type()).Elem()
			cloneInto(v, src.Elem())
			dst.Set(v)
		}
	default:
		dst.Set(src)
	}
}

func hasExported(t reflect.Type) bool {
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).IsExported() {
			return true
		}
	}
	return false
}
