import { describe, expect, it } from 'vitest';
import { createProgress, progressLine } from '../../../src/cli/progress.js';

class Sink { text = ''; columns = 80; write(s: string): boolean { this.text += s; return true; } }

describe('progressLine', () => {
  it('shows bytes of total, a bar, percent, rate and time left', () => {
    expect(progressLine({ bytesRead: 100e6, totalBytes: 400e6 }, 10_000, 79))
      .toBe('reading 100.0/400.0 MB [#######....................]  25%  10.0 MB/s  0:30 left');
  });
  it('fits narrow terminals and unknown totals', () => {
    const l = progressLine({ bytesRead: 100e6, totalBytes: 400e6 }, 10_000, 40);
    expect(l.length).toBeLessThanOrEqual(40);
    expect(progressLine({ bytesRead: 60e6, totalBytes: null }, 2_000, 79)).toBe('reading 60.0 MB  30.0 MB/s');
  });
  it('formats hours', () => {
    expect(progressLine({ bytesRead: 1e6, totalBytes: 4000e6 }, 1_000, 100)).toContain('1:06:39 left');
  });
});

describe('createProgress', () => {
  function setup(enabled = true): { sink: Sink; p: ReturnType<typeof createProgress>; tick: (ms: number) => void } {
    let t = 0;
    const sink = new Sink();
    return { sink, p: createProgress({ stream: sink, enabled, now: () => t, minIntervalMs: 100 }), tick: (ms) => { t += ms; } };
  }
  it('draws only above the threshold, throttles, always draws the final update, clears on finish', () => {
    const { sink, p, tick } = setup();
    p.onProgress({ bytesRead: 0, totalBytes: 10e6 });
    expect(sink.text).toBe('');
    tick(50);
    p.onProgress({ bytesRead: 10e6, totalBytes: 100e6 });
    const first = sink.text;
    expect(first.startsWith('\rreading 10.0/100.0 MB')).toBe(true);
    expect(first.endsWith('\x1b[K')).toBe(true);
    tick(10);
    p.onProgress({ bytesRead: 20e6, totalBytes: 100e6 });
    expect(sink.text).toBe(first); // throttled
    tick(10);
    p.onProgress({ bytesRead: 100e6, totalBytes: 100e6 });
    expect(sink.text).toContain('100.0/100.0 MB');
    expect(p.shown).toBe(true);
    p.finish();
    expect(sink.text.endsWith('\r\x1b[K')).toBe(true);
    expect(p.shown).toBe(false);
  });
  it('a terminal that reports 0 columns (a pseudo-terminal without a size) gets 80-column lines, not 20', () => {
    let t = 0;
    const sink = new Sink();
    sink.columns = 0;
    const p = createProgress({ stream: sink, enabled: true, now: () => t, minIntervalMs: 100 });
    t = 1000;
    p.onProgress({ bytesRead: 100e6, totalBytes: 1000e6 });
    const line = sink.text.replace(/^\r/, '').replace(/\x1b\[K$/, '');
    expect(line).toContain('[');
    expect(line).toContain('left');
    expect(line.length).toBeGreaterThan(40);
    expect(line.length).toBeLessThanOrEqual(79);
  });
  it('uses bytes read when the total is unknown', () => {
    const { sink, p, tick } = setup();
    p.onProgress({ bytesRead: 40e6, totalBytes: null });
    expect(sink.text).toBe('');
    tick(1000);
    p.onProgress({ bytesRead: 60e6, totalBytes: null });
    expect(sink.text).toContain('reading 60.0 MB');
  });
  it('does nothing when disabled, and finish() writes nothing if never shown', () => {
    const { sink, p } = setup(false);
    p.onProgress({ bytesRead: 100e6, totalBytes: 100e6 });
    p.finish();
    expect(sink.text).toBe('');
  });
});
