/**
 * The slim views a streamed report keeps per connection (findingsView, FindingsViews): what each view
 * keeps and drops, which connections share a view, and buildFindings giving the same rows for the
 * views (with their ids) as for the connections themselves.
 */
import { describe, expect, it } from 'vitest';
import { buildFindings, FindingsViews, findingsView } from '../../../src/report/findings.js';
import type { ConnectionOut } from '../../../src/report/model.js';
import { loadCase } from '../trust/chain-fixtures.js';
import { conn } from './conn.js';

const root = loadCase('chain_trusted').store;
const SOON = '2027-05-12T00:00:00.000Z'; // 20 days before expired_at_capture_valid_now's leaf expires
const FATAL = { from: 'server', level: 'fatal', description: 'unknown_ca' } as const;

/** `n` connections of one server sharing everything but their id (as a capture's connections do). */
const copies = (c: ConnectionOut, ids: number[]): ConnectionOut[] => ids.map((id) => ({ ...c, id }));

function viewsOf(conns: ConnectionOut[]): FindingsViews {
  const v = new FindingsViews();
  conns.forEach((c, i) => v.add(c, i));
  return v;
}

describe('findingsView', () => {
  it('keeps only the server\'s fatal alerts; the other values are the connection\'s own', () => {
    const c = conn({
      id: 1, port: 8443, fixture: 'chain_trusted', store: root, logEvents: 1,
      alerts: [
        { from: 'client', level: 'fatal', description: 'bad_certificate' },
        { from: 'server', level: 'warning', description: 'close_notify' },
        FATAL,
        { from: 'client', level: 'warning', description: 'close_notify' },
      ],
    });
    const v = findingsView(c);
    expect(v.alerts).toEqual([FATAL]);
    expect(v).toMatchObject({ id: 1, certificates_visible: true, client_certificate_requested: false });
    for (const k of ['server', 'client_hello', 'server_hello', 'certificates', 'client_certificates', 'validation', 'log_events'] as const) {
      expect(v[k], k).toBe(c[k]);
    }
    expect(Object.keys(v).sort()).toEqual([
      'alerts', 'certificates', 'certificates_visible', 'client_certificate_requested', 'client_certificates', 'client_hello', 'handshake_time',
      'id', 'log_events', 'server', 'server_hello', 'validation',
    ]);
    expect(findingsView(conn({ id: 2, port: 8443, fixture: 'chain_trusted', store: root, alerts: [{ from: 'server', level: 'warning', description: 'close_notify' }] })).alerts).toEqual([]);
  });

  it('keeps the handshake time only when a certificate may expire within 30 days of it', () => {
    const far = conn({ id: 1, port: 8443, fixture: 'chain_trusted', store: root });
    expect(findingsView(far).handshake_time).toBeNull();
    const soon = conn({ id: 2, port: 8443, fixture: 'expired_at_capture_valid_now', store: root, handshakeTime: SOON });
    expect(findingsView(soon).handshake_time).toBe(SOON);
    // no certificate (TLS 1.3), or no notAfter to compare with: nothing can expire
    const tls13 = conn({ id: 3, port: 8443, tls13: true, store: root });
    expect(findingsView(tls13).handshake_time).toBeNull();
    const undated = { ...soon, certificates: soon.certificates.map((x) => ({ ...x, not_after: null })) };
    expect(findingsView(undated).handshake_time).toBeNull();
    // a handshake time not in the 24-character ISO form is compared as a time, not as text
    const offset = { ...soon, handshake_time: '2027-05-01T23:00:00-02:00' };
    expect(findingsView(offset).handshake_time).toBe('2027-05-01T23:00:00-02:00');
    const none = { ...soon, handshake_time: null };
    expect(findingsView(none).handshake_time).toBeNull();
  });
});

