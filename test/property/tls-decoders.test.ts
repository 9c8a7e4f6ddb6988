/**
 * Property (a): any bytes fed to a TLS decoder throw nothing but DecodeError; any bytes fed to a
 * whole session or flow table throw nothing at all (gopacket fuzz_layer.go idea).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../src/tls/byte-reader.js';
import { isDecodeError } from '../../src/diagnostics/decode-error.js';
import { decodeClientHello, newClientHelloInfo } from '../../src/tls/messages/client-hello.js';
import { decodeServerHello, newServerHelloInfo } from '../../src/tls/messages/server-hello.js';
import { decodeCertificateList } from '../../src/tls/messages/certificate.js';
import { decodeCertificateRequest } from '../../src/tls/messages/certificate-request.js';
import { decodeServerKeyExchangeGroup } from '../../src/tls/messages/server-key-exchange.js';
import { decodeSslv2ClientHello, decodeSslv2ServerHello, decodeSslv2ClientMasterKey } from '../../src/tls/messages/sslv2.js';
import type { CertEntry } from '../../src/tls/summary.js';
import * as B from '../helpers/tls-builder.js';
import { session } from '../unit/tls/session-helpers.js';

const sink = { add: (der: Uint8Array, declaredLength: number): CertEntry => ({ sha256: 'x', complete: der.length === declaredLength, declaredLength, capturedLength: der.length }) };

const decoders: Array<[string, (b: Uint8Array) => unknown]> = [
  ['ClientHello', (b) => decodeClientHello(ByteReader.of(b, 't'), newClientHelloInfo(0))],
  ['ServerHello', (b) => decodeServerHello(ByteReader.of(b, 't'), newServerHelloInfo())],
  ['Certificate', (b) => decodeCertificateList(b, 0, b.length, Math.floor(b.length / 2), sink, 4)],
  ['Certificate (whole)', (b) => decodeCertificateList(b, 0, b.length, b.length, sink, 4)],
  ['CertificateRequest', (b) => decodeCertificateRequest(b, 0, b.length, 0)],
  ['ServerKeyExchange', (b) => decodeServerKeyExchangeGroup(b, 0, b.length)],
  ['SSLv2 CLIENT-HELLO', (b) => decodeSslv2ClientHello(ByteReader.of(b, 't'), newClientHelloInfo(0))],
  ['SSLv2 SERVER-HELLO', (b) => decodeSslv2ServerHello(ByteReader.of(b, 't'))],
  ['SSLv2 CLIENT-MASTER-KEY', (b) => decodeSslv2ClientMasterKey(ByteReader.of(b, 't'))],
];

/** Random bytes, and valid messages with a few bytes mutated (reaches deeper code). */
const seeds = [
  B.clientHelloBody({ sni: 'a.example', alpn: ['h2'], versions: [0x0304], groups: [29], sigAlgs: [0x0403] }),
  B.serverHelloBody({ version: 0x0304, alpn: 'h2' }),
  B.certificate([B.fakeDer(40, 1), B.fakeDer(30, 2)]).subarray(4),
  B.certificateRequest({ caNames: [B.bytes(0x30, 0)] }).subarray(4),
  B.sslv2ClientHello().subarray(2),
  B.sslv2ServerHello(B.fakeDer(30)).subarray(2),
];
const mutated = fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 6 }), fc.nat())
  .map(([seed, edits, cut]) => {
    const b = Uint8Array.from(seed);
    for (const [i, v] of edits) b[i % b.length] = v;
    return b.subarray(0, cut % (b.length + 1));
  });
const anyBytes = fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated);

describe('TLS decoders on arbitrary input', () => {
  it.each(decoders)('%s throws only DecodeError', (_name, decode) => {
    fc.assert(fc.property(anyBytes, (b) => {
      try { decode(b); } catch (e) { if (!isDecodeError(e)) throw e; }
    }), { numRuns: 400 });
  });

  it('a session fed arbitrary bytes in arbitrary chunks never throws and never counts an internal error', () => {
    const stream = fc.array(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated.map((b) => B.record(22, B.handshake(1, b))), fc.constant(B.ccsRecord()), fc.constant(B.alertRecord(2, 40))), { maxLength: 8 });
    fc.assert(fc.property(stream, stream, fc.array(fc.integer({ min: 1, max: 50 })), fc.boolean(), (c, s, sizes, startKnown) => {
      const t = session({ maxPreambleBytes: 100 }, startKnown);
      t.push(0, B.concat(...c), sizes);
      t.push(1, B.concat(...s), sizes);
      t.gap(1, 7);
      t.push(1, B.concat(...c));
      t.summary();
      expect(t.diag.count('internal.tls.message')).toBe(0);
    }), { numRuns: 300 });
  });
});
