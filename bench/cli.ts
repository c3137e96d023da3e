// Command-line helpers shared by the benchmark scripts.

/** Prints the message and the script's usage, then exits with code 2, as for any usage error. */
export function failWithUsage(message: string, usage: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}

/** Parses an option that must be a whole number of at least 1, or exits with the usage. */
export function positiveInteger(name: string, text: string, usage: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) failWithUsage(`invalid ${name} "${text}": expected a whole number of at least 1`, usage);
  return value;
}

/** Returns the connection string with its database name replaced. */
export function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
