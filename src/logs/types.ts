/**
 * Log evidence model: one `LogEvent` per relevant log entry of an Expressway loggingsnapshot or an
 * Apache Traffic Server diags.log / error.log (expressway-reference.md §1.4, §2).
 */
export type LogEventKind =
  /** `Core server certificate verification failed for (sni). Action=… Error=… server=name(ip) depth=n` */
  | 'verify_failed'
  /** `SNI (sni) not in certificate. Action=… server=name(ip)` */
  | 'sni_mismatch'
  /** `Origin hostname (host) not in certificate. Action=… server=name(ip)` (ATS 9.2.15+) */
  | 'origin_hostname_mismatch'
  /** `TS_EVENT_SSL_VERIFY_SERVER plugin failed the origin certificate check for name.  Action=… SNI=…` */
  | 'plugin_verify_failed'
  /** `SSL connection failed for 'sni': <OpenSSL error>` */
  | 'ssl_connect_failed'
  /** ATS 8.0.0 `Hostname verification failed for (sni)` / `IP verification failed for (sni)` */
  | 'hostname_verify_failed_legacy'
  /** ATS 8.0.0 `Server certificate verification failed …` */
  | 'server_verify_failed_legacy'
  /** ATS 9.2 error.log `CONNECT: attempt fail [STATE] to ip:port for host='…' … url='…'` */
  | 'connect_attempt_failed'
  | 'request_received'
  | 'request_allowed'
  | 'request_sent'
  | 'response_received'
  | 'response_sent'
  | 'http_error_response'
  | 'tcp_closed'
  | 'other';

export interface MraTarget {
  domain: string;
  scheme: string;
  host: string;
  port: number;
}

export interface LogEvent {
  /** log name as given to parseLog (path, or bundle!member) */
  file: string;
  /** 1-based line number of the entry's first line */
  line: number;
  /** UTC microseconds since the epoch, null when the entry has no usable time */
  timeMicros: number | null;
  kind: LogEventKind;
  /** level word as logged (WARNING, ERROR, INFO, DEBUG, …) */
  level: string | null;
  txnId: string | null;
  trackingId: string | null;
  /** verbatim first line (entries can span lines; the first line, capped) */
  text: string;
  sni: string | null;
  serverName: string | null;
  serverIp: string | null;
  serverPort: number | null;
  srcIp: string | null;
  srcPort: number | null;
  action: string | null;
  /** OpenSSL text (`Error=` of the ATS warning, or the OpenSSL error string) */
  error: string | null;
  depth: number | null;
  status: number | null;
  reason: string | null;
  method: string | null;
  url: string | null;
  /** decoded base64 MRA path segment */
  mra: MraTarget | null;
  /** resolution of timeMicros in ms when coarser than 1 ms (error.log: 1000); absent = 1 ms */
  timePrecisionMs?: number;
  /** process id from the syslog prefix (`traffic_server[18242]`), keys Txn-id groups across restarts */
  pid?: number | null;
}

export type LogFormat = 'expressway' | 'ats_diags' | 'ats_error' | 'unknown';

export interface ParsedLog {
  file: string;
  format: LogFormat;
  /** physical lines read */
  lines: number;
  events: LogEvent[];
  /** lines that could not be parsed (no known prefix and not a continuation line, binary) */
  skipped: number;
  /** [min, max] of event times (UTC µs), null if no event has a time */
  timeRange: [number, number] | null;
}

/** Fields a format parser found; everything else of the event is null. */
export type EventFields = Partial<LogEvent> & { kind: LogEventKind };

/**
 * An event with every field written in one fixed order (one hidden class for all events: they
 * can be numerous), taking what the parser found from `f`.
 */
export function makeEvent(file: string, line: number, text: string, f: EventFields): LogEvent {
  return {
    file, line, timeMicros: f.timeMicros ?? null, kind: f.kind, level: f.level ?? null, txnId: f.txnId ?? null,
    trackingId: f.trackingId ?? null, text, sni: f.sni ?? null, serverName: f.serverName ?? null, serverIp: f.serverIp ?? null,
    serverPort: f.serverPort ?? null, srcIp: f.srcIp ?? null, srcPort: f.srcPort ?? null, action: f.action ?? null,
    error: f.error ?? null, depth: f.depth ?? null, status: f.status ?? null, reason: f.reason ?? null, method: f.method ?? null,
    url: f.url ?? null, mra: f.mra ?? null, pid: f.pid ?? null,
  };
}
