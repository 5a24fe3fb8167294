#!/usr/bin/env bash
# Benchmark (not a test): throughput and p99 latency of a generated service on PostgreSQL (the
# fintech preset with the entities of scripts/e2e-entities.toml, hexagonal) next to
# benches/bare-axum's bare-axum-pg, the same three routes in plain axum + sqlx without any
# middleware, auth, idempotency store, fraud rules, audit chain or outbox:
#   GET  /v1/customers/{id}   one row by primary key
#   POST /v1/customers        one INSERT (unique email per request)
#   POST /v1/transfers        1 minor unit between two accounts, direction alternating
# and, on the generated service alone (bare axum has no PATCH route),
#   PATCH /v1/customers/{id}  every connection renames the same row, without If-Match: the
#                             writes take turns on the row lock and none may fail
# Each server gets its own fresh database, migrated by the generated binary's `migrate`, so
# both hit identical schemas. Both run in release mode and are loaded by wrk one at a time,
# alternating, for BENCH_ROUNDS rounds; the table gives each pair's median. Error responses
# (status >= 400) and socket errors are counted and reported for every run.
#
# Usage: bash benches/service-pg.sh   (installs wrk from the distribution if missing)
#   BENCH_SECONDS=10   duration of each wrk run
#   BENCH_ROUNDS=3     rounds of alternating runs
#   BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432
#                      a PostgreSQL server where this user may create databases; two
#                      databases are created and dropped again
# The generated project is built in a shared, warm target directory: $CARGO_TARGET_DIR, else
# ~/.cache/bek-new/bench-target.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=${BENCH_SECONDS:-10}
rounds=${BENCH_ROUNDS:-3}
postgres=${BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
shared_target=${CARGO_TARGET_DIR:-$HOME/.cache/bek-new/bench-target}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
for tool in curl psql python3; do
  command -v "$tool" >/dev/null || { echo "service-pg.sh: needs $tool" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
databases=()
cleanup() {
  local pid db
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  for db in "${databases[@]}"; do
    psql -q "$postgres/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

script=service-pg.sh
# shellcheck source=benches/common.sh
source "$repo/benches/common.sh"

# sql DATABASE STATEMENT: one statement, its rows unaligned without headers.
sql() {
  psql -qAt -v ON_ERROR_STOP=1 "$postgres/$1" -c "$2"
}

# measure TARGET ROUTE URL [wrk options...] [-- script arguments...]: one wrk run, appended
# to $work/runs as "target|route|req/s|p99 in ms|error responses|socket errors".
measure() {
  local target=$1 route=$2 url=$3 out rps p99 bad sock
  shift 3
  out=$(run_wrk "$url" "$@")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000} print v}' <<<"$out")
  bad=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
  sock=$(awk '/Socket errors:/ {n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) n += $i; print n}' <<<"$out")
  if [[ -n $bad || ${sock:-0} != 0 ]]; then
    echo "service-pg.sh: warning: $target $route: ${bad:-0} error responses, ${sock:-0} socket errors; its numbers are not comparable" >&2
  fi
  echo "$target|$route|$rps|$p99|${bad:-0}|${sock:-0}" >>"$work/runs"
  echo "  $target $route: $rps req/s, p99 $p99 ms, ${bad:-0} error responses" >&2
}

# Identical requests for both servers (bare axum ignores the token and the key). Arguments:
# the token, a prefix that makes emails and keys unique per run and route (keys are scoped to
# the caller, not to the route), and for transfers the two account ids. `id` is the thread
# number, set in setup; `n` counts the thread's requests.
# The part both scripts share: thread numbers and the per-thread request counter.
cat >"$work/threads.lua" <<'LUA'
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local n = 0
LUA
{ cat "$work/threads.lua"; cat <<'LUA'; } >"$work/customers.lua"
function init(args)
  token, prefix = args[1], args[2]
end
function request()
  n = n + 1
  local tag = prefix .. "-" .. id .. "-" .. n
  local body = '{"name":"Bench customer","email":"' .. tag .. '@example.com","vip":false}'
  return wrk.format("POST", "/v1/customers", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = tag,
  }, body)
end
LUA
{ cat "$work/threads.lua"; cat <<'LUA'; } >"$work/transfers.lua"
function init(args)
  token, prefix, first, second = args[1], args[2], args[3], args[4]
