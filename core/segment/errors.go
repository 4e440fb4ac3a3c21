package segment

import (
	"errors"
	"fmt"
)

// ErrSyntax is wrapped by every *ParseError, for errors.Is.
var ErrSyntax = errors.New("segment syntax error")

// ParseError points at the token where a segment's text went wrong. Line
// and Column are 1-based; Column counts characters, not bytes.
type ParseError struct {
	Line, Column int
	// Offset is the byte offset of the offending token.
	Offset int
	Msg    string
	// Multiline is set when the input spans lines, so the message names the line.
	Multiline bool
}

func (e *ParseError) Error() string {
	if e.Multiline {
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("column %d: %s", e.Column, e.Msg)
}

// Unwrap lets errors.Is(err, ErrSyntax) match.
func (e *ParseError) Unwrap() error { return ErrSyntax }
