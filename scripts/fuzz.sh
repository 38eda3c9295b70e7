#!/usr/bin/env bash
# Runs each fuzz target of fuzz/ for a while (default 60 s each): the parsers
# of everything gloss reads from outside (articles, annotations.ron,
# config.ron, documents to import). Meant for a schedule, not for CI.
# Needs cargo-fuzz (`cargo install cargo-fuzz`); on a stable toolchain,
# RUSTC_BOOTSTRAP=1 lets it pass the sanitizer flags it needs.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${1:-60}"
for target in article annotations config import; do
  echo "== $target ($seconds s)"
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" -- -max_total_time="$seconds"
done
