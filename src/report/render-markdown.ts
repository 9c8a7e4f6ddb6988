/**
 * `--markdown [FILE]` / `--format markdown`: one self-contained CommonMark + GFM document to paste
 * into a support case: summary and inputs (with SHA-256), findings table (one row per finding), a
 * section per server (verdict, reasons, fix, chain, PEMs in <details> blocks, log excerpt in fenced
 * code), connections, trust store, capture summary and anomalies.
 * Every untrusted string goes through sanitize.ts (mdInline / htmlText / mdCodeBlock), so names and
 * log lines can neither inject Markdown structure or HTML nor carry terminal escapes.
 */
import type { CertificateOut, ConnectionOut, FindingOut, Report } from './model.js';
import type { RedactionSummary } from './redact.js';
import { htmlText, mdCodeBlock, mdInline } from './sanitize.js';
import {
  DISPLAY_LIMITS, moreLine, alertLabels, day, distinctChains, findingConnections, findingLeaf, findingLogEvents, findingService, hostPort, issuerLabel,
  keyLabel, nameSourceLabel, plural, subjectLabel, truststoreEntry, VERDICT_LABEL, verdictCounts,
} from './summarize.js';
import { pushAll } from '../util/arrays.js';

export interface MarkdownOptions {
  /** set when the report was redacted (--redact / --redact-ips): stated in the summary */
  redaction?: RedactionSummary | null;
}

const m = mdInline;

function table(headers: string[], rows: string[][], align?: ('l' | 'r')[]): string[] {
  const sep = headers.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  const line = (cells: string[]): string => `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
  return [line(headers), line(sep), ...rows.map(line)];
}

/** Several values in one table cell. */
const br = (xs: string[]): string => xs.filter((x) => x !== '').join('<br>');

function serverTitle(f: FindingOut): string {
  const name = f.server.name !== null && f.server.name !== f.server.ip ? ` ${m(f.server.name)}` : '';
  return `${m(hostPort(f.server.ip, f.server.port))}${name}`;
}

function summary(report: Report, opts: MarkdownOptions): string[] {
  const out = ['# tls-extract report', ''];
  out.push(`tls-extract ${m(report.version)} (report schema ${report.schema_version}). All times are UTC.`, '');
  const counts = verdictCounts(report.findings).map((c) => `${c.count} ${VERDICT_LABEL[c.verdict].toLowerCase()}`);
  out.push(`**Verdict: ${counts.length > 0 ? counts.join(', ') : 'no TLS handshakes found'}** (${plural(report.findings.length, 'server')}, ${plural(report.connections.length, 'TLS connection')}).`, '');
  const listed = report.findings.slice(0, DISPLAY_LIMITS.serverSections);
  for (const f of listed) {
    out.push(`- **${serverTitle(f)}** (${m(findingService(f)) || 'unknown service'}): **${VERDICT_LABEL[f.verdict].toLowerCase()}**: ${m(f.title)}`);
  }
  if (report.findings.length > listed.length) out.push(`- ${m(moreLine(report.findings.length - listed.length, 'servers'))}`);
  if (report.findings.length > 0) out.push('');
  const r = opts.redaction;
  if (r) {
    const parts = [`${plural(r.users, 'user name')} and ${plural(r.ips, 'IP address', 'IP addresses')} replaced by pseudonyms`];
    if (r.pem_removed) parts.push('PEM certificates omitted (they contain the original addresses)');
    out.push(`> Redacted: ${parts.join('; ')}.`, '');
  }
  out.push('## Inputs', '');
  const rows: string[][] = (report.inputs ?? []).map((i) => [m(i.path), m(i.kind), i.sha256 ? `\`${i.sha256}\`` : '-']);
  for (const c of report.captures) if (c.sha256 && !(report.inputs ?? []).some((i) => i.path === c.path)) rows.push([m(c.path), 'capture', `\`${c.sha256}\``]);
  if (rows.length > 0) pushAll(out, table(['Input', 'Kind', 'SHA-256'], rows)).push('');
  else out.push('No inputs recorded.', '');
  return out;
}

