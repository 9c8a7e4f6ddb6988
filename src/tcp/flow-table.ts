/**
 * TCP connection tracking for the packet pass (gopacket reassembly Assembler + StreamPool idea):
 * flow lookup by a numeric, direction-independent key; connections without payload kept as
 * typed-array rows (embryos.ts: a SYN flood allocates nothing); TCP handshake handling (ISN, SYN
 * retransmissions, several SYN/ACKs, port reuse, TCP Fast Open); per-direction reassembly into a
 * TLS session; and the bounds: idle eviction by capture time, a cap on live flows, a global budget
 * of buffered bytes, and compact tombstones so a finished flow's later packets cost one lookup.
 *
 * `onConnection` is called once per connection that carried TLS, when it is done (handshake over,
 * FIN/RST, eviction, or `finish()`). Error boundary: one try/catch per flow around the TLS work.
 */
import type { Limits } from '../options.js';
import type { Diagnostics } from '../diagnostics/diagnostics.js';
import { isDecodeError } from '../diagnostics/decode-error.js';
import { TcpFlag, type PacketView } from '../decode/packet-view.js';
import type { CertStore } from '../x509/cert-store.js';
import type { ConnectionSummary } from '../tls/summary.js';
import { TlsSession } from '../tls/tls-session.js';
import { LastTupleKeys, dstEndpointHash, sideEndpointHash, srcEndpointHash } from './flow-key.js';
import { Flow, FlowList, FlowState } from './flow.js';
import { flowMeta, flowSample } from './flow-meta.js';
import { FlowIndex } from './flow-index.js';
import { SegmentResult } from './half-stream.js';
import { Embryos, EmbryoBits } from './embryos.js';
import { Tombstones } from './tombstones.js';
import { seqAdd } from './sequence.js';
import { PacketClock, type PacketStamp } from './packet-clock.js';

export interface FlowTableOptions {
  limits: Limits;
  diag: Diagnostics;
  certs: CertStore;
  onConnection: (c: ConnectionSummary) => void;
}

export interface FlowTableStats {
  /** connections seen (handshake or payload) */
  flows: number;
  /** connections reported (carried TLS) */
  tlsFlows: number;
  tombstoned: number;
  evicted: number;
  bufferedBytes: number;
  peakBufferedBytes: number;
}

const { SYN, ACK, FIN, RST } = TcpFlag;
/** after an RST, data already in flight from the peer is still taken for this long (capture time) */
const CLOSE_GRACE_MICROS = 2_000_000;
/**
 * idle tombstones are looked for once per second of capture time, up to this many entries in use each
 * time (this is also the longest `expire()` goes without a look: keep it at most CLOSE_GRACE_MICROS)
 */
const TOMB_SWEEP_MICROS = 1_000_000;
const TOMB_SWEEP_BUDGET = 4096;

export class FlowTable {
  readonly stats: FlowTableStats = { flows: 0, tlsFlows: 0, tombstoned: 0, evicted: 0, bufferedBytes: 0, peakBufferedBytes: 0 };
  private readonly index = new FlowIndex();
  /** flow hashes of the last packet's 4-tuple (bursts of one flow are not hashed again) */
  private readonly keys = new LastTupleKeys();
  /** flows carrying data, least recently active first */
  private readonly live = new FlowList();
  /** flows after an RST (or both FINs with holes left), by closing deadline */
  private readonly closing = new FlowList();
  private readonly embryos: Embryos;
  private readonly tombs: Tombstones;
  private readonly limits: Limits;
  private readonly diag: Diagnostics;
  private readonly certs: CertStore;
  private readonly onConnection: (c: ConnectionSummary) => void;
  /** capture time: the current packet's, and the latest seen (read where needed, never passed as a number) */
  private readonly clock = new PacketClock();
  private nextId = 0;
  /** capture time of the next look for idle tombstones */
  private nextTombSweep = -Infinity;
  /**
   * Capture time from which `expire()` may find something to do: the earliest deadline of the closing
   * flows, the idle live flows, the embryo rows, the ended tombstones and the tombstone sweep, as of the
   * last look. Saves a call per packet (most packets move the clock). Deadlines otherwise only move later
   * (the lists are in time order, a touched entry goes to the back), so an early value costs one look
   * that finds nothing, never a late expiry. It is never later than the next sweep, at most
   * TOMB_SWEEP_MICROS ahead: only what is added with a nearer deadline must lower it (a live flow when the
   * idle timeout is shorter than that; the oldest embryo row changing, its age possibly older). Grace
   * periods (CLOSE_GRACE_MICROS) are longer than the sweep interval: the next look always sees them in time.
   */
  private nextExpiry = -Infinity;
  /** direction of the current packet in its flow */
  private dir = 0;

