// Metrics: what the mails led to (per rule and per campaign), repeat clients, cohorts, lifetime value, NPS.
import { useEffect, useState } from 'preact/hooks';
import { get, query } from '../api.js';
import { t, number, date } from '../i18n.js';
import { html, Spinner, Empty, toastError } from '../ui.js';
import { AREA_STYLES } from './loyalty.js';
import { LineChart, BarChart, Meter } from './metrics-charts.js';

const percent = (share) => (share === null || share === undefined ? '–' : number(share, { style: 'percent', maximumFractionDigits: 1 }));

export function MetricsView() {
  const [range, setRange] = useState({ from: '', to: '' });
  const [data, setData] = useState(null);
  const [campaigns, setCampaigns] = useState(null);
  useEffect(() => {
    setData(null);
    get('/metrics/retention' + query(range)).then(setData).catch(toastError);
  }, [range.from, range.to]);
  useEffect(() => { get('/metrics/campaigns').then((r) => setCampaigns(r.items)).catch(toastError); }, []);
  const money = (minor) => (minor === null || minor === undefined ? '–'
    : data && data.currency ? number(minor / 100, { style: 'currency', currency: data.currency, maximumFractionDigits: 0 }) : number(minor / 100));
  const apply = (event) => { event.preventDefault(); const f = event.target; setRange({ from: f.from.value, to: f.to.value }); };

  return html`<div class="page metrics-page">
    <link rel="stylesheet" href=${AREA_STYLES}/>
    <header class="page-head"><h1>${t('metrics.title')}</h1>
      <form class="period" onSubmit=${apply} aria-label=${t('metrics.period')}>
        <label for="m-from">${t('metrics.from')}</label><input id="m-from" name="from" type="date" defaultValue=${range.from}/>
        <label for="m-to">${t('metrics.to')}</label><input id="m-to" name="to" type="date" defaultValue=${range.to}/>
        <button type="submit" class="button small">${t('metrics.apply')}</button></form></header>
    ${!data ? html`<div class="center"><${Spinner}/></div>` : html`
    <p class="muted">${t('metrics.periodText', { from: date(data.period_from), to: date(data.period_to) })}</p>
    <dl class="kpis">
      <div><dt>${t('metrics.repeatRate')}</dt><dd>${percent(data.repeat_client_rate)}</dd>
        <dd class="kpi-note">${t('metrics.payingClients', { n: data.paying_clients })}</dd></div>
      <div><dt>${t('metrics.ltv')}</dt><dd>${money(data.ltv)}</dd>
        <dd class="kpi-note">${t('metrics.ltvEstimate', { amount: money(data.ltv_estimate) })}</dd></div>
      <div><dt>${t('metrics.nps')}</dt><dd>${data.nps === null ? '–' : number(data.nps)}</dd>
        <dd class="kpi-note">${t('metrics.answers', { n: data.nps_answers })}</dd></div>
      <div><dt>${t('metrics.cameBack')}</dt><dd>${number(data.followups.clients_came_back)}</dd>
        <dd class="kpi-note">${t('metrics.followupsOpened', { n: data.followups.opened, resolved: data.followups.resolved })}</dd></div>
    </dl>
    <div class="chart-row">
      <section class="panel"><${NpsChart} trend=${data.nps_trend}/></section>
      <section class="panel"><${CohortChart} cohorts=${data.cohorts}/></section>
    </div>
    <${RuleTable} rows=${data.offer_conversion} money=${money}/>
    <${CampaignTable} rows=${campaigns} money=${money}/>
    <${CohortTable} cohorts=${data.cohorts}/>`}
  </div>`;
}

function NpsChart({ trend }) {
  if (!trend.length) return html`<h2 class="chart-title">${t('metrics.npsOverTime')}</h2><p class="muted">${t('metrics.noAnswers')}</p>`;
  const points = trend.map((p) => ({ label: date(p.month + '-01', { month: 'short', year: '2-digit' }), value: p.nps }));
  const last = trend[trend.length - 1];
  return html`<${LineChart} id="nps-chart" title=${t('metrics.npsOverTime')} points=${points}
    summary=${t('metrics.npsSummary', { months: trend.length, last: last.nps === null ? '–' : number(last.nps) })}/>`;
}

// The share of each yearly cohort that came back the year after (cohorts with that year behind them).
function CohortChart({ cohorts }) {
  const thisYear = new Date().getFullYear();
  const bars = cohorts.filter((c) => c.cohort < thisYear && c.clients)
    .map((c) => ({ label: String(c.cohort), value: ((c.returned || {})[String(c.cohort + 1)] || 0) / c.clients }));
  if (!bars.length) return html`<h2 class="chart-title">${t('metrics.cohortChart')}</h2><p class="muted">${t('metrics.noCohorts')}</p>`;
  return html`<${BarChart} id="cohort-chart" title=${t('metrics.cohortChart')} bars=${bars}
    summary=${bars.map((b) => `${b.label}: ${number(b.value, { style: 'percent', maximumFractionDigits: 0 })}`).join(', ')}/>`;
}

