// One campaign: the mail per language (or the default language for everyone else), the segment with its live
// reach, an optional offer code per recipient, the schedule, cancel, and the results once it has gone out.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, patch } from '../api.js';
import { t, LANGUAGES } from '../i18n.js';
import { html, Icon, Spinner, fieldErrors, toast, toastError } from '../ui.js';
import { PreviewPane, WordsFields, usePlaceholders } from './messages_editor.js';
import { LanguageChips, languageName, wordsBody } from './messages_words.js';
import { Reach, SegmentFilters } from './messages_segment.js';
import { CampaignStatus } from './messages_campaigns.js';
import { OfferFields, ResultsPanel, SchedulePanel } from './messages_results.js';


function formOf(campaign) {
  return { name: campaign.name, default_locale: campaign.default_locale, wording: campaign.wording || {},
    segment: campaign.segment || {}, offer: campaign.offer || null, attribution_days: campaign.attribution_days };
}

const written = (words) => words && (words.subject || words.body || words.button);

// Server errors name fields as `wording.<lang>.<field>` and `segment.<filter>`: split them for their places.
function split(errors, prefix) {
  const out = {};
  for (const [key, message] of Object.entries(errors)) if (key.startsWith(prefix)) out[key.slice(prefix.length)] = message;
  return out;
}

