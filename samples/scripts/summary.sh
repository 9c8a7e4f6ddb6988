#!/usr/bin/env bash
# Step 5: cross-check the captures with tshark (independent of tls-extract) and print a summary.
# Writes samples/lab/handshakes.tsv and samples/ats/handshakes.tsv: one row per TCP connection,
# derived only from tshark's dissection (+ openssl to name the certificates tshark extracted).
# Usage: summary.sh SAMPLES_DIR
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
SAMPLES=${1:?}

# cert_desc HEX -> "CN=<subject CN> [RSA|EC] issuer=<issuer CN> serial=<hex>"
cert_desc() {
  local der="$1" subj iss ser alg
  local txt
  txt=$(printf '%s' "$der" | perl -pe 's/([0-9a-fA-F]{2})/chr hex $1/ge' |
    openssl x509 -inform DER -noout -subject -issuer -serial -text -nameopt RFC2253 2>/dev/null) || { echo "?"; return; }
  subj=$(sed -n 's/^subject=.*CN=\([^,]*\).*/\1/p' <<<"$txt" | head -n1)
  iss=$(sed -n 's/^issuer=.*CN=\([^,]*\).*/\1/p' <<<"$txt" | head -n1)
  ser=$(sed -n 's/^serial=//p' <<<"$txt" | head -n1)
  alg=$(grep -m1 'Public Key Algorithm' <<<"$txt" | sed 's/.*: //; s/rsaEncryption/RSA/; s/id-ecPublicKey/EC/')
  printf 'CN=%s[%s] issuer=%s serial=%s' "$subj" "$alg" "$iss" "$ser"
}

# handshakes PCAP OUT_TSV
handshakes() {
  local pcap=$1 out=$2 raw
  raw=$(tshark -r "$pcap" -Y tls -T fields -E separator='|' -E occurrence=a \
    -e tcp.stream -e ip.src -e tcp.srcport -e ip.dst -e tcp.dstport -e tls.handshake.type \
    -e tls.handshake.extensions_server_name -e tls.handshake.extensions.supported_version \
    -e tls.handshake.version -e tls.handshake.ciphersuite -e tls.alert_message.desc \
    -e tls.handshake.certificate 2>/dev/null)
  printf 'stream\tclient\tserver\tsni\tversion\tcipher\tcert_request\tserver_certificates\tclient_certificate\talerts\n' >"$out"
  # awk: one record per stream; certificates are emitted as "@S:hex,hex" / "@C:hex" and named below
  awk -F'|' '
    function ver(v) { return v == "0x0304" ? "TLS1.3" : v == "0x0303" ? "TLS1.2" : v == "0x0302" ? "TLS1.1" : v }
    {
      s = $1; types = "," $6 ","
      if (!(s in cli) && index(types, ",1,")) { cli[s] = $2 ":" $3; srv[s] = $4 ":" $5; sni[s] = ($7 == "" ? "-" : $7); order[++n] = s }
      if (!(s in cli)) next
      fromserver = ($2 ":" $3 == srv[s])
      if (fromserver && index(types, ",2,")) {
        v = $8 != "" ? $8 : $9; vers[s] = ver(v); ciph[s] = $10
      }
      if (index(types, ",13,")) creq[s] = "yes"
      if (index(types, ",11,") && $12 != "") {
        if (fromserver) scert[s] = $12; else ccert[s] = $12
      }
      if ($11 != "") alerts[s] = alerts[s] (alerts[s] == "" ? "" : ";") (fromserver ? "server:" : "client:") $11
    }
    END {
      for (i = 1; i <= n; i++) {
        s = order[i]
        printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t@%s\t@%s\t%s\n", s, cli[s], srv[s], sni[s], vers[s], ciph[s],
          (s in creq ? "yes" : "no"), (s in scert ? scert[s] : ""), (s in ccert ? ccert[s] : ""),
          (s in alerts ? alerts[s] : "-")
      }
    }' <<<"$raw" | while IFS=$'\t' read -r st c sv sn v ci cr sc cc al; do
    local scd="" ccd="" h
    sc=${sc#@} cc=${cc#@}
    if [ -n "$sc" ]; then
      IFS=',' read -r -a arr <<<"$sc"
      for h in "${arr[@]}"; do scd+="${scd:+ | }$(cert_desc "$h")"; done
    else
      scd="(not visible)"
    fi
    if [ -n "$cc" ]; then ccd=$(cert_desc "${cc%%,*}"); else ccd="-"; fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$st" "$c" "$sv" "$sn" "$v" "$ci" "$cr" "$scd" "$ccd" "$al" >>"$out"
  done
}

handshakes "$SAMPLES/lab/lab.pcap" "$SAMPLES/lab/handshakes.tsv"
handshakes "$SAMPLES/ats/ats.pcap" "$SAMPLES/ats/handshakes.tsv"

echo
echo "=== samples summary ==="
echo "--- files"
(cd "$SAMPLES" && find lab ats expressway -type f ! -path 'lab/pki/*' -printf '%8s  %p\n' | sort -k2)
echo "--- capture formats"
for f in "$SAMPLES"/lab/lab*.pcap* "$SAMPLES"/ats/ats.pcap "$SAMPLES"/expressway/*.pcap; do
  [ -f "$f" ] || continue
  printf '%-28s %s\n' "${f#"$SAMPLES"/}" "$(capinfos -M -t -E -c -i "$f" 2>/dev/null | awk -F': *' '/File type|encapsulation|Number of packets|Data size/ {printf "%s; ", $2}')"
done
counts=$(for f in "$SAMPLES"/lab/lab*.pcap*; do capinfos -c -M "$f" | awk -F': *' '/Number of packets/ { print $2 }'; done | sort -u)
[ "$(wc -l <<<"$counts")" = 1 ] || echo "WARNING: the lab captures differ in packet count ($(echo $counts)): a tcpdump lost packets, re-run"
echo "--- lab.pcap handshakes (tshark)"
cut -f1-8,10 "$SAMPLES/lab/handshakes.tsv" | column -t -s $'\t'
echo "--- ats.pcap handshakes (tshark)"
cut -f1-8,10 "$SAMPLES/ats/handshakes.tsv" | column -t -s $'\t'
echo "--- Traffic Server WARNING lines (samples/ats/diags.log)"
grep -E 'WARNING: (Core server|SNI \()' "$SAMPLES/ats/diags.log" | sed 's/^\[[^]]*\] //' | uniq -c | sed 's/^ */  /'
echo "--- HTTP results through Traffic Server (samples/ats/access.log)"
awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = substr($i, length(kv[1]) + 2) } print "  " f["cquc"], "->", f["pssc"], f["crc"] }' "$SAMPLES/ats/access.log"
