#!/usr/bin/env bash
# Traffic Server verdict matrix: one origin per certificate case (name checks, chains, dates, key
# and digest strength, purposes), each reached through a real Apache Traffic Server 9.2 (Debian's
# `trafficserver`) configured like Expressway-C (policy ENFORCED, properties ALL, TLS 1.3 off, the
# Expressway cipher string). Outputs, in OUT_DIR:
#   matrix.pcap   tcpdump of every ATS -> origin connection (lo, -s 0)
#   diags.log     Traffic Server's diags.log (verification warnings, ssl.error debug lines)
#   ca.pem        the trust store ATS used (Matrix-Root-CA, and Matrix-Expired-Root-CA for case c37)
#   cases.tsv     per case: name, origin address, the name ATS connected with, what the certificate is,
#                 the HTTP status ATS returned (200 = it accepted the certificate, 502 = it refused it)
#                 and, when refused, the Error= and depth= of its "certificate verification failed" line, or
#                 its "SNI (<name>) not in certificate" text when the name check refused it
# Nothing is forged: certificates come from `openssl ca`, traffic from openssl s_server + ATS + curl.
# With ATS_MATRIX_TLS13=1 Traffic Server may use TLS 1.3 (the origins accept it), so the certificates are
# encrypted in the capture and only the log tells the verdict (samples/ats-matrix-tls13).
# Needs root (tcpdump on lo). Usage: [ATS_MATRIX_TLS13=1] ats-matrix.sh OUT_DIR WORK_DIR
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
# shellcheck source=ats-lib.sh
. "$HERE/ats-lib.sh"

OUT=${1:?usage: ats-matrix.sh OUT_DIR WORK_DIR}
WORK=${2:?usage: ats-matrix.sh OUT_DIR WORK_DIR}
ATS_PORT=${ATS_MATRIX_PORT:-19444}
[ -x "$TS_BIN" ] || die "traffic_server not found (apt-get install -y trafficserver)"
need openssl tcpdump curl ss
trap cleanup_pids EXIT

CIPHERS='EECDH:EDH:HIGH:-AES256+SHA:!MEDIUM:!LOW:!3DES:!MD5:!PSK:!eNULL:!aNULL:!aDH'
NET=127.0.30
PKI="$WORK/matrix-pki"
rm -rf "$PKI" && mkdir -p "$PKI/newcerts" "$OUT"
: >"$PKI/index.txt"

