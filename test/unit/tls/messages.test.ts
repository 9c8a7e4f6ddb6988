import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../../src/tls/byte-reader.js';
import { decodeClientHello, newClientHelloInfo } from '../../../src/tls/messages/client-hello.js';
import { decodeServerHello, newServerHelloInfo } from '../../../src/tls/messages/server-hello.js';
import { decodeCertificateList, type CertSink } from '../../../src/tls/messages/certificate.js';
import { decodeCertificateRequest } from '../../../src/tls/messages/certificate-request.js';
import { decodeServerKeyExchangeGroup, hasPskIdentityHint, usesEcdheKeyExchange } from '../../../src/tls/messages/server-key-exchange.js';
import { decodeSslv2ClientHello, decodeSslv2ClientMasterKey, decodeSslv2ServerHello } from '../../../src/tls/messages/sslv2.js';
import { isPlausibleAlert, looksLikeCleartextAlerts } from '../../../src/tls/messages/alert.js';
import type { CertEntry } from '../../../src/tls/summary.js';
import { DecodeError } from '../../../src/diagnostics/decode-error.js';
import * as B from '../../helpers/tls-builder.js';
import { buildTcpPacket } from '../../helpers/packet-builder.js';
import { writePcap } from '../../helpers/pcap-writer.js';
import { hasTool } from '../../helpers/tools.js';

const body = (msg: Uint8Array) => msg.subarray(4); // strip the handshake header
const reader = (b: Uint8Array, layer = 'test') => ByteReader.of(b, layer);

class Sink implements CertSink {
  readonly seen: Array<{ der: number[]; declared: number }> = [];
  add(der: Uint8Array, declaredLength: number): CertEntry {
    this.seen.push({ der: [...der], declared: declaredLength });
    return { sha256: `h${this.seen.length}`, complete: der.length === declaredLength, declaredLength, capturedLength: der.length };
  }
}


/**
 * tshark's expert messages for each server flight (one TCP connection each: handshake, a
 * ClientHello, then `flight` from the server), in the order given.
 */
