/**
 * What the TLS layer learned about one connection, per direction (0 = sender of the flow's first
 * packet, 1 = the other side), and the conversion to the per-connection `ConnectionSummary` once
 * the client/server roles are settled (who sent ClientHello / ServerHello, else message types,
 * else who sent the SYN, else the lower port is the server). Zeek's SSL::Info record idea.
 */
import type { AlertInfo, CertEntry, CertificateRequestInfo, ClientHelloInfo, ConnectionSummary, Endpoint, ServerHelloInfo } from './summary.js';
import { HandshakeType } from './registry/handshake-types.js';
import { Interner, internNumbers } from '../util/intern.js';

/** Message histories are bounded (Zeek max_ssl_history_length idea). */
export const MAX_HISTORY = 64;

export interface DirectionFacts {
  /** role implied by a message only one side sends, when no hello decided it */
  roleHint: 'client' | 'server' | null;
  messages: number[];
  /** the first Certificate message of this direction */
  certs: CertEntry[] | null;
  certMessages: number;
  certMicros: number | null;
  ccs: boolean;
}

export interface RawAlert {
  dir: number;
  level: number;
  description: number;
  cleartext: boolean;
  tsMicros: number;
  packet: number;
}

/** Facts about the TCP flow that the TLS layer does not know. */
export interface FlowMeta {
  id: number;
  fileIndex: number;
  startMicros: number;
  firstPacket: number;
  /** endpoints[d] = the sender of direction d */
  endpoints: [Endpoint, Endpoint];
  /** direction whose sender sent the SYN (without ACK), or the receiver of a SYN/ACK; -1 unknown */
  synClientDir: number;
}

const CLIENT_ONLY: ReadonlySet<number> = new Set([HandshakeType.clientHello, HandshakeType.certificateVerify, HandshakeType.clientKeyExchange, HandshakeType.endOfEarlyData]);
const SERVER_ONLY: ReadonlySet<number> = new Set([
  HandshakeType.serverHello, HandshakeType.helloVerifyRequest, HandshakeType.newSessionTicket, HandshakeType.serverKeyExchange,
  HandshakeType.certificateRequest, HandshakeType.serverHelloDone, HandshakeType.certificateStatus, HandshakeType.encryptedExtensions,
]);

function newDirection(): DirectionFacts {
  return { roleHint: null, messages: [], certs: null, certMessages: 0, certMicros: null, ccs: false };
}

export class ConnectionFacts {
  readonly dirs: [DirectionFacts, DirectionFacts] = [newDirection(), newDirection()];
  clientHello: ClientHelloInfo | null = null;
  clientHelloDir = -1;
  clientHelloMicros: number | null = null;
  serverHello: ServerHelloInfo | null = null;
  serverHelloDir = -1;
  serverHelloMicros: number | null = null;
  helloRetryRequest = false;
  certificateRequest: CertificateRequestInfo | null = null;
  serverKeyExchangeGroup: number | null = null;
  readonly alerts: RawAlert[] = [];
  tls13 = false;
  incomplete = false;
  /** notes; `{side}` is replaced by the direction's role when the summary is built */
  private readonly notes: Array<{ dir: number; text: string }> = [];

  note(dir: number, text: string): void {
    if (this.notes.length < MAX_HISTORY && !this.notes.some((n) => n.dir === dir && n.text === text)) this.notes.push({ dir, text });
  }

  /** Record a handshake message type in the direction's history and what it implies about roles. */
  message(dir: number, type: number): void {
    const d = this.dirs[dir];
    if (d.messages.length < MAX_HISTORY) d.messages.push(type);
    if (d.roleHint === null) {
      if (CLIENT_ONLY.has(type)) d.roleHint = 'client';
      else if (SERVER_ONLY.has(type)) d.roleHint = 'server';
    }
  }

  /** Any Certificate message seen so far (the server's certificates may still be coming otherwise). */
  get anyCertificate(): boolean {
    return this.dirs[0].certMessages + this.dirs[1].certMessages > 0;
  }

