import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Callback URLs are chosen by forum admins, so without a guard Hearth could be pointed at
 * its own network (SSRF). Only public unicast addresses are allowed unless the operator opts
 * in. The check runs at connect time, on the address actually used, so DNS rebinding between
 * a check and the request cannot slip through.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === 'unicast';
}

/** How an operator allows private and loopback callbacks, named wherever one is refused. */
export const ALLOW_PRIVATE_HINT =
  'set HEARTH_ALLOW_PRIVATE_CALLBACKS=1 (for the server and the hearth command) to allow it for local trials';

export class PrivateAddressError extends Error {
  constructor(host: string, address: string) {
    super(`callback host ${host} resolves to non-public address ${address}; ${ALLOW_PRIVATE_HINT}`);
    this.name = 'PrivateAddressError';
  }
}

/** Validates a callback URL's form, and its literal address when it has one. */
export function callbackUrlProblem(raw: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a valid URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be http or https';
  if (url.username || url.password) return 'must not carry credentials';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate) {
    if (isIP(host) && !isPublicAddress(host)) return `address ${host} is not public; ${ALLOW_PRIVATE_HINT}`;
    if (host === 'localhost' || host.endsWith('.localhost')) return `${host} is not public; ${ALLOW_PRIVATE_HINT}`;
  }
  return null;
}

/** A `lookup` for http.request that refuses non-public addresses. */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const bad = allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address));
      if (bad) return callback(new PrivateAddressError(hostname, bad.address), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new Error(`no address for ${hostname}`), '', 0);
      callback(null, first.address, first.family);
    });
  };
}
