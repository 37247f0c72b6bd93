// Jest's global setup and teardown: the folder of this run's PGlite images
// (test/pglite-images.ts), made before the first test file and removed after
// the last. Workers inherit it through the environment.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const IMAGES_FOLDER_VARIABLE = 'INTEROP_TEST_PGLITE_IMAGES';

export function makeImagesFolder(): void {
  process.env[IMAGES_FOLDER_VARIABLE] = mkdtempSync(join(tmpdir(), 'interop-test-images-'));
}

export function removeImagesFolder(): void {
  const folder = process.env[IMAGES_FOLDER_VARIABLE];
  if (folder) rmSync(folder, { recursive: true, force: true });
}
