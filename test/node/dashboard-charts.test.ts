// The dashboard's building blocks without a server: HTML escaping, tick maths, the SVG charts
// (parsed back to check bars, points, axes and escaping), and the sign-in session store.
import { describe, expect, it } from 'vitest';
import { createDashboardSessions, IDLE_MS, ABSOLUTE_MS } from '../../core/dashboard/auth.ts';
import { barChart, histogram, niceTicks, timeChart, timeLabel, timeTicks } from '../../core/dashboard/charts.ts';
import { featureContributions } from '../../core/dashboard/contributions.ts';
import { h, raw } from '../../core/dashboard/html.ts';
import { modelsBody } from '../../core/dashboard/pages.ts';
import { parseApiKeys, type ApiKey } from '../../core/offchain/limits.ts';
import populationProfile from '../../scoring/population-keystroke.json' with { type: 'json' };
import type { Profile } from '../../scoring/profile.ts';
import { botTyping, typing } from '../helpers/batches.ts';

const all = (svg: string, re: RegExp) => [...svg.matchAll(re)].map((m) => m[1]!);

describe('html', () => {
  it('escapes every interpolated value, passes built markup through', () => {
    const evil = `<script>alert("x")</script>&'`;
    expect(h`<td>${evil}</td>`.html).toBe('<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</td>');
    expect(h`<a title="${'"onmouseover="x'}">`.html).toBe('<a title="&quot;onmouseover=&quot;x">');
    expect(h`<ul>${['<a>', h`<li>${'<b>'}</li>`]}</ul>`.html).toBe('<ul>&lt;a&gt;<li>&lt;b&gt;</li></ul>');
    expect(h`${null}${undefined}${false}${0}${raw('<br>')}`.html).toBe('0<br>');
  });
});

describe('ticks', () => {
  it('picks round steps covering the range', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 37, 5)).toEqual([0, 10, 20, 30]);
    expect(niceTicks(0, 10, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(niceTicks(3, 3)).toEqual([3]);
    expect(niceTicks(0, Number.NaN)).toEqual([]);
  });
  it('labels time in UTC at a resolution fit for the span, on round boundaries', () => {
    const t = Date.UTC(2026, 0, 2, 3, 4, 5);
    expect(timeLabel(t, 60_000)).toBe('03:04:05');
    expect(timeLabel(t, 3600_000)).toBe('03:04');
    expect(timeLabel(t, 3 * 86_400_000)).toBe('01-02 03:04');
    const ticks = timeTicks(t, t + 3600_000, 6);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.length).toBeLessThanOrEqual(6);
    for (const x of ticks) expect(x % 600_000).toBe(0);
  });
});

describe('charts', () => {
  it('histogram: one bar per bin with its count, heights proportional, axes titled, labels escaped', () => {
    const svg = histogram({ counts: [4, 0, 2, 8], lo: 0, hi: 1, title: 'scores <all>', xTitle: 'risk score', yTitle: 'batches', colorOf: (s) => (s >= 0.5 ? '#c00' : '#0c0') });
    expect(all(svg, /data-count="(\d+)"/g)).toEqual(['4', '0', '2', '8']);
    const heights = all(svg, /class="bar"[^>]* height="([\d.]+)"/g).map(Number);
    expect(heights[3]! / heights[0]!).toBeCloseTo(2, 1);
    expect(all(svg, /class="bar"[^>]* fill="([^"]+)"/g)).toEqual(['#0c0', '#0c0', '#c00', '#c00']);
    expect(all(svg, /class="axis-title"[^>]*>([^<]+)</g)).toEqual(['batches', 'risk score']);
    expect(svg).toContain('scores &lt;all&gt;');
    expect(svg).not.toContain('<all>');
  });

  it('timeChart: a path and a marker per point in time order, thresholds, legend, a single instant widened', () => {
    const t0 = Date.UTC(2026, 0, 1, 12);
    const svg = timeChart({
      title: 'risk', yTitle: 'risk score',
      series: [{ name: 'core', color: '#000', points: [{ x: t0 + 120_000, y: 0.9, color: '#c00' }, { x: t0, y: 0.1 }, { x: t0 + 60_000, y: 0.5 }] }],
      thresholds: [{ value: 0.7, label: 'challenge 0.7', color: '#e60' }],
    });
    const cx = all(svg, /<circle class="point" cx="([\d.]+)"/g).map(Number);
    expect(cx).toHaveLength(3);
    expect([...cx].sort((a, b) => a - b)).toEqual(cx); // drawn left to right
    const cy = all(svg, /<circle class="point" cx="[\d.]+" cy="([\d.]+)"/g).map(Number);
    expect(cy[0]! > cy[1]! && cy[1]! > cy[2]!).toBe(true); // higher score, higher on the page
    expect(svg).toMatch(/<path class="line" d="M[\d.]+,[\d.]+L[\d.]+,[\d.]+L[\d.]+,[\d.]+"/);
    expect(svg).toContain('challenge 0.7');
    expect(svg).toContain('>12:01:00<'); // a two-minute span is labelled to the second
    expect(svg).toContain('<g class="legend">');
    const one = timeChart({ title: 'one', yTitle: 'y', series: [{ name: 's', color: '#000', points: [{ x: t0, y: 0.3 }] }] });
    expect(one).toContain('<circle class="point"');
    expect(all(one, /<text x="[\d.]+" y="[\d.]+" text-anchor="middle" fill="#444">([^<]+)</g).length).toBeGreaterThanOrEqual(2);
    expect(one).not.toMatch(/NaN|Infinity/);
    const empty = timeChart({ title: 'none', yTitle: 'y', series: [] });
    expect(empty).not.toMatch(/NaN|Infinity/);
  });

  it('barChart: a row per item with its value, longest bar for the largest value, optional marker', () => {
    const svg = barChart({ items: [{ label: 'a_high', value: 6 }, { label: 'b<low>', value: 3 }], title: 'reasons', xTitle: 'count', marker: { value: 2, label: 'reason at 2', color: '#e60' } });
    const widths = all(svg, /class="bar"[^>]* width="([\d.]+)"/g).map(Number);
    expect(widths[0]! / widths[1]!).toBeCloseTo(2, 1);
    expect(svg).toContain('b&lt;low&gt;');
    expect(svg).toContain('reason at 2');
  });
});

