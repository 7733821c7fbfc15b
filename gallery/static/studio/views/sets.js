import { useState } from 'preact/hooks';
import { get, post, patch, del } from '../api.js';
import { t, number } from '../i18n.js';
import { html, Icon, toast, toastError, confirmAction } from '../ui.js';

export function SetsPanel({ gallery, photos, filter, onFilter, onGallery, onDropFiles, chosen, onMovePhotos }) {
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState(null);
  const [over, setOver] = useState(null);
  const counts = {};
  for (const p of photos) counts[p.set_id || ''] = (counts[p.set_id || ''] || 0) + 1;
  const refresh = async () => onGallery(await get(`/galleries/${gallery.id}`));

  const create = async (event) => {
    event.preventDefault();
    const name = event.target.name.value.trim();
    if (!name) return;
    try { await post(`/galleries/${gallery.id}/sets`, { name }); setAdding(false); await refresh(); toast(t('sets.created')); } catch (e) { toastError(e); }
  };
  const rename = async (event, set) => {
    event.preventDefault();
    const name = event.target.name.value.trim();
    try { if (name && name !== set.name) await patch(`/galleries/${gallery.id}/sets/${set.id}`, { name }); setEditing(null); await refresh(); } catch (e) { toastError(e); }
  };
  const move = async (index, delta) => {
    const sets = [...gallery.sets];
    const [set] = sets.splice(index, 1);
    sets.splice(index + delta, 0, set);
    try {
      await Promise.all(sets.map((s, i) => (s.position !== i + 1 ? patch(`/galleries/${gallery.id}/sets/${s.id}`, { position: i + 1 }) : null)));
      await refresh();
    } catch (e) { toastError(e); }
  };
  const remove = async (set) => {
    if (!(await confirmAction({ title: t('sets.deleteTitle', { name: set.name }), message: t('sets.deleteText'), confirm: t('sets.delete') }))) return;
    try { await del(`/galleries/${gallery.id}/sets/${set.id}`); if (filter === set.id) onFilter('all'); await refresh(); } catch (e) { toastError(e); }
  };
  const dropProps = (setId) => ({
    onDragOver: (e) => {
      const types = e.dataTransfer.types;
      if (types.includes('Files') || (setId !== 'all' && types.includes('application/x-studio-photos'))) { e.preventDefault(); e.stopPropagation(); setOver(setId); }
    },
    onDragLeave: () => setOver(null),
    onDrop: (e) => {
      setOver(null);
      if (e.dataTransfer.types.includes('application/x-studio-photos')) { e.preventDefault(); e.stopPropagation(); onMovePhotos(setId === 'none' ? null : setId); return; }
      e.stopPropagation(); onDropFiles(e, setId === 'all' || setId === 'none' ? null : setId);
    },
  });

  return html`<aside class="sets" aria-label=${t('sets.title')}>
    <h2 class="sets-title">${t('sets.title')}</h2>
    <ul>
      <li class=${'set' + (filter === 'all' ? ' on' : '') + (over === 'all' ? ' over' : '')} ...${dropProps('all')}>
        <button type="button" class="set-name" aria-pressed=${filter === 'all'} onClick=${() => onFilter('all')}>
          ${t('sets.all')}<span class="n">${number(photos.length)}</span></button></li>
      ${gallery.sets.map((set, index) => html`<li key=${set.id} class=${'set' + (filter === set.id ? ' on' : '') + (over === set.id ? ' over' : '')} ...${dropProps(set.id)}>
        ${editing === set.id
          ? html`<form class="set-edit" onSubmit=${(e) => rename(e, set)}><label class="visually-hidden" for=${'rename-' + set.id}>${t('sets.rename')}</label>
              <input id=${'rename-' + set.id} name="name" defaultValue=${set.name} maxlength="120" autofocus onBlur=${(e) => e.target.form.requestSubmit()}/></form>`
          : html`<button type="button" class="set-name" aria-pressed=${filter === set.id} onClick=${() => onFilter(set.id)}
              onDblClick=${() => setEditing(set.id)}>${set.name}${set.hidden_from_guests ? html` <${Icon} name="eyeOff" size=${12}/>` : ''}<span class="n">${number(counts[set.id] || 0)}</span></button>`}
        <span class="set-actions">
          <button type="button" class="icon-button" disabled=${index === 0} onClick=${() => move(index, -1)} aria-label=${t('sets.up', { name: set.name })}><${Icon} name="up" size=${14}/></button>
          <button type="button" class="icon-button" disabled=${index === gallery.sets.length - 1} onClick=${() => move(index, 1)} aria-label=${t('sets.down', { name: set.name })}><${Icon} name="down" size=${14}/></button>
          <button type="button" class="icon-button" onClick=${() => setEditing(set.id)} aria-label=${t('sets.renameNamed', { name: set.name })}><${Icon} name="edit" size=${14}/></button>
          <button type="button" class="icon-button" onClick=${() => remove(set)} aria-label=${t('sets.deleteNamed', { name: set.name })}><${Icon} name="trash" size=${14}/></button>
        </span>
      </li>`)}
      ${counts[''] && gallery.sets.length ? html`<li class=${'set' + (filter === 'none' ? ' on' : '') + (over === 'none' ? ' over' : '')} ...${dropProps('none')}>
        <button type="button" class="set-name" aria-pressed=${filter === 'none'} onClick=${() => onFilter('none')}>${t('sets.none')}<span class="n">${number(counts[''])}</span></button></li>` : null}
    </ul>
    ${adding
      ? html`<form class="set-new" onSubmit=${create}><label class="visually-hidden" for="new-set">${t('sets.name')}</label>
          <input id="new-set" name="name" placeholder=${t('sets.name')} maxlength="120" autofocus/>
          <button type="submit" class="button small primary">${t('sets.add')}</button></form>`
      : html`<button type="button" class="button small ghost" onClick=${() => setAdding(true)}><${Icon} name="plus"/>${t('sets.new')}</button>`}
    ${chosen.length > 0 && html`<p class="hint muted">${t('sets.dropHint')}</p>`}
  </aside>`;
}
