/**
 * Distinct certificates seen in the packet pass, keyed by the SHA-256 of their DER (Zeek
 * certificate-event-cache idea): the TLS layer hands over DER views, the store copies each new
 * certificate once and later stages (X.509 analysis, chain validation) work over the store.
 *
 * Servers send the same chain on every connection, so a certificate seen before is recognised
 * without hashing it again: a cheap fingerprint (length and the trailing signature bytes) finds
 * candidates, a byte comparison confirms. Only new certificates are hashed.
 *
 * Bounded by `limits.maxCertificates` and, in bytes, by `limits.maxCertificateBytes`: beyond them the
 * DER is not kept (diagnostic `limit.certificates`; the certificate is then reported by its hash and
 * lengths, unanalysed), but the caller still gets the CertEntry with its hash.
 * A certificate cut short (snaplen, capture gap) is kept with complete=false, hashed over the
 * bytes that were captured.
 */
import { hash } from 'node:crypto';
import type { Limits } from '../options.js';
import type { Diagnostics } from '../diagnostics/diagnostics.js';
import type { CertEntry } from '../tls/summary.js';

export interface StoredCertificate {
  der: Uint8Array;
  complete: boolean;
}

interface Known extends StoredCertificate {
  sha256: string;
}

/** Bytes at the end of the DER mixed into the fingerprint (inside the signature: unique per certificate). */
const TAIL = 24;
/**
 * Certificates compared byte for byte per fingerprint. Real ones differ in their signatures; a crafted
 * capture of thousands of certificates sharing length and tail would otherwise make every new one walk
 * all the others. Past this, a certificate is recognised by its SHA-256 instead (correct, one hash more).
 */
const MAX_PER_PRINT = 8;

function fingerprint(der: Uint8Array): number {
  let h = Math.imul(der.length, 0x9e3779b1);
  for (let i = Math.max(0, der.length - TAIL); i < der.length; i++) h = Math.imul(h ^ der[i], 0x01000193);
  return h;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0; // native memcmp
}

export class CertStore {
  private readonly byHash = new Map<string, Known>();
  /** fingerprint → certificates with that fingerprint (kept ones only) */
  private readonly byPrint = new Map<number, Known[]>();
  /** DER bytes kept */
  private bytes = 0;

  constructor(
    private readonly limits: Limits,
    private readonly diag: Diagnostics,
  ) {}

  /** `der`: the caller's view (valid only during the call); copied when new. */
  add(der: Uint8Array, declaredLength: number): CertEntry {
    const complete = der.length === declaredLength;
    const fp = fingerprint(der);
    const candidates = this.byPrint.get(fp);
    if (candidates !== undefined) {
      for (const k of candidates) {
        if (sameBytes(k.der, der)) return { sha256: k.sha256, complete, declaredLength, capturedLength: der.length };
      }
    }
    const sha256 = hash('sha256', der, 'hex'); // one-shot (Node ≥ 20.12): no Hash object per certificate
    if (!this.byHash.has(sha256)) {
      if (this.byHash.size >= this.limits.maxCertificates) {
        this.diag.add('limit.certificates', 'limit', { detail: `more than ${this.limits.maxCertificates} distinct certificates; DER of ${sha256} not kept` });
      } else if (this.bytes + der.length > this.limits.maxCertificateBytes) {
        this.diag.add('limit.certificates', 'limit', {
          detail: `distinct certificates over ${this.limits.maxCertificateBytes} bytes in all; DER of ${sha256} (${der.length} bytes) not kept`,
        });
      } else {
        this.bytes += der.length;
        const k: Known = { der: der.slice(), complete, sha256 };
        this.byHash.set(sha256, k);
        if (candidates === undefined) this.byPrint.set(fp, [k]);
        else if (candidates.length < MAX_PER_PRINT) candidates.push(k);
      }
    }
    return { sha256, complete, declaredLength, capturedLength: der.length };
  }

  get(sha256: string): StoredCertificate | undefined {
    const k = this.byHash.get(sha256);
    return k === undefined ? undefined : { der: k.der, complete: k.complete };
  }

  /** In insertion order (first seen first): deterministic. */
  *entries(): IterableIterator<[string, StoredCertificate]> {
    for (const [h, k] of this.byHash) yield [h, { der: k.der, complete: k.complete }];
  }

  get size(): number {
    return this.byHash.size;
  }
}
