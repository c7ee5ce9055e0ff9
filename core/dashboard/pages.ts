// The dashboard's pages: pure functions from the handlers' results to HTML (no I/O here).
import { gateFailures } from '../models/quality-gate.ts';
import type { Thresholds } from '../../scoring/policy.ts';
import { barChart, DECISION_COLORS, histogram, timeChart, type Series, type Threshold } from './charts.ts';
import { h, raw, type Raw } from './html.ts';
import { decisionOf, pill, score, severityOf, short, standingName, standingPill, utc, type ModelInfo, type SessionDetail, type SessionSummary, type Stats } from './view.ts';

export const BASE = '/dashboard';
const NAV = [
  ['sessions', 'Sessions'],
  ['scores', 'Score distribution'],
  ['drift', 'Behaviour drift'],
  ['models', 'Model registry'],
  ['session-model', 'Session model'],
] as const;

export function layout(o: { title: string; active?: string; keyName?: string; stats?: Stats; body: Raw }): string {
  const nav = o.keyName
    ? h`<nav>${NAV.map(([p, label]) => h`<a href="${BASE}/${p}" class="${o.active === p ? 'on' : ''}">${label}</a>`)}</nav>
      <div class="who"><span>signed in with key <b>${o.keyName}</b></span>
      <form method="post" action="${BASE}/logout"><button type="submit" id="logout">Sign out</button></form></div>`
    : '';
  return h`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${o.title} · Cadence</title><link rel="stylesheet" href="${BASE}/static/style.css"></head>
<body><header class="top"><span class="brand">Cadence · analyst dashboard</span>${nav}</header>
<main>${o.stats ? statsBar(o.stats) : ''}<h1>${o.title}</h1>${o.body}</main></body></html>`.html;
}

export function statsBar(s: Stats): Raw {
  const items: [string, string, string][] = [
    ['active-sessions', String(s.activeSessions), 'active sessions'],
    ['sessions', String(s.sessions), 'sessions'],
    ['events', s.events.toLocaleString('en-US'), 'events'],
    ['anomaly-rate', `${(s.anomalyRate * 100).toFixed(1)} %`, `anomaly rate (${s.judgedBatches} judged)`],
    ['mpin-challenges', String(s.mpinChallenges), 'MPIN challenges'],
    ['mpin-successes', String(s.mpinSuccesses), 'MPIN successes'],
    ['mpin-failures', String(s.mpinFailures), 'MPIN failures'],
    ['blocks', String(s.blocks), 'blocks'],
    ['locks', String(s.locks), 'account locks'],
    ['users-with-model', String(s.usersWithModel), 'users with own model'],
  ];
  return h`<section class="stats" id="stats">${items.map(([id, v, label]) => h`<div class="stat" data-stat="${id}"><b>${v}</b><span>${label}</span></div>`)}</section>`;
}

export function loginPage(o: { error?: string; enabled: boolean }): string {
  const body = h`<div class="login"><h1>Sign in</h1>
    <p class="muted">Use one of the core's admin API keys (<span class="mono">CADENCE_ADMIN_API_KEYS</span>; <span class="mono">npm start</span> prints one).</p>
    ${o.enabled ? '' : h`<p class="error">No admin key is configured on this core: set CADENCE_ADMIN_API_KEYS and restart it.</p>`}
    ${o.error ? h`<p class="error" id="login-error" role="alert">${o.error}</p>` : ''}
    <form method="post" action="${BASE}/login"><label for="key">Admin API key</label>
    <input id="key" name="key" type="password" autocomplete="current-password" required minlength="16" maxlength="512" autofocus>
    <button class="primary" type="submit" id="sign-in">Sign in</button></form></div>`;
  return h`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in · Cadence</title>
<link rel="stylesheet" href="${BASE}/static/style.css"></head><body><header class="top"><span class="brand">Cadence · analyst dashboard</span></header>${body}</body></html>`.html;
}

export function errorBody(message: string, field?: string): Raw {
  return h`<p class="error" id="problem" role="alert">${message}${field ? h` <span class="mono">(${field})</span>` : ''}</p><p><a href="${BASE}/sessions">Back to the sessions</a></p>`;
}

