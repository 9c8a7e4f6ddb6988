/**
 * Mutation operators. Generic ones (AFL-style: bit flips, interesting values, insertions,
 * deletions, duplications, truncation, splicing) and structure-aware ones that clobber the length
 * fields found by layout.ts (pcap caplen, pcapng block / option / section lengths, TLS record,
 * handshake, vector and certificate_list lengths, DER lengths, tar header fields).
 * Every operator returns a new array and a short description for the reproducer log.
 */
import { concat, writeU16, writeU24, writeU32, ascii } from './bytes.js';
import { findDerLengths } from './asn1.js';
import { pcapFields, pcapngFields, tlsFields, tarFields, readField, type Field } from './layout.js';
import type { Rng } from './rng.js';
import { base256 } from './tar.js';

export interface Mutation {
  bytes: Uint8Array;
  desc: string;
}

export type Operator = (b: Uint8Array, rng: Rng, donors: readonly Uint8Array[]) => Mutation;

/** Offset biased towards the start (headers live there): half the time within the first 4 KiB. */
function offset(b: Uint8Array, rng: Rng): number {
  if (b.length === 0) return 0;
  return rng.chance(0.5) ? rng.int(Math.min(b.length, 4096)) : rng.int(b.length);
}

const flipBits: Operator = (b, rng) => {
  const out = b.slice();
  const n = rng.range(1, 8);
  const offs: number[] = [];
  for (let i = 0; i < n && out.length > 0; i++) {
    const o = offset(out, rng);
    out[o] ^= 1 << rng.int(8);
    offs.push(o);
  }
  return { bytes: out, desc: `flipBits@${offs.join(',')}` };
};

const interestingByte: Operator = (b, rng) => {
  const out = b.slice();
  const o = offset(out, rng);
  const v = rng.pick([0, 1, 0x7f, 0x80, 0xff, 0x16, 0x30, 0x0a]);
  if (out.length) out[o] = v;
  return { bytes: out, desc: `setByte@${o}=${v}` };
};

const interestingWord: Operator = (b, rng) => {
  const out = b.slice();
  const o = offset(out, rng);
  const width = rng.pick([2, 4] as const);
  const v = rng.interestingLength(width);
  const le = rng.chance(0.5);
  if (width === 2) writeU16(out, o, v, le);
  else writeU32(out, o, v, le);
  return { bytes: out, desc: `setU${width * 8}${le ? 'le' : ''}@${o}=${v}` };
};

const insertBytes: Operator = (b, rng) => {
  const o = offset(b, rng);
  const n = rng.chance(0.9) ? rng.range(1, 64) : rng.range(65, 4096);
  const ins = new Uint8Array(n);
  const fill = rng.chance(0.5) ? -1 : rng.pick([0, 0xff, 0x41, 0x16]);
  for (let i = 0; i < n; i++) ins[i] = fill < 0 ? rng.int(256) : fill;
  return { bytes: concat([b.subarray(0, o), ins, b.subarray(o)]), desc: `insert@${o}+${n}` };
};

const deleteRange: Operator = (b, rng) => {
  const o = offset(b, rng);
  const n = Math.min(b.length - o, rng.chance(0.8) ? rng.range(1, 32) : rng.range(33, 2048));
  return { bytes: concat([b.subarray(0, o), b.subarray(o + n)]), desc: `delete@${o}-${n}` };
};

const duplicateRange: Operator = (b, rng) => {
  if (b.length < 2) return { bytes: b.slice(), desc: 'dup(noop)' };
  const from = rng.int(b.length);
  const n = Math.min(b.length - from, rng.range(1, 1500));
  const to = rng.int(b.length);
  const times = rng.chance(0.9) ? 1 : rng.range(2, 200);
  const chunk = b.subarray(from, from + n);
  return { bytes: concat([b.subarray(0, to), ...Array<Uint8Array>(times).fill(chunk), b.subarray(to)]), desc: `dup[${from}+${n}]x${times}@${to}` };
};

const truncate: Operator = (b, rng) => {
  const o = offset(b, rng);
  return { bytes: b.slice(0, o), desc: `truncate@${o}` };
};

const splice: Operator = (b, rng, donors) => {
  if (donors.length === 0) return truncate(b, rng, donors);
  const d = rng.pick(donors);
  const cut = offset(b, rng);
  const from = rng.int(Math.max(1, d.length));
  return { bytes: concat([b.subarray(0, cut), d.subarray(from)]), desc: `splice@${cut}<-donor@${from}` };
};

function clobber(b: Uint8Array, f: Field, rng: Rng): Mutation {
  const out = b.slice();
  const old = readField(b, f);
  let v: number;
  const r = rng.int(6);
  if (r === 0) v = old + rng.range(1, 8);
  else if (r === 1) v = Math.max(0, old - rng.range(1, 8));
  else if (r === 2) v = old * 2 + 1;
  else v = rng.interestingLength(f.width === 8 ? 4 : f.width);
  if (f.width === 1) out[f.off] = v & 0xff;
  else if (f.width === 2) writeU16(out, f.off, v & 0xffff, f.le);
  else if (f.width === 3) writeU24(out, f.off, v & 0xffffff);
  else if (f.width === 4) writeU32(out, f.off, v >>> 0, f.le);
  else {
    // 8-byte fields: pcapng section length (-1 = unknown, or absurd values)
    const lo = rng.pick([0xffffffff, 0, 8, v >>> 0]);
    const hi = rng.pick([0xffffffff, 0, 0x7fffffff, 1]);
    writeU32(out, f.off, f.le ? lo : hi, f.le);
    writeU32(out, f.off + 4, f.le ? hi : lo, f.le);
    return { bytes: out, desc: `${f.what}@${f.off}=${hi}:${lo}` };
  }
  return { bytes: out, desc: `${f.what}@${f.off}:${old}->${v >>> 0}` };
}

