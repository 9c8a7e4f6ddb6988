import { describe, expect, it } from 'vitest';
import * as B from '../../helpers/tls-builder.js';
import { session } from './session-helpers.js';

const C = 0, S = 1; // directions: 0 = client's bytes, 1 = server's bytes
const chain = [B.fakeDer(1300, 1), B.fakeDer(900, 2), B.fakeDer(700, 3)];
const clientHello = B.record(22, B.clientHello({ sni: 'server.example', versions: [0x0303], alpn: ['h2'] }), 0x0301);
const serverFlight = B.record(22, B.concat(B.serverHello({ cipher: 0xc02f }), B.certificate(chain), B.serverKeyExchangeEcdhe(23), B.serverHelloDone()));
const clientFinish = B.concat(B.record(22, B.clientKeyExchange()), B.ccsRecord(), B.opaqueRecord(22, 40));
const serverFinish = B.concat(B.record(22, B.newSessionTicket()), B.ccsRecord(), B.opaqueRecord(22, 40));

function tls12(t = session(), sizes: { c?: number[]; s?: number[] } = {}) {
  t.push(C, clientHello, sizes.c);
  t.push(S, serverFlight, sizes.s);
  t.push(C, clientFinish, sizes.c);
  t.push(S, serverFinish, sizes.s);
  return t;
}

describe('TlsSession: a TLS 1.2 handshake', () => {
  it('extracts hello fields, the server chain, the ECDHE group and ends after both ChangeCipherSpecs', () => {
    const t = tls12();
    expect(t.s.done).toBe(true);
    const sum = t.summary();
    expect(sum.clientHello).toMatchObject({ sni: 'server.example', recordVersion: 0x0301, legacyVersion: 0x0303, alpn: ['h2'] });
    expect(sum.serverHello).toMatchObject({ version: 0x0303, cipherSuite: 0xc02f });
    expect(sum.serverCertificates.map((c) => c.complete)).toEqual([true, true, true]);
    expect(sum.serverCertificates.map((c) => c.declaredLength)).toEqual([1300, 900, 700]);
    expect(t.certs.size).toBe(3);
    expect(sum.serverKeyExchangeGroup).toBe(23);
    expect(sum.clientMessages).toEqual([1, 16]);
    expect(sum.serverMessages).toEqual([2, 11, 12, 14, 4]);
    expect(sum.tls13).toBe(false);
    expect(sum.incomplete).toBe(false);
    expect(sum.client.port).toBe(50000);
  });

  it.each([
    ['one byte at a time', { c: Array(600).fill(1), s: Array(4000).fill(1) }],
    ['segments that split record headers', { c: [3, 4, 7], s: [2, 5, 1, 4, 1000, 3] }],
    ['MSS-sized segments', { c: [1448], s: [1448, 1448] }],
  ])('gives the same result when records are split over segments: %s', (_n, sizes) => {
    const ref = tls12().summary();
    const got = tls12(session(), sizes).summary();
    expect(got.serverCertificates).toEqual(ref.serverCertificates);
    expect(got.clientHello).toEqual(ref.clientHello);
    expect(got.serverMessages).toEqual(ref.serverMessages);
  });

  it('reassembles handshake messages spread over many records (and several per record)', () => {
    const t = session();
    const flight = B.concat(B.serverHello({ cipher: 0xc02f }), B.certificate(chain), B.serverHelloDone());
    t.push(C, clientHello);
    t.push(S, B.records(22, flight, [1, 3, 100, 7, 500, 2])); // headers and bodies cut anywhere
    const sum = t.summary();
    expect(sum.serverCertificates.length).toBe(3);
    expect(sum.serverMessages).toEqual([2, 11, 14]);
  });
});

