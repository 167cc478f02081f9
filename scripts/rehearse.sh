#!/usr/bin/env bash
# Rehearses a production script, unchanged, against the local emulator:
#
#   ./scripts/rehearse.sh [--tenant NAME]... [emulator options] -- ./my-script.ps1 [script arguments]
#
# Starts spo-emulator with --proxy for those tenants, runs the script in a child pwsh whose
# environment sends https://<tenant>-admin.sharepoint.com, https://<tenant>-my.sharepoint.com,
# the sign-in hosts (and everything else) to the emulator's proxy and trusts only the CA the
# emulator made for this run, with the module importable by name; stops the emulator
# afterwards, also when the script fails or on Ctrl+C, and says where the request log is.
# The script file is only read. The exit code is the script's (2: bad usage; 125: the
# rehearsal could not start; 130/143/129: interrupted). The folder of the run (CA, start-up
# line with its accounts, request log) stays for reading afterwards.
#
# Emulator options go to spo-emulator as they are (see 'spo-emulator --help'), e.g.
# --dormant-period 0s, --move-step 1s, --fault 429:count=2, --app CLIENTID=CERT.pem, --state FILE.
# Device codes are approved at once (--auto-approve-device-codes, polled every second) unless
# --approve-device-codes-by-hand is given: then open the page the script prints.
# SPO_EMULATOR names an emulator binary to use instead of building target/release/spo-emulator.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
  sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

fail() {
  echo "rehearse: $1" >&2
  exit "${2:-2}"
}

