import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { validateChain, type ValidateInput } from '../../../src/trust/validate-chain.js';
import { trustStoreFromTexts } from '../../../src/trust/trust-store.js';
import { analyzeCertificate } from '../../../src/x509/analyze.js';
import { loadCase } from './chain-fixtures.js';
import { akiExt, bcExt, buildCert, cnName, d, name as dn, kuExt, sanExt, skiExt, spkiOf } from '../x509/build-cert.js';
import { hasOpenssl3, verifyBothWays } from './live-openssl.js';

const T = (iso: string) => Date.parse(iso);
const AT = T('2025-06-01T00:00:00Z');
const NOW = T('2026-11-01T00:00:00Z');

function run(over: Partial<ValidateInput> & Pick<ValidateInput, 'presented'>) {
  return validateChain({ store: null, atMs: AT, nowMs: NOW, checkedName: null, checkedNameSource: null, visible: true, ...over });
}

const chain = loadCase('chain_trusted');
const selfSigned = loadCase('self_signed_leaf');

describe('validateChain', () => {
  it('TLS 1.3: not visible, not checked', () => {
    const v = run({ presented: [], store: chain.store, tls13: true, visible: false, checkedName: 'cucm.steven.lab', checkedNameSource: 'sni' });
    expect(v.status).toBe('not_checked');
    expect(v.errors).toEqual([
      { code: 'not_visible', depth: null, message: 'certificate not visible (TLS 1.3 or not captured)', detail: expect.stringContaining('TLS 1.3') },
    ]);
    expect(v.checked_name).toBe('cucm.steven.lab');
    expect(v.checked_name_source).toBe('sni');
    expect(v.chain).toEqual([]);
  });

  it('a trusted chain names its anchor and the chain leaf → root', () => {
    const v = run({ presented: [chain.leaf, ...chain.untrusted], store: chain.store, checkedName: 'cucm.steven.lab', checkedNameSource: 'sni' });
    expect(v.status).toBe('trusted');
    expect(v.errors).toEqual([]);
    expect(v.chain).toEqual([chain.leaf.sha256, chain.untrusted[0].sha256, chain.store.certs[0].sha256]);
    expect(v.anchor).toBe(chain.store.certs[0].sha256);
    expect(v.valid_now).toBe(true);
    expect(v.rfc6125_name_match).toBeNull();
  });

  it('self-signed leaf: OpenSSL 1.1.1 message plus the 3.x spelling', () => {
    const v = run({ presented: [selfSigned.leaf], store: selfSigned.store });
    expect(v.status).toBe('untrusted');
    expect(v.errors).toEqual([
      {
        code: 'self_signed', depth: 0, message: 'self signed certificate', message_openssl3: 'self-signed certificate',
        detail: 'the server certificate CN=cucm-EC.steven.lab is self-signed and is not in the trust store',
      },
    ]);
  });

  it('without a trust store: not_checked, but dates and the name are still checked', () => {
    const expired = loadCase('self_signed_expired');
    const v = run({ presented: [expired.leaf], checkedName: 'nope.steven.lab', checkedNameSource: 'option' });
    expect(v.status).toBe('not_checked');
    expect(v.errors.map((e) => `${e.code}@${e.depth}`)).toEqual(['expired@0', 'name_mismatch@0']);
    expect(v.valid_now).toBeNull();
    expect(v.anchor).toBeNull();
  });

  it('validates at capture time; valid_now looks at the run time', () => {
    const c = loadCase('valid_at_capture_expired_now');
    const v = run({ presented: [c.leaf, ...c.untrusted], store: c.store, atMs: T('2024-06-01T00:00:00Z') });
    expect(v.status).toBe('trusted');
    expect(v.valid_now).toBe(false);
    const atNull = run({ presented: [c.leaf, ...c.untrusted], store: c.store, atMs: null });
    expect(atNull.errors.map((e) => e.code)).toEqual(['expired']);
  });

  it('an incomplete leaf is not checked further', () => {
    const part = analyzeCertificate(chain.leaf.der.subarray(0, 200), false, 'abc');
    const v = run({ presented: [part, ...chain.untrusted], store: chain.store });
    expect(v.status).toBe('not_checked');
    expect(v.errors).toEqual([{ code: 'incomplete', depth: 0, message: 'certificate bytes incomplete in the capture', detail: 'only 200 bytes of it were captured' }]);
    expect(v.chain).toEqual(['abc']);
  });

  it('an incomplete intermediate: not_checked when the missing issuer might be it, trusted when not needed', () => {
    const part = analyzeCertificate(chain.untrusted[0].der.subarray(0, 100), false);
    const v = run({ presented: [chain.leaf, part], store: chain.store });
    expect(v.status).toBe('not_checked');
    expect(v.errors.map((e) => `${e.code}@${e.depth}`)).toEqual(['incomplete@1', 'unknown_issuer@0']);
    const full = loadCase('chain_root_sent_trusted');
    const w = run({ presented: [full.leaf, full.untrusted[0], part], store: full.store });
    expect(w.status).toBe('trusted');
    expect(w.errors.map((e) => `${e.code}@${e.depth}`)).toEqual(['incomplete@2']);
  });

  it('same-CN self-signed certificates: whichever is first in the store wins (CSCwa12894)', () => {
    const mimic = loadCase('self_signed_mimic_in_store');
    const other = mimic.store.certs.find((c) => c.facts.subject === mimic.leaf.facts.subject)!;
    const pem = (c: typeof other) => new TextEncoder().encode(c.facts.pem!);
    const leafFirst = trustStoreFromTexts([{ name: 'a.pem', data: pem(mimic.leaf) }, { name: 'b.pem', data: pem(other) }]);
    const otherFirst = trustStoreFromTexts([{ name: 'b.pem', data: pem(other) }, { name: 'a.pem', data: pem(mimic.leaf) }]);
    expect(run({ presented: [mimic.leaf], store: leafFirst }).status).toBe('trusted');
    const v = run({ presented: [mimic.leaf], store: otherFirst });
    expect(v.status).toBe('untrusted');
    expect(v.errors[0].code).toBe('self_signed');
    expect(v.errors[0].detail).toContain('CSCwa12894');
    expect(run({ presented: [other], store: otherFirst }).status).toBe('trusted');
  });

  it('IP-only SAN: name_mismatch with the Traffic Server explanation; rfc6125 says yes', () => {
    const c = loadCase('ip_only_san');
    const v = run({ presented: [c.leaf, ...c.untrusted], store: c.store, checkedName: '10.48.36.215', checkedNameSource: 'ip' });
    expect(v.status).toBe('untrusted');
    expect(v.errors).toEqual([
      {
        code: 'name_mismatch', depth: 0, message: 'SNI (10.48.36.215) not in certificate',
        detail: 'the certificate has an IP-address SAN for 10.48.36.215, but Traffic Server ignores IP SANs (browsers and OpenSSL would accept it)',
      },
    ]);
    expect(v.rfc6125_name_match).toBe(true);
    expect(v.valid_now).toBe(true);
  });

  it('name_mismatch comes after the chain errors', () => {
    const v = run({ presented: [selfSigned.leaf], store: selfSigned.store, checkedName: 'x.steven.lab', checkedNameSource: 'log' });
    expect(v.errors.map((e) => e.code)).toEqual(['self_signed', 'name_mismatch']);
  });
});

