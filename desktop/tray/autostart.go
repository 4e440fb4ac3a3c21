package tray

// Autostart starts the tray when the analyst logs in. Where it is kept
// depends on the system: an XDG autostart entry on Linux and the BSDs
// (autostart_xdg.go), the per-user Run registry key on Windows
// (autostart_windows.go); macOS has none yet (autostart_darwin.go).
type Autostart struct {
	// Command is the program and arguments to start, e.g.
	// ["/usr/bin/loupe", "tray", "--workspace", "/home/a/w.db"].
	Command []string
	// Where overrides the place the entry is written (tests); "" uses the
	// system's place.
	Where string
}
