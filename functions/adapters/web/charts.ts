/**
 * Small server-rendered SVG charts for the console: horizontal bars with
 * their figures written next to them, so the chart reads without colour and
 * without scripts. Each is an `img` whose title and description carry every
 * figure as text (screen readers, text browsers). Labels are outside text
 * (departments, app names): they go through `html`, which escapes them.
 */
import { html, trusted, type SafeHtml } from './html';

export type BarTone = 'accent' | 'bad' | 'warn' | 'ok' | 'muted';

const TONES: Record<BarTone, string> = {
  accent: '#0b5cad',
  bad: '#a40e26',
  warn: '#8a4b00',
  ok: '#176f2c',
  muted: '#6e7781',
};

export interface BarDatum {
  label: string;
  value: number;
  /** The figure as shown ("4,320 USD"); default the value. */
  display?: string;
  tone?: BarTone;
}

export interface BarChartInput {
  /** Unique on the page: ids of the title and description. */
  id: string;
  title: string;
  data: readonly BarDatum[];
  /** Shown instead of a chart when there is nothing to draw. */
  empty: string;
}

const WIDTH = 360;
const LABEL_WIDTH = 128;
const VALUE_WIDTH = 84;
const ROW = 26;
const BAR = 16;
const MAX_LABEL_CHARS = 19;

function shortLabel(label: string): string {
  const chars = Array.from(label);
  return chars.length <= MAX_LABEL_CHARS ? label : `${chars.slice(0, MAX_LABEL_CHARS - 1).join('')}…`;
}

/** A horizontal bar chart; bars scale to the largest value. */
export function barChart(input: BarChartInput): SafeHtml {
  const { data } = input;
  if (data.length === 0 || data.every((d) => d.value <= 0)) return html`<p class="hint chart-empty">${input.empty}</p>`;
  const max = Math.max(...data.map((d) => d.value));
  const span = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const height = data.length * ROW + 4;
  const figures = data.map((d) => `${d.label}: ${d.display ?? String(d.value)}`).join('; ');
  const rows = data.map((d, i) => {
    const y = 2 + i * ROW;
    const width = d.value > 0 ? Math.max(2, Math.round((d.value / max) * span)) : 0;
    const fill = TONES[d.tone ?? 'accent'];
    return html`<g><title>${d.label}: ${d.display ?? String(d.value)}</title><text x="${LABEL_WIDTH - 8}" y="${y + BAR - 3}" text-anchor="end" class="label">${shortLabel(d.label)}</text><rect x="${LABEL_WIDTH}" y="${y}" width="${width}" height="${BAR}" rx="2" fill="${fill}"></rect><text x="${LABEL_WIDTH + width + 6}" y="${y + BAR - 3}" class="figure">${d.display ?? String(d.value)}</text></g>`;
  });
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="${input.id}-t ${input.id}-d" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="12"><title id="${input.id}-t">${input.title}</title><desc id="${input.id}-d">${figures}</desc>${trusted('')}${rows}</svg>`;
}
