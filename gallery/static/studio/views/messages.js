// Messages: the automatic rules (on/off, and the photographer's own words for each) and campaigns.
// Routes: #/messages, #/messages/rules/<rule>, #/messages/campaigns, #/messages/campaigns/<id>.
import { useEffect, useState } from 'preact/hooks';
import { get, put } from '../api.js';
import { t, LANGUAGES } from '../i18n.js';
import { html, Icon, Spinner, toast, toastError } from '../ui.js';
import { RuleWordsView } from './messages_words.js';
import { CampaignsView } from './messages_campaigns.js';
import { CampaignView } from './messages_campaign.js';

export function MessagesView({ me, parts }) {
  const [, area, id] = parts;
  if (area === 'rules' && id) return html`<${RuleWordsView} key=${id} rule=${id} me=${me}/>`;
  if (area === 'campaigns' && id) return html`<${CampaignView} key=${id} id=${id} me=${me}/>`;
  return html`<div class="page">
    <header class="page-head"><h1>${t('messages.title')}</h1></header>
    <${MessagesTabs} current=${area === 'campaigns' ? 'campaigns' : 'rules'}/>
    ${area === 'campaigns' ? html`<${CampaignsView}/>` : html`<${RulesList}/>`}
  </div>`;
}

export function MessagesTabs({ current }) {
  const tabs = [['rules', '#/messages', 'clock'], ['campaigns', '#/messages/campaigns', 'chat']];
  return html`<nav class="tabs" aria-label=${t('messages.sections')}>
    ${tabs.map(([name, href, icon]) => html`<a key=${name} href=${href} class=${'tab' + (current === name ? ' on' : '')}
      aria-current=${current === name ? 'page' : undefined}><${Icon} name=${icon} size=${16}/>${t('messages.tab.' + name)}</a>`)}
  </nav>`;
}

function RulesList() {
  const [rules, setRules] = useState(null);
  const [own, setOwn] = useState({});
  const load = async () => {
    try {
      const [ruleList, wording] = await Promise.all([get('/retention/rules'), get('/retention/wording')]);
      setRules(ruleList.rules.filter((rule) => rule.kind !== 'digest'));
      const byRule = {};
      for (const row of wording.wordings) (byRule[row.rule] = byRule[row.rule] || []).push(row.locale);
      setOwn(byRule);
    } catch (e) { toastError(e); }
  };
  useEffect(() => { load(); }, []);
  const toggle = async (rule) => {
    try {
      const saved = await put('/retention/rules', { rules: [{ kind: rule.kind, enabled: !rule.enabled }] });
      setRules(saved.rules.filter((item) => item.kind !== 'digest'));
      toast(t(rule.enabled ? 'messages.ruleOff' : 'messages.ruleOn', { rule: t('messages.rule.' + rule.kind) }));
    } catch (e) { toastError(e); }
  };
  if (rules === null) return html`<div class="center"><${Spinner}/></div>`;
  return html`<p class="muted lead">${t('messages.rulesIntro')}</p>
    <table class="table rules">
      <thead><tr><th scope="col">${t('messages.rule')}</th><th scope="col">${t('messages.ownWords')}</th>
        <th scope="col">${t('messages.sending')}</th><th scope="col"><span class="visually-hidden">${t('messages.actions')}</span></th></tr></thead>
      <tbody>${rules.map((rule) => html`<tr key=${rule.kind} data-rule=${rule.kind}>
        <td><a href=${'#/messages/rules/' + rule.kind}><strong>${t('messages.rule.' + rule.kind)}</strong></a>
          <div class="muted small">${t('messages.ruleHint.' + rule.kind)}</div></td>
        <td>${(own[rule.kind] || []).length
          ? (own[rule.kind] || []).map((code) => html`<span class="badge lang" title=${LANGUAGES[code]}>${code}</span> `)
          : html`<span class="muted small">${t('messages.defaultWords')}</span>`}</td>
        <td><label class="check switch"><input type="checkbox" checked=${rule.enabled} onChange=${() => toggle(rule)}/>
          <span>${rule.enabled ? t('messages.on') : t('messages.off')}</span>
          <span class="visually-hidden">${t('messages.rule.' + rule.kind)}</span></label></td>
        <td class="actions"><a class="button small" href=${'#/messages/rules/' + rule.kind}><${Icon} name="edit" size=${14}/>${t('messages.editWords')}</a></td>
      </tr>`)}</tbody>
    </table>`;
}
