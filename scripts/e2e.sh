#!/usr/bin/env bash
# End-to-end proof: generate a covering set of projects with the release binary, and hold each
# one to what its README promises: `cargo fmt --check`, `cargo clippy --all-targets -D warnings`,
# `cargo test` (PostgreSQL projects against the local server), then start the service in
# production mode, run the black-box conformance suite (conformance/run.py) and its admin
# command against it, SIGTERM it and expect exit 0 after the drain.
# Combinations the generator must refuse are asserted to exit 2 and write nothing.
#
# Usage: bash scripts/e2e.sh            (from the repository root)
# Env:   CARGO_TARGET_DIR   shared by every generated project (default: ~/.cache/bek-new/e2e-target)
#        E2E_KEEP=1         keep the generated projects for inspection
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/bek-new/e2e-target}
mkdir -p "$CARGO_TARGET_DIR"
work=$(mktemp -d)
if [[ -z ${E2E_KEEP:-} ]]; then trap 'rm -rf "$work"' EXIT; else echo "projects kept in $work"; fi

# The generator itself builds in its own target directory; only generated projects share.
CARGO_TARGET_DIR="$repo/target" cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
bek="$repo/target/release/bek-new"
passed=0
failed=0
failures=()

pass() { passed=$((passed + 1)); echo "  ok   $1"; }
fail() { failed=$((failed + 1)); failures+=("$1"); echo "  FAIL $1"; }

