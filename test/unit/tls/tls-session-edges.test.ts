/**
 * TlsSession and MessageHandler edge cases: what a connection's summary and the diagnostics say when
 * directions close, bytes go missing, records are odd, messages are cut or malformed, and SSL 2.0.
 */
import { describe, expect, it } from 'vitest';
import * as B from '../../helpers/tls-builder.js';
import { meta, session } from './session-helpers.js';
import { TlsSession } from '../../../src/tls/tls-session.js';
import { Diagnostics } from '../../../src/diagnostics/diagnostics.js';
import { CertStore } from '../../../src/x509/cert-store.js';
import { resolveLimits } from '../../../src/options.js';

const C = 0, S = 1;
const chain = [B.fakeDer(1300, 1), B.fakeDer(900, 2), B.fakeDer(700, 3)];
const clientHello = B.record(22, B.clientHello({ sni: 'server.example', versions: [0x0303] }), 0x0301);
const serverFlight = B.record(22, B.concat(B.serverHello({ cipher: 0xc02f }), B.certificate(chain), B.serverKeyExchangeEcdhe(23), B.serverHelloDone()));
const clientFinish = B.concat(B.record(22, B.clientKeyExchange()), B.ccsRecord(), B.opaqueRecord(22, 40));
const serverFinish = B.concat(B.record(22, B.newSessionTicket()), B.ccsRecord(), B.opaqueRecord(22, 40));

const alerts = (t: ReturnType<typeof session>) => t.summary().alerts.map((a) => [a.from, a.level, a.description, a.cleartext]);

describe('TlsSession: a clean handshake leaves no notes and no diagnostics', () => {
  it('TLS 1.2: the encrypted Finished after each CCS is not parsed; nothing noted', () => {
    const t = session();
    t.push(C, clientHello);
    t.push(S, serverFlight);
    t.push(C, clientFinish);
    t.push(S, serverFinish);
    expect(t.s.done).toBe(true);
    expect(t.s.notTls).toBe(false);
    const sum = t.summary();
    expect(sum.notes).toEqual([]);
    expect(sum.clientMessages).toEqual([1, 16]);
    expect(sum.serverMessages).toEqual([2, 11, 12, 14, 4]);
    expect(sum.serverCertificateMessages).toBe(1);
    expect(t.diag.total).toBe(0);
  });

  it('an encrypted alert right after the CCS neither reopens the direction nor lets the Finished through', () => {
    const t = session();
    t.push(C, clientHello);
    t.push(S, serverFlight);
    t.push(C, B.concat(B.record(22, B.clientKeyExchange()), B.ccsRecord(), B.opaqueRecord(21, 26), B.opaqueRecord(22, 40)));
    t.push(S, serverFinish);
    expect(t.s.done).toBe(true);
    const sum = t.summary();
    expect(sum.notes).toEqual([]);
    expect(sum.clientMessages).toEqual([1, 16]);
    expect(sum.alerts.map((a) => [a.from, a.level, a.cleartext])).toEqual([['client', -1, false]]);
  });

  it('a 2-byte alert after the CCS is encrypted; a longer alert record before any CCS too (mid-stream)', () => {
    const t = session({}, false);
    t.push(S, B.concat(B.ccsRecord(), B.alertRecord(1, 0)));
    t.push(C, B.opaqueRecord(21, 26, 0x0303, 0x01)); // 26 bytes of 01: would be 13 warning alerts if read as cleartext
    expect(alerts(t)).toEqual([['server', -1, -1, false], ['client', -1, -1, false]]);
    expect(t.s.recognised).toBe(false);
  });

  it('skips the encrypted Finished even when its bytes look like handshake messages (GCM nonce of zeros)', () => {
    const t = session();
    t.push(C, clientHello);
    t.push(S, serverFlight);
    t.push(C, B.concat(B.record(22, B.clientKeyExchange()), B.ccsRecord(), B.opaqueRecord(22, 40, 0x0303, 0x00)));
    t.push(S, B.concat(B.record(22, B.newSessionTicket()), B.ccsRecord(), B.opaqueRecord(22, 40, 0x0303, 0x00)));
    const sum = t.summary();
    expect(sum.clientMessages).toEqual([1, 16]);
    expect(sum.serverMessages).toEqual([2, 11, 12, 14, 4]);
  });

  it('counts the bytes it holds for a message in progress, and none once done', () => {
    const t = session();
    expect(t.s.bufferedBytes).toBe(0);
    t.push(C, clientHello);
    t.push(S, serverFlight.subarray(0, 200)); // ServerHello, then the Certificate (2912 bytes) begins
    expect(t.s.bufferedBytes).toBe(2912);
    const v2 = B.sslv2ClientHello();
    const u = session();
    u.push(C, v2.subarray(0, 20)); // an SSLv2 record in progress is copied whole
    expect(u.s.bufferedBytes).toBe(v2.length - 2);
    u.push(S, serverFlight.subarray(0, 200));
    expect(u.s.bufferedBytes).toBe(v2.length - 2 + 2912);
    u.push(C, v2.subarray(20));
    expect(u.s.bufferedBytes).toBe(2912);
    u.s.abandon('x');
    expect(u.s.bufferedBytes).toBe(0);
  });

  it('records alert time and packet, and the sample of a diagnostic', () => {
    const t = session();
    t.push(C, clientHello); // packet 1
    t.push(S, B.alertRecord(2, 40)); // packet 2
    const a = t.summary().alerts;
    expect(a).toEqual([{ from: 'server', level: 2, description: 40, cleartext: true, tsMicros: 1_000_002, packet: 2 }]);
  });
});

