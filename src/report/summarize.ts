/**
 * Facts shared by the renderers (terminal table, Markdown, timeline): service names by port, key
 * labels, verdict labels, lookups from findings to connections and certificates, and compact
 * time formatting. Pure functions over the Report; nothing here sanitises (renderers do).
 */
import type { CertificateOut, ConnectionOut, FindingOut, LogEventOut, Report } from './model.js';

/**
 * How much the human outputs (terminal table, Markdown, timeline) show of a very large report: a capture of
 * a scan or a whole day of traffic can hold hundreds of thousands of servers or connections, which as text
 * took minutes and gigabytes. Findings come worst verdict first, so what is cut is the tail; every cut says
 * how much is left out and where to see it all (`--json` lists everything, `--timeline=SERVER` narrows).
 */
export const DISPLAY_LIMITS = Object.freeze({
  /** rows of the findings table (one per server) */
  serverRows: 1000,
  /** servers given a detailed section */
  serverSections: 200,
  /** rows of the connections table */
  connectionRows: 2000,
  /** events on the timeline */
  timelineItems: 20_000,
});

/** `… 123 more servers (--json lists every one)` */
export function moreLine(n: number, what: string, where = '--json lists every one'): string {
  return `… ${n} more ${what} (${where})`;
}

/** Port hints for the servers Expressway-C talks to (expressway-reference.md §4.1); hints only. */
const SERVICES: Readonly<Record<number, string>> = {
  443: 'HTTPS (Unity/UDS)',
  5061: 'SIP TLS',
  5091: 'SIP TLS (OAuth)',
  6971: 'TFTP over HTTPS (headset)',
  6972: 'TFTP over HTTPS',
  7336: 'IM&P file transfer',
  7400: 'XCP (IM&P)',
  7443: 'Unity MWI TLS',
  8443: 'UDS/tomcat',
};

export function serviceForPort(port: number | null | undefined): string | null {
  return port === null || port === undefined ? null : (SERVICES[port] ?? null);
}

export function findingService(f: FindingOut): string {
  return f.service ?? serviceForPort(f.server.port) ?? '';
}

/** `RSA-2048`, `ECDSA P-256`, `Ed25519`, `unknown`. */
export function keyLabel(key: CertificateOut['key'] | null | undefined): string {
  if (!key) return '';
  if (key.type === 'ECDSA') return key.curve ? `ECDSA ${key.curve}` : key.bits ? `ECDSA-${key.bits}` : 'ECDSA';
  if (key.type === 'RSA' || key.type === 'DSA' || key.type === 'RSA-PSS') return key.bits ? `${key.type}-${key.bits}` : key.type;
  return key.type;
}

export type Verdict = FindingOut['verdict'];

export const VERDICT_LABEL: Readonly<Record<Verdict, string>> = {
  trusted: 'TRUSTED',
  untrusted: 'UNTRUSTED',
  mixed: 'MIXED',
  not_visible: 'NOT VISIBLE',
  not_checked: 'NOT CHECKED',
  info: 'INFO',
};

/** Verdicts that make `--fail-on-untrusted` fail. */
export function isFailingVerdict(v: Verdict): boolean {
  return v === 'untrusted' || v === 'mixed';
}

/** Diagnostics severities that make `--strict` fail. */
export const STRICT_SEVERITIES: ReadonlySet<string> = new Set(['anomaly', 'abandoned', 'limit', 'internal']);

export function strictProblems(report: Pick<Report, 'diagnostics'>): number {
  let n = 0;
  for (const d of report.diagnostics ?? []) if (STRICT_SEVERITIES.has(d.severity) && d.count > 0) n += d.count;
  return n;
}

/** Where validation.checked_name came from, in words. */
export function nameSourceLabel(src: string | null | undefined): string | null {
  if (src === null || src === undefined) return null;
  return ({ option: '--name', sni: 'SNI', log: 'log', ip: 'server IP' } as Record<string, string>)[src] ?? src;
}

