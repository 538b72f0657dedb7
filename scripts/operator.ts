// `npm run operator -- <command>`: manage the admin panel's operators in production (DATABASE_URL, or the
// embedded database as `npm start` uses it). The password is read from standard input, never from arguments.
//   npm run operator -- create <tenantId> <username>    (password on stdin; sets a new one if the user exists)
//   npm run operator -- disable <username>              (ends its sessions too)
//   npm run operator -- list [tenantId]
import { createInterface } from 'node:readline';
import { disableOperator, listOperators, upsertOperator } from '../db/operators';
import { tenants } from '../db/schema';
import { eq } from 'drizzle-orm';
import { runWithDatabase } from './cli-database';

const USAGE = `usage: npm run operator -- create <tenantId> <username>   (password on stdin)
       npm run operator -- disable <username>
       npm run operator -- list [tenantId]`;

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password: ');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  throw new Error('no password on standard input');
}

const [command, ...args] = process.argv.slice(2);
await runWithDatabase(async (db) => {
  if (command === 'create' && args.length === 2) {
    const [tenantId, username] = args as [string, string];
    const [tenant] = await db.select().from(tenants).where(eq(tenants.id, tenantId));
    if (!tenant) throw new Error(`no tenant ${tenantId}`);
    await upsertOperator(db, { tenantId, username, password: await readPassword() });
    process.stdout.write(`operator ${username} can log in to the admin panel of ${tenant.name}\n`);
  } else if (command === 'disable' && args.length === 1) {
    if (!(await disableOperator(db, args[0]!))) throw new Error(`no operator ${args[0]}`);
    process.stdout.write(`operator ${args[0]} disabled\n`);
  } else if (command === 'list' && args.length <= 1) {
    for (const o of await listOperators(db, args[0]))
      process.stdout.write(`${o.username}\t${o.tenantId}\t${o.disabledAt ? 'disabled' : 'active'}\n`);
  } else {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  return 0;
});
