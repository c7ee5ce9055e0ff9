// An analyst's label of a session on its page (AdminService.LabelSession / GetSessionLabels): the
// current label with who gave it and when, a form to give or change it, and every earlier label
// (labels are append-only, so the history is the audit trail).
import { BASE } from './pages.ts';
import { h, raw, type Raw } from './html.ts';
import { utc } from './view.ts';

/** Form value -> wire enum, in the order the form offers them. */
export const LABEL_CHOICES = [
  ['genuine', 'SESSION_LABEL_GENUINE', 'Genuine'],
  ['account_takeover', 'SESSION_LABEL_ACCOUNT_TAKEOVER', 'Account takeover'],
  ['bot', 'SESSION_LABEL_BOT', 'Bot'],
  ['unsure', 'SESSION_LABEL_UNSURE', 'Unsure'],
] as const;

export interface LabelRecordView {
  label: string;
  analyst: string;
  note: string;
  labelledAtMs: number | string;
}

export interface SessionLabelsView {
  current: LabelRecordView | null;
  history: LabelRecordView[];
}

const choiceOf = (wire: string) => LABEL_CHOICES.find((c) => c[1] === wire);
const nameOf = (wire: string) => choiceOf(wire)?.[2] ?? wire;

export function labelCard(sessionId: string, labels: SessionLabelsView): Raw {
  const cur = labels.current;
  const selected = cur ? choiceOf(cur.label)?.[0] : undefined;
  const current = cur
    ? h`<p id="current-label" data-label="${selected ?? ''}"><span class="pill label-${selected ?? 'none'}">${nameOf(cur.label)}</span> by <b class="analyst">${cur.analyst}</b> at <span class="labelled-at">${utc(Number(cur.labelledAtMs))}</span> UTC${cur.note ? h` · <span class="note">${cur.note}</span>` : ''}</p>`
    : h`<p id="current-label" data-label="" class="muted">Not labelled yet.</p>`;
  const form = h`<form method="post" action="${BASE}/sessions/${encodeURIComponent(sessionId)}/label" id="label-form" class="filters">
    <fieldset class="choices"><legend>${cur ? 'Change the label' : 'Label this session'}</legend>
    ${LABEL_CHOICES.map(([value, , text]) => h`<label class="choice"><input type="radio" name="label" value="${value}" id="label-${value}"${raw(value === selected ? ' checked' : '')} required> ${text}</label>`)}</fieldset>
    <label>note (optional, kept with the label)<input name="note" id="label-note" maxlength="1000" placeholder="why"></label>
    <button class="primary" type="submit" id="save-label">Save label</button></form>`;
  const history = labels.history.length
    ? h`<table id="label-history"><thead><tr><th>labelled at (UTC)</th><th>label</th><th>by</th><th>note</th></tr></thead><tbody>
      ${labels.history.map((r) => h`<tr data-label="${choiceOf(r.label)?.[0] ?? ''}"><td>${utc(Number(r.labelledAtMs))}</td><td>${nameOf(r.label)}</td><td>${r.analyst}</td><td class="reasons">${r.note}</td></tr>`)}</tbody></table>`
    : '';
  return h`<section class="card" id="label"><h2>Analyst label</h2>${current}${form}${history}
    <p class="muted">A change adds a label and keeps the earlier ones: the table is the audit trail. The signed-in key's name is recorded as the analyst.</p></section>`;
}
