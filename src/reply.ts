/**
 * What a command answers, independent of platform: the CLI prints `text` (or `data` as
 * JSON); chat adapters render the same reply in their own format.
 */
export interface Reply {
  text: string;
  data: unknown;
  ephemeral?: boolean;
}