emulator_args=()
auto_approve=yes
has_log=no
log_given=
has_interval=no
cert_out=
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; break ;;
    -h|--help) usage; exit 0 ;;
    --approve-device-codes-by-hand) auto_approve=no; shift; continue ;;
    --proxy|--auto-approve-device-codes) shift; continue ;;   # always on / the default
    --log) [ $# -ge 2 ] || fail "--log needs a file"; has_log=yes; log_given=$2 ;;
    --log=*) has_log=yes; log_given=${1#--log=} ;;
    --device-code-interval|--device-code-interval=*) has_interval=yes ;;
    --cert-out) [ $# -ge 2 ] || fail "--cert-out needs a file"; cert_out=$2; shift 2; continue ;;
    --cert-out=*) cert_out=${1#--cert-out=}; shift; continue ;;
  esac
  emulator_args+=("$1")
  shift
done
[ $# -ge 1 ] || { usage >&2; fail "name the script to rehearse after --"; }
script=$1
shift
[ -f "$script" ] || fail "there is no script '$script'"
# Only on Linux does the engine take its trusted roots from SSL_CERT_FILE (elsewhere from the
# platform's store), which is how this rehearsal trusts its CA for the script alone.
[ "$(uname -s)" = Linux ] ||
  fail "on $(uname -s), trust the emulator's CA the platform's way for the rehearsal only: see 'Rehearse your own script' in README.md"

pwsh_bin=$(bash "$repo/scripts/install-pwsh.sh")
version=$(sed -n '/^\[package\]/,/^\[/{s/^version *= *"\(.*\)"/\1/p}' "$repo/Cargo.toml")
if [ ! -f "$repo/dist/SPOCrossTenant/$version/SPOCrossTenant.psd1" ]; then
  echo "rehearse: building the module (dist/SPOCrossTenant/$version)..." >&2
  bash "$repo/scripts/build-module.sh" >&2
fi
emulator=${SPO_EMULATOR:-}
if [ -z "$emulator" ]; then
  (cd "$repo" && cargo build --release --quiet -p spo-emulator) >&2
  emulator="$repo/target/release/spo-emulator"
fi

# Everything of this rehearsal in one folder: the CA, the start-up line, the request log.
rehearsal=$(mktemp -d "${TMPDIR:-/tmp}/spo-rehearsal.XXXXXX")
startup="$rehearsal/startup.json"
log=${log_given:-$rehearsal/requests.log}
ca=${cert_out:-$rehearsal/ca.pem}
[ "$has_log" = yes ] || emulator_args+=(--log "$log")
[ "$has_interval" = yes ] || emulator_args+=(--device-code-interval 1s)
[ "$auto_approve" = no ] || emulator_args+=(--auto-approve-device-codes)

emulator_pid=
stop() {
  # Stops the emulator this rehearsal started (by its process id): TERM, then KILL after 5 s.
  if [ -n "$emulator_pid" ] && kill -0 "$emulator_pid" 2>/dev/null; then
    kill -TERM "$emulator_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$emulator_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$emulator_pid" 2>/dev/null || true
  fi
  [ -z "$emulator_pid" ] || wait "$emulator_pid" 2>/dev/null || true
  emulator_pid=
}
trap stop EXIT
trap 'stop; echo "rehearse: interrupted; emulator stopped. Request log: $log" >&2; exit 130' INT
trap 'stop; exit 143' TERM
trap 'stop; exit 129' HUP

"$emulator" --proxy --cert-out "$ca" "${emulator_args[@]}" >"$startup" 2>"$rehearsal/emulator.err" &
emulator_pid=$!
for _ in $(seq 200); do
  [ -s "$startup" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || break
  sleep 0.1
done
line=$(head -n 1 "$startup" 2>/dev/null || true)
if [ -z "$line" ]; then
  cat "$rehearsal/emulator.err" >&2
  fail "the emulator did not start (its messages are above)" 125
fi
field() { printf '%s' "$line" | sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }
proxy=$(field proxy)
tenants=$(printf '%s' "$line" | grep -o '"[a-z0-9]*":{"adminUrl"' | cut -d'"' -f2 | paste -sd, - || true)
managed_identity=$(printf '%s' "$line" | sed -n 's/.*"managedIdentity":{\([^}]*\)}.*/\1/p')
identity_endpoint=$(printf '%s' "$managed_identity" | sed -n 's/.*"endpoint":"\([^"]*\)".*/\1/p')
identity_header=$(printf '%s' "$managed_identity" | sed -n 's/.*"header":"\([^"]*\)".*/\1/p')
listener=${identity_endpoint%/_emulator/*}
[ -n "$proxy" ] || fail "the emulator's start-up line names no proxy: $startup" 125

echo "rehearse: tenants $tenants at their real names (https://<tenant>-admin.sharepoint.com), through the proxy $proxy" >&2
echo "rehearse: accounts and tokens of this run: $startup; CA trusted for this script only: $ca" >&2
echo "rehearse: running $script" >&2

# The script runs in the foreground, so it reads the terminal and Ctrl+C reaches it (and the
# emulator, and this shell, whose trap then stops the emulator). Its environment sends every
# scheme to the proxy (plain HTTP reaches it too, to be refused), trusts only this run's CA
# (SSL_CERT_FILE alone: no system certificates, so nothing else would be trusted even if a
# request went around the proxy), reaches the loopback listener directly, and finds the module
# by name. SSL_CERT_FILE is how rustls (the engine) and .NET on Linux take trusted roots.
set +e
env -u SSL_CERT_DIR -u REQUEST_METHOD -u MSI_ENDPOINT -u MSI_SECRET \
  HTTPS_PROXY="$proxy" https_proxy="$proxy" HTTP_PROXY="$proxy" http_proxy="$proxy" \
  ALL_PROXY="$proxy" all_proxy="$proxy" NO_PROXY="127.0.0.1,localhost,::1" no_proxy="127.0.0.1,localhost,::1" \
  SSL_CERT_FILE="$ca" \
  IDENTITY_ENDPOINT="$identity_endpoint" IDENTITY_HEADER="$identity_header" \
  PSModulePath="$repo/dist${PSModulePath:+:$PSModulePath}" \
  SPO_REHEARSAL_STARTUP="$startup" SPO_REHEARSAL_LOG="$log" SPO_REHEARSAL_LISTENER="$listener" \
  "$pwsh_bin" -NoProfile -File "$script" "$@"
status=$?
set -e

stop
echo "rehearse: $script exited with $status; emulator stopped. Request log: $log" >&2
exit "$status"
