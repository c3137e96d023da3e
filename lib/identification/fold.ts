/** Case and whitespace folding, so "OpenSSL " and "openssl" are one value. */
export function fold(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}