function tsharkExpertPerFlight(flights: Uint8Array[]): string[] {
  const frames: Uint8Array[] = [];
  flights.forEach((flight, i) => {
    const c = { src: '10.0.0.1', dst: '10.0.0.2', sport: 50000 + i, dport: 443 };
    const s = { src: '10.0.0.2', dst: '10.0.0.1', sport: 443, dport: 50000 + i };
    const ch = B.record(22, B.clientHello({ ciphers: [0xc02f] }));
    frames.push(
      buildTcpPacket({ ...c, seq: 0, flags: 0x02 }),
      buildTcpPacket({ ...s, seq: 0, ack: 1, flags: 0x12 }),
      buildTcpPacket({ ...c, seq: 1, ack: 1, flags: 0x18, payload: ch }),
      buildTcpPacket({ ...s, seq: 1, ack: 1 + ch.length, flags: 0x18, payload: flight }),
    );
  });
  const dir = mkdtempSync(join(tmpdir(), 'tls-messages-'));
  try {
    const file = join(dir, 'flights.pcap');
    writeFileSync(file, writePcap(frames, { linkType: 1 }));
    const out = execFileSync('tshark', ['-r', file, '-Y', 'tcp.srcport == 443 && tls', '-T', 'fields', '-e', 'tcp.dstport', '-e', '_ws.expert.message', '-E', 'occurrence=a'], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
    });
    const byPort = new Map(out.split('\n').filter(Boolean).map((l) => l.split('\t') as [string, string]));
    return flights.map((_, i) => byPort.get(String(50000 + i)) ?? '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('ClientHello (RFC 8446 §4.1.2)', () => {
  it('decodes version, suites, SNI, ALPN, supported_versions, groups, signature algorithms and the extension order', () => {
    const ch = B.clientHelloBody({
      sni: 'cucm.example.org', alpn: ['h2', 'http/1.1'], versions: [0x2a2a, 0x0304, 0x0303], ciphers: [0x1301, 0xc02c],
      groups: [29, 23], sigAlgs: [0x0403, 0x0804], extensions: [[0x0017, new Uint8Array(0)]],
    });
    const info = decodeClientHello(reader(ch), newClientHelloInfo(0x0301));
    expect(info).toMatchObject({
      legacyVersion: 0x0303, recordVersion: 0x0301, cipherSuites: [0x1301, 0xc02c], sni: 'cucm.example.org',
      alpn: ['h2', 'http/1.1'], supportedVersions: [0x2a2a, 0x0304, 0x0303], supportedGroups: [29, 23],
      signatureAlgorithms: [0x0403, 0x0804], extensions: [0, 10, 13, 16, 43, 0x17], sslv2: false,
    });
  });

  it('accepts a hello without extensions (SSL 3.0 style)', () => {
    const info = decodeClientHello(reader(B.clientHelloBody({ legacyVersion: 0x0300, noExtensions: true })), newClientHelloInfo(0x0300));
    expect(info.legacyVersion).toBe(0x0300);
    expect(info.extensions).toEqual([]);
    expect(info.sni).toBeNull();
  });

  it('keeps what was decoded before a malformed extension', () => {
    const ch = B.clientHelloBody({ sni: 'ok.example', extensions: [[16, B.bytes(0, 9, 1)]] }); // ALPN list overruns
    const info = newClientHelloInfo(0x0303);
    expect(() => decodeClientHello(reader(ch, 'tls.client_hello'), info)).toThrow(DecodeError);
    expect(info.sni).toBe('ok.example');
    expect(info.cipherSuites.length).toBe(3);
  });

  it('starts every list empty: a hello without extensions leaves them so', () => {
    const info = decodeClientHello(reader(B.clientHelloBody({ noExtensions: true, ciphers: [0x002f] })), newClientHelloInfo(0x0301));
    expect(info).toEqual({
      legacyVersion: 0x0303, recordVersion: 0x0301, supportedVersions: [], cipherSuites: [0x002f], sni: null, alpn: [],
      signatureAlgorithms: [], supportedGroups: [], extensions: [], sslv2: false,
    });
  });

  it('takes the first host_name of the first server_name extension (RFC 6066 §3)', () => {
    const entry = (type: number, name: string) => B.concat(B.u8(type), B.vec(2, B.ascii(name)));
    const list = B.vec(2, B.concat(entry(1, 'not-a-host'), entry(0, 'first.example'), entry(0, 'second.example')));
    const again = B.vec(2, entry(0, 'again.example'));
    const ch = B.clientHelloBody({ extensions: [[0, list], [0, again]] });
    const info = decodeClientHello(reader(ch), newClientHelloInfo(0x0303));
    expect(info.sni).toBe('first.example');
    expect(info.extensions).toEqual([0, 0]);
  });

  it('reads an empty server_name extension as no name (Wireshark: the ServerHello echo form)', () => {
    const info = decodeClientHello(reader(B.clientHelloBody({ extensions: [[0, new Uint8Array(0)]], alpn: ['h2'] })), newClientHelloInfo(0x0303));
    expect(info.sni).toBeNull();
    expect(info.alpn).toEqual(['h2']);
  });

  it('keeps the cipher suites empty when the hello is cut before them', () => {
    const ch = B.clientHelloBody({ ciphers: [0x1301] });
    const info = newClientHelloInfo(0x0303);
    expect(() => decodeClientHello(reader(ch.subarray(0, 2 + 32 + 1 + 1)), info)).toThrow(expect.objectContaining({ code: 'truncated' }));
    expect(info.legacyVersion).toBe(0x0303);
    expect(info.cipherSuites).toEqual([]);
  });

  it('rejects a session id longer than 32 bytes', () => {
    const ch = B.clientHelloBody({ sessionId: new Uint8Array(33) });
    expect(() => decodeClientHello(reader(ch), newClientHelloInfo(0))).toThrow(expect.objectContaining({ code: 'vector_bounds' }));
  });
});

