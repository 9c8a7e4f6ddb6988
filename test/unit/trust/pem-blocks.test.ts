import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pemBlocks, readCertContainer } from '../../../src/trust/cert-container.js';

// the regular expression pemBlocks replaces (quadratic on BEGINs without an END)
const reference = (text: string) =>
  [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)].map((m) => ({ label: m[1], body: m[2] }));

describe('pemBlocks', () => {
  it('finds exactly the blocks the regular expression finds, on any soup of armour pieces', () => {
    const piece = fc.constantFrom(
      '-----BEGIN CERTIFICATE-----', '-----END CERTIFICATE-----', '-----BEGIN PKCS7-----', '-----END PKCS7-----',
      '-----BEGIN X-----', '-----END X-----', '-----BEGIN ', '-----END ', '-----', 'CERTIFICATE', 'QUFB', '\n', ' ', 'a:b\n', '-',
    );
    fc.assert(fc.property(fc.array(piece, { maxLength: 25 }).map((a) => a.join('')), (text) => {
      expect(pemBlocks(text)).toEqual(reference(text));
    }), { numRuns: 20_000 });
  });

  it('reads a normal bundle with text between blocks', () => {
    const text = 'subject=CN=a\n-----BEGIN CERTIFICATE-----\nQUFB\n-----END CERTIFICATE-----\nnoise\n-----BEGIN CERTIFICATE-----\nQkJC\n-----END CERTIFICATE-----\n';
    expect(pemBlocks(text)).toEqual([{ label: 'CERTIFICATE', body: '\nQUFB\n' }, { label: 'CERTIFICATE', body: '\nQkJC\n' }]);
  });

  it('stays linear on a hostile file of BEGINs without END (child process killed at 10 s)', () => {
    const dist = resolve(import.meta.dirname, '../../../dist/src/trust/cert-container.js');
    expect(existsSync(dist), 'dist/ is built by npm ci (prepare)').toBe(true);
    const script = `
      import { readCertContainer } from ${JSON.stringify(pathToFileURL(dist).href)};
      const r = readCertContainer(Buffer.from('-----BEGIN CERTIFICATE-----\\\\nQUFB\\\\n'.repeat(200000) + '-----BEGIN PKCS7-----\\\\nQUFB\\\\n-----END PKCS7-----\\\\n'));
      process.stdout.write(String(r.errors.length + r.ders.length));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 10_000, encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
    expect(Number(r.stdout)).toBeGreaterThan(0);
  });
});

describe('PEM headers (RFC 1421 Proc-Type / DEK-Info before an empty line)', () => {
  const pem = readFileSync(resolve(import.meta.dirname, '../../fixtures/chains/chain_trusted/ca.pem'), 'latin1');
  const block = pem.slice(pem.indexOf('-----BEGIN CERTIFICATE-----'), pem.indexOf('-----END CERTIFICATE-----') + 25);
  const body = block.slice(28, -26);
  const plain = readCertContainer(Buffer.from(block, 'latin1'));

  it('are skipped: the certificate under them is the same', () => {
    expect(plain.ders).toHaveLength(1);
    for (const headers of ['Proc-Type: 4,ENCRYPTED\nDEK-Info: DES-EDE3-CBC,0123456789ABCDEF\n\n', 'Comment: a\n \t\n\n']) {
      const r = readCertContainer(Buffer.from(`-----BEGIN CERTIFICATE-----\n${headers}${body}\n-----END CERTIFICATE-----\n`, 'latin1'));
      expect(r.errors, headers).toEqual([]);
      expect(Buffer.from(r.ders[0].der).equals(Buffer.from(plain.ders[0].der)), headers).toBe(true);
    }
  });

  it('a blank line without a header before it is not a header end: the base64 is read whole', () => {
    const lines = body.trim().split('\n');
    const r = readCertContainer(Buffer.from(`-----BEGIN CERTIFICATE-----\n${lines[0]}\n\n${lines.slice(1).join('\n')}\n-----END CERTIFICATE-----\n`, 'latin1'));
    expect(r.errors).toEqual([]);
    expect(Buffer.from(r.ders[0].der).equals(Buffer.from(plain.ders[0].der))).toBe(true);
  });

  it('stays linear on a body of 200,000 colons and no empty line (quadratic before: 40,000 took 3 s)', () => {
    const r = readCertContainer(Buffer.from(`-----BEGIN CERTIFICATE-----\n${':'.repeat(200_000)}\n-----END CERTIFICATE-----\n`, 'latin1'));
    expect(r.ders).toEqual([]);
    expect(r.errors[0].reason).toMatch(/invalid base64/);
  });
});
