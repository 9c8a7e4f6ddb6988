/**
 * What the terminal report shows, in order (verdict first): headline, findings table, one block per
 * server, connections table, trust store, capture summary. Sections are data (headings, pre-wrapped
 * lines, or tables given as one or more layouts from widest to narrowest); render-table.ts draws them.
 */
import type { ConnectionOut, Report } from './model.js';
import { sanitizeInline } from './sanitize.js';
import { serverBlock } from './server-block.js';
import {
  DISPLAY_LIMITS, moreLine, alertLabels, datesOf, findingLeaf, findingService, hostPort, issuerLabel, keyLabel, plural, shortHash, shortTime,
  subjectLabel, VERDICT_LABEL, verdictCounts, verdictTone, type Style, type Tone,
} from './summarize.js';
import { wrapText, wrapIndented } from './text-width.js';
import { pushAll } from '../util/arrays.js';

export interface GridColumn {
  header: string;
  /** narrowest width the planner may shrink this column to (default 10, or the content width if smaller) */
  min?: number;
  max?: number;
  align?: 'left' | 'right';
}

export interface GridCell {
  /** sanitised text; '\n' separates lines */
  text: string;
  tone?: Tone;
}

export interface GridLayout {
  columns: GridColumn[];
  rows: (GridCell | string)[][];
}

export type Section =
  | { kind: 'heading'; text: string }
  | { kind: 'lines'; lines: string[] }
  | { kind: 'grid'; layouts: GridLayout[]; empty?: string };

const s = sanitizeInline;

function headline(report: Report, width: number, style: Style): string[] {
  const counts = verdictCounts(report.findings);
  const parts = counts.map((c) => style.paint(`${c.count} ${VERDICT_LABEL[c.verdict].toLowerCase()}`, verdictTone(c.verdict)));
  const plain = counts.map((c) => `${c.count} ${VERDICT_LABEL[c.verdict].toLowerCase()}`);
  const tail = `(${plural(report.findings.length, 'server')}, ${plural(report.connections.length, 'TLS connection')})`;
  if (counts.length === 0) return wrapText(`Verdict: no TLS handshakes found ${tail}`, width);
  const text = `Verdict: ${plain.join(' · ')} ${tail}`;
  const lines = wrapText(text, width);
  // colour after wrapping so widths are measured on plain text
  return lines.map((l) => plain.reduce((acc, p, i) => acc.replace(p, parts[i]), l));
}

function findingsGrid(report: Report): GridLayout[] {
  const rows = report.findings.slice(0, DISPLAY_LIMITS.serverRows).map((f) => {
    const leaf = findingLeaf(report, f);
    const name = f.server.name !== null && f.server.name !== f.server.ip ? `${s(f.server.name)}\n` : '';
    const verdict: GridCell = { text: VERDICT_LABEL[f.verdict], tone: verdictTone(f.verdict) };
    return {
      server: `${name}${s(f.server.ip ?? '')}`.trim(),
      port: f.server.port === null ? '' : String(f.server.port),
      service: s(findingService(f)),
      key: keyLabel(leaf?.key),
      leaf: s(subjectLabel(leaf)),
      issuer: s(issuerLabel(leaf)),
      verdict,
      logs: String(f.log_events),
    };
  });
  const full: GridLayout = {
    columns: [{ header: 'Server' }, { header: 'Port', min: 5 }, { header: 'Service', min: 8 }, { header: 'Key', min: 7 },
      { header: 'Leaf CN' }, { header: 'Issuer', min: 8 }, { header: 'Verdict', min: 9 }, { header: 'Log lines', min: 5, align: 'right' }],
    rows: rows.map((r) => [r.server, r.port, r.service, r.key, r.leaf, r.issuer, r.verdict, r.logs]),
  };
  const compact: GridLayout = {
    columns: [{ header: 'Server' }, { header: 'Port / service', min: 9 }, { header: 'Leaf CN / key / issuer' },
      { header: 'Verdict', min: 9 }, { header: 'Logs', min: 4, align: 'right' }],
    rows: rows.map((r) => [r.server, `${r.port}\n${r.service}`.trim(),
      [r.leaf, r.key, r.issuer ? `by ${r.issuer}` : ''].filter(Boolean).join('\n'), r.verdict, r.logs]),
  };
  return [full, compact];
}

