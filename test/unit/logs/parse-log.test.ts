import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_EVENTS_PER_LOG, MAX_PRIORITY_EVENTS, parseLog, type ParseLogOptions } from '../../../src/logs/parse-log.js';
import type { ParsedLog } from '../../../src/logs/types.js';
import { Diagnostics } from '../../../src/diagnostics/diagnostics.js';
import { DEFAULT_LIMITS } from '../../../src/options.js';
import { headKind, MAX_EVENT_TEXT } from '../../../src/logs/entry.js';

const FIX = fileURLToPath(new URL('../../fixtures/logs/', import.meta.url));
const iso = (t: number | null): string | null => (t === null ? null : new Date(t / 1000).toISOString());

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? new TextEncoder().encode(p) : p;
}

async function parse(src: string | AsyncIterable<Uint8Array>, extra: Partial<ParseLogOptions> = {}): Promise<ParsedLog & { diag: Diagnostics }> {
  const diag = new Diagnostics();
  const r = await parseLog(src, { name: 'test.log', limits: DEFAULT_LIMITS, diag, ...extra });
  return { ...r, diag };
}

const TS = '2022-07-11T18:55:26.016+02:00 vcsc traffic_server[18242]:';
const KV_LINE = (txn: string, utc = '2022-07-11 16:55:26,006'): string =>
  `2022-07-11T18:55:26.006+02:00 vcsc traffic_server[18242]: UTCTime="${utc}" Module="network.http.trafficserver" Level="INFO": Detail="Sending Request" Txn-id="${txn}" TrackingID="t" Dst-ip="10.48.36.215" Dst-port="6972" Msg="GET /CSFemusk.cnf.xml HTTP/1.1" `;

