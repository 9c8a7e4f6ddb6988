/**
 * Golden renderings of the real samples (issue #7.5): samples/lab/lab.pcap and the Traffic Server
 * run (samples/ats: capture + diags.log + error.log), each against samples/lab/ca.pem, as the
 * terminal table at 80 and 120 columns and as Markdown, in test/golden/expected/samples/.
 *
 * Nothing run-dependent may reach a golden: `now` is fixed (valid-now checks), inputs are given as
 * repo-relative paths, the tool version is replaced by a placeholder before rendering, and the
 * analysis + rendering run under a fake wall clock (Date only) and an exotic local time zone, so
 * any use of the current time or of local time shows up as a mismatch (and is asserted absent).
 * Besides the byte-exact goldens: every table line fits its width (display width, wide characters
 * counted twice), and the Markdown is checked structurally with marked's lexer.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { marked, type Token, type Tokens } from 'marked';
import { tmpdir } from 'node:os';
import { analyze, type AnalyzeOptions } from '../../src/pipeline.js';
import type { Report } from '../../src/report/model.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { renderTable } from '../../src/report/render-table.js';
import { displayWidth } from '../../src/report/text-width.js';
import { toolVersion } from '../../src/version.js';

const NOW = new Date('2026-06-01T00:00:00Z');
/** the fake wall clock during analysis: its year must never appear in a rendering */
const FAKE_WALL_CLOCK = new Date('2041-07-13T13:13:13.131Z');
const FAKE_TZ = 'Pacific/Chatham'; // UTC+12:45 / +13:45: any local-time rendering would show
const VERSION_PLACEHOLDER = 'VERSION';
const WIDTHS = [80, 120] as const;

interface SampleCase {
  name: string;
  inputs: string[];
  options: AnalyzeOptions;
  connections: number;
}

const CASES: SampleCase[] = [
  { name: 'lab', inputs: ['samples/lab/lab.pcap'], options: { truststores: ['samples/lab/ca.pem'] }, connections: 7 },
  {
    name: 'ats',
    inputs: ['samples/ats/ats.pcap'],
    options: { truststores: ['samples/lab/ca.pem'], logs: ['samples/ats/diags.log', 'samples/ats/error.log'] },
    connections: 13,
  },
];

const VERDICT_TEXT: Record<string, string> = { not_visible: 'not visible', not_checked: 'not checked' };

function verdictText(v: string): string {
  return VERDICT_TEXT[v] ?? v;
}

/** Top-level tokens grouped by the level-2 heading they follow. */
function sections(tokens: Token[]): { title: string; tokens: Token[] }[] {
  const out: { title: string; tokens: Token[] }[] = [{ title: '', tokens: [] }];
  for (const t of tokens) {
    if (t.type === 'heading' && (t as Tokens.Heading).depth <= 2) out.push({ title: (t as Tokens.Heading).text, tokens: [] });
    else out[out.length - 1].tokens.push(t);
  }
  return out;
}

interface PemBlock { summary: string; pem: string }

/** `<details><summary>…</summary>` html, then a fenced PEM, then `</details>`; anything else fails. */
function pemBlocks(tokens: Token[]): PemBlock[] {
  const ts = tokens.filter((t) => t.type !== 'space');
  const out: PemBlock[] = [];
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i];
    if (t.type !== 'html' || !t.raw.startsWith('<details>')) continue;
    const summary = /<summary>([^<]*)<\/summary>/.exec(t.raw)?.[1];
    const code = ts[i + 1];
    const close = ts[i + 2];
    expect(summary, t.raw).toBeDefined();
    expect(code?.type, `fenced code after ${t.raw}`).toBe('code');
    expect(close?.type === 'html' && close.raw.trim() === '</details>', `</details> after the PEM of ${summary}`).toBe(true);
    out.push({ summary: summary ?? '', pem: (code as Tokens.Code).text });
  }
  return out;
}

