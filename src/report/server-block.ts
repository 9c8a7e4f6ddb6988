/**
 * The terminal block for one finding (one server:port and name): verdict, the name checked, the
 * reasons and validation errors, the presented chain(s) as a tree (key, validity, SANs per
 * certificate, the trust-store anchor or the missing issuer), alerts, notes, the fix and the
 * attached log lines. Every untrusted string is sanitised; every line fits `width`.
 */
import type { CertificateOut, ConnectionOut, FindingOut, Report } from './model.js';
import { sanitizeBlock, sanitizeInline } from './sanitize.js';
import {
  alertLabels, datesOf, day, nameSourceLabel, distinctChains, findingConnections, findingLogEvents, keyLabel, plural, shortHash,
  shortTime, subjectLabel, truststoreEntry, VERDICT_LABEL, verdictTone, type Style,
} from './summarize.js';
import { wrapIndented } from './text-width.js';
import { pushAll } from '../util/arrays.js';

/** Log lines shown per server in the terminal (all of them go to Markdown and --timeline). */
export const MAX_TERMINAL_LOG_LINES = 10;

const LABEL_W = 9;

function field(label: string, value: string, width: number): string[] {
  const first = `${label.padEnd(LABEL_W)} `;
  return wrapIndented(value, width, first, ' '.repeat(LABEL_W + 1));
}

function certDetails(cert: CertificateOut, showIssuer: boolean): string[] {
  const d: string[] = [];
  d.push(`subject  ${sanitizeInline(cert.subject) || '(empty)'}`);
  if (showIssuer) d.push(`issuer   ${sanitizeInline(cert.issuer) || '(empty)'}`);
  d.push(`key      ${[keyLabel(cert.key), sanitizeInline(cert.signature_algorithm)].filter((x) => x !== '').join(' · ')}`);
  d.push(`valid    ${day(cert.not_before)} to ${day(cert.not_after)}`);
  const san: string[] = [];
  if (cert.san.dns.length > 0) san.push(`DNS ${cert.san.dns.map(sanitizeInline).join(', ')}`);
  if (cert.san.ip.length > 0) san.push(`IP ${cert.san.ip.map(sanitizeInline).join(', ')}`);
  d.push(`SAN      ${san.length > 0 ? san.join('; ') : '(none)'}`);
  d.push(`sha256   ${shortHash(cert.sha256, 16)}…`);
  if (!cert.complete) d.push(`bytes    incomplete: captured ${cert.captured_length ?? '?'} of ${cert.der_length ?? '?'}`);
  return d;
}

function certTitle(cert: CertificateOut, depth: number, anchor: string | null): string {
  const flags: string[] = [depth === 0 ? 'leaf' : cert.ca ? 'CA' : 'not a CA'];
  if (cert.self_signed) flags.push('self-signed');
  if (anchor === cert.sha256) flags.push('trust anchor');
  if (!cert.complete) flags.push('incomplete');
  return `${sanitizeInline(subjectLabel(cert)) || '(no subject)'}  [${flags.join(', ')}]`;
}

/** The chain of one connection as a tree, leaf first. */
export function chainTree(report: Report, c: ConnectionOut, width: number, style: Style): string[] {
  const out: string[] = [];
  const nodes: { title: string; details: string[]; tone?: 'red' | 'green' }[] = [];
  const anchor = c.validation.anchor;
  c.certificates.forEach((cert, i) => {
    const top = i === c.certificates.length - 1;
    nodes.push({ title: certTitle(cert, i, anchor), details: certDetails(cert, top && !cert.self_signed) });
  });
  const presented = new Set(c.certificates.map((x) => x.sha256));
  if (anchor !== null && !presented.has(anchor)) {
    const t = truststoreEntry(report, anchor);
    nodes.push({
      title: `${sanitizeInline(t?.subject_cn ?? t?.subject ?? shortHash(anchor))}  [trust store anchor, not sent]`,
      details: [`subject  ${sanitizeInline(t?.subject ?? '?')}`, `expires  ${day(t?.not_after)}`, `sha256   ${shortHash(anchor, 16)}…`],
      tone: 'green',
    });
  } else if (anchor === null && c.certificates.length > 0) {
    const top = c.certificates[c.certificates.length - 1];
    if (!top.self_signed && c.validation.errors.some((e) => e.code === 'unknown_issuer')) {
      nodes.push({ title: `${sanitizeInline(top.issuer_cn ?? top.issuer)}  [issuer not sent and not in the trust store]`, details: [], tone: 'red' });
    }
  }
  nodes.forEach((n, d) => {
    const col = 2 + 3 * d;
    const nodePrefix = d === 0 ? '  ' : `${' '.repeat(col - 3)}└─ `;
    const hasChild = d < nodes.length - 1;
    const detailPrefix = `${' '.repeat(col)}${hasChild ? '│ ' : '  '}`;
    pushAll(out, wrapIndented(n.title, width, nodePrefix, detailPrefix).map((l, k) => (k === 0 && n.tone ? l.slice(0, nodePrefix.length) + style.paint(l.slice(nodePrefix.length), n.tone) : l)));
    for (const det of n.details) pushAll(out, wrapIndented(det, width, detailPrefix, `${detailPrefix}         `));
  });
  return out;
}