describe('FindingsViews', () => {
  it('connections of one server share one view (id dropped); the ids stay per connection', () => {
    const base = conn({ id: 100, port: 8443, fixture: 'chain_trusted', store: root });
    const conns = copies(base, [100, 101, 102]);
    const noId = { ...base };
    delete noId.id;
    conns.push(noId);
    // alerts that are not the server's fatal ones are dropped from the view: no reason for a view of its own
    conns.push({ ...base, id: 104, alerts: [{ from: 'client', level: 'fatal', description: 'unknown_ca' }] });
    conns.push({ ...base, id: 105, alerts: [{ from: 'server', level: 'warning', description: 'close_notify' }] });
    const v = viewsOf(conns);
    expect([...v.ids]).toEqual([100, 101, 102, 3, 104, 105]); // the index when the connection has no id
    const views = v.connections;
    expect(views).toHaveLength(6);
    expect(new Set(views).size).toBe(1);
    expect(views[0].alerts).toEqual([]);
    expect(views[0].id).toBeUndefined();
    expect(views[0].validation).toBe(base.validation);
  });

  it('a connection differing in any value a view holds gets a view of its own', () => {
    const base = conn({ id: 1, port: 8443, fixture: 'chain_trusted', store: root });
    const variants: ConnectionOut[] = [
      { ...base, server: { ...base.server } },
      { ...base, certificates: [...base.certificates] },
      { ...base, client_certificates: [] },
      { ...base, client_hello: base.client_hello && { ...base.client_hello } },
      { ...base, server_hello: base.server_hello && { ...base.server_hello } },
      { ...base, certificates_visible: false },
      { ...base, client_certificate_requested: true },
    ];
    for (const other of variants) {
      const views = viewsOf([base, other, { ...base, id: 3 }]).connections;
      expect(views[1]).not.toBe(views[0]);
      expect(views[2]).toBe(views[0]);
    }
  });

  it('a fatal server alert, log lines or a certificate expiring soon make a view of its own, id kept', () => {
    const base = conn({ id: 1, port: 8443, fixture: 'chain_trusted', store: root });
    const alerted = { ...base, id: 2, alerts: [FATAL] };
    const logged = conn({ id: 3, port: 8443, fixture: 'chain_trusted', store: root, logEvents: 1 });
    const soon = conn({ id: 4, port: 8443, fixture: 'expired_at_capture_valid_now', store: root, handshakeTime: SOON });
    const v = viewsOf([base, alerted, { ...alerted, id: 5 }, logged, soon, { ...soon, id: 6 }]);
    const views = v.connections;
    expect(new Set(views).size).toBe(6);
    expect(views.slice(1).map((w) => w.id)).toEqual([2, 5, 3, 4, 6]);
    expect(views[1].alerts).toEqual([FATAL]);
    expect(views[4].handshake_time).toBe(SOON);
  });

  it('grows past its first 1024 connections', () => {
    const base = conn({ id: 0, port: 8443, fixture: 'chain_trusted', store: root });
    const ids = Array.from({ length: 2100 }, (_, i) => 5000 + i);
    const v = viewsOf(copies(base, ids));
    expect([...v.ids]).toEqual(ids);
    const views = v.connections;
    expect(views).toHaveLength(2100);
    expect(views.every((w) => w === views[0])).toBe(true);
  });

  it('buildFindings gives the same rows for the views and their ids as for the connections', () => {
    const trusted = conn({ id: 10, port: 8443, fixture: 'chain_trusted', store: root });
    const self = conn({ id: 20, port: 6972, fixture: 'self_signed_leaf', store: root });
    const conns: ConnectionOut[] = [
      ...copies(trusted, [10, 11, 12]),
      ...copies(self, [20, 21]),
      { ...trusted, id: 13, alerts: [FATAL] },
      conn({ id: 30, port: 5061, fixture: 'chain_trusted', store: root, alerts: [{ from: 'server', level: 'fatal', description: 'internal_error' }] }),
      conn({ id: 40, port: 8443, fixture: 'expired_at_capture_valid_now', store: root, handshakeTime: SOON, ip: '10.48.36.216' }),
      conn({ id: 50, port: 8443, tls13: true, store: root, logEvents: 2, ip: '10.48.36.217' }),
      conn({ id: 60, port: 7443, fixture: 'self_signed_leaf', store: root, ip: '10.48.36.218' }),
      conn({ id: 61, port: 7443, fixture: 'chain_trusted', store: root, ip: '10.48.36.218' }),
    ];
    const v = viewsOf(conns);
    const direct = buildFindings({ connections: conns, certificates: new Map(), store: root });
    const viewed = buildFindings({ connections: v.connections, ids: v.ids, certificates: new Map(), store: root });
    expect(viewed).toEqual(direct);
    expect(direct.find((r) => r.code === 'self_signed' && r.server.port === 6972)!.connections).toEqual([20, 21]);
    expect(direct.find((r) => r.code === 'client_cert_rejected')!.connections).toEqual([10, 11, 12, 13]);
  });
});