describe('parseLog: Expressway loggingsnapshot (seed, reconstructed)', () => {
  it('finds every event with its fields; the header comment is one skipped line', async () => {
    const r = await parse(FIX + 'expressway-seed-reconstructed.log', { name: 'seed.log' });
    expect(r.format).toBe('expressway');
    expect(r.lines).toBe(25);
    expect(r.skipped).toBe(1);
    expect(r.events.map((e) => `${e.line}:${e.kind}`)).toEqual([
      '2:request_received', '3:request_allowed', '4:request_sent', '5:response_received', '6:response_sent',
      '7:request_received', '8:request_sent', '9:request_sent', '10:verify_failed', '11:ssl_connect_failed', '12:response_sent',
      '13:request_received', '18:request_sent', '19:request_sent', '24:sni_mismatch', '25:ssl_connect_failed',
    ]);
    expect(r.timeRange?.map(iso)).toEqual(['2022-07-11T16:55:25.910Z', '2022-07-11T17:49:01.491Z']);
  });

  it('reads the verification warning, the SSL error and the 502', async () => {
    const r = await parse(FIX + 'expressway-seed-reconstructed.log', { name: 'seed.log' });
    const at = (line: number) => r.events.find((e) => e.line === line)!;
    expect(at(10)).toMatchObject({
      file: 'seed.log', kind: 'verify_failed', level: 'WARNING', sni: 'cucm.steven.lab', action: 'Terminate', error: 'self signed certificate',
      serverName: 'cucm.steven.lab', serverIp: '10.48.36.215', depth: 0, pid: 18242,
    });
    expect(iso(at(10).timeMicros)).toBe('2022-07-11T16:55:26.016Z');
    expect(at(10).text).toBe(readFileSync(FIX + 'expressway-seed-reconstructed.log', 'utf8').split('\n')[9]);
    expect(at(11)).toMatchObject({ kind: 'ssl_connect_failed', level: 'ERROR', sni: 'cucm.steven.lab', error: 'error:1416F086:SSL routines:tls_process_server_certificate:certificate verify failed' });
    expect(at(12)).toMatchObject({ kind: 'response_sent', txnId: '191', status: 502, reason: 'connect failed', srcIp: '127.0.0.1', srcPort: 35766 });
    expect(at(8)).toMatchObject({ kind: 'request_sent', txnId: '191', trackingId: 'bb0c8492-8c15-4537-a7d1-082dde781dbd', serverIp: '10.48.36.215', serverPort: 6972, method: 'GET', url: '/CSFemusk.cnf.xml' });
  });

  it('UTCTime is authoritative (Request Allowed: prefix .917, UTCTime ,916)', async () => {
    const r = await parse(FIX + 'expressway-seed-reconstructed.log');
    const allowed = r.events.find((e) => e.kind === 'request_allowed')!;
    expect(iso(allowed.timeMicros)).toBe('2022-07-11T16:55:25.916Z');
    expect(allowed).toMatchObject({ method: 'GET', url: 'https://cucm.steven.lab:8443/cucm-uds/user/emusk/devices', serverName: 'cucm.steven.lab', serverPort: 8443 });
  });

  it('takes the request line of a multi-line HTTPMSG entry and decodes the MRA segment', async () => {
    const r = await parse(FIX + 'expressway-seed-reconstructed.log');
    const rr = r.events.find((e) => e.line === 13)!;
    expect(rr).toMatchObject({ kind: 'request_received', level: 'DEBUG', txnId: '144', srcPort: 30044, method: 'GET' });
    expect(rr.url).toBe('http://vcs_control.steven.lab:8443/c3RldmVuLmxhYi9odHRwcy8xMC40OC4zNi4yMTUvODQ0Mw/cucm-uds/user/emusk/devices?max=100');
    expect(rr.mra).toEqual({ domain: 'steven.lab', scheme: 'https', host: '10.48.36.215', port: 8443 });
    expect(r.events.find((e) => e.line === 19)).toMatchObject({ level: 'DEBUG', url: '/cucm-uds/user/emusk/devices?max=100' });
  });

  it('parses the seed text as the technote printed it (wrapped warning, Msg value split over lines)', async () => {
    const wrapped = [
      `${TS} [ET_NET 0] `, '', 'WARNING: Core server certificate verification failed for', '', ' (cucm.steven.lab). ', '',
      'Action=Terminate Error=self signed certificate server=cucm.steven.lab(10.48.36.215)', '', ' ', '', 'depth=0', '', ' ',
      '2022-07-11T18:55:25.956+02:00 vcsc traffic_server[18242]: UTCTime="2022-07-11 16:55:25,955" Module="network.http.trafficserver" Level="INFO": Detail="Sending Response" Txn-id="189" TrackingID="" Dst-ip="127.0.0.1" Dst-port="35764" Msg="HTTP/1.1 ',
      '', '200', '', ' " ',
    ].join('\n');
    const r = await parse(chunks(wrapped));
    expect(r.events).toHaveLength(2);
    expect(r.events[0]).toMatchObject({ kind: 'verify_failed', level: 'WARNING', sni: 'cucm.steven.lab', serverIp: '10.48.36.215', depth: 0, line: 1 });
    expect(r.events[1]).toMatchObject({ kind: 'response_sent', status: 200, line: 14 });
  });

  it('joins a wrapped warning whose first line alone already reads as a generic TLS warning', async () => {
    // the first line ends inside the message: by itself it is a WARNING about a certificate (kind `other`)
    const wrapped = [
      `${TS} [ET_NET 0] WARNING: Core server certificate verification failed for`,
      ' (cucm.steven.lab). Action=Terminate Error=self signed certificate',
      ' server=cucm.steven.lab(10.48.36.215) depth=0',
      `${TS} [ET_NET 0] WARNING: SSL certificate store could not be refreshed`,
      ' (it stays as it was)',
    ].join('\n');
    const r = await parse(chunks(wrapped));
    expect(r.events.map((e) => e.kind)).toEqual(['verify_failed', 'other']);
    expect(r.events[0]).toMatchObject({ level: 'WARNING', sni: 'cucm.steven.lab', action: 'Terminate', error: 'self signed certificate', serverIp: '10.48.36.215', depth: 0, line: 1 });
    // a continuation that completes no specific message leaves the generic reading of the first line
    expect(r.events[1]).toMatchObject({ level: 'WARNING', line: 4 });
  });

  it('other Expressway formats: tvcs TCP close, BSD syslog prefix, no-process edgeconfigprovisioning line', async () => {
    const log = [
      '2015-05-07T07:34:01-04:00 host tvcs: UTCTime="2015-05-07 11:34:01,081" Module="network.tcp" Level="DEBUG": Src-ip="10.50.47.16" Src-port="45215" Dst-ip="10.50.47.51" Dst-port="5061" Detail="TCP Connection Closed" Reason="no certificate returned"',
      "Jul 11 18:55:26 vcsc traffic_server[18242]: [ET_NET 0] WARNING: SNI (cucm.lab) not in certificate. Action=Continue server=cucm.lab(10.1.1.1)",
      '2014-09-25T13:46:20-04:00 RTP-TBTP-EXPRWY-C UTCTime="2014-09-25 17:46:20,92" Module="developer.edgeconfigprovisioning.server" Level="DEBUG" Detail="Failed to authenticate user against server"',
      'Event="Outbound TLS Negotiation Error" Service="SIP" Src-ip="10.48.80.161"',
    ].join('\n');
    const r = await parse(chunks(log), { yearHint: 2022, tz: '+02:00' });
    expect(r.events.map((e) => e.kind)).toEqual(['tcp_closed', 'sni_mismatch']);
    expect(r.events[0]).toMatchObject({ srcIp: '10.50.47.16', srcPort: 45215, serverIp: '10.50.47.51', serverPort: 5061, reason: 'no certificate returned' });
    expect(iso(r.events[1].timeMicros)).toBe('2022-07-11T16:55:26.000Z');
    // the last line has no timestamp: a continuation of the edgeconfigprovisioning entry
    expect(r.skipped).toBe(0);
  });
});