function sessionRows(rows: readonly SessionSummary[]): Raw {
  if (rows.length === 0) return h`<p class="empty">No sessions match.</p>`;
  return h`<table class="sessions"><thead><tr><th>session</th><th>user</th><th>last seen (UTC)</th><th>batches</th><th>events</th><th>score</th><th>latest</th><th>standing</th><th>status</th><th>reasons</th></tr></thead><tbody>
  ${rows.map((s) => {
    // Rows are flagged by the session's standing, which a later, milder batch does not lower.
    const sev = s.standing?.severity || severityOf(decisionOf(s.latest?.decision));
    return h`<tr class="flag-${sev}" data-session="${s.sessionId}" data-level="${sev}">
      <td class="mono"><a href="${BASE}/sessions/${encodeURIComponent(s.sessionId)}" title="${s.sessionId}">${short(s.sessionId, 14)}</a></td>
      <td class="mono" title="${s.userId}">${s.userId ? short(s.userId) : h`<span class="muted">anonymous</span>`}</td>
      <td>${utc(s.lastSeenMs)}</td><td>${s.batchCount}</td><td>${s.eventCount}</td><td>${score(s.latest)}</td><td>${pill(s.latest)}</td>
      <td>${standingPill(s.standing)}</td><td>${s.status || '—'}</td><td class="reasons">${(s.latest?.reasons ?? []).join(', ')}</td></tr>`;
  })}</tbody></table>`;
}

export interface SessionFilters {
  level: string;
  window: string;
  size: number;
}

export const LEVELS = [['all', 'all levels'], ['low', 'low and above (monitor+)'], ['medium', 'medium and above (flagged)'], ['high', 'high (block)']] as const;
export const WINDOWS = [['all', 'all time'], ['15m', 'last 15 minutes'], ['1h', 'last hour'], ['24h', 'last 24 hours'], ['7d', 'last 7 days']] as const;

function options(list: readonly (readonly [string, string])[], selected: string): Raw {
  return h`${list.map(([v, label]) => h`<option value="${v}"${raw(v === selected ? ' selected' : '')}>${label}</option>`)}`;
}

export function sessionsBody(o: { filters: SessionFilters; rows: readonly SessionSummary[]; nextUrl?: string; firstUrl?: string; flagged: readonly SessionSummary[] }): Raw {
  const f = o.filters;
  return h`<section class="card" id="flagged"><h2>Flagged sessions (medium and high, newest first)</h2>${sessionRows(o.flagged)}</section>
  <section class="card" id="all-sessions"><h2>Sessions</h2>
  <form class="filters" method="get" action="${BASE}/sessions">
    <label>level<select name="level">${options(LEVELS, f.level)}</select></label>
    <label>last seen<select name="window">${options(WINDOWS, f.window)}</select></label>
    <label>per page<select name="size">${options([10, 25, 50, 100, 200].map((n) => [String(n), String(n)] as const), String(f.size))}</select></label>
    <button class="primary" type="submit">Apply</button></form>
  ${sessionRows(o.rows)}
  <div class="pager">${o.firstUrl ? h`<a href="${o.firstUrl}">« first page</a>` : ''}${o.nextUrl ? h`<a href="${o.nextUrl}" id="next-page">next page »</a>` : ''}</div></section>`;
}

export function thresholdLines(t: Thresholds): Threshold[] {
  return [
    { value: t.monitor, label: `monitor ${t.monitor}`, color: DECISION_COLORS.monitor },
    { value: t.challenge, label: `challenge ${t.challenge}`, color: DECISION_COLORS.challenge },
    { value: t.block, label: `block ${t.block}`, color: DECISION_COLORS.block },
  ];
}

export interface Contributions {
  batchId: string;
  judged: boolean;
  features: { name: string; deviation: number }[];
  threshold: number;
}

