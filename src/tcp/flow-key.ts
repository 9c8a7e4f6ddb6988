/**
 * Direction-independent flow keys computed from the numbers of a PacketView, without building
 * strings (gopacket flows.go FastHash idea: A→B and B→A hash alike).
 *
 * `flowHash` keys the live-flow table (collisions are resolved by comparing the endpoint fields);
 * `flowHash2` is an independent second hash: together they form the 62-bit fingerprint that
 * identifies a tombstone (finished flow) without storing its addresses.
 */
import { getRandomValues } from 'node:crypto';
import type { PacketView } from '../decode/packet-view.js';

/*
 * Seeds drawn once per process. The live-flow index, the embryo and the tombstone tables place entries by
 * the low bits of these hashes; with fixed seeds a crafted capture could brute-force, offline and in
 * seconds, thousands of flows (or a million tombstones) that land in one bucket or probe run, and every
 * packet's lookup would walk them all. Nothing the tool reports depends on the hash values: they only
 * decide where entries sit (equal 4-tuples still hash equal within a run, in both directions).
 */
const SEED = getRandomValues(new Uint32Array(5));
const FLOW_ENDPOINT = SEED[0] | 0, FLOW_MIX = SEED[1] | 1;
const FP_ENDPOINT = SEED[2] | 0, FP_MIX = SEED[3] | 1;
const SIDE_ENDPOINT = SEED[4] | 0;

function mixWord(h: number, w: number): number {
  h ^= Math.imul(w | 0, 0xcc9e2d51);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function endpointHash(seed: number, w0: number, w1: number, w2: number, w3: number, port: number): number {
  // IPv4 (w1..w3 are 0): two rounds instead of five; 90 % of a capture's packets are hashed here
  if ((w1 | w2 | w3) === 0) return fmix(mixWord(mixWord(seed, w0), port));
  let h = mixWord(seed, w0);
  h = mixWord(h, w1);
  h = mixWord(h, w2);
  h = mixWord(h, w3);
  return fmix(mixWord(h, port));
}

function symmetric(a: number, b: number, seed: number): number {
  // + and ^ are both symmetric; mixing both keeps (a,b) and (b,a) equal but (a,a) distinct
  return fmix(((a + b) | 0) ^ Math.imul(a ^ b, seed)) & 0x3fffffff;
}

/** 30-bit non-negative key (a V8 small integer), the same for both directions of a flow. */
export function flowHash(v: PacketView): number {
  const a = endpointHash(FLOW_ENDPOINT, v.src0, v.src1, v.src2, v.src3, v.srcPort);
  const b = endpointHash(FLOW_ENDPOINT, v.dst0, v.dst1, v.dst2, v.dst3, v.dstPort);
  return symmetric(a, b, FLOW_MIX) ^ (v.ipVersion === 6 ? 0x15555555 : 0);
}

/** A second, independent 32-bit direction-independent hash (tombstone fingerprint). */
export function flowHash2(v: PacketView): number {
  const a = endpointHash(FP_ENDPOINT, v.src0, v.src1, v.src2, v.src3, v.srcPort);
  const b = endpointHash(FP_ENDPOINT, v.dst0, v.dst1, v.dst2, v.dst3, v.dstPort);
  return fmix(((a + b) | 0) ^ Math.imul(a ^ b, FP_MIX) ^ v.ipVersion) | 0;
}

/** Hash of the packet's source endpoint (tells the two sides of a flow apart). */
export function srcEndpointHash(v: PacketView): number {
  return endpointHash(SIDE_ENDPOINT, v.src0, v.src1, v.src2, v.src3, v.srcPort);
}

/** Hash of an endpoint given by its address words and port, as srcEndpointHash of a packet from it. */
export function sideEndpointHash(w0: number, w1: number, w2: number, w3: number, port: number): number {
  return endpointHash(SIDE_ENDPOINT, w0, w1, w2, w3, port);
}

/** Hash of the packet's destination endpoint. */
export function dstEndpointHash(v: PacketView): number {
  return endpointHash(SIDE_ENDPOINT, v.dst0, v.dst1, v.dst2, v.dst3, v.dstPort);
}

/**
 * The flow hashes of the last 4-tuple seen. Half the packets of a capture belong to the same flow as
 * the packet before (bursts of a bulk transfer): their hashes come from here instead of being computed
 * again. A pure function of the 4-tuple (either direction), so it can never be stale.
 */
export class LastTupleKeys {
  private v = 0; private s0 = 0; private s1 = 0; private s2 = 0; private s3 = 0; private sp = -1;
  private d0 = 0; private d1 = 0; private d2 = 0; private d3 = 0; private dp = -1;
  private h = 0;
  private h2 = 0;
  private has2 = false;

  private same(v: PacketView): boolean {
    if (v.ipVersion !== this.v) return false;
    if (v.src0 === this.s0 && v.srcPort === this.sp && v.dst0 === this.d0 && v.dstPort === this.dp &&
      v.src1 === this.s1 && v.src2 === this.s2 && v.src3 === this.s3 && v.dst1 === this.d1 && v.dst2 === this.d2 && v.dst3 === this.d3) return true;
    return v.src0 === this.d0 && v.srcPort === this.dp && v.dst0 === this.s0 && v.dstPort === this.sp &&
      v.src1 === this.d1 && v.src2 === this.d2 && v.src3 === this.d3 && v.dst1 === this.s1 && v.dst2 === this.s2 && v.dst3 === this.s3;
  }

  /** flowHash(v), from the cache when v has the last 4-tuple. */
  key(v: PacketView): number {
    if (this.same(v)) return this.h;
    this.v = v.ipVersion;
    this.s0 = v.src0; this.s1 = v.src1; this.s2 = v.src2; this.s3 = v.src3; this.sp = v.srcPort;
    this.d0 = v.dst0; this.d1 = v.dst1; this.d2 = v.dst2; this.d3 = v.dst3; this.dp = v.dstPort;
    this.has2 = false;
    return (this.h = flowHash(v));
  }

  /** flowHash2(v) of the packet `key` was last called with. */
  key2(v: PacketView): number {
    if (!this.has2) {
      this.h2 = flowHash2(v);
      this.has2 = true;
    }
    return this.h2;
  }
}
