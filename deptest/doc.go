// Package deptest holds the test that keeps the repository's layers apart:
// which parts may depend on which, checked over the whole dependency graph
// that `go list` reports, so an indirect import breaks it as surely as a
// direct one. It has no code of its own; see deptest_test.go for the rules.
package deptest
