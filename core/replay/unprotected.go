//go:build unprotectedreplay

package replay

// unprotectedReplay makes Prepare hand recorded events over untouched: no
// sanitizing, no asset rewrite. Only desktop/windowcheck.sh builds with
// this tag, for its control run, which must see the hostile recordings
// run script and reach outside hosts; without it the check's detectors
// would prove nothing. No released binary carries the tag.
const unprotectedReplay = true
