// Entry point: serves any supergraph file, routing to the URLs in it. The
// server's modules load only once the command line and the config file are
// read, so a mistake in either is told without loading them.
import { createLogger, runMain, startTracing } from '@interop/kit';
import { stopOnSignals } from '@interop/kit/server';
import { parseGatewayCli } from './cli';
import { steadyHeap } from './steady-heap';

runMain(async () => {
  steadyHeap();
  let cli;
  try {
    cli = parseGatewayCli(process.argv.slice(2));
  } catch (error) {
    throw new Error(`gateway: ${(error as Error).message}`, { cause: error });
  }
  const logger = createLogger('gateway');
  startTracing({ serviceName: 'gateway' });
  const { startGateway } = await import('./server.js');
  let gateway;
  try {
    gateway = await startGateway({ ...cli, logger });
  } catch (error) {
    throw new Error(`gateway: cannot serve ${cli.supergraphPath}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  logger.info({ url: gateway.url, supergraph: cli.supergraphPath }, 'gateway listening');
  stopOnSignals(gateway, logger);
});
