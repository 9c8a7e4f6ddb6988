import { describe, it, expect } from 'vitest';
import { resolve } from 'node:path';
import { EMPTY_NUMBERS, Interner, internNumbers, numbersInterner, sameNumbers, stringInterner } from '../../../src/util/intern.js';
import { analyze } from '../../../src/pipeline.js';

const SAMPLES = resolve(import.meta.dirname, '../../../samples');

describe('Interner', () => {
  it('returns the first value seen for every structurally equal one', () => {
    const t = numbersInterner();
    const a = [1, 2, 3];
    expect(t.get(a)).toBe(a);
    expect(t.get([1, 2, 3])).toBe(a);
    expect(t.get([1, 2, 4])).not.toBe(a);
    expect(t.get([3, 2, 1])).not.toBe(a);
    expect(t.hits).toBe(1);
    expect(t.size).toBe(3);
  });

  it('tells colliding values apart by comparison, not by hash', () => {
    const t = new Interner<number[]>(() => 7, sameNumbers);
    const a = [1], b = [2], c = [1, 1];
    expect(t.get(a)).toBe(a);
    expect(t.get(b)).toBe(b);
    expect(t.get(c)).toBe(c);
    expect(t.get([2])).toBe(b);
    expect(t.get([1, 1])).toBe(c);
  });

  it('keeps at most 8 values per hash (crafted collisions cost a few comparisons each)', () => {
    const t = new Interner<number[]>(() => 1, sameNumbers);
    const lists = Array.from({ length: 20 }, (_, i) => [i]);
    for (const l of lists) expect(t.get(l)).toBe(l);
    expect(t.size).toBe(8);
    expect(t.get([3])).toBe(lists[3]);
    expect(t.get([15])).not.toBe(lists[15]);
  });

  it('stops growing at its bound and then hands values back unshared', () => {
    const t = numbersInterner(2);
    t.get([1]);
    t.get([2]);
    const third = [3];
    expect(t.get(third)).toBe(third);
    expect(t.get([3])).not.toBe(third);
    expect(t.size).toBe(2);
    expect(t.get([1])).toEqual([1]);
  });

  it('shares one frozen empty list, which cannot be pushed to', () => {
    const t = numbersInterner();
    expect(internNumbers(t, [])).toBe(EMPTY_NUMBERS);
    expect(() => (internNumbers(t, []) as number[]).push(1)).toThrow(TypeError);
    expect(EMPTY_NUMBERS).toHaveLength(0);
  });

  it('interns strings by value', () => {
    const t = stringInterner();
    const a = ['10.0.0', '1'].join('.');
    expect(t.get(a)).toBe(a);
    expect(t.get('10.0.0.1')).toBe(a);
    expect(t.get('10.0.0.2')).toBe('10.0.0.2');
  });
});

describe('connections share what they repeat', () => {
  it('equal hellos and certificate lists are one object across connections; different ones are not', async () => {
    const { report } = await analyze([`${SAMPLES}/lab/lab.pcap`], { truststores: [`${SAMPLES}/lab/ca.pem`] });
    const conns = report.connections;
    const by6972 = conns.filter((c) => c.server.port === 6972 && c.certificates.length > 0);
    expect(by6972.length).toBeGreaterThanOrEqual(2);
    const [x, y] = by6972;
    expect(x.id).not.toBe(y.id);
    expect(y.certificates).toBe(x.certificates);
    expect(y.certificates[0]).toBe(x.certificates[0]);
    expect(y.server_hello).toEqual(x.server_hello);
    expect(y.server_hello).toBe(x.server_hello);
    // a connection to another server presents other certificates: not shared
    const other = conns.find((c) => c.certificates.length > 0 && c.certificates[0].sha256 !== x.certificates[0].sha256)!;
    expect(other.certificates).not.toBe(x.certificates);
    // per-connection fields stay per connection
    expect(y.client.port).not.toBe(x.client.port);
  });
});
