/**
 * With Slack over HTTP, the API shares PORT with Bolt: /slack/events stays Slack's (signed
 * commands answered, unsigned refused) and /v1/… is the API's, with its keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../src/adapters/api/server.js';
import { createSlackBot, type SlackBot } from '../../src/adapters/slack.js';
import { loadConfig } from '../../src/config.js';
import { buildServices } from '../../src/services.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { FAKE_BOT, FakeSlack, sendSlashCommand } from '../helpers/fake-slack.js';
import { poll, realFileUrl, recordingLog } from '../helpers/pipeline.js';

const SECRET = 'test-signing-secret-0123456789';
const KEY = 'beside-slack-key-0123456789';
let fake: FakeSlack;
let store: Store;
let bot: SlackBot;
let base: string;

beforeAll(async () => {
  fake = await new FakeSlack().start();
  store = await openStore('memory:', `api-beside-slack-${process.pid}`);
  await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv')), store, 'dprk');
  const config = loadConfig({ STORE_URL: 'memory:', SOURCES: 'ofac-sdn', REPORT_FEEDS: 'none', API_KEYS: KEY });
  const services = buildServices(config, store);
  const log = recordingLog();
  const api = createApi({ services, log, settings: config });
  bot = createSlackBot({
    services,
    log,
    settings: { SLACK_BOT_TOKEN: FAKE_BOT.token, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, SLACK_WEBHOOK_URLS: [] },
    host: '127.0.0.1',
    fallback: api.handle,
  });
  const { port } = await bot.start(0);
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
  await store?.close();
});

describe('the API on the same port as Slack', () => {
  it('answers /v1/lookup with a key, refuses without, and leaves /slack/events to Bolt', async () => {
    const ok = await fetch(`${base}/v1/lookup?q=Lazarus%20Group`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { results: Array<{ name: string }> }).results[0]!.name).toMatch(/LAZARUS GROUP/);
    const none = await fetch(`${base}/v1/lookup?q=Lazarus%20Group`);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/problem\+json/);
    const signed = await sendSlashCommand(`${base}/slack/events`, SECRET, { text: 'help', response_url: fake.responseUrl('r1') });
    expect(signed.status).toBe(200);
    const unsigned = await fetch(`${base}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'command=%2Fdprk&text=help' });
    expect(unsigned.status).toBe(401);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
