#!/usr/bin/env bash
# End-to-end proof: generate a covering set of projects with the release binary, and hold each
# one to what its README promises: `cargo fmt --check`, `cargo clippy --all-targets -D warnings`,
# `cargo test`, then start the service, check its HTTP contract, SIGTERM it and expect exit 0.
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

# The black-box contract of a running service (grows with the pack).
check_contract() {
  local base=$1
  local body status
  body=$(curl -fsS "$base/health") && [[ $body == '{"status":"ok"}' ]] || return 1
  status=$(curl -s -o /dev/null -w '%{http_code}' "$base/no-such-route")
  [[ $status == 404 ]] || return 1
}

# Starts the built service, checks the contract, stops it with SIGTERM; expects exit 0.
run_service() {
  local dir=$1 name=$2 port pid
  port=$(free_port)
  (cd "$dir" && PORT=$port APP_ENV=production exec "$CARGO_TARGET_DIR/debug/$name") >"$dir/service.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    sleep 0.1
  done
  local ok=0
  check_contract "http://127.0.0.1:$port" || ok=1
  # The container HEALTHCHECK command: healthy while serving...
  PORT=$port "$CARGO_TARGET_DIR/debug/$name" healthcheck || ok=1
  kill -TERM "$pid"
  local code=0
  wait "$pid" || code=$?
  # ...and unhealthy once stopped.
  if PORT=$port "$CARGO_TARGET_DIR/debug/$name" healthcheck 2>/dev/null; then ok=1; fi
  [[ $ok == 0 && $code == 0 ]] || { echo "    contract=$ok exit=$code; log:"; sed 's/^/    /' "$dir/service.log"; return 1; }
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
  [[ -z $(git -C "$dir" status --porcelain 2>/dev/null) ]] && pass "$name: clean git tree after generation" \
    || fail "$name: git tree not clean"
  (cd "$dir" && cargo fmt --all -- --check >/dev/null) && pass "$name: cargo fmt --check" || fail "$name: cargo fmt --check"
  (cd "$dir" && cargo clippy --quiet --all-targets -- -D warnings) && pass "$name: cargo clippy -D warnings" \
    || fail "$name: cargo clippy -D warnings"
  (cd "$dir" && cargo test --quiet >/dev/null 2>"$dir/test.log") && pass "$name: cargo test" \
    || { sed 's/^/    /' "$dir/test.log"; fail "$name: cargo test"; }
  check_yaml "$dir" && pass "$name: YAML files parse" || fail "$name: YAML files parse"
  run_service "$dir" "$name" && pass "$name: contract + SIGTERM exit 0" || fail "$name: contract + SIGTERM exit 0"
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

# Covering set: every value of every decision the pack renders appears in a project, and
# every pair of (architecture, database, errors) values appears together at least once.
project svc --yes                                                         # layered, sqlite, problem (recommended)
project pay --preset fintech --yes --db postgres --arch hexagonal         # hexagonal, postgres, problem
project ledger-lite --preset fintech --yes --db sqlite --errors envelope  # hexagonal, sqlite, envelope
project notes --preset minimal --yes --db postgres --errors envelope      # layered, postgres, envelope
project a-service-name-that-is-sixty-four-characters-long-for-formatting --yes --arch hexagonal --db sqlite

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