describe('TlsSession: alerts', () => {
  it('an implausible cleartext alert is counted, kept as unknown and does not make the flow TLS', () => {
    const t = session({}, false);
    t.push(S, B.alertRecord(3, 40));
    expect(t.s.recognised).toBe(false);
    expect(t.s.done).toBe(false);
    expect(alerts(t)).toEqual([['server', -1, -1, false]]);
    expect(t.diag.count('tls.alert.bad_level')).toBe(1);
    const e = t.diag.list().find((x) => x.key === 'tls.alert.bad_level')!;
    expect(e.severity).toBe('anomaly');
    expect(e.samples).toEqual([{ file: 0, packet: 1, flow: 7, detail: 'level 3 description 40' }]);
  });

  it('a lone cleartext alert is recognised as TLS', () => {
    const t = session({}, false);
    t.push(S, B.alertRecord(1, 0));
    expect(t.s.recognised).toBe(true);
    expect(t.s.notTls).toBe(false);
  });

  it('after a fatal alert the direction is not parsed any further', () => {
    const t = session();
    t.push(C, clientHello);
    t.push(S, serverFlight);
    t.push(C, B.alertRecord(2, 42));
    t.push(C, B.record(22, B.clientKeyExchange()));
    t.gap(C, 10);
    const sum = t.summary();
    expect(sum.clientMessages).toEqual([1]);
    expect(sum.notes).toEqual([]);
    expect(t.s.done).toBe(false);
  });
});

