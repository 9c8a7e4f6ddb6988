/**
 * The fuzzer's seed corpus, built in code (deterministic) from the committed PEMs in seeds/:
 * pcap (µs/ns, both endians), pcapng (with SPB, options, ns resolution), gzip, a diagnostic
 * bundle as tar.gz, tar and zip, an Expressway/Traffic Server log and a trust store bundle.
 */
import { readFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ascii, concat, pemToDers } from './bytes.js';
import { writePcap, writePcapng, type Frame } from './capture-writers.js';
import { conversation } from './conversation.js';
import * as tls from './tls.js';
import { repoRoot, seedsDir } from './paths.js';
import { Rng } from './rng.js';
import { tarArchive } from './tar.js';
import { zipArchive } from './zip.js';

/** What a file is to the pipeline: how the case runner passes it to analyze(). */
export type Role = 'capture' | 'archive' | 'log' | 'truststore';

export interface Seed {
  name: string;
  role: Role;
  /** file extension including the dot(s): `.pcap`, `.pcapng`, `.pcap.gz`, `.tar.gz`, `.tar`, `.zip`, `.log`, `.pem` */
  ext: string;
  bytes: Uint8Array;
}

const T0 = Date.UTC(2027, 2, 1, 12, 58, 19) * 1000;

export interface Pems {
  root: Uint8Array;
  inter: Uint8Array;
  leaf: Uint8Array;
  rsaSelf: Uint8Array;
  manySans: Uint8Array;
  /** root + inter as one PEM bundle */
  bundleText: string;
}

let pemCache: Pems | null = null;

export function loadPems(): Pems {
  if (pemCache) return pemCache;
  const read = (f: string): string => readFileSync(join(seedsDir(), f), 'utf8');
  const one = (f: string): Uint8Array => pemToDers(read(f))[0];
  pemCache = { root: one('root.pem'), inter: one('inter.pem'), leaf: one('leaf.pem'), rsaSelf: one('rsa-self.pem'), manySans: one('many-sans.pem'), bundleText: read('root.pem') + read('inter.pem') };
  return pemCache;
}

/** A TLS 1.2 handshake: client flight, server flight (Certificate with `chain`), CCS, app data. */
export function tls12Flights(chain: readonly Uint8Array[], sni = 'server.fuzz.test', certRequest = false): { from: 'client' | 'server'; data: Uint8Array }[] {
  const serverFlight = concat([
    tls.serverHello(0xc02b, null, 'http/1.1'),
    tls.certificate12(chain),
    tls.serverKeyExchange(),
    ...(certRequest ? [tls.certificateRequest12([Uint8Array.of(0x30, 0x00)])] : []),
    tls.serverHelloDone(),
  ]);
  return [
    { from: 'client', data: tls.records(22, tls.clientHello({ sni, alpn: ['h2', 'http/1.1'] }), 0x0301) },
    { from: 'server', data: tls.records(22, serverFlight) },
    { from: 'client', data: concat([tls.records(22, new Uint8Array([16, 0, 0, 33, 32, ...new Uint8Array(32)])), tls.changeCipherSpec(), tls.applicationData(40)]) },
    { from: 'server', data: concat([tls.changeCipherSpec(), tls.applicationData(40)]) },
  ];
}

export function tls13Flights(): { from: 'client' | 'server'; data: Uint8Array }[] {
  return [
    { from: 'client', data: tls.records(22, tls.clientHello({ sni: 'v13.fuzz.test', versions: [0x0a0a, 0x0304, 0x0303] }), 0x0301) },
    { from: 'server', data: concat([tls.records(22, tls.serverHello(0x1301, 0x0304)), tls.changeCipherSpec(), tls.applicationData(900)]) },
    { from: 'client', data: concat([tls.changeCipherSpec(), tls.applicationData(60)]) },
  ];
}

/** The main capture seed (also the companion capture of log / trust-store cases). */
export function baseCaptureFrames(): Frame[] {
  const p = loadPems();
  return conversation({ client: '10.0.0.1', server: '10.0.0.2', cport: 40001, sport: 8443, startMicros: T0, flights: tls12Flights([p.leaf, p.inter]) });
}

export function baseCapture(): Uint8Array {
  return writePcap(baseCaptureFrames(), { linkType: 1 });
}

export function baseLog(): Uint8Array {
  const lines = [
    '2027-03-01T14:58:19.100+02:00 expc1 traffic_server[2030]: UTCTime="2027-03-01 12:58:19,100" Module="network.http.trafficserver" Level="DEBUG": Detail="Sending Request" Txn-id="3028" TrackingID="abc" Dst-ip="10.0.0.2" Dst-port="8443"',
    'HTTPMSG:',
    '|GET /x HTTP/1.1',
    ' Host: server.fuzz.test:8443',
    ' |',
    '2027-03-01T14:58:19.200+02:00 expc1 traffic_server[2030]: [ET_NET 1] ERROR: SSL connection failed for \'server.fuzz.test\': error:14094418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca',
    '2027-03-01T14:58:19.300+02:00 expc1 traffic_server[2030]: [ET_NET 2] WARNING: Core server certificate verification failed for (server.fuzz.test). Action=Terminate Error=unable to get local issuer certificate server=server.fuzz.test(10.0.0.2) depth=1',
    '2027-03-01T14:58:19.400+02:00 expc1 traffic_server[2030]: [ET_NET 2] WARNING: SNI (server.fuzz.test) not in certificate. Action=Terminate server=server.fuzz.test(10.0.0.2)',
    '2027-03-01T14:58:19.500+02:00 expc1 tvcs: UTCTime="2027-03-01 12:58:19,500" Module="developer.edgeconfigprovisioning" Level="DEBUG" Action="Received" Detail="x"',
    '[Mar  1 12:58:19.600] [ET_NET 3] ERROR: SSL connection failed for \'server.fuzz.test\': error:1416F086:SSL routines:tls_process_server_certificate:certificate verify failed',
    '',
  ];
  return ascii(lines.join('\n'));
}

