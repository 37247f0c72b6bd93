// HAProxy's configuration for `npm run cluster`: one HTTP frontend per
// replicated tier (the gateways, which clients reach, and the payments and
// merchants replicas, which the gateways and the subgraphs reach), each
// balancing over its replicas' ports on this machine, plus a stats page.
//
// Servers are health-checked (/ready for the subgraph replicas, which turns
// 503 as one starts stopping) every second (every 250 ms while
// changing state), out after two failed checks and back after two good
// ones. A request whose connection to a server failed (a replica killed or
// restarting, not yet marked down) never reached it, so it is retried on
// another server whatever its method. A request that reached a server which
// then died is not retried here: HAProxy cannot know what the server did, and
// retrying a mutation is the client's call, made with its idempotency key.
// The gateways' health check is /health, not /ready: /ready asks the
// subgraph tiers, which both gateways share, so a tier down would take both
// gateways out at once instead of letting them answer partially.
import { execFileSync } from 'node:child_process';

export interface Tier {
  /** The frontend and backend name: `gateway`, `payments`, `merchants`. */
  name: string;
  /** Where the frontend listens, on 127.0.0.1. */
  port: number;
  /** The replicas: their names (shown in logs and stats) and ports on 127.0.0.1. */
  servers: readonly { name: string; port: number }[];
  healthPath: string;
  /** leastconn for the gateways, whose WebSockets stay open; round robin for short requests. */
  balance: 'leastconn' | 'roundrobin';
  /** Adds X-Forwarded-For (the gateways may trust it to name the client). */
  forwardFor?: boolean;
}

export interface HaproxyPlan {
  tiers: readonly Tier[];
  /** The stats page (/stats, CSV at /stats;csv) and HAProxy's own health (/health). */
  statsPort: number;
}

/** The stats page's path; `;csv` after it gives the same as CSV. */
export const STATS_PATH = '/stats';
export const HAPROXY_HEALTH_PATH = '/health';

export function haproxyConfig(plan: HaproxyPlan): string {
  const lines = [
    '# Written by npm run cluster for this run only.',
    'global',
    '  log stdout format raw local0 info',
    '  maxconn 4096',
    '',
    'defaults',
    '  mode http',
    '  log global',
    '  option httplog',
    // Only failed requests and server state changes are logged.
    '  option dontlog-normal',
    '  timeout connect 2s',
    '  timeout client 65s',
    '  timeout server 65s',
    // WebSockets (subscriptions) once upgraded; SSE and requests use the client and server timeouts.
    '  timeout tunnel 1h',
    '  timeout http-request 10s',
    '  timeout http-keep-alive 10s',
    '  retries 3',
    // Every retry of a failed connection goes to another server.
    '  option redispatch 1',
    '  default-server inter 1s fastinter 250ms downinter 500ms fall 2 rise 2',
  ];
  for (const tier of plan.tiers) {
    lines.push(
      '',
      `frontend ${tier.name}`,
      `  bind 127.0.0.1:${tier.port}`,
      ...(tier.forwardFor ? ['  option forwardfor'] : []),
      `  default_backend ${tier.name}`,
      '',
      `backend ${tier.name}`,
      `  balance ${tier.balance}`,
      '  option httpchk',
      `  http-check send meth GET uri ${tier.healthPath}`,
      '  http-check expect status 200',
      // A server marked down has its open connections (WebSockets) cut, so their clients reconnect elsewhere.
      ...tier.servers.map((server) => `  server ${server.name} 127.0.0.1:${server.port} check on-marked-down shutdown-sessions`),
    );
  }
  lines.push(
    '',
    'listen stats',
    `  bind 127.0.0.1:${plan.statsPort}`,
    '  stats enable',
    `  stats uri ${STATS_PATH}`,
    '  stats refresh 2s',
    `  monitor-uri ${HAPROXY_HEALTH_PATH}`,
    '',
  );
  return lines.join('\n');
}

export interface ServerState {
  tier: string;
  server: string;
  /** UP, DOWN, or a transition such as `UP 1/2`. */
  status: string;
}

/** Each server's state from the stats page's CSV (`/stats;csv`). */
export function serverStates(csv: string): ServerState[] {
  const [header, ...rows] = csv.trim().split('\n');
  const columns = (header ?? '').replace(/^# /, '').split(',');
  const at = (name: string) => columns.indexOf(name);
  const [tier, server, status] = [at('pxname'), at('svname'), at('status')];
  return rows
    .map((row) => row.split(','))
    .filter((cells) => cells[server] !== 'FRONTEND' && cells[server] !== 'BACKEND' && cells[tier] !== 'stats')
    .map((cells) => ({ tier: cells[tier] ?? '', server: cells[server] ?? '', status: cells[status] ?? '' }));
}

/** HAProxy's binary: on the PATH, or where Debian installs it (/usr/sbin, often off a user's PATH); null when missing. */
export function findHaproxy(): string | null {
  for (const candidate of ['haproxy', '/usr/sbin/haproxy', '/usr/local/sbin/haproxy']) {
    try {
      execFileSync(candidate, ['-v'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // Not there; the next one.
    }
  }
  return null;
}
