#!/usr/bin/env bash
# Benchmark: wall time of `bek-new add` (render the grown project, rustfmt it, three-way merge
# against the pristine output in git, write, commit) on a fresh layered project, next to a
# `--dry-run` of the same add (everything but writing and committing). Median of 20 runs
# (after 3 warm-ups), by hyperfine; each run starts from a fresh copy of the project.
#
# Usage: bash benches/add.sh        (installs hyperfine from the distribution if missing)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
CARGO_TARGET_DIR="$repo/target" cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
bek="$repo/target/release/bek-new"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$bek" reference --yes >/dev/null
add='add invoice --field number:string:unique:max=32 --field amount:money:min=0 --field "status:enum(draft|paid):default=draft"'

hyperfine -N --warmup 3 --runs 20 --style basic --export-json "$work/results.json" \
  --prepare "bash -c 'rm -rf x && cp -r reference x'" \
  -n "bek-new add invoice (3 fields)" "bash -c 'cd x && exec $bek $add'" \
  -n "bek-new add invoice (3 fields) --dry-run" "bash -c 'cd x && exec $bek $add --dry-run'" \
  -n "cp -r of the project (the prepare step alone)" "bash -c 'rm -rf y && cp -r reference y'" >/dev/null

echo
python3 "$repo/benches/results-table.py" "$work/results.json"
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sm)"
