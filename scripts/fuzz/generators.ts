/**
 * Hostile inputs built from scratch (not mutations): deep or lying ASN.1, thousands of SANs,
 * certificate_list of 2^24, record floods, SYN floods, partial handshakes, out-of-order floods,
 * pcapng interface abuse, corrupt gzip and gzip bombs, tar and zip entries with absurd sizes and names,
 * logs with NUL bytes and very long lines, hostile trust stores.
 */
import { gzipSync } from 'node:zlib';
import { ascii, concat, derToPem, u16, u24, u32le, u16le, u8 } from './bytes.js';
import * as asn1 from './asn1.js';
import { writePcap, writePcapng, pcapngBlock, pcapngOption, pcapHeader, type Frame } from './capture-writers.js';
import { conversation, type Flight } from './conversation.js';
import { ethernetFrame, TCP } from './packets.js';
import * as tls from './tls.js';
import { tls12Flights, loadPems, baseCapture, baseLog, bundleTar, baseTruststore } from './seeds.js';
import { tarArchive, longNameEntries, paxEntries, base256, type TarEntry } from './tar.js';
import { zipArchive, type ZipEntry } from './zip.js';
import type { Rng } from './rng.js';
import type { CaseSpec } from './case.js';

const T0 = Date.UTC(2027, 2, 1, 12, 58, 19) * 1000;

function pcapOf(frames: Frame[], rng: Rng): { bytes: Uint8Array; ext: string } {
  return rng.chance(0.75) ? { bytes: writePcap(frames, { linkType: 1, bigEndian: rng.chance(0.2) }), ext: '.pcap' } : { bytes: writePcapng(frames, { linkType: 1 }), ext: '.pcapng' };
}

function flowWith(flights: Flight[], rng: Rng, mss = 1460): Frame[] {
  return conversation({ client: '10.9.0.1', server: '10.9.0.2', cport: 41000 + rng.int(1000), sport: 443, startMicros: T0, flights, mss });
}

/** A capture whose server Certificate carries `ders` (raw bytes, any content). */
function certCapture(ders: Uint8Array[], rng: Rng, origin: string): CaseSpec {
  const { bytes, ext } = pcapOf(flowWith(tls12Flights(ders), rng, rng.pick([1460, 536, 100])), rng);
  return { role: 'capture', ext, bytes, origin };
}

function serverFlight(handshakeBytes: Uint8Array, rng: Rng, origin: string, fragment = 16384): CaseSpec {
  const flights: Flight[] = [
    { from: 'client', data: tls.records(22, tls.clientHello({ sni: 'hostile.test' })) },
    { from: 'server', data: tls.records(22, concat([tls.serverHello(0xc02f), handshakeBytes]), 0x0303, fragment) },
  ];
  const { bytes, ext } = pcapOf(flowWith(flights, rng), rng);
  return { role: 'capture', ext, bytes, origin };
}