# A port nobody listens on, for the service under test.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# PostgreSQL server the PostgreSQL projects use: their `cargo test` creates a database per
# test from this URL, and each running service gets a fresh database of its own.
PG_ADMIN_URL=${E2E_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
pg_base=${PG_ADMIN_URL%/*}

database_of() { sed -n 's/^database = "\(.*\)"/\1/p' "$1/bek.toml" | head -1; }

# Starts the built service in production mode, runs the black-box conformance suite and the
# admin command against it, stops it with SIGTERM; expects exit 0 after the drain.
run_service() {
  local dir=$1 name=$2 port pid url
  port=$(free_port)
  if [[ $(database_of "$dir") == postgres ]]; then
    local db="e2e_$(echo "$name" | tr -c 'a-z0-9\n' '_' | cut -c1-40)_$$"
    psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null || return 1
    url="$pg_base/$db"
  else
    url="sqlite://$dir/data/e2e.db?mode=rwc"
  fi
  # The payment provider's signing secret (`whsec_` + base64 of 32 random bytes), fresh per run:
  # the service verifies provider webhooks with it, the suite signs them with the same value.
  local psp_secret
  psp_secret=$(python3 -c 'import base64, secrets; print("whsec_" + base64.b64encode(secrets.token_bytes(32)).decode())')
  local -a env=(APP_ENV=production PORT="$port" DATABASE_URL="$url"
    JWT_SECRET="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
    PSP_WEBHOOK_SECRET="$psp_secret"
    CORS_ALLOWED_ORIGINS=http://localhost:3000 AUTH_RATE_LIMIT_PER_MINUTE=40)
  local bin="$CARGO_TARGET_DIR/debug/$name"
  # Production never creates databases or runs without migrations: `migrate` first.
  (cd "$dir" && env "${env[@]}" "$bin" migrate) >"$dir/migrate.log" 2>&1 \
    || { echo "    migrate failed:"; sed 's/^/    /' "$dir/migrate.log"; return 1; }
  (cd "$dir" && exec env "${env[@]}" "$bin") >"$dir/service.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    sleep 0.1
  done
  local ok=0
  # An admin exists only through the service's own command (a short password is refused);
  # the conformance suite logs in as it for the admin-only checks.
  printf 'a strong admin password\n' | env "${env[@]}" "$bin" create-admin --email admin@example.com >/dev/null 2>&1 || { echo "    create-admin failed"; ok=1; }
  if printf 'short\n' | env "${env[@]}" "$bin" create-admin --email admin2@example.com >/dev/null 2>&1; then
    echo "    create-admin accepted a short password"; ok=1
  fi
  PYTHONDONTWRITEBYTECODE=1 PSP_WEBHOOK_SECRET="$psp_secret" python3 "$repo/conformance/run.py" --base-url "http://127.0.0.1:$port" --project "$dir" \
    --admin-email admin@example.com --admin-password 'a strong admin password' --rate-limit-check \
    | sed 's/^/    /' || ok=1
  # The container HEALTHCHECK command: healthy while serving...
  env "${env[@]}" "$bin" healthcheck || ok=1
  kill -TERM "$pid"
  local code=0
  wait "$pid" || code=$?
  # ...and unhealthy once stopped.
  if env "${env[@]}" "$bin" healthcheck 2>/dev/null; then ok=1; fi
  [[ -n ${db:-} ]] && psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
  [[ $ok == 0 && $code == 0 ]] || { echo "    contract=$ok exit=$code; log tail:"; tail -20 "$dir/service.log" | sed 's/^/    /'; return 1; }
  grep -q '"message":"stopped"' "$dir/service.log" || { echo "    no JSON 'stopped' log line"; return 1; }
}

# Every YAML file the project ships parses (compose, CI workflow, Kubernetes manifests).
check_yaml() {
  python3 - "$1" <<'PY'
import pathlib, sys, yaml
root = pathlib.Path(sys.argv[1])
files = [p for p in root.rglob("*") if p.suffix in (".yml", ".yaml") and "target" not in p.parts]
for path in files:
    list(yaml.safe_load_all(path.read_text()))
sys.exit(0 if files else 1)
PY
}

# generate NAME ARGS... : creates the project, then runs its own checks and the contract.
project() {
  local name=$1; shift
  local started=$SECONDS dir="$work/$name"
  echo "== $name: bek-new $name $*"
  if ! (cd "$work" && "$bek" "$name" "$@" >/dev/null); then fail "$name: generate"; return; fi
  # Projects grown by `bek-new add` (GROW holds one argument list per line) get each add,
  # committed, before the checks.
  local line
  while IFS= read -r line; do
    [[ -z $line ]] && continue
    local -a add_args
    eval "add_args=($line)"
    if ! (cd "$dir" && "$bek" add "${add_args[@]}" >/dev/null); then fail "$name: bek-new add $line"; return; fi
    pass "$name: bek-new add $line"
  done <<<"${GROW:-}"
  [[ -z $(git -C "$dir" status --porcelain 2>/dev/null) ]] && pass "$name: clean git tree after generation" \
    || fail "$name: git tree not clean"
  (cd "$dir" && cargo fmt --all -- --check >/dev/null) && pass "$name: cargo fmt --check" || fail "$name: cargo fmt --check"
  (cd "$dir" && cargo clippy --quiet --all-targets -- -D warnings) && pass "$name: cargo clippy -D warnings" \
    || fail "$name: cargo clippy -D warnings"
  local test_env=()
  [[ $(database_of "$dir") == postgres ]] && test_env=(DATABASE_URL="$PG_ADMIN_URL")
  # The harness prints a failing test's panic on stdout, so the log keeps both streams;
  # on failure it shows the failures and the summary, not the progress dots.
  (cd "$dir" && env "${test_env[@]}" cargo test --quiet >"$dir/test.log" 2>&1) && pass "$name: cargo test" \
    || { grep -v '^[.]*$' "$dir/test.log" | grep -v '^running [0-9]* tests$' | tail -n 80 | sed 's/^/    /'
         fail "$name: cargo test"; }
  check_yaml "$dir" && pass "$name: YAML files parse" || fail "$name: YAML files parse"
  run_service "$dir" "$name" && pass "$name: conformance suite, create-admin, SIGTERM exit 0" \
    || fail "$name: conformance suite, create-admin, SIGTERM exit 0"
  echo "   ($((SECONDS - started)) s)"
}

# refuse ARGS... : the generator must exit 2 and write nothing.
refuse() {
  local dir
  dir=$(mktemp -d -p "$work")
  local code=0
  (cd "$dir" && "$bek" "$@" </dev/null >/dev/null 2>&1) || code=$?
  if [[ $code == 2 && -z $(ls -A "$dir") ]]; then pass "refused (exit 2): $*"; else fail "refused: $* (exit $code)"; fi
}

# Covering set: every value of every decision the pack renders appears in a project, and every
# pair of values of architecture, database, errors, preset (none, minimal, fintech), entity
# modules (with, without) and `bek-new add` (grown, not grown) appears together in at least
# one project (a grown project counts with the entities it ends with).
project svc --yes --answers "$repo/scripts/e2e-entities.toml"             # layered, sqlite, problem (recommended), no preset, entities
GROW="refund --field amount:money:min=0 --field reason:string?" \
  project pay --preset fintech --yes --db postgres --arch hexagonal \
  --answers "$repo/scripts/e2e-entities.toml"                             # hexagonal, postgres, problem, fintech, entities, grown
project ledger-lite --preset fintech --yes --db sqlite --errors envelope \
  --answers "$repo/scripts/e2e-entities.toml"                             # hexagonal, sqlite, envelope, fintech, entities
project notes --preset minimal --yes --db postgres --errors envelope --capability transfers \
  --answers "$repo/scripts/e2e-entities.toml"                             # layered, postgres, envelope, minimal, entities, capabilities
project wallet --preset fintech --yes --db sqlite --arch layered          # layered, sqlite, problem, fintech, no entities
project mini --preset minimal --yes --db sqlite --arch hexagonal          # hexagonal, sqlite, problem, minimal, no entities
GROW="ledger" \
  project a-service-name-that-is-sixty-four-characters-long-for-formatting --yes --arch hexagonal \
  --db postgres --errors envelope                                          # hexagonal, postgres, envelope, no preset, no entities, grown by a capability
# Grown after creation: two entities through `bek-new add`, the second referring to the first,
# then two fields added to the first, then a catalog capability (webhooks, which brings the
# ledger and the audit log along).
GROW="invoice --field number:string:unique:max=32 --field amount:money:min=0 --field 'status:enum(draft|paid):default=draft'
payment --field 'invoice:ref(invoice):on_delete=cascade' --field amount:money --field paid_on:date?
invoice --field due_on:date? --field 'note:string:max=200:default=none'
webhooks" \
  project grown --preset minimal --yes --db sqlite --arch layered               # layered, sqlite, minimal, grown by add (entities, fields, a capability)

refuse svc2 --yes --topology services
refuse svc2 --yes --auth session
refuse svc2 --yes --auth api-key
refuse svc2 --yes --auth oidc
refuse svc2 --yes --db mysql
refuse svc2                                   # no terminal, no --yes

echo
echo "e2e: $passed passed, $failed failed"
for f in "${failures[@]}"; do echo "  - $f"; done
[[ $failed == 0 ]]
