#!/usr/bin/env bash
# Generates the OpenSSL differential chain fixtures in test/fixtures/chains/<case>/ ONCE (they are
# committed; regenerating changes every key and fingerprint). Each case holds:
#   leaf.pem       the server's leaf certificate
#   untrusted.pem  what the server sent after the leaf, in order (may be empty)
#   ca.pem         the trust store
#   meta.json      attime, name, and the verdicts recorded from
#                  `openssl verify -attime T -purpose sslserver -CAfile ca.pem [-untrusted untrusted.pem]
#                   [-verify_hostname N | -verify_ip N] -show_chain leaf.pem`
#                  at the capture time ("openssl"), with the name ("openssl_name"), and at the
#                  generation time ("now").
# `-purpose sslserver` is what libssl sets for a TLS client (X509_STORE_CTX_set_default "ssl_server"),
# i.e. what Traffic Server gets. Requires openssl >= 3.0 (uses `openssl ca -startdate/-enddate`).
# Usage: scripts/make-chain-fixtures.sh [outdir]   (default test/fixtures/chains)
set -euo pipefail
export LC_ALL=C
ROOT_DIR=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT_DIR/test/fixtures/chains}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
mkdir -p newcerts keys certs
touch index.txt
echo 1000 > serial

# capture time used by most cases: 2025-06-01T00:00:00Z
T0=1748736000
NOW=$(date -u +%s)

cat > ca.cnf <<'CNF'
[ca]
default_ca = CA_default
[CA_default]
dir = .
database = ./index.txt
new_certs_dir = ./newcerts
serial = ./serial
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
[policy_any]
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
organizationalUnitName = optional
commonName = optional
[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
CNF

cat > ext.cnf <<'CNF'
[root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[root_pathlen0]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[inter]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[inter_noca]
basicConstraints = critical,CA:FALSE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[inter_noku]
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[inter_nobc]
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $ENV::SAN
[leaf_noaki]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = none
subjectAltName = $ENV::SAN
[leaf_ec]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $ENV::SAN
[leaf_nosan]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf_clientonly]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $ENV::SAN
[selfsigned]
keyUsage = critical,digitalSignature,keyEncipherment,keyCertSign
extendedKeyUsage = serverAuth,clientAuth
subjectKeyIdentifier = hash
subjectAltName = $ENV::SAN
[selfsigned_nocertsign]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth,clientAuth
subjectKeyIdentifier = hash
subjectAltName = $ENV::SAN
CNF

# genkey NAME TYPE
genkey() {
  local f=keys/$1.key
  case $2 in
    rsa2048) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$f" 2>/dev/null ;;
    rsa4096) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out "$f" 2>/dev/null ;;
    rsapss) openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out "$f" 2>/dev/null ;;
    p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve -out "$f" ;;
    p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -pkeyopt ec_param_enc:named_curve -out "$f" ;;
    ed25519) openssl genpkey -algorithm ED25519 -out "$f" ;;
    explicit) openssl ecparam -name prime256v1 -param_enc explicit -genkey -noout -out "$f" ;;
    *) echo "unknown key type $2" >&2; exit 1 ;;
  esac
}

# mkcert NAME KEY SUBJ SIGNER(self|cert name) START END EXTSECTION [SAN] [extra openssl ca args...]
mkcert() {
  local name=$1 key=$2 subj=$3 signer=$4 start=$5 end=$6 ext=$7 san=${8:-DNS:unused.invalid}
  shift 8 || shift $#
  openssl req -new -key "keys/$key.key" -subj "$subj" -config ca.cnf -out "$WORK/req.csr"
  if [ "$signer" = self ]; then
    SAN=$san openssl ca -batch -config ca.cnf -selfsign -keyfile "keys/$key.key" -in req.csr \
      -out "certs/$name.pem" -startdate "$start" -enddate "$end" -extfile ext.cnf -extensions "$ext" \
      -notext -preserveDN "$@" >/dev/null 2>&1
  else
    SAN=$san openssl ca -batch -config ca.cnf -cert "certs/$signer.pem" -keyfile "keys/$signer.key" \
      -in req.csr -out "certs/$name.pem" -startdate "$start" -enddate "$end" -extfile ext.cnf \
      -extensions "$ext" -notext -preserveDN "$@" >/dev/null 2>&1
  fi
  openssl x509 -in "certs/$name.pem" -out "certs/$name.pem"
  # every certificate's private key is reachable as keys/<cert name>.key (for signing below it)
  [ -f "keys/$name.key" ] || cp "keys/$key.key" "keys/$name.key"
}

