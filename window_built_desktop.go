//go:build desktop

package main

// windowBuilt: this binary carries the workbench window.
const windowBuilt = true
