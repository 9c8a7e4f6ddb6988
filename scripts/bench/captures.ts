/**
 * The benchmark's capture cache, .cache/bench/gen-v<GENERATOR_VERSION>/:
 *   certs/ca.pem ...        PKI (make-certs.sh); ca.pem is the trust store given to every tool
 *   base.pcap + base.json   real traffic from gen-base.sh (tens of seconds, ~150 MB) and its tshark counts
 *   capture-1g.pcap + .json ≥ 1 GiB: the base replicated (replicate.ts) with expected counts
 *   capture-1g.pcap.gz      the same, gzip -6 (compressed-input figure)
 *   capture-1g.tar.gz       the same capture as the one member of a diagnostic-bundle-like .tar.gz (gzip -6),
 *                           named like an Expressway tcpdump file (bundle-input figure)
 *   series-1g/              the same capture cut into 20 MB files named like an Expressway tcpdump series
 *                           (folder-input figure: what an extracted diagnostic bundle holds)
 *   capture-4g.pcap + .json 4× the copies of the 1 GiB capture (linearity; only with --large)
 * Everything is reused while GENERATOR_VERSION and the base capture are unchanged: bump GENERATOR_VERSION
 * whenever gen-base.sh or make-certs.sh change what they produce, REPLICATE_VERSION (replicate.ts) when the
 * replication changes (the base is then kept).
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync,
  statSync, statfsSync, writeFileSync, writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { PCAP_GLOBAL_HEADER, PCAP_RECORD_HEADER, indexPcap } from './pcap-file.js';
import { REPLICATE_VERSION, replicateCapture } from './replicate.js';
import { scaleCounts, tsharkCounts } from './tshark-stats.js';
import type { TlsCounts } from './tshark-stats.js';

export const GENERATOR_VERSION = 1;
/** ports the generator's servers listen on (gen-base.sh); TLS on all but 80 */
export const SERVER_PORTS = [80, 443, 5061, 8443];
const GIB = 2 ** 30;

export interface BaseInfo {
  generator_version: number;
  created: string;
  file: string;
  bytes: number;
  packets: number;
  duration_s: number;
  server_ports: number[];
  client_ops: Record<string, { ops: number; failed: number }>;
  tcpdump: string[];
  /** tshark's counts on the base capture; null when tshark is not installed */
  tls: TlsCounts | null;
}

export interface CaptureInfo {
  generator_version: number;
  created: string;
  file: string;
  link_type: 'EN10MB';
  bytes: number;
  packets: number;
  copies: number;
  overlap: number;
  stride_s: number;
  first_packet: string;
  last_packet: string;
  base_created: string;
  /** replicate.ts output format version (REPLICATE_VERSION) */
  replicate_version: number;
  /** base counts × copies: TLS handshakes (ClientHellos), Certificate messages, certificates */
  expected: TlsCounts | null;
  gzip?: { file: string; bytes: number };
  /** the capture inside a .tar.gz, as in a diagnostic log bundle (absent without a tar command) */
  bundle?: { file: string; bytes: number; member: string };
  /** the capture cut into a folder of 20 MB files, as tcpdump -C writes them */
  series?: { dir: string; files: number; bytes: number };
}

export interface CaptureSet {
  dir: string;
  truststore: string;
  base: BaseInfo;
  one: CaptureInfo;
  four: CaptureInfo | null;
}

export type Log = (message: string) => void;

export function cacheDir(root: string): string {
  return join(root, '.cache', 'bench');
}

export async function ensureCaptures(root: string, opts: { large: boolean; regen: boolean; log: Log }): Promise<CaptureSet> {
  const dir = join(cacheDir(root), `gen-v${GENERATOR_VERSION}`);
  mkdirSync(dir, { recursive: true });
  const base = await ensureBase(root, dir, opts.regen, opts.log);
  const copies = Math.ceil((GIB - 24) / (base.bytes - 24));
  const one = ensureReplica(dir, 'capture-1g', base, copies, opts.log);
  await ensureGzip(dir, one, opts.log);
  ensureBundle(dir, one, opts.log);
  ensureSeries(dir, one, opts.log);
  const four = opts.large ? ensureReplica(dir, 'capture-4g', base, 4 * copies, opts.log) : null;
  return { dir, truststore: join(dir, 'certs', 'ca.pem'), base, one, four };
}

