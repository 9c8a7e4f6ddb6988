/**
 * pcapng Interface Description Block (draft-ietf-opsawg-pcapng §4.2) and the timestamp conversion
 * it implies. The conversion is decided once per interface (if_tsresol, if_tsoffset), so the
 * per-packet cost is one switch on `tsKind`.
 *
 * ```
 *  0 LinkType (16)  | Reserved (16)
 *  4 SnapLen (32)
 *  8 Options: if_tsresol (code 9, 1 byte: MSB 0 → 10^-n s, MSB 1 → 2^-n s), if_tsoffset (code 14, int64 s)
 * ```
 */
export const TsKind = {
  /** units are microseconds: value as is */
  micros: 0,
  /** units are 10^-n s with 6 < n ≤ 12: exact integer division by `tsDiv` */
  divide: 1,
  /** units of 10^-n s coarser than µs (n < 6): hi * tsScaleHi + lo * tsScaleLo (integer products: exact while below 2^53) */
  scale: 2,
  /** units are 10^-n s with n > 12: exact division by 10^6, then by `tsDiv` (10^(n-12)) */
  fine: 3,
  /** units are 2^-n s (MSB of if_tsresol set): floor(value * 10^6 / 2^n), exact (`tsDiv` = n) */
  binary: 4,
} as const;
export type TsKind = (typeof TsKind)[keyof typeof TsKind];

export interface PcapngInterface {
  linkType: number;
  /** 0 = unlimited */
  snaplen: number;
  tsKind: TsKind;
  /** divide: 10^(n-6); fine: 10^(n-12); binary: n (units of 2^-n s); else 1 */
  tsDiv: number;
  tsScaleHi: number;
  tsScaleLo: number;
  /** if_tsoffset in microseconds */
  tsOffsetMicros: number;
  /** raw if_tsresol byte (6 when absent) */
  tsresol: number;
}

const TWO32 = 4294967296;
const OPT_ENDOFOPT = 0;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;

/** Conversion parameters for an if_tsresol byte. */
export function timestampConversion(tsresol: number): Pick<PcapngInterface, 'tsKind' | 'tsDiv' | 'tsScaleHi' | 'tsScaleLo'> {
  const n = tsresol & 0x7f;
  if ((tsresol & 0x80) === 0) {
    if (n === 6) return { tsKind: TsKind.micros, tsDiv: 1, tsScaleHi: TWO32, tsScaleLo: 1 };
    if (n > 6 && n <= 12) {
      const d = 10 ** (n - 6);
      return { tsKind: TsKind.divide, tsDiv: d, tsScaleHi: TWO32 / d, tsScaleLo: 1 / d };
    }
    if (n > 12) return { tsKind: TsKind.fine, tsDiv: 10 ** (n - 12), tsScaleHi: 0, tsScaleLo: 0 };
    const lo = 10 ** (6 - n);
    return { tsKind: TsKind.scale, tsDiv: 1, tsScaleHi: TWO32 * lo, tsScaleLo: lo };
  }
  return { tsKind: TsKind.binary, tsDiv: n, tsScaleHi: 0, tsScaleLo: 0 };
}

/** floor((hi * 2^32 + lo) / d) for 1 ≤ d ≤ 10^6, exact (r * 2^32 + lo < 2^53). */
function divideExact(hi: number, lo: number, d: number): number {
  const q = Math.floor(hi / d);
  const r = hi - q * d;
  return q * TWO32 + Math.floor((r * TWO32 + lo) / d);
}

/** floor((hi * 2^32 + lo) * 10^6 / 2^n), exact while the result is below 2^53. */
function binaryMicros(hi: number, lo: number, n: number): number {
  // value * 10^6 = (hi * 10^6 + floor(lo * 10^6 / 2^32)) * 2^32 + (lo * 10^6 mod 2^32), each part < 2^53
  const b = lo * 1e6;
  const bh = Math.floor(b / TWO32);
  const x = hi * 1e6 + bh;
  const bl = b - bh * TWO32;
  // n ≥ 32: bl / 2^32 < 1 cannot carry into floor(x / 2^(n-32)); below, both parts scale exactly by powers of two
  return n >= 32 ? Math.floor(x / 2 ** (n - 32)) : x * 2 ** (32 - n) + Math.floor(bl / 2 ** n);
}

/** Timestamp (two 32-bit halves in interface units) → integer µs since the epoch. */
export function ifaceMicros(ifc: PcapngInterface, hi: number, lo: number): number {
  switch (ifc.tsKind) {
    case TsKind.micros:
      return hi * TWO32 + lo + ifc.tsOffsetMicros;
    case TsKind.divide:
      return divideExact(hi, lo, ifc.tsDiv) + ifc.tsOffsetMicros;
    case TsKind.fine: {
      // floor(floor(v / a) / b) = floor(v / ab); the first quotient is below 2^45, so the second is exact once corrected
      const m = divideExact(hi, lo, 1_000_000);
      let q = Math.floor(m / ifc.tsDiv);
      if (q * ifc.tsDiv > m) q--;
      return q + ifc.tsOffsetMicros;
    }
    case TsKind.binary:
      return binaryMicros(hi, lo, ifc.tsDiv) + ifc.tsOffsetMicros;
    default:
      return Math.floor(hi * ifc.tsScaleHi + lo * ifc.tsScaleLo) + ifc.tsOffsetMicros;
  }
}

/**
 * Decode an IDB body `[start, end)` (after the 8-byte block header, before the trailing length).
 * Returns null when the body is too short for the fixed part. Malformed options end option parsing.
 */
export function decodeIdb(dv: DataView, le: boolean, start: number, end: number): PcapngInterface | null {
  if (end - start < 8) return null;
  const linkType = dv.getUint16(start, le);
  const snaplen = dv.getUint32(start + 4, le);
  let tsresol = 6;
  let tsOffsetMicros = 0;
  let p = start + 8;
  while (p + 4 <= end) {
    const code = dv.getUint16(p, le);
    const len = dv.getUint16(p + 2, le);
    if (code === OPT_ENDOFOPT || p + 4 + len > end) break;
    if (code === OPT_IF_TSRESOL && len >= 1) tsresol = dv.getUint8(p + 4);
    else if (code === OPT_IF_TSOFFSET && len === 8) {
      const a = le ? dv.getUint32(p + 4, true) : dv.getUint32(p + 8, false);
      const b = le ? dv.getInt32(p + 8, true) : dv.getInt32(p + 4, false);
      tsOffsetMicros = (b * TWO32 + a) * 1e6;
    }
    p += 4 + ((len + 3) & ~3);
  }
  return { linkType, snaplen, tsresol, tsOffsetMicros, ...timestampConversion(tsresol) };
}
