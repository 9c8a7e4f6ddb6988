import { describe, it, expect } from 'vitest';
import { buildConnectionOut } from '../../../src/report/build-connection.js';
import type { ConnectionSummary } from '../../../src/tls/summary.js';
import type { ValidationOut } from '../../../src/report/model.js';

function summary(id: number, over: Partial<ConnectionSummary> = {}): ConnectionSummary {
  return {
    id, fileIndex: 0, client: { ip: '10.0.0.1', port: 40000 + id }, server: { ip: '10.0.0.2', port: 6972 },
    startMicros: 1_764_191_206_443_123 + id, firstPacket: 3 + id, clientHello: null, clientHelloMicros: null,
    serverHello: null, serverHelloMicros: null, serverCertificateMicros: null, serverCertificates: [],
    serverCertificateMessages: 0, clientCertificates: [], clientCertificateMessages: 0, certificateRequest: null,
    serverKeyExchangeGroup: null, alerts: [], clientMessages: [1], serverMessages: [], tls13: false, notes: [], incomplete: false,
    ...over,
  };
}
const validation: ValidationOut = { status: 'not_checked', checked_name: null, errors: [], chain: [], anchor: null };

describe('buildConnectionOut', () => {
  it('shares one frozen empty list between connections without certificates, alerts or log lines', () => {
    const a = buildConnectionOut(summary(1), 'c.pcap', new Map(), validation, []);
    const b = buildConnectionOut(summary(2), 'c.pcap', new Map(), validation, []);
    for (const k of ['certificates', 'client_certificates', 'alerts', 'log_events'] as const) {
      expect(a[k]).toEqual([]);
      expect(a[k]).toBe(b[k]);
      expect(Object.isFrozen(a[k])).toBe(true);
    }
    // a connection with alerts and log lines has lists of its own
    const ev = { file: 'd.log', line: 3, time: null, kind: 'verify_failed', txn_id: null, text: 'x' } as const;
    const c = buildConnectionOut(summary(3, { alerts: [{ from: 'server', level: 2, description: 48, cleartext: true, tsMicros: 5, packet: 9 }] }), 'c.pcap', new Map(), validation, [ev]);
    expect(c.alerts).toHaveLength(1);
    expect(c.alerts[0]).toMatchObject({ from: 'server', level: 'fatal', description: 'unknown_ca' });
    expect(c.log_events).toEqual([ev]);
    expect(Object.isFrozen(c.alerts)).toBe(false);
  });
});
