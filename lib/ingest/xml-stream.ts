// A streaming reader for XML reports, built on saxes. The report parsers pick which elements to
// collect whole, such as one ReportHost's properties or one ReportItem. Everything else is only
// walked, so memory stays proportional to the largest collected element, not to the file.

import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { ReportError } from './report-error';

/** An element collected whole: its attributes, child elements and direct text, in document order. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Text and CDATA content directly inside this element, concatenated; child elements' text is not included. */
  text: string;
  /** Position of the end of the start tag, for error messages. */
  line: number;
  column: number;
}

/**
 * The action for an element that starts outside any collected element. `collect` reads it whole,
 * `enter` reports its start and end and calls the selector again for each child, and `skip` ignores its subtree.
 */
export type XmlAction = 'collect' | 'enter' | 'skip';

/**
 * Maximum nesting of elements inside one collected element. Scanner reports nest a few levels;
 * the limit keeps a hostile file from overflowing the stack of code that walks the tree.
 */
export const MAX_COLLECTED_DEPTH = 64;

/** Element names from the root down to the element itself. */
export type XmlPath = readonly string[];

export type XmlEvent =
  | { kind: 'open'; path: XmlPath; name: string; attributes: Record<string, string>; line: number; column: number }
  | { kind: 'close'; path: XmlPath; name: string }
  | { kind: 'element'; path: XmlPath; element: XmlElement };

/**
 * Chooses the action for an element from its path. `path` is the reader's own stack and changes
 * after the call returns, so copy it if it must be kept.
 */
export type XmlSelector = (path: XmlPath) => XmlAction;

/**
 * A saxes parser that raises every well-formedness error (unclosed tag, undefined entity,
 * text after the root element, …) as a `malformed` ReportError with the line and column where
 * the parser stopped. saxes calls `fail` for each error it finds.
 */
class StrictSaxesParser extends SaxesParser<{ position: true; xmlns: false }> {
  override fail(message: string): this {
    // saxes reports the 0-based column of the next character, which is the 1-based column of
    // the character it just read.
    throw new ReportError('malformed', `invalid XML: ${message.replace(/\.$/, '')}`, { line: this.line, column: this.column });
  }
}

/**
 * Parses XML text chunks and yields an event for each entered element's start and end and for
 * each collected element once it is complete. Throws ReportError: `empty` for a file without
 * content, `forbidden_dtd` for a DOCTYPE that declares entities, `malformed` for anything that
 * is not well-formed XML (including truncation).
 */
export async function* streamXml(input: AsyncIterable<string>, select: XmlSelector): AsyncGenerator<XmlEvent> {
  const parser = new StrictSaxesParser({ position: true, xmlns: false });
  const queue: XmlEvent[] = [];
  const path: string[] = [];
  // Open elements of the subtree being collected, outermost first; empty when not collecting.
  const collecting: XmlElement[] = [];
  let skipDepth = 0;
  let sawContent = false;

  parser.on('doctype', (doctype) => checkDoctype(doctype, parser.line, parser.column));

  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (skipDepth > 0) {
      skipDepth++;
      return;
    }

    const parent = collecting[collecting.length - 1];
    if (parent) {
      if (collecting.length >= MAX_COLLECTED_DEPTH) {
        throw new ReportError('malformed', `<${collecting[0]?.name}> nests elements more than ${MAX_COLLECTED_DEPTH} levels deep`, {
          line: parser.line,
          column: parser.column,
        });
      }
      const child = newElement(tag, parser);
      parent.children.push(child);
      collecting.push(child);
      return;
    }

    path.push(tag.name);
    const action = select(path);
    if (action === 'skip') {
      skipDepth = 1;
      path.pop();
    } else if (action === 'collect') {
      collecting.push(newElement(tag, parser));
    } else {
      queue.push({ kind: 'open', path: path.slice(), name: tag.name, attributes: tag.attributes, line: parser.line, column: parser.column });
    }
  });

  parser.on('closetag', (tag: SaxesTagPlain) => {
    if (skipDepth > 0) {
      skipDepth--;
      return;
    }

    const element = collecting.pop();
    if (element) {
      if (collecting.length === 0) {
        queue.push({ kind: 'element', path: path.slice(), element });
        path.pop();
      }
      return;
    }

    queue.push({ kind: 'close', path: path.slice(), name: tag.name });
    path.pop();
  });

  const appendText = (text: string) => {
    const element = collecting[collecting.length - 1];
    if (element) element.text += text;
  };
  parser.on('text', appendText);
  parser.on('cdata', appendText);

  for await (const chunk of input) {
    if (!sawContent && chunk.trim().length > 0) sawContent = true;
    parser.write(chunk);
    if (queue.length > 0) yield* queue.splice(0, queue.length);
  }

  if (!sawContent) throw new ReportError('empty', 'file is empty');
  parser.close();
  if (queue.length > 0) yield* queue.splice(0, queue.length);
}