function findingsTable(report: Report): string[] {
  const out = ['## Findings', ''];
  if (report.findings.length === 0) return [...out, 'No servers found.', ''];
  const rows = report.findings.slice(0, DISPLAY_LIMITS.serverRows).map((f) => {
    const leaf = findingLeaf(report, f);
    return [br([m(f.server.name !== f.server.ip ? f.server.name ?? '' : ''), m(f.server.ip ?? '')]), f.server.port === null ? '' : String(f.server.port),
      m(findingService(f)), m(keyLabel(leaf?.key)), m(subjectLabel(leaf)), m(issuerLabel(leaf)), `**${VERDICT_LABEL[f.verdict].toLowerCase()}**`, String(f.log_events)];
  });
  const more = report.findings.length - rows.length;
  return [...out, ...table(['Server', 'Port', 'Service', 'Key', 'Leaf CN', 'Issuer', 'Verdict', 'Log lines'], rows, ['l', 'r', 'l', 'l', 'l', 'l', 'l', 'r']), '',
    ...(more > 0 ? [m(moreLine(more, 'servers')), ''] : [])];
}

function certItem(cert: CertificateOut, depth: number, anchor: string | null, n: number): string[] {
  const flags = [depth === 0 ? 'leaf' : cert.ca ? 'CA' : 'not a CA'];
  if (cert.self_signed) flags.push('self-signed');
  if (anchor === cert.sha256) flags.push('trust anchor');
  if (!cert.complete) flags.push(`incomplete: captured ${cert.captured_length ?? '?'} of ${cert.der_length ?? '?'} bytes`);
  const san = [cert.san.dns.length > 0 ? `DNS ${cert.san.dns.map(m).join(', ')}` : '', cert.san.ip.length > 0 ? `IP ${cert.san.ip.map(m).join(', ')}` : ''].filter(Boolean);
  return [
    `${n}. **${m(subjectLabel(cert)) || '(no subject)'}** (${flags.join(', ')})`,
    `   - Subject: ${m(cert.subject) || '(empty)'}`,
    `   - Issuer: ${m(cert.issuer) || '(empty)'}`,
    `   - Key: ${[m(keyLabel(cert.key)), m(cert.signature_algorithm)].filter(Boolean).join(', ')}`,
    `   - Valid: ${day(cert.not_before)} to ${day(cert.not_after)}`,
    `   - SAN: ${san.length > 0 ? san.join('; ') : '(none)'}`,
    `   - Serial: \`${cert.serial || '-'}\`, SHA-256: \`${cert.sha256}\``,
  ];
}

function pemBlock(cert: CertificateOut): string[] {
  if (cert.pem === null) return [];
  return ['<details>', `<summary>PEM: ${htmlText(subjectLabel(cert))} (${cert.sha256.slice(0, 16)})</summary>`, '',
    mdCodeBlock(cert.pem.trimEnd().split('\n')), '', '</details>', ''];
}

function chainSection(report: Report, conn: ConnectionOut, count: number): string[] {
  const seen = `seen on ${plural(count, 'connection')}`;
  if (!conn.certificates_visible) return [`### Chain: not visible (${m(conn.server_hello?.version ?? 'no Certificate captured')}), ${seen}`, ''];
  const out = [`### Chain: ${plural(conn.certificates.length, 'certificate')} presented, ${seen}`, ''];
  const anchor = conn.validation.anchor;
  conn.certificates.forEach((c, i) => pushAll(out, certItem(c, i, anchor, i + 1)));
  const presented = new Set(conn.certificates.map((c) => c.sha256));
  if (anchor !== null && !presented.has(anchor)) {
    const t = truststoreEntry(report, anchor);
    out.push(`${conn.certificates.length + 1}. **${m(t?.subject_cn ?? t?.subject ?? anchor)}** (trust store anchor, not sent): ${m(t?.subject ?? '')}, SHA-256 \`${anchor}\``);
  } else if (anchor === null && conn.validation.errors.some((e) => e.code === 'unknown_issuer')) {
    const top = conn.certificates[conn.certificates.length - 1];
    if (top) out.push(`${conn.certificates.length + 1}. **${m(issuerLabel(top))}**: issuer not sent and not in the trust store`);
  }
  out.push('');
  for (const c of conn.certificates) pushAll(out, pemBlock(c));
  return out;
}

