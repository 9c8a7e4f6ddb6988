import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../../src/capture/sniff.js';
import { hex } from '../../helpers/packet-builder.js';

describe('sniffFormat (by magic, never by name)', () => {
  it.each([
    ['a1 b2 c3 d4 00 02', 'pcap'],   // µs, big-endian
    ['d4 c3 b2 a1 02 00', 'pcap'],   // µs, little-endian
    ['a1 b2 3c 4d 00 02', 'pcap'],   // ns, big-endian
    ['4d 3c b2 a1 02 00', 'pcap'],   // ns, little-endian
    ['0a 0d 0d 0a 1c 00', 'pcapng'], // Section Header Block
    ['1f 8b 08 00', 'gzip'],         // RFC 1952 ID1 ID2 CM
    ['50 4b 03 04 14 00', 'zip'],    // PK\x03\x04
    ['a1 b2 c3', 'unknown'],         // too short for a pcap magic
    ['3c 3f 78 6d 6c', 'unknown'],   // "<?xml"
    ['', 'unknown'],
  ])('%s → %s', (h, expected) => {
    expect(sniffFormat(hex(h))).toBe(expected);
  });

  it('recognises a ustar header at offset 257', () => {
    const b = new Uint8Array(512);
    b.set(new TextEncoder().encode('capture.pcap'), 0);
    b.set(new TextEncoder().encode('ustar\u000000'), 257);
    expect(sniffFormat(b)).toBe('tar');
    expect(sniffFormat(b.subarray(0, 261))).toBe('unknown');
  });
});
