#!/usr/bin/env bash
# Benchmark (not a test): throughput and p99 latency of a generated service (default decisions:
# SQLite, JWT, one entity `note`) next to benches/bare-axum, the same routes in plain axum
# without any middleware. PATCH, which bare axum does not serve, is measured on the generated
# service alone: 32 rows changed at once without If-Match, and one row changed by every
# connection at once (the writes take turns; none may fail).
# Both run in release mode against the same SQLite file and are loaded by wrk one at a time,
# alternating, for BENCH_ROUNDS rounds; the tables give each pair's median, so a noisy moment
# on a shared machine moves both sides or only one round.
#
# Usage: bash benches/service.sh      (installs wrk from the distribution if missing)
#   BENCH_SECONDS=10   duration of each wrk run
#   BENCH_ROUNDS=3     rounds of alternating runs
#   BENCH_COLD=1       build the generated project in a fresh target directory and report the
#                      cold build time (otherwise a shared, warm target directory is reused:
#                      $CARGO_TARGET_DIR, else ~/.cache/bek-new/bench-target)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=${BENCH_SECONDS:-10}
rounds=${BENCH_ROUNDS:-3}
shared_target=${CARGO_TARGET_DIR:-$HOME/.cache/bek-new/bench-target}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v curl >/dev/null || { echo "service.sh: needs curl" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

script=service.sh
# shellcheck source=benches/common.sh
source "$repo/benches/common.sh"

# measure TARGET ROUTE URL [wrk options...] [-- script arguments...]: one wrk run, appended
# to $work/runs as "target|route|req/s|p99 in ms".
measure() {
  local target=$1 route=$2 url=$3 out rps p99 bad
  shift 3
  out=$(run_wrk "$url" "$@")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000} print v}' <<<"$out")
  bad=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
  if [[ -n $bad ]]; then
    echo "service.sh: warning: $target $route answered $bad non-2xx responses; its numbers are not comparable" >&2
  fi
  echo "$target|$route|$rps|$p99" >>"$work/runs"
  echo "  $target $route: $rps req/s, p99 $p99 ms" >&2
}

echo "building bek-new and generating bench-svc..." >&2
CARGO_TARGET_DIR="$repo/target" cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
cat >"$work/entities.toml" <<'TOML'
[[entities]]
name = "note"
fields = [{ name = "title", type = "string", max = 80 }]
TOML
(cd "$work" && "$repo/target/release/bek-new" bench-svc --yes --no-git --answers "$work/entities.toml" >/dev/null)

if [[ ${BENCH_COLD:-0} == 1 ]]; then
  svc_target="$work/target"
  echo "building bench-svc cold (fresh target directory)..." >&2
  start=$(date +%s.%N)
  (cd "$work/bench-svc" && CARGO_TARGET_DIR="$svc_target" cargo build --release --quiet)
  cold=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
else
  svc_target=$shared_target
  echo "building bench-svc (shared target directory)..." >&2
  (cd "$work/bench-svc" && CARGO_TARGET_DIR="$svc_target" cargo build --release --quiet)
fi

# Built from a copy so that its Cargo.lock lands in the scratch directory, not in the repo.
echo "building bare-axum..." >&2
cp -r "$repo/benches/bare-axum" "$work/bare-axum"
CARGO_TARGET_DIR="$shared_target" cargo build --release --quiet --manifest-path "$work/bare-axum/Cargo.toml"

database="sqlite://$work/bench.db?mode=rwc"
secret=$(python3 -c 'import secrets; print(secrets.token_hex(32))')

svc_port=$(free_port)
svc_base="http://127.0.0.1:$svc_port"
# The rate limits are lifted: they would turn most of the load into 429s.
APP_ENV=production JWT_SECRET="$secret" RATE_LIMIT_PER_MINUTE=100000000 \
  AUTH_RATE_LIMIT_PER_MINUTE=100000000 LOG_LEVEL=warn PORT="$svc_port" DATABASE_URL="$database" \
  "$svc_target/release/bench-svc" >"$work/svc.log" 2>&1 &
svc=$!
pids+=("$svc")
wait_for "$svc_base/health" "$svc" "$work/svc.log"

