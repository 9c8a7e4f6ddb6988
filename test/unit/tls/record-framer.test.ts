/**
 * RecordFramer on its own: a recording sink sees every callback, and bytes are pushed through a packet
 * buffer at an offset with other bytes around the view (what a capture reader hands over), so a read
 * outside `b[s .. e)` or a kept view shows up in the events.
 */
import { describe, expect, it } from 'vitest';
import { RecordAction, RecordFramer, SyncKind, indexIn, type RecordSink } from '../../../src/tls/record-framer.js';
import * as B from '../../helpers/tls-builder.js';

const MAX = 16384 + 2048;
const KIND = ['start', 'preamble', 'resync'];
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Events as strings; consecutive handshake fragments are merged (their split depends on the segments). */
class Rec implements RecordSink {
  ev: string[] = [];
  /** all handshake bytes, in order */
  hs: number[] = [];
  /** SSL 2.0 record bodies (copied), and the buffer / start the sink was given */
  v2: { body: string; buf: Uint8Array; start: number }[] = [];
  private hsRun = 0;
  private add(s: string): void { this.hsRun = 0; this.ev.push(s); }
  recordHeader(_d: number, type: number, version: number, length: number): RecordAction {
    this.add(`hdr ${type} ${version.toString(16)} ${length}`);
    return type === 22 ? RecordAction.handshake : type === 21 ? RecordAction.alert : RecordAction.skip;
  }
  recordEnd(_d: number, type: number, length: number, lost: number): void { this.add(`end ${type} ${length} lost ${lost}`); }
  handshakeBytes(_d: number, b: Uint8Array, s: number, e: number): void {
    for (let i = s; i < e; i++) this.hs.push(b[i]);
    if (this.hsRun > 0) this.ev.pop();
    this.hsRun += e - s;
    this.ev.push(`hs ${this.hsRun}`);
  }
  handshakeGap(_d: number, n: number): void { this.add(`hsgap ${n}`); }
  alert(_d: number, level: number, description: number): void { this.add(`alert ${level} ${description}`); }
  sslv2Record(_d: number, buf: Uint8Array, start: number, end: number, validEnd: number): void {
    this.add(`v2 ${end - start} valid ${validEnd - start}`);
    this.v2.push({ body: hex(buf.slice(start, end)), buf, start });
  }
  synced(_d: number, kind: SyncKind, skipped: number): void { this.add(`sync ${KIND[kind]} ${skipped}`); }
  lostSync(_d: number, missing: number): void { this.add(`lost ${missing}`); }
  gaveUp(_d: number, reason: string): void { this.add(`gave up: ${reason}`); }
}

const OFF = 100;
const packet = new Uint8Array(1 << 17);

interface T { f: RecordFramer; r: Rec; push(bytes: Uint8Array, sizes?: number[], junk?: number): void; gap(n: number): void }

/** A framer for direction 0; `push` cuts the bytes into segments of `sizes` (the rest in one). */
function framer(o: { startKnown?: boolean; budget?: number } = {}): T {
  const r = new Rec();
  const f = new RecordFramer(0, r, MAX, o.budget ?? 8192, o.startKnown ?? true);
  return {
    f, r,
    push(bytes, sizes = [], junk = 0xee) {
      let p = 0;
      const cuts = [...sizes];
      while (p < bytes.length) {
        const n = Math.min(cuts.length ? cuts.shift()! : bytes.length - p, bytes.length - p);
        packet.fill(junk, 0, OFF + n + 64);
        packet.set(bytes.subarray(p, p + n), OFF);
        f.push(packet, OFF, OFF + n);
        packet.fill(0xee, OFF, OFF + n); // a view kept beyond the call sees this
        p += n;
      }
    },
    gap(n) { f.gap(n); },
  };
}

const hello = B.record(22, B.clientHello({ sni: 'a.example' }));
const ones = (n: number) => Array(n).fill(1);

