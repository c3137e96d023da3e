// A streaming reader for JSON reports, built on the stream-json tokenizer. The report parsers
// choose which values to assemble into plain objects, such as one vulnerability or one header
// field. Everything else is only walked, so memory stays proportional to the largest assembled
// value, not to the file. The whole document is never passed to JSON.parse.

import Parser from 'stream-json/Parser.js';
import { ReportError } from './report-error';

export type JsonPathSegment = string | number;
/** Keys and array indexes from the root down to a value. */
export type JsonPath = readonly JsonPathSegment[];
export type JsonValueType = 'object' | 'array' | 'scalar';

/**
 * The action for a value that starts outside any assembled value. `assemble` reads it whole,
 * `enter` reports an object's or array's start and end and calls the selector again for each member, and
 * `skip` ignores it. `enter` on a scalar skips it.
 */
export type JsonAction = 'assemble' | 'enter' | 'skip';

/**
 * Chooses the action for a value from its path and type. `path` is the reader's own stack and
 * changes after the call returns, so copy it if it must be kept.
 */
export type JsonSelector = (path: JsonPath, type: JsonValueType) => JsonAction;

export type JsonEvent =
  | { kind: 'start'; path: JsonPath; type: 'object' | 'array' }
  | { kind: 'end'; path: JsonPath; type: 'object' | 'array' }
  | { kind: 'value'; path: JsonPath; value: unknown };

/**
 * Maximum nesting inside one assembled value. Scanner reports nest a few levels; the limit keeps
 * a hostile file from overflowing the stack of code that walks or serializes the value.
 */
export const MAX_ASSEMBLED_DEPTH = 64;

/** The tokens stream-json emits with `packValues: true, streamValues: false`. */
interface JsonToken {
  name: string;
  value?: unknown;
}

type JsonContainer = Record<string, unknown> | unknown[];

interface Frame {
  type: 'object' | 'array';
  mode: 'walk' | 'assemble' | 'skip';
  /** The object or array being built, in `assemble` mode. */
  container?: JsonContainer;
  /** Set on the outermost frame of an assembled value. */
  assemblyRoot?: boolean;
}

/**
 * Turns tokens into events. It is synchronous, so one text chunk is tokenized and handled in a
 * single pass, and the events of each chunk wait in `queue` until the generator yields them.
 */
class JsonEventBuilder {
  readonly queue: JsonEvent[] = [];
  /** Current key or index of each open container; the path of the value being read. */
  readonly segments: JsonPathSegment[] = [];
  private readonly frames: Frame[] = [];
  /** Containers open inside the value being assembled, not counting its outermost one. */
  private assembledDepth = 0;

  constructor(private readonly select: JsonSelector) {}

  consume(token: JsonToken): void {
    switch (token.name) {
      case 'startObject':
        this.startContainer('object', {});
        break;
      case 'startArray':
        this.startContainer('array', []);
        break;
      case 'endObject':
      case 'endArray':
        this.endContainer();
        break;
      case 'keyValue':
        this.segments[this.segments.length - 1] = String(token.value);
        break;
      case 'stringValue':
        this.scalar(String(token.value));
        break;
      case 'numberValue':
        this.scalar(Number(token.value));
        break;
      case 'nullValue':
        this.scalar(null);
        break;
      case 'trueValue':
        this.scalar(true);
        break;
      case 'falseValue':
        this.scalar(false);
        break;
      default:
        // Only the packed tokens above are requested from the tokenizer.
        break;
    }
  }

  private startContainer(type: 'object' | 'array', container: JsonContainer): void {
    const parent = this.frames[this.frames.length - 1];
    let frame: Frame;
    if (parent?.mode === 'skip') {
      frame = { type, mode: 'skip' };
    } else if (parent?.mode === 'assemble') {
      this.assembledDepth++;
      if (this.assembledDepth >= MAX_ASSEMBLED_DEPTH) {
        const field = formatJsonPath(this.segments);
        throw new ReportError('malformed', `${field} nests values more than ${MAX_ASSEMBLED_DEPTH} levels deep`, { field });
      }
      this.attach(parent, container);
      frame = { type, mode: 'assemble', container };
    } else {
      const action = this.select(this.segments, type);
      if (action === 'assemble') {
        frame = { type, mode: 'assemble', container, assemblyRoot: true };
      } else if (action === 'enter') {
        frame = { type, mode: 'walk' };
        this.queue.push({ kind: 'start', path: this.segments.slice(), type });
      } else {
        frame = { type, mode: 'skip' };
      }
    }
    this.frames.push(frame);
    this.segments.push(type === 'object' ? '' : 0);
  }

