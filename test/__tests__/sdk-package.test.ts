// The partner SDK as a partner gets it: `npm pack` in packages/sdk, the
// tarball installed into a project of its own outside this repository, and
// then used there as each kind of partner would: its README's payment run
// with plain `node` (as an ES module, over Server-Sent Events and, with
// Node's WebSocket, over graphql-ws), `require`d from CommonJS, type-checked
// under `NodeNext` with `verbatimModuleSyntax`, and bundled for a browser.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { build, stop as stopEsbuild } from 'esbuild';
import { signWebhookPayload } from '@interop/kit/security';
import { startGraph, type Graph, useEmbeddedBackends } from '@interop/testing/harness';
import { PARTNER_A } from '@interop/testing/identities';
import { buyerDecides } from '@interop/testing/payments-helpers';
import { finished, ROOT, spawnInGroup, waitForOutput, type Finished } from '@interop/testing/processes';

useEmbeddedBackends();

const SDK_DIR = join(ROOT, 'packages', 'sdk');
const SDK_README = readFileSync(join(SDK_DIR, 'README.md'), 'utf8');
const STATUS_LINE = /^(REQUIRES_ACTION|PROCESSING|SUCCEEDED|FAILED|CANCELED|EXPIRED)$/;

let graph: Graph;
let gatewayUrl: string;
let project: string;
let packed: { filename: string; files: { path: string }[] };

/** The environment of a process run in the consumer's project: npm's own variables (set by `npm test`) would point npm back at this repository. */
function consumerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!/^npm_/i.test(name)) env[name] = value;
  return { ...env, ...extra };
}

function run(command: string, args: readonly string[], cwd: string, timeoutMs: number, env = consumerEnv()): Promise<Finished> {
  const child = spawnInGroup(command, args, { cwd, env, stdio: 'pipe' }) as ChildProcessWithoutNullStreams;
  return finished(child, timeoutMs);
}

/** The first code block of `lang` in the SDK's README. */
function readmeBlock(lang: string): string {
  const block = new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'm').exec(SDK_README);
  if (!block) throw new Error(`packages/sdk/README.md has no ${lang} block`);
  return block[1]!;
}

beforeAll(async () => {
  graph = await startGraph();
  gatewayUrl = new URL('graphql', graph.gateway.url).href;

  project = mkdtempSync(join(tmpdir(), 'interop-sdk-consumer-'));
  const pack = await run('npm', ['pack', '--json', '--pack-destination', project], SDK_DIR, 120_000);
  if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
  packed = (JSON.parse(pack.stdout.slice(pack.stdout.search(/^\[/m))) as (typeof packed)[])[0]!;

  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'interop-sdk-consumer', private: true, type: 'module' }));
  const typesNode = (JSON.parse(readFileSync(join(ROOT, 'node_modules', '@types', 'node', 'package.json'), 'utf8')) as { version: string }).version;
  const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(project, packed.filename), `@types/node@${typesNode}`], project, 180_000);
  if (install.code !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
}, 300_000);