  constructor(opts: FlowTableOptions) {
    this.limits = opts.limits;
    this.diag = opts.diag;
    this.certs = opts.certs;
    this.onConnection = opts.onConnection;
    this.tombs = new Tombstones(opts.limits.maxTombstones, this.clock, CLOSE_GRACE_MICROS);
    this.embryos = new Embryos(Math.max(16, Math.floor(opts.limits.maxFlows / 4)), this.clock);
  }

  /** Flows held now (live and in their closing grace period): never more than `limits.maxFlows`. */
  get trackedFlows(): number {
    return this.live.size + this.closing.size;
  }

  /** One decoded TCP packet. `view` is valid only during the call; of `stamp` its time and numbers are read. */
  packet(view: PacketView, stamp: PacketStamp): void {
    const k = this.clock;
    k.ts = stamp.tsMicros;
    k.packet = stamp.index;
    k.file = stamp.fileIndex;
    if (k.ts > k.now) {
      k.now = k.ts;
      if (k.now >= this.nextExpiry) this.expire();
    }
    const h = this.keys.key(view);
    const flow = this.index.find(h, view);
    if (flow !== null) {
      this.dir = this.index.dir;
      this.flowPacket(flow, view);
    }
    else this.unknownPacket(view, h);
  }

  /** End of input: flush every live flow (each TLS connection is reported). */
  finish(): void {
    while (this.closing.head !== null) this.close(this.closing.head);
    while (this.live.head !== null) this.close(this.live.head);
  }

  // ---- admission ------------------------------------------------------------------------------

  /** A packet of no live flow: tombstoned (ignored), a handshake (embryo row), or the first payload. */
  private unknownPacket(v: PacketView, h: number): void {
    const f = v.flags;
    const payload = v.payloadEnd - v.payloadStart + v.payloadMissing;
    if ((f & (SYN | FIN | RST)) === 0 && payload === 0) return; // a bare ACK teaches nothing
    const h2 = this.keys.key2(v);
    if (this.tombs.size > 0) {
      const t = this.tombs.find(h, h2);
      if (t >= 0) {
        if ((f & (SYN | ACK)) !== SYN || this.tombs.isnAt(t) === v.seq) {
          this.tombs.touch(t);
          if ((f & (FIN | RST)) !== 0) this.tombs.close(t, h, h2, srcEndpointHash(v), (f & RST) !== 0);
          return;
        }
        this.tombs.deleteSlot(t); // a new connection reuses the 4-tuple
      }
    }
    let e = this.embryos.find(h, h2);
    if ((f & RST) !== 0 || (payload === 0 && (f & FIN) !== 0)) {
      if (e >= 0) this.embryos.markClosed(e);
      return;
    }
    if (payload === 0) {
      const synAck = (f & ACK) !== 0;
      if (e >= 0 && !this.embryos.handshake(e, synAck, v.seq)) {
        this.embryos.delete(e); // a SYN with a new ISN: a new connection attempt
        e = -1;
      }
      if (e < 0) {
        // a row created (or one forgotten for room, or deleted): the oldest row, whose age is checked, may be another
        this.nextExpiry = -Infinity;
        const before = this.embryos.evictions;
        e = this.embryos.create(h, h2, this.nextId++, synAck ? dstEndpointHash(v) : srcEndpointHash(v));
        this.stats.flows++;
        if (this.embryos.evictions !== before) this.diag.add('limit.flows', 'limit', this.diag.wantsSample('limit.flows') ? { file: this.clock.file, packet: this.clock.packet, detail: 'handshake-only connections forgotten (table full)' } : undefined);
        this.embryos.handshake(e, synAck, v.seq);
      }
      return;
    }
    const flow = this.createFlow(v, h, h2, e);
    this.flowPacket(flow, v);
  }

