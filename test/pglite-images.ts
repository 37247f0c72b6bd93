// Opening PGlite costs about 3.5 s of CPU, most of it initdb; starting from
// an image of a database that was already migrated and seeded costs about
// 1.4 s. Each test run keeps one image per kind of store in a folder that
// jest's global setup makes and its teardown removes (test/images-folder.ts):
// the first test to open a kind of store opens it from scratch and saves its
// image, every later one, in any worker, starts from that image. Migrations
// and seeds cannot change during a run, so an image is never stale. With
// DATABASE_URL set, nothing here applies.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '@interop/kit/db';
import { IMAGES_FOLDER_VARIABLE } from './images-folder';

/**
 * Opens a store through `open`, from this run's image named `name` when there
 * is one; otherwise opens it afresh and saves its image for the next opener.
 */
export async function fromImage<T>(name: string, open: (image: Blob | undefined) => Promise<T>, dbOf: (opened: T) => Database): Promise<T> {
  const folder = process.env[IMAGES_FOLDER_VARIABLE];
  if (!folder || process.env.DATABASE_URL) return open(undefined);
  const file = join(folder, `${name}.tar`);
  if (existsSync(file)) return open(new Blob([readFileSync(file)]));
  const opened = await open(undefined);
  const dump = dbOf(opened).dump;
  if (dump) {
    // Written aside and renamed, so another worker never reads half an image.
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, Buffer.from(await (await dump()).arrayBuffer()));
    renameSync(partial, file);
  }
  return opened;
}
