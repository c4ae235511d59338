import { createRequire } from 'node:module';

/** dprk-watch's version, from package.json: what a release changes. */
export const PACKAGE_VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
