/**
 * Expressway syslog entries (src/logs/formats/expressway.ts) through parseLog: the ISO / BSD
 * prefix, the process and pid, the Key="Value" gate, UTCTime against the prefix time, wrapped
 * Traffic Server diags and the bounds that keep hostile lines cheap. Lines follow
 * expressway-reference.md §1.4 / §2.6 (traffic_server, tvcs, edgeconfigprovisioning).
 */
import { describe, expect, it } from 'vitest';
import { parseLog, type ParseLogOptions } from '../../../src/logs/parse-log.js';
import type { LogEvent, ParsedLog } from '../../../src/logs/types.js';
import { Diagnostics } from '../../../src/diagnostics/diagnostics.js';
import { DEFAULT_LIMITS } from '../../../src/options.js';
import { MAX_EVENT_TEXT } from '../../../src/logs/entry.js';

const iso = (t: number | null): string | null => (t === null ? null : new Date(t / 1000).toISOString());

async function parse(text: string, extra: Partial<ParseLogOptions> = {}): Promise<ParsedLog & { diag: Diagnostics }> {
  const diag = new Diagnostics();
  const src = (async function* () { yield new TextEncoder().encode(text); })();
  const r = await parseLog(src, { name: 'exp.log', limits: DEFAULT_LIMITS, diag, yearHint: 2022, ...extra });
  // nothing in a log may make the entry parser throw (parseLog would count it as internal.logs.parse)
  expect(diag.count('internal.logs.parse'), 'entry parser threw').toBe(0);
  return { ...r, diag };
}
const one = async (text: string, extra: Partial<ParseLogOptions> = {}): Promise<LogEvent> => {
  const r = await parse(text, extra);
  expect(r.events).toHaveLength(1);
  return r.events[0];
};
const sample = (d: Diagnostics, key: string) => d.list().find((e) => e.key === key);

const TS = '2022-07-11T18:55:26.016+02:00';
const VERIFY = 'WARNING: Core server certificate verification failed for (cucm.steven.lab). Action=Terminate Error=self signed certificate server=cucm.steven.lab(10.48.36.215) depth=0';
const SSL_FAILED = "ERROR: SSL connection failed for 'cucm.steven.lab': error:1416F086:SSL routines:tls_process_server_certificate:certificate verify failed";
const KV = (utc: string, prefix = '2022-07-11T18:55:26.006+02:00') =>
  `${prefix} vcsc traffic_server[18242]: UTCTime="${utc}" Module="network.http.trafficserver" Level="INFO": Detail="Sending Request" Txn-id="191" TrackingID="t" Dst-ip="10.48.36.215" Dst-port="6972" Msg="GET /CSFemusk.cnf.xml HTTP/1.1" `;

