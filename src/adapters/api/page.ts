import type { Alert } from '../../core/alerts.js';
import type { Designation } from '../../core/designation.js';
import { LISTS } from '../../core/lists.js';

/**
 * The web page at GET /: server-rendered HTML, one inline script, no framework and nothing
 * fetched from elsewhere (it works offline). Every text from data goes through `esc`; the
 * page never carries a key — the visitor types one, kept in sessionStorage only.
 */

export const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Only http(s) links reach an href: a javascript: URL in data stays text. */
const safeHref = (url: string): string | undefined => (/^https?:\/\//i.test(url) ? esc(url) : undefined);
const link = (url: string, text: string): string => {
  const href = safeHref(url);
  return href ? `<a href="${href}" rel="noopener noreferrer">${esc(text)}</a>` : esc(text);
};

export interface SourceRow {
  source: string;
  state: string;
  listDate: string | null;
  lastSuccessAt: string | null;
  recordCount: number | null;
  dprkCount: number | null;
  degradedReason: string | null;
}

export interface PageData {
  sources: readonly SourceRow[];
  alerts: readonly Alert[];
  records: readonly Designation[];
}

/** Designations per month (YYYY-MM) and regime, from the records' own listedOn dates. */
export function designationsPerMonth(records: readonly Designation[]): { months: Map<string, Map<string, number>>; dated: number } {
  const months = new Map<string, Map<string, number>>();
  let dated = 0;
  for (const r of records) {
    const m = /^(\d{4}-\d{2})/.exec(r.listedOn ?? '');
    if (!m) continue;
    dated++;
    const regime = r.source in LISTS ? LISTS[r.source as keyof typeof LISTS].regime : r.source;
    const byRegime = months.get(m[1]!) ?? new Map<string, number>();
    byRegime.set(regime, (byRegime.get(regime) ?? 0) + 1);
    months.set(m[1]!, byRegime);
  }
  return { months, dated };
}

const COLOURS: Record<string, string> = { US: '#1f77b4', UN: '#2ca02c', EU: '#ff7f0e', UK: '#9467bd', JP: '#d62728', AU: '#8c564b', CH: '#e377c2' };

/** A stacked bar per month from the first to the last dated month, drawn here as inline SVG. */
export function chartSvg(records: readonly Designation[]): string {
  const { months, dated } = designationsPerMonth(records);
  const note = `From the listedOn dates of the ${records.length} records of the lists stored (${dated} carry a date); alerts are not counted.`;
  if (months.size === 0) return `<p class="muted">${esc(note)} No dated records yet.</p>`;
  const keys = [...months.keys()].sort();
  const all: string[] = [];
  for (let [y, m] = keys[0]!.split('-').map(Number) as [number, number]; `${y}-${String(m).padStart(2, '0')}` <= keys.at(-1)!; m === 12 ? ((m = 1), y++) : m++)
    all.push(`${y}-${String(m).padStart(2, '0')}`);
  const regimes = [...new Set([...months.values()].flatMap((b) => [...b.keys()]))].sort();
  const max = Math.max(...[...months.values()].map((b) => [...b.values()].reduce((a, n) => a + n, 0)));
  const bar = Math.max(2, Math.min(16, Math.floor(900 / all.length)));
  const [left, top, h] = [36, 10, 180];
  const width = left + all.length * bar + 10;
  const parts: string[] = [];
  parts.push(`<line x1="${left}" y1="${top + h}" x2="${width - 10}" y2="${top + h}" stroke="#888"/>`);
  parts.push(`<text x="${left - 4}" y="${top + 8}" text-anchor="end" font-size="10">${max}</text><text x="${left - 4}" y="${top + h}" text-anchor="end" font-size="10">0</text>`);
  all.forEach((month, i) => {
    const x = left + i * bar;
    const byRegime = months.get(month);
    if (month.endsWith('-01') && (all.length < 60 || Number(month.slice(0, 4)) % 2 === 0))
      parts.push(`<text x="${x}" y="${top + h + 14}" font-size="10">${month.slice(0, 4)}</text>`);
    if (!byRegime) return;
    let y = top + h;
    const title = `${month}: ${regimes.filter((r) => byRegime.has(r)).map((r) => `${r} ${byRegime.get(r)}`).join(', ')}`;
    const rects = regimes.flatMap((r) => {
      const n = byRegime.get(r);
      if (!n) return [];
      const bh = (n / max) * h;
      y -= bh;
      return [`<rect x="${x}" y="${y.toFixed(1)}" width="${Math.max(1, bar - 1)}" height="${bh.toFixed(1)}" fill="${COLOURS[r] ?? '#555'}"/>`];
    });
    parts.push(`<g class="bar" data-month="${esc(month)}"><title>${esc(title)}</title>${rects.join('')}</g>`);
  });
  const legend = regimes.map((r) => `<span class="key"><i style="background:${COLOURS[r] ?? '#555'}"></i>${esc(r)}</span>`).join(' ');
  return (
    `<svg id="chart" role="img" aria-label="Designations per month by regime" viewBox="0 0 ${width} ${top + h + 20}" width="${width}" height="${top + h + 20}">${parts.join('')}</svg>` +
    `<p>${legend}</p><p class="muted">${esc(note)}</p>`
  );
}

/** The data sections (sources, alerts, chart): inlined in / when public, else fetched with a key. */
export function renderSections(d: PageData): string {
  const rows = d.sources
    .map(
      (s) =>
        `<tr><td>${esc(s.source)}</td><td class="state-${esc(s.state)}">${esc(s.state)}${s.degradedReason ? ` — ${esc(s.degradedReason)}` : ''}</td>` +
        `<td>${esc(s.listDate ?? '—')}</td><td>${esc(s.lastSuccessAt ?? '—')}</td><td>${s.dprkCount ?? '—'} / ${s.recordCount ?? '—'}</td></tr>`,
    )
    .join('');
  const alerts = d.alerts.length
    ? `<ul>${d.alerts.map((a) => `<li><time>${esc(a.detectedAt.slice(0, 16).replace('T', ' '))}</time> ${esc(a.kind)} · ${link(a.url, a.summary)}</li>`).join('')}</ul>`
    : '<p class="muted">No alerts yet (the first poll of a list is a baseline).</p>';
  return (
    `<section id="sources"><h2>Sources</h2><table><thead><tr><th>source</th><th>state</th><th>list date</th><th>last success</th><th>DPRK / records</th></tr></thead><tbody>${rows}</tbody></table></section>` +
    `<section id="alerts"><h2>Latest alerts</h2>${alerts}</section>` +
    `<section id="designations"><h2>Designations per month by regime</h2>${chartSvg(d.records)}</section>`
  );
}

/** The whole page; `sections` is the pre-rendered data when the page is public, else undefined. */
export function renderPage(o: { publicPage: boolean; sections?: string; nonce: string; version: string }): string {
  const keyForm = o.publicPage
    ? ''
    : `<form id="key-form"><label>API key <input id="key" type="password" autocomplete="off" required></label> <button>Use key</button> <button type="button" id="forget">Forget key</button><span id="key-state" class="muted"></span></form>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>dprk-watch</title><link rel="icon" href="data:,">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em auto;max-width:1000px;padding:0 1em;color:#222}
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.5em}table{border-collapse:collapse}td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left}
.muted{color:#666}.state-ok{color:#18794e}.state-degraded{color:#b42318}.key i{display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 .8em}
form{margin:.5em 0}input[type=text]{width:22em}#lookup-out li,#verdict-out p{margin:.2em 0}svg{max-width:100%;height:auto}
</style></head><body>
<h1>dprk-watch <small class="muted">${esc(o.version)} · read-only</small></h1>
${keyForm}
<section id="ask"><h2>Lookup</h2>
<form id="lookup-form"><input id="lookup-q" type="text" maxlength="200" placeholder="a name, alias, wallet, IMO…" required> <button>Look up</button></form><div id="lookup-out" aria-live="polite"></div>
<h2>Verdict</h2>
<form id="verdict-form"><input id="verdict-q" type="text" maxlength="500" placeholder="a claim, in your own words" required> <button>Check</button></form><div id="verdict-out" aria-live="polite"></div></section>
<div id="data">${o.sections ?? '<p class="muted">Enter an API key to see the sources, alerts and chart.</p>'}</div>
<script nonce="${esc(o.nonce)}">
(() => {
  const PUBLIC = ${o.publicPage ? 'true' : 'false'};
  const $ = (id) => document.getElementById(id);
  const key = () => sessionStorage.getItem('dprk-watch-key');
  const headers = () => (key() ? { authorization: 'Bearer ' + key() } : {});
  const el = (tag, text, attrs) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v); return e; };
  const a = (url, text) => (/^https?:\\/\\//i.test(url) ? el('a', text, { href: url, rel: 'noopener noreferrer' }) : el('span', text));
  async function get(path) {
    const r = await fetch(path, { headers: headers() });
    if (!r.ok) { let d = r.status + ' ' + r.statusText; try { d = (await r.json()).detail || d; } catch {} throw new Error(d); }
    return r;
  }
  async function loadData() {
    if (PUBLIC || !key()) return;
    try { $('data').innerHTML = await (await get('/page/sections')).text(); $('key-state').textContent = ' key accepted'; }
    catch (e) { $('key-state').textContent = ' ' + e.message; }
  }
  if (!PUBLIC) {
    $('key-form').addEventListener('submit', (ev) => { ev.preventDefault(); sessionStorage.setItem('dprk-watch-key', $('key').value); $('key').value = ''; loadData(); });
    $('forget').addEventListener('click', () => { sessionStorage.removeItem('dprk-watch-key'); location.reload(); });
    if (key()) $('key-state').textContent = ' a key is set for this tab';
  }
  $('lookup-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const out = $('lookup-out'); out.replaceChildren(el('p', 'Looking up…', { class: 'muted' }));
    try {
      const d = await (await get('/v1/lookup?limit=5&q=' + encodeURIComponent($('lookup-q').value))).json();
      const ul = el('ul');
      for (const r of d.results) {
        const li = el('li'); li.className = 'result';
        li.append(a(r.url, r.name), el('span', ' — ' + r.source + ' ' + r.sourceId + ', ' + r.type + ', ' + r.matchKind + ' "' + r.matchedOn + '", score ' + r.score.toFixed(2) + (r.listedBy.length ? ', listed by ' + r.listedBy.map((l) => l.source + (l.listedOn ? ' ' + l.listedOn : '')).join(', ') : '')));
        ul.append(li);
      }
      out.replaceChildren(d.results.length ? ul : el('p', 'No match on the lists searched (' + d.editions.map((e) => e.source + ' ' + (e.listDate || '?')).join(', ') + ').', { class: 'no-match' }));
    } catch (e) { out.replaceChildren(el('p', e.message, { class: 'error' })); }
  });
  $('verdict-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const out = $('verdict-out'); out.replaceChildren(el('p', 'Checking…', { class: 'muted' }));
    try {
      const d = await (await get('/v1/verdict?q=' + encodeURIComponent($('verdict-q').value))).json();
      if (!d.found || !d.match) { out.replaceChildren(el('p', 'No fact-check found among ' + d.searched + ' claims.', { class: 'no-match' })); return; }
      const v = d.match.verdict, p = el('p'); p.className = 'verdict';
      p.append(el('strong', v.rating), el('span', ' — ' + v.publisher + ': '), a(v.url, v.claim));
      out.replaceChildren(p);
    } catch (e) { out.replaceChildren(el('p', e.message, { class: 'error' })); }
  });
  loadData();
})();
</script></body></html>
`;
}