  /** The direction whose sender is the client. */
  clientDir(meta: FlowMeta): number {
    if (this.clientHelloDir >= 0) return this.clientHelloDir;
    if (this.serverHelloDir >= 0) return 1 - this.serverHelloDir;
    for (let d = 0; d < 2; d++) {
      const h = this.dirs[d].roleHint;
      if (h !== null) return h === 'client' ? d : 1 - d;
    }
    if (meta.synClientDir >= 0) return meta.synClientDir;
    return serverByPort(meta.endpoints[0].port, meta.endpoints[1].port) === 0 ? 1 : 0;
  }

  toSummary(meta: FlowMeta): ConnectionSummary {
    const c = this.clientDir(meta), s = 1 - c;
    const side = (d: number): string => (d === c ? 'client' : 'server');
    const alerts: AlertInfo[] = this.alerts.map((a) => ({
      from: a.dir === c ? 'client' : 'server', level: a.level, description: a.description,
      cleartext: a.cleartext, tsMicros: a.tsMicros, packet: a.packet,
    }));
    return {
      id: meta.id,
      fileIndex: meta.fileIndex,
      client: meta.endpoints[c],
      server: meta.endpoints[s],
      startMicros: meta.startMicros,
      firstPacket: meta.firstPacket,
      clientHello: this.clientHello === null ? null : shared.clientHellos.get(JSON.stringify(this.clientHello), this.clientHello),
      clientHelloMicros: this.clientHelloMicros,
      serverHello: this.serverHello === null ? null : shared.serverHellos.get(JSON.stringify(this.serverHello), this.serverHello),
      serverHelloMicros: this.serverHelloMicros,
      serverCertificateMicros: this.dirs[s].certMicros,
      serverCertificates: certList(this.dirs[s].certs),
      serverCertificateMessages: this.dirs[s].certMessages,
      clientCertificates: certList(this.dirs[c].certs),
      clientCertificateMessages: this.dirs[c].certMessages,
      certificateRequest: this.certificateRequest === null ? null : shared.requests.get(requestKey(this.certificateRequest), this.certificateRequest),
      serverKeyExchangeGroup: this.serverKeyExchangeGroup,
      alerts,
      clientMessages: internNumbers(shared.messages, this.dirs[c].messages.slice()),
      serverMessages: internNumbers(shared.messages, this.dirs[s].messages.slice()),
      tls13: this.tls13,
      notes: this.notes.length === 0 ? (EMPTY_NOTES as string[]) : this.notes.map((n) => (n.dir < 0 ? n.text : n.text.replace('{side}', side(n.dir)))),
      incomplete: this.incomplete,
    };
  }
}

/**
 * What connections repeat is kept once (util/intern.ts): hellos, certificate lists, message-type lists.
 * Summaries share these objects; nothing downstream mutates them (the report builds its own).
 */
const shared = {
  clientHellos: new Interner<ClientHelloInfo>(),
  serverHellos: new Interner<ServerHelloInfo>(),
  certLists: new Interner<CertEntry[]>(),
  messages: new Interner<number[]>(),
  requests: new Interner<CertificateRequestInfo>(),
};

function requestKey(r: CertificateRequestInfo): string {
  let key = `${r.certificateTypes.join(',')}|${r.signatureAlgorithms.join(',')}`;
  for (const n of r.caNames) key += `|${Buffer.from(n.buffer, n.byteOffset, n.byteLength).toString('base64')}`;
  return key;
}
const EMPTY_NOTES: readonly string[] = Object.freeze([]);
const EMPTY_CERTS: readonly CertEntry[] = Object.freeze([]);

function certList(list: CertEntry[] | null): CertEntry[] {
  if (list === null || list.length === 0) return EMPTY_CERTS as CertEntry[];
  let key = '';
  for (const e of list) key += `${e.sha256}:${e.complete ? 1 : 0}:${e.declaredLength}:${e.capturedLength};`;
  return shared.certLists.get(key, list);
}

/** Which endpoint (0 or 1) is the server judging by ports: a well-known port, else the lower one. */
export function serverByPort(port0: number, port1: number): 0 | 1 {
  const wk0 = port0 < 1024, wk1 = port1 < 1024;
  if (wk0 !== wk1) return wk0 ? 0 : 1;
  return port0 <= port1 ? 0 : 1;
}