describe('TlsSession: lost bytes', () => {
  it('a gap before any byte of a direction: its start is unknown, the stream is searched for any record', () => {
    const t = session();
    t.push(C, clientHello);
    t.gap(S, 500);
    const garbage = new Uint8Array(30).fill(0x41);
    t.push(S, B.concat(garbage, B.record(22, B.certificate(chain.slice(0, 1))), B.record(22, B.serverHelloDone())));
    const sum = t.summary();
    expect(sum.serverCertificates.map((c) => c.declaredLength)).toEqual([1300]);
    expect(sum.serverMessages).toEqual([11, 14]);
    expect(sum.notes).toEqual(['server: resynchronised on a TLS record after 30 bytes']);
    expect(sum.incomplete).toBe(false); // the gap came before anything was parsed
  });

  it('an empty gap, or one on a finished connection, changes nothing', () => {
    const t = session();
    t.push(C, clientHello);
    t.gap(C, 0);
    t.gap(C, -5);
    let sum = t.summary();
    expect(sum.notes).toEqual([]);
    expect(sum.incomplete).toBe(false);
    t.push(S, serverFlight);
    t.push(C, clientFinish);
    t.push(S, serverFinish);
    expect(t.s.done).toBe(true);
    t.gap(S, 100);
    t.gap(C, 100);
    sum = t.summary();
    expect(sum.notes).toEqual([]);
    expect(sum.incomplete).toBe(false);
  });

  it('a gap after the server\'s certificates does not make the connection incomplete; before them it does', () => {
    const t = session();
    t.push(C, clientHello);
    t.push(S, serverFlight);
    t.gap(C, 40);
    const sum = t.summary();
    expect(sum.incomplete).toBe(false);
    expect(sum.notes).toEqual(['40 bytes missing (capture) in the client stream']);
    const u = session();
    u.push(C, clientHello);
    u.gap(C, 40);
    expect(u.summary().incomplete).toBe(true);
  });

  it('names the message a gap falls into, or "handshake message" when only part of its header was seen', () => {
    const t = session();
    t.push(C, clientHello);
    // a record declaring 200 bytes: a hello_request header declaring 150, 10 body bytes, then lost bytes
    const rec = B.concat(B.u8(22), B.u16(0x0303), B.u16(200), B.u8(0), B.u24(150), new Uint8Array(10));
    t.push(S, rec);
    t.gap(S, 20);
    expect(t.summary().notes).toEqual(['20 bytes missing (capture) in the server hello_request']);
    const u = session();
    u.push(C, clientHello);
    u.push(S, B.concat(B.u8(22), B.u16(0x0303), B.u16(200), B.u8(2), B.u8(0)));
    u.gap(S, 20);
    expect(u.summary().notes).toEqual(['20 bytes missing (capture) in the server handshake message']);
  });

  it('notes a resync after skipped bytes, not after none', () => {
    const flight = B.concat(B.record(22, B.serverHello()), B.record(22, B.serverKeyExchangeEcdhe(29)), B.record(22, B.certificate(chain.slice(0, 1))));
    const a = 5 + B.serverHello().length;
    const b = a + 5 + B.serverKeyExchangeEcdhe(29).length;
    const exact = session();
    exact.push(C, clientHello);
    exact.push(S, flight.subarray(0, a));
    exact.gap(S, b - a);
    exact.push(S, flight.subarray(b));
    expect(exact.summary().notes).toEqual([`${b - a} bytes missing (capture) in the server stream`]);
    const late = session();
    late.push(C, clientHello);
    late.push(S, flight.subarray(0, a));
    late.gap(S, b - a - 10);
    late.push(S, flight.subarray(b - 10));
    const sum = late.summary();
    expect(sum.serverCertificates.length).toBe(1);
    expect(sum.notes).toEqual([`${b - a - 10} bytes missing (capture) in the server stream`, 'server: resynchronised on a TLS record after 10 bytes']);
  });

  it('a record lost whole in the middle of a message delivers the part before it and regains the next message', () => {
    const cert = B.certificate(chain.slice(0, 1));
    const rec1 = B.record(22, B.concat(B.serverHello(), cert.subarray(0, 400)));
    const rec2 = B.record(22, cert.subarray(400));
    const t = session();
    t.push(C, clientHello);
    t.push(S, rec1);
    t.gap(S, rec2.length);
    t.push(S, B.record(22, B.serverHelloDone()));
    const sum = t.summary();
    expect(sum.serverMessages).toEqual([2, 11, 14]);
    expect(sum.serverCertificates.map((c) => [c.complete, c.declaredLength, c.capturedLength])).toEqual([[false, 1300, 400 - 10]]);
    expect(sum.incomplete).toBe(true);
  });

  it('a lost record boundary with no handshake record seen yet in that direction', () => {
    const t = session({}, false);
    t.push(S, B.alertRecord(1, 0));
    t.gap(S, 50);
    t.push(S, B.concat(B.record(22, B.certificate(chain.slice(0, 1)))));
    expect(t.summary().serverCertificates.length).toBe(1);
  });

  it('a Certificate cut at the end of the capture is delivered as it is, in either direction', () => {
    const t = session();
    t.push(C, clientHello);
    t.push(S, serverFlight.subarray(0, 5 + B.serverHello().length + 4 + 3 + 3 + 600));
    const sum = t.summary();
    expect(sum.serverCertificates.map((c) => [c.complete, c.capturedLength])).toEqual([[false, 600]]);
    expect(sum.notes).toEqual(['server Certificate message cut short (2912 bytes declared); certificate bytes incomplete']);
    const u = session();
    u.push(C, clientHello);
    u.push(S, serverFlight);
    const clientCert = B.record(22, B.certificate([B.fakeDer(800, 9)]));
    u.push(C, clientCert.subarray(0, 300));
    const s2 = u.summary();
    expect(s2.clientCertificates.map((c) => [c.complete, c.capturedLength])).toEqual([[false, 300 - 15]]);
    expect(s2.clientCertificateMessages).toBe(1);
  });
});