describe('RecordFramer: TLS records', () => {
  const stream = B.concat(hello, B.ccsRecord(), B.record(21, B.bytes(2, 40, 1, 0)), B.alertRecord(0, 10), B.opaqueRecord(23, 30));
  const events = [
    'sync start 0',
    `hdr 22 303 ${hello.length - 5}`, `hs ${hello.length - 5}`, `end 22 ${hello.length - 5} lost 0`,
    'hdr 20 303 1', 'end 20 1 lost 0',
    'hdr 21 303 4', 'alert 2 40', 'alert 1 0', 'end 21 4 lost 0', // two alerts in one record
    'hdr 21 303 2', 'alert 0 10', 'end 21 2 lost 0', // a level byte of 0 is still paired
    'hdr 23 303 30', 'end 23 30 lost 0',
  ];

  it('reports the start, each header, the handshake bytes, the alerts and each record end', () => {
    const t = framer();
    expect(t.f.inSync).toBe(false);
    t.push(stream);
    expect(t.r.ev).toEqual(events);
    expect(t.r.hs).toEqual([...hello.subarray(5)]);
    expect(t.f.inSync).toBe(true);
    expect(t.f.dead).toBe(false);
  });

  it.each([
    ['one byte at a time', ones(stream.length)],
    ['segments that cut headers and alert pairs', [3, 4, hello.length - 7, 2, 5, 1, 5, 1, 1, 2, 4, 11]],
  ])('gives the same events whatever the segments: %s', (_n, sizes) => {
    const t = framer();
    t.push(stream, sizes);
    expect(t.r.ev).toEqual(events);
    expect(t.r.hs).toEqual([...hello.subarray(5)]);
  });

  it('gives up on an impossible header, with its bytes, and parses nothing more of the direction', () => {
    const t = framer();
    t.push(B.concat(B.ccsRecord(), B.u8(22), B.u16(0x0303), B.u16(0x7000), new Uint8Array(20), hello));
    expect(t.r.ev).toEqual(['sync start 0', 'hdr 20 303 1', 'end 20 1 lost 0', 'gave up: bad record header 16 03 03 70 00']);
    expect(t.f.dead).toBe(true);
    expect(t.f.inSync).toBe(false);
    t.push(hello);
    t.gap(10);
    expect(t.r.ev).toHaveLength(4);
  });

  it('close() stops the direction', () => {
    const t = framer();
    t.push(hello.subarray(0, 20));
    t.f.close();
    expect(t.f.dead).toBe(true);
    t.push(hello.subarray(20));
    expect(t.r.ev).toEqual(['sync start 0', `hdr 22 303 ${hello.length - 5}`, 'hs 15']);
  });
});

