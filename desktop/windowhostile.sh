# The hostile part of desktop/windowcheck.sh, sourced by it (it uses its
# $tmp and $out). Every recording of the hostile corpus
# (core/rrweb/testdata/hostile) is replayed in the real window, in the
# player and in the heatmap, with the window and every process it starts
# (WebKit's web and network processes) under strace. It fails when
#
#   - any of them connects or sends to an address off this machine, or to
#     a name server anywhere (a lookup), or asks systemd-resolved: a
#     recording must not make the analyst's machine look up or contact
#     its hosts;
#   - any recorded script runs. Each vector's payload (which sets
#     parent.__pwned and fetches an outside host) is given a prefix that,
#     if it ever runs, paints its own document and the workbench's body
#     magenta, rgb(255,0,255), and fetches a canary port on 127.0.0.1: a
#     screenshot showing magenta, or a traced connect to the canary port,
#     is execution;
#   - a walk does not reach its end: an end marker, a recording of a
#     green page, must come on screen after every vector.
#
# The player walks the corpus as presenter playlists (each replay runs to
# its end, then the next opens); the heatmap walks its page picker with the
# keyboard (xdotool), one page per Down key. The corpus is split in two
# halves, each its own workspace with its own end marker, and the four
# walks run side by side, each window on its own X display under its own
# strace: a replay plays in real time, so one window for everything would
# take twice as long.
#
# The control: the same walks over a few vectors in a build of the window
# with every replay protection taken away (build tag unprotectedreplay: no
# sanitizing or asset rewrite, no content policy, an iframe sandbox that
# allows scripts). There each detector must fire (execution seen on screen
# and at the canary, lookups of outside hosts seen), or the check proves
# nothing.

ran='rgb(255,0,255)'
end_colour='rgb(0,170,85)'
end_name=zzzz-walk-end
hostile_dir=core/rrweb/testdata/hostile

# above X Y: true when the number X is larger than Y.
above() { awk -v x="$1" -v y="$2" 'BEGIN { exit !(x > y) }'; }

# derive DIR PORT VECTOR...: writes each vector with its payload prefixed
# by the execution signal, and the end marker, into DIR.
derive() {
  local dir=$1 port=$2 v signal
  shift 2
  mkdir -p "$dir"
  for v in "$@"; do
    # One expression (commas, no semicolon), so that it runs whole even
    # where a list splits the payload at semicolons (SVG values); the
    # workbench's body last, as reaching it throws from a sandboxed frame.
    signal="document.documentElement.style.background='$ran',fetch('http://127.0.0.1:$port/ran/$v'),top.document.body.style.background='$ran';"
    sed "s|parent\.__pwned=1;|${signal}parent.__pwned=1;|g" "$hostile_dir/$v.json" >"$dir/$v.json"
  done
  cat >"$dir/$end_name.json" <<EOF
[
{"type":4,"data":{"href":"http://hostile.test/$end_name","width":1024,"height":768},"timestamp":1764300000000},
{"type":2,"data":{"node":{"type":0,"id":1,"childNodes":[{"type":1,"id":2,"name":"html","publicId":"","systemId":""},{"type":2,"id":3,"tagName":"html","attributes":{"style":"background:$end_colour"},"childNodes":[{"type":2,"id":4,"tagName":"head","attributes":{},"childNodes":[]},{"type":2,"id":5,"tagName":"body","attributes":{"style":"background:$end_colour;height:2000px"},"childNodes":[{"type":2,"id":6,"tagName":"h1","attributes":{},"childNodes":[{"type":3,"id":7,"textContent":"End of the walk"}]}]}]}]},"initialOffset":{"left":0,"top":0}},"timestamp":1764300000010},
{"type":3,"data":{"source":1,"positions":[{"x":100,"y":100,"id":5,"timeOffset":0}]},"timestamp":1764300001000}
]
EOF
}

# xserver NAME: starts an X display of its own for walk NAME (Xvfb picks a
# free number) and sets display to it.
xserver() {
  Xvfb -displayfd 4 -screen 0 1280x800x24 -nolisten tcp 4>"$tmp/$1.display" >"$tmp/$1.xvfb.log" 2>&1 &
  echo $! >>"$tmp/pids"
  for _ in $(seq 50); do [ -s "$tmp/$1.display" ] && break; sleep 0.1; done
  display=":$(head -1 "$tmp/$1.display")"
}

# launch BIN WORKSPACE VIEW NAME: starts the window under strace on
# $display, tracing into $tmp/NAME.trace.*; sets wpid to strace's id.
launch() {
  DISPLAY=$display strace -f -ff -qq -o "$tmp/$4.trace" -e trace=connect,sendto,sendmsg,sendmmsg,execve \
    "$1" open --workspace "$2" --view "$3" >"$tmp/$4.log" 2>&1 &
  wpid=$!
  echo "$wpid" >>"$tmp/pids"
  walk=$4
}

