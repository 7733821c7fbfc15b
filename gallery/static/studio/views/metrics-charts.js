// Small accessible charts in inline SVG: each is an image with a spoken summary, and its figures in a table.
import { html } from '../ui.js';
import { number } from '../i18n.js';

const W = 560, H = 200, PAD = { left: 40, right: 24, top: 20, bottom: 28 };

function ticks(min, max, count = 4) {
  const step = (max - min) / count;
  return Array.from({ length: count + 1 }, (_, i) => Math.round(min + i * step));
}

// A line over labelled points ({label, value}; value null: no data that month), on a fixed y range.
export function LineChart({ id, title, summary, points, min = -100, max = 100 }) {
  const innerW = W - PAD.left - PAD.right, innerH = H - PAD.top - PAD.bottom;
  const x = (i) => PAD.left + (points.length < 2 ? innerW / 2 : (i * innerW) / (points.length - 1));
  const y = (v) => PAD.top + ((max - v) * innerH) / (max - min);
  const segments = [];
  let run = [];
  points.forEach((p, i) => { if (p.value === null || p.value === undefined) { if (run.length) segments.push(run); run = []; } else run.push([x(i), y(p.value)]); });
  if (run.length) segments.push(run);
  const every = Math.max(1, Math.ceil(points.length / 8));
  return html`<figure class="chart" aria-labelledby=${id + '-title'}>
    <figcaption id=${id + '-title'} class="chart-title">${title}</figcaption>
    <svg viewBox=${`0 0 ${W} ${H}`} role="img" aria-label=${summary} class="chart-svg" preserveAspectRatio="xMidYMid meet">
      ${ticks(min, max).map((v) => html`<g class="grid-line"><line x1=${PAD.left} x2=${W - PAD.right} y1=${y(v)} y2=${y(v)}/>
        <text x=${PAD.left - 6} y=${y(v) + 4} text-anchor="end">${number(v)}</text></g>`)}
      ${min < 0 && max > 0 && html`<line class="zero-line" x1=${PAD.left} x2=${W - PAD.right} y1=${y(0)} y2=${y(0)}/>`}
      ${segments.map((seg) => html`<polyline class="series" points=${seg.map((p) => p.join(',')).join(' ')}/>`)}
      ${points.map((p, i) => p.value !== null && p.value !== undefined && html`<circle class="dot-point" cx=${x(i)} cy=${y(p.value)} r="3.5"/>`)}
      ${points.map((p, i) => i % every === 0 && html`<text class="x-label" x=${x(i)} y=${H - 8}
        text-anchor=${points.length > 1 && i === points.length - 1 ? 'end' : i === 0 && points.length > 1 ? 'start' : 'middle'}>${p.label}</text>`)}
    </svg>
  </figure>`;
}

// Vertical bars ({label, value, note}) from zero; values as shares (0..1) shown in percent.
export function BarChart({ id, title, summary, bars, percent = true }) {
  const innerW = W - PAD.left - PAD.right, innerH = H - PAD.top - PAD.bottom;
  const max = percent ? 1 : Math.max(1, ...bars.map((b) => b.value || 0));
  const slot = innerW / Math.max(1, bars.length);
  const width = Math.min(56, slot * 0.6);
  const y = (v) => PAD.top + innerH - (v * innerH) / max;
  const show = (v) => (percent ? number(v, { style: 'percent', maximumFractionDigits: 0 }) : number(v));
  return html`<figure class="chart" aria-labelledby=${id + '-title'}>
    <figcaption id=${id + '-title'} class="chart-title">${title}</figcaption>
    <svg viewBox=${`0 0 ${W} ${H}`} role="img" aria-label=${summary} class="chart-svg">
      ${[0, 0.25, 0.5, 0.75, 1].map((f) => html`<g class="grid-line"><line x1=${PAD.left} x2=${W - PAD.right} y1=${y(f * max)} y2=${y(f * max)}/>
        <text x=${PAD.left - 6} y=${y(f * max) + 4} text-anchor="end">${show(f * max)}</text></g>`)}
      ${bars.map((b, i) => html`<g>
        <rect class="bar" x=${PAD.left + i * slot + (slot - width) / 2} y=${y(b.value || 0)} width=${width} height=${Math.max(0, innerH + PAD.top - y(b.value || 0))} rx="3"/>
        <text class="bar-value" x=${PAD.left + i * slot + slot / 2} y=${y(b.value || 0) - 4} text-anchor="middle">${show(b.value || 0)}</text>
        <text class="x-label" x=${PAD.left + i * slot + slot / 2} y=${H - 8} text-anchor="middle">${b.label}</text></g>`)}
    </svg>
  </figure>`;
}

// A figure with a bar behind it, for tables (the number is the text; the bar is decoration).
export function Meter({ value, of, children }) {
  const share = of ? Math.min(1, value / of) : 0;
  return html`<span class="meter"><span class="meter-bar" aria-hidden="true" style=${{ width: `${Math.round(share * 100)}%` }}></span>
    <span class="meter-text">${children}</span></span>`;
}
