// After the last test file. Run in band (jest's choice for a single file),
// the test files ran in this process, whose worker PGlites would otherwise
// keep it alive; with workers, this process has none, and jest ends the workers.
import { closeIdlePglites } from './worker-pglites';

export default closeIdlePglites;