function RuleTable({ rows, money }) {
  const shown = rows.filter((r) => r.sent || r.visited || r.ordered);
  return html`<section class="panel metric-table" aria-labelledby="rules-title">
    <h2 id="rules-title">${t('metrics.byRule')}</h2>
    ${shown.length === 0 ? html`<p class="muted">${t('metrics.nothingSent')}</p>` : html`
    <table class="table"><thead><tr><th scope="col">${t('metrics.rule')}</th><th scope="col" class="num">${t('metrics.sent')}</th>
      <th scope="col" class="num">${t('metrics.opened')}</th><th scope="col" class="num">${t('metrics.clicked')}</th>
      <th scope="col" class="num">${t('metrics.visited')}</th><th scope="col" class="num">${t('metrics.ordered')}</th>
      <th scope="col" class="num">${t('metrics.revenue')}</th></tr></thead>
      <tbody>${shown.map((r) => html`<tr key=${r.rule}><th scope="row">${t('metrics.rule.' + r.rule)}</th>
        <td class="num">${number(r.sent)}</td>
        <td class="num"><${Meter} value=${r.opened} of=${r.sent}>${number(r.opened)} <span class="muted">${r.sent ? percent(r.opened / r.sent) : ''}</span></${Meter}></td>
        <td class="num"><${Meter} value=${r.clicked} of=${r.sent}>${number(r.clicked)} <span class="muted">${r.sent ? percent(r.clicked / r.sent) : ''}</span></${Meter}></td>
        <td class="num">${number(r.visited)}</td><td class="num">${number(r.ordered)}</td>
        <td class="num">${money(r.ordered_revenue)}</td></tr>`)}</tbody></table>
    <p class="muted small">${t('metrics.honest')}</p>`}
  </section>`;
}

function CampaignTable({ rows, money }) {
  return html`<section class="panel metric-table" aria-labelledby="campaigns-title">
    <h2 id="campaigns-title">${t('metrics.byCampaign')}</h2>
    ${!rows ? html`<${Spinner}/>` : rows.length === 0 ? html`<${Empty} icon="list" title=${t('metrics.noCampaigns')}/>` : html`
    <table class="table"><thead><tr><th scope="col">${t('metrics.campaign')}</th><th scope="col">${t('metrics.sentOn')}</th>
      <th scope="col" class="num">${t('metrics.recipients')}</th><th scope="col" class="num">${t('metrics.delivered')}</th>
      <th scope="col" class="num">${t('metrics.opened')}</th><th scope="col" class="num">${t('metrics.clicked')}</th>
      <th scope="col" class="num">${t('metrics.visited')}</th><th scope="col" class="num">${t('metrics.ordered')}</th>
      <th scope="col" class="num">${t('metrics.revenue')}</th></tr></thead>
      <tbody>${rows.map((c) => html`<tr key=${c.id}><th scope="row"><a href=${'#/messages/campaigns/' + c.id}>${c.name}</a></th>
        <td>${c.send_on ? date(c.send_on) : ''}</td><td class="num">${number(c.recipients)}</td><td class="num">${number(c.delivered)}</td>
        <td class="num"><${Meter} value=${c.opened} of=${c.delivered}>${number(c.opened)}</${Meter}></td>
        <td class="num"><${Meter} value=${c.clicked} of=${c.delivered}>${number(c.clicked)}</${Meter}></td>
        <td class="num">${number(c.visited)}</td><td class="num">${number(c.orders)}</td><td class="num">${money(c.revenue)}</td></tr>`)}</tbody></table>
    <p class="muted small">${t('metrics.window')}</p>`}
  </section>`;
}

function CohortTable({ cohorts }) {
  if (!cohorts.length) return null;
  const years = [...new Set(cohorts.flatMap((c) => Object.keys(c.returned || {})))].sort();
  return html`<section class="panel metric-table" aria-labelledby="cohorts-title">
    <h2 id="cohorts-title">${t('metrics.cohorts')}</h2>
    <p class="muted">${t('metrics.cohortsText')}</p>
    <table class="table cohort-table"><thead><tr><th scope="col">${t('metrics.cohort')}</th><th scope="col" class="num">${t('metrics.clientsCol')}</th>
      ${years.map((y) => html`<th scope="col" class="num">${y}</th>`)}</tr></thead>
      <tbody>${cohorts.map((c) => html`<tr key=${c.cohort}><th scope="row">${c.cohort}</th><td class="num">${number(c.clients)}</td>
        ${years.map((y) => html`<td class="num">${(c.returned || {})[y] ? html`${number(c.returned[y])} <span class="muted">${percent(c.returned[y] / c.clients)}</span>` : html`<span class="muted">–</span>`}</td>`)}</tr>`)}</tbody></table>
  </section>`;
}
