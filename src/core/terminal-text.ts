/**
 * Text from outside (commit messages, file contents, command output) may carry terminal controls:
 * escape sequences that recolour, move the cursor, retitle the window or hide what follows, a bell,
 * backspaces and carriage returns that overwrite what was printed. Human output and generated
 * documents get the text without them; JSON keeps them (JSON escapes them).
 */

// Strings (OSC, DCS, SOS, PM, APC) run to BEL or ST; an unterminated one runs to the end of the line.
const ESC_STRING = /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?/g; // eslint-disable-line no-control-regex
const CSI = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?/g; // eslint-disable-line no-control-regex
const OTHER_ESC = /\x1b[ -/]*[0-~]?/g; // eslint-disable-line no-control-regex
// C0 controls but tab and newline, a carriage return not ending a line, DEL and C1 controls.
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)/g; // eslint-disable-line no-control-regex

// What relmgr's own terminal output uses: colours (SGR) and erasing the line it redraws.
const STYLE = /\x1b\[[0-9;]*m|\r?\x1b\[[0-2]?K|\r/g; // eslint-disable-line no-control-regex
const placeholder = (i: number): string => `\u{10FFFE}${i}\u{10FFFF}`;

export interface SanitizeOptions {
  /**
   * Keep colour codes, line erasure and carriage returns (relmgr's own styling on a terminal). The
   * rest is still removed. Text from outside is cleaned strictly where it is rendered.
   */
  keepStyle?: boolean;
}

/** The text without terminal controls: escape sequences removed whole, other controls dropped. */
export function sanitizeTerminalText(text: string, options: SanitizeOptions = {}): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(text)) return text;
  const kept: string[] = [];
  let out = text.replace(/[\u{10FFFE}\u{10FFFF}]/gu, '');
  if (options.keepStyle) {
    out = out.replace(STYLE, (match) => {
      kept.push(match);
      return placeholder(kept.length - 1);
    });
  }
  out = out.replace(ESC_STRING, '').replace(CSI, '').replace(OTHER_ESC, '').replace(CONTROL, '');
  if (kept.length > 0) out = out.replace(/\u{10FFFE}(\d+)\u{10FFFF}/gu, (_, i: string) => kept[Number(i)] ?? '');
  return out;
}
