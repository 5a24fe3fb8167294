# Helpers shared by the service benchmarks (sourced, not run): starting servers on free ports,
# waiting for them, stopping them, reading a JSON answer. `$script` names the caller in
# messages.

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for URL PID LOG: until URL answers 200; gives up after 30 s or when the process dies.
wait_for() {
  local i
  for i in $(seq 300); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { echo "$script: the server exited; its log:" >&2; cat "$3" >&2; exit 1; }
    sleep 0.1
  done
  echo "$script: $1 did not answer within 30 s; log:" >&2
  cat "$3" >&2
  exit 1
}

stop() {
  kill "$1" 2>/dev/null && wait "$1" 2>/dev/null || true
}

# json_field NAME: one member of the JSON object on stdin.
json_field() {
  python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

# run_wrk URL [wrk options...] [-- script arguments...]: one wrk run of $seconds seconds
# (-t2 -c32, with latency percentiles); its report on stdout.
run_wrk() {
  local url=$1 options=()
  shift
  while (($#)) && [[ $1 != -- ]]; do
    options+=("$1")
    shift
  done
  (($#)) && shift
  wrk -t2 -c32 -d"${seconds}s" --latency "${options[@]}" -- "$url" "$@"
}
