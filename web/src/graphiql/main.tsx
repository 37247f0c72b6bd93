// GraphiQL at /graphiql, served by the gateway from this origin (no CDN), with
// the demo's key in the headers and the example operation in the editor.
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { createRoot } from 'react-dom/client';
import { explorerConfig } from './config';
import './graphiql.css';

const root = document.getElementById('graphiql');
if (!root) throw new Error('graphiql.html has no #graphiql element');

explorerConfig().then(
  ({ apiKey, query, variables }) => {
    // The key goes with every request, the schema's introspection included (it may run before the headers editor exists);
    // what the headers editor holds is sent over it. Subscriptions go over graphql-ws on the same path, the key in connection_init.
    const fetcher = createGraphiQLFetcher({
      url: '/graphql',
      headers: { 'x-api-key': apiKey },
      subscriptionUrl: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
      wsConnectionParams: { 'x-api-key': apiKey },
    });
    createRoot(root).render(
      <GraphiQL
        fetcher={fetcher}
        query={query}
        variables={JSON.stringify(variables, null, 2)}
        headers={JSON.stringify({ 'x-api-key': apiKey }, null, 2)}
        defaultEditorToolsVisibility="headers"
        shouldPersistHeaders={false}
      />,
    );
  },
  (error: unknown) => {
    root.textContent = `GraphiQL could not load its settings: ${error instanceof Error ? error.message : String(error)}`;
  },
);