describe('validateChain: details and edge paths', () => {
  it('name_mismatch lists the DNS SANs (first 10) and the first CN Traffic Server checked, or none', () => {
    const c = loadCase('cn_not_in_san');
    const v = run({ presented: [c.leaf, ...c.untrusted], store: c.store, atMs: c.meta.attime * 1000, nowMs: c.meta.attime * 1000, checkedName: 'zz.example', checkedNameSource: 'option' });
    expect(v.errors.find((e) => e.code === 'name_mismatch')?.detail).toBe(
      'zz.example is not among the names Traffic Server checks (DNS SANs, then the first CN): DNS:other.steven.lab, CN=cucm.steven.lab');
    const ed = generateKeyPairSync('ed25519');
    const many = analyzeCertificate(buildCert({
      subject: cnName('many.example'), spki: spkiOf(ed.publicKey), signKey: ed.privateKey,
      extensions: [sanExt(Array.from({ length: 12 }, (_, i) => `h${i}.example`))],
    }), true);
    const m = run({ presented: [many], checkedName: 'zz.example', checkedNameSource: 'option' });
    expect(m.errors.find((e) => e.code === 'name_mismatch')?.detail).toBe(
      `zz.example is not among the names Traffic Server checks (DNS SANs, then the first CN): ${Array.from({ length: 10 }, (_, i) => `DNS:h${i}.example`).join(', ')}, CN=many.example`);
    const anon = analyzeCertificate(buildCert({ subject: dn([]), spki: spkiOf(ed.publicKey), signKey: ed.privateKey }), true);
    expect(run({ presented: [anon], checkedName: 'zz.example', checkedNameSource: 'option' }).errors.find((e) => e.code === 'name_mismatch')?.detail).toBe(
      'zz.example is not among the names Traffic Server checks (DNS SANs, then the first CN): none');
  });

  it('a visible connection without any certificate is not_visible: nothing was captured', () => {
    const v = run({ presented: [], store: chain.store, visible: true });
    expect(v.status).toBe('not_checked');
    expect(v.errors).toEqual([{ code: 'not_visible', depth: null, message: 'certificate not visible (TLS 1.3 or not captured)', detail: 'no server Certificate message was captured for this connection' }]);
  });

  it('a complete but unparseable intermediate is reported and left out of path building', () => {
    const bad = Uint8Array.from(chain.untrusted[0].der);
    bad[6] ^= 0xff;
    const broken = analyzeCertificate(bad, true);
    const v = run({ presented: [chain.leaf, broken], store: chain.store });
    expect(v.errors.map((e) => `${e.code}@${e.depth}`)).toEqual(['incomplete@1', 'unknown_issuer@0']);
    expect(v.errors[0].detail).toBe('OpenSSL cannot parse this certificate');
    expect(v.chain).toEqual([chain.leaf.sha256]);
    // with the real intermediate after it, the chain still builds through the good copy
    const w = run({ presented: [chain.leaf, broken, chain.untrusted[0]], store: chain.store });
    expect(w.status).toBe('trusted');
    expect(w.chain).toEqual([chain.leaf.sha256, chain.untrusted[0].sha256, chain.store.certs[0].sha256]);
  });

  it('an incomplete intermediate excuses only unknown_issuer: any other error makes the chain untrusted', () => {
    const part = analyzeCertificate(chain.untrusted[0].der.subarray(0, 100), false);
    const v = run({ presented: [chain.leaf, part], store: chain.store, checkedName: 'zz.example', checkedNameSource: 'option' });
    expect(v.errors.map((e) => `${e.code}@${e.depth}`)).toEqual(['incomplete@1', 'unknown_issuer@0', 'name_mismatch@0']);
    expect(v.status).toBe('untrusted');
  });

  it('valid_now when the capture time is the run time (or unknown): the same verdict, trust and dates', () => {
    const ok = run({ presented: [chain.leaf, ...chain.untrusted], store: chain.store, atMs: NOW, nowMs: NOW });
    expect([ok.status, ok.valid_now]).toEqual(['trusted', true]);
    expect(run({ presented: [chain.leaf, ...chain.untrusted], store: chain.store, atMs: null, nowMs: NOW }).valid_now).toBe(true);
    const c = loadCase('valid_at_capture_expired_now');
    const late = T('2030-01-01T00:00:00Z');
    const exp = run({ presented: [c.leaf, ...c.untrusted], store: c.store, atMs: late, nowMs: late });
    expect(exp.errors.map((e) => e.code)).toEqual(['expired']);
    expect(exp.anchor).not.toBeNull();
    expect(exp.valid_now).toBe(false);
    expect(run({ presented: [c.leaf, ...c.untrusted], store: c.store, atMs: null, nowMs: late }).valid_now).toBe(false);
    const u = run({ presented: [selfSigned.leaf], store: chain.store, atMs: NOW, nowMs: NOW });
    expect(u.valid_now).toBe(false);
  });

  it('an error whose OpenSSL 3 text is the same has no message_openssl3', () => {
    const c = loadCase('valid_at_capture_expired_now');
    const late = T('2030-01-01T00:00:00Z');
    const [e] = run({ presented: [c.leaf, ...c.untrusted], store: c.store, atMs: late, nowMs: late }).errors;
    expect(e.message).toBe('certificate has expired');
    expect('message_openssl3' in e).toBe(false);
  });

  it('without a trust store a bad signature is still reported, with the sent same-subject certificate that does verify it', () => {
    const c = loadCase('twin_ca_no_aki');
    const at = c.meta.attime * 1000;
    const v = run({ presented: [c.leaf, ...c.untrusted], store: null, atMs: at, nowMs: at });
    expect(v.status).toBe('not_checked');
    expect(v.errors.map((e) => `${e.code}@${e.depth}`)).toEqual(['bad_signature@0']);
    const right = c.untrusted.find((u) => u.sha256 !== v.chain[1])!;
    expect(v.errors[0].detail).toContain(`another certificate with the same subject (sha256 ${right.sha256.slice(0, 16)}…) does verify it`);
    expect(v.anchor).toBeNull();
    expect(v.valid_now).toBeNull();
  });

  it('a bad signature names the same-subject certificate that does verify it (sent or in the store)', () => {
    const c = loadCase('twin_ca_no_aki');
    const v = run({ presented: [c.leaf, ...c.untrusted], store: c.store, atMs: c.meta.attime * 1000, nowMs: c.meta.attime * 1000 });
    expect(v.errors[0].code).toBe('bad_signature');
    expect(v.errors[0].detail).toContain('another certificate with the same subject');
    expect(v.errors[0].detail).toContain('issuers are picked by name and key identifier, not by signature');
  });
});

