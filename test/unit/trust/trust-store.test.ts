import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode, UsageError } from '../../../src/errors.js';
import { readCertContainer } from '../../../src/trust/cert-container.js';
import { loadTrustStore, trustStoreFromTexts, truststoreOut } from '../../../src/trust/trust-store.js';
import { d } from '../x509/build-cert.js';
import { CHAINS_DIR, pemCerts } from './chain-fixtures.js';

const rootPem = readFileSync(join(CHAINS_DIR, 'chain_trusted', 'ca.pem'), 'utf8');
const interPem = readFileSync(join(CHAINS_DIR, 'chain_trusted', 'untrusted.pem'), 'utf8');
const leafPem = readFileSync(join(CHAINS_DIR, 'chain_trusted', 'leaf.pem'), 'utf8');
const derOf = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');

/** PKCS#7 SignedData "certs-only" (RFC 2315 §9.1) holding the given certificates. */
const p7b = (...certs: Buffer[]) =>
  d.seq(d.oid('1.2.840.113549.1.7.2'), d.explicit(0, d.seq(d.int('01'), d.set(), d.seq(d.oid('1.2.840.113549.1.7.1')), d.tlv(0xa0, ...certs), d.set())));

const work = mkdtempSync(join(tmpdir(), 'tls-extract-truststore-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const enc = (s: string) => new TextEncoder().encode(s);

describe('certificate containers', () => {
  it('reads a PEM bundle with text between the certificates (Expressway export style)', () => {
    const text = `subject=CN = steven-DC-CA\nissuer=CN = steven-DC-CA\n${rootPem}\nBag Attributes\n  friendlyName: inter\n${interPem}-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n`;
    const res = readCertContainer(enc(text));
    expect(res.errors).toEqual([]);
    expect(res.ders.map((x) => x.index)).toEqual([0, 1]);
  });

  it('reports a PEM block with broken base64 by index and keeps the others', () => {
    const res = readCertContainer(enc(`${rootPem}-----BEGIN CERTIFICATE-----\n@@not base64@@\n-----END CERTIFICATE-----\n${interPem}`));
    expect(res.ders.map((x) => x.index)).toEqual([0, 2]);
    expect(res.errors).toEqual([{ index: 1, reason: 'PEM block 1 (CERTIFICATE): invalid base64' }]);
  });

  it('reads DER, TRUSTED CERTIFICATE and PKCS#7 (DER and PEM)', () => {
    expect(readCertContainer(derOf(rootPem)).ders).toHaveLength(1);
    const trusted = `-----BEGIN TRUSTED CERTIFICATE-----\n${Buffer.concat([derOf(rootPem), Buffer.from(d.seq(d.oid('1.3.6.1.5.5.7.3.1')))]).toString('base64')}\n-----END TRUSTED CERTIFICATE-----\n`;
    const t = readCertContainer(enc(trusted));
    expect(Buffer.from(t.ders[0].der).equals(derOf(rootPem))).toBe(true);
    const p7 = p7b(derOf(rootPem), derOf(interPem));
    expect(readCertContainer(p7).ders).toHaveLength(2);
    const p7pem = `-----BEGIN PKCS7-----\n${Buffer.from(p7).toString('base64')}\n-----END PKCS7-----\n`;
    expect(readCertContainer(enc(p7pem)).ders.map((x) => x.index)).toEqual([0, 0]);
  });

  it('says why a file holds nothing usable', () => {
    expect(readCertContainer(enc('hello')).errors[0].reason).toBe('no PEM certificate block and not DER');
    expect(readCertContainer(Uint8Array.of(0x30, 0x82, 0x10)).errors[0].reason).toMatch(/^not DER/);
  });
});

describe('trust stores', () => {
  it('keeps identical certificates once and lists unusable ones', () => {
    const s = trustStoreFromTexts([
      { name: 'ca_vcsc_1.pem', data: enc(rootPem + rootPem + interPem) },
      { name: 'junk.pem', data: enc('nothing here') },
      { name: 'bad.der', data: Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01) },
    ]);
    expect(s.paths).toEqual(['ca_vcsc_1.pem', 'junk.pem', 'bad.der']);
    expect(s.certs.map((c) => c.facts.subject_cn)).toEqual(['steven-DC-CA', 'Steven Issuing CA']);
    expect(s.errors).toEqual([
      { file: 'junk.pem', index: null, reason: 'no PEM certificate block and not DER' },
      { file: 'bad.der', index: 0, reason: 'not a valid X.509 certificate (OpenSSL cannot parse it)' },
    ]);
  });

  it('loads files and folders; only certificate file names inside folders', async () => {
    const dir = join(work, 'folder');
    mkdirSync(dir);
    writeFileSync(join(dir, 'root.crt'), rootPem);
    writeFileSync(join(dir, 'inter.der'), derOf(interPem));
    writeFileSync(join(dir, 'notes.txt'), leafPem);
    writeFileSync(join(dir, '.hidden.pem'), leafPem);
    const single = join(work, 'bundle.p7b');
    writeFileSync(single, p7b(derOf(leafPem)));
    const s = await loadTrustStore([dir, single]);
    expect(s.paths).toEqual([dir, single]);
    expect(s.certs.map((c) => c.facts.subject_cn)).toEqual(['Steven Issuing CA', 'steven-DC-CA', 'cucm-ms.steven.lab']);
    const out = truststoreOut(s)!;
    expect(out.certificates).toHaveLength(3);
    expect(out.certificates[1]).toEqual({
      sha256: s.certs[1].sha256, subject: 'CN=steven-DC-CA,O=Steven Lab,C=US', not_after: '2040-01-01T00:00:00.000Z', subject_cn: 'steven-DC-CA',
    });
    expect(out.errors).toBeUndefined();
  });

  it('reads every certificate file ending in a folder, in any case, and nothing else', async () => {
    const dir = join(work, 'endings');
    mkdirSync(dir);
    const endings = ['a.pem', 'b.CRT', 'c.cer', 'd.cert', 'e.der', 'f.p7b', 'g.p7c', 'h.ca-bundle'];
    writeFileSync(join(dir, endings[0]), rootPem);
    // the others hold nothing usable: each one read says so in `errors`, in name order
    for (const n of endings.slice(1)) writeFileSync(join(dir, n), 'junk');
    for (const n of ['i.pem.bak', 'j.key', 'kpem', 'l.crt.txt']) writeFileSync(join(dir, n), 'junk');
    mkdirSync(join(dir, 'sub.pem'));
    writeFileSync(join(dir, 'sub.pem', 'inner.pem'), interPem);
    const s = await loadTrustStore([dir]);
    expect(s.certs.map((c) => c.facts.subject_cn)).toEqual(['steven-DC-CA']);
    expect(s.errors).toEqual(endings.slice(1).map((n) => ({ file: join(dir, n), index: null, reason: 'no PEM certificate block and not DER' })));
  });

  it('a folder without certificate files is listed as an error; identical certificates across files are kept once', async () => {
    const empty = join(work, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'readme.txt'), rootPem);
    const a = join(work, 'a.pem');
    const b = join(work, 'b.pem');
    writeFileSync(a, rootPem);
    writeFileSync(b, interPem + rootPem);
    const s = await loadTrustStore([empty, a, b]);
    expect(s.certs.map((c) => c.facts.subject_cn)).toEqual(['steven-DC-CA', 'Steven Issuing CA']);
    expect(s.errors).toEqual([{ file: empty, index: null, reason: 'folder holds no .pem/.crt/.cer/.der/.p7b files' }]);
    expect(truststoreOut(s)!.errors).toEqual(s.errors);
  });

  it('a named file that cannot be read is listed with its system error (a UNIX socket: ENXIO)', async () => {
    const sock = join(work, 'store.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    try {
      const good = join(work, 'good.pem');
      writeFileSync(good, rootPem);
      const s = await loadTrustStore([sock, good]);
      expect(s.errors).toEqual([{ file: sock, index: null, reason: 'unreadable: ENXIO' }]);
      expect(s.certs).toHaveLength(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a path below a file is a usage error with exit code 3 giving the system error', async () => {
    const file = join(work, 'plain.pem');
    writeFileSync(file, rootPem);
    const err = await loadTrustStore([join(file, 'x.pem')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(ExitCode.inputMissing);
    expect((err as UsageError).message).toBe(`${join(file, 'x.pem')}: cannot access (ENOTDIR)`);
  });

  it('no certificate at all: the message names the first three problems, with the block index where there is one', async () => {
    const bad = join(work, 'bad-blocks.pem');
    writeFileSync(bad, `-----BEGIN CERTIFICATE-----\n@@\n-----END CERTIFICATE-----\n`);
    const files = ['n1.pem', 'n2.pem', 'n3.pem'].map((n) => join(work, n));
    for (const f of files) writeFileSync(f, 'none');
    const err = await loadTrustStore([bad, ...files]).catch((e: unknown) => e);
    expect((err as UsageError).exitCode).toBe(ExitCode.truststore);
    expect((err as UsageError).message).toBe(
      `trust store ${[bad, ...files].join(', ')}: no certificate could be read (${bad} #0: PEM block 0 (CERTIFICATE): invalid base64; ` +
        `${files[0]}: no PEM certificate block and not DER; ${files[1]}: no PEM certificate block and not DER)`,
    );
  });

  it('a missing path is a usage error with exit code 3 naming the path', async () => {
    const missing = join(work, 'nope.pem');
    const err = await loadTrustStore([missing]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(ExitCode.inputMissing);
    expect((err as UsageError).message).toBe(`${missing}: no such file or directory`);
  });

  it('no certificate at all is a usage error with exit code 5', async () => {
    const junk = join(work, 'junk.pem');
    writeFileSync(junk, 'no certificates');
    const err = await loadTrustStore([junk]).catch((e: unknown) => e);
    expect((err as UsageError).exitCode).toBe(ExitCode.truststore);
    expect((err as UsageError).message).toContain('no PEM certificate block');
  });

  it('truststoreOut(null) is null and the store is usable for validation', () => {
    expect(truststoreOut(null)).toBeNull();
    expect(pemCerts(join(CHAINS_DIR, 'chain_trusted', 'ca.pem'))[0].facts.ca).toBe(true);
  });
});
