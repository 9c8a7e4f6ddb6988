/**
 * Capture time as the flow table sees it, in one small object shared with the embryo table and the
 * TLS sessions, instead of numbers handed from call to call.
 *
 * Why an object: a capture timestamp (≈ 1.7e15 µs) is a double, and a double passed as an argument
 * to a call V8 does not inline is boxed in a new 16-byte HeapNumber. Handing `rec.tsMicros` down the
 * packet path cost one such object per packet, the pass's only per-packet allocation (about 20 MB of
 * garbage per million packets). Stored in a field of this object, a double is written in place.
 */
export class PacketClock {
  /** capture time of the packet being processed, µs since the epoch */
  ts = 0;
  /** latest capture time seen so far, µs (a packet with an older timestamp does not move it back) */
  now = 0;
  /** number of that packet in its capture file (1-based) */
  packet = 0;
  /** index of that capture file in the run */
  file = 0;
}

/** What the flow table needs to know of a packet besides its decoded headers (a PacketRecord is one). */
export interface PacketStamp {
  /** capture time, integer µs since the Unix epoch */
  readonly tsMicros: number;
  /** 1-based packet number within its capture file */
  readonly index: number;
  /** index of the capture file in the run */
  readonly fileIndex: number;
}