describe('internal_verify when the issuer of the top certificate is missing (OpenSSL 3.0)', () => {
  it('a top that is not self-issued is neither signature- nor date-checked: an expired intermediate with no root gives only unknown_issuer', () => {
    const c = loadCase('expired_intermediate');
    const at = c.meta.attime * 1000;
    const withRoot = run({ presented: [c.leaf, ...c.untrusted], store: c.store, atMs: at, nowMs: at });
    expect(withRoot.errors.map((e) => `${e.code}@${e.depth}`)).toEqual(['expired@1']);
    const noRoot = run({ presented: [c.leaf, ...c.untrusted], store: trustStoreFromTexts([]), atMs: at, nowMs: at });
    expect(noRoot.errors.map((e) => `${e.code}@${e.depth}`)).toEqual(['unknown_issuer@1']);
  });

  it('a lone leaf whose issuer is missing still has its dates checked (3.0 goes on to check_cert_time)', () => {
    const c = loadCase('leaf_alone_unknown_issuer');
    const late = T('2100-01-01T00:00:00Z');
    expect(run({ presented: [c.leaf], store: c.store, atMs: late, nowMs: late }).errors.map((e) => `${e.code}@${e.depth}`))
      .toEqual(['unknown_issuer@0', 'expired@0']);
  });
});

