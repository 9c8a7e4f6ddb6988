/**
 * The trust store the Expressway-C validates origin certificates against (Maintenance > Security >
 * Trusted CA certificate; `ca_<host>_<ts>.pem` in a diagnostic bundle). Loaded from PEM bundles
 * (text between certificates allowed), DER files, PKCS#7 bundles and folders of such files.
 * Identical certificates are kept once (OpenSSL X509_STORE_add_cert ignores duplicates).
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode, UsageError } from '../errors.js';
import type { Report } from '../report/model.js';
import { analyzeCertificate, sha256Hex, type ParsedCert } from '../x509/analyze.js';
import { readCertContainer } from './cert-container.js';

export interface TrustStoreError {
  file: string;
  index: number | null;
  reason: string;
}

export interface TrustStore {
  paths: string[];
  certs: ParsedCert[];
  errors: TrustStoreError[];
}

/** File name endings read from a folder (a named file is read whatever its name). */
const FOLDER_EXTENSIONS = /\.(pem|crt|cer|cert|der|p7b|p7c|ca-bundle)$/i;

function addFile(store: TrustStore, seen: Set<string>, name: string, data: Uint8Array): void {
  const res = readCertContainer(data);
  for (const e of res.errors) store.errors.push({ file: name, index: e.index, reason: e.reason });
  for (const { index, der } of res.ders) {
    const sha = sha256Hex(der);
    if (seen.has(sha)) continue;
    const pc = analyzeCertificate(der, true, sha);
    if (!pc.x509) {
      store.errors.push({ file: name, index, reason: 'not a valid X.509 certificate (OpenSSL cannot parse it)' });
      continue;
    }
    seen.add(sha);
    store.certs.push(pc);
  }
}

/** A store from in-memory files (bundle members such as ca_<host>_<ts>.pem). Never throws. */
export function trustStoreFromTexts(items: { name: string; data: Uint8Array }[]): TrustStore {
  const store: TrustStore = { paths: items.map((i) => i.name), certs: [], errors: [] };
  const seen = new Set<string>();
  for (const it of items) addFile(store, seen, it.name, it.data);
  return store;
}

async function readOne(store: TrustStore, seen: Set<string>, file: string): Promise<void> {
  let data: Uint8Array;
  try {
    data = await readFile(file);
  } catch (e) {
    store.errors.push({ file, index: null, reason: `unreadable: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
    return;
  }
  addFile(store, seen, file, data);
}

/**
 * Loads the given files and folders. A path that does not exist is a UsageError (exit 3); when no
 * path yields a certificate, a UsageError (exit 5). Unreadable entries are listed in `errors`.
 */
export async function loadTrustStore(paths: string[]): Promise<TrustStore> {
  const store: TrustStore = { paths: [...paths], certs: [], errors: [] };
  const seen = new Set<string>();
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(`${p}: ${code === 'ENOENT' ? 'no such file or directory' : `cannot access (${code ?? 'error'})`}`, ExitCode.inputMissing);
    }
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = (await readdir(p)).filter((n) => !n.startsWith('.') && FOLDER_EXTENSIONS.test(n)).sort();
      } catch (e) {
        store.errors.push({ file: p, index: null, reason: `unreadable folder: ${(e as NodeJS.ErrnoException).code ?? 'error'}` });
        continue;
      }
      if (names.length === 0) store.errors.push({ file: p, index: null, reason: 'folder holds no .pem/.crt/.cer/.der/.p7b files' });
      for (const n of names) {
        const f = join(p, n);
        if ((await stat(f).catch(() => null))?.isFile()) await readOne(store, seen, f);
      }
    } else {
      await readOne(store, seen, p);
    }
  }
  if (store.certs.length === 0) {
    const why = store.errors.slice(0, 3).map((e) => `${e.file}${e.index === null ? '' : ` #${e.index}`}: ${e.reason}`).join('; ');
    throw new UsageError(`trust store ${paths.join(', ')}: no certificate could be read${why ? ` (${why})` : ''}`, ExitCode.truststore);
  }
  return store;
}

/** The Report.truststore section: count, subjects, CNs, expiry. */
export function truststoreOut(store: TrustStore | null): Report['truststore'] {
  if (!store) return null;
  return {
    paths: store.paths,
    certificates: store.certs.map((c) => ({
      sha256: c.sha256,
      subject: c.facts.subject,
      not_after: c.facts.not_after,
      subject_cn: c.facts.subject_cn,
    })),
    ...(store.errors.length > 0 ? { errors: store.errors } : {}),
  };
}
