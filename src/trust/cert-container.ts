/**
 * Certificates out of the containers trust stores come in:
 *  - PEM (RFC 7468) bundles, with any text between the blocks (Expressway's `ca_*.pem` export,
 *    OpenSSL "Bag Attributes"/"subject=" headers); CERTIFICATE, X509 CERTIFICATE, TRUSTED CERTIFICATE
 *    (OpenSSL auxiliary trust data after the certificate is ignored) and PKCS7 blocks;
 *  - a DER certificate;
 *  - PKCS#7 / CMS SignedData "certs-only" (.p7b/.p7c, RFC 2315 §9.1, RFC 5652 §5.1), PEM or DER.
 * Parsing never throws: each unusable part becomes an entry in `errors`.
 */
import { DecodeError } from '../diagnostics/decode-error.js';
import { TAG, children, content, decodeOid, readHeader, readTlv, whole } from '../x509/der.js';

export interface ContainerError {
  /** 0-based index of the PEM block (or of the certificate inside a PKCS#7), null for the file as a whole */
  index: number | null;
  reason: string;
}

export interface ContainerResult {
  ders: { index: number; der: Uint8Array }[];
  errors: ContainerError[];
}

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const BEGIN_RE = /-----BEGIN ([A-Z0-9 ]+)-----/g;

/**
 * PEM blocks in order, as /-----BEGIN (L)-----([\s\S]*?)-----END \1-----/g finds them, in linear time:
 * that expression rescans to the end of the text for every BEGIN without its END (8,000 of them took
 * 0.8 s; a 256 MiB bundle member of them, hours). Here the END is found with indexOf, and once a label
 * has no END after some position, later BEGINs of that label are skipped without a scan.
 */
export function pemBlocks(text: string): { label: string; body: string }[] {
  const out: { label: string; body: string }[] = [];
  const noEndFrom = new Map<string, number>();
  const re = new RegExp(BEGIN_RE.source, 'g');
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const label = m[1];
    const bodyStart = m.index + m[0].length;
    const endMark = `-----END ${label}-----`;
    const none = noEndFrom.get(label);
    const e = none !== undefined && bodyStart >= none ? -1 : text.indexOf(endMark, bodyStart);
    if (e < 0) {
      if (none === undefined || bodyStart < none) noEndFrom.set(label, bodyStart);
      re.lastIndex = m.index + 1; // as the global expression: try again one character further
      continue;
    }
    out.push({ label, body: text.slice(bodyStart, e) });
    re.lastIndex = e + endMark.length;
  }
  return out;
}
const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
const P7_LABELS = new Set(['PKCS7', 'CMS', 'CERTIFICATE CHAIN']);

/** The text opens a PEM block this reader takes certificates from (its END may lie beyond a cut head). */
export function hasCertificateArmour(text: string): boolean {
  const re = new RegExp(BEGIN_RE.source, 'g');
  for (let m = re.exec(text); m !== null; m = re.exec(text)) if (CERT_LABELS.has(m[1]) || P7_LABELS.has(m[1])) return true;
  return false;
}

/** The certificates of a PKCS#7 SignedData ContentInfo (DER). */
export function pkcs7Certificates(der: Uint8Array): Uint8Array[] {
  const ci = readTlv(der, 0, der.length, TAG.sequence);
  const [type, explicit] = children(der, ci);
  if (!type || type.tag !== TAG.oid || decodeOid(content(der, type)) !== OID_SIGNED_DATA) {
    throw new DecodeError('not_signed_data', 'pkcs7', 'contentType is not signedData');
  }
  if (!explicit || explicit.tag !== 0xa0) throw new DecodeError('no_content', 'pkcs7', 'missing [0] content');
  const sd = readTlv(der, explicit.valueStart, explicit.end, TAG.sequence);
  const certs = children(der, sd).find((c) => c.tag === 0xa0);
  return certs ? children(der, certs).filter((c) => c.tag === TAG.sequence).map((c) => whole(der, c)) : [];
}

/** The first TLV of `der` (a TRUSTED CERTIFICATE carries trust settings after the certificate). */
function firstTlv(der: Uint8Array): Uint8Array {
  const t = readHeader(der, 0);
  if (!t.complete) throw new DecodeError('truncated', 'x509', `declares ${t.end} bytes, has ${der.length}`);
  return der.subarray(0, t.end);
}

function isPkcs7(der: Uint8Array): boolean {
  try {
    const ci = readTlv(der, 0, der.length, TAG.sequence);
    const first = children(der, ci)[0];
    return first !== undefined && first.tag === TAG.oid && decodeOid(content(der, first)) === OID_SIGNED_DATA;
  } catch {
    return false;
  }
}

function addDer(out: ContainerResult, der: Uint8Array, index: number | null): void {
  if (isPkcs7(der)) {
    try {
      const certs = pkcs7Certificates(der);
      if (certs.length === 0) out.errors.push({ index, reason: 'PKCS#7 bundle holds no certificates' });
      for (const c of certs) out.ders.push({ index: out.ders.length, der: c });
    } catch (e) {
      out.errors.push({ index, reason: `unreadable PKCS#7: ${(e as Error).message}` });
    }
    return;
  }
  try {
    out.ders.push({ index: index ?? out.ders.length, der: firstTlv(der) });
  } catch (e) {
    out.errors.push({ index, reason: `not DER: ${(e as Error).message}` });
  }
}

/** an empty (or blank) line */
const BLANK_LINE_RE = /\n[^\S\n]*\n/;

const decodeBase64 = (body: string): Uint8Array | null => {
  // PEM headers (RFC 1421 "Proc-Type: …" style) end with an empty line: with a `:` before the first empty
  // line, what precedes it is headers. (Found with a scan, not a regex: `^[\s\S]*?:[^\n]*\n\s*\n` ran
  // every `:` to the end of its line, quadratic: 40,000 colons took 3 s, a hostile ca_*.pem hours.)
  const blank = BLANK_LINE_RE.exec(body);
  const text = blank !== null && body.lastIndexOf(':', blank.index) >= 0 ? body.slice(blank.index + blank[0].length) : body;
  const b64 = text.replace(/\s+/g, '');
  if (b64.length === 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 === 1) return null;
  return new Uint8Array(Buffer.from(b64, 'base64'));
};

/** Extracts every certificate DER from one file's bytes. */
export function readCertContainer(data: Uint8Array): ContainerResult {
  const out: ContainerResult = { ders: [], errors: [] };
  const head = Buffer.from(data.buffer, data.byteOffset, Math.min(data.byteLength, 1 << 20)).toString('latin1');
  if (data.length > 0 && data[0] === TAG.sequence && !head.includes('-----BEGIN ')) {
    addDer(out, data, null);
    return out;
  }
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
  let index = 0;
  for (const { label, body } of pemBlocks(text)) {
    const i = index++;
    if (!CERT_LABELS.has(label) && !P7_LABELS.has(label)) continue; // keys, CRLs, CSRs: not ours
    const der = decodeBase64(body);
    if (!der) {
      out.errors.push({ index: i, reason: `PEM block ${i} (${label}): invalid base64` });
      continue;
    }
    const before = out.ders.length;
    addDer(out, der, i);
    for (let k = before; k < out.ders.length; k++) out.ders[k].index = i;
  }
  if (index === 0) out.errors.push({ index: null, reason: 'no PEM certificate block and not DER' });
  else if (out.ders.length === 0 && out.errors.length === 0) out.errors.push({ index: null, reason: 'no certificate in the PEM blocks' });
  return out;
}
