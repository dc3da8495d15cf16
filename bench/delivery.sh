#!/usr/bin/env bash
# Delivery API throughput and latency on this machine (issue 4, "Benchmark").
#
# Seeds a fresh data folder with ITEMS published items of a type "bench" (8 fields, one a ~2 KB
# rich-text body) through the real content services, creates a read key, then starts the console
# (Release build, Production environment over plain HTTP on 127.0.0.1) twice — with the output
# cache, then with Kuroco:Api:OutputCache:Seconds=0 — and drives it with wrk at CONNECTIONS
# connections: a 20-item list filtered by status and sorted by date, and one item by slug; without the cache also the
# list with includeTotal=false (no count) and a member-only list read with a signed-in member's token. Besides req/s and latency, each row has the server's CPU time (user + sys from
# /proc/PID/stat over the measured run) per request: the figure that does not depend on what else shares the cores.
# The load generator runs on the same 2 cores as the server: every figure is "server + wrk".
#
# Settings (environment): ITEMS=10000 DURATION=15 WARMUP=5 CONNECTIONS=32 THREADS=2 PORT=5098
#   (WARMUP also primes each freshly started server: every path WARMUP seconds before the first row)
#   LIST_QUERY  query of the list request (default: the status filter and date sort of the issue)
#   ITEM_SLUG   slug of the single item; default "random": every request asks for a random one of the
#               ITEMS slugs (a fixed early slug hides lookups whose cost grows with the item's position)
#   ALIGN=1     start each scenario at a full minute, so that no run straddles two rate-limit windows
#   KEEP=1      keep the data folder (printed) instead of deleting it
#   DATA=dir    reuse a folder kept by an earlier run (KEEP=1) with the same ITEMS: no seeding, never deleted
#   MEMBER_ITEMS=2000  items of the member-only type (row f; seeded once per data folder)
# A quick check of the harness itself: ITEMS=500 DURATION=3 WARMUP=1 ALIGN=0 bench/delivery.sh
set -euo pipefail
cd "$(dirname "$0")/.."

items=${ITEMS:-10000}
duration=${DURATION:-15}
warmup=${WARMUP:-5}
connections=${CONNECTIONS:-32}
threads=${THREADS:-2}
port=${PORT:-5098}
list_query=${LIST_QUERY:-'filter[status][eq]=active&sort=-releasedAt&pageSize=20'}
item_slug=${ITEM_SLUG:-random}
member_items=${MEMBER_ITEMS:-2000}
align=${ALIGN:-$([ "$duration" -ge 10 ] && echo 1 || echo 0)}
base="http://127.0.0.1:$port"
list_path="/api/v1/content/bench?$list_query"
list_nototal_path="$list_path&includeTotal=false"
member_list_path="/api/v1/content/benchmembers?$list_query"
item_path="/api/v1/content/bench/$item_slug"
check_item_path="/api/v1/content/bench/${item_slug/#random/product-$(printf %05d $((items / 2)))}"

# 1. The load tool (Debian's wrk; hey would do as well, wrk costs less CPU per request).
if ! command -v wrk >/dev/null; then
  echo "Installing wrk with apt-get ..." >&2
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  # A fresh machine's package lists may be empty: update them when the first attempt finds nothing.
  $sudo apt-get install -y -qq wrk >/dev/null 2>&1 || { $sudo apt-get update -qq && $sudo apt-get install -y -qq wrk >/dev/null; }
fi

# 2. Release builds.
dotnet build -c Release Kuroco.Admin >/dev/null || { echo "Release build of Kuroco.Admin failed." >&2; exit 1; }
dotnet build -c Release bench/Kuroco.Bench >/dev/null || { echo "Release build of bench/Kuroco.Bench failed." >&2; exit 1; }

if [ -n "${DATA:-}" ]; then data=$DATA; KEEP=1; else data=$(mktemp -d); fi
app=
stop_app() {
  if [ -n "$app" ]; then kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; app=; fi
}
cleanup() {
  stop_app
  if [ "${KEEP:-0}" = 1 ]; then echo "Data folder kept: $data" >&2; else rm -rf "$data"; fi
}
trap cleanup EXIT

# 3. Seed through the real services (IContentTypeService, IContentItemService save + publish, IApiKeyService).
if [ -f "$data/bench-key.txt" ]; then
  echo "Reusing the seeded data folder $data" >&2
else
  echo "Seeding $items published items into $data ..." >&2
  dotnet bench/Kuroco.Bench/bin/Release/net10.0/Kuroco.Bench.dll seed-delivery "$data" "$items" 4 | tail -n 1 >"$data/bench-key.txt"