describe('a self-issued leaf whose key identifier names an older CA of its name, but signed by its own key', () => {
  // OpenSSL: not self-signed (the AKID names another key), so the store's CA of that name is taken as its
  // issuer and the signature fails at depth 0. The explanation must not offer the leaf itself as "another
  // certificate that does verify it", although the leaf is among the certificates the server sent.
  const ECDSA_SHA256 = '1.2.840.10045.4.3.2';
  const atSec = Math.floor(Date.now() / 1000);
  const utc = (sec: number) => d.utcTime(new Date(sec * 1000).toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z');
  const validity = { notBefore: utc(atSec - 86_400), notAfter: utc(atSec + 30 * 86_400) };
  const kOld = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const kNew = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const idOld = Uint8Array.from(Array(20).fill(0x0d)), idNew = Uint8Array.from(Array(20).fill(0x0e));
  const old = buildCert({
    subject: cnName('cucm.lab'), serialHex: '51', ...validity, spki: spkiOf(kOld.publicKey),
    extensions: [bcExt(true), kuExt([5, 6]), skiExt(idOld)], signKey: kOld.privateKey, sigOid: ECDSA_SHA256, digest: 'sha256',
  });
  const leaf = buildCert({
    subject: cnName('cucm.lab'), serialHex: '52', ...validity, spki: spkiOf(kNew.publicKey),
    extensions: [sanExt(['cucm.lab']), skiExt(idNew), akiExt(idOld)], signKey: kNew.privateKey, sigOid: ECDSA_SHA256, digest: 'sha256',
  });

  it('bad_signature at depth 0 through the store CA, and no "another certificate" pointing at the leaf', () => {
    const store = trustStoreFromTexts([{ name: 'old.pem', data: new TextEncoder().encode(analyzeCertificate(old, true).facts.pem!) }]);
    const pl = analyzeCertificate(leaf, true);
    const v = run({ presented: [pl], store, atMs: atSec * 1000, nowMs: atSec * 1000 });
    expect(v.errors.map((e) => `${e.code}@${e.depth}`)).toEqual(['bad_signature@0']);
    expect(v.chain).toEqual([pl.sha256, store.certs[0].sha256]);
    expect(v.errors[0].detail).toBe('the signature of CN=cucm.lab does not verify with the key of CN=cucm.lab');
  });

  it.skipIf(!hasOpenssl3())('the same first error as openssl verify (the leaf among the untrusted, as libssl passes it)', () => {
    const r = verifyBothWays({ leaf, store: [old], atSec, leafUntrusted: true });
    expect(r.theirs).toEqual(['bad_signature@0']);
    expect(r.ours).toEqual(r.theirs);
  });
});
