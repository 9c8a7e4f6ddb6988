/**
 * Every limit in one place (named, documented in the README, reported as `limit.<name>` when hit).
 * Defaults were chosen to keep peak memory under ~150 MiB on multi-GB captures.
 */
export interface Limits {
  /** largest caplen / EPB captured length accepted by the readers (bytes) */
  maxPacketBytes: number;
  /** largest pcapng block accepted (bytes) */
  maxBlockBytes: number;
  /** TLS record body longer than this is "not TLS" (2^14 + 2048 allows TLSCiphertext) */
  maxRecordBytes: number;
  /** largest handshake message we reassemble (Certificate chains; the protocol allows 2^24; zeek's
   *  tls-fragmented-handshake.pcap carries a 339,629-byte Certificate message) */
  maxHandshakeBytes: number;
  /** certificates kept per Certificate message */
  maxCertificatesPerChain: number;
  /** out-of-order bytes buffered per direction of a flow (each segment held counts half-stream.ts SEGMENT_OVERHEAD more) */
  maxOutOfOrderBytesPerDirection: number;
  /** bytes buffered over all flows (out-of-order data, partial records/messages) */
  maxTotalBufferedBytes: number;
  /** flows tracked at once (mid-handshake, or in their closing grace period; not tombstoned): beyond it
   *  the oldest closing flow is closed, else the least recently active one evicted. A flow mid-handshake
   *  holds ~2 KB (and V8 keeps about three times what is live), so 10,000 bounds the worst case (a flood of
   *  unanswered or reset ClientHellos) near 60 MB of heap; real captures track tens to hundreds at once,
   *  a TLS flow being dropped as soon as its handshake is over. SYN-only rows: a quarter of it. */
  maxFlows: number;
  /** fragmented IP datagrams (IPv4 and IPv6) waiting for their other fragments */
  maxFragmentedDatagrams: number;
  /** bytes of fragments buffered over all those datagrams */
  maxFragmentBytes: number;
  /** a fragmented datagram still incomplete after this long in capture time is dropped (microseconds) */
  fragmentTimeoutMicros: number;
  /** tombstones of finished flows remembered (later packets of those flows cost one lookup) */
  maxTombstones: number;
  /** a flow idle this long in capture time is flushed (microseconds) */
  idleTimeoutMicros: number;
  /** bytes of non-TLS preamble searched for a TLS handshake (STARTTLS, CONNECT, ...) per direction */
  maxPreambleBytes: number;
  /** distinct certificates kept */
  maxCertificates: number;
  /**
   * DER bytes of the distinct certificates kept, all together: 10,000 real certificates are ~15-60 MB,
   * while a crafted capture of megabyte-sized ones would otherwise hold (and analyse) gigabytes
   */
  maxCertificateBytes: number;
  /** log line length; longer lines are truncated and counted */
  maxLogLineBytes: number;
  /** decompressed / compressed ratio above which a gzip member is abandoned (gzip bomb) */
  maxDecompressionRatio: number;
  /** absolute cap on decompressed bytes of one non-capture archive member (logs, PEM, xconf) */
  maxMemberBytes: number;
  /** SANs kept per certificate */
  maxSansPerCertificate: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxPacketBytes: 262144,
  maxBlockBytes: 16 * 1024 * 1024,
  maxRecordBytes: 16384 + 2048,
  maxHandshakeBytes: 1024 * 1024,
  maxCertificatesPerChain: 32,
  maxOutOfOrderBytesPerDirection: 256 * 1024,
  maxTotalBufferedBytes: 64 * 1024 * 1024,
  maxFlows: 10_000,
  maxFragmentedDatagrams: 1024,
  maxFragmentBytes: 8 * 1024 * 1024,
  fragmentTimeoutMicros: 30 * 1_000_000,
  maxTombstones: 1_000_000,
  idleTimeoutMicros: 300 * 1_000_000,
  maxPreambleBytes: 8192,
  maxCertificates: 10_000,
  maxCertificateBytes: 64 * 1024 * 1024,
  maxLogLineBytes: 64 * 1024,
  maxDecompressionRatio: 1000,
  maxMemberBytes: 256 * 1024 * 1024,
  maxSansPerCertificate: 1000,
});

export function resolveLimits(partial?: Partial<Limits>): Limits {
  const out = { ...DEFAULT_LIMITS, ...partial };
  for (const [k, v] of Object.entries(out)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new RangeError(`limit ${k} must be a positive number`);
  }
  return out;
}
