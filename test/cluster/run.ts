// `npm run test:cluster`: the scale-out test. Starts `npm run cluster` (two
// gateways, two payments and two merchants replicas behind HAProxy, one
// commerce, the wallet, on PostgreSQL and Redis) from the production build,
// drives it through the balancer for a minute with reads, payments (each key
// retried as the SDK does), wallet decisions and paymentUpdated subscribers,
// and SIGKILLs one gateway, one payments and one merchants replica while it
// does, which the cluster restarts. Then it checks, in PostgreSQL and through
// each gateway, that nothing was lost, doubled or left behind, prints the
// figures, and exits non-zero if any check failed.
//
// Not part of `npm test` (it takes a couple of minutes); CI runs it when
// PostgreSQL and Redis answer. DATABASE_URL and REDIS_URL name the servers
// (this machine's by default); the run works in a database of its own.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInteropClient } from '@interop/sdk';
import { backingServices, checkBackingServices } from '../../scripts/cluster/backing-services';
import { buildServicesIfStale } from '../../scripts/service-build';
import { ClusterProcess } from './cluster-process';
import { killAndWatch, type FaultResult } from './faults';
import { appliedMigrations, pickMerchants, readLedger } from './ledger';
import { runPayer, type Order } from './payers';
import { probeOptIn, probeRateLimit, type Gateway } from './probes';
import { runReader } from './readers';
import { CallLoop, describeAttempt, percentile, Recorder, sleep, type Call } from './recorder';
import { seconds, table, Verdicts } from './report';
import { SDK_SETTINGS } from './sdk-settings';
import { credentials, scratchDatabase, writeGatewayConfig } from './setup';
import type { Followed } from './subscriber';
import { replayWebhooks } from './webhook-replay';
import { alive } from '@interop/testing/processes';

const LOAD_MS = 65_000;
const READERS = 3;
const PAYERS = 2;
const READ_PAUSE_MS = 50;
const PAY_PAUSE_MS = 150;
/** Which replica dies when, from the start of the load. */
const FAULTS = [
  { atMs: 12_000, replica: 'gateway-1' },
  { atMs: 28_000, replica: 'payments-1' },
  { atMs: 44_000, replica: 'merchants-1' },
];
/** Per credential and minute; the load's keys each stay well under it. */
const RATE_LIMIT_POINTS = 200;
const LOAD_KEYS = 32;
/** Delivered webhooks sent again to both payments replicas at once. */
const WEBHOOK_REPLAYS = 20;
/** After the load, how long payments may take to settle and subscribers to hear it. */
const SETTLE_MS = 60_000;
/** A failed attempt that ended this long after its replica was back in rotation is not put down to the fault. */
const FAULT_WINDOW_SLACK_MS = 3_000;

const log = (text = '') => console.log(text);

