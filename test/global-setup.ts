// Before the first test file: what every file of the run would otherwise do itself.
import { composeForRun } from './supergraph-once';

export default composeForRun;