# ---------------------------------------------------------------- PKI
cat >"$PKI/ca.cnf" <<'EOF'
[ ca ]
default_ca = m
[ m ]
dir = $ENV::CADIR
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
preserve = yes
[ any ]
commonName = supplied
organizationName = optional
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = placeholder
[ root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ inter ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ inter_not_ca ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ leaf ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $ENV::SAN
[ leaf_nosan ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ leaf_clientonly ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $ENV::SAN
[ leaf_critical ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $ENV::SAN
1.3.6.1.4.1.99999.1 = critical, ASN1:NULL
[ leaf_certsign_only ]
basicConstraints = CA:FALSE
keyUsage = critical, keyCertSign
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $ENV::SAN
[ leaf_email_san ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = email:admin@matrix.lab
[ inter_no_certsign ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ leaf_selfsigned ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature, keyEncipherment, keyCertSign
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
subjectAltName = $ENV::SAN
EOF
export CADIR="$PKI" SAN="DNS:placeholder"
SERIAL=1000

key() { # FILE rsa:BITS|ec
  case $2 in
    ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null ;;
    ed25519) openssl genpkey -algorithm ED25519 -out "$1" 2>/dev/null ;;
    rsa:*) openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${2#rsa:}" -out "$1" 2>/dev/null ;;
  esac
}
# cert NAME CN EXT ISSUER(name|-self) START END MD KEYTYPE [SAN]
cert() {
  local name=$1 cn=$2 ext=$3 issuer=$4 start=$5 end=$6 md=$7 kt=$8
  SAN=${9:-DNS:placeholder}
  SERIAL=$((SERIAL + 1))
  key "$PKI/$name.key" "$kt"
  openssl req -new -config "$PKI/ca.cnf" -key "$PKI/$name.key" -subj "/O=tls-extract matrix/CN=$cn" -out "$PKI/$name.csr"
  printf '%04X\n' "$SERIAL" >"$PKI/serial"
  local iss=(-cert "$PKI/$issuer.crt" -keyfile "$PKI/$issuer.key")
  [ "$issuer" = -self ] && iss=(-selfsign -keyfile "$PKI/$name.key")
  local mdargs=(-md "$md")
  [ "$md" = sha256-pss ] && mdargs=(-md sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest)
  openssl ca -batch -config "$PKI/ca.cnf" -notext "${mdargs[@]}" -startdate "$start" -enddate "$end" \
    -extfile "$PKI/ca.cnf" -extensions "$ext" "${iss[@]}" -in "$PKI/$name.csr" -out "$PKI/$name.crt" \
    2>"$PKI/$name.err" || { cat "$PKI/$name.err" >&2; die "signing $name failed"; }
}
S=20240101000000Z E=20340101000000Z
cert root "Matrix-Root-CA" root -self $S $E sha256 rsa:2048
cert inter "Matrix-Issuing-CA" inter root $S $E sha256 rsa:2048
cert inter-notca "Matrix-NotCA-Issuer" inter_not_ca root $S $E sha256 rsa:2048
cert other "Other-Root-CA" root -self $S $E sha256 rsa:2048
cert inter0 "Matrix-Pathlen0-CA" inter root $S $E sha256 rsa:2048
cert inter0-sub "Matrix-Below-Pathlen0-CA" inter inter0 $S $E sha256 rsa:2048
cert inter-expired "Matrix-Expired-Issuing-CA" inter root 20200101000000Z 20210101000000Z sha256 rsa:2048
cert expired-root "Matrix-Expired-Root-CA" root -self 20200101000000Z 20210101000000Z sha256 rsa:2048
cert impostor "Matrix-Root-CA" root -self $S $E sha256 rsa:2048
cert inter-nocertsign "Matrix-NoCertSign-CA" inter_no_certsign root $S $E sha256 rsa:2048

# ---------------------------------------------------------------- cases
# name | host octet | connect by (name|ip) | extensions | chain sent after the leaf | what it is.
# Unless said otherwise the leaf's CN is elsewhere.matrix.lab, so that its SAN alone decides.
CASES=(
  "c01|1|name|leaf|-|good: DNS SAN = connected name, signed by the trusted root"
  "c02|2|name|leaf|-|DNS SAN of another host only"
  "c03|3|name|leaf_nosan|-|no SAN, CN = connected name"
  "c04|4|name|leaf|-|wildcard DNS SAN *.matrix.lab"
  "c05|5|name|leaf|-|partial wildcard DNS SAN c0*.matrix.lab"
  "c06|6|name|leaf|-|expired (2020-2021)"
  "c07|7|name|leaf|-|not yet valid (2040-2050)"
  "c08|8|name|leaf|inter|signed by an intermediate that the server sends"
  "c09|9|name|leaf|-|signed by an intermediate that the server does not send"
  "c10|10|name|leaf_selfsigned|-|self-signed, DNS SAN = connected name"
  "c11|11|name|leaf|other|signed by an untrusted root that the server sends"
  "c12|12|name|leaf|-|signed by an untrusted root that the server does not send"
  "c13|13|name|leaf|-|DNS SAN in upper case"
  "c14|14|name|leaf_clientonly|-|extended key usage clientAuth only"
  "c15|15|name|leaf|inter-notca|issuer certificate has CA:FALSE"
  "c16|16|name|leaf|-|ECDSA P-256 key, signed by the (RSA) trusted root"
  "c17|17|name|leaf|-|wildcard DNS SAN one level too high (*.matrix.lab for a.c17.matrix.lab)"
  "c18|18|name|leaf|-|DNS SAN and CN = connected name"
  "c19|19|name|leaf|-|CN = connected name, DNS SAN another name"
  "c20|20|ip|leaf|-|reached by IP, the IP written as a DNS SAN"
  "c21|21|ip|leaf|-|reached by IP, IP-address SAN only"
  "c22|22|name|leaf|-|signed with SHA-1"
  "c23|23|name|leaf|-|RSA 1024-bit key"
  "c24|24|name|leaf|inter root|intermediate and root sent (root also in the trust store)"
  "c25|25|name|leaf|root inter|intermediate and root sent in the wrong order"
  "c26|26|ip|leaf_nosan|-|reached by IP, no SAN, CN = the IP"
  "c27|27|name|leaf_nosan|-|no SAN, two CNs: another name first, the connected name second"
  "c28|28|name|leaf_nosan|-|no SAN, two CNs: the connected name first, another name second"
  "c29|29|name|leaf|-|wildcard DNS SAN *.c29.matrix.lab for c29.matrix.lab itself"
  "c30|30|name|leaf_critical|-|an unknown extension marked critical"
  "c31|31|name|leaf|-|wildcard DNS SAN *.lab for the 5-character name w.lab"
  "c32|32|name|leaf|inter0-sub inter0|two intermediates below a pathlen:0 CA"
  "c33|33|name|leaf_certsign_only|-|leaf keyUsage keyCertSign only"
  "c34|34|name|leaf|inter-expired|signed by an expired intermediate that the server sends"
  "c35|35|name|leaf_email_san|-|e-mail SAN only, CN = connected name"
  "c36|36|name|leaf|-|signed by a root named like the trusted one (another key)"
  "c37|37|name|leaf|-|signed by an expired root that is in the trust store"
  "c38|38|name|leaf|-|DNS SAN with a trailing dot (c38.matrix.lab.)"
  "c39|39|name|leaf|-|wildcard DNS SAN in upper case (*.MATRIX.LAB)"
  "c40|40|name|leaf_nosan|-|no SAN, CN with a trailing dot"
  "c41|41|name|leaf|-|wildcard at the start of a label (*41.matrix.lab)"
  "c42|42|name|leaf|-|two wildcard labels (*.*.matrix.lab for a.c42.matrix.lab)"
  "c43|43|name|leaf|inter-nocertsign|issuer CA:TRUE without keyCertSign in its keyUsage"
  "c44|44|name|leaf|-|Ed25519 key, signed by the (RSA) trusted root"
  "c45|45|name|leaf|-|RSASSA-PSS signature (SHA-256)"
)
host_of() { # case name -> the name ATS connects with
  case $1 in
    c17) echo a.c17.matrix.lab ;;
    c31) echo w.lab ;;
    c41) echo c41.matrix.lab ;;
    c42) echo a.c42.matrix.lab ;;
    *) echo "$1.matrix.lab" ;;
  esac
}
for row in "${CASES[@]}"; do
  IFS='|' read -r name oct _by ext _chain _what <<<"$row"
  host=$(host_of "$name")
  issuer=root start=$S end=$E md=sha256 kt=rsa:2048 cn=elsewhere.matrix.lab san="DNS:$host"
  case $name in
    c02) san="DNS:another.matrix.lab" ;;
    c03) cn=$host ;;
    c04) san="DNS:*.matrix.lab" ;;
    c05) san="DNS:c0*.matrix.lab" ;;
    c06) start=20200101000000Z end=20210101000000Z ;;
    c07) start=20400101000000Z end=20500101000000Z ;;
    c08|c09|c24|c25) issuer=inter ;;
    c10) issuer=-self ;;
    c11|c12) issuer=other ;;
    c13) san="DNS:C13.MATRIX.LAB" ;;
    c15) issuer=inter-notca ;;
    c16) kt=ec ;;
    c17) san="DNS:*.matrix.lab" ;;
    c18) cn=$host ;;
    c19) cn=$host san="DNS:another.matrix.lab" ;;
    c20) san="DNS:$NET.$oct" ;;
    c21) san="IP:$NET.$oct" ;;
    c22) md=sha1 ;;
    c23) kt=rsa:1024 ;;
    c26) cn="$NET.$oct" ;;
    c27) cn="elsewhere.matrix.lab/CN=$host" ;;
    c28) cn="$host/CN=elsewhere.matrix.lab" ;;
    c29) san="DNS:*.$host" ;;
    c31) san="DNS:*.lab" ;;
    c32) issuer=inter0-sub ;;
    c34) issuer=inter-expired ;;
    c35) cn=$host ;;
    c36) issuer=impostor ;;
    c37) issuer=expired-root ;;
    c38) san="DNS:$host." ;;
    c39) san="DNS:*.MATRIX.LAB" ;;
    c40) cn="$host." ;;
    c41) san="DNS:*41.matrix.lab" ;;
    c42) san="DNS:*.*.matrix.lab" ;;
    c43) issuer=inter-nocertsign ;;
    c44) kt=ed25519 ;;
    c45) md=sha256-pss ;;
  esac
  cert "$name" "$cn" "$ext" "$issuer" "$start" "$end" "$md" "$kt" "$san"
