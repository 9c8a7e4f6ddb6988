import { execFileSync } from 'node:child_process';

/** Whether `command args` runs and exits 0 (differential tests skip when the real tool is missing). */
export function hasTool(command: string, ...args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