# tamper NAME NEW: flip the last byte of the signature
tamper() {
  openssl x509 -in "certs/$1.pem" -outform DER -out t.der
  local size; size=$(stat -c %s t.der)
  local last; last=$(tail -c 1 t.der | od -An -tu1 | tr -d ' ')
  head -c $((size - 1)) t.der > t2.der
  printf "\\$(printf '%03o' $(((last + 1) % 256)))" >> t2.der
  openssl x509 -inform DER -in t2.der -out "certs/$2.pem"
}

# verify_json DIR ATTIME [extra verify args...] -> JSON object on stdout
verify_json() {
  local d=$1 at=$2; shift 2
  local args=(-attime "$at" -purpose sslserver -CAfile "$d/ca.pem")
  if [ -s "$d/untrusted.pem" ]; then args+=(-untrusted "$d/untrusted.pem"); fi
  local out rc=0
  out=$(openssl verify "${args[@]}" "$@" -show_chain "$d/leaf.pem" 2>&1) || rc=$?
  local errs="" first=1 line
  while IFS= read -r line; do
    if [[ $line =~ ^error\ ([0-9]+)\ at\ ([0-9]+)\ depth\ lookup:\ (.*)$ ]]; then
      [ $first = 1 ] || errs+=", "
      errs+="{\"num\": ${BASH_REMATCH[1]}, \"depth\": ${BASH_REMATCH[2]}, \"text\": \"${BASH_REMATCH[3]}\"}"
      first=0
    fi
  done <<< "$out"
  local chain; chain=$(grep -c '^depth=' <<< "$out" || true)
  local ok=false; [ $rc = 0 ] && ok=true
  printf '{"attime": %s, "args": "%s", "ok": %s, "errors": [%s], "chain_length": %s}' \
    "$at" "$*" "$ok" "$errs" "$chain"
}

# mkcase NAME "DESCRIPTION" LEAF "UNTRUSTED..." "STORE..." [ATTIME] [NAME_TO_CHECK] [NAME_KIND dns|ip] [DIFFERS]
mkcase() {
  local c=$1 desc=$2 leaf=$3 untrusted=$4 store=$5 at=${6:-$T0} name=${7:-} kind=${8:-dns} differs=${9:-}
  local d=$OUT/$c
  rm -rf "$d"; mkdir -p "$d"
  cp "certs/$leaf.pem" "$d/leaf.pem"
  : > "$d/untrusted.pem"
  for u in $untrusted; do cat "certs/$u.pem" >> "$d/untrusted.pem"; done
  : > "$d/ca.pem"
  for s in $store; do cat "certs/$s.pem" >> "$d/ca.pem"; done
  local main named=null nm=null
  main=$(verify_json "$d" "$at")
  if [ -n "$name" ]; then
    nm="\"$name\""
    if [ "$kind" = ip ]; then named=$(verify_json "$d" "$at" -verify_ip "$name")
    else named=$(verify_json "$d" "$at" -verify_hostname "$name"); fi
  fi
  local now; now=$(verify_json "$d" "$NOW")
  local dif=null; [ -n "$differs" ] && dif="\"$differs\""
  cat > "$d/meta.json" <<JSON
{
  "case": "$c",
  "description": "$desc",
  "attime": $at,
  "name": $nm,
  "name_kind": "$kind",
  "openssl_version": "$(openssl version | cut -d' ' -f1-2)",
  "openssl": $main,
  "openssl_name": $named,
  "now": $now,
  "deliberate_difference": $dif
}
JSON
  echo "$c: $(grep -o '"ok": [a-z]*' <<< "$main") $(grep -o '"num": [0-9]*, "depth": [0-9]*' <<< "$main" | tr '\n' ' ')"
}

Y20=20200101000000Z; Y40=20400101000000Z; Y23=20230101000000Z; Y30=20300101000000Z

# ---- keys
for k in root root2 rootold rootnew inter inter2 interb leaf leaf2 other selfkey ss2; do genkey $k rsa2048; done
genkey rsa4096 rsa4096; genkey pss rsapss; genkey ec256 p256; genkey ec384 p384; genkey ecroot p384
genkey ecinter p256; genkey ed ed25519; genkey edleaf ed25519; genkey exp explicit