describe('parseLog: real Traffic Server 9.2 logs', () => {
  it('diags.log: warnings and ssl.error debug lines, local time with the year hint', async () => {
    const r = await parse(FIX + 'ats92-diags.log', { yearHint: 2026 });
    expect(r.format).toBe('ats_diags');
    expect(r.lines).toBe(96);
    expect(r.skipped).toBe(0);
    const count = (k: string) => r.events.filter((e) => e.kind === k).length;
    expect([count('verify_failed'), count('sni_mismatch'), count('ssl_connect_failed')]).toEqual([8, 4, 12]);
    expect(r.events[0]).toMatchObject({ line: 41, kind: 'verify_failed', level: 'WARNING', sni: '127.0.93.2', error: 'self-signed certificate', serverIp: '127.0.93.2' });
    expect(iso(r.events[0].timeMicros)).toBe('2026-11-26T20:59:20.952Z');
    expect(r.events[1]).toMatchObject({ kind: 'ssl_connect_failed', level: 'DEBUG', error: 'error:0A000086:SSL routines::certificate verify failed' });
  });

  it('diags.log local time in another zone (fixed offset and IANA name)', async () => {
    const plus2 = await parse(FIX + 'ats92-diags.log', { yearHint: 2026, tz: '+02:00' });
    expect(iso(plus2.events[0].timeMicros)).toBe('2026-11-26T18:59:20.952Z');
    const bru = await parse(FIX + 'ats92-diags.log', { yearHint: 2026, tz: 'Europe/Brussels' });
    expect(iso(bru.events[0].timeMicros)).toBe('2026-11-26T19:59:20.952Z');
  });

  it('error.log: CONNECT attempt fail lines with port, one-second precision', async () => {
    const r = await parse(FIX + 'ats92-error.log');
    expect(r.format).toBe('ats_error');
    expect(r.events).toHaveLength(12);
    expect(r.events.every((e) => e.kind === 'connect_attempt_failed' && e.timePrecisionMs === 1000)).toBe(true);
    expect(r.events.map((e) => e.serverPort)).toEqual([...Array(8).fill(28443), ...Array(4).fill(28444)]);
    expect(iso(r.events[11].timeMicros)).toBe('2026-11-26T20:59:21.000Z');
  });

  it('diags lines across New Year get the next year; a time hint picks the previous year', async () => {
    const text = '[Dec 31 23:59:59.900] [ET_NET 0] WARNING: SNI (a.lab) not in certificate. Action=Terminate server=a.lab(10.0.0.1)\n'
      + '[Jan  1 00:00:00.100] [ET_NET 0] WARNING: SNI (a.lab) not in certificate. Action=Terminate server=a.lab(10.0.0.1)\n';
    const r = await parse(chunks(text), { yearHint: 2023 });
    expect(r.events.map((e) => iso(e.timeMicros))).toEqual(['2023-12-31T23:59:59.900Z', '2024-01-01T00:00:00.100Z']);
    const h = await parse(chunks(text), { timeHintMicros: Date.UTC(2024, 0, 1, 0, 0, 30) * 1000 });
    expect(h.events.map((e) => iso(e.timeMicros))).toEqual(['2023-12-31T23:59:59.900Z', '2024-01-01T00:00:00.100Z']);
    const none = await parse(chunks(text));
    expect(none.diag.count('log.year_assumed')).toBe(1);
  });
});

