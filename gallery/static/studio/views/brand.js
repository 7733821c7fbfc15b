// Brand (#/brand): what clients see of the studio, on the client page and in every mail: logo, accent colour
// (with the readability the server judges), name, contact, social links and the sender name of mail.
// Saved through PATCH /me (merged key by key) and PUT/DELETE /me/logo; clients see it on their next load.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, get, patch, del, query } from '../api.js';
import { t, number } from '../i18n.js';
import { html, Field, Icon, Spinner, fieldErrors, toast, toastError, confirmAction } from '../ui.js';
import { BrandPreview, NETWORKS } from './brand_preview.js';

const TEXT_FIELDS = ['sender_name', 'contact_email', 'contact_phone', 'website'];
const HEX = /^#[0-9a-f]{6}$/i;

function initial(me) {
  const branding = me.branding || {};
  const values = { studio_name: me.studio_name, accent_color: branding.accent_color || '' };
  for (const name of [...TEXT_FIELDS, ...NETWORKS]) values[name] = branding[name] || '';
  return values;
}

// The server's verdict on an accent colour, asked again (after a pause) whenever the colour changes.
function useAccent(colour) {
  const [report, setReport] = useState(null);
  useEffect(() => {
    if (!HEX.test(colour)) { setReport(null); return undefined; }
    const controller = new AbortController();
    const timer = setTimeout(() => get('/brand/accent' + query({ colour }), { signal: controller.signal })
      .then(setReport).catch((e) => { if (e.name !== 'AbortError') toastError(e); }), 150);
    return () => { clearTimeout(timer); controller.abort(); };
  }, [colour]);
  return report;
}

export function BrandView({ me, onChange }) {
  const [brand, setBrand] = useState(null);
  const [values, setValues] = useState(() => initial(me));
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const report = useAccent(values.accent_color);
  useEffect(() => { get('/me/brand').then(setBrand).catch(toastError); }, []);
  if (!brand) return html`<div class="center"><${Spinner}/></div>`;

  const set = (name) => (event) => setValues({ ...values, [name]: event.target.value });
  const save = async (event) => {
    event.preventDefault();
    setErrors({}); setBusy(true);
    const branding = { accent_color: values.accent_color || null };
    for (const name of [...TEXT_FIELDS, ...NETWORKS]) branding[name] = values[name].trim() || null;
    try {
      const saved = await patch('/me', { studio_name: values.studio_name, branding });
      onChange(saved); setValues(initial(saved)); setBrand(await get('/me/brand'));
      toast(t('brand.saved'));
    } catch (e) {
      const found = {};  // the API names brand fields branding.<name>
      for (const [name, message] of Object.entries(fieldErrors(e))) found[name.replace(/^branding\./, '')] = message;
      setErrors(found); toastError(e);
    } finally { setBusy(false); }
  };
  const field = (name, label, props = {}) => html`<${Field} id=${'b-' + name} label=${label} error=${errors[name]} hint=${props.hint}>
    <input id=${'b-' + name} name=${name} value=${values[name]} onInput=${set(name)} type=${props.type || 'text'}
      placeholder=${props.placeholder} autocomplete="off" aria-invalid=${errors[name] ? 'true' : undefined}/></${Field}>`;
  const accent = report ? report.accent : brand.accent;

  return html`<div class="page">
    <header class="page-head"><div><h1>${t('brand.title')}</h1><p class="muted lead">${t('brand.lead')}</p></div></header>
    <div class="brand-layout">
      <div class="stack">
        <${Logo} brand=${brand} onBrand=${setBrand}/>
        <form class="form panel stack" onSubmit=${save} id="brand-form">
          <h2>${t('brand.colour')}</h2>
          <div class="colour-row">
            <label class="visually-hidden" for="b-accent">${t('brand.colourPicker')}</label>
            <input id="b-accent" type="color" value=${HEX.test(values.accent_color) ? values.accent_color : brand.accent}
              onInput=${set('accent_color')}/>
            <${Field} id="b-accent-hex" label=${t('brand.colourHex')} error=${errors.accent_color}>
              <input id="b-accent-hex" value=${values.accent_color} onInput=${set('accent_color')} placeholder="#8a3b12"
                maxlength="7" spellcheck="false" autocomplete="off"/></${Field}>
          </div>
          <${Readability} report=${report} onUse=${(colour) => setValues({ ...values, accent_color: colour })}/>
          <h2>${t('brand.studio')}</h2>
          <div class="row">
            ${field('studio_name', t('brand.studioName'))}
            ${field('sender_name', t('brand.senderName'), { hint: t('brand.senderHint'), placeholder: values.studio_name })}
          </div>
          <div class="row">
            ${field('contact_email', t('brand.email'), { type: 'email', placeholder: me.email, hint: t('brand.emailHint') })}
            ${field('contact_phone', t('brand.phone'), { type: 'tel', placeholder: '+47 912 34 567' })}
          </div>
          ${field('website', t('brand.website'), { type: 'url', placeholder: 'https://www.example.com' })}
          <h2>${t('brand.social')}</h2>
          <p class="muted small">${t('brand.socialHint')}</p>
          <div class="row">${NETWORKS.map((network) => field(network, t('brand.network.' + network), { placeholder: '@name' }))}</div>
          <div class="form-actions sticky"><button type="submit" class="button primary" disabled=${busy}>${t('common.save')}</button></div>
        </form>
      </div>
      <${BrandPreview} values=${values} accent=${accent} logo=${brand.logo_url} fallbackEmail=${me.email}/>
    </div>
  </div>`;
}