describe('ServerHello (RFC 8446 §4.1.3)', () => {
  it('takes the negotiated version from supported_versions', () => {
    const info = newServerHelloInfo();
    const extra = decodeServerHello(reader(body(B.serverHello({ cipher: 0x1302, version: 0x0304, alpn: 'h2' }))), info);
    expect(info).toMatchObject({ legacyVersion: 0x0303, version: 0x0304, cipherSuite: 0x1302, alpn: 'h2', helloRetryRequest: false, extensions: [16, 43] });
    expect(extra.versionFromExtension).toBe(true);
  });

  it('uses legacy_version without the extension, and reads the compression method', () => {
    const info = newServerHelloInfo();
    decodeServerHello(reader(body(B.serverHello({ legacyVersion: 0x0301, cipher: 0x002f, noExtensions: true }))), info);
    expect(info).toMatchObject({ version: 0x0301, cipherSuite: 0x002f, compression: 0, extensions: [] });
  });

  it('says the version did not come from an extension when there is none', () => {
    const extra = decodeServerHello(reader(body(B.serverHello({ noExtensions: true }))), newServerHelloInfo());
    expect(extra).toEqual({ versionFromExtension: false });
    const withAlpn = decodeServerHello(reader(body(B.serverHello({ alpn: 'h2' }))), newServerHelloInfo());
    expect(withAlpn).toEqual({ versionFromExtension: false });
  });

  it('leaves the cipher suite at -1 when the hello is cut before it', () => {
    const sh = body(B.serverHello({ cipher: 0x002f }));
    const info = newServerHelloInfo();
    expect(() => decodeServerHello(reader(sh.subarray(0, 2 + 32 + 1 + 32)), info)).toThrow(expect.objectContaining({ code: 'truncated' }));
    expect(info.cipherSuite).toBe(-1);
    expect(info.legacyVersion).toBe(0x0303);
  });

  it('skips extensions other than supported_versions and ALPN', () => {
    const info = newServerHelloInfo();
    decodeServerHello(reader(body(B.serverHello({ extensions: [[0xff01, B.bytes(0)], [0x0017, new Uint8Array(0)], [11, B.bytes(1, 0)]], alpn: 'h2' }))), info);
    expect(info).toMatchObject({ alpn: 'h2', version: 0x0303, extensions: [16, 0xff01, 0x17, 11] });
  });

  it('reads an empty ALPN protocol list as no protocol', () => {
    const info = newServerHelloInfo();
    decodeServerHello(reader(body(B.serverHello({ extensions: [[16, B.bytes(0, 0)]] }))), info);
    expect(info.alpn).toBeNull();
  });

  it('uses the full layout for 7f00 and for draft 22 on (session id and compression present)', () => {
    for (const legacyVersion of [0x7f00, 0x7f16]) {
      const info = newServerHelloInfo();
      decodeServerHello(reader(body(B.serverHello({ legacyVersion, cipher: 0x1301, compression: 0, alpn: 'h2' }))), info);
      expect(info, legacyVersion.toString(16)).toMatchObject({ legacyVersion, cipherSuite: 0x1301, alpn: 'h2' });
    }
  });

  it('recognises a HelloRetryRequest by its special random', () => {
    const info = newServerHelloInfo();
    decodeServerHello(reader(body(B.serverHello({ hrr: true, version: 0x0304, cipher: 0x1301 }))), info);
    expect(info.helloRetryRequest).toBe(true);
  });

  it('decodes the pre-22 draft layout (no session id, no compression)', () => {
    const draft = B.concat(B.u16(0x7f10), new Uint8Array(32), B.u16(0x1301), B.vec(2, new Uint8Array(0)));
    const info = newServerHelloInfo();
    decodeServerHello(reader(draft), info);
    expect(info).toMatchObject({ legacyVersion: 0x7f10, version: 0x7f10, cipherSuite: 0x1301 });
  });
});

