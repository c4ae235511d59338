import { Readable } from 'node:stream';
import { z } from 'zod';
import { screenValue, type ScreenEngine, type ScreenRow } from '../../screen/engine.js';
import { readScreenInput, ScreenInputError } from '../../screen/input.js';

/** A body a route reads itself: its media type and bytes. */
export interface RawBody {
  type: string;
  bytes: Buffer;
}

/** The most values one request screens: a bigger file belongs to `dprk-watch screen`, which streams. */
export const MAX_SCREEN_ROWS = 10_000;

export const ScreenQuerySchema = z.strictObject({
  column: z.string().trim().min(1).max(200).optional().meta({ description: 'CSV only: screen this header column (the first row is then the header)' }),
  minScore: z.coerce
    .number({ message: 'minScore must be a number between 0 and 1' })
    .min(0, 'minScore must be between 0 and 1')
    .max(1, 'minScore must be between 0 and 1')
    .optional()
    .meta({ description: 'Names scoring below this are no match (default 0.84, as lookup)' }),
});

/** A JSON body: the values, in order (names and wallet addresses mixed). */
export const ScreenJsonSchema = z
  .array(z.string().max(1000, 'a value is at most 1,000 characters'))
  .min(1, 'send at least one value')
  .max(MAX_SCREEN_ROWS, `at most ${MAX_SCREEN_ROWS} values per request; screen bigger files with dprk-watch screen`);

export const SCREEN_BODIES = {
  'application/json': ScreenJsonSchema,
  'text/csv': z.string().meta({ description: 'A UTF-8 CSV: the first column, or `column`, is screened (as `dprk-watch screen` reads it)' }),
};

export class ScreenRequestError extends Error {
  constructor(
    message: string,
    readonly errors: Array<{ parameter: string; message: string }> = [],
  ) {
    super(message);
  }
}

/**
 * Screen a request body with the engine `dprk-watch screen` uses: one row per value, in order.
 * A body the CLI would refuse (bad UTF-8, a missing column, a ragged row…) is refused with its line.
 */
export async function screenBody(engine: ScreenEngine, raw: RawBody, column: string | undefined, parseJson: (text: string) => unknown): Promise<ScreenRow[]> {
  if (raw.type === 'application/json') {
    if (column !== undefined) throw new ScreenRequestError('column applies to a CSV body only.');
    const parsed = ScreenJsonSchema.safeParse(parseJson(raw.bytes.toString('utf8')));
    if (!parsed.success)
      throw new ScreenRequestError('The body must be a JSON array of strings (see errors).', parsed.error.issues.map((i) => ({ parameter: `body${i.path.map((p) => `[${String(p)}]`).join('')}`, message: i.message })));
    return parsed.data.map((value, i) => screenValue(engine, value, i + 1));
  }
  const rows: ScreenRow[] = [];
  try {
    for await (const row of readScreenInput(Readable.from([raw.bytes]), column !== undefined ? { column } : {})) {
      if (rows.length === MAX_SCREEN_ROWS) throw new ScreenRequestError(`at most ${MAX_SCREEN_ROWS} rows per request; screen bigger files with dprk-watch screen`);
      rows.push(screenValue(engine, row.value, row.line));
    }
  } catch (e) {
    if (e instanceof ScreenInputError) throw new ScreenRequestError(`The CSV cannot be read: ${e.message}.`);
    throw e;
  }
  if (rows.length === 0) throw new ScreenRequestError('The CSV holds no row to screen.');
  return rows;
}
