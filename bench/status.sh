#!/usr/bin/env bash
# Public status page throughput on this machine (issue 14, "Benchmark": status page req/s cached).
#
# Starts the console (Release build, Production environment over plain HTTP on 127.0.0.1, a fresh data folder)
# twice — with the status page's output cache (Kuroco:Status:CacheSeconds=30), then without it (=0) — and drives
# GET /status (Japanese, Accept-Language: ja) and GET /status/feed.atom?culture=ja-JP with wrk at CONNECTIONS
# connections. The load generator runs on the same cores as the server: every figure is "server + wrk". Beside
# the wall-clock req/s, the server's own CPU time (user+sys from /proc/PID/stat) per run and per request is
# printed, and the load average, because the machine is shared.
#
# Settings (environment): DURATION=15 WARMUP=3 CONNECTIONS=32 THREADS=2 PORT=5097 KEEP=1 (keep the data folder)
# A quick check of the harness itself: DURATION=3 WARMUP=1 bench/status.sh
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${DURATION:-15}
warmup=${WARMUP:-3}
connections=${CONNECTIONS:-32}
threads=${THREADS:-2}
port=${PORT:-5097}
base="http://127.0.0.1:$port"
ticks=$(getconf CLK_TCK)

if ! command -v wrk >/dev/null; then
  echo "Installing wrk with apt-get ..." >&2
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  # A fresh machine's package lists may be empty: update them when the first attempt finds nothing.
  $sudo apt-get install -y -qq wrk >/dev/null 2>&1 || { $sudo apt-get update -qq && $sudo apt-get install -y -qq wrk >/dev/null; }
fi
dotnet build -c Release Kuroco.Admin >/dev/null || { echo "Release build of Kuroco.Admin failed." >&2; exit 1; }

data=$(mktemp -d)
app=
stop_app() {
  if [ -n "$app" ]; then kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; app=; fi
}
cleanup() {
  stop_app
  if [ "${KEEP:-0}" = 1 ]; then echo "Data folder kept: $data" >&2; else rm -rf "$data"; fi
}
trap cleanup EXIT

start_app() { # $1 = status cache seconds
  ASPNETCORE_ENVIRONMENT=Production \
  Storage__DataPath="$data" \
  Kuroco__Bootstrap__AdminEmail=bench-admin@example.com \
  Kuroco__Bootstrap__AdminPassword='Qv7#tLm9-Rz2!pWx-Hk4' \
  Kuroco__Status__CacheSeconds="$1" \
  Logging__LogLevel__Default=Warning \
  dotnet Kuroco.Admin/bin/Release/net10.0/Kuroco.Admin.dll --urls "$base" --contentRoot "$PWD/Kuroco.Admin" \
    >"$data/server-$1.log" 2>&1 &
  app=$!
  until curl -sf -o /dev/null "$base/health/ready"; do
    kill -0 "$app" 2>/dev/null || { echo "The console did not start:" >&2; tail -n 20 "$data/server-$1.log" >&2; exit 1; }
    sleep 0.2
  done
}

check() { # $1 = path: 200 with a Cache-Control the run expects
  local status
  status=$(curl -s -D "$data/check.headers" -o "$data/check.body" -w '%{http_code}' -H 'Accept-Language: ja' "$base$1")
  if [ "$status" != 200 ]; then
    echo "GET $1 answered $status, not 200:" >&2; head -c 600 "$data/check.body" >&2; echo >&2; exit 1
  fi
  echo "  GET $1 -> 200, $(wc -c <"$data/check.body") bytes, $(grep -i '^cache-control:' "$data/check.headers" | tr -d '\r')" >&2
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$app/stat"; }

rows=()
loads=()
run() { # $1 = label, $2 = path
  local out rps p50 p99 non2xx before after cpu requests per
  wrk -t"$threads" -c"$connections" -d"${warmup}s" -H 'Accept-Language: ja' "$base$2" >/dev/null
  before=$(cpu_ticks)
  out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -H 'Accept-Language: ja' "$base$2")
  after=$(cpu_ticks)
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<<"$out"); non2xx=${non2xx:-0}
  cpu=$(awk -v t="$((after - before))" -v hz="$ticks" 'BEGIN { printf "%.1f", t / hz }')
  per=$(awk -v t="$((after - before))" -v hz="$ticks" -v n="$requests" 'BEGIN { printf "%.0f", (n > 0 ? t / hz / n * 1e6 : 0) }')
  loads+=("$1: $(cut -d' ' -f1-3 /proc/loadavg)")
  rows+=("$(printf '| %-22s | %8s | %8s | %8s | %7s | %9s | %10s |' "$1" "$rps" "$p50" "$p99" "$non2xx" "$cpu" "$per")")
  printf '%s\n' "${rows[-1]}" >&2
}

echo "Server with the status page's output cache (30 s) ..." >&2
start_app 30
check /status; check "/status/feed.atom?culture=ja-JP"
run "/status, cached" /status
run "feed, cached" "/status/feed.atom?culture=ja-JP"
stop_app

echo "Server without it (Kuroco:Status:CacheSeconds=0) ..." >&2
start_app 0
check /status
run "/status, uncached" /status
run "feed, uncached" "/status/feed.atom?culture=ja-JP"
stop_app

cat <<EOF

Public status page, fresh data folder (SQLite), Release build, ASPNETCORE_ENVIRONMENT=Production over
http://127.0.0.1, Accept-Language: ja, wrk -t$threads -c$connections, ${warmup} s warm-up + ${duration} s per row.
$(nproc) cores shared by the server AND wrk. "server CPU s" = the server's user+sys CPU seconds during the
measured run; "µs CPU/req" = that divided by the requests served (machine-load independent, unlike req/s).
Load average (1/5/15 min) at the end of each row:
$(printf '  %s\n' "${loads[@]}")

| scenario               |    req/s |      p50 |      p99 | non-2xx | server CPU s | µs CPU/req |
| ---------------------- | -------: | -------: | -------: | ------: | -----------: | ---------: |
EOF
printf '%s\n' "${rows[@]}"
