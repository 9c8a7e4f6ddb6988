/**
 * Finds the length fields worth clobbering in a seed: pcap record headers
 * (draft-ietf-opsawg-pcap §5), pcapng block and option lengths (draft-ietf-opsawg-pcapng §3.1, §3.5),
 * TLS record / handshake / certificate_list lengths (RFC 5246 §6.2.1, §7.4, §7.4.2) and tar headers.
 * Every walker is bounded and tolerant: it stops at the first implausible value.
 */
import { readU16, readU24, readU32 } from './bytes.js';

export interface Field {
  off: number;
  /** bytes */
  width: 1 | 2 | 3 | 4 | 8;
  le: boolean;
  what: string;
}

export function pcapFields(b: Uint8Array): Field[] {
  if (b.length < 24) return [];
  const m = readU32(b, 0);
  const le = m === 0xd4c3b2a1 || m === 0x4d3cb2a1;
  if (!le && m !== 0xa1b2c3d4 && m !== 0xa1b23c4d) return [];
  const out: Field[] = [
    { off: 4, width: 2, le, what: 'pcap.version_major' }, { off: 16, width: 4, le, what: 'pcap.snaplen' },
    { off: 20, width: 4, le, what: 'pcap.linktype' },
  ];
  let o = 24;
  for (let i = 0; i < 100_000 && o + 16 <= b.length; i++) {
    const cap = readU32(b, o + 8, le);
    out.push({ off: o + 8, width: 4, le, what: 'pcap.caplen' }, { off: o + 12, width: 4, le, what: 'pcap.origlen' }, { off: o + 4, width: 4, le, what: 'pcap.ts_frac' });
    // link/IP/TCP header bytes of the packet (the first 60 bytes)
    out.push({ off: o + 16 + 14 + 2, width: 2, le: false, what: 'ip.total_length' }, { off: o + 16 + 14, width: 1, le: false, what: 'ip.vhl' },
      { off: o + 16 + 14 + 20 + 12, width: 1, le: false, what: 'tcp.data_offset' }, { off: o + 16 + 14 + 20 + 4, width: 4, le: false, what: 'tcp.seq' });
    if (cap > b.length) break;
    o += 16 + cap;
  }
  return out.filter((f) => f.off + f.width <= b.length);
}

export function pcapngFields(b: Uint8Array): Field[] {
  if (b.length < 28 || readU32(b, 0) !== 0x0a0d0d0a) return [];
  const le = readU32(b, 8, true) === 0x1a2b3c4d;
  const out: Field[] = [{ off: 16, width: 8, le, what: 'pcapng.section_length' }, { off: 8, width: 4, le, what: 'pcapng.byte_order_magic' }];
  let o = 0;
  for (let i = 0; i < 100_000 && o + 12 <= b.length; i++) {
    const type = readU32(b, o, le);
    const total = readU32(b, o + 4, le);
    out.push({ off: o + 4, width: 4, le, what: 'pcapng.block_total_length' });
    if (total < 12 || total % 4 !== 0 || o + total > b.length) break;
    out.push({ off: o + total - 4, width: 4, le, what: 'pcapng.block_trailing_length' });
    let optStart = -1;
    if (type === 0x0a0d0d0a) optStart = o + 24;
    else if (type === 1) {
      optStart = o + 16;
      out.push({ off: o + 8, width: 2, le, what: 'pcapng.idb_linktype' }, { off: o + 12, width: 4, le, what: 'pcapng.idb_snaplen' });
    } else if (type === 6) {
      const cap = readU32(b, o + 20, le);
      out.push({ off: o + 8, width: 4, le, what: 'pcapng.epb_interface' }, { off: o + 20, width: 4, le, what: 'pcapng.epb_caplen' },
        { off: o + 24, width: 4, le, what: 'pcapng.epb_origlen' }, { off: o + 12, width: 4, le, what: 'pcapng.epb_ts_high' });
      optStart = o + 28 + cap + ((4 - (cap % 4)) % 4);
    } else if (type === 3) out.push({ off: o + 8, width: 4, le, what: 'pcapng.spb_origlen' });
    if (optStart > 0) {
      for (let p = optStart, k = 0; k < 64 && p + 4 <= o + total - 4; k++) {
        const len = le ? b[p + 2] | (b[p + 3] << 8) : readU16(b, p + 2);
        out.push({ off: p + 2, width: 2, le, what: 'pcapng.option_length' }, { off: p, width: 2, le, what: 'pcapng.option_code' });
        if (len === 0 && (le ? b[p] | (b[p + 1] << 8) : readU16(b, p)) === 0) break;
        p += 4 + len + ((4 - (len % 4)) % 4);
      }
    }
    o += total;
  }
  return out.filter((f) => f.off + f.width <= b.length);
}

