/**
 * Chains made at test time with the openssl command, and `openssl verify` run on them: the live side
 * of the differential tests that need certificates no committed fixture holds (weak keys and
 * digests, critical extensions). Only when OpenSSL 3 is on PATH (CI installs it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trustStoreFromTexts, type TrustStore } from '../../../src/trust/trust-store.js';
import type { ParsedCert } from '../../../src/x509/parsed-cert.js';
import { X509_ERROR_TEXT } from '../../../src/trust/verify-errors.js';
import { validateChain } from '../../../src/trust/validate-chain.js';
import { analyzeCertificate, toPem } from '../../../src/x509/analyze.js';
import { pemCerts } from './chain-fixtures.js';

export function hasOpenssl3(): boolean {
  try {
    return /^OpenSSL 3\./.test(execFileSync('openssl', ['version'], { encoding: 'utf8' }));
  } catch {
    return false;
  }
}

/** A certificate made by LivePki: its PEM file name (without .pem) and its key file. */
export interface Made {
  name: string;
  key: string;
}

export class LivePki {
  readonly dir = mkdtempSync(join(tmpdir(), 'tlsx-live-pki-'));
  private readonly keys = new Map<string, string>();

  /** `sections`: extra openssl config sections ([name] lines), usable as `ext` below */
  constructor(sections = '') {
    writeFileSync(join(this.dir, 'ext.cnf'), [
      '[ca]', 'basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign',
      'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid',
      '[leaf]', 'basicConstraints = CA:FALSE', 'keyUsage = critical, digitalSignature, keyEncipherment',
      'extendedKeyUsage = serverAuth', 'subjectAltName = DNS:host.example', 'authorityKeyIdentifier = keyid',
      '[req]', 'distinguished_name = dn', 'prompt = no', '[dn]', 'CN = x', sections, '',
    ].join('\n'));
  }

