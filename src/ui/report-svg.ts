/*
 * The pieces the HTML report's charts are built from: escaping, a nice integer scale, human durations,
 * and the frame every chart shares (an accessible <svg role="img"> named by data-chart).
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text or an attribute value from data: every character HTML gives a meaning to comes out as text. A
 * URL in the data (a note, say) reads the same but is not one in the page's source: its `:` is an entity.
 */
export function esc(value: string | number): string {
  return String(value)
    .replace(/[&<>"']/g, (c) => ENTITIES[c] as string)
    .replace(/:\/\//g, '&#58;//');
}

/** A number for an SVG coordinate: two decimals at most, no `-0`; a time that did not parse draws at 0, not `NaN`. */
export function num(value: number): string {
  if (!Number.isFinite(value)) return '0';
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** An integer axis from 0 whose step is 1, 2 or 5 × 10ⁿ, with at most `maxTicks` steps. */
export function niceScale(max: number, maxTicks = 5): { top: number; step: number; ticks: number[] } {
  if (!(max > 0)) return { top: 1, step: 1, ticks: [0, 1] };
  let step = 1;
  for (let magnitude = 1; ; magnitude *= 10) {
    const found = [1, 2, 5].map((m) => m * magnitude).find((s) => Math.ceil(max / s) <= maxTicks);
    if (found !== undefined) {
      step = found;
      break;
    }
  }
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let t = 0; t <= top; t += step) ticks.push(t);
  return { top, step, ticks };
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

/** `45 s`, `12 min`, `3.5 h`, `2.1 d`, `18 d`: one unit, one decimal below ten. */
export function humanDuration(seconds: number): string {
  const one = (value: number, unit: string): string => `${value < 10 ? Math.round(value * 10) / 10 : Math.round(value)} ${unit}`;
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < MINUTE) return `${Math.round(Math.max(0, seconds))} s`;
  if (seconds < HOUR) return `${Math.round(seconds / MINUTE)} min`;
  if (seconds < DAY) return one(seconds / HOUR, 'h');
  return one(seconds / DAY, 'd');
}

export interface ChartFrame {
  /** The data-chart name: `deploys-per-week`, `lead-time`, `incidents`. */
  name: string;
  title: string;
  /** What the chart shows, in words (the <desc>, and the aria-label after the title). */
  desc: string;
  width: number;
  height: number;
}

/** The chart's <svg>: role img, <title>, <desc> and an aria-label; `body` is its drawing. */
export function svgChart(frame: ChartFrame, body: string): string {
  const label = `${frame.title}: ${frame.desc}`;
  return [
    `<svg role="img" data-chart="${esc(frame.name)}" aria-label="${esc(label)}" viewBox="0 0 ${frame.width} ${frame.height}" width="100%" preserveAspectRatio="xMidYMid meet">`,
    `<title>${esc(frame.title)}</title><desc>${esc(frame.desc)}</desc>`,
    body,
    '</svg>',
  ].join('\n');
}

/** A chart with nothing to draw still says so, as an SVG of the same name (so a reader and a test find it). */
export function emptyChart(frame: ChartFrame, message: string): string {
  const body = `<text class="empty" data-empty="true" x="${frame.width / 2}" y="${frame.height / 2}" text-anchor="middle">${esc(message)}</text>`;
  return svgChart({ ...frame, desc: message }, body);
}

/** Horizontal grid lines and their labels for a y scale drawn from `y0` (value 0) up to `y1` (value top). */
export function yAxis(scale: { top: number; ticks: number[] }, x0: number, x1: number, y0: number, y1: number): string {
  return scale.ticks
    .map((t) => {
      const y = y0 - ((y0 - y1) * t) / scale.top;
      return `<line class="grid" x1="${x0}" x2="${x1}" y1="${num(y)}" y2="${num(y)}"/><text class="tick" x="${x0 - 6}" y="${num(y + 4)}" text-anchor="end">${t}</text>`;
    })
    .join('');
}
