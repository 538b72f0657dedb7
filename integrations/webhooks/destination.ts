// Where a webhook may be sent. In production only to public https destinations: the URL's host, as the WHATWG
// URL parser reads it (so `https://2130706433/`, `https://0x7f.1/` and `https://127.1/` are all 127.0.0.1),
// must not be, or resolve to, a loopback, private, link-local, shared, reserved, multicast or documentation
// address, nor an IPv4-mapped (or NAT64, 6to4, Teredo) IPv6 address. Checked when a subscription is registered
// and again before every delivery, after resolving the name, so a name that later resolves inside is refused.
import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns/promises';

/**
 * `public`: production, public https only. `loopback`: deliveries only to this machine (the fuzz run, which
 * registers hosts that are not ours). `any`: development and tests (plain http on localhost too).
 */
export type DestinationPolicy = 'public' | 'loopback' | 'any';

export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;
const systemLookup: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true });

// one list per family: a BlockList matches IPv4 addresses against IPv4-compatible IPv6 rules too
const internal4 = new BlockList();
const internal6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  internal4.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback and IPv4-compatible
  ['::ffff:0:0', 96], // IPv4-mapped
  ['64:ff9b::', 96], // NAT64
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23], // Teredo and IETF special purpose
  ['2001:db8::', 32],
  ['2002::', 16], // 6to4
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  internal6.addSubnet(net, prefix, 'ipv6');

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** Whether an IP address (v4 or v6) is a public unicast address. */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  return family === 4 ? !internal4.check(ip, 'ipv4') : !internal6.check(ip, 'ipv6');
}

const isLoopback = (ip: string) => {
  const family = isIP(ip);
  return family !== 0 && loopback.check(ip, family === 4 ? 'ipv4' : 'ipv6');
};

/** The URL's host as an address or a name (brackets of an IPv6 literal removed). */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Why a webhook may not go to `url` under `policy` (undefined: it may). `resolve`: also look the name up and
 * check every address it has now; a name that does not resolve is refused only at delivery.
 */
export async function destinationProblem(
  rawUrl: string,
  policy: DestinationPolicy,
  opts: { resolve: boolean; lookup?: Lookup; atDelivery?: boolean } = { resolve: true },
): Promise<string | undefined> {
  if (policy === 'any') return undefined;
  if (!URL.canParse(rawUrl)) return 'not a URL';
  const url = new URL(rawUrl);
  const host = hostOf(url);
  if (policy === 'public' && url.protocol !== 'https:') return 'only https destinations are accepted';
  const allowed = policy === 'public' ? isPublicAddress : isLoopback;
  const refused = (address: string) =>
    policy === 'public'
      ? `${url.hostname} is not a public address (${address}): loopback, private, link-local and reserved destinations are refused`
      : `${url.hostname} (${address}) is not on this machine: deliveries go only to loopback here`;
  if (isIP(host)) return allowed(host) ? undefined : refused(host);
  if (!opts.resolve) return undefined;
  let addresses: { address: string }[];
  try {
    addresses = await (opts.lookup ?? systemLookup)(host);
  } catch (e) {
    return opts.atDelivery
      ? `${url.hostname} does not resolve (${(e as { code?: string }).code ?? 'error'})`
      : undefined;
  }
  const inside = addresses.find((a) => !allowed(a.address));
  return inside ? refused(inside.address) : undefined;
}
