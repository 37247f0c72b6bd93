// Jest runs this in every test file: whatever the outcome, the processes the
// file started die with their process groups when it ends, or when its worker exits first.
import { killProcessGroups } from '../processes';

process.once('exit', killProcessGroups);
afterAll(() => {
  killProcessGroups();
  process.off('exit', killProcessGroups);
});
