// The gateway's command line: `gateway --supergraph FILE --port N`. Every
// mistake ends in one line on stderr and a non-zero exit.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, DEFAULT_PORTS } from '@interop/kit';

export const USAGE = 'usage: gateway [--supergraph FILE] [--port N] [--host HOST] [--subgraph-url NAME=URL ...]';

export interface GatewayCli {
  supergraphPath: string;
  supergraphSdl: string;
  port: number;
  host: string;
  subgraphUrls: Record<string, string>;
}

export function parseGatewayCli(argv: readonly string[], env: Record<string, string | undefined> = process.env): GatewayCli {
  let values: { supergraph?: string; port?: string; host?: string; 'subgraph-url'?: string[] };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        supergraph: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'subgraph-url': { type: 'string', multiple: true },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}; ${USAGE}`);
  }
  const supergraphPath = values.supergraph ?? env.SUPERGRAPH_PATH ?? 'supergraph.graphql';
  const portText = values.port ?? env.GATEWAY_PORT ?? String(DEFAULT_PORTS.gateway);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new ConfigError(`--port must be a port number (0-65535), got ${portText}`);
  const subgraphUrls: Record<string, string> = {};
  for (const entry of values['subgraph-url'] ?? []) {
    const match = /^([A-Za-z0-9_-]+)=(https?:\/\/.+)$/.exec(entry);
    if (!match?.[1] || !match[2]) throw new ConfigError(`--subgraph-url must be NAME=URL, got ${entry}`);
    subgraphUrls[match[1]] = match[2];
  }
  let supergraphSdl: string;
  try {
    supergraphSdl = readFileSync(supergraphPath, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read supergraph file ${supergraphPath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return { supergraphPath, supergraphSdl, port, host: values.host ?? env.GATEWAY_HOST ?? '::', subgraphUrls };
}
