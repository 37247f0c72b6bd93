// Which URLs partner webhooks go to: https only, and never to an address
// inside the deployment (loopback, private, link-local, unique-local, the
// cloud metadata service, ...), unless the development switches allow them.
// Checked when an endpoint is created or changed, and again for every
// connection an attempt opens against the addresses its host resolves to
// then; the connection goes to the address that was checked (see
// `pinnedLookup`), so a DNS answer that changes between the check and the
// connection (rebinding) is never followed. An attempt on a kept-alive
// connection reaches the address checked when that connection opened.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { AppError, badUserInput, ErrorCode } from '@interop/kit';

export interface UrlPolicy {
  allowInsecure: boolean;
  allowPrivate: boolean;
}

export type RefusalReason = 'INSECURE_URL' | 'PRIVATE_ADDRESS' | 'METADATA_ADDRESS';

const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254']);

/** Why an address is refused under `policy`, or null when it may be sent to. */
export function addressRefusal(address: string, policy: Pick<UrlPolicy, 'allowPrivate'>): RefusalReason | null {
  if (policy.allowPrivate) return null;
  if (!ipaddr.isValid(address)) return 'PRIVATE_ADDRESS';
  let parsed = ipaddr.parse(address);
  // ::ffff:10.0.0.1 reaches 10.0.0.1.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (METADATA_ADDRESSES.has(parsed.toNormalizedString()) || METADATA_ADDRESSES.has(parsed.toString())) return 'METADATA_ADDRESS';
  // Only the public internet: loopback, private, linkLocal, uniqueLocal, unspecified, carrier-grade NAT, reserved, ... are all refused.
  return parsed.range() === 'unicast' ? null : 'PRIVATE_ADDRESS';
}

export class UrlRefused extends Error {
  constructor(readonly reason: RefusalReason) {
    super(`webhook URL refused: ${reason}`);
  }
}

/** The URL parsed and checked for its form: absolute http(s), no credentials. Throws BAD_USER_INPUT or WEBHOOK_URL_NOT_ALLOWED. */
export function parseEndpointUrl(text: string, policy: UrlPolicy, argument: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badUserInput(argument, 'Not an absolute URL.');
  }
  if (text.length > 2048) throw badUserInput(argument, 'The URL is longer than 2048 characters.');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badUserInput(argument, 'Not an http(s) URL.');
  if (url.username || url.password) throw badUserInput(argument, 'A webhook URL carries no credentials.');
  if (url.protocol === 'http:' && !policy.allowInsecure) throw notAllowed('INSECURE_URL', argument);
  return url;
}

/** Checks an endpoint's URL as it is created or changed: its form, and every address its host has now. */
export async function checkEndpointUrl(text: string, policy: UrlPolicy, argument: string): Promise<URL> {
  const url = parseEndpointUrl(text, policy, argument);
  let addresses: LookupAddress[];
  try {
    addresses = await resolveAll(hostOf(url));
  } catch {
    throw badUserInput(argument, 'The URL’s host does not resolve.');
  }
  for (const { address } of addresses) {
    const refusal = addressRefusal(address, policy);
    if (refusal) throw notAllowed(refusal, argument);
  }
  return url;
}

/** The host as the resolver takes it: IPv6 literals without their brackets. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  if (isIP(host)) return Promise.resolve([{ address: host, family: isIP(host) }]);
  return new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));
}

/**
 * A `lookup` for node's http(s) request: resolves the host, refuses the
 * connection when any address it has is refused, and otherwise hands over
 * exactly the addresses it checked, so the socket connects to one of them.
 */
export function pinnedLookup(policy: Pick<UrlPolicy, 'allowPrivate'>): LookupFunction {
  return (hostname, options, callback) => {
    resolveAll(hostname).then(
      (addresses) => {
        const refused = addresses.map(({ address }) => addressRefusal(address, policy)).find((reason) => reason !== null);
        if (refused) return callback(new UrlRefused(refused), '', 4);
        const family = typeof options === 'object' && options.family ? options.family : 0;
        const usable = family === 4 || family === 6 ? addresses.filter((entry) => entry.family === family) : addresses;
        const first = usable[0];
        if (!first) return callback(Object.assign(new Error(`No address for ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
        if (typeof options === 'object' && options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, usable);
        return callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };
}

function notAllowed(reason: RefusalReason, argument: string): AppError {
  return new AppError(ErrorCode.WEBHOOK_URL_NOT_ALLOWED, 'The deployment does not send webhooks to this URL.', { reason, argument });
}