describe('TlsSession: what still counts after ServerHelloDone', () => {
  it('records a client Certificate and CertificateRequest (mutual TLS)', () => {
    const t = session();
    const ca = B.bytes(0x30, 0x00);
    t.push(C, clientHello);
    t.push(S, B.record(22, B.concat(B.serverHello(), B.certificate(chain.slice(0, 1)), B.certificateRequest({ caNames: [ca] }), B.serverHelloDone())));
    t.push(C, B.record(22, B.certificate([B.fakeDer(500, 9)])));
    t.push(C, clientFinish);
    const sum = t.summary();
    expect(sum.certificateRequest?.caNames.length).toBe(1);
    expect(sum.clientCertificates.length).toBe(1);
    expect(sum.clientCertificateMessages).toBe(1);
    expect(sum.serverCertificates.length).toBe(1);
  });

  it('records an empty client Certificate as a message with no certificates', () => {
    const t = session();
    t.push(C, clientHello);
    t.push(S, serverFlight);
    t.push(C, B.record(22, B.certificate([])));
    const sum = t.summary();
    expect(sum.clientCertificateMessages).toBe(1);
    expect(sum.clientCertificates).toEqual([]);
  });

  it('records a server fatal alert that follows the client flight, then is done', () => {
    const t = session();
    t.push(C, clientHello);
    t.push(S, serverFlight);
    t.push(C, clientFinish);
    expect(t.s.done).toBe(false);
    t.push(S, B.alertRecord(2, 40));
    expect(t.s.done).toBe(true);
    expect(t.summary().alerts.map((a) => [a.from, a.level, a.description, a.cleartext])).toEqual([['server', 2, 40, true]]);
  });

  it('records a client alert after the server flight, and an alert after CCS as encrypted', () => {
    const t = session();
    t.push(C, clientHello);
    t.push(S, serverFlight);
    t.push(C, B.alertRecord(1, 112)); // a warning does not end the client's side
    t.push(S, B.concat(B.ccsRecord(), B.opaqueRecord(21, 26)));
    expect(t.summary().alerts.map((a) => [a.from, a.level, a.description, a.cleartext])).toEqual([
      ['client', 1, 112, true], ['server', -1, -1, false],
    ]);
  });

  it('a fatal client alert ends the client side; the connection ends when the server side does', () => {
    const t = session();
    t.push(C, clientHello);
    t.push(S, serverFlight);
    t.push(C, B.alertRecord(2, 48));
    expect(t.s.done).toBe(false);
    t.push(S, B.alertRecord(1, 0));
    expect(t.s.done).toBe(false);
    t.push(S, B.ccsRecord());
    expect(t.s.done).toBe(true);
    expect(t.summary().alerts.map((a) => [a.from, a.level, a.description])).toEqual([['client', 2, 48], ['server', 1, 0]]);
  });

  it('treats application data in both directions as the end (mid-stream session)', () => {
    const t = session({}, false);
    t.push(S, B.concat(B.record(22, B.newSessionTicket()), B.ccsRecord(), B.opaqueRecord(22, 40)));
    t.push(C, B.opaqueRecord(23, 100));
    expect(t.s.done).toBe(true);
    expect(t.s.recognised).toBe(true);
    const sum = t.summary();
    expect(sum.serverMessages).toEqual([4]);
    expect(sum.server.port).toBe(443); // role from NewSessionTicket: only servers send it
  });
});

describe('TlsSession: TLS 1.3 and HelloRetryRequest', () => {
  it('is done right after a TLS 1.3 ServerHello (certificates not visible)', () => {
    const t = session();
    t.push(C, B.record(22, B.clientHello({ versions: [0x0304, 0x0303] })));
    t.push(S, B.concat(B.record(22, B.serverHello({ version: 0x0304, cipher: 0x1301 })), B.ccsRecord(), B.opaqueRecord(23, 2000)));
    expect(t.s.done).toBe(true);
    const sum = t.summary();
    expect(sum.tls13).toBe(true);
    expect(sum.serverHello?.version).toBe(0x0304);
    expect(sum.serverCertificates).toEqual([]);
  });

  it('notes a client message still incomplete when the TLS 1.3 handshake is over', () => {
    const t = session();
    const ch = B.record(22, B.clientHello({ versions: [0x0304], extensions: [[21, new Uint8Array(600)]] }));
    t.push(C, ch.subarray(0, 300));
    t.push(S, B.record(22, B.serverHello({ version: 0x0304, cipher: 0x1301 })));
    const sum = t.summary();
    expect(sum.clientHello).toBeNull();
    expect(sum.notes).toEqual([`client client_hello not complete when the handshake was over (291 of ${ch.length - 9} bytes)`]);
  });

  it('treats a draft or experimental version from supported_versions as TLS 1.3', () => {
    for (const v of [0x7f1c, 0x7e01]) {
      const t = session();
      t.push(C, B.record(22, B.clientHello({ versions: [v, 0x0303] })));
      t.push(S, B.record(22, B.serverHello({ version: v, cipher: 0x1301 })));
      expect(t.summary().tls13).toBe(true);
    }
  });

  it('follows a HelloRetryRequest (and the compatibility CCS) to the real ServerHello', () => {
    const t = session();
    t.push(C, B.record(22, B.clientHello({ sni: 'first.example', versions: [0x0304] })));
    t.push(S, B.record(22, B.serverHello({ hrr: true, version: 0x0304, cipher: 0x1302 })));
    expect(t.s.done).toBe(false);
    t.push(C, B.concat(B.ccsRecord(), B.record(22, B.clientHello({ sni: 'second.example', versions: [0x0304] }))));
    t.push(S, B.record(22, B.serverHello({ version: 0x0304, cipher: 0x1302 })));
    expect(t.s.done).toBe(true);
    const sum = t.summary();
    expect(sum.serverHello).toMatchObject({ helloRetryRequest: true, cipherSuite: 0x1302, version: 0x0304 });
    expect(sum.clientHello?.sni).toBe('first.example');
    expect(sum.clientMessages).toEqual([1, 1]);
  });
});

