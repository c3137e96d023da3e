// Conversion of the markup that Nexpose (InsightVM) XML exports use for descriptions, solutions
// and test proofs (ContainerBlockElement, Paragraph, UnorderedList, OrderedList, ListItem,
// URLLink, Table) into plain text with blank lines between blocks and one line per list item.

import type { XmlElement } from '../xml-stream';

/**
 * Renders an element's content as plain text. A Paragraph with `preformat="true"` keeps its line
 * breaks; other text has its whitespace collapsed.
 *
 * NOTE: the collected element keeps an element's own text apart from its child elements, so a
 * Paragraph that mixes text and child elements is rendered text first. Nexpose proofs usually
 * put the text first; the rare other order comes out reordered but complete.
 */
export function renderNexposeText(element: XmlElement): string {
  return cleanBlankLines(renderBlock(element)).trim();
}

function renderBlock(element: XmlElement): string {
  switch (element.name) {
    case 'UnorderedList':
      return element.children.map((item) => `- ${indentFollowingLines(renderBlock(item), '  ')}`).join('\n');
    case 'OrderedList':
      return element.children.map((item, index) => `${index + 1}. ${indentFollowingLines(renderBlock(item), '   ')}`).join('\n');
    case 'URLLink':
      return renderLink(element);
    case 'Table':
      return element.children.map((row) => renderBlock(row)).join('\n');
    case 'TableRow':
      return element.children.map((cell) => renderBlock(cell).replace(/\s+/g, ' ')).join(' | ');
    default:
      return renderMixed(element);
  }
}

/** Renders the element's own text, then its children, as blocks separated by blank lines. */
function renderMixed(element: XmlElement): string {
  const blocks: string[] = [];
  const own = element.attributes.preformat === 'true' ? preformatted(element.text) : element.text.replace(/\s+/g, ' ').trim();
  if (own) blocks.push(own);

  // Consecutive links and plain inline text stay on one line with the text before them.
  for (const child of element.children) {
    const text = renderBlock(child);
    if (!text) continue;
    if (child.name === 'URLLink' && blocks.length > 0) blocks[blocks.length - 1] += ` ${text}`;
    else blocks.push(text);
  }
  return blocks.join('\n\n');
}

function renderLink(element: XmlElement): string {
  const url = element.attributes.LinkURL?.trim();
  const title = (element.attributes.LinkTitle ?? element.text).replace(/\s+/g, ' ').trim();
  if (url && title && title !== url) return `${title} (${url})`;
  return url || title;
}

/** Keeps the line breaks of preformatted text and removes the indentation all its lines share. */
function preformatted(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 0 && lines[0]?.trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^\s*/.exec(line)?.[0].length ?? 0);
  const shared = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(shared).trimEnd()).join('\n');
}

function indentFollowingLines(text: string, indent: string): string {
  return text.replace(/\n(?=.)/g, `\n${indent}`);
}

function cleanBlankLines(text: string): string {
  return text.replace(/\n{3,}/g, '\n\n');
}