describe('RecordFramer: lost bytes in a TLS stream', () => {
  const two = B.concat(B.opaqueRecord(23, 20), B.opaqueRecord(23, 20));

  it('ignores a gap of 0 bytes', () => {
    const t = framer();
    t.push(B.ccsRecord());
    t.gap(0);
    t.push(B.ccsRecord());
    expect(t.r.ev).toEqual(['sync start 0', 'hdr 20 303 1', 'end 20 1 lost 0', 'hdr 20 303 1', 'end 20 1 lost 0']);
  });

  it('a gap at a record boundary loses sync; the framer resynchronises on the next record boundary', () => {
    const t = framer();
    t.push(B.ccsRecord());
    t.gap(10);
    expect(t.f.inSync).toBe(false);
    t.push(B.concat(B.bytes(1, 2, 3, 4, 3, 3), two));
    expect(t.r.ev).toEqual(['sync start 0', 'hdr 20 303 1', 'end 20 1 lost 0', 'lost 10', 'sync resync 6', 'hdr 23 303 20', 'end 23 20 lost 0', 'hdr 23 303 20', 'end 23 20 lost 0']);
    expect(t.f.inSync).toBe(true);
  });

  it('a gap inside a handshake record is skipped exactly (counted as lost in that record) and the next record follows', () => {
    const t = framer();
    const rec = B.record(22, new Uint8Array(40).fill(7));
    t.push(rec.subarray(0, 15));
    t.gap(10);
    t.push(rec.subarray(25, 30));
    t.gap(3);
    t.push(B.concat(rec.subarray(33), B.ccsRecord()));
    expect(t.r.ev).toEqual(['sync start 0', 'hdr 22 303 40', 'hs 10', 'hsgap 10', 'hs 5', 'hsgap 3', 'hs 12', 'end 22 40 lost 13', 'hdr 20 303 1', 'end 20 1 lost 0']);
    expect(t.f.inSync).toBe(true);
  });

  it('a gap that runs past the end of a record ends it, then loses sync for the rest', () => {
    const t = framer();
    const rec = B.record(22, new Uint8Array(40).fill(7));
    t.push(rec.subarray(0, 15));
    t.gap(40);
    expect(t.r.ev).toEqual(['sync start 0', 'hdr 22 303 40', 'hs 10', 'hsgap 30', 'end 22 40 lost 30', 'lost 10']);
    expect(t.f.inSync).toBe(false);
  });

  it('a gap that ends exactly at the end of a record keeps sync', () => {
    const t = framer();
    const rec = B.record(23, new Uint8Array(40));
    t.push(rec.subarray(0, 15));
    t.gap(30); // not a handshake record: no handshake gap
    t.push(B.ccsRecord());
    expect(t.r.ev).toEqual(['sync start 0', 'hdr 23 303 40', 'end 23 40 lost 30', 'hdr 20 303 1', 'end 20 1 lost 0']);
  });

  it('after a gap inside an alert record, its remaining bytes are not paired into alerts', () => {
    const t = framer();
    const rec = B.record(21, B.bytes(2, 40, 1, 0));
    t.push(rec.subarray(0, 6));
    t.gap(1);
    t.push(rec.subarray(7));
    expect(t.r.ev).toEqual(['sync start 0', 'hdr 21 303 4', 'end 21 4 lost 1']);
  });

  it('a gap before anything was found: searches for a record boundary (resync), not a stream start', () => {
    const t = framer();
    t.gap(100);
    t.push(two);
    expect(t.r.ev[0]).toBe('sync resync 0');
  });

  it('a gap drops the bytes kept from a header cut by the segment end while searching', () => {
    const t = framer();
    t.gap(5);
    t.push(B.bytes(0x17, 3)); // could be a header: kept
    t.gap(50);
    t.push(B.concat(B.bytes(3, 0, 20), two)); // would complete it to 17 03 03 00 14
    expect(t.r.ev[0]).toBe('sync resync 3');
  });

  it('resynchronises on a header cut right after its type byte by the segment end', () => {
    const t = framer();
    t.gap(5);
    t.push(B.concat(B.bytes(9, 9, 9, 9, 9), two), [6]); // 5 bytes of junk and the type byte 0x17, then the rest
    expect(t.r.ev.slice(0, 3)).toEqual(['sync resync 5', 'hdr 23 303 20', 'end 23 20 lost 0']);
  });

  it('does not resynchronise on an encrypted handshake record (unknown message type)', () => {
    const t = framer();
    t.gap(5);
    t.push(B.concat(B.opaqueRecord(22, 40, 0x0303, 0xc8), two));
    expect(t.r.ev[0]).toBe('sync resync 45');
  });

  it('does not resynchronise on an SSL 2.0 hello (only a stream start or a preamble end can be SSL 2.0)', () => {
    // 78 cipher specs: record length 0x0103, so its second byte is 3 like a TLS header's
    const v2 = B.sslv2ClientHello({ specs: Array.from({ length: 78 }, (_, i) => 0x010000 + i) });
    expect(v2[1]).toBe(3);
    const t = framer();
    t.gap(5);
    t.push(B.concat(v2, two));
    expect(t.r.ev[0]).toBe(`sync resync ${v2.length}`);
  });
});

