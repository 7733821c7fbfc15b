// The galleries selling from a price sheet, and a gallery put on sale with it (PATCH /galleries/<id>).
import { useEffect, useState } from 'preact/hooks';
import { get, patch } from '../api.js';
import { t } from '../i18n.js';
import { html, toast, toastError } from '../ui.js';

export function SheetGalleries({ sheetId }) {
  const [galleries, setGalleries] = useState(null);
  const [pick, setPick] = useState('');
  useEffect(() => { get('/galleries?limit=200').then((page) => setGalleries(page.items)).catch(() => setGalleries([])); }, [sheetId]);
  if (!galleries) return null;
  const selling = galleries.filter((g) => g.price_sheet_id === sheetId);
  const others = galleries.filter((g) => g.price_sheet_id !== sheetId && g.status !== 'archived');
  const assign = async (id, value) => {
    try {
      const saved = await patch(`/galleries/${id}`, { price_sheet_id: value });
      setGalleries((list) => list.map((g) => (g.id === id ? saved : g))); setPick('');
      toast(value ? t('store.sheets.assigned', { title: saved.title }) : t('store.sheets.unassigned', { title: saved.title }));
    } catch (e) { toastError(e); }
  };
  return html`<section class="panel"><h2>${t('store.sheets.galleries')}</h2>
    ${selling.length ? html`<ul class="plain-list">${selling.map((g) => html`<li key=${g.id}>
        <a href=${`#/g/${g.id}/settings`}>${g.title}</a>
        <button type="button" class="button small" onClick=${() => assign(g.id, null)}>${t('store.sheets.stopSelling')}</button></li>`)}</ul>`
      : html`<p class="muted">${t('store.sheets.noGalleries')}</p>`}
    ${others.length > 0 && html`<div class="row assign">
      <label for="ps-assign" class="visually-hidden">${t('store.sheets.assignLabel')}</label>
      <select id="ps-assign" value=${pick} onChange=${(e) => setPick(e.target.value)}>
        <option value="">${t('store.sheets.assignLabel')}</option>
        ${others.map((g) => html`<option value=${g.id}>${g.title}</option>`)}</select>
      <button type="button" class="button" disabled=${!pick} onClick=${() => assign(pick, sheetId)}>${t('store.sheets.assign')}</button></div>`}
  </section>`;
}
