// Before the first test file: what every file of the run would otherwise do itself.
import { buildDemoIfStale } from '../../../../scripts/demo-build';
import { buildServicesIfStale } from '../../../../scripts/service-build';
import { composeForRun } from '../supergraph-once';

export default async function globalSetup(): Promise<void> {
  // Tests of a service as a process run its production bundle (packages/testing/src/processes.ts, runService);
  // the demo's end-to-end test serves web/dist, as npm start does.
  composeForRun();
  // Built as `npm start` builds it, whose web/dist this is: not with the NODE_ENV=test jest sets.
  const { NODE_ENV: _test, ...buildEnv } = process.env;
  await Promise.all([buildServicesIfStale(), buildDemoIfStale(buildEnv)]);
}
