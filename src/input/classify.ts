/**
 * Role of a file inside an Expressway diagnostic bundle, by its name (expressway-reference.md
 * §1.2): loggingsnapshot_<host>_<ts>.txt (log), eth<n>_diagnostic_logging_tcpdump<x>_<host>_<ts>.pcap
 * (capture), ca_<host>_<ts>.pem (trust store), server_<host>_<ts>.pem, client_…pem (X15.5+),
 * xconf_dump_*. Loose captures and Traffic Server logs are recognised by extension as well.
 */
export type MemberRole = 'capture' | 'log' | 'truststore' | 'server_cert' | 'client_cert' | 'xconf' | 'other';

function baseName(name: string): string {
  const inner = name.slice(name.lastIndexOf('!') + 1);
  return inner.slice(Math.max(inner.lastIndexOf('/'), inner.lastIndexOf('\\')) + 1).toLowerCase();
}

export function classifyMember(name: string): MemberRole {
  const b = baseName(name);
  if (/^loggingsnapshot_.*\.txt(\.gz)?$/.test(b)) return 'log';
  if (/^eth\d+_diagnostic_logging_tcpdump.*\.pcap(ng)?\d*(\.gz)?$/.test(b)) return 'capture';
  if (/\.(pcap|pcapng|cap)(\.gz)?$/.test(b)) return 'capture';
  if (/^ca_.*\.pem$/.test(b)) return 'truststore';
  if (/^server_.*\.pem$/.test(b)) return 'server_cert';
  if (/^client_.*\.pem$/.test(b)) return 'client_cert';
  if (/^xconf_dump_/.test(b)) return 'xconf';
  if (/^(diags|error|traffic)\.(log|out)(\.\d+)?(\.gz)?$/.test(b) || /\.log(\.\d+)?(\.gz)?$/.test(b)) return 'log';
  return 'other';
}

/**
 * Natural sort key: digit runs compare as numbers, so `tcpdump2` < `tcpdump10` and a rotated
 * series per interface stays in order (eth0_…tcpdump00, 01, …, then eth1_…).
 */
export function naturalCompare(a: string, b: string): number {
  const ra = a.split(/(\d+)/);
  const rb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    if (ra[i] === rb[i]) continue;
    if (i % 2 === 1) {
      const d = Number(ra[i]) - Number(rb[i]);
      if (d !== 0) return d;
    }
    return ra[i] < rb[i] ? -1 : 1;
  }
  return ra.length - rb.length;
}