export function baseTruststore(): Uint8Array {
  return ascii(loadPems().bundleText);
}

const w = (frames: Frame[], o: Parameters<typeof writePcap>[1]): Uint8Array => writePcap(frames, o);

/** Bundle member names as an Expressway diagnostic log archive has them. */
export function bundleTar(capture: Uint8Array, log: Uint8Array, ca: Uint8Array): Uint8Array {
  const ts = '2027-03-01_12-58-19';
  return tarArchive([
    { name: `loggingsnapshot_expc1_${ts}.txt`, data: log },
    { name: `eth0_diagnostic_logging_tcpdump00_expc1_${ts}.pcap`, data: capture },
    { name: `ca_expc1_${ts}.pem`, data: ca },
    { name: `xconf_dump_expc1_${ts}.txt`, data: ascii('*c xConfiguration SystemUnit Name: "expc1"\n') },
  ]);
}

export function syntheticSeeds(): Seed[] {
  const p = loadPems();
  const rng = new Rng(12345);
  const base = baseCapture();
  const seeds: Seed[] = [{ name: 'tls12-eth', role: 'capture', ext: '.pcap', bytes: base }];
  const v6 = conversation({ client: 'fd00::1', server: 'fd00::2', cport: 50123, sport: 443, startMicros: T0 + 5e6, link: 'sll', flights: tls12Flights([p.rsaSelf], 'rsa.fuzz.test', true) });
  seeds.push({ name: 'tls12-ipv6-sll-be-ns', role: 'capture', ext: '.pcap', bytes: w(v6, { linkType: 113, bigEndian: true, nanos: true }) });
  const v13 = conversation({ client: '10.0.0.3', server: '10.0.0.4', cport: 40002, sport: 443, startMicros: T0 + 1e6, link: 'vlan', flights: tls13Flights() });
  const alertFlow = conversation({
    client: '10.0.0.1', server: '10.0.0.9', cport: 40003, sport: 6972, startMicros: T0 + 2e6,
    flights: [...tls12Flights([p.leaf]).slice(0, 2), { from: 'client', data: tls.alert(2, 48) }],
  });
  const mixed = [...v13, ...alertFlow].sort((a, b) => a.tsMicros - b.tsMicros);
  seeds.push({ name: 'tls13-vlan-alert-ng', role: 'capture', ext: '.pcapng', bytes: writePcapng(mixed, { linkType: 1, tsresol: 9, spbEvery: 7, comment: 'fuzz seed' }) });
  const many = conversation({ client: '10.1.0.1', server: '10.1.0.2', cport: 40100, sport: 443, startMicros: T0, mss: 536, reorder: 0.2, duplicate: 0.05, rng, flights: tls12Flights([p.manySans, p.inter]) });
  seeds.push({ name: 'many-sans-reordered', role: 'capture', ext: '.pcap', bytes: w(many, { linkType: 1 }) });
  seeds.push({ name: 'tls12-gz', role: 'capture', ext: '.pcap.gz', bytes: new Uint8Array(gzipSync(base)) });
  seeds.push({ name: 'tls12-ng', role: 'capture', ext: '.pcapng', bytes: writePcapng(baseCaptureFrames(), { linkType: 1 }) });
  const bundle = bundleTar(base, baseLog(), baseTruststore());
  seeds.push({ name: 'bundle', role: 'archive', ext: '.tar.gz', bytes: new Uint8Array(gzipSync(bundle)) });
  seeds.push({ name: 'bundle-plain', role: 'archive', ext: '.tar', bytes: bundle });
  const ts = '2027-03-01_12-58-19';
  seeds.push({ name: 'bundle-zip', role: 'archive', ext: '.zip', bytes: zipArchive([
    { name: `loggingsnapshot_expc1_${ts}.txt`, data: baseLog() },
    { name: `eth0_diagnostic_logging_tcpdump00_expc1_${ts}.pcap`, data: base, method: 0 },
    { name: `ca_expc1_${ts}.pem`, data: baseTruststore(), descriptor: true },
  ]) });
  seeds.push({ name: 'log', role: 'log', ext: '.log', bytes: baseLog() });
  seeds.push({ name: 'truststore', role: 'truststore', ext: '.pem', bytes: baseTruststore() });
  return seeds;
}

/** samples/**\/*.pcap* (another engineer's generated samples), each ≤ maxBytes. */
export function sampleSeeds(maxBytes = 2 * 1024 * 1024, maxCount = 40): Seed[] {
  const dir = join(repoRoot(), 'samples');
  const out: Seed[] = [];
  if (!existsSync(dir)) return out;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (out.length >= maxCount) return;
      const f = join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (/\.pcap(ng)?(\.gz)?$/i.test(e.name) && statSync(f).size <= maxBytes) {
        const ext = /\.pcapng/i.test(e.name) ? '.pcapng' : '.pcap';
        out.push({ name: `sample:${relative(dir, f)}`, role: 'capture', ext: /\.gz$/i.test(e.name) ? `${ext}.gz` : ext, bytes: new Uint8Array(readFileSync(f)) });
      }
    }
  };
  walk(dir);
  return out;
}