describe('Certificate (RFC 5246 §7.4.2)', () => {
  const ders = [B.fakeDer(300, 1), B.fakeDer(200, 2)];
  const msg = body(B.certificate(ders));

  it('hands each DER to the sink in order', () => {
    const sink = new Sink();
    const res = decodeCertificateList(msg, 0, msg.length, msg.length, sink, 32);
    expect(res.certs.map((c) => c.complete)).toEqual([true, true]);
    expect(sink.seen.map((s) => s.der)).toEqual(ders.map((d) => [...d]));
    expect(res.truncated).toBe(false);
  });

  it('accepts an empty list (client without certificate)', () => {
    const empty = body(B.certificate([]));
    expect(decodeCertificateList(empty, 0, empty.length, empty.length, new Sink(), 32)).toEqual({ certs: [], truncated: false, skipped: 0 });
  });

  it('decodes a message in the middle of a buffer, down to a 1-byte last certificate', () => {
    const m = body(B.certificate([B.fakeDer(30, 1), B.bytes(0x05)]));
    const buf = B.concat(new Uint8Array(10).fill(0xee), m, new Uint8Array(7).fill(0xee));
    const sink = new Sink();
    const res = decodeCertificateList(buf, 10, 10 + m.length, 10 + m.length, sink, 32);
    expect(res.truncated).toBe(false);
    expect(sink.seen.map((s) => s.der.length)).toEqual([30, 1]);
  });

  it('hands over a certificate cut right after its length (0 bytes captured)', () => {
    const sink = new Sink();
    const res = decodeCertificateList(msg, 0, msg.length, 3 + 3 + 300 + 3, sink, 32);
    expect(res.truncated).toBe(true);
    expect(res.certs.map((c) => [c.complete, c.capturedLength, c.declaredLength])).toEqual([[true, 300, 300], [false, 0, 200]]);
  });

  it('rejects a zero-length certificate and one that overruns the list', () => {
    const zero = body(B.handshake(11, B.vec(3, B.concat(B.vec(3, B.fakeDer(20)), B.u24(0)))));
    expect(() => decodeCertificateList(zero, 0, zero.length, zero.length, new Sink(), 32)).toThrow(expect.objectContaining({ code: 'empty_certificate' }));
    const over = body(B.handshake(11, B.vec(3, B.concat(B.u24(21), B.fakeDer(20)))));
    expect(() => decodeCertificateList(over, 0, over.length, over.length, new Sink(), 32)).toThrow(expect.objectContaining({ code: 'bad_length' }));
  });

  it('hands over a certificate cut short with its declared length (complete=false) and stops', () => {
    const sink = new Sink();
    const validEnd = 3 + 3 + 300 + 3 + 50; // 50 bytes of the second certificate
    const res = decodeCertificateList(msg, 0, msg.length, validEnd, sink, 32);
    expect(res.truncated).toBe(true);
    expect(res.certs.map((c) => [c.complete, c.capturedLength, c.declaredLength])).toEqual([[true, 300, 300], [false, 50, 200]]);
    expect(sink.seen[1].der).toEqual([...ders[1].subarray(0, 50)]);
  });

  it('skips certificates beyond the per-chain limit', () => {
    const res = decodeCertificateList(msg, 0, msg.length, msg.length, new Sink(), 1);
    expect(res.certs.length).toBe(1);
    expect(res.skipped).toBe(1);
  });

  it('reports the list cut when the cut falls in a skipped certificate, as when it falls between them', () => {
    const three = body(B.certificate([B.fakeDer(100, 1), B.fakeDer(80, 2), B.fakeDer(60, 3)]));
    const inSecond = 3 + 3 + 100 + 3 + 40;
    const afterSecond = 3 + 3 + 100 + 3 + 80;
    for (const validEnd of [inSecond, afterSecond]) {
      const res = decodeCertificateList(three, 0, three.length, validEnd, new Sink(), 1);
      expect([res.certs.length, res.skipped, res.truncated], `validEnd ${validEnd}`).toEqual([1, 1, true]);
    }
    const all = decodeCertificateList(three, 0, three.length, three.length, new Sink(), 1);
    expect([all.certs.length, all.skipped, all.truncated]).toEqual([1, 2, false]);
  });

  it('reads a list with fewer than 3 bytes where a length is due as malformed, but as cut when bytes are missing', () => {
    const cert = B.fakeDer(40, 1);
    const shapes = [
      new Uint8Array(0), // no certificate_list length at all
      B.bytes(0, 0, 2, 0, 0), // a list of 2 stray bytes
      B.vec(3, B.concat(B.vec(3, cert), B.bytes(0, 0))), // a certificate, then 2 stray bytes
    ];
    for (const m of shapes) {
      expect(() => decodeCertificateList(m, 0, m.length, m.length, new Sink(), 32), `${m.length} bytes`)
        .toThrow(expect.objectContaining({ layer: 'tls.certificate', code: 'bad_length' }));
    }
    // the same bytes with the message's end missing are cut, not malformed
    const whole = body(B.certificate([cert, B.fakeDer(30, 2)]));
    for (const validEnd of [0, 2, 3 + 3 + 40 + 2]) {
      const res = decodeCertificateList(whole, 0, whole.length, validEnd, new Sink(), 32);
      expect(res.truncated, `validEnd ${validEnd}`).toBe(true);
      expect(res.certs.length).toBe(validEnd > 3 ? 1 : 0);
    }
  });

  it.skipIf(!hasTool('tshark', '-v'))('calls malformed the Certificate messages tshark calls malformed', () => {
    const cert = B.bytes(0x30, 0x03, 0x02, 0x01, 0x00); // well-formed DER (not a certificate: tshark only warns)
    const bodies = [new Uint8Array(0), B.bytes(0, 0, 2, 0, 0), B.vec(3, B.concat(B.vec(3, cert), B.bytes(0, 0))), B.vec(3, B.vec(3, cert))];
    const flights = bodies.map((m) => B.record(22, B.concat(B.serverHello({ cipher: 0xc02f, noExtensions: true }), B.handshake(11, m), B.serverHelloDone())));
    // tshark: an expert error on the vector, or an exception reading past the message
    const tshark = tsharkExpertPerFlight(flights).map((e) => /No more room for vector|Malformed Packet/.test(e));
    const ours = bodies.map((m) => {
      try {
        decodeCertificateList(m, 0, m.length, m.length, new Sink(), 32);
        return false;
      } catch (e) {
        return e instanceof DecodeError;
      }
    });
    expect(tshark).toEqual([true, true, true, false]);
    expect(ours).toEqual(tshark);
  });

  it('throws DecodeError when the list length disagrees with the message', () => {
    const bad = Uint8Array.from(msg);
    bad[2] += 1;
    expect(() => decodeCertificateList(bad, 0, bad.length, bad.length, new Sink(), 32)).toThrow(DecodeError);
    // a list that declares only the first certificate, in a message that carries both
    const short = Uint8Array.from(msg);
    short.set(B.u24(3 + 300), 0);
    expect(() => decodeCertificateList(short, 0, short.length, short.length, new Sink(), 32)).toThrow(expect.objectContaining({ code: 'bad_length' }));
  });
});

