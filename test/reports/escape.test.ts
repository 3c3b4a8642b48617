import { describe, expect, it } from 'vitest';
import { clip, escapeHtml, jsonForScript } from '../../harness/reports/html/escape.js';

describe('HTML escaping', () => {
  it('escapes the five markup characters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('writes JSON no </script> or <!-- can break out of, and that parses back unchanged', () => {
    const value = { text: '</script><script>alert(1)</script> <!-- & \u2028 \u2029' };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });

  it('clips long text and says how much was cut', () => {
    expect(clip('abcdef', 4)).toBe('abcd… (2 more characters)');
    expect(clip('abc', 4)).toBe('abc');
  });
});
