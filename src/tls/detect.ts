/**
 * Content signatures for TLS (Zeek dpd.sig idea: recognise TLS by content, never by port).
 *
 * TLS record header (RFC 8446 §5.1):
 *    0        1        2        3        4
 *   +--------+--------+--------+--------+--------+
 *   |  type  | major=3| minor  |   length (u16)  |
 *   +--------+--------+--------+--------+--------+
 *   type: 20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data, 24 heartbeat
 *
 * Each check reads only `buf[p .. end)` and returns a `Sync` verdict: `yes`, `no`, or `more`
 * (needs bytes beyond `end` to decide). Nothing allocates.
 */
import { isKnownHandshakeType } from './registry/handshake-types.js';

export const Sync = { no: 0, yes: 1, more: 2 } as const;
export type Sync = (typeof Sync)[keyof typeof Sync];

const HANDSHAKE = 22;

/** A TLS record header with a sane type, version 03 00..03 04 and length 1..maxRecord. */
export function checkRecordHeader(b: Uint8Array, p: number, end: number, maxRecord: number): Sync {
  if (p >= end) return Sync.more;
  const t = b[p];
  if (t < 20 || t > 24) return Sync.no;
  if (p + 1 >= end) return Sync.more;
  if (b[p + 1] !== 3) return Sync.no;
  if (p + 2 >= end) return Sync.more;
  if (b[p + 2] > 4) return Sync.no;
  if (p + 4 >= end) return Sync.more;
  const len = (b[p + 3] << 8) | b[p + 4];
  return len > 0 && len <= maxRecord ? Sync.yes : Sync.no;
}

/**
 * A handshake record that starts a ClientHello or ServerHello (what a plaintext preamble such as
 * STARTTLS, HTTP CONNECT, SOCKS or a PostgreSQL SSLRequest is followed by).
 */
export function checkHelloRecord(b: Uint8Array, p: number, end: number, maxRecord: number): Sync {
  if (p < end && b[p] !== HANDSHAKE) return Sync.no;
  const h = checkRecordHeader(b, p, end, maxRecord);
  if (h !== Sync.yes) return h;
  if (p + 5 >= end) return Sync.more;
  const hs = b[p + 5];
  if (hs !== 1 && hs !== 2) return Sync.no;
  if (p + 8 >= end) return Sync.more;
  const hsLen = (b[p + 6] << 16) | (b[p + 7] << 8) | b[p + 8];
  return hsLen >= 38 ? Sync.yes : Sync.no; // version + random + 3 vector lengths at least
}

/**
 * SSL 2.0 CLIENT-HELLO in a 2-byte-header record (also the SSLv2-compatible hello of RFC 5246
 * E.2): msg_type 1, version 0x0002 or 03 0x, cipher_specs_length a multiple of 3, and the three
 * lengths adding up to the record length.
 */
export function checkSslv2ClientHello(b: Uint8Array, p: number, end: number): Sync {
  if (p >= end) return Sync.more;
  if ((b[p] & 0x80) === 0) return Sync.no;
  if (p + 10 >= end) return p + 2 < end && b[p + 2] !== 1 ? Sync.no : Sync.more;
  const len = ((b[p] & 0x7f) << 8) | b[p + 1];
  if (b[p + 2] !== 1) return Sync.no;
  const ver = (b[p + 3] << 8) | b[p + 4];
  if (ver !== 0x0002 && (ver < 0x0300 || ver > 0x0304)) return Sync.no;
  const specs = (b[p + 5] << 8) | b[p + 6];
  const sid = (b[p + 7] << 8) | b[p + 8];
  const challenge = (b[p + 9] << 8) | b[p + 10];
  if (specs === 0 || specs % 3 !== 0 || sid > 32 || challenge < 16 || challenge > 32) return Sync.no;
  return 9 + specs + sid + challenge === len ? Sync.yes : Sync.no;
}

/** SSL 2.0 SERVER-HELLO in a 2-byte-header record: msg_type 4, server_version 0x0002. */
export function checkSslv2ServerHello(b: Uint8Array, p: number, end: number): Sync {
  if (p >= end) return Sync.more;
  if ((b[p] & 0x80) === 0) return Sync.no;
  if (p + 6 >= end) return p + 2 < end && b[p + 2] !== 4 ? Sync.no : Sync.more;
  if (b[p + 2] !== 4) return Sync.no;
  return b[p + 5] === 0x00 && b[p + 6] === 0x02 ? Sync.yes : Sync.no;
}

/**
 * A resynchronisation point (start of a mid-stream capture, or after lost bytes): a plausible
 * record header whose content is plausible for its type (known handshake type, 2-byte alert),
 * and, when the bytes are there, followed by another plausible header.
 */
export function checkSyncPoint(b: Uint8Array, p: number, end: number, maxRecord: number): Sync {
  const h = checkRecordHeader(b, p, end, maxRecord);
  if (h !== Sync.yes) return h;
  const t = b[p];
  const len = (b[p + 3] << 8) | b[p + 4];
  if (t === HANDSHAKE) {
    if (p + 5 >= end) return Sync.more;
    // an encrypted handshake record (Finished) is not a sync point; the next record will be
    if (!isKnownHandshakeType(b[p + 5])) return Sync.no;
  }
  // the following header, when captured, must be plausible too (unverifiable: accept)
  const q = p + 5 + len;
  if (q >= end) return Sync.yes;
  return checkRecordHeader(b, q, end, maxRecord) === Sync.no ? Sync.no : Sync.yes;
}