function distinct(xs: string[]): string[] {
  return [...new Set(xs)];
}

export function serverBlock(report: Report, f: FindingOut, width: number, style: Style): string[] {
  const out: string[] = [];
  const conns = findingConnections(report, f);
  const verdict = style.paint(VERDICT_LABEL[f.verdict], verdictTone(f.verdict));
  pushAll(out, field('Verdict', `${VERDICT_LABEL[f.verdict]}: ${sanitizeInline(f.title)}`, width).map((l, i) => (i === 0 ? l.replace(VERDICT_LABEL[f.verdict], verdict) : l)));
  const checked = distinct(conns.map((c) => {
    const v = c.validation;
    if (v.checked_name === null) return '';
    const src = nameSourceLabel(v.checked_name_source);
    return `${sanitizeInline(v.checked_name)}${src ? ` (from ${src})` : ''}`;
  }).filter((x) => x !== ''));
  if (checked.length > 0) pushAll(out, field('Checked', checked.join(', '), width));
  if (f.reason) pushAll(out, field('Reason', sanitizeInline(f.reason), width));
  const errors = distinct(conns.flatMap((c) => c.validation.errors.map((e) => {
    const depth = e.depth === null ? '' : ` at depth ${e.depth}`;
    const o3 = e.message_openssl3 && e.message_openssl3 !== e.message ? ` (OpenSSL 3: ${e.message_openssl3})` : '';
    return `${e.code}${depth}: ${sanitizeInline(e.message)}${o3}`;
  })));
  errors.forEach((e, i) => pushAll(out, field(i === 0 ? 'Errors' : '', e, width)));
  for (const { conn, count } of distinctChains(conns)) {
    const n = conn.certificates.length;
    const seen = `seen on ${plural(count, 'connection')}`;
    if (!conn.certificates_visible) {
      pushAll(out, field('Chain', `not visible (${conn.server_hello?.version ?? 'no Certificate captured'}), ${seen}`, width));
      continue;
    }
    pushAll(out, field('Chain', `${plural(n, 'certificate')} presented, ${seen}`, width));
    pushAll(out, chainTree(report, conn, width, style));
  }
  const alerts = distinct(conns.flatMap(alertLabels).map(sanitizeInline));
  if (alerts.length > 0) pushAll(out, field('Alerts', alerts.join(', '), width));
  if (conns.some((c) => c.client_certificate_requested)) {
    const cas = [...new Set(conns.flatMap((c) => c.certificate_request?.ca_names ?? []))];
    const from = cas.length > 0 ? `, issued by one of: ${cas.slice(0, 5).map(sanitizeInline).join('; ')}${cas.length > 5 ? ` (+${cas.length - 5} more)` : ''}` : '';
    pushAll(out, field('Client', `the server requested a client certificate (mutual TLS)${from}`, width));
  }
  const notes = distinct(conns.flatMap((c) => c.notes).map(sanitizeInline));
  notes.forEach((n, i) => pushAll(out, field(i === 0 ? 'Notes' : '', n, width)));
  if (f.fix.length > 0) {
    out.push('Fix:');
    f.fix.forEach((x, i) => pushAll(out, wrapIndented(sanitizeInline(x), width, `  ${i + 1}. `, '     ')));
  }
  const events = findingLogEvents(conns);
  if (events.length > 0) {
    const oneDay = datesOf(events.map((e) => e.time)).length <= 1;
    const files = distinct(events.map((e) => e.file));
    const from = files.length === 1 ? ` from ${sanitizeInline(files[0])}` : '';
    pushAll(out, wrapIndented(`Log lines (${events.length})${from}:`, width, '', '  '));
    for (const e of events.slice(0, MAX_TERMINAL_LOG_LINES)) {
      const where = files.length === 1 ? `line ${e.line}` : `${sanitizeInline(e.file)}:${e.line}`;
      pushAll(out, wrapIndented(`${shortTime(e.time, oneDay)}  ${where}  ${sanitizeInline(e.kind)}`, width, '  ', '    '));
      for (const l of sanitizeBlock(e.text)) pushAll(out, wrapIndented(l, width, '    ', '      '));
    }
    if (events.length > MAX_TERMINAL_LOG_LINES) out.push(`  … ${events.length - MAX_TERMINAL_LOG_LINES} more (--timeline or --markdown shows all)`);
  }
  return out;
}
