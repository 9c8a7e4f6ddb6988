# shellcheck shell=bash
# Helpers shared by the samples/scripts/*.sh steps (sourced, not executed).
# Everything runs on 127.0.0.0/8 only.

log() { printf '[samples] %s\n' "$*" >&2; }
die() { printf '[samples] ERROR: %s\n' "$*" >&2; exit 1; }

need() {
  local c
  for c in "$@"; do command -v "$c" >/dev/null 2>&1 || die "missing tool '$c' (apt-get install -y tcpdump trafficserver openssl tshark curl)"; done
}

# PIDs of background processes started by these scripts; killed by cleanup_pids (trap).
BG_PIDS=()

cleanup_pids() {
  local p
  for p in "${BG_PIDS[@]:-}"; do
    [ -n "$p" ] || continue
    if kill -0 "$p" 2>/dev/null; then kill -TERM "$p" 2>/dev/null || true; fi
  done
  for p in "${BG_PIDS[@]:-}"; do
    [ -n "$p" ] || continue
    wait "$p" 2>/dev/null || true
  done
  BG_PIDS=()
}

# wait_listen IP PORT [TRIES]: poll until a TCP listener exists on IP:PORT (0.1 s steps).
wait_listen() {
  local ip=$1 port=$2 tries=${3:-100} i
  for ((i = 0; i < tries; i++)); do
    if ss -Hltn "src $ip:$port" 2>/dev/null | grep -q LISTEN; then return 0; fi
    sleep 0.1
  done
  die "nothing listening on $ip:$port"
}

# port_free IP PORT: true when nothing listens on IP:PORT (or on the wildcard address).
port_free() {
  local ip=$1 port=$2
  ! ss -Hltn "( src $ip:$port or src 0.0.0.0:$port or src [::]:$port )" 2>/dev/null | grep -q LISTEN
}

# start_tcpdump VAR IFACE OUTFILE FILTER [extra tcpdump args...]
# Starts tcpdump (-U: each packet written as soon as libpcap hands it over), waits until it
# reports "listening on", and stores its PID in the variable named VAR.
# Note: libpcap's TPACKET_V3 ring hands packets over in blocks retired after at most ~1 s, and a
# SIGINT loses the block still being filled, so callers must idle >= 1.5 s (settle_capture) before
# stop_tcpdump. (--immediate-mode avoids that but switches to a ring of only ~8 frames of 256 KiB
# snaplen and dropped packets under load on this 2-core machine.)
start_tcpdump() {
  local __var=$1 iface=$2 out=$3 filter=$4
  shift 4
  local errf="$out.stderr" zopt=() i
  [ "$(id -u)" = 0 ] && zopt=(-Z root)
  : >"$errf"
  tcpdump -i "$iface" -U -n -s 0 "${zopt[@]}" "$@" -w "$out" "$filter" 2>"$errf" &
  local pid=$!
  BG_PIDS+=("$pid")
  for ((i = 0; i < 100; i++)); do
    if grep -q 'listening on' "$errf"; then
      printf -v "$__var" '%s' "$pid"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { cat "$errf" >&2; die "tcpdump on $iface failed to start"; }
    sleep 0.05
  done
  die "tcpdump on $iface did not start"
}

settle_capture() { sleep 1.5; }

# stop_tcpdump PID: SIGINT (tcpdump flushes and closes the file) then wait for it.
stop_tcpdump() {
  local pid=$1
  kill -INT "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Epoch seconds (with fraction) -> Expressway local ISO time with a fixed +02:00 offset
# (the seed's lab ran on CEST), e.g. 2026-11-26T21:58:18.123+02:00
iso_local() { TZ=Etc/GMT-2 date -d "@$1" '+%Y-%m-%dT%H:%M:%S.%3N%:z'; }
# Epoch -> Expressway UTCTime value, e.g. 2026-11-26 19:58:18,123
utc_time() { TZ=UTC date -d "@$1" '+%Y-%m-%d %H:%M:%S,%3N'; }

# epoch_add EPOCH MILLIS -> EPOCH+MILLIS/1000 with millisecond precision
epoch_add() { awk -v e="$1" -v m="$2" 'BEGIN { printf "%.3f", e + m / 1000 }'; }