describe('parseLog: Traffic Server diags.log and error.log lines, one at a time', () => {
  const at = '[Nov 26 20:59:21.000]';
  const SNI = 'SNI (a.lab) not in certificate. Action=Terminate server=a.lab(10.0.0.1)';
  const CONNECT = "CONNECT: attempt fail [CONNECTION_ERROR] to 127.0.0.1:28443 for host='a' connection_result=ECONNREFUSED [111] error=ECONNREFUSED [111] attempts=0 url='https://a/'";

  it('a severe level with a TLS word is kept as kind other; a milder level, no TLS word or no level word is not', async () => {
    const r = await parse(chunks([
      `${at} [ET_NET 0] WARNING: SSL certificate store could not be refreshed`,
      `${at} [ET_NET 0] ERROR: TLS handshake timed out`,
      `${at} [ET_NET 0] NOTE: SSL certificate loaded`,
      `${at} [ET_NET 0] WARNING: disk cache is full`,
      `${at} [ET_NET 0] traffic_server certificate handshake`,
      `${at} [ET_NET 0] DEBUG: <SSLNetVConnection.cc:1 (f)> (ssl.error) TLS handshake done`,
    ].join('\n') + '\n'), { yearHint: 2026 });
    expect(r.events.map((e) => `${e.line}:${e.kind}:${e.level}`)).toEqual(['1:other:WARNING', '2:other:ERROR']);
    expect(r.diag.count('internal.logs.parse')).toBe(0);
  });

  it('a message without a level word is read with level null; a line with nothing known is no event and no error', async () => {
    const r = await parse(chunks(`${at} ${SNI}\n${at} [ET_NET 0] NOTE: nothing here\n`), { yearHint: 2026 });
    expect(r.events).toHaveLength(1);
    expect(r.events[0]).toMatchObject({ line: 1, kind: 'sni_mismatch', level: null, sni: 'a.lab' });
    expect(r.diag.count('internal.logs.parse')).toBe(0);
  });

  it('a bracket head that is not a diags timestamp (comma before the milliseconds) is no event, not an internal error', async () => {
    const r = await parse(chunks(`[Nov 26 20:59:21,123] [ET_NET 0] WARNING: ${SNI}\n`), { yearHint: 2026 });
    expect(r.events).toEqual([]);
    expect(r.diag.count('internal.logs.parse')).toBe(0);
  });

  it('error.log: TLS-worded lines are kind other with no level; anything else is no event, not an error', async () => {
    const r = await parse(chunks(`20261126.20h59m21s SSL handshake with origin failed\n20261126.20h59m22s ${CONNECT}\n20261126.20h59m23s cache is full\n`));
    expect(r.events.map((e) => `${e.line}:${e.kind}:${e.level}:${e.timePrecisionMs}`)).toEqual(['1:other:null:1000', '2:connect_attempt_failed:null:1000']);
    expect(r.diag.count('internal.logs.parse')).toBe(0);
    expect(r.diag.count('log.bad_time')).toBe(0);
  });

  it('an impossible date: time null in any zone, counted with file, line and the head of the line', async () => {
    const diags = await parse(chunks(`[Feb 30 10:00:00.000] [ET_NET 0] WARNING: ${SNI}\n`), { yearHint: 2023, tz: '+02:00' });
    expect(diags.events[0].timeMicros).toBeNull();
    expect(diags.diag.list().find((d) => d.key === 'log.bad_time')).toMatchObject({ severity: 'anomaly', count: 1, samples: [{ detail: 'test.log:1 [Feb 30 10:00:00.000] [E' }] });
    const err = await parse(chunks(`20260230.10h00m00s ${CONNECT}\n`), { tz: '+02:00' });
    expect(err.events[0]).toMatchObject({ kind: 'connect_attempt_failed', timeMicros: null });
    expect(err.diag.list().find((d) => d.key === 'log.bad_time')).toMatchObject({ severity: 'anomaly', count: 1, samples: [{ detail: 'test.log:1 20260230.10h00m00s C' }] });
  });

  it('a stray CR or line separator inside a line does not lose the warning (the syslog parser reads the same line)', async () => {
    // "\r\r\n" (a file converted to CRLF twice): the splitter drops the CR before LF, the other stays
    const syslog = await parse(chunks(`${TS} [ET_NET 0] WARNING: ${SNI}\r\r\n`), { yearHint: 2022 });
    expect(syslog.events.map((e) => e.kind)).toEqual(['sni_mismatch']);
    const diags = await parse(chunks(`${at} [ET_NET 0] WARNING: ${SNI}\r\r\n${at} [ET_NET 0] WARNING: ${SNI} \u2028(wrapped)\n`), { yearHint: 2026 });
    expect(diags.events.map((e) => `${e.line}:${e.kind}:${e.level}:${e.sni}:${e.serverIp}`)).toEqual(['1:sni_mismatch:WARNING:a.lab:10.0.0.1', '2:sni_mismatch:WARNING:a.lab:10.0.0.1']);
    const ssl = "SSL connection failed for 'a.lab': error:0A000086:SSL routines::certificate verify failed";
    const failed = await parse(chunks(`${at} [ET_NET 0] DEBUG: <SSLNetVConnection.cc:1 (f)> (ssl.error) ${ssl}\r\r\n${TS} [ET_NET 0] ERROR: ${ssl}\r\r\n`), { yearHint: 2026 });
    expect(failed.events.map((e) => `${e.line}:${e.kind}:${e.level}:${e.sni}:${e.error}`)).toEqual([
      '1:ssl_connect_failed:DEBUG:a.lab:error:0A000086:SSL routines::certificate verify failed', '2:ssl_connect_failed:ERROR:a.lab:error:0A000086:SSL routines::certificate verify failed',
    ]);
    const err = await parse(chunks(`20261126.20h59m21s ${CONNECT}\r\r\n20261126.20h59m22s ${CONNECT}\u2029\n`));
    expect(err.events.map((e) => `${e.line}:${e.kind}:${e.serverPort}:${e.url}`)).toEqual(['1:connect_attempt_failed:28443:https://a/', '2:connect_attempt_failed:28443:https://a/']);
  });

  it('the event text is the first line, cut at MAX_EVENT_TEXT', async () => {
    const line = `${at} [ET_NET 0] WARNING: ${SNI} ${'x'.repeat(MAX_EVENT_TEXT)}`;
    const r = await parse(chunks(`${line}\n`), { yearHint: 2026 });
    expect(r.events[0].text).toBe(line.slice(0, MAX_EVENT_TEXT));
    const e = await parse(chunks(`20261126.20h59m21s ${CONNECT} ${'x'.repeat(MAX_EVENT_TEXT)}\n`));
    expect(e.events[0].text).toHaveLength(MAX_EVENT_TEXT);
  });
});

