import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The checkout (or installed copy) the gateway runs from: the nearest directory above with a package.json. */
function projectRoot(from = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'package.json'))) return dir;
  throw new Error(`no package.json above ${from}`);
}

const root = projectRoot();

/** Where the console's files are: its templates, the design systems' templates, and the built assets. */
export const CONSOLE_FILES = {
  views: join(root, 'apps/gateway/src/console/views'),
  govuk: join(root, 'node_modules/govuk-frontend/dist'),
  moj: join(root, 'node_modules/@ministryofjustice/frontend'),
  assets: join(root, 'build/console-assets'),
};

/**
 * The built assets' names with their content hash (manifest.json of scripts/ops/console-assets.mjs). A gateway
 * without them cannot serve the console, and says how to build them.
 */
export function assetManifest(): Record<string, string> {
  const file = join(CONSOLE_FILES.assets, 'manifest.json');
  if (!existsSync(file))
    throw new Error(
      `the console's assets are not built (${file}): run npm run build, or node scripts/ops/console-assets.mjs`,
    );
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
}
