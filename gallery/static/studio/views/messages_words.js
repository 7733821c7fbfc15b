// One rule's own words: subject, body and button in each of the five languages, checked by the server
// (unknown placeholders are refused next to the field), previewed with a real client, sent as a test,
// and reset to the translated default.
import { useEffect, useState } from 'preact/hooks';
import { del, get, put } from '../api.js';
import { t, LANGUAGES, language, dateTime } from '../i18n.js';
import { html, Icon, Spinner, confirmAction, fieldErrors, toast, toastError } from '../ui.js';
import { PreviewPane, WordsFields, usePlaceholders } from './messages_editor.js';

export function wordsBody(words) {
  const body = { subject: words.subject || '', body: words.body || '' };
  if (words.button) body.button = words.button;
  return body;
}

// A language's name in the studio's language, for sentences ("Tekst på engelsk"); the chips keep each
// language's own name.
export function languageName(code) {
  try {
    return new Intl.DisplayNames([language()], { type: 'language' }).of(code) || LANGUAGES[code];
  } catch { return LANGUAGES[code]; }
}

export function LanguageChips({ current, onPick, marks = {} }) {
  return html`<div class="chips lang-chips" role="group" aria-label=${t('messages.language')}>
    ${Object.entries(LANGUAGES).map(([code, name]) => html`<button key=${code} type="button" lang=${code}
      class=${'chip' + (current === code ? ' on' : '')} aria-pressed=${current === code ? 'true' : 'false'}
      onClick=${() => onPick(code)}>${name}${marks[code] ? html` <span aria-hidden="true">•</span><span class="visually-hidden">${marks[code]}</span>` : ''}</button>`)}
  </div>`;
}

export function RuleWordsView({ rule, me }) {
  const placeholders = usePlaceholders(rule);
  const [locale, setLocale] = useState(LANGUAGES[language()] ? language() : 'en');
  const [stored, setStored] = useState({});  // locale -> the server's text {subject, body, button, custom, updated_at}
  const [drafts, setDrafts] = useState({});  // locale -> edited text (only once edited)
  const [errors, setErrors] = useState({});  // locale -> {field: message}
  const [busy, setBusy] = useState(false);

  const load = async (code) => {
    try {
      const row = await get(`/retention/wording/${rule}/${code}`);
      setStored((all) => ({ ...all, [code]: row }));
    } catch (e) { toastError(e); }
  };
  useEffect(() => { load(locale); }, [locale]);
  useEffect(() => {  // which languages have own words (marked on the chips)
    Object.keys(LANGUAGES).forEach((code) => { if (code !== locale) load(code); });
  }, []);

  const current = stored[locale];
  const draft = drafts[locale];
  const value = draft || current || {};
  const edit = (next) => { setDrafts({ ...drafts, [locale]: next }); };
  const setLocaleErrors = (fields) => setErrors((all) => ({ ...all, [locale]: fields }));

  const save = async () => {
    setBusy(true);
    try {
      const row = await put(`/retention/wording/${rule}/${locale}`, wordsBody(value));
      setStored({ ...stored, [locale]: { ...row, custom: true } });
      setDrafts({ ...drafts, [locale]: undefined }); setLocaleErrors({});
      toast(t('messages.saved', { language: languageName(locale) }));
    } catch (e) {
      const fields = fieldErrors(e);
      setLocaleErrors(fields);
      if (!Object.keys(fields).length) toastError(e);  // else the server's words are next to their fields
    } finally { setBusy(false); }
  };
  const reset = async () => {
    const ok = await confirmAction({ title: t('messages.resetTitle'), message: t('messages.resetText', { language: languageName(locale) }),
      confirm: t('messages.reset') });
    if (!ok) return;
    try {
      if (current && current.custom) await del(`/retention/wording/${rule}/${locale}`);
      setDrafts({ ...drafts, [locale]: undefined }); setLocaleErrors({});
      await load(locale);
      toast(t('messages.resetDone', { language: languageName(locale) }));
    } catch (e) { toastError(e); }
  };

  const marks = Object.fromEntries(Object.entries(stored).filter(([, row]) => row && row.custom).map(([code]) => [code, t('messages.ownWords')]));
  const request = { rule, locale, ...(draft ? { words: wordsBody(draft) } : {}) };
  return html`<div class="page messages-words">
    <a class="back" href="#/messages"><${Icon} name="back" size=${16}/>${t('messages.title')}</a>
    <header class="page-head"><h1>${t('messages.rule.' + rule)}</h1>
      ${current && html`<span class=${'badge ' + (current.custom ? 'state-published' : '')}>${current.custom ? t('messages.ownWords') : t('messages.defaultWords')}</span>`}</header>
    <p class="muted lead">${t('messages.ruleHint.' + rule)}</p>
    <${LanguageChips} current=${locale} onPick=${setLocale} marks=${marks}/>
    <div class="editor-layout">
      <section class="panel" aria-labelledby="words-title">
        <div class="section-head"><h2 id="words-title">${t('messages.wordsIn', { language: languageName(locale) })}</h2>
          ${current && current.custom && current.updated_at && html`<span class="muted small">${t('messages.changed', { when: dateTime(current.updated_at) })}</span>`}</div>
        ${!current ? html`<${Spinner}/>` : html`<div class="form">
          ${!current.custom && !draft && html`<p class="notice"><${Icon} name="alert"/><span>${t('messages.defaultNotice')}</span></p>`}
          <${WordsFields} id="w" value=${value} onChange=${edit} errors=${errors[locale] || {}} placeholders=${placeholders}/>
          <div class="form-actions">
            <button type="button" class="button danger-text" onClick=${reset} disabled=${!current.custom && !draft}>${t('messages.reset')}</button>
            <button type="button" class="button primary" onClick=${save} disabled=${busy}>${t('messages.save')}</button>
          </div></div>`}
      </section>
      <${PreviewPane} request=${request} onErrors=${(fields) => draft && setLocaleErrors(fields)} deps=${[current && current.updated_at]}/>
    </div>
  </div>`;
}
