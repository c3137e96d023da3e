// Conversion of CycloneDX XML elements (specification 1.4 to 1.6) to the values the JSON
// encoding gives for the same BOM, so that the XML parser can reuse the JSON parser's mapping.
// The CycloneDX XML schema wraps each list in a container (`<ratings><rating>…`), where JSON has
// an array under the container's name, and writes some leaf values as attributes.

import type { XmlElement } from '../xml-stream';

/** List containers and the element name of their items. */
const LIST_ITEMS: Record<string, string> = {
  components: 'component',
  services: 'service',
  properties: 'property',
  occurrences: 'occurrence',
  references: 'reference',
  externalReferences: 'reference',
  ratings: 'rating',
  cwes: 'cwe',
  advisories: 'advisory',
  affects: 'target',
  versions: 'version',
  responses: 'response',
  hashes: 'hash',
  authors: 'author',
  tools: 'tool',
  organizations: 'organization',
  individuals: 'individual',
  dependencies: 'dependency',
  lifecycles: 'lifecycle',
  methods: 'method',
  frames: 'frame',
  tags: 'tag',
};

/** List containers whose JSON name differs from the XML one. */
const JSON_NAMES: Record<string, string> = { responses: 'response' };

/**
 * Leaf elements whose text is a number in JSON.
 * NOTE: booleans and numbers of other fields stay strings, so the raw copy of such a field can
 * differ from the JSON encoding's. The fields the mapping reads are all covered here.
 */
const NUMBER_LEAVES: ReadonlySet<string> = new Set(['score', 'cwe', 'confidence', 'line', 'offset']);

/** Leaf elements with attributes and the JSON key their text goes under (`<property name="a">b</property>`). */
const TEXT_KEYS: Record<string, string> = { property: 'value', hash: 'content', text: 'content' };

/** Attribute names whose JSON name differs. */
const ATTRIBUTE_NAMES: Record<string, string> = { 'content-type': 'contentType' };

/** Returns the element's name without a namespace prefix (`cdx:component` is `component`). */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** Converts an element to the JSON value of the same CycloneDX field. */
export function jsonValue(element: XmlElement): unknown {
  const name = localName(element.name);
  const listItem = LIST_ITEMS[name];
  // `tools` is a list of `tool` in 1.4, and an object of component and service lists from 1.5 on.
  if (listItem && element.children.every((child) => localName(child.name) === listItem)) {
    return element.children.map((child) => jsonValue(child));
  }
  // A license list mixes `license` and `expression` entries, each its own object in JSON.
  if (name === 'licenses') return element.children.map((child) => ({ [localName(child.name)]: jsonValue(child) }));

  const attributes = Object.entries(element.attributes).filter(([attribute]) => attribute !== 'xmlns' && !attribute.startsWith('xmlns:'));
  if (element.children.length === 0) {
    const text = element.text.trim();
    if (attributes.length === 0) return leafValue(name, text);
    const object = attributeObject(attributes);
    if (text !== '') object[TEXT_KEYS[name] ?? 'content'] = text;
    return object;
  }

  const object = attributeObject(attributes);
  for (const child of element.children) {
    const childName = localName(child.name);
    const key = JSON_NAMES[childName] ?? childName;
    const value = jsonValue(child);
    if (value === undefined) continue;
    // A repeated element is a list in JSON (an organization's `url` and `contact`).
    if (!Object.hasOwn(object, key)) setOwn(object, key, value);
    else if (Array.isArray(object[key]) && !LIST_ITEMS[childName]) (object[key] as unknown[]).push(value);
    else setOwn(object, key, [object[key], value]);
  }
  return object;
}

function leafValue(name: string, text: string): unknown {
  if (text === '') return undefined;
  if (NUMBER_LEAVES.has(name) && /^-?\d+(?:\.\d+)?$/.test(text)) return Number(text);
  return text;
}

function attributeObject(attributes: [string, string][]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [attribute, value] of attributes) setOwn(object, ATTRIBUTE_NAMES[attribute] ?? attribute, value);
  return object;
}

/** Defines a key as an own property, so a report's `__proto__` element cannot replace the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
