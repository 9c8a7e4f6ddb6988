#!/usr/bin/env bash
# Step 2: Apache Traffic Server 9.2 (Debian `trafficserver`) playing Expressway-C's proxy toward "CUCM".
# A throwaway instance (own runroot, config, logs under WORK) is run directly (no systemd, no
# traffic_manager) as a reverse proxy on 127.0.0.1:$ATS_PORT. Like Expressway-C, the client talks
# plain HTTP to it (GET http://vcs_control.steven.lab:8443/<base64 of domain/https/host/port>/...)
# and remap rules send the request over HTTPS to the origin, which ATS verifies
# (policy ENFORCED, properties ALL) against the lab trust store (steven-DC-CA only).
# Usage: ats.sh PKI_DIR LAB_DIR OUT_DIR WORK_DIR
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

PKI=${1:?}; LAB=${2:?}; OUT=${3:?}; WORK=${4:?}
ATS_PORT=${ATS_PORT:-19443}
trap cleanup_pids EXIT

CIPHERS='EECDH:EDH:HIGH:-AES256+SHA:!MEDIUM:!LOW:!3DES:!MD5:!PSK:!eNULL:!aNULL:!aDH'
FILTER='tcp and (host 127.0.10.1 or host 127.0.10.2 or host 127.0.10.3) and (port 8443 or port 6972)'
TS_BIN=${TS_BIN:-/usr/bin/traffic_server}
[ -x "$TS_BIN" ] || die "traffic_server not found (apt-get install -y trafficserver)"

for ep in 127.0.0.1:$ATS_PORT 127.0.10.1:8443 127.0.10.1:6972 127.0.10.2:8443 127.0.10.3:8443; do
  port_free "${ep%:*}" "${ep#*:}" || die "$ep is already in use"
done

# ---------------------------------------------------------------- origins (same as the lab)
WWW="$WORK/www-ats"
mkdir -p "$WWW/cucm-uds/user/emusk"
printf '<devices uri="https://cucm.steven.lab:8443/cucm-uds/user/emusk/devices"><device><name>CSFEMUSK</name></device></devices>\n' \
  >"$WWW/cucm-uds/user/emusk/devices"
printf '<device><fullConfig>true</fullConfig><deviceProtocol>SIP</deviceProtocol><name>CSFemusk</name></device>\n' \
  >"$WWW/CSFemusk.cnf.xml"
printf '<version>14.0.1.10000-6</version>\n' >"$WWW/cucm-uds/version"
start_server() { # NAME ARGS...
  local name=$1
  shift
  (cd "$WWW" && exec openssl s_server -quiet -WWW "$@") </dev/null >"$WORK/ats-$name.out" 2>&1 &
  BG_PIDS+=("$!")
}
start_server s_8443 -accept 127.0.10.1:8443 -cert "$PKI/cucm-tomcat.crt" -key "$PKI/cucm-tomcat.key"
start_server s_6972 -accept 127.0.10.1:6972 \
  -cert "$PKI/cucm-tomcat.crt" -key "$PKI/cucm-tomcat.key" \
  -dcert "$PKI/cucm-tomcat-ECDSA.crt" -dkey "$PKI/cucm-tomcat-ECDSA.key" \
  -verify 1 -CAfile "$PKI/steven-DC-CA.crt"
start_server s_cucm2 -accept 127.0.10.2:8443 -cert "$PKI/cucm2-tomcat.crt" -key "$PKI/cucm2-tomcat.key"
start_server s_imp -accept 127.0.10.3:8443 \
  -cert "$PKI/imp-tomcat.crt" -key "$PKI/imp-tomcat.key" -cert_chain "$PKI/steven-Other-CA.crt"
wait_listen 127.0.10.1 8443; wait_listen 127.0.10.1 6972; wait_listen 127.0.10.2 8443; wait_listen 127.0.10.3 8443

# ---------------------------------------------------------------- runroot
RR="$WORK/ats"
rm -rf "$RR"
mkdir -p "$RR"/{etc,var,run,log,cache,ssl}
cp -r /etc/trafficserver/. "$RR/etc/"
cp "$LAB/ca.pem" "$RR/ssl/ca.pem"
cp "$PKI/vcsc.crt" "$PKI/vcsc.key" "$RR/ssl/"
cat >"$RR/runroot.yaml" <<EOF
prefix: $RR
exec_prefix: $RR
bindir: /usr/bin
sbindir: /usr/sbin
sysconfdir: $RR/etc
datadir: $RR/var
includedir: /usr/include
libdir: /usr/lib/trafficserver
libexecdir: /usr/lib/trafficserver/modules
localstatedir: $RR/var
runtimedir: $RR/run
logdir: $RR/log
cachedir: $RR/cache
EOF