describe('CertificateRequest (RFC 5246 §7.4.4)', () => {
  const ca = B.bytes(0x30, 0x03, 0x31, 0x01, 0x00);
  it('decodes the TLS 1.2 layout with signature algorithms and CA names (copied)', () => {
    const m = body(B.certificateRequest({ types: [1, 64], sigAlgs: [0x0401], caNames: [ca] }));
    const info = decodeCertificateRequest(m, 0, m.length, 0x0303);
    expect(info.certificateTypes).toEqual([1, 64]);
    expect(info.signatureAlgorithms).toEqual([0x0401]);
    expect(info.caNames.map((n) => [...n])).toEqual([[...ca]]);
    expect(info.caNames[0].buffer).not.toBe(m.buffer);
  });

  it('decodes the TLS 1.0 layout, and guesses it when the version is unknown', () => {
    const m = body(B.certificateRequest({ types: [1], caNames: [ca], tls12: false }));
    expect(decodeCertificateRequest(m, 0, m.length, 0x0301).caNames.length).toBe(1);
    expect(decodeCertificateRequest(m, 0, m.length, 0).signatureAlgorithms).toEqual([]);
  });
});

describe('CertificateRequest: errors', () => {
  it('names its layer in the error (the diagnostic key is layer.code)', () => {
    const m = body(B.certificateRequest({ types: [] })); // certificate_types<1..2^8-1>
    expect(() => decodeCertificateRequest(m, 0, m.length, 0x0303)).toThrow(expect.objectContaining({ layer: 'tls.certificate_request', code: 'vector_bounds' }));
  });
});

describe('ServerKeyExchange (RFC 8422 §5.4)', () => {
  it('reads the named curve of ECDHE parameters', () => {
    const m = body(B.serverKeyExchangeEcdhe(29));
    expect(decodeServerKeyExchangeGroup(m, 0, m.length)).toBe(29);
    expect(usesEcdheKeyExchange(0xc02f)).toBe(true);
    expect(usesEcdheKeyExchange(0x009e)).toBe(false);
  });

  it('counts ECDH_anon suites as carrying ServerECDHParams, static ECDH and RSA not', () => {
    expect(usesEcdheKeyExchange(0xc018)).toBe(true); // TLS_ECDH_anon_WITH_AES_128_CBC_SHA
    expect(usesEcdheKeyExchange(0xc013)).toBe(true); // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
    expect(usesEcdheKeyExchange(0xc004)).toBe(false); // TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA
    expect(usesEcdheKeyExchange(0x002f)).toBe(false);
  });

  it('skips the psk_identity_hint of ECDHE_PSK suites (RFC 5489 §2), and only theirs', () => {
    const m = B.concat(B.vec(2, B.ascii('hint')), B.bytes(3, 0, 29), B.vec(1, new Uint8Array(65).fill(4)));
    expect(decodeServerKeyExchangeGroup(m, 0, m.length, true)).toBe(29);
    expect(decodeServerKeyExchangeGroup(m, 0, m.length)).toBeNull(); // the hint's length byte 00 read as curve_type
    for (const suite of [0xc037, 0xccac, 0xd001]) expect(hasPskIdentityHint(suite), suite.toString(16)).toBe(true);
    for (const suite of [0xc02f, 0xc018, 0x00a8, 0x008c]) expect(hasPskIdentityHint(suite), suite.toString(16)).toBe(false);
    const overrun = B.concat(B.u16(10), B.ascii('hint'));
    expect(() => decodeServerKeyExchangeGroup(overrun, 0, overrun.length, true)).toThrow(expect.objectContaining({ code: 'vector_overflow' }));
  });

  it('has no named group for explicit curves, and names its layer when cut', () => {
    const explicit = B.bytes(1, 0, 23, 0, 0);
    expect(decodeServerKeyExchangeGroup(explicit, 0, explicit.length)).toBeNull();
    const cut = B.bytes(3, 0);
    expect(() => decodeServerKeyExchangeGroup(cut, 0, cut.length)).toThrow(expect.objectContaining({ layer: 'tls.server_key_exchange', code: 'truncated' }));
  });
});

