import { createHash } from 'node:crypto';

/** One entry of a commit's tree, by its full path: a blob, a subtree or a submodule (`ls-tree -r -t`). */
export interface TreeItem {
  path: string;
  mode: string;
  type: string;
  hash: string;
}

/** A commit's whole tree, flat, by path. */
export type Listing = ReadonlyMap<string, TreeItem>;

/** A tree object to write, by `git mktree` format lines; `hash` is what git must answer. */
export interface NewTree {
  path: string;
  hash: string;
  lines: string[];
}

/** `git ls-tree -r -t -z --full-tree` output, by path. */
export function parseListing(out: string): Map<string, TreeItem> {
  const listing = new Map<string, TreeItem>();
  for (const record of out.split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode = '', type = '', hash = ''] = record.slice(0, tab).split(' ');
    const path = record.slice(tab + 1);
    listing.set(path, { path, mode, type, hash });
  }
  return listing;
}

const parentOf = (path: string): string => {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
};
const nameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Git's order within a tree: by name, bytewise, a subtree's name as if it ended in '/'. */
function compareEntries(a: TreeItem, b: TreeItem): number {
  const key = (item: TreeItem): Buffer => Buffer.from(item.type === 'tree' ? `${nameOf(item.path)}/` : nameOf(item.path), 'utf8');
  return Buffer.compare(key(a), key(b));
}

/** The hash git gives a tree object with these entries (SHA-1 or SHA-256, as the hashes are). */
function treeHash(entries: readonly TreeItem[], algorithm: 'sha1' | 'sha256'): string {
  const body = Buffer.concat(
    entries.map((e) => Buffer.concat([Buffer.from(`${e.type === 'tree' ? '40000' : e.mode.replace(/^0+/, '')} ${nameOf(e.path)}\0`, 'utf8'), Buffer.from(e.hash, 'hex')])),
  );
  return createHash(algorithm).update(`tree ${body.length}\0`).update(body).digest('hex');
}

/**
 * `base` with `add` put in (blobs, replacing any entry at their path): the listing of the result, and
 * the trees that changed — deepest first, each with the hash it must get, so that one
 * `git mktree --batch` can write them all (a parent names a subtree written just before it).
 */
export function addToTree(base: Listing, add: readonly { path: string; blob: string; mode?: string }[]): { listing: Map<string, TreeItem>; trees: NewTree[]; root: string } {
  const listing = new Map(base);
  const dirty = new Set<string>(['']);
  for (const { path, blob, mode } of add) {
    listing.set(path, { path, mode: mode ?? '100644', type: 'blob', hash: blob });
    for (let dir = parentOf(path); ; dir = parentOf(dir)) {
      dirty.add(dir);
      if (dir === '') break;
    }
  }
  // Every changed tree gets a new entry (its hash filled in below); a file where a directory stood
  // replaces the directory and all it held.
  const changed = new Map<string, TreeItem>();
  for (const dir of dirty) if (dir !== '') changed.set(dir, { path: dir, mode: '040000', type: 'tree', hash: '' });
  for (const [dir, item] of changed) listing.set(dir, item);
  for (const { path } of add) {
    if (base.get(path)?.type === 'tree') for (const key of listing.keys()) if (key.startsWith(`${path}/`)) listing.delete(key);
  }
  const children = new Map<string, TreeItem[]>();
  for (const item of listing.values()) {
    const parent = parentOf(item.path);
    if (!dirty.has(parent)) continue;
    const list = children.get(parent) ?? [];
    list.push(item);
    children.set(parent, list);
  }
  const hashes = [...listing.values()].map((i) => i.hash).filter((h) => h !== '');
  const algorithm = hashes[0]?.length === 64 ? 'sha256' : 'sha1';
  const trees: NewTree[] = [];
  const deepestFirst = [...dirty].sort((a, b) => depth(b) - depth(a));
  let root = '';
  for (const dir of deepestFirst) {
    const entries = (children.get(dir) ?? []).sort(compareEntries);
    const hash = treeHash(entries, algorithm);
    trees.push({ path: dir, hash, lines: entries.map((e) => `${e.mode} ${e.type} ${e.hash}\t${nameOf(e.path)}`) });
    if (dir === '') root = hash;
    else (changed.get(dir) as TreeItem).hash = hash;
  }
  return { listing, trees, root };
}

const depth = (path: string): number => (path === '' ? 0 : path.split('/').length);
