import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/diagnostics/decode-error.js';
import { childrenPrefix, decodeOid, integerHex, readHeader, readTlv } from '../../../src/x509/der.js';
import fc from 'fast-check';
import { decodeDirectoryString, escapeRfc4514 } from '../../../src/x509/dn.js';
import { formatIpBytes, keyUsageNames, normalizeIpText, parseIpLiteral } from '../../../src/x509/extensions.js';
import { decodeCertSkeleton, parseAsn1Time } from '../../../src/x509/tbs.js';
import { d } from './build-cert.js';

describe('DER primitives (X.690)', () => {
  it('decodes OIDs with multi-octet arcs and a first arc of 2', () => {
    expect(decodeOid(Uint8Array.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]))).toBe('1.2.840.113549.1.1.11');
    expect(decodeOid(Uint8Array.from([0x88, 0x37, 0x03]))).toBe('2.999.3');
    expect(() => decodeOid(Uint8Array.from([0x2a, 0x86]))).toThrow(DecodeError);
  });

  it('splits the first subidentifier into two arcs at 40 and 80 (X.690 §8.19.4); an empty OID is refused', () => {
    expect([0, 39, 40, 79, 80, 119].map((v) => decodeOid(Uint8Array.of(v, 5)))).toEqual(['0.0.5', '0.39.5', '1.0.5', '1.39.5', '2.0.5', '2.39.5']);
    expect(() => decodeOid(new Uint8Array(0))).toThrow(/bad_oid/);
  });

  it('childrenPrefix: the complete children before the first cut or malformed one (a certificate cut by snaplen)', () => {
    const kids = [d.int('01'), d.int('0203'), d.utf8('abc')];
    const whole = d.seq(...kids);
    const top = readHeader(whole, 0);
    const starts = (buf: Uint8Array) => childrenPrefix(buf, top).map((c) => [c.start, c.end]);
    expect(starts(whole)).toEqual([[2, 5], [5, 9], [9, 14]]);
    // the buffer cut inside the third child, then inside the second: only what is whole
    expect(starts(whole.subarray(0, 13))).toEqual([[2, 5], [5, 9]]);
    expect(starts(whole.subarray(0, 8))).toEqual([[2, 5]]);
    // a child whose header runs past the parent's end stops the list too
    const bad = Uint8Array.from([...whole.subarray(0, 9), 0x0c, 0x85, 0, 0, 0, 0, 0]);
    expect(childrenPrefix(bad, readHeader(bad, 0)).length).toBe(2);
  });

  it('reads long-form lengths and refuses indefinite or truncated ones', () => {
    const t = readHeader(Uint8Array.from([0x30, 0x82, 0x01, 0x00]), 0);
    expect({ valueStart: t.valueStart, length: t.length, complete: t.complete }).toEqual({ valueStart: 4, length: 256, complete: false });
    expect(() => readTlv(Uint8Array.from([0x30, 0x80, 0, 0]), 0)).toThrow(/indefinite_length/);
    expect(() => readTlv(Uint8Array.from([0x30, 0x05, 1]), 0)).toThrow(/truncated/);
    expect(() => readTlv(Uint8Array.from([0x02, 0x01, 1]), 0, 3, 0x30)).toThrow(/unexpected_tag/);
  });

  it('skips a high tag number (up to four base-128 octets) to its length; longer or cut tags are refused', () => {
    // [APPLICATION 300] (0x7f 0x82 0x2c): two tag-number octets, then a length of 2
    const t = readHeader(Uint8Array.from([0x7f, 0x82, 0x2c, 0x02, 0xaa, 0xbb]), 0);
    expect({ tag: t.tag, valueStart: t.valueStart, length: t.length, end: t.end, complete: t.complete }).toEqual({ tag: 0x7f, valueStart: 4, length: 2, end: 6, complete: true });
    // one tag-number octet (31 itself)
    expect(readHeader(Uint8Array.from([0x9f, 0x1f, 0x01, 0x00]), 0).valueStart).toBe(3);
    // four continuation octets and a last one are accepted, five continuation octets are not
    expect(readHeader(Uint8Array.from([0x1f, 0x81, 0x81, 0x81, 0x81, 0x01, 0x00]), 0).valueStart).toBe(7);
    expect(() => readHeader(Uint8Array.from([0x1f, 0x81, 0x81, 0x81, 0x81, 0x81, 0x01, 0x00]), 0)).toThrow(/bad_tag/);
    // the tag runs into the limit: no length octet left
    expect(() => readHeader(Uint8Array.from([0x1f, 0x81, 0x81, 0x01]), 0)).toThrow(/truncated/);
    expect(() => readHeader(Uint8Array.from([0x1f, 0x81, 0x81]), 0)).toThrow(/truncated/);
  });

  it('reads long-form lengths of up to four octets, inside the limit', () => {
    expect(readHeader(Uint8Array.from([0x04, 0x84, 0x00, 0x00, 0x01, 0x00]), 0)).toMatchObject({ valueStart: 6, length: 256, complete: false });
    expect(readHeader(Uint8Array.from([0x04, 0x81, 0x02, 0xaa, 0xbb]), 0)).toMatchObject({ valueStart: 3, length: 2, end: 5, complete: true });
    expect(() => readHeader(Uint8Array.from([0x04, 0x85, 0, 0, 0, 0, 1]), 0)).toThrow(/bad_length/);
    // the length octets themselves cut by the limit
    expect(() => readHeader(Uint8Array.from([0x04, 0x82, 0x01, 0x00]), 0, 3)).toThrow(/truncated/);
    expect(readHeader(Uint8Array.from([0x04, 0x82, 0x01, 0x00]), 0, 4)).toMatchObject({ valueStart: 4, length: 256 });
    // a header needs two bytes before the limit
    expect(() => readHeader(Uint8Array.from([0x30, 0x00]), 1)).toThrow(/truncated/);
    expect(readHeader(Uint8Array.from([0x05, 0x30, 0x00]), 1)).toMatchObject({ tag: 0x30, length: 0, complete: true });
  });

  it('prints INTEGER magnitudes without leading zero octets', () => {
    expect(integerHex(Uint8Array.from([0, 0, 0x8f, 1]))).toBe('8f01');
    expect(integerHex(Uint8Array.from([0]))).toBe('00');
  });
});

