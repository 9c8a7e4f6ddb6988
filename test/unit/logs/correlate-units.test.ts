/**
 * Unit tests of the correlation building blocks (conn-facts, correlate-state, correlate-offset,
 * correlate-assign): boundaries of the time windows, tie-breaks and one-to-one claims that the
 * end-to-end tests in correlate.test.ts only reach indirectly.
 */
import { describe, expect, it } from 'vitest';
import { connFacts, normIp, normName, type ConnFacts } from '../../../src/logs/conn-facts.js';
import { CorrelationState, compareKeys, lowerBound, lowerBoundBy, MAX_CANDIDATES, pickBest } from '../../../src/logs/correlate-state.js';
import { assignAttempts, assignConnectFailures, assignFourTuple, assignSniOnly, assignVerify, buildPortIndex, groupAttempts, txnKey } from '../../../src/logs/correlate-assign.js';
import { correlate, type CorrelationResult } from '../../../src/logs/correlate.js';
import type { ConnectionSummary } from '../../../src/tls/summary.js';
import { estimateOffsetMicros, MAX_OFFSET_US } from '../../../src/logs/correlate-offset.js';
import type { LogEvent } from '../../../src/logs/types.js';
import { conn, type ConnSpec } from './conn-builder.js';

const BASE = Date.parse('2024-01-10T10:00:00Z') * 1000;

function ev(p: Partial<LogEvent> & Pick<LogEvent, 'kind' | 'line'>): LogEvent {
  return {
    file: 'x.log', timeMicros: BASE, level: null, txnId: null, trackingId: null, text: '', sni: null, serverName: null,
    serverIp: null, serverPort: null, srcIp: null, srcPort: null, action: null, error: null, depth: null, status: null,
    reason: null, method: null, url: null, mra: null, ...p,
  };
}

function facts(s: ConnSpec): ConnFacts {
  return connFacts(conn(s));
}

describe('conn-facts: normIp / normName', () => {
  it('normIp trims, strips brackets and compresses IPv6; IPv4 and unparsable text stay', () => {
    expect(normIp('  10.0.0.1 ')).toBe('10.0.0.1');
    expect(normIp('[2001:DB8:0:0::10]')).toBe('2001:db8::10');
    expect(normIp(' 2001:db8:0:0:0:0:0:1 ')).toBe('2001:db8::1');
    expect(normIp('[10.0.0.1]')).toBe('10.0.0.1');
    // only a leading bracket: not stripped (the URL parse fails, lower-cased as is)
    expect(normIp('[FE80::1')).toBe('[fe80::1');
    expect(normIp('FE80::1]')).toBe('fe80::1]');
    expect(normIp('ZZ:YY')).toBe('zz:yy');
  });

  it('normName lower-cases, trims and drops one trailing dot; IPv6 names compare canonically', () => {
    expect(normName('  CUCM.Lab. ')).toBe('cucm.lab');
    expect(normName('cucm.lab..')).toBe('cucm.lab.');
    expect(normName('a.b.c')).toBe('a.b.c');
    expect(normName('2001:DB8:0::1')).toBe('2001:db8::1');
  });
});

describe('conn-facts: connFacts', () => {
  it('ref is the client alert, else the Certificate, ServerHello, ClientHello, first packet', () => {
    const start = BASE;
    expect(facts({ id: 1, server: '10.0.0.1', port: 8443, start, certAfter: 1600, alert: { from: 'client', description: 48, after: 1700 } }).ref).toBe(start + 1700);
    expect(facts({ id: 1, server: '10.0.0.1', port: 8443, start, certAfter: 1600, alert: { from: 'server', description: 40, after: 1700 } }).ref).toBe(start + 1600);
    expect(facts({ id: 1, server: '10.0.0.1', port: 8443, start, certAfter: null, shAfter: 1500 }).ref).toBe(start + 1500);
    const noSh = conn({ id: 1, server: '10.0.0.1', port: 8443, start, certAfter: null, chAfter: 400 });
    noSh.serverHelloMicros = null;
    expect(connFacts(noSh).ref).toBe(start + 400);
    noSh.clientHelloMicros = null;
    expect(connFacts(noSh).ref).toBe(start);
  });

  it('end is the latest of alerts, ClientHello, ServerHello and Certificate, never before the start', () => {
    const c = conn({ id: 1, server: '10.0.0.1', port: 8443, start: BASE, chAfter: 9000, shAfter: 100, certAfter: 200 });
    expect(connFacts(c).end).toBe(BASE + 9000);
    const d = conn({ id: 1, server: '10.0.0.1', port: 8443, start: BASE, chAfter: 100, shAfter: 9000, certAfter: 200 });
    expect(connFacts(d).end).toBe(BASE + 9000);
    const e = conn({ id: 1, server: '10.0.0.1', port: 8443, start: BASE, chAfter: 100, shAfter: 200, certAfter: 9000 });
    expect(connFacts(e).end).toBe(BASE + 9000);
    const a = conn({ id: 1, server: '10.0.0.1', port: 8443, start: BASE, chAfter: 100, shAfter: 200, certAfter: 300, alert: { from: 'server', description: 40, after: 9000 } });
    expect(connFacts(a).end).toBe(BASE + 9000);
    // times before the first packet (clock jitter) never pull end below start
    const b = conn({ id: 1, server: '10.0.0.1', port: 8443, start: BASE, chAfter: -50, shAfter: -40, certAfter: -30, alert: { from: 'client', description: 48, after: -20 } });
    b.clientHelloMicros = BASE - 50;
    expect(connFacts(b).end).toBe(BASE);
  });

  it('a warning-level cleartext alert is not fatal; an encrypted alert counts whatever its level', () => {
    const warn = conn({ id: 1, server: '10.0.0.1', port: 8443, start: BASE });
    warn.alerts = [{ from: 'client', level: 1, description: 0, cleartext: true, tsMicros: BASE + 5000, packet: 3 }];
    const f = connFacts(warn);
    expect([f.clientAlert, f.serverAlert]).toEqual([false, false]);
    // a non-fatal alert still moves the end, not the ref
    expect(f.end).toBe(BASE + 5000);
    expect(f.ref).toBe(BASE + 1600);
    const enc = conn({ id: 1, server: '10.0.0.1', port: 8443, start: BASE });
    enc.alerts = [{ from: 'server', level: -1, description: -1, cleartext: false, tsMicros: BASE + 5000, packet: 3 }];
    expect([connFacts(enc).clientAlert, connFacts(enc).serverAlert]).toEqual([false, true]);
    const encC = conn({ id: 1, server: '10.0.0.1', port: 8443, start: BASE });
    encC.alerts = [{ from: 'client', level: -1, description: -1, cleartext: false, tsMicros: BASE + 5000, packet: 3 }];
    expect([connFacts(encC).clientAlert, connFacts(encC).serverAlert, connFacts(encC).ref]).toEqual([true, false, BASE + 5000]);
  });

  it('ref is the first fatal client alert, not a later one', () => {
    const c = conn({ id: 1, server: '10.0.0.1', port: 8443, start: BASE });
    c.alerts = [
      { from: 'client', level: 2, description: 48, cleartext: true, tsMicros: BASE + 3000, packet: 3 },
      { from: 'client', level: 2, description: 80, cleartext: true, tsMicros: BASE + 4000, packet: 4 },
    ];
    expect(connFacts(c).ref).toBe(BASE + 3000);
    expect(connFacts(c).end).toBe(BASE + 4000);
  });

  it('normalises addresses and SNI; checked is the SNI, else the server IP', () => {
    const f = facts({ id: 9, server: '2001:DB8::0:5', port: 443, client: '[2001:db8::0:9]', clientPort: 4000, start: BASE, sni: 'CUCM.Lab.' });
    expect(f).toMatchObject({ id: 9, ip: '2001:db8::5', port: 443, clientIp: '2001:db8::9', clientPort: 4000, start: BASE, sni: 'cucm.lab', checked: 'cucm.lab', hasHello: true });
    const g = facts({ id: 2, server: '10.0.0.1', port: 443, start: BASE });
    expect([g.sni, g.checked, g.hasHello]).toEqual([null, '10.0.0.1', true]);
    const h = facts({ id: 3, server: '10.0.0.1', port: 443, start: BASE, sni: '' });
    expect([h.sni, h.checked]).toEqual([null, '10.0.0.1']);
    const n = facts({ id: 4, server: '10.0.0.1', port: 443, start: BASE, sni: null });
    expect([n.sni, n.checked, n.hasHello]).toEqual([null, '10.0.0.1', false]);
  });
});

describe('correlate-state: helpers', () => {
  it('compareKeys is lexicographic; pickBest keeps the first of equal keys', () => {
    expect(compareKeys([1, 2], [1, 3])).toBeLessThan(0);
    expect(compareKeys([2, 0], [1, 9])).toBeGreaterThan(0);
    expect(compareKeys([1, 2], [1, 2])).toBe(0);
    expect(pickBest([], () => [0])).toBeNull();
    expect(pickBest(['a', 'b', 'c'], (c) => [c === 'a' ? 1 : 0, 0])).toBe('b');
    expect(pickBest(['a', 'b', 'c'], (c) => [0, c === 'c' ? -1 : 0])).toBe('c');
    expect(pickBest(['a', 'b'], () => [0])).toBe('a');
    expect(pickBest(['a', 'b', 'c'], (c) => [{ a: 3, b: 1, c: 2 }[c] as number])).toBe('b');
  });

  it('lowerBoundBy / lowerBound find the first element whose key is ≥ x', () => {
    const a = [1, 3, 3, 5, 9];
    expect(lowerBoundBy(a, 3, (v) => v)).toBe(1);
    expect(lowerBoundBy(a, 4, (v) => v)).toBe(3);
    expect(lowerBoundBy(a, 0, (v) => v)).toBe(0);
    expect(lowerBoundBy(a, 10, (v) => v)).toBe(5);
    expect(lowerBoundBy([], 1, (v: number) => v)).toBe(0);
    expect(lowerBoundBy([1, 2, 3, 4, 5, 6, 7, 8], 7, (v) => v)).toBe(6);
    const l = [10, 20, 30].map((s, i) => facts({ id: i + 1, server: '10.0.0.1', port: 1, start: s }));
    expect(lowerBound(l, 20)).toBe(1);
    expect(lowerBound(l, 21)).toBe(2);
  });
});