function fieldOperator(finder: (b: Uint8Array) => Field[], fallback: Operator): Operator {
  return (b, rng, donors) => {
    const fields = finder(b);
    if (fields.length === 0) return fallback(b, rng, donors);
    return clobber(b, rng.pick(fields), rng);
  };
}

const captureLength = fieldOperator((b) => [...pcapFields(b), ...pcapngFields(b)], interestingWord);
const tlsLength = fieldOperator(tlsFields, interestingWord);

/** DER length rewritten in place, or widened to a 4-byte claim of up to 2^31 (shifting the rest). */
const derLength: Operator = (b, rng) => {
  const ls = findDerLengths(b);
  if (ls.length === 0) return interestingWord(b, rng, []);
  const l = rng.pick(ls);
  if (rng.chance(0.6)) {
    const out = b.slice();
    const v = rng.interestingLength(l.width === 3 ? 2 : 1);
    if (l.width === 3) writeU16(out, l.off + 1, v);
    else if (l.width === 2) out[l.off + 1] = v & 0xff;
    else out[l.off] = v & 0x7f;
    return { bytes: out, desc: `der.length@${l.off}=${v}` };
  }
  const claim = rng.pick([0x7fffffff, 0x80000000, 0xffffffff, 0x01000000, 0x00010000]);
  const enc = rng.chance(0.8)
    ? Uint8Array.of(0x84, (claim >>> 24) & 0xff, (claim >>> 16) & 0xff, (claim >>> 8) & 0xff, claim & 0xff)
    : Uint8Array.of(0x80 | rng.range(5, 127), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff); // over-long / indefinite-ish
  return { bytes: concat([b.subarray(0, l.off), enc, b.subarray(l.off + l.width)]), desc: `der.length@${l.off}=wide(${claim})` };
};

/** Tar header fields: absurd sizes (octal, base-256 2^40, negative), 4 KiB names, odd type flags. */
const tarField: Operator = (b, rng) => {
  const fields = tarFields(b);
  if (fields.length === 0) return interestingWord(b, rng, []);
  const f = rng.pick(fields);
  const out = b.slice();
  const hdr = f.off - (f.what === 'tar.size' ? 124 : f.what === 'tar.typeflag' ? 156 : f.what === 'tar.checksum' ? 148 : 0);
  if (f.what === 'tar.size') {
    const pick = rng.int(5);
    const v = pick === 0 ? ascii('77777777777\0') : pick === 1 ? base256(1n << 40n) : pick === 2 ? base256(-1n) : pick === 3 ? ascii('zzzzzzzzzzz\0') : ascii(`${rng.int(2 ** 30).toString(8).padStart(11, '0')}\0`);
    out.set(v, hdr + 124);
    return { bytes: out, desc: `tar.size@${hdr}=${Buffer.from(v).toString('hex')}` };
  }
  if (f.what === 'tar.name') {
    const name = rng.pick(['../../../etc/passwd', 'a'.repeat(100), 'x\0y.pcap', '/abs/ca_x.pem', 'loggingsnapshot_\u0000.txt']);
    out.fill(0, hdr, hdr + 100);
    out.set(ascii(name).subarray(0, 100), hdr);
    return { bytes: out, desc: `tar.name@${hdr}=${JSON.stringify(name)}` };
  }
  if (f.what === 'tar.typeflag') {
    const t = rng.pick(['1', '2', '5', 'L', 'K', 'x', 'g', '7', 'S', '\0', 'Z']);
    out[hdr + 156] = t.charCodeAt(0);
    return { bytes: out, desc: `tar.type@${hdr}=${JSON.stringify(t)}` };
  }
  out[hdr + 148 + rng.int(6)] ^= 1;
  return { bytes: out, desc: `tar.checksum@${hdr}` };
};

export const GENERIC: readonly (readonly [number, Operator])[] = [
  [3, flipBits], [2, interestingByte], [3, interestingWord], [2, insertBytes], [2, deleteRange],
  [1, duplicateRange], [2, truncate], [1, splice],
];

export const STRUCTURED: Record<string, readonly (readonly [number, Operator])[]> = {
  capture: [[4, captureLength], [4, tlsLength], [2, derLength]],
  tar: [[5, tarField], [2, tlsLength], [1, captureLength]],
  text: [],
};

/** Apply 1–4 stacked operators; `kind` selects the structure-aware set. */
export function mutateBytes(b: Uint8Array, rng: Rng, kind: keyof typeof STRUCTURED, donors: readonly Uint8Array[] = []): Mutation {
  const ops = [...GENERIC, ...STRUCTURED[kind]];
  const n = rng.weighted([[6, 1], [3, 2], [1, 3], [1, 4]] as const);
  let cur = b;
  const descs: string[] = [];
  for (let i = 0; i < n; i++) {
    const m = rng.weighted(ops)(cur, rng, donors);
    cur = m.bytes;
    descs.push(m.desc);
  }
  return { bytes: cur, desc: descs.join(' ') };
}

export { truncate as truncateOperator };
