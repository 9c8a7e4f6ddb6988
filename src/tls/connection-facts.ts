/**
 * What the TLS layer learned about one connection, per direction (0 = sender of the flow's first
 * packet, 1 = the other side), and the conversion to the per-connection `ConnectionSummary` once
 * the client/server roles are settled (who sent ClientHello / ServerHello, else message types,
 * else who sent the SYN, else the lower port is the server). Zeek's SSL::Info record idea.
 */
import type { AlertInfo, CertEntry, CertificateRequestInfo, ClientHelloInfo, ConnectionSummary, Endpoint, ServerHelloInfo } from './summary.js';
import { HandshakeType } from './registry/handshake-types.js';
import {
  HASH_SEED, Interner, hashBytes, hashNumbers, hashString, hashStrings, internNumbers, mix, numbersInterner, sameBytes, sameNumbers, sameStrings,
} from '../util/intern.js';

/** Message histories are bounded (Zeek max_ssl_history_length idea). */
export const MAX_HISTORY = 64;
/** alerts kept per connection */
export const MAX_ALERTS = 64;

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
  /** alerts seen (at most MAX_ALERTS); a list only once there is one */
  private alerts: RawAlert[] | null = null;
  tls13 = false;
  incomplete = false;
  /** notes; `{side}` is replaced by the direction's role when the summary is built */
  private notes: Array<{ dir: number; text: string }> | null = null;

  note(dir: number, text: string): void {
    const notes = this.notes ??= [];
    if (notes.length < MAX_HISTORY && !notes.some((n) => n.dir === dir && n.text === text)) notes.push({ dir, text });
  }

  alert(a: RawAlert): void {
    const alerts = this.alerts ??= [];
    if (alerts.length < MAX_ALERTS) alerts.push(a);
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
    const alerts: AlertInfo[] = (this.alerts ?? []).map((a) => ({
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
      // hellos, certificate lists and requests were interned when they were decoded (internClientHello & co.)
      clientHello: this.clientHello,
      clientHelloMicros: this.clientHelloMicros,
      serverHello: this.serverHello,
      serverHelloMicros: this.serverHelloMicros,
      serverCertificateMicros: this.dirs[s].certMicros,
      serverCertificates: this.dirs[s].certs ?? (EMPTY_CERTS as CertEntry[]),
      serverCertificateMessages: this.dirs[s].certMessages,
      clientCertificates: this.dirs[c].certs ?? (EMPTY_CERTS as CertEntry[]),
      clientCertificateMessages: this.dirs[c].certMessages,
      certificateRequest: this.certificateRequest,
      serverKeyExchangeGroup: this.serverKeyExchangeGroup,
      alerts,
      clientMessages: internNumbers(shared.messages, this.dirs[c].messages.slice()),
      serverMessages: internNumbers(shared.messages, this.dirs[s].messages.slice()),
      tls13: this.tls13,
      notes: this.notes === null ? (EMPTY_NOTES as string[]) : this.notes.map((n) => (n.dir < 0 ? n.text : n.text.replace('{side}', side(n.dir)))),
      incomplete: this.incomplete,
    };
  }
}

/**
 * What connections repeat is kept once (util/intern.ts): hellos, certificate lists, message-type lists.
 * Summaries share these objects; nothing downstream mutates them (the report builds its own).
 */
const shared = {
  clientHellos: new Interner<ClientHelloInfo>(hashClientHello, sameClientHello),
  serverHellos: new Interner<ServerHelloInfo>(hashServerHello, sameServerHello),
  certLists: new Interner<CertEntry[]>(hashCertList, sameCertList),
  messages: numbersInterner(),
  requests: new Interner<CertificateRequestInfo>(hashRequest, sameRequest),
};
const EMPTY_NOTES: readonly string[] = Object.freeze([]);
const EMPTY_CERTS: readonly CertEntry[] = Object.freeze([]);

/*
 * Interned as soon as they are decoded, not when the summary is built: a flow in the middle of its
 * handshake then holds the shared hello (one object for thousands of flows) instead of its own copy with
 * six arrays, ~0.7 KB less per tracked flow. Callers must not change a value after interning it.
 */
export function internClientHello(h: ClientHelloInfo): ClientHelloInfo {
  return shared.clientHellos.get(h);
}
export function internServerHello(h: ServerHelloInfo): ServerHelloInfo {
  return shared.serverHellos.get(h);
}
export function internCertificateRequest(r: CertificateRequestInfo): CertificateRequestInfo {
  return shared.requests.get(r);
}
export function internCertList(list: CertEntry[]): CertEntry[] {
  return list.length === 0 ? (EMPTY_CERTS as CertEntry[]) : shared.certLists.get(list);
}

function hashClientHello(c: ClientHelloInfo): number {
  let h = mix(mix(mix(HASH_SEED, c.legacyVersion), c.recordVersion), c.sslv2 ? 1 : 0);
  h = hashNumbers(hashNumbers(hashNumbers(h, c.supportedVersions), c.cipherSuites), c.extensions);
  h = hashNumbers(hashNumbers(h, c.signatureAlgorithms), c.supportedGroups);
  return hashStrings(hashString(h, c.sni), c.alpn);
}

function sameClientHello(a: ClientHelloInfo, b: ClientHelloInfo): boolean {
  return a.legacyVersion === b.legacyVersion && a.recordVersion === b.recordVersion && a.sslv2 === b.sslv2 && a.sni === b.sni &&
    sameNumbers(a.supportedVersions, b.supportedVersions) && sameNumbers(a.cipherSuites, b.cipherSuites) &&
    sameNumbers(a.extensions, b.extensions) && sameNumbers(a.signatureAlgorithms, b.signatureAlgorithms) &&
    sameNumbers(a.supportedGroups, b.supportedGroups) && sameStrings(a.alpn, b.alpn) && sameKeys(a, b, CLIENT_HELLO_KEYS);
}

function hashServerHello(s: ServerHelloInfo): number {
  let h = mix(mix(mix(mix(HASH_SEED, s.legacyVersion), s.version), s.cipherSuite), s.compression);
  h = mix(mix(h, s.helloRetryRequest ? 1 : 0), s.sslv2 === undefined ? 2 : s.sslv2 ? 1 : 0);
  return hashNumbers(hashString(h, s.alpn), s.extensions);
}

function sameServerHello(a: ServerHelloInfo, b: ServerHelloInfo): boolean {
  return a.legacyVersion === b.legacyVersion && a.version === b.version && a.cipherSuite === b.cipherSuite &&
    a.compression === b.compression && a.alpn === b.alpn && a.helloRetryRequest === b.helloRetryRequest &&
    a.sslv2 === b.sslv2 && sameNumbers(a.extensions, b.extensions) && sameKeys(a, b, SERVER_HELLO_KEYS);
}

/** the fields compared above: an object with any other field is never shared */
const CLIENT_HELLO_KEYS: ReadonlySet<string> = new Set(['legacyVersion', 'recordVersion', 'supportedVersions', 'cipherSuites', 'sni', 'alpn', 'signatureAlgorithms', 'supportedGroups', 'extensions', 'sslv2']);
const SERVER_HELLO_KEYS: ReadonlySet<string> = new Set(['legacyVersion', 'version', 'cipherSuite', 'compression', 'alpn', 'extensions', 'helloRetryRequest', 'sslv2']);

/** own keys of interned objects (few), null when one of them is not compared */
const internedKeys = new WeakMap<object, readonly string[] | null>();

/**
 * The same own keys in the same order (a shared object serialises like the one it replaces), all compared.
 * `a` is the interned candidate (Interner compares stored values with the new one): its keys are listed
 * once; the new object's are walked without building an array.
 */
function sameKeys(a: object, b: object, compared: ReadonlySet<string>): boolean {
  let ka = internedKeys.get(a);
  if (ka === undefined) {
    const keys = Object.keys(a);
    ka = keys.every((k) => compared.has(k)) ? keys : null;
    internedKeys.set(a, ka);
  }
  if (ka === null) return false;
  let i = 0;
  for (const k in b) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) continue;
    if (i >= ka.length || ka[i] !== k) return false;
    i++;
  }
  return i === ka.length;
}

