/**
 * Builds a TCP conversation (three-way handshake, data in both directions cut into segments, FIN)
 * as link-layer frames, for synthetic seeds. Segment order can be shuffled to exercise reassembly.
 */
import { ethernetFrame, sllFrame, TCP, type TcpSegment } from './packets.js';
import type { Frame } from './capture-writers.js';
import type { Rng } from './rng.js';

export interface Flight {
  from: 'client' | 'server';
  data: Uint8Array;
}

export interface ConversationSpec {
  client: string;
  server: string;
  cport: number;
  sport: number;
  startMicros: number;
  flights: Flight[];
  /** bytes per segment (default 1460) */
  mss?: number;
  link?: 'ethernet' | 'vlan' | 'sll';
  /** swap adjacent data segments with this probability (needs rng) */
  reorder?: number;
  /** duplicate a data segment with this probability (needs rng) */
  duplicate?: number;
  rng?: Rng;
  /** omit the SYN / SYN-ACK (capture started mid-connection) */
  noHandshake?: boolean;
}

export function conversation(s: ConversationSpec): Frame[] {
  const frames: Frame[] = [];
  let t = s.startMicros;
  let cseq = 1000;
  let sseq = 5_000_000;
  const frame = (seg: TcpSegment): Frame => {
    t += 150;
    const data = s.link === 'sll' ? sllFrame(seg) : ethernetFrame(seg, s.link === 'vlan' ? 42 : undefined);
    return { tsMicros: t, data };
  };
  const c2s = (flags: number, payload?: Uint8Array): TcpSegment => ({ src: s.client, dst: s.server, sport: s.cport, dport: s.sport, seq: cseq, ack: sseq, flags, payload });
  const s2c = (flags: number, payload?: Uint8Array): TcpSegment => ({ src: s.server, dst: s.client, sport: s.sport, dport: s.cport, seq: sseq, ack: cseq, flags, payload });
  if (!s.noHandshake) {
    frames.push(frame({ ...c2s(TCP.SYN), ack: 0, options: Uint8Array.of(2, 4, 0x05, 0xb4) }));
    cseq++;
    frames.push(frame({ ...s2c(TCP.SYN | TCP.ACK), options: Uint8Array.of(2, 4, 0x05, 0xb4) }));
    sseq++;
    frames.push(frame(c2s(TCP.ACK)));
  }
  const mss = s.mss ?? 1460;
  for (const f of s.flights) {
    const segs: Frame[] = [];
    for (let o = 0; o < f.data.length; o += mss) {
      const chunk = f.data.subarray(o, Math.min(f.data.length, o + mss));
      const seg = f.from === 'client' ? c2s(TCP.ACK | TCP.PSH, chunk) : s2c(TCP.ACK | TCP.PSH, chunk);
      segs.push(frame(seg));
      if (f.from === 'client') cseq = (cseq + chunk.length) >>> 0;
      else sseq = (sseq + chunk.length) >>> 0;
    }
    if (s.rng) {
      for (let i = 0; i + 1 < segs.length; i++) {
        if (s.rng.chance(s.reorder ?? 0)) [segs[i], segs[i + 1]] = [segs[i + 1], segs[i]];
      }
      for (let i = segs.length - 1; i >= 0; i--) if (s.rng.chance(s.duplicate ?? 0)) segs.splice(i, 0, segs[i]);
    }
    frames.push(...segs);
    frames.push(frame(f.from === 'client' ? s2c(TCP.ACK) : c2s(TCP.ACK)));
  }
  frames.push(frame(c2s(TCP.FIN | TCP.ACK)));
  frames.push(frame(s2c(TCP.FIN | TCP.ACK)));
  return frames;
}
