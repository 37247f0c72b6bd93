// Stops a process that npm runs when npm goes (`npm start`, `npm run
// gateway`, and every service such a script starts). npm runs a script under
// `sh -c`; a SIGTERM to npm is passed on to that shell, which dies of it
// without passing it on, so the script never hears the signal meant to stop
// it. And when npm is killed outright, the shell lives on as an orphan while
// the script hears nothing at all. So the watch is of both: the script's
// parent (the shell) and, where /proc shows it, the parent's parent (npm); when
// either changes, the one it had has gone and the orphan was adopted. Only
// under npm: a script started some other way may be meant to outlive its
// parent (nohup).
import { readFileSync } from 'node:fs';

const CHECK_EVERY_MS = 500;

/** The parent of process `pid`, read from /proc; null where there is no /proc or the process is gone. */
export function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The parent is the second field after the command name, which is in parentheses and may hold spaces.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/**
 * Calls `gone` once when this process's parent, or that parent's own parent,
 * is no longer the one it had at the call; the watch never keeps the process alive.
 */
function whenParentGone(gone: () => void): void {
  const parent = process.ppid;
  const grandparent = parentOf(parent);
  const timer = setInterval(() => {
    if (process.ppid === parent && (grandparent === null || parentOf(parent) === grandparent)) return;
    clearInterval(timer);
    gone();
  }, CHECK_EVERY_MS);
  timer.unref();
}

/** As whenParentGone, when npm runs this process or the script that started it; nothing otherwise. */
export function whenNpmGone(gone: () => void, env: NodeJS.ProcessEnv = process.env): void {
  if (env.npm_lifecycle_event) whenParentGone(gone);
}
