import { scrubText } from './secrets.js';
import { groupedNumber } from '../core/grouped-number.js';

/**
 * Short descriptions of response bodies batchbench cannot read, for error
 * messages: what was wrong, the content type and size, and at most a short
 * excerpt (an HTML page's title, or the first words of a text body), never the
 * whole body.
 */

const EXCERPT_CHARS = 100;

/** `1234` → `1,234 bytes`. */
export function byteCount(bytes: number): string {
  return `${groupedNumber(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
}

/** The media type of a `content-type` header (`text/html; charset=utf-8` → `text/html`), or `no content type`. */
export function mediaTypeOf(contentType: string | null | undefined): string {
  const media = contentType?.split(';')[0]?.trim().toLowerCase();
  return media === undefined || media === '' ? 'no content type' : media;
}

/** Whether a media type is JSON (`application/json`, `application/problem+json`, ...). */
export function isJsonMediaType(media: string): boolean {
  return media.includes('application/json') || media.endsWith('+json');
}

/** An HTML page's `<title>`, else the first words of a text body; empty for markup without a title. */
export function excerptOf(text: string): string {
  const lower = text.slice(0, 4_096).toLowerCase();
  const start = lower.indexOf('<title');
  if (start >= 0) {
    const open = lower.indexOf('>', start);
    const close = lower.indexOf('</title', open);
    if (open >= 0 && close > open) return clip(text.slice(open + 1, close));
  }
  if (lower.trimStart().startsWith('<')) return '';
  return clip(text);
}

function clip(text: string): string {
  const flat = text.slice(0, EXCERPT_CHARS * 4).replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}

/**
 * Why a body is unreadable, e.g. `the body was not JSON (text/html, 1,234 bytes: "502 Bad Gateway")`
 * or `the body ends before its JSON does (application/json, 20 bytes)`. `parseError` is the
 * `JSON.parse` failure, when the body was parsed.
 */
export function describeUnreadableBody(contentType: string | null | undefined, text: string, secrets: readonly string[], parseError?: unknown): string {
  const media = mediaTypeOf(contentType);
  const bytes = Buffer.byteLength(text);
  if (text.trim() === '') return `the body was empty (${media}, ${byteCount(bytes)})`;
  const excerpt = scrubText(excerptOf(text), secrets);
  const where = `${media}, ${byteCount(bytes)}${excerpt !== '' ? `: ${JSON.stringify(excerpt)}` : ''}`;
  const reason = parseError instanceof Error ? parseError.message : '';
  if (isJsonMediaType(media) || /^\s*[[{]/.test(text)) {
    const position = /at position (\d+)/.exec(reason);
    const atEnd = position !== null && Number(position[1]) >= text.trimEnd().length;
    if (atEnd || /end of (json )?input|unterminated/i.test(reason)) return `the body ends before its JSON does, a truncated body (${media}, ${byteCount(bytes)})`;
    return `the body was malformed JSON (${media}, ${byteCount(bytes)}${reason !== '' ? `: ${clip(scrubText(reason, secrets))}` : ''})`;
  }
  return `the body was not JSON (${where})`;
}

/**
 * The JSON value of a body, or the reason it cannot be read. Any content type
 * whose body parses is accepted (some servers label JSON `text/plain`).
 */
export function parseBody(contentType: string | null | undefined, text: string, secrets: readonly string[]): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (text.trim() === '') return { ok: false, reason: describeUnreadableBody(contentType, text, secrets) };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, reason: describeUnreadableBody(contentType, text, secrets, e) };
  }
}

/** What a parsed body is, for a message about missing fields: `a JSON object with keys error, id`, `a JSON string`, `null`. */
export function shapeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a JSON array of ${value.length}`;
  if (typeof value !== 'object') return `a JSON ${typeof value}`;
  const keys = Object.keys(value);
  if (keys.length === 0) return 'an empty JSON object';
  const shown = keys.slice(0, 8).join(', ');
  return `a JSON object with keys ${shown}${keys.length > 8 ? `, … (${keys.length} keys)` : ''}`;
}