describe('syslog prefix', () => {
  it('an ISO timestamp with a space instead of T (RFC 3339 §5.6) keeps its time, host, pid and level', async () => {
    // headKind and parseIso accept `YYYY-MM-DD hh:mm:ss`; the prefix split used to cut at the date
    const e = await one(`2022-07-11 18:55:26.016+02:00 vcsc traffic_server[18242]: [ET_NET 0] ${VERIFY}\n`);
    expect(e).toMatchObject({ kind: 'verify_failed', level: 'WARNING', pid: 18242, sni: 'cucm.steven.lab', depth: 0 });
    expect(iso(e.timeMicros)).toBe('2022-07-11T16:55:26.016Z');
    const kv = await parse(`${KV('2022-07-11 16:55:26,006').replace('T18:55', ' 18:55')}\n`);
    expect(kv.events[0]).toMatchObject({ kind: 'request_sent', pid: 18242, txnId: '191' });
    expect(kv.diag.list()).toEqual([]);
  });

  it('runs of blanks between the timestamp, the host and the process are one separator', async () => {
    const e = await one(`${TS}   vcsc    traffic_server[18242]: [ET_NET 0] ${VERIFY}\n`);
    expect(e).toMatchObject({ kind: 'verify_failed', level: 'WARNING', pid: 18242 });
    expect(iso(e.timeMicros)).toBe('2022-07-11T16:55:26.016Z');
  });

  it('a head with no payload (timestamp and host only, or nothing after the time) is no event and no error', async () => {
    const r = await parse(`${TS} vcsc\n${TS}\n${TS} Event="TLS"\nJul 11 18:55:26 vcsc\n${TS} vcsc traffic_server[18242]: [ET_NET 0] ${VERIFY}\n`);
    expect(r.events.map((e) => `${e.line}:${e.kind}`)).toEqual(['5:verify_failed']);
    expect(r.skipped).toBe(0);
  });

  it('process forms: name[pid]:, name: without pid, bare name before Key="Value", no process at all', async () => {
    const tail = 'Module="network.tcp" Level="DEBUG": Src-ip="10.50.47.16" Src-port="45215" Dst-ip="10.50.47.51" Dst-port="5061" Detail="TCP Connection Closed" Reason="no certificate returned"';
    const r = await parse([
      `2015-05-07T07:34:01-04:00 exp-c tvcs[4242]: UTCTime="2015-05-07 11:34:01,081" ${tail}`,
      `2015-05-07T07:34:01-04:00 exp-c tvcs: UTCTime="2015-05-07 11:34:01,081" ${tail}`,
      `2015-05-07T07:34:01-04:00 exp-c tvcs UTCTime="2015-05-07 11:34:01,081" ${tail}`,
      `2015-05-07T07:34:01-04:00 exp-c UTCTime="2015-05-07 11:34:01,081" ${tail}`,
    ].join('\n') + '\n');
    expect(r.events.map((e) => [e.kind, e.pid, e.level, e.serverPort, e.reason, iso(e.timeMicros)])).toEqual([
      ['tcp_closed', 4242, 'DEBUG', 5061, 'no certificate returned', '2015-05-07T11:34:01.081Z'],
      ['tcp_closed', null, 'DEBUG', 5061, 'no certificate returned', '2015-05-07T11:34:01.081Z'],
      ['tcp_closed', null, 'DEBUG', 5061, 'no certificate returned', '2015-05-07T11:34:01.081Z'],
      ['tcp_closed', null, 'DEBUG', 5061, 'no certificate returned', '2015-05-07T11:34:01.081Z'],
    ]);
  });

  it('a BSD prefix with an impossible date has no time, whatever the zone', async () => {
    const line = `Feb 30 10:00:00 vcsc traffic_server[18242]: [ET_NET 0] ${VERIFY}\n`;
    for (const tz of [undefined, '+02:00', 'Europe/Brussels']) {
      const e = await one(line, { tz });
      expect(e.kind).toBe('verify_failed');
      expect(e.timeMicros, String(tz)).toBeNull();
    }
  });

  it('the event text is the first line, capped at MAX_EVENT_TEXT characters', async () => {
    const long = `${TS} vcsc traffic_server[18242]: [ET_NET 0] ${VERIFY}${' '.repeat(3 * MAX_EVENT_TEXT)}end`;
    const e = await one(`${long}\n`);
    expect(e.kind).toBe('verify_failed');
    expect(e.text).toBe(long.slice(0, MAX_EVENT_TEXT));
  });
});

describe('Traffic Server diags in the syslog payload', () => {
  it('a message without thread tag and level word is still read (level null)', async () => {
    const e = await one(`${TS} vcsc traffic_server[18242]: ${VERIFY.slice('WARNING: '.length)}\n`);
    expect(e).toMatchObject({ kind: 'verify_failed', level: null, sni: 'cucm.steven.lab', serverIp: '10.48.36.215', pid: 18242 });
  });

  it('a generic TLS line is kept only at WARNING and above', async () => {
    const r = await parse([
      `${TS} vcsc traffic_server[18242]: [ET_NET 0] NOTE: loading SSL certificate configuration from /etc/trafficserver/ssl_multicert.config`,
      `${TS} vcsc traffic_server[18242]: [ET_NET 0] DEBUG: SSL handshake in progress`,
      `${TS} vcsc traffic_server[18242]: SSL certificate store loaded`,
      `${TS} vcsc traffic_server[18242]: [ET_NET 0] ERROR: SSL handshake with the origin failed`,
      `${TS} vcsc traffic_server[18242]: [ET_NET 0] WARNING: origin connection reset`,
    ].join('\n') + '\n');
    expect(r.events.map((e) => `${e.line}:${e.kind}:${e.level}`)).toEqual(['4:other:ERROR']);
  });
});

