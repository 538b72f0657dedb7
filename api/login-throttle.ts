// Login throttling for the admin panel: failed logins are counted per user name and per client address over a
// window; past the limit every login for that name or from that address is refused with 429 (the right
// password too) until the window has passed, so guessing a password takes years rather than seconds. A
// successful login clears its user name's count. Counts live in this API process (each instance counts its
// own); behind a proxy set TRUST_PROXY, so the address is the client's and not the proxy's.

export interface ThrottleOptions {
  /** Failed logins allowed per user name within the window. */
  perUser: number;
  /** Failed logins allowed per client address within the window (an address may serve several people). */
  perAddress: number;
  windowMs: number;
  now?: () => number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = { perUser: 5, perAddress: 20, windowMs: 15 * 60_000 };

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(private readonly opts: ThrottleOptions = DEFAULT_THROTTLE) {
    this.now = opts.now ?? Date.now;
  }

  private recent(key: string): number[] {
    const since = this.now() - this.opts.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  /** Milliseconds until a login for this user from this address may be tried again; 0: it may now. */
  blockedFor(username: string, address: string): number {
    const waits = [
      [`user:${username.toLowerCase()}`, this.opts.perUser],
      [`addr:${address}`, this.opts.perAddress],
    ] as const;
    let wait = 0;
    for (const [key, limit] of waits) {
      const times = this.recent(key);
      if (times.length >= limit)
        wait = Math.max(wait, times[times.length - limit]! + this.opts.windowMs - this.now());
    }
    return wait;
  }

  failed(username: string, address: string): void {
    for (const key of [`user:${username.toLowerCase()}`, `addr:${address}`])
      this.failures.set(key, [...this.recent(key), this.now()]);
    if (this.failures.size > 100_000) this.failures.clear(); // bounded memory under a flood of names
  }

  succeeded(username: string): void {
    this.failures.delete(`user:${username.toLowerCase()}`);
  }
}

/** The Norwegian message operators see. */
export function throttledMessage(waitMs: number): string {
  const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
  return `For mange mislykkede innloggingsforsøk. Vent ${minutes} ${minutes === 1 ? 'minutt' : 'minutter'} og prøv igjen.`;
}
