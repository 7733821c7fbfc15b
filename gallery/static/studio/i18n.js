// Studio strings: JSON catalogs per language under i18n/ (the core in i18n/<lang>.json, each area of the
// studio in i18n/<area>/<lang>.json, merged at load), plural forms by Intl.PluralRules.
export const LANGUAGES = { en: 'English', nb: 'Norsk bokmål', pl: 'Polski', hr: 'Hrvatski', id: 'Bahasa Indonesia' };
// One line per area: an area's screens own their catalog, so keys never collide across areas (tests/studio/test_i18n.py).
export const AREAS = [
  'home',
  'messages',
  'store',
  'clients',
  'settings',
  'loyalty',
];
let lang = 'en';
let catalog = {};
let fallback = {};
const base = new URL('./i18n/', import.meta.url);

async function fetchCatalog(code) {
  const paths = [code + '.json', ...AREAS.map((area) => `${area}/${code}.json`)];
  const parts = await Promise.all(paths.map(async (path) => (await fetch(new URL(path, base))).json()));
  return Object.assign({}, ...parts);
}

export async function setLanguage(code) {
  if (!LANGUAGES[code]) code = 'en';
  if (!Object.keys(fallback).length) fallback = await fetchCatalog('en');
  catalog = code === 'en' ? fallback : await fetchCatalog(code);
  lang = code;
  document.documentElement.lang = code;
  document.cookie = `studio_lang=${code}; path=/studio; max-age=31536000; samesite=lax`;
  try { localStorage.setItem('studio.lang', code); } catch (e) { /* private mode */ }
}

export function language() { return lang; }

export function preferredLanguage() {
  let stored = null;
  try { stored = localStorage.getItem('studio.lang'); } catch (e) { /* private mode */ }
  if (stored && LANGUAGES[stored]) return stored;
  const page = document.documentElement.lang;
  return LANGUAGES[page] ? page : 'en';
}

export function t(key, params = {}) {
  let value = catalog[key] ?? fallback[key] ?? key;
  if (typeof value === 'object') {
    const form = new Intl.PluralRules(lang).select(Number(params.n ?? 0));
    value = value[form] ?? value.other;
  }
  return value.replace(/\{(\w+)\}/g, (match, name) => {
    if (!(name in params)) return match;
    const param = params[name];
    return typeof param === 'number' ? number(param) : String(param);
  });
}

export const number = (n, options) => new Intl.NumberFormat(lang, options).format(n);

export function bytes(n) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
  return `${number(n, { maximumFractionDigits: n < 10 && i ? 1 : 0 })} ${units[i]}`;
}

export function date(value, options = { dateStyle: 'medium' }) {
  if (!value) return '';
  const d = typeof value === 'string' && value.length === 10 ? new Date(value + 'T12:00:00') : new Date(value);
  return new Intl.DateTimeFormat(lang, options).format(d);
}

export const dateTime = (value) => date(value, { dateStyle: 'medium', timeStyle: 'short' });

export function ago(value) {
  const seconds = (new Date(value).getTime() - Date.now()) / 1000;
  const format = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  const steps = [[60, 'second'], [3600, 'minute'], [86400, 'hour'], [604800, 'day'], [2629800, 'week'], [31557600, 'month'], [Infinity, 'year']];
  let unit = 'second', divisor = 1;
  for (const [limit, name] of steps) {
    if (Math.abs(seconds) < limit) { unit = name; break; }
    divisor = limit;
  }
  return format.format(Math.round(seconds / divisor), unit);
}

export function duration(seconds) {
  if (!isFinite(seconds)) return '–';
  if (seconds < 60) return t('time.seconds', { n: Math.max(1, Math.round(seconds)) });
  if (seconds < 3600) return t('time.minutes', { n: Math.round(seconds / 60) });
  return t('time.hours', { n: Math.round(seconds / 360) / 10 });
}
