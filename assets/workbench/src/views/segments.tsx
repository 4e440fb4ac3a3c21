// The segment builder: AND/OR/NOT groups and the text syntax side by side
// (editing one updates the other through the Go parser), a live count and
// saved segments that every view can use.
import { useEffect, useRef, useState } from 'preact/hooks';
import { FieldInfo, SavedSegment, SegmentNode, SegmentView, Segments } from '../api';
import { ErrorNotice } from '../components/notice';
import { count } from '../format';
import { AskBox } from '../components/ask';
import { TagRulesPanel } from '../components/tagrules';

const opsByKind: Record<string, string[]> = {
  number: ['=', '!=', '>', '>=', '<', '<='], duration: ['>', '>=', '<', '<=', '=', '!='],
  tags: ['=', '!='], text: ['=', '!=', '~'], path: ['=', '!='], trait: ['=', '!=', '~'],
};
const verbs = ['visited', 'clicked', 'did', 'reached'];
const verbHelp: Record<string, string> = {
  visited: '/checkout*', clicked: 'button.buy', did: 'add_to_cart', reached: 'page:/thanks',
};

function wrapAnd(n: SegmentNode): SegmentNode {
  return n.op === 'and' || n.op === 'or' ? n : { op: 'and', terms: [n] };
}

export function SegmentsView() {
  const [fields, setFields] = useState<FieldInfo[]>([]);
  const [text, setText] = useState('');
  const [tree, setTree] = useState<SegmentNode>({ op: 'and', terms: [] });
  const [view, setView] = useState<SegmentView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<SavedSegment[]>([]);
  const [name, setName] = useState('');
  const pending = useRef(0);

  useEffect(() => {
    Segments.fields().then((l) => setFields(l ?? []), setError);
    Segments.saved().then((l) => setSaved(l ?? []), setError);
    Segments.parse('').then(setView, setError);
  }, []);

  // Text edited: parse it, and rebuild the tree from Go's answer.
  const onText = (t: string) => {
    setText(t);
    const n = ++pending.current;
    setTimeout(() => {
      if (n !== pending.current) return;
      Segments.parse(t).then((v) => {
        if (n !== pending.current) return;
        setError(null); setView(v); setTree(wrapAnd(v.tree));
      }, (e) => n === pending.current && setError(e));
    }, 250);
  };
  // Tree edited: keep the local tree, take the canonical text and count.
  const onTree = (t: SegmentNode) => {
    setTree(t);
    const n = ++pending.current;
    setTimeout(() => {
      if (n !== pending.current) return;
      Segments.fromTree(t).then((v) => {
        if (n !== pending.current) return;
        setError(null); setView(v); setText(v.text);
      }, (e) => n === pending.current && setError(e));
    }, 250);
  };
  const load = (s: SavedSegment) => { setName(s.name); onText(s.text); };

  return (
    <div class="view">
      <header class="view-head">
        <div>
          <h1>Segments</h1>
          <p class="sub">Describe a group of sessions; saved segments scope the sessions list and dashboard cards.</p>
        </div>
        <div class="count-pill" data-count={view?.count ?? ''}>
          {view ? <><strong>{count(view.count)}</strong> of {count(view.total)} sessions</> : '…'}
        </div>
      </header>
      <div class="panel">
        <div class="panel-title">Ask in a sentence</div>
        <AskBox onSegment={(seg) => onText(seg)} />
      </div>
      <div class="grid-2">
        <div class="stack">
          <div class="panel">
            <div class="panel-title">Text</div>
            <textarea class="input mono" rows={3} value={text} data-segment-text spellcheck={false}
              placeholder='device = mobile and visited "/checkout*" and not tag = rage_click'
              onInput={(e) => onText((e.target as HTMLTextAreaElement).value)} />
            {error ? <ErrorNotice error={error} /> : null}
          </div>
          <div class="panel">
            <div class="panel-title">Builder</div>
            <Group node={tree} fields={fields} onChange={onTree} root />
          </div>
        </div>
        <div class="stack">
          <div class="panel">
            <div class="panel-title">Save</div>
            <div class="form-row">
              <input class="input" placeholder="Name, e.g. Mobile checkout" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} data-segment-name />
              <button class="btn btn-primary" disabled={!name.trim() || !text.trim()} data-save-segment
                onClick={() => Segments.save(name, text).then((l) => setSaved(l ?? []), setError)}>Save</button>
            </div>
            {view?.text ? <a class="btn btn-small open-list" href={`#/sessions?segment=${encodeURIComponent(view.text)}`}>Open these sessions →</a> : null}
          </div>
          <div class="panel">
            <div class="panel-title">Saved segments</div>
            {saved.length === 0 ? <div class="muted small">None yet.</div> : (
              <ul class="saved" data-saved>
                {saved.map((s) => (
                  <li key={s.name}>
                    <button class="link" onClick={() => load(s)}>{s.name}</button>
                    <code class="muted small ellipsis" title={s.text}>{s.text}</code>
                    <button class="btn btn-ghost btn-small" aria-label={`Delete ${s.name}`} onClick={() => Segments.delete(s.name).then((l) => setSaved(l ?? []), setError)}>✕</button>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <TagRulesPanel text={view?.text ?? ''} />
        </div>
      </div>
    </div>
  );
}

function Group({ node, fields, onChange, root }: { node: SegmentNode; fields: FieldInfo[]; onChange: (n: SegmentNode) => void; root?: boolean }) {
  const terms = node.terms ?? [];
  const set = (i: number, t: SegmentNode | null) => {
    const next = t === null ? terms.filter((_, j) => j !== i) : terms.map((x, j) => (j === i ? t : x));
    onChange({ ...node, terms: next });
  };
  const add = (t: SegmentNode) => onChange({ ...node, terms: [...terms, t] });
  return (
    <div class={'group' + (root ? ' group-root' : '')} data-group={node.op}>
      <div class="group-head">
        <select class="input input-tiny" value={node.op} onChange={(e) => onChange({ ...node, op: (e.target as HTMLSelectElement).value })} aria-label="Match">
          <option value="and">All of (AND)</option>
          <option value="or">Any of (OR)</option>
        </select>
        <span class="muted small">{terms.length ? '' : root ? 'every session' : 'empty group'}</span>
      </div>
      {terms.map((t, i) => (
        <Term key={i} node={t} fields={fields} onChange={(n) => set(i, n)} />
      ))}
      <div class="group-actions">
        <button class="btn btn-small" data-add-cond onClick={() => add({ op: 'cond', field: 'device', cmp: '=', value: 'desktop' })}>+ Condition</button>
        <button class="btn btn-small" onClick={() => add({ op: 'visited', pattern: '/' })}>+ Behaviour</button>
        <button class="btn btn-small" onClick={() => add({ op: node.op === 'and' ? 'or' : 'and', terms: [] })}>+ Group</button>
      </div>
    </div>
  );
}

function Term({ node, fields, onChange }: { node: SegmentNode; fields: FieldInfo[]; onChange: (n: SegmentNode | null) => void }) {
  const negated = node.op === 'not';
  const inner = negated ? (node.terms?.[0] ?? { op: 'and', terms: [] }) : node;
  const setInner = (n: SegmentNode) => onChange(negated ? { op: 'not', terms: [n] } : n);
  return (
    <div class={'term' + (negated ? ' negated' : '')}>
      <label class="check not-toggle" title="Negate">
        <input type="checkbox" checked={negated} onChange={(e) => onChange((e.target as HTMLInputElement).checked ? { op: 'not', terms: [inner] } : inner)} />
        NOT
      </label>
      <div class="term-body">
        {inner.op === 'and' || inner.op === 'or' ? <Group node={inner} fields={fields} onChange={setInner} />
          : inner.op === 'cond' ? <Cond node={inner} fields={fields} onChange={setInner} />
          : <Behaviour node={inner} onChange={setInner} />}
      </div>
      <button class="btn btn-ghost btn-small" onClick={() => onChange(null)} aria-label="Remove">✕</button>
    </div>
  );
}

function Cond({ node, fields, onChange }: { node: SegmentNode; fields: FieldInfo[]; onChange: (n: SegmentNode) => void }) {
  const f = fields.find((x) => x.name === node.field) ?? (node.field?.startsWith('trait.') ? { name: node.field, kind: 'trait', doc: '' } : undefined);
  const kind = f?.kind ?? 'text';
  const numeric = kind === 'number' || kind === 'duration';
  const shown = String(kind === 'duration' ? Number(node.value ?? 0) / 1000 : (node.value as any) ?? '');
  return (
    <div class="form-row cond">
      <select class="input" value={node.field} aria-label="Attribute"
        onChange={(e) => {
          const name = (e.target as HTMLSelectElement).value;
          const k = fields.find((x) => x.name === name)?.kind ?? 'text';
          onChange({ op: 'cond', field: name, cmp: opsByKind[k][0], value: k === 'number' || k === 'duration' ? 0 : '' });
        }}>
        {fields.map((x) => <option key={x.name} value={x.name} title={x.doc}>{x.name}</option>)}
        {f && !fields.some((x) => x.name === f.name) && <option value={f.name}>{f.name}</option>}
      </select>
      <select class="input" value={node.cmp} aria-label="Comparison" onChange={(e) => onChange({ ...node, cmp: (e.target as HTMLSelectElement).value })}>
        {(opsByKind[kind] ?? opsByKind.text).map((o) => <option key={o} value={o}>{o === '~' ? 'contains' : o}</option>)}
      </select>
      <input class="input" type={(numeric ? 'number' : 'text') as 'text'} value={shown} aria-label="Value"
        onInput={(e) => {
          const raw = (e.target as HTMLInputElement).value;
          onChange({ ...node, value: numeric ? Number(raw) * (kind === 'duration' ? 1000 : 1) : raw });
        }} />
      {kind === 'duration' && <span class="muted small">seconds</span>}
    </div>
  );
}

function Behaviour({ node, onChange }: { node: SegmentNode; onChange: (n: SegmentNode) => void }) {
  return (
    <div class="form-row cond">
      <select class="input" value={node.op} aria-label="Behaviour" onChange={(e) => onChange({ op: (e.target as HTMLSelectElement).value, pattern: node.pattern })}>
        {verbs.map((v) => <option key={v} value={v}>{v}</option>)}
      </select>
      <input class="input" value={node.pattern ?? ''} placeholder={verbHelp[node.op]} aria-label="Pattern"
        onInput={(e) => onChange({ ...node, pattern: (e.target as HTMLInputElement).value })} />
      {node.op === 'did' && (
        <>
          <select class="input" value={node.cmp ?? ''} aria-label="Times" onChange={(e) => {
            const cmp = (e.target as HTMLSelectElement).value;
            onChange(cmp ? { ...node, cmp, count: node.count ?? 1 } : { op: node.op, pattern: node.pattern });
          }}>
            <option value="">at least once</option>
            {['>=', '>', '=', '<', '<='].map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
          {node.cmp && <input class="input" type="number" style={{ width: '70px' }} value={node.count ?? 1} aria-label="Count"
            onInput={(e) => onChange({ ...node, count: Number((e.target as HTMLInputElement).value) })} />}
        </>
      )}
    </div>
  );
}
