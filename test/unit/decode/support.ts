/**
 * Decoder test helpers, and the shared `behavesLikeADecoder` suite (node_pcap spec/decode idea,
 * tcpdump CONTRIBUTING item 5): every prefix of a valid frame (a snaplen cut) decodes without
 * throwing; cuts inside the headers report `truncated`, cuts in the payload report the missing
 * bytes; trailing padding after the IP datagram is ignored.
 */
import { expect, it } from 'vitest';
import { newPacketRecord, type PacketRecord } from '../../../src/capture/packet-record.js';
import { decodePacket } from '../../../src/decode/link.js';
import { DecodeStatus, newPacketView, type PacketView } from '../../../src/decode/packet-view.js';
import { concat } from '../../helpers/packet-builder.js';

export interface Decoded { status: DecodeStatus; view: PacketView; rec: PacketRecord }

/** Decode `frame` as captured with `caplen` (default all) bytes of an `origlen`-byte frame. */
export function decodeFrame(frame: Uint8Array, linkType: number, o: { caplen?: number; origlen?: number; lead?: number } = {}): Decoded {
  const lead = o.lead ?? 0; // put the frame at an offset inside a larger buffer
  const data = concat(new Uint8Array(lead).fill(0x5a), frame, new Uint8Array(3).fill(0x5a));
  const rec = newPacketRecord();
  rec.data = data;
  rec.offset = lead;
  rec.caplen = o.caplen ?? frame.length;
  rec.origlen = o.origlen ?? frame.length;
  rec.linkType = linkType;
  const view = newPacketView();
  const status = decodePacket(rec, view);
  return { status, view, rec };
}

export function payloadOf(d: Decoded): number[] {
  return [...d.view.data.subarray(d.view.payloadStart, d.view.payloadEnd)];
}

/**
 * `frame` is a valid TCP frame of `linkType` whose headers end at `headersEnd` and whose IP
 * datagram ends at the end of the frame (no padding).
 */
export function behavesLikeADecoder(linkType: number, frame: Uint8Array, headersEnd: number): void {
  it('decodes the whole frame with the payload at headersEnd', () => {
    const d = decodeFrame(frame, linkType, { lead: 7 });
    expect(d.status).toBe(DecodeStatus.ok);
    expect(d.view.payloadStart).toBe(7 + headersEnd);
    expect(d.view.payloadEnd).toBe(7 + frame.length);
    expect(d.view.payloadMissing).toBe(0);
  });

  it('reports truncated for every snaplen cut inside the headers', () => {
    for (let n = 0; n < headersEnd; n++) {
      expect(decodeFrame(frame, linkType, { caplen: n, origlen: frame.length }).status, `caplen ${n}`).toBe(DecodeStatus.truncated);
    }
  });

  it('reports the missing payload bytes for every snaplen cut inside the payload', () => {
    for (let n = headersEnd; n <= frame.length; n++) {
      const d = decodeFrame(frame, linkType, { caplen: n, origlen: frame.length });
      expect(d.status, `caplen ${n}`).toBe(DecodeStatus.ok);
      expect(d.view.payloadEnd - d.view.payloadStart).toBe(n - headersEnd);
      expect(d.view.payloadMissing).toBe(frame.length - n);
    }
  });

  it('ignores trailing padding (trims to the IP length)', () => {
    const padded = concat(frame, new Uint8Array(18).fill(0xee));
    const d = decodeFrame(padded, linkType);
    expect(d.status).toBe(DecodeStatus.ok);
    expect(d.view.payloadEnd).toBe(frame.length);
    expect(d.view.payloadMissing).toBe(0);
  });

  it('never throws on any prefix, even with origlen = caplen', () => {
    for (let n = 0; n <= frame.length; n++) {
      expect(() => decodeFrame(frame.subarray(0, n), linkType)).not.toThrow();
    }
  });
}
