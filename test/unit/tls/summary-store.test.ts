import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { SummaryStore } from '../../../src/tls/summary-store.js';
import type { ClientHelloInfo, ConnectionSummary } from '../../../src/tls/summary.js';

const hello: ClientHelloInfo = {
  legacyVersion: 0x0303, recordVersion: 0x0301, supportedVersions: [0x0304, 0x0303], cipherSuites: [0x1302, 0xc02c],
  sni: 'cucm.steven.lab', alpn: ['h2'], signatureAlgorithms: [0x0403], supportedGroups: [29], extensions: [0, 10, 43], sslv2: false,
};
const certs = [{ sha256: 'ab'.repeat(32), complete: true, declaredLength: 900, capturedLength: 900 }];

function summary(id: number, over: Partial<ConnectionSummary> = {}): ConnectionSummary {
  return {
    id, fileIndex: 0, client: { ip: '10.0.0.1', port: 40000 + id }, server: { ip: '10.0.0.2', port: 6972 },
    startMicros: 1_764_191_206_443_123 + id, firstPacket: 3 + id, clientHello: hello, clientHelloMicros: 1_764_191_206_443_200,
    serverHello: null, serverHelloMicros: null, serverCertificateMicros: null, serverCertificates: certs,
    serverCertificateMessages: 1, clientCertificates: [], clientCertificateMessages: 0, certificateRequest: null,
    serverKeyExchangeGroup: null, alerts: [], clientMessages: [1], serverMessages: [2, 11], tls13: false, notes: [], incomplete: false,
    ...over,
  };
}

