#!/usr/bin/env bash
# Step 4: Expressway-format material.
#  A. samples/expressway/seed-lab.loggingsnapshot.txt: the seed technote's traffic_server lines,
#     message texts verbatim, re-timed and re-addressed to match samples/lab/lab.pcap.
#  B. samples/expressway/diagnostic_log_vcsc_<date>_<time>.tar.gz: a diagnostic bundle built from the
#     Traffic Server run (samples/ats): real ATS WARNING payloads in Expressway syslog framing, request
#     lines synthesized from the ATS access log, ats.pcap split in two rotated files, trust store,
#     Expressway certificate, and a synthetic xconf_dump.
# Usage: expressway.sh SAMPLES_DIR WORK_DIR
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
SAMPLES=${1:?}; WORK=${2:?}
LAB="$SAMPLES/lab" ATS="$SAMPLES/ats" EXP="$SAMPLES/expressway"
HOST=vcsc
mkdir -p "$EXP"
rm -f "$EXP"/*.txt "$EXP"/diagnostic_log_*.tar.gz

b64() { printf '%s' "$1" | base64 -w0 | tr -d '='; }
# entry EPOCH PROC TEXT -> one Expressway log line (local time +02:00, like the seed's lab)
entry() { printf '%s %s %s: %s\n' "$(iso_local "$1")" "$HOST" "$2" "$3"; }

# ------------------------------------------------------------------ A. seed lines on lab.pcap times
# Per TCP stream of lab.pcap: first packet, first cleartext alert, last server application-data record.
tshark -r "$LAB/lab.pcap" -T fields -E separator='|' -E occurrence=f \
  -e tcp.stream -e frame.time_epoch -e ip.dst -e tcp.dstport -e tcp.srcport \
  -e tls.handshake.type -e tls.alert_message.desc -e tls.record.content_type -e tls.record.opaque_type 2>/dev/null |
  awk -F'|' '
    !($1 in first) { first[$1] = $2; dst[$1] = $3 ":" $4; cport[$1] = $5; order[++n] = $1 }
    $7 != "" && !($1 in alert) { alert[$1] = $2 }
    ($8 == "23" || $9 == "23") && $3 ":" $4 != dst[$1] { lastapp[$1] = $2 }   # TLS 1.3: opaque_type
    END { for (i = 1; i <= n; i++) { s = order[i]; printf "%s\t%s\t%s\t%s\t%s\n", s, dst[s], first[s], (s in alert ? alert[s] : "-"), (s in lastapp ? lastapp[s] : "-") } }
  ' >"$WORK/lab-streams.tsv"

# lab.sh ran the clients in this order (one TCP connection each): c1..c7 = streams 0..6
mapfile -t CONN <"$WORK/lab-connections.final.tsv"
[ "${#CONN[@]}" = 7 ] || die "expected 7 lab connections"
stream_field() { awk -F'\t' -v s="$1" -v f="$2" '$1 == s { print $f }' "$WORK/lab-streams.tsv"; }
for i in 0 1 2 3 4 5 6; do
  IFS=$'\t' read -r _ ip port _ <<<"${CONN[$i]}"
  [ "$(stream_field "$i" 2)" = "$ip:$port" ] || die "lab stream $i is not $ip:$port"
done
T1=$(stream_field 0 3) R1=$(stream_field 0 5)                      # c1: 8443 OK (TLS 1.2)
T3=$(stream_field 2 3) A3=$(stream_field 2 4)                      # c3: 6972 rejected (self-signed)
T5=$(stream_field 4 3) A5=$(stream_field 4 4)                      # c5: 127.0.10.2 rejected (name)
T6=$(stream_field 5 3) R6=$(stream_field 5 5)                      # c6: 8443 OK (TLS 1.3)
for v in "$R1" "$A3" "$A5" "$R6"; do [ "$v" != - ] || die "lab.pcap misses an expected alert/response"; done

SEG_IP=$(b64 steven.lab/https/127.0.10.2/8443)
TS='traffic_server[18242]'
M='Module="network.http.trafficserver"'
OUTA="$EXP/seed-lab.loggingsnapshot.txt"
{
  entry "$(epoch_add "$T1" -20)" tls-extract-samples "Detail=\"SAMPLE NOTICE\" Msg=\"RECONSTRUCTED log, not from a real Expressway: message texts are verbatim from the Cisco TAC technote on CSCwc69661 (lab steven.lab, traffic_server X14.2); adapted: timestamps (to match samples/lab/lab.pcap), addresses 10.48.36.215 -> 127.0.10.1 / 127.0.10.2, the base64 path of the IP case, one pid for the whole file, HTTPMSG header lines and the Txn 192 (TLS 1.3) request added. See samples/README.md.\""
  # --- ===Success connection on 8443=== (seed Txn 189) -> lab stream 0 (c1)
  t=$(epoch_add "$T1" -7)
  entry "$t" "$TS" "UTCTime=\"$(utc_time "$t")\" $M Level=\"INFO\": Detail=\"Receive Request\" Txn-id=\"189\" TrackingID=\"6af9a674-9ebc-41ea-868e-90e7309a758c\" Src-ip=\"127.0.0.1\" Src-port=\"35764\" Last-via-addr=\"\" Msg=\"GET http://vcs_control.steven.lab:8443/c3RldmVuLmxhYi9odHRwcy9jdWNtLnN0ZXZlbi5sYWIvODQ0Mw/cucm-uds/user/emusk/devices HTTP/1.1\""
  t=$(epoch_add "$T1" -1)
  entry "$t" "$TS" " Event=\"Request Allowed\" Detail=\"Access allowed\" Reason=\"In allow list\" Username=\"emusk\" Deployment=\"1\" Method=\"GET\" Request=\"https://cucm.steven.lab:8443/cucm-uds/user/emusk/devices\" Rule=\"https://cucm.steven.lab:8443/cucm-uds/user/\" Match=\"prefix\" Type=\"Automatically generated rule for CUCM server\" UTCTime=\"$(utc_time "$t")\""
  entry "$t" "$TS" "UTCTime=\"$(utc_time "$t")\" $M Level=\"INFO\": Detail=\"Sending Request\" Txn-id=\"189\" TrackingID=\"6af9a674-9ebc-41ea-868e-90e7309a758c\" Dst-ip=\"127.0.10.1\" Dst-port=\"8443\" Msg=\"GET /cucm-uds/user/emusk/devices HTTP/1.1\""
  entry "$R1" "$TS" "UTCTime=\"$(utc_time "$R1")\" $M Level=\"INFO\": Detail=\"Receive Response\" Txn-id=\"189\" TrackingID=\"\" Src-ip=\"127.0.10.1\" Src-port=\"8443\" Msg=\"HTTP/1.1 200 \""
  t=$(epoch_add "$R1" 1)
  entry "$t" "$TS" "UTCTime=\"$(utc_time "$t")\" $M Level=\"INFO\": Detail=\"Sending Response\" Txn-id=\"189\" TrackingID=\"\" Dst-ip=\"127.0.0.1\" Dst-port=\"35764\" Msg=\"HTTP/1.1 200 \""
  # --- ===Failed connection on 6972=== (seed Txn 191) -> lab stream 2 (c3)
  t=$(epoch_add "$T3" -6)
  entry "$t" "$TS" "UTCTime=\"$(utc_time "$t")\" $M Level=\"INFO\": Detail=\"Receive Request\" Txn-id=\"191\" TrackingID=\"bb0c8492-8c15-4537-a7d1-082dde781dbd\" Src-ip=\"127.0.0.1\" Src-port=\"35766\" Last-via-addr=\"\" Msg=\"GET http://vcs_control.steven.lab:8443/c3RldmVuLmxhYi9odHRwcy9jdWNtLnN0ZXZlbi5sYWIvNjk3Mg/CSFemusk.cnf.xml HTTP/1.1\""
  t=$(epoch_add "$T3" -1)
  entry "$t" "$TS" "UTCTime=\"$(utc_time "$t")\" $M Level=\"INFO\": Detail=\"Sending Request\" Txn-id=\"191\" TrackingID=\"bb0c8492-8c15-4537-a7d1-082dde781dbd\" Dst-ip=\"127.0.10.1\" Dst-port=\"6972\" Msg=\"GET /CSFemusk.cnf.xml HTTP/1.1\""
  entry "$A3" "$TS" "[ET_NET 0] WARNING: Core server certificate verification failed for (cucm.steven.lab). Action=Terminate Error=self signed certificate server=cucm.steven.lab(127.0.10.1) depth=0"
  entry "$A3" "$TS" "[ET_NET 0] ERROR: SSL connection failed for 'cucm.steven.lab': error:1416F086:SSL routines:tls_process_server_certificate:certificate verify failed"
  t=$(epoch_add "$A3" 8)
  entry "$t" "$TS" "UTCTime=\"$(utc_time "$t")\" $M Level=\"INFO\": Detail=\"Sending Response\" Txn-id=\"191\" TrackingID=\"\" Dst-ip=\"127.0.0.1\" Dst-port=\"35766\" Msg=\"HTTP/1.1 502 connect failed\""
  # --- address not in the certificate (seed Txn 144, DEBUG level with HTTPMSG) -> lab stream 4 (c5)
  t=$(epoch_add "$T5" -6)
  entry "$t" "$TS" "UTCTime=\"$(utc_time "$t")\" $M Level=\"DEBUG\": Detail=\"Receive Request\" Txn-id=\"144\" TrackingID=\"0a334fa8-41e9-4b97-adf4-e165372c38cb\" Src-ip=\"127.0.0.1\" Src-port=\"30044\" Last-via-addr=\"\" "
  printf 'HTTPMSG:\n|GET http://vcs_control.steven.lab:8443/%s/cucm-uds/user/emusk/devices?max=100 HTTP/1.1\n Host: vcs_control.steven.lab:8443\n Accept: */*\n User-Agent: WebEx/0.0.0.0\n TrackingID: 0a334fa8-41e9-4b97-adf4-e165372c38cb\n \n |\n' "$SEG_IP"
  t=$(epoch_add "$T5" -1)
  entry "$t" "$TS" "UTCTime=\"$(utc_time "$t")\" $M Level=\"INFO\": Detail=\"Sending Request\" Txn-id=\"144\" TrackingID=\"0a334fa8-41e9-4b97-adf4-e165372c38cb\" Dst-ip=\"127.0.10.2\" Dst-port=\"8443\" Msg=\"GET /cucm-uds/user/emusk/devices?max=100 HTTP/1.1\""
  entry "$t" "$TS" "UTCTime=\"$(utc_time "$t")\" $M Level=\"DEBUG\": Detail=\"Sending Request\" Txn-id=\"144\" TrackingID=\"0a334fa8-41e9-4b97-adf4-e165372c38cb\" Dst-ip=\"127.0.10.2\" Dst-port=\"8443\" "
  printf 'HTTPMSG:\n|GET /cucm-uds/user/emusk/devices?max=100 HTTP/1.1\n Host: 127.0.10.2:8443\n Accept: */*\n User-Agent: WebEx/0.0.0.0\n TrackingID: 0a334fa8-41e9-4b97-adf4-e165372c38cb\n Via: http/1.1 vcs[0fxxxxxx-c853-xxxx-aa16-0a290bf56fc8] (ATS)\n \n |\n'
  entry "$A5" "$TS" "[ET_NET 2] WARNING: SNI (127.0.10.2) not in certificate. Action=Terminate server=127.0.10.2(127.0.10.2)"
  entry "$A5" "$TS" "[ET_NET 2] ERROR: SSL connection failed for '127.0.10.2': error:1416F086:SSL routines:tls_process_server_certificate:certificate verify failed"
  t=$(epoch_add "$A5" 8)
  entry "$t" "$TS" "UTCTime=\"$(utc_time "$t")\" $M Level=\"INFO\": Detail=\"Sending Response\" Txn-id=\"144\" TrackingID=\"\" Dst-ip=\"127.0.0.1\" Dst-port=\"30044\" Msg=\"HTTP/1.1 502 connect failed\""
  # --- added (not in the seed): a successful TLS 1.3 request -> lab stream 5 (c6)
  t=$(epoch_add "$T6" -6)
  entry "$t" "$TS" "UTCTime=\"$(utc_time "$t")\" $M Level=\"INFO\": Detail=\"Receive Request\" Txn-id=\"192\" TrackingID=\"4f6b1c2e-8d3a-4e5f-9a7b-1c2d3e4f5a6b\" Src-ip=\"127.0.0.1\" Src-port=\"35770\" Last-via-addr=\"\" Msg=\"GET http://vcs_control.steven.lab:8443/c3RldmVuLmxhYi9odHRwcy9jdWNtLnN0ZXZlbi5sYWIvODQ0Mw/cucm-uds/version HTTP/1.1\""
  t=$(epoch_add "$T6" -1)
  entry "$t" "$TS" "UTCTime=\"$(utc_time "$t")\" $M Level=\"INFO\": Detail=\"Sending Request\" Txn-id=\"192\" TrackingID=\"4f6b1c2e-8d3a-4e5f-9a7b-1c2d3e4f5a6b\" Dst-ip=\"127.0.10.1\" Dst-port=\"8443\" Msg=\"GET /cucm-uds/version HTTP/1.1\""
  entry "$R6" "$TS" "UTCTime=\"$(utc_time "$R6")\" $M Level=\"INFO\": Detail=\"Receive Response\" Txn-id=\"192\" TrackingID=\"\" Src-ip=\"127.0.10.1\" Src-port=\"8443\" Msg=\"HTTP/1.1 200 \""
  t=$(epoch_add "$R6" 1)
  entry "$t" "$TS" "UTCTime=\"$(utc_time "$t")\" $M Level=\"INFO\": Detail=\"Sending Response\" Txn-id=\"192\" TrackingID=\"\" Dst-ip=\"127.0.0.1\" Dst-port=\"35770\" Msg=\"HTTP/1.1 200 \""
} >"$OUTA"
log "expressway: wrote ${OUTA#"$SAMPLES"/}"