describe('Key="Value" payloads', () => {
  it('an entry without UTCTime (Expressway-E, doc 117811) takes the prefix time and reports nothing', async () => {
    const r = await parse(`${TS} ExpresswayE traffic_server[15550]: Event="Sending HTTP error response" Status="403" Reason="Forbidden" Dst-ip="10.48.79.80" Dst-port="50314"\n`);
    expect(r.events).toHaveLength(1);
    expect(r.events[0]).toMatchObject({ kind: 'http_error_response', status: 403, reason: 'Forbidden', srcPort: 50314, pid: 15550 });
    expect(iso(r.events[0].timeMicros)).toBe('2022-07-11T16:55:26.016Z');
    expect(r.diag.list()).toEqual([]);
  });

  it('a good UTCTime is not counted as bad; a bad one is an anomaly with the file, line and value (capped)', async () => {
    expect((await parse(`${KV('2022-07-11 16:55:26,006')}\n`)).diag.list()).toEqual([]);
    const value = `2022-07-11 16:55:26,006${'9'.repeat(100)}`;
    const r = await parse(`${KV('2022-07-11 16:55:26,006')}\n${KV(value)}\n`);
    expect(sample(r.diag, 'log.bad_time')).toMatchObject({ severity: 'anomaly', count: 1, samples: [{ detail: `exp.log:2 UTCTime="${value.slice(0, 40)}"` }] });
    // the prefix time is used instead
    expect(iso(r.events[1].timeMicros)).toBe('2022-07-11T16:55:26.006Z');
  });

  it('prefix and UTCTime more than 2 s apart: an anomaly; 2 s or less, or either time missing: none', async () => {
    const disagree = async (utc: string, prefix?: string) => (await parse(`${KV(utc, prefix)}\n`)).diag;
    // prefix 16:55:26.006Z
    expect(sample(await disagree('2022-07-11 16:55:28,007'), 'log.time_disagree')).toMatchObject({ severity: 'anomaly', count: 1, samples: [{ detail: 'exp.log:1 prefix and UTCTime differ' }] });
    expect((await disagree('2022-07-11 16:55:24,005')).count('log.time_disagree')).toBe(1);
    expect((await disagree('2022-07-11 16:55:28,006')).count('log.time_disagree')).toBe(0);
    expect((await disagree('2022-07-11 16:55:24,006')).count('log.time_disagree')).toBe(0);
    expect((await disagree('2022-07-11 16:55:26,500')).count('log.time_disagree')).toBe(0);
    // a prefix that is no time (hour 25): UTCTime alone, nothing to compare
    const noPrefix = await parse(`${KV('2022-07-11 16:55:26,006', '2022-07-11T25:55:26.006+02:00')}\n`);
    expect(noPrefix.diag.count('log.time_disagree')).toBe(0);
    expect(iso(noPrefix.events[0].timeMicros)).toBe('2022-07-11T16:55:26.006Z');
  });

  it('a Key="Value" entry we do not use is neither an event nor a time check (edgeconfigprovisioning)', async () => {
    const r = await parse([
      '2014-09-25T13:46:20-04:00 RTP-TBTP-EXPRWY-C UTCTime="2014-09-25 17:46:20,92" Module="developer.edgeconfigprovisioning.server" Level="DEBUG" CodeLocation="edgeprotocol(1018)" Detail="Failed to authenticate user against server" Username="pstojano" Server="(\'https\', \'10.1.97.131\', 8443) " Reason="[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed (_ssl.c:727)"',
      '2015-05-07T07:34:01-04:00 exp-c tvcs: UTCTime="2015-05-07 99:34:01,081" Module="network.sip" Level="DEBUG": Action="Sent" Local-ip="10.106.80.31" Local-port="25002" Dst-ip="163.129.37.33" Dst-port="5061"',
    ].join('\n') + '\n');
    expect(r.events).toEqual([]);
    expect(r.diag.list()).toEqual([]);
  });

  it('the level is trimmed', async () => {
    expect((await one(`${KV('2022-07-11 16:55:26,006').replace('Level="INFO"', 'Level=" INFO "')}\n`)).level).toBe('INFO');
  });

  it('a quoted value broken over lines: the lines are joined with line breaks, at most 10 of them', async () => {
    const head = `${TS} vcsc traffic_server[18242]: UTCTime="2022-07-11 16:55:26,024" Module="network.http.trafficserver" Level="INFO": Detail="Sending Response" Txn-id="191" TrackingID="" Dst-ip="127.0.0.1" Dst-port="35766" Msg="HTTP/1.1`;
    // broken right after the version, no trailing blank (PDF rendering of the technote)
    expect(await one(`${head}\n502 connect failed" \n`)).toMatchObject({ kind: 'response_sent', status: 502, reason: 'connect failed' });
    const wrapped = (blank: number) => `${head}\n${'\n'.repeat(blank)}502 connect failed" \n`;
    expect((await one(wrapped(9))).status).toBe(502); // the closing line is the 10th continuation
    expect((await one(wrapped(10))).status).toBeNull(); // the 11th: not read
  });
});

