#!/usr/bin/env bash
# Uncached delivery A/B: the server's CPU per request of another commit (BASE, default main) against this working tree, the two
# builds started in turn on the same data folder, ROUNDS rounds, output cache off, one light load generator (wrk -t1 -c4) so the
# server is never starved by it. Rows: the list of bench/delivery.sh with its total, the same with includeTotal=false, and one
# random item by slug. CPU per request is user + sys from /proc/PID/stat over the measured run: the figure to compare on a
# machine that other work shares (req/s is printed too, and the load average).
#
# Needs a data folder seeded by bench/delivery.sh (KEEP=1 prints it): DATA=<folder> bench/delivery-ab.sh
# Settings: BASE=main (any commit), ROUNDS=2, DURATION=10, WARMUP=3, PORT=5096, ITEMS=10000 (the folder's item count).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${DATA:?DATA=<a folder kept by bench/delivery.sh>}
base_commit=${BASE:-main}
rounds=${ROUNDS:-2}
duration=${DURATION:-10}
warmup=${WARMUP:-3}
items=${ITEMS:-10000}
port=${PORT:-5096}
url="http://127.0.0.1:$port"
key=$(cat "$data/bench-key.txt")
list="/api/v1/content/bench?filter[status][eq]=active&sort=-releasedAt&pageSize=20"
hz=$(getconf CLK_TCK)

# The baseline: an export of BASE (not a worktree), built in Release once per commit.
baseline="${TMPDIR:-/tmp}/kuroco-delivery-ab-$(git rev-parse --short "$base_commit")"
if [ ! -f "$baseline/Kuroco.Admin/bin/Release/net10.0/Kuroco.Admin.dll" ]; then
  mkdir -p "$baseline"
  git archive "$base_commit" | tar -x -C "$baseline"
  dotnet build -c Release "$baseline/Kuroco.Admin" >/dev/null || { echo "Release build of $base_commit failed." >&2; exit 1; }
fi
dotnet build -c Release Kuroco.Admin >/dev/null || { echo "Release build of the working tree failed." >&2; exit 1; }

cat >"$data/ab-random.lua" <<LUA
request = function()
  return wrk.format("GET", string.format("/api/v1/content/bench/product-%05d", math.random(0, $items - 1)))
end
LUA

app=
trap '[ -n "$app" ] && kill "$app" 2>/dev/null || true' EXIT
echo "| round | build | request | req/s | CPU ms/req | non-2xx | load (1 min) |"
echo "| ---: | --- | --- | ---: | ---: | ---: | ---: |"
for round in $(seq 1 "$rounds"); do
  for build in "$base_commit" working-tree; do
    dir=$([ "$build" = working-tree ] && echo "$PWD" || echo "$baseline")
    env ASPNETCORE_ENVIRONMENT=Production Storage__DataPath="$data" Kuroco__Api__OutputCache__Seconds=0 \
      Kuroco__RateLimits__ApiPerKeyPerMinute=1000000 Kuroco__RateLimits__ApiPerClientPerMinute=1000000 Logging__LogLevel__Default=Warning \
      dotnet "$dir/Kuroco.Admin/bin/Release/net10.0/Kuroco.Admin.dll" --urls "$url" --contentRoot "$dir/Kuroco.Admin" >"$data/ab-server.log" 2>&1 &
    app=$!
    until curl -sf -o /dev/null "$url/health/ready"; do
      kill -0 "$app" 2>/dev/null || { echo "The $build server did not start:" >&2; tail -n 20 "$data/ab-server.log" >&2; exit 1; }
      sleep 0.5
    done
    for request in list list-includeTotal=false item-by-slug; do
      case $request in
        list) args=("$url$list");;
        list-includeTotal=false) args=("$url$list&includeTotal=false");;
        item-by-slug) args=(-s "$data/ab-random.lua" "$url");;
      esac
      wrk -t1 -c4 -d"${warmup}s" -H "X-API-Key: $key" "${args[@]}" >/dev/null
      c0=$(awk '{ print $14 + $15 }' "/proc/$app/stat")
      out=$(wrk -t1 -c4 -d"${duration}s" -H "X-API-Key: $key" "${args[@]}")
      c1=$(awk '{ print $14 + $15 }' "/proc/$app/stat")
      n=$(awk '/requests in/ { print $1 }' <<<"$out")
      rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
      non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<<"$out")
      cpu=$(awk -v t="$((c1 - c0))" -v hz="$hz" -v n="$n" 'BEGIN { if (n > 0) printf "%.3f", t * 1000 / hz / n; else print "-" }')
      echo "| $round | $build | $request | $rps | $cpu | ${non2xx:-0} | $(cut -d' ' -f1 /proc/loadavg) |"
    done
    kill "$app"; wait "$app" 2>/dev/null || true; app=
  done
done