export function CampaignView({ id }) {
  const placeholders = usePlaceholders('campaign');
  const [campaign, setCampaign] = useState(null);
  const [form, setForm] = useState(null);
  const [locale, setLocale] = useState('en');
  const [errors, setErrors] = useState({});
  const [liveErrors, setLiveErrors] = useState({});
  const [filterErrors, setFilterErrors] = useState({});
  const [dirty, setDirty] = useState(false);
  const latest = useRef(null);  // the form as last changed, so Save sends it even before a re-render

  const take = (saved) => { setCampaign(saved); latest.current = formOf(saved); setForm(latest.current); setDirty(false); };
  useEffect(() => {
    get(`/retention/campaigns/${id}`).then((saved) => { take(saved); setLocale(saved.default_locale); })
      .catch((e) => { toastError(e); location.hash = '#/messages/campaigns'; });
  }, [id]);
  if (!campaign || !form) return html`<div class="page"><div class="center"><${Spinner}/></div></div>`;

  // A campaign that has gone out (planned, or cancelled after) keeps its texts: they are what was sent.
  const editable = campaign.status === 'draft' || campaign.status === 'scheduled' || (campaign.status === 'cancelled' && !campaign.planned_at);
  const change = (key, value) => { latest.current = { ...latest.current, [key]: value }; setForm(latest.current); setDirty(true); };
  const words = form.wording[locale] || { subject: '', body: '', button: '' };
  const setWords = (next) => change('wording', { ...latest.current.wording, [locale]: next });
  const save = async () => {
    const form = latest.current;
    const wording = Object.fromEntries(Object.entries(form.wording).filter(([, w]) => written(w)).map(([code, w]) => [code, wordsBody(w)]));
    try {
      const saved = await patch(`/retention/campaigns/${id}`, { ...form, wording });
      take(saved); setErrors({});
      toast(t('messages.campaignSaved'));
      return saved;
    } catch (e) { setErrors(fieldErrors(e)); toastError(e); return null; }  // a toast too: fields may be out of view
  };
  const wordErrors = { ...split(errors, `wording.${locale}.`), ...liveErrors };
  const segmentErrors = split(errors, 'segment.');
  const marks = Object.fromEntries(Object.entries(form.wording).filter(([, w]) => written(w)).map(([code]) => [code, t('messages.written')]));
  const previewable = written(words) || written(campaign.wording[locale]) || written(campaign.wording[campaign.default_locale]);
  const request = { campaign_id: id, locale, ...(written(words) ? { words: wordsBody(words) } : {}) };

  return html`<div class="page campaign">
    <a class="back" href="#/messages/campaigns"><${Icon} name="back" size=${16}/>${t('messages.tab.campaigns')}</a>
    <header class="page-head"><h1>${campaign.name}</h1><${CampaignStatus} status=${campaign.status}/></header>
    ${!editable && html`<p class="notice"><${Icon} name="alert"/><span>${t('messages.goneOut')}</span></p>`}
    <section class="panel form" aria-labelledby="c-basics">
      <h2 id="c-basics" class="visually-hidden">${t('messages.campaignName')}</h2>
      <div class="row">
        <div class=${'field' + (errors.name ? ' invalid' : '')}><label for="c-name">${t('messages.campaignName')}</label>
          <input id="c-name" value=${form.name} maxlength="200" disabled=${!editable} onInput=${(e) => change('name', e.target.value)}/>
          ${errors.name && html`<p class="error" role="alert">${errors.name}</p>`}</div>
        <div class=${'field' + (errors.default_locale ? ' invalid' : '')}><label for="c-default">${t('messages.defaultLanguage')}</label>
          <select id="c-default" value=${form.default_locale} disabled=${!editable} onChange=${(e) => change('default_locale', e.target.value)}
            aria-describedby="c-default-hint">${Object.entries(LANGUAGES).map(([code, name]) => html`<option key=${code} value=${code}>${name}</option>`)}</select>
          ${errors.default_locale ? html`<p class="error" role="alert">${errors.default_locale}</p>`
            : html`<p class="hint" id="c-default-hint">${t('messages.defaultLanguageHint')}</p>`}</div>
      </div>
    </section>
    <h2 class="block-title">${t('messages.theMail')}</h2>
    <${LanguageChips} current=${locale} onPick=${(code) => { setLocale(code); setLiveErrors({}); }} marks=${marks}/>
    <div class="editor-layout">
      <section class="panel" aria-labelledby="c-words">
        <h2 id="c-words">${t('messages.wordsIn', { language: languageName(locale) })}</h2>
        <p class="muted small">${locale === form.default_locale ? t('messages.isDefault') : t('messages.otherLanguage', { language: languageName(form.default_locale) })}</p>
        <fieldset class="plain" disabled=${!editable} aria-labelledby="c-words">
          <${WordsFields} id="c" value=${words} onChange=${setWords} errors=${wordErrors} placeholders=${placeholders} readOnly=${!editable}/></fieldset>
      </section>
      ${previewable ? html`<${PreviewPane} request=${request} deps=${[campaign.id]} onErrors=${(fields) => setLiveErrors(written(words) ? fields : {})}/>`
        : html`<section class="panel preview"><h2>${t('messages.preview')}</h2><p class="muted">${t('messages.writeFirst')}</p></section>`}
    </div>
    <h2 class="block-title">${t('messages.whoReceives')}</h2>
    <div class=${'segment-layout' + (editable ? '' : ' single')}>
      <section class="panel" aria-label=${t('messages.filters')}>
        <${SegmentFilters} value=${form.segment} disabled=${!editable} errors=${{ ...segmentErrors, ...filterErrors }}
          onChange=${(next) => change('segment', next)}/></section>
      ${editable && html`<section class="panel reach-panel" aria-label=${t('messages.reach')}>
        <${Reach} segment=${form.segment} onErrors=${(fields) => setFilterErrors(fields)}/></section>`}
    </div>
    <${OfferFields} form=${form} change=${change} errors=${errors} disabled=${!editable}/>
    <${SchedulePanel} campaign=${campaign} save=${dirty ? save : null} onChanged=${take}/>
    <${ResultsPanel} campaign=${campaign}/>
    ${editable && html`<div class="form-actions sticky">
      ${dirty && html`<span class="muted small">${t('messages.unsaved')}</span>`}
      <button type="button" class="button primary" onClick=${save}>${t('messages.save')}</button></div>`}
  </div>`;
}