describe('TlsSession: abandoned by the TCP layer', () => {
  it('notes why, marks a connection without certificates incomplete, delivers a cut certificate and is done', () => {
    const t = session();
    t.push(C, clientHello);
    t.s.abandon('flow evicted ({side} unknown)');
    expect(t.s.done).toBe(true);
    let sum = t.summary();
    expect(sum.incomplete).toBe(true);
    expect(sum.notes).toEqual(['flow evicted ({side} unknown)']);
    const u = session();
    u.push(C, clientHello);
    u.push(S, serverFlight.subarray(0, 5 + B.serverHello().length + 4 + 3 + 3 + 600));
    u.s.note('a note of the TCP layer about the {side}');
    u.s.abandon('limit');
    sum = u.summary();
    expect(sum.serverCertificates.map((c) => c.complete)).toEqual([false]);
    expect(sum.notes[0]).toBe('a note of the TCP layer about the {side}');
    const v = session();
    v.push(C, clientHello);
    v.push(S, serverFlight);
    v.s.abandon('limit');
    expect(v.summary().incomplete).toBe(false);
  });
});

describe('TlsSession: not TLS', () => {
  const junk = (n: number) => new Uint8Array(n).fill(0x41);
  it('needs one direction to have given up and neither to be in sync', () => {
    const none = session({ maxPreambleBytes: 64 });
    expect(none.s.notTls).toBe(false);
    const client = session({ maxPreambleBytes: 64 });
    client.push(C, junk(200));
    expect(client.s.notTls).toBe(true);
    expect(client.summary().notes).toEqual([]); // giving up on something never recognised is not noted
    const server = session({ maxPreambleBytes: 64 });
    server.push(S, junk(200));
    expect(server.s.notTls).toBe(true);
    const searching = session({ maxPreambleBytes: 64 });
    searching.push(C, junk(20)); // still looking
    searching.push(S, junk(200));
    expect(searching.s.notTls).toBe(true);
    const c = session({ maxPreambleBytes: 64 });
    c.push(C, clientHello.subarray(0, 20)); // in sync, no message yet
    c.push(S, junk(200));
    expect(c.s.recognised).toBe(false);
    expect(c.s.notTls).toBe(false);
    const s = session({ maxPreambleBytes: 64 });
    s.push(S, serverFlight.subarray(0, 20));
    s.push(C, junk(200));
    expect(s.s.notTls).toBe(false);
  });

  it('a stream whose start was not seen may search further (one record more) before giving up', () => {
    const l = { maxPreambleBytes: 64, maxRecordBytes: 100 };
    const ok = session(l, false);
    ok.push(S, junk(64 + 100 + 5));
    ok.push(S, B.alertRecord(1, 0));
    expect(ok.s.recognised).toBe(true);
    const over = session(l, false);
    over.push(S, junk(64 + 100 + 6));
    over.push(S, B.alertRecord(1, 0));
    expect(over.s.recognised).toBe(false);
    expect(over.s.notTls).toBe(true);
  });
});

