// The campaigns list: name, status, date and recipients; a new campaign starts as a draft with a name.
import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../api.js';
import { t, date, number } from '../i18n.js';
import { html, Empty, Icon, Spinner, fieldErrors, toastError } from '../ui.js';

export function CampaignStatus({ status }) {
  return html`<span class=${'badge campaign-' + status}>${t('messages.status.' + status)}</span>`;
}

export function CampaignsView() {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => { get('/retention/campaigns?limit=100').then((page) => setItems(page.items)).catch(toastError); }, []);
  const create = async (event) => {
    event.preventDefault();
    const name = event.target.name.value.trim();
    if (!name) { setError(t('messages.nameNeeded')); return; }
    try {
      const campaign = await post('/retention/campaigns', { name });
      location.hash = '#/messages/campaigns/' + campaign.id;
    } catch (e) { setError(fieldErrors(e).name || e.message); }
  };
  return html`<div class="stack">
    <form class="set-new campaign-new" onSubmit=${create}>
      <label class="label" for="campaign-name">${t('messages.campaignName')}</label>
      <input id="campaign-name" name="name" maxlength="200" placeholder=${t('messages.campaignPlaceholder')}
        aria-invalid=${error ? 'true' : undefined} aria-describedby=${error ? 'campaign-name-error' : undefined}/>
      <button type="submit" class="button primary"><${Icon} name="plus"/>${t('messages.newCampaign')}</button>
    </form>
    ${error && html`<p class="form-error" id="campaign-name-error" role="alert">${error}</p>`}
    ${items === null ? html`<div class="center"><${Spinner}/></div>` : !items.length
      ? html`<${Empty} icon="chat" title=${t('messages.noCampaigns')} text=${t('messages.noCampaignsText')}/>`
      : html`<table class="table campaigns">
        <thead><tr><th scope="col">${t('messages.campaignName')}</th><th scope="col">${t('messages.statusLabel')}</th>
          <th scope="col">${t('messages.sendOn')}</th><th scope="col">${t('messages.recipients')}</th></tr></thead>
        <tbody>${items.map((c) => html`<tr key=${c.id}>
          <td><a href=${'#/messages/campaigns/' + c.id}><strong>${c.name}</strong></a></td>
          <td><${CampaignStatus} status=${c.status}/></td>
          <td>${c.send_on ? date(c.send_on) : html`<span class="muted">–</span>`}</td>
          <td>${c.status === 'planned' ? number(c.recipients || 0) : html`<span class="muted">–</span>`}</td></tr>`)}</tbody>
      </table>`}
  </div>`;
}
