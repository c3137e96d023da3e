/** A command line that cannot be run as written; the CLI prints the message and the help text. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}
