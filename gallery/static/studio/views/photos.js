import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { get, post, patch } from '../api.js';
import { t, number } from '../i18n.js';
import { html, Icon, Empty, Spinner, toast, toastError, confirmAction } from '../ui.js';
import { uploaderFor, filesFromDrop } from '../upload.js';
import { UploadPanel, InterruptedNote } from './uploads.js';
import { SetsPanel } from './sets.js';

const MIN_CELL = 170;
const GAP = 8;
const OVERSCAN = 3;

export function PhotosTab({ gallery, onGallery }) {
  const [photos, setPhotos] = useState(null);
  const [setFilter, setSetFilter] = useState('all');
  const [selected, setSelected] = useState(() => new Set());
  const [dropping, setDropping] = useState(false);
  const anchor = useRef(null);
  const uploader = uploaderFor(gallery.id);

  const load = () => get(`/galleries/${gallery.id}/photo-index`).then((index) => setPhotos(index.items)).catch(toastError);
  useEffect(() => { load(); }, [gallery.id]);
  useEffect(() => uploader.onIndex((changed) => setPhotos((list) => {
    const byId = new Map((list || []).map((p) => [p.id, p]));
    for (const p of changed) byId.set(p.id, p);
    return [...byId.values()].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1));
  })), [gallery.id]);

  const visible = useMemo(() => (photos || []).filter((p) => setFilter === 'all' || (setFilter === 'none' ? !p.set_id : p.set_id === setFilter)), [photos, setFilter]);
  const ids = visible.map((p) => p.id);
  const chosen = ids.filter((id) => selected.has(id));
  useEffect(() => { setSelected(new Set()); anchor.current = null; }, [setFilter]);

  const upload = (files, setId) => {
    if (!files.length) return;
    uploader.add(files, setId === undefined ? (setFilter !== 'all' && setFilter !== 'none' ? setFilter : null) : setId);
  };
  const onDrop = async (event, setId) => {
    event.preventDefault(); setDropping(false);
    if (event.dataTransfer.types.includes('Files')) upload(await filesFromDrop(event.dataTransfer), setId);
  };

  const bulk = async (action, extra = {}, message) => {
    try {
      const result = await post(`/galleries/${gallery.id}/photos/bulk`, { action, photo_ids: chosen, ...extra });
      toast(message || t('photos.done', { n: result.count }));
      if (action === 'delete') setSelected(new Set());
      await load();
      if (action === 'delete' && chosen.includes(gallery.cover_photo_id)) onGallery({ ...gallery, cover_photo_id: null });
    } catch (e) { toastError(e); }
  };
  const remove = async () => {
    if (await confirmAction({ title: t('photos.deleteTitle', { n: chosen.length }), message: t('photos.deleteText'), confirm: t('photos.delete') }))
      bulk('delete', {}, t('photos.deleted', { n: chosen.length }));
  };
  const makeCover = async () => {
    try { onGallery(await patch(`/galleries/${gallery.id}`, { cover_photo_id: chosen[0] })); toast(t('photos.coverSet')); } catch (e) { toastError(e); }
  };
  const sort = async (key) => {
    try { await post(`/galleries/${gallery.id}/photos/order`, { sort: key }); await load(); toast(t('photos.sorted')); } catch (e) { toastError(e); }
  };
  const moveBefore = async (before) => {
    const moving = ids.filter((id) => selected.has(id));
    if (!moving.length || moving.includes(before)) return;
    try { await post(`/galleries/${gallery.id}/photos/order`, { photo_ids: moving, before }); await load(); } catch (e) { toastError(e); }
  };
  const moveToSet = (setId) => bulk('move', { set_id: setId || null }, t('photos.moved', { n: chosen.length }));

  const anyHidden = chosen.some((id) => photos.find((p) => p.id === id).hidden_from_guests);

  return html`<div class="photos-layout"
      onDragOver=${(e) => { if (e.dataTransfer.types.includes('Files')) { e.preventDefault(); setDropping(true); } }}
      onDragLeave=${(e) => { if (!e.currentTarget.contains(e.relatedTarget)) setDropping(false); }}
      onDrop=${(e) => onDrop(e)}>
    <${SetsPanel} gallery=${gallery} photos=${photos || []} filter=${setFilter} onFilter=${setSetFilter} onGallery=${onGallery}
      onDropFiles=${onDrop} chosen=${chosen} onMovePhotos=${moveToSet}/>
    <div class="photos-main">
      <div class="toolbar" role="toolbar" aria-label=${t('photos.toolbar')}>
        ${chosen.length ? html`
          <button type="button" class="icon-button" onClick=${() => setSelected(new Set())} aria-label=${t('photos.clear')} title=${t('photos.clear')}><${Icon} name="x"/></button>
          <strong class="count">${t('photos.selected', { n: chosen.length })}</strong>
          <label class="visually-hidden" for="move-to">${t('photos.moveTo')}</label>
          <select id="move-to" class="compact" value="" onChange=${(e) => { if (e.target.value) moveToSet(e.target.value === '__none' ? null : e.target.value); e.target.value = ''; }}>
            <option value="">${t('photos.moveTo')}</option>
            ${gallery.sets.map((s) => html`<option value=${s.id}>${s.name}</option>`)}
            <option value="__none">${t('photos.noSet')}</option>
          </select>
          ${anyHidden
            ? html`<button type="button" class="button small" onClick=${() => bulk('show')}><${Icon} name="eye"/>${t('photos.show')}</button>`
            : html`<button type="button" class="button small" onClick=${() => bulk('hide')}><${Icon} name="eyeOff"/>${t('photos.hide')}</button>`}
          <button type="button" class="button small" disabled=${chosen.length !== 1} onClick=${makeCover}><${Icon} name="star"/>${t('photos.cover')}</button>
          <button type="button" class="button small danger-text" onClick=${remove}><${Icon} name="trash"/>${t('photos.delete')}</button>`
        : html`
          <span class="count muted">${photos ? t('photos.count', { n: visible.length }) : ''}</span>
          <label class="visually-hidden" for="order">${t('photos.order')}</label>
          <select id="order" class="compact" value="" onChange=${(e) => { if (e.target.value) sort(e.target.value); e.target.value = ''; }}>
            <option value="">${t('photos.order')}</option>
            <option value="taken_at">${t('photos.byTaken')}</option>
            <option value="filename">${t('photos.byName')}</option>
            <option value="uploaded">${t('photos.byUpload')}</option>
          </select>
          <span class="hint muted">${t('photos.dragHint')}</span>`}
        <span class="grow"></span>
        ${!chosen.length && html`<label class="button primary small file-button"><${Icon} name="upload"/>${t('photos.upload')}
          <input type="file" multiple accept="image/*,.heic,.heif,.tif,.tiff" onChange=${(e) => { upload([...e.target.files]); e.target.value = ''; }}/></label>
        <label class="button small file-button"><${Icon} name="folder"/>${t('photos.uploadFolder')}
          <input type="file" webkitdirectory multiple onChange=${(e) => { upload([...e.target.files]); e.target.value = ''; }}/></label>`}
      </div>
      <${InterruptedNote} uploader=${uploader}/>
      ${photos === null ? html`<div class="center"><${Spinner}/></div>`
        : visible.length === 0 ? html`<${Empty} icon="upload" title=${t('photos.emptyTitle')} text=${t('photos.emptyText')}/>`
        : html`<${Grid} photos=${visible} selected=${selected} setSelected=${setSelected} anchor=${anchor}
            cover=${gallery.cover_photo_id} onMoveBefore=${moveBefore} onDelete=${remove}/>`}
      ${dropping && html`<div class="drop-overlay" aria-hidden="true"><${Icon} name="upload" size=${48}/>
        <p>${setFilter !== 'all' && setFilter !== 'none' ? t('photos.dropSet', { set: (gallery.sets.find((s) => s.id === setFilter) || {}).name }) : t('photos.drop')}</p></div>`}
    </div>
    <${UploadPanel} uploader=${uploader}/>
  </div>`;
}

