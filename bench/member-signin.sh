#!/usr/bin/env bash
# Member sign-in throughput of this machine (issue 11, "Benchmark"): seeds MEMBERS active members and a read API key
# into a fresh data folder through the real services, starts the console (Release, its own data folder, rate limits
# raised for the run only) on 127.0.0.1, drives POST /api/v1/members/login with 1, 2 and 4 concurrent clients for
# DURATION s each (rotating over the members), then prints the cost of the password hash each sign-in pays, measured
# apart with the app's member hasher. The load generator shares the 2 cores with the server.
# Settings (environment): MEMBERS=20 DURATION=20 CONCURRENCY="1 2 4" PORT=5097
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-5097}
members=${MEMBERS:-20}
duration=${DURATION:-20}
data=$(mktemp -d)
dotnet build -c Release Kuroco.Admin >/dev/null || { echo "Release build of Kuroco.Admin failed." >&2; exit 1; }
dotnet build -c Release bench/Kuroco.Bench >/dev/null
bench=bench/Kuroco.Bench/bin/Release/net10.0/Kuroco.Bench.dll
key=$(dotnet $bench seed-members "$data" "$members" | tail -n 1)
ASPNETCORE_ENVIRONMENT=Development dotnet Kuroco.Admin/bin/Release/net10.0/Kuroco.Admin.dll \
  --urls "http://127.0.0.1:$port" --contentRoot "$PWD/Kuroco.Admin" --Storage:DataPath="$data" \
  --Kuroco:Bootstrap:AdminEmail=bench@example.com --Kuroco:Bootstrap:AdminPassword='Quiet-Harbor-7-Lantern!' \
  --Kuroco:RateLimits:SignInPerIpPerMinute=100000 --Kuroco:RateLimits:SignInPerAccountPerMinute=100000 \
  --Kuroco:RateLimits:ApiPerClientPerMinute=1000000 --Kuroco:RateLimits:ApiPerKeyPerMinute=1000000 \
  --Logging:LogLevel:Default=Warning >/dev/null 2>&1 &
app=$!
trap 'kill $app 2>/dev/null; rm -rf "$data"' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do
  kill -0 $app 2>/dev/null || { echo "The console did not start." >&2; exit 1; }
  sleep 0.2
done
for c in ${CONCURRENCY:-1 2 4}; do
  dotnet $bench member-signin "http://127.0.0.1:$port" "$key" "$members" "$c" "$duration"
done
dotnet $bench member-hash 20
