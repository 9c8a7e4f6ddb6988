/**
 * Findings: the answer per server. One row per server (IP, port and checked name) over all its
 * connections with the verdict, the reason in plain words and the fix lines; plus rows that span
 * servers (RSA vs ECDSA per address, same-CN trust-store conflicts, the Expressway-C client
 * certificate's EKU) and rows for Traffic Server log lines no captured handshake explains.
 * Order: errors, then warnings, then the rest; within each by IP, port, name.
 */
import type { CertificateOut, ConnectionOut, FindingsConnection, FindingOut, ValidationError } from './model.js';
import { errorText, logClaim } from './log-agreement.js';
import { CLIENT_CERT_REJECTIONS, WORKAROUND, adviceFor, clientRejectAdvice, type Advice, type CertLookup } from '../trust/advice.js';
import { crossServerFindings, logOnlyFindings, type LooseLogEvent } from '../trust/findings-extra.js';
import type { TrustStore } from '../trust/trust-store.js';
import { connectionId, distinctCertificateLists, uploadList, type IdOf, type UploadFile } from '../trust/upload-list.js';
import type { ParsedCert } from '../x509/parsed-cert.js';
import { pushAll } from '../util/arrays.js';

export type { LooseLogEvent } from '../trust/findings-extra.js';

export interface FindingsInput {
  /** the connections (or their views: findingsView, FindingsViews), in report order */
  connections: readonly FindingsConnection[];
  /** the id of the connection at each position, when `connections` are views shared between connections */
  ids?: ArrayLike<number>;
  certificates: Map<string, ParsedCert>;
  store: TrustStore | null;
  /** log events no connection was matched with (loose: kind/text plus whatever the parser knows) */
  logEvents?: readonly LooseLogEvent[];
}

const SERVICES: Readonly<Record<number, string>> = {
  443: 'HTTPS (Unity Connection, UDS/AXL)',
  5061: 'SIP over TLS',
  5091: 'SIP over TLS (OAuth)',
  5222: 'XMPP (clients)',
  6971: 'HTTPS TFTP (headset configuration)',
  6972: 'TFTP over HTTPS (configuration files)',
  7336: 'file transfer (IM and Presence)',
  7400: 'XMPP / XCP (IM and Presence)',
  7443: 'MWI over TLS (Unity Connection)',
  8443: 'UDS / tomcat HTTPS',
  9443: 'HTTPS (Expressway admin)',
};

/** The MRA service usually behind a port (expressway-reference §4.1); null when unknown. */
export function serviceForPort(port: number): string | null {
  return SERVICES[port] ?? null;
}

/** The PEM files to upload so every presented chain becomes trusted (see trust/upload-list.ts). */
export function missingCertificates(input: { connections: readonly FindingsConnection[] }): { filename: string; pem: string; reason: string }[] {
  return uploadList(input.connections).map(({ filename, pem, reason }) => ({ filename, pem, reason }));
}

/** Problem order: the first one present names the row. */
const PRIORITY = [
  'self_signed', 'self_signed_in_chain', 'unknown_issuer', 'bad_signature', 'expired', 'not_yet_valid', 'bad_time_format', 'invalid_ca',
  'invalid_purpose', 'chain_too_long', 'weak_key', 'weak_digest', 'unhandled_critical', 'name_constraints', 'name_mismatch', 'client_cert_rejected', 'server_alert',
  'expiring_soon',
];
const HEADLINE: Readonly<Record<string, string>> = {
  self_signed: 'self-signed certificate not trusted',
  self_signed_in_chain: 'root CA not trusted',
  unknown_issuer: 'issuing CA not trusted',
  bad_signature: 'certificate signature does not verify',
  expired: 'certificate expired',
  not_yet_valid: 'certificate not yet valid',
  bad_time_format: 'malformed validity date in a certificate',
  invalid_ca: 'invalid CA certificate in the chain',
  invalid_purpose: 'certificate not usable for TLS servers',
  chain_too_long: 'certificate chain too long',
  weak_key: 'key too weak for OpenSSL\'s security level',
  weak_digest: 'signature digest too weak (SHA-1, MD5)',
  unhandled_critical: 'critical extension OpenSSL does not process',
  name_constraints: 'certificate outside its CA\'s name constraints',
  name_mismatch: 'name not in certificate',
  client_cert_rejected: 'server rejects the Expressway-C certificate',
  server_alert: 'server aborted the handshake',
  expiring_soon: 'certificate expires soon',
  ok: 'trusted',
  not_checked: 'not checked (no trust store)',
  not_visible: 'certificate not visible (TLS 1.3)',
};
const byPriority = (a: { code: string }, b: { code: string }): number => PRIORITY.indexOf(a.code) - PRIORITY.indexOf(b.code);
const ERROR_CODES = new Set(PRIORITY.slice(0, PRIORITY.indexOf('server_alert')));
const DAY = 86_400_000;

