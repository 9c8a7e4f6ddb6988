/**
 * Findings that span servers or come from the log alone:
 *  - RSA on one port and ECDSA on another for one address, or an ECDHE-ECDSA suite chosen: X14.2
 *    prefers ECDSA unless the cipher lists start with `ECDHE-RSA-AES256-GCM-SHA384:` (X14.2
 *    release notes), so CUCM answers with its (often self-signed) -ECDSA certificates;
 *  - certificates to upload that share a CN with each other or with a different trust-store
 *    certificate: Expressway-C stops at the first matching subject (CSCwa12894 / CSCwa12905);
 *  - the Expressway-C client certificate without the clientAuth EKU (Cisco doc 225693);
 *  - Traffic Server verification failures in the log that no captured handshake explains.
 */
import type { CertificateOut, FindingsConnection, FindingOut } from '../report/model.js';
import type { ParsedCert } from '../x509/parsed-cert.js';
import { CLIENT_CERT_REJECTIONS, TRUST_STORE_MENU } from './advice.js';
import type { TrustStore } from './trust-store.js';
import { connectionId, distinctCertificateLists, sameCnConflicts, type IdOf, type UploadFile } from './upload-list.js';
import { X509_ERROR_TEXT } from './verify-errors.js';
import { errorField } from '../report/log-agreement.js';

export interface LooseLogEvent {
  kind: string;
  text: string;
  time?: string | null;
  server?: string | null;
  ip?: string | null;
  port?: number | null;
  sni?: string | null;
  error?: string | null;
  depth?: number | null;
  [key: string]: unknown;
}

const RSA_PREFIX = 'ECDHE-RSA-AES256-GCM-SHA384:';
const isEcdsaSuite = (c: FindingsConnection) => /ECDSA/.test(c.server_hello?.cipher_suite?.name ?? '');
const leafType = (c: FindingsConnection) => c.certificates[0]?.key.type ?? null;
const ports = (cs: readonly FindingsConnection[]) => [...new Set(cs.map((c) => c.server.port))].sort((a, b) => a - b).join(', ');

function row(over: Partial<FindingOut> & Pick<FindingOut, 'code' | 'title' | 'reason' | 'fix'>): FindingOut {
  return {
    server: { ip: null, port: null, name: null }, service: null, verdict: 'info', severity: 'warning',
    connections: [], certificates: [], log_events: 0, ...over,
  };
}

function ecdsaFindings(conns: readonly FindingsConnection[], idOf: IdOf): FindingOut[] {
  // visible connections by server address, told ECDSA / RSA once each, with their ids
  const byIp = new Map<string, { ec: FindingsConnection[]; ecIds: number[]; rsa: FindingsConnection[] }>();
  for (let i = 0; i < conns.length; i++) {
    const c = conns[i];
    if (!c.certificates_visible) continue;
    const t = leafType(c);
    const isEc = t === 'ECDSA' || (t === null && isEcdsaSuite(c));
    const isRsa = t === 'RSA' || t === 'RSA-PSS';
    let g = byIp.get(c.server.ip);
    if (g === undefined) byIp.set(c.server.ip, (g = { ec: [], ecIds: [], rsa: [] }));
    if (isEc) { g.ec.push(c); g.ecIds.push(idOf(c, i)); }
    else if (isRsa) g.rsa.push(c);
  }
  const out: FindingOut[] = [];
  for (const [ip, { ec, ecIds, rsa }] of byIp) {
    if (ec.length === 0) continue;
    const suite = ec.find(isEcdsaSuite)?.server_hello?.cipher_suite?.name;
    const untrusted = ec.some((c) => c.validation.status === 'untrusted');
    const both = rsa.length > 0 ? `an RSA certificate on port ${ports(rsa)} and an ECDSA certificate on port ${ports(ec)}` : `an ECDSA certificate on port ${ports(ec)}`;
    const names = [...new Set(ec.map((c) => c.validation.checked_name).filter((n): n is string => !!n))];
    out.push(
      row({
        server: { ip, port: null, name: names[0] ?? null },
        // advice over several ports, not a server verdict: the per-port rows carry the verdicts
        verdict: 'info',
        severity: untrusted ? 'warning' : 'info',
        code: 'ecdsa_preferred',
        title: `${names[0] ?? ip}: ECDSA certificate chosen${rsa.length > 0 ? ' on some ports, RSA on others' : ''}`,
        reason:
          `${ip} answered with ${both}${suite ? ` (cipher ${suite})` : ''}. Since X14.2 the Expressway-C prefers ECDSA cipher suites unless its cipher lists start with ${RSA_PREFIX} ` +
          'so CUCM answers with its tomcat-ECDSA / CallManager-ECDSA certificates, which are often self-signed even when the RSA ones are CA-signed',
        fix: [
          `Trust the ECDSA certificates: have them CA-signed, or upload them (or their CA) to ${TRUST_STORE_MENU} on every Expressway-C cluster node`,
          `Or make RSA preferred again: prefix the cipher lists under Maintenance > Security > Ciphers with ${RSA_PREFIX}`,
        ],
        connections: ecIds,
        certificates: [...new Set(ec.map((c) => c.certificates[0]?.sha256).filter((s): s is string => !!s))],
      }),
    );
  }
  return out;
}