describe('TlsSession: SSL 2.0', () => {
  it('reports the SSLv2 SERVER-HELLO certificate as the server certificate', () => {
    const t = session();
    const cert = B.fakeDer(600, 4);
    t.push(C, B.sslv2ClientHello({ version: 0x0002 }));
    t.push(S, B.sslv2ServerHello(cert), [10, 300]);
    t.push(C, B.sslv2ClientMasterKey());
    expect(t.s.done).toBe(true);
    const sum = t.summary();
    expect(sum.clientHello).toMatchObject({ sslv2: true, legacyVersion: 0x0002 });
    expect(sum.serverHello).toMatchObject({ version: 0x0002, cipherSuite: -1, sslv2: true });
    expect(sum.serverCertificates.map((c) => c.declaredLength)).toEqual([600]);
  });

  it('follows an SSLv2-compatible hello with TLS records in both directions', () => {
    const t = session();
    t.push(C, B.concat(B.sslv2ClientHello({ version: 0x0301, specs: [0x000035, 0x000004] }), B.record(22, B.clientKeyExchange(), 0x0301)));
    t.push(S, B.record(22, B.concat(B.serverHello({ legacyVersion: 0x0301, cipher: 0x0004, noExtensions: true }), B.certificate(chain.slice(0, 1)), B.serverHelloDone()), 0x0301));
    const sum = t.summary();
    expect(sum.clientHello).toMatchObject({ sslv2: true, legacyVersion: 0x0301, cipherSuites: [0x35, 0x04] });
    expect(sum.serverHello?.version).toBe(0x0301);
    expect(sum.serverCertificates.length).toBe(1);
    expect(sum.clientMessages).toEqual([0x101, 16]);
  });
});

