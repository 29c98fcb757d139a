import { describe, expect, it } from 'vitest';
import {
  readVersion,
  setLockfileVersion,
  setVersion,
  VersionFileError,
  versionFilePath,
  type VersionFileSpec,
} from '../../src/core/version-files.js';

/** Lines joined with LF; `crlf()` turns a fixture into a Windows file. */
const lines = (...l: string[]) => l.join('\n');
const crlf = (text: string) => text.replaceAll('\n', '\r\n');

const packageJson = lines(
  '{',
  '  "name": "payments-api",',
  '  "version": "1.3.2",',
  '  "dependencies": {',
  '    "version": "1.3.2"',
  '  },',
  '  "config": { "version": "1.3.2" }',
  '}',
  '',
);

const appJson = '\uFEFF{\n\t"expo": {\n\t\t"name": "app",\n\t\t"ios": { "version": "9" },\n\t\t"version": "1.3.2"\n\t}\n}';

const chart = lines(
  '# Chart for payments',
  'apiVersion: v2',
  'name: payments   # the release name',
  'version: 1.3.2 # bumped by relmgr',
  'appVersion: "1.3.2"',
  'dependencies:',
  '  - name: redis',
  '    version: 17.0.0',
  '',
);

const values = lines(
  'image:',
  '  repository: ghcr.io/acme/payments',
  "  tag: '1.3.2'   # single quotes",
  '  pullPolicy: IfNotPresent',
  'sidecars:',
  '  - image: { name: proxy, tag: "1.3.2" }',
  'tagged: !!str 1.0',
  '',
);

const cargo = lines(
  '# Cargo manifest',
  'description = """',
  '[package]',
  'version = "0.0.0"',
  '"""',
  'matrix = [',
  '  [1, 2], # a nested array line that starts with [',
  ']',
  '',
  '[ package ]',
  'name = "payments"',
  "version   =   '1.3.2'   # release version",
  'edition = "2021"',
  '',
  '[dependencies]',
  'serde = { version = "1.0", features = ["derive"] }',
  'version = "1.3.2"',
  '',
  '[[bin]]',
  'version = "1.3.2"',
  '',
);

const pyproject = lines(
  'version = "1.3.2"',
  'name = "payments"',
  '',
  '[tool.poetry]',
  'version = "1.3.2" # poetry keeps its own',
  '',
  '[tool.other]',
  'package.version = "1.3.2"',
  '',
);

