/** Command line of `npm run bench` (scripts/bench.ts). */
export interface BenchArgs {
  runs: number;
  large: boolean;
  skipReference: boolean;
  referenceOnly: boolean;
  profile: boolean;
  regen: boolean;
  help: boolean;
}

export const usage = `usage: npm run bench [-- options]
  --runs N          timed runs of tls-extract per capture (default 3; the median is reported)
  --large           also build and measure the 4x capture (~4.4 GB; or BENCH_LARGE=1)
  --skip-reference  do not run tshark and ssldump
  --reference-only  only generate the captures and measure tshark and ssldump (tool not needed)
  --profile         one tls-extract run under node --cpu-prof; prints the top 15 self-time functions
  --regen           regenerate the base capture (and everything derived from it)
Captures and results live in .cache/bench/ (see scripts/bench/README.md).`;

export function parseBenchArgs(argv: string[], env: NodeJS.ProcessEnv): BenchArgs {
  const a: BenchArgs = {
    runs: 3,
    large: env.BENCH_LARGE === '1',
    skipReference: false,
    referenceOnly: false,
    profile: false,
    regen: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--runs' || arg.startsWith('--runs=')) {
      const v = arg.includes('=') ? arg.slice(7) : argv[++i];
      a.runs = Number(v);
      if (!Number.isInteger(a.runs) || a.runs < 1) throw new Error(`--runs needs a positive integer, got ${v}`);
    } else if (arg === '--large') a.large = true;
    else if (arg === '--skip-reference') a.skipReference = true;
    else if (arg === '--reference-only') a.referenceOnly = true;
    else if (arg === '--profile') a.profile = true;
    else if (arg === '--regen') a.regen = true;
    else if (arg === '--help' || arg === '-h') a.help = true;
    else throw new Error(`unknown option ${arg}\n${usage}`);
  }
  return a;
}