interface Problem extends Advice {
  code: string;
}

function verdictOf(conns: readonly FindingsConnection[]): FindingOut['verdict'] {
  // (one pass, no intermediate lists: a server may have tens of thousands of connections)
  let visible = false, trusted = false, untrusted = false;
  for (const c of conns) {
    if (!c.certificates_visible) continue;
    visible = true;
    if (c.validation.status === 'trusted') trusted = true;
    else if (c.validation.status === 'untrusted') untrusted = true;
  }
  if (!visible) return 'not_visible';
  if (trusted && untrusted) return 'mixed';
  if (untrusted) return 'untrusted';
  if (trusted) return 'trusted';
  return 'not_checked';
}

const notAfter = new WeakMap<CertificateOut, number>();

function notAfterMs(c: CertificateOut): number {
  let t = notAfter.get(c);
  if (t === undefined) {
    t = c.not_after ? Date.parse(c.not_after) : NaN;
    notAfter.set(c, t);
  }
  return t;
}

/** ISO time 30 days before the earliest notAfter of a certificate list (null: no parseable notAfter), per list */
const soonFrom = new WeakMap<readonly CertificateOut[], string | null>();

function earliestSoon(list: readonly CertificateOut[]): string | null {
  let v = soonFrom.get(list);
  if (v === undefined) {
    let min = Infinity;
    for (const c of list) {
      const end = notAfterMs(c);
      if (end < min) min = end;
    }
    const from = min - 30 * DAY;
    // '' (no filtering) when the time has no ISO form (beyond ±8.64e15 ms)
    v = min === Infinity ? null : Math.abs(from) <= 8.64e15 ? new Date(from).toISOString() : '';
    soonFrom.set(list, v);
  }
  return v;
}

/**
 * Whether a connection's certificates may expire within 30 days after its handshake; false only when
 * certainly not. Two ISO times of the standard 24-character form order as their text does, so most
 * connections are ruled out without parsing their time (a Date.parse per connection was most of the
 * findings' cost on captures of tens of thousands of handshakes).
 */
function maySoonExpire(conn: FindingsConnection): boolean {
  const t = conn.handshake_time;
  if (t === null || conn.certificates.length === 0) return false;
  const from = earliestSoon(conn.certificates);
  if (from === null) return false;
  return !(t.length === 24 && from.length === 24 && t < from);
}

function hasFatalServerAlert(c: FindingsConnection): boolean {
  for (const a of c.alerts) if (a.from === 'server' && a.level === 'fatal') return true;
  return false;
}

/** the one empty alert list of views without a fatal server alert (frozen) */
const NO_ALERTS: FindingsConnection['alerts'] = Object.freeze([]) as unknown as FindingsConnection['alerts'];

/**
 * The slim view of a connection that findings read, kept for each connection of a streamed report
 * (report/streamed.ts) while the rest of it is dropped: its own values (no copies), reduced to what
 * findings look at: of its alerts only the server's fatal ones, and its handshake time only when one of
 * its certificates may expire within 30 days of it. `buildFindings` gives the same rows for the views
 * as for the connections.
 */