function hashCertList(l: CertEntry[]): number {
  let h = mix(HASH_SEED, l.length);
  for (const e of l) {
    // the first 8 hex digits of a SHA-256 are as good a hash as all 64 (equality compares the whole string)
    const d = e.sha256;
    for (let i = 0; i < 8 && i < d.length; i++) h = mix(h, d.charCodeAt(i));
    h = mix(mix(mix(h, e.complete ? 1 : 0), e.declaredLength), e.capturedLength);
  }
  return h;
}

function sameCertList(a: CertEntry[], b: CertEntry[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (x.sha256 !== y.sha256 || x.complete !== y.complete || x.declaredLength !== y.declaredLength || x.capturedLength !== y.capturedLength) return false;
  }
  return true;
}

function hashRequest(r: CertificateRequestInfo): number {
  let h = hashNumbers(hashNumbers(HASH_SEED, r.certificateTypes), r.signatureAlgorithms);
  h = mix(h, r.caNames.length);
  for (const n of r.caNames) h = hashBytes(h, n);
  return h;
}

function sameRequest(a: CertificateRequestInfo, b: CertificateRequestInfo): boolean {
  if (!sameNumbers(a.certificateTypes, b.certificateTypes) || !sameNumbers(a.signatureAlgorithms, b.signatureAlgorithms)) return false;
  if (a.caNames.length !== b.caNames.length) return false;
  for (let i = 0; i < a.caNames.length; i++) if (!sameBytes(a.caNames[i], b.caNames[i])) return false;
  return true;
}

/** Which endpoint (0 or 1) is the server judging by ports: a well-known port, else the lower one. */
export function serverByPort(port0: number, port1: number): 0 | 1 {
  const wk0 = port0 < 1024, wk1 = port1 < 1024;
  if (wk0 !== wk1) return wk0 ? 0 : 1;
  return port0 <= port1 ? 0 : 1;
}
