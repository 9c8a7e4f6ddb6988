/**
 * Runs cases in a worker thread so a hang or a runaway allocation can be stopped: a watchdog
 * terminates the worker when the case has used more than its CPU-time bound (CPU, not wall time:
 * the machine is shared, and other processes' load must not count as our slowness) or a wall-clock
 * bound (an idle hang burns no CPU), `resourceLimits` caps its V8 heap, and a sampler checks the
 * process RSS (Buffers live outside the V8 heap). The worker is replaced after any
 * failure so one case cannot contaminate the next.
 */
import { Worker } from 'node:worker_threads';
import type { WorkReply, WorkRequest } from './worker.js';
import type { Companions } from './run-case.js';
import type { RunResult } from './classify.js';

export type { RunResult } from './classify.js';

export interface RunnerOptions {
  workerUrl: URL;
  companions: Companions;
  /** CPU time bound of one case (process CPU: the worker, its GC, and the idle main thread) */
  cpuLimitMs: number;
  /** wall-clock bound (catches idle hangs: a promise that never settles) */
  wallLimitMs: number;
  heapLimitMiB: number;
  /** RSS growth over the baseline (after the worker started) that counts as a failure */
  rssLimitMiB: number;
  execArgv?: string[];
}

export class WorkerRunner {
  private worker: Worker | null = null;
  private nextId = 1;
  private baselineRss = 0;
  peakRssGrowthMiB = 0;

  constructor(private readonly o: RunnerOptions) {}

  private async start(): Promise<Worker> {
    const w = new Worker(this.o.workerUrl, {
      workerData: { companions: this.o.companions },
      resourceLimits: { maxOldGenerationSizeMb: this.o.heapLimitMiB, maxYoungGenerationSizeMb: 64 },
      execArgv: this.o.execArgv,
      stdout: true,
      stderr: true,
    });
    w.stdout.resume(); // library code must not print; drop anything that does
    w.stderr.resume();
    await new Promise<void>((res, rej) => {
      w.once('online', () => res());
      w.once('error', rej);
    });
    this.baselineRss = process.memoryUsage.rss();
    return w;
  }

  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }

  /** Run one case; `cpuLimitMs` overrides the default CPU bound (large inputs get more). */
  async run(req: Omit<WorkRequest, 'id'>, cpuLimitMs = this.o.cpuLimitMs): Promise<RunResult> {
    const w = this.worker ?? (this.worker = await this.start());
    const id = this.nextId++;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const cpuMs = (): number => {
      const c = process.cpuUsage(cpu0);
      return (c.user + c.system) / 1000;
    };
    const result = await new Promise<RunResult>((resolve) => {
      let settled = false;
      const finish = (r: RunResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(sampler);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        resolve(r);
      };
      const onMessage = (m: WorkReply): void => {
        if (m.id !== id) return;
        if (m.kind === 'done') finish({ kind: 'done', outcome: m.outcome, cpuMs: cpuMs() });
        else finish({ kind: 'fatal', detail: m.detail, stack: m.stack });
      };
      const onError = (e: Error & { code?: string }): void => {
        if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') finish({ kind: 'memory', detail: `V8 heap over ${this.o.heapLimitMiB} MiB (${e.message})` });
        else finish({ kind: 'fatal', detail: `worker error: ${e.name}: ${e.message}`, stack: e.stack });
      };
      const onExit = (code: number): void => finish({ kind: 'fatal', detail: `worker exited with code ${code}` });
      const timer = setTimeout(() => finish({ kind: 'timeout', ms: performance.now() - t0, cpuMs: cpuMs() }), Math.max(this.o.wallLimitMs, 3 * cpuLimitMs));
      const sampler = setInterval(() => {
        const cpu = cpuMs();
        if (cpu > cpuLimitMs) finish({ kind: 'timeout', ms: performance.now() - t0, cpuMs: cpu });
        const growth = (process.memoryUsage.rss() - this.baselineRss) / 1048576;
        if (growth > this.peakRssGrowthMiB) this.peakRssGrowthMiB = growth;
        if (growth > this.o.rssLimitMiB) finish({ kind: 'memory', detail: `RSS grew by ${Math.round(growth)} MiB (limit ${this.o.rssLimitMiB})` });
      }, 50);
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage({ ...req, id } satisfies WorkRequest);
    });
    if (result.kind !== 'done') await this.stop();
    return result;
  }
}
