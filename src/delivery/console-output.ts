import type { Writable } from 'node:stream';
import type { Alert } from '../core/alerts.js';
import { renderAlertText } from '../render/text.js';
import type { AlertOutput } from './output.js';

function write(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (err) => (err ? reject(err) : resolve())));
}

/** Human-readable alerts on a terminal. */
export function consoleOutput(stream: Writable = process.stdout): AlertOutput {
  return { name: 'console', deliver: (alert: Alert) => write(stream, `${renderAlertText(alert)}\n\n`) };
}

/** One JSON object per line, for scripts (`poll --once --json`). */
export function jsonLinesOutput(stream: Writable = process.stdout): AlertOutput {
  return { name: 'json', deliver: (alert: Alert) => write(stream, `${JSON.stringify(alert)}\n`) };
}
