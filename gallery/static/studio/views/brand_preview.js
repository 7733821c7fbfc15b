// A live preview of the client page with the studio's brand: the page's own stylesheet and markup (as
// templates/page/base.html and gallery.html write them) in a sandboxed frame, with the accent the server
// says clients will see (GET /brand/accent: the one readability rule, never recomputed here).
import { useMemo } from 'preact/hooks';
import { t } from '../i18n.js';
import { html } from '../ui.js';

const LABELS = { instagram: 'Instagram', facebook: 'Facebook', pinterest: 'Pinterest', tiktok: 'TikTok', youtube: 'YouTube', vimeo: 'Vimeo', linkedin: 'LinkedIn' };
export const NETWORKS = Object.keys(LABELS);
const STYLESHEET = (document.getElementById('app').dataset.static || '/static/') + 'page/gallery.css';
const TILES = ['#c9b9a6', '#8f9a8c', '#d8cfc4', '#6f7d86', '#b49a86', '#a7b3a0', '#e2d6c8', '#7e8a80'];

const esc = (text) => String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const isWeb = (url) => /^https?:\/\/[^\s/]+/i.test(url || '');
const hex = (value) => (/^#[0-9a-f]{6}$/i.test(value || '') ? value : '#8a3b12');

function page({ studio, logo, accent, email, phone, website, socials, words }) {
  const name = esc(studio);
  const mark = logo ? `<img class="studio-logo" src="${esc(logo)}" alt="${name}" height="36">` : name;
  const contact = [
    phone && `<li><a>${esc(phone)}</a></li>`,
    email && `<li><a>${esc(email)}</a></li>`,
    isWeb(website) && `<li><a>${esc(website.replace(/^https?:\/\/(www\.)?/i, '').replace(/\/$/, ''))}</a></li>`,
    ...socials.map((network) => `<li><a>${LABELS[network]}</a></li>`),
  ].filter(Boolean).join('');
  const tiles = TILES.map((colour) => `<div style="aspect-ratio:1;background:${colour}"></div>`).join('');
  return `<!doctype html><html lang="${esc(words.lang)}"><head><meta charset="utf-8">
<link rel="stylesheet" href="${esc(STYLESHEET)}">
<style>:root{--accent:${hex(accent)};--accent-ink:#ffffff}body{pointer-events:none}</style></head><body>
<header class="topbar"><span class="studio">${mark}</span></header>
<section class="hero hero-plain"><div class="hero-text" style="padding:16px 18px"><h1>Kari &amp; Ola</h1>
<p class="hero-meta">2026-06-20 · ${name}</p></div></section>
<div class="toolbar"><button class="button primary small" type="button" tabindex="-1">${esc(words.favourites)}</button>
<button class="button small" type="button" tabindex="-1">${esc(words.download)}</button></div>
<div style="display:grid;grid-template-columns:repeat(4,1fr);gap:4px;padding:0 4px">${tiles}</div>
<p class="panel" style="margin:12px auto"><a>${esc(words.link)}</a></p>
<footer class="studio-footer" style="margin-top:12px"><p class="studio-footer-name">${logo ? `<img class="studio-logo" src="${esc(logo)}" alt="" height="40"> ` : ''}${name}</p>
<ul class="contact">${contact}</ul></footer></body></html>`;
}

export function BrandPreview({ values, accent, logo, fallbackEmail }) {
  const words = { lang: document.documentElement.lang, favourites: t('brand.previewFavourites'), download: t('brand.previewDownload'), link: t('brand.previewLink') };
  const socials = NETWORKS.filter((network) => (values[network] || '').trim());
  const source = useMemo(() => page({
    studio: values.studio_name, logo, accent, email: values.contact_email || fallbackEmail, phone: values.contact_phone,
    website: values.website, socials, words,
  }), [values, accent, logo, fallbackEmail, words.lang]);
  return html`<figure class="brand-preview">
    <iframe title=${t('brand.previewTitle')} srcdoc=${source} sandbox="allow-same-origin"></iframe>
    <figcaption class="muted small">${t('brand.previewCaption')}</figcaption>
  </figure>`;
}