# ---- CAs
mkcert root root "/C=US/O=Steven Lab/CN=steven-DC-CA" self $Y20 $Y40 root
mkcert other other "/O=Unrelated/CN=Unrelated Root CA" self $Y20 $Y40 root
mkcert inter inter "/O=Steven Lab/CN=Steven Issuing CA" root $Y20 $Y40 inter
mkcert inter_noca inter "/O=Steven Lab/CN=Steven Not A CA" root $Y20 $Y40 inter_noca
mkcert inter_noku inter "/O=Steven Lab/CN=Steven No CertSign CA" root $Y20 $Y40 inter_noku
mkcert inter_nobc inter "/O=Steven Lab/CN=Steven No BC CA" root $Y20 $Y40 inter_nobc
mkcert inter_expired inter "/O=Steven Lab/CN=Steven Expired CA" root 20200101000000Z 20250101000000Z inter
mkcert root_expired root2 "/O=Old Lab/CN=Old Root CA" self 20150101000000Z 20250101000000Z root
mkcert inter_under_expired inter2 "/O=Old Lab/CN=Old Issuing CA" root_expired $Y20 $Y40 inter
mkcert root_pl0 root2 "/O=Pathlen Lab/CN=Pathlen0 Root" self $Y20 $Y40 root_pathlen0
mkcert inter_pl inter2 "/O=Pathlen Lab/CN=Pathlen Issuing CA" root_pl0 $Y20 $Y40 inter
# two CAs with the same DN, different keys (AKI/SKI must pick the right one)
mkcert twin_a inter "/O=Twin Lab/CN=Twin CA" root $Y20 $Y40 inter
mkcert twin_b interb "/O=Twin Lab/CN=Twin CA" root $Y20 $Y40 inter
mkcert twin_a_noaki inter "/O=Twin2 Lab/CN=Twin2 CA" root $Y20 $Y40 inter
mkcert twin_b_noaki interb "/O=Twin2 Lab/CN=Twin2 CA" root $Y20 $Y40 inter
# cross-signed: rootnew self-signed (not in store) and the same subject+key signed by rootold
mkcert rootold rootold "/O=Cross Lab/CN=Cross Old Root" self $Y20 $Y40 root
mkcert rootnew rootnew "/O=Cross Lab/CN=Cross New Root" self $Y20 $Y40 root
mkcert rootnew_by_old rootnew "/O=Cross Lab/CN=Cross New Root" rootold $Y20 $Y40 inter
mkcert cross_inter inter2 "/O=Cross Lab/CN=Cross Issuing CA" rootnew $Y20 $Y40 inter
# ECDSA and Ed25519 CAs
mkcert ecroot ecroot "/O=EC Lab/CN=EC Root P-384" self $Y20 $Y40 root
mkcert ecinter ecinter "/O=EC Lab/CN=EC Issuing P-256" ecroot $Y20 $Y40 inter
mkcert edroot ed "/O=Ed Lab/CN=Ed25519 Root" self $Y20 $Y40 root
# a v1 root (no extensions): OpenSSL accepts it as a trust anchor (X509_check_ca returns 3)
genkey v1root rsa2048
openssl req -new -key keys/v1root.key -subj "/O=V1 Lab/CN=V1 Root" -config ca.cnf -out v1.csr
# no -extfile: `openssl ca` then writes a version 1 certificate
openssl ca -batch -config ca.cnf -selfsign -keyfile keys/v1root.key -in v1.csr -out certs/v1root.pem \
  -startdate $Y20 -enddate $Y40 -notext -preserveDN >/dev/null 2>&1
openssl x509 -in certs/v1root.pem -out certs/v1root.pem

