#!/usr/bin/env bash
# Reads `dotnet test --logger "console;verbosity=normal"` output on stdin and shows progress:
# one line per finished test with the elapsed time and a running count, failures in full (message
# and stack trace as dotnet test prints them), and at the end the ten slowest test classes, so a
# run that creeps towards the 10-minute budget says where the time went.
set -uo pipefail
start=$SECONDS
count=0
failed=0
passed=0
skipped=0
declare -A class_ms=()
declare -A class_tests=()
in_failure=0
failures=()       # "name" per failed test, repeated at the end so a log's tail names them
failure_lines=0   # message lines kept for the last failed test

to_ms() { # "[5 ms]" "[< 1 ms]" "[1 s]" "[2 m 3 s]" -> milliseconds
  local d="$1" ms=0
  d="${d//[\[\]<]/}"
  local -a parts
  read -r -a parts <<<"$d"
  local i
  for ((i = 0; i + 1 < ${#parts[@]}; i += 2)); do
    case "${parts[i+1]}" in
      ms) ms=$((ms + ${parts[i]%.*})) ;;
      s) ms=$((ms + ${parts[i]%.*} * 1000)) ;;
      m) ms=$((ms + ${parts[i]%.*} * 60000)) ;;
      h) ms=$((ms + ${parts[i]%.*} * 3600000)) ;;
    esac
  done
  echo "$ms"
}

while IFS= read -r line; do
  if [[ "$line" =~ ^\ \ (Passed|Failed|Skipped)\ (.+)\ (\[[^]]+\])$ ]]; then
    outcome="${BASH_REMATCH[1]}"
    name="${BASH_REMATCH[2]}"
    duration="${BASH_REMATCH[3]}"
    count=$((count + 1))
    method="${name%%(*}"
    class="${method%.*}"
    class="${class#Kuroco.Tests.}"
    ms=$(to_ms "$duration")
    class_ms[$class]=$(( ${class_ms[$class]:-0} + ms ))
    class_tests[$class]=$(( ${class_tests[$class]:-0} + 1 ))
    elapsed=$((SECONDS - start))
    short="${name#Kuroco.Tests.}"
    if ((${#short} > 150)); then short="${short:0:147}..."; fi
    printf '[%02d:%02d] %5d %-7s %s %s\n' $((elapsed / 60)) $((elapsed % 60)) "$count" "$outcome" "$short" "$duration"
    case "$outcome" in
      Passed) passed=$((passed + 1)); in_failure=0 ;;
      Skipped) skipped=$((skipped + 1)); in_failure=0 ;;
      Failed) failed=$((failed + 1)); in_failure=1; failure_lines=0; failures+=("$short") ;;
    esac
    continue
  fi
  # The app's own log lines (the apps under test write to the console; some tests provoke errors on
  # purpose) and their indented continuation lines are left out.
  if [[ "$line" =~ ^(trce|dbug|info|warn|fail|crit):\  ]]; then in_failure=0; continue; fi
  # Lines dotnet test prints about a failure (error message, stack trace) are indented under it and
  # shown; a passing test's captured output is not. Everything else (build output, xUnit banners, the
  # totals) passes through.
  if ((in_failure)) && ((failure_lines < 4)) && [[ -n "${line// /}" ]] && [[ ! "$line" =~ (Error\ Message:|Stack\ Trace:|^\ +at\ ) ]]; then
    failures[-1]="${failures[-1]}"$'\n'"      ${line#"${line%%[![:space:]]*}"}"
    failure_lines=$((failure_lines + 1))
  fi
  if ((in_failure)) || [[ ! "$line" =~ ^\ \ \ \  ]] || [[ "$line" =~ ^\ +(Passed|Failed|Skipped|Total\ tests|Total\ time): ]]; then
    printf '%s\n' "$line"
  fi
done

if ((count > 0)); then
  echo
  echo "Slowest test classes (sum of their tests' durations; classes run in parallel):"
  for c in "${!class_ms[@]}"; do
    printf '%d\t%s\t%d\n' "${class_ms[$c]}" "$c" "${class_tests[$c]}"
  done | sort -rn | head -n 10 | while IFS=$'\t' read -r ms c n; do
    printf '  %6.1f s  %4d tests  %s\n' "$(awk "BEGIN{print $ms/1000}")" "$n" "$c"
  done
fi
if ((${#failures[@]} > 0)); then
  echo
  echo "Failed tests (their messages and stack traces are printed in full above):"
  for f in "${failures[@]:0:20}"; do printf '  %s\n' "$f"; done
  if ((${#failures[@]} > 20)); then echo "  ... and $(( ${#failures[@]} - 20 )) more"; fi
fi
# One plain closing line for CI.
echo "$passed passed, $failed failed, $skipped skipped ($((SECONDS - start)) s)"