function connectionsGrid(report: Report): GridLayout[] {
  const oneDay = datesOf(report.connections.map((c) => c.start)).length <= 1;
  const rows = report.connections.slice(0, DISPLAY_LIMITS.connectionRows).map((c: ConnectionOut) => {
    const leaf = c.certificates[0] ?? null;
    const tone: Tone | undefined = c.validation.status === 'untrusted' ? 'red' : c.validation.status === 'trusted' ? 'green' : undefined;
    const leafText = c.certificates_visible ? s(subjectLabel(leaf)) : 'not visible';
    return {
      time: shortTime(c.handshake_time ?? c.start, oneDay),
      ends: `${hostPort(c.client.ip, c.client.port)}\n→ ${hostPort(c.server.ip, c.server.port)}`,
      sni: s(c.client_hello?.sni ?? '-'),
      version: s(c.server_hello?.version ?? '-'),
      cipher: s(c.server_hello?.cipher_suite?.name ?? '-'),
      leaf: { text: leafText, tone } as GridCell,
      key: keyLabel(leaf?.key),
      issuer: s(leaf?.issuer_cn ?? ''),
      self: leaf === null ? '' : leaf.self_signed ? 'yes' : 'no',
      chain: c.certificates_visible ? String(c.certificates.length) : '-',
      alerts: alertLabels(c).map(s).join('\n'),
    };
  });
  const wide: GridLayout = {
    columns: [{ header: 'Time', min: 12 }, { header: 'Client → server', min: 20 }, { header: 'SNI', min: 8 }, { header: 'Version', min: 7 },
      { header: 'Cipher', min: 12 }, { header: 'Leaf CN' }, { header: 'Key', min: 7 }, { header: 'Issuer CN', min: 8 },
      { header: 'Self signed', min: 6 }, { header: 'Chain', min: 5, align: 'right' }, { header: 'Alerts', min: 8 }],
    rows: rows.map((r) => [r.time, r.ends, r.sni, r.version, r.cipher, r.leaf, r.key, r.issuer, r.self, r.chain, r.alerts]),
  };
  const certLines = (r: (typeof rows)[number], withLeaf: boolean): string =>
    [withLeaf ? r.leaf.text : '', [r.key, r.issuer ? `by ${r.issuer}` : ''].filter(Boolean).join(' '),
      r.chain === '-' ? '' : `${r.self === 'yes' ? 'self-signed, ' : ''}chain ${r.chain}`].filter(Boolean).join('\n');
  const medium: GridLayout = {
    columns: [{ header: 'Time / client → server', min: 20 }, { header: 'SNI', min: 8 }, { header: 'TLS', min: 10 },
      { header: 'Leaf CN', min: 10 }, { header: 'Key / issuer / chain', min: 10 }, { header: 'Alerts', min: 8 }],
    rows: rows.map((r) => [`${r.time}\n${r.ends}`, r.sni, `${r.version}\n${r.cipher}`, r.leaf, certLines(r, false), r.alerts]),
  };
  const compact: GridLayout = {
    columns: [{ header: 'Time / client → server', min: 20 }, { header: 'SNI / TLS', min: 10 },
      { header: 'Certificate', min: 10 }, { header: 'Alerts', min: 8 }],
    rows: rows.map((r) => [`${r.time}\n${r.ends}`, `${r.sni}\n${r.version}\n${r.cipher}`, { text: certLines(r, true), tone: r.leaf.tone }, r.alerts]),
  };
  return [wide, medium, compact];
}

const MAX_TRUSTSTORE_ROWS = 30;

