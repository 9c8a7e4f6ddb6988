/**
 * The PEM files to upload to the Expressway-C trust store (trust/upload-list.ts): which certificate
 * each untrusted chain needs, their file names, and the same-CN conflicts.
 */
import { describe, expect, it } from 'vitest';
import type { CertificateOut, ConnectionOut } from '../../../src/report/model.js';
import { connectionId, distinctCertificateLists, sameCnConflicts, serverLabel, uploadList } from '../../../src/trust/upload-list.js';
import { trustStoreFromTexts } from '../../../src/trust/trust-store.js';
import { conn } from '../findings/conn.js';
import { loadCase } from './chain-fixtures.js';

const root = loadCase('chain_trusted').store;
const selfSigned = () => conn({ id: 1, port: 6972, fixture: 'self_signed_leaf', store: root });
const rootSent = (id: number) => conn({ id, port: 8443, fixture: 'leaf_untrusted_root_sent', store: loadCase('leaf_untrusted_root_sent').store, name: 'cucm-ms.steven.lab' });
const withCn = (c: ConnectionOut, subject_cn: string | null): ConnectionOut => ({ ...c, certificates: [{ ...c.certificates[0], subject_cn }, ...c.certificates.slice(1)] });

describe('uploadList', () => {
  it('a self-signed leaf and a sent root not in the store are the files; what they are, for whom', () => {
    const a = selfSigned();
    const b = rootSent(2);
    const files = uploadList([a, b]);
    expect(files).toEqual([
      {
        filename: 'cucm-EC.steven.lab.pem', pem: a.certificates[0].pem, sha256: a.certificates[0].sha256, connections: [1],
        reason: 'self-signed server certificate presented by 10.48.36.215:6972 (cucm.steven.lab)',
      },
      {
        filename: 'steven-DC-CA.pem', pem: b.certificates[1].pem, sha256: b.certificates[1].sha256, connections: [2],
        reason: 'root CA certificate sent by 10.48.36.215:8443 (cucm-ms.steven.lab) but missing from the trust store',
      },
    ]);
  });

  it('only untrusted connections, and only self-signed at depth 0 or a sent root in the chain', () => {
    expect(uploadList([conn({ id: 1, port: 8443, fixture: 'chain_trusted', store: root })])).toEqual([]);
    // not checked (no store): nothing to upload
    expect(uploadList([conn({ id: 1, port: 6972, fixture: 'self_signed_leaf', store: null })])).toEqual([]);
    const a = selfSigned();
    // a self_signed error said to be at another depth, or a root error without depth: no file
    expect(uploadList([{ ...a, validation: { ...a.validation, errors: [{ ...a.validation.errors[0], depth: 1 }] } }])).toEqual([]);
    const b = rootSent(2);
    expect(uploadList([{ ...b, validation: { ...b.validation, errors: [{ ...b.validation.errors[0], depth: null }] } }])).toEqual([]);
    // a certificate whose bytes were not kept (no PEM): nothing to export
    expect(uploadList([{ ...a, certificates: [{ ...a.certificates[0], pem: null }] }])).toEqual([]);
    // only an untrusted verdict counts, and no other error at depth 0 makes the leaf a file
    expect(uploadList([{ ...a, validation: { ...a.validation, status: 'not_checked' } }])).toEqual([]);
    expect(uploadList([{ ...a, validation: { ...a.validation, errors: [{ code: 'expired', depth: 0, message: 'certificate has expired' }] } }])).toEqual([]);
    // a root the chain names but the connection does not carry
    expect(uploadList([{ ...b, certificates: b.certificates.slice(0, 1) }])).toEqual([]);
  });

  it('one file per certificate: the connections that need it once each, its reasons once each, joined', () => {
    const a = selfSigned();
    const other = { ...a, id: 7, server: { ip: '2001:db8::5', port: 6972 }, validation: { ...a.validation, checked_name: '2001:db8::5' } };
    const files = uploadList([a, a, { ...a, id: 3 }, other]);
    expect(files).toHaveLength(1);
    expect(files[0].connections).toEqual([1, 3, 7]);
    expect(files[0].reason).toBe(
      'self-signed server certificate presented by 10.48.36.215:6972 (cucm.steven.lab); self-signed server certificate presented by [2001:db8::5]:6972',
    );
    // connections named by position when they have no id, or as the caller says
    expect(uploadList([{ ...a, id: undefined }, { ...a, id: undefined }])[0].connections).toEqual([0, 1]);
    expect(uploadList([a, { ...a, id: 3 }], (_c, i) => 100 + i)[0].connections).toEqual([100, 101]);
  });

  it('file names: the CN made file-system safe, else the hash; the same name told apart by the hash, case-insensitively', () => {
    const a = selfSigned();
    const sha = a.certificates[0].sha256;
    const name = (cn: string | null) => uploadList([withCn(a, cn)])[0].filename;
    expect(name('../etc/pass wd*')).toBe('etc_pass_wd.pem');
    expect(name('._.hidden')).toBe('hidden.pem');
    expect(name('a b  ')).toBe('a_b.pem');
    expect(name('a  /b')).toBe('a_b.pem');
    expect(name('***')).toBe(`certificate-${sha.slice(0, 12)}.pem`);
    expect(name(null)).toBe(`certificate-${sha.slice(0, 12)}.pem`);
    expect(name('Node-1_x.lab')).toBe('Node-1_x.lab.pem');

    const b = rootSent(2);
    const files = uploadList([withCn(a, 'Same.Lab'), { ...b, certificates: [b.certificates[0], { ...b.certificates[1], subject_cn: 'same.lab' }] }]);
    expect(files.map((f) => f.filename)).toEqual([`Same.Lab-${sha.slice(0, 8)}.pem`, `same.lab-${b.certificates[1].sha256.slice(0, 8)}.pem`]);
  });
});

