#!/usr/bin/env bash
# Sign-in throughput of this machine: starts the console (Release build, its own temporary data
# folder, a known bootstrap account) on 127.0.0.1, drives the real sign-in form with 1, 2 and 4
# concurrent clients for 20 s each, then stops it. Rate limits are raised for the run only.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-5099}
data=$(mktemp -d)
email=bench@example.com
password='Quiet-Harbor-7-Lantern!'
dotnet build -c Release Kuroco.Admin >/dev/null || { echo "Release build of Kuroco.Admin failed." >&2; exit 1; }
dotnet build -c Release bench/Kuroco.Bench >/dev/null
ASPNETCORE_ENVIRONMENT=Development dotnet Kuroco.Admin/bin/Release/net10.0/Kuroco.Admin.dll \
  --urls "http://127.0.0.1:$port" --contentRoot "$PWD/Kuroco.Admin" --Storage:DataPath="$data" \
  --Kuroco:Bootstrap:AdminEmail=$email --Kuroco:Bootstrap:AdminPassword="$password" \
  --Kuroco:RateLimits:SignInPerIpPerMinute=100000 --Kuroco:RateLimits:SignInPerAccountPerMinute=100000 \
  --Logging:LogLevel:Default=Warning >/dev/null 2>&1 &
app=$!
trap 'kill $app 2>/dev/null; rm -rf "$data"' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do
  kill -0 $app 2>/dev/null || { echo "The console did not start." >&2; exit 1; }
  sleep 0.2
done
for c in ${CONCURRENCY:-1 2 4}; do
  dotnet bench/Kuroco.Bench/bin/Release/net10.0/Kuroco.Bench.dll signin "http://127.0.0.1:$port" $email "$password" $c 20
done
