// Before the first test file: what every file of the run would otherwise do itself.
import { buildServicesIfStale } from '../scripts/service-build';
import { composeForRun } from './supergraph-once';

export default async function globalSetup(): Promise<void> {
  // Tests of a service as a process run its production bundle (test/processes.ts, runService).
  composeForRun();
  await buildServicesIfStale();
}