export function findingsView(c: ConnectionOut): FindingsConnection {
  const alerts = hasFatalServerAlert(c) ? c.alerts.filter((x) => x.from === 'server' && x.level === 'fatal') : NO_ALERTS;
  return {
    id: c.id, server: c.server, handshake_time: maySoonExpire(c) ? c.handshake_time : null, client_hello: c.client_hello,
    server_hello: c.server_hello, certificates_visible: c.certificates_visible, certificates: c.certificates,
    client_certificate_requested: c.client_certificate_requested, client_certificates: c.client_certificates, alerts,
    validation: c.validation, log_events: c.log_events,
  };
}

/**
 * The views of a streamed report's connections, one per distinct view: connections of one server share
 * their server, hellos, certificate lists and validation result, so their views are equal but for the
 * id, which is kept beside them. Per connection, two numbers in typed arrays (off the JS heap, grown by
 * doubling): what survives per connection is what makes V8 grow its young generation, and an array of
 * tens of thousands of pointers, regrown as it fills, was most of it.
 */
export class FindingsViews {
  private n = 0;
  private idOf = new Float64Array(1024);
  private viewOf = new Uint32Array(1024);
  private readonly distinct: FindingsConnection[] = [];
  private readonly byValidation = new Map<object, number[]>();

  /** The view of each connection, in report order (built on each call). */
  get connections(): FindingsConnection[] {
    const out = new Array<FindingsConnection>(this.n);
    for (let i = 0; i < this.n; i++) out[i] = this.distinct[this.viewOf[i]];
    return out;
  }

  /** The id of each connection (its own, else its index), in report order (a view: valid until the next add). */
  get ids(): Float64Array {
    return this.idOf.subarray(0, this.n);
  }

  /** The connection at `index` of the report. */
  add(c: ConnectionOut, index: number): void {
    if (this.n === this.idOf.length) {
      const ids = new Float64Array(this.n * 2), views = new Uint32Array(this.n * 2);
      ids.set(this.idOf);
      views.set(this.viewOf);
      this.idOf = ids;
      this.viewOf = views;
    }
    const at = this.n++;
    this.idOf[at] = c.id ?? index;
    // a view with per-connection values (a fatal alert, log lines, a handshake time kept) is its own
    if (hasFatalServerAlert(c) || c.log_events.length > 0 || maySoonExpire(c)) {
      this.viewOf[at] = this.distinct.push(findingsView(c)) - 1;
      return;
    }
    // views with this validation result (a memoised object, shared by a server's connections): few
    let same = this.byValidation.get(c.validation);
    if (same === undefined) this.byValidation.set(c.validation, (same = []));
    for (const k of same) {
      const w = this.distinct[k];
      if (w.server === c.server && w.certificates === c.certificates && w.client_certificates === c.client_certificates
        && w.client_hello === c.client_hello && w.server_hello === c.server_hello && w.certificates_visible === c.certificates_visible
        && w.client_certificate_requested === c.client_certificate_requested) {
        this.viewOf[at] = k;
        return;
      }
    }
    const k = this.distinct.push({ ...findingsView(c), id: undefined }) - 1;
    // (a server whose every connection differs gets its own views; the scan above stays short)
    if (same.length < 64) same.push(k);
    this.viewOf[at] = k;
  }
}

