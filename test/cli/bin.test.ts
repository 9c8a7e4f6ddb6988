/**
 * The installed command: `node bin/tls-extract.js` as a child process (the real process.stdout /
 * stderr / exit code path of bin/, not main() with injected streams) on the committed samples.
 * Output formats, the exit code table of `--help` (src/errors.ts ExitCode), and colour rules:
 * stdout that is not a terminal, or NO_COLOR, gets no ANSI escapes. dist/ is rebuilt when stale.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ExitCode } from '../../src/errors.js';
import type { Report } from '../../src/report/model.js';
import { displayWidth } from '../../src/report/text-width.js';
import { ensureDist, ROOT } from '../package/ensure-dist.js';

const BIN = join(ROOT, 'bin', 'tls-extract.js');
const LAB = ['samples/lab/lab.pcap', '--truststore', 'samples/lab/ca.pem'];
/** CSI / OSC / other ESC sequences */
const ANSI = /\x1b[[\]()#;?]*[0-9;]*[@-~]?/;

interface Result { code: number; stdout: string; stderr: string }

/** Run the command; `env` entries set to undefined are removed from the inherited environment. */
function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Result> {
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, TLS_EXTRACT_DEBUG: undefined, ...env })) {
    if (v !== undefined) merged[k] = v;
  }
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: merged, timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') { reject(err); return; }
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
    });
  });
}

