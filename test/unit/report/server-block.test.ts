/**
 * The terminal block of one finding (report/server-block.ts): the lines beyond what the sample
 * report's golden files show (trust-store anchor not sent, missing issuer, incomplete and non-CA
 * certificates, IP SANs, many CA names, log lines past the limit, several files and days, colour).
 */
import { describe, expect, it } from 'vitest';
import type { CertificateOut, FindingOut, LogEventOut, Report } from '../../../src/report/model.js';
import { MAX_TERMINAL_LOG_LINES, chainTree, serverBlock } from '../../../src/report/server-block.js';
import { makeStyle } from '../../../src/report/summarize.js';
import { sampleReport } from '../../helpers/sample-report.js';

const plain = makeStyle(false);
const W = 120;

/** The sample report, with the finding about connection `id` (its first finding), the connection editable. */
function setup(id: number) {
  const report = sampleReport();
  const c = report.connections.find((x) => x.id === id)!;
  const f = report.findings.find((x) => x.connections.includes(id))!;
  return { report, c, f };
}
const block = (report: Report, f: FindingOut, style = plain, width = W) => serverBlock(report, f, width, style);
const ev = (line: number, time: string | null, file = 'diag.log'): LogEventOut => ({ file, line, time, kind: 'verify_failed', txn_id: null, text: `line ${line} text` });

