import type { SharedMap } from './shared-map.js';

/** What these maps need of @redis/client (the client @keyv/redis already holds). */
export interface RedisEval {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/*
 * Each map is three keys: a hash (member → value), a sorted set (member → sequence number, for
 * order) and a counter. Every operation is one Lua script, which Redis runs atomically, so
 * concurrent processes never see or leave the three out of step. The braces put the three keys
 * in one hash slot, so a Redis Cluster can run the scripts too.
 */
const ADD = `
local added = {}
for i = 1, #ARGV, 2 do
  if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) == 1 then
    redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[i])
    added[#added + 1] = ARGV[i]
  end
end
return added`;

const SET = `
if redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[1])
end
return 1`;

// ARGV: member, expected present ('1'/'0'), expected, next present ('1'/'0'), next.
const COMPARE_AND_SET = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if ARGV[2] == '1' then
  if cur ~= ARGV[3] then return 0 end
elseif cur then
  return 0
end
if ARGV[4] == '1' then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[5])
  if not cur then redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[1]) end
elseif cur then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
end
return 1`;

const DELETE = `
local n = 0
for i = 1, #ARGV do
  n = n + redis.call('HDEL', KEYS[1], ARGV[i])
  redis.call('ZREM', KEYS[2], ARGV[i])
end
return n`;

// unpack() is limited in how many values it takes at once: work in slices of 1,000.
const TRIM = `
local old = redis.call('ZRANGE', KEYS[2], 0, -(tonumber(ARGV[1]) + 1))
for i = 1, #old, 1000 do
  redis.call('HDEL', KEYS[1], unpack(old, i, math.min(i + 999, #old)))
end
if #old > 0 then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, #old - 1) end
return #old`;

// ARGV[1]: how many of the newest to return, or '' for all. Flat list: member, value, member, value…
const ENTRIES = `
local from = 0
if ARGV[1] ~= '' then from = -tonumber(ARGV[1]) end
local members = redis.call('ZRANGE', KEYS[2], from, -1)
local out = {}
for i = 1, #members, 1000 do
  local last = math.min(i + 999, #members)
  local values = redis.call('HMGET', KEYS[1], unpack(members, i, last))
  for j = 1, #values do
    if values[j] then
      out[#out + 1] = members[i + j - 1]
      out[#out + 1] = values[j]
    end
  end
end
return out`;

const GET = `return redis.call('HGET', KEYS[1], ARGV[1])`;
const SIZE = `return redis.call('HLEN', KEYS[1])`;
const CLEAR = `return redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])`;

export function redisMap(client: RedisEval, prefix: string, name: string): SharedMap {
  const base = `${prefix}map:{${name}}`;
  const keys = [base, `${base}:order`, `${base}:seq`];
  const run = (script: string, args: string[]) => client.eval(script, { keys, arguments: args });
  return {
    name,
    async get(member) {
      const v = await run(GET, [member]);
      return v === null || v === undefined ? undefined : String(v);
    },
    async entries(opts) {
      if (opts?.last !== undefined && opts.last <= 0) return [];
      const flat = (await run(ENTRIES, [opts?.last === undefined ? '' : String(opts.last)])) as string[];
      const out: Array<[string, string]> = [];
      for (let i = 0; i < flat.length; i += 2) out.push([String(flat[i]), String(flat[i + 1])]);
      return out;
    },
    async size() {
      return Number(await run(SIZE, []));
    },
    async add(entries) {
      if (entries.length === 0) return [];
      return ((await run(ADD, entries.flatMap(([m, v]) => [m, v]))) as unknown[]).map(String);
    },
    async set(member, value) {
      await run(SET, [member, value]);
    },
    async compareAndSet(member, expected, next) {
      const args = [member, expected === undefined ? '0' : '1', expected ?? '', next === undefined ? '0' : '1', next ?? ''];
      return Number(await run(COMPARE_AND_SET, args)) === 1;
    },
    async delete(members) {
      if (members.length === 0) return 0;
      return Number(await run(DELETE, [...members]));
    },
    async trim(keep) {
      await run(TRIM, [String(Math.max(0, keep))]);
    },
    async clear() {
      await run(CLEAR, []);
    },
  };
}