describe('RecordFramer: searching for the first record', () => {
  const smtp = B.ascii('220 mail.example ESMTP\r\n250 STARTTLS\r\n');

  it.each([
    ['in one segment', []],
    ['one byte at a time', ones(smtp.length + hello.length)],
    ['cut inside the preamble and the header', [7, smtp.length - 5, 3, 1, 2]],
  ])('reports a plaintext preamble and its length (stream start known): %s', (_n, sizes) => {
    const t = framer();
    t.push(B.concat(smtp, hello), sizes);
    expect(t.r.ev.slice(0, 2)).toEqual([`sync preamble ${smtp.length}`, `hdr 22 303 ${hello.length - 5}`]);
    expect(t.r.hs).toEqual([...hello.subarray(5)]);
  });

  it('skips content type 22 bytes in the preamble that do not start a hello', () => {
    const fake = B.concat(B.ascii('ab'), B.bytes(0x16), B.ascii('cd'), B.record(22, B.certificate([B.fakeDer(50)])));
    for (const sizes of [[], ones(fake.length + hello.length), [2, 1, 3, 4]]) {
      const t = framer();
      t.push(B.concat(fake, hello), sizes);
      expect(t.r.ev[0]).toBe(`sync preamble ${fake.length}`);
    }
  });

  it('a stream opening with a content type byte and then a non-hello record: searched as a preamble', () => {
    const lead = B.concat(B.bytes(0x16), B.opaqueRecord(23, 10));
    for (const sizes of [[1], [1, 3], ones(lead.length + hello.length)]) {
      const t = framer();
      t.push(B.concat(lead, hello), sizes);
      expect(t.r.ev[0]).toBe(`sync preamble ${lead.length}`);
    }
  });

  it('finds a hello at the very start of a segment buffer after a preamble', () => {
    const r = new Rec();
    const f = new RecordFramer(0, r, MAX, 8192, true);
    f.push(smtp, 0, smtp.length);
    const h = Uint8Array.from(hello);
    f.push(h, 0, h.length);
    expect(r.ev.slice(0, 2)).toEqual([`sync preamble ${smtp.length}`, `hdr 22 303 ${hello.length - 5}`]);
  });

  it('lost bytes in a preamble may have swallowed the hello header: then any record boundary is a sync point', () => {
    // server side of STARTTLS: the ServerHello record was lost; the Certificate record that follows is no hello
    const t = framer();
    const cert = B.record(22, B.certificate([B.fakeDer(300)]));
    t.push(B.ascii('220 Go ahead\r\n'));
    t.gap(90);
    t.push(B.concat(cert, B.record(22, B.serverHelloDone())));
    expect(t.r.ev.slice(1, 3)).toEqual([`hdr 22 303 ${cert.length - 5}`, `hs ${cert.length - 5}`]);
    expect(t.r.ev[0]).toMatch(/^sync resync /);
  });

  it('searches up to the budget: a preamble of exactly the budget is fine, one byte more is not', () => {
    const pre = (n: number) => new Uint8Array(n).fill(0x41);
    const ok = framer({ budget: 100 });
    ok.push(pre(100));
    ok.push(hello);
    expect(ok.r.ev[0]).toBe('sync preamble 100');
    const over = framer({ budget: 100 });
    over.push(pre(101));
    expect(over.r.ev).toEqual(['gave up: no TLS handshake within the preamble limit']);
    expect(over.f.dead).toBe(true);
  });

  it('mid-stream (no SYN): gives up with its own reason when no record boundary turns up', () => {
    const t = framer({ startKnown: false, budget: 100 });
    t.push(new Uint8Array(101).fill(0x41));
    expect(t.r.ev).toEqual(['gave up: no TLS record boundary found']);
  });

  it('mid-stream (no SYN): the tail of a record, then a resync on the next boundary', () => {
    const tail = B.opaqueRecord(23, 30).subarray(12);
    const t = framer({ startKnown: false });
    t.push(B.concat(tail, B.opaqueRecord(23, 20), B.opaqueRecord(23, 20)), [5]);
    expect(t.r.ev.slice(0, 2)).toEqual([`sync resync ${tail.length}`, 'hdr 23 303 20']);
  });
});

describe('RecordFramer: searches with a carry across segments', () => {
  it('a false start kept at a segment end, then a hello at the start of the next segment', () => {
    const pre = B.concat(B.ascii('ab'), B.bytes(0x16, 3)); // 16 03: could start a hello, is not one (16 03 16 ...)
    const t = framer();
    t.push(B.concat(pre, hello), [pre.length]);
    expect(t.r.ev[0]).toBe(`sync preamble ${pre.length}`);
  });

  it('a kept candidate that fails, with another one inside the kept bytes', () => {
    // 16 03 03 00 16 is kept (a header of length 22: its message type is still to come), turns out not to be a
    // hello; the 16 at its end starts the real one, also cut by the segments
    const pre = B.concat(B.ascii('ab'), B.bytes(0x16, 3, 3, 0));
    const t = framer();
    t.push(B.concat(pre, hello), [7, 2, 3]);
    expect(t.r.ev.slice(0, 2)).toEqual([`sync preamble ${pre.length}`, `hdr 22 303 ${hello.length - 5}`]);
    expect(t.r.hs).toEqual([...hello.subarray(5)]);
  });

  it('a record boundary search after lost bytes stays one (stream start known): a kept candidate that fails does not turn it into a hello search', () => {
    const two = B.concat(B.opaqueRecord(23, 20), B.opaqueRecord(23, 20));
    const t = framer();
    t.push(B.ccsRecord());
    t.gap(10);
    t.push(B.concat(B.bytes(1, 2, 0x17, 3, 9), two), [4]); // 17 03 kept, then 17 03 09: not a header
    expect(t.r.ev.slice(3, 6)).toEqual(['lost 10', 'sync resync 5', 'hdr 23 303 20']);
  });
});