describe('correlate-state: CorrelationState', () => {
  const W = 2_000_000;
  const mk = (id: number, start: number, extra: Partial<ConnSpec> = {}): ConnFacts =>
    facts({ id, server: '10.0.0.1', port: 8443, start, ...extra });

  it('indexes connections by IP, ip|port, checked name, client endpoint and id, sorted by start then id', () => {
    const a = mk(2, BASE + 10), b = mk(1, BASE + 10), c = mk(3, BASE, { port: 6972, sni: 'x.lab' });
    const st = new CorrelationState([a, b, c], 0, W);
    expect(st.byIp.get('10.0.0.1')?.map((f) => f.id)).toEqual([3, 1, 2]);
    expect(st.to('10.0.0.1', null)?.map((f) => f.id)).toEqual([3, 1, 2]);
    expect(st.to('10.0.0.1', 8443)?.map((f) => f.id)).toEqual([1, 2]);
    expect(st.to('10.0.0.1', 6972)?.map((f) => f.id)).toEqual([3]);
    expect(st.to('10.0.0.1', 443)).toBeUndefined();
    expect(st.byName.get('x.lab')?.map((f) => f.id)).toEqual([3]);
    expect(st.byName.get('10.0.0.1')?.map((f) => f.id)).toEqual([1, 2]);
    expect(st.byClient.get(`10.48.36.100|${30001}`)?.map((f) => f.id)).toEqual([1]);
    expect(st.byId.get(3)).toBe(c);
  });

  it('t() applies the offset; dist() measures to the event interval [t, t + precision]', () => {
    const st = new CorrelationState([], 1000, W);
    const e = ev({ kind: 'other', line: 1, timeMicros: BASE });
    expect(st.t(e)).toBe(BASE - 1000);
    expect(st.t(ev({ kind: 'other', line: 1, timeMicros: null }))).toBeNull();
    expect(st.dist(ev({ kind: 'other', line: 1, timeMicros: null }), BASE)).toBe(Infinity);
    expect(st.dist(e, BASE - 1000)).toBe(0);
    expect(st.dist(e, BASE - 1500)).toBe(500);
    expect(st.dist(e, BASE - 999)).toBe(1);
    const coarse = ev({ kind: 'other', line: 1, timeMicros: BASE, timePrecisionMs: 1000 });
    expect(st.dist(coarse, BASE - 1000 + 1_000_000)).toBe(0);
    expect(st.dist(coarse, BASE - 1000 + 500_000)).toBe(0);
    expect(st.dist(coarse, BASE - 1000 + 1_000_007)).toBe(7);
    expect(st.dist(coarse, BASE - 1007)).toBe(7);
  });

  it('attach records each connection once; claims are per connection and key', () => {
    const a = mk(1, BASE), b = mk(2, BASE + 1);
    const st = new CorrelationState([a, b], 0, W);
    const e = ev({ kind: 'other', line: 1 });
    expect(st.isMatched(e)).toBe(false);
    st.attach(e, a);
    st.attach(e, a);
    st.attach(e, b);
    expect(st.eventConns.get(e)).toEqual([1, 2]);
    expect(st.isMatched(e)).toBe(true);
    expect(st.claimed(a, 'k')).toBe(false);
    st.claim(a, 'k');
    st.claim(a, 'j');
    expect(st.claimed(a, 'k')).toBe(true);
    expect(st.claimed(a, 'j')).toBe(true);
    expect(st.claimed(a, 'x')).toBe(false);
    expect(st.claimed(b, 'k')).toBe(false);
  });

  it('between() returns the connections starting in [from, to], inclusive', () => {
    const l = [mk(1, 100), mk(2, 200), mk(3, 300)];
    const st = new CorrelationState(l, 0, W);
    const list = st.to('10.0.0.1', 8443);
    expect(st.between(undefined, 0, 1000, 0)).toEqual([]);
    expect(st.between(list, 100, 300, 0).map((f) => f.id)).toEqual([1, 2, 3]);
    expect(st.between(list, 101, 299, 0).map((f) => f.id)).toEqual([2]);
    expect(st.narrowed).toBe(0);
  });

  it('between() narrows a crowded range to the MAX_CANDIDATES starting nearest t, in start order', () => {
    const n = MAX_CANDIDATES + 10;
    const l = Array.from({ length: n }, (_, i) => mk(i + 1, 1000 + i * 10));
    const st = new CorrelationState(l, 0, W);
    const list = st.to('10.0.0.1', 8443);
    // exactly MAX_CANDIDATES in range: not narrowed
    expect(st.between(list, 1000, 1000 + (MAX_CANDIDATES - 1) * 10, 0)).toHaveLength(MAX_CANDIDATES);
    expect(st.narrowed).toBe(0);
    const got = st.between(list, 0, 1e9, 1000);
    expect(st.narrowed).toBe(1);
    expect(got.map((f) => f.id)).toEqual(Array.from({ length: MAX_CANDIDATES }, (_, i) => i + 1));
    const late = st.between(list, 0, 1e9, 1e9);
    expect(late.map((f) => f.id)).toEqual(Array.from({ length: MAX_CANDIDATES }, (_, i) => i + 11));
    // centred: 5 dropped on each side; a tie (t half-way) goes to the earlier one
    const mid = 1000 + (n / 2) * 10 - 5;
    const c = st.between(list, 0, 1e9, mid).map((f) => f.id);
    expect(c[0]).toBe(6);
    expect(c[c.length - 1]).toBe(n - 5);
    expect(c).toHaveLength(MAX_CANDIDATES);
  });

  it('between(): counts as narrowed only a range of more than MAX_CANDIDATES; keeps the first one when t is nearest it', () => {
    const n = MAX_CANDIDATES + 100;
    const l = Array.from({ length: n }, (_, i) => mk(i + 1, 1000 + i * 10));
    const st = new CorrelationState(l, 0, W);
    const list = st.to('10.0.0.1', 8443);
    // 200 connections from index 156 on: not crowded
    expect(st.between(list, 1000 + 156 * 10, 1e9, 1e9)).toHaveLength(200);
    expect(st.narrowed).toBe(0);
    // t just after the first start: the first one is the nearest and is kept
    const got = st.between(list, 0, 1e9, 1001).map((f) => f.id);
    expect(got[0]).toBe(1);
    expect(got[got.length - 1]).toBe(MAX_CANDIDATES);
  });

  it('near(): ref and end orders are kept apart (a handshake whose ref is early but end late)', () => {
    // a: client alert at +100 (ref), then a non-fatal alert at +9000 (end); b: ref = end = start + 1600
    const ac = conn({ id: 1, server: '10.0.0.1', port: 8443, start: BASE });
    ac.alerts = [
      { from: 'client', level: 2, description: 48, cleartext: true, tsMicros: BASE + 100, packet: 3 },
      { from: 'server', level: 1, description: 0, cleartext: true, tsMicros: BASE + 9000, packet: 4 },
    ];
    const a = connFacts(ac), b = mk(2, BASE + 1000), c = mk(3, BASE + 2000);
    const st = new CorrelationState([a, b, c], 0, 10);
    const list = st.byIp.get('10.0.0.1');
    expect(st.near(list, 'ref', BASE + 100).map((f) => f.id)).toEqual([1]);
    expect(st.near(list, 'end', BASE + 2600).map((f) => f.id)).toEqual([2]);
    expect(st.near(list, 'end', BASE + 3600).map((f) => f.id)).toEqual([3]);
    expect(st.near(list, 'end', BASE + 9000).map((f) => f.id)).toEqual([1]);
    const st2 = new CorrelationState([a, b, c], 0, 10);
    const list2 = st2.byIp.get('10.0.0.1');
    expect(st2.near(list2, 'end', BASE + 9000).map((f) => f.id)).toEqual([1]);
    expect(st2.near(list2, 'ref', BASE + 2600).map((f) => f.id)).toEqual([2]);
    expect(st2.near(list2, 'ref', BASE + 100).map((f) => f.id)).toEqual([1]);
  });

  it('latestBefore(): latest start strictly before t, not before from, that satisfies ok, within maxSteps', () => {
    const l = [mk(1, 100), mk(2, 200), mk(3, 300)];
    expect(CorrelationState.latestBefore(undefined, 1000, 0, () => true)).toBeNull();
    expect(CorrelationState.latestBefore(l, 300, 0, () => true)?.id).toBe(2);
    expect(CorrelationState.latestBefore(l, 301, 0, () => true)?.id).toBe(3);
    expect(CorrelationState.latestBefore(l, 301, 0, (f) => f.id !== 3)?.id).toBe(2);
    expect(CorrelationState.latestBefore(l, 301, 200, (f) => f.id === 2)?.id).toBe(2);
    expect(CorrelationState.latestBefore(l, 301, 201, (f) => f.id === 2)).toBeNull();
    expect(CorrelationState.latestBefore(l, 100, 0, () => true)).toBeNull();
    expect(CorrelationState.latestBefore(l, 301, 0, (f) => f.id === 1, 2)).toBeNull();
    expect(CorrelationState.latestBefore(l, 301, 0, (f) => f.id === 1, 3)?.id).toBe(1);
  });

  it('near(): connections whose ref / end lies within window + extra of t, inclusive, in start order', () => {
    // ref = start + 1600 (certificate); end = start + 1600
    const a = mk(1, BASE), b = mk(2, BASE + 10_000, { alert: { from: 'client', description: 48, after: 50_000 } });
    const st = new CorrelationState([a, b], 0, 1000);
    const list = st.byIp.get('10.0.0.1');
    expect(st.near(undefined, 'ref', BASE)).toEqual([]);
    expect(st.near([], 'ref', BASE)).toEqual([]);
    expect(st.near(list, 'ref', BASE + 1600 - 1000).map((f) => f.id)).toEqual([1]);
    expect(st.near(list, 'ref', BASE + 1600 + 1000).map((f) => f.id)).toEqual([1]);
    expect(st.near(list, 'ref', BASE + 1600 + 1001)).toEqual([]);
    expect(st.near(list, 'ref', BASE + 1600 - 1001)).toEqual([]);
    // b: ref = alert (start + 50 ms), end = alert
    expect(st.near(list, 'ref', BASE + 60_000).map((f) => f.id)).toEqual([2]);
    expect(st.near(list, 'ref', BASE + 11_600)).toEqual([]);
    expect(st.near(list, 'end', BASE + 60_000).map((f) => f.id)).toEqual([2]);
    expect(st.near(list, 'end', BASE + 62_000, 1000).map((f) => f.id)).toEqual([2]);
    expect(st.near(list, 'end', BASE + 62_001, 1000)).toEqual([]);
    // wide enough for both: start order, whichever field sorted them
    const wide = new CorrelationState([b, a], 0, 1_000_000);
    expect(wide.near(wide.byIp.get('10.0.0.1'), 'ref', BASE).map((f) => f.id)).toEqual([1, 2]);
    expect(wide.near(wide.byIp.get('10.0.0.1'), 'end', BASE).map((f) => f.id)).toEqual([1, 2]);
  });

  it('near() sorts by the field, not by start, before cutting the window (cache kept per field)', () => {
    // a starts first but its ref is much later than b's
    const a = mk(1, BASE, { alert: { from: 'client', description: 48, after: 900_000 } });
    const b = mk(2, BASE + 1000);
    const c = mk(3, BASE + 2000);
    const st = new CorrelationState([a, b, c], 0, 10_000);
    const list = st.byIp.get('10.0.0.1');
    expect(st.near(list, 'ref', BASE + 2600).map((f) => f.id)).toEqual([2, 3]);
    expect(st.near(list, 'ref', BASE + 900_000).map((f) => f.id)).toEqual([1]);
    // end: a ends at its alert too; asked after 'ref' on the same list, uses its own order
    expect(st.near(list, 'end', BASE + 900_000).map((f) => f.id)).toEqual([1]);
    expect(st.near(list, 'end', BASE + 2600).map((f) => f.id)).toEqual([2, 3]);
  });

  it('near() sorts equal field values by start then id', () => {
    // equal refs (the same alert moment), different starts / ids; narrowed to the nearest: all tie
    const n = MAX_CANDIDATES + 4;
    const l = Array.from({ length: n }, (_, i) => mk(n - i, BASE + i, { alert: { from: 'client', description: 48, after: 100_000 - i } }));
    const st = new CorrelationState(l, 0, 1000);
    const got = st.near(st.byIp.get('10.0.0.1'), 'ref', BASE + 100_000 + 500);
    expect(st.narrowed).toBe(1);
    expect(got).toHaveLength(MAX_CANDIDATES);
    // all refs before t: the last MAX_CANDIDATES in (ref, start, id) order are kept, i.e. the latest starts
    expect(got.map((f) => f.start)).toEqual(Array.from({ length: MAX_CANDIDATES }, (_, i) => BASE + 4 + i));
  });

  it('near() narrows a crowded window to the MAX_CANDIDATES nearest in the field, and counts it', () => {
    const n = MAX_CANDIDATES + 6;
    const l = Array.from({ length: n }, (_, i) => mk(i + 1, BASE + i * 10));
    const st = new CorrelationState(l, 0, 1_000_000);
    const list = st.byIp.get('10.0.0.1');
    const first = st.near(list, 'ref', BASE);
    expect(st.narrowed).toBe(1);
    expect(first.map((f) => f.id)).toEqual(Array.from({ length: MAX_CANDIDATES }, (_, i) => i + 1));
    const last = st.near(list, 'ref', BASE + 1e6);
    expect(last.map((f) => f.id)).toEqual(Array.from({ length: MAX_CANDIDATES }, (_, i) => i + 7));
    // refs BASE+1600+10i; t between i=2 and i=3 (nearer 3): drops 3 at each end
    const mid = st.near(list, 'ref', BASE + 1600 + (n / 2) * 10 - 4);
    expect(mid[0].id).toBe(4);
    expect(mid[mid.length - 1].id).toBe(n - 3);
    // exact half-way: the earlier one wins the tie
    const tie = st.near(list, 'ref', BASE + 1600 + (n / 2) * 10 - 5);
    expect(tie[0].id).toBe(4);
    expect(tie[tie.length - 1].id).toBe(n - 3);
    expect(st.narrowed).toBe(4);
    // not narrowed at exactly MAX_CANDIDATES
    const few = new CorrelationState(l.slice(0, MAX_CANDIDATES), 0, 1_000_000);
    expect(few.near(few.byIp.get('10.0.0.1'), 'ref', BASE)).toHaveLength(MAX_CANDIDATES);
    expect(few.narrowed).toBe(0);
  });
});

