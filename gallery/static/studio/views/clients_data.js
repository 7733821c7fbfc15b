// A client's data rights: download everything held about them (a zip from the privacy API), or erase them
// after a confirmation, then show what was removed and what was kept, and why.
import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { t, number } from '../i18n.js';
import { html, Dialog, Icon, confirmAction, toastError } from '../ui.js';
import { download } from './clients_common.js';

const KEPT = { orders: 'clients.kept.orders', events: 'clients.kept.events', unsubscribes: 'clients.kept.unsubscribes',
  galleries: 'clients.kept.galleries' };
const REMOVED = { client: 'clients.removed.client', visitors: 'clients.removed.visitors', favourites: 'clients.removed.favourites',
  favourite_lists: 'clients.removed.favourite_lists', comments: 'clients.removed.comments', selections: 'clients.removed.selections',
  carts: 'clients.removed.carts', messages: 'clients.removed.messages', feedback: 'clients.removed.feedback',
  important_dates: 'clients.removed.important_dates', personal_coupons: 'clients.removed.personal_coupons',
  referrals: 'clients.removed.referrals', referred: 'clients.removed.referred' };

export function DataRights({ client }) {
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState(null);
  const exportData = async () => {
    setBusy(true);
    try { await download(`/clients/${client.id}/export`, `client-${client.id}.zip`); } catch (e) { toastError(e); } finally { setBusy(false); }
  };
  const erase = async () => {
    const sure = await confirmAction({ title: t('clients.erase.title', { name: client.name }), message: t('clients.erase.text'),
      confirm: t('clients.erase.confirm') });
    if (!sure) return;
    setBusy(true);
    try { setReport(await post(`/clients/${client.id}/erase`, { confirm: true })); } catch (e) { toastError(e); } finally { setBusy(false); }
  };
  return html`<section class="panel client-rights" aria-labelledby="rights-title">
    <h2 id="rights-title">${t('clients.rights.title')}</h2>
    <p class="muted">${t('clients.rights.text')}</p>
    <div class="form-actions start">
      <button type="button" class="button" onClick=${exportData} disabled=${busy}><${Icon} name="down"/>${t('clients.rights.export')}</button>
      <button type="button" class="button danger" onClick=${erase} disabled=${busy}><${Icon} name="trash"/>${t('clients.rights.erase')}</button>
    </div>
    ${report && html`<${EraseReport} report=${report} name=${client.name} onClose=${() => { location.hash = '#/clients'; }}/>`}
  </section>`;
}

function EraseReport({ report, name, onClose }) {
  return html`<${Dialog} wide title=${t('clients.erase.done', { name })} onClose=${onClose}
      footer=${html`<button type="button" class="button primary" onClick=${onClose}>${t('common.close')}</button>`}>
    <div class="erase-report">
      <h3>${t('clients.erase.removed')}</h3>
      <ul class="plain">${Object.entries(report.removed).map(([kind, n]) => html`<li>
        ${REMOVED[kind] ? t(REMOVED[kind]) : kind}: <strong>${number(n)}</strong></li>`)}</ul>
      <h3>${t('clients.erase.kept')}</h3>
      ${report.kept.length === 0 ? html`<p class="muted">${t('clients.erase.nothingKept')}</p>`
        : html`<ul class="plain kept">${report.kept.map((k) => html`<li><strong>${KEPT[k.what] ? t(KEPT[k.what]) : k.what}: ${number(k.count)}</strong>
          <p>${KEPT[k.what] ? t(KEPT[k.what] + 'Why') : k.why}</p></li>`)}</ul>`}
    </div>
  </${Dialog}>`;
}
