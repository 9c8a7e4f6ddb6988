/**
 * The report: the versioned `--json` contract (docs: json-contract.md, schema: schema/report.schema.json)
 * and the only shape renderers see. Field names are a public interface: add, never rename or drop.
 */
export const SCHEMA_VERSION = 1;

export interface CaptureInfo {
  path: string;
  format: 'pcap' | 'pcapng';
  link_types: string[];
  packets: number;
  bytes: number;
  first_packet: string | null;
  last_packet: string | null;
  decode_errors: number;
  /** sha256 of the capture file bytes as read (compressed bytes for .gz) */
  sha256?: string;
  /** the file ended in the middle of a packet or block */
  truncated?: boolean;
}

export interface CertificateOut {
  sha256: string;
  subject: string;
  issuer: string;
  subject_cn: string | null;
  issuer_cn: string | null;
  serial: string;
  not_before: string | null;
  not_after: string | null;
  san: { dns: string[]; ip: string[] };
  key: { type: string; bits: number | null; curve: string | null };
  signature_algorithm: string;
  self_signed: boolean;
  ca: boolean;
  ski: string | null;
  aki: string | null;
  complete: boolean;
  pem: string | null;
  /** extra, not in contract v1 core: extended key usage OIDs names, key usage names */
  eku?: string[];
  key_usage?: string[];
  /** DER bytes declared vs captured, for incomplete certificates */
  der_length?: number;
  captured_length?: number;
}

export interface ValidationError {
  code: ValidationCode;
  depth: number | null;
  message: string;
  /** OpenSSL 3.x spelling where it differs from 1.1.1 (`message` is the 1.1.1 spelling) */
  message_openssl3?: string;
  /** plain-words explanation */
  detail?: string;
}

export type ValidationCode =
  | 'self_signed'
  | 'self_signed_in_chain'
  | 'unknown_issuer'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'name_mismatch'
  | 'not_visible'
  | 'incomplete'
  | 'invalid_ca'
  | 'invalid_purpose'
  | 'chain_too_long'
  /** OpenSSL security level: a key (EE/CA certificate key too weak) or a signature digest below it */
  | 'weak_key'
  | 'weak_digest'
  /** a critical extension OpenSSL does not process (unhandled critical extension) */
  | 'unhandled_critical'
  | 'name_constraints'
  | 'bad_time_format';

export interface ValidationOut {
  status: 'trusted' | 'untrusted' | 'not_checked';
  checked_name: string | null;
  /** where checked_name came from */
  checked_name_source?: 'option' | 'sni' | 'log' | 'ip' | null;
  errors: ValidationError[];
  chain: string[];
  anchor: string | null;
  /** would the same chain be valid at the time of the run? */
  valid_now?: boolean | null;
  /** RFC 6125 / OpenSSL name result where it differs from Traffic Server's */
  rfc6125_name_match?: boolean | null;
}

export interface LogEventOut {
  file: string;
  line: number;
  time: string | null;
  kind: string;
  txn_id: string | null;
  text: string;
}

export interface ConnectionOut {
  capture: string;
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  start: string;
  handshake_time: string | null;
  client_hello: null | { sni: string | null; versions: string[]; cipher_suites: string[]; alpn: string[] };
  server_hello: null | { version: string; cipher_suite: { id: string; name: string } | null /* null: SSL 2.0 SERVER-HELLO */; version_id?: string; hello_retry_request?: boolean; alpn?: string | null };
  certificates_visible: boolean;
  certificates: CertificateOut[];
  client_certificate_requested: boolean;
  /** extra: the CertificateRequest's acceptable CA names (RFC 4514), when one was sent */
  certificate_request?: { ca_names: string[] } | null;
  client_certificates: CertificateOut[];
  alerts: { from: 'client' | 'server'; level: 'fatal' | 'warning' | 'unknown'; description: string; cleartext?: boolean; level_id?: number | null; description_id?: number | null; time?: string | null }[];
  validation: ValidationOut;
  log_events: LogEventOut[];
  notes: string[];
  /** extras */
  id?: number;
  first_packet?: number;
  key_exchange_group?: string | null;
}

/**
 * What findings read of a connection (report/findings.ts, trust/*): the streamed report keeps only this
 * slim view of each connection once its JSON is written; every field is the connection's own value.
 */
export type FindingsConnection = Pick<ConnectionOut,
  'id' | 'server' | 'handshake_time' | 'client_hello' | 'server_hello' | 'certificates_visible' | 'certificates' |
  'client_certificate_requested' | 'client_certificates' | 'alerts' | 'validation' | 'log_events'>;

export interface FindingOut {
  server: { ip: string | null; port: number | null; name: string | null };
  service: string | null;
  verdict: 'trusted' | 'untrusted' | 'mixed' | 'not_visible' | 'not_checked' | 'info';
  /** machine code of the main problem, e.g. self_signed, unknown_issuer, name_mismatch, client_cert_rejected */
  code: string;
  severity: 'error' | 'warning' | 'info';
  title: string;
  reason: string;
  fix: string[];
  connections: number[];
  certificates: string[];
  log_events: number;
}

export interface DiagnosticOut {
  key: string;
  severity: string;
  count: number;
  samples: { file?: number; packet?: number; flow?: number; detail?: string }[];
}

export interface Report {
  tool: 'tls-extract';
  schema_version: number;
  version: string;
  captures: CaptureInfo[];
  truststore: null | {
    paths: string[];
    certificates: { sha256: string; subject: string; not_after: string | null; subject_cn?: string | null }[];
    errors?: { file: string; index: number | null; reason: string }[];
    /** the OpenSSL security level the chains were validated at (weak_key, weak_digest) */
    security_level?: number;
  };
  connections: ConnectionOut[];
  findings: FindingOut[];
  diagnostics?: DiagnosticOut[];
  unmatched_log_events?: (LogEventOut & { server?: string | null })[];
  logs?: { path: string; lines: number; events: number; skipped: number; clock_offset_ms?: number | null }[];
  inputs?: { path: string; sha256: string | null; kind: string }[];
}