describe('setVersion', () => {
  it.each<[string, VersionFileSpec, string, string]>([
    // name, spec, input, expected output (the whole file: nothing but the version may change)
    ['package.json: the root version only', 'package.json', packageJson, packageJson.replace('"version": "1.3.2",', '"version": "1.4.0",')],
    ['package.json with CRLF', 'sub/package.json', crlf(packageJson), crlf(packageJson.replace('"version": "1.3.2",', '"version": "1.4.0",'))],
    ['json: a dotted path, tabs, BOM, no trailing newline', { path: 'app.json', json: 'expo.version' }, appJson, appJson.replace('"version": "1.3.2"', '"version": "1.4.0"')],
    ['json: an array index', { path: 'x.json', json: 'images.1.tag' }, '{"images": [{"tag": "a"}, {"tag": "1.3.2"}]}', '{"images": [{"tag": "a"}, {"tag": "1.4.0"}]}'],
    ['json: comments and trailing commas (JSONC)', 'deno.json', '{\n  // "version": "0.0.0",\n  /* } */ "version": "1.3.2",\n}\n', '{\n  // "version": "0.0.0",\n  /* } */ "version": "1.4.0",\n}\n'],
    ['json: an escaped quote before the key', { path: 'x.json', json: 'v' }, '{"a": "say \\"v\\": \\\\", "v": "1.3.2"}', '{"a": "say \\"v\\": \\\\", "v": "1.4.0"}'],
    ['yaml: plain scalar with a comment', 'chart/Chart.yaml', chart, chart.replace('version: 1.3.2 #', 'version: 1.4.0 #')],
    ['yaml: double quotes kept', { path: 'chart/Chart.yml', yaml: 'appVersion' }, chart, chart.replace('appVersion: "1.3.2"', 'appVersion: "1.4.0"')],
    ['yaml: single quotes kept, CRLF', { path: 'values.yaml', yaml: 'image.tag' }, crlf(values), crlf(values.replace("tag: '1.3.2'", "tag: '1.4.0'"))],
    ['yaml: inside a sequence and a flow map', { path: 'values.yaml', yaml: 'sidecars.0.image.tag' }, values, values.replace('tag: "1.3.2"', 'tag: "1.4.0"')],
    ['yaml: a tag stays', { path: 'values.yaml', yaml: 'tagged' }, values, values.replace('!!str 1.0', '!!str 1.4.0')],
    ['yaml: a JSON file read as YAML', { path: 'x.json', yaml: 'version' }, '{"version": "1.3.2"}\n', '{"version": "1.4.0"}\n'],
    ['toml: [package] found past look-alikes in strings, arrays and other tables', 'Cargo.toml', cargo, cargo.replace("version   =   '1.3.2'", "version   =   '1.4.0'")],
    ['toml: CRLF', 'Cargo.toml', crlf(cargo), crlf(cargo.replace("version   =   '1.3.2'", "version   =   '1.4.0'"))],
    ['toml: top-level key before the first table', 'pyproject.toml', pyproject, pyproject.replace('version = "1.3.2"\nname', 'version = "1.4.0"\nname')],
    ['toml: a nested table', { path: 'pyproject.toml', toml: 'tool.poetry.version' }, pyproject, pyproject.replace('"1.3.2" # poetry', '"1.4.0" # poetry')],
    ['toml: a dotted key inside a table', { path: 'pyproject.toml', toml: 'tool.other.package.version' }, pyproject, pyproject.replace('package.version = "1.3.2"', 'package.version = "1.4.0"')],
    ['toml: a dotted key at the top level', { path: 'a.toml', toml: 'package.version' }, 'package.version = "1.3.2"\n', 'package.version = "1.4.0"\n'],
    ['VERSION file', 'VERSION', '1.3.2\n', '1.4.0\n'],
    ['VERSION file without newline', 'VERSION', '1.3.2', '1.4.0'],
    ['VERSION file with CRLF and padding', 'VERSION', '  1.3.2\r\n\r\n', '  1.4.0\r\n\r\n'],
    ['VERSION file, empty', 'VERSION', '', '1.4.0'],
    ['VERSION file, blank', 'VERSION', '\n', '1.4.0\n'],
    ['regex: group 1 only', { path: 'src/version.ts', regex: "VERSION = '([^']+)'" }, "// v1\nexport const VERSION = '1.3.2';\n", "// v1\nexport const VERSION = '1.4.0';\n"],
    ['regex: the first match only', { path: 'README.md', regex: '^Version: (.*)$' }, 'Version: 1.3.2\nVersion: 1.3.2\n', 'Version: 1.4.0\nVersion: 1.3.2\n'],
    ['regex: the whole match, multiline, CRLF', { path: 'VERSION', regex: '^.*$' }, '1.3.2\r\n', '1.4.0\r\n'],
  ])('%s', (_name, spec, input, expected) => {
    const output = setVersion(spec, input, '1.4.0');
    expect(output).toBe(expected);
    if (typeof spec === 'string' || !('regex' in spec)) expect(readVersion(spec, output)).toBe('1.4.0');
  });

  it.each<[string, VersionFileSpec, string, RegExp]>([
    // name, spec, input, the error message
    ['json: missing key', 'package.json', '{"name": "x"}', /^package\.json: no JSON key "version" \(no "version" at the top level\)$/],
    ['json: missing nested key', { path: 'app.json', json: 'expo.version' }, '{"expo": {"name": "x"}, "version": "1"}', /no JSON key "expo\.version" \(no "version" under "expo"\)/],
    ['json: not a string', 'package.json', '{"version": 1}', /"version" is not a string/],
    ['json: an object', 'package.json', '{"version": {}}', /"version" is not a string/],
    ['json: duplicate key on the path', 'package.json', '{"version": "1", "version": "2"}', /not valid JSON: duplicate key "version" at line 1/],
    ['json: duplicate parent on the path', { path: 'a.json', json: 'a.v' }, '{"a": {"v": "1"},\n "a": {}}', /duplicate key "a" at line 2/],
    ['json: broken', 'package.json', '{\n"version": "1",\n"x" 2}', /package\.json is not valid JSON: expected ":" at line 3/],
    ['json: trailing garbage', 'package.json', '{"version": "1"} x', /unexpected content after the top-level value/],
    ['yaml: missing', { path: 'values.yaml', yaml: 'image.digest' }, values, /^values\.yaml: no YAML key "image\.digest" \(no "digest" under "image"\)$/],
    ['yaml: not a scalar', { path: 'values.yaml', yaml: 'image' }, values, /"image" is not a scalar/],
    ['yaml: an alias', { path: 'v.yaml', yaml: 'b' }, 'a: &v 1.0.0\nb: *v\n', /"b" is an alias/],
    ['yaml: a block scalar', { path: 'v.yaml', yaml: 'v' }, 'v: |\n  1.0.0\n', /"v" is a block scalar/],
    ['yaml: no value', { path: 'v.yaml', yaml: 'v' }, 'v:\nw: 1\n', /"v" has no value/],
    ['yaml: duplicate keys', 'Chart.yaml', 'version: 1\nversion: 2\n', /Chart\.yaml is not valid YAML: Map keys must be unique at line 2, column 1$/],
    ['toml: only in another table', { path: 'Cargo.toml', toml: 'package.version' }, '[dependencies]\nversion = "1"\n', /^Cargo\.toml: no TOML key "version" in \[package\]$/],
    ['toml: top level only before the first table', 'x.toml', '[tool]\nversion = "1"\n', /no TOML key "version" before the first table/],
    ['toml: only in an array table', { path: 'x.toml', toml: 'bin.version' }, '[[bin]]\nversion = "1"\n', /no TOML key "version" in \[bin\]/],
    ['toml: twice', 'x.toml', 'version = "1"\nversion = "2"\n', /"version" is defined twice/],
    ['toml: not a string', 'Cargo.toml', '[package]\nversion = 1\n', /"version" in \[package\] is not a single-line string/],
    ['toml: a multi-line string', 'x.toml', 'version = """1"""\n', /is not a single-line string/],
    ['toml: inline tables are not searched', { path: 'x.toml', toml: 'package.version' }, 'package = { version = "1" }\n', /no TOML key "version" in \[package\]/],
    ['toml: broken', 'x.toml', 'a = 1\nversion "1"\n', /x\.toml is not valid TOML: expected "=" at line 2/],
    ['VERSION: more than a version', 'CHANGELOG.txt', '1.3.2\nnotes\n', /CHANGELOG\.txt holds more than a version \(2 lines\)/],
    ['regex: no match', { path: 'a.ts', regex: 'VERSION = (\\d+)' }, 'x', /^a\.ts: no match for regex "VERSION = \(\\\\d\+\)"$/],
    ['regex: group 1 unused', { path: 'a.ts', regex: 'v=(\\d+)|w=\\d+' }, 'w=1', /group 1 did not take part/],
    ['regex: invalid', { path: 'a.ts', regex: '(' }, 'x', /invalid regex "\("/],
  ])('throws for %s', (_name, spec, input, message) => {
    const call = () => setVersion(spec, input, '1.4.0');
    expect(call).toThrow(VersionFileError);
    expect(call).toThrow(message);
    expect(readVersion(spec, input)).toBeNull();
  });

  it.each<[string, VersionFileSpec, string, string]>([
    // a value that would change the syntax around it is refused, not written
    ['whitespace', 'VERSION', '1.0.0\n', '1.0.0 # x'],
    ['a newline', { path: 'a', regex: '.*' }, '1', '1\n2'],
    ['an alias marker in a plain YAML scalar', { path: 'v.yaml', yaml: 'v' }, 'v: 1.0.0\n', '*x'],
    ['a flow separator in a plain YAML scalar', { path: 'v.yaml', yaml: 'a.v' }, 'a: {v: 1.0.0}\n', '2,x:1'],
    ['a quote in a TOML literal string', 'x.toml', "version = '1'\n", "1'2"],
  ])('refuses to write %s', (_name, spec, input, version) => {
    expect(() => setVersion(spec, input, version)).toThrow(VersionFileError);
  });

  it('escapes what quoted styles need, and reads it back', () => {
    expect(setVersion({ path: 'v.yaml', yaml: 'v' }, "v: 'a'\n", "it's")).toBe("v: 'it''s'\n");
    expect(setVersion({ path: 'v.yaml', yaml: 'v' }, 'v: "a"\n', 'a"b\\')).toBe('v: "a\\"b\\\\"\n');
    expect(setVersion('package.json', '{"version": "a"}', 'a"b')).toBe('{"version": "a\\"b"}');
    expect(setVersion('x.toml', 'version = "a"\n', 'a"b')).toBe('version = "a\\"b"\n');
  });
});