/** `label`: the analyst label card (labels-view.ts), shown under the session's facts. */
export function detailBody(d: SessionDetail, t: Thresholds, contributions?: Contributions, label?: Raw): Raw {
  const s = d.session;
  const core = d.scores.filter((x) => x.source === 'core');
  const edge = d.scores.filter((x) => x.source === 'edge');
  const point = (x: (typeof d.scores)[number]) => {
    const dec = decisionOf(x.assessment.decision) ?? 'allow';
    return { x: x.createdAtMs, y: x.assessment.score, color: DECISION_COLORS[dec], note: `${utc(x.createdAtMs)} UTC · ${x.batchId} · ${x.assessment.score.toFixed(3)} ${dec}${x.assessment.reasons.length ? ` · ${x.assessment.reasons.join(', ')}` : ''}` };
  };
  const series: Series[] = [
    { name: 'core decision (authoritative)', color: '#1d2228', points: core.map(point) },
    { name: 'edge pre-score', color: '#8a949e', dashed: true, markers: false, points: edge.map((x) => ({ x: x.createdAtMs, y: x.assessment.score })) },
  ];
  const timeline = d.scores.length
    ? raw(timeChart({ series, title: `Risk score per batch, session ${s.sessionId}`, yTitle: 'risk score (0-1)', thresholds: thresholdLines(t), width: 1180, height: 300 }))
    : h`<p class="empty">No scored batches yet.</p>`;
  const reasonItems = Object.entries(d.reasons).sort((a, b) => b[1] - a[1]).slice(0, 15).map(([label, value]) => ({ label, value }));
  const reasons = reasonItems.length
    ? raw(barChart({ items: reasonItems, title: 'Reasons in the core decisions of this session', xTitle: 'decisions naming the reason (count)', width: 560 }))
    : h`<p class="empty">No reasons recorded.</p>`;
  return h`<section class="card"><dl class="kv">
    <dt>session</dt><dd class="mono">${s.sessionId}</dd><dt>user</dt><dd class="mono">${s.userId ? h`<a href="${BASE}/drift?user=${encodeURIComponent(s.userId)}">${s.userId}</a>` : 'anonymous'}</dd>
    <dt>device</dt><dd class="mono">${s.deviceId || '—'}</dd><dt>page</dt><dd>${s.page || '—'}</dd><dt>location</dt><dd id="location">${[s.city, s.country].filter(Boolean).join(', ') || h`<span class="muted">unknown</span>`}</dd><dt>status</dt><dd>${s.status || '—'}</dd>
    <dt>first / last seen</dt><dd>${utc(s.firstSeenMs)} / ${utc(s.lastSeenMs)} UTC</dd><dt>batches / events</dt><dd>${s.batchCount} / ${s.eventCount}</dd>
    <dt>latest decision</dt><dd>${pill(s.latest)} ${score(s.latest)} <span class="mono muted">${s.latest?.modelVersion ?? ''}</span></dd>
    <dt>standing</dt><dd id="standing">${standingPill(s.standing)} ${s.standing && s.standing.requiredAction !== 'none' ? h`<span class="muted">user must: ${s.standing.requiredAction}</span>` : ''}
      <span class="muted">${s.standing?.reasons.join(', ') ?? ''}</span></dd></dl>${supportForms(s)}
    <p class="exports" id="export">Download this session: <a href="${BASE}/sessions/${encodeURIComponent(s.sessionId)}/export.json" download>Export JSON</a> · <a href="${BASE}/sessions/${encodeURIComponent(s.sessionId)}/export.csv" download>Export CSV</a> <span class="muted">(CSV: one row per event with its batch's decision)</span></p></section>
  ${label ?? ''}
  <section class="card" id="timeline"><h2>Timeline: each batch's score and decision</h2>${timeline}
    <p class="muted">Markers are the core's decisions, coloured by level (${Object.entries(DECISION_COLORS).map(([k]) => k).join(', ')}); the dashed line is the pre-score the edge answered the browser with; dashed horizontal lines are the policy thresholds.</p></section>
  <div class="grid2"><section class="card" id="reasons"><h2>Why: reasons behind the decisions</h2>${reasons}</section>
  <section class="card" id="contributions"><h2>Per-feature contributions (latest judged batch)</h2>${contributionsBlock(contributions)}</section></div>
  <section class="card" id="decisions"><h2>Decisions (newest first)</h2>${decisionTable(core)}</section>
  <div class="grid2"><section class="card" id="security"><h2>Security events</h2>${securityTable(d.securityEvents)}</section>
  <section class="card" id="event-types"><h2>Stored events by type</h2>${d.events.length ? h`<table><thead><tr><th>type</th><th>count</th></tr></thead><tbody>${d.events.map((e) => h`<tr><td>${e.type}</td><td>${e.count}</td></tr>`)}</tbody></table>` : h`<p class="empty">None.</p>`}</section></div>`;
}

function contributionsBlock(c: Contributions | undefined): Raw {
  if (!c) return h`<p class="empty">No batch of this session could be read.</p>`;
  if (!c.judged || c.features.length === 0) return h`<p class="empty">Batch <span class="mono">${c.batchId}</span> has too few keystrokes to judge its rhythm.</p>`;
  const items = c.features.map((f) => ({ label: f.name, value: Math.round(Math.abs(f.deviation) * 100) / 100, color: Math.abs(f.deviation) >= c.threshold ? DECISION_COLORS.challenge : '#3f6fb5' }));
  return h`${raw(barChart({ items, title: `Scaled deviation of each keystroke feature, batch ${c.batchId}`, xTitle: '|feature − population median| / MAD', width: 560, marker: { value: c.threshold, label: `reason at ${c.threshold}`, color: DECISION_COLORS.challenge } }))}
    <p class="muted">Batch <span class="mono">${c.batchId}</span>. Each bar is that feature's term in the population model's scaled-Manhattan distance (the rhythm part of the score); features past the marker are named as reasons. Automation signals (e.g. zero_variance_timing) add to the score separately and appear among the reasons.</p>`;
}