describe('SSL 2.0 hellos', () => {
  it('decodes an SSLv2 CLIENT-HELLO and its 3-byte cipher kinds', () => {
    const rec = B.sslv2ClientHello({ version: 0x0002, specs: [0x010080, 0x0700c0] });
    const info = decodeSslv2ClientHello(reader(rec.subarray(2)), newClientHelloInfo(0));
    expect(info).toMatchObject({ sslv2: true, legacyVersion: 0x0002, cipherSuites: [0x010080, 0x0700c0] });
  });

  it('rejects cipher_specs_length that is not a multiple of 3', () => {
    const rec = Uint8Array.from(B.sslv2ClientHello());
    rec[2 + 4] += 1; // cipher_specs_length 9 -> 10
    expect(() => decodeSslv2ClientHello(reader(rec.subarray(2)), newClientHelloInfo(0))).toThrow(expect.objectContaining({ code: 'bad_length' }));
  });

  it('rejects a message of another type with bad_type', () => {
    const ch = B.sslv2ClientHello().subarray(2), sh = B.sslv2ServerHello(B.fakeDer(20)).subarray(2);
    expect(() => decodeSslv2ClientHello(reader(sh), newClientHelloInfo(0))).toThrow(expect.objectContaining({ code: 'bad_type' }));
    expect(() => decodeSslv2ServerHello(reader(ch))).toThrow(expect.objectContaining({ code: 'bad_type' }));
  });

  it('reads the cipher kind of a CLIENT-MASTER-KEY, and nothing else', () => {
    expect(decodeSslv2ClientMasterKey(reader(B.sslv2ClientMasterKey(0x0700c0).subarray(2)))).toBe(0x0700c0);
    expect(() => decodeSslv2ClientMasterKey(reader(B.sslv2ClientHello().subarray(2)))).toThrow(expect.objectContaining({ code: 'bad_type' }));
  });

  it('decodes a SERVER-HELLO with its certificate', () => {
    const cert = B.fakeDer(120, 5);
    const sh = decodeSslv2ServerHello(reader(B.sslv2ServerHello(cert).subarray(2)));
    expect(sh.version).toBe(0x0002);
    expect([...sh.certificate!]).toEqual([...cert]);
    expect(sh.certificateLength).toBe(120);
    expect(sh.cipherSpecs).toEqual([0x010080]);
  });
});

describe('Alert (RFC 8446 §6)', () => {
  it('takes levels warning(1) and fatal(2) with any description byte', () => {
    for (const d of [0, 40, 255]) expect(isPlausibleAlert(2, d), `2/${d}`).toBe(true);
    expect(isPlausibleAlert(1, 0)).toBe(true);
    for (const l of [0, 3, 0x17]) expect(isPlausibleAlert(l, 40), `level ${l}`).toBe(false);
  });

  it('recognises a cleartext alert record body: whole alerts, every level valid', () => {
    const buf = B.bytes(0xee, 2, 40, 1, 0, 0xee);
    expect(looksLikeCleartextAlerts(buf, 1, 3)).toBe(true);
    expect(looksLikeCleartextAlerts(buf, 1, 5)).toBe(true);
    expect(looksLikeCleartextAlerts(buf, 1, 1)).toBe(false); // empty
    expect(looksLikeCleartextAlerts(buf, 1, 4)).toBe(false); // 1.5 alerts
    expect(looksLikeCleartextAlerts(buf, 0, 2)).toBe(false); // level 0xee
    expect(looksLikeCleartextAlerts(B.bytes(2, 40, 9, 0), 0, 4)).toBe(false); // second level 9
    expect(looksLikeCleartextAlerts(B.bytes(1, 0, 2, 40), 2, 4)).toBe(true);
    expect(looksLikeCleartextAlerts(B.bytes(2, 40), 0, 2)).toBe(true); // level and description of the same alert
  });
});
