// The supervised session model's page: the active 'session-forest' version's held-out figures
// (AUC, average precision, precision, recall, F1 and the confusion matrix at its operating
// threshold, as stored in the registry by `cadence train session-model`), then every registered
// version side by side.
import { BASE } from './pages.ts';
import { h, type Raw } from './html.ts';
import { utc, type ModelInfo } from './view.ts';

const RATES = [
  ['auc', 'AUC'],
  ['average_precision', 'AP'],
  ['accuracy', 'accuracy'],
  ['precision', 'precision'],
  ['recall', 'recall'],
  ['f1', 'F1'],
] as const;

const fixed = (m: ModelInfo, k: string) => (m.metrics[k] === undefined ? '—' : m.metrics[k]!.toFixed(3));
const count = (m: ModelInfo, k: string) => (m.metrics[k] === undefined ? '—' : String(m.metrics[k]));

function confusion(m: ModelInfo): Raw {
  return h`<table class="confusion" data-model="${m.id}"><thead><tr><th></th><th>called anomaly</th><th>called normal</th></tr></thead><tbody>
    <tr><th>anomaly</th><td data-cell="tp">${count(m, 'tp')}</td><td data-cell="fn">${count(m, 'fn')}</td></tr>
    <tr><th>normal</th><td data-cell="fp">${count(m, 'fp')}</td><td data-cell="tn">${count(m, 'tn')}</td></tr></tbody></table>`;
}

function activeCard(m: ModelInfo | undefined): Raw {
  if (!m) return h`<section class="card" id="active-session-model"><p class="empty">No session model is active: train one (<span class="mono">npx cadence train session-model</span>).</p></section>`;
  return h`<section class="card" id="active-session-model" data-model="${m.id}"><h2>Active: <b>${m.version}</b> <span class="muted">trained ${utc(m.trainedAtMs)} UTC · ${count(m, 'trees')} trees · ${count(m, 'trained_rows')} training rows</span></h2>
    <div class="stats">${RATES.map(([k, label]) => h`<div class="stat" data-metric="${k}"><b>${fixed(m, k)}</b><span>${label}</span></div>`)}</div>
    <h2>Confusion matrix at the operating threshold ${fixed(m, 'threshold')} <span class="muted">(${count(m, 'held_out')} held-out sessions)</span></h2>${confusion(m)}</section>`;
}

export function sessionModelBody(o: { models: ModelInfo[]; active: ModelInfo | undefined; nextUrl?: string; firstUrl?: string }): Raw {
  const table = o.models.length
    ? h`<table id="session-models"><thead><tr><th>version</th><th>trained at (UTC)</th>${RATES.map(([, label]) => h`<th>${label}</th>`)}<th>threshold</th><th>TP / FP / TN / FN</th><th>held out</th><th>sha256</th><th>active</th></tr></thead><tbody>
      ${o.models.map((m) => h`<tr data-model="${m.id}" data-version="${m.version}"><td><b>${m.version}</b></td><td>${utc(m.trainedAtMs)}</td>${RATES.map(([k]) => h`<td data-metric="${k}">${fixed(m, k)}</td>`)}
        <td data-metric="threshold">${fixed(m, 'threshold')}</td><td class="mono" data-metric="confusion">${count(m, 'tp')} / ${count(m, 'fp')} / ${count(m, 'tn')} / ${count(m, 'fn')}</td><td>${count(m, 'held_out')}</td>
        <td class="mono" title="${m.sha256}">${m.sha256.slice(0, 12)}</td><td>${m.active ? h`<span class="pill active-model">active</span>` : ''}</td></tr>`)}</tbody></table>
      <div class="pager">${o.firstUrl ? h`<a href="${o.firstUrl}">« newest</a>` : ''}${o.nextUrl ? h`<a href="${o.nextUrl}">older »</a>` : ''}</div>`
    : h`<p class="empty">No session model has been trained.</p>`;
  return h`${activeCard(o.active)}<section class="card"><h2>Every registered session model (newest first)</h2>${table}
    <p class="muted">Figures on each version's held-out 30 % (stratified), at the threshold chosen on its out-of-bag rows. The model answers RiskService.PredictSession(s); see <a href="${BASE}/models">the registry</a> for every model kind.</p></section>`;
}
