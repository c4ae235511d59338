/**
 * Slack command latency: from a signed `/dprk entity …` request sent to the Bolt app
 * (HTTP mode, real signature verification) to its answer arriving at the response_url.
 *
 *   node --import tsx bench/commands-slack.bench.ts
 *
 * The bot runs on the main thread exactly as in production: the real SlackBot (Bolt
 * HTTPReceiver on 127.0.0.1), the real lookup service over a real list polled through the
 * pipeline — by default the DPRK subset of sdn.csv (2022-04-14, 529 records); BENCH_LIST=full
 * uses the whole sdn.csv of 2023-12-01 (13,436 records). Slack itself — the fake Web API
 * (auth.test, users.info), the fake response_urls (test/helpers/fake-slack.ts) and the load
 * generator that signs and sends the commands — runs in a worker thread, so it does not
 * share the bot's event loop, as the real Slack would not. Both timestamps (request sent,
 * answer received at the response_url) are taken in the worker, on one clock.
 *
 * BENCH_ROUNDS rounds (default 10) of BENCH_CONCURRENCY (default 50) concurrent lookups after
 * a warm-up, from 50 distinct Slack users (a lookup needs no users.info admin check; the
 * count of users.info calls is printed to show it). Then BENCH_SEQUENTIAL (default 100)
 * commands one at a time: the latency of one command with no queue in front of it.
 * The machine's load average is printed: other processes on a shared box inflate the figures.
 *
 * Target (printed, not asserted): p99 ≤ 100 ms from signed request to response_url reply.
 */
import http from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const FULL = process.env.BENCH_LIST === 'full';
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 100);
const TARGET_P99_MS = 100;
const SECRET = 'bench-signing-secret-0000';
const QUERIES = [
  'Kim Jong Un',
  'Kim Jong-un',
  'LAZARUS GROUP',
  'Lazarus',
  'Korea Kwangson Banking Corp',
  'Reconnaissance General Bureau',
  'Ocean Maritime Management',
  'Korea Mining Development Trading Corporation',
  '0x098B716B8Aaf21512996dC57EB0615e2383E2f96',
  'Choe Ryong Hae',
  'Kim Yo Jong',
  'Foreign Trade Bank',
];

interface Sample {
  round: number;
  ack: number;
  answer: number;
  attachments: number;
}

type ToWorker = { type: 'bot-ready'; events: string } | { type: 'stop' };
type FromWorker =
  | { type: 'fake-ready'; apiUrl: string; token: string }
  | { type: 'done'; samples: Sample[]; sequential: Sample[]; wallMs: number; usersInfo: number };

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function line(label: string, xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1).padStart(7);
  return `${label.padEnd(36)} n=${String(s.length).padStart(4)}  p50 ${f(percentile(s, 50))} ms  p90 ${f(percentile(s, 90))} ms  p99 ${f(percentile(s, 99))} ms  max ${f(s.at(-1)!)} ms`;
}

/** Worker thread: the fake Slack and the load generator. */
async function slackSide(): Promise<void> {
  const { FAKE_BOT, FakeSlack, signSlackRequest, slashCommandBody } = await import('../test/helpers/fake-slack.js');
  const port = parentPort!;
  const { rounds, concurrency } = workerData as { rounds: number; concurrency: number };
  const fake = await new FakeSlack().start();
  const users = Array.from({ length: concurrency }, (_, i) => `U0BENCH${String(i).padStart(3, '0')}`);
  for (const id of users) fake.addUser({ id });
  fake.addUser({ id: 'U0WARMUP' });
  const events = await new Promise<string>((resolve) => {
    port.on('message', (m: ToWorker) => {
      if (m.type === 'bot-ready') resolve(m.events);
    });
    port.postMessage({ type: 'fake-ready', apiUrl: fake.apiUrl, token: FAKE_BOT.token } satisfies FromWorker);
  });

  // Slack's side sends with node:http and keep-alive (cheaper than fetch: this thread is the load, not the subject).
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency * 2 });
  const post = (body: string, headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(events, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });

  let n = 0;
  async function one(round: number, user: string, query: string): Promise<Sample> {
    const id = `b${++n}`;
    const body = slashCommandBody({ text: `entity ${query}`, response_url: fake.responseUrl(id), user_id: user });
    const headers = signSlackRequest(body, SECRET);
    const answered = fake.waitFor((r) => r.endpoint === 'response' && r.id === id, 30_000);
    const start = performance.now();
    const status = await post(body, headers);
    const ack = performance.now() - start;
    if (status !== 200) throw new Error(`ack status ${status}`);
    const reply = await answered;
    return { round, ack, answer: reply.at - start, attachments: ((reply.body.attachments as unknown[] | undefined) ?? []).length };
  }

  // Warm-up: builds the lookup index and compiles the hot paths (its own user: users.info stays cold for round 1).
  for (let i = 0; i < 30; i++) await one(-1, 'U0WARMUP', QUERIES[i % QUERIES.length]!);
  await Promise.all(Array.from({ length: concurrency }, (_, i) => one(-1, 'U0WARMUP', QUERIES[i % QUERIES.length]!)));
  const samples: Sample[] = [];
  const wall0 = performance.now();
  for (let round = 0; round < rounds; round++)
    samples.push(...(await Promise.all(users.map((u, i) => one(round, u, QUERIES[(round + i) % QUERIES.length]!)))));
  const wallMs = performance.now() - wall0;
  const sequential: Sample[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) sequential.push(await one(-2, users[i % users.length]!, QUERIES[i % QUERIES.length]!));
  port.postMessage({ type: 'done', samples, sequential, wallMs, usersInfo: fake.to('users.info').length } satisfies FromWorker);
  await new Promise<void>((resolve) => port.on('message', (m: ToWorker) => m.type === 'stop' && resolve()));
  agent.destroy();
  await fake.stop();
}

