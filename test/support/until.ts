// The one wait of the test suite: polls until a check holds. Tests never assert wall-clock times; the limit only
// turns a hang into a failure that names what was awaited.

/** Polls `check` (every `everyMs`) until it returns a truthy value, and returns that value. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 90_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
