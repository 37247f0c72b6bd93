// What the gateway hands GraphiQL at /graphiql/config.json: the demo's key and the example operation.
export interface ExplorerConfig {
  apiKey: string;
  query: string;
  variables: Record<string, unknown>;
}

export async function explorerConfig(): Promise<ExplorerConfig> {
  const response = await fetch('/graphiql/config.json', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`config.json answered HTTP ${response.status}`);
  const body = (await response.json()) as Partial<ExplorerConfig>;
  if (typeof body.apiKey !== 'string' || typeof body.query !== 'string') throw new Error('config.json lacks apiKey or query');
  return { apiKey: body.apiKey, query: body.query, variables: body.variables ?? {} };
}