function decisionTable(rows: SessionDetail['scores']): Raw {
  if (rows.length === 0) return h`<p class="empty">No core decisions yet.</p>`;
  return h`<table><thead><tr><th>time (UTC)</th><th>batch</th><th>score</th><th>level</th><th>model</th><th>reasons</th></tr></thead><tbody>
  ${rows.map((r) => h`<tr class="flag-${severityOf(decisionOf(r.assessment.decision))}"><td>${utc(r.createdAtMs)}</td><td class="mono">${r.batchId}</td><td>${score(r.assessment)}</td><td>${pill(r.assessment)}</td><td class="mono">${r.assessment.modelVersion}</td><td class="reasons">${r.assessment.reasons.join(', ')}</td></tr>`)}</tbody></table>`;
}

function securityTable(rows: SessionDetail['securityEvents']): Raw {
  if (rows.length === 0) return h`<p class="empty">None.</p>`;
  return h`<table><thead><tr><th>time (UTC)</th><th>kind</th><th>severity</th><th>score</th><th>reasons</th></tr></thead><tbody>
  ${rows.map((e) => h`<tr><td>${utc(e.createdAtMs)}</td><td>${e.kind}</td><td>${e.severity}</td><td>${e.score ? e.score.toFixed(3) : ''}</td><td class="reasons">${e.reasons.join(', ')}</td></tr>`)}</tbody></table>`;
}

export function scoresBody(o: { counts: number[]; window: string; t: Thresholds }): Raw {
  const total = o.counts.reduce((a, b) => a + b, 0);
  const bandColor = (start: number) => {
    const mid = start + 0.5 / o.counts.length;
    return mid >= o.t.block ? DECISION_COLORS.block : mid >= o.t.challenge ? DECISION_COLORS.challenge : mid >= o.t.monitor ? DECISION_COLORS.monitor : DECISION_COLORS.allow;
  };
  const legend = (Object.keys(DECISION_COLORS) as (keyof typeof DECISION_COLORS)[]).map((k) => ({ label: k, color: DECISION_COLORS[k] }));
  return h`<section class="card" id="histogram"><form class="filters" method="get" action="${BASE}/scores">
    <label>scored<select name="window">${options(WINDOWS, o.window)}</select></label><button class="primary" type="submit">Apply</button></form>
    ${raw(histogram({ counts: o.counts, lo: 0, hi: 1, title: 'Distribution of the core risk scores of judged batches', xTitle: 'risk score (bins of 0.05; colour = decision band)', yTitle: 'batches', colorOf: bandColor, legend, tickText: (v) => v.toFixed(1), width: 1100, height: 340 }))}
    <p class="muted">${total} judged batches. Thresholds: monitor ${o.t.monitor}, challenge ${o.t.challenge}, block ${o.t.block}.</p></section>`;
}

export interface UserSeries {
  userId: string;
  points: { x: number; y: number; decision: string; sessionId: string }[];
}

export function driftBody(o: { users: UserSeries[]; window: string; user: string; t: Thresholds }): Raw {
  const charts = o.users.map((u) => {
    const pts = u.points.map((p) => ({ x: p.x, y: p.y, color: DECISION_COLORS[(decisionOf(p.decision) ?? 'allow')], note: `${utc(p.x)} UTC · session ${p.sessionId} · ${p.y.toFixed(3)} ${p.decision}` }));
    const sessions = new Set(u.points.map((p) => p.sessionId)).size;
    return h`<section class="card drift-user" data-user="${u.userId}"><h2>User <span class="mono">${u.userId}</span> <span class="muted">· ${u.points.length} judged batches in ${sessions} session${sessions === 1 ? '' : 's'}</span></h2>
      ${raw(timeChart({ series: [{ name: 'core risk score per batch', color: '#1f5fae', points: pts }], title: `Risk scores of user ${u.userId} over time`, yTitle: 'risk score (0-1)', thresholds: thresholdLines(o.t), width: 1180, height: 240 }))}</section>`;
  });
  return h`<form class="filters" method="get" action="${BASE}/drift">
    <label>scored<select name="window">${options(WINDOWS, o.window)}</select></label>
    <label>user id (optional)<input name="user" value="${o.user}" maxlength="128" placeholder="all users"></label>
    <button class="primary" type="submit">Apply</button></form>
    <p class="muted">Each logged-in user's authoritative scores over time: a rising trend in someone's own genuine sessions is drift (their model retrains on enrolled windows); isolated spikes are suspicious batches. Up to 12 users with the most recent activity.</p>
    ${charts.length ? charts : h`<p class="empty">No judged batches of logged-in users in this window.</p>`}`;
}

