#!/usr/bin/env bash
# Rehearses a production script, unchanged, against the local emulator:
#
#   ./scripts/rehearse.sh [--tenant NAME]... [emulator options] -- ./my-script.ps1 [script arguments]
#
# Starts spo-emulator with --proxy for those tenants and runs the script in a child pwsh whose
# environment sends https://<tenant>-admin.sharepoint.com, https://<tenant>-my.sharepoint.com,
# the sign-in hosts (and everything else) to the emulator's proxy and trusts only the CA the
# emulator made for this run. The script runs through scripts/rehearsal/Invoke-RehearsedScript.ps1,
# which puts the module built in dist/ first on the session's module path (before any installed
# SPOCrossTenant) next to a stand-in for Microsoft.Online.SharePoint.PowerShell, so
# 'Import-Module SPOCrossTenant' and 'Import-Module Microsoft.Online.SharePoint.PowerShell' both
# load it. The script file is only read.
#
# Ctrl+C reaches the script, whose finally blocks and traps can still reach the emulator; TERM and
# HUP are passed on to it. The emulator stops after the script, and by itself if this shell is
# killed outright. At the end: what the proxy refused, and where the request log is. The exit code
# is the script's (2: bad usage; 125: the rehearsal could not start; 130/143/129: interrupted by
# INT/TERM/HUP). After a success the run's folder keeps only the request log; otherwise its CA,
# start-up line (the run's accounts) and emulator messages stay too, and the folder is named.
#
# Emulator options go to spo-emulator as they are (see 'spo-emulator --help'), e.g.
# --dormant-period 0s, --move-step 1s, --fault 429:count=2, --app CLIENTID=CERT.pem, --state FILE.
# Device codes are approved at once (--auto-approve-device-codes, polled every second) unless
# --approve-device-codes-by-hand is given: then open the page the script prints.
# The module is built when dist/ has none or the sources are newer than it; the emulator is built
# every time (quick when nothing changed). SPO_EMULATOR names an emulator binary to use instead.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
  # The comment block above, without its first line and its '# '.
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
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
    --proxy|--auto-approve-device-codes|--exit-with-parent) shift; continue ;;   # always on / the default
    --log) [ $# -ge 2 ] || fail "--log needs a file"; has_log=yes; log_given=$2 ;;
    --log=*) has_log=yes; log_given=${1#--log=} ;;
    --device-code-interval|--device-code-interval=*) has_interval=yes ;;
    --cert-out) [ $# -ge 2 ] || fail "--cert-out needs a file"; cert_out=$2; shift 2; continue ;;
    --cert-out=*) cert_out=${1#--cert-out=}; shift; continue ;;
  esac
  emulator_args+=("$1")
  shift
done
# A script named among the emulator options: '--' is missing in front of it.
misplaced_script=
for argument in "${emulator_args[@]}"; do
  case "${argument,,}" in *.ps1) misplaced_script=$argument ;; esac
done
if [ $# -lt 1 ]; then
  [ -z "$misplaced_script" ] || fail "put -- before the script: ./scripts/rehearse.sh [options] -- $misplaced_script [script arguments]"
  usage >&2
  fail "name the script to rehearse after --"
fi
script=$1
shift
[ -f "$script" ] || fail "there is no script '$script'"
case "${script,,}" in
  *.ps1) ;;
  *) fail "'$script' is not a PowerShell script: pwsh -File runs only .ps1 files" ;;
esac
script_path="$(cd "$(dirname -- "$script")" && pwd)/$(basename -- "$script")"
# Only on Linux does the engine take its trusted roots from SSL_CERT_FILE (elsewhere from the
# platform's store), which is how this rehearsal trusts its CA for the script alone.
[ "$(uname -s)" = Linux ] ||
  fail "on $(uname -s), trust the emulator's CA the platform's way for the rehearsal only: see 'Rehearse your own script' in README.md"

pwsh_bin=$(bash "$repo/scripts/install-pwsh.sh") ||
  fail "PowerShell 7 (pwsh) is missing and could not be installed (see above)" 125
version=$(sed -n '/^\[package\]/,/^\[/{s/^version *= *"\(.*\)"/\1/p}' "$repo/Cargo.toml")
manifest="$repo/dist/SPOCrossTenant/$version/SPOCrossTenant.psd1"
# What the module is built from (scripts/build-module.ps1); a newer file means dist/ is stale.
newer_source() {
  (cd "$repo" && find module src include build.rs cbindgen.toml Cargo.toml Cargo.lock \
    scripts/build-module.ps1 -newer "$manifest" -print -quit 2>/dev/null)
}
if [ ! -f "$manifest" ] || [ -n "$(newer_source)" ]; then
  echo "rehearse: building the module (dist/SPOCrossTenant/$version)..." >&2
  bash "$repo/scripts/build-module.sh" >&2 || fail "building the module failed (see above)" 125