  private endContainer(): void {
    const frame = this.frames.pop();
    this.segments.pop();
    if (!frame) return;
    if (frame.mode === 'assemble' && !frame.assemblyRoot) this.assembledDepth--;

    if (frame.assemblyRoot) {
      this.queue.push({ kind: 'value', path: this.segments.slice(), value: frame.container });
    } else if (frame.mode === 'walk') {
      this.queue.push({ kind: 'end', path: this.segments.slice(), type: frame.type });
    }
    this.advance();
  }

  private scalar(value: unknown): void {
    const parent = this.frames[this.frames.length - 1];
    if (parent?.mode === 'assemble') {
      this.attach(parent, value);
    } else if (parent?.mode !== 'skip' && this.select(this.segments, 'scalar') === 'assemble') {
      this.queue.push({ kind: 'value', path: this.segments.slice(), value });
    }
    this.advance();
  }

  /** Moves an array frame's index past the value that just ended. */
  private advance(): void {
    const last = this.segments.length - 1;
    const segment = this.segments[last];
    if (typeof segment === 'number') this.segments[last] = segment + 1;
  }

  private attach(parent: Frame, value: unknown): void {
    const container = parent.container;
    if (Array.isArray(container)) {
      container.push(value);
    } else if (container) {
      const key = String(this.segments[this.segments.length - 1]);
      // Keys come from the report: define `__proto__` as an own property, as JSON.parse does.
      if (key === '__proto__') {
        Object.defineProperty(container, key, { value, enumerable: true, writable: true, configurable: true });
      } else {
        container[key] = value;
      }
    }
  }
}

/**
 * Parses JSON text chunks and yields the chosen values as they complete, with their paths.
 * Throws ReportError `empty` for a file without content and `malformed`, naming the field
 * path where reading stopped, for invalid or truncated JSON. stream-json's tokenizer does not
 * track lines, so the error carries the field path instead of a line.
 */
export async function* streamJson(input: AsyncIterable<string>, select: JsonSelector): AsyncGenerator<JsonEvent> {
  const builder = new JsonEventBuilder(select);
  const parser = new Parser({ packValues: true, streamValues: false });
  // An error thrown by the selector (a parser rejecting the report) must not unwind through the
  // stream's internals, so it is kept here and rethrown as it is once the write returns.
  let selectError: unknown;
  parser.on('data', (token: JsonToken) => {
    if (selectError !== undefined) return;
    try {
      builder.consume(token);
    } catch (error) {
      selectError = error;
    }
  });
  let streamError: Error | undefined;
  // Without a listener an 'error' event would crash the process; the error is rethrown below.
  parser.on('error', (error: Error) => {
    streamError ??= error;
  });

  const rethrowSelectError = () => {
    if (selectError === undefined) return;
    parser.destroy();
    throw selectError;
  };

  let sawContent = false;
  for await (const chunk of input) {
    if (!sawContent && chunk.trim().length > 0) sawContent = true;
    try {
      await writeChunk(parser, chunk);
    } catch (error) {
      rethrowSelectError();
      throw malformed(streamError ?? error, builder.segments, false);
    }
    rethrowSelectError();
    if (builder.queue.length > 0) yield* builder.queue.splice(0, builder.queue.length);
  }

  if (!sawContent) {
    parser.destroy();
    throw new ReportError('empty', 'file is empty');
  }
  try {
    await endInput(parser);
  } catch (error) {
    rethrowSelectError();
    throw malformed(streamError ?? error, builder.segments, true);
  }
  rethrowSelectError();
  if (builder.queue.length > 0) yield* builder.queue.splice(0, builder.queue.length);
}

function writeChunk(parser: Parser, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    parser.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}

/** Ends the input and waits until every token has been emitted. */
function endInput(parser: Parser): Promise<void> {
  return new Promise((resolve, reject) => {
    parser.once('error', reject);
    parser.once('end', () => resolve());
    parser.end();
  });
}

function malformed(error: unknown, segments: JsonPath, atEnd: boolean): ReportError {
  const reason = (error instanceof Error ? error.message : String(error)).replace(/^Parser (cannot parse input: )?/, '');
  const detail = atEnd ? `JSON ends too early (${reason}); the file is truncated` : `invalid JSON: ${reason}`;
  const field = formatJsonPath(segments);
  return new ReportError('malformed', detail, field ? { field } : {});
}

/** Formats a path as `Results[2].Vulnerabilities[7]`; keys that are not plain names are quoted. */
export function formatJsonPath(path: JsonPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}
