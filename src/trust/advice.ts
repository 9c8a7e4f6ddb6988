/**
 * What a validation error means for an Expressway-C administrator, and what to do about it
 * (Cisco TAC practice, see docs/domain.md and expressway-reference.md §2, §4, §6).
 */
import type { CertificateOut, FindingsConnection, ValidationError } from '../report/model.js';
import type { UploadFile } from './upload-list.js';
import { INVALID_EXTENSION_WORDS } from './explain.js';

export const TRUST_STORE_MENU = 'Maintenance > Security > Trusted CA certificate';
export const WORKAROUND =
  'Workaround only (not recommended): xConfiguration EdgeConfigServer VerifyOriginServer: Off restores the pre-X14.2 behaviour (no origin verification)';

/** The CUCM / IM&P certificate that usually answers on `port` (expressway-reference §4.2). */
export function serverCertificateName(port: number, leaf: CertificateOut | undefined): string {
  const base = port === 5061 || port === 5091 ? 'CallManager' : port === 7400 ? 'cup-xmpp' : 'tomcat';
  return leaf?.key.type === 'ECDSA' ? `${base}-ECDSA` : base;
}

const cnOr = (c: CertificateOut | undefined) => (c ? (c.subject_cn !== null ? `CN=${c.subject_cn}` : c.subject || 'the certificate') : 'the certificate');

export interface Advice {
  reason: string;
  fix: string[];
}

/** The facts of a certificate by its sha256 (the trust store's and every analysed one), for chain members the server did not send. */
export type CertLookup = (sha256: string) => CertificateOut | undefined;

function chainCert(conn: FindingsConnection, depth: number | null, known: CertLookup | undefined): CertificateOut | undefined {
  const sha = depth === null ? undefined : conn.validation.chain[depth];
  // the top of a trusted-but-failing chain is the trust-store anchor, which the server need not send
  return sha ? (conn.certificates.find((c) => c.sha256 === sha) ?? known?.(sha)) : undefined;
}

function uploadLine(file: UploadFile | undefined, what: string): string {
  return file
    ? `Upload ${file.filename} (${what}, exported by tls-extract) to ${TRUST_STORE_MENU} on every Expressway-C cluster node`
    : `Upload ${what} to ${TRUST_STORE_MENU} on every Expressway-C cluster node`;
}

