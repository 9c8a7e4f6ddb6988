#!/usr/bin/env bash
# Base capture for the tls-extract benchmark (issue #5): real openssl/curl/python traffic on the loopback
# of a private network namespace, captured by tcpdump. scripts/bench/replicate.ts then multiplies it.
#
# Usage: gen-base.sh <out-dir> [scale-percent]   (needs root: ip netns, tcpdump; scale 100 = default mix)
# Writes <out-dir>/base.pcap, <out-dir>/certs/ (make-certs.sh), <out-dir>/gen-log.txt (one line per
# client operation: kind, exit status) and <out-dir>/tcpdump.txt (tcpdump's capture statistics).
#
# Namespace tlsx-bench: lo up, MTU 1500 and GSO limited to one segment, so frames are ≤1514 bytes as on
# an Ethernet NIC (otherwise loopback hands tcpdump 64 KiB super-packets). Servers listen on 127.0.0.x:
#   .11:443  RSA chain, TLS 1.2, rotating cipher suites          (rsa.bench.test)
#   .12:8443 ECDSA chain, TLS 1.2, -max_send_frag 512            (ec.bench.test; Certificate over ~4 records)
#   .13:443  RSA chain, TLS 1.3 (certificates encrypted)         (tls13.bench.test)
#   .14:5061 ECDSA chain, TLS 1.2, mutual TLS (client cert required, SIP-TLS port)
#   .15:443  RSA chain, TLS 1.2, session resumption (-sess_out then -sess_in, abbreviated handshakes)
#   .16:8443 self-signed RSA, TLS 1.2 (not in the trust store)
#   .17:443  RSA chain, TLS 1.2 and 1.3, bulk HTTPS downloads (curl, rate-limited so flows interleave)
#   .20:80   python3 http.server: plain HTTP, small pages and multi-MB downloads
# The client is always 127.0.0.1. The namespace and every process in it are removed on exit (trap).
set -euo pipefail

NS=tlsx-bench
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [[ "${1:-}" != "--inside" ]]; then
  out=${1:?usage: gen-base.sh <out-dir> [scale-percent]}
  scale=${2:-100}
  mkdir -p "$out"
  out=$(cd "$out" && pwd)
  [[ $(id -u) == 0 ]] || { echo "gen-base.sh: needs root (ip netns, tcpdump)" >&2; exit 2; }
  for tool in openssl tcpdump curl python3 ip ss; do
    command -v "$tool" >/dev/null || { echo "gen-base.sh: $tool not found" >&2; exit 2; }
  done
  cleanup() {
    local pids
    pids=$(ip netns pids "$NS" 2>/dev/null || true)
    [[ -n "$pids" ]] && kill $pids 2>/dev/null || true
    sleep 0.3
    pids=$(ip netns pids "$NS" 2>/dev/null || true)
    [[ -n "$pids" ]] && kill -9 $pids 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
  }
  trap cleanup EXIT INT TERM
  cleanup # a namespace left over by an interrupted run of this script
  [[ -f "$out/certs/ca.pem" ]] || "$HERE/make-certs.sh" "$out/certs"
  ip netns add "$NS"
  ip netns exec "$NS" bash "${BASH_SOURCE[0]}" --inside "$out" "$scale"
  exit $?
fi

# ---------------------------------------------------------------- inside the namespace
out=$2
scale=$3
C=$out/certs
W=$out/www
log=$out/gen-log.txt
: > "$log"
RANDOM=5 # deterministic choice of variants

ip link set lo up
ip link set lo mtu 1500
ip link set dev lo gso_max_segs 1 gso_max_size 1500

# Served files: random bytes (like encrypted payload) and text (compressible), under www/.
mkdir -p "$W"
[[ -f "$W/bulk-8m.bin" ]] || head -c 8388608 /dev/urandom > "$W/bulk-8m.bin"
[[ -f "$W/bulk-4m.bin" ]] || head -c 4194304 /dev/urandom > "$W/bulk-4m.bin"
[[ -f "$W/bulk-2m.bin" ]] || head -c 2097152 /dev/urandom > "$W/bulk-2m.bin"
[[ -f "$W/index.html" ]] || head -c 1800 /dev/urandom | base64 > "$W/index.html"
if [[ ! -f "$W/access-6m.log" ]]; then
  awk 'BEGIN { srand(7); for (i = 0; i < 60000; i++)
    printf "2024-05-%02d 10:%02d:%02d.%03d host%d GET /api/v1/items/%d 200 %d \"Mozilla/5.0\"\n",
      1 + i % 28, (i / 60) % 60, i % 60, i % 1000, int(rand() * 40), int(rand() * 1e6), int(rand() * 9000) }' > "$W/access-6m.log"
