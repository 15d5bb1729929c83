// The usage chart: bars of messages in and out per day (left axis) and a line of the estimated cost per day (right
// axis), drawn as SVG from the usage report.
import { s } from '../dom.js';
import { usd, integer } from '../format.js';

function niceStep(value) {
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  const fraction = value / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

export function drawChart(container, report) {
  const days = report.days;
  const width = Math.max(container.clientWidth || 600, 280);
  const height = width < 520 ? 220 : 280;
  const pad = { left: 40, right: 58, top: 14, bottom: 30 };
  const plotWidth = width - pad.left - pad.right;
  const plotHeight = height - pad.top - pad.bottom;
  const ticks = 4;

  const maxMessages = Math.max(...days.map(d => d.inbound_messages + d.outbound_messages), 0);
  const messageStep = maxMessages === 0 ? 1 : Math.max(1, niceStep(maxMessages / ticks));
  const messageTop = messageStep * ticks;
  const maxCost = Math.max(...days.map(d => d.estimated_cost_usd), 0);
  const costStep = maxCost === 0 ? 0.01 : niceStep(maxCost / ticks);
  const costTop = costStep * ticks;

  const y = (value, top) => pad.top + plotHeight - (plotHeight * value) / top;
  const slot = plotWidth / days.length;
  const barWidth = Math.max(1, Math.min(28, slot * 0.7));

  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-labelledby': 'usage-chart-title',
    class: 'usage-svg',
  });
  svg.append(s('title', { id: 'usage-chart-title' },
    `Messages and estimated cost per day from ${report.from} to ${report.to}: ${report.total.inbound_messages} in, ${report.total.outbound_messages} out, ${usd.format(report.total.estimated_cost_usd)} in all`));

  const grid = s('g', { class: 'grid' });
  for (let i = 0; i <= ticks; i++) {
    const lineY = y(i * messageStep, messageTop);
    grid.append(s('line', { x1: pad.left, x2: width - pad.right, y1: lineY, y2: lineY }));
    grid.append(s('text', { x: pad.left - 6, y: lineY + 4, 'text-anchor': 'end', class: 'axis' }, integer.format(i * messageStep)));
    grid.append(s('text', { x: width - pad.right + 6, y: lineY + 4, 'text-anchor': 'start', class: 'axis cost' }, usd.format(i * costStep)));
  }
  svg.append(grid);

  const bars = s('g', { class: 'bars' });
  const labelEvery = Math.max(1, Math.ceil(days.length / Math.max(1, Math.floor(plotWidth / 46))));
  days.forEach((day, i) => {
    const x = pad.left + slot * i + (slot - barWidth) / 2;
    const inTop = y(day.inbound_messages, messageTop);
    const outTop = y(day.inbound_messages + day.outbound_messages, messageTop);
    const group = s('g', { class: 'day', 'data-day': day.day });
    group.append(s('title', {}, `${day.day}: ${day.inbound_messages} in, ${day.outbound_messages} out, ${usd.format(day.estimated_cost_usd)}`));
    group.append(s('rect', { x, y: inTop, width: barWidth, height: pad.top + plotHeight - inTop, class: 'in' }));
    group.append(s('rect', { x, y: outTop, width: barWidth, height: inTop - outTop, class: 'out' }));
    bars.append(group);
    if (i % labelEvery === 0 || i === days.length - 1 && days.length <= 8) {
      bars.append(s('text', { x: pad.left + slot * (i + 0.5), y: height - pad.bottom + 16, 'text-anchor': 'middle', class: 'axis' }, day.day.slice(5)));
    }
  });
  svg.append(bars);

  const points = days.map((day, i) => `${(pad.left + slot * (i + 0.5)).toFixed(1)},${y(day.estimated_cost_usd, costTop).toFixed(1)}`);
  const cost = s('g', { class: 'cost-line' });
  cost.append(s('polyline', { points: points.join(' ') }));
  if (days.length <= 62) {
    days.forEach((day, i) => cost.append(s('circle', { cx: pad.left + slot * (i + 0.5), cy: y(day.estimated_cost_usd, costTop), r: 3 })));
  }
  svg.append(cost);
  svg.append(s('line', { x1: pad.left, x2: width - pad.right, y1: pad.top + plotHeight, y2: pad.top + plotHeight, class: 'baseline' }));
  container.replaceChildren(svg);
}
