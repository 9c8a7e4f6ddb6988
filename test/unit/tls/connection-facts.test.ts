import { describe, expect, it } from 'vitest';
import {
  ConnectionFacts, MAX_ALERTS, MAX_HISTORY, internCertList, internCertificateRequest, internClientHello, internServerHello, serverByPort,
  type FlowMeta,
} from '../../../src/tls/connection-facts.js';
import { newClientHelloInfo } from '../../../src/tls/messages/client-hello.js';
import { newServerHelloInfo } from '../../../src/tls/messages/server-hello.js';
import type { CertEntry, CertificateRequestInfo, ClientHelloInfo, ServerHelloInfo } from '../../../src/tls/summary.js';

function flow(o: Partial<FlowMeta> = {}): FlowMeta {
  return {
    id: 3, fileIndex: 2, startMicros: 5_000, firstPacket: 11, synClientDir: -1,
    endpoints: [{ ip: '10.0.0.1', port: 50000 }, { ip: '10.0.0.2', port: 443 }],
    ...o,
  };
}

describe('ConnectionFacts: who is the client', () => {
  it('the sender of the ClientHello, before anything else', () => {
    const f = new ConnectionFacts();
    f.clientHelloDir = 1;
    f.serverHelloDir = 1; // contradicts: the ClientHello wins
    f.message(1, 4); // NewSessionTicket would say server
    expect(f.clientDir(flow({ synClientDir: 0 }))).toBe(1);
    f.clientHelloDir = 0;
    expect(f.clientDir(flow({ synClientDir: 1 }))).toBe(0);
  });

  it('direction 0 counts: a ClientHello from it, or a SYN from it, decides', () => {
    const f = new ConnectionFacts();
    f.clientHelloDir = 0;
    expect(f.clientDir(flow({ synClientDir: 1 }))).toBe(0);
    const g = new ConnectionFacts();
    expect(g.clientDir(flow({ synClientDir: 0, endpoints: [{ ip: 'a', port: 443 }, { ip: 'b', port: 50000 }] }))).toBe(0);
  });

  it('a summary\'s message lists do not change when more messages come', () => {
    const f = new ConnectionFacts();
    f.clientHelloDir = 0;
    f.message(0, 1);
    f.message(1, 2);
    const s = f.toSummary(flow());
    f.message(0, 16);
    f.message(1, 14);
    expect([s.clientMessages, s.serverMessages]).toEqual([[1], [2]]);
  });

  it('else the receiver of the ServerHello', () => {
    for (const d of [0, 1]) {
      const f = new ConnectionFacts();
      f.serverHelloDir = d;
      f.message(d, 16); // a ClientKeyExchange from the same side does not override the ServerHello
      expect(f.clientDir(flow({ synClientDir: d }))).toBe(1 - d);
    }
  });

  it('else the first direction with a message only one side sends', () => {
    const f = new ConnectionFacts();
    f.message(1, 16); // ClientKeyExchange from direction 1
    expect(f.clientDir(flow({ synClientDir: 0 }))).toBe(1);
    const g = new ConnectionFacts();
    g.message(1, 14); // ServerHelloDone from direction 1
    expect(g.clientDir(flow({ synClientDir: 1 }))).toBe(0);
    const h = new ConnectionFacts();
    h.message(0, 14); // direction 0 decides before direction 1
    h.message(1, 14);
    expect(h.clientDir(flow({ synClientDir: 0 }))).toBe(1);
  });

  it('takes the role hint of the first telling message of a direction only', () => {
    const f = new ConnectionFacts();
    f.message(0, 11); // Certificate: either side
    f.message(0, 20); // Finished: either side
    expect(f.dirs[0].roleHint).toBeNull();
    f.message(0, 15); // CertificateVerify: client
    f.message(0, 2); // a ServerHello later does not change it
    expect(f.dirs[0].roleHint).toBe('client');
    for (const t of [1, 15, 16, 5]) {
      const g = new ConnectionFacts();
      g.message(1, t);
      expect([t, g.dirs[1].roleHint]).toEqual([t, 'client']);
    }
    for (const t of [2, 3, 4, 12, 13, 14, 22, 8]) {
      const g = new ConnectionFacts();
      g.message(0, t);
      expect([t, g.dirs[0].roleHint]).toEqual([t, 'server']);
    }
  });

  it('else the SYN, else the port', () => {
    const f = new ConnectionFacts();
    expect(f.clientDir(flow({ synClientDir: 1 }))).toBe(1);
    expect(f.clientDir(flow({ synClientDir: 0 }))).toBe(0);
    expect(f.clientDir(flow())).toBe(0); // 443 is the server's
    expect(f.clientDir(flow({ endpoints: [{ ip: 'a', port: 443 }, { ip: 'b', port: 50000 }] }))).toBe(1);
  });

  it('serverByPort: a well-known port, else the lower one (ties: endpoint 0)', () => {
    expect(serverByPort(443, 50000)).toBe(0);
    expect(serverByPort(50000, 443)).toBe(1);
    expect(serverByPort(1023, 1024)).toBe(0);
    expect(serverByPort(1024, 1023)).toBe(1);
    expect(serverByPort(8443, 50000)).toBe(0);
    expect(serverByPort(50000, 8443)).toBe(1);
    expect(serverByPort(100, 443)).toBe(0); // both well-known: the lower
    expect(serverByPort(443, 100)).toBe(1);
    expect(serverByPort(6000, 6000)).toBe(0);
  });
});