function serverSection(report: Report, f: FindingOut): string[] {
  const conns = findingConnections(report, f);
  const out = [`## ${serverTitle(f)}: ${VERDICT_LABEL[f.verdict].toLowerCase()}`, ''];
  out.push(`**Verdict:** ${VERDICT_LABEL[f.verdict].toLowerCase()}: ${m(f.title)}`, '');
  if (findingService(f)) out.push(`**Service:** ${m(findingService(f))}`, '');
  const checked = [...new Set(conns.map((c) => c.validation.checked_name === null ? '' : `${m(c.validation.checked_name)}${nameSourceLabel(c.validation.checked_name_source) ? ` (from ${nameSourceLabel(c.validation.checked_name_source)})` : ''}`).filter(Boolean))];
  if (checked.length > 0) out.push(`**Name checked:** ${checked.join(', ')}`, '');
  if (f.reason) out.push(`**Reason:** ${m(f.reason)}`, '');
  const errors = [...new Set(conns.flatMap((c) => c.validation.errors.map((e) =>
    `- \`${e.code}\`${e.depth === null ? '' : ` at depth ${e.depth}`}: ${m(e.message)}${e.message_openssl3 && e.message_openssl3 !== e.message ? ` (OpenSSL 3: ${m(e.message_openssl3)})` : ''}${e.detail ? `. ${m(e.detail)}` : ''}`)))];
  if (errors.length > 0) out.push('**Errors:**', '', ...errors, '');
  const alerts = [...new Set(conns.flatMap(alertLabels))];
  if (alerts.length > 0) out.push(`**Alerts:** ${alerts.map(m).join(', ')}`, '');
  const notes = [...new Set(conns.flatMap((c) => c.notes))];
  if (notes.length > 0) out.push('**Notes:**', '', ...notes.map((n) => `- ${m(n)}`), '');
  if (f.fix.length > 0) out.push('**Fix:**', '', ...f.fix.map((x, i) => `${i + 1}. ${m(x)}`), '');
  for (const { conn, count } of distinctChains(conns)) pushAll(out, chainSection(report, conn, count));
  const events = findingLogEvents(conns);
  if (events.length > 0) {
    const files = [...new Set(events.map((e) => e.file))];
    const where = files.map((file) => `${m(file)} line${events.filter((e) => e.file === file).length > 1 ? 's' : ''} ${events.filter((e) => e.file === file).map((e) => e.line).join(', ')}`);
    out.push(`### Log excerpt (${plural(events.length, 'line')})`, '', `From ${where.join('; ')}:`, '');
    out.push(mdCodeBlock(events.flatMap((e) => e.text.split(/\r?\n/))), '');
  }
  return out;
}

function connectionsTable(report: Report): string[] {
  const out = ['## Connections', ''];
  if (report.connections.length === 0) return [...out, 'No TLS connections.', ''];
  const rows = report.connections.slice(0, DISPLAY_LIMITS.connectionRows).map((c) => {
    const leaf = c.certificates[0] ?? null;
    return [c.handshake_time ?? c.start, `${m(hostPort(c.client.ip, c.client.port))} → ${m(hostPort(c.server.ip, c.server.port))}`,
      m(c.client_hello?.sni ?? '-'), m(c.server_hello?.version ?? '-'), m(c.server_hello?.cipher_suite?.name ?? '-'),
      c.certificates_visible ? m(subjectLabel(leaf)) : 'not visible', m(keyLabel(leaf?.key)), m(leaf?.issuer_cn ?? ''),
      leaf === null ? '' : leaf.self_signed ? 'yes' : 'no', c.certificates_visible ? String(c.certificates.length) : '-',
      br(alertLabels(c).map(m)), c.validation.status.replace('_', ' ')];
  });
  return [...out, ...table(['Time', 'Client → server', 'SNI', 'Version', 'Cipher', 'Leaf CN', 'Key', 'Issuer CN', 'Self-signed', 'Chain', 'Alerts', 'Validation'], rows,
    ['l', 'l', 'l', 'l', 'l', 'l', 'l', 'l', 'l', 'r', 'l', 'l']), '',
    ...(report.connections.length > rows.length ? [m(moreLine(report.connections.length - rows.length, 'connections')), ''] : [])];
}