describe('serverLabel and connection ids', () => {
  it('brackets IPv6 addresses, and adds the checked name when it is not the address', () => {
    const a = selfSigned();
    expect(serverLabel(a)).toBe('10.48.36.215:6972 (cucm.steven.lab)');
    expect(serverLabel({ ...a, validation: { ...a.validation, checked_name: '10.48.36.215' } })).toBe('10.48.36.215:6972');
    expect(serverLabel({ ...a, validation: { ...a.validation, checked_name: null } })).toBe('10.48.36.215:6972');
    expect(serverLabel({ ...a, server: { ip: 'fe80::1', port: 443 } })).toBe('[fe80::1]:443 (cucm.steven.lab)');
    expect(connectionId(a, 9)).toBe(1);
    expect(connectionId({ ...a, id: undefined }, 9)).toBe(9);
  });

  it('distinct certificate lists: one per shared list object, in order', () => {
    const a = selfSigned(), b = rootSent(2);
    const lists = [...distinctCertificateLists([a, b, { ...a, id: 3 }, b])];
    expect(lists).toHaveLength(2);
    expect(lists[0]).toBe(a.certificates);
    expect(lists[1]).toBe(b.certificates);
  });
});

describe('sameCnConflicts', () => {
  const facts = (...cs: ConnectionOut[]) => new Map<string, CertificateOut>(cs.flatMap((c) => c.certificates.map((x) => [x.sha256, x] as const)));

  it('two files with one CN (any case), or one whose CN a different store certificate has', () => {
    const a = withCn(selfSigned(), 'Cucm.lab');
    const b = rootSent(2);
    const b2 = { ...b, certificates: [b.certificates[0], { ...b.certificates[1], subject_cn: 'cucm.LAB' }] };
    const uploads = uploadList([a, b2]);
    const [k] = sameCnConflicts(uploads, facts(a, b2), null);
    expect(k.cn).toBe('Cucm.lab');
    expect(k.uploads.map((u) => u.sha256)).toEqual(uploads.map((u) => u.sha256));
    expect(k.inStore).toEqual([]);
    // one file alone: no conflict; a file without CN: never
    expect(sameCnConflicts(uploads.slice(0, 1), facts(a), null)).toEqual([]);
    expect(sameCnConflicts(uploadList([withCn(selfSigned(), null)]), facts(withCn(selfSigned(), null)), null)).toEqual([]);
  });

  it('the store\'s certificate with that CN counts unless it is the file itself', () => {
    const mimic = loadCase('self_signed_mimic_in_store');
    const c = conn({ id: 1, port: 6972, fixture: 'self_signed_mimic_in_store', store: mimic.store });
    const uploads = uploadList([c]);
    const other = mimic.store.certs.find((s) => s.facts.subject_cn === 'cucm-EC.steven.lab')!;
    expect(sameCnConflicts(uploads, facts(c), mimic.store)).toEqual([
      { cn: 'cucm-EC.steven.lab', uploads, inStore: [{ sha256: other.sha256, subject: other.facts.subject }] },
    ]);
    // the very certificate in the store is no conflict
    const itself = trustStoreFromTexts([{ name: 'ca.pem', data: new TextEncoder().encode(c.certificates[0].pem!) }]);
    expect(sameCnConflicts(uploads, facts(c), itself)).toEqual([]);
  });
});
