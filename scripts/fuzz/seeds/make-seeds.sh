#!/usr/bin/env bash
# Generates the fuzzer's certificate seeds ONCE (committed as PEM; regenerating changes every
# fingerprint, and the saved reproducers do not depend on them). Run from anywhere:
#   bash scripts/fuzz/seeds/make-seeds.sh
# Produces: root.pem (EC P-256 self-signed CA), inter.pem (CA signed by root), leaf.pem (server cert
# signed by inter, DNS + IP SANs), rsa-self.pem (RSA 2048 self-signed server cert), many-sans.pem
# (leaf with 2000 DNS SANs), keys stay in a temp dir (not needed).
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
days=7300
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/root.key"
openssl req -x509 -new -key "$tmp/root.key" -sha256 -days $days -subj "/O=tls-extract fuzz/CN=Fuzz Root CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out root.pem
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/inter.key"
openssl req -new -key "$tmp/inter.key" -subj "/O=tls-extract fuzz/CN=Fuzz Intermediate CA" -out "$tmp/inter.csr"
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' > "$tmp/inter.ext"
openssl x509 -req -in "$tmp/inter.csr" -CA root.pem -CAkey "$tmp/root.key" -set_serial 2 -days $days -sha256 -extfile "$tmp/inter.ext" -out inter.pem
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/leaf.key"
openssl req -new -key "$tmp/leaf.key" -subj "/O=tls-extract fuzz/CN=server.fuzz.test" -out "$tmp/leaf.csr"
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:server.fuzz.test,DNS:*.fuzz.test,IP:127.0.0.1\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' > "$tmp/leaf.ext"
openssl x509 -req -in "$tmp/leaf.csr" -CA inter.pem -CAkey "$tmp/inter.key" -set_serial 3 -days $days -sha256 -extfile "$tmp/leaf.ext" -out leaf.pem
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/rsa.key" -sha256 -days $days -subj "/CN=rsa.fuzz.test" \
  -addext "subjectAltName=DNS:rsa.fuzz.test" -out rsa-self.pem 2>/dev/null
{ printf 'basicConstraints=CA:FALSE\nsubjectAltName=@alt\n[alt]\n'; for i in $(seq 1 2000); do echo "DNS.$i=h$i.many.fuzz.test"; done; } > "$tmp/many.ext"
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/many.key"
openssl req -new -key "$tmp/many.key" -subj "/CN=many.fuzz.test" -out "$tmp/many.csr"
openssl x509 -req -in "$tmp/many.csr" -CA inter.pem -CAkey "$tmp/inter.key" -set_serial 4 -days $days -sha256 -extfile "$tmp/many.ext" -out many-sans.pem
ls -l *.pem
