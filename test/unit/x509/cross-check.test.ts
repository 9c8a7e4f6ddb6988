/**
 * Cross-checks over every certificate of the OpenSSL fixtures: our own extension decoder (the
 * fallback) agrees with @peculiar/x509 (the primary path), and, when `openssl` is on PATH, the
 * facts agree with `openssl x509`.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metaOf, type ParsedCert } from '../../../src/x509/analyze.js';
import { decodeExtFacts } from '../../../src/x509/extensions.js';
import { decodeCertSkeleton } from '../../../src/x509/tbs.js';
import { CHAINS_DIR, caseNames, pemCerts } from '../trust/chain-fixtures.js';
import { hasTool } from '../../helpers/tools.js';

function allFixtureCerts(): ParsedCert[] {
  const bySha = new Map<string, ParsedCert>();
  for (const c of caseNames()) {
    for (const f of readdirSync(join(CHAINS_DIR, c)).filter((n) => n.endsWith('.pem'))) {
      for (const pc of pemCerts(join(CHAINS_DIR, c, f))) bySha.set(pc.sha256, pc);
    }
  }
  return [...bySha.values()];
}

const certs = allFixtureCerts();

describe('extension decoders agree', () => {
  it('our DER decoder gives what @peculiar/x509 gives for every fixture certificate', () => {
    expect(certs.length).toBeGreaterThan(50);
    for (const pc of certs) {
      const own = decodeExtFacts(decodeCertSkeleton(pc.der).extensions ?? []).facts;
      const m = metaOf(pc);
      expect({ dns: own.dns, ip: own.ip, bc: own.basicConstraints, ku: own.keyUsage, eku: own.ekuOids, ski: own.ski, aki: own.aki?.keyId ?? null }).toEqual({
        dns: m.allDnsSans, ip: m.allIpSans, bc: m.basicConstraints, ku: m.keyUsage, eku: m.ekuOids, ski: m.ski, aki: m.aki?.keyId ?? null,
      });
    }
  });
});


const opensslDate = (s: string) => new Date(s.replace(/ GMT$/, ' UTC')).toISOString();

describe.skipIf(!hasTool('openssl', 'version'))('facts agree with openssl x509', () => {
  it('subject, issuer, serial, dates, signature algorithm, key size and SANs', () => {
    for (const pc of certs) {
      const out = execFileSync(
        'openssl',
        ['x509', '-noout', '-subject', '-issuer', '-serial', '-dates', '-nameopt', 'RFC2253', '-ext', 'subjectAltName', '-text', '-certopt', 'no_extensions,no_sigdump'],
        { input: pc.facts.pem!, encoding: 'utf8' },
      );
      const f = pc.facts;
      expect(/^subject=(.*)$/m.exec(out)?.[1]).toBe(f.subject);
      expect(/^issuer=(.*)$/m.exec(out)?.[1]).toBe(f.issuer);
      expect(/^serial=(.*)$/m.exec(out)?.[1].toLowerCase().replace(/^(00)+(?=..)/, '')).toBe(f.serial);
      expect(opensslDate(/^notBefore=(.*)$/m.exec(out)![1])).toBe(f.not_before);
      expect(opensslDate(/^notAfter=(.*)$/m.exec(out)![1])).toBe(f.not_after);
      const sig = /Signature Algorithm: (\S+)/.exec(out)![1];
      expect(sig === 'rsassaPss' ? 'RSASSA-PSS' : sig).toBe(f.signature_algorithm);
      const bits = /Public-Key: \((\d+) bit\)/.exec(out);
      if (bits) expect(Number(bits[1])).toBe(f.key.bits);
      const san = /X509v3 Subject Alternative Name: *\n\s*(.*)/.exec(out)?.[1] ?? '';
      const want = san
        .split(', ')
        .filter(Boolean)
        .map((s) => s.replace(/^IP Address:/, 'IP:').replace(/^IP:2001:DB8:0:0:0:0:0:215$/, 'IP:2001:db8::215'));
      expect([...f.san.dns.map((x) => `DNS:${x}`), ...f.san.ip.map((x) => `IP:${x}`)]).toEqual(want);
    }
  });
});
