// Prepares recorded events for rrweb's Replayer. Recordings are untrusted
// and not always complete (hand-made exports, generators, old versions):
// rrweb expects every element and document node to carry `childNodes` and
// `attributes`, and throws on the first one that does not. Filling them in
// here lets such recordings replay instead of failing.

type SerializedNode = { type?: number; childNodes?: SerializedNode[]; attributes?: Record<string, unknown> };

function fill(n: SerializedNode | null | undefined, depth = 0): void {
  if (!n || typeof n !== 'object' || depth > 2000) return;
  if (n.type === 0 || n.type === 2) {
    if (!Array.isArray(n.childNodes)) n.childNodes = [];
    if (n.type === 2 && (typeof n.attributes !== 'object' || n.attributes === null)) n.attributes = {};
    for (const c of n.childNodes) fill(c, depth + 1);
  }
}

/** Returns events with every serialized node complete (mutates copies only). */
export function prepareEvents<T extends { type: number; data: any }>(events: T[]): T[] {
  return events.map((e) => {
    if (e.type === 2 && e.data?.node) {
      const copy = { ...e, data: { ...e.data, node: structuredClone(e.data.node) } };
      fill(copy.data.node);
      return copy;
    }
    if (e.type === 3 && e.data?.source === 0 && Array.isArray(e.data.adds)) {
      const adds = e.data.adds.map((a: any) => {
        if (!a?.node) return a;
        const node = structuredClone(a.node);
        fill(node);
        return { ...a, node };
      });
      return { ...e, data: { ...e.data, adds } };
    }
    return e;
  });
}