const G: Record<string, (rng: Rng) => CaseSpec> = {
  deepAsn1: (rng) => {
    const depth = rng.pick([64, 256, 1000, 5000, 10000]);
    return certCapture([asn1.deepCertificate(depth), loadPems().inter], rng, `deepAsn1(depth=${depth})`);
  },
  deepAsn1Raw: (rng) => {
    const depth = rng.pick([1000, 10000, 20000]);
    return certCapture([asn1.nestedSequences(depth)], rng, `deepAsn1Raw(depth=${depth})`);
  },
  lyingDer: (rng) => {
    const claim = rng.pick([0x7fffffff, 0x80000000, 0xffffffff, 0x10000000]);
    const leaf = loadPems().leaf;
    const inner = rng.chance(0.5) ? asn1.lyingTlv(0x30, claim, leaf.subarray(4)) : asn1.seq(asn1.lyingTlv(0x30, claim, new Uint8Array(100)), asn1.int(1));
    return certCapture([inner, leaf], rng, `lyingDer(claim=${claim})`);
  },
  manySans: (rng) => {
    const n = rng.pick([1001, 3000, 10000, 20000]);
    const ips = rng.pick([0, 10, 5000]);
    const cert = asn1.certificate('many.x.test', [asn1.sanExtension(n, ips)]);
    return certCapture([cert], rng, `manySans(dns=${n},ip=${ips},der=${cert.length})`);
  },
  manySansPem: (rng) => {
    const n = rng.pick([1001, 5000, 20000]);
    const cert = asn1.certificate('many.x.test', [asn1.sanExtension(n, 10)]);
    return { role: 'truststore', ext: '.pem', bytes: ascii(derToPem(cert) + loadPems().bundleText), origin: `manySansPem(dns=${n})` };
  },
  certList24: (rng) => {
    const sent = rng.pick([0, 100, 70_000, 300_000]);
    const body = concat([u24(0xffffff), u24(rng.pick([0xffffff, 0x100000, 5])), new Uint8Array(sent).fill(0x30)]);
    const msg = concat([u8(11), u24(0xffffff), body]);
    return serverFlight(msg, rng, `certList24(sent=${sent})`);
  },
  certListEntryOverrun: (rng) => {
    const leaf = loadPems().leaf;
    const entries = concat([u24(leaf.length + rng.range(1, 5000)), leaf, u24(2), u16(0x3000)]);
    const msg = tls.handshake(11, concat([u24(entries.length), entries]));
    return serverFlight(msg, rng, 'certListEntryOverrun');
  },
  manyCerts: (rng) => {
    const n = rng.pick([33, 200, 2000]);
    const leaf = loadPems().leaf;
    const ders = Array.from({ length: n }, (_, i) => (rng.chance(0.5) ? leaf : asn1.certificate(`c${i}.x.test`, [])));
    return certCapture(ders, rng, `manyCerts(n=${n})`);
  },
  recordFlood: (rng) => {
    const frag = rng.pick([1, 2, 3]);
    const msg = tls.certificate12([loadPems().leaf, loadPems().inter]);
    return serverFlight(msg, rng, `recordFlood(fragment=${frag})`, frag);
  },
  hugeRecord: (rng) => {
    const len = rng.pick([0x4801, 0xffff, 0x4000]);
    const data = concat([Uint8Array.of(22, 3, 3), u16(len), new Uint8Array(rng.pick([10, len])).fill(0x0b)]);
    const flights: Flight[] = [{ from: 'client', data: tls.records(22, tls.clientHello({ sni: 'x' })) }, { from: 'server', data }];
    const { bytes, ext } = pcapOf(flowWith(flights, rng), rng);
    return { role: 'capture', ext, bytes, origin: `hugeRecord(len=${len})` };
  },
  handshakeInterleave: (rng) => {
    // handshake message split across records with alerts / CCS / app data between the fragments
    const msg = tls.certificate12([loadPems().leaf]);
    const parts: Uint8Array[] = [];
    for (let o = 0; o < msg.length; o += 100) {
      parts.push(tls.records(22, msg.subarray(o, o + 100)));
      parts.push(rng.pick([tls.alert(1, 0), tls.changeCipherSpec(), tls.applicationData(5), tls.records(24, u8(1))]));
    }
    const flights: Flight[] = [{ from: 'client', data: tls.records(22, tls.clientHello({ sni: 'x' })) }, { from: 'server', data: concat(parts) }];
    const { bytes, ext } = pcapOf(flowWith(flights, rng), rng);
    return { role: 'capture', ext, bytes, origin: 'handshakeInterleave' };
  },
  synFlood: (rng) => {
    const n = rng.pick([1000, 10000, 40000]);
    const frames: Frame[] = [];
    for (let i = 0; i < n; i++) {
      frames.push({ tsMicros: T0 + i, data: ethernetFrame({ src: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, dst: '10.0.0.2', sport: 1024 + (i % 60000), dport: 443, seq: i * 7919, ack: 0, flags: TCP.SYN }) });
    }
    const small = rng.chance(0.5);
    return { role: 'capture', ext: '.pcap', bytes: writePcap(frames, { linkType: 1 }), origin: `synFlood(n=${n}${small ? ',maxFlows=100' : ''})`, limits: small ? { maxFlows: 100, maxTombstones: 100 } : undefined };
  },
  partialHandshakes: (rng) => {
    const n = rng.pick([500, 5000]);
    const ch = tls.records(22, tls.clientHello({ sni: 'p.test', alpn: ['h2'] }));
    const frames: Frame[] = [];
    for (let i = 0; i < n; i++) {
      const cport = 1024 + (i % 60000);
      const src = `10.1.${(i >> 8) & 255}.${i & 255}`;
      frames.push({ tsMicros: T0 + i * 10, data: ethernetFrame({ src, dst: '10.0.0.2', sport: cport, dport: 443, seq: 1, ack: 1, flags: TCP.ACK | TCP.PSH, payload: ch.subarray(0, rng.range(6, ch.length - 1)) }) });
      // a later out-of-order tail far ahead
      frames.push({ tsMicros: T0 + i * 10 + 5, data: ethernetFrame({ src, dst: '10.0.0.2', sport: cport, dport: 443, seq: 100_000, ack: 1, flags: TCP.ACK, payload: new Uint8Array(1400).fill(0x16) }) });
    }
    const small = rng.chance(0.5);
    return { role: 'capture', ext: '.pcap', bytes: writePcap(frames, { linkType: 1 }), origin: `partialHandshakes(n=${n})`, limits: small ? { maxTotalBufferedBytes: 256 * 1024, maxFlows: 1000 } : undefined };
  },
  outOfOrderFlood: (rng) => {
    const frames: Frame[] = [];
    const base = rng.pick([0, 0xfffffff0, 0x7fffffff]);
    const seg = (seq: number, payload: Uint8Array, from: 'c' | 's' = 'c'): Frame => ({
      tsMicros: T0 + frames.length,
      data: ethernetFrame(from === 'c' ? { src: '10.2.0.1', dst: '10.2.0.2', sport: 50000, dport: 443, seq: seq >>> 0, ack: 1, flags: TCP.ACK, payload } : { src: '10.2.0.2', dst: '10.2.0.1', sport: 443, dport: 50000, seq: seq >>> 0, ack: 1, flags: TCP.ACK, payload }),
    });
    frames.push({ tsMicros: T0, data: ethernetFrame({ src: '10.2.0.1', dst: '10.2.0.2', sport: 50000, dport: 443, seq: base, ack: 0, flags: TCP.SYN }) });
    const ch = tls.records(22, tls.clientHello({ sni: 'ooo.test' }));
    const n = rng.pick([300, 3000]);
    for (let i = 0; i < n; i++) {
      const r = rng.int(4);
      const off = r === 0 ? rng.int(2 ** 31) : r === 1 ? 1 + rng.int(ch.length) : r === 2 ? 2 ** 31 + rng.int(1000) : 1 + 1400 * rng.int(1000);
      frames.push(seg(base + off, rng.chance(0.3) ? ch.subarray(0, rng.range(1, ch.length)) : new Uint8Array(rng.range(1, 1400)).fill(rng.int(256))));
    }
    frames.push(seg(base + 1, ch));
    return { role: 'capture', ext: '.pcap', bytes: writePcap(frames, { linkType: 1 }), origin: `outOfOrderFlood(base=${base},n=${n})` };
  },
  truncatedPackets: (rng) => {
    const snap = rng.pick([14, 34, 54, 60, 100]);
    const frames = flowWith(tls12Flights([loadPems().leaf]), rng).map((f) => ({ tsMicros: f.tsMicros, data: f.data.subarray(0, snap), origLen: f.data.length }));
    return { role: 'capture', ext: '.pcap', bytes: writePcap(frames, { linkType: 1, snaplen: snap }), origin: `truncatedPackets(snaplen=${snap})` };
  },
  pcapngInterfaces: (rng) => {
    const frames = flowWith(tls12Flights([loadPems().leaf]), rng);
    const ng = writePcapng(frames, { linkType: 1 });
    const extra: Uint8Array[] = [];
    const nIdb = rng.pick([0, 1, 1000]);
    for (let i = 0; i < nIdb; i++) {
      extra.push(pcapngBlock(1, concat([u16le(rng.pick([1, 113, 276, 0xffff])), u16le(0), u32le(rng.pick([0, 65535, 0xffffffff])), pcapngOption(9, u8(rng.pick([0, 6, 9, 0x80 | 63, 0xff, 0x7f]))), u32le(0)])));
    }
    // an EPB on a non-existent interface, an unknown block type, a second SHB (new section)
    extra.push(pcapngBlock(6, concat([u32le(rng.pick([7, 0xffffffff])), u32le(0), u32le(0), u32le(4), u32le(4), Uint8Array.of(1, 2, 3, 4)])));
    extra.push(pcapngBlock(rng.pick([0x0bad, 0x80000001, 5, 4]), new Uint8Array(rng.range(0, 64))));
    const tail = rng.chance(0.5) ? ng : writePcapng(frames.slice(0, 5), { linkType: 113 });
    return { role: 'capture', ext: '.pcapng', bytes: concat([ng, ...extra, tail]), origin: `pcapngInterfaces(idb=${nIdb})` };
  },
  pcapngBlockLength: (rng) => {
    const ng = writePcapng(flowWith(tls12Flights([loadPems().leaf]), rng), { linkType: 1 });
    const bad = rng.pick([0, 4, 11, 13, 0xfffffffc, 0x7ffffff0, 16 * 1024 * 1024 + 4]);
    const blk = concat([u32le(6), u32le(bad), new Uint8Array(rng.pick([0, 20, 100]))]);
    return { role: 'capture', ext: '.pcapng', bytes: concat([ng, blk]), origin: `pcapngBlockLength(total=${bad})` };
  },
  pcapHugeCaplen: (rng) => {
    const hdr = pcapHeader({ linkType: 1, snaplen: rng.pick([0, 65535, 0xffffffff]) });
    const cap = rng.pick([0xffffffff, 0x7fffffff, 262145, 16 * 1024 * 1024]);
    const rec = concat([u32le(1_700_000_000), u32le(0), u32le(cap), u32le(cap), new Uint8Array(rng.pick([0, 100, 70000]))]);
    return { role: 'capture', ext: '.pcap', bytes: concat([hdr, rec]), origin: `pcapHugeCaplen(caplen=${cap})` };
  },
  corruptGzip: (rng) => {
    const gz = new Uint8Array(gzipSync(baseCapture()));
    const r = rng.int(5);
    let bytes: Uint8Array;
    let what: string;
    if (r === 0) { bytes = gz.slice(0, rng.range(2, gz.length - 1)); what = 'truncated'; }
    else if (r === 1) { bytes = gz.slice(); bytes[bytes.length - 5] ^= 0xff; what = 'badCrc'; }
    else if (r === 2) { bytes = concat([gz, gz]); what = 'twoMembers'; }
    else if (r === 3) { bytes = gz.slice(); bytes[10 + rng.int(Math.max(1, gz.length - 18))] ^= 0x55; what = 'corruptDeflate'; }
    else { bytes = concat([gz, new Uint8Array(rng.range(1, 600)).fill(rng.int(256))]); what = 'trailingGarbage'; }
    return { role: 'capture', ext: '.pcap.gz', bytes, origin: `corruptGzip(${what})` };
  },
  gzipBomb: (rng) => {
    const mib = rng.pick([64, 256, 1024]);
    if (rng.chance(0.5)) return { role: 'capture', ext: '.pcap.gz', recipe: { gen: 'gzipBomb', params: { mib, member: 0 } }, origin: `gzipBomb(${mib} MiB of zeros after a pcap header)` };
    return { role: 'archive', ext: '.tar.gz', recipe: { gen: 'gzipBomb', params: { mib, member: 1 } }, origin: `gzipBomb(bundle member: ${mib} MiB of zeros after a pcap header)` };
  },
  tarAbsurd: (rng) => {
    const cap = baseCapture();
    const r = rng.int(7);
    let entries: TarEntry[];
    let what: string;
    if (r === 0) { entries = [{ name: 'eth0_diagnostic_logging_tcpdump00_h_1.pcap', data: cap, sizeField: base256(1n << 40n) }]; what = 'size=2^40(base256)'; }
    else if (r === 1) { entries = longNameEntries(`${'d/'.repeat(2000)}eth0_x.pcap`, cap); what = 'gnuLongName(4KB)'; }
    else if (r === 2) { entries = paxEntries({ path: `${'p'.repeat(4096)}.pcap`, size: '1000000000000000000' }, cap); what = 'pax(path=4KB,size=1e18)'; }
    else if (r === 3) { entries = [{ name: 'eth0_a.pcap', data: cap, sizeField: ascii('77777777777\0') }]; what = 'size=8GiB(octal)'; }
    else if (r === 4) { entries = Array.from({ length: 3000 }, (_, i) => ({ name: `f${i}.txt`, data: u8(i) })); entries.push({ name: 'eth0_x.pcap', data: cap }); what = 'manyEntries(3000)'; }
    else if (r === 5) { entries = [{ name: 'eth0_a.pcap', data: cap, sizeField: base256(-5n) }, { name: 'ca_x.pem', data: baseTruststore() }]; what = 'negativeSize'; }
    else { entries = [{ name: 'eth0_nested.pcap.tar.gz', data: new Uint8Array(gzipSync(bundleTar(cap, baseLog(), baseTruststore()))) }, { name: 'eth0_l.pcap', data: new Uint8Array(0), type: '2' }]; what = 'nested+symlink'; }
    const tar = tarArchive(entries, rng.chance(0.7));
    const gz = rng.chance(0.6);
    return { role: 'archive', ext: gz ? '.tar.gz' : '.tar', bytes: gz ? new Uint8Array(gzipSync(tar)) : tar, origin: `tarAbsurd(${what})` };
  },
  zipAbsurd: (rng) => {
    const cap = baseCapture();
    const r = rng.int(4);
    const name = 'eth0_diagnostic_logging_tcpdump00_h_1.pcap';
    let entries: ZipEntry[];
    let what: string;
    if (r === 0) { entries = [{ name, data: cap, lieSizes: { csize: 0xffffffff, usize: 0xffffffff } }]; what = 'sizes=0xffffffff(no zip64)'; }
    else if (r === 1) { entries = [{ name, data: cap, descriptor: true, lieSizes: { csize: rng.pick([0, 5, 0x7fffffff]) } }]; what = 'descriptor+lyingSize'; }
    else if (r === 2) { entries = [{ name: `${'z/'.repeat(2048)}${name}`, data: cap, method: 0 }]; what = 'name=4KB'; }
    else { entries = [{ name, data: new Uint8Array(8 * 1024 * 1024), lieSizes: { usize: 10 } }]; what = 'deflateBomb(8MiB zeros, usize=10)'; }
    const bytes = zipArchive(entries);
    return { role: 'archive', ext: '.zip', bytes, origin: `zipAbsurd(${what})` };
  },
  logNul: (rng) => {
    const base = baseLog();
    const n = rng.pick([1, 1000, 100_000]);
    const bytes = concat([base.subarray(0, 200), new Uint8Array(n), base.subarray(200), ascii('\0\0\0\n'), base]);
    return { role: 'log', ext: '.log', bytes, origin: `logNul(n=${n})` };
  },
  logLongLine: (rng) => {
    const mib = rng.pick([1, 10, 100]);
    return { role: 'log', ext: '.log', recipe: { gen: 'hugeLogLine', params: { mib, nul: rng.chance(0.3) ? 1 : 0 } }, origin: `hugeLogLine(${mib} MiB)` };
  },
  logManyLines: (rng) => {
    const n = rng.pick([100_000, 1_000_000]);
    return { role: 'log', ext: '.log', recipe: { gen: 'manyLogLines', params: { n } }, origin: `manyLogLines(n=${n})` };
  },
  hostileTruststore: (rng) => {
    const p = loadPems();
    const r = rng.int(5);
    if (r === 0) return { role: 'truststore', ext: '.pem', bytes: p.root, origin: 'truststore(DER)' };
    if (r === 1) return { role: 'truststore', ext: '.pem', bytes: ascii('-----BEGIN PKCS7-----\nMIIBAAAA\n-----END PKCS7-----\n'), origin: 'truststore(PKCS7 junk)' };
    if (r === 2) return { role: 'truststore', ext: '.pem', bytes: ascii(`${derToPem(p.root)}`.repeat(rng.pick([2, 500]))), origin: 'truststore(duplicates)' };
    if (r === 3) return { role: 'truststore', ext: '.pem', bytes: ascii(derToPem(asn1.deepCertificate(5000))), origin: 'truststore(deep)' };
    return { role: 'truststore', ext: '.pem', bytes: new Uint8Array(rng.range(0, 2000)).map(() => rng.int(256)), origin: 'truststore(random bytes)' };
  },
};

export const GENERATOR_NAMES = Object.keys(G);

export function generate(name: string, rng: Rng): CaseSpec {
  return G[name](rng);
}