function Readability({ report, onUse }) {
  if (!report) return null;
  if (!report.adjusted) {
    return html`<p class="readable ok small" id="b-accent-status" role="status">
      <${Icon} name="check"/>${t('brand.readable', { ratio: number(report.contrast, { maximumFractionDigits: 1 }) })}</p>`;
  }
  return html`<div class="notice" id="b-accent-warning" role="status">
    <${Icon} name="alert"/>
    <p>${t('brand.unreadable', { ratio: number(report.contrast, { maximumFractionDigits: 1 }), minimum: number(report.minimum, { maximumFractionDigits: 1 }) })}
      ${' '}<span class="swatch" style=${'background:' + report.accent} aria-hidden="true"></span> <code>${report.accent}</code></p>
    <button type="button" class="button small" onClick=${() => onUse(report.accent)}>${t('brand.useDarker')}</button>
  </div>`;
}

function Logo({ brand, onBrand }) {
  const input = useRef();
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const upload = async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    setError(null); setBusy(true);
    try { onBrand(await api('PUT', '/me/logo', form)); toast(t('brand.logoSaved')); } catch (e) {
      setError(e.status === 413 ? t('brand.logoTooLarge') : (fieldErrors(e).file || e.message)); toastError(e);
    } finally { setBusy(false); event.target.value = ''; }
  };
  const remove = async () => {
    if (!(await confirmAction({ title: t('brand.logoRemoveTitle'), message: t('brand.logoRemoveText'), confirm: t('brand.logoRemove') }))) return;
    try { await del('/me/logo'); onBrand(await get('/me/brand')); } catch (e) { toastError(e); }
  };
  return html`<section class="panel stack" aria-labelledby="logo-title">
    <h2 id="logo-title">${t('brand.logo')}</h2>
    <div class="logo-box">
      ${brand.logo_url ? html`<img src=${brand.logo_url} alt=${t('brand.logoAlt')} class="logo-current"/>`
        : html`<span class="logo-none muted">${t('brand.noLogo')}</span>`}
      <div class=${'field' + (error ? ' invalid' : '')}>
        <label for="b-logo">${t('brand.logoChoose')}</label>
        <input id="b-logo" ref=${input} type="file" accept="image/png,image/jpeg,image/webp" onChange=${upload} disabled=${busy}
          aria-describedby=${error ? 'b-logo-error' : 'b-logo-hint'}/>
        ${error ? html`<p class="error" id="b-logo-error" role="alert">${error}</p>` : html`<p class="hint" id="b-logo-hint">${t('brand.logoHint')}</p>`}
      </div>
      ${busy && html`<${Spinner} label=${t('brand.logoUploading')}/>`}
      ${brand.logo_uploaded && html`<button type="button" class="button small danger-text" onClick=${remove}>${t('brand.logoRemove')}</button>`}
    </div>
  </section>`;
}