describe('ConnectionFacts: bounded histories', () => {
  it('keeps at most MAX_HISTORY message types per direction', () => {
    const f = new ConnectionFacts();
    for (let i = 0; i < MAX_HISTORY + 5; i++) f.message(0, 20);
    expect(f.dirs[0].messages.length).toBe(MAX_HISTORY);
  });

  it('keeps distinct notes once each, per direction, at most MAX_HISTORY of them', () => {
    const f = new ConnectionFacts();
    f.note(0, '{side} x');
    f.note(0, '{side} x');
    f.note(1, '{side} x'); // same text, other side: kept
    f.note(0, '{side} y');
    f.note(-1, 'evicted {side}'); // no direction: {side} stays
    expect(f.toSummary(flow({ synClientDir: 0 })).notes).toEqual(['client x', 'server x', 'client y', 'evicted {side}']);
    const g = new ConnectionFacts();
    for (let i = 0; i < MAX_HISTORY + 3; i++) g.note(-1, `n${i}`);
    const notes = g.toSummary(flow()).notes;
    expect(notes.length).toBe(MAX_HISTORY);
    expect(notes[MAX_HISTORY - 1]).toBe(`n${MAX_HISTORY - 1}`);
  });

  it('keeps at most MAX_ALERTS alerts, the first ones', () => {
    const f = new ConnectionFacts();
    for (let i = 0; i < MAX_ALERTS + 2; i++) f.alert({ dir: i & 1, level: 1, description: i, cleartext: true, tsMicros: 100 + i, packet: i });
    const alerts = f.toSummary(flow({ synClientDir: 1 })).alerts;
    expect(alerts.length).toBe(MAX_ALERTS);
    expect(alerts[0]).toEqual({ from: 'server', level: 1, description: 0, cleartext: true, tsMicros: 100, packet: 0 });
    expect(alerts[1]).toEqual({ from: 'client', level: 1, description: 1, cleartext: true, tsMicros: 101, packet: 1 });
    expect(alerts[MAX_ALERTS - 1].description).toBe(MAX_ALERTS - 1);
  });
});