done
cat "$PKI/root.crt" "$PKI/expired-root.crt" >"$OUT/ca.pem"

# ---------------------------------------------------------------- origins
WWW="$WORK/matrix-www"
mkdir -p "$WWW"
printf 'ok\n' >"$WWW/index.txt"
for row in "${CASES[@]}"; do
  IFS='|' read -r name oct _by _ext chain _what <<<"$row"
  port_free "$NET.$oct" 8443 || die "$NET.$oct:8443 is already in use"
  args=(-accept "$NET.$oct:8443" -cert "$PKI/$name.crt" -key "$PKI/$name.key" -cipher 'ALL:@SECLEVEL=0')
  if [ "$chain" != - ]; then
    : >"$PKI/$name.chain"
    for c in $chain; do cat "$PKI/$c.crt" >>"$PKI/$name.chain"; done
    args+=(-cert_chain "$PKI/$name.chain")
  fi
  (cd "$WWW" && exec openssl s_server -quiet -WWW "${args[@]}") </dev/null >"$WORK/matrix-$name.out" 2>&1 &
  BG_PIDS+=("$!")
done
for row in "${CASES[@]}"; do
  IFS='|' read -r _name oct _rest <<<"$row"
  wait_listen "$NET.$oct" 8443
done

# ---------------------------------------------------------------- Traffic Server
port_free 127.0.0.1 "$ATS_PORT" || die "127.0.0.1:$ATS_PORT is already in use"
RR="$WORK/matrix-ats"
ats_runroot "$RR"
cp "$OUT/ca.pem" "$RR/ssl/ca.pem"
: >"$RR/etc/hosts"
: >"$RR/etc/remap.config"
for row in "${CASES[@]}"; do
  IFS='|' read -r name oct by _rest <<<"$row"
  host=$(host_of "$name")
  printf '%s %s\n' "$NET.$oct" "$host" >>"$RR/etc/hosts"
  target=$host
  [ "$by" = ip ] && target="$NET.$oct"
  printf 'map http://vcs_control.matrix.lab:8443/%s/ https://%s:8443/\n' "$name" "$target" >>"$RR/etc/remap.config"
