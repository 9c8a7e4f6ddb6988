/**
 * Protocol version names (IANA TLS parameters; RFC 8446 §4.2.1 supported_versions; the
 * draft-ietf-tls-tls13 drafts used 0x7f00 + draft number). Unknown values render as `0x7e01`.
 */
import { hex4, isGrease } from './grease.js';

export const TlsVersion = {
  SSL2: 0x0002,
  SSL3: 0x0300,
  TLS10: 0x0301,
  TLS11: 0x0302,
  TLS12: 0x0303,
  TLS13: 0x0304,
} as const;
export type TlsVersion = (typeof TlsVersion)[keyof typeof TlsVersion];

const NAMES: ReadonlyMap<number, string> = new Map([
  [0x0002, 'SSL 2.0'],
  [0x0300, 'SSL 3.0'],
  [0x0301, 'TLS 1.0'],
  [0x0302, 'TLS 1.1'],
  [0x0303, 'TLS 1.2'],
  [0x0304, 'TLS 1.3'],
  [0xfeff, 'DTLS 1.0'],
  [0xfefd, 'DTLS 1.2'],
  [0xfefc, 'DTLS 1.3'],
]);

/** `TLS 1.2`, `TLS 1.3 (draft 28)`, `GREASE (0x0a0a)`, else `0x7e01`. */
export function versionName(v: number): string {
  const n = NAMES.get(v);
  if (n !== undefined) return n;
  if (v >> 8 === 0x7f && (v & 0xff) > 0) return `TLS 1.3 (draft ${v & 0xff})`;
  if (isGrease(v)) return `GREASE (${hex4(v)})`;
  return hex4(v);
}

/**
 * A negotiated version that means "TLS 1.3 handshake" (encrypted after ServerHello): 0x0304, the
 * 0x7fxx drafts, and experimental values above TLS 1.2 announced through supported_versions
 * (e.g. Chrome's 0x7e01). `fromSupportedVersions`: the value came from the extension.
 */
export function isTls13Like(v: number, fromSupportedVersions: boolean): boolean {
  if (v === 0x0304 || v >> 8 === 0x7f) return true;
  if (!fromSupportedVersions) return false;
  return v > 0x0303 && !isGrease(v) && v >> 8 !== 0xfe;
}

/** A record-layer / legacy version that a TLS or SSL 3.0 record header may carry (03 00..03 04). */
export function isRecordVersion(v: number): boolean {
  return v >= 0x0300 && v <= 0x0304;
}
