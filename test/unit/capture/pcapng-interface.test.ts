import { describe, expect, it } from 'vitest';
import { ifaceMicros, timestampConversion, TsKind, type PcapngInterface } from '../../../src/capture/pcapng-interface.js';

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
