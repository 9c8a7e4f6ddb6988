/**
 * `--timeline [SERVER]`: per server ip:port, everything that happened in time order: the proxy's
 * request log lines, the TCP/TLS handshake (ClientHello), the certificate and its verdict, alerts,
 * the verification warnings and the response sent to the client. Built from connections[]
 * (start, handshake_time, alerts, log_events) and unmatched_log_events. Optionally filtered by a
 * server name, IP or ip:port. Untrusted text is sanitised; every line fits `width`.
 */
import type { ConnectionOut, LogEventOut, Report } from './model.js';
import { sanitizeInline } from './sanitize.js';
import {
  DISPLAY_LIMITS, moreLine, alertLabels, datesOf, hostPort, keyLabel, makeStyle, shortTime, subjectLabel, type Style, type Tone,
} from './summarize.js';
import { displayWidth, padDisplay, wrapIndented, wrapText } from './text-width.js';
import { pushAll } from '../util/arrays.js';

export interface TimelineOptions {
  width: number;
  color: boolean;
  /** server name, IP, ip:port or name:port ([v6]:port); null/undefined = every server */
  server?: string | null;
}

export type Stage = 'request' | 'handshake' | 'certificate' | 'alert' | 'warning' | 'log' | 'response';

const STAGE_RANK: Readonly<Record<Stage, number>> = { request: 0, handshake: 1, certificate: 2, alert: 3, warning: 3, log: 3, response: 4 };

interface Item {
  time: string | null;
  stage: Stage;
  ref: string;
  text: string;
  tone?: Tone;
}

/** Map a log event kind (e.g. request_sent, verify_failed, Sending Response) to a timeline stage. */
export function stageOfLogKind(kind: string, text = ''): Stage {
  const k = kind.toLowerCase();
  if (k.includes('response')) return 'response';
  if (k.includes('request')) return 'request';
  if (/verify|sni|not_in_cert|mismatch|ssl|fail|error|warn|alert|connect|reject|denied/.test(k)) return 'warning';
  if (/\b(WARNING|ERROR):/.test(text)) return 'warning';
  return 'log';
}

/** A short description of a log line: its Msg="…", else what follows WARNING:/ERROR:, else the line. */
export function logSummary(e: LogEventOut): string {
  const text = e.text.replace(/\s+/g, ' ').trim();
  const msg = /\bMsg="([^"]*)"?/.exec(text);
  const diag = /\b((?:WARNING|ERROR|NOTICE|DEBUG|FATAL):.*)$/.exec(text);
  const body = msg ? msg[1].trim() : diag ? diag[1] : text.replace(/^\S+\s+\S+\s+[^:]+:\s*/, '');
  return `${body}${e.txn_id ? ` (Txn ${e.txn_id})` : ''}`;
}

interface Group {
  ip: string;
  port: number;
  names: Set<string>;
  items: Item[];
}

function connectionItems(c: ConnectionOut, n: string): Item[] {
  const items: Item[] = [];
  const ch = c.client_hello;
  const hello = ch === null ? 'no ClientHello captured'
    : `SNI ${ch.sni === null ? '(none)' : sanitizeInline(ch.sni)}, offers ${ch.versions.map(sanitizeInline).join(', ') || '?'}`;
  items.push({ time: c.start, stage: 'handshake', ref: n, text: `${hostPort(c.client.ip, c.client.port)} → ${hostPort(c.server.ip, c.server.port)}, ${hello}` });
  const sh = c.server_hello === null ? 'no ServerHello' : `${sanitizeInline(c.server_hello.version)} ${sanitizeInline(c.server_hello.cipher_suite?.name ?? 'no cipher suite')}`;
  const v = c.validation;
  const verdict = `${v.status.replace('_', ' ')}${v.errors.length > 0 ? ` (${v.errors.map((e) => e.code).join(', ')})` : ''}`;
  const tone: Tone | undefined = v.status === 'untrusted' ? 'red' : v.status === 'trusted' ? 'green' : 'yellow';
  let cert: string;
  if (!c.certificates_visible) cert = 'certificate not visible';
  else {
    const leaf = c.certificates[0];
    cert = leaf ? `${sanitizeInline(subjectLabel(leaf))} (${[keyLabel(leaf.key), leaf.self_signed ? 'self-signed' : `by ${sanitizeInline(leaf.issuer_cn ?? leaf.issuer)}`].filter(Boolean).join(', ')})` : 'no certificate';
  }
  items.push({ time: c.handshake_time ?? c.start, stage: 'certificate', ref: n, text: `${sh}; ${cert}: ${verdict}`, tone });
  for (const a of alertLabels(c)) items.push({ time: c.handshake_time ?? c.start, stage: 'alert', ref: n, text: sanitizeInline(a), tone: 'red' });
  for (const e of c.log_events) items.push(logItem(e));
  return items;
}

function logItem(e: LogEventOut): Item {
  const stage = stageOfLogKind(e.kind, e.text);
  return { time: e.time, stage, ref: `line ${e.line}`, text: sanitizeInline(logSummary(e)), tone: stage === 'warning' ? 'yellow' : undefined };
}

/** Does `filter` (name, ip, ip:port, name:port, [v6]:port) select this server? */
export function matchesServer(filter: string, ip: string, port: number, names: Iterable<string>): boolean {
  const f = filter.trim().toLowerCase();
  let host = f;
  let wantPort: number | null = null;
  const v6 = /^\[(.+)\]:(\d+)$/.exec(f);
  const hp = /^([^:]+):(\d+)$/.exec(f);
  if (v6) { host = v6[1]; wantPort = Number(v6[2]); } else if (hp) { host = hp[1]; wantPort = Number(hp[2]); }
  if (wantPort !== null && wantPort !== port) return false;
  if (host === ip.toLowerCase()) return true;
  for (const n of names) if (n.toLowerCase() === host) return true;
  return false;
}

