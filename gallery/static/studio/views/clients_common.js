// Small pieces the client screens share: their stylesheet, money, and a download through the API.
import { useEffect } from 'preact/hooks';
import { language } from '../i18n.js';

export function useClientStyles() {
  useEffect(() => {
    if (document.getElementById('clients-css')) return;
    const link = document.createElement('link');
    link.id = 'clients-css'; link.rel = 'stylesheet'; link.href = new URL('../clients.css', import.meta.url).href;
    document.head.append(link);
  }, []);
}

export function money(minor, currency) {
  if (!currency) return new Intl.NumberFormat(language()).format(minor / 100);
  return new Intl.NumberFormat(language(), { style: 'currency', currency }).format(minor / 100);
}

// Fetch a file from the API and hand it to the browser as a download (the session cookie goes along).
export async function download(path, fallbackName) {
  const response = await fetch('/api/v1' + path, { credentials: 'same-origin' });
  if (!response.ok) {
    let detail = `HTTP ${response.status}`;
    try { detail = (await response.json()).detail || detail; } catch (e) { /* not JSON */ }
    throw new Error(detail);
  }
  const disposition = response.headers.get('Content-Disposition') || '';
  const name = (/filename="?([^";]+)"?/.exec(disposition) || [])[1] || fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url; link.download = name; document.body.append(link); link.click(); link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