/** The quality gate's verdict on a user model, with the bounds it failed (recomputed from its metrics). */
function gateCell(m: ModelInfo): Raw | string {
  if (m.metrics.gate_passed === undefined) return '—';
  if (m.metrics.gate_passed === 1) return h`<span class="pill">passed</span>`;
  const failed = gateFailures({ held_back_genuine: m.metrics.held_back_genuine ?? 0, held_back_impostor: m.metrics.held_back_impostor ?? 0, eer: m.metrics.eer ?? null, auc: m.metrics.auc ?? null, frr_at_monitor: m.metrics.frr_at_monitor ?? null, held_back_auc: m.metrics.held_back_auc ?? null });
  // A version refused by an earlier gate's bounds (session 12 dropped the EER bound) fails none of today's.
  const why = failed.length ? failed.join(', ').replace(/_/g, ' ') : 'by an earlier version of the gate';
  return h`<span class="pill gate-refused" title="kept inactive: the user stays on the population model">refused: ${why}</span>`;
}

export function modelsBody(o: { models: ModelInfo[]; nextUrl?: string; firstUrl?: string }): Raw {
  if (o.models.length === 0) return h`<section class="card" id="models"><p class="empty">No models trained yet: the first per-user model is trained after CADENCE_ENROL_MIN_WINDOWS enrolment windows, or with ModelService/Train.</p></section>`;
  // Rates and areas read as fractions (0.000-1.000); counts as integers; absent (no impostors to test on) as a dash.
  const metric = (m: ModelInfo, k: string, count = false) => (m.metrics[k] === undefined ? '—' : count ? String(m.metrics[k]) : m.metrics[k]!.toFixed(3));
  return h`<section class="card" id="models"><table><thead><tr><th>version</th><th>kind</th><th>scope</th><th>sha256</th><th>EER</th><th>AUC</th><th>FRR at monitor</th><th title="core/models/quality-gate.ts: a user model is used only when its owner passes it and it tells impostors apart">quality gate</th><th>windows</th><th>trained at (UTC)</th><th>size</th><th>active</th></tr></thead><tbody>
  ${o.models.map((m) => h`<tr data-model="${m.id}"><td><b>${m.version}</b></td><td>${m.kind.replace(/^MODEL_KIND_/, '').toLowerCase().replace(/_/g, ' ')}</td>
    <td class="mono" title="${m.scope}">${m.scope === 'global' ? 'global' : h`<a href="${BASE}/drift?user=${encodeURIComponent(m.scope)}">${short(m.scope)}</a>`}</td>
    <td class="mono" title="${m.sha256}">${m.sha256.slice(0, 12)}</td><td>${metric(m, 'eer')}</td><td>${metric(m, 'auc')}</td><td>${metric(m, 'frr_at_monitor')}</td><td>${gateCell(m)}</td><td>${metric(m, 'trained_windows', true)}</td>
    <td>${utc(m.trainedAtMs)}</td><td>${(m.sizeBytes / 1024).toFixed(1)} KB</td><td>${m.active ? h`<span class="pill active-model">active</span>` : ''}${m.pinned ? h` <span class="pill" title="chosen by an operator: automatic retraining waits for Train or Retrain">pinned</span>` : ''}</td></tr>`)}</tbody></table>
  <div class="pager">${o.firstUrl ? h`<a href="${o.firstUrl}">« newest</a>` : ''}${o.nextUrl ? h`<a href="${o.nextUrl}">older »</a>` : ''}</div></section>`;
}

/** Support actions on a session's page: clear a challenge or block, unlock a locked account. */
function supportForms(s: SessionSummary): Raw {
  const level = standingName(s.standing?.level);
  const reason = h`<input name="reason" maxlength="200" placeholder="reason (kept in the audit trail)">`;
  return h`<div class="support">
    ${level === 'challenge' || level === 'block'
      ? h`<form method="post" action="${BASE}/sessions/${encodeURIComponent(s.sessionId)}/clear-standing" id="clear-standing">${reason}
          <button type="submit">Clear the ${level}</button></form>`
      : ''}
    ${level === 'locked' && s.userId
      ? h`<form method="post" action="${BASE}/users/${encodeURIComponent(s.userId)}/unlock?session=${encodeURIComponent(s.sessionId)}" id="unlock-account">${reason}
          <button type="submit">Unlock the account</button></form>`
      : ''}</div>`;
}
