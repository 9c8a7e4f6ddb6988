import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { correlate } from '../../../src/logs/correlate.js';
import { parseLog } from '../../../src/logs/parse-log.js';
import type { LogEvent } from '../../../src/logs/types.js';
import { Diagnostics } from '../../../src/diagnostics/diagnostics.js';
import { DEFAULT_LIMITS } from '../../../src/options.js';
import type { ConnectionSummary } from '../../../src/tls/summary.js';
import { conn, us } from './conn-builder.js';

const FIX = fileURLToPath(new URL('../../fixtures/logs/', import.meta.url));

async function events(file: string, extra: Partial<Parameters<typeof parseLog>[1]> = {}): Promise<LogEvent[]> {
  const r = await parseLog(FIX + file, { name: file, limits: DEFAULT_LIMITS, diag: new Diagnostics(), ...extra });
  return r.events;
}

/** "kind@line" of the events attached to a connection */
function attached(res: ReturnType<typeof correlate>, id: number): string[] {
  return (res.byConnection.get(id) ?? []).map((e) => `${e.kind}@${e.line}`);
}

const CUCM = '10.48.36.215';

/** Connections shaped after the seed technote's lab (times UTC; the log says +02:00). */
function seedConnections(shiftUs = 0): ConnectionSummary[] {
  const s = (iso: string): number => us(iso) + shiftUs;
  return [
    // 8443 success for Txn-id 189 (Sending Request 16:55:25.916)
    conn({ id: 1, server: CUCM, port: 8443, sni: 'cucm.steven.lab', start: s('2022-07-11T16:55:25.917Z') }),
    // 6972 first attempt of Txn-id 191: self-signed cert → Expressway sends unknown_ca (48)
    conn({ id: 2, server: CUCM, port: 6972, sni: 'cucm.steven.lab', start: s('2022-07-11T16:55:26.007Z'), certAfter: 8500, alert: { from: 'client', description: 48, after: 8800 } }),
    // a successful 8443 handshake at the same moment, with no log line of its own (distractor)
    conn({ id: 3, server: CUCM, port: 8443, sni: 'cucm.steven.lab', start: s('2022-07-11T16:55:26.010Z'), certAfter: 5000 }),
    // 6972 retry (second Sending Request at .016)
    conn({ id: 4, server: CUCM, port: 6972, sni: 'cucm.steven.lab', start: s('2022-07-11T16:55:26.0165Z'), certAfter: 2500, alert: { from: 'client', description: 48, after: 2700 } }),
    // scenario 2: CUCM addressed by IP; ATS sends no SNI; name check fails → internal_error (80)
    conn({ id: 5, server: CUCM, port: 8443, start: s('2022-07-11T17:49:01.479Z'), certAfter: 11_000, alert: { from: 'client', description: 80, after: 11_500 } }),
  ];
}

