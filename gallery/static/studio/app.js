// The studio: a hash-routed app on the public /api/v1 (no build step: ES modules, Preact + htm vendored).
import { useEffect, useState } from 'preact/hooks';
import { get, post, setCsrf, ApiError } from './api.js';
import { setLanguage, preferredLanguage, t, language } from './i18n.js';
import { html, render, Icon, ConfirmHost, ToastHost, Spinner, toastError } from './ui.js';
import { AuthView } from './views/auth.js';
import { GalleriesView } from './views/galleries.js';
import { GalleryView } from './views/gallery.js';
import { AccountView } from './views/account.js';

function parseRoute() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return { name: parts[0] || 'galleries', parts };
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
    if (route.name === 'login' || route.name === 'signup') navigate('galleries');
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
    let main;
    if (route.name === 'g' && route.parts[1]) main = html`<${GalleryView} key=${route.parts[1]} id=${route.parts[1]} tab=${route.parts[2] || 'photos'} me=${me}/>`;
    else if (route.name === 'account') main = html`<${AccountView} me=${me} onChange=${setMe} onLanguage=${changeLanguage}/>`;
    else main = html`<${GalleriesView} me=${me}/>`;
    body = html`<div class="shell">
      <nav class="sidebar" aria-label=${t('nav.main')}>
        <a class="brand" href="#/galleries"><span class="brand-mark" aria-hidden="true">${(me.studio_name || 'S').slice(0, 1)}</span>
          <span class="brand-name">${me.studio_name}</span></a>
        <a class=${'nav-item' + (route.name === 'galleries' || route.name === 'g' ? ' active' : '')} href="#/galleries"
          aria-current=${route.name === 'galleries' ? 'page' : undefined}><${Icon} name="galleries"/><span>${t('nav.galleries')}</span></a>
        <a class=${'nav-item' + (route.name === 'account' ? ' active' : '')} href="#/account"
          aria-current=${route.name === 'account' ? 'page' : undefined}><${Icon} name="user"/><span>${t('nav.account')}</span></a>
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
