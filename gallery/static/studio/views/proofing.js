import { useEffect, useState } from 'preact/hooks';
import { get, post, del, query } from '../api.js';
import { t, dateTime, ago, number } from '../i18n.js';
import { html, Icon, Empty, Spinner, copyText, toast, toastError, confirmAction } from '../ui.js';

function usePhotoMap(galleryId) {
  const [map, setMap] = useState({});
  useEffect(() => { get(`/galleries/${galleryId}/photo-index`).then((i) => setMap(Object.fromEntries(i.items.map((p) => [p.id, p])))).catch(() => {}); }, [galleryId]);
  return map;
}

function Thumbs({ photos, map }) {
  return html`<ul class="thumbs">${photos.map((p) => {
    const photo = map[p.photo_id] || {};
    return html`<li key=${p.photo_id}><figure>
      <div class="thumb" style=${photo.color ? 'background:' + photo.color : ''}>${photo.thumb_url && html`<img src=${photo.thumb_url} alt="" loading="lazy" onError=${(e) => e.target.remove()}/>`}</div>
      <figcaption><span class="fname">${p.filename}</span>${p.note && html`<q class="note">${p.note}</q>`}</figcaption></figure></li>`;
  })}</ul>`;
}

const who = (visitor) => (visitor ? visitor.name || visitor.email : t('proofing.anonymous'));

export function SelectionsTab({ gallery }) {
  const [selections, setSelections] = useState(null);
  const [lists, setLists] = useState(null);
  const map = usePhotoMap(gallery.id);
  const load = () => Promise.all([get(`/galleries/${gallery.id}/selections`), get(`/galleries/${gallery.id}/favourite-lists`)])
    .then(([s, f]) => { setSelections(s.items); setLists(f.items); }).catch(toastError);
  useEffect(() => { load(); }, [gallery.id]);
  const reopen = async (selection) => {
    if (!(await confirmAction({ title: t('proofing.reopenTitle'), message: t('proofing.reopenText', { name: who(selection.visitor) }), confirm: t('proofing.reopen'), danger: false }))) return;
    try { await post(`/galleries/${gallery.id}/selections/${selection.id}/reopen`); toast(t('proofing.reopened')); load(); } catch (e) { toastError(e); }
  };
  const acknowledge = async (selection) => {
    try { await post(`/galleries/${gallery.id}/selections/${selection.id}/acknowledge`); toast(t('home.selection.handled')); load(); } catch (e) { toastError(e); }
  };
  if (selections === null) return html`<${Spinner}/>`;
  const open = lists.filter((l) => !l.selection_status && l.count);
  return html`<div class="proofing">
    <h2>${t('proofing.selections')}</h2>
    ${selections.length === 0 ? html`<${Empty} icon="heart" title=${t('proofing.noSelections')} text=${t('proofing.noSelectionsText')}/>`
      : selections.map((s) => html`<article class="panel selection" key=${s.id}>
        <header class="selection-head">
          <div><h3>${who(s.visitor)} <span class="muted">· ${s.list_is_default ? t('proofing.defaultList') : s.list_name}</span></h3>
            <p class="muted">${t('proofing.submitted', { date: dateTime(s.submitted_at) })} · ${gallery.selection_limit
              ? t('proofing.countOf', { n: s.count, limit: gallery.selection_limit }) : t('proofing.count', { n: s.count })}
              ${s.status === 'reopened' && html` · <span class="badge state-expiring">${t('proofing.isReopened')}</span>`}
              ${s.awaiting_photographer && html` · <span class="badge state-published">${t('home.selection.new')}</span>`}</p></div>
          <div class="head-actions">
            <button type="button" class="button primary small" onClick=${() => copyText(s.filter_text)}><${Icon} name="copy"/>${t('proofing.copyFilter')}</button>
            ${s.awaiting_photographer && html`<button type="button" class="button small" onClick=${() => acknowledge(s)}><${Icon} name="check"/>${t('home.selection.done')}</button>`}
            ${s.status === 'submitted' && html`<button type="button" class="button small" onClick=${() => reopen(s)}>${t('proofing.reopen')}</button>`}
          </div>
        </header>
        ${s.note && html`<blockquote class="client-note">${s.note}</blockquote>`}
        <details><summary>${t('proofing.filterString')}</summary><code class="filter">${s.filter_text}</code></details>
        <${Thumbs} photos=${s.photos} map=${map}/>
      </article>`)}
    <h2>${t('proofing.favourites')}</h2>
    ${open.length === 0 ? html`<p class="muted">${t('proofing.noFavourites')}</p>`
      : open.map((l) => html`<article class="panel" key=${l.id}>
        <header class="selection-head"><div><h3>${who(l.visitor)} <span class="muted">· ${l.is_default ? t('proofing.defaultList') : l.name}</span></h3>
          <p class="muted">${t('proofing.count', { n: l.count })} · ${t('proofing.updated', { when: ago(l.updated_at) })}</p></div>
          <button type="button" class="button small" onClick=${() => copyText(l.photos.map((p) => p.filename.replace(/\.[^.]+$/, '')).join(', '))}><${Icon} name="copy"/>${t('proofing.copyFilter')}</button></header>
        <${Thumbs} photos=${l.photos} map=${map}/></article>`)}
  </div>`;
}