for (const c of CASES) describe(`golden renderings of samples/${c.name}`, () => {
  let report: Report;
  let savedTz: string | undefined;

  beforeAll(async () => {
    savedTz = process.env.TZ;
    process.env.TZ = FAKE_TZ;
    vi.useFakeTimers({ toFake: ['Date'], now: FAKE_WALL_CLOCK }); // for analysis and every rendering below
    const real = (await analyze(c.inputs, { ...c.options, now: NOW, hashInputs: true })).report;
    // the tool version changes with every release: keep it out of the goldens
    report = { ...real, version: VERSION_PLACEHOLDER };
  });

  afterAll(() => {
    vi.useRealTimers();
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it('analyses the sample as the README describes (guards the goldens against a wrong input)', () => {
    expect(report.connections).toHaveLength(c.connections);
    // README "Expected tool verdicts" (advisory rows such as the ECDSA preference may come on top)
    const verdicts = report.findings.filter((f) => f.verdict === 'trusted' || f.verdict === 'untrusted')
      .map((f) => `${f.server.ip}:${f.server.port} ${f.verdict} ${f.code}`);
    expect(verdicts.sort()).toEqual([
      '127.0.10.1:6972 untrusted self_signed', '127.0.10.1:8443 trusted ok',
      '127.0.10.2:8443 untrusted name_mismatch', '127.0.10.3:8443 untrusted self_signed_in_chain',
    ]);
    expect(report.captures.map((x) => x.path)).toEqual(c.inputs);
  });

  for (const width of WIDTHS) {
    it(`table at ${width} columns matches the golden, and every line fits`, async () => {
      const text = renderTable(report, { width, color: false });
      const lines = text.split('\n');
      for (const [i, l] of lines.entries()) expect(displayWidth(l), `line ${i + 1}: ${l}`).toBeLessThanOrEqual(width);
      expect(text).not.toMatch(/\x1b/);
      await expect(text).toMatchFileSnapshot(`./expected/samples/${c.name}-table-${width}.txt`);
    });
  }

  it('Markdown matches the golden', async () => {
    await expect(renderMarkdown(report)).toMatchFileSnapshot(`./expected/samples/${c.name}.md`);
  });

  it('nothing run-dependent reaches a rendering: paths, wall clock, local zone, version', () => {
    const outputs = [...WIDTHS.map((width) => renderTable(report, { width, color: false })), renderMarkdown(report)];
    for (const text of outputs) {
      expect(text).not.toContain(process.cwd());
      expect(text).not.toContain(tmpdir());
      expect(text).not.toMatch(/(^|[\s(|`])\/(home|root|tmp|work|Users)\//m);
      expect(text).not.toContain(String(FAKE_WALL_CLOCK.getUTCFullYear()));
      expect(text).not.toMatch(/\+1[23]:45|CHA[DS]T/);
      expect(text).not.toContain(`tls-extract ${toolVersion()}`);
    }
    expect(outputs[outputs.length - 1]).toContain(`tls-extract ${VERSION_PLACEHOLDER}`);
  });

  describe('Markdown structure (marked lexer)', () => {
    let tokens: Token[];
    beforeAll(() => {
      tokens = marked.lexer(renderMarkdown(report));
    });

    it('one title, then Inputs, Findings, a section per finding, Connections, Trust store, Capture summary', () => {
      const headings = tokens.filter((t): t is Tokens.Heading => t.type === 'heading');
      expect(headings.filter((h) => h.depth === 1).map((h) => h.text)).toEqual(['tls-extract report']);
      const h2 = headings.filter((h) => h.depth === 2).map((h) => h.text);
      const perFinding = report.findings.map((f) => `: ${verdictText(f.verdict)}`);
      expect(h2).toHaveLength(report.findings.length + 5);
      expect(h2.slice(0, 2)).toEqual(['Inputs', 'Findings']);
      h2.slice(2, 2 + perFinding.length).forEach((h, i) => expect(h.endsWith(perFinding[i]), h).toBe(true));
      expect(h2.slice(2 + perFinding.length)).toEqual(['Connections', 'Trust store', 'Capture summary']);
    });

    it('the inputs table lists every input with its SHA-256', () => {
      const inputs = sections(tokens).find((s) => s.title === 'Inputs')?.tokens.find((t): t is Tokens.Table => t.type === 'table');
      expect(inputs?.rows.map((r) => r[0].text)).toEqual([...c.inputs, ...(c.options.truststores ?? []), ...(c.options.logs ?? [])]);
      for (const r of inputs?.rows ?? []) expect(r[2].text).toMatch(/^`[0-9a-f]{64}`$/);
    });

    it('the findings table has one row per finding, in order, with port and verdict', () => {
      const table = sections(tokens).find((s) => s.title === 'Findings')?.tokens.find((t): t is Tokens.Table => t.type === 'table');
      expect(table?.header.map((h) => h.text)).toEqual(['Server', 'Port', 'Service', 'Key', 'Leaf CN', 'Issuer', 'Verdict', 'Log lines']);
      expect(table?.rows).toHaveLength(report.findings.length);
      report.findings.forEach((f, i) => {
        const row = table?.rows[i] ?? [];
        expect(row[0].text).toContain(f.server.ip ?? '');
        expect(row[1].text.trim()).toBe(f.server.port === null ? '' : String(f.server.port));
        expect(row[6].text).toBe(`**${verdictText(f.verdict)}**`);
      });
    });

    it('each finding section carries the PEM of every presented certificate in a <details> block', () => {
      const pems = new Map<string, string>();
      for (const conn of report.connections) for (const cert of conn.certificates) if (cert.pem) pems.set(cert.sha256, cert.pem);
      const findingSections = sections(tokens).filter((s) => s.title !== '').slice(3, 3 + report.findings.length);
      let total = 0;
      report.findings.forEach((f, i) => {
        const blocks = pemBlocks(findingSections[i].tokens);
        total += blocks.length;
        const shas = blocks.map((b) => /\(([0-9a-f]{16})\)$/.exec(b.summary)?.[1]);
        expect(new Set(shas), findingSections[i].title).toEqual(new Set(f.certificates.map((s) => s.slice(0, 16))));
        for (const b of blocks) {
          const sha = f.certificates.find((s) => b.summary.endsWith(`(${s.slice(0, 16)})`)) ?? '';
          expect(b.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+\n-----END CERTIFICATE-----$/);
          expect(b.pem).toBe(pems.get(sha)?.trim());
        }
      });
      expect(total).toBeGreaterThanOrEqual(report.findings.length);
    });
  });
});