// A virtualised grid: only the rows in view (and a few around) are in the DOM, so 3,000+ photos scroll smoothly.
function Grid({ photos, selected, setSelected, anchor, cover, onMoveBefore, onDelete }) {
  const scroller = useRef();
  const [size, setSize] = useState({ width: 900, height: 600 });
  const [top, setTop] = useState(0);
  const [band, setBand] = useState(null);
  const [dropAt, setDropAt] = useState(null);
  const drag = useRef(null);
  const suppressClick = useRef(false);

  useLayoutEffect(() => {
    const element = scroller.current;
    const observer = new ResizeObserver(() => setSize({ width: element.clientWidth, height: element.clientHeight }));
    observer.observe(element);
    setSize({ width: element.clientWidth, height: element.clientHeight });
    return () => observer.disconnect();
  }, []);

  const columns = Math.max(2, Math.floor((size.width - 16 + GAP) / (MIN_CELL + GAP)));
  const cell = (size.width - 16 - GAP * (columns - 1)) / columns;
  const rowHeight = cell + GAP;
  const rows = Math.ceil(photos.length / columns);
  const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
  const last = Math.min(rows - 1, Math.ceil((top + size.height) / rowHeight) + OVERSCAN);
  const ids = photos.map((p) => p.id);

  const select = (index, event) => {
    if (suppressClick.current) { suppressClick.current = false; return; }
    const id = ids[index];
    const next = new Set(event.metaKey || event.ctrlKey || event.shiftKey ? selected : []);
    if (event.shiftKey && anchor.current !== null) {
      const [a, b] = [Math.min(anchor.current, index), Math.max(anchor.current, index)];
      for (let i = a; i <= b; i++) next.add(ids[i]);
    } else if (event.metaKey || event.ctrlKey || event.target.closest('.tick')) {
      const toggled = new Set(selected);
      if (toggled.has(id)) toggled.delete(id); else toggled.add(id);
      anchor.current = index;
      return setSelected(toggled);
    } else {
      next.add(id);
      anchor.current = index;
    }
    setSelected(next);
  };

  // Drag on the grid draws a rectangle; every photo it touches is selected (computed, so rows out of view count too).
  const point = (event) => {
    const box = scroller.current.getBoundingClientRect();
    return { x: event.clientX - box.left - 8, y: event.clientY - box.top + scroller.current.scrollTop - 8 };
  };
  const onPointerDown = (event) => {
    if (event.button !== 0 || event.pointerType === 'touch') return;
    const cellElement = event.target.closest('.cell');
    if (cellElement && selected.has(cellElement.dataset.id)) return; // a selected photo: native drag reorders
    drag.current = { start: point(event), base: event.metaKey || event.ctrlKey || event.shiftKey ? new Set(selected) : new Set(), moved: false };
  };
  const onPointerMove = (event) => {
    const state = drag.current;
    if (!state) return;
    const p = point(event);
    if (!state.moved && Math.hypot(p.x - state.start.x, p.y - state.start.y) < 6) return;
    if (!state.moved) { state.moved = true; scroller.current.setPointerCapture(event.pointerId); }
    const box = { x1: Math.min(state.start.x, p.x), y1: Math.min(state.start.y, p.y), x2: Math.max(state.start.x, p.x), y2: Math.max(state.start.y, p.y) };
    setBand(box);
    const next = new Set(state.base);
    // First and last column / row the rectangle touches; a start in the gap after a cell does not touch it.
    const from = (v, step) => { const i = Math.floor(v / step); return v - i * step > step - GAP ? i + 1 : i; };
    const c1 = Math.max(0, from(box.x1, cell + GAP)), c2 = Math.min(columns - 1, Math.floor(box.x2 / (cell + GAP)));
    const r1 = Math.max(0, from(box.y1, rowHeight)), r2 = Math.min(rows - 1, Math.floor(box.y2 / rowHeight));
    for (let r = r1; r <= r2; r++) for (let c = c1; c <= c2; c++) { const i = r * columns + c; if (i < ids.length) next.add(ids[i]); }
    setSelected(next);
    const edge = event.clientY - scroller.current.getBoundingClientRect().top;
    if (edge < 30) scroller.current.scrollTop -= 20; else if (edge > size.height - 30) scroller.current.scrollTop += 20;
  };
  const onPointerUp = () => {
    if (drag.current && drag.current.moved) suppressClick.current = true;
    drag.current = null; setBand(null);
    setTimeout(() => { suppressClick.current = false; }, 0);
  };

  const onKeyDown = (event) => {
    if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === 'a') { event.preventDefault(); setSelected(new Set(ids)); }
    else if (event.key === 'Escape') setSelected(new Set());
    else if ((event.key === 'Delete' || event.key === 'Backspace') && selected.size) { event.preventDefault(); onDelete(); }
  };

  const cells = [];
  for (let r = first; r <= last; r++) {
    for (let c = 0; c < columns; c++) {
      const index = r * columns + c;
      const p = photos[index];
      if (!p) break;
      const on = selected.has(p.id);
      cells.push(html`<div key=${p.id} class=${'cell' + (on ? ' on' : '') + (dropAt === p.id ? ' drop-before' : '') + ' ' + p.status}
          data-id=${p.id} role="option" aria-selected=${on} aria-posinset=${index + 1} aria-setsize=${photos.length}
          tabindex=${index === (anchor.current ?? 0) ? 0 : -1} aria-label=${p.filename}
          style=${`transform:translate(${c * (cell + GAP)}px,${r * rowHeight}px);width:${cell}px;height:${cell}px;${p.color ? 'background:' + p.color : ''}`}
          draggable=${on} onClick=${(e) => select(index, e)}
          onKeyDown=${(e) => { if (e.key === ' ' || e.key === 'Enter') { e.preventDefault(); select(index, { ...e, metaKey: true, target: e.target }); } }}
          onDragStart=${(e) => { e.dataTransfer.setData('application/x-studio-photos', [...selected].join(',')); e.dataTransfer.effectAllowed = 'move'; }}
          onDragOver=${(e) => { if (e.dataTransfer.types.includes('application/x-studio-photos')) { e.preventDefault(); setDropAt(p.id); } }}
          onDrop=${(e) => { if (e.dataTransfer.types.includes('application/x-studio-photos')) { e.preventDefault(); e.stopPropagation(); setDropAt(null); onMoveBefore(p.id); } }}>
        ${p.thumb_url && html`<img src=${p.thumb_url} alt="" draggable="false" loading="lazy" decoding="async" onError=${(e) => e.target.remove()}/>`}
        ${p.status !== 'ready' && html`<div class="cell-status">${p.status === 'failed' ? html`<${Icon} name="alert"/>` : html`<span class="spinner small" aria-hidden="true"></span>`}
          <span>${t('status.' + p.status)}</span>${p.failure_reason && html`<small>${p.failure_reason}</small>`}</div>`}
        <span class="tick" aria-hidden="true"><${Icon} name="check" size=${14}/></span>
        <span class="flags">${p.id === cover && html`<span class="flag" title=${t('photos.isCover')}><${Icon} name="star" size=${13} label=${t('photos.isCover')}/></span>`}
          ${p.hidden_from_guests && html`<span class="flag" title=${t('photos.isHidden')}><${Icon} name="eyeOff" size=${13} label=${t('photos.isHidden')}/></span>`}</span>
        <span class="name">${p.filename}</span>
      </div>`);
    }
  }

  return html`<div class="grid-scroll" ref=${scroller} onScroll=${(e) => setTop(e.currentTarget.scrollTop)}
      onPointerDown=${onPointerDown} onPointerMove=${onPointerMove} onPointerUp=${onPointerUp} onPointerCancel=${onPointerUp}
      onKeyDown=${onKeyDown} onDragEnd=${() => setDropAt(null)}>
    <div class="grid" role="listbox" aria-multiselectable="true" aria-label=${t('photos.grid')} style=${`height:${rows * rowHeight}px`}>
      ${cells}
      ${band && html`<div class="band" style=${`left:${band.x1}px;top:${band.y1}px;width:${band.x2 - band.x1}px;height:${band.y2 - band.y1}px`}></div>`}
    </div>
  </div>`;
}