describe('readVersion', () => {
  it.each<[VersionFileSpec, string, string | null]>([
    ['package.json', packageJson, '1.3.2'],
    [{ path: 'app.json', json: 'expo.ios.version' }, appJson, '9'],
    ['Chart.yaml', 'version: 1.10\n', '1.10'], // a YAML number keeps its spelling
    [{ path: 'v.yaml', yaml: 'v' }, 'v: "1.0.0-\\u0072c.1"\n', '1.0.0-rc.1'],
    ['Cargo.toml', cargo, '1.3.2'],
    ['x.toml', 'version = "1.0\\u002E0"\n', '1.0.0'],
    ['x.toml', 'version = ""\n', null],
    ['VERSION', ' 2.0.0 \n', '2.0.0'],
    ['VERSION', '\n', null],
    [{ path: 'a', regex: 'v(\\d+)' }, 'v12', '12'],
    ['package.json', 'not json', null],
  ])('%j in %j → %j', (spec, text, expected) => {
    expect(readVersion(spec, text)).toBe(expected);
  });

  it('names the file of every spec', () => {
    expect(versionFilePath('VERSION')).toBe('VERSION');
    expect(versionFilePath({ path: 'chart/Chart.yaml', yaml: 'version' })).toBe('chart/Chart.yaml');
  });
});

