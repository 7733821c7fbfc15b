// Loyalty: the tiers the photographer defines (and who holds each), and follow-ups of unhappy clients.
import { t } from '../i18n.js';
import { html, Icon } from '../ui.js';
import { TiersPanel } from './loyalty-tiers.js';
import { FollowUpsPanel, FollowUpDetail } from './loyalty-followups.js';

export const AREA_STYLES = new URL('../loyalty.css', import.meta.url).href;

export function LoyaltyView({ me, parts }) {
  const tab = parts[1] === 'followups' ? 'followups' : 'tiers';
  const followupId = tab === 'followups' ? parts[2] : null;
  return html`<div class="page loyalty-page">
    <link rel="stylesheet" href=${AREA_STYLES}/>
    <header class="page-head"><h1>${t('loyalty.title')}</h1></header>
    <nav class="tabs" aria-label=${t('loyalty.sections')}>
      ${[['tiers', 'star', '#/loyalty'], ['followups', 'chat', '#/loyalty/followups']].map(([name, icon, href]) => html`
        <a href=${href} class=${'tab' + (tab === name ? ' on' : '')} aria-current=${tab === name ? 'page' : undefined}>
          <${Icon} name=${icon} size=${16}/>${t('loyalty.tab.' + name)}</a>`)}
    </nav>
    ${tab === 'tiers' && html`<${TiersPanel} me=${me}/>`}
    ${tab === 'followups' && !followupId && html`<${FollowUpsPanel}/>`}
    ${followupId && html`<${FollowUpDetail} key=${followupId} id=${followupId}/>`}
  </div>`;
}
