// Follow-ups: unhappy clients (a low survey score, a complaint) tracked to resolution; reply, note, resolve.
import { useEffect, useState } from 'preact/hooks';
import { get, post, patch, query } from '../api.js';
import { t, ago, dateTime } from '../i18n.js';
import { html, Field, Icon, Empty, Spinner, fieldErrors, toast, toastError } from '../ui.js';

const what = (f) => (f.kind === 'low_score' ? t('followups.lowScore', { score: f.score }) : t('followups.complaint'));

export function FollowUpsPanel() {
  const [status, setStatus] = useState('open');
  const [page, setPage] = useState(null);
  const load = (cursor) => get('/retention/followups' + query({ status, cursor, limit: 50 }))
    .then((next) => setPage((old) => (cursor && old ? { items: [...old.items, ...next.items], next_cursor: next.next_cursor } : next)))
    .catch(toastError);
  useEffect(() => { setPage(null); load(); }, [status]);
  return html`<div class="stack">
    <div class="chips" role="group" aria-label=${t('followups.show')}>
      ${['open', 'resolved'].map((name) => html`<button type="button" class=${'chip' + (status === name ? ' on' : '')}
        aria-pressed=${status === name} onClick=${() => setStatus(name)}>${t('followups.status.' + name)}</button>`)}
    </div>
    ${!page ? html`<div class="center"><${Spinner}/></div>` : page.items.length === 0
      ? html`<${Empty} icon="check" title=${t(status === 'open' ? 'followups.noneOpen' : 'followups.noneResolved')} text=${t('followups.explain')}/>`
      : html`<table class="table followups">
        <caption class="visually-hidden">${t('followups.caption', { status: t('followups.status.' + status) })}</caption>
        <thead><tr><th scope="col">${t('followups.client')}</th><th scope="col">${t('followups.what')}</th>
          <th scope="col">${t('followups.comment')}</th><th scope="col">${t('followups.opened')}</th></tr></thead>
        <tbody>${page.items.map((f) => html`<tr key=${f.id}>
          <th scope="row"><a href=${'#/loyalty/followups/' + f.id}>${f.client_name || t('followups.unknownClient')}</a></th>
          <td><span class=${'badge ' + (f.kind === 'low_score' ? 'kind-score' : 'kind-complaint')}>${what(f)}</span></td>
          <td class="excerpt">${f.comment}</td><td>${ago(f.created_at)}</td></tr>`)}</tbody></table>
        ${page.next_cursor && html`<button type="button" class="button small" onClick=${() => load(page.next_cursor)}>${t('common.more')}</button>`}`}
  </div>`;
}

export function FollowUpDetail({ id }) {
  const [item, setItem] = useState(null);
  const [errors, setErrors] = useState({});
  useEffect(() => { get(`/retention/followups/${id}`).then(setItem).catch((e) => { toastError(e); location.hash = '#/loyalty/followups'; }); }, [id]);
  if (!item) return html`<div class="center"><${Spinner}/></div>`;

  const act = async (fn, message, form) => {
    setErrors({});
    try { setItem(await fn()); toast(message); if (form) form.reset(); } catch (e) { setErrors(fieldErrors(e)); toastError(e); }
  };
  const reply = (event) => {
    event.preventDefault();
    const f = event.target;
    act(() => post(`/retention/followups/${id}/reply`, { subject: f.subject.value.trim(), body: f.body.value.trim() }), t('followups.replied'), f);
  };
  const note = (event) => {
    event.preventDefault();
    const f = event.target;
    act(() => patch(`/retention/followups/${id}`, { note: f.note.value.trim() }), t('followups.noted'), f);
  };
  const resolve = (value) => act(() => patch(`/retention/followups/${id}`, { resolve: value }), t(value ? 'followups.resolvedToast' : 'followups.reopenedToast'));
  const open = item.status === 'open';
  return html`<div class="followup">
    <a class="back" href="#/loyalty/followups"><${Icon} name="back"/><span>${t('followups.all')}</span></a>
    <div class="followup-grid">
      <section class="panel" aria-labelledby="followup-title">
        <div class="section-head"><h2 id="followup-title" class="grow">${item.client_name || t('followups.unknownClient')}</h2>
          <span class=${'badge ' + (open ? 'state-expiring' : 'state-published')}>${t('followups.state.' + item.status)}</span></div>
        <p class="muted">${[what(item), item.client_email, dateTime(item.created_at)].filter(Boolean).join(' · ')}</p>
        <blockquote class="client-words">${item.comment}</blockquote>
        ${item.client_id && html`<p><a href=${'#/clients/' + item.client_id}>${t('followups.openClient')}</a></p>`}
        <h3>${t('followups.history')}</h3>
        ${(item.log || []).length === 0 ? html`<p class="muted">${t('followups.noHistory')}</p>` : html`
          <ol class="followup-log">${item.log.map((entry, n) => html`<li key=${n} class=${'log-' + entry.kind}>
            <span class="log-kind">${t('followups.log.' + entry.kind)}</span> <span class="muted">${dateTime(entry.at)}</span>
            ${entry.text && html`<p class="log-text">${entry.text}</p>`}</li>`)}</ol>`}
        <div class="form-actions">
          ${open ? html`<button type="button" class="button primary" onClick=${() => resolve(true)}><${Icon} name="check"/>${t('followups.resolve')}</button>`
            : html`<button type="button" class="button" onClick=${() => resolve(false)}>${t('followups.reopen')}</button>`}</div>
      </section>
      <div class="stack">
        <form class="form panel" onSubmit=${reply} aria-labelledby="reply-title">
          <h2 id="reply-title">${t('followups.replyTitle')}</h2>
          ${item.client_email ? html`<p class="muted">${t('followups.replyHint', { email: item.client_email })}</p>`
            : html`<p class="muted">${t('followups.noEmail')}</p>`}
          <${Field} id="reply-subject" label=${t('followups.subject')} error=${errors.subject}>
            <input id="reply-subject" name="subject" required maxlength="300" disabled=${!item.client_email}/></${Field}>
          <${Field} id="reply-body" label=${t('followups.message')} error=${errors.body}>
            <textarea id="reply-body" name="body" rows="6" required maxlength="5000" disabled=${!item.client_email}></textarea></${Field}>
          <div class="form-actions"><button type="submit" class="button primary" disabled=${!item.client_email}>${t('followups.send')}</button></div>
        </form>
        <form class="form panel" onSubmit=${note} aria-labelledby="note-title">
          <h2 id="note-title">${t('followups.noteTitle')}</h2>
          <${Field} id="note-text" label=${t('followups.note')} error=${errors.note} hint=${t('followups.noteHint')}>
            <textarea id="note-text" name="note" rows="3" required maxlength="5000"></textarea></${Field}>
          <div class="form-actions"><button type="submit" class="button">${t('followups.addNote')}</button></div>
        </form>
      </div>
    </div>
  </div>`;
}