const pkgVersion = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('bin/tls-extract.js as a child process', () => {
  let tmp: string;
  beforeAll(() => {
    ensureDist();
    tmp = mkdtempSync(join(tmpdir(), 'tls-extract-bin-'));
  }, 300_000);
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('prints the verdict-first table for the lab capture, fitted to 80 columns, exit 0', async () => {
    const r = await cli([...LAB], { TERM: 'xterm-256color' });
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stderr).toBe(''); // no progress bar: stderr is not a terminal
    const lines = r.stdout.split('\n');
    // README "Expected tool verdicts": 6972, 127.0.10.2 and 127.0.10.3 untrusted, 8443 trusted (+ advisory rows)
    expect(lines[0]).toMatch(/^Verdict: 3 untrusted · 1 trusted\b.*\(5 servers, 7 TLS connections\)$/);
    expect(r.stdout).toMatch(/^Findings$/m);
    expect(r.stdout).toMatch(/│ cucm\.steven\.lab +│ 6972 +│ cucm-EC\.steven\.lab +│ UNTRUSTED +│/);
    expect(r.stdout).toMatch(/^File 1: samples\/lab\/lab\.pcap$/m);
    for (const l of lines) expect(displayWidth(l), l).toBeLessThanOrEqual(80);
    // non-TTY stdout: no colour even with a colour-capable TERM
    expect(r.stdout).not.toMatch(ANSI);
  });

  it('--json to standard output redirected to a file (written from the buffer, not the stream) is the piped bytes', async () => {
    const piped = await cli([...LAB, '--json']);
    const file = join(tmp, 'stdout.json');
    const fd = openSync(file, 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, ...LAB, '--json'], { cwd: ROOT, stdio: ['ignore', fd, 'pipe'], timeout: 60_000 });
      expect(r.status).toBe(ExitCode.ok);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(file, 'utf8')).toBe(piped.stdout);
    expect(JSON.parse(piped.stdout)).toMatchObject({ tool: 'tls-extract' });
  });

  it.skipIf(!existsSync('/dev/full'))('output that cannot be written (a full disk) is one line and exit 2, in every format', () => {
    for (const extra of [['--json'], [], ['--format', 'markdown']]) {
      const fd = openSync('/dev/full', 'w');
      try {
        const r = spawnSync(process.execPath, [BIN, ...LAB, ...extra], { cwd: ROOT, stdio: ['ignore', fd, 'pipe'], timeout: 60_000, encoding: 'utf8' });
        expect(r.status, extra.join(' ')).toBe(ExitCode.usage);
        expect(r.stderr).toBe('tls-extract: cannot write standard output: ENOSPC: no space left on device, write\n');
      } finally {
        closeSync(fd);
      }
    }
    const r = spawnSync(process.execPath, [BIN, ...LAB, '--json', '-o', '/dev/full'], { cwd: ROOT, timeout: 60_000, encoding: 'utf8' });
    expect(r.status).toBe(ExitCode.usage);
    expect(r.stderr).toBe('tls-extract: cannot write /dev/full: ENOSPC: no space left on device, write\n');
  });

  it('--json is valid against schema/report.schema.json and carries the lab verdicts', async () => {
    const r = await cli([...LAB, '--json']);
    expect(r.code).toBe(ExitCode.ok);
    const report = JSON.parse(r.stdout) as Report;
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(ROOT, 'schema/report.schema.json'), 'utf8')));
    expect(validate(report), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    expect(report.tool).toBe('tls-extract');
    expect(report.version).toBe(pkgVersion);
    expect(report.connections).toHaveLength(7);
    expect(report.captures[0]).toMatchObject({ path: 'samples/lab/lab.pcap', format: 'pcap', link_types: ['EN10MB'] });
    const codes = report.findings.map((f) => `${f.server.ip}:${f.server.port ?? '*'} ${f.verdict} ${f.code}`);
    expect(report.findings.filter((f) => f.verdict === 'untrusted')).toHaveLength(3);
    expect(codes).toEqual(expect.arrayContaining([
      '127.0.10.1:6972 untrusted self_signed', '127.0.10.2:8443 untrusted name_mismatch',
      '127.0.10.3:8443 untrusted self_signed_in_chain', '127.0.10.1:8443 trusted ok',
    ]));
  });

  it('--markdown prints the case report; --markdown=FILE writes it besides the table', async () => {
    const r = await cli([...LAB, '--markdown']);
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stdout.startsWith('# tls-extract report\n')).toBe(true);
    expect(r.stdout).toMatch(/^## Findings$/m);
    expect(r.stdout).toContain('<details>');
    expect(r.stdout).not.toMatch(/^Verdict: /m);

    const file = join(tmp, 'case.md');
    const both = await cli([...LAB, `--markdown=${file}`]);
    expect(both.code).toBe(ExitCode.ok);
    expect(both.stdout).toMatch(/^Verdict: 3 untrusted/);
    expect(readFileSync(file, 'utf8')).toBe(r.stdout);
    expect(both.stderr).toContain('wrote the Markdown report');
  });

  it('exit 3 for a missing input, 4 for an empty file, 2 for an unknown option or no input', async () => {
    const missing = await cli([join(tmp, 'nope.pcap')]);
    expect(missing.code).toBe(ExitCode.inputMissing);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^tls-extract: .*nope\.pcap/);

    const empty = join(tmp, 'empty.pcap');
    writeFileSync(empty, '');
    const e = await cli([empty]);
    expect(e.code).toBe(ExitCode.notCapture);
    expect(e.stderr).toMatch(/empty/);

    const bad = await cli(['--no-such-option', 'samples/lab/lab.pcap']);
    expect(bad.code).toBe(ExitCode.usage);
    expect(bad.stderr).toMatch(/--no-such-option/);
    expect(bad.stderr).toMatch(/--help/);
    expect(bad.stdout).toBe('');

    expect((await cli([])).code).toBe(ExitCode.usage);
  });

  it('--fail-on-untrusted turns the lab verdicts into exit 7', async () => {
    const r = await cli([...LAB, '--fail-on-untrusted', '--json']);
    expect(r.code).toBe(ExitCode.untrusted);
    expect(JSON.parse(r.stdout).findings.length).toBeGreaterThan(0);
  });

  it('--help lists options, worked examples and the exit codes; --version prints the package version', async () => {
    const h = await cli(['--help']);
    expect(h.code).toBe(ExitCode.ok);
    expect(h.stdout).toMatch(/^Usage: tls-extract /);
    const examples = h.stdout.slice(h.stdout.indexOf('Examples:'));
    expect(examples.length).toBeGreaterThan(0);
    expect(examples.match(/^ {4}tls-extract .+/gm)?.length).toBeGreaterThanOrEqual(3);
    expect(h.stdout).toMatch(/--truststore FILE/);
    for (const code of Object.values(ExitCode)) expect(h.stdout).toMatch(new RegExp(`^  ${code}  \\S`, 'm'));

    for (const flag of ['--version', '-V']) {
      const v = await cli([flag]);
      expect(v.code).toBe(ExitCode.ok);
      expect(v.stdout).toBe(`tls-extract ${pkgVersion}\n`);
    }
  });

  it('NO_COLOR wins over a colour TERM; --color always is the control that escapes are detected', async () => {
    const noColor = await cli([...LAB, '--timeline'], { NO_COLOR: '1', TERM: 'xterm-256color' });
    expect(noColor.code).toBe(ExitCode.ok);
    expect(noColor.stdout.length).toBeGreaterThan(0);
    expect(noColor.stdout).not.toMatch(ANSI);
    const forced = await cli([...LAB, '--color', 'always']);
    expect(forced.stdout).toMatch(ANSI);
  });
});
