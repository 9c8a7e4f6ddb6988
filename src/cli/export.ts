/**
 * `--export-certs DIR` and `--export-missing DIR`: certificates written as PEM files named
 * `<CN>_<first 12 hex of sha256>.pem` (CN reduced to [A-Za-z0-9._-], so a hostile name can neither
 * leave DIR nor hide).
 * "Missing" certificates are those that would complete an untrusted chain if added to the
 * Expressway-C trust store: the self-signed leaf (self_signed, depth 0), the self-signed root the
 * server sent (self_signed_in_chain), and any self-signed certificate listed in
 * FindingOut.certificates of an untrusted/mixed finding; certificates already in the trust store are
 * skipped. An issuer the server never sent (unknown_issuer) cannot be exported: it is reported by
 * name so it can be fetched from the CA.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CertificateOut, Report } from '../report/model.js';
import { certificateIndex, isFailingVerdict } from '../report/summarize.js';

export interface ExportResult {
  /** file names written in DIR, in report order */
  written: string[];
  /** certificates without PEM (incomplete in the capture, or removed by --redact-ips) */
  skipped: number;
  /** for --export-missing: issuers that are needed but were not in the capture (sanitise before printing) */
  unavailable: string[];
}

export function certFileName(cert: CertificateOut): string {
  const base = (cert.subject_cn ?? '')
    .replace(/\*/g, 'wildcard')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 64)
    .replace(/[._]+$/, '');
  return `${base || 'certificate'}_${cert.sha256.slice(0, 12)}.pem`;
}

function writeAll(certs: CertificateOut[], dir: string): ExportResult {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  let skipped = 0;
  for (const cert of certs) {
    if (cert.pem === null) { skipped++; continue; }
    const file = certFileName(cert);
    writeFileSync(join(dir, file), cert.pem.endsWith('\n') ? cert.pem : `${cert.pem}\n`);
    written.push(file);
  }
  return { written, skipped, unavailable: [] };
}

export function exportCertificates(report: Report, dir: string): ExportResult {
  return writeAll([...certificateIndex(report).values()], dir);
}

/** Certificates to add to the trust store, and the names of needed issuers the capture lacks. */
export function missingCertificates(report: Report): { certs: CertificateOut[]; unavailable: string[] } {
  const index = certificateIndex(report);
  const trusted = new Set((report.truststore?.certificates ?? []).map((c) => c.sha256));
  const picked = new Map<string, CertificateOut>();
  const unavailable = new Set<string>();
  const pick = (c: CertificateOut | undefined): void => {
    if (c !== undefined && !trusted.has(c.sha256) && !picked.has(c.sha256)) picked.set(c.sha256, c);
  };
  for (const conn of report.connections) {
    for (const e of conn.validation.errors) {
      const at = e.depth ?? 0;
      if (e.code === 'self_signed' || e.code === 'self_signed_in_chain') pick(conn.certificates[at]);
      if (e.code === 'unknown_issuer') {
        const c = conn.certificates[at];
        if (c !== undefined) unavailable.add(c.issuer_cn ?? c.issuer);
      }
    }
  }
  for (const f of report.findings) {
    if (!isFailingVerdict(f.verdict)) continue;
    for (const sha of f.certificates) {
      const c = index.get(sha);
      if (c !== undefined && c.self_signed) pick(c);
    }
  }
  return { certs: [...picked.values()], unavailable: [...unavailable] };
}

export function exportMissing(report: Report, dir: string): ExportResult {
  const { certs, unavailable } = missingCertificates(report);
  return { ...writeAll(certs, dir), unavailable };
}
