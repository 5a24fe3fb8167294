#!/usr/bin/env bash
# Benchmark: wall time to generate the fintech preset project (no git), next to `cp -r` of the
# very same tree and a `--dry-run` (render only). Median of 30 runs (after 3 warm-ups), by hyperfine.
#
# Usage: bash benches/render.sh        (installs hyperfine from the distribution if missing)
#   BENCH_DIR=/dev/shm   where the projects are written (default: the system's temporary
#                        folder); a RAM-backed folder takes the disk's own noise out
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
CARGO_TARGET_DIR="$repo/target" cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
bek="$repo/target/release/bek-new"

work=$(mktemp -d ${BENCH_DIR:+-p "$BENCH_DIR"})
trap 'rm -rf "$work"' EXIT
cd "$work"
"$bek" reference --preset fintech --yes --no-git >/dev/null
files=$(find reference -type f | wc -l)
echo "fintech preset project: $files files, $(du -sk reference | cut -f1) KiB"

hyperfine -N --warmup 3 --runs 30 --style basic --export-json "$work/results.json" \
  --prepare 'rm -rf x' \
  -n "bek-new --preset fintech --yes --no-git" "$bek x --preset fintech --yes --no-git" \
  -n "bek-new --preset fintech --yes (with git)" "$bek x --preset fintech --yes" \
  -n "bek-new --preset fintech --yes --dry-run" "$bek x --preset fintech --yes --dry-run" \
  -n "cp -r of the same tree" "cp -r reference x" >/dev/null

echo
python3 "$repo/benches/results-table.py" "$work/results.json"
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sm)"
