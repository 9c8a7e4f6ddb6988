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

describe('HandshakeAssembler: boundaries, skipped types, lost bytes', () => {
  const wantsAllBut = (skip: number) => (t: number) => t !== skip;

  it('a header cut into single bytes, then a body that fills one push exactly: delivered as a view, nothing buffered', () => {
    const c = collector();
    const a = new HandshakeAssembler(0, c.sink, () => true, 1 << 20);
    const msg = message(2, pattern(40));
    for (let i = 0; i < 4; i++) a.push(msg, i, i + 1);
    expect(a.midMessage).toBe(true);
    expect(a.currentType).toBe(2);
    expect(a.progress).toBe('0 of 40 bytes');
    a.push(msg, 4, 44);
    expect(c.got).toHaveLength(1);
    expect(c.got[0]).toMatchObject({ type: 2, length: 40, end: 40, validEnd: 40 });
    expect(a.buffered).toBe(0);
    expect(a.midMessage).toBe(false);
    expect(a.currentType).toBe(-1);
    expect(a.progress).toBe('header only');
    // the next header, again cut, is read afresh (no bits left over from the last one)
    const next = message(11, pattern(3));
    a.push(next, 0, 2);
    a.push(next, 2, next.length);
    expect(c.got[1]).toMatchObject({ type: 11, length: 3, validEnd: 3 });
  });

  it('a type it does not want is skipped: reported without bytes, never buffered', () => {
    const c = collector();
    const a = new HandshakeAssembler(0, c.sink, wantsAllBut(4), 1 << 20);
    const msg = message(4, pattern(5000));
    for (let p = 0; p < msg.length; p += 1000) {
      a.push(msg, p, Math.min(msg.length, p + 1000));
      expect(a.buffered).toBe(0);
    }
    expect(c.got).toEqual([{ type: 4, length: 5000, body: null, end: 0, validEnd: 0 }]);
    a.flushPartial();
    expect(c.got).toHaveLength(1);
  });

  it('a zero-length message is delivered empty, whole or cut after its header', () => {
    const c = collector();
    const a = new HandshakeAssembler(0, c.sink, () => true, 1 << 20);
    const z = message(14, new Uint8Array(0));
    a.push(z, 0, 4);
    a.push(z, 0, 2);
    a.push(z, 2, 4);
    expect(c.got.map((g) => [g.type, g.length, g.validEnd, g.body?.length])).toEqual([[14, 0, 0, 0], [14, 0, 0, 0]]);
  });

  it('the largest message kept whole is maxBytes long; one byte more is said to be too large', () => {
    for (const [n, too] of [[1000, false], [1001, true]] as const) {
      const c = collector();
      const a = new HandshakeAssembler(0, c.sink, () => true, 1000);
      const msg = message(11, pattern(n));
      a.push(msg, 0, 500);
      a.push(msg, 500, msg.length);
      expect(c.tooLarge).toEqual(too ? [n] : []);
      expect(c.got[0].validEnd).toBe(1000);
    }
  });

  it('bytes lost inside a body leave a hole; more lost than the body has lose the boundary too', () => {
    const c = collector();
    const a = new HandshakeAssembler(0, c.sink, () => true, 1 << 20);
    const msg = message(11, pattern(100));
    a.push(msg, 0, 24); // header + 20
    a.gap(0); // nothing lost: no effect
    a.gap(-5);
    expect(a.midMessage).toBe(true);
    a.gap(30); // hole at 20
    a.push(msg, 54, 64); // 10 more bytes after the hole
    a.gap(50); // the last 40 bytes and 10 beyond: the message ends cut, the next header is lost
    expect(c.got).toHaveLength(1);
    expect(c.got[0]).toMatchObject({ type: 11, length: 100, validEnd: 20 });
    expect(a.lostBoundary).toBe(true);
    // until a record starts, bytes are ignored
    a.push(message(2, pattern(10)), 0, 14);
    expect(c.got).toHaveLength(1);
  });

  it('a header cut by lost bytes loses the boundary; the next record start is probed for a known type', () => {
    const c = collector();
    const a = new HandshakeAssembler(0, c.sink, () => true, 1 << 20);
    const msg = message(2, pattern(10));
    a.push(msg, 0, 2); // half a header
    a.gap(5);
    expect(a.lostBoundary).toBe(true);
    expect(a.midMessage).toBe(false);
    a.push(msg, 0, msg.length); // ignored
    expect(c.got).toHaveLength(0);
    // a record starting with an unknown type (0x63) is not taken for a handshake header
    a.recordStart();
    expect(a.lostBoundary).toBe(false);
    const junk = message(0x63, pattern(10));
    a.push(junk, 0, junk.length);
    expect(c.got).toHaveLength(0);
    expect(a.lostBoundary).toBe(true);
    // the next record starts with a ServerHello: read again, and the message after it needs no probing
    a.recordStart();
    const two = new Uint8Array([...message(2, pattern(10)), ...message(0x63, pattern(3))]);
    a.push(two, 0, two.length);
    expect(c.got.map((g) => g.type)).toEqual([2, 0x63]);
    expect(a.lostBoundary).toBe(false);
  });

  it('flushPartial delivers a started body cut, and nothing for a bare header or after reset', () => {
    const c = collector();
    const a = new HandshakeAssembler(0, c.sink, () => true, 1 << 20);
    const msg = message(11, pattern(100));
    a.push(msg, 0, 4); // header only
    a.flushPartial();
    expect(c.got).toHaveLength(0);
    const b = new HandshakeAssembler(0, c.sink, () => true, 1 << 20);
    b.push(msg, 0, 34);
    b.reset();
    b.flushPartial();
    expect(c.got).toHaveLength(0);
    const d = new HandshakeAssembler(0, c.sink, () => true, 1 << 20);
    d.push(msg, 0, 34);
    d.flushPartial();
    expect(c.got).toHaveLength(1);
    expect(c.got[0]).toMatchObject({ length: 100, validEnd: 30 });
    expect(d.buffered).toBe(0);
  });
});