async function main(): Promise<number> {
  const verdicts = new Verdicts();
  const runId = randomBytes(4).toString('hex');
  if (await buildServicesIfStale()) log('Built the services (npm run build) from their changed sources.');
  const backing = backingServices(process.env);
  await checkBackingServices(backing);
  const database = await scratchDatabase(backing.databaseUrl);
  const workDir = mkdtempSync(join(tmpdir(), 'interop-cluster-test-'));
  const creds = credentials(runId, LOAD_KEYS);
  const walletSecret = `cluster-${randomBytes(16).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    REDIS_URL: backing.redisUrl,
    GATEWAY_CONFIG: writeGatewayConfig(workDir, RATE_LIMIT_POINTS),
    GATEWAY_API_KEYS: JSON.stringify(creds.records),
    SUBGRAPH_SIGNING_SECRET: `cluster-${randomBytes(16).toString('hex')}`,
    WALLET_SIGNING_SECRET: walletSecret,
    DEMO_API_KEY: `cluster-demo-${randomBytes(16).toString('hex')}`,
    MERCHANT_COUNT: '1000',
    LOG_LEVEL: 'info',
  };
  log(`Run ${runId}: starting the cluster (npm run cluster) on ${database.own ? 'a fresh database of its own' : 'the given database'}; work folder ${workDir}`);
  const started = Date.now();
  const cluster = ClusterProcess.start(env, workDir, (line) => log(`  cluster | ${line}`));
  let passed = false;
  try {
    const url = await cluster.ready(180_000);
    const startMs = Date.now() - started;
    const manifest = cluster.manifest();
    const gateways: Gateway[] = Object.entries(manifest.processes)
      .filter(([, entry]) => entry.service === 'gateway')
      .map(([name, entry]) => ({ name, url: entry.url }));
    const migrations = await appliedMigrations(database.url);
    verdicts.check(
      'both replicas of each subgraph started together and migrated one fresh schema',
      database.own && Object.values(migrations).every((count) => count > 0),
      `${database.own ? 'fresh database' : 'shared database'}; migrations recorded once each: ${Object.entries(migrations).map(([schema, count]) => `${schema} ${count}`).join(', ')}; cluster ready in ${seconds(startMs)}`,
    );
    const merchants = await pickMerchants(database.url);

    // The load, and the faults injected during it.
    const recorder = new Recorder();
    const orders: Order[] = [];
    const loadStarted = Date.now();
    let running = true;
    const settleBy = loadStarted + LOAD_MS + SETTLE_MS;
    const graphqlUrl = `${url}graphql`;
    const wsUrl = graphqlUrl.replace(/^http/, 'ws');
    const loops = [
      ...Array.from({ length: READERS }, (_, i) =>
        runReader({ url: graphqlUrl, keys: creds.loadKeys, merchants: merchants.readable, recorder, running: () => running, pauseMs: READ_PAUSE_MS, offset: i * 11 }),
      ),
      ...Array.from({ length: PAYERS }, (_, i) =>
        runPayer({
          url: graphqlUrl,
          wsUrl,
          keys: creds.loadKeys,
          merchants: merchants.payable,
          runId,
          payer: i,
          recorder,
          running: () => running,
          deadline: () => settleBy,
          pauseMs: PAY_PAUSE_MS,
          orders,
        }),
      ),
    ];
    const faults: FaultResult[] = [];
    const faulting = (async () => {
      for (const fault of FAULTS) {
        await sleep(Math.max(0, loadStarted + fault.atMs - Date.now()));
        log(`  fault   | SIGKILL ${fault.replica} at ${seconds(Date.now() - loadStarted)}`);
        faults.push(await killAndWatch(cluster, fault.replica));
      }
    })();
    await sleep(LOAD_MS);
    running = false;
    await Promise.all(loops);
    await faulting;
    const loadMs = Date.now() - loadStarted;
    log(`  load    | stopped after ${seconds(loadMs)}; settling`);

    // Every subscriber hears its final status, or the settle deadline passes.
    const followed = (await Promise.all(orders.map((order) => order.followed).filter((done): done is Promise<Followed> => done !== null))) as Followed[];
    const acknowledged = orders.filter((order) => order.acknowledged);
    let ledger = await readLedger(database.url, creds.partnerId);
    while (Date.now() < settleBy && !settled(acknowledged, ledger)) {
      await sleep(500);
      ledger = await readLedger(database.url, creds.partnerId);
    }

    // Each key sent once more, as a client retrying much later would: the same payment comes back.
    const replays = await replay(graphqlUrl, creds.loadKeys, acknowledged, recorder);
    const paymentsReplicas = Object.values(manifest.processes).filter((entry) => entry.service === 'payments').map((entry) => entry.url);
    const settledLedger = await readLedger(database.url, creds.partnerId);
    // Counted before the replay below adds its own.
    const duplicateWebhooks = countInLogs(manifest.logDir, /^payments-/, /"outcome":"duplicate"/);
    const webhookReplay = await replayWebhooks(database.url, settledLedger.payments.map((payment) => payment.id), paymentsReplicas, walletSecret, WEBHOOK_REPLAYS);
    ledger = await readLedger(database.url, creds.partnerId);

    const rateLimit = await probeRateLimit(gateways, creds.probeKey, RATE_LIMIT_POINTS * 2);
    const optIn = await probeOptIn(url, gateways, creds.checkerKey, merchants.notOptedIn, 15_000);

    // Figures.
    const windows = faults.map((fault) => ({ fault, from: fault.killedAt, to: fault.killedAt + (fault.inRotationMs ?? 60_000) + FAULT_WINDOW_SLACK_MS }));
    const inWindow = (attempt: { at: number; ms: number }) => windows.find((window) => attempt.at + attempt.ms >= window.from && attempt.at + attempt.ms <= window.to);
    const failedAttempts = (calls: readonly Call[]) => calls.flatMap((call) => call.attempts.filter((attempt) => attempt.outcome !== 'ok'));
    const kinds = ['read platform', 'read checkout', 'read storefront', 'initiatePayment', 'wallet decision'];
    log();
    log(`Load: ${seconds(loadMs)} through ${url} (HAProxy, ${gateways.length} gateways): ${READERS} readers, ${PAYERS} payers with a subscriber per payment`);
    log(
      table(
        ['calls', 'count', 'HTTP requests', 'failed requests', 'calls retried', 'calls failed', 'p50 ms', 'p95 ms', 'max ms'],
        kinds.map((kind) => {
          const calls = recorder.of(kind);
          const ms = calls.map((call) => call.ms);
          return [
            kind,
            calls.length,
            calls.reduce((sum, call) => sum + call.attempts.length, 0),
            failedAttempts(calls).length,
            calls.filter((call) => call.attempts.some((attempt) => attempt.outcome !== 'ok')).length,
            calls.filter((call) => !call.ok).length,
            percentile(ms, 50),
            percentile(ms, 95),
            Math.max(0, ...ms),
          ];
        }),
      ),
    );
    const readCalls = recorder.of(/^read /);
    const readRate = (readCalls.length / (loadMs / 1000)).toFixed(1);
    log(`Reads: ${readRate} calls/s; initiatePayment: ${(recorder.of('initiatePayment').length / (loadMs / 1000)).toFixed(1)} calls/s`);
    const outcomes = new Map<string, number>();
    for (const outcome of failedAttempts(recorder.calls).map(describeAttempt)) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    log(`Failed attempts by outcome: ${[...outcomes].map(([outcome, count]) => `${outcome} ${count}`).join(', ') || 'none'}`);
    log();
    log('Faults (times from the SIGKILL):');
    log(
      table(
        ['replica', 'killed at', 'out of rotation', 'healthy again', 'in rotation', 'failed attempts in window', 'reads', 'payments'],
        windows.map(({ fault }) => {
          const failures = failedAttempts(recorder.calls).filter((attempt) => inWindow(attempt)?.fault === fault);
          const reads = failedAttempts(readCalls).filter((attempt) => inWindow(attempt)?.fault === fault).length;
          return [fault.replica, seconds(fault.killedAt - loadStarted), seconds(fault.outOfRotationMs), seconds(fault.healthyMs), seconds(fault.inRotationMs), failures.length, reads, failures.length - reads];
        }),
      ),
    );
    const reconnected = followed.filter((entry) => entry.connections > 1);
    log();
    log(
      `Subscribers: ${followed.length}; saw the final status ${followed.filter((entry) => entry.sawFinal).length}; reconnected ${reconnected.length} ` +
        `(${followed.reduce((sum, entry) => sum + entry.connections, 0)} connections in all); subscribed again ${followed.reduce((sum, entry) => sum + entry.resubscribed, 0)} times; ` +
        `first result p50 ${percentile(followed.flatMap((entry) => (entry.firstResultMs === null ? [] : [entry.firstResultMs])), 50)} ms`,
    );
    const byStatus = (statuses: readonly string[]) => [...new Set(statuses)].sort().map((status) => `${status} ${statuses.filter((s) => s === status).length}`).join(', ');
    log(
      `Payments: ${orders.length} orders, ${acknowledged.length} acknowledged, ${orders.reduce((sum, order) => sum + order.sends, 0)} sends; ` +
        `${ledger.payments.length} rows; expected ${byStatus(acknowledged.map((order) => order.expected))}; found ${byStatus(ledger.payments.map((payment) => payment.status))}`,
    );
    log(
      `Wallet: ${ledger.walletOrders} orders; webhooks ${Object.entries(ledger.webhooks).map(([state, count]) => `${state} ${count}`).join(', ') || 'none'}; ` +
        `applied once each ${ledger.appliedWalletEvents}; deliveries that arrived again and were ignored ${duplicateWebhooks}`,
    );
    log(`Webhooks sent again to both payments replicas at once: ${webhookReplay.sent}; answers ${Object.entries(webhookReplay.answers).map(([answer, count]) => `${answer} ${count}`).join(', ')}`);
    log(
      `Rate limit (one key, ${rateLimit.limit ?? '?'} a minute): answered ${Object.entries(rateLimit.allowedVia).map(([name, count]) => `${count} via ${name}`).join(' + ')} = ${rateLimit.allowed}, then ${rateLimit.refusals.join('; ')}`,
    );
    const gatewayTimes = (times: Record<string, number | null>) => Object.entries(times).map(([name, ms]) => `${name} ${ms === null ? 'never' : `${ms} ms`}`).join(', ');
    log(
      `Opt-in (${optIn.merchantId}, WeChat Pay on Taobao): cache hits before the change ${Object.entries(optIn.hitsBefore).map(([name, hits]) => `${name} ${hits}`).join(', ')}; ` +
        `opened, seen by ${gatewayTimes(optIn.openedSeenMs)}; closed, seen by ${gatewayTimes(optIn.closedSeenMs)}`,
    );
    log(`Log lines at error level: ${Object.entries(errorLines(manifest.logDir)).map(([name, count]) => `${name} ${count}`).join(', ')}`);
    log();

    // Verdicts.
    const rowsByKey = new Map<string, typeof ledger.payments>();
    for (const payment of ledger.payments) rowsByKey.set(payment.key, [...(rowsByKey.get(payment.key) ?? []), payment]);
    const notOnce = acknowledged.filter((order) => {
      const rows = rowsByKey.get(order.key) ?? [];
      return rows.length !== 1 || order.ids.size !== 1 || !order.ids.has(rows[0]!.id);
    });
    verdicts.check('every acknowledged payment exists exactly once per key', notOnce.length === 0 && acknowledged.length > 0, `${acknowledged.length - notOnce.length} of ${acknowledged.length}${notOnce.length ? `; not once: ${notOnce.slice(0, 5).map((order) => order.key).join(', ')}` : ''}`);
    verdicts.check('a key sent again returns the same payment', replays.same === acknowledged.length, `${replays.same} of ${acknowledged.length} (${replays.failed} replays failed)`);
    const unacknowledged = orders.filter((order) => !order.acknowledged);
    const strays = ledger.payments.filter((payment) => !acknowledged.some((order) => order.key === payment.key));
    verdicts.check(
      'no payment lost or doubled',
      unacknowledged.length === 0 && strays.length === 0 && ledger.payments.length === acknowledged.length && ledger.walletOrders === acknowledged.length,
      `${orders.length} orders, ${acknowledged.length} acknowledged, ${ledger.payments.length} payments, ${ledger.walletOrders} wallet orders, ${strays.length} without an acknowledged key`,
    );
    const wrongStatus = acknowledged.filter((order) => rowsByKey.get(order.key)?.[0]?.status !== order.expected);
    verdicts.check('every payment reached the status its approval gave it', wrongStatus.length === 0, wrongStatus.length ? wrongStatus.slice(0, 5).map((order) => `${order.key}: ${rowsByKey.get(order.key)?.[0]?.status ?? 'missing'}, not ${order.expected}`).join('; ') : `${acknowledged.length} of ${acknowledged.length}`);
    const repeated = ledger.payments.filter((payment) => new Set(payment.history).size !== payment.history.length);
    const undelivered = Object.entries(ledger.webhooks).filter(([state]) => state !== 'DELIVERED').reduce((sum, [, count]) => sum + count, 0);
    verdicts.check(
      'each status change recorded once, each wallet webhook delivered and applied once',
      repeated.length === 0 && undelivered === 0 && ledger.appliedWalletEvents === (ledger.webhooks['DELIVERED'] ?? 0),
      `${repeated.length} histories with a repeated change; ${undelivered} webhooks not delivered; ${ledger.appliedWalletEvents} applied of ${ledger.webhooks['DELIVERED'] ?? 0} delivered`,
    );
    const sameLedger = JSON.stringify(settledLedger) === JSON.stringify(ledger);
    verdicts.check(
      'a webhook delivered again, to both payments replicas at once, is acknowledged and changes nothing',
      webhookReplay.sent === WEBHOOK_REPLAYS * paymentsReplicas.length && webhookReplay.answers['200 duplicate'] === webhookReplay.sent && sameLedger,
      `${webhookReplay.answers['200 duplicate'] ?? 0} of ${webhookReplay.sent} acknowledged as duplicates; payments, histories and applied events unchanged: ${sameLedger}`,
    );
    const readFailures = failedAttempts(readCalls);
    const outside = failedAttempts(recorder.calls).filter((attempt) => !inWindow(attempt));
    verdicts.check(
      'reads answered throughout; only attempts in flight on a killed replica failed, and the retry recovered them',
      readCalls.every((call) => call.ok) && outside.length === 0,
      `${readCalls.filter((call) => call.ok).length} of ${readCalls.length} reads answered; ${readFailures.length} failed read attempts, all retried; ${outside.length} failed attempts outside a fault's window${outside.length ? ` (${[...new Set(outside.map(describeAttempt))].join(', ')})` : ''}`,
    );
    const missed = followed.filter((entry) => !entry.sawFinal);
    verdicts.check(
      'each subscriber saw its payment\'s final status, reconnecting through the balancer when its gateway died',
      missed.length === 0 && followed.length === acknowledged.length && reconnected.length > 0,
      `${followed.length - missed.length} of ${followed.length}; ${reconnected.length} reconnected${missed.length ? `; missed: ${missed.slice(0, 3).map((entry) => `${entry.paymentId} saw ${entry.statuses.join('>') || 'nothing'}`).join('; ')}` : ''}`,
    );
    verdicts.check(
      'one rate-limit budget shared by both gateways',
      rateLimit.limit === RATE_LIMIT_POINTS &&
        rateLimit.allowed === RATE_LIMIT_POINTS &&
        rateLimit.countedTogether &&
        Object.values(rateLimit.allowedVia).every((count) => count > 0) &&
        rateLimit.refusals.length === 2 &&
        rateLimit.refusals.every((refusal) => / 429 RATE_LIMITED$/.test(refusal)),
      `${rateLimit.allowed} answered of a budget of ${rateLimit.limit}, each answer's RateLimit-Remaining counting both gateways' requests: ${rateLimit.countedTogether}`,
    );
    verdicts.check(
      'an opt-in change reaches both gateways\' caches',
      optIn.mutationErrors.length === 0 &&
        Object.values(optIn.offeredBefore).every((offered) => !offered) &&
        Object.values(optIn.hitsBefore).every((hits) => hits > 0) &&
        Object.values(optIn.openedSeenMs).every((ms) => ms !== null) &&
        Object.values(optIn.closedSeenMs).every((ms) => ms !== null),
      `opened: ${gatewayTimes(optIn.openedSeenMs)}; closed: ${gatewayTimes(optIn.closedSeenMs)}${optIn.mutationErrors.length ? `; errors ${optIn.mutationErrors.join(', ')}` : ''}`,
    );
    verdicts.check(
      'every killed replica was restarted and back in rotation',
      faults.length === FAULTS.length && faults.every((fault) => fault.restartedPid !== null && fault.inRotationMs !== null),
      faults.map((fault) => `${fault.replica} ${seconds(fault.inRotationMs)}`).join(', '),
    );

    const stopped = await cluster.stop();
    const leftovers = Object.entries(manifest.processes)
      .map(([name]) => [name, cluster.manifest().processes[name]?.pid] as const)
      .filter(([, pid]) => pid !== null && pid !== undefined && alive(pid));
    verdicts.check('SIGTERM stops the cluster and everything it started', stopped.code === 0 && leftovers.length === 0, `exit ${stopped.code ?? stopped.signal}; still running: ${leftovers.map(([name]) => name).join(', ') || 'none'}`);

    verdicts.print();
    passed = verdicts.failed.length === 0;
    const took = seconds(Date.now() - started);
    log(passed ? `\nAll ${verdicts.all.length} checks passed (${took} in all).` : `\n${verdicts.failed.length} of ${verdicts.all.length} checks failed (${took} in all); the processes' logs are in ${manifest.logDir}`);
    return passed ? 0 : 1;
  } finally {
    await cluster.stop();
    await database.drop().catch((error: unknown) => log(`Could not drop the run's database: ${(error as Error).message}`));
    if (passed) rmSync(workDir, { recursive: true, force: true });
  }
}