describe('correlate-offset: estimateOffsetMicros', () => {
  const IP = '10.0.0.1';
  /** connection k to port 10000+k starting at BASE + k s, so each Sending Request pairs with one SYN */
  const solo = (k: number, extra: Partial<ConnSpec> = {}): ConnFacts => facts({ id: k + 1, server: IP, port: 10000 + k, start: BASE + k * 1_000_000, ...extra });
  /** a Sending Request to connection k's port, logged `delta` µs after its SYN (log clock − capture) */
  const sentTo = (k: number, delta: number, extra: Partial<LogEvent> = {}): LogEvent =>
    ev({ kind: 'request_sent', line: k + 1, serverIp: IP, serverPort: 10000 + k, timeMicros: BASE + k * 1_000_000 + delta, ...extra });
  const est = (conns: ConnFacts[], events: LogEvent[]): number | null => estimateOffsetMicros(new CorrelationState(conns, 0, 2_000_000), events);

  it('a Sending Request pairs with the SYN of a connection to its ip:port', () => {
    expect(est([solo(0)], [sentTo(0, 300_000)])).toBe(300_000);
    expect(est([solo(0)], [sentTo(0, -300_000)])).toBe(-300_000);
    // IPv6 written differently in the log
    const v6 = facts({ id: 1, server: '2001:db8::1', port: 8443, start: BASE });
    expect(est([v6], [ev({ kind: 'request_sent', line: 1, serverIp: '2001:DB8:0::1', serverPort: 8443, timeMicros: BASE + 1000 })])).toBe(1000);
  });

  it('unusable events give no pair: no time, no IP, coarse time, Sending Request without port, other kinds', () => {
    const c = [solo(0)];
    expect(est(c, [])).toBeNull();
    expect(est(c, [sentTo(0, 1000, { timeMicros: null })])).toBeNull();
    expect(est(c, [sentTo(0, 1000, { serverIp: null })])).toBeNull();
    expect(est(c, [sentTo(0, 1000, { timePrecisionMs: 1000 })])).toBeNull();
    expect(est(c, [sentTo(0, 1000, { timePrecisionMs: 2 })])).toBeNull();
    expect(est(c, [sentTo(0, 1000, { timePrecisionMs: 1 })])).toBe(1000);
    expect(est(c, [sentTo(0, 1000, { serverPort: null })])).toBeNull();
    expect(est(c, [sentTo(0, 1000, { kind: 'connect_attempt_failed' })])).toBeNull();
    expect(est(c, [sentTo(0, 1000, { kind: 'ssl_connect_failed', sni: '10.0.0.1' })])).toBeNull();
    // no connection to that ip:port
    expect(est(c, [sentTo(0, 1000, { serverPort: 1 })])).toBeNull();
  });

  it('a verification warning pairs with the ref of handshakes to its IP whose checked name is its SNI (or that lack a ClientHello)', () => {
    // ref = start + 1600 (server Certificate)
    const other = facts({ id: 1, server: IP, port: 8443, start: BASE, sni: 'b.lab' });
    const mine = facts({ id: 2, server: IP, port: 8443, start: BASE + 5_000_000, sni: 'A.lab' });
    const w = (extra: Partial<LogEvent>): LogEvent => ev({ kind: 'verify_failed', line: 1, serverIp: IP, sni: 'a.lab', timeMicros: BASE + 1600 + 100, ...extra });
    // only `mine` qualifies: delta = (BASE+1700) − (BASE+5 s+1600) = −4.9999 s, one event: beyond 2 s → null
    expect(est([other, mine], [w({})])).toBeNull();
    // the name filter is what excludes `other`: without an SNI on the line both pair, `other` is nearer
    expect(est([other, mine], [w({ sni: null })])).toBe(100);
    expect(est([other], [w({ kind: 'sni_mismatch', sni: 'b.lab.' })])).toBe(100);
    expect(est([other], [w({ kind: 'origin_hostname_mismatch', sni: 'B.LAB' })])).toBe(100);
    // a handshake without ClientHello could have been checked against any name
    const noHello = facts({ id: 3, server: IP, port: 8443, start: BASE, sni: null });
    expect(est([noHello], [w({})])).toBe(100);
    // the port of a warning is ignored: pairs with any port of that IP
    expect(est([other], [w({ sni: 'b.lab', serverPort: 1 })])).toBe(100);
  });

  it('the densest cluster by distinct events wins over more pairs of one event', () => {
    // event 0 pairs twice (two connections to its port, 100 ms apart): 2 pairs, 1 event, offset ~0
    const twin = facts({ id: 50, server: IP, port: 10000, start: BASE + 100_000 });
    // events 1 and 2 agree on +5 s
    const conns = [solo(0), twin, solo(1), solo(2)];
    const events = [sentTo(0, 100_000), sentTo(1, 5_000_000), sentTo(2, 5_000_000)];
    expect(est(conns, events)).toBe(5_000_000);
    // a second event near 0: two events each side, the cluster nearer zero wins; its median is over pairs (0, 50 ms, 100 ms)
    expect(est([...conns, solo(3)], [...events, sentTo(3, 50_000)])).toBe(50_000);
  });

  it('events 250 ms apart (inclusive) form one cluster; median of an even cluster is the mean of the middle two', () => {
    expect(est([solo(0), solo(1)], [sentTo(0, 3_000_000), sentTo(1, 3_250_000)])).toBe(3_125_000);
    // 1 µs more: two clusters of one event each, beyond 2 s → no offset
    expect(est([solo(0), solo(1)], [sentTo(0, 3_000_000), sentTo(1, 3_250_001)])).toBeNull();
    // odd cluster: the middle delta
    expect(est([solo(0), solo(1), solo(2)], [sentTo(0, 100_000), sentTo(1, 110_000), sentTo(2, 300_000)])).toBe(110_000);
    // even cluster of 4, rounded
    expect(est([solo(0), solo(1), solo(2), solo(3)], [sentTo(0, 100_000), sentTo(1, 150_001), sentTo(2, 200_000), sentTo(3, 260_000)])).toBe(175_001);
  });

  it('offsets beyond 2 s need two distinct events; up to 2 s one is enough', () => {
    expect(est([solo(0)], [sentTo(0, 2_000_000)])).toBe(2_000_000);
    expect(est([solo(0)], [sentTo(0, -2_000_000)])).toBe(-2_000_000);
    expect(est([solo(0)], [sentTo(0, 2_000_001)])).toBeNull();
    expect(est([solo(0)], [sentTo(0, -2_000_001)])).toBeNull();
    // the same event twice in one cluster (two SYNs) is still one event
    const twin = facts({ id: 50, server: IP, port: 10000, start: BASE + 100_000 });
    expect(est([solo(0), twin], [sentTo(0, 3_000_000)])).toBeNull();
    expect(est([solo(0), solo(1)], [sentTo(0, 3_000_000), sentTo(1, 3_000_000)])).toBe(3_000_000);
  });

  it('equal clusters: the one nearer zero wins; an exact tie keeps the smaller (first) offset', () => {
    expect(est([solo(0)], [sentTo(0, 0), { ...sentTo(0, 0), timeMicros: BASE + 1_500_000 }])).toBe(0);
    // one event, two SYNs 1 s either side: −1 s and +1 s tie on distance
    const c = [facts({ id: 1, server: IP, port: 8443, start: BASE }), facts({ id: 2, server: IP, port: 8443, start: BASE + 2_000_000 })];
    const e = ev({ kind: 'request_sent', line: 1, serverIp: IP, serverPort: 8443, timeMicros: BASE + 1_000_000 });
    expect(est(c, [e])).toBe(-1_000_000);
    // 1 µs nearer the later SYN: +... no, the earlier SYN is now farther: −999,999 wins
    expect(est(c, [{ ...e, timeMicros: BASE + 1_000_001 }])).toBe(-999_999);
    expect(est(c, [{ ...e, timeMicros: BASE + 999_999 }])).toBe(999_999);
  });

  it('the cluster centre decides ties between equally dense clusters', () => {
    // cluster A: two events at +3.0 s and +3.2 s (centre: +3.0 s); cluster B: two events at −3.3 s and −3.1 s (centre −3.3 s)
    // A is nearer zero by its centre
    const conns = [solo(0), solo(1), solo(2), solo(3)];
    expect(est(conns, [sentTo(0, 3_000_000), sentTo(1, 3_200_000), sentTo(2, -3_300_000), sentTo(3, -3_100_000)])).toBe(3_100_000);
    // mirrored: B centre −3.1 s (window start −3.2 s … its middle) vs A centre +3.3 s
    expect(est(conns, [sentTo(0, 3_300_000), sentTo(1, 3_500_000), sentTo(2, -3_200_000), sentTo(3, -3_000_000)])).toBe(-3_100_000);
  });

  it('pairs only within ±15 h', () => {
    const h15 = MAX_OFFSET_US;
    expect(est([solo(0), solo(1)], [sentTo(0, h15), sentTo(1, h15)])).toBe(h15);
    expect(est([solo(0), solo(1)], [sentTo(0, h15 + 1), sentTo(1, h15 + 1)])).toBeNull();
    expect(est([solo(0), solo(1)], [sentTo(0, -h15 + 1), sentTo(1, -h15 + 1)])).toBe(-h15 + 1);
    expect(est([solo(0), solo(1)], [sentTo(0, -h15), sentTo(1, -h15)])).toBeNull();
  });

  it('pairs every stride-th connection when more than 4,000 lie within ±15 h', () => {
    // 8,001 connections to one port, one a second: stride 3 (0, 3, 6, …)
    const conns = Array.from({ length: 8001 }, (_, k) => facts({ id: k + 1, server: IP, port: 8443, start: BASE + k * 1_000_000 }));
    const at = (k: number): LogEvent => ev({ kind: 'request_sent', line: 1, serverIp: IP, serverPort: 8443, timeMicros: BASE + k * 1_000_000 });
    expect(est(conns, [at(3999)])).toBe(0);
    // 4000 is skipped: the nearest sampled SYN is 3999, one second earlier
    expect(est(conns, [at(4000)])).toBe(1_000_000);
    // with at most 4,000 every one is paired
    expect(est(conns.slice(0, 4000), [at(3998)])).toBe(0);
  });

  it('samples at most 400 usable events, evenly', () => {
    // 450 usable events: sampling drops indices 8, 17, 26, … (every 9th); unusable ones are not counted
    const n = 450;
    const conns = Array.from({ length: n }, (_, k) => solo(k));
    const dropped = new Set(Array.from({ length: 50 }, (_, k) => 8 + 9 * k));
    const events: LogEvent[] = [];
    let b = 0;
    for (let k = 0; k < n; k++) {
      events.push(sentTo(k, 0, { serverPort: null }));
      // the 50 dropped agree on +1 s; 45 others on +0.5 s; the rest scattered far apart
      if (dropped.has(k)) events.push(sentTo(k, 1_000_000));
      else if (b++ < 45) events.push(sentTo(k, 500_000));
      else events.push(sentTo(k, -5_000_000 - k * 1_000_000));
    }
    expect(est(conns, events)).toBe(500_000);
    // the same events without sampling (≤ 400): the +1 s group wins
    const kept = events.filter((e) => e.serverPort !== null && (dropped.has(e.line - 1) || e.timeMicros === BASE + (e.line - 1) * 1_000_000 + 500_000));
    expect(est(conns, kept)).toBe(1_000_000);
  });
});