end
function request()
  n = n + 1
  local from, to = first, second
  if n % 2 == 0 then from, to = second, first end
  local body = '{"source_account_id":"' .. from .. '","destination_account_id":"' .. to
    .. '","amount":1,"currency":"EUR","description":"bench"}'
  return wrk.format("POST", "/v1/transfers", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = prefix .. "-" .. id .. "-" .. n,
  }, body)
end
LUA

{ cat "$work/threads.lua"; cat <<'LUA'; } >"$work/patch.lua"
function init(args)
  token, row = args[1], args[2]
end
function request()
  n = n + 1
  return wrk.format("PATCH", "/v1/customers/" .. row, {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, '{"name":"Bench customer ' .. id .. '-' .. n .. '"}')
end
LUA

echo "building bek-new and generating the fintech project..." >&2
CARGO_TARGET_DIR="$repo/target" cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
(cd "$work" && "$repo/target/release/bek-new" bench --preset fintech --yes --no-git \
  --answers "$repo/scripts/e2e-entities.toml" >/dev/null)
echo "building it (shared target directory)..." >&2
(cd "$work/bench" && CARGO_TARGET_DIR="$shared_target" cargo build --release --quiet)
svc_bin="$shared_target/release/bench"

# Built from a copy so that its Cargo.lock lands in the scratch directory, not in the repo.
echo "building bare-axum-pg..." >&2
cp -r "$repo/benches/bare-axum" "$work/bare-axum"
CARGO_TARGET_DIR="$shared_target" cargo build --release --quiet --bin bare-axum-pg \
  --manifest-path "$work/bare-axum/Cargo.toml"

suffix="$$_$(date +%s)"
svc_db="bek_bench_svc_$suffix"
bare_db="bek_bench_bare_$suffix"
for db in "$svc_db" "$bare_db"; do
  databases+=("$db")
  sql postgres "CREATE DATABASE $db" >/dev/null
done

# The rate limits and the fraud rules' velocity and amount caps are lifted: they would turn
# most of the load into 429s and refused transfers.
svc_port=$(free_port)
svc_base="http://127.0.0.1:$svc_port"
svc_env=(
  APP_ENV=production LOG_LEVEL=warn PORT="$svc_port"
  JWT_SECRET="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
  PSP_WEBHOOK_SECRET="whsec_$(python3 -c 'import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())')"
  CORS_ALLOWED_ORIGINS=https://app.example.com
  RATE_LIMIT_PER_MINUTE=1000000000 AUTH_RATE_LIMIT_PER_MINUTE=1000000
  FRAUD_MAX_TRANSFERS_PER_MINUTE=1000000000 FRAUD_MAX_TRANSFER_AMOUNT=1000000000
)
for db in "$svc_db" "$bare_db"; do
  env "${svc_env[@]}" DATABASE_URL="$postgres/$db" "$svc_bin" migrate >"$work/migrate.log" 2>&1 ||
    { cat "$work/migrate.log" >&2; exit 1; }
done

env "${svc_env[@]}" DATABASE_URL="$postgres/$svc_db" "$svc_bin" >"$work/svc.log" 2>&1 &
svc=$!
pids+=("$svc")
wait_for "$svc_base/health" "$svc" "$work/svc.log"

# post PATH TOKEN BODY [curl options...]: a JSON POST that must succeed; its body on stdout.
post() {
  local path=$1 token=$2 body=$3
  shift 3
  curl -fsS -H 'Content-Type: application/json' -H "Authorization: Bearer $token" "$@" \
    -d "$body" "$svc_base$path"
}

password='correct horse battery staple'
printf '%s\n' "$password" |
  env "${svc_env[@]}" DATABASE_URL="$postgres/$svc_db" "$svc_bin" create-admin --email admin@example.com >/dev/null 2>&1
admin=$(curl -fsS -H 'Content-Type: application/json' \
  -d "{\"email\":\"admin@example.com\",\"password\":\"$password\"}" "$svc_base/v1/auth/login" |
  json_field access_token)
user_id=$(curl -fsS -H 'Content-Type: application/json' \
  -d "{\"email\":\"bench@example.com\",\"password\":\"$password\",\"name\":\"Bench\"}" \
  "$svc_base/v1/auth/register" | json_field id)
token=$(curl -fsS -H 'Content-Type: application/json' \
  -d "{\"email\":\"bench@example.com\",\"password\":\"$password\"}" "$svc_base/v1/auth/login" |
  json_field access_token)
funds=1000000000
accounts=()
for i in 1 2; do
  account=$(post /v1/accounts "$token" '{"name":"Wallet","currency":"EUR"}' | json_field id)
  post /v1/deposits "$admin" "{\"account_id\":\"$account\",\"amount\":$funds,\"currency\":\"EUR\"}" \
    -H "Idempotency-Key: setup-deposit-$i" >/dev/null
  accounts+=("$account")
done
customer=$(post /v1/customers "$token" '{"name":"Bench customer","email":"row@example.com","vip":true}' |
  json_field id)

# The same user, accounts (funded without deposit entries) and customer row for bare axum.
sql "$bare_db" "
  INSERT INTO users (id, email, name, password_hash, role, created_at, updated_at)
    VALUES ('$user_id', 'bench@example.com', 'Bench', 'unused', 'user', now(), now());
  INSERT INTO accounts (id, owner_id, name, currency, kind, status, balance, created_at, updated_at)
    VALUES ('${accounts[0]}', '$user_id', 'Wallet', 'EUR', 'customer', 'active', $funds, now(), now()),
           ('${accounts[1]}', '$user_id', 'Wallet', 'EUR', 'customer', 'active', $funds, now(), now());
  INSERT INTO customers (id, owner_id, name, email, vip, created_at, updated_at, version)
    VALUES ('$customer', '$user_id', 'Bench customer', 'row@example.com', true, now(), now(), 1);"

bare_port=$(free_port)
bare_base="http://127.0.0.1:$bare_port"
PORT="$bare_port" DATABASE_URL="$postgres/$bare_db" BENCH_USER_ID="$user_id" \
  "$shared_target/release/bare-axum-pg" >"$work/bare.log" 2>&1 &
bare=$!
pids+=("$bare")
wait_for "$bare_base/health" "$bare" "$work/bare.log"

auth="Authorization: Bearer $token"
echo "wrk: -t2 -c32 -d${seconds}s per run, $rounds rounds" >&2
for round in $(seq "$rounds"); do
  echo "round $round" >&2
  for target in generated bare; do
    base=$svc_base
    [[ $target == bare ]] && base=$bare_base
    measure "$target" "GET /v1/customers/{id}" "$base/v1/customers/$customer" -H "$auth"
  done
  for target in generated bare; do
    base=$svc_base
    [[ $target == bare ]] && base=$bare_base
    measure "$target" "POST /v1/customers" "$base" -s "$work/customers.lua" -- "$token" "customer-$target-r$round"
  done
  for target in generated bare; do
    base=$svc_base
    [[ $target == bare ]] && base=$bare_base
    measure "$target" "POST /v1/transfers" "$base" -s "$work/transfers.lua" -- \
      "$token" "transfer-$target-r$round" "${accounts[0]}" "${accounts[1]}"
  done
  measure generated "PATCH /v1/customers/{id}, 1 shared row" "$svc_base" -s "$work/patch.lua" -- "$token" "$customer"
done
stop "$svc"
stop "$bare"

# What the load left behind: every transfer should be completed, the money should still
# all be there.
for db in "$svc_db" "$bare_db"; do
  echo "$db: transfers by status: $(sql "$db" "SELECT string_agg(status || ' ' || n, ', ') FROM (SELECT status, count(*) AS n FROM transfers GROUP BY status) s"); customers: $(sql "$db" "SELECT count(*) FROM customers"); balance of the two accounts: $(sql "$db" "SELECT sum(balance) FROM accounts WHERE kind = 'customer'")" >&2
done

echo
python3 - "$work/runs" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    target, route, rps, p99, bad, sock = line.strip().split("|")
    runs.setdefault((route, target), []).append((float(rps), float(p99), int(bad), int(sock)))
print("| target | route | req/s (median) | p99 (median) | req/s per round | errors |")
print("|---|---|---|---|---|---|")
for (route, target), values in runs.items():
    rps = statistics.median(v[0] for v in values)
    p99 = statistics.median(v[1] for v in values)
    each = ", ".join(f"{v[0]:.0f}" for v in values)
    bad, sock = sum(v[2] for v in values), sum(v[3] for v in values)
    errors = "none" if bad + sock == 0 else f"{bad} responses >= 400, {sock} socket errors"
    print(f"| {target} | `{route}` | {rps:.0f} | {p99:.2f} ms | {each} | {errors} |")
PY
echo "machine: $(nproc) cores ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), Linux $(uname -r) $(uname -m), $(sql postgres 'SHOW server_version') on the same machine"
