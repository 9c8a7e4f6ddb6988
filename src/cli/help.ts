/**
 * `tls-extract --help`: synopsis, options, worked examples for the three common cases and the exit
 * code table (kept in step with src/errors.ts ExitCode by a test).
 */
import { ExitCode } from '../errors.js';

export function helpText(): string {
  return `Usage: tls-extract [options] <capture|bundle|folder>...

Reads packet captures (pcap, pcapng, gzip) and Cisco Expressway diagnostic
bundles (.tar.gz or an extracted folder), extracts every TLS handshake and
certificate, validates each chain the way Traffic Server on Expressway-C does,
matches the Expressway log lines, and says per server and port what is wrong
and how to fix it.

Inputs and analysis:
  --truststore FILE      CA certificates (PEM) to validate against; repeatable.
                         Default: the ca_*.pem inside a diagnostic bundle
  --log FILE             Expressway / Traffic Server log to match; repeatable
  --name NAME            check this server name instead of the SNI / log name
  --log-tz TZ            zone of log times without offset (Europe/Paris, +02:00)
  --window MS            how far apart a log line and its handshake may be (ms)
  --security-level N     OpenSSL security level to validate at, 0-5 (default 2,
                         OpenSSL 3's): weaker keys (RSA < 2048 bits) and SHA-1/
                         MD5 signatures fail (weak_key, weak_digest); 1 allows
                         1024-bit RSA, 0 turns these checks off

Output:
  --format FORMAT        table (default), json or markdown
  --json                 same as --format json (the versioned JSON contract)
  --markdown[=FILE]      Markdown case report: to FILE, besides the normal
                         output, or instead of the table when no FILE is given
  --timeline[=SERVER]    request, handshake, certificate, warning, response per
                         server:port in time order; SERVER = name, IP or ip:port
  -o, --output FILE      write the output to FILE instead of standard output
  --export-certs DIR     write every distinct certificate as PEM (CN_hash.pem)
  --export-missing DIR   write the certificates to add to the trust store
  --redact               replace user names with pseudonyms (user1, user2, ...)
  --redact-ips           also replace IP addresses (192.0.2.x), drop PEMs
  --color WHEN           auto (terminal without NO_COLOR), always or never
  --width N              fit tables to N columns (default: terminal, else 80)
  --quiet                no progress bar, no notes on standard error

Exit status:
  --strict               exit ${ExitCode.strict} when anomalies were seen (decode errors, gaps)
  --fail-on-untrusted    exit ${ExitCode.untrusted} when a server presented an untrusted chain
  -h, --help             show this help
  -V, --version          show the version

Examples:
  One capture checked against the Expressway-C trust store:
    tls-extract --truststore expc-trusted-ca.pem capture.pcap

  A diagnostic bundle (capture, log and trust store are all inside):
    tls-extract diagnostic_log_expc_2022-07-11_16_58_10.tar.gz
    tls-extract --markdown case.md --redact diagnostic_log_expc_*.tar.gz

  A capture with the log of the same run, then the story of one server:
    tls-extract --truststore ca.pem --log loggingsnapshot.txt c.pcapng
    tls-extract --log loggingsnapshot.txt --timeline=10.48.36.215:6972 c.pcapng

Exit codes:
  ${ExitCode.ok}  analysis completed (whatever the verdicts)
  ${ExitCode.internal}  internal error (a bug: TLS_EXTRACT_DEBUG=1 shows the stack; report it)
  ${ExitCode.usage}  bad usage: unknown option, missing or invalid value, no input;
     or the output cannot be written (--output path, a full disk)
  ${ExitCode.inputMissing}  an input is missing or unreadable, or a folder holds no capture
  ${ExitCode.notCapture}  an input is empty or not a capture (a log, PEM alone: --log, --truststore)
  ${ExitCode.truststore}  a trust store was given but none of its certificates could be read
  ${ExitCode.strict}  --strict and anomalies were seen
  ${ExitCode.untrusted}  --fail-on-untrusted and a chain is untrusted (wins over ${ExitCode.strict})

Untrusted text (names, log lines) is shown with control and invisible characters
escaped as \\xNN or \\u{NNNN}; --json keeps the exact values.
`;
}