describe('correlate: seed technote (reconstructed log)', () => {
  it('attaches the 8443 success and the 6972 self-signed failure lines to the right connections', async () => {
    const evs = await events('expressway-seed-reconstructed.log');
    const res = correlate(seedConnections(), evs);
    // Txn-id 189: Receive Request, Request Allowed, Sending Request, Receive Response, Sending Response
    expect(attached(res, 1)).toEqual(['request_received@2', 'request_allowed@3', 'request_sent@4', 'response_received@5', 'response_sent@6']);
    // the warning and the SSL error belong to the first 6972 attempt, which ended in unknown_ca
    expect(attached(res, 2)).toEqual(['request_received@7', 'request_sent@8', 'verify_failed@10', 'ssl_connect_failed@11', 'response_sent@12']);
    expect(attached(res, 4)).toEqual(['request_received@7', 'request_sent@9', 'response_sent@12']);
    // the concurrent 8443 handshake gets nothing
    expect(attached(res, 3)).toEqual([]);
  });

  it('attaches a verification warning to exactly one handshake', async () => {
    const evs = await events('expressway-seed-reconstructed.log');
    const res = correlate(seedConnections(), evs);
    const holders = [...res.byConnection].filter(([, l]) => l.some((e) => e.kind === 'verify_failed')).map(([id]) => id);
    expect(holders).toEqual([2]);
  });

  it('IP-addressed server without SNI: INFO+DEBUG Sending Request are one attempt; SNI (ip) line attaches', async () => {
    const evs = await events('expressway-seed-reconstructed.log');
    const res = correlate(seedConnections(), evs);
    expect(attached(res, 5)).toEqual(['request_received@13', 'request_sent@18', 'request_sent@19', 'sni_mismatch@24', 'ssl_connect_failed@25']);
    expect(res.nameForConnection.get(5)).toBe(CUCM);
  });

  it('gives the server name the logs use for each connection', async () => {
    const res = correlate(seedConnections(), await events('expressway-seed-reconstructed.log'));
    expect(res.nameForConnection.get(1)).toBe('cucm.steven.lab');
    expect(res.nameForConnection.get(2)).toBe('cucm.steven.lab');
    expect(res.nameForConnection.has(3)).toBe(false);
  });

  it('reports events with no connection as unmatched (another node, filtered capture)', async () => {
    const evs = await events('expressway-seed-reconstructed.log');
    // only scenario 1 captured: everything of scenario 2 is unmatched
    const res = correlate(seedConnections().slice(0, 4), evs);
    expect(res.unmatched.map((e) => e.line)).toEqual([13, 18, 19, 24, 25]);
    // nothing captured at all: every event is unmatched, no offset
    const none = correlate([], evs);
    expect(none.unmatched).toHaveLength(evs.length);
    expect(none.clockOffsetMs).toBeNull();
  });

  it('estimates, reports and applies a constant clock offset', async () => {
    const evs = await events('expressway-seed-reconstructed.log');
    const shifted = correlate(seedConnections(-3_200_000), evs);
    expect(shifted.clockOffsetMs).not.toBeNull();
    expect(Math.abs((shifted.clockOffsetMs ?? 0) - 3200)).toBeLessThan(5);
    expect(attached(shifted, 2)).toEqual(attached(correlate(seedConnections(), evs), 2));
    expect(attached(shifted, 5)).toContain('sni_mismatch@24');
  });

  it('without offset correction a 3.2 s shift would fall outside a 2 s window', async () => {
    const evs = (await events('expressway-seed-reconstructed.log')).filter((e) => e.kind === 'sni_mismatch');
    // a single warning cannot establish a large offset on its own
    const res = correlate(seedConnections(-3_200_000), evs);
    expect(res.clockOffsetMs).toBeNull();
    expect(res.unmatched).toHaveLength(1);
  });
});

interface TsharkConn { stream: number; client_port: number; server_port: number; start_us: number; client_hello_us: number; sni: string | null; server_hello_us: number; alert_us?: number; alert_desc?: number }

/** ConnectionSummary objects from the tshark facts of the real ATS 9.2 run (fixtures README). */
function atsConnections(shiftUs = 0): ConnectionSummary[] {
  const rows = JSON.parse(readFileSync(FIX + 'ats92-connections.json', 'utf8')) as TsharkConn[];
  return rows.map((r) => conn({
    id: r.stream, server: '127.0.93.2', port: r.server_port, client: '127.0.0.1', clientPort: r.client_port,
    start: r.start_us + shiftUs, sni: r.sni ?? undefined, chAfter: r.client_hello_us - r.start_us, shAfter: r.server_hello_us - r.start_us,
    certAfter: null, // TLS 1.3: the Certificate is encrypted
    alert: r.alert_us === undefined ? undefined : { from: 'client', description: r.alert_desc ?? 0, after: r.alert_us - r.start_us },
  }));
}