fi
key=$(cat "$data/bench-key.txt")
[[ $key == kk_* ]] || { echo "The seeder did not print a key." >&2; exit 1; }
# The member-only row: a type restricted to a member group (MEMBER_ITEMS items), a member in the group, a key for both types.
if [ ! -f "$data/bench-member-key.txt" ]; then
  echo "Seeding ${member_items} member-only items into $data ..." >&2
  dotnet bench/Kuroco.Bench/bin/Release/net10.0/Kuroco.Bench.dll seed-delivery-members "$data" "$member_items" 4 | tail -n 1 >"$data/bench-member-key.txt"
fi
member_key=$(cat "$data/bench-member-key.txt")
# Every API request is written to the server log store (server-logs.db). A reused folder keeps the earlier runs' millions of
# rows, and inserting into a store of several GB costs the server more than inserting into a new one (0.59 instead of 0.40 ms of
# CPU per uncached list at 2.4 GB): start each run with an empty store, as a freshly seeded folder has.
rm -f "$data"/server-logs.db "$data"/server-logs.db-wal "$data"/server-logs.db-shm
[[ $member_key == kk_* ]] || { echo "The member seeder did not print a key." >&2; exit 1; }

# 4. The console, Production-like: Release, ASPNETCORE_ENVIRONMENT=Production (exception handler, HSTS
# and HTTPS redirection are on, but with only an http:// URL there is no HTTPS port to redirect to,
# so the redirection middleware passes requests through — checked below — and HSTS is only ever sent
# over HTTPS), logging at Warning, the API rate limits at their maximum (1,000,000 a minute per key
# and per client; ALIGN=1 keeps every scenario inside one window).
start_app() { # $1 = output cache seconds
  ASPNETCORE_ENVIRONMENT=Production \
  Storage__DataPath="$data" \
  Kuroco__RateLimits__ApiPerKeyPerMinute=1000000 \
  Kuroco__RateLimits__ApiPerClientPerMinute=1000000 \
  Kuroco__Api__OutputCache__Seconds="$1" \
  Logging__LogLevel__Default=Warning \
  dotnet Kuroco.Admin/bin/Release/net10.0/Kuroco.Admin.dll --urls "$base" --contentRoot "$PWD/Kuroco.Admin" \
    >"$data/server-$1.log" 2>&1 &
  app=$!
  until curl -sf -o /dev/null "$base/health/ready"; do
    kill -0 "$app" 2>/dev/null || { echo "The console did not start:" >&2; tail -n 20 "$data/server-$1.log" >&2; exit 1; }
    sleep 0.2
  done
}

check() { # $1 = path: must answer 200 with JSON (not a redirect, not an error)
  local status
  status=$(curl -sg -o "$data/check.json" -w '%{http_code}' -H "X-API-Key: $key" "$base$1")
  if [ "$status" != 200 ]; then
    echo "GET $1 answered $status, not 200:" >&2; head -c 600 "$data/check.json" >&2; echo >&2; exit 1
  fi
  echo "  GET $1 -> 200, $(wc -c <"$data/check.json") bytes" >&2
}