/** `name (ip)`, `ip` or `name`. */
export function serverLabel(s: FindingOut['server']): string {
  if (s.name && s.ip && s.name !== s.ip) return `${s.name} (${s.ip})`;
  return s.name ?? s.ip ?? '?';
}

/** `ip:port` with IPv6 in brackets. */
export function hostPort(ip: string | null, port: number | null): string {
  const h = ip === null ? '?' : ip.includes(':') ? `[${ip}]` : ip;
  return port === null ? h : `${h}:${port}`;
}

/*
 * Lookups built once per connection list (the report is read-only) and reused by every finding: built per
 * finding they made a report of 20,000 servers take minutes (findings × connections).
 */
const connectionIndexes = new WeakMap<readonly ConnectionOut[], Map<number, ConnectionOut>>();
const certificateIndexes = new WeakMap<readonly ConnectionOut[], Map<string, CertificateOut>>();

function connectionIndex(conns: readonly ConnectionOut[]): Map<number, ConnectionOut> {
  let byId = connectionIndexes.get(conns);
  if (byId === undefined) {
    byId = new Map<number, ConnectionOut>();
    const haveIds = conns.some((c) => c.id !== undefined);
    for (let i = 0; i < conns.length; i++) {
      const id = haveIds ? (conns[i].id ?? -1) : i;
      byId.set(id, conns[i]); // a repeated id: the last one, as before
    }
    connectionIndexes.set(conns, byId);
  }
  return byId;
}

/** Connections of a finding: `finding.connections` holds connection ids (`ConnectionOut.id`), else indexes. */
export function findingConnections(report: Report, f: FindingOut): ConnectionOut[] {
  const byId = connectionIndex(report.connections);
  const out: ConnectionOut[] = [];
  for (const id of f.connections) {
    const c = byId.get(id);
    if (c !== undefined) out.push(c);
  }
  return out;
}

/** Every distinct certificate in the report (server and client chains), first appearance first. */
export function certificateIndex(report: Report): Map<string, CertificateOut> {
  let m = certificateIndexes.get(report.connections);
  if (m === undefined) {
    m = new Map<string, CertificateOut>();
    for (const c of report.connections) {
      for (const cert of c.certificates) if (!m.has(cert.sha256)) m.set(cert.sha256, cert);
      for (const cert of c.client_certificates) if (!m.has(cert.sha256)) m.set(cert.sha256, cert);
    }
    certificateIndexes.set(report.connections, m);
  }
  return m;
}

/** The leaf the finding is about: first connection with visible certificates. */
export function findingLeaf(report: Report, f: FindingOut): CertificateOut | null {
  for (const c of findingConnections(report, f)) if (c.certificates.length > 0) return c.certificates[0];
  const idx = certificateIndex(report);
  for (const sha of f.certificates) {
    const cert = idx.get(sha);
    if (cert !== undefined) return cert;
  }
  return null;
}

/** Distinct presented chains among connections (by the sha256 sequence), with the connections showing each. */
export function distinctChains(conns: ConnectionOut[]): { conn: ConnectionOut; count: number }[] {
  const m = new Map<string, { conn: ConnectionOut; count: number }>();
  for (const c of conns) {
    const key = c.certificates_visible ? c.certificates.map((x) => x.sha256).join('>') : '(not visible)';
    const e = m.get(key);
    if (e) e.count++;
    else m.set(key, { conn: c, count: 1 });
  }
  return [...m.values()];
}

