import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeIdb, ifaceMicros, timestampConversion, TsKind, type PcapngInterface } from '../../../src/capture/pcapng-interface.js';

function iface(tsresol: number, tsOffsetMicros = 0): PcapngInterface {
  return { linkType: 1, snaplen: 0, tsresol, tsOffsetMicros, ...timestampConversion(tsresol) };
}
const split = (v: bigint): [number, number] => [Number(v >> 32n), Number(v & 0xffffffffn)];

describe('pcapng if_tsresol conversion', () => {
  it('µs (default 6) is taken as is', () => {
    expect(iface(6).tsKind).toBe(TsKind.micros);
    expect(ifaceMicros(iface(6), ...split(1_700_000_000_123_456n))).toBe(1_700_000_000_123_456);
  });

  it('ns (9) divides exactly even beyond 2^53 and rounds down', () => {
    const ns = 1_700_000_000_123_456_999n; // > 2^53
    expect(iface(9).tsKind).toBe(TsKind.divide);
    expect(ifaceMicros(iface(9), ...split(ns))).toBe(1_700_000_000_123_456);
  });

  it('ps (12) divides exactly', () => {
    const ps = 12_345_678_901_234_567_891n; // ~12345678 s in ps, close to 2^64
    expect(ifaceMicros(iface(12), ...split(ps))).toBe(Number(ps / 1_000_000n));
    // a whole number of µs: floating-point scaling (hi * 2^32 / 10^6 + lo / 10^6) gives 12345678901233
    expect(iface(12).tsKind).toBe(TsKind.divide);
    expect(ifaceMicros(iface(12), ...split(12_345_678_901_234_000_000n))).toBe(12_345_678_901_234);
  });

  it('exact division for 6 < n <= 12, two-stage for finer decimal units, exact arithmetic for power-of-two units', () => {
    for (const n of [7, 8, 9, 10, 11, 12]) expect(iface(n).tsKind, `n=${n}`).toBe(TsKind.divide);
    for (const n of [0, 1, 3, 5]) expect(iface(n).tsKind, `n=${n}`).toBe(TsKind.scale);
    for (const n of [13, 15, 19, 20, 127]) expect(iface(n).tsKind, `n=${n}`).toBe(TsKind.fine);
    for (const n of [0, 6, 9, 20, 32, 64, 127]) expect(iface(0x80 | n).tsKind, `n=2^-${n}`).toBe(TsKind.binary);
    expect(timestampConversion(9)).toMatchObject({ tsDiv: 1000 });
    expect(timestampConversion(12)).toMatchObject({ tsDiv: 1_000_000 });
    expect(timestampConversion(15)).toMatchObject({ tsDiv: 1000 });
  });

  it('units finer than 1 ps (10^-13 .. 10^-19 s) divide exactly, also a whole number of µs that floating-point scaling puts 1 µs low', () => {
    // 1.7e9 s in 10^-13 s units does not fit 64 bits; 1,700,000 s (about 20 days after the epoch) does
    const v = 17_000_000_000_000_000_000n + 123_456_0000000n; // 1,700,000.123456 s in 10^-13 s
    expect(ifaceMicros(iface(13), ...split(v))).toBe(1_700_000_123_456);
    expect(ifaceMicros(iface(13), ...split(v - 1n))).toBe(1_700_000_123_455);
    // the floating-point scaling the reader used before (hi * 2^32 * 10^-7 + lo * 10^-7) is 1 µs low here
    const [hi, lo] = split(v);
    expect(Math.floor(hi * 4294967296 * 1e-7 + lo * 1e-7)).toBe(1_700_000_123_455);
    expect(ifaceMicros(iface(19), ...split(18_446_744_073_709_551_615n))).toBe(1_844_674); // (2^64 - 1) / 10^13
    expect(ifaceMicros(iface(40), ...split(18_446_744_073_709_551_615n))).toBe(0);
  });

  it('every resolution agrees with exact integer arithmetic (BigInt) on random 64-bit timestamps', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 0, max: 40 }), (v, n) => {
      const [hi, lo] = split(v);
      const dec = n <= 6 ? v * 10n ** BigInt(6 - n) : v / 10n ** BigInt(n - 6);
      if (dec < 1n << 53n) expect(ifaceMicros(iface(n), hi, lo), `10^-${n}`).toBe(Number(dec));
      const bin = (v * 1_000_000n) >> BigInt(n + 24); // 2^-(n+24) s: finer than µs, the resolutions used in practice
      if (bin < 1n << 53n) expect(ifaceMicros(iface(0x80 | (n + 24)), hi, lo), `2^-${n + 24}`).toBe(Number(bin));
      const coarse = (v * 1_000_000n) >> BigInt(n % 20); // 2^-0 .. 2^-19 s
      if (coarse < 1n << 53n) expect(ifaceMicros(iface(0x80 | (n % 20)), hi, lo), `2^-${n % 20}`).toBe(Number(coarse));
    }), { numRuns: 3000 });
  });

  it('ms (3) and s (0) multiply', () => {
    expect(ifaceMicros(iface(3), ...split(1_700_000_000_123n))).toBe(1_700_000_000_123_000);
    expect(ifaceMicros(iface(0), 0, 1_700_000_000)).toBe(1_700_000_000_000_000);
  });

  it('power-of-two resolutions (MSB set): 2^-20 s and 2^-32 s', () => {
    expect(ifaceMicros(iface(0x80 | 20), ...split((1_700_000_000n << 20n) + (1n << 18n)))).toBe(1_700_000_000_250_000);
    expect(ifaceMicros(iface(0x80 | 32), 1_700_000_000, 0x80000000)).toBe(1_700_000_000_500_000);
  });

  it('applies if_tsoffset', () => {
    expect(ifaceMicros(iface(6, 5_000_000), 0, 1)).toBe(5_000_001);
    expect(ifaceMicros(iface(9, 5_000_000), 0, 1000)).toBe(5_000_001);
  });
});