describe('correlate-assign: Sending Request attempts', () => {
  const IP = '10.0.0.1';
  const W = 2_000_000;
  const sent = (line: number, at: number, extra: Partial<LogEvent> = {}): LogEvent =>
    ev({ kind: 'request_sent', line, serverIp: IP, serverPort: 8443, timeMicros: at, txnId: '7', level: 'INFO', pid: 100, ...extra });
  const groups = (events: LogEvent[], offset = 0): number[][] =>
    groupAttempts(new CorrelationState([], offset, W), events).map((a) => a.events.map((e) => e.line));

  it('txnKey keys a Txn-id by file and process', () => {
    expect(txnKey(ev({ kind: 'other', line: 1, txnId: null }))).toBeNull();
    const a = txnKey(ev({ kind: 'other', line: 1, txnId: '5', pid: 1 }));
    expect(a).not.toBeNull();
    expect(txnKey(ev({ kind: 'other', line: 9, txnId: '5', pid: 1 }))).toBe(a);
    expect(txnKey(ev({ kind: 'other', line: 1, txnId: '5', pid: 2 }))).not.toBe(a);
    expect(txnKey(ev({ kind: 'other', line: 1, txnId: '5', pid: 1, file: 'y.log' }))).not.toBe(a);
    expect(txnKey(ev({ kind: 'other', line: 1, txnId: '6', pid: 1 }))).not.toBe(a);
    // no pid and pid null are the same key; the key separates fields (no "1" + "15" = "11" + "5" collision)
    expect(txnKey(ev({ kind: 'other', line: 1, txnId: '5' }))).toBe(txnKey(ev({ kind: 'other', line: 1, txnId: '5', pid: null })));
    expect(txnKey(ev({ kind: 'other', line: 1, txnId: '15', pid: 1 }))).not.toBe(txnKey(ev({ kind: 'other', line: 1, txnId: '5', pid: 11 })));
  });

  it('an INFO and a DEBUG copy of one line (same txn, ip:port, within 5 ms) are one attempt', () => {
    expect(groups([sent(1, BASE), sent(2, BASE + 5000, { level: 'DEBUG' })])).toEqual([[1, 2]]);
    expect(groups([sent(1, BASE), sent(2, BASE + 5001, { level: 'DEBUG' })])).toEqual([[1], [2]]);
    // two INFO lines: two attempts (a retry), however close
    expect(groups([sent(1, BASE), sent(2, BASE)])).toEqual([[1], [2]]);
    // a third copy of a level already seen starts a new attempt; the next DEBUG joins that one
    expect(groups([sent(1, BASE), sent(2, BASE, { level: 'DEBUG' }), sent(3, BASE + 10), sent(4, BASE + 20, { level: 'DEBUG' })])).toEqual([[1, 2], [3, 4]]);
    // another port, another IP, another txn, no txn: separate
    expect(groups([sent(1, BASE), sent(2, BASE, { level: 'DEBUG', serverPort: 6972 })])).toEqual([[1], [2]]);
    expect(groups([sent(1, BASE), sent(2, BASE, { level: 'DEBUG', serverIp: '10.0.0.2' })])).toEqual([[1], [2]]);
    expect(groups([sent(1, BASE), sent(2, BASE, { level: 'DEBUG', txnId: '8' })])).toEqual([[1], [2]]);
    expect(groups([sent(1, BASE, { txnId: null }), sent(2, BASE, { level: 'DEBUG', txnId: null })])).toEqual([[1], [2]]);
    // no level at all counts as one level
    expect(groups([sent(1, BASE, { level: null }), sent(2, BASE, { level: null })])).toEqual([[1], [2]]);
    expect(groups([sent(1, BASE, { level: null }), sent(2, BASE, { level: 'DEBUG' })])).toEqual([[1, 2]]);
    // the IP compares canonically
    expect(groups([sent(1, BASE, { serverIp: '2001:db8::1' }), sent(2, BASE, { level: 'DEBUG', serverIp: '2001:DB8:0::1' })])).toEqual([[1, 2]]);
  });

  it('an attempt records its time on the capture clock, ip, port and txn; lines without time or IP are skipped', () => {
    const st = new CorrelationState([], 1000, W);
    const a = groupAttempts(st, [sent(1, BASE, { timeMicros: null }), sent(2, BASE, { serverIp: null }), sent(3, BASE, { serverIp: '2001:DB8::1' })]);
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ t: BASE - 1000, ip: '2001:db8::1', port: 8443, txn: txnKey(sent(3, BASE)) });
    expect([...a[0].levels]).toEqual(['INFO']);
  });

  const mk = (id: number, start: number, extra: Partial<ConnSpec> = {}): ConnFacts => facts({ id, server: IP, port: 8443, start, ...extra });
  const assign = (conns: ConnFacts[], events: LogEvent[], offset = 0): Map<number, number[]> => {
    const st = new CorrelationState(conns, offset, W);
    const res = assignAttempts(st, groupAttempts(st, events));
    const out = new Map<number, number[]>();
    for (const [a, f] of res) out.set(a.events[0].line, [f.id, ...a.events.map((e) => st.eventConns.get(e)?.[0] ?? -1)]);
    return out;
  };

  it('ties an attempt to the SYN nearest it in [t − 250 ms, t + window], one to one in time order', () => {
    const conns = [mk(1, BASE + 1000), mk(2, BASE + 3000)];
    const r = assign(conns, [sent(1, BASE), sent(2, BASE + 2000, { txnId: '8' })]);
    expect(r.get(1)).toEqual([1, 1]);
    expect(r.get(2)).toEqual([2, 2]);
    // both copies of a merged attempt attach
    expect(assign([mk(1, BASE + 1000)], [sent(1, BASE), sent(2, BASE + 100, { level: 'DEBUG' })]).get(1)).toEqual([1, 1, 1]);
    // window bounds (inclusive)
    expect(assign([mk(1, BASE - 250_000)], [sent(1, BASE)]).get(1)?.[0]).toBe(1);
    expect(assign([mk(1, BASE + W)], [sent(1, BASE)]).get(1)?.[0]).toBe(1);
    expect(assign([mk(1, BASE + W + 1, { alert: { from: 'client', description: 48, after: 10 } })], [sent(1, BASE)]).get(1)).toBeUndefined();
    // earlier than 250 ms: not fresh, but a kept-alive candidate
    expect(assign([mk(1, BASE - 250_001)], [sent(1, BASE)]).get(1)?.[0]).toBe(1);
    // nearest by |start − t|; equal distance → the earlier start
    expect(assign([mk(1, BASE - 100_000), mk(2, BASE + 50_000)], [sent(1, BASE)]).get(1)?.[0]).toBe(2);
    expect(assign([mk(1, BASE - 40_000), mk(2, BASE + 50_000)], [sent(1, BASE)]).get(1)?.[0]).toBe(1);
    expect(assign([mk(1, BASE - 50_000), mk(2, BASE + 50_000)], [sent(1, BASE)]).get(1)?.[0]).toBe(1);
    expect(assign([mk(2, BASE + 50_000), mk(1, BASE - 50_000)], [sent(1, BASE)]).get(1)?.[0]).toBe(1);
    // the offset moves the window
    expect(assign([mk(1, BASE + 3_000_000)], [sent(1, BASE)], -3_000_000).get(1)?.[0]).toBe(1);
  });

  it('a SYN already claimed by an earlier attempt is not reused as fresh; the second attempt takes the next one', () => {
    const conns = [mk(1, BASE + 1000), mk(2, BASE + 1500_000)];
    const r = assign(conns, [sent(1, BASE), sent(2, BASE + 10)]);
    expect(r.get(1)?.[0]).toBe(1);
    expect(r.get(2)?.[0]).toBe(2);
  });

  it('no fresh SYN: the latest connection opened before, within 10 min, whose handshake did not fail (keep-alive)', () => {
    const ok1 = mk(1, BASE - 60_000_000);
    const ok2 = mk(2, BASE - 30_000_000);
    const failedC = mk(3, BASE - 20_000_000, { alert: { from: 'client', description: 48, after: 10 } });
    const failedS = mk(4, BASE - 10_000_000, { alert: { from: 'server', description: 40, after: 10 } });
    const r = assign([ok1, ok2, failedC, failedS], [sent(1, BASE)]);
    expect(r.get(1)).toEqual([2, 2]);
    // reuse does not claim: a second attempt can reuse the same connection
    const r2 = assign([ok1, ok2], [sent(1, BASE), sent(2, BASE + 1_000_000)]);
    expect(r2.get(1)?.[0]).toBe(2);
    expect(r2.get(2)?.[0]).toBe(2);
    // 10 minutes (inclusive), not more
    expect(assign([mk(1, BASE - 600_000_000)], [sent(1, BASE)]).get(1)?.[0]).toBe(1);
    expect(assign([mk(1, BASE - 600_000_001)], [sent(1, BASE)]).get(1)).toBeUndefined();
    // another port is not a keep-alive candidate
    expect(assign([mk(1, BASE - 60_000_000, { port: 6972 })], [sent(1, BASE)]).get(1)).toBeUndefined();
  });

  it('a Sending Request without port pairs with any port of its IP', () => {
    expect(assign([mk(1, BASE + 1000, { port: 6972 })], [sent(1, BASE, { serverPort: null })]).get(1)?.[0]).toBe(1);
  });
});