describe('chainTree', () => {
  it('a trust-store anchor the server did not send is its own node, named from the trust store', () => {
    const { report, c } = setup(1);
    const [rsa, ca] = c.certificates;
    c.certificates = [rsa];
    const tree = chainTree(report, c, W, plain);
    expect(tree).toEqual([
      '  cucm-ms.steven.lab  [leaf]',
      `  │ subject  ${rsa.subject}`,
      `  │ issuer   ${rsa.issuer}`,
      '  │ key      RSA-2048 · sha256WithRSAEncryption',
      '  │ valid    2022-03-01 to 2024-03-01',
      '  │ SAN      DNS cucm-ms.steven.lab, cucm.steven.lab',
      `  │ sha256   ${rsa.sha256.slice(0, 16)}…`,
      '  └─ steven-DC-CA  [trust store anchor, not sent]',
      `       subject  ${ca.subject}`,
      '       expires  2031-07-01',
      `       sha256   ${ca.sha256.slice(0, 16)}…`,
    ]);
    // the anchor is painted green
    expect(chainTree(report, c, W, makeStyle(true))[7]).toBe('  └─ \x1b[32msteven-DC-CA  [trust store anchor, not sent]\x1b[39m');
    // not in the report's trust store: its hash, and '?'
    report.truststore = null;
    expect(chainTree(report, c, W, plain).slice(7)).toEqual([
      `  └─ ${ca.sha256.slice(0, 12)}  [trust store anchor, not sent]`,
      '       subject  ?',
      '       expires  ?',
      `       sha256   ${ca.sha256.slice(0, 16)}…`,
    ]);
  });

  it('an issuer neither sent nor trusted is shown as missing (red), only for unknown_issuer below a non-self-signed top', () => {
    const { report, c } = setup(1);
    const [rsa] = c.certificates;
    c.certificates = [rsa];
    c.validation = { ...c.validation, status: 'untrusted', anchor: null, chain: [rsa.sha256], errors: [{ code: 'unknown_issuer', depth: 0, message: 'unable to get local issuer certificate' }] };
    const tree = chainTree(report, c, W, plain);
    expect(tree.slice(0, 2)).toEqual(['  cucm-ms.steven.lab  [leaf]', `  │ subject  ${rsa.subject}`]);
    // the top certificate that is not self-signed shows its issuer
    expect(tree[2]).toBe(`  │ issuer   ${rsa.issuer}`);
    expect(tree.at(-1)).toBe('  └─ steven-DC-CA  [issuer not sent and not in the trust store]');
    expect(chainTree(report, c, W, makeStyle(true)).at(-1)).toBe('  └─ \x1b[31msteven-DC-CA  [issuer not sent and not in the trust store]\x1b[39m');
    // issuer DN when the issuer has no CN
    c.certificates = [{ ...rsa, issuer_cn: null }];
    expect(chainTree(report, c, W, plain).at(-1)).toBe(`  └─ ${rsa.issuer}  [issuer not sent and not in the trust store]`);
    // another error: no missing-issuer node
    c.validation = { ...c.validation, errors: [{ code: 'expired', depth: 0, message: 'certificate has expired' }] };
    expect(chainTree(report, c, W, plain).some((l) => l.includes('issuer not sent'))).toBe(false);
    // no certificates: no tree
    c.certificates = [];
    expect(chainTree(report, c, W, plain)).toEqual([]);
  });

  it('a self-signed top has no missing issuer', () => {
    const { report, c } = setup(2);
    c.validation = { ...c.validation, errors: [{ code: 'unknown_issuer', depth: 0, message: 'unable to get local issuer certificate' }] };
    const tree = chainTree(report, c, W, plain);
    expect(tree[0]).toBe('  cucm-EC.steven.lab  [leaf, self-signed]');
    expect(tree.some((l) => l.includes('issuer'))).toBe(false);
  });

  it('flags and details: not a CA, incomplete, IP SANs, empty subject and signature algorithm', () => {
    const { report, c } = setup(1);
    const [rsa, ca] = c.certificates;
    const mid: CertificateOut = { ...ca, self_signed: false, ca: false, complete: false, captured_length: 300, der_length: 900, subject: '', subject_cn: null, signature_algorithm: '', san: { dns: ['a.lab'], ip: ['10.0.0.1', '::1'] } };
    c.certificates = [rsa, mid];
    c.validation = { ...c.validation, anchor: null };
    const tree = chainTree(report, c, W, plain);
    expect(tree.slice(6)).toEqual([
      '  └─ (no subject)  [not a CA, incomplete]',
      '       subject  (empty)',
      `       issuer   ${ca.issuer}`,
      '       key      RSA-2048',
      '       valid    2021-07-01 to 2031-07-01',
      '       SAN      DNS a.lab; IP 10.0.0.1, ::1',
      `       sha256   ${ca.sha256.slice(0, 16)}…`,
      '       bytes    incomplete: captured 300 of 900',
    ]);
    c.certificates = [rsa, { ...mid, issuer: '', captured_length: undefined, der_length: undefined }];
    const t2 = chainTree(report, c, W, plain);
    expect(t2).toContain('       issuer   (empty)');
    expect(t2.at(-1)).toBe('       bytes    incomplete: captured ? of ?');
  });

  it('three levels indent by three columns each, with the bar while a child follows', () => {
    const { report, c } = setup(1);
    const [rsa, ca] = c.certificates;
    const mid = { ...ca, sha256: 'ff'.repeat(32), subject_cn: 'mid', self_signed: false };
    c.certificates = [rsa, mid, ca];
    const tree = chainTree(report, c, W, plain);
    expect(tree.filter((l) => /\[/.test(l))).toEqual(['  cucm-ms.steven.lab  [leaf]', '  └─ mid  [CA]', '     └─ steven-DC-CA  [CA, self-signed, trust anchor]']);
    expect(tree).toContain('     │ subject  ' + mid.subject);
    expect(tree).toContain('          subject  ' + ca.subject);
  });
});

describe('serverBlock', () => {
  it('the verdict is painted in the first line only', () => {
    const { report, f } = setup(2);
    f.title = 'x '.repeat(80).trim();
    const out = block(report, f, makeStyle(true), 80);
    expect(out[0].startsWith('Verdict   \x1b[31mUNTRUSTED\x1b[39m: x x')).toBe(true);
    expect(out[1]).toMatch(/^ {10}x x/);
    expect(out[1]).not.toContain('\x1b');
  });

  it('checked names: each once, with their source when known; none when nothing was checked', () => {
    const { report, f, c } = setup(1);
    const other = { ...c, id: 99, validation: { ...c.validation, checked_name: 'alt.lab', checked_name_source: undefined } };
    const none = { ...c, id: 98, validation: { ...c.validation, checked_name: null } };
    report.connections.push(other, none);
    f.connections = [1, 99, 98, 1];
    expect(block(report, f).filter((l) => l.startsWith('Checked'))).toEqual(['Checked   cucm.steven.lab (from SNI), alt.lab']);
    f.connections = [98];
    expect(block(report, f).some((l) => l.startsWith('Checked'))).toBe(false);
  });

  it('errors: each distinct one, the label on the first; no depth when none; the OpenSSL 3 text only when it differs', () => {
    const { report, f, c } = setup(1);
    c.validation = {
      ...c.validation,
      errors: [
        { code: 'expired', depth: 1, message: 'certificate has expired', message_openssl3: 'certificate has expired' },
        { code: 'not_visible', depth: null, message: 'certificate not visible' },
        { code: 'expired', depth: 1, message: 'certificate has expired' },
      ],
    };
    f.reason = '';
    const out = block(report, f);
    const at = out.findIndex((l) => l.startsWith('Errors'));
    expect(out.slice(at, at + 2)).toEqual(['Errors    expired at depth 1: certificate has expired', '          not_visible: certificate not visible']);
    expect(out.some((l) => l.startsWith('Reason'))).toBe(false);
  });

  it('a chain not visible names the version, else that no Certificate was captured', () => {
    const { report, f, c } = setup(4);
    expect(block(report, f)).toContain('Chain     not visible (TLS 1.3), seen on 1 connection');
    c.server_hello = null;
    expect(block(report, f)).toContain('Chain     not visible (no Certificate captured), seen on 1 connection');
  });

  it('the CA names a server asks client certificates from: five, then how many more', () => {
    const { report, f, c } = setup(2);
    c.certificate_request = { ca_names: ['CN=A', 'CN=B', 'CN=C', 'CN=D', 'CN=E', 'CN=F', 'CN=G'] };
    expect(block(report, f, plain, 200).filter((l) => l.startsWith('Client'))).toEqual([
      'Client    the server requested a client certificate (mutual TLS), issued by one of: CN=A; CN=B; CN=C; CN=D; CN=E (+2 more)',
    ]);
    c.certificate_request = { ca_names: ['CN=A', 'CN=B', 'CN=C', 'CN=D', 'CN=E'] };
    expect(block(report, f, plain, 200)).toContain('Client    the server requested a client certificate (mutual TLS), issued by one of: CN=A; CN=B; CN=C; CN=D; CN=E');
    c.certificate_request = { ca_names: ['CN=A'] };
    expect(block(report, f)).toContain('Client    the server requested a client certificate (mutual TLS), issued by one of: CN=A');
    for (const x of report.connections) x.client_certificate_requested = false;
    expect(block(report, f).some((l) => l.startsWith('Client'))).toBe(false);
  });

  it('notes: the label on the first only; fixes numbered', () => {
    const { report, f, c } = setup(1);
    c.notes = ['first note', 'second note'];
    f.fix = ['one', 'two'];
    const out = block(report, f);
    const at = out.indexOf('Notes     first note');
    expect(out[at + 1]).toBe('          second note');
    expect(out.slice(out.indexOf('Fix:'), out.indexOf('Fix:') + 3)).toEqual(['Fix:', '  1. one', '  2. two']);
    f.fix = [];
    expect(block(report, f)).not.toContain('Fix:');
  });

  it(`log lines: at most ${MAX_TERMINAL_LOG_LINES}, then how many more; file names when several; dates when several days`, () => {
    const { report, f, c } = setup(1);
    c.log_events = Array.from({ length: MAX_TERMINAL_LOG_LINES + 2 }, (_, i) => ev(i + 1, `2022-07-11T16:55:${String(10 + i).padStart(2, '0')}.000Z`));
    let out = block(report, f);
    expect(out).toContain(`Log lines (${MAX_TERMINAL_LOG_LINES + 2}) from diag.log:`);
    expect(out).toContain('  16:55:10.000  line 1  verify_failed');
    expect(out).toContain('    line 1 text');
    expect(out.filter((l) => l.includes('  verify_failed'))).toHaveLength(MAX_TERMINAL_LOG_LINES);
    expect(out.at(-1)).toBe('  … 2 more (--timeline or --markdown shows all)');

    c.log_events = [ev(1, '2022-07-11T16:55:10.000Z', 'a.log'), ev(2, '2022-07-12T00:00:01.000Z', 'b.log'), ev(3, null, 'b.log')];
    out = block(report, f);
    expect(out).toContain('Log lines (3):');
    expect(out).toContain('  2022-07-11 16:55:10.000  a.log:1  verify_failed');
    expect(out).toContain('  2022-07-12 00:00:01.000  b.log:2  verify_failed');
    expect(out).toContain('  -  b.log:3  verify_failed');
    expect(out.at(-1)).toBe('    line 3 text');

    c.log_events = Array.from({ length: MAX_TERMINAL_LOG_LINES }, (_, i) => ev(i + 1, null));
    expect(block(report, f).some((l) => l.includes('more (--timeline'))).toBe(false);
    c.log_events = [];
    expect(block(report, f).some((l) => l.startsWith('Log lines'))).toBe(false);
  });

  it('every line fits the width', () => {
    const { report, f, c } = setup(2);
    c.certificate_request = { ca_names: Array.from({ length: 7 }, (_, i) => `CN=Some Long Certificate Authority Name ${i},O=Example Organisation`) };
    for (const width of [60, 80]) for (const l of block(report, f, plain, width)) expect(l.length, l).toBeLessThanOrEqual(width);
  });
});

