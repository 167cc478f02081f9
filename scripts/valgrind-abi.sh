#!/usr/bin/env bash
# Runs the C ABI test suite (tests/c_abi.rs) under valgrind memcheck and fails on any leak
# that the library could have caused (definite or indirect) or any invalid memory access.
# The shared runtime's worker threads live until exit by design; they show as "possibly lost"
# or "still reachable" and are not counted.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v valgrind >/dev/null || { echo "valgrind-abi: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
cargo test --quiet -p spo-crosstenant --test c_abi --no-run 2>/dev/null
binary=$(cargo test -p spo-crosstenant --test c_abi --no-run --message-format=json 2>/dev/null \
  | sed -n 's/.*"executable":"\([^"]*c_abi[^"]*\)".*/\1/p' | tail -n 1)
[ -x "$binary" ] || { echo "valgrind-abi: could not find the c_abi test binary" >&2; exit 1; }
log=$(mktemp)
status=0
valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect \
  --errors-for-leak-kinds=definite,indirect --error-exitcode=97 --log-file="$log" \
  "$binary" --test-threads=1 -q || status=$?
grep -E "ERROR SUMMARY|definitely lost|indirectly lost|Invalid (read|write)" "$log" || true
rm -f "$log"
if [ "$status" -ne 0 ]; then
  echo "valgrind-abi: FAILED (exit $status)" >&2
  exit "$status"
fi
echo "valgrind-abi: no leaks and no invalid accesses"
