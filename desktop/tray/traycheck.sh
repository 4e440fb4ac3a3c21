#!/usr/bin/env bash
# Runs the tray companion for real: the loupe binary built with -tags tray,
# on a virtual X display (Xvfb) and a private D-Bus session bus
# (dbus-run-session), where the test plays the panel's StatusNotifierWatcher
# and the notification daemon. Leaves a screenshot of the tray's status
# window in artifacts/tray-status.png.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${LOUPE_BIN:-$PWD/bin}
mkdir -p "$BIN" artifacts
# LOUPE_TRAY_BIN picks a binary already built (e.g. dist/linux-amd64/loupe,
# which also carries the window).
if [ -z "${LOUPE_TRAY_BIN:-}" ]; then
  echo "tray-check: building loupe with the tray"
  go build -tags tray -o "$BIN/loupe-tray" .
  LOUPE_TRAY_BIN=$BIN/loupe-tray
fi

# A display of our own: a free number, torn down on exit.
disp=97
while [ -e "/tmp/.X11-unix/X$disp" ] || [ -e "/tmp/.X$disp-lock" ]; do disp=$((disp + 1)); done
Xvfb ":$disp" -screen 0 1024x700x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
trap 'kill $xvfb_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$disp" ] && break; sleep 0.1; done

LANG=en_US.UTF-8 DISPLAY=":$disp" LOUPE_TRAY_BIN="$LOUPE_TRAY_BIN" LOUPE_TRAY_SHOT="$PWD/artifacts/tray-status.png" \
  dbus-run-session -- go test -count=1 -tags traycheck -v ./desktop/tray/traycheck/
echo "tray-check: passed; screenshot in artifacts/tray-status.png"