# finish: stops the window (strace's child); strace ends with the last of
# its processes.
finish() {
  local child
  child=$(pgrep -P "$wpid" || true)
  [ -z "$child" ] || kill $child 2>/dev/null || true
  for _ in $(seq 20); do kill -0 "$wpid" 2>/dev/null || break; sleep 0.5; done
  kill "$wpid" 2>/dev/null || true
  wait "$wpid" 2>/dev/null || true
}

# alive WHAT: fails the check when the window has exited.
alive() {
  kill -0 "$wpid" 2>/dev/null && return 0
  cat "$tmp/$walk.log"
  echo "windowcheck: the window exited during $1" >&2
  exit 1
}

# look FILE [THUMB]: screenshots the display into FILE (PPM: no
# compression, so a screenshot costs little) with one ImageMagick call
# that also measures it and writes a thumbnail to THUMB. Sets ran_share
# and end_share, the fractions of the screen that are exactly magenta and
# the end marker's green; counts the screenshot in ran_seen, and keeps it
# in $out, when it shows magenta.
look() {
  local shares
  DISPLAY=$display import -window root "$1"
  shares=$(convert "$1" \( +clone -resize 320x200 -write "${2:-null:}" +delete \) \
    \( +clone -alpha off -fill black +opaque "$ran" -fill white -opaque "$ran" -format '%[fx:mean] ' -write info:- +delete \) \
    -alpha off -fill black +opaque "$end_colour" -fill white -opaque "$end_colour" -format '%[fx:mean]' info:-)
  read -r ran_share end_share <<<"$shares"
  if above "$ran_share" 0.0003; then
    ran_seen=$((ran_seen + 1))
    convert "$1" "$out/window-$walk-ran-$ran_seen.png"
  fi
}