export function CommentsTab({ gallery }) {
  const [comments, setComments] = useState(null);
  const [replies, setReplies] = useState({});
  const [unanswered, setUnanswered] = useState(false);
  const map = usePhotoMap(gallery.id);
  const load = async () => {
    try {
      const c = await get(`/galleries/${gallery.id}/comments?limit=200`);
      const lists = await Promise.all(c.items.map((comment) => get(`/galleries/${gallery.id}/comments/${comment.id}/replies`)));
      const grouped = {};
      c.items.forEach((comment, i) => { if (lists[i].items.length) grouped[comment.id] = lists[i].items; });
      setComments(c.items); setReplies(grouped);
    } catch (e) { toastError(e); }
  };
  useEffect(() => { load(); }, [gallery.id]);
  const send = async (event, comment) => {
    event.preventDefault();
    const body = event.target.body.value.trim();
    if (!body) return;
    try { await post(`/galleries/${gallery.id}/comments/${comment.id}/replies`, { body }); event.target.reset(); toast(t('comments.sent')); load(); } catch (e) { toastError(e); }
  };
  const unsend = async (reply, comment) => { try { await del(`/galleries/${gallery.id}/comments/${comment.id}/replies/${reply.id}`); load(); } catch (e) { toastError(e); } };
  if (comments === null) return html`<${Spinner}/>`;
  const shown = unanswered ? comments.filter((c) => !replies[c.id]) : comments;
  const open = comments.filter((c) => !replies[c.id]).length;
  return html`<div class="comments">
    <div class="section-head"><h2>${t('comments.title')}</h2>
      <label class="check"><input type="checkbox" checked=${unanswered} onChange=${(e) => setUnanswered(e.target.checked)}/> ${t('comments.unanswered', { n: open })}</label></div>
    ${shown.length === 0 ? html`<${Empty} icon="chat" title=${t('comments.none')}/>` : html`<ul class="inbox">${shown.map((c) => {
      const photo = map[c.photo_id] || {};
      return html`<li class="panel comment" key=${c.id}>
        <div class="thumb small" style=${photo.color ? 'background:' + photo.color : ''}>${photo.thumb_url && html`<img src=${photo.thumb_url} alt=${c.filename} onError=${(e) => e.target.remove()}/>`}</div>
        <div class="comment-body">
          <p class="muted small"><strong>${who(c.visitor)}</strong> · ${c.filename} · <time datetime=${c.created_at}>${ago(c.created_at)}</time></p>
          <p>${c.body}</p>
          ${(replies[c.id] || []).map((r) => html`<div class="reply" key=${r.id}><p><span class="badge">${t('comments.you')}</span> ${r.body}</p>
            <p class="muted small">${ago(r.created_at)} · <button type="button" class="linkish" onClick=${() => unsend(r, c)}>${t('comments.deleteReply')}</button></p></div>`)}
          <form class="reply-form" onSubmit=${(e) => send(e, c)}>
            <label class="visually-hidden" for=${'reply-' + c.id}>${t('comments.replyTo', { name: who(c.visitor) })}</label>
            <input id=${'reply-' + c.id} name="body" maxlength="2000" placeholder=${t('comments.replyPlaceholder')}/>
            <button type="submit" class="button small">${t('comments.reply')}</button></form>
        </div></li>`;
    })}</ul>`}
  </div>`;
}

const KIND_ICONS = { gallery_viewed: 'eye', photo_viewed: 'image', favourited: 'heart', unfavourited: 'heart', selection_submitted: 'check',
  selection_reopened: 'edit', downloaded: 'down', zip_downloaded: 'down', shared: 'share', order_placed: 'list', order_paid: 'list',
  commented: 'chat', visitor_identified: 'user', gallery_published: 'galleries' };

export function ActivityTab({ gallery }) {
  const [events, setEvents] = useState(null);
  const [cursor, setCursor] = useState(null);
  const load = async (more) => {
    try {
      const page = await get(`/galleries/${gallery.id}/activity` + query({ limit: 100, cursor: more ? cursor : null }));
      setEvents((old) => (more ? [...old, ...page.items] : page.items)); setCursor(page.next_cursor);
    } catch (e) { toastError(e); }
  };
  useEffect(() => { load(); }, [gallery.id]);
  const exportCsv = async () => {
    const response = await fetch(`/api/v1/galleries/${gallery.id}/activity`, { headers: { Accept: 'text/csv' }, credentials: 'same-origin' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await response.blob()); link.download = `activity-${gallery.slug}.csv`; link.click();
  };
  if (events === null) return html`<${Spinner}/>`;
  return html`<div class="activity">
    <div class="section-head"><h2>${t('activity.title')}</h2>
      <button type="button" class="button small" onClick=${exportCsv}>${t('activity.export')}</button></div>
    ${events.length === 0 ? html`<${Empty} icon="activity" title=${t('activity.none')}/>` : html`<ol class="timeline">${events.map((e) => html`<li key=${e.id}>
      <span class="dot"><${Icon} name=${KIND_ICONS[e.kind] || 'activity'} size=${14}/></span>
      <p>${e.actor === 'studio' ? t('kind.studio.' + e.kind)
        : html`<strong>${e.visitor_name || e.visitor_email || t('proofing.anonymous')}</strong> ${t('kind.' + e.kind)}`}${e.photo_filename ? html` <span class="fname">${e.photo_filename}</span>` : ''}</p>
      <time class="muted small" datetime=${e.ts} title=${dateTime(e.ts)}>${ago(e.ts)}</time></li>`)}</ol>`}
    ${cursor && html`<button type="button" class="button" onClick=${() => load(true)}>${t('common.more')}</button>`}
  </div>`;
}
