import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCertificate, metaOf, toPem } from '../../../src/x509/analyze.js';
import { CHAINS_DIR, pemCerts } from '../trust/chain-fixtures.js';
import { hasOpenssl3 } from '../trust/live-openssl.js';
import {
  OID, akiExt, bcExt, buildCert, cnName, d, ekuExt, ext, kuExt, name, sanExt, skiExt, spkiOf,
} from './build-cert.js';

const ed = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');

function selfSignedEd(extra: Partial<Parameters<typeof buildCert>[0]> = {}) {
  return buildCert({ subject: cnName('host.example'), spki: spkiOf(ed.publicKey), signKey: ed.privateKey, ...extra });
}

describe('names (RFC 4514, most specific first)', () => {
  it('keeps a NUL byte in the issuer visible as \\00', () => {
    const issuer = name([[[OID.C, d.printable('US')]], [[OID.O, d.printable('Microsoft Corporation')]], [[OID.CN, d.printable('Microsoft RSA TL\0 CA 01')]]]);
    const pc = analyzeCertificate(buildCert({ subject: cnName('go.microsoft.com'), issuer, spki: spkiOf(ed.publicKey), signKey: other.privateKey }), true);
    expect(pc.facts.issuer).toBe('CN=Microsoft RSA TL\\00 CA 01,O=Microsoft Corporation,C=US');
    expect(pc.facts.issuer_cn).toBe('Microsoft RSA TL\0 CA 01');
    expect(pc.facts.self_signed).toBe(false);
  });

  it('decodes T61 (as ISO-8859-1), BMP and Universal strings', () => {
    const subject = name([
      [[OID.O, d.t61(Uint8Array.from([0x43, 0x61, 0x66, 0xe9]))]],
      [[OID.OU, d.bmp('Zürich Ω')]],
      [[OID.CN, d.universal('héllo 😀')]],
    ]);
    const pc = analyzeCertificate(selfSignedEd({ subject }), true);
    expect(pc.facts.subject).toBe('CN=héllo 😀,OU=Zürich Ω,O=Café');
    expect(pc.facts.subject_cn).toBe('héllo 😀');
  });

  it('escapes RFC 4514 special characters and joins multi-valued RDNs with +', () => {
    const subject = name([
      [[OID.O, d.utf8(' lead, "quoted" <x>;')]],
      [[OID.OU, d.utf8('#hash+trail ')], [OID.C, d.printable('US')]],
      [[OID.CN, d.utf8('back\\slash')]],
    ]);
    const pc = analyzeCertificate(selfSignedEd({ subject }), true);
    expect(pc.facts.subject).toBe('CN=back\\\\slash,OU=\\#hash\\+trail\\ +C=US,O=\\ lead\\, \\"quoted\\" \\<x\\>\\;');
  });

  it('writes unknown attribute types as dotted OID with the hex DER value', () => {
    const subject = name([[['1.2.3.4', d.utf8('abc')]], [[OID.CN, d.utf8('x')]]]);
    expect(analyzeCertificate(selfSignedEd({ subject }), true).facts.subject).toBe('CN=x,1.2.3.4=#0c03616263');
  });

  it('reports no CN as null', () => {
    const pc = analyzeCertificate(selfSignedEd({ subject: name([[[OID.O, d.utf8('TestCorp')]]]) }), true);
    expect(pc.facts.subject).toBe('O=TestCorp');
    expect(pc.facts.subject_cn).toBeNull();
    expect(pc.facts.self_signed).toBe(true);
  });

  it('treats names that differ only in case and spacing as equal (OpenSSL canonical form)', () => {
    const a = analyzeCertificate(selfSignedEd({ subject: name([[[OID.CN, d.utf8('Steven  CA')]]]) }), true);
    const b = analyzeCertificate(selfSignedEd({ subject: name([[[OID.CN, d.printable(' steven ca ')]]]) }), true);
    expect(metaOf(a).subjectKey).toBe(metaOf(b).subjectKey);
    expect(a.facts.subject).not.toBe(b.facts.subject);
  });
});