cat >"$RR/etc/hosts" <<'EOF'
# Traffic Server's own host file (proxy.config.hostdb.host_file.path): the Expressway's DNS view
127.0.10.1 cucm.steven.lab
127.0.10.2 cucm2.steven.lab
127.0.10.3 imp.steven.lab
EOF
printf 'nameserver 127.0.0.1\n' >"$RR/etc/resolv.conf"

# base64 path segments exactly as MRA builds them: <domain>/<scheme>/<server>/<port>, padding stripped
b64() { printf '%s' "$1" | base64 -w0 | tr -d '='; }
SEG_8443=$(b64 steven.lab/https/cucm.steven.lab/8443)
SEG_6972=$(b64 steven.lab/https/cucm.steven.lab/6972)
SEG_IP=$(b64 steven.lab/https/127.0.10.2/8443)
SEG_IMP=$(b64 steven.lab/https/imp.steven.lab/8443)
cat >"$RR/etc/remap.config" <<EOF
# Expressway-C style: plain HTTP in (from the MRA edge), HTTPS out to the UC servers.
map http://vcs_control.steven.lab:8443/$SEG_8443/ https://cucm.steven.lab:8443/
map http://vcs_control.steven.lab:8443/$SEG_6972/ https://cucm.steven.lab:6972/
map http://vcs_control.steven.lab:8443/$SEG_IP/ https://127.0.10.2:8443/
map http://vcs_control.steven.lab:8443/$SEG_IMP/ https://imp.steven.lab:8443/
EOF
: >"$RR/etc/storage.config"   # no cache disk: the proxy only forwards
: >"$RR/etc/plugin.config"
cat >"$RR/etc/logging.yaml" <<'EOF'
# One line per transaction; used to rebuild Expressway-style "Receive/Sending Request/Response" lines.
logging:
  formats:
    - name: vcsc
      format: 'cqtq=%<cqtq> ttms=%<ttms> chi=%<chi> chp=%<chp> cqhm=%<cqhm> cquuc=%<cquuc> cquc=%<cquc> pqhost=%<{Host}pqh> shi=%<shi> nhp=%<nhp> pqsi=%<pqsi> pqsp=%<pqsp> sssc=%<sssc> pssc=%<pssc> crc=%<crc>'
  logs:
    - filename: access
      format: vcsc
      mode: ascii
EOF

USER_ID='#-1'
cat >"$RR/etc/records.config" <<EOF
# Throwaway Traffic Server instance for tls-extract samples (generated by samples/scripts/ats.sh)
CONFIG proxy.config.admin.user_id STRING $USER_ID
CONFIG proxy.config.http.server_ports STRING $ATS_PORT:ipv4:ip-in=127.0.0.1
CONFIG proxy.config.exec_thread.autoconfig INT 0
CONFIG proxy.config.exec_thread.limit INT 1
CONFIG proxy.config.accept_threads INT 1
CONFIG proxy.config.task_threads INT 1
CONFIG proxy.config.cache.threads_per_disk INT 1
CONFIG proxy.config.url_remap.remap_required INT 1
CONFIG proxy.config.reverse_proxy.enabled INT 1
CONFIG proxy.config.url_remap.pristine_host_hdr INT 0
CONFIG proxy.config.http.cache.http INT 0
CONFIG proxy.config.http.wait_for_cache INT 0
CONFIG proxy.config.http.insert_request_via_str INT 1
CONFIG proxy.config.http.connect_attempts_max_retries INT 3
CONFIG proxy.config.http.connect_attempts_timeout INT 5
CONFIG proxy.config.hostdb.host_file.path STRING $RR/etc/hosts
CONFIG proxy.config.dns.resolv_conf STRING $RR/etc/resolv.conf
CONFIG proxy.config.ssl.client.verify.server.policy STRING ENFORCED
CONFIG proxy.config.ssl.client.verify.server.properties STRING ALL
CONFIG proxy.config.ssl.client.CA.cert.path STRING $RR/ssl
CONFIG proxy.config.ssl.client.CA.cert.filename STRING ca.pem
CONFIG proxy.config.ssl.client.cert.path STRING $RR/ssl
CONFIG proxy.config.ssl.client.cert.filename STRING vcsc.crt
CONFIG proxy.config.ssl.client.private_key.path STRING $RR/ssl
CONFIG proxy.config.ssl.client.private_key.filename STRING vcsc.key
CONFIG proxy.config.ssl.client.TLSv1_3 INT 0
CONFIG proxy.config.ssl.client.cipher_suite STRING $CIPHERS
CONFIG proxy.config.log.logging_enabled INT 3
CONFIG proxy.config.log.max_secs_per_buffer INT 1
CONFIG proxy.config.log.periodic_tasks_interval INT 1
CONFIG proxy.config.diags.debug.enabled INT 1
CONFIG proxy.config.diags.debug.tags STRING ssl.error
CONFIG proxy.config.diags.output.diag STRING L
CONFIG proxy.config.diags.output.debug STRING L
CONFIG proxy.config.diags.output.status STRING L
CONFIG proxy.config.diags.output.note STRING L
CONFIG proxy.config.diags.output.warning STRING L
CONFIG proxy.config.diags.output.error STRING L
CONFIG proxy.config.diags.output.fatal STRING L
CONFIG proxy.config.diags.output.alert STRING L
CONFIG proxy.config.diags.output.emergency STRING L
EOF

