// Money in the store: amounts travel as integers in minor units of the currency (JPY 0 decimals, EUR 2,
// KWD 3); shown and typed in the studio's language (1 299,50 kr in Norwegian, €1,299.50 in English).
import { useState, useEffect, useRef } from 'preact/hooks';
import { language } from '../i18n.js';
import { html } from '../ui.js';

export const CURRENCIES = ['EUR', 'NOK', 'SEK', 'DKK', 'PLN', 'HRK', 'IDR', 'USD', 'GBP', 'CHF', 'JPY', 'KWD'];

export function digits(currency) {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  } catch (e) { return 2; }
}

export function money(amount, currency) {
  if (amount === null || amount === undefined || !currency) return '';
  const n = digits(currency);
  try {
    return new Intl.NumberFormat(language(), { style: 'currency', currency, minimumFractionDigits: n, maximumFractionDigits: n })
      .format(amount / 10 ** n);
  } catch (e) { return `${amount} ${currency}`; }
}

function separators() {
  const parts = new Intl.NumberFormat(language()).formatToParts(12345.6);
  return { group: (parts.find((p) => p.type === 'group') || {}).value || ',',
    decimal: (parts.find((p) => p.type === 'decimal') || {}).value || '.' };
}

// The amount as it is typed in this language, without the currency sign (1 299,50).
export function toInput(amount, currency) {
  if (amount === null || amount === undefined || amount === '') return '';
  const n = digits(currency);
  return new Intl.NumberFormat(language(), { minimumFractionDigits: n, maximumFractionDigits: n, useGrouping: false })
    .format(amount / 10 ** n);
}

// What was typed, in minor units; null for empty; NaN when it is not an amount of this currency.
export function parseAmount(text, currency) {
  const { group, decimal } = separators();
  let value = String(text).replace(/[\s\u00a0\u202f]/g, '');
  if (!value) return null;
  if (group !== ' ' && group !== '\u00a0' && group !== '\u202f' && group !== decimal) value = value.split(group).join('');
  value = value.replace(decimal, '.');
  if (decimal !== '.' && value.split('.').length > 2) return NaN;
  const n = digits(currency);
  const match = /^(\d+)(?:\.(\d*))?$/.exec(value);
  if (!match || (match[2] || '').length > n) return NaN;
  const whole = match[1] + (match[2] || '').padEnd(n, '0');
  const minor = Number(whole);
  return Number.isSafeInteger(minor) ? minor : NaN;
}

// An amount field: typed in the studio's language, handed out in minor units (onValue(null|int|NaN)).
export function MoneyInput({ id, value, currency, onValue, required, label, invalid }) {
  const [text, setText] = useState(toInput(value, currency));
  // A new currency keeps what was typed (12,50 stays 12,50) and re-reads it in that currency's minor units: the
  // text typed last, which may be newer than this render's (the effect runs after the browser has painted).
  const typed = useRef(text);
  const first = useRef(true);
  useEffect(() => { if (first.current) first.current = false; else onValue(parseAmount(typed.current, currency)); }, [currency]);
  const change = (event) => {
    typed.current = event.target.value;
    setText(event.target.value);
    onValue(parseAmount(event.target.value, currency));
  };
  return html`<span class="money-input"><input id=${id} inputmode="decimal" value=${text} onInput=${change}
    required=${required} aria-label=${label} aria-invalid=${invalid ? 'true' : undefined} autocomplete="off"/>
    <span class="currency" aria-hidden="true">${currency}</span></span>`;
}
