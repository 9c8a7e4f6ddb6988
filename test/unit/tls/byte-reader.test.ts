import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../../src/tls/byte-reader.js';
import { expectEnd, prefixWidth, readU16List, readVector } from '../../../src/tls/vector.js';
import { DecodeError } from '../../../src/diagnostics/decode-error.js';

const r = (...b: number[]) => ByteReader.of(Uint8Array.from(b), 'test');

describe('ByteReader (bounds-checked big-endian reads)', () => {
  it('reads u8/u16/u24/u32 big-endian and advances', () => {
    const x = r(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    expect(x.u8()).toBe(1);
    expect(x.u16()).toBe(0x0203);
    expect(x.u24()).toBe(0x040506);
    expect(x.u32()).toBe(0x0708090a);
    expect(x.remaining).toBe(0);
  });

  it('throws DecodeError(truncated) instead of reading past the window', () => {
    const x = new ByteReader(Uint8Array.from([1, 2, 3, 4]), 1, 3, 'tls.test');
    expect(x.u16()).toBe(0x0203);
    const e = (() => { try { x.u8('level'); } catch (err) { return err; } })();
    expect(e).toBeInstanceOf(DecodeError);
    expect((e as DecodeError).code).toBe('truncated');
    expect((e as DecodeError).layer).toBe('tls.test');
  });

  it('reads vector length prefixes of 1, 2 and 3 bytes; a cut one names "<vector> length"', () => {
    const x = r(7, 1, 2, 3, 4, 5, 6);
    expect(x.lengthPrefix(1, 'a')).toBe(7);
    expect(x.lengthPrefix(2, 'b')).toBe(0x0102);
    expect(x.lengthPrefix(3, 'c')).toBe(0x030405);
    expect(x.remaining).toBe(1);
    const e = (() => { try { x.lengthPrefix(2, 'cipher_suites'); } catch (err) { return err; } })() as DecodeError;
    expect(e).toBeInstanceOf(DecodeError);
    expect(e.code).toBe('truncated');
    expect(e.message).toContain('cipher_suites length: need 2 bytes at 6, have 1');
    expect(x.remaining).toBe(1); // nothing consumed
  });

  it('rejects a window outside the buffer', () => {
    expect(() => new ByteReader(new Uint8Array(4), 2, 5, 'x')).toThrow(DecodeError);
  });

  it('keeps raw bytes in latin1 strings', () => {
    expect(r(0x68, 0xff, 0x00).latin1(3)).toBe('h\u00ff\u0000');
  });
});

describe('readVector / expectEnd (RFC 5246 §4.3 <min..max>)', () => {
  it('derives the prefix width from max', () => {
    expect([prefixWidth(255), prefixWidth(256), prefixWidth(0xffff), prefixWidth(0x10000)]).toEqual([1, 2, 2, 3]);
  });

  it('returns a child reader and moves the parent past the vector', () => {
    const x = r(0, 3, 9, 8, 7, 6);
    const v = readVector(x, 0, 0xffff, 'v');
    expect([v.u8(), v.u8(), v.u8()]).toEqual([9, 8, 7]);
    expect(x.u8()).toBe(6);
  });

  it.each([
    ['below min', [1, 5], 2, 255, 'vector_bounds'],
    ['above max', [3, 1, 2, 3], 0, 2, 'vector_bounds'],
    ['longer than the data', [4, 1, 2], 0, 255, 'vector_overflow'],
  ])('rejects a length %s', (_name, bytes, min, max, code) => {
    expect(() => readVector(r(...(bytes as number[])), min as number, max as number, 'v')).toThrow(expect.objectContaining({ code }));
  });

  it('expectEnd throws on trailing bytes', () => {
    const x = r(1, 2);
    x.u8();
    expect(() => expectEnd(x, 'x')).toThrow(expect.objectContaining({ code: 'trailing_bytes' }));
  });

  it('readU16List rejects an odd length', () => {
    expect(readU16List(r(0, 4, 0, 1, 0, 2), 0, 0xffff, 'l')).toEqual([1, 2]);
    expect(() => readU16List(r(0, 3, 0, 1, 0), 0, 0xffff, 'l')).toThrow(expect.objectContaining({ code: 'odd_length' }));
  });
});
