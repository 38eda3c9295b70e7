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
#   LIBRARY=DIR also times gloss opening the library folder DIR (say the
#   1,000-article one from examples/gen_library.rs) to its first frame, once
#   the parsed articles are in its cache (as after any earlier open: here a
#   `gloss list`), and, with a new data folder each run, before they are.
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
if ! script -qfec true /dev/null </dev/null >/dev/null 2>&1; then
    echo "startup.sh needs script(1) from util-linux (with -q -f -e -c)" >&2
    exit 1
fi

cargo build --release --locked --bin gloss

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/data"
mkfifo "$work/exited"
table="$work/results.md"
# Same terminal for both, whatever the caller's is (CI often has none).
TERM=xterm-256color
export TERM

# How each run is driven, and why it is not simply `printf q | script ...`:
# - script(1) sizes its terminal from its own standard input, a pipe here, so
#   the terminal would be 0x0: every program gets 80x24 from stty first, in raw
#   mode so that the `q` is readable at once, as a key typed by a person is.
# - When its input ends while the `q` is still unread (the program is starting),
#   script waits 250 ms before passing the end on, and it only exits once its
#   input has ended. So the input is held open until the program exits: the
#   program keeps the write end of a FIFO open, and `cat` on the read end
#   returns exactly when it exits. The same harness wraps every program, and a
#   run of `head -c 1` (read the key, exit) shows what the harness costs.
drive() {
    printf '{ printf q; cat %s; } | script -qfec %s /dev/null' "$work/exited" \
        "'stty rows 24 cols 80 raw -echo; exec $1 3>$work/exited'"
}
gloss_run=$(drive "target/release/gloss --data-dir $work/data")
less_run=$(drive "less $article")
harness_run=$(drive "head -c 1")

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
check gloss "$gloss_run" " articles"
check less "$less_run" "Cultural diplomacy"
check harness "$harness_run" "q"
library_run=""
if [ -n "${LIBRARY:-}" ]; then
    target/release/gloss --data-dir "$work/data" --library "$LIBRARY" list >/dev/null
    library_run=$(drive "target/release/gloss --data-dir $work/data --library $LIBRARY")
    check "gloss --library" "$library_run" " articles"
    # A data folder of its own each run: nothing cached.
    uncached_run=$(drive "target/release/gloss --data-dir \$(mktemp -d -p $work) --library $LIBRARY")
    check "gloss --library, uncached" "$uncached_run" " articles"
fi

set -- --command-name "gloss (library, first frame, q)" "$gloss_run" \
    --command-name "less $article (first page, q)" "$less_run" \
    --command-name "harness only (head -c 1)" "$harness_run"
if [ -n "$library_run" ]; then
    set -- "$@" --command-name "gloss --library $LIBRARY (first frame, q)" "$library_run" \
        --command-name "gloss --library $LIBRARY, nothing cached (first frame, q)" "$uncached_run"
fi
# shellcheck disable=SC2086 # HYPERFINE_ARGS is a list of options on purpose.
hyperfine --warmup 3 ${HYPERFINE_ARGS:-} --export-markdown "$table" "$@"

if [ -n "$results" ]; then
    cp "$table" "$results"
    echo "results written to $results"
else
    cat "$table"
fi
