/**
 * A minimal XML reader for the tests: elements, attributes, text and the five
 * predefined entities plus numeric references. It throws on anything malformed
 * it meets (unclosed or mismatched tags, bad attributes, stray `<` or `&`), so
 * parsing a file is a real well-formedness check for what junit.xml uses.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string, at: number): string {
  return text.replace(/&([^;]*);|&|</g, (m, name: string | undefined) => {
    if (m === '<' || m === '&' || name === undefined) throw new Error(`stray "${m}" near offset ${at}`);
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    const e = ENTITIES[name];
    if (e === undefined) throw new Error(`unknown entity &${name}; near offset ${at}`);
    return e;
  });
}

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const skipSpace = (): void => {
    while (i < xml.length && /\s/.test(xml[i] as string)) i++;
  };
  if (xml.startsWith('<?xml')) i = xml.indexOf('?>') + 2;
  skipSpace();
  const element = (): XmlElement => {
    if (xml[i] !== '<') throw new Error(`expected "<" at ${i}`);
    i++;
    const name = /^[A-Za-z_][\w.-]*/.exec(xml.slice(i))?.[0];
    if (!name) throw new Error(`bad tag name at ${i}`);
    i += name.length;
    const attrs: Record<string, string> = {};
    for (;;) {
      skipSpace();
      if (xml.startsWith('/>', i)) {
        i += 2;
        return { name, attrs, children: [], text: '' };
      }
      if (xml[i] === '>') {
        i++;
        break;
      }
      const m = /^([A-Za-z_][\w.-]*)="([^"<]*)"/.exec(xml.slice(i));
      if (!m) throw new Error(`bad attribute in <${name}> at ${i}`);
      if ((m[1] as string) in attrs) throw new Error(`duplicate attribute ${m[1]} in <${name}>`);
      attrs[m[1] as string] = decode(m[2] as string, i);
      i += m[0].length;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      const next = xml.indexOf('<', i);
      if (next < 0) throw new Error(`<${name}> is not closed`);
      text += decode(xml.slice(i, next), i);
      i = next;
      if (xml.startsWith('</', i)) {
        const close = `</${name}>`;
        if (!xml.startsWith(close, i)) throw new Error(`expected ${close} at ${i}, found ${xml.slice(i, i + 30)}`);
        i += close.length;
        return { name, attrs, children, text };
      }
      children.push(element());
    }
  };
  const root = element();
  skipSpace();
  if (i !== xml.length) throw new Error(`content after the root element at ${i}`);
  return root;
}

/** Every element named `name` below (and including) `el`, depth first. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  return [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => findAll(c, name))];
}