describe('validity, serial, extensions', () => {
  it('reads pre-1970 UTCTime and GeneralizedTime with fractions', () => {
    const pc = analyzeCertificate(selfSignedEd({ notBefore: d.utcTime('691231000000Z'), notAfter: d.genTime('20500101120000.123Z') }), true);
    expect(pc.facts.not_before).toBe('1969-12-31T00:00:00.000Z');
    expect(pc.facts.not_after).toBe('2050-01-01T12:00:00.123Z');
  });

  it('reads a GeneralizedTime before 1950 and a UTCTime year 49 as 2049', () => {
    const pc = analyzeCertificate(selfSignedEd({ notBefore: d.genTime('19450508000000Z'), notAfter: d.utcTime('491231235959Z') }), true);
    expect(pc.facts.not_before).toBe('1945-05-08T00:00:00.000Z');
    expect(pc.facts.not_after).toBe('2049-12-31T23:59:59.000Z');
  });

  it('prints the serial as lower-case hex without the sign octet', () => {
    expect(analyzeCertificate(selfSignedEd({ serialHex: '00ABCDEF01' }), true).facts.serial).toBe('abcdef01');
  });

  it('reads SANs (IPv6 in RFC 5952 form), basicConstraints, keyUsage, EKU, SKI and AKI', () => {
    const v6 = Uint8Array.from(Buffer.from('20010db8000000000000000000000001', 'hex'));
    const pc = analyzeCertificate(
      selfSignedEd({
        extensions: [
          sanExt(['cucm.steven.lab', '*.steven.lab'], [Uint8Array.of(10, 48, 36, 215), v6]),
          bcExt(true, 0),
          kuExt([0, 5, 6]),
          ekuExt(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2', '1.2.3.4']),
          skiExt(Uint8Array.of(0xab, 0xcd)),
          akiExt(Uint8Array.of(0x01, 0x02)),
        ],
      }),
      true,
    );
    expect(pc.facts.san).toEqual({ dns: ['cucm.steven.lab', '*.steven.lab'], ip: ['10.48.36.215', '2001:db8::1'] });
    expect(pc.facts.ca).toBe(true);
    expect(pc.facts.key_usage).toEqual(['digitalSignature', 'keyCertSign', 'cRLSign']);
    expect(pc.facts.eku).toEqual(['serverAuth', 'clientAuth', '1.2.3.4']);
    expect(pc.facts.ski).toBe('abcd');
    expect(pc.facts.aki).toBe('0102');
    expect(metaOf(pc).basicConstraints).toEqual({ ca: true, pathLen: 0 });
  });

  it('takes every extension from @peculiar/x509 when ours cannot decode one (first of a repeated one wins)', () => {
    const v6 = ['20010db8000000000001000000000001', '00000000000000000000ffff0a000001', '20010db8abcd00000000000000000000']
      .map((h) => Uint8Array.from(Buffer.from(h, 'hex')));
    const exts = [
      sanExt(['a.example', 'b.example'], [Uint8Array.of(10, 0, 0, 1), ...v6]),
      // a cA BOOLEAN of two octets: OpenSSL's d2i and ours refuse it, @peculiar/x509 reads it
      ext('2.5.29.19', d.seq(d.tlv(0x01, Uint8Array.of(0xff, 0xff)))),
      kuExt([0, 1, 2, 3, 4, 5, 6, 7, 8]),
      ekuExt(['1.3.6.1.5.5.7.3.1', '1.2.3.4']),
      skiExt(Uint8Array.of(0xab, 0xcd)),
      akiExt(Uint8Array.of(0x01, 0xef)),
      ext('2.16.840.1.113730.1.1', d.bits(Uint8Array.of(0x40))),
      sanExt(['second.example']),
    ];
    const pc = analyzeCertificate(selfSignedEd({ extensions: exts }), true);
    const m = metaOf(pc);
    expect(m.basicConstraints).toEqual({ ca: true, pathLen: null }); // ours: null
    expect(pc.facts.san).toEqual({ dns: ['a.example', 'b.example'], ip: ['10.0.0.1', '2001:db8::1:0:0:1', '::ffff:10.0.0.1', '2001:db8:abcd::'] });
    expect(pc.facts.key_usage).toEqual([
      'digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly',
    ]);
    expect(pc.facts.eku).toEqual(['serverAuth', '1.2.3.4']);
    expect([pc.facts.ski, pc.facts.aki, m.nsCertType]).toEqual(['abcd', '01ef', 0x40]);
    expect(m.invalidExtensions).toEqual(['2.5.29.19', '2.5.29.17']); // undecodable, repeated
    // a truncated certificate keeps what our decoder found
    expect(metaOf(analyzeCertificate(selfSignedEd({ extensions: exts }), false)).basicConstraints).toBeNull();
  });

  it('lists the critical extensions OpenSSL does not process, and points at the first SAN and nameConstraints', () => {
    const nc = d.seq(d.tlv(0xa0, d.seq(d.tlv(0x82, Buffer.from('example.com')))));
    const pc = analyzeCertificate(selfSignedEd({
      extensions: [ext('1.2.3.4', d.null(), true), ext('1.2.3.5', d.null()), kuExt([0]), ext('2.5.29.30', nc, true), sanExt(['x.example'])],
    }), true);
    const m = metaOf(pc);
    expect(m.unhandledCritical).toEqual(['1.2.3.4']);
    expect(Buffer.from(m.nameConstraints!).equals(Buffer.from(nc))).toBe(true);
    expect(m.subjectAltName && Buffer.from(m.subjectAltName).toString('latin1')).toContain('x.example');
    expect(metaOf(analyzeCertificate(selfSignedEd(), true))).toMatchObject({ unhandledCritical: [], nameConstraints: null, subjectAltName: null });
  });

  it('caps SANs at maxSans but keeps them all for name checks, also past @peculiar\'s node limit', () => {
    const dns = Array.from({ length: 10_001 }, (_, i) => `${i}.alt.example`);
    const pc = analyzeCertificate(selfSignedEd({ extensions: [sanExt(dns)] }), true);
    expect(pc.facts.san.dns).toHaveLength(1000);
    expect(pc.facts.san.dns[999]).toBe('999.alt.example');
    expect(metaOf(pc).allDnsSans).toHaveLength(10_001);
    expect(pc.facts.self_signed).toBe(true);
    expect(analyzeCertificate(selfSignedEd({ extensions: [sanExt(dns.slice(0, 5))] }), true, undefined, { maxSans: 3 }).facts.san.dns).toHaveLength(3);
  });
});

describe('keys and signature algorithms', () => {
  const cases: [string, ReturnType<typeof generateKeyPairSync>, { type: string; bits: number | null; curve: string | null }, string, string | null][] = [
    ['RSA 2048', generateKeyPairSync('rsa', { modulusLength: 2048 }), { type: 'RSA', bits: 2048, curve: null }, '1.2.840.113549.1.1.11', 'sha256'],
    ['RSA-PSS', generateKeyPairSync('rsa-pss', { modulusLength: 2048 }), { type: 'RSA-PSS', bits: 2048, curve: null }, '1.2.840.113549.1.1.10', null],
    ['P-256', generateKeyPairSync('ec', { namedCurve: 'P-256' }), { type: 'ECDSA', bits: 256, curve: 'P-256' }, '1.2.840.10045.4.3.2', 'sha256'],
    ['P-384', generateKeyPairSync('ec', { namedCurve: 'P-384' }), { type: 'ECDSA', bits: 384, curve: 'P-384' }, '1.2.840.10045.4.3.3', 'sha384'],
    ['P-521', generateKeyPairSync('ec', { namedCurve: 'P-521' }), { type: 'ECDSA', bits: 521, curve: 'P-521' }, '1.2.840.10045.4.3.4', 'sha512'],
    ['secp256k1', generateKeyPairSync('ec', { namedCurve: 'secp256k1' }), { type: 'ECDSA', bits: 256, curve: 'secp256k1' }, '1.2.840.10045.4.3.2', 'sha256'],
    ['brainpoolP256r1', generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' }), { type: 'ECDSA', bits: 256, curve: 'brainpoolP256r1' }, '1.2.840.10045.4.3.2', 'sha256'],
    ['Ed25519', ed, { type: 'Ed25519', bits: 256, curve: null }, '1.3.101.112', null],
    ['Ed448', generateKeyPairSync('ed448'), { type: 'Ed448', bits: 456, curve: null }, '1.3.101.113', null],
  ];
  const names: Record<string, string> = {
    '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption', '1.2.840.113549.1.1.10': 'RSASSA-PSS', '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
    '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384', '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512', '1.3.101.112': 'ED25519', '1.3.101.113': 'ED448',
  };
  for (const [label, kp, key, sigOid, digest] of cases) {
    it(label, () => {
      const der = buildCert({ subject: cnName(label), spki: spkiOf(kp.publicKey), sigOid, signKey: sigOid.endsWith('.10') ? undefined : kp.privateKey, digest });
      const pc = analyzeCertificate(der, true);
      expect(pc.facts.key).toEqual(key);
      expect(pc.facts.signature_algorithm).toBe(names[sigOid]);
      if (!sigOid.endsWith('.10')) expect(pc.facts.self_signed).toBe(true);
    });
  }

  const family = { RSA: 'rsa', 'RSA-PSS': 'rsa', ECDSA: 'ec', Ed25519: 'ed25519', Ed448: 'ed448' } as Record<string, string>;
  it('reads the same key from the SubjectPublicKeyInfo alone when node:crypto has no certificate (a truncated capture)', () => {
    for (const [label, kp, key, sigOid, digest] of cases) {
      const der = buildCert({ subject: cnName(label), spki: spkiOf(kp.publicKey), sigOid, signKey: sigOid.endsWith('.10') ? undefined : kp.privateKey, digest });
      for (const complete of [true, false]) {
        const pc = analyzeCertificate(der, complete);
        expect(pc.x509 === null, label).toBe(!complete);
        expect(pc.facts.key, `${label} complete=${complete}`).toEqual(key);
        expect([metaOf(pc).keyFamily, metaOf(pc).explicitCurve], label).toEqual([family[key.type], false]);
      }
    }
  });

  it('sizes an RSA modulus from the SPKI by its significant bits (a 1025-bit modulus, zero, no INTEGER)', () => {
    const odd = generateKeyPairSync('rsa', { modulusLength: 1025 });
    const der = buildCert({ subject: cnName('odd'), spki: spkiOf(odd.publicKey), sigOid: '1.2.840.113549.1.1.11', signKey: odd.privateKey, digest: 'sha256' });
    expect(analyzeCertificate(der, true).facts.key.bits).toBe(1025);
    expect(analyzeCertificate(der, false).facts.key.bits).toBe(1025);
    const rsaSpki = (key: Uint8Array) => d.seq(d.seq(d.oid('1.2.840.113549.1.1.1'), d.null()), d.bits(key));
    const bitsOf = (key: Uint8Array) => analyzeCertificate(buildCert({ subject: cnName('r'), spki: rsaSpki(key) }), false).facts.key;
    expect(bitsOf(d.seq(d.int('00'), d.int('010001')))).toEqual({ type: 'RSA', bits: 0, curve: null });
    expect(bitsOf(d.seq(d.int('0000ff'), d.int('03')))).toEqual({ type: 'RSA', bits: 8, curve: null });
    expect(bitsOf(d.seq(d.octet(Uint8Array.of(0xff, 0xff)), d.int('03')))).toEqual({ type: 'RSA', bits: null, curve: null });
    expect(bitsOf(Uint8Array.of(0x30, 0x05, 0x02))).toEqual({ type: 'RSA', bits: null, curve: null });
  });

  it('DSA: modulus bits and q bits from node:crypto; without it the type alone', () => {
    const dsa = generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 });
    const der = buildCert({ subject: cnName('dsa'), spki: spkiOf(dsa.publicKey), sigOid: '2.16.840.1.101.3.4.3.2', signKey: dsa.privateKey, digest: 'sha256' });
    const pc = analyzeCertificate(der, true);
    expect(pc.facts.key).toEqual({ type: 'DSA', bits: 1024, curve: null });
    expect([metaOf(pc).keyFamily, metaOf(pc).dsaQBits, metaOf(pc).explicitCurve]).toEqual(['dsa', 160, false]);
    expect(pc.facts.self_signed).toBe(true);
    const part = analyzeCertificate(der, false);
    expect(part.facts.key).toEqual({ type: 'DSA', bits: null, curve: null });
    expect([metaOf(part).keyFamily, metaOf(part).dsaQBits, metaOf(part).explicitCurve]).toEqual(['dsa', null, false]);
  });

  it('EC parameters node:crypto cannot load: an unknown named curve by its OID, absent parameters as no curve', () => {
    const point = Uint8Array.from([4, ...randomBytes(64)]);
    const ecSpki = (params: Uint8Array[]) => d.seq(d.seq(d.oid('1.2.840.10045.2.1'), ...params), d.bits(point));
    for (const [params, key] of [
      [[d.oid('1.2.3.4')], { type: 'ECDSA', bits: null, curve: '1.2.3.4' }],
      [[], { type: 'ECDSA', bits: null, curve: null }],
      [[d.null()], { type: 'ECDSA', bits: null, curve: null }],
    ] as const) {
      const pc = analyzeCertificate(buildCert({ subject: cnName('ec'), spki: ecSpki([...params]) }), true);
      expect(pc.facts.key).toEqual(key);
      expect([metaOf(pc).keyFamily, metaOf(pc).explicitCurve]).toEqual(['ec', false]);
    }
  });

  it('reports an explicit-parameter EC key as curve "explicit"', () => {
    const [leaf] = pemCerts(join(CHAINS_DIR, 'explicit_curve', 'leaf.pem'));
    expect(leaf.facts.key).toEqual({ type: 'ECDSA', bits: 256, curve: 'explicit' });
    expect([metaOf(leaf).keyFamily, metaOf(leaf).explicitCurve]).toEqual(['ec', true]);
    const part = analyzeCertificate(leaf.der, false);
    expect(part.facts.key).toEqual({ type: 'ECDSA', bits: 256, curve: 'explicit' });
    expect([metaOf(part).keyFamily, metaOf(part).explicitCurve]).toEqual(['ec', true]);
  });

  it('reports a key type node:crypto loads but the report has no name for (X25519) as unknown', () => {
    const x = generateKeyPairSync('x25519');
    const pc = analyzeCertificate(buildCert({ subject: cnName('x25519'), issuer: cnName('ca'), spki: spkiOf(x.publicKey), signKey: ed.privateKey }), true);
    expect(pc.x509?.publicKey.asymmetricKeyType).toBe('x25519');
    expect(pc.facts.key).toEqual({ type: 'unknown', bits: null, curve: null });
    expect(metaOf(pc).keyFamily).toBe('unknown');
  });

  it('reports an algorithm OpenSSL does not know (ML-DSA-44) as key type unknown without throwing', () => {
    const mlDsa = '2.16.840.1.101.3.4.3.17';
    const spki = d.seq(d.seq(d.oid(mlDsa)), d.bits(randomBytes(1312)));
    const pc = analyzeCertificate(buildCert({ subject: cnName('ml-dsa.example.com'), spki, sigOid: mlDsa, signature: randomBytes(2420) }), true);
    expect(pc.facts.key).toEqual({ type: 'unknown', bits: null, curve: null });
    expect([metaOf(pc).keyFamily, metaOf(pc).explicitCurve]).toEqual(['unknown', false]);
    expect(pc.facts.signature_algorithm).toBe('ML-DSA-44');
    expect(pc.facts.self_signed).toBe(false);
    expect(pc.facts.subject).toBe('CN=ml-dsa.example.com');
  });
});

