#!/usr/bin/env bash
# Benchmark (not a test): what an operator sees before putting a generated service behind a
# load balancer. A release build in production mode on PostgreSQL, reached through a TCP
# forwarder this script owns (the machine's server is never stopped):
#   1. resident memory at idle, during bursts of valid logins (4 and 64 connections, rate
#      limits lifted) and a minute after the burst; logins/s and the share of 503 answers;
#   2. the forwarder stopped (the database is unreachable): how long /health/ready and a data
#      route take to answer, and with what; then the forwarder restarted: how long until the
#      service is ready again, with no restart of its own.
#
# Usage: bash benches/logins.sh [PROJECT_DIR]   (installs wrk from the distribution if missing)
#   PROJECT_DIR        a generated PostgreSQL project to measure; by default the default
#                      project (`bek-new bench --db postgres --yes`) is generated
#   BENCH_SECONDS=20   duration of each wrk run
#   BENCH_SETTLE=60    seconds to wait after the burst before reading memory again
#   BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432
#                      a PostgreSQL server where this user may create a database; one is
#                      created and dropped again
# The project is built in a shared, warm target directory: $CARGO_TARGET_DIR, else
# ~/.cache/bek-new/bench-target.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=${BENCH_SECONDS:-20}
settle=${BENCH_SETTLE:-60}
postgres=${BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
shared_target=${CARGO_TARGET_DIR:-$HOME/.cache/bek-new/bench-target}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
for tool in curl psql python3; do
  command -v "$tool" >/dev/null || { echo "logins.sh: needs $tool" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
database=""
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  [[ -z $database ]] || psql -q "$postgres/postgres" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

script=logins.sh
# shellcheck source=benches/common.sh
source "$repo/benches/common.sh"

if (($#)); then
  project=$(cd "$1" && pwd)
else
  echo "building bek-new and generating the default PostgreSQL project..." >&2
  CARGO_TARGET_DIR="$repo/target" cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
  (cd "$work" && "$repo/target/release/bek-new" bench --db postgres --yes --no-git >/dev/null)
  project="$work/bench"
fi
grep -q '^database = "postgres"' "$project/bek.toml" ||
  { echo "logins.sh: $project is not a PostgreSQL project (bek.toml)" >&2; exit 2; }
name=$(python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["name"])' "$project/bek.toml")
echo "building $name in release mode (shared target directory)..." >&2
(cd "$project" && CARGO_TARGET_DIR="$shared_target" cargo build --release --quiet)
binary="$shared_target/release/$name"

database="bek_bench_logins_$$_$(date +%s)"
psql -q "$postgres/postgres" -c "CREATE DATABASE $database" >/dev/null

# The forwarder: a plain TCP relay from a local port to the PostgreSQL server. Killing it makes
# the database unreachable (connections refused); starting it again brings it back.
upstream=$(python3 -c 'import sys, urllib.parse; u = urllib.parse.urlsplit(sys.argv[1]); print(u.hostname or "127.0.0.1", u.port or 5432)' "$postgres")
cat >"$work/relay.py" <<'PY'
import asyncio, sys

listen_port, host, port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])

async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    finally:
        writer.close()

async def client(reader, writer):
    try:
        up_reader, up_writer = await asyncio.open_connection(host, port)
    except OSError:
        writer.close()
        return
    await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

async def main():
    server = await asyncio.start_server(client, "127.0.0.1", listen_port)
    async with server:
        await server.serve_forever()

asyncio.run(main())
PY
relay_port=$(free_port)
relay=""
start_relay() {
  # shellcheck disable=SC2086
  python3 "$work/relay.py" "$relay_port" $upstream &
  relay=$!
  pids+=("$relay")
  for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$relay_port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "logins.sh: the forwarder did not start" >&2
  exit 1
}
start_relay
url_path=${postgres#*://}
credentials=${url_path%%@*}
[[ $credentials == "$url_path" ]] && credentials="" || credentials="$credentials@"
database_url="postgres://${credentials}127.0.0.1:$relay_port/$database"

port=$(free_port)
base="http://127.0.0.1:$port"
env_vars=(
  APP_ENV=production LOG_LEVEL=warn PORT="$port" DATABASE_URL="$database_url"
  JWT_SECRET="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
  PSP_WEBHOOK_SECRET="whsec_$(python3 -c 'import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())')"
  CORS_ALLOWED_ORIGINS=https://app.example.com
  RATE_LIMIT_PER_MINUTE=1000000000 AUTH_RATE_LIMIT_PER_MINUTE=1000000000
)
env "${env_vars[@]}" "$binary" >"$work/service.log" 2>&1 &
service=$!
pids+=("$service")
wait_for "$base/health/ready" "$service" "$work/service.log"

rss_mib() {
  awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$service/status"
}
idle=$(rss_mib)
password='correct horse battery staple'
curl -fsS -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"email\":\"bench@example.com\",\"password\":\"$password\",\"name\":\"Bench\"}" "$base/v1/auth/register"

# Counts answers by status across wrk's threads.
cat >"$work/login.lua" <<LUA
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"bench@example.com","password":"$password"}'
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(total) do table.insert(parts, status .. "=" .. count) end
  table.sort(parts)
  io.write("statuses: " .. table.concat(parts, " ") .. "\n")
end
LUA

# status_count STATUS: how many answers of the last wrk run had this status.
status_count() {
  local count
  count=$(sed -n "s/^statuses:.* $1=\([0-9]*\).*/\1/p" "$work/wrk.out")
  echo "${count:-0}"
}

# burst CONNECTIONS: one wrk run of logins while memory is sampled every 200 ms.
burst() {
  local connections=$1 threads=2 out peak=0 now answered served busy
  ((connections < threads)) && threads=$connections
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 30s -s "$work/login.lua" "$base/v1/auth/login" >"$work/wrk.out" &
  local load=$!
  while kill -0 "$load" 2>/dev/null; do
    now=$(rss_mib)
    peak=$(python3 -c "print(max($peak, $now))")
    sleep 0.2
  done
  wait "$load"
  out=$(cat "$work/wrk.out")
  answered=$(awk '/requests in/ {print $1}' <<<"$out")
  served=$(status_count 200)
  busy=$(status_count 503)
  printf '%s|%s|%s|%s|%s\n' "$connections" \
    "$(python3 -c "print(round(${served:-0} / $seconds, 1))")" \
    "$(python3 -c "print(round(100 * ${busy:-0} / max(1, $answered), 2))")" \
    "$peak" "$(grep '^statuses:' <<<"$out" | cut -d' ' -f2-)"
}

registered=$(rss_mib)
echo "measuring logins ($seconds s per run)..." >&2
echo "connections|logins/s|503 %|peak RSS MiB|answers" >"$work/bursts"
burst 4 >>"$work/bursts"
burst 64 >>"$work/bursts"
after_burst=$(rss_mib)
echo "waiting $settle s after the burst..." >&2
sleep "$settle"
settled=$(rss_mib)

# time_request METHOD PATH: "status seconds" of one request.
time_request() {
  local method=$1 path=$2
  curl -s -o /dev/null -w '%{http_code} %{time_total}' -X "$method" -H 'Content-Type: application/json' \
    -d "{\"email\":\"bench@example.com\",\"password\":\"$password\"}" --max-time 30 "$base$path"
}

echo "stopping the forwarder: the database is unreachable..." >&2
kill "$relay" && wait "$relay" 2>/dev/null || true
echo "request|answers (status seconds)" >"$work/outage"
# The data route first: nothing has told the service yet that the database is gone.
for route in "POST /v1/auth/login" "GET /health/ready"; do
  answers=()
  for _ in 1 2 3 4 5; do
    # shellcheck disable=SC2086
    answers+=("$(time_request $route)")
  done
  echo "$route|$(IFS=,; echo "${answers[*]}")" >>"$work/outage"
done
echo "starting the forwarder again..." >&2
start_relay
started=$(date +%s.%N)
until [[ $(curl -s -o /dev/null -w '%{http_code}' "$base/health/ready") == 200 ]]; do
  sleep 0.05
done
recovered=$(python3 -c "print(round($(date +%s.%N) - $started, 2))")
login=$(time_request POST /v1/auth/login)

cpus=$(nproc)
cat <<REPORT

$name on $cpus CPUs, release build, APP_ENV=production, PostgreSQL through a forwarder
resident memory: idle $idle MiB, after one registration $registered MiB, right after the bursts $after_burst MiB, $settle s later $settled MiB

$(column -t -s'|' "$work/bursts")

database unreachable (forwarder stopped):
$(column -t -s'|' "$work/outage")
forwarder back: ready again after $recovered s; then a login answered: $login
REPORT