describe('TlsSession: preambles and lost bytes', () => {
  it.each([
    ['SMTP STARTTLS', '220 mail.example ESMTP\r\n250 STARTTLS\r\n220 Go ahead\r\n', 'EHLO me\r\nSTARTTLS\r\n'],
    ['HTTP CONNECT', 'HTTP/1.1 200 Connection established\r\n\r\n', 'CONNECT server.example:443 HTTP/1.1\r\nHost: server.example\r\n\r\n'],
  ])('finds TLS after a %s preamble', (_name, serverText, clientText) => {
    const t = session();
    t.push(C, B.concat(B.ascii(clientText), clientHello), [5]);
    t.push(S, B.concat(B.ascii(serverText), serverFlight), [7]);
    const sum = t.summary();
    expect(sum.clientHello?.sni).toBe('server.example');
    expect(sum.serverCertificates.length).toBe(3);
    expect(sum.notes.join(' ')).toContain(`${clientText.length} bytes of non-TLS preamble`);
  });

  it('finds the server certificate after a STARTTLS preamble when a gap swallowed the ServerHello record', () => {
    const t = session();
    t.push(C, B.concat(B.ascii('EHLO me\r\nSTARTTLS\r\n'), clientHello));
    t.push(S, B.ascii('220 mail.example ESMTP\r\n250 STARTTLS\r\n220 Go ahead\r\n'));
    const sh = B.record(22, B.serverHello());
    t.gap(S, sh.length);
    t.push(S, B.concat(B.record(22, B.certificate(chain.slice(0, 1))), B.record(22, B.serverHelloDone())));
    const sum = t.summary();
    expect(sum.serverCertificates.map((c) => c.declaredLength)).toEqual([1300]);
    expect(sum.incomplete).toBe(true);
  });

  it('gives up on a stream that shows no TLS within the preamble limit', () => {
    const t = session({ maxPreambleBytes: 64 });
    t.push(C, B.ascii('GET / HTTP/1.1\r\n'.repeat(10)));
    t.push(S, B.ascii('HTTP/1.1 200 OK\r\n'.repeat(10)));
    expect(t.s.recognised).toBe(false);
    expect(t.s.notTls).toBe(true);
  });

  it('hands over a certificate cut by a gap with its declared length, and marks the connection incomplete', () => {
    const t = session();
    t.push(C, clientHello);
    const cut = 5 + 4 + B.serverHello().length - 4 + 4 + 3 + 3 + 600; // up to 600 bytes into the first certificate
    t.push(S, serverFlight.subarray(0, cut));
    t.gap(S, serverFlight.length - cut);
    const sum = t.summary();
    expect(sum.serverCertificates.map((c) => [c.complete, c.capturedLength, c.declaredLength])).toEqual([[false, 600, 1300]]);
    expect(sum.incomplete).toBe(true);
    expect(sum.notes.some((n) => n.includes('bytes missing (capture) in the server certificate'))).toBe(true);
    expect(t.diag.count('tls.certificate.incomplete')).toBe(1);
  });

  it('skips a gap inside a record exactly and parses the records after it', () => {
    const t = session();
    const status = B.handshake(B.HS.certificateStatus, new Uint8Array(296).fill(0x0b)); // skipped type, 300 bytes
    const flight = B.concat(B.record(22, B.serverHello()), B.record(22, status), B.record(22, B.certificate(chain.slice(0, 1))));
    const hole = 5 + B.serverHello().length + 5 + 10; // 10 bytes into the second record
    t.push(C, clientHello);
    t.push(S, flight.subarray(0, hole));
    t.gap(S, 100);
    t.push(S, flight.subarray(hole + 100));
    expect(t.summary().serverCertificates.length).toBe(1);
  });

  it('resynchronises on the next record when a gap swallowed a record header', () => {
    const t = session();
    const flight = B.concat(B.record(22, B.serverHello()), B.record(22, B.serverKeyExchangeEcdhe(29)), B.record(22, B.certificate(chain.slice(0, 1))), B.record(22, B.serverHelloDone()));
    const a = 5 + B.serverHello().length; // end of the first record
    const b = a + 5 + B.serverKeyExchangeEcdhe(29).length; // end of the second
    t.push(C, clientHello);
    t.push(S, flight.subarray(0, a));
    t.gap(S, b - a);
    t.push(S, flight.subarray(b));
    const sum = t.summary();
    expect(sum.serverCertificates.length).toBe(1);
    expect(sum.serverMessages).toEqual([2, 11, 14]);
    expect(sum.incomplete).toBe(true);
  });

  it('keeps the first part of a Certificate larger than the handshake limit', () => {
    const t = session({ maxHandshakeBytes: 2000 });
    t.push(C, clientHello);
    t.push(S, serverFlight, [1448]);
    const sum = t.summary();
    expect(sum.serverCertificates.map((c) => c.complete)).toEqual([true, false]);
    expect(t.diag.count('limit.handshake_bytes')).toBe(1);
  });

  it('abandons a direction whose record length exceeds the record limit', () => {
    const t = session();
    t.push(C, clientHello);
    t.push(S, B.concat(B.record(22, B.serverHello()), B.u8(22), B.u16(0x0303), B.u16(0x7000), new Uint8Array(20)));
    const sum = t.summary();
    expect(sum.serverHello).not.toBeNull();
    expect(sum.notes.some((n) => n.includes('server: bad record header 16 03 03 70 00'))).toBe(true);
  });
});

describe('TlsSession: the ServerKeyExchange group', () => {
  const ecdhParams = (group: number) => B.concat(B.u8(3), B.u16(group), B.vec(1, new Uint8Array(65).fill(4)));
  function groupWith(cipher: number, ske: Uint8Array): number | null {
    const t = session();
    t.push(C, clientHello);
    t.push(S, B.record(22, B.concat(B.serverHello({ cipher, noExtensions: true }), B.handshake(12, ske), B.serverHelloDone())));
    return t.summary().serverKeyExchangeGroup;
  }

  it('reads ServerECDHParams after the psk_identity_hint for ECDHE_PSK suites (RFC 5489 §2)', () => {
    for (const hint of ['', 'client-7', 'h'.repeat(128)]) {
      expect(groupWith(0xc037, B.concat(B.vec(2, B.ascii(hint)), ecdhParams(23))), `hint of ${hint.length}`).toBe(23);
    }
    // a hint of 0x317 bytes: its length bytes would read as curve_type named_curve(3), group 0x17xx
    expect(groupWith(0xc035, B.concat(B.vec(2, new Uint8Array(0x317).fill(0x41)), ecdhParams(29)))).toBe(29);
  });

  it('reads them first for ECDHE and ECDH_anon suites, and not at all for others', () => {
    expect(groupWith(0xc02f, B.concat(ecdhParams(29), B.u16(0x0401), B.vec(2, new Uint8Array(64))))).toBe(29);
    expect(groupWith(0xc018, ecdhParams(24))).toBe(24);
    expect(groupWith(0x009e, B.concat(B.vec(2, B.bytes(3, 0, 23)), B.vec(2, B.bytes(2)), B.vec(2, B.bytes(9))))).toBeNull(); // DHE_RSA
  });
});
