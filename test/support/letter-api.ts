// The letter end-to-end files' shared calls: create a letter, read it, and wait until it reaches a status.
import type { TestSystem } from './system';
import { until } from './until';

export function letterApi<Letter extends { status: string }>(sys: TestSystem) {
  const create = async (body: unknown) => (await sys.json<{ id: string }>('/v1/letters', { body })).id;
  const letter = (id: string) => sys.json<Letter>(`/v1/letters/${id}`);
  const reaches = (id: string, status: string) =>
    until(`letter ${id} ${status}`, async () => {
      const l = await letter(id);
      return l.status === status && l;
    });
  return { create, letter, reaches };
}
