// The watched supergraph file, changed the two ways it is changed in practice:
// replaced in place (an editor, `npm run compose`), and swapped as a
// Kubernetes ConfigMap volume swaps it (new files in a new folder, then the
// `..data` link renamed onto it; the file's own link never changes). A file
// declaring a fact stream the gateway could not follow is refused, on the
// first load and on a reload.
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@interop/kit';
import { acceptedSupergraph, watchedSupergraph } from '../supergraph-source';
import { scratchDir } from '@interop/testing/scratch-dir';

const sdl = (version: number) => `schema { query: Query }\ntype Query { version${version}: Int }\n`;
/** A supergraph whose one subgraph marks a type as announced, with no stream to follow it on. */
const unfollowable = `enum join__Graph { A @join__graph(name: "alpha", url: "http://a/graphql") }
type Query @join__type(graph: A) { order: Order }
type Order @join__type(graph: A) @factsAnnounced { id: ID! }
`;

/** Resolves with the next SDL the hook hands to `update`, or rejects after `ms`. */
function nextUpdate(updates: string[], ms = 10_000): Promise<string> {
  const seen = updates.length;
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + ms;
    const poll = setInterval(() => {
      if (updates.length > seen) {
        clearInterval(poll);
        resolve(updates[seen]!);
      } else if (Date.now() > deadline) {
        clearInterval(poll);
        reject(new Error('no update'));
      }
    }, 20);
  });
}

async function watch(path: string, initial: string) {
  const updates: string[] = [];
  const hook = watchedSupergraph(path, initial, createLogger('test'), 20);
  const handle = await hook({ update: (next: string) => updates.push(next), healthCheck: async () => {}, getDataSource: () => undefined as never });
  return { updates, cleanup: () => handle.cleanup?.() };
}

/** A supergraph file of its own in a fresh folder, holding sdl(1), and its watch. */
async function watchedFile(prefix: string) {
  const dir = scratchDir(prefix);
  const path = join(dir, 'supergraph.graphql');
  writeFileSync(path, sdl(1));
  return { dir, path, ...(await watch(path, sdl(1))) };
}

test('a file replaced in place is loaded', async () => {
  const { dir, path, updates, cleanup } = await watchedFile('supergraph-file-');
  try {
    writeFileSync(join(dir, 'supergraph.graphql.tmp'), sdl(2));
    renameSync(join(dir, 'supergraph.graphql.tmp'), path);
    expect(await nextUpdate(updates)).toBe(sdl(2));
  } finally {
    await cleanup();
  }
});

test('a ConfigMap volume swapping its ..data link is loaded', async () => {
  const dir = scratchDir('supergraph-configmap-');
  // The kubelet's layout: a timestamped folder, `..data` linked to it, and the
  // file a link through `..data`.
  mkdirSync(join(dir, '..2026_01_01_00_00_00.1'));
  writeFileSync(join(dir, '..2026_01_01_00_00_00.1', 'supergraph.graphql'), sdl(1));
  symlinkSync('..2026_01_01_00_00_00.1', join(dir, '..data'));
  symlinkSync(join('..data', 'supergraph.graphql'), join(dir, 'supergraph.graphql'));
  const path = join(dir, 'supergraph.graphql');
  const { updates, cleanup } = await watch(path, sdl(1));
  try {
    mkdirSync(join(dir, '..2026_01_01_00_01_00.2'));
    writeFileSync(join(dir, '..2026_01_01_00_01_00.2', 'supergraph.graphql'), sdl(2));
    symlinkSync('..2026_01_01_00_01_00.2', join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    expect(await nextUpdate(updates)).toBe(sdl(2));
  } finally {
    await cleanup();
  }
});

test('a supergraph declaring a fact stream the gateway cannot follow is refused on the first load', () => {
  expect(() => acceptedSupergraph(unfollowable)).toThrow();
  expect(acceptedSupergraph(sdl(1))).toBe(sdl(1));
});

test('a reload declaring a fact stream the gateway cannot follow is refused, and the next good file is loaded', async () => {
  const { path, updates, cleanup } = await watchedFile('supergraph-facts-');
  try {
    writeFileSync(path, unfollowable);
    await expect(nextUpdate(updates, 1_500)).rejects.toThrow('no update');
    writeFileSync(path, sdl(2));
    expect(await nextUpdate(updates)).toBe(sdl(2));
    expect(updates).toEqual([sdl(2)]);
  } finally {
    await cleanup();
  }
});
