/**
 * Loads the committed OpenSSL differential fixtures (test/fixtures/chains/<case>/, made by
 * scripts/make-chain-fixtures.sh): leaf.pem, untrusted.pem, ca.pem, meta.json.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCertContainer } from '../../../src/trust/cert-container.js';
import { trustStoreFromTexts, type TrustStore } from '../../../src/trust/trust-store.js';
import { analyzeCertificate, type ParsedCert } from '../../../src/x509/analyze.js';

export const CHAINS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/chains');

export interface OpensslVerdict {
  attime: number;
  args: string;
  ok: boolean;
  errors: { num: number; depth: number; text: string }[];
  chain_length: number;
}

export interface ChainMeta {
  case: string;
  description: string;
  attime: number;
  name: string | null;
  name_kind: 'dns' | 'ip';
  openssl_version: string;
  openssl: OpensslVerdict;
  openssl_name: OpensslVerdict | null;
  now: OpensslVerdict;
  deliberate_difference: string | null;
}

export interface ChainCase {
  dir: string;
  meta: ChainMeta;
  leaf: ParsedCert;
  untrusted: ParsedCert[];
  store: TrustStore;
}

export function pemCerts(file: string): ParsedCert[] {
  if (!existsSync(file)) return [];
  return readCertContainer(readFileSync(file)).ders.map((d) => analyzeCertificate(d.der, true));
}

export function caseNames(): string[] {
  return readdirSync(CHAINS_DIR).filter((n) => existsSync(join(CHAINS_DIR, n, 'meta.json'))).sort();
}

export function loadCase(name: string): ChainCase {
  const dir = join(CHAINS_DIR, name);
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as ChainMeta;
  const [leaf] = pemCerts(join(dir, 'leaf.pem'));
  const untrusted = readFileSync(join(dir, 'untrusted.pem')).length > 0 ? pemCerts(join(dir, 'untrusted.pem')) : [];
  const store = trustStoreFromTexts([{ name: 'ca.pem', data: readFileSync(join(dir, 'ca.pem')) }]);
  return { dir, meta, leaf, untrusted, store };
}
