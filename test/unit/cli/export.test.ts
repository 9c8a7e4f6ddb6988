import { describe, expect, it } from 'vitest';
import { certFileName, missingCertificates } from '../../../src/cli/export.js';
import type { CertificateOut } from '../../../src/report/model.js';
import { HOSTILE, sampleCerts, sampleReport } from '../../helpers/sample-report.js';

function cert(cn: string | null): CertificateOut {
  return { ...sampleCerts().rsa, subject_cn: cn };
}

describe('certFileName', () => {
  const sha = sampleCerts().rsa.sha256.slice(0, 12);
  it('is CN_shorthash.pem', () => {
    expect(certFileName(cert('cucm-ms.steven.lab'))).toBe(`cucm-ms.steven.lab_${sha}.pem`);
  });
  it('cannot leave the directory or carry control characters', () => {
    for (const cn of ['../../etc/passwd', HOSTILE.cn, '..', '.hidden', 'a/b\\c', 'con:aux']) {
      const f = certFileName(cert(cn));
      expect(f).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*_[0-9a-f]{12}\.pem$/);
      expect(f).not.toContain('..');
    }
    expect(certFileName(cert('*.steven.lab'))).toBe(`wildcard.steven.lab_${sha}.pem`);
    expect(certFileName(cert(null))).toBe(`certificate_${sha}.pem`);
    expect(certFileName(cert('证书'))).toBe(`certificate_${sha}.pem`);
  });
});

describe('missingCertificates', () => {
  it('picks the self-signed leaf of the untrusted chain and nothing already trusted', () => {
    const r = sampleReport();
    const { certs, unavailable } = missingCertificates(r);
    expect(certs.map((c) => c.subject_cn)).toEqual(['cucm-EC.steven.lab']);
    expect(unavailable).toEqual([]);
  });
  it('picks the self-signed root sent in the chain (self_signed_in_chain)', () => {
    const r = sampleReport();
    r.truststore = null;
    const c = r.connections[0];
    c.validation = { status: 'untrusted', checked_name: 'cucm.steven.lab', errors: [{ code: 'self_signed_in_chain', depth: 1, message: 'self signed certificate in certificate chain' }], chain: c.validation.chain, anchor: null };
    expect(missingCertificates(r).certs.map((x) => x.subject_cn)).toEqual(['steven-DC-CA', 'cucm-EC.steven.lab']);
  });
  it('names an issuer that was not sent (unknown_issuer) instead of exporting', () => {
    const r = sampleReport();
    const c = r.connections[0];
    c.certificates = [c.certificates[0]];
    c.validation = { status: 'untrusted', checked_name: 'cucm.steven.lab', errors: [{ code: 'unknown_issuer', depth: 0, message: 'unable to get local issuer certificate' }], chain: [c.certificates[0].sha256], anchor: null };
    const { certs, unavailable } = missingCertificates(r);
    expect(certs.map((x) => x.subject_cn)).toEqual(['cucm-EC.steven.lab']);
    expect(unavailable).toEqual(['steven-DC-CA']);
  });
});