  run(...args: string[]): string {
    return execFileSync('openssl', args, { cwd: this.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** A key file for rsa:BITS, ec:CURVE or dsa:L:N (FIPS 186-2 generation, which allows any L/N pair; made once per spec). */
  key(spec: string): string {
    let f = this.keys.get(spec);
    if (f === undefined) {
      f = `key-${spec.replaceAll(':', '-')}.pem`;
      if (spec.startsWith('rsa:')) this.run('genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${spec.slice(4)}`, '-out', f);
      else if (spec.startsWith('dsa:')) {
        const [l, n] = spec.slice(4).split(':');
        this.run('genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', `pbits:${l}`, '-pkeyopt', `qbits:${n}`, '-pkeyopt', 'type:fips186_2', '-out', `${f}.param`);
        this.run('genpkey', '-paramfile', `${f}.param`, '-out', f);
      } else this.run('genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${spec.slice(3)}`, '-out', f);
      this.keys.set(spec, f);
    }
    return f;
  }

  /**
   * Certificate NAME (CN too, unless SUBJECT is given as /A=v/B=w) with a KEYSPEC key, signed by ISSUER (null: self-signed) with DIGEST, extensions EXT.
   * DIGEST `pss-<md>`: an RSASSA-PSS signature with that hash (and MGF1 hash, salt of the hash's length).
   */
  cert(name: string, keySpec: string, issuer: Made | null, digest: string, ext: string, subject = `/CN=${name}`): Made {
    const k = this.key(keySpec);
    const md = digest.startsWith('pss-') ? digest.slice(4) : digest;
    const sig = md === digest ? [] : ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest'];
    if (issuer === null) {
      this.run('req', '-new', '-x509', '-config', 'ext.cnf', '-key', k, '-subj', subject, `-${md}`, ...sig, '-days', '30',
        '-extensions', ext, '-out', `${name}.pem`);
    } else {
      this.run('req', '-new', '-config', 'ext.cnf', '-key', k, '-subj', subject, '-out', `${name}.csr`);
      this.run('x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer.name}.pem`, '-CAkey', issuer.key, '-CAcreateserial',
        `-${md}`, ...sig, '-days', '30', '-extfile', 'ext.cnf', '-extensions', ext, '-out', `${name}.pem`);
    }
    return { name, key: k };
  }

  /** The parsed leaf, the certificates sent after it and the trust store, and `verify` with openssl. */
  chain(leaf: string, sent: string[], store: string[]): LiveChain {
    const cat = (names: string[], file: string): string => {
      writeFileSync(join(this.dir, file), names.map((n) => readFileSync(join(this.dir, `${n}.pem`), 'utf8')).join(''));
      return file;
    };
    const ca = cat(store, `${leaf}-ca.pem`);
    const untrusted = sent.length > 0 ? cat(sent, `${leaf}-untrusted.pem`) : null;
    const verify = (extra: string[], atSec: number): string[] => {
      const args = ['verify', ...extra, '-attime', String(atSec), '-purpose', 'sslserver', '-CAfile', ca];
      if (untrusted !== null) args.push('-untrusted', untrusted);
      return opensslVerifyErrors([...args, '-show_chain', `${leaf}.pem`], this.dir);
    };
    return {
      leaf: pemCerts(join(this.dir, `${leaf}.pem`))[0],
      sent: untrusted === null ? [] : pemCerts(join(this.dir, untrusted)),
      store: trustStoreFromTexts([{ name: 'ca.pem', data: readFileSync(join(this.dir, ca)) }]),
      verify,
    };
  }

  parsed(name: string): ParsedCert {
    return pemCerts(join(this.dir, `${name}.pem`))[0];
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface LiveChain {
  leaf: ParsedCert;
  sent: ParsedCert[];
  store: TrustStore;
  /** `openssl verify EXTRA -attime AT ...`: its errors as `code@depth` */
  verify: (extra: string[], atSec: number) => string[];
}

/** Run `openssl ARGS` (a verify) in `cwd`; its errors as `code@depth`, in the order printed. */
function opensslVerifyErrors(args: string[], cwd: string): string[] {
  let out: string;
  try {
    out = execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    out = `${err.stdout ?? ''}${err.stderr ?? ''}`;
  }
  return [...out.matchAll(/^error (\d+) at (\d+) depth lookup/gm)].map((m) => `${X509_ERROR_TEXT[Number(m[1])]?.code ?? `openssl-${m[1]}`}@${m[2]}`);
}

/**
 * Certificates built in memory (DER), verified both ways: `openssl verify -purpose sslserver` on files
 * written in a temporary folder (the leaf, the certificates sent after it as -untrusted, the store as
 * -CAfile) and our validateChain. `leafUntrusted`: the leaf among the untrusted certificates too, as
 * libssl passes the peer chain. Returns both first-error lists as `code@depth`, and our status.
 */
export function verifyBothWays(o: { leaf: Uint8Array; sent?: Uint8Array[]; store: Uint8Array[]; atSec: number; leafUntrusted?: boolean }): {
  theirs: string[]; ours: string[]; oursStatus: string; oursChainLength: number;
} {
  const dir = mkdtempSync(join(tmpdir(), 'tlsx-verify-'));
  try {
    const sent = o.sent ?? [];
    const pem = (ders: Uint8Array[]) => ders.map(toPem).join('');
    writeFileSync(join(dir, 'leaf.pem'), pem([o.leaf]));
    writeFileSync(join(dir, 'store.pem'), pem(o.store));
    const untrusted = o.leafUntrusted ? [o.leaf, ...sent] : sent;
    const args = ['verify', '-attime', String(o.atSec), '-purpose', 'sslserver', '-CAfile', join(dir, 'store.pem')];
    if (untrusted.length > 0) {
      writeFileSync(join(dir, 'untrusted.pem'), pem(untrusted));
      args.push('-untrusted', join(dir, 'untrusted.pem'));
    }
    const theirs = opensslVerifyErrors([...args, join(dir, 'leaf.pem')], dir);
    const r = validateChain({
      presented: [analyzeCertificate(o.leaf, true), ...sent.map((c) => analyzeCertificate(c, true))],
      store: trustStoreFromTexts([{ name: 'store.pem', data: Buffer.from(pem(o.store)) }]),
      atMs: o.atSec * 1000, nowMs: o.atSec * 1000, checkedName: null, checkedNameSource: null, visible: true,
    });
    return { theirs, ours: r.errors.map((e) => `${e.code}@${e.depth}`), oursStatus: r.status, oursChainLength: r.chain.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
