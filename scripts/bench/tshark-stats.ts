/**
 * Ground truth from tshark: handshake messages and certificates per direction. Used for the base capture's
 * sidecar (expected counts, multiplied by the number of copies) and to count tshark's certificates in the
 * reference run (`-e tcp.srcport -e tls.handshake.certificate`).
 */
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface TlsCounts {
  clientHellos: number;
  serverHellos: number;
  /** Certificate handshake messages (type 11) sent by servers / by clients */
  certificateMessages: { server: number; client: number };
  /** certificates inside those messages */
  certificates: { server: number; client: number };
}

export function emptyCounts(): TlsCounts {
  return { clientHellos: 0, serverHellos: 0, certificateMessages: { server: 0, client: 0 }, certificates: { server: 0, client: 0 } };
}

export function scaleCounts(c: TlsCounts, k: number): TlsCounts {
  return {
    clientHellos: c.clientHellos * k,
    serverHellos: c.serverHellos * k,
    certificateMessages: { server: c.certificateMessages.server * k, client: c.certificateMessages.client * k },
    certificates: { server: c.certificates.server * k, client: c.certificates.client * k },
  };
}

/** Counts handshake types 1, 2, 11 and certificate entries; `serverPorts` decides the direction. */
export async function tsharkCounts(capture: string, serverPorts: number[]): Promise<TlsCounts> {
  const args = ['-r', capture, '-Y', 'tls.handshake', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,',
    '-e', 'tcp.srcport', '-e', 'tls.handshake.type', '-e', 'tls.handshake.certificate_length'];
  const counts = emptyCounts();
  const servers = new Set(serverPorts);
  await forEachLine('tshark', args, (line) => {
    const [port, types, lengths] = line.split('\t');
    const side = servers.has(Number(port)) ? 'server' : 'client';
    for (const t of types ? types.split(',') : []) {
      if (t === '1') counts.clientHellos++;
      else if (t === '2') counts.serverHellos++;
      else if (t === '11') counts.certificateMessages[side]++;
    }
    if (lengths) counts.certificates[side] += lengths.split(',').length;
  });
  return counts;
}

/**
 * Counts certificates in the saved output of the reference command
 * `tshark -Y tls.handshake.type==11 -T fields -e tcp.srcport -e tls.handshake.certificate`.
 */
export async function countTsharkCertificateFile(path: string, serverPorts: number[]): Promise<{ server: number; client: number }> {
  const servers = new Set(serverPorts);
  const n = { server: 0, client: 0 };
  const rl = createInterface({ input: createReadStream(path) });
  for await (const line of rl) {
    const [port, certs] = line.split('\t');
    if (certs) n[servers.has(Number(port)) ? 'server' : 'client'] += certs.split(',').length;
  }
  return n;
}

function forEachLine(cmd: string, args: string[], onLine: (line: string) => void): Promise<void> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    stderr = (stderr + s).slice(-2000);
  });
  const rl = createInterface({ input: child.stdout });
  rl.on('line', onLine);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} exited with ${code}: ${stderr.trim()}`));
    });
  });
}
