// A small supervisor for `npm start`: keeps a child process running, starting it again with backoff when it
// dies (1 s, doubling up to 30 s; back to 1 s once it has stayed up a minute), while the rest stays up.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface Supervised {
  /** The running child, if any. */
  current(): ChildProcess | undefined;
  /** Stops supervising and the child (SIGTERM, then SIGKILL after `graceMs`); resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export function supervise(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions,
  say: (m: string) => void,
): Supervised {
  let child: ChildProcess | undefined;
  let stopped = false;
  let backoffMs = 1_000;
  let timer: NodeJS.Timeout | undefined;

  function start() {
    const startedAt = Date.now();
    const c = spawn(command, args, options);
    child = c;
    say(`${name} started (pid ${c.pid})`);
    c.once('exit', (code, signal) => {
      if (stopped) return;
      if (Date.now() - startedAt > 60_000) backoffMs = 1_000;
      say(`${name} exited (${signal ?? code}); starting it again in ${backoffMs / 1000} s`);
      timer = setTimeout(start, backoffMs);
      backoffMs = Math.min(backoffMs * 2, 30_000);
    });
  }
  start();

  return {
    current: () => child,
    async stop(graceMs = 8_000) {
      stopped = true;
      clearTimeout(timer);
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
        setTimeout(() => c.kill('SIGKILL'), graceMs).unref();
      });
    },
  };
}
