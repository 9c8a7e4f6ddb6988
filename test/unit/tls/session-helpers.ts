/**
 * Test helper: a TlsSession fed byte chunks through a reused scratch buffer that is scribbled over
 * after every push, so any view kept beyond the call (an ownership bug) corrupts the results.
 */
import { TlsSession } from '../../../src/tls/tls-session.js';
import type { FlowMeta } from '../../../src/tls/connection-facts.js';
import type { ConnectionSummary } from '../../../src/tls/summary.js';
import { CertStore } from '../../../src/x509/cert-store.js';
import { Diagnostics } from '../../../src/diagnostics/diagnostics.js';
import { resolveLimits, type Limits } from '../../../src/options.js';

export interface TestSession {
  s: TlsSession;
  certs: CertStore;
  diag: Diagnostics;
  /** push `bytes` from direction `dir` in chunks of the given sizes (rest in one) */
  push(dir: number, bytes: Uint8Array, sizes?: number[]): void;
  gap(dir: number, n: number): void;
  summary(): ConnectionSummary;
}

const scratch = new Uint8Array(1 << 20);

export function meta(synClientDir = 0): FlowMeta {
  return {
    id: 7, fileIndex: 0, startMicros: 1_000_000, firstPacket: 1, synClientDir,
    endpoints: [{ ip: '10.0.0.1', port: 50000 }, { ip: '10.0.0.2', port: 443 }],
  };
}

export function session(limits: Partial<Limits> = {}, startKnown = true): TestSession {
  const l = resolveLimits(limits);
  const diag = new Diagnostics();
  const certs = new CertStore(l, diag);
  const s = new TlsSession({ limits: l, diag, certs, flowId: 7, fileIndex: 0 });
  s.setStartKnown(0, startKnown);
  s.setStartKnown(1, startKnown);
  let pkt = 0;
  return {
    s, certs, diag,
    push(dir, bytes, sizes = []) {
      let o = 0;
      const cuts = [...sizes];
      while (o < bytes.length) {
        const n = Math.min(cuts.length ? cuts.shift()! : bytes.length - o, bytes.length - o);
        const off = 100; // not at 0: views must honour their start offset
        scratch.set(bytes.subarray(o, o + n), off);
        pkt++;
        s.at({ ts: 1_000_000 + pkt, packet: pkt });
        s.push(dir, scratch, off, off + n);
        scratch.fill(0xee, off, off + n);
        o += n;
      }
    },
    gap(dir, n) { s.gap(dir, n, 'capture'); },
    summary() { s.end(); return s.summary(meta()); },
  };
}