  /** First payload of a connection: a Flow with streams and a TLS session (taking over an embryo row). */
  private createFlow(v: PacketView, h: number, h2: number, e: number): Flow {
    if (this.live.size + this.closing.size >= this.limits.maxFlows) {
      // Flows in their closing grace period count too (thousands of reset connections a second, or a
      // capture whose timestamps do not move, would otherwise pile up there without bound). The oldest
      // of those is closed first: it loses only the chance of a late retransmission; else the least
      // recently active live flow is evicted.
      const closing = this.closing.head;
      if (closing !== null) {
        this.diag.add('limit.flows', 'limit', this.diag.wantsSample('limit.flows') ? flowSample(closing, -1, `more than ${this.limits.maxFlows} flows: a closing flow's grace period cut short`) : undefined);
        this.close(closing);
      } else if (this.live.head !== null) {
        const old = this.live.head;
        this.diag.add('limit.flows', 'limit', flowSample(old, -1, `more than ${this.limits.maxFlows} live flows: the least recently active evicted`));
        this.evict(old, `evicted: more than ${this.limits.maxFlows} live flows`);
      }
    }
    const em = e >= 0 ? this.embryos.take(e) : null;
    if (em !== null) this.nextExpiry = -Infinity; // (the oldest embryo row may be another now)
    if (em === null) this.stats.flows++;
    const k = this.clock;
    const id = em?.id ?? this.nextId++, fileIndex = em?.fileIndex ?? k.file;
    const session = new TlsSession({ limits: this.limits, diag: this.diag, certs: this.certs, flowId: id, fileIndex });
    const flow = new Flow(id, h, h2, v, em?.startMicros ?? k.ts, em?.firstPacket ?? k.packet, fileIndex, session, this.limits.maxOutOfOrderBytesPerDirection);
    if (em !== null) {
      const c = srcEndpointHash(v) === em.client ? 0 : 1;
      if ((em.bits & EmbryoBits.syn) !== 0) flow.setIsn(c, em.isnClient);
      if ((em.bits & EmbryoBits.synAck) !== 0) flow.setIsn(1 - c, em.isnServer);
      flow.synClientDir = c;
    } else if ((v.flags & SYN) !== 0) { // TCP Fast Open: data on the SYN (or SYN/ACK)
      flow.setIsn(0, v.seq);
      flow.synClientDir = (v.flags & ACK) !== 0 ? 1 : 0;
    } else {
      session.note('capture starts mid-connection (no SYN seen)');
    }
    this.index.add(flow);
    this.live.append(flow);
    const idleAt = k.now + this.limits.idleTimeoutMicros;
    if (idleAt < this.nextExpiry) this.nextExpiry = idleAt;
    this.dir = 0;
    return flow;
  }

  // ---- packets of a live flow -----------------------------------------------------------------

  private flowPacket(flow: Flow, v: PacketView): void {
    const f = v.flags;
    if ((f & RST) !== 0) { this.reset(flow); return; }
    if ((f & SYN) !== 0 && !this.syn(flow, v)) return;
    flow.lastMicros = this.clock.now; // capture time so far (a packet with an older timestamp must not age the flow)
    if (flow.state === FlowState.live) this.live.touch(flow);
    const payload = v.payloadEnd - v.payloadStart + v.payloadMissing;
    if ((payload > 0 || (f & ACK) !== 0) && !this.tcpData(flow, v, payload)) return;
    if ((f & FIN) !== 0) {
      flow.finBits |= 1 << this.dir;
      if (flow.finBits === 3) {
        if (flow.streams[0].oooBytes + flow.streams[1].oooBytes === 0) { this.close(flow); return; }
        this.startClosing(flow); // holes left: a retransmission may still fill them
      }
    }
    this.settle(flow);
  }