fi
for n in 1 2 3 4 5 6 7 8; do
  [[ -f "$W/page-$n.html" ]] || head -c $((n * 3000)) "$W/access-6m.log" > "$W/page-$n.html"
done

pids=()
server() { # server <name> <openssl s_server args...>
  local name=$1; shift
  (cd "$W" && exec openssl s_server -quiet "$@" >"$out/server-$name.txt" 2>&1 </dev/null) &
  pids+=($!)
}
RSA=(-cert "$C/rsa-leaf.pem" -key "$C/rsa-leaf.key" -cert_chain "$C/rsa-chain.pem")
EC=(-cert "$C/ec-leaf.pem" -key "$C/ec-leaf.key" -cert_chain "$C/ec-chain.pem")
server rsa12 -accept 127.0.0.11:443 "${RSA[@]}" -tls1_2 -WWW
server ecfrag -accept 127.0.0.12:8443 "${EC[@]}" -tls1_2 -max_send_frag 512 -WWW
server tls13 -accept 127.0.0.13:443 "${RSA[@]}" -tls1_3 -WWW
server mtls -accept 127.0.0.14:5061 "${EC[@]}" -tls1_2 -Verify 3 -CAfile "$C/ca.pem" -WWW
server resume -accept 127.0.0.15:443 "${RSA[@]}" -tls1_2 -WWW
server self -accept 127.0.0.16:8443 -cert "$C/self.pem" -key "$C/self.key" -tls1_2 -WWW
server bulk -accept 127.0.0.17:443 "${RSA[@]}" -WWW
python3 -m http.server 80 --bind 127.0.0.20 --directory "$W" >"$out/server-http.txt" 2>&1 </dev/null &
pids+=($!)

for _ in $(seq 100); do # wait until all 8 listeners are up (ss, not a probe connection)
  [[ $(ss -Hltn | wc -l) -ge 8 ]] && break
  sleep 0.1
done
[[ $(ss -Hltn | wc -l) -ge 8 ]] || { echo "gen-base.sh: servers did not start" >&2; ss -ltn >&2; exit 1; }

rm -f "$out/base.pcap"
tcpdump -i lo -s 0 -B 65536 -Z root -w "$out/base.pcap.part" tcp 2>"$out/tcpdump.txt" &
tcpdump_pid=$!
for _ in $(seq 100); do grep -q 'listening on' "$out/tcpdump.txt" && break; sleep 0.1; done

# ------------------------------------------------------------- clients
run() { # run <kind> <cmd...>: one client operation, logged with its status
  local kind=$1; shift
  local rc=0
  timeout 60 "$@" >/dev/null 2>&1 || rc=$?
  echo "$kind $rc" >>"$log"
}
get() { printf 'GET /%s HTTP/1.0\r\n\r\n' "$1"; }
sclient() { # sclient <kind> <page> <s_client args...>
  local kind=$1 page=$2; shift 2
  run "$kind" bash -c 'get() { printf "GET /%s HTTP/1.0\r\n\r\n" "$1"; }; get "$0" | openssl s_client -ign_eof "$@"' \
    "$page" -CAfile "$C/ca.pem" "$@"
}
RSA_CIPHERS=(ECDHE-RSA-AES128-GCM-SHA256 ECDHE-RSA-AES256-GCM-SHA384 ECDHE-RSA-CHACHA20-POLY1305 AES128-GCM-SHA256 AES256-SHA256)

