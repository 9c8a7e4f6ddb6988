#!/usr/bin/env bash
# Step 1a: the steven.lab PKI (keys + certificates) in samples/lab/pki/.
# Idempotent: existing keys/certificates are kept (so fingerprints stay stable across runs and
# the golden tests do not churn); pass --new-pki to make-samples.sh to regenerate everything.
# Validity windows are fixed (openssl ca -startdate/-enddate): 2024-01-01 .. 2034-01-01 (10 years).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

PKI=${1:?usage: pki.sh PKI_DIR WORK_DIR}
WORK=${2:?usage: pki.sh PKI_DIR WORK_DIR}
CNF="$HERE/openssl-lab.cnf"
START=20240101000000Z
END=20340101000000Z
ORG="/C=BE/ST=Flemish-Brabant/L=Diegem/O=Cisco/OU=TAC"

mkdir -p "$PKI"
if [ -s "$PKI/steven-DC-CA.crt" ] && [ -s "$PKI/imp-tomcat.crt" ]; then
  log "PKI present in $PKI (kept; use --new-pki to regenerate)"
  exit 0
fi
log "generating PKI in $PKI"
rm -f "$PKI"/*.key "$PKI"/*.crt

CAW="$WORK/ca"
rm -rf "$CAW" && mkdir -p "$CAW/newcerts"
: >"$CAW/index.txt"
export CADIR="$CAW"

rsa_key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; }
ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# sign NAME SUBJECT EXT SERIALHEX ISSUER(crt|-selfsign) ISSUERKEY
sign() {
  local name=$1 subj=$2 ext=$3 serial=$4 issuer=$5 ikey=$6
  openssl req -new -config "$CNF" -key "$PKI/$name.key" -subj "$subj" -out "$CAW/$name.csr"
  echo "$serial" >"$CAW/serial"
  local issuer_args=(-cert "$issuer")
  [ "$issuer" = -selfsign ] && issuer_args=(-selfsign)
  openssl ca -batch -config "$CNF" -notext -md sha256 -startdate "$START" -enddate "$END" \
    -extfile "$CNF" -extensions "$ext" -keyfile "$ikey" "${issuer_args[@]}" \
    -in "$CAW/$name.csr" -out "$PKI/$name.crt" 2>"$CAW/$name.err" || { cat "$CAW/$name.err" >&2; die "signing $name failed"; }
}

# Root CA of the lab (Active Directory CA in the seed): steven-DC-CA, RSA 2048, self-signed.
rsa_key "$PKI/steven-DC-CA.key"
sign steven-DC-CA "/DC=lab/DC=steven/CN=steven-DC-CA" ext_root_ca 5AB10001 -selfsign "$PKI/steven-DC-CA.key"

# CUCM tomcat (RSA) signed by steven-DC-CA
rsa_key "$PKI/cucm-tomcat.key"
sign cucm-tomcat "$ORG/CN=cucm-ms.steven.lab" ext_cucm_tomcat 5AB10002 "$PKI/steven-DC-CA.crt" "$PKI/steven-DC-CA.key"

# CUCM tomcat-ECDSA (P-256), self-signed, CN cucm-EC.steven.lab
ec_key "$PKI/cucm-tomcat-ECDSA.key"
sign cucm-tomcat-ECDSA "$ORG/CN=cucm-EC.steven.lab" ext_cucm_ecdsa_selfsigned 5AB10003 -selfsign "$PKI/cucm-tomcat-ECDSA.key"

# Second CUCM node reached by IP (127.0.10.2): DNS SAN cucm2.steven.lab + IP SAN 127.0.10.2
rsa_key "$PKI/cucm2-tomcat.key"
sign cucm2-tomcat "$ORG/CN=cucm2.steven.lab" ext_cucm2_tomcat 5AB10004 "$PKI/steven-DC-CA.crt" "$PKI/steven-DC-CA.key"

# Expressway-C (vcsc) certificate: used as the TLS client certificate (clientAuth EKU)
rsa_key "$PKI/vcsc.key"
sign vcsc "$ORG/CN=vcsc.steven.lab" ext_vcsc 5AB10005 "$PKI/steven-DC-CA.crt" "$PKI/steven-DC-CA.key"

# Extra: a CA that the Expressway does NOT trust, and the IM&P node certificate it signed
rsa_key "$PKI/steven-Other-CA.key"
sign steven-Other-CA "/DC=lab/DC=steven/CN=steven-Other-CA" ext_other_ca 5AB10006 -selfsign "$PKI/steven-Other-CA.key"
rsa_key "$PKI/imp-tomcat.key"
sign imp-tomcat "$ORG/CN=imp.steven.lab" ext_imp_tomcat 5AB10007 "$PKI/steven-Other-CA.crt" "$PKI/steven-Other-CA.key"

rm -rf "$CAW"
log "PKI done"