describe('TlsSession: record versions and oversized messages', () => {
  it('reports the version of the first record of the ClientHello\'s direction, whichever direction that is', () => {
    const ch = B.clientHello({ sni: 'a.example' });
    const t = session();
    t.push(C, B.concat(B.record(22, ch.subarray(0, 50), 0x0301), B.record(22, ch.subarray(50), 0x0303)));
    expect(t.summary().clientHello?.recordVersion).toBe(0x0301);
    const u = session();
    u.push(C, B.record(22, B.serverHello(), 0x0303)); // direction 0 is the server here
    u.push(S, B.concat(B.record(22, ch.subarray(0, 50), 0x0300), B.record(22, ch.subarray(50), 0x0303)));
    const sum = u.summary();
    expect(sum.clientHello?.recordVersion).toBe(0x0300);
    expect(sum.client.port).toBe(443);
  });

  it('notes and counts a message over the handshake limit', () => {
    const t = session({ maxHandshakeBytes: 2000 });
    t.push(C, clientHello);
    t.push(S, serverFlight, [1448]);
    const sum = t.summary();
    expect(sum.notes).toContain('server certificate of 2912 bytes exceeds the handshake limit (2000); kept the first part');
    expect(t.diag.list().find((e) => e.key === 'limit.handshake_bytes')?.severity).toBe('limit');
    expect(t.diag.list().find((e) => e.key === 'limit.handshake_bytes')?.samples[0]).toEqual({ file: 0, packet: 2, flow: 7, detail: 'certificate of 2912 bytes' });
  });

  it('does not buffer a message it does not decode, however large', () => {
    const t = session({ maxHandshakeBytes: 2000 });
    t.push(C, clientHello);
    t.push(S, B.records(22, B.concat(B.serverHello(), B.handshake(22, new Uint8Array(5000).fill(1)), B.serverHelloDone()), [3000, 3000]));
    const sum = t.summary();
    expect(sum.serverMessages).toEqual([2, 22, 14]);
    expect(t.diag.count('limit.handshake_bytes')).toBe(0);
    expect(sum.notes).toEqual([]);
  });

  it('notes a message still incomplete when the handshake is over, as a handshake message when only its header started', () => {
    const t = session();
    t.push(C, B.concat(B.u8(22), B.u16(0x0301), B.u16(300), B.clientHello({ versions: [0x0304] }), B.u8(16), B.u8(0)));
    t.push(S, B.record(22, B.serverHello({ version: 0x0304, cipher: 0x1301 })));
    expect(t.s.done).toBe(true);
    expect(t.summary().notes).toEqual(['client handshake message not complete when the handshake was over (header only)']);
  });
});