  /**
   * SYN or SYN/ACK on a flow with data. A retransmitted SYN changes nothing; a SYN/ACK before the
   * server's data sets its ISN; a SYN with another ISN is a new connection on the same 4-tuple
   * (the old one is closed and the packet starts over). Returns false when the packet was consumed.
   */
  private syn(flow: Flow, v: PacketView): boolean {
    const dir = this.dir;
    if ((v.flags & ACK) !== 0) {
      if (!flow.streams[dir].started) flow.setIsn(dir, v.seq);
      if (flow.synClientDir < 0) flow.synClientDir = 1 - dir;
      return true;
    }
    if (flow.synSeen(dir) && flow.isn(dir) === v.seq) return true;
    this.close(flow, 'a new connection reused the 4-tuple');
    this.unknownPacket(v, flow.hash);
    return false;
  }

  /** Deliver an ACK and/or payload. Returns false when the flow was closed meanwhile. */
  private tcpData(flow: Flow, v: PacketView, payload: number): boolean {
    const { streams, session } = flow;
    const dir = this.dir;
    const pkt = this.clock.packet;
    session.at(this.clock);
    try {
      if ((v.flags & ACK) !== 0) streams[1 - dir].peerAcked(v.ack, session);
      if (payload > 0 && !session.done) {
        const hs = streams[dir];
        if (!hs.started) {
          session.setStartKnown(dir, flow.synSeen(dir));
          if (flow.synSeen(dir)) hs.startAt(flow.isn(dir));
        }
        const seq = (v.flags & SYN) !== 0 ? seqAdd(v.seq, 1) : v.seq; // TCP Fast Open: data follows the SYN
        const r = hs.segment(seq, v.data, v.payloadStart, v.payloadEnd, v.payloadMissing, session);
        if (r === SegmentResult.oooOverflow) this.diag.add('limit.ooo_bytes', 'limit', flowSample(flow, pkt, 'out-of-order buffer full: gap declared'));
        else if (r === SegmentResult.outOfWindow) this.diag.add('tcp.out_of_window', 'anomaly', flowSample(flow, pkt));
      }
    } catch (e) {
      this.fail(flow, e, pkt);
      return false;
    }
    return true;
  }

  /** After a packet: done or not-TLS flows are retired; buffer accounting and its cap. */
  private settle(flow: Flow): void {
    const s = flow.session;
    if (s.done) { this.close(flow); return; }
    if (s.notTls) { this.retire(flow, false); return; }
    const held = flow.streams[0].oooBytes + flow.streams[1].oooBytes + s.bufferedBytes;
    if (held !== flow.buffered) {
      this.account(held - flow.buffered);
      flow.buffered = held;
      if (this.stats.bufferedBytes > this.limits.maxTotalBufferedBytes) this.evictForMemory();
    }
  }

  // ---- endings --------------------------------------------------------------------------------

  /** RST: the sender is done; the peer's data in flight is still taken for a short grace period. */
  private reset(flow: Flow): void {
    flow.finBits |= 1 << this.dir;
    flow.rst = true;
    if (flow.session.done) this.close(flow);
    else this.startClosing(flow);
  }

  private startClosing(flow: Flow): void {
    if (flow.state === FlowState.closing) return;
    this.live.remove(flow);
    flow.state = FlowState.closing;
    flow.closeAt = this.clock.now + CLOSE_GRACE_MICROS;
    this.closing.append(flow);
  }

  /** The connection ended (FIN/RST/done/idle/end of input): flush, report, tombstone. */
  private close(flow: Flow, note?: string): void {
    const s = flow.session;
    if (!s.done) {
      try {
        flow.streams[0].flush(s);
        flow.streams[1].flush(s);
        s.end();
      } catch (e) {
        this.fail(flow, e, -1);
        return;
      }
    }
    if (note !== undefined) s.note(note);
    this.retire(flow, true);
  }

  /** Evict a live flow (limits): report what it has, marked incomplete. */
  private evict(flow: Flow, note: string): void {
    this.stats.evicted++;
    flow.session.abandon(note);
    this.retire(flow, true);
  }

