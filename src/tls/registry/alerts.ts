/**
 * Alert names (RFC 8446 §6, with the older values of RFC 5246 §7.2 and RFC 6066, in the
 * snake_case form the RFCs use). Unknown values render as their number.
 */
import { hex4 } from './grease.js';

const DESCRIPTIONS: ReadonlyMap<number, string> = new Map([
  [0, 'close_notify'],
  [10, 'unexpected_message'],
  [20, 'bad_record_mac'],
  [21, 'decryption_failed'],
  [22, 'record_overflow'],
  [30, 'decompression_failure'],
  [40, 'handshake_failure'],
  [41, 'no_certificate'],
  [42, 'bad_certificate'],
  [43, 'unsupported_certificate'],
  [44, 'certificate_revoked'],
  [45, 'certificate_expired'],
  [46, 'certificate_unknown'],
  [47, 'illegal_parameter'],
  [48, 'unknown_ca'],
  [49, 'access_denied'],
  [50, 'decode_error'],
  [51, 'decrypt_error'],
  [60, 'export_restriction'],
  [70, 'protocol_version'],
  [71, 'insufficient_security'],
  [80, 'internal_error'],
  [86, 'inappropriate_fallback'],
  [90, 'user_canceled'],
  [100, 'no_renegotiation'],
  [109, 'missing_extension'],
  [110, 'unsupported_extension'],
  [111, 'certificate_unobtainable'],
  [112, 'unrecognized_name'],
  [113, 'bad_certificate_status_response'],
  [114, 'bad_certificate_hash_value'],
  [115, 'unknown_psk_identity'],
  [116, 'certificate_required'],
  [120, 'no_application_protocol'],
  [121, 'ech_required'],
]);

export const AlertLevel = { warning: 1, fatal: 2 } as const;
export type AlertLevel = (typeof AlertLevel)[keyof typeof AlertLevel];

/** `unknown_ca`; `encrypted` for -1 (an alert after ChangeCipherSpec); else the number (`0x00c8`). */
export function alertName(d: number): string {
  if (d < 0) return 'encrypted';
  return DESCRIPTIONS.get(d) ?? hex4(d);
}

/** `warning` / `fatal`; `encrypted` for -1; else the number. */
export function alertLevelName(level: number): string {
  if (level === 1) return 'warning';
  if (level === 2) return 'fatal';
  if (level < 0) return 'encrypted';
  return String(level);
}
