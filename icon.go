package main

import _ "embed"

// appIcon is Loupe's icon, shown by the tray.
//
//go:embed build/appicon.png
var appIcon []byte
