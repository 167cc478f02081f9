#!/usr/bin/env bash
# Runs the C ABI test suites (tests/c_abi.rs, tests/migration_abi.rs) under valgrind memcheck
# and fails on any leak that the library could have caused (definite or indirect) or any
# invalid memory access.
# The shared runtime's worker threads live until exit by design; they show as "possibly lost"
# or "still reachable" and are not counted.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v valgrind >/dev/null || { echo "valgrind-abi: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
status=0
for suite in c_abi migration_abi; do
  cargo test --quiet -p spo-crosstenant --test "$suite" --no-run 2>/dev/null
  binary=$(cargo test -p spo-crosstenant --test "$suite" --no-run --message-format=json 2>/dev/null \
    | sed -n "s/.*\"executable\":\"\\([^\"]*${suite}[^\"]*\\)\".*/\\1/p" | tail -n 1)
  [ -x "$binary" ] || { echo "valgrind-abi: could not find the $suite test binary" >&2; exit 1; }
  log=$(mktemp)
  suite_status=0
  valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --error-exitcode=97 --log-file="$log" \
    "$binary" --test-threads=1 -q || suite_status=$?
  echo "== $suite"
  grep -E "ERROR SUMMARY|definitely lost|indirectly lost|Invalid (read|write)" "$log" || true
  rm -f "$log"
  if [ "$suite_status" -ne 0 ]; then
    echo "valgrind-abi: $suite FAILED (exit $suite_status)" >&2
    status=$suite_status
  fi
done
[ "$status" -eq 0 ] || exit "$status"
echo "valgrind-abi: no leaks and no invalid accesses"