/** Log events attached to connections, deduplicated by file:line, in time order (nulls last, stable). */
export function findingLogEvents(conns: ConnectionOut[]): LogEventOut[] {
  const seen = new Set<string>();
  const out: LogEventOut[] = [];
  for (const c of conns) {
    for (const e of c.log_events) {
      const k = `${e.file}\u0000${e.line}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(e);
    }
  }
  return sortByTime(out, (e) => e.time);
}

export function sortByTime<T>(items: T[], time: (t: T) => string | null): T[] {
  return items
    .map((t, i) => ({ t, i, k: time(t) }))
    .sort((a, b) => {
      if (a.k === b.k) return a.i - b.i;
      if (a.k === null) return 1;
      if (b.k === null) return -1;
      return a.k < b.k ? -1 : 1;
    })
    .map((x) => x.t);
}

/** `2022-07-11` of an ISO time, or null. */
export function isoDate(iso: string | null | undefined): string | null {
  return iso ? iso.slice(0, 10) : null;
}

/** The dates spanned by a list of ISO times (sorted, distinct). */
export function datesOf(times: (string | null | undefined)[]): string[] {
  return [...new Set(times.map(isoDate).filter((d): d is string => d !== null))].sort();
}

/** `16:55:26.016` when `oneDay`, else `2022-07-11 16:55:26.016`; `-` for null. */
export function shortTime(iso: string | null | undefined, oneDay: boolean): string {
  if (!iso) return '-';
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d(?:\.\d+)?)Z$/.exec(iso);
  if (!m) return iso;
  return oneDay ? m[2] : `${m[1]} ${m[2]}`;
}

/** `2022-01-10` from an ISO time. */
export function day(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '?';
}

export function shortHash(sha: string, n = 12): string {
  return sha.slice(0, n);
}

/** `3 untrusted · 1 trusted` in a fixed verdict order. */
export function verdictCounts(findings: FindingOut[]): { verdict: Verdict; count: number }[] {
  const order: Verdict[] = ['untrusted', 'mixed', 'not_visible', 'not_checked', 'trusted', 'info'];
  return order
    .map((v) => ({ verdict: v, count: findings.filter((f) => f.verdict === v).length }))
    .filter((x) => x.count > 0);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `client fatal unknown_ca` for each alert. */
export function alertLabels(c: ConnectionOut): string[] {
  return c.alerts.map((a) => `${a.from} ${a.level} ${a.description}`);
}

/** The issuer's CN of the leaf, or the issuer DN when it has no CN. */
export function issuerLabel(cert: CertificateOut | null): string {
  if (!cert) return '';
  return cert.issuer_cn ?? cert.issuer;
}

export function subjectLabel(cert: CertificateOut | null): string {
  if (!cert) return '';
  return cert.subject_cn ?? cert.subject;
}

/** Trust-store entry for a sha256 (the anchor), if any. */
export function truststoreEntry(report: Report, sha: string | null): NonNullable<Report['truststore']>['certificates'][number] | null {
  if (sha === null || report.truststore === null) return null;
  return report.truststore.certificates.find((c) => c.sha256 === sha) ?? null;
}

/** Total log lines attached to findings (the evidence count shown in the findings table). */
export function totalEvidence(report: Report): number {
  return report.findings.reduce((n, f) => n + f.log_events, 0);
}

/** Terminal colours: SGR sequences (ECMA-48 §8.3.117) applied only when enabled (TTY, no NO_COLOR). */
export type Tone = 'red' | 'green' | 'yellow' | 'cyan' | 'bold' | 'dim';

const SGR_CODES: Readonly<Record<Tone, readonly [number, number]>> = {
  red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39], bold: [1, 22], dim: [2, 22],
};

export interface Style {
  readonly enabled: boolean;
  paint(s: string, tone: Tone | undefined): string;
}

export function makeStyle(enabled: boolean): Style {
  return {
    enabled,
    paint: (s, tone) => {
      if (!enabled || tone === undefined || s === '') return s;
      const [on, off] = SGR_CODES[tone];
      return `\x1b[${on}m${s}\x1b[${off}m`;
    },
  };
}

export function verdictTone(v: Verdict): Tone | undefined {
  if (v === 'untrusted') return 'red';
  if (v === 'trusted') return 'green';
  if (v === 'mixed' || v === 'not_visible') return 'yellow';
  return undefined;
}