describe('headKind', () => {
  it('names the timestamp that starts a line, at each end of the character ranges it checks first', () => {
    expect(headKind('0999-01-01T00:00:00Z x')).toBe('iso');
    expect(headKind('9999-12-31 23:59:59 x')).toBe('iso');
    expect(headKind('09991231.23h59m59s x')).toBe('errorlog');
    expect(headKind('99991231.23h59m59s x')).toBe('errorlog');
    expect(headKind('[Apr  1 00:00:00.000] x')).toBe('bracket');
    // the BSD months that start with A, the first capital letter
    expect(headKind('Apr  1 00:00:00 host x')).toBe('bsd');
    expect(headKind('Aug 31 23:59:59 host x')).toBe('bsd');
    expect(headKind('Dec 31 23:59:59 host x')).toBe('bsd');
  });

  it('a line that starts otherwise is a continuation', () => {
    for (const l of ['Action=Terminate server=a(10.0.0.1)', 'Apr', 'april 1 00:00:00 host x', ' Apr  1 00:00:00 host x', '12:00:00', '[ET_NET 0] WARNING: x', 'zzz', '', '/0']) {
      expect(headKind(l), l).toBeNull();
    }
  });
});

describe('parseLog: malformed input is counted, never fatal', () => {
  it('binary bytes and NULs: the line is skipped and counted, parsing continues', async () => {
    const bin = new Uint8Array([0x00, 0x01, 0xff, 0xfe, 0x1b, 0x00, 0x0a]);
    const r = await parse(chunks(bin, `${KV_LINE('1')}\n`, bin, `${KV_LINE('2')}\n`));
    expect(r.events.map((e) => e.txnId)).toEqual(['1', '2']);
    expect(r.skipped).toBe(2);
    expect(r.diag.count('log.binary_line')).toBe(2);
  });

  it('a 10 MB line is truncated at maxLogLineBytes and counted; the next line still parses', async () => {
    const big = new Uint8Array(10 * 1024 * 1024).fill(0x41);
    const r = await parse(chunks(`${KV_LINE('1')}\n`, big, '\n', `${KV_LINE('2')}\n`));
    expect(r.lines).toBe(3);
    expect(r.diag.count('log.line_truncated')).toBe(1);
    expect(r.events.map((e) => `${e.line}:${e.txnId}`)).toEqual(['1:1', '3:2']);
  });

  it('a wrong year: impossible UTCTime falls back to the prefix; a far year is counted against the hint', async () => {
    const r = await parse(chunks(`${KV_LINE('1', '1969-13-45 16:55:26,006')}\n${KV_LINE('2').replace('2022-07-11T', '2031-07-11T').replace('UTCTime="2022', 'UTCTime="2031')}\n`), { yearHint: 2022 });
    expect(r.events).toHaveLength(2);
    expect(r.diag.count('log.bad_time')).toBe(1);
    expect(iso(r.events[0].timeMicros)).toBe('2022-07-11T16:55:26.006Z');
    expect(r.diag.count('log.year_mismatch')).toBe(1);
    const bad = await parse(chunks('[Feb 30 10:00:00.000] [ET_NET 0] WARNING: SNI (a) not in certificate. Action=Terminate server=a(10.0.0.1)\n'), { yearHint: 2023 });
    expect(bad.events[0].timeMicros).toBeNull();
    expect(bad.diag.count('log.bad_time')).toBe(1);
  });

  it('lines before any entry are skipped; an unknown time zone falls back to UTC', async () => {
    const r = await parse(chunks('garbage\nmore garbage\n\n', `${KV_LINE('1')}\n`), { tz: 'Nowhere/Special' });
    expect(r.skipped).toBe(2);
    expect(r.events).toHaveLength(1);
    expect(r.diag.count('log.bad_timezone')).toBe(1);
  });

  it('an unreadable path is counted, not thrown', async () => {
    const r = await parse('/nonexistent/tls-extract/log.txt');
    expect(r.events).toEqual([]);
    expect(r.diag.count('log.read_error')).toBe(1);
  });

  it('a gzip-compressed log reads the same as the plain one', async () => {
    const plain = readFileSync(FIX + 'expressway-seed-reconstructed.log');
    const a = await parse(chunks(plain));
    const b = await parse(chunks(gzipSync(plain)));
    expect(b.events).toEqual(a.events);
  });

  it('any chunking of the input gives the same events (property)', async () => {
    const plain = readFileSync(FIX + 'expressway-seed-reconstructed.log');
    const whole = (await parse(chunks(plain))).events;
    await fc.assert(fc.asyncProperty(fc.array(fc.nat(plain.length), { maxLength: 12 }), async (cuts) => {
      const pts = [...new Set(cuts)].sort((x, y) => x - y);
      const parts: Uint8Array[] = [];
      let prev = 0;
      for (const p of [...pts, plain.length]) {
        parts.push(plain.subarray(prev, p));
        prev = p;
      }
      expect((await parse(chunks(...parts))).events).toEqual(whole);
    }), { numRuns: 30 });
  });

  it('random bytes never throw (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (bytes) => {
      const r = await parse(chunks(`${KV_LINE('1')}\n`, bytes));
      expect(r.events.length).toBeGreaterThanOrEqual(1);
      expect(r.diag.count('internal.logs.parse')).toBe(0);
    }), { numRuns: 100 });
  });
});

