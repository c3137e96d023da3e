/** Returns the index of the quote that ends a JSON string starting at `from`, or -1 when the head of the report ends first. */
export function jsonStringEnd(text: string, from: number): number {
  for (let index = from; index < text.length; index++) {
    const char = text[index];
    if (char === '\\') index++;
    else if (char === '"') return index;
  }
  return -1;
}