describe('wrapped Traffic Server diags', () => {
  const P = `${TS} vcsc traffic_server[18242]:`;

  it('a message whose first line is only the thread tag is read from the joined lines; a generic TLS warning too', async () => {
    const r = await parse([
      `${P} [ET_NET 0] `, 'WARNING: SSL certificate store could not be refreshed',
      `${P} [ET_NET 0] `, 'WARNING: Core server certificate verification failed for (cucm.steven.lab). Action=Terminate Error=self', '', 'signed certificate server=cucm.steven.lab(10.48.36.215) depth=0',
    ].join('\n') + '\n');
    expect(r.events.map((e) => `${e.line}:${e.kind}:${e.level}`)).toEqual(['1:other:WARNING', '3:verify_failed:WARNING']);
    // a blank line inside the Error= text is one blank, not two
    expect(r.events[1]).toMatchObject({ error: 'self signed certificate', sni: 'cucm.steven.lab', serverIp: '10.48.36.215', depth: 0 });
  });

  it('a complete message on the first line is not extended by the lines that follow it', async () => {
    const r = await parse(`${P} [ET_NET 0] ${SSL_FAILED}\n |\n`);
    expect(r.events[0]).toMatchObject({ kind: 'ssl_connect_failed', error: 'error:1416F086:SSL routines:tls_process_server_certificate:certificate verify failed' });
  });

  it('the joined text is bounded (8 KiB): blanks of the first line count, blank padding of continuation lines does not', async () => {
    const c1 = 'WARNING: Core server certificate verification failed for (cucm.steven.lab). Action=Terminate Error=self signed certificate';
    const c2 = 'server=cucm.steven.lab(10.48.36.215) depth=0';
    const entry = (pad: number, c1Pad = '') => `${P} [ET_NET 0]${' '.repeat(pad)}\n${c1}${c1Pad}\n${c2}\n`;
    // payload `[ET_NET 0]` + pad blanks, then ' ' + c1: exactly 8192 characters before c2 is added
    const exact = 8192 - 10 - 1 - c1.length;
    expect((await one(entry(exact))).kind).toBe('verify_failed');
    expect((await one(entry(exact + 1))).kind).toBe('other');
    // past the bound before the first continuation line: nothing is joined (the first line alone is nothing)
    expect((await parse(entry(9000))).events).toEqual([]);
    // trailing blanks of a continuation line are trimmed before the length check
    expect((await one(entry(0, ' '.repeat(9000)))).kind).toBe('verify_failed');
  });
});
