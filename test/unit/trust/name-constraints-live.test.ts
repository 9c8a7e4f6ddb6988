/**
 * Name constraints against `openssl verify` (OpenSSL 3): chains made at test time whose CA (an
 * intermediate, or the trust anchor itself) carries a nameConstraints extension, every error number
 * and depth compared with ours in order, and the errors we report for them (code, message, detail).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateChain, verifyIssues } from '../../../src/trust/validate-chain.js';
import { LivePki, hasOpenssl3, type Made } from './live-openssl.js';

const SECTIONS = [
  '[nc_dns]', 'basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash',
  'authorityKeyIdentifier = keyid', 'nameConstraints = critical, permitted;DNS:good.test, excluded;DNS:bad.good.test',
  '[nc_ip]', 'basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash',
  'authorityKeyIdentifier = keyid', 'nameConstraints = critical, permitted;IP:10.0.0.0/255.0.0.0, permitted;DNS:.good.test',
  '[nc_dir]', 'basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash',
  'authorityKeyIdentifier = keyid', 'nameConstraints = critical, permitted;dirName:dir_good',
  '[dir_good]', 'O = Good',
  '[nc_mail]', 'basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash',
  'authorityKeyIdentifier = keyid', 'nameConstraints = permitted;email:.good.test, permitted;DNS:good.test, excluded;URI:.bad.test',
  '[nc_root]', 'basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash',
  'nameConstraints = critical, excluded;DNS:evil.test',
  ...[
    ['san_good', 'DNS:host.good.test'], ['san_evil', 'DNS:host.evil.test'], ['san_excluded', 'DNS:x.bad.good.test'],
    ['san_suffix', 'DNS:notgood.test'], ['san_two', 'DNS:a.good.test, DNS:b.evil.test'], ['san_ip_ok', 'IP:10.1.2.3, DNS:w.good.test'],
    ['san_ip_bad', 'IP:192.168.1.1'], ['san_mail_ok', 'email:a@x.good.test, DNS:good.test'], ['san_mail_bad', 'email:a@evil.test'],
    ['san_uri_bad', 'URI:https://x.bad.test/p, DNS:good.test'], ['san_uri_ok', 'URI:https://x.ok.test:8443/, DNS:good.test'],
    ['san_ip6', 'IP:fd00::1'],
  ].flatMap(([n, san]) => [
    `[${n}]`, 'basicConstraints = CA:FALSE', 'keyUsage = critical, digitalSignature, keyEncipherment', 'extendedKeyUsage = serverAuth',
    `subjectAltName = ${san}`, 'authorityKeyIdentifier = keyid',
  ]),
  '[no_san]', 'basicConstraints = CA:FALSE', 'keyUsage = critical, digitalSignature, keyEncipherment', 'extendedKeyUsage = serverAuth',
  'authorityKeyIdentifier = keyid',
].join('\n');

/** `openssl verify` errors as `number@depth`, in the order printed */
function opensslErrors(pki: LivePki, leaf: string, sent: string[], store: string[], atSec: number): string[] {
  const dir = pki.dir;
  const cat = (names: string[]) => names.map((n) => `${n}.pem`);
  execFileSync('sh', ['-c', `cat ${cat(store).join(' ')} > ${leaf}-store.pem; cat /dev/null ${cat(sent).join(' ')} > ${leaf}-sent.pem`], { cwd: dir });
  let out: string;
  try {
    out = execFileSync('openssl', ['verify', '-attime', String(atSec), '-purpose', 'sslserver', '-CAfile', `${leaf}-store.pem`,
      ...(sent.length > 0 ? ['-untrusted', `${leaf}-sent.pem`] : []), `${leaf}.pem`], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    out = `${err.stdout ?? ''}${err.stderr ?? ''}`;
  }
  return [...out.matchAll(/^error (\d+) at (\d+) depth lookup/gm)].map((m) => `${m[1]}@${m[2]}`);
}

describe.skipIf(!hasOpenssl3())('name constraints: the same errors as openssl verify', () => {
  const pki = new LivePki(SECTIONS);
  afterAll(() => pki.remove());
  const cert = pki.cert.bind(pki);
  const root = cert('nc-root', 'ec:P-256', null, 'sha256', 'ca');
  const dnsCa = cert('dns-ca', 'ec:P-256', root, 'sha256', 'nc_dns');
  const ipCa = cert('ip-ca', 'ec:P-256', root, 'sha256', 'nc_ip');
  const dirCa = cert('dir-ca', 'ec:P-256', root, 'sha256', 'nc_dir', '/O=Good/CN=dir-ca');
  const mailCa = cert('mail-ca', 'ec:P-256', root, 'sha256', 'nc_mail');
  const ncRoot = cert('nc-anchor', 'ec:P-256', null, 'sha256', 'nc_root');
  // an intermediate outside its own issuer's directoryName constraint
  const evilSub = cert('evil-sub', 'ec:P-256', dirCa, 'sha256', 'ca', '/O=Evil/CN=evil-sub');

  const leaf = (name: string, issuer: Made, ext: string, subject?: string) => () => cert(name, 'ec:P-256', issuer, 'sha256', ext, subject).name;
  const cases: Record<string, { leaf: () => string; sent: string[]; store: string[]; want: string[] }> = {
    dns_permitted: { leaf: leaf('l-dns-ok', dnsCa, 'san_good'), sent: ['dns-ca'], store: ['nc-root'], want: [] },
    dns_outside_permitted: { leaf: leaf('l-dns-evil', dnsCa, 'san_evil'), sent: ['dns-ca'], store: ['nc-root'], want: ['47@0'] },
    dns_excluded: { leaf: leaf('l-dns-excl', dnsCa, 'san_excluded'), sent: ['dns-ca'], store: ['nc-root'], want: ['48@0'] },
    dns_suffix_not_a_label: { leaf: leaf('l-dns-suffix', dnsCa, 'san_suffix'), sent: ['dns-ca'], store: ['nc-root'], want: ['47@0'] },
    dns_second_san_outside: { leaf: leaf('l-dns-two', dnsCa, 'san_two'), sent: ['dns-ca'], store: ['nc-root'], want: ['47@0'] },
    cn_checked_without_dns_san: { leaf: leaf('l-cn-evil', dnsCa, 'no_san', '/CN=www.evil.test'), sent: ['dns-ca'], store: ['nc-root'], want: ['47@0'] },
    cn_inside_without_dns_san: { leaf: leaf('l-cn-good', dnsCa, 'no_san', '/CN=www.good.test'), sent: ['dns-ca'], store: ['nc-root'], want: [] },
    cn_one_label_not_a_host: { leaf: leaf('l-cn-one', dnsCa, 'no_san', '/CN=localhost'), sent: ['dns-ca'], store: ['nc-root'], want: [] },
    cn_ignored_with_dns_san: { leaf: leaf('l-cn-ign', dnsCa, 'san_good', '/CN=www.evil.test'), sent: ['dns-ca'], store: ['nc-root'], want: [] },
    ip_permitted: { leaf: leaf('l-ip-ok', ipCa, 'san_ip_ok'), sent: ['ip-ca'], store: ['nc-root'], want: [] },
    ip_outside: { leaf: leaf('l-ip-bad', ipCa, 'san_ip_bad'), sent: ['ip-ca'], store: ['nc-root'], want: ['47@0'] },
    ipv6_against_ipv4_range: { leaf: leaf('l-ip6', ipCa, 'san_ip6'), sent: ['ip-ca'], store: ['nc-root'], want: ['47@0'] },
    dirname_permitted: { leaf: leaf('l-dir-ok', dirCa, 'san_good', '/O=Good/CN=l-dir-ok'), sent: ['dir-ca'], store: ['nc-root'], want: [] },
    dirname_outside: { leaf: leaf('l-dir-bad', dirCa, 'san_good', '/O=Evil/CN=l-dir-bad'), sent: ['dir-ca'], store: ['nc-root'], want: ['47@0'] },
    dirname_case_and_spaces: { leaf: leaf('l-dir-case', dirCa, 'san_good', '/O=  gOOD /CN=l-dir-case'), sent: ['dir-ca'], store: ['nc-root'], want: [] },
    intermediate_outside: { leaf: leaf('l-under-evil', evilSub, 'san_good', '/O=Good/CN=l-under-evil'), sent: ['evil-sub', 'dir-ca'], store: ['nc-root'], want: ['47@1'] },
    email_permitted: { leaf: leaf('l-mail-ok', mailCa, 'san_mail_ok'), sent: ['mail-ca'], store: ['nc-root'], want: [] },
    email_outside: { leaf: leaf('l-mail-bad', mailCa, 'san_mail_bad'), sent: ['mail-ca'], store: ['nc-root'], want: ['47@0'] },
    subject_email_outside: {
      leaf: leaf('l-mail-subj', mailCa, 'san_good', '/CN=l-mail-subj/emailAddress=ops@evil.test'), sent: ['mail-ca'], store: ['nc-root'], want: ['47@0'],
    },
    uri_excluded: { leaf: leaf('l-uri-bad', mailCa, 'san_uri_bad'), sent: ['mail-ca'], store: ['nc-root'], want: ['48@0'] },
    uri_not_excluded: { leaf: leaf('l-uri-ok', mailCa, 'san_uri_ok'), sent: ['mail-ca'], store: ['nc-root'], want: [] },
    trust_anchor_constraints: { leaf: leaf('l-anchor', ncRoot, 'no_san', '/CN=a.evil.test'), sent: [], store: ['nc-anchor'], want: ['48@0'] },
  };

  // a little after now: the certificates are made during the tests, valid from the second they are signed
  const later = () => Math.floor(Date.now() / 1000) + 60;
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => {
      const leafName = c.leaf();
      const atSec = later();
      const theirs = opensslErrors(pki, leafName, c.sent, c.store, atSec);
      expect(theirs, 'the case proves what it says (openssl)').toEqual(c.want);
      const chain = pki.chain(leafName, c.sent, c.store);
      const { issues } = verifyIssues(chain.leaf, chain.sent, chain.store, atSec * 1000);
      expect(issues.map((i) => `${i.err}@${i.depth}`)).toEqual(theirs);
    });
  }

  it('reports a violation as name_constraints with OpenSSL\'s message and which name, which CA and which constraints', () => {
    const atSec = later();
    const chain = pki.chain('l-dns-evil', ['dns-ca'], ['nc-root']);
    const v = validateChain({
      presented: [chain.leaf, ...chain.sent], store: chain.store, atMs: atSec * 1000, nowMs: atSec * 1000,
      checkedName: 'host.evil.test', checkedNameSource: 'sni', visible: true,
    });
    expect(v.status).toBe('untrusted');
    expect(v.errors[0]).toEqual({
      code: 'name_constraints', depth: 0, message: 'permitted subtree violation',
      detail: 'CN=l-dns-evil: its name DNS:host.evil.test is outside the names that CN=dns-ca may certify ' +
        '(its name constraints: permitted: DNS:good.test; excluded: DNS:bad.good.test)',
    });
    const excl = pki.chain('l-dns-excl', ['dns-ca'], ['nc-root']);
    const e = verifyIssues(excl.leaf, excl.sent, excl.store, atSec * 1000).issues[0];
    expect(e.detail).toContain('its name DNS:x.bad.good.test is among the names excluded from those that CN=dns-ca may certify');
    const ip = pki.chain('l-ip-bad', ['ip-ca'], ['nc-root']);
    expect(verifyIssues(ip.leaf, ip.sent, ip.store, atSec * 1000).issues[0].detail).toContain(
      'its name IP:192.168.1.1 is outside the names that CN=ip-ca may certify (its name constraints: permitted: IP:10.0.0.0/255.0.0.0, DNS:.good.test)');
    const dir = pki.chain('l-dir-bad', ['dir-ca'], ['nc-root']);
    expect(verifyIssues(dir.leaf, dir.sent, dir.store, atSec * 1000).issues[0].detail).toContain('its name DirName:CN=l-dir-bad,O=Evil is outside');
    expect(join(pki.dir, 'x')).toContain('tlsx-live-pki-');
  });
});
