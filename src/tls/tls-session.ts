/**
 * Per-connection TLS state machine (Zeek SSL.cc / ssl-analyzer idea): two record framers (one per
 * direction) → two handshake assemblers → message decoders → ConnectionFacts; decides when the
 * connection is "done" so the TCP layer can stop buffering it.
 *
 * Done: the negotiated version is TLS 1.3 (ServerHello; the rest is encrypted), or both
 * directions are closed, a direction closing with its ChangeCipherSpec (≤ 1.2), a fatal alert,
 * application data, its last SSLv2 cleartext message, or when its bytes cannot be parsed as TLS.
 * Cleartext records after the ServerHelloDone (client Certificate, alerts) are therefore still seen.
 *
 * Messages are decoded by MessageHandler (one try/catch per message); the TCP layer holds the
 * per-flow try/catch around this whole session.
 */
import { ConnectionFacts, type FlowMeta } from './connection-facts.js';
import { HandshakeAssembler, type MessageSink } from './handshake-assembler.js';
import { MessageHandler, Outcome, wantedHandshakeType, type SessionContext } from './message-handler.js';
import { RecordAction, RecordFramer, SyncKind, type RecordSink } from './record-framer.js';
import { ContentType, handshakeTypeName } from './registry/handshake-types.js';
import { isPlausibleAlert } from './messages/alert.js';
import type { ConnectionSummary } from './summary.js';

export type { SessionContext } from './message-handler.js';

export class TlsSession implements RecordSink, MessageSink {
  readonly facts = new ConnectionFacts();
  /** the connection carried a TLS handshake or alert record */
  recognised = false;
  /** stop parsing: the TCP layer may drop its buffers */
  done = false;
  private readonly handler: MessageHandler;
  private readonly framers: [RecordFramer | null, RecordFramer | null] = [null, null];
  private readonly assemblers: [HandshakeAssembler | null, HandshakeAssembler | null] = [null, null];
  /*
   * Per-direction flags in one small integer (`flag << dir`), and the two record versions in two fields:
   * a session is created for every flow that carries data, and five two-element arrays cost ~320 bytes
   * per tracked flow (and their allocation) where these cost nothing.
   */
  private bits = 0;
  private recordVersion0 = 0;
  private recordVersion1 = 0;

  constructor(private readonly ctx: SessionContext) {
    this.handler = new MessageHandler(this.facts, ctx);
  }

  /** Time and packet number of the data about to be pushed (set by the TCP layer from its clock). */
  at(clock: { readonly ts: number; readonly packet: number }): void {
    this.handler.tsMicros = clock.ts;
    this.handler.packet = clock.packet;
  }

  /** In-order bytes of direction `dir`: `b[s .. e)` (a view, valid only during the call). */
  push(dir: number, b: Uint8Array, s: number, e: number): void {
    if (this.done || this.has(CLOSED, dir)) return;
    this.framer(dir).push(b, s, e);
  }

  /** `n` bytes of direction `dir` are missing here (lost in the capture, snaplen, or dropped by a limit). */
  gap(dir: number, n: number, why: string): void {
    if (this.done || this.has(CLOSED, dir) || n <= 0) return;
    const f = this.framers[dir];
    if (f === null) { this.setStartKnown(dir, false); return; } // nothing parsed yet: start unknown
    if (!this.facts.anyCertificate && !this.facts.tls13) this.facts.incomplete = true;
    const a = this.assemblers[dir];
    const where = a !== null && a.midMessage ? `in the {side} ${messageName(a.currentType)}` : 'in the {side} stream';
    this.facts.note(dir, `${n} bytes missing (${why}) ${where}`);
    f.gap(n);
  }

  /** End of the connection's data: deliver a certificate message cut short, if any. */
  end(): void {
    for (let d = 0; d < 2; d++) this.assemblers[d]?.flushPartial();
  }

  /** The TCP layer could not keep this connection (limit / eviction). */
  abandon(note: string): void {
    this.facts.note(-1, note);
    if (!this.facts.anyCertificate && !this.facts.tls13) this.facts.incomplete = true;
    this.end();
    this.finish();
  }

  note(text: string): void {
    this.facts.note(-1, text);
  }

  /** Not TLS: nothing recognised, one direction gave up and the other never found a record. */
  get notTls(): boolean {
    if (this.recognised) return false;
    const f0 = this.framers[0], f1 = this.framers[1];
    const dead0 = f0 !== null && f0.dead, dead1 = f1 !== null && f1.dead;
    if (!dead0 && !dead1) return false;
    return !(f0 !== null && f0.inSync) && !(f1 !== null && f1.inSync);
  }

  /** Bytes this session holds copies of (partial handshake messages, SSLv2 records). */
  get bufferedBytes(): number {
    let n = 0;
    for (let d = 0; d < 2; d++) n += (this.assemblers[d]?.buffered ?? 0) + (this.framers[d]?.buffered ?? 0);
    return n;
  }

  /** The stream start of direction `dir` was seen (SYN); set by the TCP layer before its data flows. */
  setStartKnown(dir: number, known: boolean): void {
    this.set(START_KNOWN, dir, known);
  }

  summary(meta: FlowMeta): ConnectionSummary {
    return this.facts.toSummary(meta);
  }

  // ---- RecordSink -----------------------------------------------------------------------------