to_ms() { # wrk latency ("812.00us", "1.23ms", "1.02s") -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

# A random item per request (the key header set with -H is kept by wrk.format): uncached, any of the
# ITEMS slugs; cached, one of 100 "popular" items spread over them (the warm-up fills the cache with all
# 100 — a random pick among 10,000 would measure cache misses).
for pool in all hot; do
  cat >"$data/random-$pool.lua" <<LUA
local items = $items
local pool = "$pool" == "hot" and math.min(100, items) or items
local step = math.floor(items / pool)
request = function()
  return wrk.format("GET", string.format("/api/v1/content/bench/product-%05d", math.random(0, pool - 1) * step))
end
LUA
done

cpu_ticks() { # user + sys clock ticks of a process (fields 14 and 15 of /proc/PID/stat; the name in field 2 has no spaces here)
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}
ticks_per_second=$(getconf CLK_TCK)

rows=()
loads=()
run() { # $1 = label, $2 = path ("random" item paths use a Lua script), $3 = all|hot, $4 = member (the member's token and key)
  local out rps p50 p99 non2xx errors rss cpu0 cpu1 requests cpu_ms script=() auth=(-H "X-API-Key: $key")
  if [[ $2 == */random ]]; then script=(-s "$data/random-${3:-all}.lua"); fi
  if [ "${4:-}" = member ]; then auth=(-H "X-API-Key: $member_key" -H "Authorization: Bearer $member_token"); fi
  if [ "$align" = 1 ]; then sleep $((60 - 10#$(date +%S))); fi
  wrk -t"$threads" -c"$connections" -d"${warmup}s" "${script[@]}" "${auth[@]}" "$base$2" >/dev/null
  cpu0=$(cpu_ticks "$app")
  out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "${script[@]}" "${auth[@]}" "$base$2")
  cpu1=$(cpu_ticks "$app")
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  cpu_ms=$(awk -v t="$((cpu1 - cpu0))" -v hz="$ticks_per_second" -v n="$requests" 'BEGIN { if (n > 0) printf "%.3f", t * 1000 / hz / n; else print "-" }')
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<<"$out"); non2xx=${non2xx:-0}
  errors=$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' <<<"$out"); errors=${errors:-0}
  rss=$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$app/status")
  loads+=("$1: $(cut -d' ' -f1-3 /proc/loadavg)")
  rows+=("$(printf '| %-38s | %8s | %8s | %8s | %10s | %9s | %6s | %7s |' "$1" "$rps" "$p50" "$p99" "$cpu_ms" "$non2xx" "$errors" "$rss")")
  printf '%s\n' "${rows[-1]}" >&2
}

# A freshly started server spends its first seconds under load JIT-compiling the hot paths again at full optimization (tiered
# compilation and dynamic PGO, on a background thread that competes with the load for the 2 cores): every path of the server
# is requested for WARMUP seconds before its first measured row, so no row pays for another's tier-up (each row still has its
# own warm-up too). Production servers run for days; these rows are the steady state.
prime() { # paths to request before measuring
  local path script
  for path in "$@"; do
    script=(); if [[ $path == */random ]]; then script=(-s "$data/random-all.lua"); fi
    wrk -t"$threads" -c"$connections" -d"${warmup}s" "${script[@]}" -H "X-API-Key: $key" "$base$path" >/dev/null
  done
}

echo "Server with the output cache ..." >&2
start_app 300
check "$list_path"; check "$check_item_path"
prime "$list_path"
run "(a) list, cached" "$list_path"
run "(d) item by slug, cached" "$item_path" hot
stop_app

echo "Server without the output cache (Kuroco:Api:OutputCache:Seconds=0) ..." >&2
start_app 0
check "$list_path"; check "$list_nototal_path"; check "$check_item_path"
# The member signs in once (POST /api/v1/members/login); its access token is good for the rest of the run.
member_token=$(curl -sf -H "X-API-Key: $member_key" -H 'Content-Type: application/json' \
  -d '{"email":"bench-member@example.com","password":"Quiet-Harbor-7-Lantern!","rememberMe":false}' "$base/api/v1/members/login" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["accessToken"])') || { echo "The bench member could not sign in." >&2; exit 1; }
member_items_served=$(curl -sg -H "X-API-Key: $member_key" -H "Authorization: Bearer $member_token" "$base$member_list_path" \
  | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["items"]))')
anonymous_items_served=$(curl -sg -H "X-API-Key: $member_key" "$base$member_list_path" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["items"]))')
[ "$member_items_served" -gt 0 ] && [ "$anonymous_items_served" = 0 ] \
  || { echo "The member-only list served $member_items_served items to the member and $anonymous_items_served without the token." >&2; exit 1; }
echo "  GET $member_list_path -> $member_items_served items with the member's token, none without" >&2
prime "$list_path" "$list_nototal_path" "$item_path"
run "(b) list, uncached" "$list_path"
run "(e) list, uncached, includeTotal=false" "$list_nototal_path"
run "(c) item by slug, uncached" "$item_path"
run "(f) member-only list, member's token" "$member_list_path" "" member
stop_app

cat <<EOF

Delivery API, $items published items of type "bench" (8 fields, ~2 KB rich-text body), SQLite,
Release build, ASPNETCORE_ENVIRONMENT=Production over http://127.0.0.1, wrk -t$threads -c$connections,
${warmup} s warm-up + ${duration} s per row. $(nproc) cores, shared by the server AND wrk (the load tool
competes with the server for the same cores, so these are lower bounds for a separate client).
list:  GET $list_path
item:  GET $item_path$([ "$item_slug" = random ] && echo " (a random product-NNNNN of the $items per request)")
p50/p99 in ms; "CPU ms/req" = the server's user + sys CPU time over the measured run divided by its requests (wrk's own
CPU not included; 1000 / it = requests per second one core could serve); "non-2xx" = wrk's non-2xx/3xx answers,
"errors" = socket errors (connect/read/write/timeout);
RSS = the server's resident memory (MiB) right after the run. The (d) row asks for 100 popular items at random.
(f): the same list of a type restricted to a member group ($member_items items, all member-only), with the key and a signed-in
member's token (Authorization: Bearer): never from the output cache, the group checked on every walked row.
Load average (1/5/15 min) at the end of each row — anything above ~2 means other work shared the cores too:
$(printf '  %s\n' "${loads[@]}")

| scenario                               |    req/s |  p50 ms  |  p99 ms  | CPU ms/req |  non-2xx  | errors | RSS MiB |
| -------------------------------------- | -------: | -------: | -------: | ---------: | --------: | -----: | ------: |
EOF
printf '%s\n' "${rows[@]}"