describe('times (RFC 5280 §4.1.2.5)', () => {
  it('maps UTCTime years 50-99 to 19xx and 00-49 to 20xx', () => {
    expect(new Date(parseAsn1Time(0x17, '500101000000Z')!).toISOString()).toBe('1950-01-01T00:00:00.000Z');
    expect(new Date(parseAsn1Time(0x17, '491231235959Z')!).toISOString()).toBe('2049-12-31T23:59:59.000Z');
  });

  it('accepts missing seconds and zone offsets, rejects nonsense', () => {
    expect(new Date(parseAsn1Time(0x17, '2501011200Z')!).toISOString()).toBe('2025-01-01T12:00:00.000Z');
    expect(new Date(parseAsn1Time(0x17, '250101120000+0130')!).toISOString()).toBe('2025-01-01T10:30:00.000Z');
    expect(new Date(parseAsn1Time(0x18, '00010101000000Z')!).toISOString()).toBe('0001-01-01T00:00:00.000Z');
    expect(parseAsn1Time(0x17, '251301000000Z')).toBeNull();
    expect(parseAsn1Time(0x17, 'garbage')).toBeNull();
    expect(parseAsn1Time(0x04, '250101000000Z')).toBeNull();
  });

  it('takes each field up to its last value and refuses the next (second 60 kept: a leap second)', () => {
    const iso = (tag: number, t: string) => { const ms = parseAsn1Time(tag, t); return ms === null ? null : new Date(ms).toISOString(); };
    expect(iso(0x17, '251231235959Z')).toBe('2025-12-31T23:59:59.000Z');
    expect(iso(0x17, '250101000060Z')).toBe('2025-01-01T00:01:00.000Z');
    expect(iso(0x17, '250131000000Z')).toBe('2025-01-31T00:00:00.000Z');
    for (const bad of ['250001000000Z', '250100000000Z', '250132000000Z', '250101240000Z', '250101006000Z', '250101000061Z']) expect(iso(0x17, bad), bad).toBeNull();
    for (const bad of ['20250001000000Z', '20250100000000Z', '20250132000000Z', '20250101240000Z', '20250101006000Z', '20250101000061Z']) expect(iso(0x18, bad), bad).toBeNull();
  });

  it('GeneralizedTime: optional minutes and seconds, fractions after . or , (to the millisecond), local time as UTC, offsets both ways', () => {
    const iso = (t: string) => new Date(parseAsn1Time(0x18, t)!).toISOString();
    expect(iso('2025010112Z')).toBe('2025-01-01T12:00:00.000Z');
    expect(iso('202501011230Z')).toBe('2025-01-01T12:30:00.000Z');
    expect(iso('20250101123045,25Z')).toBe('2025-01-01T12:30:45.250Z');
    expect(iso('20250101123045.1234Z')).toBe('2025-01-01T12:30:45.123Z');
    expect(iso('20250101123045')).toBe('2025-01-01T12:30:45.000Z');
    expect(iso('20250101123045-0130')).toBe('2025-01-01T14:00:45.000Z');
    expect(iso('20250101123045+0001')).toBe('2025-01-01T12:29:45.000Z');
    expect(parseAsn1Time(0x18, '20250101123045.Z')).toBeNull();
    expect(parseAsn1Time(0x17, '250101123045')).toBeNull(); // UTCTime needs its zone
    expect(parseAsn1Time(0x17, '250101123045.5Z')).toBeNull(); // and has no fractions
  });
});

