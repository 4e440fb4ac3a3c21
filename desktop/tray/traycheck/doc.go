// Package traycheck runs the real tray binary (`loupe tray`, built with
// -tags tray) on an X display and a private D-Bus session bus, playing the
// desktop's side of the protocols: the StatusNotifierWatcher the tray
// registers with, and the notification daemon its alerts go to. The test
// is built only with -tags traycheck; desktop/tray/traycheck.sh sets up
// Xvfb and the bus and runs it.
package traycheck
