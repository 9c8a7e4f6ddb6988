/**
 * Property (d): however handshake messages are cut into records, and records into TCP segments,
 * the session sees the same messages (Zeek fragment.test idea).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as B from '../helpers/tls-builder.js';
import { session } from '../unit/tls/session-helpers.js';

const chain = [B.fakeDer(700, 1), B.fakeDer(400, 2), B.fakeDer(90, 3)];
const clientMsgs = B.clientHello({ sni: 'frag.example', alpn: ['h2', 'http/1.1'], versions: [0x0303], groups: [29, 23] });
const serverMsgs = B.concat(B.serverHello({ cipher: 0xc030 }), B.certificate(chain), B.serverKeyExchangeEcdhe(24),
  B.certificateRequest({ caNames: [B.bytes(0x30, 1, 5)] }), B.serverHelloDone());
const clientTail = B.concat(B.record(22, B.concat(B.certificate([B.fakeDer(300, 4)]), B.clientKeyExchange())), B.ccsRecord());

function run(recordCuts: number[], segCuts: number[]) {
  const t = session();
  t.push(0, B.records(22, clientMsgs, recordCuts), segCuts);
  t.push(1, B.records(22, serverMsgs, recordCuts), segCuts);
  t.push(0, clientTail, segCuts);
  const s = t.summary();
  return { ...s, notes: s.notes };
}

describe('handshake messages split arbitrarily across records and segments', () => {
  const reference = run([1 << 14], []);

  it('the reference run sees everything', () => {
    expect(reference.serverCertificates.length).toBe(3);
    expect(reference.clientCertificates.length).toBe(1);
    expect(reference.certificateRequest?.caNames.length).toBe(1);
    expect(reference.serverMessages).toEqual([2, 11, 12, 13, 14]);
  });

  it('yields the same messages and facts for any cut', () => {
    const cuts = fc.array(fc.integer({ min: 1, max: 400 }), { maxLength: 40 });
    fc.assert(fc.property(cuts, cuts, (rc, sc) => {
      const got = run(rc, sc);
      expect(got.clientHello).toEqual(reference.clientHello);
      expect(got.serverHello).toEqual(reference.serverHello);
      expect(got.serverCertificates).toEqual(reference.serverCertificates);
      expect(got.clientCertificates).toEqual(reference.clientCertificates);
      expect(got.certificateRequest).toEqual(reference.certificateRequest);
      expect(got.serverKeyExchangeGroup).toBe(24);
      expect(got.clientMessages).toEqual(reference.clientMessages);
      expect(got.serverMessages).toEqual(reference.serverMessages);
      expect(got.notes).toEqual([]);
    }), { numRuns: 200 });
  });
});