describe('MessageHandler: decoded messages', () => {
  it('notes a decoded message cut short (except a Certificate: noted as cut)', () => {
    const t = session();
    const ch = B.record(22, B.clientHello({ sni: 'cut.example', extensions: [[21, new Uint8Array(300)]] }));
    t.push(C, ch.subarray(0, 100));
    t.gap(C, ch.length - 100);
    const sum = t.summary();
    expect(sum.notes).toEqual([
      `${ch.length - 100} bytes missing (capture) in the client client_hello`,
      `client client_hello incomplete (${ch.length - 100} of ${ch.length - 9} bytes missing)`,
    ]);
    expect(t.diag.count('tls.client_hello.vector_overflow')).toBe(1);
  });

  it('counts a malformed message under its layer, with the packet, and goes on', () => {
    const t = session();
    t.push(C, clientHello);
    const bad = B.handshake(2, B.bytes(3, 3, 1)); // ServerHello of 3 bytes
    t.push(S, B.record(22, B.concat(bad, B.certificate(chain.slice(0, 1)))));
    const sum = t.summary();
    expect(sum.serverHello).toBeNull();
    expect(sum.serverCertificates.length).toBe(1);
    const e = t.diag.list().filter((x) => x.key.startsWith('tls.'));
    expect(e.map((x) => [x.key, x.severity, x.count])).toEqual([['tls.server_hello.truncated', 'anomaly', 1]]);
    expect(e[0].samples[0]).toMatchObject({ file: 0, packet: 2, flow: 7 });
    expect(e[0].samples[0].detail).toContain('need');
  });

  it('counts anything else that goes wrong decoding a message as internal', () => {
    const diag = new Diagnostics();
    const l = resolveLimits({});
    const certs = { add(): never { throw new TypeError('boom'); } };
    const s = new TlsSession({ limits: l, diag, certs: certs as unknown as CertStore, flowId: 9, fileIndex: 4 });
    s.at({ ts: 5, packet: 6 });
    s.push(1, serverFlight, 0, serverFlight.length);
    expect(diag.count('internal.tls.message')).toBe(1);
    expect(diag.list().find((e) => e.key === 'internal.tls.message')?.samples[0]).toEqual({ file: 4, packet: 6, flow: 9, detail: 'TypeError: boom' });
    expect(s.summary(meta()).serverHello?.cipherSuite).toBe(0xc02f);
  });

  it('keeps the first Certificate message of a direction and counts them all', () => {
    const t = session();
    t.push(C, clientHello);
    t.push(S, B.record(22, B.concat(B.serverHello(), B.certificate(chain.slice(0, 1)), B.certificate(chain.slice(1)))));
    const sum = t.summary();
    expect(sum.serverCertificates.map((c) => c.declaredLength)).toEqual([1300]);
    expect(sum.serverCertificateMessages).toBe(2);
  });

  it('counts certificates over the per-chain limit', () => {
    const t = session({ maxCertificatesPerChain: 2 });
    t.push(C, clientHello);
    t.push(S, serverFlight);
    expect(t.summary().serverCertificates.length).toBe(2);
    const e = t.diag.list().find((x) => x.key === 'limit.certificates_per_chain');
    expect(e?.severity).toBe('limit');
    expect(e?.samples[0]).toEqual({ file: 0, packet: 2, flow: 7, detail: '1 certificates skipped' });
    expect(t.diag.total).toBe(1);
  });

  it('counts a Certificate cut short', () => {
    const t = session();
    t.push(C, clientHello);
    const cut = 5 + B.serverHello().length + 4 + 3 + 3 + 600;
    t.push(S, serverFlight.subarray(0, cut));
    t.gap(S, serverFlight.length - cut);
    const e = t.diag.list().find((x) => x.key === 'tls.certificate.incomplete');
    expect(e?.severity).toBe('anomaly');
    expect(e?.samples[0]).toEqual({ file: 0, packet: 2, flow: 7, detail: '2912 bytes declared' });
    expect(t.summary().notes).toContain('server Certificate message cut short (2912 bytes declared); certificate bytes incomplete');
  });

  it('reads the ServerKeyExchange group only for an ECDHE suite, or when the ServerHello was not seen', () => {
    const dhe = session();
    dhe.push(C, clientHello);
    dhe.push(S, B.record(22, B.concat(B.serverHello({ cipher: 0x009e }), B.serverKeyExchangeEcdhe(23), B.serverHelloDone())));
    expect(dhe.summary().serverKeyExchangeGroup).toBeNull();
    const noSh = session({}, false);
    noSh.push(S, B.record(22, B.concat(B.serverKeyExchangeEcdhe(29), B.serverHelloDone())));
    expect(noSh.summary().serverKeyExchangeGroup).toBe(29);
  });

  it('decodes a CertificateRequest by the ServerHello\'s version, or by trying both layouts without one', () => {
    // TLS 1.2 layout missing its CA list: as TLS 1.2 it is malformed (it would read as a TLS 1.0 request)
    const body = B.concat(B.vec(1, B.bytes(1)), B.vec(2, B.concat(B.u16(2), B.bytes(4, 1))));
    const t = session();
    t.push(C, clientHello);
    t.push(S, B.record(22, B.concat(B.serverHello(), B.handshake(13, body))));
    expect(t.summary().certificateRequest).toBeNull();
    expect(t.diag.count('tls.certificate_request.truncated')).toBe(1);
    const u = session({}, false);
    u.push(S, B.record(22, B.concat(B.certificateRequest({ caNames: [B.bytes(0x30, 0)] }), B.serverHelloDone())));
    expect(u.summary().certificateRequest).toEqual({ caNames: [B.bytes(0x30, 0)], certificateTypes: [1, 64], signatureAlgorithms: [0x0401, 0x0403] });
    expect(u.diag.total).toBe(0);
  });
});

