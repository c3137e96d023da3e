import { describe, expect, it } from 'vitest';
import { ReportError } from '../../lib/ingest/report-error';
import { childText, elementToRaw, streamXml, type XmlEvent, type XmlSelector } from '../../lib/ingest/xml-stream';
import { chunksOf } from './parse-report';

async function collect(text: string, select: XmlSelector, chunkSize = 5): Promise<XmlEvent[]> {
  const events: XmlEvent[] = [];
  for await (const event of streamXml(chunksOf(text, chunkSize), select)) events.push(event);
  return events;
}

async function rejection(text: string): Promise<ReportError> {
  try {
    await collect(text, () => 'enter');
  } catch (error) {
    if (error instanceof ReportError) return error;
    throw error;
  }
  throw new Error('the XML was accepted');
}

const selectItems: XmlSelector = (path) => {
  if (path.length <= 2) return 'enter';
  return path[2] === 'item' ? 'collect' : 'skip';
};

describe('streamXml', () => {
  it('collects selected elements whole', async () => {
    const xml = '<root><list a="1"><item id="x"><name>first</name><tag>t1</tag><tag>t2</tag></item><other><deep/></other><item id="y"/></list></root>';
    const events = await collect(xml, selectItems);

    expect(events.map((event) => `${event.kind}:${event.path.join('/')}`)).toEqual([
      'open:root',
      'open:root/list',
      'element:root/list/item',
      'element:root/list/item',
      'close:root/list',
      'close:root',
    ]);
    const first = events[2];
    if (first?.kind !== 'element') throw new Error('expected an element');
    expect(first.element.attributes).toEqual({ id: 'x' });
    expect(childText(first.element, 'name')).toBe('first');
    expect(elementToRaw(first.element)).toEqual({ id: 'x', name: 'first', tag: ['t1', 't2'] });
  });

  it('joins text, CDATA and entities', async () => {
    const xml = '<root><list><item>a &amp; b <![CDATA[<not a tag> & ]]>&#x41;&lt;</item></list></root>';
    const events = await collect(xml, selectItems, 3);
    const item = events.find((event) => event.kind === 'element');
    if (item?.kind !== 'element') throw new Error('expected an element');
    expect(item.element.text).toBe('a & b <not a tag> & A<');
  });

  it('keeps __proto__ as plain data', async () => {
    const events = await collect('<root><list><item><__proto__>x</__proto__></item></list></root>', selectItems);
    const item = events.find((event) => event.kind === 'element');
    if (item?.kind !== 'element') throw new Error('expected an element');
    const raw = elementToRaw(item.element) as Record<string, unknown>;
    expect(Object.getPrototypeOf(raw)).toBe(Object.prototype);
    expect(Object.hasOwn(raw, '__proto__')).toBe(true);
  });

  it('accepts a DOCTYPE naming an external DTD', async () => {
    const xml = '<?xml version="1.0"?>\n<!DOCTYPE SCAN SYSTEM "https://qualysguard.example.test/scan-1.dtd">\n<root/>';
    const events = await collect(xml, () => 'enter');
    expect(events.map((event) => event.kind)).toEqual(['open', 'close']);
  });

  it('rejects XXE with an external entity', async () => {
    const xml = '<?xml version="1.0"?>\n<!DOCTYPE root [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<root>&xxe;</root>';
    const error = await rejection(xml);
    expect(error.code).toBe('forbidden_dtd');
    expect(error.position.line).toBe(4);
  });

  it('rejects billion laughs', async () => {
    const entities = ['<!ENTITY lol "lol">'];
    for (let level = 1; level <= 9; level++) {
      const previous = level === 1 ? 'lol' : `lol${level - 1}`;
      entities.push(`<!ENTITY lol${level} "${`&${previous};`.repeat(10)}">`);
    }
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n${entities.join('\n')}\n]>\n<lolz>&lol9;</lolz>`;
    expect((await rejection(xml)).code).toBe('forbidden_dtd');
  });

  it('rejects parameter entities', async () => {
    const declared = '<!DOCTYPE root [ <!entity % remote SYSTEM "http://127.0.0.1/evil.dtd"> %remote; ]><root/>';
    expect((await rejection(declared)).code).toBe('forbidden_dtd');
    const referenced = '<!DOCTYPE root [ %remote; ]><root/>';
    expect((await rejection(referenced)).code).toBe('forbidden_dtd');
  });

  it('rejects a forbidden DOCTYPE before any event', async () => {
    const xml = '<!DOCTYPE root [ <!ENTITY a "b"> ]><root><list><item/></list></root>';
    const events: XmlEvent[] = [];
    await expect(async () => {
      for await (const event of streamXml(chunksOf(xml, 1000), selectItems)) events.push(event);
    }).rejects.toThrow(ReportError);
    expect(events).toEqual([]);
  });

  it('rejects an undefined entity', async () => {
    const error = await rejection('<root>\n  <a>&nbsp;</a>\n</root>');
    expect(error.code).toBe('malformed');
    expect(error.message).toContain('undefined entity');
    expect(error.position).toMatchObject({ line: 2 });
  });

  it('rejects truncated XML with its position', async () => {
    const error = await rejection('<root>\n  <list>\n    <item>text');
    expect(error.code).toBe('malformed');
    expect(error.message).toMatch(/unclosed tag/);
    expect(error.position.line).toBe(3);
    expect(error.position.column).toBeGreaterThan(0);
  });

  it('rejects mismatched tags', async () => {
    const error = await rejection('<root><a></b></root>');
    expect(error.code).toBe('malformed');
  });

  it('reports an empty file as empty', async () => {
    expect((await rejection('')).code).toBe('empty');
    expect((await rejection(' \n\t ')).code).toBe('empty');
  });
});

describe('streamXml limits', () => {
  it('rejects collected elements nested too deeply', async () => {
    const xml = `<root><list><item>${'<a>'.repeat(100)}${'</a>'.repeat(100)}</item></list></root>`;
    await expect(collect(xml, selectItems, 4096)).rejects.toMatchObject({ code: 'malformed', message: expect.stringContaining('levels deep') });
  });

  it('walks deep skipped elements', async () => {
    const xml = `<root><list><other>${'<a>'.repeat(10000)}${'</a>'.repeat(10000)}</other><item/></list></root>`;
    const events = await collect(xml, selectItems, 4096);
    expect(events.filter((event) => event.kind === 'element')).toHaveLength(1);
  });
});