describe('IP addresses and key usage', () => {
  it('parses and normalises IPv4 and IPv6 literals (RFC 4291 / RFC 5952)', () => {
    expect(normalizeIpText('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(normalizeIpText('[::1]')).toBe('::1');
    expect(normalizeIpText('::ffff:10.1.2.3')).toBe('::ffff:10.1.2.3');
    expect(normalizeIpText('2001:db8::1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(normalizeIpText('1:0:0:2:0:0:0:3')).toBe('1:0:0:2::3');
    expect(parseIpLiteral('10.48.36.256')).toBeNull();
    expect(parseIpLiteral('cucm.steven.lab')).toBeNull();
    expect(parseIpLiteral('1::2::3')).toBeNull();
    expect(formatIpBytes(Uint8Array.from([10, 0, 0, 0, 255, 0, 0, 0]))).toBe('#0a000000ff000000');
  });

  it('names keyUsage bits in RFC 5280 order', () => {
    expect(keyUsageNames(Uint8Array.from([0x01, 0x86]))).toEqual(['digitalSignature', 'keyCertSign', 'cRLSign']);
    expect(keyUsageNames(Uint8Array.from([0x07, 0x00, 0x80]))).toEqual(['decipherOnly']);
  });

  it('escapes what RFC 4514 requires and makes control characters visible', () => {
    expect(escapeRfc4514(' a\0b\n#c ')).toBe('\\ a\\00b\\0A#c\\ ');
    expect(escapeRfc4514('#x')).toBe('\\#x');
    expect(escapeRfc4514(' ')).toBe('\\ ');
    expect(escapeRfc4514('a,b+c;"<>\\ ')).toBe('a\\,b\\+c\\;\\"\\<\\>\\\\\\ ');
  });

  it('escapes exactly as RFC 4514 §2.4 reads, character by character (any string)', () => {
    const byChar = (value: string): string => {
      let out = '';
      for (let i = 0; i < value.length; i++) {
        const ch = value[i], code = value.charCodeAt(i);
        if (code < 0x20 || code === 0x7f) out += `\\${code.toString(16).toUpperCase().padStart(2, '0')}`;
        else if ('"+,;<>\\'.includes(ch)) out += `\\${ch}`;
        else if (i === 0 && (ch === ' ' || ch === '#')) out += `\\${ch}`;
        else if (i === value.length - 1 && ch === ' ') out += '\\ ';
        else out += ch;
      }
      return out;
    };
    const alpha = fc.constantFrom(' ', '#', ',', '+', '"', '\\', ';', '<', '>', '=', 'a', 'é', '\u0000', '\u001f', '\u007f', '\ud800');
    fc.assert(fc.property(fc.array(alpha, { maxLength: 12 }).map((a) => a.join('')), (v) => escapeRfc4514(v) === byChar(v)), { numRuns: 3000 });
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (v) => escapeRfc4514(v) === byChar(v)), { numRuns: 1000 });
  });

  it('decodes BMP and Universal strings code unit by code unit (lone surrogates kept, out-of-range code points replaced)', () => {
    const str = (tag: number, v: Uint8Array) => {
      const tlv = d.tlv(tag, v);
      return decodeDirectoryString(tlv, readTlv(tlv, 0));
    };
    expect(str(0x1e, Uint8Array.of(0x00, 0x41, 0xd8, 0x00, 0x00, 0xe9, 0xdc, 0x00))).toBe('A\ud800\u00e9\udc00');
    expect(str(0x1c, Uint8Array.of(0, 0, 0, 0x41, 0, 1, 0xf6, 0x00, 0x00, 0x11, 0, 0, 0, 0, 0xd8, 0x00))).toBe('A\u{1f600}\ufffd\ud800');
    // long values (a certificate field can be a megabyte): the same code units, in order
    const long = new Uint8Array(2 * 70000);
    for (let i = 0; i < 70000; i++) { long[2 * i] = (i >> 8) & 0xff; long[2 * i + 1] = i & 0xff; }
    const s = str(0x1e, long) as string;
    expect(s.length).toBe(70000);
    expect([0, 255, 256, 55296, 65535, 65536, 69999].map((i) => s.charCodeAt(i))).toEqual([0, 255, 256, 55296, 65535, 0, 4463]);
    const u = new Uint8Array(4 * 10000);
    for (let i = 0; i < 10000; i++) new DataView(u.buffer).setUint32(4 * i, 0x1f000 + i);
    expect([...(str(0x1c, u) as string)].map((c) => c.codePointAt(0)))
      .toEqual(Array.from({ length: 10000 }, (_, i) => 0x1f000 + i));
    // the last code point (U+10FFFF) is kept, the next value replaced
    expect(str(0x1c, Uint8Array.of(0, 0x10, 0xff, 0xff, 0, 0x11, 0, 0))).toBe('\u{10ffff}\ufffd');
    // half a code unit / code point: not a string (the name shows the value in hex)
    expect(str(0x1e, Uint8Array.of(0x00, 0x41, 0x00))).toBeNull();
    expect(str(0x1c, Uint8Array.of(0, 0, 0, 0x41, 0, 0))).toBeNull();
    // a hostile megabyte Universal string (262,144 code points: more than one call's arguments can hold)
    const big = new Uint8Array(4 * 262_144);
    for (let i = 0; i < 262_144; i++) big[4 * i + 3] = 0x41 + (i % 26);
    const b = str(0x1c, big) as string;
    expect(b.length).toBe(262_144);
    expect(b.slice(4090, 4100)).toBe('IJKLMNOPQR'); // (code points 4090…4099: letters 8…17 of the cycle, across the first 4,096)
  });
});

describe('certificate skeleton (RFC 5280 §4.1)', () => {
  const alg = d.seq(d.oid('1.3.101.112'));
  const validity = (nb: Uint8Array = d.utcTime('250101000000Z'), na: Uint8Array = d.utcTime('350101000000Z')) => d.seq(nb, na);
  const spki = d.seq(d.seq(d.oid('1.3.101.112')), d.bits(Uint8Array.of(1, 2, 3)));
  /** a certificate from its tbsCertificate fields after the version */
  const cert = (version: Uint8Array[], rest: Uint8Array[] = [], tail: Uint8Array[] = [alg, d.bits(Uint8Array.of(0))]) =>
    d.seq(d.seq(...version, d.int('2a'), alg, d.seq(), validity(), d.seq(), spki, ...rest), ...tail);
  const ext = (oid: string, parts: Uint8Array[]) => d.seq(d.oid(oid), ...parts);
  const exts = (...e: Uint8Array[]) => d.explicit(3, d.seq(...e));

  it('reads the version (v1 when left out), the serial and the signature algorithm', () => {
    expect(decodeCertSkeleton(cert([])).version).toBe(1);
    expect(decodeCertSkeleton(cert([d.explicit(0, d.int('01'))])).version).toBe(2);
    const v3 = decodeCertSkeleton(cert([d.explicit(0, d.int('02'))]));
    expect([v3.version, v3.serialHex, v3.signatureAlgorithm, v3.declaredLength]).toEqual([3, '2a', '1.3.101.112', cert([d.explicit(0, d.int('02'))]).length]);
    // a cut certificate: the signatureAlgorithm when it is all there, none when cut inside it or absent
    const whole = cert([d.explicit(0, d.int('02'))]);
    expect(decodeCertSkeleton(whole.subarray(0, whole.length - 4)).signatureAlgorithm).toBe('1.3.101.112');
    expect(decodeCertSkeleton(whole.subarray(0, whole.length - 5)).signatureAlgorithm).toBeNull();
    expect(decodeCertSkeleton(cert([], [], [])).signatureAlgorithm).toBeNull();
  });

  it('finds the extensions after the unique identifiers, with their criticality as encoded', () => {
    const e = exts(
      ext('1.2.3.1', [d.octet(Uint8Array.of(1))]),
      ext('1.2.3.2', [d.bool(true), d.octet(Uint8Array.of(2))]),
      ext('1.2.3.3', [d.bool(false), d.octet(Uint8Array.of(3))]),
    );
    const skel = decodeCertSkeleton(cert([d.explicit(0, d.int('02'))], [d.tlv(0x81, Uint8Array.of(0, 1)), d.tlv(0x82, Uint8Array.of(0, 2)), e]));
    expect(skel.extensions?.map((x) => [x.oid, x.critical, [...x.value]])).toEqual([['1.2.3.1', false, [1]], ['1.2.3.2', true, [2]], ['1.2.3.3', false, [3]]]);
  });

  it('gives no extensions when one does not decode', () => {
    const v3 = [d.explicit(0, d.int('02'))];
    expect(decodeCertSkeleton(cert(v3, [exts(ext('1.2.3.1', [d.bits(Uint8Array.of(1))]))])).extensions).toBeNull();
    expect(decodeCertSkeleton(cert(v3, [exts(d.seq(d.int('01'), d.octet(Uint8Array.of(1))))])).extensions).toBeNull();
    expect(decodeCertSkeleton(cert(v3, [exts(d.seq(d.oid('1.2.3.1')))])).extensions).toBeNull();
    expect(decodeCertSkeleton(cert(v3)).extensions).toBeNull();
  });

  it('keeps the public key bits without the unused-bits octet; an empty BIT STRING gives none', () => {
    expect([...decodeCertSkeleton(cert([])).spkiKey!]).toEqual([1, 2, 3]);
    const empty = d.seq(d.seq(d.seq(), alg, d.seq(), validity(), d.seq(), d.seq(d.seq(d.oid('1.3.101.112')), d.tlv(0x03))), alg, d.bits(Uint8Array.of(0)));
    expect(decodeCertSkeleton(empty).spkiKey).toBeNull();
  });

  it('writes a refused time as written, control characters as ?, at most 64 characters', () => {
    const at = (nb: Uint8Array) => decodeCertSkeleton(d.seq(d.seq(d.int('01'), alg, d.seq(), validity(nb), d.seq(), spki), alg, d.bits(Uint8Array.of(0))));
    expect(at(d.utcTime('2501\n1000000\x7fZ')).notBeforeBad).toBe('2501?1000000?Z');
    expect(at(d.utcTime('2501\x1f1000000\x20Z')).notBeforeBad).toBe('2501?1000000 Z');
    const long = `20250101000000.${'1'.repeat(60)}Z`;
    const skel = at(d.genTime(long));
    expect([skel.notBeforeBad, skel.notBeforeMs]).toEqual([long.slice(0, 64), null]);
    const max = `20250101000000.${'5'.repeat(48)}Z`; // 64 characters: parsed
    expect(at(d.genTime(max)).notBeforeMs).toBe(Date.UTC(2025, 0, 1, 0, 0, 0, 556));
    expect(at(d.utcTime('250101000000Z')).notBeforeBad).toBeNull();
    expect(at(d.octet(Buffer.from('250101000000Z'))).notBeforeBad).toBe('250101000000Z');
  });
});

describe('RSASSA-PSS signature parameters (RFC 4055 §3.1)', () => {
  const PSS = '1.2.840.113549.1.1.10';
  /** a certificate shell: an empty tbsCertificate, the signatureAlgorithm under test, a signature */
  const shell = (alg: Uint8Array) => decodeCertSkeleton(d.seq(d.seq(), alg, d.bits(Uint8Array.of(1, 2, 3))));
  const hashAlg = (oid: string) => d.explicit(0, d.seq(d.oid(oid), d.null()));
  const mgf1 = (oid: string) => d.explicit(1, d.seq(d.oid('1.2.840.113549.1.1.8'), d.seq(d.oid(oid), d.null())));

  it('reads the hash algorithm, SHA-1 when left out (its DEFAULT)', () => {
    expect(shell(d.seq(d.oid(PSS), d.seq(hashAlg('2.16.840.1.101.3.4.2.3'), mgf1('2.16.840.1.101.3.4.2.3'), d.explicit(2, d.int('40'))))).pssHash)
      .toBe('2.16.840.1.101.3.4.2.3');
    expect(shell(d.seq(d.oid(PSS), d.seq())).pssHash).toBe('1.3.14.3.2.26');
    expect(shell(d.seq(d.oid(PSS), d.seq(d.explicit(2, d.int('14'))))).pssHash).toBe('1.3.14.3.2.26');
    expect(shell(d.seq(d.oid(PSS), d.seq(mgf1('2.16.840.1.101.3.4.2.1')))).pssHash).toBe('1.3.14.3.2.26');
    expect(shell(d.seq(d.oid(PSS), d.seq(d.explicit(3, d.int('01'))))).pssHash).toBe('1.3.14.3.2.26');
    expect(shell(d.seq(d.oid(PSS), d.seq(d.explicit(4, d.int('01'))))).pssHash).toBeNull();
  });

  it('has none for other algorithms, absent or odd parameters', () => {
    expect(shell(d.seq(d.oid('1.2.840.113549.1.1.11'), d.null())).pssHash).toBeNull();
    expect(shell(d.seq(d.oid(PSS))).pssHash).toBeNull();
    expect(shell(d.seq(d.oid(PSS), d.null())).pssHash).toBeNull();
    expect(shell(d.seq(d.oid(PSS), d.seq(d.int('01')))).pssHash).toBeNull();
    expect(shell(d.seq(d.oid(PSS), d.seq(d.explicit(0, d.int('01'))))).pssHash).toBeNull();
    expect(shell(d.seq(d.oid(PSS), d.seq(d.explicit(0, d.seq(d.null()))))).pssHash).toBeNull();
    // a certificate cut inside the hash AlgorithmIdentifier: no hash, no exception
    const whole = d.seq(d.seq(), d.seq(d.oid(PSS), d.seq(hashAlg('2.16.840.1.101.3.4.2.1'))));
    for (let cut = 1; cut <= 13; cut++) expect(decodeCertSkeleton(whole.subarray(0, whole.length - cut)).pssHash, String(cut)).toBeNull();
    expect(decodeCertSkeleton(whole).pssHash).toBe('2.16.840.1.101.3.4.2.1');
  });
});