afterAll(async () => {
  await stopEsbuild();
  await graph?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

test('the tarball holds the ESM and CommonJS builds of each entry with their declarations, and no sources', () => {
  const files = packed.files.map((file) => file.path).sort();
  for (const entry of ['index', 'webhooks']) {
    expect(files).toEqual(expect.arrayContaining([`dist/${entry}.mjs`, `dist/${entry}.cjs`, `dist/${entry}.d.mts`, `dist/${entry}.d.ts`]));
  }
  expect(files.filter((path) => path.startsWith('src/') || path.endsWith('.test.ts'))).toEqual([]);
  // The README's install line names the file npm pack writes.
  expect(SDK_README).toContain(`npm install ./${packed.filename}`);
});

describe.each([
  ['over Server-Sent Events (Node 20 has no WebSocket of its own)', []],
  ['over graphql-ws (with Node’s WebSocket)', ['--experimental-websocket']],
])('the README’s payment, run with node %s', (_how, nodeFlags) => {
  test('starts a payment, prints where the buyer approves, and follows it to SUCCEEDED', async () => {
    writeFileSync(join(project, 'pay.mjs'), readmeBlock('js'));
    const child = spawnInGroup(process.execPath, [...nodeFlags, 'pay.mjs'], {
      cwd: project,
      env: consumerEnv({ INTEROP_URL: gatewayUrl, INTEROP_API_KEY: PARTNER_A.key }),
      stdio: 'pipe',
    }) as ChildProcessWithoutNullStreams;
    const done = finished(child, 120_000);
    // The buyer approves once it follows the payment, so that it hears every change.
    const printed = await waitForOutput(child, /https?:\/\/\S+\/sandbox\/payments\/[\w-]+[\s\S]*?^REQUIRES_ACTION$/m);
    expect(await buyerDecides(/https?:\/\/\S+\/sandbox\/payments\/[\w-]+/.exec(printed)![0], 'approve')).toBe(200);
    const { code, stdout, stderr } = await done;
    expect({ code, stderr }).toMatchObject({ code: 0 });
    expect(stdout.split('\n').filter((line) => STATUS_LINE.test(line))).toEqual(['REQUIRES_ACTION', 'PROCESSING', 'SUCCEEDED']);
  }, 150_000);
});

test('CommonJS require()s both entries: a read against the graph and a webhook check', async () => {
  const body = JSON.stringify({ id: 'evt_1', type: 'payment.succeeded' });
  writeFileSync(
    join(project, 'check.cjs'),
    `const sdk = require('@interop/sdk');
const { verifyWebhook } = require('@interop/sdk/webhooks');
sdk.createInteropClient({ url: process.env.INTEROP_URL }).platformAcceptance('taobao').then((platform) => {
  const webhook = verifyWebhook('whsec_consumer', process.env.BODY, process.env.SIGNATURE);
  console.log(JSON.stringify({ exports: Object.keys(sdk).sort(), platform: platform && platform.id, webhook }));
});
`,
  );
  const signature = signWebhookPayload(['whsec_consumer'], Math.floor(Date.now() / 1000), body);
  const result = await run(process.execPath, ['check.cjs'], project, 60_000, consumerEnv({ INTEROP_URL: gatewayUrl, BODY: body, SIGNATURE: signature }));
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  const printed = JSON.parse(result.stdout) as { exports: string[]; platform: string; webhook: unknown };
  expect(printed.exports).toEqual(expect.arrayContaining(['createInteropClient', 'InteropError', 'InteropTransportError', 'isSettled', 'ERROR_CODES']));
  expect(printed.platform).toBe('taobao');
  expect(printed.webhook).toEqual({ ok: true });
}, 90_000);

test('TypeScript under NodeNext with verbatimModuleSyntax type-checks an ES module and a CommonJS consumer', async () => {
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        verbatimModuleSyntax: true,
        target: 'ES2022',
        lib: ['ES2022'],
        types: ['node'],
        strict: true,
        exactOptionalPropertyTypes: true,
        skipLibCheck: false,
        noEmit: true,
      },
      files: ['consumer.ts', 'legacy.cts'],
    }),
  );
  writeFileSync(
    join(project, 'consumer.ts'),
    `import { createInteropClient, InteropError, isSettled, type Payment, type PaymentStatus } from '@interop/sdk';
import { parseWebhookEvent, verifyWebhook, type PartnerWebhookEvent } from '@interop/sdk/webhooks';

const interop = createInteropClient({ url: 'http://localhost:4000/graphql', apiKey: 'key' });

export async function outcome(paymentId: string): Promise<PaymentStatus | undefined> {
  let last: Payment | undefined;
  for await (const update of interop.followPayment(paymentId, { reconnects: 3 })) last = update;
  return last?.status;
}

export function codeOf(error: unknown): string | undefined {
  return error instanceof InteropError ? error.code : undefined;
}

export const settled: boolean = isSettled('SUCCEEDED');

export function event(rawBody: string, header: string | string[] | undefined): PartnerWebhookEvent | null {
  return verifyWebhook(['whsec_new', 'whsec_old'], rawBody, header).ok ? parseWebhookEvent(rawBody) : null;
}

export function refundedMinor(event: PartnerWebhookEvent): number | null {
  // The type narrows the union: only refund events carry a refund.
  return event.type === 'refund.succeeded' ? event.data.refund.amount.amountMinor : null;
}


// @ts-expect-error: the declarations know every status, so one the schema lacks is refused.
export const unknown: PaymentStatus = 'PAID';
`,
  );
  writeFileSync(
    join(project, 'legacy.cts'),
    `import sdk = require('@interop/sdk');
import webhooks = require('@interop/sdk/webhooks');

const client: sdk.InteropClient = sdk.createInteropClient({ url: 'http://localhost:4000/graphql', token: 'jwt' });
export = { client, header: webhooks.WEBHOOK_SIGNATURE_HEADER, wallet: webhooks.verifyWalletWebhook };
`,
  );
  const tsc = await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], project, 120_000);
  expect({ code: tsc.code, errors: tsc.stdout }).toEqual({ code: 0, errors: '' });
}, 150_000);

describe('a browser bundle', () => {
  const bundle = (source: string) => {
    writeFileSync(join(project, 'browser.mjs'), source);
    return build({ entryPoints: [join(project, 'browser.mjs')], absWorkingDir: project, bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
  };

  test('of the client builds with nothing of Node’s in it', async () => {
    const result = await bundle(`import { createInteropClient, isSettled } from '@interop/sdk';
const interop = createInteropClient({ url: '/graphql' });
export const follow = (paymentId) => interop.followPayment(paymentId);
export { isSettled };
`);
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.includes('@interop/sdk/dist/index.mjs'))).toBe(true);
    expect(inputs.filter((input) => input.startsWith('node:'))).toEqual([]);
  });

  test('of the webhook check fails: it is for Node.js only', async () => {
    await expect(bundle(`export { verifyWebhook } from '@interop/sdk/webhooks';\n`)).rejects.toThrow();
  });
});
