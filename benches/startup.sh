#!/bin/sh
# Start-up to first frame: gloss opening its bundled library next to `less`
# opening one of the same articles, each in a pseudo-terminal made by script(1).
#
# A `q` is piped in at once. Both programs draw their first screen before they
# read a key, so each run is: start, load, first frame, read `q`, restore the
# terminal, exit. The script checks that once before measuring.
#
# Usage: benches/startup.sh [RESULTS.md]
#   Writes hyperfine's Markdown table to RESULTS.md, or to stdout without it.
#   HYPERFINE_ARGS adds options, e.g. HYPERFINE_ARGS="--runs 200".
set -eu

cd "$(dirname "$0")/.."
results=${1:-}
article=articles/cultural-diplomacy-partnerships.md

if ! command -v hyperfine >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get install -y hyperfine || { apt-get update && apt-get install -y hyperfine; }
    else
        echo "startup.sh needs hyperfine: 'sudo apt-get install hyperfine'," \
            "'brew install hyperfine' or 'cargo install hyperfine'" >&2
        exit 1
    fi
fi
if ! script -qfec true /dev/null >/dev/null 2>&1; then
    echo "startup.sh needs script(1) from util-linux (with -q -f -e -c)" >&2
    exit 1
fi

cargo build --release --locked --bin gloss

data=$(mktemp -d)
table=$(mktemp)
trap 'rm -rf "$data" "$table"' EXIT
# Same terminal for both, whatever the caller's is (CI often has none).
TERM=xterm-256color
export TERM

# script(1) sizes its terminal from its own standard input, a pipe here, so the
# terminal would be 0x0: both commands set 80x24 first (the same cost for both).
size="stty rows 24 cols 80"
gloss_run="printf q | script -qfec '$size; exec target/release/gloss --data-dir $data' /dev/null"
less_run="printf q | script -qfec '$size; exec less $article' /dev/null"

# Each must quit on the piped `q` after drawing: gloss its library, less the text.
check() {
    name=$1 run=$2 expected=$3
    if ! out=$(timeout 10 sh -c "$run" 2>&1); then
        echo "startup.sh: '$name' did not start, draw and quit on 'q'" >&2
        exit 1
    fi
    if ! printf '%s' "$out" | grep -q "$expected"; then
        echo "startup.sh: '$name' quit without drawing '$expected'" >&2
        exit 1
    fi
}
check gloss "$gloss_run" "2 articles"
check less "$less_run" "Cultural diplomacy"

# shellcheck disable=SC2086 # HYPERFINE_ARGS is a list of options on purpose.
hyperfine --warmup 3 ${HYPERFINE_ARGS:-} --export-markdown "$table" \
    --command-name "gloss (library, first frame, q)" "$gloss_run" \
    --command-name "less $article (first page, q)" "$less_run"

if [ -n "$results" ]; then
    cp "$table" "$results"
    echo "results written to $results"
else
    cat "$table"
fi
