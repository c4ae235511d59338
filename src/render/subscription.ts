import type { Subscription } from '../subscriptions/model.js';

/** One subscription in words: topics, filters, delivery, and whether it was disabled. */
export function describeSubscription(s: Subscription): string {
  const f = s.filters;
  const filters = [
    f.lists.length ? `lists ${f.lists.join(', ')}` : '',
    f.programs.length ? `programs ${f.programs.join(', ')}` : '',
    f.types.length ? `types ${f.types.join(', ')}` : '',
    f.keywords.length ? `keywords ${f.keywords.join(', ')}` : '',
  ].filter(Boolean);
  const when =
    s.delivery.mode === 'digest'
      ? `daily digest at ${s.delivery.time} ${s.delivery.timezone} (${s.delivery.quiet === 'post' ? 'says "nothing new" on quiet days' : 'silent on quiet days'})`
      : 'instant';
  const disabled = s.disabled ? ` — DISABLED since ${s.disabled.at.slice(0, 10)}: ${s.disabled.reason}` : '';
  return `${s.topics.join(', ')}; ${filters.length ? filters.join('; ') : 'no filters'}; ${when}${disabled}`;
}