function problemsOf(conns: readonly FindingsConnection[], uploads: ReadonlyMap<string, UploadFile>, known: CertLookup): Problem[] {
  const seen = new Map<string, Problem>();
  const add = (key: string, p: Problem) => {
    if (!seen.has(key)) seen.set(key, p);
  };
  // connections sharing their validation result (a memoised object) add exactly the error problems
  // the first of them added (same keys): the advice is built once per distinct result
  const validated = new Set<object>();
  for (const conn of conns) {
    if (!validated.has(conn.validation)) {
      validated.add(conn.validation);
      for (const e of conn.validation.errors) {
        if (e.code === 'incomplete' || e.code === 'not_visible') continue;
        add(`${e.code}|${e.depth}|${e.message}`, { code: e.code, ...adviceFor(e, conn, uploads, known) });
      }
    }
    for (const a of conn.alerts) {
      if (a.from !== 'server' || a.level !== 'fatal') continue;
      if (CLIENT_CERT_REJECTIONS.has(a.description)) add(`alert|${a.description}`, { code: 'client_cert_rejected', ...clientRejectAdvice(conn, a.description) });
      else add(`alert|${a.description}`, { code: 'server_alert', reason: `the server ended the handshake with a fatal ${a.description} alert`, fix: [] });
    }
    if (!maySoonExpire(conn)) continue;
    const at = conn.handshake_time ? Date.parse(conn.handshake_time) : NaN;
    for (const c of conn.certificates) {
      const end = notAfterMs(c);
      if (Number.isFinite(at) && end > at && end - at <= 30 * DAY) {
        add(`soon|${c.sha256}`, {
          code: 'expiring_soon',
          reason: `${c.subject_cn ? `CN=${c.subject_cn}` : c.subject} expires on ${c.not_after!.slice(0, 10)}, ${Math.ceil((end - at) / DAY)} day(s) after the capture`,
          fix: [`Renew ${c.subject_cn ? `CN=${c.subject_cn}` : 'it'} before ${c.not_after!.slice(0, 10)} and update the trust stores that hold it or its CA`],
        });
      }
    }
  }
  return [...seen.values()].sort(byPriority);
}

/**
 * `SNI (NAME) not in certificate` (or ATS 9.2.15+'s `Origin hostname (NAME) not in certificate`) from a
 * Traffic Server warning (indexOf, not a regex: log lines are hostile).
 */
function nameMessage(text: string): string {
  const end = text.indexOf(') not in certificate');
  const at = end < 0 ? -1 : Math.max(text.lastIndexOf('SNI (', end), text.lastIndexOf('Origin hostname (', end));
  return at < 0 ? 'SNI not in certificate' : text.slice(at, end + ') not in certificate'.length);
}

/**
 * Refusals Traffic Server logged for connections whose certificates the capture cannot show (TLS 1.3
 * encrypts them): the log's reason and depth stand in for our own validation.
 */
function loggedRefusals(conns: readonly FindingsConnection[], uploads: ReadonlyMap<string, UploadFile>): { problems: Problem[]; handshakes: number } {
  const out = new Map<string, Problem>();
  let handshakes = 0;
  for (const c of conns) {
    if (c.certificates_visible) continue;
    let refused = false;
    for (const e of c.log_events) {
      const claim = logClaim(e);
      if (claim === null) continue;
      refused = true;
      // (errorText is the whole line when it has no Error= field: keep a reason readable)
      const message = (claim.code === 'name_mismatch' ? nameMessage(e.text) : errorText(e.text)).slice(0, 200);
      const key = `${claim.code}|${claim.depth}|${message}`;
      if (out.has(key)) continue;
      const err: ValidationError = { code: claim.code, depth: claim.depth, message };
      // policy PERMISSIVE logs the same warning with Action=Continue: the check failed, the connection went on
      const verb = e.text.includes('Action=Continue') ? 'Traffic Server found the certificate untrusted (and, in permissive mode, went on)' : 'Traffic Server refused the certificate';
      out.set(key, {
        code: claim.code,
        reason: `${verb}: ${message}${claim.depth !== null && claim.code !== 'name_mismatch' ? ` at depth ${claim.depth}` : ''} ` +
          `(from its log: the capture cannot show the certificate, ${c.server_hello?.version === 'TLS 1.3' ? 'TLS 1.3 encrypts it' : 'it was not captured'})`,
        fix: adviceFor(err, c, uploads).fix,
      });
    }
    if (refused) handshakes++;
  }
  return { problems: [...out.values()].sort(byPriority), handshakes };
}