async function ensureBase(root: string, dir: string, regen: boolean, log: Log): Promise<BaseInfo> {
  const sidecar = join(dir, 'base.json');
  const cached = readJson<BaseInfo>(sidecar);
  if (!regen && cached?.generator_version === GENERATOR_VERSION && sameSize(join(dir, 'base.pcap'), cached.bytes)) return cached;
  requireDisk(dir, GIB, log);
  if (process.getuid?.() !== 0) throw new Error('generating the base capture needs root (ip netns, tcpdump): run as root once');
  log(`generating the base capture in ${dir} (real TLS/HTTP traffic in namespace tlsx-bench, ~1 min)`);
  const gen = spawnSync('bash', [join(root, 'scripts', 'bench', 'gen-base.sh'), dir, '100'], { stdio: 'inherit' });
  if (gen.status !== 0) throw new Error(`gen-base.sh failed (exit ${gen.status})`);
  const file = join(dir, 'base.pcap');
  const index = indexPcap(file);
  const tls = hasCommand('tshark') ? await tsharkCounts(file, SERVER_PORTS) : null;
  const info: BaseInfo = {
    generator_version: GENERATOR_VERSION,
    created: new Date().toISOString(),
    file,
    bytes: index.bytes.length,
    packets: index.count,
    duration_s: (index.timestamps[index.count - 1] - index.timestamps[0]) / index.ticksPerSecond,
    server_ports: SERVER_PORTS,
    client_ops: clientOps(join(dir, 'gen-log.txt')),
    tcpdump: readFileSync(join(dir, 'tcpdump.txt'), 'utf8').split('\n').filter((l) => /captured|received|dropped/.test(l)),
    tls,
  };
  writeFileSync(sidecar, JSON.stringify(info, null, 2));
  return info;
}

function ensureReplica(dir: string, name: string, base: BaseInfo, copies: number, log: Log): CaptureInfo {
  const file = join(dir, `${name}.pcap`);
  const sidecar = join(dir, `${name}.json`);
  const cached = readJson<CaptureInfo>(sidecar);
  if (cached && cached.generator_version === GENERATOR_VERSION && cached.base_created === base.created &&
      cached.replicate_version === REPLICATE_VERSION &&
      cached.copies === copies && sameSize(file, cached.bytes)) return cached;
  requireDisk(dir, copies * base.bytes * 1.6, log); // the capture, its .gz for the 1 GiB one, and a margin
  log(`writing ${name}.pcap: ${copies} copies of the base capture (${(copies * base.bytes / 1e9).toFixed(2)} GB)`);
  const overlap = 4;
  const r = replicateCapture({ input: base.file, output: file, copies, overlap });
  const info: CaptureInfo = {
    generator_version: GENERATOR_VERSION,
    created: new Date().toISOString(),
    file,
    link_type: 'EN10MB',
    bytes: r.bytes,
    packets: r.packets,
    copies,
    overlap,
    stride_s: r.strideMicros / 1e6,
    first_packet: r.firstPacket,
    last_packet: r.lastPacket,
    base_created: base.created,
    replicate_version: REPLICATE_VERSION,
    expected: base.tls ? scaleCounts(base.tls, copies) : null,
  };
  writeFileSync(sidecar, JSON.stringify(info, null, 2));
  return info;
}

async function ensureGzip(dir: string, info: CaptureInfo, log: Log): Promise<void> {
  const gz = `${info.file}.gz`;
  if (info.gzip && sameSize(gz, info.gzip.bytes) && statSync(gz).mtimeMs >= statSync(info.file).mtimeMs) return;
  log(`compressing ${info.file} (gzip level 6, once)`);
  const gzip = spawnSync('sh', ['-c', 'gzip -6 -c "$1" > "$2"', 'sh', info.file, `${gz}.part`], { stdio: 'inherit' });
  if (gzip.status !== 0) {
    // no gzip binary: node's zlib at the same level
    await pipeline(createReadStream(info.file), createGzip({ level: 6 }), createWriteStream(`${gz}.part`));
  }
  renameSync(`${gz}.part`, gz);
  info.gzip = { file: gz, bytes: statSync(gz).size };
  writeFileSync(join(dir, 'capture-1g.json'), JSON.stringify(info, null, 2));
}

/** Name of the capture inside the bench bundle: an Expressway diagnostic-logging tcpdump file name. */
export const BUNDLE_MEMBER = 'eth0_diagnostic_logging_tcpdump00_bench_2026-11-27_08-00-00.pcap';

