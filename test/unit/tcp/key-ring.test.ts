import { describe, expect, it } from 'vitest';
import { KeyRing } from '../../../src/tcp/key-ring.js';

describe('KeyRing', () => {
  it('is a FIFO across wrap-around and growth, with its times; retain keeps order', () => {
    const r = new KeyRing(true);
    const model: [number, number, number, number][] = [];
    let next = 1;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 7; i++, next++) { r.push(next, -next, next * 3, next * 1.5); model.push([next, -next, next * 3, next * 1.5]); }
      for (let i = 0; i < 4; i++) {
        expect([r.head1(), r.head2(), r.headGen(), r.headTime()]).toEqual(model.shift());
        r.shift();
      }
      if (round % 10 === 9) {
        r.retain((h1) => h1 % 2 === 0);
        for (let i = model.length - 1; i >= 0; i--) if (model[i][0] % 2 !== 0) model.splice(i, 1);
      }
      expect(r.length).toBe(model.length);
    }
    expect(r.capacity).toBeGreaterThanOrEqual(r.length);
    while (r.length > 0) { expect(r.head1()).toBe(model.shift()![0]); r.shift(); }
  });

  it('without times, headTime is 0', () => {
    const r = new KeyRing();
    r.push(1, 2, 3, 99);
    expect(r.headTime()).toBe(0);
  });
});
