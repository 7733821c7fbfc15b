import { useEffect, useState } from 'preact/hooks';
import { renderSVG } from 'uqr';
import { get, post, del } from '../api.js';
import { t, dateTime, date, number } from '../i18n.js';
import { html, Icon, Dialog, Field, Empty, Spinner, fieldErrors, copyText, toast, toastError, confirmAction } from '../ui.js';
import { fromLocal } from './settings.js';

export function ShareTab({ gallery }) {
  const [links, setLinks] = useState(null);
  const [visits, setVisits] = useState({});
  const [creating, setCreating] = useState(false);
  const [qr, setQr] = useState(null);
  const load = async () => {
    try {
      const [list, counts] = await Promise.all([get(`/galleries/${gallery.id}/share-links`), get(`/galleries/${gallery.id}/link-visits`)]);
      setLinks(list.items.reverse());
      setVisits(Object.fromEntries(counts.items.map((v) => [v.link_id, v])));
    } catch (e) { toastError(e); }
  };
  useEffect(() => { load(); }, [gallery.id]);

  const revoke = async (link) => {
    if (!(await confirmAction({ title: t('share.revokeTitle'), message: t('share.revokeText'), confirm: t('share.revoke') }))) return;
    try { await del(`/galleries/${gallery.id}/share-links/${link.id}`); toast(t('share.revoked')); load(); } catch (e) { toastError(e); }
  };
  const absolute = (link) => new URL('/g/' + link.token, location.origin).href;

  return html`<div class="share">
    ${gallery.status !== 'published' && html`<div class="notice"><${Icon} name="alert"/><p>${t('share.notPublished')}</p></div>`}
    <div class="section-head"><h2>${t('share.title')}</h2>
      <button type="button" class="button primary" onClick=${() => setCreating(true)}><${Icon} name="plus"/>${t('share.new')}</button></div>
    ${links === null ? html`<${Spinner}/>` : links.length === 0
      ? html`<${Empty} icon="share" title=${t('share.none')} text=${t('share.noneText')}/>`
      : html`<table class="table links">
        <thead><tr><th scope="col">${t('share.link')}</th><th scope="col">${t('share.role')}</th><th scope="col">${t('share.protection')}</th>
          <th scope="col">${t('share.downloads')}</th><th scope="col" class="num">${t('stats.visits')}</th><th scope="col"><span class="visually-hidden">${t('share.actions')}</span></th></tr></thead>
        <tbody>${links.map((link) => {
          const v = visits[link.id] || { visits: 0, visitors: 0 };
          const dead = link.revoked_at || (link.expires_at && new Date(link.expires_at) < new Date());
          return html`<tr key=${link.id} class=${dead ? 'dead' : ''}>
            <td><strong>${link.label || t('share.role.' + link.role)}</strong><br/><code class="token">${absolute(link)}</code>
              <br/><span class="muted small">${t('share.created', { date: date(link.created_at) })}</span></td>
            <td><span class=${'badge role-' + link.role}>${t('share.role.' + link.role)}</span></td>
            <td>${link.has_password ? t('share.password') : gallery.has_password ? t('share.galleryPassword') : t('share.open')}
              ${link.revoked_at ? html`<br/><span class="badge state-expired">${t('share.isRevoked')}</span>`
                : link.expires_at && html`<br/><span class="muted small">${t('share.expires', { date: dateTime(link.expires_at) })}</span>`}</td>
            <td>${t('size.' + ((link.permissions && link.permissions.download) || (gallery.download_policy || {})[link.role] || 'web'))}</td>
            <td class="num">${number(v.visits)}<br/><span class="muted small">${t('share.visitors', { n: v.visitors })}</span></td>
            <td class="actions">${!link.revoked_at && html`<div class="link-actions">
              <button type="button" class="button small" onClick=${() => copyText(absolute(link))}><${Icon} name="copy"/>${t('share.copy')}</button>
              <button type="button" class="button small" onClick=${() => setQr(link)}><${Icon} name="qr"/>${t('share.qr')}</button>
              <button type="button" class="button small danger-text" onClick=${() => revoke(link)}>${t('share.revoke')}</button></div>`}</td>
          </tr>`;
        })}</tbody></table>`}
    ${creating && html`<${NewLinkDialog} gallery=${gallery} onClose=${() => setCreating(false)} onCreated=${(link) => { setCreating(false); load(); copyText(absolute(link)); }}/>`}
    ${qr && html`<${QrDialog} url=${absolute(qr)} name=${qr.label || gallery.title} onClose=${() => setQr(null)}/>`}
  </div>`;
}

function NewLinkDialog({ gallery, onClose, onCreated }) {
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    const f = Object.fromEntries(new FormData(event.target));
    const body = { role: f.role, label: f.label || null, expires_at: fromLocal(f.expires_at), permissions: f.download ? { download: f.download } : {} };
    if (f.password) body.password = f.password;
    setBusy(true);
    try { onCreated(await post(`/galleries/${gallery.id}/share-links`, body)); } catch (e) { setErrors(fieldErrors(e)); toastError(e); } finally { setBusy(false); }
  };
  return html`<${Dialog} title=${t('share.new')} onClose=${onClose}>
    <form class="form" onSubmit=${submit}>
      <fieldset class="radio-cards"><legend>${t('share.role')}</legend>
        <label><input type="radio" name="role" value="client" checked/><span><strong>${t('share.role.client')}</strong><small>${t('share.clientHint')}</small></span></label>
        <label><input type="radio" name="role" value="guest"/><span><strong>${t('share.role.guest')}</strong><small>${t('share.guestHint')}</small></span></label>
      </fieldset>
      <${Field} id="l-label" label=${t('share.label')} error=${errors.label}><input id="l-label" name="label" maxlength="120" placeholder=${t('share.labelPlaceholder')}/></${Field}>
      <div class="row">
        <${Field} id="l-password" label=${t('share.passwordOptional')} error=${errors.password}><input id="l-password" name="password" type="text" minlength="4" autocomplete="off"/></${Field}>
        <${Field} id="l-expires" label=${t('share.expiry')} error=${errors.expires_at}><input id="l-expires" name="expires_at" type="datetime-local"/></${Field}>
      </div>
      <${Field} id="l-download" label=${t('share.downloads')}>
        <select id="l-download" name="download"><option value="">${t('share.galleryPolicy')}</option>
          ${['none', 'web', 'full'].map((s) => html`<option value=${s}>${t('size.' + s)}</option>`)}</select></${Field}>
      <div class="form-actions"><button type="button" class="button" onClick=${onClose}>${t('common.cancel')}</button>
        <button type="submit" class="button primary" disabled=${busy}>${t('share.create')}</button></div>
    </form>
  </${Dialog}>`;
}

function QrDialog({ url, name, onClose }) {
  const svg = renderSVG(url, { ecc: 'M', border: 2 });
  const href = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  useEffect(() => () => URL.revokeObjectURL(href), [href]);
  return html`<${Dialog} title=${t('share.qrTitle')} onClose=${onClose}>
    <div class="qr"><img src=${href} alt=${t('share.qrAlt', { url })} width="280" height="280"/>
      <p class="muted small"><code>${url}</code></p>
      <a class="button primary" href=${href} download=${(name || 'gallery').replace(/[^\w-]+/g, '-') + '-qr.svg'}>${t('share.qrDownload')}</a></div>
  </${Dialog}>`;
}
