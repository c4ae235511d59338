import { readFileSync } from 'node:fs';
import { projectPath } from './paths.js';

/** dprk-watch's version, from package.json: what a release changes. */
export const PACKAGE_VERSION: string = (JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version: string }).version;