function serverRow(conns: FindingsConnection[], ids: number[], uploads: ReadonlyMap<string, UploadFile>, known: CertLookup): FindingOut {
  const first = conns[0];
  const name = first.validation.checked_name ?? first.client_hello?.sni ?? null;
  let verdict = verdictOf(conns);
  const problems = problemsOf(conns, uploads, known);
  // Handshakes whose certificates the capture cannot show (TLS 1.3) that the log says Traffic Server did
  // not trust: with no certificate checked here that is the verdict; beside handshakes trusted here, the
  // server is mixed (another node or service behind the address, or a certificate changed meanwhile)
  const logged = loggedRefusals(conns, uploads);
  const fromLog = logged.problems.length > 0;
  if (fromLog) {
    const before = verdict;
    if (verdict === 'not_visible' || verdict === 'not_checked') verdict = 'untrusted';
    else if (verdict === 'trusted') verdict = 'mixed';
    // what the visible handshakes already show is not repeated from the log, and comes first when they
    // are untrusted themselves
    const shown = new Set(problems.map((p) => p.code));
    const added = logged.problems.filter((p) => !shown.has(p.code));
    if (before === 'untrusted' || before === 'mixed') problems.push(...added);
    else problems.unshift(...added);
  }
  const code = problems[0]?.code ?? (verdict === 'trusted' ? 'ok' : verdict);
  const hardProblem = problems.some((p) => ERROR_CODES.has(p.code));
  const severity: FindingOut['severity'] =
    verdict === 'untrusted' || verdict === 'mixed' || problems.some((p) => p.code === 'client_cert_rejected')
      ? 'error'
      : hardProblem || problems.length > 0
        ? 'warning'
        : 'info';
  const reasons = problems.map((p) => p.reason);
  const fix = [...new Set(problems.flatMap((p) => p.fix))];
  if (verdict === 'mixed') {
    let ok = 0, visible = 0;
    for (const c of conns) {
      if (!c.certificates_visible) continue;
      visible++;
      if (c.validation.status === 'trusted') ok++;
    }
    reasons.unshift(ok < visible
      ? `${ok} of ${visible} handshakes were trusted: the server presented different certificates (several nodes behind one address, or a service still offering an old certificate)`
      : `the ${visible} handshake${visible === 1 ? '' : 's'} the capture shows ${visible === 1 ? 'was' : 'were'} trusted, but Traffic Server's log reports a certificate it did not trust in ${logged.handshakes} ` +
        `TLS 1.3 handshake${logged.handshakes === 1 ? '' : 's'} the capture cannot show (several nodes behind one address, or a certificate changed meanwhile)`);
  } else if (verdict === 'trusted' && problems.length === 0) {
    const anchor = first.validation.anchor ? first.validation.chain.length : 0;
    reasons.push(`the chain (${anchor} certificate${anchor === 1 ? '' : 's'}) reaches a certificate in the Expressway-C trust store${name ? ` and ${name} is in the certificate` : ''}`);
  } else if (verdict === 'not_visible') {
    reasons.push('the server certificate was not visible: TLS 1.3 encrypts it (or the capture missed it); rely on the Traffic Server log lines');
    fix.push('Check the traffic_server lines "Core server certificate verification failed" and "SNI (...) not in certificate" for this server in the Expressway-C log');
    fix.push(`To see the certificate, run openssl s_client -connect ${first.server.ip}:${first.server.port}${name ? ` -servername ${name}` : ''} -showcerts from a host that reaches the server`);
  } else if (verdict === 'not_checked' && problems.length === 0) {
    reasons.push('no trust store was given (use --truststore or a diagnostic bundle with ca_*.pem), so the chain was not checked');
  }
  if (fromLog) {
    fix.push(`To see the certificate, run openssl s_client -connect ${first.server.ip}:${first.server.port}${name ? ` -servername ${name}` : ''} -showcerts from a host that reaches the server`);
  }
  if ((verdict === 'untrusted' || verdict === 'mixed') && problems.some((p) => ERROR_CODES.has(p.code) && p.code !== 'client_cert_rejected')) fix.push(WORKAROUND);
  const service = serviceForPort(first.server.port);
  const who = `${name ?? first.server.ip}:${first.server.port}${service ? ` (${service})` : ''}`;
  // every certificate presented, in order of first appearance
  const leafSet = new Set<string>();
  for (const list of distinctCertificateLists(conns)) for (const x of list) leafSet.add(x.sha256);
  const leaves = [...leafSet];
  const idSet = uploads.size > 0 ? new Set(ids) : null;
  const toUpload = idSet === null ? [] : [...uploads.values()].filter((u) => u.connections.some((id) => idSet.has(id))).map((u) => u.sha256);
  return {
    server: { ip: first.server.ip, port: first.server.port, name },
    service,
    verdict,
    code,
    severity,
    title: `${who}: ${HEADLINE[code] ?? code}`,
    reason: reasons.join('; '),
    fix,
    connections: ids,
    certificates: [...new Set([...leaves, ...toUpload])],
    log_events: conns.reduce((n, c) => n + c.log_events.length, 0),
  };
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

function ipKey(ip: string | null): string {
  if (ip === null) return '\uffff';
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  return v4 ? `4${v4.slice(1).map((o) => o.padStart(3, '0')).join('.')}` : `6${ip}`;
}

/**
 * Order of the ASCII texts findings are sorted by (IP keys, host names, codes): case-insensitive, then
 * lowercase first, as String#localeCompare orders them, without its cost: the first localeCompare
 * call loads ICU's collator, 14 ms of every run.
 */
export function compareText(a: string, b: string): number {
  const x = a.toLowerCase(), y = b.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a === b ? 0 : a > b ? -1 : 1; // 'a' (0x61) before 'A' (0x41)
}

export function compareFindings(a: FindingOut, b: FindingOut): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    compareText(ipKey(a.server.ip), ipKey(b.server.ip)) ||
    (a.server.port ?? 1e6) - (b.server.port ?? 1e6) ||
    compareText(a.server.name ?? '', b.server.name ?? '') ||
    compareText(a.code, b.code)
  );
}

