#!/usr/bin/env node
// Runs the built CLI when it is current (bin/launch.js says when), else the TypeScript sources
// through tsx: `npx dprk-watch` works on a checkout with or without a build.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chooseEntry } from './launch.js';

const entry = chooseEntry(fileURLToPath(new URL('..', import.meta.url)));
if (entry.kind === 'source') (await import('tsx/esm/api')).register();
await import(pathToFileURL(entry.file).href);