/** An IDB body (link type, snaplen, options) at offset 8 of a buffer, as in a block; returns decodeIdb's view of it. */
function idb(options: Uint8Array, le = true, linkType = 1, snaplen = 0): PcapngInterface | null {
  const b = new Uint8Array(8 + 8 + options.length + 4);
  const dv = new DataView(b.buffer);
  dv.setUint16(8, linkType, le); dv.setUint32(12, snaplen, le);
  b.set(options, 16);
  return decodeIdb(dv, le, 8, 16 + options.length);
}

/** One option: code, declared length (default: the value's), value, padding to 4 bytes. */
function opt(code: number, value: Uint8Array, le = true, declared = value.length): Uint8Array {
  const b = new Uint8Array(4 + ((value.length + 3) & ~3));
  const dv = new DataView(b.buffer);
  dv.setUint16(0, code, le); dv.setUint16(2, declared, le);
  b.set(value, 4);
  return b;
}
const i64 = (v: bigint, le = true) => { const b = new Uint8Array(8); new DataView(b.buffer).setBigInt64(0, v, le); return b; };
const endofopt = new Uint8Array(4);
const cat = (...p: Uint8Array[]) => { const o = new Uint8Array(p.reduce((n, x) => n + x.length, 0)); let k = 0; for (const x of p) { o.set(x, k); k += x.length; } return o; };

describe('pcapng IDB options', () => {
  it('reads link type, snaplen, if_tsresol and if_tsoffset', () => {
    expect(idb(cat(opt(9, Uint8Array.of(9)), opt(14, i64(100n)), endofopt), true, 101, 1500))
      .toMatchObject({ linkType: 101, snaplen: 1500, tsresol: 9, tsKind: TsKind.divide, tsOffsetMicros: 100_000_000 });
    expect(idb(new Uint8Array(0))).toMatchObject({ linkType: 1, snaplen: 0, tsresol: 6, tsKind: TsKind.micros, tsOffsetMicros: 0 });
  });

  it('if_tsoffset is a signed 64-bit number of seconds, in both byte orders', () => {
    for (const le of [true, false]) {
      for (const s of [100n, -100n, 1n << 32n, -(1n << 32n) - 5n, 1_700_000_000n]) {
        expect(idb(cat(opt(14, i64(s, le), le), endofopt), le)?.tsOffsetMicros, `${s} ${le ? 'LE' : 'BE'}`).toBe(Number(s) * 1e6);
      }
    }
  });

  it('a body shorter than link type + snaplen (8 bytes) is no interface', () => {
    const b = new Uint8Array(32);
    const dv = new DataView(b.buffer);
    expect(decodeIdb(dv, true, 8, 15)).toBeNull();
    expect(decodeIdb(dv, true, 8, 16)).not.toBeNull();
  });

  it('nothing after opt_endofopt is read', () => {
    expect(idb(cat(endofopt, opt(9, Uint8Array.of(9)), opt(14, i64(100n))))).toMatchObject({ tsresol: 6, tsOffsetMicros: 0 });
  });

  it('an option whose length runs past the body ends option parsing (its value is not used)', () => {
    // if_tsresol declaring 5 bytes in the last 8 bytes of the body: 4 + 5 > 8
    expect(idb(opt(9, Uint8Array.of(9, 0, 0, 0), true, 5))).toMatchObject({ tsresol: 6, tsKind: TsKind.micros });
    // the same option declaring 4 bytes fits, and its first byte is the resolution
    expect(idb(opt(9, Uint8Array.of(9, 0, 0, 0), true, 4))).toMatchObject({ tsresol: 9 });
  });

  it('an option ending exactly at the end of the body (no opt_endofopt) is used', () => {
    expect(idb(opt(14, i64(100n)))?.tsOffsetMicros).toBe(100_000_000);
    expect(idb(cat(opt(2, new TextEncoder().encode('eth0')), opt(9, Uint8Array.of(3))))?.tsresol).toBe(3);
  });

  it('if_tsresol of length 0 is ignored', () => {
    expect(idb(cat(opt(9, new Uint8Array(0)), endofopt))).toMatchObject({ tsresol: 6, tsKind: TsKind.micros });
  });

  it('only if_tsoffset of exactly 8 bytes sets the offset; other 8-byte options do not', () => {
    expect(idb(cat(opt(2, new TextEncoder().encode('eth0abcd')), endofopt))?.tsOffsetMicros).toBe(0);
    expect(idb(cat(opt(3, i64(100n)), endofopt))?.tsOffsetMicros).toBe(0);
    // 4-byte if_tsoffset followed by an option whose bytes would make a 100 s offset if read as its high half
    expect(idb(cat(opt(14, Uint8Array.of(100, 0, 0, 0), true, 4), opt(9, Uint8Array.of(6)), endofopt))?.tsOffsetMicros).toBe(0);
    expect(idb(cat(opt(14, Uint8Array.of(100, 0, 0, 0), true, 4), endofopt))?.tsOffsetMicros).toBe(0);
  });
});
