/**
 * Extension decoding from the raw DER (src/x509/extensions.ts): the fallback decoder that must give
 * what @peculiar/x509 gives, the IP address forms, and which extensions make OpenSSL 3.0 flag a
 * certificate invalid (the live comparison with openssl verify is in test/unit/trust/invalid-extension-live.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/diagnostics/decode-error.js';
import {
  decodeExtFacts, emptyExtFacts, formatIpBytes, invalidExtensionOids, keyUsageNames, normalizeIpText, parseIpLiteral,
} from '../../../src/x509/extensions.js';
import type { RawExtension } from '../../../src/x509/tbs.js';
import { OID, d, name } from './build-cert.js';

const SAN = '2.5.29.17', BC = '2.5.29.19', KU = '2.5.29.15', EKU = '2.5.29.37', SKI = '2.5.29.14', AKI = '2.5.29.35';
const NCONS = '2.5.29.30', NS = '2.16.840.1.113730.1.1';
const raw = (oid: string, value: Uint8Array): RawExtension => ({ oid, critical: false, value });
const facts = (...exts: RawExtension[]) => decodeExtFacts(exts);
const bytes = (...b: number[]) => Uint8Array.from(b);
const hex = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('hex'));

describe('IP addresses', () => {
  it('formats 4 and 16 octets as addresses, any other length as hex', () => {
    expect(formatIpBytes(bytes(192, 0, 2, 255))).toBe('192.0.2.255');
    expect(formatIpBytes(bytes(0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x80, 0, 0, 1))).toBe('2001:db8:1234:5678:9abc:def0:8000:1');
    expect(formatIpBytes(bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 1))).toBe('2001:db8::8000:1');
    expect(formatIpBytes(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe))).toBe('ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe');
    expect(formatIpBytes(bytes(1, 2, 3))).toBe('#010203');
    expect(formatIpBytes(bytes())).toBe('#');
  });

  it.each<[string, string | null]>([
    ['0.0.0.0', '00000000'],
    ['255.255.255.255', 'ffffffff'],
    ['[192.0.2.1]', 'c0000201'],
    ['256.0.0.1', null],
    ['1.2.3.4.5', null],
    [' 1.2.3.4', null],
    ['1.2.3.4 ', null],
    ['1.2.3', null],
    ['1234.1.1.1', null],
    ['::', '00000000000000000000000000000000'],
    ['::1', '00000000000000000000000000000001'],
    ['1::', '00010000000000000000000000000000'],
    ['[::1]', '00000000000000000000000000000001'],
    ['a::1]', null],
    ['[::1x', null],
    ['[::1', null],
    ['::1]', null],
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'],
    ['ffff:FFFF:0:0:0:0:0:abcd', 'ffffffff00000000000000000000abcd'],
    ['1:2:3:4:5:6:7', null],
    ['1:2:3:4:5:6:7:8:9', null],
    ['1:2:3:4::5:6:7', '00010002000300040000000500060007'],
    ['1:2:3:4::5:6:7:8', null],
    ['12345::1', null],
    ['g::1', null],
    [':1:2:3:4:5:6:7', null],
    ['1:2:3:4:5:6:7:', null],
    ['::ffff:192.0.2.128', '00000000000000000000ffffc0000280'],
    ['::192.0.2.128', '000000000000000000000000c0000280'],
    ['::ffff:1.2.3.256', null],
    ['::ffff:192.168.20.1', '00000000000000000000ffffc0a81401'],
    ['::1.2.3.4x', null],
    ['a\n::1.2.3.4', null],
    ['1.2.3.4::', null],
    ['host.example', null],
    ['', null],
  ])('%j → %j', (text, want) => {
    expect(hex(parseIpLiteral(text))).toBe(want);
  });

  it('normalises what it parses and leaves other text as it is', () => {
    expect(normalizeIpText('[0:0:0:0:0:0:0:1]')).toBe('::1');
    expect(normalizeIpText('010.001.002.003')).toBe('10.1.2.3');
    expect(normalizeIpText('host.example')).toBe('host.example');
    expect(normalizeIpText('1::2::3')).toBe('1::2::3');
  });
});

describe('keyUsage bits', () => {
  it('bit 0 is the top bit of the first octet after the unused-bits count; absent octets are clear bits', () => {
    expect(keyUsageNames(bytes(0x07, 0x80))).toEqual(['digitalSignature']);
    expect(keyUsageNames(bytes(0x00, 0x01))).toEqual(['encipherOnly']);
    expect(keyUsageNames(bytes(0x00, 0xff, 0x80))).toEqual([
      'digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly',
    ]);
    expect(keyUsageNames(bytes(0x00))).toEqual([]);
    expect(keyUsageNames(bytes(0x00, 0x00, 0x7f))).toEqual([]); // no bit past decipherOnly
    expect(keyUsageNames(bytes())).toEqual([]);
  });
});

describe('decodeExtFacts', () => {
  it('starts from nothing', () => {
    expect(facts().facts).toEqual(emptyExtFacts());
    expect(emptyExtFacts()).toEqual({ dns: [], ip: [], basicConstraints: null, keyUsage: null, ekuOids: null, ski: null, aki: null, nsCertType: null });
  });

  it('subjectAltName: dNSNames and iPAddresses in order, other name types skipped', () => {
    const v = d.seq(d.tlv(0x82, Buffer.from('a.example')), d.tlv(0x81, Buffer.from('u@example')), d.tlv(0x87, bytes(10, 0, 0, 1)),
      d.tlv(0x86, Buffer.from('https://x')), d.tlv(0x82, Buffer.from('b.example')), d.tlv(0x87, bytes(1, 2, 3)));
    const f = facts(raw(SAN, v)).facts;
    expect(f.dns).toEqual(['a.example', 'b.example']);
    expect(f.ip).toEqual(['10.0.0.1', '#010203']);
  });

  it('basicConstraints: cA as its BOOLEAN says, pathLenConstraint as a number (past 4 octets: MAX_SAFE_INTEGER)', () => {
    const bc = (...kids: Uint8Array[]) => facts(raw(BC, d.seq(...kids))).facts.basicConstraints;
    expect(bc()).toEqual({ ca: false, pathLen: null });
    expect(bc(d.bool(true))).toEqual({ ca: true, pathLen: null });
    expect(bc(d.tlv(0x01, bytes(0)))).toEqual({ ca: false, pathLen: null });
    expect(bc(d.tlv(0x01, bytes(1)))).toEqual({ ca: true, pathLen: null });
    expect(bc(d.bool(true), d.int('00'))).toEqual({ ca: true, pathLen: 0 });
    expect(bc(d.bool(true), d.int('0100'))).toEqual({ ca: true, pathLen: 256 });
    expect(bc(d.bool(true), d.int('7fffffff'))).toEqual({ ca: true, pathLen: 0x7fffffff });
    expect(bc(d.bool(true), d.int('0100000000'))).toEqual({ ca: true, pathLen: Number.MAX_SAFE_INTEGER });
    expect(bc(d.int('03'))).toEqual({ ca: false, pathLen: 3 });
  });

  it('keyUsage, extKeyUsage, subjectKeyIdentifier', () => {
    const f = facts(
      raw(KU, d.bits(bytes(0x86), 1)),
      raw(EKU, d.seq(d.oid('1.3.6.1.5.5.7.3.1'), d.oid('1.3.6.1.5.5.7.3.2'))),
      raw(SKI, d.octet(bytes(0xab, 0x01))),
    ).facts;
    expect(f.keyUsage).toEqual(['digitalSignature', 'keyCertSign', 'cRLSign']);
    expect(f.ekuOids).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(f.ski).toBe('ab01');
    expect(facts(raw(EKU, d.seq())).facts.ekuOids).toEqual([]);
  });

  it('authorityKeyIdentifier: key id, serial (its magnitude), and the first directoryName of the issuer names', () => {
    const issuer = name([[[OID.CN, d.utf8('Issuing CA')]]]);
    const v = d.seq(d.tlv(0x80, bytes(1, 2)), d.tlv(0xa1, d.tlv(0x82, Buffer.from('x.example')), d.tlv(0xa4, issuer)), d.tlv(0x82, bytes(0, 0x99)));
    expect(facts(raw(AKI, v)).facts.aki).toEqual({ keyId: '0102', serialHex: '99', issuerKey: '2.5.4.3=issuing ca' });
    expect(facts(raw(AKI, d.seq())).facts.aki).toEqual({ keyId: null, serialHex: null, issuerKey: null });
    expect(facts(raw(AKI, d.seq(d.tlv(0xa1, d.tlv(0x82, Buffer.from('x')))))).facts.aki).toEqual({ keyId: null, serialHex: null, issuerKey: null });
  });

  it('nsCertType: the first octet of the BIT STRING, its unused bits cleared; 0 when empty', () => {
    const ns = (unused: number, ...b: number[]) => facts(raw(NS, d.bits(bytes(...b), unused))).facts.nsCertType;
    expect(ns(0)).toBe(0);
    expect(ns(0, 0xff)).toBe(0xff);
    expect(ns(1, 0xff)).toBe(0xfe);
    expect(ns(7, 0xff)).toBe(0x80);
    expect(ns(0, 0x41, 0xff)).toBe(0x41);
    expect(ns(7, 0x41, 0xff)).toBe(0x41); // unused bits are in the last octet
  });

  it('an extension that is repeated counts once (the first), one that does not decode is listed as bad, others are skipped', () => {
    const r = facts(
      raw(SAN, d.seq(d.tlv(0x82, Buffer.from('first.example')))),
      raw(SAN, d.seq(d.tlv(0x82, Buffer.from('second.example')))),
      raw(SKI, bytes(0x04, 0x05, 0x01)),
      raw(EKU, d.seq(d.int('01'))),
      raw(BC, d.octet(bytes())),
      raw(KU, d.octet(bytes(0))),
      raw(AKI, bytes(0x30, 0x03)),
      raw(NS, d.octet(bytes(0))),
      raw('1.2.3.4', bytes(0xff)),
    );
    expect(r.facts.dns).toEqual(['first.example']);
    expect(r.bad).toEqual([SKI, EKU, BC, KU, AKI, NS]);
    expect(r.facts.ski).toBeNull();
  });

  it('an error other than a decoding error is not swallowed', () => {
    const boom = { oid: SAN, critical: false, get value(): Uint8Array { throw new RangeError('boom'); } } as RawExtension;
    expect(() => decodeExtFacts([boom])).toThrow(RangeError);
    expect(() => invalidExtensionOids([boom], () => true)).toThrow(RangeError);
    expect(() => invalidExtensionOids([raw(NCONS, bytes())], () => { throw new RangeError('nc'); })).toThrow(RangeError);
    expect(invalidExtensionOids([raw(NCONS, bytes())], () => { throw new DecodeError('x', 'x509.ext', 'y'); })).toEqual([NCONS]);
  });
});

describe('invalidExtensionOids (EXFLAG_INVALID)', () => {
  const goodSan = raw(SAN, d.seq(d.tlv(0x82, Buffer.from('a.example'))));
  it('lists the extensions OpenSSL decodes up front that are repeated or do not decode, once each, in order of first fault', () => {
    expect(invalidExtensionOids([goodSan, raw(BC, d.seq(d.bool(true)))], () => true)).toEqual([]);
    expect(invalidExtensionOids([goodSan, goodSan, goodSan], () => true)).toEqual([SAN]);
    expect(invalidExtensionOids([raw(KU, bytes(0x05, 0x00)), raw(KU, bytes(0x05, 0x00)), goodSan, goodSan], () => true)).toEqual([KU, SAN]);
    for (const oid of [BC, KU, EKU, SKI, AKI, SAN, NS]) expect(invalidExtensionOids([raw(oid, bytes(0x05, 0x00))], () => true), oid).toEqual([oid]);
  });

  it('never looks at other extensions, and asks the caller about nameConstraints', () => {
    expect(invalidExtensionOids([raw('1.2.3.4', bytes(0x30, 0x05)), raw('2.5.29.32', bytes(0xff)), raw('1.2.3.4', bytes())], () => true)).toEqual([]);
    const seen: Uint8Array[] = [];
    const v = d.seq();
    expect(invalidExtensionOids([raw(NCONS, v)], (x) => (seen.push(x), false))).toEqual([NCONS]);
    expect(seen).toEqual([v]);
    expect(invalidExtensionOids([raw(NCONS, bytes(0x05, 0x00))], () => true)).toEqual([]);
  });

  it('a negative pathLenConstraint is invalid; zero, positive and absent ones are not', () => {
    const bc = (...kids: Uint8Array[]) => invalidExtensionOids([raw(BC, d.seq(...kids))], () => true);
    expect(bc(d.bool(true), d.int('ff'))).toEqual([BC]);
    expect(bc(d.bool(true), d.int('80'))).toEqual([BC]);
    expect(bc(d.int('ff'))).toEqual([BC]);
    expect(bc(d.bool(true), d.int('7f'))).toEqual([]);
    expect(bc(d.bool(true), d.int('0080'))).toEqual([]);
    expect(bc(d.bool(true), d.int('00'))).toEqual([]);
    expect(bc(d.bool(true))).toEqual([]);
    expect(bc(d.tlv(0x01, bytes(0x80)))).toEqual([]);
  });
});
