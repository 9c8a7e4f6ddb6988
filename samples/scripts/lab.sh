#!/usr/bin/env bash
# Step 1b: the seed's lab, rebuilt on loopback with openssl s_server / s_client, captured by tcpdump.
#   127.0.10.1:8443  "CUCM tomcat"        RSA cucm-ms.steven.lab, signed by steven-DC-CA
#   127.0.10.1:6972  "CUCM TFTP (HTTPS)"  RSA + ECDSA loaded; client prefers ECDSA -> self-signed
#                                         cucm-EC.steven.lab; requests a client certificate (mutual TLS)
#   127.0.10.2:8443  "CUCM node by IP"    cucm2.steven.lab, DNS SAN cucm2.steven.lab + IP SAN 127.0.10.2
#   127.0.10.3:8443  "IM&P" (extra)       imp.steven.lab signed by steven-Other-CA (untrusted), chain sent
# Usage: lab.sh PKI_DIR OUT_DIR WORK_DIR
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

PKI=${1:?}; OUT=${2:?}; WORK=${3:?}
trap cleanup_pids EXIT

# Expressway's default cipher string (doc 222186): ECDHE-ECDSA suites come first, as after an X14.2 upgrade.
CIPHERS='EECDH:EDH:HIGH:-AES256+SHA:!MEDIUM:!LOW:!3DES:!MD5:!PSK:!eNULL:!aNULL:!aDH'
FILTER='tcp and (host 127.0.10.1 or host 127.0.10.2 or host 127.0.10.3) and (port 8443 or port 6972)'

for ep in 127.0.10.1:8443 127.0.10.1:6972 127.0.10.2:8443 127.0.10.3:8443; do
  port_free "${ep%:*}" "${ep#*:}" || die "$ep is already in use"
done

# Document root for s_server -WWW (serves ./<path> for "GET /<path>")
WWW="$WORK/www"
mkdir -p "$WWW/cucm-uds/user/emusk"
printf '<devices uri="https://cucm.steven.lab:8443/cucm-uds/user/emusk/devices"><device><name>CSFEMUSK</name></device></devices>\n' \
  >"$WWW/cucm-uds/user/emusk/devices"
printf '<device><fullConfig>true</fullConfig><deviceProtocol>SIP</deviceProtocol><name>CSFemusk</name></device>\n' \
  >"$WWW/CSFemusk.cnf.xml"
printf '<version>14.0.1.10000-6</version>\n' >"$WWW/cucm-uds/version"

start_server() { # NAME ARGS...
  local name=$1
  shift
  (cd "$WWW" && exec openssl s_server -quiet -WWW "$@") </dev/null >"$WORK/$name.out" 2>&1 &
  BG_PIDS+=("$!")
}

start_server s_8443 -accept 127.0.10.1:8443 \
  -cert "$PKI/cucm-tomcat.crt" -key "$PKI/cucm-tomcat.key"
start_server s_6972 -accept 127.0.10.1:6972 \
  -cert "$PKI/cucm-tomcat.crt" -key "$PKI/cucm-tomcat.key" \
  -dcert "$PKI/cucm-tomcat-ECDSA.crt" -dkey "$PKI/cucm-tomcat-ECDSA.key" \
  -verify 1 -CAfile "$PKI/steven-DC-CA.crt"
start_server s_cucm2 -accept 127.0.10.2:8443 \
  -cert "$PKI/cucm2-tomcat.crt" -key "$PKI/cucm2-tomcat.key"
start_server s_imp -accept 127.0.10.3:8443 \
  -cert "$PKI/imp-tomcat.crt" -key "$PKI/imp-tomcat.key" -cert_chain "$PKI/steven-Other-CA.crt"
wait_listen 127.0.10.1 8443; wait_listen 127.0.10.1 6972; wait_listen 127.0.10.2 8443; wait_listen 127.0.10.3 8443

mkdir -p "$OUT"
rm -f "$OUT"/lab*.pcap* "$OUT"/lab*.stderr
start_tcpdump TD_LO lo "$OUT/lab.pcap" "$FILTER"
start_tcpdump TD_NANO lo "$OUT/lab-nano.pcap" "$FILTER" --time-stamp-precision=nano
start_tcpdump TD_ANY any "$OUT/lab-any.pcap" "$FILTER"
start_tcpdump TD_SLL any "$OUT/lab-any-sll.pcap" "$FILTER" -y LINUX_SLL
sleep 0.3