function ensureBundle(dir: string, info: CaptureInfo, log: Log): void {
  const tgz = join(dir, 'capture-1g.tar.gz');
  if (info.bundle && sameSize(tgz, info.bundle.bytes) && statSync(tgz).mtimeMs >= statSync(info.file).mtimeMs) return;
  if (!hasCommand('tar')) {
    log('no tar command: the .tar.gz bundle figure is skipped');
    return;
  }
  requireDisk(dir, info.bytes, log);
  log(`packing ${info.file} into capture-1g.tar.gz as ${BUNDLE_MEMBER} (tar + gzip level 6, once)`);
  const pack = spawnSync('sh', ['-c', 'tar -C "$1" --transform "s|^capture-1g.pcap$|$2|" -cf - capture-1g.pcap | gzip -6 > "$3"',
    'sh', dir, BUNDLE_MEMBER, `${tgz}.part`], { stdio: 'inherit' });
  if (pack.status !== 0) {
    log(`tar | gzip failed (exit ${pack.status}): the .tar.gz bundle figure is skipped`);
    return;
  }
  renameSync(`${tgz}.part`, tgz);
  info.bundle = { file: tgz, bytes: statSync(tgz).size, member: BUNDLE_MEMBER };
  writeFileSync(join(dir, 'capture-1g.json'), JSON.stringify(info, null, 2));
}

const SERIES_PART_BYTES = 20 * 1000 * 1000;

/** Cut the capture into ~20 MB pcap files (whole records, each with the global header), as tcpdump -C does. */
function ensureSeries(dir: string, info: CaptureInfo, log: Log): void {
  const out = join(dir, 'series-1g');
  if (info.series && existsSync(out) && readdirSync(out).length === info.series.files &&
    statSync(out).mtimeMs >= statSync(info.file).mtimeMs) return;
  requireDisk(dir, info.bytes, log);
  log(`cutting ${info.file} into ${SERIES_PART_BYTES / 1e6} MB files in series-1g/ (once)`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const fd = openSync(info.file, 'r');
  const head = Buffer.alloc(PCAP_GLOBAL_HEADER);
  readSync(fd, head, 0, PCAP_GLOBAL_HEADER, 0);
  const le = head.readUInt32LE(0) === 0xa1b2c3d4 || head.readUInt32LE(0) === 0xa1b23c4d;
  const buf = Buffer.alloc(8 << 20);
  let have = 0, pos = 0, fileOff = PCAP_GLOBAL_HEADER, part = -1, partBytes = 0, outFd = -1, total = 0;
  const nextPart = () => {
    if (outFd >= 0) closeSync(outFd);
    part++;
    outFd = openSync(join(out, `eth0_diagnostic_logging_tcpdump${String(part).padStart(2, '0')}_bench_2026-11-27_08-00-00.pcap`), 'w');
    writeSync(outFd, head);
    partBytes = PCAP_GLOBAL_HEADER;
    total += PCAP_GLOBAL_HEADER;
  };
  nextPart();
  for (;;) {
    if (have - pos < PCAP_RECORD_HEADER || have - pos < PCAP_RECORD_HEADER + (le ? buf.readUInt32LE(pos + 8) : buf.readUInt32BE(pos + 8))) {
      buf.copy(buf, 0, pos, have);
      have -= pos;
      pos = 0;
      const n = readSync(fd, buf, have, buf.length - have, fileOff);
      if (n <= 0) break;
      have += n;
      fileOff += n;
      continue;
    }
    const len = PCAP_RECORD_HEADER + (le ? buf.readUInt32LE(pos + 8) : buf.readUInt32BE(pos + 8));
    if (partBytes + len > SERIES_PART_BYTES) nextPart();
    writeSync(outFd, buf, pos, len);
    partBytes += len;
    total += len;
    pos += len;
  }
  closeSync(outFd);
  closeSync(fd);
  info.series = { dir: out, files: part + 1, bytes: total };
  writeFileSync(join(dir, 'capture-1g.json'), JSON.stringify(info, null, 2));
}

function requireDisk(dir: string, bytes: number, log: Log): void {
  const fs = statfsSync(dir);
  const free = fs.bavail * fs.bsize;
  const need = bytes + 2 * GIB;
  if (free < need) {
    throw new Error(`not enough disk space in ${dir}: ${(free / 1e9).toFixed(1)} GB free, need ${(need / 1e9).toFixed(1)} GB (check df -h)`);
  }
  log(`disk: ${(free / 1e9).toFixed(1)} GB free, this step needs about ${(bytes / 1e9).toFixed(1)} GB`);
}

function clientOps(logFile: string): Record<string, { ops: number; failed: number }> {
  const ops: Record<string, { ops: number; failed: number }> = {};
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    const [kind, rc] = line.split(' ');
    if (!kind) continue;
    ops[kind] ??= { ops: 0, failed: 0 };
    ops[kind].ops++;
    if (rc !== '0') ops[kind].failed++;
  }
  return ops;
}

export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { stdio: 'ignore' }).status === 0;
}

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

function sameSize(path: string, bytes: number): boolean {
  return existsSync(path) && statSync(path).size === bytes;
}
