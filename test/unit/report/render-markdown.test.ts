import { describe, expect, it } from 'vitest';
import { marked, type Token, type Tokens } from 'marked';
import { renderMarkdown } from '../../../src/report/render-markdown.js';
import { redactReport } from '../../../src/report/redact.js';
import { hostileReport, sampleReport } from '../../helpers/sample-report.js';

function walk(tokens: Token[], f: (t: Token) => void): void {
  for (const t of tokens) {
    f(t);
    const children = (t as { tokens?: Token[] }).tokens;
    if (children) walk(children, f);
    if (t.type === 'list') for (const item of (t as Tokens.List).items) walk(item.tokens, f);
  }
}

function lex(md: string): Token[] {
  return marked.lexer(md);
}

describe('renderMarkdown structure (marked lexer)', () => {
  const md = renderMarkdown(sampleReport());
  const tokens = lex(md);
  const headings = tokens.filter((t): t is Tokens.Heading => t.type === 'heading');

  it('has one title and the expected sections', () => {
    expect(headings.filter((h) => h.depth === 1).map((h) => h.text)).toEqual(['tls-extract report']);
    const h2 = headings.filter((h) => h.depth === 2).map((h) => h.text);
    expect(h2).toEqual([
      'Inputs', 'Findings',
      '10.48.36.215:6972 cucm.steven.lab: untrusted', '10.48.36.215:8443: untrusted',
      '10.48.36.216:7400 imp.steven.lab: not visible', '10.48.36.215:8443 cucm.steven.lab: trusted',
      'Connections', 'Trust store', 'Capture summary',
    ]);
  });
  it('states the tool version and the inputs with SHA-256', () => {
    expect(md).toContain('tls-extract 0.1.0 (report schema 1)');
    const inputs = tokens.find((t): t is Tokens.Table => t.type === 'table' && t.header[0].text === 'Input');
    expect(inputs?.rows[0][0].text).toContain('diagnostic');
    expect(inputs?.rows[0][2].text).toMatch(/^`[0-9a-f]{64}`$/);
  });
  it('has one findings table row per finding with 8 columns', () => {
    const t = tokens.find((x): x is Tokens.Table => x.type === 'table' && x.header[0].text === 'Server');
    expect(t?.header.map((h) => h.text)).toEqual(['Server', 'Port', 'Service', 'Key', 'Leaf CN', 'Issuer', 'Verdict', 'Log lines']);
    expect(t?.rows.length).toBe(4);
    expect(t?.rows.map((r) => r[6].text)).toEqual(['**untrusted**', '**untrusted**', '**not visible**', '**trusted**']);
  });
  it('puts every PEM in a details block and log excerpts in fenced code', () => {
    const html = tokens.filter((t) => t.type === 'html').map((t) => t.raw.trim());
    const opens = html.filter((h) => h.startsWith('<details>'));
    expect(opens.length).toBe(5); // 1 (6972) + 2 (8443 by IP) + 2 (8443 by name)
    expect(html.filter((h) => h === '</details>').length).toBe(5);
    const code = tokens.filter((t): t is Tokens.Code => t.type === 'code');
    expect(code.filter((c) => c.text.startsWith('-----BEGIN CERTIFICATE-----')).length).toBe(5);
    const logs = code.filter((c) => c.text.includes('traffic_server'));
    expect(logs.length).toBe(4); // three servers with log lines + unmatched events
    expect(logs[0].text.split('\n').length).toBe(5);
  });
  it('lists the fix as an ordered list and the chain as a numbered list', () => {
    const lists = tokens.filter((t): t is Tokens.List => t.type === 'list' && t.ordered);
    expect(lists.some((l) => l.items[0].text.startsWith('Upload cucm-EC.steven.lab'))).toBe(true);
    expect(lists.some((l) => l.items[0].text.startsWith('**cucm-EC.steven.lab** (leaf, self-signed)'))).toBe(true);
  });
  it('golden', async () => {
    await expect(md).toMatchFileSnapshot('../../golden/expected/render/sample.md');
  });
});

describe('hostile strings in Markdown', () => {
  const md = renderMarkdown(hostileReport());
  const tokens = lex(md);

  it('contains no raw control, bidi or zero-width characters', () => {
    expect(md).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/u);
  });
  it('injects no HTML beyond our details/summary blocks', () => {
    walk(tokens, (t) => {
      if (t.type === 'html') expect(t.raw.trim()).toMatch(/^(<details>\n<summary>[^<]*<\/summary>|<\/details>|<br>)$/);
    });
    // only inside fenced code (literal text) may the log's <script> appear
    const outsideCode = tokens.filter((t) => t.type !== 'code').map((t) => t.raw).join('');
    expect(outsideCode).not.toContain('<script>');
    expect(md).toContain('<script>');
  });
  it('keeps the findings table shape (pipes escaped)', () => {
    const t = tokens.find((x): x is Tokens.Table => x.type === 'table' && x.header[0].text === 'Server');
    expect(t?.rows.length).toBe(4);
    for (const r of t?.rows ?? []) expect(r.length).toBe(8);
  });
  it('keeps log excerpts inside their fence despite backtick runs', () => {
    const code = tokens.filter((x): x is Tokens.Code => x.type === 'code');
    const hostile = code.find((c) => c.text.includes('<script>'));
    expect(hostile?.text).toContain('``` \\x1b[31mred\\x1b[0m \\x9b2J # not a heading');
    const headings = tokens.filter((x): x is Tokens.Heading => x.type === 'heading');
    expect(headings.some((h) => h.text.includes('not a heading'))).toBe(false);
  });
});

describe('redacted Markdown', () => {
  it('says so, hides users and IPs, and omits PEMs with --redact-ips', () => {
    const { report, summary } = redactReport(sampleReport(), { users: true, ips: true });
    const md = renderMarkdown(report, { redaction: summary });
    expect(md).toContain('> Redacted: 1 user name and 3 IP addresses replaced by pseudonyms; PEM certificates omitted');
    expect(md).not.toContain('emusk');
    expect(md).not.toContain('10.48.36.215');
    expect(md).not.toContain('BEGIN CERTIFICATE');
  });
});
