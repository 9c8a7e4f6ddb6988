/**
 * Fuzz worker (worker_threads): runs cases sent by the main thread through analyze() and posts the
 * Outcome back. The main thread enforces the time bound (terminate) and the heap bound
 * (resourceLimits); an uncaught error or unhandled rejection here is reported as a crash.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runAnalysis, type Companions, type Outcome } from './run-case.js';
import { profiled } from './hot-frame.js';
import type { Role } from './seeds.js';
import type { Limits } from '../../src/options.js';

export interface WorkRequest {
  id: number;
  role: Role;
  input: string;
  limits?: Partial<Limits>;
  /** take a CPU profile and report the hottest frame (slow cases) */
  profile?: boolean;
}

export type WorkReply =
  | { id: number; kind: 'done'; outcome: Outcome }
  | { id: number; kind: 'fatal'; detail: string; stack?: string };

const port = parentPort;
const companions = (workerData as { companions: Companions }).companions;
let current = -1;

function fatal(e: unknown): void {
  const err = e instanceof Error ? e : new Error(String(e));
  port?.postMessage({ id: current, kind: 'fatal', detail: `unhandled: ${err.name}: ${err.message}`, stack: err.stack } satisfies WorkReply);
}

process.on('unhandledRejection', fatal);
process.on('uncaughtException', fatal);

port?.on('message', (req: WorkRequest) => {
  current = req.id;
  const run = (): Promise<Outcome> => runAnalysis(req.role, req.input, companions, req.limits);
  const work = req.profile
    // a frame with under 20% of the self time does not explain the slowness: no attribution
    ? profiled(run).then(({ value, hot }) => (hot.share >= 0.2 ? { ...value, hot: `${hot.label} (${Math.round(hot.share * 100)}% of samples)` } : value))
    : run();
  void work.then(
    (outcome) => port.postMessage({ id: req.id, kind: 'done', outcome } satisfies WorkReply),
    fatal,
  );
});
