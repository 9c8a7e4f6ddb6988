/**
 * Which certificates to upload to the Expressway-C trust store (Maintenance > Security > Trusted
 * CA certificate) so that every presented chain becomes trusted, as PEM files with stable names:
 *  - a self-signed server certificate not in the store (error self_signed) → that certificate;
 *  - a chain that ends at a root the server sent but the store lacks (self_signed_in_chain) → that root;
 *  - a missing CA that nobody sent (unknown_issuer) → nothing can be exported: the finding names
 *    the issuer DN and key identifier instead.
 * Also finds the same-CN conflicts Expressway cannot hold (CSCwa12894 / CSCwa12905).
 */
import type { CertificateOut, FindingsConnection } from '../report/model.js';
import type { TrustStore } from './trust-store.js';
import { trimEndOf } from '../util/strings.js';

export interface UploadFile {
  filename: string;
  pem: string;
  reason: string;
  /** internal: which certificate and which connections need it */
  sha256: string;
  connections: number[];
}

/** A connection's id in findings: its own id, else its position in the report. */
export const connectionId = (c: FindingsConnection, index: number): number => c.id ?? index;

/** How findings name the connection at a position of their list (`connectionId`, or ids kept beside shared views). */
export type IdOf = (c: FindingsConnection, index: number) => number;

/**
 * The distinct certificate lists of some connections, in order of first appearance. Connections of one
 * server share their list object (report/build-connection.ts), so thousands of them yield a handful.
 */
export function distinctCertificateLists(conns: readonly FindingsConnection[]): Set<readonly CertificateOut[]> {
  const lists = new Set<readonly CertificateOut[]>();
  for (const c of conns) lists.add(c.certificates);
  return lists;
}

export const serverLabel = (c: FindingsConnection): string =>
  `${c.server.ip.includes(':') ? `[${c.server.ip}]` : c.server.ip}:${c.server.port}${c.validation.checked_name && c.validation.checked_name !== c.server.ip ? ` (${c.validation.checked_name})` : ''}`;

/** A file-system-safe name from the CN (or the hash). */
function baseName(cert: CertificateOut): string {
  const cn = trimEndOf((cert.subject_cn ?? '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, ''), '_');
  return cn ? cn : `certificate-${cert.sha256.slice(0, 12)}`;
}

function certOf(conn: FindingsConnection, sha: string | undefined): CertificateOut | undefined {
  return sha ? conn.certificates.find((c) => c.sha256 === sha) : undefined;
}

/** The certificates to upload, one PEM file each (deduplicated, in connection order). */
export function uploadList(connections: readonly FindingsConnection[], idOf: IdOf = connectionId): UploadFile[] {
  const bySha = new Map<string, { cert: CertificateOut; reasons: string[]; connections: number[]; seen: Set<number> }>();
  connections.forEach((conn, i) => {
    if (conn.validation.status !== 'untrusted') return;
    for (const e of conn.validation.errors) {
      let cert: CertificateOut | undefined;
      let why = '';
      if (e.code === 'self_signed' && e.depth === 0) {
        cert = conn.certificates[0];
        why = `self-signed server certificate presented by ${serverLabel(conn)}`;
      } else if (e.code === 'self_signed_in_chain' && e.depth !== null) {
        cert = certOf(conn, conn.validation.chain[e.depth]);
        why = `root CA certificate sent by ${serverLabel(conn)} but missing from the trust store`;
      }
      if (!cert || !cert.pem) continue;
      const entry = bySha.get(cert.sha256) ?? { cert, reasons: [], connections: [], seen: new Set<number>() };
      if (!entry.reasons.includes(why)) entry.reasons.push(why); // one per server: few
      const id = idOf(conn, i);
      if (!entry.seen.has(id)) { // (a Set: one self-signed server may have thousands of connections)
        entry.seen.add(id);
        entry.connections.push(id);
      }
      bySha.set(cert.sha256, entry);
    }
  });
  const names = new Map<string, number>();
  for (const { cert } of bySha.values()) names.set(baseName(cert).toLowerCase(), (names.get(baseName(cert).toLowerCase()) ?? 0) + 1);
  return [...bySha.values()].map(({ cert, reasons, connections: ids }) => {
    const base = baseName(cert);
    const unique = (names.get(base.toLowerCase()) ?? 0) > 1 ? `${base}-${cert.sha256.slice(0, 8)}` : base;
    return { filename: `${unique}.pem`, pem: cert.pem!, reason: reasons.join('; '), sha256: cert.sha256, connections: ids };
  });
}

export interface SameCnConflict {
  cn: string;
  /** certificates to upload with this CN */
  uploads: UploadFile[];
  /** different certificates already in the trust store with this CN */
  inStore: { sha256: string; subject: string }[];
}

/** Upload candidates sharing a CN with each other or with a different trust-store certificate. */
export function sameCnConflicts(uploads: readonly UploadFile[], certs: ReadonlyMap<string, CertificateOut>, store: TrustStore | null): SameCnConflict[] {
  const byCn = new Map<string, UploadFile[]>();
  for (const u of uploads) {
    const cn = certs.get(u.sha256)?.subject_cn;
    if (!cn) continue;
    const k = cn.toLowerCase();
    byCn.set(k, [...(byCn.get(k) ?? []), u]);
  }
  const out: SameCnConflict[] = [];
  for (const [k, list] of byCn) {
    const inStore = (store?.certs ?? [])
      .filter((c) => c.facts.subject_cn?.toLowerCase() === k && !list.some((u) => u.sha256 === c.sha256))
      .map((c) => ({ sha256: c.sha256, subject: c.facts.subject }));
    if (list.length > 1 || inStore.length > 0) out.push({ cn: certs.get(list[0].sha256)!.subject_cn!, uploads: list, inStore });
  }
  return out;
}
