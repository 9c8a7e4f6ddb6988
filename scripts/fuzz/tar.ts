/**
 * A tiny POSIX ustar writer (IEEE Std 1003.1-2017 "pax" §ustar Interchange Format) that can also
 * write hostile headers: a raw size field (octal or GNU base-256), GNU long names ('L'), pax
 * extended headers ('x'), wrong checksums.
 */
import { ascii, concat } from './bytes.js';

export interface TarEntry {
  name: string;
  data: Uint8Array;
  /** type flag ('0' file, '5' dir, 'L' GNU long name, 'x' pax header, ...) */
  type?: string;
  /** size field written instead of data.length (12 raw bytes or a number written in octal) */
  sizeField?: Uint8Array | number;
  /** corrupt the header checksum */
  badChecksum?: boolean;
  /** do not pad data to 512 */
  noPad?: boolean;
}

function octal(n: number, width: number): Uint8Array {
  const s = n.toString(8).padStart(width - 1, '0');
  return ascii(`${s.slice(-(width - 1))}\0`);
}

/** GNU base-256 numeric field: first byte 0x80 then big-endian magnitude. */
export function base256(n: bigint, width = 12): Uint8Array {
  const out = new Uint8Array(width);
  let v = n < 0n ? (1n << BigInt(8 * width)) + n : n;
  for (let i = width - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (n >= 0n) out[0] |= 0x80;
  return out;
}

export function tarHeader(e: TarEntry): Uint8Array {
  const h = new Uint8Array(512);
  h.set(ascii(e.name).subarray(0, 100), 0);
  h.set(octal(0o644, 8), 100);
  h.set(octal(0, 8), 108);
  h.set(octal(0, 8), 116);
  const size = e.sizeField ?? e.data.length;
  h.set(typeof size === 'number' ? octal(size, 12) : size.subarray(0, 12), 124);
  h.set(octal(1_700_000_000, 12), 136);
  h.fill(0x20, 148, 156);
  h[156] = (e.type ?? '0').charCodeAt(0);
  h.set(ascii('ustar\0'), 257);
  h.set(ascii('00'), 263);
  let sum = 0;
  for (const b of h) sum += b;
  if (e.badChecksum) sum += 1;
  h.set(ascii(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
  return h;
}

export function tarArchive(entries: readonly TarEntry[], end = true): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    parts.push(tarHeader(e), e.data);
    const pad = (512 - (e.data.length % 512)) % 512;
    if (pad && !e.noPad) parts.push(new Uint8Array(pad));
  }
  if (end) parts.push(new Uint8Array(1024));
  return concat(parts);
}

/** A GNU long-name entry ('L') followed by the real entry. */
export function longNameEntries(longName: string, data: Uint8Array): TarEntry[] {
  const n = concat([ascii(longName), Uint8Array.of(0)]);
  return [{ name: '././@LongLink', type: 'L', data: n }, { name: longName.slice(0, 99), data }];
}

/** A pax extended header ('x') carrying records like `path=...` / `size=...`. */
export function paxEntries(records: Record<string, string>, data: Uint8Array, name = 'x.pcap'): TarEntry[] {
  const recs = Object.entries(records).map(([k, v]) => {
    const body = ` ${k}=${v}\n`;
    let len = body.length + 1;
    while (String(len).length + body.length !== len) len = String(len).length + body.length;
    return `${len}${body}`;
  });
  return [{ name: 'PaxHeader', type: 'x', data: ascii(recs.join('')) }, { name, data }];
}
