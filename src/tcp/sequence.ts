/**
 * TCP sequence number arithmetic modulo 2^32 (RFC 793 §3.3, RFC 1982 serial number arithmetic):
 * comparisons are made on the signed 32-bit difference, so they hold across wraparound as long
 * as the two numbers are less than 2^31 apart.
 */

/** a - b as a signed 32-bit number (positive: a is after b). */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

export function seqLt(a: number, b: number): boolean {
  return seqDiff(a, b) < 0;
}

export function seqLe(a: number, b: number): boolean {
  return seqDiff(a, b) <= 0;
}

export function seqGt(a: number, b: number): boolean {
  return seqDiff(a, b) > 0;
}

/** (a + n) mod 2^32 as an unsigned number. */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}
