// `npm run cluster`'s wiring, without starting it (`npm run test:cluster`
// runs it): every replica reaches a replicated peer through HAProxy, never a
// single replica, and HAProxy accepts the configuration written for it.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findHaproxy, haproxyConfig, serverStates } from '../../scripts/cluster/haproxy-config';
import { assignPorts, planCluster, PORT_COUNT, REPLICAS } from '../../scripts/cluster/topology';
import { scratchDir } from '@interop/testing/scratch-dir';

const ports = assignPorts(Array.from({ length: PORT_COUNT }, (_, i) => 41_000 + i));
const plan = planCluster(ports, { supergraphPath: '/srv/supergraph.graphql' });
const byName = new Map(plan.processes.map((replica) => [replica.name, replica]));
const tier = (name: string) => plan.haproxy.tiers.find((entry) => entry.name === name)!;
const tierUrl = (name: string) => `http://127.0.0.1:${tier(name).port}`;

test('each process has a port of its own, and the balancer fronts both gateways', () => {
  const all = [...plan.processes.map((replica) => replica.port), ...plan.haproxy.tiers.map((entry) => entry.port), plan.haproxy.statsPort];
  expect(new Set(all).size).toBe(all.length);
  expect(plan.processes.map((replica) => replica.name).sort()).toEqual(
    ['commerce', 'wallet', ...['gateway', 'payments', 'merchants'].flatMap((service) => Array.from({ length: REPLICAS }, (_, i) => `${service}-${i + 1}`))].sort(),
  );
  expect(plan.url).toBe(`${tierUrl('gateway')}/`);
  for (const name of ['gateway', 'payments', 'merchants']) {
    expect(tier(name).servers.map((server) => server.port)).toEqual(plan.processes.filter((replica) => replica.service === name).map((replica) => replica.port));
  }
});

test('the gateways, the subgraphs and the wallet reach payments and merchants through the balancer', () => {
  for (const name of ['gateway-1', 'gateway-2']) {
    const args = byName.get(name)!.args;
    expect(args).toEqual(expect.arrayContaining([`payments=${tierUrl('payments')}/graphql`, `merchants=${tierUrl('merchants')}/graphql`]));
  }
  for (const name of ['payments-1', 'payments-2']) {
    const env = byName.get(name)!.env;
    expect(env.MERCHANTS_URL).toBe(`${tierUrl('merchants')}/graphql`);
    // The wallet's webhooks for any payment go to whichever payments replica is up.
    expect(env.PAYMENTS_WEBHOOK_URL).toBe(`${tierUrl('payments')}/webhooks/wallet`);
  }
  for (const name of ['merchants-1', 'merchants-2']) expect(byName.get(name)!.env.PAYMENTS_URL).toBe(`${tierUrl('payments')}/graphql`);
});

test('a chosen balancer port is used as given', () => {
  expect(assignPorts(Array.from({ length: PORT_COUNT }, (_, i) => 42_000 + i), 8080).balancer).toBe(8080);
});

test('server states are read from the stats page, frontends and backends left out', () => {
  const csv = '# pxname,svname,qcur,status,other\ngateway,FRONTEND,,OPEN,\ngateway,gateway-1,0,UP,\ngateway,gateway-2,0,DOWN 1/2,\ngateway,BACKEND,0,UP,\nstats,FRONTEND,,OPEN,\n';
  expect(serverStates(csv)).toEqual([
    { tier: 'gateway', server: 'gateway-1', status: 'UP' },
    { tier: 'gateway', server: 'gateway-2', status: 'DOWN 1/2' },
  ]);
});

const haproxy = findHaproxy();
if (haproxy) {
  test('HAProxy accepts the configuration', () => {
    const file = join(scratchDir('cluster-plan-'), 'haproxy.cfg');
    writeFileSync(file, haproxyConfig(plan.haproxy));
    expect(() => execFileSync(haproxy, ['-c', '-q', '-f', file], { stdio: 'pipe' })).not.toThrow();
  });
}