describe('correlate-assign: CONNECT failures, verification warnings, SNI-only lines, 4-tuples', () => {
  const IP = '10.0.0.1';
  const W = 2_000_000;
  const mk = (id: number, start: number, extra: Partial<ConnSpec> = {}): ConnFacts => facts({ id, server: IP, port: 8443, start, ...extra });
  const fail = { from: 'client' as const, description: 48, after: 1700 };
  const ids = (st: CorrelationState, e: LogEvent): number[] | undefined => st.eventConns.get(e);

  describe('CONNECT: attempt fail (ip:port, 1 s resolution)', () => {
    const cf = (line: number, at: number, extra: Partial<LogEvent> = {}): LogEvent =>
      ev({ kind: 'connect_attempt_failed', line, serverIp: IP, serverPort: 8443, timeMicros: at, timePrecisionMs: 1000, ...extra });
    const run = (conns: ConnFacts[], events: LogEvent[]): CorrelationState => {
      const st = new CorrelationState(conns, 0, W);
      assignConnectFailures(st, events);
      return st;
    };

    it('one to one onto handshakes ending within the window of the line second, failed ones first', () => {
      // end = start + 1700 (alert) or + 1600 (certificate)
      const a = mk(1, BASE + 100_000, { alert: fail }), b = mk(2, BASE + 200_000, { alert: fail }), ok = mk(3, BASE + 50_000);
      const e1 = cf(1, BASE), e2 = cf(2, BASE), e3 = cf(3, BASE), e4 = cf(4, BASE);
      const st = run([a, b, ok], [e1, e2, e3, e4]);
      expect([ids(st, e1), ids(st, e2), ids(st, e3), ids(st, e4)]).toEqual([[1], [2], [3], undefined]);
      // a server alert counts as failed too
      const sa = mk(4, BASE + 100_000, { alert: { from: 'server', description: 40, after: 1700 } });
      const st2 = run([mk(3, BASE + 50_000), sa], [cf(1, BASE)]);
      expect(st2.eventConns.get([...st2.eventConns.keys()][0])).toEqual([4]);
    });

    it('among failed handshakes: nearest end to the line interval, then the earlier start', () => {
      // interval [BASE, BASE + 1 s]: ends inside are at distance 0 → earlier start wins
      const inside1 = mk(1, BASE + 900_000, { alert: fail }), inside2 = mk(2, BASE + 100_000, { alert: fail });
      const e = cf(1, BASE);
      expect(ids(run([inside1, inside2], [e]), e)).toEqual([2]);
      // after the interval: the nearer end wins even if it started later
      const far = mk(1, BASE + 1_900_000, { alert: fail }), near = mk(2, BASE + 1_000_000, { alert: fail });
      expect(ids(run([far, near], [e]), e)).toEqual([2]);
      const before = mk(1, BASE - 600_000, { alert: fail }), nearer = mk(2, BASE - 400_000, { alert: fail });
      expect(ids(run([before, nearer], [e]), e)).toEqual([2]);
    });

    it('ends up to window + 1 s after the line second (and window before it) qualify, no farther', () => {
      const e = cf(1, BASE);
      // end = start + 1700
      expect(ids(run([mk(1, BASE + 1_000_000 + W - 1700, { alert: fail })], [e]), e)).toEqual([1]);
      expect(ids(run([mk(1, BASE + 1_000_000 + W - 1699, { alert: fail })], [e]), e)).toBeUndefined();
      expect(ids(run([mk(1, BASE - W - 1700, { alert: fail })], [e]), e)).toEqual([1]);
      expect(ids(run([mk(1, BASE - W - 1701, { alert: fail })], [e]), e)).toBeUndefined();
      // a 1 ms line has only a 1 ms interval
      const fine = cf(2, BASE, { timePrecisionMs: undefined });
      expect(ids(run([mk(1, BASE + W - 1700, { alert: fail })], [fine]), fine)).toEqual([1]);
      expect(ids(run([mk(1, BASE + W - 1699, { alert: fail })], [fine]), fine)).toBeUndefined();
    });

    it('needs ip and port of that connection and a time', () => {
      const c = mk(1, BASE, { alert: fail });
      for (const e of [cf(1, BASE, { serverIp: null }), cf(1, BASE, { timeMicros: null }), cf(1, BASE, { serverPort: 6972 }), cf(1, BASE, { serverIp: '10.0.0.2' })]) {
        expect(ids(run([c], [e]), e)).toBeUndefined();
      }
      // claims are per kind: a CONNECT failure does not block a Sending Request on the same handshake
      const st = new CorrelationState([c], 0, W);
      st.claim(c, 'request_sent');
      const e = cf(1, BASE);
      assignConnectFailures(st, [e]);
      expect(ids(st, e)).toEqual([1]);
    });
  });

  describe('verification warnings (ip + SNI, no port)', () => {
    const vf = (line: number, at: number, extra: Partial<LogEvent> = {}): LogEvent =>
      ev({ kind: 'verify_failed', line, serverIp: IP, sni: 'a.lab', action: 'Terminate', depth: 0, timeMicros: at, ...extra });
    const run = (conns: ConnFacts[], events: LogEvent[], portEvents: LogEvent[] = [], offset = 0): CorrelationState => {
      const st = new CorrelationState(conns, offset, W);
      assignVerify(st, events, buildPortIndex(st, portEvents));
      return st;
    };

    it('prefers a handshake with ClientHello, then the hinted port, then the client alert, then time, then start', () => {
      const e = vf(1, BASE + 1700);
      // no hello (could be any name) loses to a handshake whose ClientHello names it, even farther in time
      expect(ids(run([mk(1, BASE, { sni: null, alert: fail }), mk(2, BASE + 500_000, { sni: 'a.lab', alert: fail })], [e]), e)).toEqual([2]);
      expect(ids(run([mk(1, BASE, { sni: null, alert: fail })], [e]), e)).toEqual([1]);
      // client alert (Action=Terminate) beats time
      expect(ids(run([mk(1, BASE, { sni: 'a.lab' }), mk(2, BASE + 500_000, { sni: 'a.lab', alert: fail })], [e]), e)).toEqual([2]);
      // Action=Continue: no alert expected, time decides
      const cont = vf(1, BASE + 1600, { action: 'Continue' });
      expect(ids(run([mk(1, BASE, { sni: 'a.lab' }), mk(2, BASE + 500_000, { sni: 'a.lab', alert: fail })], [cont]), cont)).toEqual([1]);
      // action missing: treated as Terminate; lower case terminate too
      for (const action of [null, 'terminate', 'TERMINATE']) {
        const x = vf(1, BASE + 1700, { action });
        expect(ids(run([mk(1, BASE, { sni: 'a.lab' }), mk(2, BASE + 500_000, { sni: 'a.lab', alert: fail })], [x]), x)).toEqual([2]);
      }
      // "Terminated"/"NoTerminate" are not Terminate
      for (const action of ['Terminated', 'NoTerminate']) {
        const x = vf(1, BASE + 1600, { action });
        expect(ids(run([mk(1, BASE, { sni: 'a.lab' }), mk(2, BASE + 500_000, { sni: 'a.lab', alert: fail })], [x]), x)).toEqual([1]);
      }
      // equal distance (both ref inside no interval: same ref) → earlier start
      const t1 = mk(2, BASE, { sni: 'a.lab', alert: { from: 'client', description: 48, after: 2000 } });
      const t2 = mk(1, BASE + 1000, { sni: 'a.lab', alert: { from: 'client', description: 48, after: 1000 } });
      const tie = vf(1, BASE + 2000);
      expect(ids(run([t2, t1], [tie]), tie)).toEqual([2]);
      // nearer ref wins
      const n1 = mk(1, BASE, { sni: 'a.lab', alert: fail }), n2 = mk(2, BASE + 100_000, { sni: 'a.lab', alert: fail });
      const near2 = vf(1, BASE + 90_000);
      expect(ids(run([n1, n2], [near2]), near2)).toEqual([2]);
    });

    it('the port of a Sending Request / CONNECT line of the same moment decides between handshakes', () => {
      const p8443 = mk(1, BASE, { sni: 'a.lab', alert: fail }), p6972 = mk(2, BASE + 300_000, { port: 6972, sni: 'a.lab', alert: fail });
      const e = vf(1, BASE + 1700);
      expect(ids(run([p8443, p6972], [e]), e)).toEqual([1]);
      const hint = ev({ kind: 'request_sent', line: 9, serverIp: IP, serverPort: 6972, timeMicros: BASE });
      expect(ids(run([p8443, p6972], [e], [hint]), e)).toEqual([2]);
      // a hint to an unrelated port does not disqualify: all candidates equal on it
      const other = ev({ kind: 'request_sent', line: 9, serverIp: IP, serverPort: 443, timeMicros: BASE });
      expect(ids(run([p8443, p6972], [e], [other]), e)).toEqual([1]);
      // hints to another IP, without port, without time are ignored
      for (const h of [{ serverIp: '10.0.0.9' }, { serverPort: null }, { timeMicros: null }, { serverIp: null }]) {
        expect(ids(run([p8443, p6972], [e], [{ ...hint, ...h }]), e)).toEqual([1]);
      }
      // hint reach: within window + 0.5 s of the warning (inclusive)
      const at = (dt: number): LogEvent => ({ ...hint, timeMicros: BASE + 1700 + dt });
      expect(ids(run([p8443, p6972], [e], [at(W + 500_000)]), e)).toEqual([2]);
      expect(ids(run([p8443, p6972], [e], [at(W + 500_001)]), e)).toEqual([1]);
      expect(ids(run([p8443, p6972], [e], [at(-W - 500_000)]), e)).toEqual([2]);
      expect(ids(run([p8443, p6972], [e], [at(-W - 500_001)]), e)).toEqual([1]);
      // a CONNECT line (1 s resolution) counts from the middle of its second
      const cfl = (dt: number): LogEvent => ({ ...hint, kind: 'connect_attempt_failed', timePrecisionMs: 1000, timeMicros: BASE + 1700 + dt });
      expect(ids(run([p8443, p6972], [e], [cfl(W)]), e)).toEqual([2]);
      expect(ids(run([p8443, p6972], [e], [cfl(-W - 1_000_000)]), e)).toEqual([2]);
      expect(ids(run([p8443, p6972], [e], [cfl(-W - 1_000_001)]), e)).toEqual([1]);
      // several hints, sorted by time, only those in reach count
      const many = [at(-W - 700_000), { ...at(100), serverPort: 8443 }, at(W + 900_000)];
      expect(ids(run([p8443, p6972], [e], many), e)).toEqual([1]);
      const many2 = [at(W + 900_000), at(-100), { ...at(-W - 700_000), serverPort: 8443 }];
      expect(ids(run([p8443, p6972], [e], many2), e)).toEqual([2]);
    });

    it('one warning per handshake per (kind, depth); the name must be the checked name; window inclusive', () => {
      const c = mk(1, BASE, { sni: 'a.lab', alert: fail });
      const w1 = vf(1, BASE + 1700), w2 = vf(2, BASE + 1800);
      const st = run([c], [w1, w2]);
      expect([ids(st, w1), ids(st, w2)]).toEqual([[1], undefined]);
      // depths 1 and 2 are distinct claims too
      const x1 = vf(2, BASE + 1800, { depth: 1 }), x2 = vf(3, BASE + 1900, { depth: 2 });
      const stD = run([c], [x1, x2]);
      expect([ids(stD, x1), ids(stD, x2)]).toEqual([[1], [1]]);
      // another depth or another kind is another claim
      const d1 = vf(2, BASE + 1800, { depth: 1 }), sm = vf(3, BASE + 1800, { kind: 'sni_mismatch', depth: null });
      const st2 = run([c], [w1, d1, sm]);
      expect([ids(st2, w1), ids(st2, d1), ids(st2, sm)]).toEqual([[1], [1], [1]]);
      // SNI compare: case, trailing dot
      const up = vf(1, BASE + 1700, { sni: 'A.LAB.' });
      expect(ids(run([c], [up]), up)).toEqual([1]);
      const wrong = vf(1, BASE + 1700, { sni: 'b.lab' });
      expect(ids(run([c], [wrong]), wrong)).toBeUndefined();
      // a warning without SNI matches any name
      const none = vf(1, BASE + 1700, { sni: null });
      expect(ids(run([c], [none]), none)).toEqual([1]);
      // window around the ref (start + 1700)
      for (const [dt, hit] of [[W, true], [W + 1, false], [-W, true], [-W - 1, false]] as const) {
        const x = vf(1, BASE + 1700 + dt);
        expect(ids(run([c], [x]), x), `dt ${dt}`).toEqual(hit ? [1] : undefined);
      }
      // no IP, no time, another IP: unmatched
      for (const x of [vf(1, BASE + 1700, { serverIp: null }), vf(1, BASE + 1700, { timeMicros: null }), vf(1, BASE + 1700, { serverIp: '10.0.0.2' })]) {
        expect(ids(run([c], [x]), x)).toBeUndefined();
      }
      // offset applied
      const off = vf(1, BASE + 1700 + 5_000_000);
      expect(ids(run([c], [off], [], 5_000_000), off)).toEqual([1]);
    });
  });

  describe('SNI-only lines (SSL connection failed, plugin, legacy)', () => {
    const vf = (line: number, at: number, extra: Partial<LogEvent> = {}): LogEvent =>
      ev({ kind: 'verify_failed', line, serverIp: IP, sni: 'a.lab', action: 'Terminate', depth: 0, timeMicros: at, ...extra });
    const ssl = (line: number, at: number, extra: Partial<LogEvent> = {}): LogEvent =>
      ev({ kind: 'ssl_connect_failed', line, sni: 'a.lab', timeMicros: at, error: 'error:0A000086:SSL routines::certificate verify failed', ...extra });
    const run = (conns: ConnFacts[], verify: LogEvent[], sniOnly: LogEvent[], offset = 0): CorrelationState => {
      const st = new CorrelationState(conns, offset, W);
      assignVerify(st, verify, new Map());
      assignSniOnly(st, sniOnly, verify);
      return st;
    };

    it('follows the warning for the same name logged within 100 ms, one per handshake', () => {
      // two handshakes, warnings attached by time; the SSL lines follow their warnings even when nearer the other handshake
      const a = mk(1, BASE, { sni: 'a.lab', alert: fail }), b = mk(2, BASE + 1_000_000, { sni: 'a.lab', alert: fail });
      const w1 = vf(1, BASE + 1700), w2 = vf(2, BASE + 1_001_700);
      const s1 = ssl(3, BASE + 1700 + 100_000), s2 = ssl(4, BASE + 1_001_700 - 100_000);
      const st = run([a, b], [w1, w2], [s1, s2]);
      expect([ids(st, w1), ids(st, w2), ids(st, s1), ids(st, s2)]).toEqual([[1], [2], [1], [2]]);
    });

    it('prefers a warning logged before (or with) the line, then the nearer one', () => {
      const a = mk(1, BASE, { sni: 'a.lab', alert: fail }), b = mk(2, BASE + 50_000, { sni: 'a.lab', alert: fail });
      const w1 = vf(1, BASE + 1700), w2 = vf(2, BASE + 51_700);
      // the line lies between them, nearer the later w2: the earlier w1 wins
      const s = ssl(3, BASE + 41_700);
      expect(ids(run([a, b], [w1, w2], [s]), s)).toEqual([1]);
      // both before: the nearer
      const s2 = ssl(3, BASE + 61_700);
      expect(ids(run([a, b], [w1, w2], [s2]), s2)).toEqual([2]);
      // at the same time as w2: w2
      const s3 = ssl(3, BASE + 51_700);
      expect(ids(run([a, b], [w1, w2], [s3]), s3)).toEqual([2]);
      // only a later warning: still taken
      const s4 = ssl(3, BASE + 1000);
      expect(ids(run([a], [w1], [s4]), s4)).toEqual([1]);
    });

    it('partner reach is 100 ms inclusive; a partner already claimed for this kind is skipped', () => {
      const a = mk(1, BASE, { sni: 'a.lab', alert: fail });
      // the handshake has no ClientHello (any name): step 2 (by checked name) cannot find it, only the partner route
      const noHello = mk(1, BASE, { sni: null, alert: fail });
      for (const [dt, partnered] of [[100_000, true], [-100_000, true], [100_001, false], [-100_001, false]] as const) {
        const s = ssl(2, BASE + 1700 + dt);
        const st = run([noHello], [vf(1, BASE + 1700)], [s]);
        expect(ids(st, s), `partner dt ${dt}`).toEqual(partnered ? [1] : undefined);
        // with a ClientHello naming it, step 2 finds it anyway
        expect(ids(run([a], [vf(1, BASE + 1700)], [s]), s), `by name dt ${dt}`).toEqual([1]);
      }
      // two SSL lines, one warning: the second finds the partner's handshake claimed
      const noName = mk(1, BASE, { sni: null, alert: fail });
      const wNo = vf(1, BASE + 1700);
      const sA = ssl(2, BASE + 1800), sB = ssl(3, BASE + 1900);
      const st3 = run([noName], [wNo], [sA, sB]);
      expect([ids(st3, sA), ids(st3, sB)]).toEqual([[1], undefined]);
      // a plugin line is another kind: both attach
      const pl = ssl(3, BASE + 1900, { kind: 'plugin_verify_failed' });
      const st4 = run([noName], [wNo], [sA, pl]);
      expect([ids(st4, sA), ids(st4, pl)]).toEqual([[1], [1]]);
    });

    it('unmatched warnings, warnings without SNI or time are no partners', () => {
      const noName = mk(1, BASE, { sni: null, alert: fail });
      const s = ssl(2, BASE + 1800);
      // warning to another IP: unmatched, so no partner
      expect(ids(run([noName], [vf(1, BASE + 1700, { serverIp: '10.0.0.9' })], [s]), s)).toBeUndefined();
      // warning without SNI: matched, but names nothing
      const st = run([noName], [vf(1, BASE + 1700, { sni: null })], [s]);
      expect(ids(st, s)).toBeUndefined();
      // names compare normalised on both sides
      const up = ssl(2, BASE + 1800, { sni: 'A.Lab.' });
      expect(ids(run([noName], [vf(1, BASE + 1700, { sni: 'a.LAB' })], [up]), up)).toEqual([1]);
    });

    it('warnings are searched in time order, whatever the input order', () => {
      const a = mk(1, BASE, { sni: null, alert: fail }), b = mk(2, BASE + 400_000, { sni: null, alert: fail });
      const w1 = vf(1, BASE + 1700), w2 = vf(2, BASE + 401_700);
      const s = ssl(3, BASE + 401_750);
      const st = new CorrelationState([a, b], 0, W);
      assignVerify(st, [w1, w2], new Map());
      assignSniOnly(st, [s], [w2, w1]);
      expect(ids(st, s)).toEqual([2]);
      const s1 = ssl(3, BASE + 1750);
      const st1 = new CorrelationState([a, b], 0, W);
      assignVerify(st1, [w1, w2], new Map());
      assignSniOnly(st1, [s1], [w2, w1]);
      expect(ids(st1, s1)).toEqual([1]);
    });

    it('without a partner: by checked name and time, preferring a failed handshake (a peer alert: one the server sent)', () => {
      const ok = mk(1, BASE, { sni: 'a.lab' });
      const clientFailed = mk(2, BASE + 500_000, { sni: 'a.lab', alert: fail });
      const serverFailed = mk(3, BASE + 900_000, { sni: 'a.lab', alert: { from: 'server', description: 40, after: 1700 } });
      const s = ssl(1, BASE + 1600);
      expect(ids(run([ok, clientFailed], [], [s]), s)).toEqual([2]);
      expect(ids(run([ok, serverFailed], [], [s]), s)).toEqual([3]);
      expect(ids(run([ok], [], [s]), s)).toEqual([1]);
      // "sslv3 alert handshake failure": the server sent an alert; a client-alert handshake does not qualify first
      const pa = ssl(1, BASE + 1600, { error: 'error:0A000410:SSL routines::sslv3 alert handshake failure' });
      expect(ids(run([clientFailed, serverFailed], [], [pa]), pa)).toEqual([3]);
      const plain = ssl(1, BASE + 501_700);
      expect(ids(run([serverFailed, clientFailed], [], [plain]), plain)).toEqual([2]);
      const noErr = ssl(1, BASE + 1600, { error: null });
      expect(ids(run([ok, clientFailed], [], [noErr]), noErr)).toEqual([2]);
      // equal: nearer ref, then earlier start
      const f1 = mk(1, BASE, { sni: 'a.lab', alert: fail }), f2 = mk(2, BASE + 100_000, { sni: 'a.lab', alert: fail });
      const s2 = ssl(1, BASE + 90_000);
      expect(ids(run([f1, f2], [], [s2]), s2)).toEqual([2]);
      const g1 = mk(2, BASE, { sni: 'a.lab', alert: { from: 'client', description: 48, after: 2000 } });
      const g2 = mk(1, BASE + 1000, { sni: 'a.lab', alert: { from: 'client', description: 48, after: 1000 } });
      const s3 = ssl(1, BASE + 2000);
      expect(ids(run([g2, g1], [], [s3]), s3)).toEqual([2]);
    });

    it('by name: one line per handshake and kind, within the window, the name from SNI else server name', () => {
      const f = mk(1, BASE, { sni: 'a.lab', alert: fail });
      const s1 = ssl(1, BASE + 1700), s2 = ssl(2, BASE + 1800);
      const st = run([f], [], [s1, s2]);
      expect([ids(st, s1), ids(st, s2)]).toEqual([[1], undefined]);
      for (const [dt, hit] of [[W, true], [W + 1, false], [-W, true], [-W - 1, false]] as const) {
        const x = ssl(1, BASE + 1700 + dt);
        expect(ids(run([f], [], [x]), x), `dt ${dt}`).toEqual(hit ? [1] : undefined);
      }
      const legacy = ssl(1, BASE + 1700, { kind: 'hostname_verify_failed_legacy', sni: null, serverName: 'A.lab' });
      expect(ids(run([f], [], [legacy]), legacy)).toEqual([1]);
      for (const x of [ssl(1, BASE + 1700, { sni: null }), ssl(1, BASE + 1700, { sni: '' }), ssl(1, BASE + 1700, { sni: null, serverName: '' }), ssl(1, BASE + 1700, { timeMicros: null }), ssl(1, BASE + 1700, { sni: 'b.lab' })]) {
        expect(ids(run([f], [], [x]), x)).toBeUndefined();
      }
      // SNI wins over the server name when both are given
      const both = ssl(1, BASE + 1700, { sni: 'a.lab', serverName: 'b.lab' });
      expect(ids(run([f], [], [both]), both)).toEqual([1]);
    });
  });

  describe('exact 4-tuple lines', () => {
    const tc = (extra: Partial<LogEvent> = {}): LogEvent =>
      ev({ kind: 'tcp_closed', line: 1, srcIp: '10.0.0.9', srcPort: 45215, serverIp: '10.0.0.5', serverPort: 5061, timeMicros: BASE, ...extra });
    const run = (conns: ConnFacts[], e: LogEvent): number[] | undefined => {
      const st = new CorrelationState(conns, 0, W);
      assignFourTuple(st, [e]);
      return st.eventConns.get(e);
    };
    const c = (id: number, start: number, extra: Partial<ConnSpec> = {}): ConnFacts =>
      facts({ id, server: '10.0.0.5', port: 5061, client: '10.0.0.9', clientPort: 45215, start, ...extra });

    it('the latest connection of that 4-tuple opened by the line time + window', () => {
      expect(run([c(1, BASE - 50_000_000), c(2, BASE - 5_000_000)], tc())).toEqual([2]);
      expect(run([c(1, BASE - 5_000_000), c(2, BASE + W)], tc())).toEqual([2]);
      expect(run([c(1, BASE - 5_000_000), c(2, BASE + W + 1)], tc())).toEqual([1]);
      expect(run([c(2, BASE + W + 1)], tc())).toBeUndefined();
      // a line without time takes the latest
      expect(run([c(1, BASE - 5_000_000), c(2, BASE + 100 * W)], tc({ timeMicros: null }))).toEqual([2]);
      // every element of the tuple must agree
      expect(run([c(1, BASE, { server: '10.0.0.6' })], tc())).toBeUndefined();
      expect(run([c(1, BASE, { port: 5062 })], tc())).toBeUndefined();
      expect(run([c(1, BASE, { clientPort: 45216 })], tc())).toBeUndefined();
      expect(run([c(1, BASE, { client: '10.0.0.8' })], tc())).toBeUndefined();
      for (const x of [{ srcIp: null }, { srcPort: null }, { serverIp: null }, { serverPort: null }]) expect(run([c(1, BASE)], tc(x))).toBeUndefined();
      // addresses compare canonically
      const v6 = facts({ id: 1, server: '2001:db8::5', port: 5061, client: '2001:db8::9', clientPort: 45215, start: BASE });
      expect(run([v6], tc({ srcIp: '2001:DB8:0::9', serverIp: '2001:DB8:0::5' }))).toEqual([1]);
    });
  });
});