export function adviceFor(e: ValidationError, conn: FindingsConnection, uploads: ReadonlyMap<string, UploadFile>, known?: CertLookup): Advice {
  const leaf = conn.certificates[0];
  const certName = serverCertificateName(conn.server.port, leaf);
  const c = chainCert(conn, e.depth, known) ?? (e.depth === 0 ? leaf : undefined);
  const because = (fallback: string) => e.detail ?? fallback;
  switch (e.code) {
    case 'self_signed':
      return {
        reason: because(`the server presents a self-signed certificate ${cnOr(leaf)} that is not in the Expressway-C trust store`),
        fix: [
          uploadLine(uploads.get(leaf?.sha256 ?? ''), `the server's self-signed ${certName} certificate`),
          `Or have the server's ${certName} certificate signed by a CA the Expressway-C already trusts (CUCM: Cisco Unified OS Administration > Security > Certificate Management > Generate CSR)`,
        ],
      };
    case 'self_signed_in_chain': {
      return {
        reason: because(`the chain ends at the root CA ${cnOr(c)}, which the server sent but the Expressway-C does not trust`),
        fix: [uploadLine(uploads.get(c?.sha256 ?? ''), `the root CA certificate ${cnOr(c)}`)],
      };
    }
    case 'unknown_issuer': {
      if (e.detail?.includes(` ${INVALID_EXTENSION_WORDS} `)) {
        // (explain.ts: an extension OpenSSL 3 cannot decode, on the certificate or its issuer)
        return {
          reason: e.detail,
          fix: [`Have the certificate named there re-issued with each extension present once and well formed (check it with openssl x509 -text: OpenSSL 3 refuses to build any chain through it)`],
        };
      }
      const issuer = c ? `"${c.issuer}"${c.aki ? ` (key identifier ${c.aki})` : ''}` : 'the issuing CA';
      const sent = conn.certificates.map((x) => cnOr(x));
      return {
        reason:
          `the CA ${issuer} that issued ${cnOr(c)} is neither sent by the server nor in the Expressway-C trust store${
            e.message === 'unable to get issuer certificate' ? ` (${e.detail ?? 'an intermediate CA is in the trust store without its root'})` : ''
          }; the server sent ${sent.length} certificate${sent.length === 1 ? '' : 's'}: ${sent.join(' → ')} (their PEM is in the report)`,
        fix: [
          `Get the CA certificate ${issuer} (and any intermediate CAs) from the CA administrator or from the server's trust store (CUCM: ${certName.replace(/-ECDSA$/, '')}-trust), and upload it to ${TRUST_STORE_MENU} on every Expressway-C cluster node`,
          ...(e.message === 'unable to get issuer certificate'
            ? [`An intermediate CA in the trust store is not enough: its root CA must be uploaded too`]
            : []),
        ],
      };
    }
    case 'bad_signature':
      return {
        reason: because(`the signature of ${cnOr(c)} does not verify with its issuer's key`),
        fix: [
          'Check that the trust store and the server hold the current CA certificate (a re-issued CA with the same name and a new key breaks old chains); replace the stale one',
        ],
      };
    case 'expired':
      return {
        reason: `${cnOr(c)} had expired (valid until ${c?.not_after ?? 'unknown'}) when the handshake was captured`,
        fix:
          e.depth === 0
            ? [`Renew the server's ${certName} certificate and restart the services that use it (CUCM: Cisco Tomcat, Cisco TFTP / HAProxy, CallManager)`]
            : [`Replace the expired CA certificate ${cnOr(c)} with its renewed version on the server and in ${TRUST_STORE_MENU}`],
      };
    case 'not_yet_valid':
      return {
        reason: `${cnOr(c)} was not yet valid (valid from ${c?.not_before ?? 'unknown'}) when the handshake was captured`,
        fix: ['Check the clocks (NTP) of the server and of the Expressway-C, or wait until the certificate becomes valid'],
      };
    case 'unhandled_critical':
      return {
        reason: because(`${cnOr(c)}: ${e.message}`),
        fix: [`Have ${e.depth === 0 ? `the server's ${certName} certificate` : cnOr(c)} re-issued without marking that extension critical (OpenSSL, and so Traffic Server, refuses a certificate with a critical extension it does not process)`],
      };
    case 'invalid_ca':
    case 'invalid_purpose':
    case 'chain_too_long':
      return {
        reason: because(`${cnOr(c)}: ${e.message}`),
        fix: [
          e.code === 'invalid_purpose' && e.depth === 0
            ? `Re-issue the server's ${certName} certificate with Extended Key Usage "TLS Web Server Authentication" (serverAuth)`
            : `Have the CA re-issue ${cnOr(c)} with basicConstraints CA:TRUE and keyUsage keyCertSign (and no path length limit that the chain exceeds)`,
        ],
      };
    case 'weak_key':
    case 'weak_digest': {
      const what = e.code === 'weak_key' ? `a 2048-bit (or larger) RSA key or an ECDSA P-256 key` : 'a SHA-256 signature';
      return {
        reason: because(`${cnOr(c)}: ${e.message}`),
        fix: [
          e.depth === 0
            ? `Re-issue the server's ${certName} certificate with ${what} (CUCM: regenerate it or sign a new CSR)`
            : e.code === 'weak_key'
              ? `Replace the CA certificate ${cnOr(c)} by one with a 2048-bit (or larger) RSA key or an ECDSA key, on the server and in ${TRUST_STORE_MENU}`
              : `Have ${cnOr(c)} re-signed by its CA with SHA-256 (or replaced), on the server and in ${TRUST_STORE_MENU}`,
          'Security level 2 is the default of OpenSSL 3 (Traffic Server on a current Linux) and of tls-extract; an Expressway on OpenSSL 1.1.1 (level 1) still accepts 1024-bit RSA keys and SHA-1 signatures: --security-level 0 shows the verdict without these checks',
        ],
      };
    }
    case 'bad_time_format':
      return {
        reason: because(`${cnOr(c)}: ${e.message}`),
        fix: [
          e.depth === 0
            ? `Re-issue the server's ${certName} certificate: its validity dates must be written as RFC 5280 requires (UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ, no fractions of a second or time-zone offsets), which OpenSSL, and so Traffic Server, insists on`
            : `Replace the CA certificate ${cnOr(c)} by one whose validity dates are written as RFC 5280 requires (YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ), on the server and in ${TRUST_STORE_MENU}`,
        ],
      };
    case 'name_constraints':
      return {
        reason: because(`${cnOr(c)}: ${e.message}`),
        fix: [
          e.depth === 0
            ? `Re-issue the server's ${certName} certificate with only names (SANs and subject) that the issuing CA's name constraints permit, or have it issued by a CA whose constraints cover the server's names`
            : `Have ${cnOr(c)} issued under a CA whose name constraints cover it, or have the constraining CA re-issued with constraints that include these names`,
          'OpenSSL (and so Traffic Server) enforces the nameConstraints of every CA in the chain, the trust anchor included, on every certificate below it',
        ],
      };
    case 'name_mismatch':
      return nameAdvice(e, conn, certName);
    default:
      return { reason: because(e.message), fix: [] };
  }
}

function nameAdvice(e: ValidationError, conn: FindingsConnection, certName: string): Advice {
  const leaf = conn.certificates[0];
  const name = conn.validation.checked_name ?? conn.server.ip;
  const source = { option: 'given with --name', sni: 'sent as SNI', log: 'named in the Traffic Server log', ip: 'the server IP address' }[
    conn.validation.checked_name_source ?? 'ip'
  ];
  const has = leaf ? [...leaf.san.dns.slice(0, 8).map((d) => `DNS:${d}`), ...leaf.san.ip.slice(0, 4).map((i) => `IP:${i}`), ...(leaf.subject_cn ? [`CN=${leaf.subject_cn}`] : [])] : [];
  const better = leaf?.san.dns.find((d) => !d.startsWith('*')) ?? leaf?.subject_cn ?? null;
  return {
    reason: `Traffic Server checked the name ${name} (${source}) but the certificate holds ${has.join(', ') || 'no names'}${
      e.detail?.includes('IP-address SAN') ? `: ${e.detail}` : ''
    }`,
    fix: [
      `Put ${name} in the Subject Alternative Names of the server's ${certName} certificate (re-issue it; a multi-SAN certificate can list every node)`,
      better
        ? `Or advertise the name that is in the certificate: on CUCM, System > Server, define this node as ${better} (an FQDN the Expressway-C resolves)`
        : 'Or advertise the node under System > Server with an FQDN that the certificate contains',
      ...(leaf && leaf.san.ip.length > 0 ? ['An IP-address SAN does not help: Traffic Server ignores IP SANs; use an FQDN'] : []),
    ],
  };
}

/** Fatal alerts by which the server rejects the client (Expressway-C) certificate. */
export const CLIENT_CERT_REJECTIONS = new Set([
  'unknown_ca', 'bad_certificate', 'certificate_unknown', 'unsupported_certificate', 'certificate_expired', 'certificate_revoked', 'access_denied',
]);

export function clientRejectAdvice(conn: FindingsConnection, description: string): Advice {
  const trust = conn.server.port === 5061 || conn.server.port === 5091 ? 'CallManager-trust' : 'tomcat-trust';
  return {
    reason: `the server ended the handshake with a fatal ${description} alert: it does not accept the Expressway-C client certificate${
      conn.client_certificate_requested ? ' it asked for' : ''
    } (mutual TLS)`,
    fix: [
      `Upload the CA that signed the Expressway-C server certificate (or the certificate itself if self-signed) to the server's ${trust} (CUCM: Cisco Unified OS Administration > Security > Certificate Management > Upload Certificate), then restart the affected services`,
    ],
  };
}
