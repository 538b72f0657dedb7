// A Noark 5 archive simulator and a client logged in to it with OAuth2, as the archive adapter runs in production.
import {
  startArchiveSimulator,
  type ArchiveSimulator,
  type ArchiveSimulatorOptions,
} from '../../simulators/archive/server';
import { ArchiveClient } from '../../integrations/archive/client';

export const ARCHIVE_USER = { username: 'arkivar', password: 'hemmelig' };
export const ARCHIVE_OAUTH_CLIENT = { clientId: 'postgang', clientSecret: 'klienthemmelighet' };

export async function archiveForTests(
  opts: Pick<ArchiveSimulatorOptions, 'mode' | 'omitCodeLists'> = {},
): Promise<{ sim: ArchiveSimulator; client: ArchiveClient }> {
  const sim = await startArchiveSimulator({
    users: [ARCHIVE_USER],
    clients: [ARCHIVE_OAUTH_CLIENT],
    ...opts,
  });
  const client = new ArchiveClient({ baseUrl: sim.url, ...ARCHIVE_USER, ...ARCHIVE_OAUTH_CLIENT });
  return { sim, client };
}
