import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pemBlocks } from '../../../src/trust/cert-container.js';

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