describe('MessageHandler: SSL 2.0', () => {
  const cert = B.fakeDer(600, 4);

  it('records CLIENT-HELLO once, SERVER-HELLO and CLIENT-MASTER-KEY in the histories', () => {
    const t = session();
    t.push(C, B.sslv2ClientHello({ version: 0x0002 }));
    t.push(S, B.sslv2ServerHello(cert));
    t.push(C, B.sslv2ClientMasterKey());
    const sum = t.summary();
    expect(sum.clientMessages).toEqual([0x101, 0x102]);
    expect(sum.serverMessages).toEqual([0x104]);
    expect(sum.serverHello).toEqual({ legacyVersion: 2, version: 2, cipherSuite: -1, compression: 0, alpn: null, extensions: [], helloRetryRequest: false, sslv2: true });
    expect(sum.serverCertificateMessages).toBe(1);
    expect(sum.serverCertificates.map((c) => c.complete)).toEqual([true]);
    expect(sum.incomplete).toBe(false);
    expect(sum.notes).toEqual([]);
    expect(t.s.recognised).toBe(true);
  });

  it('keeps the first CLIENT-HELLO', () => {
    const t = session();
    t.push(C, B.concat(B.sslv2ClientHello({ version: 0x0300 }), B.sslv2ClientHello({ version: 0x0301 })));
    const sum = t.summary();
    expect(sum.clientHello?.legacyVersion).toBe(0x0300);
    expect(sum.clientMessages).toEqual([0x101]);
  });

  it('a SERVER-HELLO without the CLIENT-HELLO (capture started late) is the server\'s', () => {
    const t = session({}, false);
    t.push(S, B.sslv2ServerHello(cert));
    const sum = t.summary();
    expect(sum.clientHello).toBeNull();
    expect(sum.serverHello?.sslv2).toBe(true);
    expect(sum.serverMessages).toEqual([0x104]);
    expect(t.s.recognised).toBe(true);
  });

  it('keeps the certificate of the first SERVER-HELLO of a direction', () => {
    const t = session();
    t.push(C, B.sslv2ClientHello());
    t.push(S, B.concat(B.sslv2ServerHello(cert), B.sslv2ServerHello(B.fakeDer(500, 5))));
    const sum = t.summary();
    expect(sum.serverCertificates.map((c) => c.declaredLength)).toEqual([600]);
  });

  it('a SERVER-HELLO without a certificate', () => {
    const t = session();
    t.push(C, B.sslv2ClientHello());
    t.push(S, B.sslv2ServerHello(new Uint8Array(0)));
    const sum = t.summary();
    expect(sum.serverCertificates).toEqual([]);
    expect(sum.serverCertificateMessages).toBe(1);
    expect(t.diag.total).toBe(0);
  });

  it('a certificate longer than its record: cut, noted with the record length, counted', () => {
    const t = session();
    t.push(C, B.sslv2ClientHello());
    const body = B.concat(B.u8(4), B.u8(0), B.u8(1), B.u16(2), B.u16(900), B.u16(3), B.u16(16), cert);
    t.push(S, B.sslv2Record(body));
    const sum = t.summary();
    expect(sum.serverCertificates.map((c) => [c.complete, c.declaredLength, c.capturedLength])).toEqual([[false, 900, 600]]);
    expect(sum.incomplete).toBe(true);
    expect(sum.notes).toEqual([`server Certificate message cut short (${body.length} bytes declared); certificate bytes incomplete`]);
    expect(t.diag.count('tls.certificate.incomplete')).toBe(1);
  });

  it('a cut CLIENT-HELLO is counted under tls.sslv2', () => {
    const t = session();
    const ch = B.sslv2ClientHello();
    t.push(C, ch.subarray(0, 12));
    t.gap(C, ch.length - 12);
    t.push(C, B.record(22, B.clientKeyExchange()));
    expect(t.summary().clientHello?.sslv2).toBe(true);
    expect(t.diag.list().map((e) => e.key)).toEqual(['tls.sslv2.truncated']);
  });
});