describe('correlate: real Traffic Server 9.2 diags.log + error.log', () => {
  async function run(shiftUs = 0): Promise<ReturnType<typeof correlate>> {
    const evs = [...(await events('ats92-diags.log', { yearHint: 2026 })), ...(await events('ats92-error.log'))];
    return correlate(atsConnections(shiftUs), evs);
  }

  it('maps the four retries of each request one to one onto the four handshakes, in time order', async () => {
    const res = await run();
    // streams 1-4: ip.test (no SNI, self-signed) — diags lines 41/44, 46/49, 51/54, 56/59; error.log lines 1-4
    const ipLines = [[41, 44], [46, 49], [51, 54], [56, 59]];
    for (let i = 0; i < 4; i++) {
      // error.log has one-second timestamps: its line sorts first (20:59:20.000)
      expect(attached(res, i + 1)).toEqual([`connect_attempt_failed@${i + 1}`, `verify_failed@${ipLines[i][0]}`, `ssl_connect_failed@${ipLines[i][1]}`]);
    }
    // streams 5-8: name.test (SNI cucm.example.lab); error.log lines 5-8
    const nameLines = [[60, 63], [65, 68], [70, 73], [74, 77]];
    for (let i = 0; i < 4; i++) {
      expect(attached(res, i + 5)).toEqual([`connect_attempt_failed@${i + 5}`, `verify_failed@${nameLines[i][0]}`, `ssl_connect_failed@${nameLines[i][1]}`]);
      expect(res.nameForConnection.get(i + 5)).toBe('cucm.example.lab');
    }
  });

  it('IP-addressed server: ClientHello without SNI, warning says SNI (127.0.93.2)', async () => {
    const res = await run();
    const sniLines = [78, 83, 88, 93];
    for (let i = 0; i < 4; i++) {
      const l = res.byConnection.get(i + 9) ?? [];
      expect(l.filter((e) => e.kind === 'sni_mismatch').map((e) => e.line)).toEqual([sniLines[i]]);
      expect(l.filter((e) => e.kind === 'connect_attempt_failed').map((e) => e.serverPort)).toEqual([28444]);
      expect(res.nameForConnection.get(i + 9)).toBe('127.0.93.2');
    }
  });

  it('leaves the successful handshake alone and matches every ATS event', async () => {
    const res = await run();
    expect(res.byConnection.has(0)).toBe(false);
    expect(res.unmatched).toEqual([]);
    // ms-truncated log times vs the client's alert: about half a millisecond
    expect(Math.abs(res.clockOffsetMs ?? 99)).toBeLessThan(2);
  });

  it('still maps one to one when the capture clock is 90 s behind', async () => {
    const res = await run(-90_000_000);
    expect(Math.abs((res.clockOffsetMs ?? 0) - 90_000)).toBeLessThan(3);
    expect(attached(res, 3)).toEqual(['connect_attempt_failed@3', 'verify_failed@51', 'ssl_connect_failed@54']);
  });
});

