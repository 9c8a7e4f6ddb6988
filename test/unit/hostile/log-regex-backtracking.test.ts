/**
 * Log lines are untrusted text up to limits.maxLogLineBytes (64 KiB): no line shape may make a
 * pattern backtrack quadratically. Each case below is a real Traffic Server line cut at a field and
 * padded with 50,000 characters of one kind; linear patterns parse every case in milliseconds, the
 * patterns these replaced took from seconds (a blank run after `server=`, 24,000 blanks: 1.9 s) to
 * hours (`failed for (` + blanks, cubic). The cases run in a child process killed after 10 s (a
 * synchronous regular expression cannot be interrupted in-process): linear, they take well under a
 * second together.
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { parseLog } from '../../../src/logs/parse-log.js';
import { matchAtsMessage } from '../../../src/logs/formats/ats-messages.js';
import { Diagnostics } from '../../../src/diagnostics/diagnostics.js';
import { resolveLimits } from '../../../src/options.js';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/logs');
const N = 50_000;
const limits = resolveLimits({});

async function parseLine(text: string) {
  return parseLog((async function* () { yield Buffer.from(`${text}\n`); })(), { name: 'hostile.log', limits, diag: new Diagnostics(), yearHint: 2026 });
}

describe('log patterns stay linear on hostile lines', () => {
  const verify = 'Core server certificate verification failed for (cucm.steven.lab). Action=Terminate Error=self signed certificate server=cucm.steven.lab(127.0.10.1) depth=0';
  const sni = 'SNI (cucm.steven.lab) not in certificate. Action=Terminate server=cucm.steven.lab(127.0.10.1)';
  const connect = "CONNECT: attempt fail [CONNECTION_ERROR] to 127.0.10.1:6972 for host='cucm.steven.lab' connection_result=ERR_CONNECT_FAIL error=connection refused attempts=1 url='https://cucm.steven.lab:6972/'";

  const cases: [string, string][] = [
    ['blanks after "failed for ("', `Core server certificate verification failed for (${' '.repeat(N)}x`],
    ['blanks after "Error="', `Core server certificate verification failed for (a) Action=Terminate Error=${' '.repeat(N)}x`],
    ['blanks after "server="', `${verify.slice(0, verify.indexOf('server=') + 7)}${' '.repeat(N)}`],
    ['blanks inside the address parentheses', `${verify.slice(0, verify.indexOf('(127') + 1)}${' '.repeat(N)}x`],
    ['blanks inside SNI ( )', `SNI (a${' '.repeat(N)}) not in certificate`],
    ['blanks after the SNI server=', `${sni.slice(0, sni.indexOf('server=') + 7)}${' '.repeat(N)}`],
    ['blanks after error=', `${connect.slice(0, connect.indexOf('error=') + 6)}${' '.repeat(N)}x`],
    ['alternating blanks and words after connection_result=', `${connect.slice(0, connect.indexOf('connection_result=') + 18)}${' a'.repeat(N / 2)}`],
    // a CR left inside the line: `\s*:?\s*(.*)$` without the s flag was cubic (1,000 blanks: 1.3 s)
    ['blanks and a CR after the quoted SNI of SSL connection failed', `SSL connection failed for 'a'${' '.repeat(N)}x\rx`],
    ['blanks and a CR after the host of CONNECT: attempt fail', `${connect.slice(0, connect.indexOf("'cucm.steven.lab'") + 17)}${' '.repeat(N)}x\rx`],
    // keyword starts repeated over the line: unanchored, each start ran its `[^)]*` field to the end of the
    // line (60 KB of `SNI(s` then the keyword: 4.3 s); fields are bounded and the text is cut to a window.
    // These run on 200 KB (matchAtsMessage has no cap of its own): the old patterns took minutes
    ['"SNI(" repeated, then the keyword', `${'SNI(s'.repeat(N * 4 / 5)} not in certificate`],
    ['"SNI (a" repeated, then the keyword', `${'SNI (a'.repeat(N * 4 / 6)} not in certificate`],
    ['"Origin hostname( " repeated, then the keyword', `${'Origin hostname( '.repeat(N * 4 / 17)} not in certificate`],
    ['"CONNECT:could not connect[" repeated', 'CONNECT:could not connect[C'.repeat(N * 4 / 27)],
    ['"Hostname verification failed for (" repeated', 'Hostname verification failed for ('.repeat(N * 4 / 34)],
    ['error= and tabs after a CONNECT host', `CONNECT: attempt fail [X] to 1.2.3.4 for host='a' er${'error='.repeat(N * 4 / 6)}ror=0${'\t0'.repeat(N / 4)}`],
    ['many server= tokens after Error=', `Core server certificate verification failed for (a) Action=Terminate Error=x${' server=a'.repeat(N / 9)}`],
  ];

  // whole lines through the log parser: blanks after the syslog head (the diag-level pattern split them)
  const head = '2026-11-26T23:11:13.750+02:00 vcsc traffic_server[18242]: ';
  const lineCases: [string, string][] = [
    ['syslog head + blanks', `${head}${' '.repeat(60_000)}`],
    ['syslog head + tabs', `${head}${'\t'.repeat(60_000)}x`],
    ['syslog host + blanks', `2026-11-26T23:11:13.750+02:00 vcsc ${' '.repeat(N)}`],
    ['ATS diags head + blanks', `[Nov 26 20:59:20.952] ${' '.repeat(N)}`],
    // a CR inside the line (the splitter keeps all but the one before LF): `\s*(.*)$` without the s flag
    // re-scanned the rest of the line from each blank, 3.5 s at 40,000 blanks
    ['ATS diags head + blanks + CR', `[Nov 26 20:59:20.952] ${' '.repeat(N)}x\rx`],
    ['ATS error.log head + blanks + CR', `20261126.20h59m21s ${' '.repeat(N)}x\rx`],
    // the same in the BSD syslog framing (RFC 3164) of a loggingsnapshot: `\s+(.*)$` took 2.3 s at 20,000 blanks
    ['BSD syslog head + blanks + CR', `Nov 26 20:59:20 vcsc${' '.repeat(N)}x\rx`],
    ['BSD syslog head + process + blanks + CR', `Nov 26 20:59:20 vcsc traffic_server[18242]:${' '.repeat(N)}x\rx`],
    ['key=value run', `${head}UTCTime="2026-11-26 21:11:13,750" ${'a= '.repeat(N / 3)}`],
    ['Expressway verify line + blanks after server=', `${head}[ET_NET 0] WARNING: ${verify.slice(0, verify.indexOf('server=') + 7)}${' '.repeat(N)}`],
  ];

  it('every hostile shape is matched (or rejected) without backtracking, in a child process killed at 10 s', () => {
    const dist = resolve(import.meta.dirname, '../../../dist/src');
    expect(existsSync(`${dist}/logs/parse-log.js`), 'dist/ is built by npm ci (prepare)').toBe(true);
    const url = (p: string) => JSON.stringify(pathToFileURL(`${dist}/${p}`).href);
    const script = `
      import { matchAtsMessage } from ${url('logs/formats/ats-messages.js')};
      import { parseLog } from ${url('logs/parse-log.js')};
      import { Diagnostics } from ${url('diagnostics/diagnostics.js')};
      import { resolveLimits } from ${url('options.js')};
      import { readFileSync } from 'node:fs';
      const { cases, lineCases } = JSON.parse(readFileSync(0, 'utf8'));
      for (const [name, text] of cases) {
        matchAtsMessage(text);
        matchAtsMessage('[Nov 26 20:59:20.952] [ET_NET 1] WARNING: ' + text);
        process.stdout.write(name + '\\n');
      }
      for (const [name, text] of lineCases) {
        const log = await parseLog((async function* () { yield Buffer.from(text + '\\n'); })(), { name: 'x', limits: resolveLimits({}), diag: new Diagnostics(), yearHint: 2026 });
        if (log.lines !== 1) throw new Error(name + ': ' + log.lines + ' lines');
        process.stdout.write(name + '\\n');
      }`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { input: JSON.stringify({ cases, lineCases }), timeout: 10_000, encoding: 'utf8', maxBuffer: 1 << 20 });
    expect(r.error).toBeUndefined();
    expect(r.signal, `killed after: ${r.stdout.trim().split('\n').pop() ?? '(none)'}`).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([...cases, ...lineCases].map(([name]) => name));
  }, 30_000);

  it.each(cases)('in process too: %s', (_name, text) => {
    expect(() => matchAtsMessage(text)).not.toThrow();
  });

  it('still reads the real lines (fields trimmed as before)', () => {
    expect(matchAtsMessage(verify)).toMatchObject({ kind: 'verify_failed', sni: 'cucm.steven.lab', action: 'Terminate', error: 'self signed certificate', serverName: 'cucm.steven.lab', serverIp: '127.0.10.1', depth: 0 });
    expect(matchAtsMessage(verify.replace('(cucm.steven.lab)', '(  cucm.steven.lab  )').replace('Error=', 'Error =  ').replace('server=cucm.steven.lab(127.0.10.1)', 'server=(127.0.10.1 )')))
      .toMatchObject({ kind: 'verify_failed', sni: 'cucm.steven.lab', error: 'self signed certificate', serverName: null, serverIp: '127.0.10.1', depth: 0 });
    expect(matchAtsMessage(sni)).toMatchObject({ kind: 'sni_mismatch', sni: 'cucm.steven.lab', serverName: 'cucm.steven.lab', serverIp: '127.0.10.1' });
    expect(matchAtsMessage(connect)).toMatchObject({ kind: 'connect_attempt_failed', serverIp: '127.0.10.1', serverPort: 6972, error: 'connection refused' });
    // a long line is read in a window around the keyword: a message after 20 KB of other text is still found
    const pad = 'x '.repeat(10_000);
    expect(matchAtsMessage(`${pad}${verify}${pad}`)).toMatchObject({ kind: 'verify_failed', sni: 'cucm.steven.lab', serverIp: '127.0.10.1', depth: 0 });
    expect(matchAtsMessage(`${pad}${sni}${pad}`)).toMatchObject({ kind: 'sni_mismatch', sni: 'cucm.steven.lab', serverIp: '127.0.10.1' });
    expect(matchAtsMessage(`${pad}${connect} ${pad}`)).toMatchObject({ kind: 'connect_attempt_failed', serverPort: 6972, error: 'connection refused' });
    expect(matchAtsMessage(`${pad}SSL connection failed for 'cucm.steven.lab': unknown ca`)).toMatchObject({ kind: 'ssl_connect_failed', sni: 'cucm.steven.lab', error: 'unknown ca' });
  });

  it('whole files: every fixture line cut at each field and padded with blanks parses without backtracking', async () => {
    const lines = readFileSync(`${FIXTURES}/ats92-diags.log`, 'utf8').split('\n').filter((l) => /verification failed|not in certificate|CONNECT:/.test(l)).slice(0, 6);
    expect(lines.length).toBeGreaterThan(0);
    let parsed = 0;
    for (const line of lines) {
      for (const m of line.matchAll(/[=(:]/g)) {
        const cut = m.index! + 1;
        const log = await parseLine(`${line.slice(0, cut)}${' '.repeat(20_000)}${line.slice(cut)}`);
        expect(log.lines).toBe(1);
        parsed++;
      }
    }
    expect(parsed).toBeGreaterThan(20);
  }, 30_000);
});
