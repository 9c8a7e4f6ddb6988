/**
 * The commands the benchmark compares, and their versions.
 *  - tls-extract: the CLI end to end, JSON report, trust store given (what a user runs).
 *  - tshark: dissects every packet, prints every certificate of every Certificate message
 *    (the source port is printed too, to split server and client certificates).
 *  - ssldump: decodes every TLS connection and prints the handshake with certificates parsed (-N).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Command {
  cmd: string;
  args: string[];
}

export function tlsExtractCommand(root: string, capture: string, truststore: string, nodeFlags: string[] = []): Command {
  return { cmd: process.execPath, args: [...nodeFlags, join(root, 'bin', 'tls-extract.js'), capture, '--truststore', truststore, '--json'] };
}

export function tsharkCommand(capture: string): Command {
  return {
    cmd: 'tshark',
    args: ['-r', capture, '-Y', 'tls.handshake.type==11', '-T', 'fields', '-e', 'tcp.srcport', '-e', 'tls.handshake.certificate'],
  };
}

export function ssldumpCommand(capture: string): Command {
  return { cmd: 'ssldump', args: ['-r', capture, '-N', '-n'] };
}

/** Missing pieces of the tool, or [] when it looks built. */
export function missingToolFiles(root: string): string[] {
  return ['dist/src/pipeline.js', 'dist/cli/main.js', 'bin/tls-extract.js'].filter((f) => !existsSync(join(root, f)));
}

export interface Versions {
  tls_extract: string;
  node: string;
  tshark: string | null;
  ssldump: string | null;
  openssl: string | null;
  os: string;
}

export function versions(root: string): Versions {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const rev = firstLine('git', ['-C', root, 'rev-parse', '--short', 'HEAD']);
  const dirty = firstLine('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no']) ? '+dirty' : '';
  return {
    tls_extract: `${pkg.version}${rev ? ` (${rev}${dirty})` : ''}`,
    node: process.version,
    tshark: firstLine('tshark', ['--version']),
    ssldump: firstLine('ssldump', ['-v']),
    openssl: firstLine('openssl', ['version']),
    os: firstLine('uname', ['-sr']) ?? process.platform,
  };
}

function firstLine(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0 || r.error) return null;
  return (r.stdout || r.stderr).split('\n')[0].trim() || null;
}