describe('setLockfileVersion', () => {
  const v1 = lines('{', '  "name": "app",', '  "version": "1.3.2",', '  "lockfileVersion": 1,', '  "requires": true,', '  "dependencies": {', '    "app": {', '      "version": "1.3.2"', '    }', '  }', '}', '');
  const v3 = lines(
    '{',
    '  "name": "app",',
    '  "version": "1.3.2",',
    '  "lockfileVersion": 3,',
    '  "requires": true,',
    '  "packages": {',
    '    "": {',
    '      "name": "app",',
    '      "version": "1.3.2",',
    '      "dependencies": { "app": "^1.3.2" }',
    '    },',
    '    "node_modules/app": {',
    '      "version": "1.3.2"',
    '    }',
    '  }',
    '}',
    '',
  );
  // lockfileVersion 2 carries both shapes: `packages` and the legacy `dependencies`.
  const v2 = v3.replace('"lockfileVersion": 3', '"lockfileVersion": 2').replace('\n  }\n}', '\n  },\n  "dependencies": {\n    "app": { "version": "1.3.2" }\n  }\n}');

  it.each<[string, string, string]>([
    ['v1: the root only, not a dependency of the same name', v1, v1.replace('"version": "1.3.2",\n  "lockfileVersion"', '"version": "1.4.0",\n  "lockfileVersion"')],
    ['v2: the root and packages[""]', v2, v2.replace('"version": "1.3.2",\n  "lockfileVersion"', '"version": "1.4.0",\n  "lockfileVersion"').replace('"version": "1.3.2",\n      "dependencies"', '"version": "1.4.0",\n      "dependencies"')],
    ['v3: the root and packages[""], CRLF', crlf(v3), crlf(v3.replace('"version": "1.3.2",\n  "lockfileVersion"', '"version": "1.4.0",\n  "lockfileVersion"').replace('"version": "1.3.2",\n      "dependencies"', '"version": "1.4.0",\n      "dependencies"'))],
  ])('%s', (_name, input, expected) => {
    expect(setLockfileVersion(input, '1.4.0')).toBe(expected);
  });

  it('reports a missing version instead of skipping it', () => {
    expect(() => setLockfileVersion('{"lockfileVersion": 3}', '1.4.0')).toThrow('no JSON key "version" (no "version" at the top level)');
    expect(() => setLockfileVersion('{"version": "1", "packages": {"": {"name": "app"}}}', '1.4.0')).toThrow('no "version" under "packages."');
  });

  it('handles a large lockfile (it is scanned, not parsed into a tree)', () => {
    const packages = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`node_modules/p${i}`, { version: '1.3.2', resolved: `https://r/p${i}.tgz`, integrity: 'sha512-x', dependencies: { app: '1.3.2' } }]));
    const input = `${JSON.stringify({ name: 'app', version: '1.3.2', lockfileVersion: 3, packages: { '': { name: 'app', version: '1.3.2' }, ...packages } }, null, 2)}\n`;
    const output = setLockfileVersion(input, '1.4.0');
    expect(JSON.parse(output)).toEqual({ ...(JSON.parse(input) as object), version: '1.4.0', packages: { '': { name: 'app', version: '1.4.0' }, ...packages } });
    expect(output.length).toBe(input.length);
  });
});
