#!/usr/bin/env bash
# Runs the tray companion for real: the loupe binary as shipped (window and
# tray, -tags desktop,production,webkit2_41,tray), on a virtual X display
# (Xvfb) and a private D-Bus session bus (dbus-run-session), where the test
# plays the panel's StatusNotifierWatcher and the notification daemon.
# Leaves screenshots of the tray's status window and of the workbench it
# opens in artifacts/.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${LOUPE_BIN:-$PWD/bin}
mkdir -p "$BIN" artifacts
# LOUPE_TRAY_BIN picks a binary already built (e.g. dist/linux-amd64/loupe);
# LOUPE_TRAY_WINDOW=0 says it has no window.
if [ -z "${LOUPE_TRAY_BIN:-}" ]; then
  echo "tray-check: building loupe with the window and the tray"
  go build -tags desktop,production,webkit2_41,tray -o "$BIN/loupe-tray" .
  LOUPE_TRAY_BIN=$BIN/loupe-tray
fi
export LOUPE_TRAY_WINDOW=${LOUPE_TRAY_WINDOW:-1}

# A display of our own: a free number, torn down on exit.
disp=97
while [ -e "/tmp/.X11-unix/X$disp" ] || [ -e "/tmp/.X$disp-lock" ]; do disp=$((disp + 1)); done
Xvfb ":$disp" -screen 0 1024x700x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
trap 'kill $xvfb_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$disp" ] && break; sleep 0.1; done

LANG=en_US.UTF-8 DISPLAY=":$disp" LOUPE_TRAY_BIN="$LOUPE_TRAY_BIN" LOUPE_TRAY_SHOT="$PWD/artifacts/tray-status.png" \
  LOUPE_TRAY_WINDOW_SHOT="$PWD/artifacts/tray-workbench.png" \
  dbus-run-session -- go test -count=1 -tags traycheck -v ./desktop/tray/traycheck/
echo "tray-check: passed; screenshots in artifacts/tray-status.png and artifacts/tray-workbench.png"
