import { useEffect, useState } from 'preact/hooks';
import { get, post, patch } from '../api.js';
import { t, date } from '../i18n.js';
import { html, Icon, Spinner, StateBadge, toast, toastError, confirmAction } from '../ui.js';
import { PhotosTab } from './photos.js';
import { SettingsTab } from './settings.js';
import { ShareTab } from './share.js';
import { SelectionsTab, CommentsTab, ActivityTab } from './proofing.js';

const TABS = [['photos', 'image'], ['share', 'share'], ['selections', 'heart'], ['comments', 'chat'], ['activity', 'activity'], ['settings', 'settings']];

export function stateOf(g) {
  if (g.status !== 'published') return g.status;
  if (g.expires_at) {
    const left = new Date(g.expires_at).getTime() - Date.now();
    if (left <= 0) return 'expired';
    if (left <= 7 * 86400000) return 'expiring';
  }
  return 'published';
}

export function GalleryView({ id, tab }) {
  const [gallery, setGallery] = useState(null);
  const [client, setClient] = useState(null);
  const reload = () => get(`/galleries/${id}`).then(setGallery).catch((e) => { toastError(e); location.hash = '#/galleries'; });
  useEffect(() => { reload(); }, [id]);
  useEffect(() => {
    if (gallery && gallery.client_id) get(`/clients/${gallery.client_id}`).then(setClient).catch(() => setClient(null));
    else setClient(null);
  }, [gallery && gallery.client_id]);
  if (!gallery) return html`<div class="center"><${Spinner}/></div>`;

  const state = stateOf(gallery);
  const act = async (fn, message) => { try { setGallery(await fn()); toast(message); } catch (e) { toastError(e); } };
  const publish = () => act(() => post(`/galleries/${id}/publish`, {}), t('gallery.publishedToast'));
  const unpublish = () => act(() => patch(`/galleries/${id}`, { status: 'draft' }), t('gallery.unpublishedToast'));
  const archive = async () => {
    if (await confirmAction({ title: t('gallery.archiveTitle'), message: t('gallery.archiveText'), confirm: t('gallery.archive'), danger: false }))
      act(() => patch(`/galleries/${id}`, { status: 'archived' }), t('gallery.archivedToast'));
  };
  const restore = () => act(() => patch(`/galleries/${id}`, { status: 'draft' }), t('gallery.restoredToast'));

  return html`<div class="page gallery-page">
    <header class="gallery-head">
      <a class="back" href="#/galleries"><${Icon} name="back"/><span>${t('nav.galleries')}</span></a>
      <div class="gallery-title">
        <h1>${gallery.title}</h1><${StateBadge} state=${state}/>
        <p class="muted">${[client && client.name, gallery.shoot_date && date(gallery.shoot_date), t('event.' + gallery.event_type),
          gallery.expires_at && t('gallery.expires', { date: date(gallery.expires_at) })].filter(Boolean).join(' · ')}</p>
      </div>
      <div class="head-actions">
        ${gallery.status === 'archived'
          ? html`<button type="button" class="button" onClick=${restore}>${t('gallery.restore')}</button>`
          : html`<button type="button" class="button" onClick=${archive}>${t('gallery.archive')}</button>`}
        ${gallery.status === 'published'
          ? html`<button type="button" class="button" onClick=${unpublish}>${t('gallery.unpublish')}</button>`
          : gallery.status === 'draft' && html`<button type="button" class="button primary" onClick=${publish}>${t('gallery.publish')}</button>`}
      </div>
    </header>
    <nav class="tabs" aria-label=${t('gallery.sections')}>
      ${TABS.map(([name, icon]) => html`<a href=${`#/g/${id}/${name}`} class=${'tab' + (tab === name ? ' on' : '')}
        aria-current=${tab === name ? 'page' : undefined}><${Icon} name=${icon} size=${16}/>${t('tab.' + name)}</a>`)}
    </nav>
    <section class="tab-body">
      ${tab === 'photos' && html`<${PhotosTab} gallery=${gallery} onGallery=${setGallery}/>`}
      ${tab === 'share' && html`<${ShareTab} gallery=${gallery}/>`}
      ${tab === 'selections' && html`<${SelectionsTab} gallery=${gallery}/>`}
      ${tab === 'comments' && html`<${CommentsTab} gallery=${gallery}/>`}
      ${tab === 'activity' && html`<${ActivityTab} gallery=${gallery}/>`}
      ${tab === 'settings' && html`<${SettingsTab} gallery=${gallery} onSaved=${setGallery} onDeleted=${() => { location.hash = '#/galleries'; }}/>`}
    </section>
  </div>`;
}