# ---- leaves
SANS="DNS:cucm.steven.lab,DNS:cucm-ms.steven.lab"
mkcert leaf leaf "/C=US/O=Cisco/OU=TAC/CN=cucm-ms.steven.lab" inter $Y23 $Y30 leaf "$SANS"
mkcert leaf_root leaf "/O=Cisco/CN=cucm-ms.steven.lab" root $Y23 $Y30 leaf "$SANS"
mkcert leaf_expired leaf "/CN=cucm.steven.lab" inter 20200101000000Z 20250101000000Z leaf "DNS:cucm.steven.lab"
mkcert leaf_future leaf "/CN=cucm.steven.lab" inter 20250601000000Z 20270601000000Z leaf "DNS:cucm.steven.lab"
mkcert leaf_nyv leaf "/CN=cucm.steven.lab" inter 20300101000000Z 20350101000000Z leaf "DNS:cucm.steven.lab"
mkcert leaf_ip leaf "/O=Cisco/CN=cucm" inter $Y23 $Y30 leaf "IP:10.48.36.215"
mkcert leaf_ip6 leaf "/O=Cisco/CN=cucm6" inter $Y23 $Y30 leaf "IP:2001:db8:0:0:0:0:0:215"
mkcert leaf_wild leaf "/O=Cisco/CN=wildcard.steven.lab" inter $Y23 $Y30 leaf "DNS:*.steven.lab"
mkcert leaf_wild_short leaf "/O=Cisco/CN=wildcard-short" inter $Y23 $Y30 leaf "DNS:*.a.b"
mkcert leaf_wild_partial leaf "/O=Cisco/CN=partial" inter $Y23 $Y30 leaf "DNS:cu*.steven.lab"
mkcert leaf_cn leaf "/O=Cisco/CN=cucm.steven.lab" inter $Y23 $Y30 leaf_nosan
mkcert leaf_cn_not_san leaf "/O=Cisco/CN=cucm.steven.lab" inter $Y23 $Y30 leaf "DNS:other.steven.lab"
mkcert leaf_ec256 ec256 "/O=Cisco/CN=cucm-EC.steven.lab" ecinter $Y23 $Y30 leaf_ec "DNS:cucm.steven.lab"
mkcert leaf_ec384 ec384 "/O=Cisco/CN=cucm-EC384.steven.lab" inter $Y23 $Y30 leaf_ec "DNS:cucm.steven.lab"
mkcert leaf_rsa4096 rsa4096 "/O=Cisco/CN=cucm-4096.steven.lab" inter $Y23 $Y30 leaf "DNS:cucm.steven.lab"
mkcert leaf_psskey pss "/O=Cisco/CN=cucm-pss.steven.lab" inter $Y23 $Y30 leaf "DNS:cucm.steven.lab"
mkcert leaf_psssig leaf "/O=Cisco/CN=cucm-psssig.steven.lab" inter $Y23 $Y30 leaf "DNS:cucm.steven.lab" \
  -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32
mkcert leaf_ed edleaf "/O=Cisco/CN=cucm-ed.steven.lab" edroot $Y23 $Y30 leaf_ec "DNS:cucm.steven.lab"
mkcert leaf_explicit exp "/O=Cisco/CN=cucm-explicit.steven.lab" inter $Y23 $Y30 leaf_ec "DNS:cucm.steven.lab"
mkcert leaf_twin leaf "/CN=twin.steven.lab" twin_b $Y23 $Y30 leaf "DNS:twin.steven.lab"
mkcert leaf_twin_noaki leaf "/CN=twin2.steven.lab" twin_b_noaki $Y23 $Y30 leaf_noaki "DNS:twin2.steven.lab"
mkcert leaf_noca leaf "/CN=noca.steven.lab" inter_noca $Y23 $Y30 leaf "DNS:noca.steven.lab"
mkcert leaf_noku leaf "/CN=noku.steven.lab" inter_noku $Y23 $Y30 leaf "DNS:noku.steven.lab"
mkcert leaf_nobc leaf "/CN=nobc.steven.lab" inter_nobc $Y23 $Y30 leaf "DNS:nobc.steven.lab"
mkcert leaf_under_expired_inter leaf "/CN=expint.steven.lab" inter_expired $Y23 $Y30 leaf "DNS:expint.steven.lab"
mkcert leaf_under_old leaf "/CN=oldroot.steven.lab" inter_under_expired $Y23 $Y30 leaf "DNS:oldroot.steven.lab"
mkcert leaf_pl leaf "/CN=pathlen.steven.lab" inter_pl $Y23 $Y30 leaf "DNS:pathlen.steven.lab"
mkcert leaf_cross leaf "/CN=cross.steven.lab" cross_inter $Y23 $Y30 leaf "DNS:cross.steven.lab"
mkcert leaf_v1 leaf "/CN=v1.steven.lab" v1root $Y23 $Y30 leaf_noaki "DNS:v1.steven.lab"
mkcert leaf_clientonly leaf "/CN=client.steven.lab" inter $Y23 $Y30 leaf_clientonly "DNS:client.steven.lab"
tamper leaf leaf_tampered
tamper inter inter_tampered
# self-signed leaves (CUCM default tomcat-ECDSA style)
mkcert ss selfkey "/C=US/O=Cisco/OU=TAC/CN=cucm-EC.steven.lab" self $Y23 $Y30 selfsigned "DNS:cucm.steven.lab"
mkcert ss_mimic ss2 "/C=US/O=Cisco/OU=TAC/CN=cucm-EC.steven.lab" self $Y23 $Y30 selfsigned "DNS:cucm.steven.lab"
mkcert ss_nocertsign selfkey "/O=Cisco/CN=cucm-nocs.steven.lab" self $Y23 $Y30 selfsigned_nocertsign "DNS:cucm.steven.lab"
mkcert ss_expired selfkey "/O=Cisco/CN=cucm-old.steven.lab" self 20200101000000Z 20250101000000Z selfsigned "DNS:cucm.steven.lab"
mkcert ss_ec ec256 "/O=Cisco/CN=cucm-EC.steven.lab" self $Y23 $Y30 selfsigned "DNS:cucm.steven.lab"