describe('feature contributions', () => {
  const profile = populationProfile as Profile;
  it("names a bot's features far past the reason cut-off and a person's mostly within it", () => {
    const bot = featureContributions('b1', botTyping(30), profile);
    expect(bot.judged).toBe(true);
    expect(bot.features).toHaveLength(profile.features.length);
    expect(Math.abs(bot.features[0]!.deviation)).toBeGreaterThan(bot.threshold * 2);
    const person = featureContributions('b2', typing({ keys: 30, seed: 3 }), profile);
    expect(Math.abs(person.features[0]!.deviation)).toBeLessThan(Math.abs(bot.features[0]!.deviation));
    expect(featureContributions('b3', typing({ keys: 2 }), profile).judged).toBe(false);
  });
});

describe('dashboard sessions', () => {
  const keys = parseApiKeys('ops:admin-key-0123456789abcdef') as ApiKey[];
  it('signs in only with a configured key; random ids; idle and absolute expiry; sign-out', () => {
    let t = 1_000_000;
    const s = createDashboardSessions(keys, () => t);
    expect(s.signIn('wrong-key-0123456789abcdef')).toBeUndefined();
    expect(s.signIn('')).toBeUndefined();
    const a = s.signIn('admin-key-0123456789abcdef')!;
    const b = s.signIn('admin-key-0123456789abcdef')!;
    expect(a.keyName).toBe('ops');
    expect(a.id).not.toBe(b.id);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.id).not.toContain('admin-key');
    expect(s.check(a.id)).toBe('ops');
    expect(s.check('forged')).toBeUndefined();
    t += IDLE_MS - 1;
    expect(s.check(a.id)).toBe('ops'); // use refreshes the idle timer
    t += IDLE_MS - 1;
    expect(s.check(a.id)).toBe('ops');
    expect(s.check(b.id)).toBeUndefined(); // b was idle too long
    s.signOut(a.id);
    expect(s.check(a.id)).toBeUndefined();
    const c = s.signIn('admin-key-0123456789abcdef')!;
    for (let used = 0; used < ABSOLUTE_MS; used += IDLE_MS / 2) {
      t += IDLE_MS / 2;
      if (used + IDLE_MS / 2 < ABSOLUTE_MS) expect(s.check(c.id)).toBe('ops');
    }
    expect(s.check(c.id)).toBeUndefined(); // even in constant use, gone after the absolute lifetime
  });
  it('refuses every key when none is configured', () => {
    const s = createDashboardSessions([], () => 0);
    expect(s.enabled).toBe(false);
    expect(s.signIn('admin-key-0123456789abcdef')).toBeUndefined();
  });
});

describe('model registry page', () => {
  it('marks the active version, and a pinned one as pinned', () => {
    const base = { kind: 'MODEL_KIND_USER_KEYSTROKE', scope: 'u-1', sha256: 'ab'.repeat(32), featureSchema: [], metrics: {}, trainedAtMs: 0, sizeBytes: 2048 };
    const html = modelsBody({
      models: [
        { ...base, id: 'm2', version: '1.1.0', active: false, pinned: false },
        { ...base, id: 'm1', version: '1.0.0', active: true, pinned: true },
      ],
    }).html;
    const row = (id: string) => html.slice(html.indexOf(`data-model="${id}"`)).split('</tr>')[0]!;
    expect(row('m2')).not.toMatch(/active-model|pinned/);
    expect(row('m1')).toMatch(/pill active-model">active/);
    expect(row('m1')).toMatch(/>pinned</);
  });
});
