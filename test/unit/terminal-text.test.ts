import { describe, expect, it } from 'vitest';
import { sanitizeTerminalText } from '../../src/core/terminal-text.js';

describe('sanitizeTerminalText', () => {
  it.each([
    ['plain text', 'fix: a bug\n\twith a tab', 'fix: a bug\n\twith a tab'],
    ['unicode', 'feat: naïve café ✓ 日本', 'feat: naïve café ✓ 日本'],
    ['colour (SGR)', 'fix: \x1b[31mred\x1b[0m text', 'fix: red text'],
    ['cursor movement and erase', 'a\x1b[2J\x1b[1;1Hb\x1b[?25lc\x1b[K', 'abc'],
    ['OSC title ended by BEL', 'x\x1b]0;pwned\x07y', 'xy'],
    ['OSC 8 hyperlink ended by ST', '\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\', 'click'],
    ['unterminated OSC stops at the end of the line', 'a\x1b]0;title\nnext', 'a\nnext'],
    ['DCS string', 'a\x1bPq#0;2;0;0;0\x1b\\b', 'ab'],
    ['two-character escapes', 'a\x1bcb\x1b7c\x1b(Bd', 'abcd'],
    ['a lone ESC at the end', 'abc\x1b', 'abc'],
    ['bell', 'ding\x07', 'ding'],
    ['backspaces', 'rm -rf /\b\b\b\bls', 'rm -rf /ls'],
    ['carriage return mid-line', 'fix: real\rfake', 'fix: realfake'],
    ['CRLF line ends stay', 'a\r\nb\r\n', 'a\r\nb\r\n'],
    ['other C0, DEL and NUL', 'a\x00b\x0bc\x0cd\x1fe\x7ff', 'abcdef'],
    ['C1 controls, including the 8-bit CSI', 'a\x9b31mb\x85c\x9d0;t\x9cd', 'abcd'],
  ])('%s', (_, input, expected) => {
    expect(sanitizeTerminalText(input)).toBe(expected);
  });

  it('keeps relmgr styling when asked, and still removes the rest', () => {
    const styled = '\r\x1b[2K\x1b[36m⠋\x1b[39m build \x1b]0;pwned\x07\x1b[2Jdone\x07';
    expect(sanitizeTerminalText(styled, { keepStyle: true })).toBe('\r\x1b[2K\x1b[36m⠋\x1b[39m build done');
    expect(sanitizeTerminalText(styled)).toBe('⠋ build done');
  });

  it('cannot be tricked by the placeholder it uses', () => {
    expect(sanitizeTerminalText('\u{10FFFE}0\u{10FFFF}\x1b[31m', { keepStyle: true })).toBe('0\x1b[31m');
  });
});
