// Import clients from another tool's CSV: pick the file and the date order, see a dry run (what would be
// created or updated, each row's errors, how the columns were read), confirm a consent column explicitly,
// then import all rows at once (the server writes all or none).
import { useState } from 'preact/hooks';
import { csrfToken, query, ApiError } from '../api.js';
import { t, number } from '../i18n.js';
import { html, Dialog, Field, toast, toastError } from '../ui.js';

async function send(path, file, params) {
  const response = await fetch('/api/v1/clients/' + path + query(params), { method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'text/csv', Accept: 'application/json', 'X-CSRF-Token': await csrfToken() }, body: file });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

export function ImportDialog({ onClose, onDone }) {
  const [file, setFile] = useState(null);
  const [order, setOrder] = useState('auto');
  const [consent, setConsent] = useState(false);
  const [report, setReport] = useState(null);
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);

  const preview = async (options = {}) => {
    const params = { date_order: options.order || order, consent_confirmed: options.consent ?? consent };
    if (!file) return;
    setBusy(true); setProblem(null);
    try { setReport(await send('import/preview', file, params)); } catch (e) { setReport(null); setProblem(e.message); } finally { setBusy(false); }
  };
  const commit = async () => {
    setBusy(true);
    try {
      const done = await send('import', file, { date_order: order, consent_confirmed: consent });
      toast(t('clients.import.done', { created: done.create, updated: done.update }));
      onDone();
    } catch (e) {
      if (e.problem && e.problem.report) setReport(e.problem.report);
      toastError(e);
    } finally { setBusy(false); }
  };
  const chooseOrder = (value) => { setOrder(value); if (report) preview({ order: value }); };
  const chooseConsent = (value) => { setConsent(value); if (report) preview({ consent: value }); };

  return html`<${Dialog} wide title=${t('clients.import.title')} onClose=${onClose} footer=${html`
      <button type="button" class="button" onClick=${onClose}>${t('common.cancel')}</button>
      <button type="button" class="button" disabled=${!file || busy} onClick=${() => preview()}>${t('clients.import.preview')}</button>
      <button type="button" class="button primary" id="import-commit" disabled=${!report || report.error_rows > 0 || busy || !(report.create + report.update)}
        onClick=${commit}>${t('clients.import.commit', { n: report ? report.create + report.update : 0 })}</button>`}>
    <div class="form import-form">
      <p class="muted">${t('clients.import.text')}</p>
      <div class="row">
        <${Field} id="import-file" label=${t('clients.import.file')} hint=${t('clients.import.fileHint')}>
          <input id="import-file" type="file" accept=".csv,text/csv,text/plain"
            onChange=${(e) => { setFile(e.target.files[0] || null); setReport(null); setProblem(null); }}/></${Field}>
        <${Field} id="import-order" label=${t('clients.import.dateOrder')} hint=${t('clients.import.dateOrderHint')}>
          <select id="import-order" value=${order} onChange=${(e) => chooseOrder(e.target.value)}>
            <option value="auto">${t('clients.import.orderAuto')}</option>
            <option value="dmy">${t('clients.import.orderDmy')}</option>
            <option value="mdy">${t('clients.import.orderMdy')}</option></select></${Field}>
      </div>
      ${problem && html`<p class="error" role="alert">${problem}</p>`}
      ${report && html`<${Report} report=${report} consent=${consent} onConsent=${chooseConsent}/>`}
    </div>
  </${Dialog}>`;
}

function Report({ report, consent, onConsent }) {
  const mapped = report.columns.filter((c) => c.field);
  const ignored = report.columns.filter((c) => !c.field);
  return html`<div class="import-report" aria-live="polite">
    <dl class="stats import-stats">
      <div><dt>${t('clients.import.rows')}</dt><dd>${number(report.rows)}</dd></div>
      <div><dt>${t('clients.import.create')}</dt><dd>${number(report.create)}</dd></div>
      <div><dt>${t('clients.import.update')}</dt><dd>${number(report.update)}</dd></div>
      <div><dt>${t('clients.import.errorRows')}</dt><dd class=${report.error_rows ? 'bad' : ''}>${number(report.error_rows)}</dd></div>
    </dl>
    <p class="muted">${t('clients.import.read', { encoding: report.encoding === 'utf-8-sig' ? 'UTF-8 (BOM)' : 'UTF-8', delimiter: report.delimiter === '\t' ? 'tab' : report.delimiter })}
      ${' '}${t('clients.import.columns', { columns: mapped.map((c) => c.header).join(', ') })}
      ${ignored.length ? ' ' + t('clients.import.ignored', { columns: ignored.map((c) => c.header).join(', ') }) : ''}</p>
    ${report.consent.column && html`<div class="notice consent-confirm">
      <label class="check"><input type="checkbox" id="import-consent" checked=${consent} onChange=${(e) => onConsent(e.target.checked)}/>
        ${t('clients.import.consent', { column: report.consent.column, yes: report.consent.yes, no: report.consent.no })}</label></div>`}
    ${report.error_rows > 0 && html`<h3>${t('clients.import.errorsTitle', { n: report.error_rows })}</h3>
      <div class="import-errors" tabindex="0" role="region" aria-label=${t('clients.import.errorsTitle', { n: report.error_rows })}><table class="table"><thead><tr><th scope="col">${t('clients.import.row')}</th>
        <th scope="col">${t('clients.import.column')}</th><th scope="col">${t('clients.import.problem')}</th></tr></thead>
        <tbody>${report.errors.map((e) => html`<tr><td>${e.row}</td><td>${e.column || '–'}</td><td>${e.message}</td></tr>`)}</tbody></table></div>`}
    ${report.sample.length > 0 && html`<h3>${t('clients.import.sampleTitle')}</h3>
      <div class="import-sample" tabindex="0" role="region" aria-label=${t('clients.import.sampleTitle')}><table class="table"><thead><tr><th scope="col">${t('clients.import.row')}</th>
        <th scope="col">${t('clients.import.action')}</th><th scope="col">${t('clients.col.name')}</th><th scope="col">${t('clients.col.email')}</th>
        <th scope="col">${t('clients.col.tags')}</th></tr></thead>
        <tbody>${report.sample.map((r) => html`<tr><td>${r.row}</td><td>${t(r.action === 'update' ? 'clients.import.willUpdate' : 'clients.import.willCreate')}</td>
          <td>${r.name}</td><td>${r.email || '–'}</td><td>${r.tags.join(', ')}</td></tr>`)}</tbody></table></div>`}
  </div>`;
}