describe('correlate: edge cases', () => {
  const base = us('2024-01-10T10:00:00Z');
  function ev(p: Partial<LogEvent> & Pick<LogEvent, 'kind' | 'line'>): LogEvent {
    return {
      file: 'x.log', timeMicros: base, level: null, txnId: null, trackingId: null, text: '', sni: null, serverName: null,
      serverIp: null, serverPort: null, srcIp: null, srcPort: null, action: null, error: null, depth: null, status: null,
      reason: null, method: null, url: null, mra: null, ...p,
    };
  }

  it('a warning with no handshake to that IP (TLS 1.3 elsewhere, another node) is unmatched', () => {
    const c = conn({ id: 1, server: '10.0.0.1', port: 8443, sni: 'a.lab', start: base - 2000, alert: { from: 'client', description: 48, after: 1900 } });
    const w = ev({ kind: 'verify_failed', line: 1, sni: 'a.lab', serverIp: '10.0.0.2', action: 'Terminate', depth: 0 });
    const res = correlate([c], [w]);
    expect(res.unmatched).toEqual([w]);
  });

  it('a warning whose SNI differs from the ClientHello SNI does not attach', () => {
    const c = conn({ id: 1, server: '10.0.0.1', port: 8443, sni: 'b.lab', start: base - 2000, alert: { from: 'client', description: 48, after: 1900 } });
    const w = ev({ kind: 'verify_failed', line: 1, sni: 'a.lab', serverIp: '10.0.0.1', action: 'Terminate', depth: 0 });
    expect(correlate([c], [w]).unmatched).toEqual([w]);
  });

  it('more identical warnings than handshakes: the extra one stays unmatched', () => {
    const c = conn({ id: 1, server: '10.0.0.1', port: 8443, start: base - 2000, alert: { from: 'client', description: 48, after: 1900 } });
    const w1 = ev({ kind: 'verify_failed', line: 1, sni: '10.0.0.1', serverIp: '10.0.0.1', action: 'Terminate', depth: 0 });
    const w2 = ev({ kind: 'verify_failed', line: 2, sni: '10.0.0.1', serverIp: '10.0.0.1', action: 'Terminate', depth: 0, timeMicros: base + 3000 });
    const res = correlate([c], [w1, w2]);
    expect(attached(res, 1)).toEqual(['verify_failed@1']);
    expect(res.unmatched).toEqual([w2]);
  });

  it('tvcs TCP Connection Closed matches by exact 4-tuple', () => {
    const a = conn({ id: 1, server: '10.0.0.5', port: 5061, client: '10.0.0.9', clientPort: 45215, start: base - 5000 });
    const b = conn({ id: 2, server: '10.0.0.5', port: 5061, client: '10.0.0.9', clientPort: 45216, start: base - 4000 });
    const e = ev({ kind: 'tcp_closed', line: 1, srcIp: '10.0.0.9', srcPort: 45215, serverIp: '10.0.0.5', serverPort: 5061, reason: 'no certificate returned' });
    expect(attached(correlate([a, b], [e]), 1)).toEqual(['tcp_closed@1']);
  });

  it('a Receive Request from a captured client endpoint attaches to that inbound connection', () => {
    const inbound = conn({ id: 7, server: '10.0.0.2', port: 8443, client: '192.0.2.10', clientPort: 50314, start: base - 10_000 });
    const e = ev({ kind: 'request_received', line: 3, txnId: '2', srcIp: '192.0.2.10', srcPort: 50314 });
    expect(attached(correlate([inbound], [e]), 7)).toEqual(['request_received@3']);
  });

  it('IPv6 addresses compare in canonical form', () => {
    const c = conn({ id: 1, server: '2001:db8::10', port: 8443, start: base - 2000, alert: { from: 'client', description: 48, after: 1900 } });
    const w = ev({ kind: 'sni_mismatch', line: 1, sni: '2001:DB8:0:0::10', serverIp: '2001:DB8:0:0:0:0:0:10', action: 'Terminate' });
    expect(attached(correlate([c], [w]), 1)).toEqual(['sni_mismatch@1']);
  });
});

describe('correlate: a crowded match window', () => {
  const base = us('2024-01-10T10:00:00Z');
  const ev = (line: number, at: number): LogEvent => ({
    file: 'x.log', timeMicros: at, level: null, txnId: null, trackingId: null, text: '', sni: '10.0.0.1', serverName: null,
    serverIp: '10.0.0.1', serverPort: null, srcIp: null, srcPort: null, action: 'Terminate', error: 'self signed certificate', depth: 0,
    status: null, reason: null, method: null, url: null, mra: null, kind: 'verify_failed', line,
  });

  it('weighs only the MAX_CANDIDATES handshakes nearest in time, still the right ones, and counts it', () => {
    // 3,000 failing handshakes to one server, one every 500 µs: ±2 s holds all of them
    const conns = Array.from({ length: 3000 }, (_, i) => conn({ id: i + 1, server: '10.0.0.1', port: 8443, start: base + i * 500, alert: { from: 'client', description: 48, after: 300 } }));
    // each warning logged at its handshake's alert (+ 20 µs): the nearest one is the one it describes
    const picks = [7, 1500, 2999];
    const events = picks.map((i, k) => ev(k + 1, base + i * 500 + 320));
    const res = correlate(conns, events);
    picks.forEach((i, k) => expect(attached(res, i + 1), `warning ${k + 1}`).toEqual([`verify_failed@${k + 1}`]));
    expect(res.unmatched).toEqual([]);
    expect(res.narrowed).toBeGreaterThanOrEqual(events.length);
    // a window that is not crowded is not narrowed
    expect(correlate(conns.slice(0, 10), [ev(1, base + 7 * 500 + 320)]).narrowed).toBe(0);
  });
});
