// The client's address, for the per-IP budgets of anonymous callers and of
// refused credentials. Behind a load balancer every request comes from the
// balancer, and X-Forwarded-For names the client; but anyone can send that
// header, so it is believed only from the proxies the operator trusts, hop by
// hop (proxy-addr, as Express's `trust proxy`).
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/** Which proxies may name the client: addresses, CIDR ranges, or `loopback`, `linklocal`, `uniquelocal`. Throws on a malformed entry. */
export function clientAddressOf(trustedProxies: readonly string[]): (req: IncomingMessage) => string {
  if (trustedProxies.length === 0) return (req) => req.socket.remoteAddress ?? 'unknown';
  const trust = proxyaddr.compile([...trustedProxies]);
  return (req) => proxyaddr(req, trust);
}
