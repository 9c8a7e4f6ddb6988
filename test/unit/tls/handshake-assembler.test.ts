/**
 * HandshakeAssembler: messages spanning records and segments are rebuilt byte for byte, in a buffer
 * that grows with the bytes that arrive (not the size a header declares), capped at maxBytes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HandshakeAssembler, type MessageSink } from '../../../src/tls/handshake-assembler.js';

interface Got { type: number; length: number; body: Uint8Array | null; end: number; validEnd: number }

function collector(): { sink: MessageSink; got: Got[]; tooLarge: number[] } {
  const got: Got[] = [];
  const tooLarge: number[] = [];
  return {
    got,
    tooLarge,
    sink: {
      handshakeMessage(_dir, type, length, buf, start, end, validEnd) {
        got.push({ type, length, body: buf === null ? null : buf.slice(start, Math.min(end, validEnd)), end: end - start, validEnd: validEnd - start });
      },
      handshakeTooLarge(_dir, _type, length) { tooLarge.push(length); },
    },
  };
}

const message = (type: number, body: Uint8Array): Uint8Array => {
  const m = new Uint8Array(4 + body.length);
  m.set([type, body.length >> 16, (body.length >> 8) & 255, body.length & 255]);
  m.set(body, 4);
  return m;
};
const pattern = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255);

describe('HandshakeAssembler', () => {
  it('rebuilds a 40 KB message pushed in pieces of any size, its buffer growing with the bytes received', () => {
    const body = pattern(40_000);
    const msg = message(11, body);
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 200 }), (sizes) => {
      const c = collector();
      const a = new HandshakeAssembler(0, c.sink, () => true, 1 << 20);
      let p = 0;
      let maxHeld = 0;
      for (let i = 0; p < msg.length; i++) {
        const n = Math.min(sizes[i % sizes.length], msg.length - p);
        a.push(msg, p, p + n);
        p += n;
        if (c.got.length === 0) {
          // what is held is at most twice what arrived (doubling), and never less than it
          const arrived = Math.max(0, p - 4);
          maxHeld = Math.max(maxHeld, a.buffered);
          expect(a.buffered).toBeLessThanOrEqual(Math.max(4096, 2 * arrived));
          if (arrived > 0) expect(a.buffered).toBeGreaterThanOrEqual(Math.min(arrived, body.length));
        }
      }
      expect(c.got).toHaveLength(1);
      expect(c.got[0].type).toBe(11);
      expect(c.got[0].validEnd).toBe(body.length);
      expect(Buffer.from(c.got[0].body as Uint8Array).equals(Buffer.from(body))).toBe(true);
      expect(a.buffered).toBe(0);
      return maxHeld <= 2 * body.length;
    }), { numRuns: 200 });
  });

  it('holds a few KB for a header that declares 1 MiB, and delivers what came when the data ends', () => {
    const c = collector();
    const a = new HandshakeAssembler(0, c.sink, () => true, 1 << 20);
    const head = Uint8Array.of(1, 0x0f, 0xff, 0xff);
    a.push(head, 0, 4);
    a.push(pattern(100), 0, 100);
    expect(a.buffered).toBeLessThanOrEqual(4096);
    a.flushPartial();
    expect(c.got).toHaveLength(1);
    expect(c.got[0]).toMatchObject({ type: 1, length: 0x0fffff, end: 0x0fffff, validEnd: 100 });
    expect(Buffer.from(c.got[0].body as Uint8Array).equals(Buffer.from(pattern(100)))).toBe(true);
  });

  it('keeps the bytes before a hole and after it in place (validEnd at the hole)', () => {
    const c = collector();
    const a = new HandshakeAssembler(0, c.sink, () => true, 1 << 20);
    const body = pattern(30_000);
    const msg = message(11, body);
    a.push(msg, 0, 1004); // header + 1000 bytes
    a.gap(20_000); // lost in the capture
    a.push(msg, 21_004, msg.length);
    expect(c.got).toHaveLength(1);
    expect(c.got[0].validEnd).toBe(1000);
    expect(Buffer.from(c.got[0].body as Uint8Array).equals(Buffer.from(body.subarray(0, 1000)))).toBe(true);
  });

  it('keeps the first maxBytes of a longer message and says it was too large', () => {
    const c = collector();
    const a = new HandshakeAssembler(0, c.sink, () => true, 10_000);
    const body = pattern(25_000);
    const msg = message(11, body);
    for (let p = 0; p < msg.length; p += 777) a.push(msg, p, Math.min(msg.length, p + 777));
    expect(c.tooLarge).toEqual([25_000]);
    expect(c.got).toHaveLength(1);
    expect(c.got[0]).toMatchObject({ length: 25_000, validEnd: 10_000 });
    expect(Buffer.from(c.got[0].body as Uint8Array).equals(Buffer.from(body.subarray(0, 10_000)))).toBe(true);
  });
});