describe.skipIf(!hasOpenssl3())('EC key size as openssl x509 -text gives it (the bit length of the group order)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tlsx-ec-bits-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  /** a self-signed certificate on `curve`, its key written with named or explicit parameters */
  const certOn = (curve: string, explicit: boolean) => {
    const key = `${curve}${explicit ? '-explicit' : ''}.key`;
    openssl('ecparam', '-name', curve, '-genkey', '-noout', '-out', `${curve}.key`);
    if (explicit) openssl('ec', '-in', `${curve}.key`, '-param_enc', 'explicit', '-out', key);
    openssl('req', '-x509', '-new', '-key', key, '-subj', `/CN=${curve}`, '-days', '1', '-outform', 'DER', '-out', `${key}.der`);
    const bits = Number(/Public-Key: \((\d+) bit\)/.exec(openssl('x509', '-inform', 'DER', '-in', `${key}.der`, '-noout', '-text'))?.[1]);
    return { pc: analyzeCertificate(new Uint8Array(readFileSync(join(dir, `${key}.der`))), true), bits };
  };
  // order bits ≠ field bits (secp521r1's 66-byte coordinates, secp224k1's 225-bit order, sect233k1's
  // 232-bit order in a 233-bit field) and curves outside the NIST set (secp160r1, brainpoolP320r1)
  const want: Record<string, [number, string]> = {
    secp521r1: [521, 'P-521'], secp224k1: [225, 'secp224k1'], secp160r1: [161, 'secp160r1'], brainpoolP320r1: [320, 'brainpoolP320r1'], sect233k1: [232, 'sect233k1'],
  };
  for (const [curve, [bits, name]] of Object.entries(want)) {
    it(curve, () => {
      const named = certOn(curve, false);
      expect(named.bits).toBe(bits);
      expect(named.pc.facts.key).toEqual({ type: 'ECDSA', bits, curve: name });
      const explicit = certOn(curve, true);
      expect(explicit.bits).toBe(bits);
      expect(explicit.pc.facts.key).toEqual({ type: 'ECDSA', bits, curve: 'explicit' });
      expect(metaOf(explicit.pc).explicitCurve).toBe(true);
    });
  }
});