export function buildFindings(input: FindingsInput): FindingOut[] {
  const ids = input.ids;
  const idOf: IdOf = ids === undefined ? connectionId : (_c, i) => ids[i];
  const uploads = uploadList(input.connections, idOf);
  const bySha = new Map(uploads.map((u) => [u.sha256, u]));
  type Group = { conns: FindingsConnection[]; ids: number[] };
  const groups = new Map<string, Group>();
  // connections share their server object: its groups by name are found without building a key each time
  const byServer = new Map<object, Map<string, Group>>();
  input.connections.forEach((c, i) => {
    const name = c.validation.checked_name ?? c.client_hello?.sni ?? '';
    let named = byServer.get(c.server);
    if (named === undefined) byServer.set(c.server, (named = new Map()));
    let g = named.get(name);
    if (g === undefined) {
      const key = `${c.server.ip}|${c.server.port}|${name}`;
      g = groups.get(key);
      if (g === undefined) groups.set(key, (g = { conns: [], ids: [] }));
      named.set(name, g);
    }
    g.conns.push(c);
    g.ids.push(idOf(c, i));
  });
  // chain members the server did not send (the trust-store anchor): named from the analysed certificates or the store
  let storeBySha: Map<string, ParsedCert> | null = null;
  const known: CertLookup = (sha) => {
    const p = input.certificates.get(sha);
    if (p !== undefined) return p.facts;
    storeBySha ??= new Map((input.store?.certs ?? []).map((c) => [c.sha256, c]));
    return storeBySha.get(sha)?.facts;
  };
  const rows = [...groups.values()].map((g) => serverRow(g.conns, g.ids, bySha, known));
  pushAll(rows, crossServerFindings(input.connections, uploads, input.certificates, input.store, idOf));
  pushAll(rows, logOnlyFindings(input.logEvents ?? [], input.connections));
  return rows.sort(compareFindings);
}