rm -rf "$OUT"; mkdir -p "$OUT"
A=steven; N=cucm.steven.lab
mkcase self_signed_leaf "self-signed leaf, not in the trust store" ss "" "root"
mkcase self_signed_leaf_in_store "self-signed leaf that is in the trust store" ss "" "root ss"
mkcase self_signed_leaf_ec_in_store "self-signed ECDSA leaf in the trust store" ss_ec "" "ss_ec"
mkcase self_signed_no_certsign_in_store "self-signed leaf whose keyUsage lacks keyCertSign, in the store" ss_nocertsign "" "ss_nocertsign"
mkcase self_signed_mimic_in_store "self-signed leaf; a different self-signed cert with the same subject is in the store" ss "" "ss_mimic root"
mkcase same_cn_both_in_store_self_first "two self-signed certs with the same subject in the store, this one listed first" ss "" "ss ss_mimic"
mkcase same_cn_both_in_store_other_first "two self-signed certs with the same subject in the store, the other one listed first (CSCwa12894)" ss "" "ss_mimic ss"
mkcase self_signed_expired "self-signed leaf, expired at capture time, not in the store" ss_expired "" "root"
mkcase self_signed_expired_in_store "self-signed leaf in the store but expired at capture time" ss_expired "" "ss_expired"
mkcase tampered_intermediate "leaf sent with a tampered copy of the intermediate; root trusted" leaf "inter_tampered" "root"
mkcase chain_trusted "leaf + intermediate sent, root in store" leaf "inter" "root"
mkcase chain_root_sent_trusted "leaf + intermediate + root sent, root in store" leaf "inter root" "root" "" "$N"
mkcase root_unknown_intermediate_sent "leaf + intermediate sent, root unknown" leaf "inter" "other"
mkcase leaf_alone_unknown_issuer "leaf only, issuer unknown" leaf "" "other"
mkcase leaf_untrusted_root_sent "leaf + its (untrusted) root sent" leaf_root "root" "other"
mkcase chain_untrusted_root_sent "leaf + intermediate + untrusted root sent" leaf "inter root" "other"
mkcase missing_intermediate "leaf only; root in store; intermediate not sent" leaf "" "root"
mkcase intermediate_in_store_root_missing "intermediate (not self-signed) in store, no root: partial chains are off" leaf "inter" "inter"
mkcase intermediate_in_store_root_sent "intermediate in store, root sent by the server but not in store" leaf "inter root" "inter"
mkcase leaf_in_store_not_self_signed "CA-signed leaf in the store without its CA" leaf "" "leaf"
mkcase expired_at_capture_valid_now "leaf expired at capture time (2027-09) but valid at generation time" leaf_future "inter" "root" 1819670400
mkcase valid_at_capture_expired_now "leaf valid at capture time (2024-06) but expired now" leaf_expired "inter" "root" 1717200000
mkcase not_yet_valid "leaf not yet valid at capture time" leaf_nyv "inter" "root"
mkcase wrong_name "name not in the certificate" leaf "inter" "root" "$T0" "wrong.steven.lab"
mkcase name_in_san "name matches a DNS SAN (case-insensitive)" leaf "inter" "root" "$T0" "CUCM.Steven.Lab"
mkcase ip_only_san "IP-address SAN only; server addressed by IP" leaf_ip "inter" "root" "$T0" "10.48.36.215" ip \
  "Traffic Server never consults IP SANs: name_mismatch although openssl -verify_ip accepts"
mkcase ip_only_san_as_hostname "IP-address SAN only, checked as a host name" leaf_ip "inter" "root" "$T0" "10.48.36.215" dns \
  "rfc6125_name_match compares an IP literal with IP SANs (as browsers do), openssl -verify_hostname does not"