describe('RecordFramer: SSL 2.0 records', () => {
  const ch = B.sslv2ClientHello();
  const sh = B.sslv2ServerHello(B.fakeDer(600, 4));
  const body = (r: Uint8Array, h = 2) => hex(r.subarray(h));

  it('passes a record that is whole in the segment as a view of it (no copy)', () => {
    const t = framer();
    t.push(ch);
    expect(t.r.ev).toEqual(['sync start 0', `v2 ${ch.length - 2} valid ${ch.length - 2}`]);
    expect(t.r.v2[0].body).toBe(body(ch));
    expect(t.r.v2[0].buf).toBe(packet);
    expect(t.r.v2[0].start).toBe(OFF + 2);
    expect(t.f.inSync).toBe(true);
    expect(t.f.buffered).toBe(0);
  });

  it.each([
    ['client hello, first segment of 3 bytes', ch, [3]],
    ['server hello, first segment of 3 bytes', sh, [3]],
    ['server hello, one byte at a time', sh, ones(sh.length)],
  ])('finds an SSL 2.0 hello at the stream start when its first bytes come in small segments: %s', (_n, rec, sizes) => {
    const t = framer();
    t.push(rec, sizes);
    expect(t.r.ev).toEqual(['sync start 0', `v2 ${rec.length - 2} valid ${rec.length - 2}`]);
    expect(t.r.v2[0].body).toBe(body(rec));
  });

  it('keeps a record cut by segments (buffered until it is whole), then goes on with the next one in the same segment', () => {
    const t = framer();
    const mk = B.sslv2ClientMasterKey();
    t.push(sh.subarray(0, 100));
    expect(t.f.buffered).toBe(sh.length - 2);
    t.push(B.concat(sh.subarray(100), mk));
    expect(t.r.ev).toEqual(['sync start 0', `v2 ${sh.length - 2} valid ${sh.length - 2}`, `v2 ${mk.length - 2} valid ${mk.length - 2}`]);
    expect(t.r.v2.map((v) => v.body)).toEqual([body(sh), body(mk)]);
    expect(t.f.buffered).toBe(0);
  });

  it('a record that exactly fills the rest of the segment is passed without a copy', () => {
    const t = framer();
    const mk = B.sslv2ClientMasterKey();
    t.push(B.concat(ch, mk), [ch.length]);
    expect(t.r.v2.map((v) => [v.buf === packet, v.body])).toEqual([[true, body(ch)], [true, body(mk)]]);
  });

  it('reads 2-byte headers cut by a segment boundary, and lengths of 16 KiB and more', () => {
    const big = B.sslv2ServerHello(B.fakeDer(17000, 5)); // record length 0x4... : bit 14 set in a 2-byte header
    expect(big[0] & 0x40).toBe(0x40);
    const mk = B.sslv2ClientMasterKey();
    const t = framer();
    t.push(B.concat(ch, big, mk), [ch.length, 1, 1, 5000, mk.length + big.length - 5002 - 1, 1]);
    expect(t.r.ev).toEqual(['sync start 0', `v2 ${ch.length - 2} valid ${ch.length - 2}`, `v2 ${big.length - 2} valid ${big.length - 2}`, `v2 ${mk.length - 2} valid ${mk.length - 2}`]);
    expect(t.r.v2.map((v) => v.body)).toEqual([body(ch), body(big), body(mk)]);
  });

  it('reads a 2-byte header cut after its first byte (whatever its second byte: < 0x80, or 20..24 like a TLS content type)', () => {
    const mk = B.sslv2ClientMasterKey(); // length 18: 80 12
    const r20 = B.sslv2Record(new Uint8Array(20).fill(9)); // 80 14
    const t = framer();
    t.push(B.concat(ch, mk, r20), [ch.length, 1, mk.length, 20]);
    expect(t.r.ev.slice(2)).toEqual(['v2 18 valid 18', 'v2 20 valid 20']);
    expect(t.r.v2.slice(1).map((v) => v.body)).toEqual([body(mk), body(r20)]);
  });

  it('reads 3-byte headers (padding byte; escape bit not part of the length)', () => {
    const r1 = B.concat(B.bytes(0x00, 16, 0), new Uint8Array(16).fill(1));
    const r2 = B.concat(B.bytes(0x40, 16, 0), new Uint8Array(16).fill(2));
    const t = framer();
    t.push(B.concat(ch, r1, r2));
    expect(t.r.ev.slice(2)).toEqual(['v2 16 valid 16', 'v2 16 valid 16']);
    expect(t.r.v2.slice(1).map((v) => v.body)).toEqual([body(r1, 3), body(r2, 3)]);
  });

  it('continues with TLS records after an SSLv2-compatible hello (any content type 20..24)', () => {
    const t = framer();
    const v23 = B.sslv2ClientHello({ version: 0x0301 });
    t.push(B.concat(v23, B.ccsRecord(0x0301), B.opaqueRecord(24, 3, 0x0301), B.alertRecord(2, 40, 0x0301)));
    expect(t.r.ev).toEqual(['sync start 0', `v2 ${v23.length - 2} valid ${v23.length - 2}`,
      'hdr 20 301 1', 'end 20 1 lost 0', 'hdr 24 301 3', 'end 24 3 lost 0', 'hdr 21 301 2', 'alert 2 40', 'end 21 2 lost 0']);
  });

  it('a heartbeat record (type 24) right after an SSLv2-compatible hello is TLS too', () => {
    const t = framer();
    const v23 = B.sslv2ClientHello({ version: 0x0301 });
    t.push(B.concat(v23, B.opaqueRecord(24, 3, 0x0301)));
    expect(t.r.ev.slice(2)).toEqual(['hdr 24 301 3', 'end 24 3 lost 0']);
  });

  it('gives up on an empty SSL 2.0 record', () => {
    const t = framer();
    t.push(B.concat(ch, B.bytes(0x80, 0), ch));
    expect(t.r.ev.slice(2)).toEqual(['gave up: empty SSLv2 record']);
    expect(t.f.dead).toBe(true);
  });

  it('a gap inside a kept record: the record is passed whole, valid up to the hole', () => {
    const t = framer();
    t.push(sh.subarray(0, 50));
    t.gap(10);
    t.push(sh.subarray(60));
    expect(t.r.ev).toEqual(['sync start 0', `v2 ${sh.length - 2} valid 48`]);
    expect(t.r.v2[0].body.slice(0, 96)).toBe(hex(sh.subarray(2, 50)));
    expect(t.r.v2[0].body.slice(96 + 20)).toBe(hex(sh.subarray(60)));
  });

  it('a gap right after the header: nothing of the record is valid', () => {
    const t = framer();
    t.push(ch);
    t.push(sh.subarray(0, 2));
    t.gap(10);
    t.gap(5); // a second hole does not move the first
    t.push(sh.subarray(17));
    expect(t.r.ev.slice(2)).toEqual([`v2 ${sh.length - 2} valid 0`]);
  });

  it('a gap running past the end of a kept record ends it, then loses sync', () => {
    const t = framer();
    t.push(sh.subarray(0, 50));
    t.gap(sh.length - 50 + 7);
    expect(t.r.ev).toEqual(['sync start 0', `v2 ${sh.length - 2} valid 48`, 'lost 7']);
    expect(t.f.inSync).toBe(false);
    expect(t.f.buffered).toBe(0);
  });

  it('a gap at an SSL 2.0 record boundary loses sync', () => {
    const t = framer();
    t.push(ch);
    t.gap(9);
    expect(t.r.ev).toEqual(['sync start 0', `v2 ${ch.length - 2} valid ${ch.length - 2}`, 'lost 9']);
    expect(t.f.inSync).toBe(false);
  });

  it('close() drops a kept record', () => {
    const t = framer();
    t.push(sh.subarray(0, 50));
    expect(t.f.buffered).toBe(sh.length - 2);
    t.f.close();
    expect(t.f.buffered).toBe(0);
    expect(t.f.dead).toBe(true);
  });
});

describe('indexIn', () => {
  const b = new Uint8Array(200).fill(1);
  b[10] = 7; b[40] = 7; b[150] = 7;

  it.each([
    ['short range, found at its start', 10, 20, 10],
    ['short range, found inside', 5, 20, 10],
    ['short range, not found', 11, 40, -1],
    ['short range ending just before the byte', 20, 40, -1],
    ['long range, found', 11, 150, 40],
    ['long range ending just before the byte', 41, 150, -1],
    ['long range, not found', 41, 149, -1],
    ['empty range', 10, 10, -1],
  ])('%s', (_n, from, end, want) => {
    expect(indexIn(b, 7, from, end)).toBe(want);
  });
});