describe('self_signed, broken and truncated input', () => {
  it('needs both equal names and a signature its own key verifies', () => {
    expect(analyzeCertificate(selfSignedEd(), true).facts.self_signed).toBe(true);
    expect(analyzeCertificate(selfSignedEd({ signKey: other.privateKey }), true).facts.self_signed).toBe(false);
    expect(analyzeCertificate(selfSignedEd({ issuer: cnName('someone else') }), true).facts.self_signed).toBe(false);
  });

  it('never throws on garbage and gives minimal facts', () => {
    for (const bytes of [new Uint8Array(0), Uint8Array.of(0x30), randomBytes(300), Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff)]) {
      const pc = analyzeCertificate(bytes, true);
      expect(pc.facts.subject).toBe('');
      expect(pc.facts.key.type).toBe('unknown');
      expect(pc.x509).toBeNull();
    }
  });

  it('reads what is there of a truncated certificate', () => {
    const full = selfSignedEd({ subject: name([[[OID.O, d.utf8('Cisco')]], [[OID.CN, d.utf8('cucm-EC.steven.lab')]]]) });
    const part = full.subarray(0, 150);
    const pc = analyzeCertificate(part, false, 'feed');
    expect(pc.sha256).toBe('feed');
    expect(pc.facts.complete).toBe(false);
    expect(pc.facts.pem).toBeNull();
    expect(pc.facts.subject).toBe('CN=cucm-EC.steven.lab,O=Cisco');
    expect(pc.facts.not_after).toBe('2040-01-01T00:00:00.000Z');
    expect(pc.facts.der_length).toBe(full.length);
    expect(pc.facts.captured_length).toBe(150);
    // same subject and issuer, but no certificate to verify the signature with: not self-signed
    expect(metaOf(pc).subjectKey).toBe(metaOf(pc).issuerKey);
    expect(pc.facts.self_signed).toBe(false);
    expect(analyzeCertificate(full, false).facts.self_signed).toBe(false);
  });

  it('a certificate without extensions: no EKU, key usage, SKI, AKI, not a CA; signature algorithms unknown to the table by OID', () => {
    const pc = analyzeCertificate(selfSignedEd(), true);
    expect([pc.facts.eku, pc.facts.key_usage, pc.facts.ski, pc.facts.aki, pc.facts.ca]).toEqual([[], [], null, null, false]);
    expect(analyzeCertificate(selfSignedEd({ sigOid: '1.2.3.4', signKey: undefined }), true).facts.signature_algorithm).toBe('1.2.3.4');
    const full = selfSignedEd();
    expect(analyzeCertificate(full.subarray(0, full.length - 70), false).facts.signature_algorithm).toBe('unknown');
  });

  it('shares maxSans between DNS names (first) and IP addresses', () => {
    const ips = [Uint8Array.of(10, 0, 0, 1), Uint8Array.of(10, 0, 0, 2), Uint8Array.of(10, 0, 0, 3)];
    const der = selfSignedEd({ extensions: [sanExt(['a.example', 'b.example'], ips)] });
    expect(analyzeCertificate(der, true, undefined, { maxSans: 3 }).facts.san).toEqual({ dns: ['a.example', 'b.example'], ip: ['10.0.0.1'] });
    expect(analyzeCertificate(der, true, undefined, { maxSans: 1 }).facts.san).toEqual({ dns: ['a.example'], ip: [] });
    expect(metaOf(analyzeCertificate(der, true, undefined, { maxSans: 1 })).allIpSans).toHaveLength(3);
  });

  it('metaOf recomputes the details of a hand-built ParsedCert once', () => {
    const pc = analyzeCertificate(selfSignedEd({ extensions: [bcExt(true, 2)] }), true);
    const bare = { ...pc, meta: undefined };
    const m = metaOf(bare);
    expect(m).toEqual(pc.meta);
    expect(m).not.toBe(pc.meta);
    expect(metaOf(bare)).toBe(m);
    expect(metaOf(pc)).toBe(pc.meta);
  });

  it('writes PEM with 64-character lines', () => {
    const der = selfSignedEd();
    const pem = analyzeCertificate(der, true).facts.pem!;
    expect(pem).toBe(toPem(der));
    const lines = pem.trim().split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
    expect(lines.slice(1, -2).every((l) => l.length === 64)).toBe(true);
    expect(Buffer.from(lines.slice(1, -1).join(''), 'base64').equals(Buffer.from(der))).toBe(true);
  });
});