describe('ConnectionFacts: the summary', () => {
  it('maps directions to roles, with the flow\'s facts and empty defaults', () => {
    const f = new ConnectionFacts();
    const s0 = f.toSummary(flow());
    expect(s0).toEqual({
      id: 3, fileIndex: 2, client: { ip: '10.0.0.1', port: 50000 }, server: { ip: '10.0.0.2', port: 443 }, startMicros: 5_000, firstPacket: 11,
      clientHello: null, clientHelloMicros: null, serverHello: null, serverHelloMicros: null, serverCertificateMicros: null,
      serverCertificates: [], serverCertificateMessages: 0, clientCertificates: [], clientCertificateMessages: 0, certificateRequest: null,
      serverKeyExchangeGroup: null, alerts: [], clientMessages: [], serverMessages: [], tls13: false, notes: [], incomplete: false,
    });
    expect(f.anyCertificate).toBe(false);
    const server: CertEntry[] = [{ sha256: 'a1', complete: true, declaredLength: 10, capturedLength: 10 }];
    const client: CertEntry[] = [{ sha256: 'b2', complete: false, declaredLength: 20, capturedLength: 5 }];
    f.clientHelloDir = 1;
    f.dirs[0].certs = server;
    f.dirs[0].certMessages = 2;
    f.dirs[0].certMicros = 77;
    f.dirs[1].certs = client;
    f.dirs[1].certMessages = 1;
    f.dirs[1].certMicros = 88;
    f.message(1, 1);
    f.message(0, 2);
    f.message(0, 11);
    f.tls13 = true;
    f.incomplete = true;
    f.serverKeyExchangeGroup = 29;
    f.alert({ dir: 1, level: 2, description: 40, cleartext: true, tsMicros: 9, packet: 4 });
    expect(f.anyCertificate).toBe(true);
    const s = f.toSummary(flow());
    expect(s).toMatchObject({
      client: { ip: '10.0.0.2', port: 443 }, server: { ip: '10.0.0.1', port: 50000 },
      serverCertificates: server, serverCertificateMessages: 2, serverCertificateMicros: 77,
      clientCertificates: client, clientCertificateMessages: 1,
      clientMessages: [1], serverMessages: [2, 11], tls13: true, incomplete: true, serverKeyExchangeGroup: 29,
      alerts: [{ from: 'client', level: 2, description: 40, cleartext: true, tsMicros: 9, packet: 4 }],
    });
  });

  it('counts a Certificate message of either direction as "any certificate"', () => {
    for (const d of [0, 1]) {
      const f = new ConnectionFacts();
      f.dirs[d].certMessages = 1;
      expect(f.anyCertificate).toBe(true);
    }
  });

  it('returns frozen shared empty lists and an interned message history', () => {
    const f = new ConnectionFacts();
    const s = f.toSummary(flow());
    expect(Object.isFrozen(s.notes)).toBe(true);
    expect(Object.isFrozen(s.serverCertificates)).toBe(true);
    expect(Object.isFrozen(s.clientCertificates)).toBe(true);
    const g = new ConnectionFacts();
    g.message(0, 1); g.message(0, 16); g.message(0, 15); g.message(0, 20); g.message(0, 24);
    const h = new ConnectionFacts();
    h.message(0, 1); h.message(0, 16); h.message(0, 15); h.message(0, 20); h.message(0, 24);
    expect(g.toSummary(flow()).clientMessages).toBe(h.toSummary(flow()).clientMessages);
  });
});

// ---- interning: equal values are shared, values that differ in any compared field are not -------------

let uniq = 0;
/** a field value no other test uses, so the process-wide tables start empty for it */
const fresh = (): number => 0x10000 + 7919 * ++uniq;

function ch(o: Partial<ClientHelloInfo>): ClientHelloInfo {
  return { ...newClientHelloInfo(0x0301), legacyVersion: 0x0303, cipherSuites: [0xc02f], ...o };
}
function sh(o: Partial<ServerHelloInfo>): ServerHelloInfo {
  return { ...newServerHelloInfo(), legacyVersion: 0x0303, version: 0x0303, cipherSuite: 0xc02f, ...o };
}
function req(o: Partial<CertificateRequestInfo>): CertificateRequestInfo {
  return { caNames: [], certificateTypes: [1], signatureAlgorithms: [0x0401], ...o };
}
function cert(o: Partial<CertEntry>): CertEntry {
  return { sha256: 'ab'.repeat(32), complete: true, declaredLength: 900, capturedLength: 900, ...o };
}

/**
 * Ten values that differ in one field only: each is kept apart from the others, and each is found
 * again when an equal value comes (so the hash spreads over that field: were the ten to share a
 * bucket, the ninth would not be kept and never shared).
 */
function distinctAndShared<T>(intern: (v: T) => T, make: (i: number) => T): void {
  const first = Array.from({ length: 10 }, (_, i) => intern(make(i)));
  for (let i = 0; i < 10; i++) {
    for (let j = 0; j < i; j++) expect(first[i]).not.toBe(first[j]);
    const again = make(i);
    expect(again).toEqual(first[i]);
    expect(intern(again)).toBe(first[i]);
  }
}

