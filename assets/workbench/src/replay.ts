// Prepares recorded events for rrweb's Replayer. Recordings are untrusted
// and not always complete (hand-made exports, generators, old versions):
// rrweb expects every element and document node to carry `childNodes` and
// `attributes`, and throws on the first one that does not. Filling them in
// here lets such recordings replay instead of failing.
//
// Recorded trees can also be deep (thousands of nested elements): the copy
// is made with an explicit stack, since structuredClone and recursion run
// out of call stack on such trees.

type SerializedNode = { type?: number; childNodes?: SerializedNode[]; attributes?: Record<string, unknown>; [k: string]: unknown };

/** Copies a serialized node tree, completing element and document nodes, without recursion. */
function cloneFilled(root: SerializedNode): SerializedNode {
  const copy = (n: SerializedNode): SerializedNode => {
    const c: SerializedNode = { ...n };
    if (n.type === 0 || n.type === 2) {
      c.childNodes = Array.isArray(n.childNodes) ? n.childNodes.slice() : [];
      if (n.type === 2) c.attributes = typeof n.attributes === 'object' && n.attributes !== null ? { ...n.attributes } : {};
    } else if (Array.isArray(n.childNodes)) {
      c.childNodes = n.childNodes.slice();
    }
    return c;
  };
  const top = copy(root);
  const stack: SerializedNode[] = [top];
  while (stack.length) {
    const n = stack.pop()!;
    const kids = n.childNodes;
    if (!Array.isArray(kids)) continue;
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i];
      if (!k || typeof k !== 'object') continue;
      kids[i] = copy(k);
      stack.push(kids[i]);
    }
  }
  return top;
}

/** Returns events with every serialized node complete (mutates copies only). */
export function prepareEvents<T extends { type: number; data: any }>(events: T[]): T[] {
  return events.map((e) => {
    if (e.type === 2 && e.data?.node) {
      return { ...e, data: { ...e.data, node: cloneFilled(e.data.node) } };
    }
    if (e.type === 3 && e.data?.source === 0 && Array.isArray(e.data.adds)) {
      const adds = e.data.adds.map((a: any) => (a?.node ? { ...a, node: cloneFilled(a.node) } : a));
      return { ...e, data: { ...e.data, adds } };
    }
    return e;
  });
}