describe('correlate: request-level lines, ordering, names', () => {
  const IP = '10.0.0.1';
  const at = (ms: number): number => BASE + ms * 1000;
  const c = (id: number, startMs: number, extra: Partial<ConnSpec> = {}): ConnectionSummary => conn({ id, server: IP, port: 8443, start: at(startMs), ...extra });
  const line = (kind: LogEvent['kind'], n: number, ms: number | null, extra: Partial<LogEvent> = {}): LogEvent =>
    ev({ kind, line: n, timeMicros: ms === null ? null : at(ms), pid: 1, ...extra });
  const sent = (n: number, ms: number, txnId: string, extra: Partial<LogEvent> = {}): LogEvent =>
    line('request_sent', n, ms, { txnId, serverIp: IP, serverPort: 8443, level: 'INFO', ...extra });
  const att = (res: CorrelationResult, id: number): number[] => (res.byConnection.get(id) ?? []).map((e) => e.line);

  it('no events: nothing placed, no offset; connections alone change nothing', () => {
    const r = correlate([c(1, 0)], []);
    expect(r).toEqual({ byConnection: new Map(), unmatched: [], clockOffsetMs: null, nameForConnection: new Map(), narrowed: 0 });
  });

  it('the match window option (ms, default 2000, negative = 0)', () => {
    // verify warning 1.5 s after the ref (start + 1.6 ms + alert at 1.7 ms)
    const conns = [c(1, 0, { sni: 'a.lab', alert: { from: 'client', description: 48, after: 1700 } })];
    const w = line('verify_failed', 1, 1.7 + 1500, { serverIp: IP, sni: 'a.lab', action: 'Terminate', depth: 0 });
    // the offset estimate would absorb the 1.5 s: pin it with a Sending Request at the SYN
    const s = sent(2, 0, '9');
    expect(att(correlate(conns, [w, s]), 1)).toEqual([2, 1]);
    expect(correlate(conns, [w, s], { windowMs: 1499 }).unmatched).toEqual([w]);
    expect(att(correlate(conns, [w, s], { windowMs: 1500 }), 1)).toEqual([2, 1]);
    const exact = line('verify_failed', 1, 1.7, { serverIp: IP, sni: 'a.lab', action: 'Terminate', depth: 0 });
    expect(att(correlate(conns, [exact, s], { windowMs: -5 }), 1)).toEqual([2, 1]);
    expect(correlate(conns, [w, s], { windowMs: -5 }).unmatched).toEqual([w]);
  });

  it('reports the offset in ms and applies it', () => {
    const conns = [c(1, 0), c(2, 10_000, { port: 6972 })];
    const r = correlate(conns, [sent(1, 1500.5, '1'), sent(2, 11_500.5, '2', { serverPort: 6972 })]);
    expect(r.clockOffsetMs).toBe(1500.5);
    expect([att(r, 1), att(r, 2)]).toEqual([[1], [2]]);
  });

  it('a connection\'s events are in time order, then file, then line; unmatched keep input order', () => {
    const conns = [c(1, 0, { sni: 'a.lab', alert: { from: 'client', description: 48, after: 1700 } })];
    const s = sent(5, 0, '1');
    const w = line('verify_failed', 9, 1.7, { serverIp: IP, sni: 'a.lab', action: 'Terminate', depth: 0, file: 'b.log' });
    const x = line('ssl_connect_failed', 3, 1.7, { sni: 'a.lab', file: 'b.log' });
    const y = line('ssl_connect_failed', 1, 1.7, { sni: 'a.lab', file: 'c.log', kind: 'plugin_verify_failed' });
    const u1 = line('verify_failed', 2, 9_000_000, { serverIp: IP, sni: 'a.lab' });
    const u2 = line('verify_failed', 1, 8_000_000, { serverIp: IP, sni: 'a.lab' });
    const r = correlate(conns, [u1, y, x, w, u2, s]);
    expect((r.byConnection.get(1) ?? []).map((e) => `${e.file}:${e.line}`)).toEqual(['x.log:5', 'b.log:3', 'b.log:9', 'c.log:1']);
    expect(r.unmatched).toEqual([u1, u2]);
  });

  it('the Txn-id carries Receive Request / Receive Response / Sending Response to the attempt\'s connection', () => {
    const conns = [c(1, 0), c(2, 5_000)];
    const evs = [
      line('request_received', 1, -10, { txnId: '42' }), sent(2, 0, '42'), line('response_received', 3, 50, { txnId: '42' }),
      line('response_sent', 4, 60, { txnId: '42' }), line('http_error_response', 5, 70, { txnId: '42' }),
      // another txn, another connection; another process with the same Txn-id: nothing
      sent(6, 5_000, '43'), line('response_sent', 7, 5_050, { txnId: '43' }), line('response_sent', 8, 60, { txnId: '42', pid: 2 }),
    ];
    const r = correlate(conns, evs);
    expect(att(r, 1)).toEqual([1, 2, 3, 4, 5]);
    expect(att(r, 2)).toEqual([6, 7]);
    expect(r.unmatched.map((e) => e.line)).toEqual([8]);
  });

  it('a line that carries its Txn-id keeps it: neither the client endpoint of another txn\'s request nor a Request Allowed\'s path moves it', () => {
    const conns = [c(1, 0), c(2, 5_000)];
    const evs = [
      sent(1, 0, '42', { url: '/a' }),
      // txn 43: received from 10.9.9.9:5000 just before its attempt on connection 2, and sent for /b
      line('request_received', 2, 4_990, { txnId: '43', srcIp: '10.9.9.9', srcPort: 5000 }),
      sent(3, 5_000, '43', { url: '/b' }),
      // txn 42's lines: the same client endpoint (a kept-alive inbound connection), a path sent for txn 43
      line('response_sent', 4, 5_010, { txnId: '42', srcIp: '10.9.9.9', srcPort: 5000 }),
      line('request_allowed', 5, 5_020, { txnId: '42', url: 'https://vcs.lab/b' }),
      // without a Txn-id both lead to txn 43, which is what they are there for
      line('response_sent', 6, 5_030, { srcIp: '10.9.9.9', srcPort: 5000 }),
      line('request_allowed', 7, 5_040, { url: 'https://vcs.lab/b' }),
    ];
    const r = correlate(conns, evs);
    expect(att(r, 1)).toEqual([1, 4, 5]);
    expect(att(r, 2)).toEqual([2, 3, 6, 7]);
  });

  it('txn lines attach within 120 s of an attempt', () => {
    const conns = [c(1, 0)];
    const r = correlate(conns, [sent(1, 0, '42'), line('response_sent', 2, 120_000, { txnId: '42' }), line('response_sent', 3, 120_001, { txnId: '42' }), line('request_received', 4, -120_000, { txnId: '42' }), line('request_received', 5, -120_001, { txnId: '42' })]);
    expect(att(r, 1)).toEqual([4, 1, 2]);
    expect(r.unmatched.map((e) => e.line)).toEqual([3, 5]);
  });

  it('a txn line goes to every connection of the txn\'s attempts (retries), at most the 8 nearest in time', () => {
    const conns = Array.from({ length: 10 }, (_, i) => c(i + 1, i * 1000));
    const evs = conns.map((_, i) => sent(i + 1, i * 1000, '42'));
    const late = line('response_sent', 20, 9_500, { txnId: '42' });
    const r = correlate(conns, [...evs, late]);
    const holders = [...r.byConnection].filter(([, l]) => l.includes(late)).map(([id]) => id);
    expect(holders).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    const early = line('response_sent', 21, -500, { txnId: '42' });
    const r2 = correlate(conns, [...evs, early]);
    expect([...r2.byConnection].filter(([, l]) => l.includes(early)).map(([id]) => id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // 8 attempts: all of them
    const r3 = correlate(conns.slice(0, 8), [...evs.slice(0, 8), late]);
    expect([...r3.byConnection].filter(([, l]) => l.includes(late)).map(([id]) => id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // a txn line without time: all attempts when at most 8, none when more
    const untimed = line('response_sent', 22, null, { txnId: '42' });
    expect(correlate(conns.slice(0, 8), [...evs.slice(0, 8), untimed]).unmatched).toEqual([]);
    expect(correlate(conns.slice(0, 9), [...evs.slice(0, 9), untimed]).unmatched).toEqual([untimed]);
  });

  it('the same attempt connection is listed once; a repeated Txn-id far apart in time keeps to its own attempts', () => {
    const conns = [c(1, 0), c(2, 1_000_000)];
    const evs = [sent(1, 0, '42'), sent(2, 1_000_000, '42'), line('response_sent', 3, 1_000_050, { txnId: '42' }), line('response_sent', 4, 50, { txnId: '42' })];
    const r = correlate(conns, evs);
    expect(att(r, 1)).toEqual([1, 4]);
    expect(att(r, 2)).toEqual([2, 3]);
  });

  it('Receive Response with a port goes to the latest connection of the txn on that port', () => {
    const conns = [c(1, 0), c(2, 100, { port: 6972 }), c(3, 200, { port: 6972 })];
    const evs = [sent(1, 0, '42'), sent(2, 100, '42', { serverPort: 6972 }), sent(3, 200, '42', { serverPort: 6972 })];
    const rr = line('response_received', 9, 300, { txnId: '42', serverIp: IP, serverPort: 6972 });
    const r = correlate(conns, [...evs, rr]);
    expect([att(r, 1), att(r, 2), att(r, 3)]).toEqual([[1], [2], [3, 9]]);
    // a port no attempt used: all connections of the txn
    const other = { ...rr, serverPort: 443 };
    const r2 = correlate(conns, [...evs, other]);
    expect([att(r2, 1), att(r2, 2), att(r2, 3)]).toEqual([[1, 9], [2, 9], [3, 9]]);
    // no port: all
    const none = { ...rr, serverPort: null };
    const r3 = correlate(conns, [...evs, none]);
    expect([att(r3, 1), att(r3, 2), att(r3, 3)]).toEqual([[1, 9], [2, 9], [3, 9]]);
    // Sending Response with a port: all (only Receive Response is narrowed)
    const rs = { ...rr, kind: 'response_sent' as const };
    const r4 = correlate(conns, [...evs, rs]);
    expect([att(r4, 1), att(r4, 2), att(r4, 3)]).toEqual([[1, 9], [2, 9], [3, 9]]);
  });

  it('Receive Response without a known txn: the latest connection to ip:port opened before it (10 min)', () => {
    const conns = [c(1, 0), c(2, 100_000), c(3, 300_000, { port: 6972 })];
    const rr = (ms: number, extra: Partial<LogEvent> = {}): LogEvent => line('response_received', 1, ms, { serverIp: IP, serverPort: 8443, ...extra });
    expect(att(correlate(conns, [rr(400_000)]), 2)).toEqual([1]);
    // opened less than a window after it still counts
    expect(att(correlate(conns, [rr(98_001)]), 2)).toEqual([1]);
    expect(att(correlate(conns, [rr(98_000)]), 1)).toEqual([1]);
    expect(correlate(conns, [rr(100_000 + 600_000)]).unmatched).toHaveLength(0);
    expect(correlate(conns, [rr(100_000 + 600_001)]).unmatched).toHaveLength(1);
    expect(correlate(conns, [rr(400_000, { serverIp: null })]).unmatched).toHaveLength(1);
    expect(correlate(conns, [rr(400_000, { timeMicros: null })]).unmatched).toHaveLength(1);
    // unknown txn id: the same fallback
    expect(att(correlate(conns, [rr(400_000, { txnId: '77' })]), 2)).toEqual([1]);
    // a Sending Response without a txn has no fallback
    expect(correlate(conns, [rr(400_000, { kind: 'response_sent' })]).unmatched).toHaveLength(1);
  });

  it('lines without Txn-id follow the downstream client endpoint of the latest Receive Request (60 s)', () => {
    const conns = [c(1, 0)];
    const rq = line('request_received', 1, -5, { txnId: '42', srcIp: '192.0.2.7', srcPort: 5555, serverIp: IP });
    const base = [rq, sent(2, 0, '42')];
    const rs = (ms: number, extra: Partial<LogEvent> = {}): LogEvent => line('response_sent', 3, ms, { srcIp: '192.0.2.7', srcPort: 5555, serverIp: IP, ...extra });
    expect(att(correlate(conns, [...base, rs(50)]), 1)).toEqual([1, 2, 3]);
    expect(att(correlate(conns, [...base, rs(-5 + 60_000)]), 1)).toEqual([1, 2, 3]);
    expect(correlate(conns, [...base, rs(-5 + 60_001)]).unmatched).toHaveLength(1);
    // at the same moment as the Receive Request: found; before it: not
    expect(att(correlate(conns, [...base, rs(-5)]), 1)).toContain(3);
    expect(correlate(conns, [...base, rs(-6)]).unmatched).toHaveLength(1);
    // another endpoint, another file, IPv6 spelled differently
    expect(correlate(conns, [...base, rs(50, { srcPort: 5556 })]).unmatched).toHaveLength(1);
    expect(correlate(conns, [...base, rs(50, { srcIp: '192.0.2.8' })]).unmatched).toHaveLength(1);
    expect(correlate(conns, [...base, rs(50, { file: 'y.log' })]).unmatched).toHaveLength(1);
    for (const x of [{ srcIp: null }, { srcPort: null }, { timeMicros: null }]) expect(correlate(conns, [...base, rs(50, x)]).unmatched, JSON.stringify(x)).toHaveLength(1);
    // the latest Receive Request of that endpoint decides
    const rq2 = line('request_received', 4, 30_000, { txnId: '43', srcIp: '192.0.2.7', srcPort: 5555, serverIp: IP });
    expect(correlate(conns, [...base, rq2, rs(30_010)]).unmatched.map((e) => e.line)).toEqual([4, 3]);
    // a Receive Request without Txn-id or without endpoint is no anchor
    const rqNoTxn = { ...rq, txnId: null };
    expect(correlate(conns, [rqNoTxn, sent(2, 0, '42'), rs(50)]).unmatched.map((e) => e.line)).toEqual([1, 3]);
    for (const x of [{ srcPort: null }, { timeMicros: null }]) {
      expect(correlate(conns, [{ ...rq, ...x }, sent(2, 0, '42'), rs(50)]).unmatched.map((e) => e.line), JSON.stringify(x)).toContain(3);
    }
    const v6 = { ...rq, srcIp: '2001:DB8::7' };
    expect(att(correlate(conns, [v6, sent(2, 0, '42'), rs(50, { srcIp: '2001:db8:0::7' })]), 1)).toContain(3);
  });

  it('Request Allowed (no Txn-id) follows the Sending Request of the same path within 1 s', () => {
    const conns = [c(1, 0)];
    const s = sent(1, 0, '42', { url: '/cucm-uds/users' });
    const ra = (ms: number, url: string | null, extra: Partial<LogEvent> = {}): LogEvent => line('request_allowed', 2, ms, { url, ...extra });
    expect(att(correlate(conns, [s, ra(-1000, 'https://cucm.lab:8443/cucm-uds/users')]), 1)).toEqual([2, 1]);
    expect(att(correlate(conns, [s, ra(1000, 'HTTPS://cucm.lab:8443/cucm-uds/users')]), 1)).toEqual([1, 2]);
    expect(correlate(conns, [s, ra(-1001, 'https://cucm.lab:8443/cucm-uds/users')]).unmatched).toHaveLength(1);
    expect(correlate(conns, [s, ra(1001, 'https://cucm.lab:8443/cucm-uds/users')]).unmatched).toHaveLength(1);
    expect(att(correlate(conns, [s, ra(0, '/cucm-uds/users')]), 1)).toEqual([1, 2]);
    expect(correlate(conns, [s, ra(0, 'https://cucm.lab:8443/cucm-uds/user')]).unmatched).toHaveLength(1);
    expect(correlate(conns, [s, ra(0, null)]).unmatched).toHaveLength(1);
    expect(correlate(conns, [s, ra(0, '/cucm-uds/users', { file: 'y.log' })]).unmatched).toHaveLength(1);
    // a bare origin means "/"
    const root = sent(1, 0, '42', { url: '/' });
    expect(att(correlate(conns, [root, ra(0, 'https://cucm.lab:8443')]), 1)).toEqual([1, 2]);
    // only a leading scheme://authority is dropped, not one inside the path
    const inner = sent(1, 0, '42', { url: '/p?u=http://h/q' });
    expect(att(correlate(conns, [inner, ra(0, '/p?u=http://h/q')]), 1)).toEqual([1, 2]);
    expect(att(correlate(conns, [inner, ra(0, 'https://x/p?u=http://h/q')]), 1)).toEqual([1, 2]);
    expect(correlate(conns, [root, ra(0, 'https:/cucm.lab')]).unmatched).toHaveLength(1);
    // Sending Requests without time or url are not indexed; the first one in the second wins
    const s2 = sent(3, 500, '43', { url: '/cucm-uds/users' });
    const c2 = c(2, 500);
    const r = correlate([conns[0], c2], [s, s2, ra(400, '/cucm-uds/users')]);
    expect([att(r, 1), att(r, 2)]).toEqual([[1, 2], [3]]);
    const r2 = correlate([conns[0], c2], [{ ...s, url: null }, s2, ra(400, '/cucm-uds/users')]);
    expect([att(r2, 1), att(r2, 2)]).toEqual([[1], [2, 3]]);
  });

  it('a line with a Src endpoint and no server attaches to the inbound connection of that client (1 h)', () => {
    const inb = conn({ id: 7, server: '10.0.0.2', port: 8443, client: '192.0.2.10', clientPort: 50314, start: at(0) });
    const l = (ms: number, extra: Partial<LogEvent> = {}): LogEvent => line('other', 1, ms, { srcIp: '192.0.2.10', srcPort: 50314, ...extra });
    expect(att(correlate([inb], [l(3_600_000)]), 7)).toEqual([1]);
    expect(correlate([inb], [l(3_600_001)]).unmatched).toHaveLength(1);
    // opened less than a window after the line: still its connection
    expect(att(correlate([inb], [l(-1999)]), 7)).toEqual([1]);
    expect(correlate([inb], [l(-2000)]).unmatched).toHaveLength(1);
    expect(correlate([inb], [l(10, { serverIp: '10.0.0.2' })]).unmatched).toHaveLength(1);
    expect(correlate([inb], [l(10, { srcPort: null })]).unmatched).toHaveLength(1);
    expect(correlate([inb], [l(10, { srcIp: '192.0.2.11' })]).unmatched).toHaveLength(1);
    expect(att(correlate([inb], [l(10, { srcIp: '192.0.2.10 ' })]), 7)).toEqual([1]);
    // no time: any earlier connection (t = ∞, from = ∞ − 1 h): none
    expect(correlate([inb], [l(0, { timeMicros: null })]).unmatched).toHaveLength(1);
    // the latest of two
    const inb2 = conn({ id: 8, server: '10.0.0.2', port: 8443, client: '192.0.2.10', clientPort: 50314, start: at(1000) });
    expect([att(correlate([inb, inb2], [l(5000)]), 7), att(correlate([inb, inb2], [l(5000)]), 8)]).toEqual([[], [1]]);
  });

  it('non-request lines with a Txn-id follow it too; a matched SSL line is not re-attached by its txn', () => {
    const conns = [c(1, 0), c(2, 50)];
    const s = sent(1, 0, '42');
    const o = line('other', 2, 10, { txnId: '42' });
    expect(att(correlate(conns, [s, o]), 1)).toEqual([1, 2]);
    // a 4-tuple line matched elsewhere keeps its connection only
    const tc = line('tcp_closed', 3, 10, { txnId: '42', srcIp: '10.48.36.100', srcPort: 30002, serverIp: IP, serverPort: 8443 });
    const r = correlate(conns, [s, tc]);
    expect([att(r, 1), att(r, 2)]).toEqual([[1], [3]]);
    // a Sending Request that found no connection is not placed by its own txn
    const lost = sent(4, 50_000, '42', { serverPort: 1 });
    expect(correlate(conns, [s, lost]).unmatched).toEqual([lost]);
  });

  it('request-level lines already placed (inbound) also follow their txn', () => {
    const inb = conn({ id: 7, server: '10.0.0.2', port: 8443, client: '192.0.2.10', clientPort: 50314, start: at(-100) });
    const rq = line('request_received', 1, -5, { txnId: '42', srcIp: '192.0.2.10', srcPort: 50314 });
    const r = correlate([inb, c(1, 0)], [rq, sent(2, 0, '42')]);
    expect([att(r, 7), att(r, 1)]).toEqual([[1], [1, 2]]);
  });

  it('Sending Requests are taken in time order whatever the input order (one to one, earliest first)', () => {
    // SYNs at 100 and 200 ms; requests at 0 and 150 ms: 150 is equally near both SYNs, 0 takes the first
    // five more requests logged exactly at their SYNs (other ports) pin the clock offset to 0
    const pins = Array.from({ length: 5 }, (_, k) => c(10 + k, 5000 + k, { port: 9000 + k }));
    const pinned = pins.map((_, k) => sent(10 + k, 5000 + k, `p${k}`, { serverPort: 9000 + k }));
    const conns = [c(1, 100), c(2, 200), ...pins];
    const a = sent(1, 0, '1'), b = sent(2, 150, '2');
    for (const order of [[a, b], [b, a]]) {
      const r = correlate(conns, [...order, ...pinned]);
      expect(r.clockOffsetMs).toBe(0);
      expect([att(r, 1), att(r, 2)]).toEqual([[1], [2]]);
    }
  });

  it('4-tuple matching is for TCP-closed and other (TLS error) lines only', () => {
    const conns = [c(1, 0), c(2, 100)];
    const tuple = { srcIp: '10.48.36.100', srcPort: 30001, serverIp: IP, serverPort: 8443 };
    const o = line('other', 1, 200, tuple);
    expect([att(correlate(conns, [o]), 1), att(correlate(conns, [o]), 2)]).toEqual([[1], []]);
    // a Receive Response carrying the same 4-tuple but no txn goes by the fallback (latest to ip:port) only
    const rr = line('response_received', 1, 200, tuple);
    const r = correlate(conns, [rr]);
    expect([att(r, 1), att(r, 2)]).toEqual([[], [1]]);
  });

  it('names a connection from its lines: warning SNI, then server name, CONNECT, Sending Request / Request Allowed, MRA host', () => {
    const conns = [c(1, 0, { sni: 'cucm-sni.lab', alert: { from: 'client', description: 48, after: 1700 } })];
    const s = sent(1, 0, '42', { serverName: ' cucm-sent.lab ' });
    const rq = line('request_received', 2, -1, { txnId: '42', mra: { domain: 'd', scheme: 'https', host: 'cucm-mra.lab', port: 8443 } });
    const cf = line('connect_attempt_failed', 3, 0, { serverIp: IP, serverPort: 8443, serverName: 'cucm-connect.lab', timePrecisionMs: 1000 });
    const vfName = line('verify_failed', 4, 1.7, { serverIp: IP, sni: null, serverName: 'cucm-server.lab', action: 'Terminate', depth: 0 });
    const vfSni = line('verify_failed', 5, 1.7, { serverIp: IP, sni: 'cucm-sni.lab', action: 'Terminate', depth: 1, serverName: 'other' });
    const name = (evs: LogEvent[]): string | undefined => correlate(conns, evs).nameForConnection.get(1);
    expect(name([rq, s])).toBe('cucm-sent.lab');
    expect(name([rq, { ...s, serverName: null }])).toBe('cucm-mra.lab');
    expect(name([{ ...rq, mra: null }, { ...s, serverName: null }])).toBeUndefined();
    expect(name([rq, s, cf])).toBe('cucm-connect.lab');
    expect(name([rq, s, cf, vfName])).toBe('cucm-server.lab');
    expect(name([rq, s, cf, vfName, vfSni])).toBe('cucm-sni.lab');
    expect(name([vfSni, vfName, cf, s, rq])).toBe('cucm-sni.lab');
    // equal priority: the earliest line
    const vfName2 = { ...vfName, line: 6, serverName: 'later.lab', timeMicros: at(1.8), depth: 2 };
    expect(name([vfName2, vfName])).toBe('cucm-server.lab');
    expect(name([vfName, { ...vfName2, timeMicros: at(1.6) }])).toBe('later.lab');
    // a verification line with neither SNI nor server name gives none
    expect(name([{ ...vfName, serverName: null }, s])).toBe('cucm-sent.lab');
    // an SSL line names by its SNI
    const ssl = line('ssl_connect_failed', 7, 1.7, { sni: 'cucm-ssl.lab' });
    const noHello = [c(1, 0, { sni: 'cucm-ssl.lab', alert: { from: 'client', description: 48, after: 1700 } })];
    expect(correlate(noHello, [ssl, s]).nameForConnection.get(1)).toBe('cucm-ssl.lab');
    // Request Allowed names by its server name at Sending Request priority
    const ra = line('request_allowed', 8, 0, { url: '/x', serverName: 'cucm-allowed.lab' });
    expect(name([rq, { ...s, serverName: null, url: '/x' }, ra])).toBe('cucm-allowed.lab');
    // Receive Request ranks below Request Allowed / Sending Request
    expect(name([rq, { ...s, url: '/x' }, { ...ra, serverName: null }])).toBe('cucm-sent.lab');
    // kinds without a name priority never name
    expect(name([{ ...s, serverName: null }, line('response_sent', 9, 5, { txnId: '42', serverName: 'resp.lab' })])).toBeUndefined();
  });
});