describe('SummaryStore', () => {
  it('gives back what was added, in connection-id order, sharing the referenced objects', () => {
    const st = new SummaryStore();
    const a = summary(7, { alerts: [{ from: 'client', level: 2, description: 48, cleartext: true, tsMicros: 5, packet: 9 }], notes: ['capture starts mid-connection (no SYN seen)'] });
    const b = summary(2, { serverHello: { legacyVersion: 0x0303, version: 0x0304, cipherSuite: 0x1302, compression: 0, alpn: null, extensions: [43], helloRetryRequest: false }, tls13: true, incomplete: true, serverKeyExchangeGroup: 0, serverHelloMicros: 0, serverCertificateMicros: 12.5 });
    const c = summary(4, { fileIndex: 3, client: { ip: '2001:db8::1', port: 65535 }, server: { ip: '2001:db8::2', port: 0 }, clientHello: null, clientHelloMicros: null, serverCertificates: [] });
    for (const s of [a, b, c]) st.add(s);
    expect(st.length).toBe(3);
    expect(st.get(0)).toEqual(b);
    expect(st.get(1)).toEqual(c);
    expect(st.get(2)).toEqual(a);
    expect(st.get(2).clientHello).toBe(hello);
    expect(st.get(2).serverCertificates).toBe(certs);
    expect(st.get(0).serverKeyExchangeGroup).toBe(0); // 0 is not null
    expect(st.get(1).clientHelloMicros).toBeNull();
    expect(st.toArray()).toEqual([b, c, a]);
    expect(() => st.get(3)).toThrow(RangeError);
    // an empty alert list comes back as a new list, not a shared one
    const x = st.get(1).alerts;
    x.push(a.alerts[0]);
    expect(st.get(1).alerts).toEqual([]);
    // a server's endpoint is one object for all its connections (a and b: 10.0.0.2:6972); c's is its own
    expect(st.get(0).server).toBe(st.get(2).server);
    expect(st.get(1).server).not.toBe(st.get(0).server);
    expect(st.get(0).client).not.toBe(st.get(2).client);
    // cleared (after the report is built), the store holds nothing and can start over
    st.clear();
    expect(st.length).toBe(0);
    expect(st.bytes).toBe(0);
    expect(() => st.get(0)).toThrow(RangeError);
    st.add(a);
    expect(st.get(0)).toEqual(a);
  });

  it('round-trips any summaries, across buffer growth and adds after a read', () => {
    const time = fc.option(fc.integer({ min: 0, max: 2 ** 53 - 1 }), { nil: null });
    const arb = fc.record({
      id: fc.integer({ min: 0, max: 2 ** 32 - 1 }), fileIndex: fc.integer({ min: 0, max: 1000 }), cport: fc.integer({ min: 0, max: 65535 }),
      start: fc.integer({ min: 0, max: 2 ** 53 - 1 }), ch: time, sh: time, cert: time, group: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: null }),
      tls13: fc.boolean(), incomplete: fc.boolean(), msgs: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    });
    fc.assert(fc.property(fc.array(arb, { minLength: 1, maxLength: 1200 }), (items) => {
      const st = new SummaryStore();
      const all: ConnectionSummary[] = [];
      items.forEach((r, i) => {
        const s = summary(r.id, {
          fileIndex: r.fileIndex, client: { ip: `10.0.${i % 7}.1`, port: r.cport }, startMicros: r.start, clientHelloMicros: r.ch,
          serverHelloMicros: r.sh, serverCertificateMicros: r.cert, serverKeyExchangeGroup: r.group, tls13: r.tls13,
          incomplete: r.incomplete, serverCertificateMessages: r.msgs,
        });
        all.push(s);
        st.add(s);
        if (i === 3) st.get(0); // reading in between must not freeze the order
      });
      const sorted = all.map((s, i) => [s, i] as const).sort((x, y) => x[0].id - y[0].id || x[1] - y[1]).map(([s]) => s);
      expect(st.toArray()).toEqual(sorted);
    }), { numRuns: 30 });
  });
  it('stores every field of a summary, with records in pages of 512 and bytes counted exactly', () => {
    const st = new SummaryStore();
    expect(st.bytes).toBe(0);
    const request = { caNames: [new Uint8Array([0x30, 0])], certificateTypes: [1], signatureAlgorithms: [0x0401] };
    const full = summary(1, {
      certificateRequest: request, clientCertificates: certs, clientCertificateMessages: 3, serverCertificateMessages: 2,
      alerts: [{ from: 'server', level: 2, description: 42, cleartext: true, tsMicros: 1, packet: 2 }],
    });
    st.add(full);
    // objects referred to: client ip, server ip, hello, server certs (also the client's), request, alerts, client and server messages, notes
    expect(st.bytes).toBe(512 * 112 + 9 * 8);
    const got = st.get(0);
    expect(got).toEqual(full);
    expect(got.certificateRequest).toBe(request);
    expect(got.clientCertificateMessages).toBe(3);
    // each further summary refers to four new lists of its own (client certificates and messages, server messages, notes)
    const perSummary = 4 * 8;
    st.add(summary(2));
    expect(st.bytes).toBe(512 * 112 + 9 * 8 + perSummary); // same page
    for (let i = 3; i <= 512; i++) st.add(summary(i));
    expect(st.length).toBe(512);
    expect(st.get(511).id).toBe(512);
    expect(st.bytes).toBe(512 * 112 + 9 * 8 + 511 * perSummary);
    for (let i = 513; i <= 1100; i++) st.add(summary(i));
    expect(st.bytes).toBe(3 * 512 * 112 + 9 * 8 + 1099 * perSummary);
    expect(st.toArray().map((x) => x.id)).toEqual(Array.from({ length: 1100 }, (_, i) => i + 1));
    expect(st.get(1099)).toEqual(summary(1100));
  });

  it('refuses an index out of range', () => {
    const st = new SummaryStore();
    st.add(summary(5));
    expect(() => st.get(-1)).toThrow(new RangeError('no connection -1'));
    expect(() => st.get(1)).toThrow(new RangeError('no connection 1'));
    expect(() => st.get(0.5)).not.toThrow(RangeError);
  });

  it('one server endpoint object per address and port', () => {
    const st = new SummaryStore();
    st.add(summary(1, { server: { ip: '10.0.0.9', port: 443 } }));
    st.add(summary(2, { server: { ip: '10.0.0.9', port: 8443 } }));
    st.add(summary(3, { server: { ip: '10.0.0.9', port: 443 } }));
    expect(st.toArray().map((x) => x.server)).toEqual([{ ip: '10.0.0.9', port: 443 }, { ip: '10.0.0.9', port: 8443 }, { ip: '10.0.0.9', port: 443 }]);
    expect(st.get(0).server).toBe(st.get(2).server);
  });
  it('connections with the same id keep the order they were added in', () => {
    const st = new SummaryStore();
    const a = summary(5, { fileIndex: 1 }), b = summary(5, { fileIndex: 2 }), c = summary(3, { fileIndex: 3 });
    for (const x of [a, b, c]) st.add(x);
    expect(st.toArray().map((x) => x.fileIndex)).toEqual([3, 1, 2]);
  });
});
