// `npm run tenant -- <command>`: manage tenants (municipalities, creditors) and their API keys in production
// (DATABASE_URL, or the embedded database as `npm start` uses it). A new API key is printed once.
//   npm run tenant -- create <id> <org nr> <name> [--agreement ACTIVE|NONE|ENDED] [--sender <digipost sender id>]
//                    [--return "<name>|<line>|<postal code>|<city>"] [--correction QUEUE|SEND_NOW]
//   npm run tenant -- key <id> <label>          issue an API key
//   npm run tenant -- revoke-keys <id>          revoke every key of the tenant
//   npm run tenant -- disable <id>              revoke its keys, disable its operators, end their sessions
//   npm run tenant -- list
//   npm run tenant -- prices <id>               show its price lists (øre), each valid from its date
//   npm run tenant -- prices <id> --from <YYYY-MM-DD> --digital <øre> --print <øre> --extra-sheet <øre> --fee <øre>
//                                               set the list valid from that date (README "Price lists")
import { eq } from 'drizzle-orm';
import { runWithDatabase } from './cli-database';
import { z } from 'zod';
import { tenants } from '../db/schema';
import { disableTenant, issueApiKey, revokeApiKeys, upsertTenant } from '../db/tenants';
import { billedSince, priceListOn, priceListsOf, setPriceList } from '../db/prices';
import { osloDay } from '../domain/pricing';
import { putPricesSchema } from '../api/pricing-schemas';

/** The command line's names of the price list's fields, for error messages. */
const PRICE_FLAGS: Record<string, string> = {
  validFrom: '--from',
  'prices.digitalPerLetter': '--digital',
  'prices.printPerLetter': '--print',
  'prices.printPerExtraSheet': '--extra-sheet',
  'prices.adminFeePerLetter': '--fee',
};

const formatOre = (ore: number) => `${(ore / 100).toFixed(2)} kr`;

const USAGE = `usage: npm run tenant -- create <id> <org nr> <name> [--agreement ACTIVE|NONE|ENDED] [--sender <id>]
                          [--return "<name>|<line>|<postal code>|<city>"] [--correction QUEUE|SEND_NOW]
       npm run tenant -- key <id> <label>
       npm run tenant -- revoke-keys <id>
       npm run tenant -- disable <id>
       npm run tenant -- list
       npm run tenant -- prices <id>
       npm run tenant -- prices <id> --from <YYYY-MM-DD> --digital <øre> --print <øre> --extra-sheet <øre> --fee <øre>`;

const createArgs = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'id: lower-case letters, digits and dashes'),
  orgNumber: z.string().regex(/^\d{9}$/, 'org nr: nine digits'),
  name: z.string().min(1),
  agreement: z.enum(['ACTIVE', 'NONE', 'ENDED']).default('NONE'),
  sender: z.string().regex(/^\d+$/, '--sender: a numeric Digipost sender id').optional(),
  returnAddress: z
    .string()
    .regex(/^[^|]+\|[^|]+\|\d{4}\|[^|]+$/, '--return: "<name>|<line>|<postal code>|<city>"')
    .optional(),
  correction: z.enum(['QUEUE', 'SEND_NOW']).default('QUEUE'),
});

function options(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) out[args[i]!.replace(/^--/, '')] = args[i + 1] ?? '';
  return out;
}

const [command, ...args] = process.argv.slice(2);
await runWithDatabase(async (db) => {
  if (command === 'create' && args.length >= 3) {
    const [id, orgNumber, name, ...rest] = args as [string, string, string, ...string[]];
    const o = options(rest);
    const parsed = createArgs.safeParse({
      id,
      orgNumber,
      name,
      agreement: o.agreement,
      sender: o.sender,
      returnAddress: o.return,
      correction: o.correction,
    });
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
    const t = parsed.data;
    const [rName, rLine, rCode, rCity] = (t.returnAddress ?? `${t.name}|Postboks 1|0001|Oslo`).split('|') as [
      string,
      string,
      string,
      string,
    ];
    await upsertTenant(db, {
      id: t.id,
      name: t.name,
      orgNumber: t.orgNumber,
      digipostAgreement: t.agreement,
      digipostSenderId: t.sender ?? null,
      returnAddress: { name: rName, lines: [rLine], postalCode: rCode, city: rCity },
      correctionMode: t.correction,
    });
    process.stdout.write(`tenant ${t.id} saved (Digipost agreement: ${t.agreement})\n`);
  } else if (command === 'key' && args.length === 2) {
    const [id, label] = args as [string, string];
    const [tenant] = await db.select().from(tenants).where(eq(tenants.id, id));
    if (!tenant) throw new Error(`no tenant ${id}`);
    process.stdout.write(`${await issueApiKey(db, id, label)}\n`);
    process.stderr.write('the key is shown this once; only its SHA-256 is stored\n');
  } else if (command === 'revoke-keys' && args.length === 1) {
    await revokeApiKeys(db, args[0]!);
    process.stdout.write(`every key of ${args[0]} revoked\n`);
  } else if (command === 'disable' && args.length === 1) {
    const done = await disableTenant(db, args[0]!);
    if (!done) throw new Error(`no tenant ${args[0]}`);
    process.stdout.write(
      `tenant ${args[0]} disabled: ${done.keys} key(s) revoked, ${done.operators} operator(s) disabled, ${done.sessions} session(s) ended\n`,
    );
  } else if (command === 'list' && args.length === 0) {
    for (const t of await db.select().from(tenants))
      process.stdout.write(`${t.id}\t${t.orgNumber}\t${t.digipostAgreement}\t${t.name}\n`);
  } else if (command === 'prices' && args.length >= 1) {
    const [id, ...rest] = args as [string, ...string[]];
    const [tenant] = await db.select().from(tenants).where(eq(tenants.id, id));
    if (!tenant) throw new Error(`no tenant ${id}`);
    if (rest.length > 0) {
      const o = options(rest);
      const parsed = putPricesSchema.safeParse({
        validFrom: o.from,
        prices: {
          digitalPerLetter: o.digital,
          printPerLetter: o.print,
          printPerExtraSheet: o['extra-sheet'],
          adminFeePerLetter: o.fee,
        },
      });
      if (!parsed.success)
        throw new Error(
          parsed.error.issues
            .map((i) => `${PRICE_FLAGS[i.path.join('.')] ?? i.path.join('.')}: ${i.message}`)
            .join('; '),
        );
      if (await billedSince(db, id, parsed.data.validFrom))
        throw new Error(`--from: letters have been billed on or after ${parsed.data.validFrom}`);
      await setPriceList(db, id, parsed.data.validFrom, parsed.data.prices);
      process.stdout.write(`price list of ${id} valid from ${parsed.data.validFrom} saved\n`);
    }
    const current = await priceListOn(db, id, osloDay(new Date()));
    process.stdout.write('valid from\tdigital\tprint\textra sheet\tfee\n');
    for (const l of await priceListsOf(db, id)) {
      const p = l.prices;
      const mark = l.validFrom === current.validFrom ? '\t(today)' : '';
      process.stdout.write(
        `${l.validFrom ?? 'standard'}\t${formatOre(p.digitalPerLetter)}\t${formatOre(p.printPerLetter)}\t${formatOre(p.printPerExtraSheet)}\t${formatOre(p.adminFeePerLetter)}${mark}\n`,
      );
    }
  } else {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  return 0;
});
