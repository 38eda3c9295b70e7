#!/bin/sh
# `gloss search` next to `rg -F -i -c` on the synthetic 50 MB library (1,000
# Markdown articles from examples/gen_library.rs), for a frequent word and a
# rare one. Each command is a whole process, start-up included, its output
# thrown away; all are measured side by side in one hyperfine run:
#   - `gloss search WORD`: with its cache of parsed articles, as a person runs
#     it again and again (hyperfine's warm-up runs fill the cache);
#   - `gloss search --no-cache WORD`: parsing every file, as the first search
#     after the library changed does;
#   - `rg -F -i -c WORD`.
#
# Then the memory gloss needs to open the whole library (`gloss list`): its
# peak resident size next to the size of the text.
#
# Usage: benches/search_vs_rg.sh [LIBRARY-DIR] [RESULTS.md]
#   LIBRARY-DIR is generated there if it holds no article yet (default: a
#   temporary folder, removed afterwards). RESULTS.md receives hyperfine's
#   Markdown tables; without it they are printed.
#   HYPERFINE_ARGS adds options, e.g. HYPERFINE_ARGS="--runs 50".
set -eu

cd "$(dirname "$0")/.."
library=${1:-}
results=${2:-}

# Installs the Debian package $2 when command $1 is missing and we may.
need() {
    command -v "$1" >/dev/null 2>&1 && return
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get install -y "$2" || { apt-get update && apt-get install -y "$2"; }
    else
        echo "search_vs_rg.sh needs $1: 'sudo apt-get install $2' or 'cargo install $2'" >&2
        exit 1
    fi
}
need hyperfine hyperfine
need rg ripgrep

cargo build --release --locked --bin gloss --example gen_library

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/data"
if [ -z "$library" ]; then
    library="$work/library"
fi
if ! ls "$library"/*.md >/dev/null 2>&1; then
    target/release/examples/gen_library "$library"
fi

gloss="target/release/gloss"
tables="$work/tables.md"
: >"$tables"
for word in funding quokka; do
    printf '\n### %s\n\n' "$word" >>"$tables"
    # shellcheck disable=SC2086 # HYPERFINE_ARGS is a list of options on purpose.
    hyperfine -N --warmup 3 ${HYPERFINE_ARGS:-} --export-markdown "$work/one.md" \
        --command-name "gloss search $word" \
        "$gloss search $word --library $library --data-dir $work/data" \
        --command-name "gloss search --no-cache $word" \
        "$gloss search --no-cache $word --library $library --data-dir $work/data" \
        --command-name "rg -F -i -c $word" \
        "rg -F -i -c $word $library"
    cat "$work/one.md" >>"$tables"
done

# Peak memory of opening everything, as the reader does.
text_bytes=$(cat "$library"/*.md | wc -c)
if /usr/bin/time -v true >/dev/null 2>&1; then
    peak_kb=$(/usr/bin/time -v "$gloss" list --library "$library" --data-dir "$work/data" \
        2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p')
    printf '\n### memory\n\ngloss list: peak resident %s KB for %s bytes of Markdown (%s×)\n' \
        "$peak_kb" "$text_bytes" \
        "$(awk "BEGIN { printf \"%.2f\", $peak_kb * 1024 / $text_bytes }")" >>"$tables"
else
    echo "no GNU time (/usr/bin/time -v): memory not measured" >&2
fi

if [ -n "$results" ]; then
    cp "$tables" "$results"
    echo "results written to $results"
else
    cat "$tables"
fi
