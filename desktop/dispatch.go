package desktop

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// dispatcher calls binding methods by name with JSON arguments, the way the
// Wails runtime does for the window, so browser mode needs no hand-written
// routes: every exported method of every bound struct is reachable.
type dispatcher struct {
	structs map[string]reflect.Value // struct name → pointer value
}

var errorType = reflect.TypeOf((*error)(nil)).Elem()

func newDispatcher(bindings []any) (*dispatcher, error) {
	d := &dispatcher{structs: map[string]reflect.Value{}}
	for _, b := range bindings {
		v := reflect.ValueOf(b)
		if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
			return nil, fmt.Errorf("binding %T: want a pointer to a struct", b)
		}
		name := v.Elem().Type().Name()
		if _, dup := d.structs[name]; dup {
			return nil, fmt.Errorf("binding %s: bound twice", name)
		}
		d.structs[name] = v
	}
	return d, nil
}

// methods lists "Struct.Method" for every callable method, sorted.
func (d *dispatcher) methods() []string {
	var out []string
	for name, v := range d.structs {
		t := v.Type()
		for i := 0; i < t.NumMethod(); i++ {
			if callable(t.Method(i).Type) {
				out = append(out, name+"."+t.Method(i).Name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// callable reports whether a method has a shape the UI can call: any JSON
// arguments and a result of (T, error), (error), (T) or nothing.
func callable(m reflect.Type) bool {
	switch m.NumOut() {
	case 0, 1:
		return true
	case 2:
		return m.Out(1) == errorType
	}
	return false
}

// call runs Struct.Method with raw JSON arguments under ctx (the
// request's). It returns the first non-error result (nil when there is
// none) or an *Error.
func (d *dispatcher) call(ctx context.Context, structName, method string, raw []byte) (any, *Error) {
	v, ok := d.structs[structName]
	if !ok {
		return nil, &Error{Code: CodeNotFound, Message: fmt.Sprintf("no binding named %q", structName)}
	}
	m := during(ctx, v).MethodByName(method)
	if !m.IsValid() || !callable(m.Type()) || strings.ToUpper(method[:1]) != method[:1] {
		return nil, &Error{Code: CodeNotFound, Message: fmt.Sprintf("%s has no method %q", structName, method)}
	}
	args, err := decodeArgs(m.Type(), raw)
	if err != nil {
		return nil, &Error{Code: CodeInvalid, Message: fmt.Sprintf("%s.%s: %v", structName, method, err)}
	}
	out := m.Call(args)
	return splitResults(out)
}

// during returns a copy of the binding v whose calls run under ctx, so a
// query stops when its request is abandoned. Wails passes bound methods no
// context, so the context cannot be a parameter without two method sets;
// a copy per call keeps one. The copy shares everything else: bindings
// hold their shared state behind pointers.
func during(ctx context.Context, v reflect.Value) reflect.Value {
	if _, ok := v.Interface().(scoped); !ok {
		return v
	}
	c := reflect.New(v.Elem().Type())
	c.Elem().Set(v.Elem())
	c.Interface().(scoped).during(ctx)
	return c
}

// decodeArgs turns a JSON array into the method's parameters; missing
// trailing arguments become zero values, as Wails does for JS undefined.
func decodeArgs(mt reflect.Type, raw []byte) ([]reflect.Value, error) {
	var items []json.RawMessage
	if len(strings.TrimSpace(string(raw))) > 0 {
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, fmt.Errorf("arguments must be a JSON array: %w", err)
		}
	}
	n := mt.NumIn()
	if mt.IsVariadic() {
		return nil, fmt.Errorf("variadic methods are not callable")
	}
	if len(items) > n {
		return nil, fmt.Errorf("got %d arguments, want at most %d", len(items), n)
	}
	args := make([]reflect.Value, n)
	for i := 0; i < n; i++ {
		p := reflect.New(mt.In(i))
		if i < len(items) {
			if err := json.Unmarshal(items[i], p.Interface()); err != nil {
				return nil, fmt.Errorf("argument %d: %w", i+1, err)
			}
		}
		args[i] = p.Elem()
	}
	return args, nil
}

func splitResults(out []reflect.Value) (any, *Error) {
	var result any
	for _, o := range out {
		if o.Type() == errorType {
			if !o.IsNil() {
				return nil, toError(o.Interface().(error))
			}
			continue
		}
		result = o.Interface()
	}
	return result, nil
}
