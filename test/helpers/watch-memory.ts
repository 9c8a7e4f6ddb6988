/**
 * Hostile-input tests: run `analyze` while sampling heap and RSS (every 10 ms and at each progress
 * report), and say how much each grew at its peak over where it started.
 */
import { analyze, type AnalyzeOptions } from '../../src/pipeline.js';
import type { Report } from '../../src/report/model.js';

export interface Watched {
  report: Report;
  heapGrowthMiB: number;
  rssGrowthMiB: number;
}

export async function analyzeWatchingMemory(inputs: string[], opts: AnalyzeOptions = {}): Promise<Watched> {
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage.rss();
  let peakHeap = heap0;
  let peakRss = rss0;
  const sample = (): void => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, 10);
  let report: Report;
  try {
    ({ report } = await analyze(inputs, { ...opts, onProgress: sample }));
  } finally {
    clearInterval(timer);
  }
  sample();
  return { report, heapGrowthMiB: (peakHeap - heap0) / 1048576, rssGrowthMiB: (peakRss - rss0) / 1048576 };
}
