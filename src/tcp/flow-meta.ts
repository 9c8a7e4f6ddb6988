/**
 * Cold-path helpers for a finished flow: the FlowMeta the TLS summary needs (endpoints formatted
 * once, at report time) and diagnostic samples.
 */
import { formatIp } from '../decode/packet-view.js';
import type { FlowMeta } from '../tls/connection-facts.js';
import type { Flow } from './flow.js';
import { stringInterner } from '../util/intern.js';

/** Address strings, one per distinct address (kept by every connection summary). */
const ips = stringInterner(65_536);
/** IPv4 address (as a number) → its interned text: a connection's addresses are not formatted again */
const v4Text = new Map<number, string>();
const MAX_V4_TEXTS = 65_536;

function ipText(version: 4 | 6, w0: number, w1: number, w2: number, w3: number): string {
  if (version !== 4) return ips.get(formatIp(version, w0, w1, w2, w3));
  const known = v4Text.get(w0);
  if (known !== undefined) return known;
  const text = ips.get(formatIp(4, w0, 0, 0, 0));
  if (v4Text.size < MAX_V4_TEXTS) v4Text.set(w0, text);
  return text;
}

export function flowMeta(flow: Flow): FlowMeta {
  return {
    id: flow.id,
    fileIndex: flow.fileIndex,
    startMicros: flow.startMicros,
    firstPacket: flow.firstPacket,
    endpoints: [
      { ip: ipText(flow.ipVersion, flow.a0, flow.a1, flow.a2, flow.a3), port: flow.aPort },
      { ip: ipText(flow.ipVersion, flow.b0, flow.b1, flow.b2, flow.b3), port: flow.bPort },
    ],
    synClientDir: flow.synClientDir,
  };
}

/** Diagnostic sample for a flow (cold path). */
export function flowSample(flow: Flow, pkt: number, detail?: string): { file: number; packet?: number; flow: number; detail?: string } {
  return pkt >= 0 ? { file: flow.fileIndex, packet: pkt, flow: flow.id, detail } : { file: flow.fileIndex, flow: flow.id, detail };
}