done
printf 'nameserver 127.0.0.1\n' >"$RR/etc/resolv.conf"
: >"$RR/etc/storage.config"
: >"$RR/etc/plugin.config"
{
  echo '# Throwaway Traffic Server for the verdict matrix (samples/scripts/ats-matrix.sh)'
  ats_records "$RR" "$ATS_PORT" 0 # one handshake per request
  cat <<EOF
CONFIG proxy.config.ssl.client.TLSv1_3 INT ${ATS_MATRIX_TLS13:-0}
CONFIG proxy.config.ssl.client.cipher_suite STRING $CIPHERS
CONFIG proxy.config.log.logging_enabled INT 0
EOF
  ats_diags_records
} >"$RR/etc/records.config"

rm -f "$OUT/matrix.pcap"
start_tcpdump TD lo "$OUT/matrix.pcap" "tcp and net $NET.0/24 and port 8443"
log "matrix: starting traffic_server on 127.0.0.1:$ATS_PORT"
ats_start "$RR" "$ATS_PORT"

printf 'case\taddress\tconnected_as\tcertificate\thttp_code\tats_error\tats_depth\n' >"$OUT/cases.tsv"
for row in "${CASES[@]}"; do
  IFS='|' read -r name oct by _ext _chain what <<<"$row"
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 15 \
    --connect-to "vcs_control.matrix.lab:8443:127.0.0.1:$ATS_PORT" "http://vcs_control.matrix.lab:8443/$name/index.txt" || true)
  log "  $name -> HTTP $code ($what)"
  sleep 0.3
  as=$(host_of "$name")
  [ "$by" = ip ] && as="$NET.$oct"
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$NET.$oct:8443" "$as" "$what" "$code" >>"$WORK/matrix-codes.tsv"
done
settle_capture
stop_tcpdump "$TD"
grep -h -E 'captured|dropped' "$OUT/matrix.pcap.stderr" >&2 || true
rm -f "$OUT/matrix.pcap.stderr"
ats_stop
cp "$RR/log/diags.log" "$OUT/diags.log"

# the first "verification failed" warning for each origin address: Error=<text> ... server=<name>(<ip>) depth=<n>
while IFS=$'\t' read -r name addr as what code; do
  ip=${addr%:*}
  line=$(grep -F "($ip) depth=" "$OUT/diags.log" | grep -F 'certificate verification failed' | head -n1 || true)
  sni=$(grep -F "server=$as($ip)" "$OUT/diags.log" | grep -F ' not in certificate.' | head -n1 || true)
  err=- depth=-
  if [ -n "$line" ]; then
    err=$(sed -E 's/.* Error=(.*) server=.*/\1/' <<<"$line")
    depth=$(sed -E 's/.* depth=([0-9]+).*/\1/' <<<"$line")
  elif [ -n "$sni" ]; then
    err=$(sed -E 's/.* WARNING: (SNI \(.*\) not in certificate)\..*/\1/' <<<"$sni")
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$addr" "$as" "$what" "$code" "$err" "$depth" >>"$OUT/cases.tsv"
done <"$WORK/matrix-codes.tsv"
rm -f "$WORK/matrix-codes.tsv"
column -t -s $'\t' "$OUT/cases.tsv" >&2