# ------------------------------------------------------------------ B. diagnostic bundle from the ATS run
ATS_PID=$(cat "$WORK/ats.pid")
TSP="traffic_server[$ATS_PID]"
YEAR=$(awk '{ sub(/^cqtq=/, "", $1); print int($1); exit }' "$ATS/access.log" | xargs -I{} date -u -d @{} +%Y)
START=$(awk '{ sub(/^cqtq=/, "", $1); print $1; exit }' "$ATS/access.log")
START=$(epoch_add "$START" -3000)                      # logging started 3 s before the first request
STAMP=$(TZ=UTC date -d "@$START" +%Y-%m-%d_%H-%M-%S)
BWORK="$WORK/bundle"
rm -rf "$BWORK" && mkdir -p "$BWORK"
LOGB="$BWORK/loggingsnapshot_${HOST}_${STAMP}.txt"

# deterministic version-4-shaped TrackingID from a string
uuid_of() {
  local h
  h=$(printf '%s' "$1" | md5sum)
  printf '%s-%s-4%s-a%s-%s' "${h:0:8}" "${h:8:4}" "${h:13:3}" "${h:17:3}" "${h:20:12}"
}
{
  # ATS diags.log (TZ=UTC): keep event-thread WARNING lines verbatim; render the ssl.error debug line
  # "SSL connection failed for ..." as the ERROR line older (8.x-based) Expressway ATS writes.
  grep -E '^\[[A-Z][a-z]{2} +[0-9]+ [0-9:.]+\] \[ET_[A-Z]+ [0-9]+\] (WARNING: |DEBUG: .*\(ssl\.error\) SSL connection failed for )' "$ATS/diags.log" |
    while IFS= read -r line; do
      ts=${line#[}; ts=${ts%%]*}
      rest=${line#*] }
      e=$(TZ=UTC date -d "$(awk '{ print $1, $2 }' <<<"$ts") $YEAR $(awk '{ print $3 }' <<<"$ts")" +%s.%3N)
      thread=${rest%%] *}]; payload=${rest#*] }
      case $payload in
        DEBUG:*) payload="ERROR: SSL connection failed for ${payload#*SSL connection failed for }" ;;
      esac
      printf '%s\t2\t%s\n' "$e" "$(entry "$e" "$TSP" "$thread $payload")"
    done
  # One transaction per access.log line
  txn=200
  while IFS= read -r line; do
    txn=$((txn + 1))
    declare -A f=()
    for kv in $line; do f[${kv%%=*}]=${kv#*=}; done
    cq=${f[cqtq]} url=${f[cquc]} in=${f[cquuc]}
    hostport=${url#https://}; hostport=${hostport%%/*}; path=/${url#https://*/}
    dport=${hostport##*:}; dhost=${hostport%:*}
    dip=${f[shi]}
    case $dip in '' | 0 | 0.0.0.0 | -) dip=$(awk -v h="$dhost" '$2 == h { print $1 }' "$ATS/config/hosts") ;; esac
    [ -n "$dip" ] || dip=$dhost
    tid=$(uuid_of "$in$cq")
    status=$(awk -F'\t' -v u="${in#http://vcs_control.steven.lab:8443/}" '$4 == u { print $5 }' "$WORK/ats-requests.final.tsv")
    [ -n "$status" ] || status="HTTP/1.1 ${f[pssc]} "
    case $path in # allow-list rule as Expressway generates them for a CUCM server
      /cucm-uds/user/*) rule="https://$hostport/cucm-uds/user/" ;;
      /cucm-uds/*) rule="https://$hostport/cucm-uds/" ;;
      *) rule="https://$hostport/" ;;
    esac
    t=$cq
    printf '%s\t0\t%s\n' "$t" "$(entry "$t" "$TSP" "UTCTime=\"$(utc_time "$t")\" $M Level=\"INFO\": Detail=\"Receive Request\" Txn-id=\"$txn\" TrackingID=\"$tid\" Src-ip=\"${f[chi]}\" Src-port=\"${f[chp]}\" Last-via-addr=\"\" Msg=\"GET $in HTTP/1.1\"")"
    t=$(epoch_add "$cq" 1)
    printf '%s\t0\t%s\n' "$t" "$(entry "$t" "$TSP" " Event=\"Request Allowed\" Detail=\"Access allowed\" Reason=\"In allow list\" Username=\"emusk\" Deployment=\"1\" Method=\"GET\" Request=\"$url\" Rule=\"$rule\" Match=\"prefix\" Type=\"Automatically generated rule for CUCM server\" UTCTime=\"$(utc_time "$t")\"")"
    printf '%s\t1\t%s\n' "$t" "$(entry "$t" "$TSP" "UTCTime=\"$(utc_time "$t")\" $M Level=\"INFO\": Detail=\"Sending Request\" Txn-id=\"$txn\" TrackingID=\"$tid\" Dst-ip=\"$dip\" Dst-port=\"$dport\" Msg=\"GET $path HTTP/1.1\"")"
    tend=$(epoch_add "$cq" "${f[ttms]}")
    if [ "${f[sssc]}" != 000 ] && [ "${f[sssc]}" != 0 ]; then
      t=$(epoch_add "$tend" -1)
      printf '%s\t3\t%s\n' "$t" "$(entry "$t" "$TSP" "UTCTime=\"$(utc_time "$t")\" $M Level=\"INFO\": Detail=\"Receive Response\" Txn-id=\"$txn\" TrackingID=\"\" Src-ip=\"$dip\" Src-port=\"$dport\" Msg=\"HTTP/1.1 ${f[sssc]} \"")"
    fi
    printf '%s\t4\t%s\n' "$tend" "$(entry "$tend" "$TSP" "UTCTime=\"$(utc_time "$tend")\" $M Level=\"INFO\": Detail=\"Sending Response\" Txn-id=\"$txn\" TrackingID=\"\" Dst-ip=\"${f[chi]}\" Dst-port=\"${f[chp]}\" Msg=\"$status\"")"
    unset f
  done <"$ATS/access.log"
} | sort -t $'\t' -k1,1n -k2,2n -s | cut -f3- >"$WORK/bundle-body.txt"
{
  entry "$START" tls-extract-samples "Detail=\"SAMPLE NOTICE\" Msg=\"Rebuilt by samples/scripts/expressway.sh from an Apache Traffic Server 9.2 run (samples/ats): traffic_server WARNING payloads are verbatim from its diags.log, ERROR lines are its ssl.error debug lines at the level older Expressway ATS uses, request/response lines are synthesized from its access.log. See samples/README.md.\""
  cat "$WORK/bundle-body.txt"
} >"$LOGB"

# tcpdump series: ats.pcap cut (editcap) so that the first 6972 handshake straddles the two files:
# its ClientHello ends tcpdump00, the server's Certificate flight starts tcpdump01.
B=$(tshark -r "$ATS/ats.pcap" -Y 'tcp.srcport == 6972 && tls.handshake.type == 2' -T fields -e frame.number 2>/dev/null | head -n1)
N=$(capinfos -c -M "$ATS/ats.pcap" | awk -F': *' '/Number of packets/ { print $2 }')
[ -n "$B" ] && [ "$B" -gt 1 ] || die "no 6972 ServerHello in ats.pcap"
editcap -r "$ATS/ats.pcap" "$BWORK/eth0_diagnostic_logging_tcpdump00_${HOST}_${STAMP}.pcap" "1-$((B - 1))"
editcap -r "$ATS/ats.pcap" "$BWORK/eth0_diagnostic_logging_tcpdump01_${HOST}_${STAMP}.pcap" "$B-$N"
cp "$LAB/ca.pem" "$BWORK/ca_${HOST}_${STAMP}.pem"
openssl x509 -in "$LAB/pki/vcsc.crt" >"$BWORK/server_${HOST}_${STAMP}.pem"
CIPHERS='EECDH:EDH:HIGH:-AES256+SHA:!MEDIUM:!LOW:!3DES:!MD5:!PSK:!eNULL:!aNULL:!aDH'
cat >"$BWORK/xconf_dump_${HOST}_${STAMP}.txt" <<EOF
SYNTHETIC SAMPLE (tls-extract samples): a few plausible xConfiguration lines, not taken from a real Expressway.
*c xConfiguration SystemUnit Name: "$HOST"
*c xConfiguration EdgeConfigServer VerifyOriginServer: On
*c xConfiguration Ciphers UCServerDiscovery Value: "$CIPHERS"
*c xConfiguration Ciphers ReverseProxy Value: "$CIPHERS"
*c xConfiguration Ciphers HTTPS Value: "$CIPHERS"
*c xConfiguration CollaborationEdge Enabled: On
*c xConfiguration Unified CM Servers Server 1 Address: "cucm.steven.lab"
*c xConfiguration Unified CM Servers Server 1 TlsVerify: Off
*c xConfiguration Unified CM Servers Server 2 Address: "127.0.10.2"
*c xConfiguration IMP Servers Server 1 Address: "imp.steven.lab"
OK
EOF
BUNDLE="$EXP/diagnostic_log_${HOST}_${STAMP}.tar.gz"
(cd "$BWORK" && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@${START%.*}" --format=gnu \
  -cf - loggingsnapshot_* eth0_* ca_* server_* xconf_dump_*) | gzip -9 -n >"$BUNDLE"
log "expressway: wrote ${BUNDLE#"$SAMPLES"/} ($(tar -tzf "$BUNDLE" | wc -l) files)"