describe('parseLog: format vote, time range, year checks and event limits', () => {
  const DIAGS = (t: string) => `[Nov 26 ${t}] [ET_NET 0] WARNING: SNI (a.lab) not in certificate. Action=Terminate server=a.lab(10.0.0.1)`;
  const VERIFY = `${TS} [ET_NET 0] WARNING: Core server certificate verification failed for (cucm.steven.lab). Action=Terminate Error=self signed certificate server=cucm.steven.lab(10.48.36.215) depth=0`;

  it('the format is the most frequent entry head; a tie goes to the Expressway heads; no entry: unknown', async () => {
    expect((await parse(chunks(`${DIAGS('20:59:21.000')}\n${DIAGS('20:59:22.000')}\n${KV_LINE('1')}\n`), { yearHint: 2026 })).format).toBe('ats_diags');
    expect((await parse(chunks(`${DIAGS('20:59:21.000')}\n${KV_LINE('1')}\n`), { yearHint: 2026 })).format).toBe('expressway');
    expect((await parse(chunks('20261126.20h59m21s CONNECT: attempt fail [CONNECTION_ERROR] to 127.0.0.1:28443 for host=\'a\' connection_result=ECONNREFUSED [111] error=ECONNREFUSED [111] retry_attempts=0 url=\'https://a/\'\n'))).format).toBe('ats_error');
    expect((await parse(chunks('just text\n'))).format).toBe('unknown');
  });

  it('the time range spans the earliest and latest event, in any line order', async () => {
    const r = await parse(chunks(`${KV_LINE('1', '2022-07-11 16:55:27,000')}\n${KV_LINE('2', '2022-07-11 16:55:25,000')}\n${KV_LINE('3', '2022-07-11 16:55:26,000')}\n`));
    expect(r.timeRange?.map(iso)).toEqual(['2022-07-11T16:55:25.000Z', '2022-07-11T16:55:27.000Z']);
  });

  it('a year more than one away from the hint is counted; one away is not', async () => {
    const line = (y: number) => KV_LINE('1', `${y}-07-11 16:55:26,006`).replace('2022-07-11T', `${y}-07-11T`);
    const count = async (y: number) => (await parse(chunks(`${line(y)}\n`), { yearHint: 2022 })).diag.count('log.year_mismatch');
    expect([await count(2020), await count(2021), await count(2022), await count(2023), await count(2024)]).toEqual([1, 0, 0, 0, 1]);
    // without a year hint nothing is compared
    expect((await parse(chunks(`${line(2031)}\n`))).diag.count('log.year_mismatch')).toBe(0);
  });

  it('a missing year is assumed (and said) only without any hint, and only for year-less heads', async () => {
    const now = new Date().getUTCFullYear();
    const none = await parse(chunks(`${DIAGS('20:59:21.000')}\n`));
    expect(none.diag.count('log.year_assumed')).toBe(1);
    expect(new Date(none.events[0].timeMicros! / 1000).getUTCFullYear()).toBe(now);
    expect(none.diag.list().find((e) => e.key === 'log.year_assumed')?.samples[0]?.detail).toBe(`test.log: timestamps without a year; assumed ${now}`);
    expect((await parse(chunks(`${DIAGS('20:59:21.000')}\n`), { timeHintMicros: Date.UTC(2019, 10, 20) * 1000 })).diag.count('log.year_assumed')).toBe(0);
    expect((await parse(chunks(`${DIAGS('20:59:21.000')}\n`), { yearHint: 2019 })).diag.count('log.year_assumed')).toBe(0);
    expect((await parse(chunks(`${KV_LINE('1')}\n`))).diag.count('log.year_assumed')).toBe(0);
  });

  it('past MAX_EVENTS_PER_LOG every kind of verification / connect failure is still kept, nothing else', async () => {
    const lines: string[] = [];
    for (let i = 0; i < MAX_EVENTS_PER_LOG; i++) lines.push(KV_LINE(String(i)));
    const W = `${TS} [ET_NET 0] WARNING:`;
    lines.push(
      `${W} SNI (cucm.lab) not in certificate. Action=Continue server=cucm.lab(10.1.1.1)`,
      `${W} Origin hostname (cucm.lab) not in certificate. Action=Terminate server=cucm.lab(10.1.1.1)`,
      `${W} TS_EVENT_SSL_VERIFY_SERVER plugin failed the origin certificate check for cucm.lab. Action=Terminate SNI=cucm.lab`,
      `${TS} [ET_NET 0] ERROR: CONNECT: attempt fail [CONNECTION_ERROR] to 10.1.1.1:8443 for host='cucm.lab' connection_result=0 error=ECONNREFUSED attempts=1 url='https://cucm.lab:8443/'`,
      `${TS} [ET_NET 0] ERROR: CONNECT: could not connect [ERR_CONNECT_FAIL] to 10.1.1.2 for 'https://im.lab:8443/'`,
      `${W} Hostname verification failed for (cucm.lab)`,
      `${W} Server certificate verification failed for cucm.lab`,
      `${TS} [ET_NET 0] ERROR: SSL connection failed for 'cucm.lab': error:0A000086:SSL routines::certificate verify failed`,
      `${W} SSL handshake with the origin failed, certificate unknown`,
    );
    const r = await parse(chunks(lines.join('\n') + '\n'));
    expect(r.events.slice(MAX_EVENTS_PER_LOG).map((e) => e.kind)).toEqual([
      'sni_mismatch', 'origin_hostname_mismatch', 'plugin_verify_failed', 'connect_attempt_failed', 'connect_attempt_failed',
      'hostname_verify_failed_legacy', 'server_verify_failed_legacy',
    ]);
    expect(r.diag.count('limit.log_events')).toBe(2);
  }, 30_000);

  it('an entry keeps its first 64 continuation lines (a Host header on the 65th is not read)', async () => {
    const entry = (fillers: number) => [
      `2022-07-11T18:55:26.006+02:00 vcsc traffic_server[18242]: UTCTime="2022-07-11 16:55:26,006" Module="network.http.trafficserver" Level="DEBUG": Detail="Sending Request" Txn-id="7" TrackingID="t" Dst-ip="10.48.36.215" Dst-port="6972" HTTPMSG:`,
      '|GET /CSFemusk.cnf.xml HTTP/1.1',
      ...Array.from({ length: fillers }, (_, i) => ` X-Filler-${i}: ${i}`),
      ' Host: cucm.steven.lab:6972',
    ].join('\n');
    const at64 = await parse(chunks(`${entry(62)}\n`)); // request line + 62 + Host = 64 continuation lines
    expect(at64.events[0]).toMatchObject({ kind: 'request_sent', url: '/CSFemusk.cnf.xml', serverName: 'cucm.steven.lab' });
    const at65 = await parse(chunks(`${entry(63)}\n`));
    expect(at65.events[0]).toMatchObject({ kind: 'request_sent', url: '/CSFemusk.cnf.xml', serverName: null });
    expect(at65.skipped).toBe(0); // the lines past the limit are the entry's, not unparsed lines
  });

  it('past MAX_EVENTS_PER_LOG only verification / connect-failure events are kept, up to MAX_PRIORITY_EVENTS more', async () => {
    const lines: string[] = [];
    for (let i = 0; i < MAX_EVENTS_PER_LOG; i++) lines.push(KV_LINE(String(i)));
    lines.push(KV_LINE('dropped'));
    lines.push(VERIFY);
    // priority text, but a kind that is not a verification failure: dropped
    lines.push(`${KV_LINE('x')}could not connect`);
    for (let i = 1; i < MAX_PRIORITY_EVENTS; i++) lines.push(VERIFY);
    lines.push(VERIFY);
    const r = await parse(chunks(lines.join('\n') + '\n'));
    expect(r.events.length).toBe(MAX_EVENTS_PER_LOG + MAX_PRIORITY_EVENTS);
    expect(r.events[MAX_EVENTS_PER_LOG - 1].txnId).toBe(String(MAX_EVENTS_PER_LOG - 1));
    expect(r.events[MAX_EVENTS_PER_LOG].kind).toBe('verify_failed');
    expect(r.events.slice(MAX_EVENTS_PER_LOG).every((e) => e.kind === 'verify_failed')).toBe(true);
    expect(r.diag.count('limit.log_events')).toBe(3);
  }, 30_000);
});

