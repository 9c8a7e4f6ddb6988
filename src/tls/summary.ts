/**
 * What the packet pass (capture → decode → tcp → tls) produces per TCP connection that carried a
 * TLS handshake. Small objects; certificate DER is kept once per distinct certificate (CertStore).
 * Raw codes are kept (cipher 0xc02c, version 0x0303); names come from tls/registry at render time.
 */
export interface ClientHelloInfo {
  /**
   * legacy_version of the ClientHello body; for an SSLv2-format CLIENT-HELLO its version field:
   * 0x0002 for a pure SSL 2.0 hello, 0x0300..0x0303 for an SSLv2-compatible TLS hello (as tshark)
   */
  legacyVersion: number;
  /** record-layer version of the first record (0x0002 for an SSLv2-format record) */
  recordVersion: number;
  /** supported_versions extension contents in order (GREASE included), else [] */
  supportedVersions: number[];
  /** cipher suites in order; for an SSLv2-format hello the 3-byte CIPHER-SPECs (TLS suites are 0x00xxxx) */
  cipherSuites: number[];
  /** SNI host_name (first of type 0), raw string as sent (may contain anything) */
  sni: string | null;
  alpn: string[];
  signatureAlgorithms: number[];
  supportedGroups: number[];
  /** extension types in order */
  extensions: number[];
  /** true for the SSLv2-compatible CLIENT-HELLO */
  sslv2: boolean;
}

export interface ServerHelloInfo {
  legacyVersion: number;
  /** negotiated version: supported_versions if present, else legacyVersion */
  version: number;
  /** the chosen suite; -1 when none was chosen in this message (SSL 2.0 SERVER-HELLO lists candidates) */
  cipherSuite: number;
  compression: number;
  alpn: string | null;
  extensions: number[];
  /** TLS 1.3 HelloRetryRequest (special random) seen */
  helloRetryRequest: boolean;
  /** (optional, added by tls/) an SSL 2.0 SERVER-HELLO: version 0x0002, cipherSuite -1 */
  sslv2?: boolean;
}

/** A certificate as it appeared in a Certificate message. */
export interface CertEntry {
  /** sha256 of the DER, lower-case hex; for an incomplete certificate, of the bytes we have */
  sha256: string;
  complete: boolean;
  /** length declared by the certificate_list entry */
  declaredLength: number;
  /** bytes actually captured */
  capturedLength: number;
}

export interface AlertInfo {
  from: 'client' | 'server';
  level: number;
  description: number;
  /** false when the alert record was encrypted (after ChangeCipherSpec): level/description unknown (-1) */
  cleartext: boolean;
  tsMicros: number;
  packet: number;
}

export interface CertificateRequestInfo {
  /** acceptable CA distinguished names (DER), as sent */
  caNames: Uint8Array[];
  certificateTypes: number[];
  signatureAlgorithms: number[];
}

export interface Endpoint {
  ip: string;
  port: number;
}

/** One TCP connection that carried (at least the start of) a TLS handshake. */
export interface ConnectionSummary {
  /** order of first packet over the run (deterministic) */
  id: number;
  fileIndex: number;
  client: Endpoint;
  server: Endpoint;
  startMicros: number;
  /** first packet number of the connection in its file */
  firstPacket: number;
  clientHello: ClientHelloInfo | null;
  clientHelloMicros: number | null;
  serverHello: ServerHelloInfo | null;
  serverHelloMicros: number | null;
  /** packet time that completed the server's Certificate message */
  serverCertificateMicros: number | null;
  /** one list per server Certificate message seen (normally one) */
  serverCertificates: CertEntry[];
  serverCertificateMessages: number;
  clientCertificates: CertEntry[];
  clientCertificateMessages: number;
  certificateRequest: CertificateRequestInfo | null;
  /** named group from ServerKeyExchange (ECDHE), else null */
  serverKeyExchangeGroup: number | null;
  alerts: AlertInfo[];
  /** handshake message types in order per direction (for the history / debugging) */
  clientMessages: number[];
  serverMessages: number[];
  /** the server negotiated TLS 1.3 (certificates encrypted) */
  tls13: boolean;
  /** free-text notes: gaps, mid-stream start, truncation, preamble, eviction */
  notes: string[];
  /** the connection's handshake was cut (gap/truncation/eviction) before the server's certificates */
  incomplete: boolean;
}