  recordHeader(dir: number, type: number, version: number, length: number): RecordAction {
    if (dir === 0) { if (this.recordVersion0 === 0) this.recordVersion0 = version; }
    else if (this.recordVersion1 === 0) this.recordVersion1 = version;
    switch (type) {
      case ContentType.changeCipherSpec:
        this.facts.dirs[dir].ccs = true;
        // after a HelloRetryRequest it is TLS 1.3's middlebox-compatibility CCS (RFC 8446 D.4): no change
        if (!this.facts.helloRetryRequest) {
          this.set(ENCRYPTED, dir, true);
          this.assembler(dir).flushPartial();
          this.close(dir);
        }
        return RecordAction.skip;
      case ContentType.alert:
        // a cleartext alert record is 2 bytes (level, description); anything longer carries a MAC
        this.set(ALERT_CLEARTEXT, dir, !this.has(ENCRYPTED, dir) && length === 2);
        return this.has(ALERT_CLEARTEXT, dir) ? RecordAction.alert : RecordAction.skip;
      case ContentType.handshake:
        if (this.has(ENCRYPTED, dir)) return RecordAction.skip; // Finished (encrypted)
        this.assembler(dir).recordStart();
        return RecordAction.handshake;
      case ContentType.applicationData:
        this.close(dir);
        return RecordAction.skip;
      default:
        return RecordAction.skip;
    }
  }

  recordEnd(dir: number, type: number): void {
    if (type === ContentType.alert && !this.has(ALERT_CLEARTEXT, dir)) {
      // an encrypted alert alone (mid-stream capture) does not make a connection worth reporting
      this.pushAlert(dir, -1, -1, false);
    }
  }

  handshakeBytes(dir: number, buf: Uint8Array, start: number, end: number): void {
    this.assembler(dir).push(buf, start, end);
  }

  handshakeGap(dir: number, n: number): void {
    this.assembler(dir).gap(n);
  }

  alert(dir: number, level: number, description: number): void {
    if (!isPlausibleAlert(level, description)) {
      this.ctx.diag.add('tls.alert.bad_level', 'anomaly', this.handler.sample(`level ${level} description ${description}`));
      this.pushAlert(dir, -1, -1, false);
      return;
    }
    this.recognised = true;
    this.pushAlert(dir, level, description, true);
    if (level === 2) this.close(dir);
  }

  sslv2Record(dir: number, buf: Uint8Array, start: number, end: number, validEnd: number): void {
    this.recognised = true;
    if (this.handler.sslv2(dir, buf, start, end, validEnd) === Outcome.closeDirection) this.close(dir);
  }

  synced(dir: number, kind: SyncKind, skipped: number): void {
    if (kind === SyncKind.preamble && skipped > 0) this.facts.note(dir, `{side}: ${skipped} bytes of non-TLS preamble before the handshake`);
    else if (kind === SyncKind.resync && skipped > 0) this.facts.note(dir, `{side}: resynchronised on a TLS record after ${skipped} bytes`);
  }

  lostSync(dir: number): void {
    const a = this.assemblers[dir];
    if (a !== null) { a.flushPartial(); a.gap(1); } // message boundary lost too
  }

  gaveUp(dir: number, reason: string): void {
    if (this.recognised) this.facts.note(dir, `{side}: ${reason}`);
    this.assemblers[dir]?.flushPartial();
    this.close(dir);
  }

  // ---- MessageSink ----------------------------------------------------------------------------

  handshakeMessage(dir: number, type: number, length: number, buf: Uint8Array | null, start: number, end: number, validEnd: number): void {
    this.recognised = true;
    if (this.handler.handshake(dir, type, length, buf, start, end, validEnd, dir === 0 ? this.recordVersion0 : this.recordVersion1) === Outcome.tls13) this.finish();
  }

  handshakeTooLarge(dir: number, type: number, length: number): void {
    this.ctx.diag.add('limit.handshake_bytes', 'limit', this.handler.sample(`${handshakeTypeName(type)} of ${length} bytes`));
    this.facts.note(dir, `{side} ${handshakeTypeName(type)} of ${length} bytes exceeds the handshake limit (${this.ctx.limits.maxHandshakeBytes}); kept the first part`);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private framer(dir: number): RecordFramer {
    let f = this.framers[dir];
    if (f === null) {
      const l = this.ctx.limits;
      const known = this.has(START_KNOWN, dir);
      const budget = known ? l.maxPreambleBytes : l.maxPreambleBytes + l.maxRecordBytes + 5;
      f = this.framers[dir] = new RecordFramer(dir, this, l.maxRecordBytes, budget, known);
    }
    return f;
  }

  private assembler(dir: number): HandshakeAssembler {
    let a = this.assemblers[dir];
    if (a === null) a = this.assemblers[dir] = new HandshakeAssembler(dir, this, wantedHandshakeType, this.ctx.limits.maxHandshakeBytes);
    return a;
  }

  private pushAlert(dir: number, level: number, description: number, cleartext: boolean): void {
    this.facts.alert({ dir, level, description, cleartext, tsMicros: this.handler.tsMicros, packet: this.handler.packet });
  }

  private close(dir: number): void {
    this.set(CLOSED, dir, true);
    if (this.has(CLOSED, 0) && this.has(CLOSED, 1)) this.finish();
  }

  private has(flag: number, dir: number): boolean {
    return (this.bits & (flag << dir)) !== 0;
  }

  private set(flag: number, dir: number, on: boolean): void {
    this.bits = on ? this.bits | (flag << dir) : this.bits & ~(flag << dir);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    for (let d = 0; d < 2; d++) {
      this.set(CLOSED, d, true);
      this.framers[d]?.close();
      const a = this.assemblers[d];
      if (a === null) continue;
      if (a.midMessage) this.facts.note(d, `{side} ${messageName(a.currentType)} not complete when the handshake was over (${a.progress})`);
      a.reset();
    }
  }
}

/** per-direction flags (bit `flag << dir`) */
const ENCRYPTED = 1, CLOSED = 4, ALERT_CLEARTEXT = 16, START_KNOWN = 64;

function messageName(type: number): string {
  return type < 0 ? 'handshake message' : handshakeTypeName(type);
}