describe('parseLog: what it tells the diagnostics', () => {
  const entry = (d: Diagnostics, key: string) => d.list().find((e) => e.key === key);

  it('each problem is counted under its key and severity, with a file:line sample', async () => {
    const bin = new Uint8Array([0x00, 0x01, 0xff, 0x0a]);
    const big = new Uint8Array(DEFAULT_LIMITS.maxLogLineBytes + 10).fill(0x41);
    const r = await parse(chunks('junk before any entry\n', bin, `${KV_LINE('1')}\n`, big, '\n'), { tz: 'Nowhere/Special', name: 'x.log' });
    expect(entry(r.diag, 'log.bad_timezone')).toMatchObject({ severity: 'warning', count: 1, samples: [{ detail: 'unknown time zone Nowhere/Special; using UTC' }] });
    expect(entry(r.diag, 'log.unparsed_line')).toMatchObject({ severity: 'anomaly', count: 1, samples: [{ detail: 'x.log:1' }] });
    expect(entry(r.diag, 'log.binary_line')).toMatchObject({ severity: 'anomaly', count: 1, samples: [{ detail: 'x.log:2' }] });
    expect(entry(r.diag, 'log.line_truncated')).toMatchObject({ severity: 'limit', count: 1, samples: [{ detail: 'x.log:4' }] });
    const long = await parse(chunks(`${KV_LINE('1')}\n`), { tz: 'Z'.repeat(100) });
    expect(entry(long.diag, 'log.bad_timezone')?.samples[0].detail).toBe(`unknown time zone ${'Z'.repeat(60)}; using UTC`);
  });

  it('year problems are warnings with the line and the years', async () => {
    const r = await parse(chunks(`${KV_LINE('1', '2031-07-11 16:55:26,006').replace('2022-07-11T', '2031-07-11T')}\n`), { yearHint: 2022, name: 'y.log' });
    expect(entry(r.diag, 'log.year_mismatch')).toMatchObject({ severity: 'warning', count: 1, samples: [{ detail: 'y.log:1 year 2031, expected ~2022' }] });
    const a = await parse(chunks('[Nov 26 20:59:21.000] [ET_NET 0] WARNING: SNI (a.lab) not in certificate. Action=Terminate server=a.lab(10.0.0.1)\n'));
    expect(entry(a.diag, 'log.year_assumed')?.severity).toBe('warning');
  });

  it('a BSD syslog head and a diags head together still need the assumed year', async () => {
    const text = 'Jul 11 18:55:26 vcsc traffic_server[18242]: [ET_NET 0] WARNING: SNI (cucm.lab) not in certificate. Action=Continue server=cucm.lab(10.1.1.1)\n'
      + '[Nov 26 20:59:21.000] [ET_NET 0] WARNING: SNI (a.lab) not in certificate. Action=Terminate server=a.lab(10.0.0.1)\n';
    expect((await parse(chunks(text))).diag.count('log.year_assumed')).toBe(1);
  });

  it('events without a usable time give no time range and are not compared with the year hint', async () => {
    const bad = await parse(chunks('[Feb 30 10:00:00.000] [ET_NET 0] WARNING: SNI (a) not in certificate. Action=Terminate server=a(10.0.0.1)\n'), { yearHint: 2023 });
    expect(bad.events).toHaveLength(1);
    expect(bad.timeRange).toBeNull();
    expect(bad.diag.count('log.year_mismatch')).toBe(0);
  });

  it('only the full gzip magic (1f 8b 08) means gzip; other leading bytes are read as text', async () => {
    for (const head of [[0x1f, 0x8b, 0x00], [0x1f, 0x00, 0x08], [0x00, 0x8b, 0x08], [0x1f, 0x8b]]) {
      const r = await parse(chunks(Uint8Array.from([...head, 0x0a]), `${KV_LINE('1')}\n`));
      expect(r.diag.count('log.read_error'), head.join(',')).toBe(0);
      expect(r.events.map((e) => e.txnId), head.join(',')).toEqual(['1']);
    }
  });

  it('the event cap is a limit with the file name', async () => {
    const lines: string[] = [];
    for (let i = 0; i <= MAX_EVENTS_PER_LOG; i++) lines.push(KV_LINE(String(i)));
    const r = await parse(chunks(lines.join('\n') + '\n'), { name: 'big.log' });
    expect(entry(r.diag, 'limit.log_events')).toMatchObject({ severity: 'limit', count: 1, samples: [{ detail: `big.log: more than ${MAX_EVENTS_PER_LOG} events` }] });
  }, 30_000);
});

