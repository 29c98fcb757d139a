// The text streams relmgr reads and writes: its own file, so the adapters and the context can both use them.

/** A writable text stream: process.stdout/stderr in production, a buffer in tests. */
export interface TextOut {
  write(chunk: string): unknown;
  isTTY?: boolean;
  /** Behind the output boundary: the stream underneath (prompts draw on the terminal directly). */
  raw?: TextOut;
}

export interface TextIn {
  isTTY?: boolean;
}