function buildGroups(report: Report): Group[] {
  const groups = new Map<string, Group>();
  const groupOf = (ip: string, port: number): Group => {
    const k = `${ip}|${port}`;
    let g = groups.get(k);
    if (!g) { g = { ip, port, names: new Set(), items: [] }; groups.set(k, g); }
    return g;
  };
  for (const f of report.findings) {
    if (f.server.ip !== null && f.server.port !== null && f.server.name) groupOf(f.server.ip, f.server.port).names.add(f.server.name);
  }
  report.connections.forEach((c, i) => {
    const g = groupOf(c.server.ip, c.server.port);
    if (c.client_hello?.sni) g.names.add(c.client_hello.sni);
    if (c.validation.checked_name) g.names.add(c.validation.checked_name);
    pushAll(g.items, connectionItems(c, `conn ${c.id ?? i + 1}`));
  });
  for (const g of groups.values()) g.names.delete(g.ip);
  return [...groups.values()].filter((g) => g.items.length > 0);
}

function sortItems(items: Item[]): Item[] {
  return items.map((it, i) => ({ it, i })).sort((a, b) => {
    const ta = a.it.time;
    const tb = b.it.time;
    if (ta !== tb) {
      if (ta === null) return 1;
      if (tb === null) return -1;
      return ta < tb ? -1 : 1;
    }
    return STAGE_RANK[a.it.stage] - STAGE_RANK[b.it.stage] || a.i - b.i;
  }).map((x) => x.it);
}

function renderItems(items: Item[], oneDay: boolean, refW: number, width: number, style: Style): string[] {
  const out: string[] = [];
  const timeW = oneDay ? 12 : 23;
  const head = timeW + 2 + 11 + 2 + refW + 2;
  for (const it of items) {
    const prefix = `${padDisplay(shortTime(it.time, oneDay), timeW)}  ${padDisplay(it.stage, 11)}  ${padDisplay(it.ref, refW)}  `;
    if (width - head >= 24) {
      const lines = wrapIndented(it.text, width, prefix, ' '.repeat(head));
      pushAll(out, lines.map((l, k) => (k === 0 ? style.paint(l.slice(0, head), it.tone) + l.slice(head) : l)));
    } else {
      pushAll(out, wrapText(prefix.trimEnd(), width).map((l) => style.paint(l, it.tone)));
      pushAll(out, wrapIndented(it.text, width, '  ', '  '));
    }
  }
  return out;
}

export function renderTimeline(report: Report, opts: TimelineOptions): string {
  const width = Math.max(20, Math.floor(opts.width));
  const style = makeStyle(opts.color);
  const filter = opts.server?.trim() || null;
  let groups = buildGroups(report);
  const unmatched: Item[] = [];
  // unmatched events carry at most a server name (no port): they get their own section
  for (const e of report.unmatched_log_events ?? []) {
    if (filter === null || (e.server && matchesServer(filter.replace(/:\d+$/, ''), e.server, -1, []))) unmatched.push(logItem(e));
  }
  if (filter !== null) groups = groups.filter((g) => matchesServer(filter, g.ip, g.port, g.names));
  const all = [...groups.flatMap((g) => g.items), ...unmatched];
  const days = datesOf(all.map((i) => i.time));
  const oneDay = days.length <= 1;
  let refW = 7; // a loop, not Math.max(...all): a log can hold a million events (call stack)
  for (const i of all) refW = Math.max(refW, displayWidth(i.ref));
  const out: string[] = wrapText(`Timeline (times UTC${days.length === 1 ? `, ${days[0]}` : ''})${filter ? ` for ${sanitizeInline(filter)}` : ''}`, width).map((l) => style.paint(l, 'bold'));
  if (groups.length === 0 && unmatched.length === 0) {
    pushAll(out, ['', ...wrapText(filter ? `No connection or log event matches ${sanitizeInline(filter)}.` : 'No connections or log events.', width)]);
  }
  // at most DISPLAY_LIMITS.timelineItems events, server by server; the rest is counted
  let budget = DISPLAY_LIMITS.timelineItems;
  let left = 0;
  for (const g of groups) {
    if (budget <= 0) { left += g.items.length; continue; }
    const names = [...g.names].map(sanitizeInline).join(', ');
    pushAll(out, ['', ...wrapText(`── ${hostPort(g.ip, g.port)}${names ? ` ${names}` : ''}`, width).map((l) => style.paint(l, 'bold'))]);
    const items = sortItems(g.items);
    pushAll(out, renderItems(items.slice(0, budget), oneDay, refW, width, style));
    left += Math.max(0, items.length - budget);
    budget -= items.length;
  }
  if (unmatched.length > 0 && budget > 0) {
    pushAll(out, ['', ...wrapText('── Log events not matched to a connection', width).map((l) => style.paint(l, 'bold'))]);
    pushAll(out, renderItems(sortItems(unmatched).slice(0, budget), oneDay, refW, width, style));
  }
  left += Math.max(0, unmatched.length - Math.max(0, budget));
  if (left > 0) pushAll(out, ['', ...wrapText(moreLine(left, 'events', `the timeline shows the first ${DISPLAY_LIMITS.timelineItems}; narrow it with --timeline=SERVER[:PORT]`), width)]);
  return `${out.join('\n')}\n`;
}

