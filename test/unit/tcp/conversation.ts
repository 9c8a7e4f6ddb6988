/**
 * Test helper: a scripted TCP conversation as PacketView objects (no link/IP bytes needed), and a
 * FlowTable wired to collect its connections. Each view is its own object (tests only).
 */
import type { PacketView } from '../../../src/decode/packet-view.js';
import { TcpFlag } from '../../../src/decode/packet-view.js';
import { FlowTable } from '../../../src/tcp/flow-table.js';
import { CertStore } from '../../../src/x509/cert-store.js';
import { Diagnostics } from '../../../src/diagnostics/diagnostics.js';
import { resolveLimits, type Limits } from '../../../src/options.js';
import type { ConnectionSummary } from '../../../src/tls/summary.js';

export const F = TcpFlag;

function ip4(s: string): number {
  return s.split('.').reduce((a, b) => ((a << 8) | Number(b)) >>> 0, 0);
}

export interface Packet {
  view: PacketView;
  ts: number;
}

export class Conversation {
  /** next sequence number to send, per side */
  seq: { c: number; s: number };
  ts: number;
  readonly packets: Packet[] = [];

  constructor(
    readonly client = '10.0.0.1', readonly cport = 50000,
    readonly server = '10.0.0.2', readonly sport = 443,
    isnC = 1000, isnS = 5000, t0 = 1_700_000_000_000_000,
  ) {
    this.seq = { c: isnC, s: isnS };
    this.ts = t0;
  }

  /** A packet from side `from` with explicit fields; does not move the sequence numbers. */
  raw(from: 'c' | 's', flags: number, seq: number, payload: Uint8Array = new Uint8Array(0), opts: { ack?: number; missing?: number } = {}): Packet {
    const c = from === 'c';
    const view: PacketView = {
      ipVersion: 4,
      src0: ip4(c ? this.client : this.server), src1: 0, src2: 0, src3: 0,
      dst0: ip4(c ? this.server : this.client), dst1: 0, dst2: 0, dst3: 0,
      srcPort: c ? this.cport : this.sport, dstPort: c ? this.sport : this.cport,
      seq: seq >>> 0, ack: (opts.ack ?? (c ? this.seq.s : this.seq.c)) >>> 0, flags,
      data: payload, payloadStart: 0, payloadEnd: payload.length, payloadMissing: opts.missing ?? 0,
    };
    const p = { view, ts: (this.ts += 1000) };
    this.packets.push(p);
    return p;
  }

  handshake(): this {
    this.raw('c', F.SYN, this.seq.c); this.seq.c = (this.seq.c + 1) >>> 0;
    this.raw('s', F.SYN | F.ACK, this.seq.s); this.seq.s = (this.seq.s + 1) >>> 0;
    this.raw('c', F.ACK, this.seq.c);
    return this;
  }

  /** Send `data` from a side in segments of the given sizes (the rest in a last one). */
  send(from: 'c' | 's', data: Uint8Array, sizes: number[] = []): Packet[] {
    const out: Packet[] = [];
    let o = 0;
    const cuts = [...sizes];
    while (o < data.length) {
      const n = cuts.length ? cuts.shift()! : data.length - o;
      const chunk = data.slice(o, Math.min(data.length, o + n));
      out.push(this.raw(from, F.ACK | F.PSH, this.seq[from], chunk));
      this.seq[from] = (this.seq[from] + chunk.length) >>> 0;
      o += n;
    }
    return out;
  }

  fin(from: 'c' | 's'): Packet {
    const p = this.raw(from, F.FIN | F.ACK, this.seq[from]);
    this.seq[from] = (this.seq[from] + 1) >>> 0;
    return p;
  }

  rst(from: 'c' | 's'): Packet {
    return this.raw(from, F.RST, this.seq[from]);
  }
}

export interface Harness {
  table: FlowTable;
  conns: ConnectionSummary[];
  certs: CertStore;
  diag: Diagnostics;
  limits: Limits;
  feed(packets: Packet[], finish?: boolean): ConnectionSummary[];
}

export function harness(limits: Partial<Limits> = {}): Harness {
  const l = resolveLimits(limits);
  const diag = new Diagnostics();
  const certs = new CertStore(l, diag);
  const conns: ConnectionSummary[] = [];
  const table = new FlowTable({ limits: l, diag, certs, onConnection: (c) => conns.push(c) });
  let index = 0;
  return {
    table, conns, certs, diag, limits: l,
    feed(packets, finish = true) {
      for (const p of packets) table.packet(p.view, { tsMicros: p.ts, index: ++index, fileIndex: 0 });
      if (finish) table.finish();
      return conns;
    },
  };
}