function newElement(tag: SaxesTagPlain, parser: SaxesParser<{ position: true; xmlns: false }>): XmlElement {
  return { name: tag.name, attributes: tag.attributes, children: [], text: '', line: parser.line, column: parser.column };
}

/**
 * Rejects a DOCTYPE whose internal subset declares entities or refers to parameter entities.
 * saxes never expands such entities nor fetches an external DTD, but a report that declares
 * them is an XXE or entity-expansion (billion laughs) attempt, not a scanner's output, so it is
 * refused before any record is emitted. A DOCTYPE that only names an external DTD, as Qualys
 * reports do, is accepted, and that DTD is never read.
 */
function checkDoctype(doctype: string, line: number, column: number): void {
  const subset = internalSubset(doctype);
  if (subset === undefined) return;

  if (subset.toUpperCase().includes('<!ENTITY')) {
    throw new ReportError('forbidden_dtd', 'DOCTYPE declares entities, which reports never need and XXE attacks use; remove the internal DTD subset', { line, column });
  }
  if (/%[A-Za-z_:][\w.:-]*;/.test(subset)) {
    throw new ReportError('forbidden_dtd', 'DOCTYPE refers to a parameter entity, which reports never need and XXE attacks use; remove the internal DTD subset', { line, column });
  }
}

/** Returns the text between `[` and `]` of a DOCTYPE, skipping brackets inside quoted literals. */
function internalSubset(doctype: string): string | undefined {
  let quote = '';
  for (let index = 0; index < doctype.length; index++) {
    const char = doctype[index];
    if (quote) {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '[') {
      const end = doctype.lastIndexOf(']');
      return doctype.slice(index + 1, end > index ? end : doctype.length);
    }
  }
  return undefined;
}

/** Returns the first child element with this name. */
export function childElement(element: XmlElement, name: string): XmlElement | undefined {
  for (const child of element.children) {
    if (child.name === name) return child;
  }
  return undefined;
}

/** Returns all child elements with this name, in document order. */
export function childElements(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/** Returns the trimmed text of the first child with this name, or undefined when it is missing or blank. */
export function childText(element: XmlElement, name: string): string | undefined {
  const child = childElement(element, name);
  return child ? nonBlank(child.text) : undefined;
}

/** Returns the trimmed text, or undefined for blank text. */
export function nonBlank(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  return trimmed.length > 0 ? trimmed : undefined;
}

/**
 * Converts an element's subtree into plain JSON-ready values for a record's `raw` field: a leaf
 * becomes its text (or `{ ...attributes, text }` when it has attributes), a parent becomes an
 * object of its children, and repeated child names become arrays.
 */
export function elementToRaw(element: XmlElement): unknown {
  const attributeNames = Object.keys(element.attributes);
  if (element.children.length === 0) {
    if (attributeNames.length === 0) return element.text;
    const leaf: Record<string, unknown> = {};
    for (const name of attributeNames) appendRaw(leaf, name, element.attributes[name]);
    appendRaw(leaf, 'text', element.text);
    return leaf;
  }

  const result: Record<string, unknown> = {};
  for (const name of attributeNames) appendRaw(result, name, element.attributes[name]);
  for (const child of element.children) {
    appendRaw(result, child.name, elementToRaw(child));
  }
  return result;
}

/**
 * Adds a value under a key, turning the entry into an array when the key repeats. Keys come from
 * the report, so `__proto__` is defined as an own property instead of replacing the prototype.
 */
export function appendRaw(target: Record<string, unknown>, key: string, value: unknown): void {
  if (!Object.hasOwn(target, key)) {
    setOwn(target, key, value);
    return;
  }
  const existing = target[key];
  if (Array.isArray(existing)) existing.push(value);
  else setOwn(target, key, [existing, value]);
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