# walk_player BIN WORKSPACE NAME VECTOR...: plays the vectors, then the
# end marker, as one presenter playlist; screenshots all along, and fails
# after 10 s a vector without the end marker. A replay is on screen for
# its whole length (2 s or more) before the next opens, so screenshots
# never 2 s apart see every vector; a longer gap fails the walk.
walk_player() {
  local bin=$1 ws=$2 name=$3 shot="$tmp/$3.ppm" n=0 start=$SECONDS limit rest
  local prev="" now gap=0
  shift 3
  limit=$((60 + 10 * $#))
  rest=$(printf '%s,' "${@:2}" "$end_name")
  launch "$bin" "$ws" "#/sessions/$1?present=1&playlist=${rest%,}" "$name"
  mkdir -p "$tmp/$name"
  while :; do
    alive "the $name walk"
    n=$((n + 1))
    look "$shot" "$tmp/$name/$(printf %04d $n).png"
    now=${EPOCHREALTIME//[.,]/}
    [ -z "$prev" ] || [ $((now - prev)) -le "$gap" ] || gap=$((now - prev))
    prev=$now
    above "$end_share" 0.15 && break
    if [ $((SECONDS - start)) -gt "$limit" ]; then
      convert "$shot" "$out/window-$name-stuck.png"
      echo "windowcheck: the $name playlist did not reach its end in ${limit}s (screen: $out/window-$name-stuck.png)" >&2
      exit 1
    fi
    sleep 0.5
  done
  finish
  if [ "$gap" -ge 2000000 ]; then
    echo "windowcheck: $name: screenshots came up to $((gap / 1000)) ms apart, so a vector may have gone unseen (the machine is too loaded)" >&2
    exit 1
  fi
  montage "$tmp/$name"/*.png -tile 16x -geometry 160x100+1+1 "$out/window-$name.png"
  echo "windowcheck: $name: $# vectors and the end marker played in $((SECONDS - start))s, $n screenshots, at most $((gap / 1000)) ms apart"
}

# changed A B: true when the two screenshots differ (screenshots of an
# unchanged screen are the same bytes).
changed() { ! cmp -s "$1" "$2"; }

# walk_heatmap BIN WORKSPACE NAME VECTOR...: opens the heatmap at the
# first vector's page, then presses Down in the page picker until the end
# marker's page shows; every page must come one key press after the last.
walk_heatmap() {
  local bin=$1 ws=$2 name=$3 shot="$tmp/$3.ppm" last="$tmp/$3-last.ppm" presses=0 start=$SECONDS
  shift 3
  launch "$bin" "$ws" "#/heatmaps?page=$(printf %s "/v/$1" | sed 's|/|%2F|g')" "$name"
  mkdir -p "$tmp/$name"
  # Drawn: the screen is no longer blank, and the page's frame is there
  # (the picker's first page).
  for _ in $(seq 60); do
    sleep 1
    alive "the $name walk"
    look "$shot"
    above "$(convert "$shot" -format '%[fx:standard_deviation]' info:)" 0.02 && break
  done
  settle "$shot" "$last" "$tmp/$name/0000.png"
  # The page picker: a click opens its list, Escape closes it and leaves
  # the picker focused; from then on Down selects the next page.
  # (500,122) is the picker in the 1280x800 window; a move of the
  # layout fails the walk below, at its first Down press.
  DISPLAY=$display xdotool mousemove 500 122 click 1
  until_changed "$shot" "$last" || { echo "windowcheck: $name: the page picker did not open" >&2; exit 1; }
  DISPLAY=$display xdotool key Escape
  settle "$shot" "$last"
  while :; do
    alive "the $name walk"
    DISPLAY=$display xdotool key Down
    presses=$((presses + 1))
    if ! until_changed "$shot" "$last"; then
      convert "$shot" "$out/window-$name-stuck.png"
      echo "windowcheck: $name: Down press $presses changed nothing on screen ($out/window-$name-stuck.png)" >&2
      exit 1
    fi
    settle "$shot" "$last" "$tmp/$name/$(printf %04d $presses).png"
    above "$end_share" 0.1 && break
    if [ "$presses" -gt $(($# + 5)) ]; then
      echo "windowcheck: $name: no end marker after $presses pages" >&2
      exit 1
    fi
  done
  finish
  montage "$tmp/$name"/*.png -tile 12x -geometry +1+1 "$out/window-$name.png"
  if [ "$presses" -ne "$#" ]; then
    echo "windowcheck: $name: the end marker came after $presses pages, not $#: the picker skipped or repeated pages" >&2
    exit 1
  fi
  echo "windowcheck: $name: $# pages and the end marker drawn in $((SECONDS - start))s"
}

# until_changed SHOT LAST: screenshots into SHOT until it differs from
# LAST; false after 12 s without a change.
until_changed() {
  for _ in $(seq 60); do
    sleep 0.2
    look "$1"
    changed "$1" "$2" && return 0
  done
  return 1
}

# settle SHOT LAST THUMB: screenshots until three in a row are the same
# (the view has finished drawing), leaving the last in both files and its
# thumbnail in THUMB.
settle() {
  local same=0
  for _ in $(seq 40); do
    sleep 0.3
    look "$2" "${3:-}"
    if changed "$1" "$2"; then same=0; else same=$((same + 1)); fi
    cp "$2" "$1"
    [ "$same" -lt 2 ] || return 0
  done
}

# offsite TRACE: prints every traced connect or send to an address off
# this machine, to port 53 anywhere, or to systemd-resolved.
offsite() {
  local bad
  bad=$(grep -hE 'sin6?_(addr|port)' "$1".* \
    | grep -vE 'inet_addr\("127\.|inet_pton\(AF_INET6, "::1"|inet_pton\(AF_INET6, "::ffff:127\.' || true)
  bad+=$'\n'$(grep -hE 'sin6?_port=htons\(53\)|/run/systemd/resolve/' "$1".* || true)
  echo "$bad" | sed '/^$/d' | sort -u
}

# canary TRACE PORT: prints every traced connect to the canary port.
canary() { grep -hE "sin6?_port=htons\($2\)" "$1".* || true; }

# traced TRACE WHAT: fails when strace did not see WebKit's network
# process connect: the trace would prove nothing.
traced() {
  if ! grep -hq 'WebKitNetworkProcess' "$1".* || ! grep -hq 'connect(' "$1".*; then
    echo "windowcheck: strace saw no WebKit network process in $2; the check would prove nothing" >&2
    exit 1
  fi
}

# walks KIND BIN WORKSPACE NAME VECTOR... [-- KIND ...]: runs the walks
# side by side, each on a display of its own, and waits for all; fails
# when one fails. Each walk leaves how many screenshots showed magenta in
# $tmp/NAME.ran.
walks() {
  local spec=() running=() names=() i failed=0
  while [ $# -gt 0 ]; do
    spec=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do spec+=("$1"); shift; done
    [ $# -eq 0 ] || shift
    (
      ran_seen=0
      xserver "${spec[3]}"
      "walk_${spec[0]}" "${spec[@]:1}"
      echo "$ran_seen" >"$tmp/${spec[3]}.ran"
    ) &
    running+=($!)
    names+=("${spec[3]}")
  done
  for i in "${!running[@]}"; do
    wait "${running[$i]}" || { echo "windowcheck: the ${names[$i]} walk failed" >&2; failed=1; }
  done
  [ "$failed" -eq 0 ] || exit 1
}

# verdict NAME PORT: what the trace and the screenshots of walk NAME saw,
# as counts: screenshots showing magenta, canary connects, lookups or
# connects off the machine.
verdict() {
  echo "$(cat "$tmp/$1.ran") $(canary "$tmp/$1.trace" "$2" | sed '/^$/d' | wc -l) $(offsite "$tmp/$1.trace" | sed '/^$/d' | wc -l)"
}

# hostile_walks: the control, then the corpus in the player and the heatmap.
hostile_walks() {
  local port=$((40000 + RANDOM % 20000)) vectors half start=$SECONDS name seen hits off
  mapfile -t vectors < <(cd "$hostile_dir" && ls -- *.json | sed 's/\.json$//' | LC_ALL=C sort)
  if [ "${#vectors[@]}" -lt 70 ]; then
    echo "windowcheck: only ${#vectors[@]} vectors in $hostile_dir" >&2
    exit 1
  fi
  command -v xdotool >/dev/null || { echo "windowcheck: xdotool is needed (.ci/deps installs it)" >&2; exit 1; }
  rm -f "$out"/window-*-ran-*.png

  # The control: in a window without its protections, script runs and
  # outside hosts are looked up, and each detector must say so.
  local control=(img-outside link-dns-prefetch onerror-img srcdoc-iframe url-javascript-iframe-src)
  echo "windowcheck: building the unprotected window for the control"
  go build -tags desktop,production,webkit2_41,unprotectedreplay -o "$tmp/loupe-window-unprotected" .
  derive "$tmp/control" "$port" "${control[@]}"
  bin/loupe import --workspace "$tmp/control.db" "$tmp/control"/*.json >/dev/null
  walks player "$tmp/loupe-window-unprotected" "$tmp/control.db" control-player "${control[@]}" \
    -- heatmap "$tmp/loupe-window-unprotected" "$tmp/control.db" control-heatmap "${control[@]}"
  for name in control-player control-heatmap; do
    traced "$tmp/$name.trace" "the $name walk"
    read -r seen hits off < <(verdict "$name" "$port")
    if [ "$seen" -eq 0 ] || [ "$hits" -eq 0 ] || [ "$off" -eq 0 ]; then
      echo "windowcheck: the unprotected window's $name walk was not caught: $seen screenshots showing $ran," \
        "$hits canary connects, $off distinct lookups or connects off the machine; the check would prove nothing" >&2
      exit 1
    fi
    echo "windowcheck: control $name caught: $seen screenshots showing $ran, $hits canary connects, $off distinct lookups or connects off the machine"
  done

  # The corpus, in the window as released, in two halves side by side.
  half=$(((${#vectors[@]} + 1) / 2))
  derive "$tmp/hostile-a" "$port" "${vectors[@]:0:half}"
  derive "$tmp/hostile-b" "$port" "${vectors[@]:half}"
  bin/loupe import --workspace "$tmp/hostile-a.db" "$tmp/hostile-a"/*.json >/dev/null
  bin/loupe import --workspace "$tmp/hostile-b.db" "$tmp/hostile-b"/*.json >/dev/null
  walks player bin/loupe-window "$tmp/hostile-a.db" player-a "${vectors[@]:0:half}" \
    -- player bin/loupe-window "$tmp/hostile-b.db" player-b "${vectors[@]:half}" \
    -- heatmap bin/loupe-window "$tmp/hostile-a.db" heatmap-a "${vectors[@]:0:half}" \
    -- heatmap bin/loupe-window "$tmp/hostile-b.db" heatmap-b "${vectors[@]:half}"
  for name in player-a player-b heatmap-a heatmap-b; do
    traced "$tmp/$name.trace" "the $name walk"
    read -r seen hits off < <(verdict "$name" "$port")
    if [ "$off" -gt 0 ]; then
      offsite "$tmp/$name.trace" | head -20 >&2
      echo "windowcheck: the window contacted another host or looked a name up in the $name walk" >&2
      exit 1
    fi
    if [ "$hits" -gt 0 ] || [ "$seen" -gt 0 ]; then
      canary "$tmp/$name.trace" "$port" | head -5 >&2
      echo "windowcheck: a recorded script ran in the $name walk: $hits canary connects, $seen screenshots showing $ran ($out/window-$name-ran-*.png)" >&2
      exit 1
    fi
    echo "windowcheck: $name: no script ran, no connection off the machine, no lookup ($(cat "$tmp/$name.trace".* | grep -c 'connect(') connects traced in $(ls "$tmp/$name.trace".* | wc -l) processes)"
  done
  echo "windowcheck: ${#vectors[@]} hostile vectors replayed in the window's player and heatmap: nothing ran, nothing left the machine (${SECONDS}s since the start, $((SECONDS - start))s for the hostile part with its control)"
}