function clientEkuFindings(conns: readonly FindingsConnection[], idOf: IdOf): FindingOut[] {
  const bySha = new Map<string, { cert: CertificateOut; conns: FindingsConnection[]; ids: number[] }>();
  for (let i = 0; i < conns.length; i++) {
    const c = conns[i];
    const cert = c.client_certificates[0];
    if (!cert || !cert.eku || cert.eku.length === 0 || cert.eku.includes('clientAuth') || cert.eku.includes('anyExtendedKeyUsage')) continue;
    const e = bySha.get(cert.sha256) ?? { cert, conns: [], ids: [] };
    e.conns.push(c);
    e.ids.push(idOf(c, i));
    bySha.set(cert.sha256, e);
  }
  return [...bySha.values()].map(({ cert, conns: cs, ids }) => {
    const rejected = cs.some((c) => c.alerts.some((a) => a.from === 'server' && a.level === 'fatal'));
    return row({
      severity: rejected ? 'error' : 'warning',
      code: 'client_cert_no_client_auth',
      title: `Expressway-C client certificate ${cert.subject_cn ?? cert.subject} lacks the clientAuth EKU`,
      reason:
        `the certificate the Expressway-C sent as TLS client to ${cs.map((c) => `${c.server.ip}:${c.server.port}`).filter((v, i, a) => a.indexOf(v) === i).join(', ')} ` +
        `has Extended Key Usage ${cert.eku!.join(', ')} without TLS Web Client Authentication: servers doing mutual TLS (SIP 5061, TFTP 6971/6972) may reject it`,
      fix: ['Re-issue the Expressway-C server certificate with both TLS Web Server Authentication and TLS Web Client Authentication EKUs (required for mutual TLS, and by X15.5)'],
      connections: ids,
      certificates: [cert.sha256],
    });
  });
}

export function crossServerFindings(
  conns: readonly FindingsConnection[], uploads: readonly UploadFile[], certificates: ReadonlyMap<string, ParsedCert>, store: TrustStore | null,
  idOf: IdOf = connectionId,
): FindingOut[] {
  const facts = new Map<string, CertificateOut>();
  for (const [sha, pc] of certificates) facts.set(sha, pc.facts);
  for (const list of distinctCertificateLists(conns)) for (const cert of list) facts.set(cert.sha256, cert);
  const sameCn = sameCnConflicts(uploads, facts, store).map((k) =>
    row({
      code: 'same_cn_in_trust_store',
      title: `Trust store: more than one certificate with CN ${k.cn}`,
      reason:
        `${k.uploads.map((u) => u.filename).join(', ')} ${k.uploads.length > 1 ? 'share' : 'shares'} the Common Name ${k.cn}` +
        `${k.inStore.length > 0 ? ` with ${k.inStore.length} different certificate(s) already in the trust store (${k.inStore.map((s) => s.subject).join('; ')})` : ' with each other'}. ` +
        'Expressway-C cannot hold two different certificates with the same CN: its lookup stops at the first matching subject, so only one of them works (CSCwa12894 / CSCwa12905)',
      fix: [
        'Have the servers\' certificates signed by a CA and upload that CA instead of the individual certificates',
        'Or regenerate the certificates with different Common Names, or reuse one multi-SAN certificate (CUCM 14 and later)',
      ],
      connections: [...new Set(k.uploads.flatMap((u) => u.connections))],
      certificates: [...k.uploads.map((u) => u.sha256), ...k.inStore.map((s) => s.sha256)],
    }),
  );
  return [...ecdsaFindings(conns, idOf), ...sameCn, ...clientEkuFindings(conns, idOf)];
}

const CODE_BY_TEXT = new Map<string, string>();
for (const t of Object.values(X509_ERROR_TEXT)) {
  CODE_BY_TEXT.set(t.openssl111, t.code);
  if (t.openssl3) CODE_BY_TEXT.set(t.openssl3, t.code);
}