/** Main thread: the bot, as in production. */
async function botSide(): Promise<void> {
  const { createSlackBot } = await import('../src/adapters/slack.js');
  const { loadConfig } = await import('../src/config.js');
  const { buildServices } = await import('../src/services.js');
  const { ofacSdnSource } = await import('../src/sources/ofac/source.js');
  const { openStore } = await import('../src/store/open.js');
  const { poll, realFileUrl, recordingLog } = await import('../test/helpers/pipeline.js');

  // The worker runs this file too; tsx's loader is registered in it first (workers do not inherit --import).
  const entry = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(entry, { eval: true, workerData: { rounds: ROUNDS, concurrency: CONCURRENCY } });
  const messages: FromWorker[] = [];
  const waiters: Array<() => void> = [];
  worker.on('message', (m: FromWorker) => {
    messages.push(m);
    waiters.splice(0).forEach((w) => w());
  });
  worker.on('error', (e) => {
    console.error(e);
    process.exit(1);
  });
  const next = async <T extends FromWorker['type']>(type: T): Promise<Extract<FromWorker, { type: T }>> => {
    for (;;) {
      const m = messages.find((x) => x.type === type);
      if (m) return m as Extract<FromWorker, { type: T }>;
      await new Promise<void>((r) => waiters.push(r));
    }
  };

  const store = await openStore('memory:', 'bench-slack');
  const list = FULL ? 'ofac_sdn_csv/sdn_2023-12-01.csv.gz' : 'ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv';
  const t0 = performance.now();
  await poll(ofacSdnSource(realFileUrl(list)), store, 'dprk');
  const ingestMs = performance.now() - t0;

  const fake = await next('fake-ready');
  const bot = createSlackBot({
    services: buildServices(loadConfig({}), store),
    log: recordingLog(),
    settings: { SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl },
    host: '127.0.0.1',
  });
  const { port } = await bot.start(0);
  worker.postMessage({ type: 'bot-ready', events: `http://127.0.0.1:${port}/slack/events` } satisfies ToWorker);
  const done = await next('done');

  const s = done.samples;
  const first = s.filter((x) => x.round === 0).map((x) => x.answer);
  const rest = s.filter((x) => x.round > 0).map((x) => x.answer);
  const all = s.map((x) => x.answer).sort((a, b) => a - b);
  const p99 = percentile(all, 99);
  const cards = s.reduce((n, x) => n + x.attachments, 0);

  console.log('Slack /dprk entity: signed request → answer at the response_url (Bolt 5.1 HTTP receiver, loopback; fake Slack in a worker thread)');
  console.log(`list: ${list} (ingested in ${ingestMs.toFixed(0)} ms); ${ROUNDS} rounds × ${CONCURRENCY} concurrent commands; ${cards} result cards returned`);
  console.log(`machine: ${availableParallelism()} CPUs, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (other processes share them)`);
  console.log(line('ack (HTTP 200 from /slack/events)', s.map((x) => x.ack)));
  console.log(line('answer, round 1', first));
  console.log(line('answer, rounds 2+', rest));
  console.log(line(`answer, all ${CONCURRENCY}-concurrent`, all));
  console.log(line('answer, one at a time', done.sequential.map((x) => x.answer)));
  console.log(`throughput: ${((all.length / done.wallMs) * 1000).toFixed(0)} commands/s; users.info calls: ${done.usersInfo}`);
  console.log(`target: p99 ≤ ${TARGET_P99_MS} ms from signed request to response_url reply → ${p99 <= TARGET_P99_MS ? 'MET' : 'NOT MET'} (p99 ${p99.toFixed(1)} ms)`);

  worker.postMessage({ type: 'stop' } satisfies ToWorker);
  await bot.stop();
  await store.close();
  await worker.terminate();
}

(isMainThread ? botSide() : slackSide()).catch((e) => {
  console.error(e);
  process.exit(1);
});