/** TLS record headers found by signature anywhere in the bytes, and the handshake headers inside. */
export function tlsFields(b: Uint8Array): Field[] {
  const out: Field[] = [];
  for (let i = 0; i + 9 <= b.length && out.length < 5000; i++) {
    const t = b[i];
    if (t < 20 || t > 23 || b[i + 1] !== 3 || b[i + 2] > 4) continue;
    const len = readU16(b, i + 3);
    if (len === 0 || len > 0x4800) continue;
    out.push({ off: i + 3, width: 2, le: false, what: 'tls.record_length' });
    if (t !== 22) continue;
    const end = Math.min(b.length, i + 5 + len);
    for (let hs = i + 5, k = 0; hs + 4 <= end && k < 16; k++) {
      const htype = b[hs];
      if (htype < 1 || htype > 24) break;
      out.push({ off: hs + 1, width: 3, le: false, what: `tls.handshake_length(${htype})` });
      handshakeFields(b, hs, htype, out);
      hs += 4 + readU24(b, hs + 1);
    }
  }
  return out.filter((f) => f.off + f.width <= b.length);
}

/** Vector lengths inside one handshake message starting at `hs` (RFC 5246 §7.4.1.2, §7.4.2). */
function handshakeFields(b: Uint8Array, hs: number, htype: number, out: Field[]): void {
  if (htype === 11 && hs + 10 <= b.length) {
    out.push({ off: hs + 4, width: 3, le: false, what: 'tls.certificate_list_length' }, { off: hs + 7, width: 3, le: false, what: 'tls.certificate_length' });
    const second = hs + 7 + 3 + readU24(b, hs + 7);
    if (second + 3 <= b.length) out.push({ off: second, width: 3, le: false, what: 'tls.certificate_length' });
    return;
  }
  if (htype === 13 && hs + 5 <= b.length) {
    out.push({ off: hs + 4, width: 1, le: false, what: 'tls.certificate_types_length' });
    return;
  }
  if ((htype !== 1 && htype !== 2) || hs + 4 + 35 >= b.length) return;
  const sidOff = hs + 4 + 34;
  out.push({ off: sidOff, width: 1, le: false, what: 'tls.session_id_length' });
  let p = sidOff + 1 + b[sidOff];
  if (htype === 1) {
    if (p + 2 > b.length) return;
    out.push({ off: p, width: 2, le: false, what: 'tls.cipher_suites_length' });
    p += 2 + readU16(b, p);
    if (p + 1 >= b.length) return;
    out.push({ off: p, width: 1, le: false, what: 'tls.compression_length' });
    p += 1 + b[p];
  } else {
    p += 3;
  }
  if (p + 2 > b.length) return;
  out.push({ off: p, width: 2, le: false, what: 'tls.extensions_length' });
  for (let e = p + 2, k = 0; k < 32 && e + 4 <= b.length; k++) {
    out.push({ off: e + 2, width: 2, le: false, what: `tls.extension_length(${readU16(b, e)})` });
    if (e + 6 <= b.length) out.push({ off: e + 4, width: 2, le: false, what: 'tls.extension_inner_length' });
    e += 4 + readU16(b, e + 2);
  }
}

/** ustar headers (checksum-valid 512-byte blocks) and their size / name / type fields. */
export function tarFields(b: Uint8Array): Field[] {
  const out: Field[] = [];
  for (let o = 0; o + 512 <= b.length && out.length < 1000; o += 512) {
    if (b[o + 257] !== 0x75 || b[o + 258] !== 0x73 || b[o + 259] !== 0x74) continue;
    out.push({ off: o + 124, width: 8, le: false, what: 'tar.size' }, { off: o, width: 8, le: false, what: 'tar.name' },
      { off: o + 156, width: 1, le: false, what: 'tar.typeflag' }, { off: o + 148, width: 8, le: false, what: 'tar.checksum' });
  }
  return out;
}

export function readField(b: Uint8Array, f: Field): number {
  if (f.width === 1) return b[f.off];
  if (f.width === 2) return f.le ? b[f.off] | (b[f.off + 1] << 8) : readU16(b, f.off);
  if (f.width === 3) return readU24(b, f.off);
  return readU32(b, f.off, f.le);
}
