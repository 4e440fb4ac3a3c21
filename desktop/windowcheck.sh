#!/usr/bin/env bash
# Starts the real workbench window under Xvfb on a workspace imported from
# recorded rrweb streams, screenshots the sessions list and the player, and
# fails when either screenshot is blank. Screenshots go to
# artifacts/screenshots/window.png, window-player.png and window-alerts.png.
#
# Then it replays every recording of the hostile corpus
# (core/rrweb/testdata/hostile) in the window's player and heatmap under
# strace, after a control run in a build without the replay protections,
# and fails when a recorded script runs or anything leaves the machine
# (desktop/windowhostile.sh says how each is seen).
#
#   desktop/windowcheck.sh            both checks
#   desktop/windowcheck.sh --hostile  the hostile check only
#
# Needs: Go, libgtk-3-dev, libwebkit2gtk-4.1-dev, xvfb, imagemagick, strace,
# xdotool.
set -euo pipefail
mode=${1:-all}
cd "$(dirname "$0")/.."
out=artifacts/screenshots
mkdir -p "$out" bin
tmp=$(mktemp -d)
pids=()
cleanup() {
  # Walks that run side by side note their windows and displays in
  # $tmp/pids.
  [ ! -f "$tmp/pids" ] || mapfile -t -O "${#pids[@]}" pids <"$tmp/pids"
  # A window under strace is strace's child: stop it first, as strace
  # would leave it running.
  for p in "${pids[@]}"; do
    for c in $(pgrep -P "$p" || true); do kill "$c" 2>/dev/null || true; done
    kill "$p" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  # Those are not all this shell's children: wait for them to go before
  # removing the folder they write to.
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "windowcheck: building the window binary"
go build -tags desktop,production,webkit2_41 -o bin/loupe-window .
go build -o bin/loupe .

fixtures=(desktop/testdata/*.json)
player=scroll
if [ -f ../shared/corpus/rrweb-fixtures/rrweb-player-public-events.json ]; then
  fixtures+=(../shared/corpus/rrweb-fixtures/rrweb-player-public-events.json)
  player=rrweb-player-public-events
fi
bin/loupe import --workspace "$tmp/ws.db" "${fixtures[@]}" >/dev/null

# -displayfd picks a free display number, so parallel runs do not collide.
exec 3>"$tmp/display"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -s "$tmp/display" ] && break; sleep 0.1; done
display=":$(head -1 "$tmp/display")"

# shoot VIEW FILE [WORKSPACE]: opens the window on a view, waits for it to
# draw, screenshots the screen and checks the picture is not blank.
shoot() {
  local view=$1 file=$2 ws=${3:-$tmp/ws.db}
  DISPLAY=$display bin/loupe-window open --workspace "$ws" --view "$view" >"$tmp/window.log" 2>&1 &
  local pid=$!
  pids+=($pid)
  local sd=0
  for _ in $(seq 30); do
    sleep 1
    kill -0 "$pid" 2>/dev/null || { cat "$tmp/window.log"; echo "windowcheck: the window exited early" >&2; exit 1; }
    DISPLAY=$display import -window root "$file"
    sd=$(convert "$file" -format '%[fx:standard_deviation]' info:)
    # The UI draws text, tables and the replay: a blank or single-colour
    # screen has a deviation near 0.
    if awk -v s="$sd" 'BEGIN { exit !(s > 0.02) }'; then
      # Drawn: give the view (and the replay) a moment to settle, then
      # take the picture that is kept.
      sleep 4
      DISPLAY=$display import -window root "$file"
      sd=$(convert "$file" -format '%[fx:standard_deviation]' info:)
      break
    fi
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if ! awk -v s="$sd" 'BEGIN { exit !(s > 0.02) }'; then
    cat "$tmp/window.log"
    echo "windowcheck: $file looks blank (standard deviation $sd)" >&2
    exit 1
  fi
  echo "windowcheck: $file ok (standard deviation $sd)"
}

# The hostile corpus in the player and the heatmap: hostile_walks.
. desktop/windowhostile.sh

if [ "$mode" = "--hostile" ]; then
  hostile_walks
  exit 0
fi

shoot '#/sessions' "$out/window.png"
shoot "#/sessions/$player?t=3000" "$out/window-player.png"
# The alerts view: the window starts the alert schedule and its D-Bus
# notifier, which must not stop it when no notification daemon runs.
shoot '#/alerts' "$out/window-alerts.png"

# The player must have replaced the list: the two pictures differ.
diff=$({ compare -metric RMSE "$out/window.png" "$out/window-player.png" null: 2>&1 || true; } | sed -E 's/.*\(([0-9.e-]+)\).*/\1/')
if ! awk -v d="$diff" 'BEGIN { exit !(d > 0.02) }'; then
  echo "windowcheck: the player view looks like the list (difference $diff)" >&2
  exit 1
fi
echo "windowcheck: the player view differs from the list (difference $diff)"

# Page assets: a recording whose archive carries a red PNG and a stylesheet
# with a blue background image replays from the window's own /asset/ paths
# (the asset server's handler), so both colours must be on screen.
go run ./assets/workbench/test/assetfixture "$tmp/assets.loupe"
bin/loupe import --workspace "$tmp/assets.db" "$tmp/assets.loupe" >/dev/null
shoot '#/sessions/s_assetfixture?t=1000' "$out/window-assets.png" "$tmp/assets.db"
for colour in 'rgb(220,40,40)' 'rgb(30,90,200)'; do
  share=$(convert "$out/window-assets.png" -fill black +opaque "$colour" -format '%[fx:mean]' info:)
  if ! awk -v s="$share" 'BEGIN { exit !(s > 0) }'; then
    echo "windowcheck: the replay shows no $colour: a stored asset did not load in the window" >&2
    exit 1
  fi
done
echo "windowcheck: the replay in the window loads its stored image and stylesheet"

hostile_walks
