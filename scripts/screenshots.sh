#!/usr/bin/env bash
# Remake the README screenshots (assets/*.png) from gloss running in a real
# terminal: build the release binary, run it inside a detached tmux session of a
# fixed size, drive it with keys, capture the screen with its colours, turn the
# capture into HTML (scripts/ansi_to_html.py) and render that with headless
# Chromium. Safe to re-run; it leaves no tmux session or temporary files behind.
#
# Usage: scripts/screenshots.sh
# Environment: CHROMIUM (browser binary), SCALE (device pixel ratio, default 2).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COLS=100
ROWS=30
SCALE=${SCALE:-2}
GLOSS="${CARGO_TARGET_DIR:-$ROOT/target}/release/gloss"
SESSION=gloss
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gloss-screenshots.XXXXXX")
# A private tmux server whose socket lives (and goes) with the temporary folder.
SOCKET="$WORK/tmux.sock"
export LC_ALL=C.UTF-8 LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1

cleanup() {
    tmux -S "$SOCKET" kill-server 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf 'screenshots: %s\n' "$*" >&2; }
die() {
    say "$*"
    exit 1
}

find_chromium() {
    local candidate
    for candidate in "${CHROMIUM:-}" chromium chromium-browser google-chrome; do
        if [[ -n $candidate ]] && command -v "$candidate" >/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

# tmux, python3 and a headless browser with fonts for Latin, CJK and box drawing.
ensure_tools() {
    local missing=()
    command -v tmux >/dev/null || missing+=(tmux)
    command -v python3 >/dev/null || missing+=(python3)
    find_chromium >/dev/null || missing+=(chromium)
    [[ -n $(fc-list 'DejaVu Sans Mono' 2>/dev/null) ]] || missing+=(fonts-dejavu-core)
    [[ -n $(fc-list :lang=zh 2>/dev/null) ]] || missing+=(fonts-wqy-zenhei)
    ((${#missing[@]} == 0)) && return 0
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        say "installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        die "missing ${missing[*]}; install them (Debian: apt-get install ${missing[*]})"
    fi
}

tmux_() { TERM=xterm-256color tmux -u -S "$SOCKET" "$@"; }

# The screen as plain text, and with its colours and attributes.
screen_text() { tmux_ capture-pane -p -t "$SESSION"; }
screen_styled() { tmux_ capture-pane -p -e -N -t "$SESSION"; }

# Wait until the screen differs from BEFORE, shows WANT, and has stopped
# changing (the same styled capture several polls in a row).
settle() {
    local before=$1 want=$2
    local deadline=$((SECONDS + 20)) last="" now stable=0
    while ((SECONDS < deadline)); do
        now=$(screen_styled)
        if [[ $now != "$before" && $(screen_text) == *"$want"* ]]; then
            if [[ $now == "$last" ]]; then
                stable=$((stable + 1))
                ((stable >= 4)) && return 0
            else
                stable=0
            fi
        fi
        last=$now
        sleep 0.05
    done
    say "the screen never showed '$want'; it shows:"
    screen_text >&2
    exit 1
}

# press WANT KEY...: send keys one at a time, each time waiting for the screen to
# change and settle, then check that it shows WANT.
press() {
    local want=$1 key before
    shift
    for key in "$@"; do
        before=$(screen_styled)
        tmux_ send-keys -t "$SESSION" "$key"
        settle "$before" ""
    done
    [[ $(screen_text) == *"$want"* ]] || settle "" "$want"
}

start_gloss() {
    local data
    data=$(mktemp -d "$WORK/data.XXXXXX")
    tmux_ kill-session -t "$SESSION" 2>/dev/null || true
    tmux_ -f "$WORK/tmux.conf" new-session -d -s "$SESSION" -x "$COLS" -y "$ROWS" \
        env -u GLOSS_DATA_DIR TERM=tmux-256color COLORTERM=truecolor \
        "$GLOSS" --data-dir "$data"
    settle "" "gloss"
}

shoot() {
    local name=$1 size width height chromium
    screen_styled >"$WORK/$name.ans"
    size=$(python3 "$ROOT/scripts/ansi_to_html.py" "$WORK/$name.ans" "$WORK/$name.html" \
        --cols "$COLS" --rows "$ROWS" --title "gloss: $name")
    read -r width height <<<"$size"
    chromium=$(find_chromium)
    "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$(mktemp -d "$WORK/chromium.XXXXXX")" --hide-scrollbars \
        --force-device-scale-factor="$SCALE" --window-size="$width,$height" \
        --screenshot="$WORK/$name.png" "file://$WORK/$name.html" \
        >"$WORK/chromium.log" 2>&1 || {
        cat "$WORK/chromium.log" >&2
        die "chromium could not render $name"
    }
    [[ -s $WORK/$name.png ]] || die "chromium wrote no picture for $name"
    mkdir -p "$ROOT/assets"
    mv "$WORK/$name.png" "$ROOT/assets/$name.png"
    say "assets/$name.png (${width}x${height} at ${SCALE}x)"
}

main() {
    ensure_tools
    # The converter's own checks first: a broken converter makes wrong pictures.
    python3 -m doctest "$ROOT/scripts/ansi_to_html.py" || die "ansi_to_html.py fails its checks"
    say "building the release binary"
    (cd "$ROOT" && cargo build --release --locked --quiet)
    cat >"$WORK/tmux.conf" <<'EOF'
set -g default-terminal tmux-256color
set -g status off
set -g escape-time 0
set -s exit-empty off
EOF

    # The library: the bundled articles, the first one selected.
    start_gloss
    press " articles"
    shoot library

    # Reading: the first article, the cursor a few sentences in, so the lit
    # sentence and the gutter bar show.
    press "READ" Enter
    press "READ" j j j
    shoot reader

    # The outline beside the text: the second article, two sections in, where a
    # paragraph carries the wide characters 成果.
    start_gloss
    press " articles" j
    press "READ" Enter
    press "READ" "]" "]"
    press "Outline" o
    shoot outline

    # Highlights: two passages in two colours, one tagged and with a note.
    start_gloss
    press "READ" Enter
    press "READ" j
    press "highlighted" h
    press "TAGS" t
    tmux_ send-keys -t "$SESSION" -l "funding, exchange"
    press "tagged" Enter
    press "NOTE" a
    tmux_ send-keys -t "$SESSION" -l "Compare with the 2019 programme review."
    press "note saved" C-s
    press "READ" j j
    press "SELECT" v j
    press "highlighted" h
    press "now green" h
    shoot highlights

    # The keyword filter: only the passages that mention trust.
    start_gloss
    press "READ" Enter
    press "FILTER" /
    tmux_ send-keys -t "$SESSION" -l "trust"
    press "match" Enter
    shoot filter

    # The tag browser, from the library.
    press "READ" Escape
    press "highlighted" j h
    press "TAGS" t
    tmux_ send-keys -t "$SESSION" -l "metrics"
    press "tagged" Enter
    press "Tags" T
    press "metrics" Enter
    shoot tags
}

main "$@"
