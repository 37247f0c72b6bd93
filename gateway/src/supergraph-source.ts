// Where the gateway's supergraph comes from: a fixed SDL, or a file that is
// watched. When the file changes the gateway swaps to the new schema while
// requests in flight finish on the old one; a file that does not parse or
// compose, or that declares a fact stream the response cache could not follow,
// is refused with a logged reason and the old schema keeps serving.
// A Kubernetes ConfigMap mounted as a folder changes the same way: the kubelet
// writes the new files into a fresh folder and swaps the `..data` link to it,
// so the file's own name never shows in the folder's events; that swap does.
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { SupergraphSdlHook } from '@apollo/gateway';
import type { Logger } from '@interop/kit';
import { factStreamsOf } from './response-cache';
import { servableSupergraph } from './subgraph-enforced-security';

/** The link a ConfigMap volume swaps, in one rename, to the folder holding its new files. */
const CONFIG_MAP_DATA_LINK = '..data';

/**
 * The supergraph as the gateway serves it; throws when it declares a fact
 * stream the gateway cannot follow (see response-cache/fact-streams), because
 * answers would then be cached with nothing to say when their facts change.
 * A first load fails the start; a reload is refused.
 */
export function acceptedSupergraph(sdl: string): string {
  const servable = servableSupergraph(sdl);
  factStreamsOf(servable);
  return servable;
}

export function watchedSupergraph(path: string, initialSdl: string, logger: Logger, debounceMs = 100): SupergraphSdlHook {
  return async ({ update }) => {
    let current = initialSdl;
    let timer: NodeJS.Timeout | undefined;
    const reload = async () => {
      let next: string;
      try {
        next = acceptedSupergraph(await readFile(path, 'utf8'));
      } catch (error) {
        logger.error({ path, err: error }, 'supergraph reload refused: cannot read the file or follow its fact streams; still serving the previous schema');
        return;
      }
      if (next === current) return;
      try {
        update(next);
        current = next;
        logger.info({ path }, 'supergraph reloaded');
      } catch (error) {
        logger.error({ path, reason: (error as Error).message }, 'supergraph reload refused; still serving the previous schema');
      }
    };
    // Watch the folder: editors and `compose` replace the file, which a file watch would lose.
    const watcher: FSWatcher = watch(dirname(path), (_event, file) => {
      if (file !== null && file !== basename(path) && file !== CONFIG_MAP_DATA_LINK) return;
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), debounceMs);
    });
    return {
      supergraphSdl: initialSdl,
      async cleanup() {
        clearTimeout(timer);
        watcher.close();
      },
    };
  };
}