mkcase ipv6_san "IPv6 address SAN; server addressed by IPv6" leaf_ip6 "inter" "root" "$T0" "2001:db8::215" ip \
  "Traffic Server never consults IP SANs: name_mismatch although openssl -verify_ip accepts"
mkcase wildcard_san "wildcard DNS SAN *.steven.lab" leaf_wild "inter" "root" "$T0" "$N"
mkcase wildcard_two_labels "wildcard matches one label only" leaf_wild "inter" "root" "$T0" "a.cucm.steven.lab"
mkcase wildcard_partial "partial wildcard cu*.steven.lab" leaf_wild_partial "inter" "root" "$T0" "$N"
mkcase wildcard_short_name "wildcard *.a.b against a 5-character name" leaf_wild_short "inter" "root" "$T0" "x.a.b" dns \
  "Traffic Server only tries wildcards for names longer than 5 characters"
mkcase cn_only "no SAN, name in the CN" leaf_cn "inter" "root" "$T0" "$N"
mkcase cn_not_in_san "SAN present without the name; the name is only the CN" leaf_cn_not_san "inter" "root" "$T0" "$N" dns \
  "Traffic Server checks the first CN even when DNS SANs exist; OpenSSL ignores the CN then"
mkcase ecdsa_p256 "ECDSA P-256 leaf under a P-256/P-384 chain" leaf_ec256 "ecinter" "ecroot" "$T0" "$N"
mkcase ecdsa_p384 "ECDSA P-384 leaf under an RSA chain" leaf_ec384 "inter" "root"
mkcase rsa_4096 "RSA 4096 leaf" leaf_rsa4096 "inter" "root"
mkcase rsa_pss_key "RSA-PSS key leaf" leaf_psskey "inter" "root"
mkcase rsa_pss_signature "RSA key, RSASSA-PSS signature" leaf_psssig "inter" "root"
mkcase ed25519 "Ed25519 leaf and root" leaf_ed "" "edroot"
mkcase explicit_curve "leaf with explicit EC parameters" leaf_explicit "inter" "root" "$T0" "" dns \
  "OpenSSL 3 rejects explicit EC parameters (error 94); OpenSSL 1.1.1 (Expressway) has no such check and neither do we"
mkcase cross_signed "leaf + intermediate + cross-signed new root; only the old root is trusted" leaf_cross "cross_inter rootnew_by_old" "rootold"
mkcase cross_signed_new_root_trusted "same chain, the new root is trusted" leaf_cross "cross_inter rootnew_by_old" "rootnew rootold"
mkcase twin_ca_aki "two CAs with the same subject, different keys; the wrong one sent first" leaf_twin "twin_a twin_b" "root"
mkcase twin_ca_in_store_aki "two CAs with the same subject in the store; AKI picks" leaf_twin "" "twin_a twin_b root"
mkcase twin_ca_no_aki "two same-subject CAs and a leaf without AKI; the wrong one sent first: OpenSSL picks by name, the signature fails" leaf_twin_noaki "twin_a_noaki twin_b_noaki" "root"
mkcase intermediate_not_ca "intermediate with basicConstraints CA:FALSE" leaf_noca "inter_noca" "root"
mkcase intermediate_no_keycertsign "intermediate whose keyUsage lacks keyCertSign" leaf_noku "inter_noku" "root"
mkcase intermediate_no_basic_constraints "intermediate without basicConstraints" leaf_nobc "inter_nobc" "root"
mkcase bad_signature "leaf signature tampered" leaf_tampered "inter" "root"
mkcase wrong_order "chain sent in the wrong order (root, intermediate)" leaf "root inter" "root"
mkcase extra_unrelated "unrelated certificates sent as well" leaf "other inter leaf_ip" "root"
mkcase expired_intermediate "intermediate expired at capture time" leaf_under_expired_inter "inter_expired" "root"
mkcase expired_root_in_store "trust-store root expired at capture time" leaf_under_old "inter_under_expired" "root_expired"
mkcase path_length_exceeded "root pathlen:0 with an intermediate below it" leaf_pl "inter_pl" "root_pl0"
mkcase v1_root "trust anchor is an X.509 v1 root without extensions" leaf_v1 "" "v1root"
mkcase client_auth_only_eku "leaf EKU clientAuth only (purpose sslserver)" leaf_clientonly "inter" "root"
echo "$(ls "$OUT" | wc -l) cases written to $OUT"
