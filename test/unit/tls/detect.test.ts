import { describe, expect, it } from 'vitest';
import { Sync, checkHelloRecord, checkRecordHeader, checkSslv2ClientHello, checkSslv2ServerHello, checkSyncPoint } from '../../../src/tls/detect.js';
import * as B from '../../helpers/tls-builder.js';

const MAX = 16384 + 2048;
const hello = B.record(22, B.clientHello({ sni: 'a.example' }));

describe('TLS content signatures', () => {
  it('accepts plausible record headers and rejects others', () => {
    expect(checkRecordHeader(B.bytes(23, 3, 3, 0, 10), 0, 5, MAX)).toBe(Sync.yes);
    expect(checkRecordHeader(B.bytes(25, 3, 3, 0, 10), 0, 5, MAX)).toBe(Sync.no); // type
    expect(checkRecordHeader(B.bytes(22, 3, 5, 0, 10), 0, 5, MAX)).toBe(Sync.no); // version
    expect(checkRecordHeader(B.bytes(22, 3, 3, 0x48, 1), 0, 5, MAX)).toBe(Sync.no); // length > max
    expect(checkRecordHeader(B.bytes(22, 3, 3, 0, 0), 0, 5, MAX)).toBe(Sync.no); // empty
    expect(checkRecordHeader(B.bytes(22, 3, 3), 0, 3, MAX)).toBe(Sync.more);
  });

  it('recognises a hello record and nothing else after a preamble', () => {
    expect(checkHelloRecord(hello, 0, hello.length, MAX)).toBe(Sync.yes);
    expect(checkHelloRecord(B.opaqueRecord(23, 50), 0, 55, MAX)).toBe(Sync.no);
    expect(checkHelloRecord(hello, 0, 5, MAX)).toBe(Sync.more);
    expect(checkHelloRecord(B.ascii('220 ready'), 0, 9, MAX)).toBe(Sync.no);
  });

  it('recognises SSLv2 hellos by their internal consistency', () => {
    const ch = B.sslv2ClientHello();
    expect(checkSslv2ClientHello(ch, 0, ch.length)).toBe(Sync.yes);
    const bad = Uint8Array.from(ch);
    bad[1] += 1; // record length no longer matches the three lengths
    expect(checkSslv2ClientHello(bad, 0, bad.length)).toBe(Sync.no);
    const sh = B.sslv2ServerHello(B.fakeDer(50));
    expect(checkSslv2ServerHello(sh, 0, sh.length)).toBe(Sync.yes);
    expect(checkSslv2ServerHello(ch, 0, ch.length)).toBe(Sync.no);
  });

  it('takes a sync point only when the following header is plausible too', () => {
    const two = B.concat(B.opaqueRecord(23, 20), B.opaqueRecord(23, 20));
    expect(checkSyncPoint(two, 0, two.length, MAX)).toBe(Sync.yes);
    const junk = B.concat(B.opaqueRecord(23, 20), B.bytes(0x99, 0x99, 0x99, 0x99, 0x99));
    expect(checkSyncPoint(junk, 0, junk.length, MAX)).toBe(Sync.no);
    expect(checkSyncPoint(B.opaqueRecord(22, 40, 0x0303, 0xc8), 0, 45, MAX)).toBe(Sync.no); // unknown handshake type: encrypted Finished
  });
});
