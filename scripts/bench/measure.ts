/**
 * Runs one command and measures it: wall time (hrtime around the child), CPU time and peak RSS. Peak RSS and
 * CPU come from GNU time (`/usr/bin/time -f '%M %U %S'`, apt package `time`) when installed; otherwise peak
 * RSS is polled from the child's VmHWM in /proc every 50 ms (a lower bound for very short runs).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunSample {
  wallSeconds: number;
  /** peak resident set size in KiB, null when it could not be read */
  maxRssKb: number | null;
  /** user + system CPU seconds (GNU time %U + %S), null without GNU time; robust on a busy machine */
  cpuSeconds: number | null;
  exitCode: number;
  /** 1-minute load average when the run started (the machine may be shared) */
  load1: number;
  /** the last 4 KiB of stderr */
  stderrTail: string;
}

export interface MeasureOptions {
  /** where stdout goes (a path; '/dev/null' to discard) */
  stdout: string;
  cwd?: string;
}

const GNU_TIME = '/usr/bin/time';

export function peakRssMethod(): string {
  return existsSync(GNU_TIME) ? 'GNU time %M' : '/proc VmHWM polling';
}

export function measure(cmd: string, args: string[], opts: MeasureOptions): Promise<RunSample> {
  const useTime = existsSync(GNU_TIME);
  const rssFile = join(tmpdir(), `tlsx-bench-rss-${process.pid}-${Date.now()}.txt`);
  const argv = useTime ? ['-f', '%M %U %S', '-o', rssFile, cmd, ...args] : args;
  const load1 = loadavg()[0];
  const out = openSync(opts.stdout, 'w');
  const started = process.hrtime.bigint();
  const child = spawn(useTime ? GNU_TIME : cmd, argv, { cwd: opts.cwd, stdio: ['ignore', out, 'pipe'] });
  closeSync(out);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => {
    stderr = (stderr + s).slice(-4096);
  });
  let polled = 0;
  const poll = useTime ? undefined : setInterval(() => {
    polled = Math.max(polled, readVmHwm(child.pid));
  }, 50);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (poll) clearInterval(poll);
      let maxRssKb: number | null = polled > 0 ? polled : null;
      let cpuSeconds: number | null = null;
      if (useTime && existsSync(rssFile)) {
        // GNU time writes "Command exited with non-zero status N" before the figures when the command fails
        const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
        const [kb, user, sys] = lines[lines.length - 1].split(' ').map(Number);
        maxRssKb = Number.isFinite(kb) && kb > 0 ? kb : null;
        cpuSeconds = Number.isFinite(user) && Number.isFinite(sys) ? user + sys : null;
        rmSync(rssFile, { force: true });
      }
      resolve({ wallSeconds, maxRssKb, cpuSeconds, load1, exitCode: code ?? (signal ? 128 : 1), stderrTail: stderr });
    });
  });
}

function readVmHwm(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
