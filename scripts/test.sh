#!/usr/bin/env bash
# Runs every test of the solution (unit, component, integration and browser tests).
# Installs what the tests need and is missing: Debian's chromium and redis-server (via apt-get), Node.js and s3rver
# (the S3 backup tests' server) and the local dotnet tools. Set KUROCO_CHROMIUM to use another
# Chromium binary, KUROCO_S3RVER another s3rver.js, KUROCO_REDIS_SERVER another redis-server.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

chromium="${KUROCO_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ -n "${KUROCO_CHROMIUM:-}" ]; then
    echo "KUROCO_CHROMIUM=$chromium is not an executable file." >&2
    exit 1
  fi
  echo "Chromium is missing at $chromium: installing Debian's chromium package..."
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
  if [ ! -x "$chromium" ]; then
    echo "Installing chromium did not produce $chromium; browser tests cannot run." >&2
    exit 1
  fi
fi
export KUROCO_CHROMIUM="$chromium"

# A real Redis for the several-instances tests (Kuroco.Tests/Support/RedisServerFixture.cs starts it on a free port):
# Debian's redis-server package. Set KUROCO_REDIS_SERVER to use another redis-server binary.
if [ -z "${KUROCO_REDIS_SERVER:-}" ] && ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
  echo "redis-server is missing (the several-instances tests run a real Redis): installing Debian's redis-server package..."
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends redis-server >/dev/null 2>&1 \
    || { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends redis-server >/dev/null; }
  if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
    echo "Installing redis-server did not put redis-server on the PATH; the several-instances tests cannot run." >&2
    exit 1
  fi
fi

# A Japanese font for the audit review's PDF (PDFsharp embeds a TrueType font; Debian's IPA Gothic).
if ! ls /usr/share/fonts/opentype/ipafont-gothic/ipag.ttf /usr/share/fonts/truetype/fonts-japanese-gothic.ttf >/dev/null 2>&1; then
  echo "No Japanese font for the review PDF: installing Debian's fonts-ipafont-gothic package..."
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends fonts-ipafont-gothic >/dev/null 2>&1 \
    || { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends fonts-ipafont-gothic >/dev/null; }
fi

# A real S3-compatible server for the S3 backup tests: the npm package s3rver (pinned in scripts/s3rver/package-lock.json),
# run with Node.js by Kuroco.Tests/Support/S3ServerFixture.cs. Set KUROCO_S3RVER to use another s3rver.js.
if [ -z "${KUROCO_S3RVER:-}" ]; then
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "Node.js is missing (the S3 backup tests run s3rver with it): installing Debian's nodejs and npm packages..."
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  if [ ! -f scripts/s3rver/node_modules/s3rver/bin/s3rver.js ]; then
    echo "Installing s3rver for the S3 backup tests (scripts/s3rver)..."
    npm ci --prefix scripts/s3rver --no-audit --no-fund --loglevel=error >/dev/null
  fi
fi

dotnet tool restore >/dev/null

# Dependency vulnerabilities for the security self-assessment: /security/self-assessment reads this file (its location is
# the setting Kuroco:SelfAssessment:VulnerabilityReportPath, by default ../artifacts/vulnerable-packages.txt from the app's
# content root, i.e. artifacts/ at the repository root). The check needs NuGet's vulnerability data; without it the file
# says "not available" and why. It never fails the suite.
report="${KUROCO_VULNERABILITY_REPORT:-artifacts/vulnerable-packages.txt}"
mkdir -p "$(dirname "$report")"
echo "Listing vulnerable packages into $report..."
# A fresh clone has no restore yet, and listing needs it (the test run's own restore is then a no-op).
dotnet restore Kuroco.sln -v q -nologo >/dev/null
set +e
vulnerable=$(timeout 120 dotnet list Kuroco.sln package --vulnerable --include-transitive 2>&1)
vulnerable_status=$?
set -e
{
  echo "# checked $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  if [ "$vulnerable_status" -eq 0 ] && ! grep -qiE "^(.*: )?error|error NU" <<<"$vulnerable"; then
    echo "# command: dotnet list Kuroco.sln package --vulnerable --include-transitive"
    echo "$vulnerable"
  else
    reason=$(grep -iE -m1 "error|unable|failed" <<<"$vulnerable" || true)
    echo "# not available: ${reason:-dotnet list package --vulnerable exited with $vulnerable_status}"
  fi
} >"$report"
if grep -q "has the following vulnerable packages" "$report"; then
  echo "Warning: vulnerable packages are listed in $report." >&2
fi
# The benchmarks are not in Kuroco.sln (they run in Release by hand) but must keep compiling against
# the code they measure.
echo "Building bench/Kuroco.Bench (compile check only)..."
dotnet build bench/Kuroco.Bench -v q -nologo -clp:ErrorsOnly
# Progress on screen: every finished test with the elapsed time and a running count, failures in
# full, then the slowest test classes, the failed tests again and one closing "N passed, N failed, N skipped"
# line (scripts/test-progress.sh).
#
# With no arguments the suite runs in two test processes at once, one per core (CI has two): the integration
# tests but the audit ones in one, everything else (unit, component, browser and audit integration tests; about
# the same time) in the other. The two filters are each other's complement, so every test runs exactly once. Processes, not xunit's in-process parallelism: Hangfire
# keeps its storage in a static (JobStorage.Current) and the apps' meters are process-wide, so two apps must not
# start in one process at once. Arguments (e.g. --filter ...) run one process with them instead.
set +e
if [ "$#" -gt 0 ]; then
  dotnet test Kuroco.sln --logger "console;verbosity=normal" "$@" 2>&1 | bash scripts/test-progress.sh
  status=${PIPESTATUS[0]}
else
  echo "Building the solution..."
  if ! dotnet build Kuroco.sln -v q -nologo -clp:ErrorsOnly; then
    echo "The build failed; no test ran." >&2
    exit 1
  fi
  statuses=$(mktemp -d)
  one="FullyQualifiedName~Kuroco.Tests.Integration.&FullyQualifiedName!~Kuroco.Tests.Integration.Audit."
  other="FullyQualifiedName!~Kuroco.Tests.Integration.|FullyQualifiedName~Kuroco.Tests.Integration.Audit."
  {
    # sed -u passes each process's output on whole line by whole line, so the two never cut into each other's lines.
    { dotnet test Kuroco.Tests --no-build --logger "console;verbosity=normal" --filter "$one" 2>&1; echo $? >"$statuses/one"; } | sed -u '' &
    { dotnet test Kuroco.Tests --no-build --logger "console;verbosity=normal" --filter "$other" 2>&1; echo $? >"$statuses/other"; } | sed -u '' &
    wait
  } | bash scripts/test-progress.sh
  status=0
  for part in one other; do
    part_status=$(cat "$statuses/$part" 2>/dev/null || echo 1)
    if [ "$part_status" -ne 0 ]; then status=$part_status; fi
  done
  rm -rf "$statuses"
fi
set -e
exit "$status"
