// One price sheet: currency, tax, shipping, payment, and its products (kind, name with the size, price).
import { useEffect, useState } from 'preact/hooks';
import { get, post, patch, del, ApiError } from '../api.js';
import { t } from '../i18n.js';
import { html, Icon, Field, Spinner, fieldErrors, toast, toastError, confirmAction } from '../ui.js';
import { CURRENCIES, MoneyInput } from './store_money.js';
import { SheetGalleries } from './store_sheet_galleries.js';

const KINDS = ['print', 'canvas', 'album', 'digital_photo', 'digital_gallery'];
const BLANK = { name: '', currency: 'EUR', tax_rate: '0.00', tax_included: true, shipping_flat: 0, free_shipping_over: null,
  payment_provider: 'manual', payment_instructions: '', products: [] };
let serial = 0;
const row = (p) => ({ key: ++serial, ...p });

// Per-field errors of a product line: the API names them "products.0.price"; checks made here, {products: {0: {...}}}.
const productErrors = (errors, index) => {
  const out = { ...(((errors.products || {})[index]) || {}) };
  for (const [key, messages] of Object.entries(errors)) {
    const match = /^products\.(\d+)\.(\w+)$/.exec(key);
    if (match && Number(match[1]) === index) out[match[2]] = messages;
  }
  return out;
};