function logOnlyFix(code: string): string {
  switch (code) {
    case 'name_mismatch':
      return 'Put the name Traffic Server used in the server certificate\'s SAN, or advertise the name that is in it (CUCM System > Server)';
    case 'self_signed':
      return `Upload the server's self-signed certificate to ${TRUST_STORE_MENU} on every Expressway-C cluster node, or have it CA-signed`;
    case 'client_cert_rejected':
      return 'The server does not trust the Expressway-C certificate: upload its CA to the server\'s tomcat-trust / CallManager-trust';
    case 'expired':
    case 'not_yet_valid':
      return 'Renew the server certificate (or fix the clocks) and update the trust store';
    default:
      return `Upload the issuing CA chain of the server's certificate to ${TRUST_STORE_MENU} on every Expressway-C cluster node`;
  }
}

const NAME_KINDS = new Set(['sni_mismatch', 'origin_hostname_mismatch', 'hostname_verify_failed_legacy']);
const VERIFY_KINDS = new Set(['verify_failed', 'server_verify_failed_legacy', 'plugin_verify_failed']);

/**
 * An alert received from the server that refuses the Expressway-C client certificate, as OpenSSL names it in
 * `SSL connection failed for '…': error:…:tlsv1 alert unknown ca` (our alert names with blanks): the alerts
 * counted as such in captured handshakes. A Java server (CUCM's Tomcat) sends certificate_unknown, not unknown_ca.
 */
const PEER_REJECTED_RE = new RegExp(`\\balert (?:${[...CLIENT_CERT_REJECTIONS].map((a) => a.replace(/_/g, ' ')).join('|')})\\b`, 'i');

/** What a Traffic Server log event says about the origin certificate (kinds from logs/formats, else the text). */
function classify(ev: LooseLogEvent): 'name' | 'verify' | 'rejected' | null {
  if (NAME_KINDS.has(ev.kind)) return 'name';
  if (VERIFY_KINDS.has(ev.kind)) return 'verify';
  if (PEER_REJECTED_RE.test(ev.error ?? ev.text)) return 'rejected';
  if (/not in certificate/.test(ev.text)) return 'name';
  if (/certificate verification failed/.test(ev.text)) return 'verify';
  return null;
}

/** Rows for Traffic Server verification failures that no captured connection carries. */
export function logOnlyFindings(events: readonly LooseLogEvent[], conns: readonly FindingsConnection[]): FindingOut[] {
  const groups = new Map<string, { ip: string | null; name: string | null; port: number | null; code: string; error: string; depth: number | null; n: number }>();
  for (const ev of events) {
    const kind = classify(ev);
    if (kind === null) continue;
    const srv = /server=([^(\s]*)\(([^)]*)\)/.exec(ev.text);
    const ip = ev.ip ?? srv?.[2] ?? null;
    const name = ev.sni ?? /(?:for|SNI) \(([^)]*)\)/.exec(ev.text)?.[1] ?? ev.server ?? srv?.[1] ?? null;
    const error = ev.error ?? errorField(ev.text) ?? (kind === 'name' ? 'name not in certificate' : 'verification failed');
    const depthText = ev.depth ?? /depth=(\d+)/.exec(ev.text)?.[1];
    const code = kind === 'name' ? 'name_mismatch' : kind === 'rejected' ? 'client_cert_rejected' : (CODE_BY_TEXT.get(error) ?? 'verify_failed');
    const key = `${ip}|${name}|${code}|${error}`;
    const g = groups.get(key) ?? { ip, name, port: ev.port ?? null, code, error, depth: depthText === undefined || depthText === null ? null : Number(depthText), n: 0 };
    g.n++;
    groups.set(key, g);
  }
  const seenIps = new Set(conns.filter((c) => c.certificates_visible).map((c) => c.server.ip));
  return [...groups.values()].map((g) =>
    row({
      server: { ip: g.ip, port: g.port, name: g.name },
      verdict: 'untrusted',
      severity: 'error',
      code: g.code,
      title: `${g.name ?? g.ip ?? 'unknown server'}: ${g.error} (Traffic Server log only)`,
      reason:
        `Traffic Server reported "${g.error}"${g.depth !== null ? ` at depth ${g.depth}` : ''} ${g.n} time(s) for ${g.name ?? '?'}${g.ip ? ` (${g.ip})` : ''}, ` +
        `but ${g.ip && seenIps.has(g.ip) ? 'none of the captured handshakes with that address matched these lines' : 'no captured handshake shows that server\'s certificate'}`,
      fix: [logOnlyFix(g.code), 'Capture the handshake (TLS 1.2) or run openssl s_client -showcerts against the server to see the certificate'],
      log_events: g.n,
    }),
  );
}