credentials='{"email":"bench@example.com","password":"correct horse battery"}'
user_id=$(curl -fsS -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"correct horse battery","name":"Bench"}' \
  "$svc_base/v1/auth/register" | json_field id)
token=$(curl -fsS -H 'Content-Type: application/json' -d "$credentials" "$svc_base/v1/auth/login" |
  json_field access_token)

# The rows the PATCH runs change: one per connection, and one they all share.
note() {
  curl -fsS -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
    -d '{"title":"bench"}' "$svc_base/v1/notes" | json_field id
}
shared_note=$(note)
for _ in $(seq 32); do note; done >"$work/notes"
# PATCH with a new title each time; `ids` is the list the thread cycles through.
cat >"$work/patch.lua" <<'LUA'
local n = 0
function init(args)
  token, ids = args[1], {}
  for i = 2, #args do ids[#ids + 1] = args[i] end
end
function request()
  n = n + 1
  return wrk.format("PATCH", "/v1/notes/" .. ids[(n % #ids) + 1], {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, '{"title":"bench ' .. n .. '"}')
end
LUA
mapfile -t own_notes <"$work/notes"

# Started after the user exists; idle while the other server is loaded.
bare_port=$(free_port)
bare_base="http://127.0.0.1:$bare_port"
PORT="$bare_port" DATABASE_URL="$database" "$shared_target/release/bare-axum" >"$work/bare.log" 2>&1 &
bare=$!
pids+=("$bare")
wait_for "$bare_base/health" "$bare" "$work/bare.log"

echo "wrk: -t2 -c32 -d${seconds}s per run, $rounds rounds" >&2
for round in $(seq "$rounds"); do
  echo "round $round" >&2
  # Odd rounds load the generated service first, even rounds bare axum, so that neither
  # side always gets the first (or the second) half of a round.
  if ((round % 2)); then
    measure generated "GET /health" "$svc_base/health"
    measure bare "GET /health" "$bare_base/health"
  else
    measure bare "GET /health" "$bare_base/health"
    measure generated "GET /health" "$svc_base/health"
  fi
  measure generated "GET /v1/me" "$svc_base/v1/me" -H "Authorization: Bearer $token"
  measure bare "GET /v1/me/{id}" "$bare_base/v1/me/$user_id"
  measure generated "PATCH /v1/notes/{id}, 32 rows" "$svc_base" -s "$work/patch.lua" -- "$token" "${own_notes[@]}"
  measure generated "PATCH /v1/notes/{id}, 1 shared row" "$svc_base" -s "$work/patch.lua" -- "$token" "$shared_note"
done
stop "$svc"
stop "$bare"

echo
python3 - "$work/runs" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    target, route, rps, p99 = line.strip().split("|")
    runs.setdefault((target, route), []).append((float(rps), float(p99)))
print("| target | route | req/s (median) | p99 (median) | req/s per round |")
print("|---|---|---|---|---|")
medians = {}
for (target, route), values in runs.items():
    rps = statistics.median(v[0] for v in values)
    p99 = statistics.median(v[1] for v in values)
    medians[(target, route)] = rps
    each = ", ".join(f"{v[0]:.0f}" for v in values)
    print(f"| {target} | `{route}` | {rps:.0f} | {p99:.2f} ms | {each} |")
generated, bare = medians[("generated", "GET /health")], medians[("bare", "GET /health")]
print()
print(f"middleware overhead on /health: {(bare - generated) / bare * 100:.1f} % fewer req/s than bare axum (medians)")
# The two servers run one right after the other in each round, so a round's pair sees the
# same machine; the median of the per-round overheads is steadier than the overhead of the
# medians when the machine's speed drifts between rounds.
pairs = zip(runs[("generated", "GET /health")], runs[("bare", "GET /health")])
per_round = sorted((b[0] - g[0]) / b[0] * 100 for g, b in pairs)
each = ", ".join(f"{o:.1f}" for o in per_round)
print(f"per round: {each} %; median {statistics.median(per_round):.1f} %")
PY
if [[ -n ${cold:-} ]]; then
  echo "cold release build of bench-svc: $cold s"
fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sm)"