CONN_LOG="$WORK/lab-connections.tsv"
: >"$CONN_LOG"
# client NAME IP PORT PATH HOSTHDR s_client-args...   (records start/end epoch and the status line)
client() {
  local name=$1 ip=$2 port=$3 path=$4 hosthdr=$5
  shift 5
  local t0 t1 status
  t0=$(date +%s.%N)
  printf 'GET %s HTTP/1.1\r\nHost: %s\r\nAccept: */*\r\nUser-Agent: vcsc-lab/1.0\r\n\r\n' "$path" "$hosthdr" |
    timeout 10 openssl s_client -connect "$ip:$port" -cipher "$CIPHERS" -quiet "$@" \
      >"$WORK/$name.resp" 2>"$WORK/$name.err" || true
  t1=$(date +%s.%N)
  status=$(head -n1 "$WORK/$name.resp" | tr -d '\r')
  [ -n "$status" ] || status="(no response: $(grep -m1 -oE 'verify error:[^ ]+|alert [a-z ]+|error:[^ ]+' "$WORK/$name.err" | head -n1))"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$ip" "$port" "$t0" "$t1" "$status" >>"$CONN_LOG"
  log "  $name $ip:$port -> $status"
  sleep 0.2
}

log "lab: running clients"
# 1. 8443, TLS 1.2, SNI, verified like X14.2 (CA + name): RSA tomcat, trusted -> 200
client c1-8443-tls12 127.0.10.1 8443 /cucm-uds/user/emusk/devices cucm.steven.lab:8443 \
  -tls1_2 -servername cucm.steven.lab -CAfile "$PKI/steven-DC-CA.crt" -verify_hostname cucm.steven.lab -verify_return_error
# 2. 6972, TLS 1.2, mutual TLS, NOT verified (pre-X14.2 / VerifyOriginServer Off): ECDSA self-signed, client cert sent -> 200
client c2-6972-mtls 127.0.10.1 6972 /CSFemusk.cnf.xml cucm.steven.lab:6972 \
  -tls1_2 -servername cucm.steven.lab -cert "$PKI/vcsc.crt" -key "$PKI/vcsc.key"
# 3. 6972 again, verified like X14.2: the self-signed ECDSA cert is rejected -> alert unknown_ca, no HTTP
client c3-6972-verify 127.0.10.1 6972 /CSFemusk.cnf.xml cucm.steven.lab:6972 \
  -tls1_2 -servername cucm.steven.lab -cert "$PKI/vcsc.crt" -key "$PKI/vcsc.key" \
  -CAfile "$PKI/steven-DC-CA.crt" -verify_hostname cucm.steven.lab -verify_return_error
# 4. 127.0.10.2 by IP, no SNI, browser/OpenSSL semantics (IP SAN accepted) -> 200
client c4-ip-ipsan 127.0.10.2 8443 /cucm-uds/user/emusk/devices 127.0.10.2:8443 \
  -tls1_2 -noservername -CAfile "$PKI/steven-DC-CA.crt" -verify_ip 127.0.10.2 -verify_return_error
# 5. 127.0.10.2 by IP, no SNI, name checked against DNS names only (what Traffic Server does) -> rejected
client c5-ip-dnsonly 127.0.10.2 8443 /cucm-uds/user/emusk/devices 127.0.10.2:8443 \
  -tls1_2 -noservername -CAfile "$PKI/steven-DC-CA.crt" -verify_hostname 127.0.10.2 -verify_return_error
# 6. 8443, TLS 1.3: certificate encrypted on the wire -> 200
client c6-8443-tls13 127.0.10.1 8443 /cucm-uds/version cucm.steven.lab:8443 \
  -tls1_3 -servername cucm.steven.lab -CAfile "$PKI/steven-DC-CA.crt" -verify_hostname cucm.steven.lab -verify_return_error
# 7. extra: IM&P signed by an untrusted CA, leaf + root sent, not verified -> 200
client c7-imp-otherca 127.0.10.3 8443 /cucm-uds/version imp.steven.lab:8443 \
  -tls1_2 -servername imp.steven.lab

settle_capture
for p in "$TD_LO" "$TD_NANO" "$TD_ANY" "$TD_SLL"; do stop_tcpdump "$p"; done
grep -h -E 'captured|dropped' "$OUT"/lab*.stderr >&2 || true
rm -f "$OUT"/lab*.stderr
cp "$CONN_LOG" "$WORK/lab-connections.final.tsv"
{ printf 'client\tserver_ip\tserver_port\tstart_epoch\tend_epoch\tresult\n'; cat "$CONN_LOG"; } >"$OUT/clients.tsv"
log "lab: captures written"
