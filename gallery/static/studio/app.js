// The studio: a hash-routed app on the public /api/v1 (no build step: ES modules, Preact + htm vendored).
import { useEffect, useState } from 'preact/hooks';
import { get, post, setCsrf, ApiError } from './api.js';
import { setLanguage, preferredLanguage, t, language } from './i18n.js';
import { html, render, Icon, ConfirmHost, ToastHost, Spinner, toastError } from './ui.js';
import { AuthView } from './views/auth.js';
import { GalleriesView } from './views/galleries.js';
import { GalleryView } from './views/gallery.js';
import { AccountView } from './views/account.js';
import { HomeView } from './views/home.js';
import { MessagesView } from './views/messages.js';
import { StoreView } from './views/store.js';
import { ClientsView } from './views/clients.js';
import { BrandView } from './views/brand.js';
import { LoyaltyView } from './views/loyalty.js';
import { MetricsView } from './views/metrics.js';

// The sidebar's sections, one line each: the route name, its icon, its label's key, and the view.
// `props` are what the view gets besides `me` and `parts` (the route's path segments).
const SECTIONS = [
  { name: 'home', icon: 'check', label: 'nav.home', view: HomeView },
  { name: 'galleries', icon: 'galleries', label: 'nav.galleries', view: GalleriesView },
  { name: 'clients', icon: 'people', label: 'nav.clients', view: ClientsView },
  { name: 'messages', icon: 'chat', label: 'nav.messages', view: MessagesView },
  { name: 'loyalty', icon: 'star', label: 'nav.loyalty', view: LoyaltyView },
  { name: 'metrics', icon: 'activity', label: 'nav.metrics', view: MetricsView },
  { name: 'store', icon: 'cart', label: 'store.nav', view: StoreView },
  { name: 'brand', icon: 'palette', label: 'nav.brand', view: BrandView, props: 'account' },
  { name: 'account', icon: 'user', label: 'nav.account', view: AccountView, props: 'account' },
];

function parseRoute() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return { name: parts[0] || SECTIONS[0].name, parts };
}

export function navigate(path) { location.hash = '#/' + path; }

function App() {
  const [route, setRoute] = useState(parseRoute());
  const [me, setMe] = useState(undefined);
  const [, setLang] = useState(language());

  useEffect(() => {
    const onHash = () => setRoute(parseRoute());
    addEventListener('hashchange', onHash);
    get('/me').then(setMe).catch((error) => {
      if (error instanceof ApiError && error.status === 401) setMe(null); else { setMe(null); toastError(error); }
    });
    return () => removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => { document.title = t('app.title') + (me ? ' · ' + me.studio_name : ''); });

  const changeLanguage = async (code) => { await setLanguage(code); setLang(code); };
  const signedIn = (session) => {
    setCsrf(session.csrf_token);
    setMe(session.photographer);
    const wanted = session.photographer.locale;
    if (wanted && wanted !== language() && wanted.length === 2) changeLanguage(wanted);
    if (route.name === 'login' || route.name === 'signup') navigate(SECTIONS[0].name);
  };
  const logout = async () => {
    try { await post('/auth/logout'); } catch (e) { /* the session is gone either way */ }
    setCsrf(null); setMe(null); navigate('login');
  };

  let body;
  if (me === undefined) body = html`<div class="boot"><${Spinner}/></div>`;
  else if (me === null || route.name === 'login' || route.name === 'signup') {
    body = html`<${AuthView} mode=${route.name === 'signup' ? 'signup' : 'login'} onSignedIn=${signedIn}
      onLanguage=${changeLanguage}/>`;
  } else {
    const section = SECTIONS.find((item) => item.name === route.name) || SECTIONS[0];
    const extra = section.props === 'account' ? { onChange: setMe, onLanguage: changeLanguage } : {};
    const main = route.name === 'g' && route.parts[1]
      ? html`<${GalleryView} key=${route.parts[1]} id=${route.parts[1]} tab=${route.parts[2] || 'photos'} me=${me}/>`
      : html`<${section.view} key=${section.name} me=${me} parts=${route.parts} ...${extra}/>`;
    const current = route.name === 'g' ? 'galleries' : section.name;
    body = html`<div class="shell">
      <nav class="sidebar" aria-label=${t('nav.main')}>
        <a class="brand" href="#/galleries"><span class="brand-mark" aria-hidden="true">${(me.studio_name || 'S').slice(0, 1)}</span>
          <span class="brand-name">${me.studio_name}</span></a>
        ${SECTIONS.map((item) => html`<a class=${'nav-item' + (current === item.name ? ' active' : '')}
          href=${'#/' + item.name} aria-current=${current === item.name ? 'page' : undefined}>
          <${Icon} name=${item.icon}/><span>${t(item.label)}</span></a>`)}
        <div class="nav-spacer"></div>
        <button type="button" class="nav-item" onClick=${logout}><${Icon} name="logout"/><span>${t('nav.logout')}</span></button>
      </nav>
      <main class="main" id="main">${main}</main>
    </div>`;
  }
  return html`${body}<${ConfirmHost}/><${ToastHost}/>`;
}

await setLanguage(preferredLanguage());
const root = document.getElementById('app');
root.textContent = '';
render(html`<${App}/>`, root);
