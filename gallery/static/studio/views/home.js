// Home: what needs the photographer now (GET /api/v1/inbox), each kind with its count and first items, each
// item a click away from acting on it. The item rows and their actions live in home_items.js.
import { useEffect, useState } from 'preact/hooks';
import { get, query } from '../api.js';
import { t } from '../i18n.js';
import { html, Icon, Spinner, toastError } from '../ui.js';
import { SelectionItem, CommentItem, OrderItem, ExpiringItem, FollowUpItem, FailedMailItem } from './home_items.js';

// The home's own styles, beside its modules (the page's CSP allows same-origin style sheets).
if (!document.getElementById('home-css')) {
  const sheet = Object.assign(document.createElement('link'), { id: 'home-css', rel: 'stylesheet', href: new URL('./home.css', import.meta.url).href });
  document.head.append(sheet);
}

// One line per kind, in the order the photographer meets them: the API's key, icon, heading key, item row.
const KINDS = [
  { key: 'selections', icon: 'heart', item: SelectionItem },
  { key: 'comments', icon: 'chat', item: CommentItem },
  { key: 'orders', icon: 'list', item: OrderItem },
  { key: 'expiring', icon: 'clock', item: ExpiringItem },
  { key: 'followups', icon: 'star', item: FollowUpItem },
  { key: 'failed_mail', icon: 'alert', item: FailedMailItem },
];
const FIRST = 5;
const ALL = 50;

export function HomeView({ me }) {
  const [inbox, setInbox] = useState(null);
  const [wide, setWide] = useState({}); // kinds the photographer asked to see in full
  const load = async (limits = wide) => {
    try {
      const limit = Object.values(limits).some(Boolean) ? ALL : FIRST;
      setInbox(await get('/inbox' + query({ limit })));
    } catch (e) { toastError(e); setInbox((old) => old || { total: 0 }); }
  };
  useEffect(() => { load(); }, []);
  const showAll = (key) => { const next = { ...wide, [key]: true }; setWide(next); load(next); };

  if (inbox === null) return html`<div class="center"><${Spinner}/></div>`;
  const waiting = KINDS.filter((kind) => inbox[kind.key] && inbox[kind.key].count);
  const quiet = KINDS.filter((kind) => !(inbox[kind.key] && inbox[kind.key].count));
  return html`<div class="page home">
    <header class="page-head">
      <div><h1>${t('home.title')}</h1>
        <p class="muted">${inbox.total ? t('home.waiting', { n: inbox.total }) : t('home.allDone', { studio: me.studio_name })}</p></div>
      <button type="button" class="button" onClick=${() => load()}><${Icon} name="activity"/>${t('home.refresh')}</button>
    </header>
    <nav class="home-tally" aria-label=${t('home.summary')}>
      ${KINDS.map((kind) => {
        const count = inbox[kind.key] ? inbox[kind.key].count : 0;
        const inside = html`<${Icon} name=${kind.icon}/><strong>${count}</strong><span>${t('home.kind.' + kind.key)}</span>`;
        if (!count) return html`<div class="tally" key=${kind.key}>${inside}</div>`;
        return html`<a class="tally on" href=${'#home-' + kind.key} key=${kind.key}
          onClick=${(e) => { e.preventDefault(); document.getElementById('home-' + kind.key).scrollIntoView({ block: 'start' }); }}>${inside}</a>`;
      })}
    </nav>
    ${waiting.length === 0 && html`<div class="empty home-done"><${Icon} name="check" size=${40}/><h2>${t('home.nothing')}</h2>
      <p>${t('home.nothingText')}</p><a class="button" href="#/galleries">${t('home.toGalleries')}</a></div>`}
    <div class="home-sections">
      ${waiting.map((kind) => {
        const section = inbox[kind.key];
        const Item = kind.item;
        return html`<section class="panel home-section" id=${'home-' + kind.key} key=${kind.key} aria-labelledby=${'home-h-' + kind.key}>
          <h2 id=${'home-h-' + kind.key}><${Icon} name=${kind.icon}/>${t('home.kind.' + kind.key)} <span class="count">${section.count}</span></h2>
          <p class="muted small">${t('home.hint.' + kind.key)}</p>
          <ul class="home-items">${section.items.map((item) => html`<li key=${item.id}><${Item} item=${item} me=${me} onDone=${() => load()}/></li>`)}</ul>
          ${section.count > section.items.length && html`<button type="button" class="button small ghost" onClick=${() => showAll(kind.key)}>
            ${t('home.showAll', { n: section.count })}</button>`}
        </section>`;
      })}
    </div>
    ${waiting.length > 0 && quiet.length > 0 && html`<p class="muted home-quiet"><${Icon} name="check" size=${14}/>
      ${t('home.quiet', { kinds: quiet.map((kind) => t('home.kind.' + kind.key)).join(', ') })}</p>`}
  </div>`;
}
