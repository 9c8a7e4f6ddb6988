/**
 * Certificate, TLS ≤ 1.2 (RFC 5246 §7.4.2; SSL 3.0 RFC 6101 §5.6.2):
 *
 *   opaque ASN.1Cert<1..2^24-1>;
 *   struct { ASN.1Cert certificate_list<0..2^24-1>; } Certificate;
 *
 * Only DER bytes are handed over (to a `CertSink`, the certificate store); X.509 is parsed later.
 * A message cut short (snaplen, a capture gap, or the handshake size limit) is decoded up to
 * `validEnd`: whole certificates before the cut are complete, the one cut is handed over with
 * its declared length (complete=false), nothing after it is trusted. An empty list is valid
 * (a client without a certificate). Fewer than 3 bytes where a length is due, with nothing
 * missing, is malformed (Wireshark: "No more room for vector of length 3"), not cut.
 */
import type { CertEntry } from '../summary.js';
import { ByteReader } from '../byte-reader.js';

/** Receives certificate DER (a view valid only during the call; the sink copies what it keeps). */
export interface CertSink {
  add(der: Uint8Array, declaredLength: number): CertEntry;
}

export interface CertificateListResult {
  certs: CertEntry[];
  /** a certificate was cut, or the list itself was */
  truncated: boolean;
  /** certificates beyond the per-chain limit that were skipped */
  skipped: number;
}

/**
 * `body` is the handshake body `[start, end)`; bytes from `validEnd` on are missing (a hole).
 * Throws DecodeError only for a malformed (not merely cut) list.
 */
export function decodeCertificateList(
  buf: Uint8Array, start: number, end: number, validEnd: number, sink: CertSink, maxCerts: number,
): CertificateListResult {
  const res: CertificateListResult = { certs: [], truncated: false, skipped: 0 };
  const avail = Math.min(end, validEnd);
  const r = new ByteReader(buf, start, avail, 'tls.certificate');
  if (r.remaining < 3) {
    // fewer than 3 bytes with nothing missing is a malformed message, not a cut one
    if (avail === end) r.fail('bad_length', `certificate_list length: ${end - start} bytes, need 3`);
    res.truncated = true;
    return res;
  }
  const listLen = r.u24('certificate_list length');
  if (start + 3 + listLen !== end) r.fail('bad_length', `certificate_list length ${listLen} but message body is ${end - start - 3}`);
  while (r.pos < start + 3 + listLen) {
    if (r.remaining < 3) {
      if (avail === end) r.fail('bad_length', `${r.remaining} stray bytes at the end of certificate_list`);
      res.truncated = true;
      break;
    }
    const certLen = r.u24('ASN.1Cert length');
    if (certLen === 0) r.fail('empty_certificate', `zero-length certificate at ${r.pos - 3 - start}`);
    if (r.pos + certLen > start + 3 + listLen) r.fail('bad_length', `certificate of ${certLen} bytes overruns the list`);
    if (res.certs.length >= maxCerts) {
      res.skipped++;
      if (r.remaining < certLen) { res.truncated = true; break; } // the list was cut, in a certificate not kept
      r.skip(certLen);
      continue;
    }
    if (r.remaining < certLen) {
      res.certs.push(sink.add(buf.subarray(r.pos, avail), certLen));
      res.truncated = true;
      break;
    }
    res.certs.push(sink.add(r.bytes(certLen), certLen));
  }
  return res;
}
