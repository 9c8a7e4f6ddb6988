/**
 * Alert (RFC 8446 §6; RFC 5246 §7.2):
 *
 *   struct { AlertLevel level; AlertDescription description; } Alert;   2 bytes
 *
 * A cleartext alert record carries one or more 2-byte alerts. After ChangeCipherSpec in the
 * sender's direction the record is encrypted (longer than 2 bytes, contents unknown).
 */

/** A plausible cleartext alert: level warning(1) or fatal(2). */
export function isPlausibleAlert(level: number, description: number): boolean {
  return (level === 1 || level === 2) && description >= 0 && description <= 255;
}

/** A cleartext alert record body: non-empty, a whole number of alerts, every level valid. */
export function looksLikeCleartextAlerts(buf: Uint8Array, start: number, end: number): boolean {
  const n = end - start;
  if (n === 0 || n % 2 !== 0) return false;
  for (let i = start; i < end; i += 2) if (!isPlausibleAlert(buf[i], buf[i + 1])) return false;
  return true;
}