function truststoreSection(report: Report): string[] {
  const out = ['## Trust store', ''];
  const ts = report.truststore;
  if (ts === null) return [...out, 'No trust store given: chains were not validated.', ''];
  out.push(`${plural(ts.certificates.length, 'certificate')} from ${ts.paths.map(m).join(', ') || '(none)'}.`, '');
  for (const e of ts.errors ?? []) out.push(`- Could not use ${m(e.file)}${e.index === null ? '' : ` #${e.index}`}: ${m(e.reason)}`);
  if ((ts.errors ?? []).length > 0) out.push('');
  if (ts.certificates.length > 0) {
    pushAll(out, table(['Subject', 'Not after', 'SHA-256'], ts.certificates.map((c) => [m(c.subject), c.not_after ? day(c.not_after) : '-', `\`${c.sha256}\``]))).push('');
  }
  return out;
}

function captureSection(report: Report): string[] {
  const out = ['## Capture summary', ''];
  if (report.captures.length > 0) {
    pushAll(out, table(['File', 'Format', 'Link types', 'Packets', 'Bytes', 'First packet', 'Last packet', 'Decode errors'],
      report.captures.map((c) => [m(c.path), c.format, c.link_types.map(m).join(', '), String(c.packets), String(c.bytes), c.first_packet ?? '-',
        c.last_packet ?? '-', `${c.decode_errors}${c.truncated ? ' (file truncated)' : ''}`]), ['l', 'l', 'l', 'r', 'r', 'l', 'l', 'r'])).push('');
  } else out.push('No capture read.', '');
  const visible = report.connections.filter((c) => c.certificates_visible).length;
  out.push(`TLS connections: ${report.connections.length} (${visible} with the server certificate visible).`, '');
  for (const l of report.logs ?? []) {
    out.push(`- Log ${m(l.path)}: ${l.lines} lines, ${l.events} events, ${l.skipped} skipped${l.clock_offset_ms === null || l.clock_offset_ms === undefined ? '' : `, clock offset ${l.clock_offset_ms} ms`}`);
  }
  if ((report.logs ?? []).length > 0) out.push('');
  out.push('### Anomalies', '');
  const diags = (report.diagnostics ?? []).filter((d) => d.count > 0);
  if (diags.length === 0) out.push('None.', '');
  else {
    pushAll(out, table(['Anomaly', 'Severity', 'Count', 'First samples'], diags.map((d) => [m(d.key), m(d.severity), String(d.count),
      br(d.samples.slice(0, 3).map((x) => m([x.file !== undefined ? `file ${x.file}` : '', x.packet !== undefined ? `packet ${x.packet}` : '', x.flow !== undefined ? `connection ${x.flow}` : '', x.detail ?? ''].filter(Boolean).join(' '))))]),
    ['l', 'l', 'r', 'l'])).push('');
  }
  const unmatched = report.unmatched_log_events ?? [];
  if (unmatched.length > 0) {
    out.push(`### Log events not matched to a connection (${unmatched.length})`, '');
    out.push(mdCodeBlock(unmatched.flatMap((e) => e.text.split(/\r?\n/))), '');
  }
  return out;
}

export function renderMarkdown(report: Report, opts: MarkdownOptions = {}): string {
  const out = [...summary(report, opts), ...findingsTable(report)];
  const shown = report.findings.slice(0, DISPLAY_LIMITS.serverSections);
  for (const f of shown) pushAll(out, serverSection(report, f));
  if (report.findings.length > shown.length) {
    out.push(`## ${report.findings.length - shown.length} more servers`, '', `Details are shown for the first ${shown.length} servers (worst verdicts first); \`--json\` lists every one.`, '');
  }
  pushAll(out, connectionsTable(report));
  pushAll(out, truststoreSection(report));
  pushAll(out, captureSection(report));
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}
