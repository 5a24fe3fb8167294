#!/usr/bin/env bash
# Benchmark: wall time of `bek-new add` (render the grown project, rustfmt it, three-way merge
# against the pristine output in git, write, commit) on a fresh default project and on a fresh
# fintech project (every capability: the largest project), each next to a `--dry-run` of the
# same add (everything but writing and committing). Median of 20 runs (after 3 warm-ups), by
# hyperfine; each run starts from fresh copies of the projects, whose git index is refreshed
# first (a copy changes every file's inode and times; a working tree in use has a fresh index).
#
# Usage: bash benches/add.sh        (installs hyperfine from the distribution if missing)
#   BENCH_DIR=/dev/shm   where the projects are copied (default: the system's temporary
#                        folder); a RAM-backed folder takes the disk's own noise out
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
CARGO_TARGET_DIR="$repo/target" cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
bek="$repo/target/release/bek-new"

work=$(mktemp -d ${BENCH_DIR:+-p "$BENCH_DIR"})
trap 'rm -rf "$work"' EXIT
cd "$work"
"$bek" reference --yes >/dev/null
"$bek" fintech --preset fintech --yes >/dev/null
add='add invoice --field number:string:unique:max=32 --field amount:money:min=0 --field "status:enum(draft|paid):default=draft"'

hyperfine -N --warmup 3 --runs 20 --style basic --export-json "$work/results.json" \
  --prepare "bash -c 'rm -rf x y && cp -r reference x && cp -r fintech y && git -C x status -s >/dev/null && git -C y status -s >/dev/null'" \
  -n "bek-new add invoice (3 fields), default project" "bash -c 'cd x && exec $bek $add'" \
  -n "bek-new add invoice (3 fields), default project, --dry-run" "bash -c 'cd x && exec $bek $add --dry-run'" \
  -n "bek-new add invoice (3 fields), fintech project" "bash -c 'cd y && exec $bek $add'" \
  -n "bek-new add invoice (3 fields), fintech project, --dry-run" "bash -c 'cd y && exec $bek $add --dry-run'" \
  -n "cp -r of both projects (the prepare step alone)" "bash -c 'rm -rf z w && cp -r reference z && cp -r fintech w'" >/dev/null

echo
python3 "$repo/benches/results-table.py" "$work/results.json"
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sm)"
