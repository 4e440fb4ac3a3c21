// Package desktop adapts Loupe's core services to the workbench UI: thin
// bindings, one struct per feature (Sessions, Player, ...), constructed with
// the core services they need. The Wails window binds these structs directly;
// browser mode (Server) serves the same structs over HTTP, so both front
// ends call exactly the same Go methods.
package desktop

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
)

// Error codes that cross into the UI. The UI switches on Code, never on
// Message, which is written for people.
const (
	CodeNotFound    = "not_found"
	CodeInvalid     = "invalid"
	CodeConflict    = "conflict"
	CodeUnavailable = "unavailable"
	CodeCanceled    = "canceled"
	CodeInternal    = "internal"
)

// Error is the one error shape the UI sees: {code, message}. Bindings
// return it (wrapped or not); Wails turns it into a rejected Promise with
// the JSON text, browser mode into an HTTP error body.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	err     error
}

// Error renders the shape as JSON, which is also what Wails hands to the
// rejected Promise, so the UI parses one format in both modes.
func (e *Error) Error() string { return fmt.Sprintf(`{"code":%q,"message":%q}`, e.Code, e.Message) }

// Unwrap exposes the cause for errors.Is/As on the Go side.
func (e *Error) Unwrap() error { return e.err }

// Sentinels a binding wraps with %w to pick a code when no core sentinel
// applies (bad arguments from the UI, an unknown id).
var (
	ErrInvalid  = errors.New("invalid request")
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
)

// codeMappers lets feature files register how their core package's
// sentinel errors map to codes, so this file needs no import of every core
// package.
var codeMappers []func(error) string

// registerCodes adds a mapper consulted by toError before the defaults. A
// mapper returns "" when the error is not one of its own.
func registerCodes(m func(error) string) { codeMappers = append(codeMappers, m) }

// toError maps any error from a binding onto the {code, message} shape,
// matching sentinels with errors.Is and never by text.
func toError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: codeOf(err), Message: err.Error(), err: err}
}

func codeOf(err error) string {
	for _, m := range codeMappers {
		if c := m(err); c != "" {
			return c
		}
	}
	switch {
	case errors.Is(err, ErrInvalid):
		return CodeInvalid
	case errors.Is(err, ErrNotFound), errors.Is(err, fs.ErrNotExist):
		return CodeNotFound
	case errors.Is(err, ErrConflict):
		return CodeConflict
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return CodeCanceled
	}
	return CodeInternal
}

// fail wraps err into the UI shape with a lowercase context, keeping the
// cause for errors.Is.
func fail(err error, context string) error {
	if err == nil {
		return nil
	}
	e := toError(fmt.Errorf("%s: %w", context, err))
	return e
}