/** Every acknowledged payment at the status its decision gives it. */
function settled(orders: readonly Order[], ledger: Awaited<ReturnType<typeof readLedger>>): boolean {
  const status = new Map(ledger.payments.map((payment) => [payment.key, payment.status]));
  return orders.every((order) => status.get(order.key) === order.expected);
}

/** Sends every acknowledged order again with its key (its keys' budgets spread as the load's were); how many got their payment back. */
async function replay(url: string, keys: readonly string[], orders: readonly Order[], recorder: Recorder): Promise<{ same: number; failed: number }> {
  let same = 0;
  let failed = 0;
  const queue = [...orders];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      const loop = new CallLoop();
      const clients = keys.map((apiKey) => createInteropClient({ url, apiKey, fetch: loop.fetch, ...SDK_SETTINGS }));
      for (let order = queue.shift(); order; order = queue.shift()) {
        const client = clients[queue.length % clients.length]!;
        const input = order.input;
        const key = order.key;
        const result = await recorder.call('replay', loop, () => client.initiatePayment(input, { idempotencyKey: key }));
        if (!result.ok) failed += 1;
        else if (order.ids.has(result.value.id)) same += 1;
        else order.ids.add(result.value.id);
      }
    }),
  );
  return { same, failed };
}

function countInLogs(dir: string, files: RegExp, pattern: RegExp): number {
  return readdirSync(dir)
    .filter((file) => files.test(file))
    .reduce((sum, file) => sum + readFileSync(join(dir, file), 'utf8').split('\n').filter((line) => pattern.test(line)).length, 0);
}

/** Lines logged at error or fatal level, per process. */
function errorLines(dir: string): Record<string, number> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((file) => file.endsWith('.log') && file !== 'haproxy.log')
      .map((file) => [file.replace(/\.log$/, ''), readFileSync(join(dir, file), 'utf8').split('\n').filter((line) => /"level":(50|60)/.test(line)).length]),
  );
}

// Interrupted, it exits at once; the exit kills the cluster and everything it started (see ClusterProcess).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`Stopped by ${signal}; the cluster is killed, and its database, if created, left behind.`);
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