fi
emulator=${SPO_EMULATOR:-}
if [ -z "$emulator" ]; then
  (cd "$repo" && cargo build --release --quiet -p spo-emulator) >&2 ||
    fail "building the emulator failed (see above)" 125
  emulator="$repo/target/release/spo-emulator"
fi

# Everything of this rehearsal in one folder: the CA, the start-up line, the request log.
rehearsal=$(mktemp -d "${TMPDIR:-/tmp}/spo-rehearsal.XXXXXX") ||
  fail "cannot make a folder in ${TMPDIR:-/tmp}" 125
startup="$rehearsal/startup.json"
log=${log_given:-$rehearsal/requests.log}
ca=${cert_out:-$rehearsal/ca.pem}
# SSL_CERT_DIR names this empty folder: left unset, .NET (OpenSSL) would add the system's roots.
no_roots="$rehearsal/no-roots"
mkdir "$no_roots"
# Where this run's lines start in a log given with --log (it is appended to).
log_start=0
[ ! -f "$log" ] || log_start=$(wc -c <"$log")
[ "$has_log" = yes ] || emulator_args+=(--log "$log")
[ "$has_interval" = yes ] || emulator_args+=(--device-code-interval 1s)
[ "$auto_approve" = no ] || emulator_args+=(--auto-approve-device-codes)

emulator_pid=
script_pid=
interrupted=
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
exit_code_of() {
  case "$1" in INT) echo 130 ;; TERM) echo 143 ;; HUP) echo 129 ;; esac
}
real_pwsh() {
  # The script's pwsh: pwsh installed as a .NET tool is a launcher whose child, 'dotnet
  # .../pwsh.dll', is the real one (the launcher ends with it).
  local child
  for child in $(pgrep -P "$script_pid" 2>/dev/null); do
    case "$(tr '\0' ' ' <"/proc/$child/cmdline" 2>/dev/null)" in
      *pwsh.dll*) echo "$child"; return ;;
    esac
  done
  echo "$script_pid"
}
on_signal() {
  interrupted=${interrupted:-$1}
  if [ -n "$script_pid" ]; then
    # The script runs. Ctrl+C reached it from the terminal already (it is in this process
    # group); TERM and HUP are passed on. Either way the script ends on its own terms, its
    # cleanup still able to reach the emulator, and the emulator is stopped after.
    [ "$1" = INT ] || kill -s "$1" "$(real_pwsh)" 2>/dev/null || true
    return
  fi
  stop
  echo "rehearse: interrupted ($1); emulator stopped. This run's folder: $rehearsal" >&2 || true
  exit "$(exit_code_of "$1")"
}
trap stop EXIT
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM
trap 'on_signal HUP' HUP

# In a session of its own, so that Ctrl+C (which reaches the terminal's whole process group) does
# not stop the emulator while the script's cleanup still needs it; --exit-with-parent stops it if
# this shell is killed without running its traps. From this non-interactive shell, setsid runs the
# emulator in place: $! is the emulator's process id.
setsid "$emulator" --proxy --exit-with-parent --cert-out "$ca" "${emulator_args[@]}" \
  </dev/null >"$startup" 2>"$rehearsal/emulator.err" &
emulator_pid=$!
has_startup_line() { [ -s "$startup" ] && [ -z "$(tail -c 1 "$startup")" ]; }
for _ in $(seq 200); do
  has_startup_line && break
  kill -0 "$emulator_pid" 2>/dev/null || break
  sleep 0.1
done
if ! has_startup_line; then
  cat "$rehearsal/emulator.err" >&2
  stop
  rm -rf -- "$rehearsal"
  [ -z "$misplaced_script" ] || echo "rehearse: '$misplaced_script' went to the emulator: put -- before the script" >&2
  fail "the emulator did not start (its messages are above)" 125
fi
line=$(head -n 1 "$startup")
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

