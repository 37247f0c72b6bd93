import type { WatchMode } from './watch';

/** How the page hears of changes, said quietly: the buyer need not reload either way. */
export function WatchModeNote({ mode }: { mode: WatchMode | undefined }) {
  if (mode === 'live') {
    return (
      <p className="muted" data-watch="live">
        Live: this page changes as the payment does.
      </p>
    );
  }
  if (mode === 'polling') {
    return (
      <p className="muted" data-watch="polling">
        Live updates are unavailable, so this page checks the payment every second.
      </p>
    );
  }
  return null;
}