# ---------------------------------------------------------------- run
mkdir -p "$OUT"
rm -f "$OUT/ats.pcap"
start_tcpdump TD_ATS lo "$OUT/ats.pcap" "$FILTER"

log "ats: starting traffic_server on 127.0.0.1:$ATS_PORT"
TZ=UTC TS_RUNROOT="$RR/runroot.yaml" "$TS_BIN" --run-root="$RR/runroot.yaml" \
  >"$RR/log/traffic.out" 2>&1 &
TS_PID=$!
BG_PIDS+=("$TS_PID")
for ((i = 0; i < 150; i++)); do
  ss -Hltn "src 127.0.0.1:$ATS_PORT" | grep -q LISTEN && break
  kill -0 "$TS_PID" 2>/dev/null || { tail -20 "$RR/log/traffic.out" "$RR/log/diags.log" >&2 2>/dev/null; die "traffic_server exited"; }
  sleep 0.1
done
ss -Hltn "src 127.0.0.1:$ATS_PORT" | grep -q LISTEN || die "traffic_server did not listen on $ATS_PORT"
# HostDB loads the host file from its first background event, about 1 s after start; a request
# sent before that goes to DNS (none here) and hangs, so give it time.
sleep 2.5

REQ_LOG="$WORK/ats-requests.tsv"
: >"$REQ_LOG"
request() { # NAME SEG PATH
  local name=$1 seg=$2 path=$3 t0 code
  t0=$(date +%s.%N)
  code=$(curl -s -o "$WORK/ats-$name.body" -D "$WORK/ats-$name.headers" -w '%{http_code}' --max-time 20 \
    --connect-to "vcs_control.steven.lab:8443:127.0.0.1:$ATS_PORT" \
    -H 'User-Agent: WebEx/0.0.0.0' "http://vcs_control.steven.lab:8443/$seg$path" || true)
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$t0" "$code" "$seg$path" "$(head -n1 "$WORK/ats-$name.headers" | tr -d '\r')" >>"$REQ_LOG"
  log "  $name /$seg$path -> HTTP $code"
  sleep 0.5
}
log "ats: sending requests"
request r1-cucm-8443 "$SEG_8443" /cucm-uds/user/emusk/devices
request r2-cucm-6972 "$SEG_6972" /CSFemusk.cnf.xml
request r3-cucm2-ip "$SEG_IP" /cucm-uds/user/emusk/devices
request r4-imp-otherca "$SEG_IMP" /cucm-uds/version

# wait for the access log to be flushed (max_secs_per_buffer 1)
for ((i = 0; i < 50; i++)); do
  [ "$(grep -c '^cqtq=' "$RR/log/access.log" 2>/dev/null || true)" -ge 4 ] && break
  sleep 0.2
done
settle_capture
stop_tcpdump "$TD_ATS"
grep -h -E 'captured|dropped' "$OUT/ats.pcap.stderr" >&2 || true
rm -f "$OUT/ats.pcap.stderr"
kill -TERM "$TS_PID" 2>/dev/null || true
wait "$TS_PID" 2>/dev/null || true

# Keep the relevant logs only: diags.log (WARNING lines + ssl.error debug), error.log (CONNECT
# attempt failures, with the port), access.log (custom format, one line per transaction).
cp "$RR/log/diags.log" "$OUT/diags.log"
cp "$RR/log/error.log" "$OUT/error.log"
cp "$RR/log/access.log" "$OUT/access.log"
rm -rf "$OUT/config"
mkdir -p "$OUT/config"
cp "$RR/etc/records.config" "$RR/etc/remap.config" "$RR/etc/hosts" "$RR/etc/logging.yaml" "$OUT/config/"
cp "$REQ_LOG" "$WORK/ats-requests.final.tsv"
{ printf 'request\tstart_epoch\thttp_code\tpath\tstatus_line\n'; cat "$REQ_LOG"; } >"$OUT/requests.tsv"
echo "$TS_PID" >"$WORK/ats.pid"
n_core=$(grep -c 'WARNING: Core server certificate verification failed' "$OUT/diags.log" || true)
n_sni=$(grep -c 'WARNING: SNI (.*) not in certificate' "$OUT/diags.log" || true)
[ "$n_core" -ge 1 ] && [ "$n_sni" -ge 1 ] || die "expected ATS WARNING lines missing (core=$n_core sni=$n_sni)"
log "ats: done ($n_core 'Core server certificate verification failed', $n_sni 'SNI not in certificate' warnings)"
