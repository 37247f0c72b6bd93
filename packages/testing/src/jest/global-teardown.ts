// After the last test file. Run in band (jest's choice for a single file),
// the test files ran in this process, whose worker PGlites would otherwise
// keep it alive; with workers, this process has none, and jest ends the workers.
import { forgetRun } from '../supergraph-once';
import { closeIdlePglites } from '../worker-pglites';

export default async function globalTeardown(): Promise<void> {
  forgetRun();
  await closeIdlePglites();
}