# The script's environment sends every scheme to the proxy (plain HTTP reaches it too, to be
# refused), reaches the loopback listener directly, and trusts only this run's CA: SSL_CERT_FILE
# with SSL_CERT_DIR naming an empty folder is how rustls (the engine) and .NET on Linux take their
# trusted roots, so nothing else is trusted even if a request went around the proxy. It runs in
# the background, so that this shell can pass TERM and HUP on while it waits, but reads the
# terminal (stdin stays, and this non-interactive shell keeps one process group) and takes Ctrl+C
# again (bash makes background commands ignore SIGINT and SIGQUIT; the subshell resets them).
set +e
(
  trap - INT QUIT
  exec env -u REQUEST_METHOD -u MSI_ENDPOINT -u MSI_SECRET \
    HTTPS_PROXY="$proxy" https_proxy="$proxy" HTTP_PROXY="$proxy" http_proxy="$proxy" \
    ALL_PROXY="$proxy" all_proxy="$proxy" NO_PROXY="127.0.0.1,localhost,::1" no_proxy="127.0.0.1,localhost,::1" \
    SSL_CERT_FILE="$ca" SSL_CERT_DIR="$no_roots" \
    IDENTITY_ENDPOINT="$identity_endpoint" IDENTITY_HEADER="$identity_header" \
    SPO_REHEARSAL_STARTUP="$startup" SPO_REHEARSAL_LOG="$log" SPO_REHEARSAL_LISTENER="$listener" \
    "$pwsh_bin" -NoProfile -File "$repo/scripts/rehearsal/Invoke-RehearsedScript.ps1" "$script_path" "$@"
) <&0 &
script_pid=$!
while :; do
  wait "$script_pid"
  status=$?
  # A signal handled above ends 'wait' early (status above 128) while the script runs on.
  [ "$status" -gt 128 ] && kill -0 "$script_pid" 2>/dev/null || break
done
script_pid=
set -e

# Whether the emulator ended before it was asked to (a zombie not yet reaped counts as ended).
emulator_died=no
if ! kill -0 "$emulator_pid" 2>/dev/null ||
  [ "$(sed 's/.*) //' "/proc/$emulator_pid/stat" 2>/dev/null | cut -c 1)" = Z ]; then
  emulator_died=yes
fi
stop
if [ "$emulator_died" = yes ]; then
  echo "rehearse: the emulator stopped during the rehearsal; its messages:" >&2
  sed 's/^/  /' "$rehearsal/emulator.err" >&2
fi

# What the proxy refused in this run, from its lines in the request log: refusals say the host
# and why (nothing is ever forwarded); failed handshakes mostly mean a client that does not
# trust this run's CA.
if [ -f "$log" ]; then
  tail -c +"$((log_start + 1))" "$log" | awk '
    function add(list, key) {
      if (!((list, key) in count)) { order[list, ++size[list]] = key }
      count[list, key]++; total[list]++
    }
    function listed(list,    i, key, text) {
      for (i = 1; i <= size[list]; i++) {
        key = order[list, i]
        text = text (i > 1 ? ", " : "") key (count[list, key] > 1 ? " x" count[list, key] : "")
      }
      return text
    }
    function plural(n) { return n == 1 ? "" : "s" }
    $4 == "proxy" && match($0, / refused="[^"]*"/) {
      reason = substr($0, RSTART + 10, RLENGTH - 11)
      sub(/; nothing is forwarded$/, "", reason)
      host = $0; sub(/.* host=/, "", host)
      if (match($0, / outcome=asked=[^ ]*/)) {
        host = substr($0, RSTART + 15, RLENGTH - 15) " in the tunnel to " host
      }
      add("refused", host " (" reason ")")
    }
    $2 == "TLS" && $4 == "proxy" && / outcome=handshake-failed/ {
      host = $0; sub(/.* host=/, "", host)
      add("tls", host)
    }
    END {
      if (total["refused"]) {
        printf "rehearse: the proxy refused %d request%s (nothing was forwarded): %s\n",
          total["refused"], plural(total["refused"]), listed("refused")
      }
      if (total["tls"]) {
        printf "rehearse: %d TLS handshake%s with the proxy failed (most often a client that does not trust this run'"'"'s CA): %s\n",
          total["tls"], plural(total["tls"]), listed("tls")
      }
    }' >&2 || true
fi

if [ "$status" -eq 0 ] && [ -z "$interrupted" ]; then
  # Nothing to look into: of this run's folder, only the request log stays.
  for entry in "$rehearsal"/*; do
    [ "$entry" = "$log" ] || rm -rf -- "$entry"
  done
  rmdir -- "$rehearsal" 2>/dev/null || true
else
  echo "rehearse: this run's folder (start-up line with its accounts, CA, emulator messages): $rehearsal" >&2
fi
if [ -n "$interrupted" ]; then
  echo "rehearse: interrupted ($interrupted); $script exited with $status; emulator stopped. Request log: $log" >&2
  exit "$(exit_code_of "$interrupted")"
fi
echo "rehearse: $script exited with $status; emulator stopped. Request log: $log" >&2
exit "$status"