describe('parseLog: blank lines, gzip bombs and unreadable paths', () => {
  it('blank or whitespace-only lines before the first entry are neither entries nor skipped lines', async () => {
    const r = await parse(chunks(`\n   \n\t\n \t \n${KV_LINE('1')}\n`));
    expect(r.lines).toBe(5);
    expect(r.skipped).toBe(0);
    expect(r.diag.count('log.unparsed_line')).toBe(0);
    expect(r.events.map((e) => `${e.line}:${e.txnId}`)).toEqual(['5:1']);
  });

  it('a gzip-compressed log past limits.maxDecompressionRatio is stopped, said under the log name', async () => {
    // one entry, then 8 MiB of blank lines: compresses about 1000:1
    const bomb = gzipSync(Buffer.concat([Buffer.from(`${KV_LINE('1')}\n`), Buffer.alloc(8 << 20, 0x0a)]), { level: 9 });
    const r = await parse(chunks(bomb), { name: 'bomb.log.gz', limits: { ...DEFAULT_LIMITS, maxDecompressionRatio: 100 } });
    const e = r.diag.list().find((d) => d.key === 'archive.gzip_ratio');
    expect(e).toMatchObject({ severity: 'limit', count: 1 });
    expect(e?.samples[0].detail).toMatch(/^bomb\.log\.gz: \d+ bytes out of \d+ \(ratio > 100\); member stopped$/);
    expect(r.lines).toBeLessThan(4 << 20);
    expect(r.events.map((ev) => ev.txnId)).toEqual(['1']);
  });

  it('an unreadable path: abandoned, the detail names the log and the error, capped at 300 characters', async () => {
    const path = `/nonexistent/${'d'.repeat(400)}/log.txt`;
    const r = await parse(path, { name: 'missing.log' });
    const e = r.diag.list().find((d) => d.key === 'log.read_error');
    expect(e).toMatchObject({ severity: 'abandoned', count: 1 });
    expect(e?.samples[0].detail).toMatch(/^missing\.log: ENOENT: no such file or directory/);
    expect(e?.samples[0].detail).toHaveLength(300);
  });
});