export function SheetEditor({ id, me }) {
  const [sheet, setSheet] = useState(id === 'new' ? { ...BLANK, currency: (me && me.default_currency) || BLANK.currency, products: [row({ kind: 'print', name: '', price: null, active: true })] } : null);
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (id !== 'new') get(`/price-sheets/${id}`).then((s) => setSheet({ ...s, products: s.products.map(row) })).catch(toastError);
  }, [id]);
  if (!sheet) return html`<div class="page"><div class="center"><${Spinner}/></div></div>`;

  const set = (changes) => setSheet((old) => ({ ...old, ...changes }));
  const setProduct = (index, changes) => set({ products: sheet.products.map((p, i) => (i === index ? { ...p, ...changes } : p)) });
  const move = (index, by) => {
    const list = [...sheet.products];
    const [item] = list.splice(index, 1);
    list.splice(index + by, 0, item);
    set({ products: list });
  };
  const add = () => set({ products: [...sheet.products, row({ kind: 'print', name: '', price: null, active: true })] });

  const save = async (event) => {
    event.preventDefault();
    const local = {};
    sheet.products.forEach((p, i) => { if (p.price === null || Number.isNaN(p.price)) local[i] = { price: t('store.money.invalid') }; });
    if (Number.isNaN(sheet.shipping_flat) || Number.isNaN(sheet.free_shipping_over)) local.shipping = t('store.money.invalid');
    if (Object.keys(local).length) { setErrors({ products: local, shipping_flat: local.shipping }); return; }
    const body = { name: sheet.name, currency: sheet.currency, tax_rate: String(sheet.tax_rate || '0'), tax_included: sheet.tax_included,
      shipping_flat: sheet.shipping_flat || 0, free_shipping_over: sheet.free_shipping_over ?? null,
      payment_provider: sheet.payment_provider, payment_instructions: sheet.payment_instructions || null,
      products: sheet.products.map((p) => ({ ...(p.id ? { id: p.id } : {}), kind: p.kind, name: p.name,
        description: p.description || null, price: p.price, active: p.active })) };
    setBusy(true); setErrors({});
    try {
      const saved = id === 'new' ? await post('/price-sheets', body) : await patch(`/price-sheets/${id}`, body);
      toast(t('store.sheets.saved'));
      if (id === 'new') location.hash = '#/store/sheets/' + saved.id;
      else setSheet({ ...saved, products: saved.products.map(row) });
    } catch (e) { setErrors((e instanceof ApiError && e.fields) || {}); toastError(e); } finally { setBusy(false); }
  };

  const remove = async () => {
    if (!await confirmAction({ title: t('store.sheets.deleteTitle', { name: sheet.name }), message: t('store.sheets.deleteText'),
      confirm: t('store.sheets.delete') })) return;
    try { await del(`/price-sheets/${id}`); toast(t('store.sheets.deleted')); location.hash = '#/store/sheets'; } catch (e) { toastError(e); }
  };

  const flat = fieldErrors({ fields: Object.fromEntries(Object.entries(errors).filter(([k]) => !k.startsWith('products'))) });
  return html`<div class="page store-sheet">
    <header class="gallery-head">
      <a class="back" href="#/store/sheets"><${Icon} name="back"/><span>${t('store.sheets.all')}</span></a>
      <div class="gallery-title"><h1>${id === 'new' ? t('store.sheets.new') : sheet.name}</h1></div>
    </header>
    <form class="form settings" onSubmit=${save}>
      <section class="panel"><h2>${t('store.sheets.general')}</h2>
        <div class="row">
          <${Field} id="ps-name" label=${t('store.sheets.name')} error=${flat.name}>
            <input id="ps-name" value=${sheet.name} required maxlength="120" onInput=${(e) => set({ name: e.target.value })}/></${Field}>
          <${Field} id="ps-currency" label=${t('store.sheets.currency')} error=${flat.currency} hint=${t('store.sheets.currencyHint')}>
            <select id="ps-currency" value=${sheet.currency} onChange=${(e) => set({ currency: e.target.value })}>
              ${[...new Set([...CURRENCIES, sheet.currency])].map((c) => html`<option value=${c}>${c}</option>`)}</select></${Field}>
        </div>
        <div class="row">
          <${Field} id="ps-tax" label=${t('store.sheets.taxRate')} error=${flat.tax_rate}>
            <input id="ps-tax" type="number" min="0" max="100" step="0.01" value=${sheet.tax_rate}
              onInput=${(e) => set({ tax_rate: e.target.value })}/></${Field}>
          <label class="check"><input type="checkbox" checked=${sheet.tax_included}
            onChange=${(e) => set({ tax_included: e.target.checked })}/> ${t('store.sheets.taxIncluded')}</label>
        </div>
        <div class="row">
          <${Field} id="ps-shipping" label=${t('store.sheets.shipping')} error=${flat.shipping_flat} hint=${t('store.sheets.shippingHint')}>
            <${MoneyInput} id="ps-shipping" value=${sheet.shipping_flat} currency=${sheet.currency}
              onValue=${(v) => set({ shipping_flat: v })}/></${Field}>
          <${Field} id="ps-free" label=${t('store.sheets.freeOver')} error=${flat.free_shipping_over} hint=${t('store.sheets.freeOverHint')}>
            <${MoneyInput} id="ps-free" value=${sheet.free_shipping_over} currency=${sheet.currency}
              onValue=${(v) => set({ free_shipping_over: v })}/></${Field}>
        </div>
      </section>
      <section class="panel"><h2>${t('store.sheets.products')}</h2>
        <table class="table products">
          <thead><tr><th scope="col">${t('store.product.kind')}</th><th scope="col">${t('store.product.name')}</th>
            <th scope="col">${t('store.product.price')}</th><th scope="col">${t('store.product.active')}</th>
            <th scope="col"><span class="visually-hidden">${t('store.product.actions')}</span></th></tr></thead>
          <tbody>${sheet.products.map((p, i) => {
            const pe = productErrors(errors, i);
            const err = (name) => pe[name] && [].concat(pe[name]).join(' ');
            return html`<tr key=${p.key}>
              <td><select id=${'pp-kind-' + i} aria-label=${t('store.product.kind')} value=${p.kind}
                  onChange=${(e) => setProduct(i, { kind: e.target.value })}>
                ${KINDS.map((k) => html`<option value=${k}>${t('store.kind.' + k)}</option>`)}</select>
                <p class="hint">${t('store.options.' + p.kind)}</p></td>
              <td><input id=${'pp-name-' + i} aria-label=${t('store.product.name')} value=${p.name} required maxlength="200"
                  placeholder=${t('store.product.namePlaceholder')} onInput=${(e) => setProduct(i, { name: e.target.value })}/>
                <input id=${'pp-desc-' + i} aria-label=${t('store.product.description')} value=${p.description || ''} maxlength="2000"
                  placeholder=${t('store.product.description')} onInput=${(e) => setProduct(i, { description: e.target.value })}/>
                ${err('name') && html`<p class="error" role="alert">${err('name')}</p>`}</td>
              <td><${MoneyInput} id=${'pp-price-' + i} label=${t('store.product.price')} value=${p.price} currency=${sheet.currency}
                  invalid=${!!err('price')} onValue=${(v) => setProduct(i, { price: v })}/>
                ${err('price') && html`<p class="error" role="alert">${err('price')}</p>`}</td>
              <td><input type="checkbox" aria-label=${t('store.product.active')} checked=${p.active}
                  onChange=${(e) => setProduct(i, { active: e.target.checked })}/></td>
              <td class="actions">
                <button type="button" class="icon-button" disabled=${i === 0} onClick=${() => move(i, -1)} aria-label=${t('store.product.up')}><${Icon} name="up"/></button>
                <button type="button" class="icon-button" disabled=${i === sheet.products.length - 1} onClick=${() => move(i, 1)} aria-label=${t('store.product.down')}><${Icon} name="down"/></button>
                ${!p.id && html`<button type="button" class="icon-button" onClick=${() => set({ products: sheet.products.filter((_, j) => j !== i) })}
                  aria-label=${t('store.product.remove')}><${Icon} name="trash"/></button>`}</td></tr>`;
          })}</tbody></table>
        <p class="hint">${t('store.product.retireHint')}</p>
        <div><button type="button" class="button" onClick=${add}><${Icon} name="plus"/>${t('store.product.add')}</button></div>
      </section>
      <section class="panel"><h2>${t('store.sheets.payment')}</h2>
        <${Field} id="ps-provider" label=${t('store.sheets.provider')} error=${flat.payment_provider}>
          <select id="ps-provider" value=${sheet.payment_provider} onChange=${(e) => set({ payment_provider: e.target.value })}>
            ${['manual', 'stripe'].map((p) => html`<option value=${p}>${t('store.provider.' + p)}</option>`)}</select></${Field}>
        ${sheet.payment_provider === 'manual' && html`<${Field} id="ps-instructions" label=${t('store.sheets.instructions')}
            error=${flat.payment_instructions && t('store.sheets.instructionsRequired')} hint=${t('store.sheets.instructionsHint')}>
          <textarea id="ps-instructions" rows="4" maxlength="2000" value=${sheet.payment_instructions || ''}
            onInput=${(e) => set({ payment_instructions: e.target.value })}></textarea></${Field}>`}
      </section>
      ${id !== 'new' && html`<${SheetGalleries} sheetId=${id}/>`}
      <div class="form-actions sticky">
        ${id !== 'new' && html`<button type="button" class="button danger-text" onClick=${remove}>${t('store.sheets.delete')}</button>`}
        <span class="grow"></span>
        <button type="submit" class="button primary" disabled=${busy}>${t('common.save')}</button>
      </div>
    </form>
  </div>`;
}