describe('interned hellos, requests and certificate lists', () => {
  it('ClientHello: every compared field keeps hellos apart', () => {
    const k = fresh();
    const cases: Array<(i: number) => ClientHelloInfo> = [
      (i) => ch({ cipherSuites: [k, i] }),
      (i) => ch({ cipherSuites: [k], legacyVersion: 0x0300 + i }),
      (i) => ch({ cipherSuites: [k], recordVersion: 0x0300 + i }),
      (i) => ch({ cipherSuites: [k], supportedVersions: [0x0304 - i] }),
      (i) => ch({ cipherSuites: [k], extensions: [i] }),
      (i) => ch({ cipherSuites: [k], signatureAlgorithms: [0x0400 + i] }),
      (i) => ch({ cipherSuites: [k], supportedGroups: [20 + i] }),
      (i) => ch({ cipherSuites: [k], sni: `h${i}.example` }),
      (i) => ch({ cipherSuites: [k], alpn: [`p${i}`] }),
      (i) => ch({ cipherSuites: [k], sni: i === 0 ? null : 'x'.repeat(i) }),
    ];
    for (const c of cases) distinctAndShared(internClientHello, c);
    // sslv2 alone: two values
    const a = internClientHello(ch({ cipherSuites: [k, 1], sslv2: false }));
    const b = internClientHello(ch({ cipherSuites: [k, 1], sslv2: true }));
    expect(b).not.toBe(a);
    expect(internClientHello(ch({ cipherSuites: [k, 1], sslv2: true }))).toBe(b);
  });

  it('ServerHello: every compared field keeps hellos apart', () => {
    const k = fresh();
    const cases: Array<(i: number) => ServerHelloInfo> = [
      (i) => sh({ extensions: [k, i] }),
      (i) => sh({ extensions: [k], legacyVersion: 0x0300 + i }),
      (i) => sh({ extensions: [k], version: 0x7f10 + i }),
      (i) => sh({ extensions: [k], cipherSuite: 0x1301 + i }),
      (i) => sh({ extensions: [k], compression: i }),
      (i) => sh({ extensions: [k], alpn: i === 0 ? null : `p${i}` }),
    ];
    for (const c of cases) distinctAndShared(internServerHello, c);
    for (const over of [{ helloRetryRequest: true }, { sslv2: true }, { sslv2: false }] as Array<Partial<ServerHelloInfo>>) {
      const base = internServerHello(sh({ extensions: [k, 99] }));
      const other = internServerHello(sh({ extensions: [k, 99], ...over }));
      expect(other).not.toBe(base);
      expect(internServerHello(sh({ extensions: [k, 99], ...over }))).toBe(other);
    }
  });

  it('CertificateRequest: types, algorithms and CA names (count and bytes) keep requests apart', () => {
    const k = fresh();
    const cases: Array<(i: number) => CertificateRequestInfo> = [
      (i) => req({ certificateTypes: [k & 0xff, i] }),
      (i) => req({ certificateTypes: [k & 0xff], signatureAlgorithms: [i] }),
      (i) => req({ certificateTypes: [k & 0xff], caNames: Array.from({ length: i }, () => new Uint8Array([0x30, 0])) }),
      (i) => req({ certificateTypes: [k & 0xff], caNames: [new Uint8Array([0x30, i])] }),
      (i) => req({ certificateTypes: [k & 0xff], caNames: [new Uint8Array([0x30, 1]), new Uint8Array(i)] }),
    ];
    for (const c of cases) distinctAndShared(internCertificateRequest, c);
  });

  it('certificate lists: hash, completeness and lengths of every entry keep lists apart; an empty list is the frozen one', () => {
    const k = fresh().toString(16).padStart(8, '0');
    const cases: Array<(i: number) => CertEntry[]> = [
      (i) => [cert({ sha256: `${i}${k}` })],
      (i) => [cert({ sha256: k, declaredLength: 100 + i })],
      (i) => [cert({ sha256: k, capturedLength: 100 + i })],
      (i) => [cert({ sha256: k }), cert({ sha256: `${i}-${k}` })],
      (i) => Array.from({ length: i + 1 }, () => cert({ sha256: `${k}.` })),
      (i) => [cert({ sha256: `${i}`.repeat(7) + k })], // the hash reads the first 8 digits
    ];
    for (const c of cases) distinctAndShared(internCertList, c);
    const whole = internCertList([cert({ sha256: `${k}*`, complete: true })]);
    const cut = internCertList([cert({ sha256: `${k}*`, complete: false })]);
    expect(cut).not.toBe(whole);
    expect(internCertList([cert({ sha256: `${k}*`, complete: false })])).toBe(cut);
    const empty = internCertList([]);
    expect(empty).toEqual([]);
    expect(Object.isFrozen(empty)).toBe(true);
  });

  it('a hello with a missing compared field, or its fields in another order, is not taken for the shared one', () => {
    const k = fresh();
    const base = internServerHello(sh({ extensions: [k] }));
    const missing = sh({ extensions: [k] }) as Partial<ServerHelloInfo>;
    delete missing.helloRetryRequest;
    expect(internServerHello(missing as ServerHelloInfo)).not.toBe(base);
    const withSslv2 = sh({ extensions: [k], sslv2: undefined });
    expect(internServerHello(withSslv2)).not.toBe(base); // an own key `sslv2` the shared one does not have
    const extra = { ...sh({ extensions: [k] }), x: 1 } as ServerHelloInfo;
    expect(internServerHello(extra)).not.toBe(base);
    expect(internServerHello(sh({ extensions: [k] }))).toBe(base);
    // the shared one was an odd object: never found again, even by an equal odd object
    const odd = internServerHello({ ...sh({ extensions: [k, 1] }), x: 1 } as ServerHelloInfo);
    expect(internServerHello({ ...sh({ extensions: [k, 1] }), x: 1 } as ServerHelloInfo)).not.toBe(odd);
    // inherited enumerable keys are not own keys
    const proto = Object.create({ inherited: 1 }) as ServerHelloInfo;
    Object.assign(proto, sh({ extensions: [k, 2] }));
    const plain = internServerHello(sh({ extensions: [k, 2] }));
    expect(internServerHello(proto)).toBe(plain);
  });
  it('values that share a hash are still told apart (numbers equal modulo 2^32, hashes equal in their first 8 digits)', () => {
    const k = fresh();
    const W = 2 ** 32; // mixed into the hash as a 32-bit integer: v and v + 2^32 hash alike
    const pairs: Array<[(v: number) => unknown, (x: never) => unknown]> = [
      [(v) => ch({ cipherSuites: [k], legacyVersion: v }), internClientHello as (x: never) => unknown],
      [(v) => ch({ cipherSuites: [k], recordVersion: v }), internClientHello as (x: never) => unknown],
      [(v) => ch({ cipherSuites: [k, v] }), internClientHello as (x: never) => unknown],
      [(v) => ch({ cipherSuites: [k], supportedVersions: [v] }), internClientHello as (x: never) => unknown],
      [(v) => ch({ cipherSuites: [k], extensions: [v] }), internClientHello as (x: never) => unknown],
      [(v) => ch({ cipherSuites: [k], signatureAlgorithms: [v] }), internClientHello as (x: never) => unknown],
      [(v) => ch({ cipherSuites: [k], supportedGroups: [v] }), internClientHello as (x: never) => unknown],
      [(v) => sh({ extensions: [k], legacyVersion: v }), internServerHello as (x: never) => unknown],
      [(v) => sh({ extensions: [k], version: v }), internServerHello as (x: never) => unknown],
      [(v) => sh({ extensions: [k], cipherSuite: v }), internServerHello as (x: never) => unknown],
      [(v) => sh({ extensions: [k], compression: v }), internServerHello as (x: never) => unknown],
      [(v) => sh({ extensions: [k, v] }), internServerHello as (x: never) => unknown],
      [(v) => req({ certificateTypes: [k & 0xff], signatureAlgorithms: [v] }), internCertificateRequest as (x: never) => unknown],
      [(v) => req({ certificateTypes: [k & 0xff, v] }), internCertificateRequest as (x: never) => unknown],
      [(v) => [cert({ sha256: `${k}`, declaredLength: v })], internCertList as (x: never) => unknown],
      [(v) => [cert({ sha256: `${k}`, capturedLength: v })], internCertList as (x: never) => unknown],
    ];
    for (const [make, intern] of pairs) {
      const a = intern(make(5) as never);
      const b = intern(make(5 + W) as never);
      expect(b).not.toBe(a);
      expect(intern(make(5 + W) as never)).toBe(b);
      expect(intern(make(5) as never)).toBe(a);
    }
    const hex = k.toString(16).padStart(8, '0');
    for (const at of [0, 1]) {
      const list = (tail: string) => [cert({ sha256: `${hex}-0` }), cert({ sha256: `${hex}-1` })].map((c, i) => (i === at ? cert({ sha256: `${hex}${tail}` }) : c));
      const a = internCertList(list('aa'));
      const b = internCertList(list('bb'));
      expect(b).not.toBe(a);
      expect(internCertList(list('bb'))).toBe(b);
    }
  });

  it('a hello with its fields in another order is not the shared one', () => {
    const k = fresh();
    const first = internClientHello(ch({ cipherSuites: [k] }));
    const reordered = Object.fromEntries(Object.entries(ch({ cipherSuites: [k] })).reverse()) as unknown as ClientHelloInfo;
    expect(internClientHello(reordered)).toBe(reordered);
    const longer = { ...ch({ cipherSuites: [k] }), extra: 1 } as unknown as ClientHelloInfo;
    expect(internClientHello(longer)).toBe(longer);
    expect(internClientHello(ch({ cipherSuites: [k] }))).toBe(first);
  });
});