handshakes() { # handshakes <count> <seed>: a mix of every handshake kind, one s_client per handshake
  local count=$1 i=0 slot=0 page sess
  RANDOM=$2
  sess=$(mktemp -p "$out" sess.XXXXXX)
  while ((i < count)); do
    page=page-$((1 + RANDOM % 8)).html
    case $((slot++ % 10)) in
      0|1) sclient rsa12 "$page" -connect 127.0.0.11:443 -servername rsa.bench.test \
             -cipher "${RSA_CIPHERS[RANDOM % ${#RSA_CIPHERS[@]}]}" ;;
      2) sclient ecfrag "$page" -connect 127.0.0.12:8443 -servername ec.bench.test ;;
      3) sclient tls13 "$page" -connect 127.0.0.13:443 -servername tls13.bench.test ;;
      4) sclient mtls "$page" -connect 127.0.0.14:5061 -servername sip.bench.test \
           -cert "$C/client.pem" -key "$C/client.key" -cert_chain "$C/ec-chain.pem" ;;
      5) sclient resume-full "$page" -connect 127.0.0.15:443 -servername resume.bench.test -sess_out "$sess"
         for _ in 1 2 3; do
           sclient resume-abbr "$page" -connect 127.0.0.15:443 -servername resume.bench.test -sess_in "$sess"
           i=$((i + 1))
         done ;;
      6) sclient self "$page" -connect 127.0.0.16:8443 -servername self.bench.test ;;
      7) sclient mismatch "$page" -connect 127.0.0.11:443 -servername wrong.example.org ;;
      8) sclient nosni "$page" -connect 127.0.0.12:8443 -noservername ;;
      9) sclient ecfrag "$page" -connect 127.0.0.12:8443 -servername ec.bench.test -tls1_2 \
           -cipher ECDHE-ECDSA-AES128-GCM-SHA256 ;;
    esac
    i=$((i + 1))
    ((RANDOM % 4)) || sleep 0.0$((RANDOM % 10))
  done
  rm -f "$sess"
}

bulk_tls() { # bulk_tls <count>: HTTPS downloads of 2-8 MB, TLS 1.2 and 1.3, 30-60 MB/s
  local n
  for n in $(seq "$1"); do
    local file=bulk-$((2 ** (1 + n % 3)))m.bin ver=--tlsv1.2 max=--tls-max\ 1.2
    ((n % 4 == 0)) && { ver=--tlsv1.3; max=; }
    # shellcheck disable=SC2086
    run https-bulk curl -sS -o /dev/null $ver $max --limit-rate $((30 + n % 4 * 10))M --cacert "$C/ca.pem" \
      --resolve www.bench.test:443:127.0.0.17 "https://www.bench.test/$file"
  done
}

plain_http() { # plain_http <count>: many small pages, and every 50th request two multi-MB downloads
  local n
  for n in $(seq "$1"); do
    if ((n % 50 == 0)); then
      run http-bulk curl -sS -o /dev/null --limit-rate 40M "http://127.0.0.20/access-6m.log"
      run http-bulk curl -sS -o /dev/null --limit-rate 40M "http://127.0.0.20/bulk-$((2 ** (1 + n % 3)))m.bin"
    else
      run http-small curl -sS -o /dev/null "http://127.0.0.20/page-$((1 + n % 8)).html"
    fi
  done
}

started=$(date +%s.%N)
handshakes $((400 * scale / 100)) 11 &
h1=$!
handshakes $((400 * scale / 100)) 23 &
h2=$!
bulk_tls $((10 * scale / 100)) &
b1=$!
plain_http $((400 * scale / 100)) &
p1=$!
wait $h1 $h2 $b1 $p1
sleep 2 # let tcpdump's ring buffer retire its last block (TPACKET_V3 timeout 1 s) before SIGINT
ended=$(date +%s.%N)

kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" || true
kill "${pids[@]}" 2>/dev/null || true
wait "${pids[@]}" 2>/dev/null || true
mv "$out/base.pcap.part" "$out/base.pcap"
awk -v a="$started" -v b="$ended" 'BEGIN { printf "traffic ran for %.1f s\n", b - a }'
awk '{ n[$1]++; if ($2 != 0) bad[$1]++ } END { for (k in n) printf "  %-12s %5d ops, %d failed\n", k, n[k], bad[k] + 0 }' "$log" | sort
grep -E 'captured|received|dropped' "$out/tcpdump.txt" | sed 's/^/  tcpdump: /'
