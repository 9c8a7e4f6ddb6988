#!/usr/bin/env bash
# Benchmark PKI for the synthetic capture (scripts/bench/gen-base.sh).
# Usage: make-certs.sh <out-dir>
# Creates, with openssl 3:
#   RSA chain:   rsa-root (4096) -> rsa-int (3072) -> rsa-leaf (2048, SAN rsa.bench.test, tls13.bench.test)
#   ECDSA chain: ec-root (P-384) -> ec-int (P-384) -> ec-leaf (P-256, SAN ec.bench.test, sip.bench.test)
#   client:      ec-int -> client (P-256, clientAuth, for mutual TLS)
#   self-signed: self (RSA 2048, SAN self.bench.test; not in the trust store)
#   ca.pem = rsa-root + ec-root (the trust store given to every tool)
#   *-chain.pem = intermediate + root (what servers send after the leaf)
# Validity is 10 years so cached captures keep validating the same way.
set -euo pipefail
out=${1:?usage: make-certs.sh <out-dir>}
mkdir -p "$out"
cd "$out"
DAYS=3650

ext_ca() { printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n'; }
ext_int() { printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n'; }
ext_server() { printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\nsubjectAltName=%s\n' "$1"; }
ext_client() { printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n'; }

# self_signed <name> <keyalg-opts...> -- <subject> <extfile>
root() { # root <name> <subject> <genpkey opts...>
  local name=$1 subj=$2; shift 2
  openssl genpkey "$@" -out "$name.key" 2>/dev/null
  openssl req -new -x509 -key "$name.key" -subj "$subj" -days $DAYS -sha256 \
    -extensions v3 -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n[v3]\n'; ext_ca) -out "$name.pem"
}
issue() { # issue <name> <issuer> <subject> <extfile-content> <genpkey opts...>
  local name=$1 issuer=$2 subj=$3 ext=$4; shift 4
  openssl genpkey "$@" -out "$name.key" 2>/dev/null
  openssl req -new -key "$name.key" -subj "$subj" -out "$name.csr"
  openssl x509 -req -in "$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" -CAcreateserial \
    -days $DAYS -sha256 -extfile <(printf '%s' "$ext") -out "$name.pem" 2>/dev/null
  rm -f "$name.csr"
}

RSA4096=(-algorithm RSA -pkeyopt rsa_keygen_bits:4096)
RSA3072=(-algorithm RSA -pkeyopt rsa_keygen_bits:3072)
RSA2048=(-algorithm RSA -pkeyopt rsa_keygen_bits:2048)
P384=(-algorithm EC -pkeyopt ec_paramgen_curve:P-384)
P256=(-algorithm EC -pkeyopt ec_paramgen_curve:P-256)

root rsa-root '/C=US/O=tls-extract bench/CN=Bench RSA Root CA' "${RSA4096[@]}"
issue rsa-int rsa-root '/C=US/O=tls-extract bench/CN=Bench RSA Issuing CA 1' "$(ext_int)" "${RSA3072[@]}"
issue rsa-leaf rsa-int '/C=US/O=tls-extract bench/CN=rsa.bench.test' \
  "$(ext_server 'DNS:rsa.bench.test,DNS:tls13.bench.test,DNS:resume.bench.test,DNS:www.bench.test')" "${RSA2048[@]}"

root ec-root '/C=US/O=tls-extract bench/CN=Bench ECDSA Root CA' "${P384[@]}"
issue ec-int ec-root '/C=US/O=tls-extract bench/CN=Bench ECDSA Issuing CA 1' "$(ext_int)" "${P384[@]}"
issue ec-leaf ec-int '/C=US/O=tls-extract bench/CN=ec.bench.test' \
  "$(ext_server 'DNS:ec.bench.test,DNS:sip.bench.test')" "${P256[@]}"
issue client ec-int '/C=US/O=tls-extract bench/CN=expressway-c.bench.test' "$(ext_client)" "${P256[@]}"

openssl genpkey "${RSA2048[@]}" -out self.key 2>/dev/null
openssl req -new -x509 -key self.key -subj '/C=US/O=tls-extract bench/CN=self.bench.test' -days $DAYS -sha256 \
  -addext 'subjectAltName=DNS:self.bench.test' -out self.pem

cat rsa-int.pem rsa-root.pem > rsa-chain.pem
cat ec-int.pem ec-root.pem > ec-chain.pem
cat rsa-root.pem ec-root.pem > ca.pem
rm -f ./*.srl
openssl verify -CAfile ca.pem -untrusted rsa-int.pem rsa-leaf.pem >/dev/null
openssl verify -CAfile ca.pem -untrusted ec-int.pem ec-leaf.pem client.pem >/dev/null
echo "certs ready in $out"
