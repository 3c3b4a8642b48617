/**
 * Series colours shared by the charts: the Okabe-Ito palette (told apart with
 * every common colour-vision deficiency) without its black, which vanishes on
 * a dark page, plus a grey. Beyond eight series the colours repeat with a
 * dashed, then a dotted line, so no two series look alike.
 */
export const SERIES_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#999999'] as const;

/** SVG `stroke-dasharray` values: solid, dashed, dotted. */
export const SERIES_DASHES = ['', '6 3', '2 3'] as const;

export interface SeriesStyle {
  colour: string;
  /** Empty for a solid line. */
  dash: string;
}

/** The style of the i-th series (0-based): a colour, then a dash pattern once the colours are used up. */
export function seriesStyle(i: number): SeriesStyle {
  const n = SERIES_COLOURS.length;
  return { colour: SERIES_COLOURS[i % n] as string, dash: SERIES_DASHES[Math.floor(i / n) % SERIES_DASHES.length] as string };
}