function truststoreSections(report: Report, width: number): Section[] {
  const ts = report.truststore;
  if (ts === null) {
    return [{ kind: 'lines', lines: wrapText('No trust store given: chains were not validated. Use --truststore FILE, or give a diagnostic bundle (its ca_*.pem is used).', width) }];
  }
  const used = new Map<string, number>();
  for (const c of report.connections) if (c.validation.anchor) used.set(c.validation.anchor, (used.get(c.validation.anchor) ?? 0) + 1);
  const lines = wrapIndented(`${plural(ts.certificates.length, 'certificate')} from ${ts.paths.map(s).join(', ') || '(none)'}`, width, '', '  ');
  for (const e of ts.errors ?? []) pushAll(lines, wrapIndented(`could not use ${s(e.file)}${e.index === null ? '' : ` #${e.index}`}: ${s(e.reason)}`, width, '  ! ', '    '));
  const rows = ts.certificates.slice(0, MAX_TRUSTSTORE_ROWS).map((c) => [
    s(c.subject_cn ?? c.subject), c.not_after ? c.not_after.slice(0, 10) : '-', `${shortHash(c.sha256, 16)}…`,
    used.has(c.sha256) ? `anchor for ${plural(used.get(c.sha256) ?? 0, 'connection')}` : '',
  ]);
  const out: Section[] = [{ kind: 'lines', lines }];
  out.push({ kind: 'grid', layouts: [{ columns: [{ header: 'Subject' }, { header: 'Not after', min: 10 }, { header: 'SHA-256', min: 17 }, { header: 'Used', min: 8 }], rows }] });
  if (ts.certificates.length > MAX_TRUSTSTORE_ROWS) out.push({ kind: 'lines', lines: [`… ${ts.certificates.length - MAX_TRUSTSTORE_ROWS} more (--json or --markdown lists all)`] });
  return out;
}

function captureSections(report: Report, width: number): Section[] {
  const out: Section[] = [];
  const inputLines = (report.inputs ?? []).flatMap((i) => wrapIndented(`${s(i.path)} (${s(i.kind)}) sha256 ${i.sha256 ?? '-'}`, width, 'Input: ', '         '));
  if (inputLines.length > 0) out.push({ kind: 'lines', lines: inputLines });
  const lines: string[] = [];
  if (report.captures.length === 0) lines.push('No capture read.');
  report.captures.forEach((c, i) => {
    pushAll(lines, wrapIndented(s(c.path), width, `File ${i + 1}: `, '  '));
    const span = c.first_packet ? `, ${c.first_packet} to ${c.last_packet ?? '?'}` : '';
    const facts = `${c.format} (${c.link_types.map(s).join(', ') || 'no link type'}), ${plural(c.packets, 'packet')}, ${plural(c.bytes, 'byte')}${span}, ${plural(c.decode_errors, 'decode error')}${c.truncated ? ', file truncated' : ''}`;
    pushAll(lines, wrapIndented(facts, width, '  ', '  '));
  });
  const visible = report.connections.filter((c) => c.certificates_visible).length;
  pushAll(lines, wrapText(`TLS connections: ${report.connections.length} (${visible} with the server certificate visible)`, width));
  if (report.logs && report.logs.length > 0) {
    for (const l of report.logs) {
      const off = l.clock_offset_ms === undefined || l.clock_offset_ms === null ? '' : `, clock offset ${l.clock_offset_ms} ms`;
      pushAll(lines, wrapIndented(`${s(l.path)}: ${l.lines} lines, ${l.events} events, ${l.skipped} skipped${off}`, width, 'Log: ', '     '));
    }
  }
  const unmatched = report.unmatched_log_events?.length ?? 0;
  if (unmatched > 0) pushAll(lines, wrapText(`Log events not matched to a connection: ${unmatched} (--timeline shows them)`, width));
  out.push({ kind: 'lines', lines });
  const diags = (report.diagnostics ?? []).filter((d) => d.count > 0);
  out.push({ kind: 'grid', empty: 'Anomalies: none.', layouts: [{
    columns: [{ header: 'Anomaly' }, { header: 'Severity', min: 8 }, { header: 'Count', min: 5, align: 'right' }, { header: 'First samples' }],
    rows: diags.map((d) => [s(d.key), s(d.severity), String(d.count), d.samples.slice(0, 3).map((x) => {
      const where = [x.file !== undefined ? `file ${x.file}` : '', x.packet !== undefined ? `pkt ${x.packet}` : '', x.flow !== undefined ? `conn ${x.flow}` : ''].filter(Boolean).join(' ');
      return [where, s(x.detail ?? '')].filter(Boolean).join(': ');
    }).join('\n')]),
  }] });
  return out;
}

function serverHeading(report: Report, i: number): string {
  const f = report.findings[i];
  const name = f.server.name !== null && f.server.name !== f.server.ip ? ` ${s(f.server.name)}` : '';
  const svc = findingService(f);
  return `── ${hostPort(f.server.ip === null ? null : s(f.server.ip), f.server.port)}${name}${svc ? ` · ${s(svc)}` : ''}`;
}

export function buildSections(report: Report, width: number, style: Style): Section[] {
  const out: Section[] = [{ kind: 'lines', lines: headline(report, width, style) }];
  out.push({ kind: 'heading', text: 'Findings' });
  out.push({ kind: 'grid', layouts: findingsGrid(report), empty: 'No servers found.' });
  const nf = report.findings.length;
  if (nf > DISPLAY_LIMITS.serverRows) out.push({ kind: 'lines', lines: wrapText(moreLine(nf - DISPLAY_LIMITS.serverRows, 'servers'), width) });
  for (let i = 0; i < Math.min(nf, DISPLAY_LIMITS.serverSections); i++) {
    out.push({ kind: 'heading', text: serverHeading(report, i) });
    out.push({ kind: 'lines', lines: serverBlock(report, report.findings[i], width, style) });
  }
  if (nf > DISPLAY_LIMITS.serverSections) {
    out.push({ kind: 'heading', text: `── ${nf - DISPLAY_LIMITS.serverSections} more servers` });
    out.push({ kind: 'lines', lines: wrapText(`Details are shown for the first ${DISPLAY_LIMITS.serverSections} servers (worst verdicts first); --json lists every one.`, width) });
  }
  const days = datesOf(report.connections.map((c) => c.start));
  out.push({ kind: 'heading', text: `Connections (times UTC${days.length === 1 ? `, ${days[0]}` : ''})` });
  out.push({ kind: 'grid', layouts: connectionsGrid(report), empty: 'No TLS connections.' });
  const nc = report.connections.length;
  if (nc > DISPLAY_LIMITS.connectionRows) out.push({ kind: 'lines', lines: wrapText(moreLine(nc - DISPLAY_LIMITS.connectionRows, 'connections'), width) });
  out.push({ kind: 'heading', text: 'Trust store' });
  pushAll(out, truststoreSections(report, width));
  out.push({ kind: 'heading', text: 'Capture' });
  pushAll(out, captureSections(report, width));
  return out;
}
