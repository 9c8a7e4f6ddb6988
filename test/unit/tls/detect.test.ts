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

/** An SSLv2 CLIENT-HELLO record whose header length is consistent with the three lengths it declares. */
function v2Hello(o: { msgType?: number; version?: number; specs?: number; sid?: number; challenge?: number } = {}): Uint8Array {
  const specs = o.specs ?? 9, sid = o.sid ?? 0, challenge = o.challenge ?? 16;
  return B.sslv2Record(B.concat(
    B.u8(o.msgType ?? 1), B.u16(o.version ?? 0x0002), B.u16(specs), B.u16(sid), B.u16(challenge),
    new Uint8Array(specs).fill(0x01), new Uint8Array(sid).fill(0x22), new Uint8Array(challenge).fill(0x44),
  ));
}

/** A handshake record header (type 22, TLS 1.2) followed by a handshake header of `hsType` and `hsLen`. */
function hsHeader(hsType: number, hsLen: number, recordLen = 100): Uint8Array {
  return B.concat(B.bytes(22, 3, 3), B.u16(recordLen), B.u8(hsType), B.u24(hsLen));
}

describe('TLS content signatures: boundaries', () => {
  it('record header: types 20..24, versions 03 00..03 04, lengths 1..max', () => {
    for (const t of [20, 24]) expect(checkRecordHeader(B.bytes(t, 3, 3, 0, 10), 0, 5, MAX), `type ${t}`).toBe(Sync.yes);
    expect(checkRecordHeader(B.bytes(19, 3, 3, 0, 10), 0, 5, MAX)).toBe(Sync.no);
    for (const v of [0, 4]) expect(checkRecordHeader(B.bytes(22, 3, v, 0, 10), 0, 5, MAX), `minor ${v}`).toBe(Sync.yes);
    expect(checkRecordHeader(B.bytes(22, 2, 0, 0, 10), 0, 5, MAX)).toBe(Sync.no);
    expect(checkRecordHeader(B.concat(B.bytes(23, 3, 3), B.u16(MAX)), 0, 5, MAX)).toBe(Sync.yes);
    expect(checkRecordHeader(B.concat(B.bytes(23, 3, 3), B.u16(MAX + 1)), 0, 5, MAX)).toBe(Sync.no);
    expect(checkRecordHeader(B.bytes(23, 3, 3, 0, 1), 0, 5, MAX)).toBe(Sync.yes);
  });

  it('record header: decides nothing from bytes at or beyond end (they are not there yet)', () => {
    const junk = B.bytes(0x99, 0x99, 0x99, 0x99, 0x99);
    expect(checkRecordHeader(junk, 0, 0, MAX)).toBe(Sync.more);
    expect(checkRecordHeader(junk, 3, 3, MAX)).toBe(Sync.more);
    expect(checkRecordHeader(new Uint8Array(0), 0, 0, MAX)).toBe(Sync.more);
    const rec = B.bytes(1, 23, 3, 3, 0, 10); // a header at offset 1
    expect(checkRecordHeader(rec, 1, 6, MAX)).toBe(Sync.yes);
    for (const end of [2, 3, 4, 5]) expect(checkRecordHeader(rec, 1, end, MAX), `end ${end}`).toBe(Sync.more);
  });

  it('hello record: handshake type 1 or 2 with a handshake length of at least 38', () => {
    expect(checkHelloRecord(hsHeader(2, 38), 0, 9, MAX)).toBe(Sync.yes);
    expect(checkHelloRecord(hsHeader(1, 37), 0, 9, MAX)).toBe(Sync.no);
    expect(checkHelloRecord(hsHeader(3, 100), 0, 9, MAX)).toBe(Sync.no);
    // every byte of the 24-bit length counts (a hello split over records declares more than one record holds)
    expect(checkHelloRecord(hsHeader(1, 0x010000), 0, 9, MAX)).toBe(Sync.yes);
    expect(checkHelloRecord(hsHeader(1, 0x000100), 0, 9, MAX)).toBe(Sync.yes);
    const at3 = B.concat(B.bytes(0, 0, 0), hsHeader(1, 0x010000));
    expect(checkHelloRecord(at3, 3, at3.length, MAX)).toBe(Sync.yes);
  });

  it('hello record: needs a handshake record with a sane header', () => {
    // an application_data record whose body happens to look like a ClientHello
    const appData = B.record(23, B.clientHello({ sni: 'a.example' }));
    expect(checkHelloRecord(appData, 0, appData.length, MAX)).toBe(Sync.no);
    // a handshake record with a bad version
    const badVersion = B.record(22, B.clientHello(), 0x0305);
    expect(checkHelloRecord(badVersion, 0, badVersion.length, MAX)).toBe(Sync.no);
    // nothing captured yet: undecided
    expect(checkHelloRecord(new Uint8Array(0), 0, 0, MAX)).toBe(Sync.more);
    expect(checkHelloRecord(B.bytes(0x99), 0, 0, MAX)).toBe(Sync.more);
    for (const end of [5, 6, 8]) expect(checkHelloRecord(hello, 0, end, MAX), `end ${end}`).toBe(Sync.more);
  });

  it('SSLv2 CLIENT-HELLO: version 0x0002 or 03 00..03 04', () => {
    for (const version of [0x0002, 0x0300, 0x0304]) {
      const r = v2Hello({ version });
      expect(checkSslv2ClientHello(r, 0, r.length), version.toString(16)).toBe(Sync.yes);
    }
    for (const version of [0x0001, 0x0200, 0x02ff, 0x0305]) {
      const r = v2Hello({ version });
      expect(checkSslv2ClientHello(r, 0, r.length), version.toString(16)).toBe(Sync.no);
    }
  });

  it('SSLv2 CLIENT-HELLO: cipher specs a non-empty multiple of 3, session id ≤ 32, challenge 16..32, lengths adding up', () => {
    const yes = [{ sid: 16 }, { sid: 32 }, { challenge: 32 }, { specs: 3 }, { specs: 0x130 * 3 }];
    for (const o of yes) {
      const r = v2Hello(o);
      expect(checkSslv2ClientHello(r, 0, r.length), JSON.stringify(o)).toBe(Sync.yes);
    }
    const no = [{ specs: 0 }, { specs: 10 }, { sid: 33 }, { challenge: 15 }, { challenge: 33 }, { msgType: 4 }];
    for (const o of no) {
      const r = v2Hello(o);
      expect(checkSslv2ClientHello(r, 0, r.length), JSON.stringify(o)).toBe(Sync.no);
    }
    const tls = Uint8Array.from(v2Hello());
    tls[0] &= 0x7f; // same bytes, but a 3-byte-header (or TLS) record
    expect(checkSslv2ClientHello(tls, 0, tls.length)).toBe(Sync.no);
  });

  it('SSLv2 CLIENT-HELLO: undecided until 11 bytes are there, unless the message type already says no', () => {
    const ch = v2Hello();
    expect(checkSslv2ClientHello(ch, 0, 10)).toBe(Sync.more);
    expect(checkSslv2ClientHello(ch, 0, 3)).toBe(Sync.more);
    expect(checkSslv2ClientHello(B.bytes(0x80, 0x30, 0x02), 0, 3)).toBe(Sync.no);
    expect(checkSslv2ClientHello(B.bytes(0x80, 0x30), 0, 2)).toBe(Sync.more);
    expect(checkSslv2ClientHello(new Uint8Array(0), 0, 0)).toBe(Sync.more);
    const at2 = B.concat(B.bytes(0x16, 0x03), ch);
    expect(checkSslv2ClientHello(at2, 2, at2.length)).toBe(Sync.yes);
  });

  it('SSLv2 SERVER-HELLO: message type 4 and server_version 00 02 exactly', () => {
    const sh = B.sslv2ServerHello(B.fakeDer(50));
    const variant = (i: number, v: number) => { const x = Uint8Array.from(sh); x[i] = v; return x; };
    expect(checkSslv2ServerHello(variant(2, 1), 0, sh.length)).toBe(Sync.no); // msg_type
    expect(checkSslv2ServerHello(variant(5, 3), 0, sh.length)).toBe(Sync.no); // 03 02
    expect(checkSslv2ServerHello(variant(6, 3), 0, sh.length)).toBe(Sync.no); // 00 03
    expect(checkSslv2ServerHello(variant(0, sh[0] & 0x7f), 0, sh.length)).toBe(Sync.no); // MSB clear
    expect(checkSslv2ServerHello(sh, 0, 6)).toBe(Sync.more);
    expect(checkSslv2ServerHello(B.bytes(0x80, 0x30, 0x01), 0, 3)).toBe(Sync.no);
    expect(checkSslv2ServerHello(B.bytes(0x80, 0x30), 0, 2)).toBe(Sync.more);
    expect(checkSslv2ServerHello(new Uint8Array(0), 0, 0)).toBe(Sync.more);
  });

  it('sync point: a handshake record is undecided until its message type is there', () => {
    const finished = B.opaqueRecord(22, 40, 0x0303, 0xc8); // type 0xc8: not a handshake type
    expect(checkSyncPoint(finished, 0, 5, MAX)).toBe(Sync.more);
    expect(checkSyncPoint(finished, 0, 6, MAX)).toBe(Sync.no);
    expect(checkSyncPoint(hello, 0, 6, MAX)).toBe(Sync.yes); // known type; the next header is not captured
    const next = B.concat(hello, B.bytes(22, 3)); // the next header only begun: unverifiable, accepted
    expect(checkSyncPoint(next, 0, next.length, MAX)).toBe(Sync.yes);
  });
});
