//go:build !unprotectedreplay

package replay

// unprotectedReplay is false in every build but the window check's
// control (build tag unprotectedreplay), so Prepare always sanitizes and
// rewrites; being a constant, the other branch is not even compiled in.
const unprotectedReplay = false