  private fail(flow: Flow, e: unknown, pkt: number): void {
    if (isDecodeError(e)) this.diag.add(`${e.layer}.${e.code}`, 'abandoned', flowSample(flow, pkt, e.detail));
    else this.diag.internal('flow', e, flowSample(flow, pkt));
    flow.session.abandon(`abandoned: ${e instanceof Error ? e.message : String(e)}`);
    this.retire(flow, true);
  }

  /** Remove a flow: report it if it carried TLS (and `report`), and leave a tombstone. */
  private retire(flow: Flow, report: boolean): void {
    if (report && flow.session.recognised) {
      this.stats.tlsFlows++;
      this.onConnection(flow.session.summary(flowMeta(flow)));
    }
    const c = flow.synClientDir;
    this.tombs.add(flow.hash, flow.hash2, c >= 0 && flow.synSeen(c) ? flow.isn(c) : -1,
      sideEndpointHash(flow.a0, flow.a1, flow.a2, flow.a3, flow.aPort), flow.rst || flow.finBits === 3);
    this.stats.tombstoned++;
    (flow.state === FlowState.live ? this.live : this.closing).remove(flow);
    this.index.remove(flow);
    flow.streams[0].release();
    flow.streams[1].release();
    if (flow.buffered !== 0) { this.account(-flow.buffered); flow.buffered = 0; }
  }

  /** Capture time moved on: close flows past their grace period or idle too long. */
  private expire(): void {
    const now = this.clock.now;
    const limit = now - this.limits.idleTimeoutMicros;
    while (this.closing.head !== null && this.closing.head.closeAt < now) this.close(this.closing.head);
    while (this.live.head !== null && this.live.head.lastMicros < limit) {
      const f = this.live.head;
      if (!f.session.done) f.session.note('idle timeout (capture time)');
      this.close(f);
    }
    if (this.embryos.size > 0) this.embryos.expire(this.limits.idleTimeoutMicros);
    if (this.tombs.endedPending > 0) this.tombs.expire();
    if (now >= this.nextTombSweep) {
      this.nextTombSweep = now + TOMB_SWEEP_MICROS;
      if (this.tombs.size > 0) this.tombs.expireIdle(this.limits.idleTimeoutMicros, TOMB_SWEEP_BUDGET);
    }
    // the earliest deadline left (each list is in deadline order; for the embryos, the oldest row is
    // the one whose age is checked)
    const idle = this.limits.idleTimeoutMicros;
    this.nextExpiry = Math.min(
      this.nextTombSweep,
      this.closing.head?.closeAt ?? Infinity,
      (this.live.head?.lastMicros ?? Infinity) + idle,
      this.embryos.oldestLast() + idle,
      this.tombs.nextEndedTime(),
    );
  }

  /**
   * Over the global budget of buffered bytes: flows in their closing grace period that hold bytes are
   * closed first (they lose only the chance of a late retransmission, as at `maxFlows`), then live flows
   * holding bytes are evicted, least recently active first, until the total is within the budget.
   */
  private evictForMemory(): void {
    let c = this.closing.head;
    while (c !== null && this.stats.bufferedBytes > this.limits.maxTotalBufferedBytes) {
      const next = c.next;
      if (c.buffered > 0) {
        this.diag.add('limit.total_buffered', 'limit', flowSample(c, -1, `more than ${this.limits.maxTotalBufferedBytes} bytes buffered: a closing flow's grace period cut short`));
        this.close(c);
      }
      c = next;
    }
    let f = this.live.head;
    while (f !== null && this.stats.bufferedBytes > this.limits.maxTotalBufferedBytes) {
      const next = f.next;
      if (f.buffered > 0) {
        this.diag.add('limit.total_buffered', 'limit', flowSample(f, -1, `more than ${this.limits.maxTotalBufferedBytes} bytes buffered`));
        this.evict(f, 'evicted: global buffer limit reached');
      }
      f = next;
    }
  }

  private account(delta: number): void {
    const s = this.stats;
    s.bufferedBytes += delta;
    if (s.bufferedBytes > s.peakBufferedBytes) s.peakBufferedBytes = s.bufferedBytes;
  }
}
