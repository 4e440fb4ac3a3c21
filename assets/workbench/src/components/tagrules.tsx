// Tag rules in the Segments view: tag every session matching the segment
// being built, now and on every sync; see and remove the rules.
import { useEffect, useState } from 'preact/hooks';
import { TagRuleView, Tidy } from '../api';
import { ErrorNotice } from './notice';
import { count } from '../format';

export function TagRulesPanel({ text }: { text: string }) {
  const [rules, setRules] = useState<TagRuleView[]>([]);
  const [tag, setTag] = useState('');
  const [added, setAdded] = useState<TagRuleView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = () => Tidy.tagRules().then((l) => setRules(l ?? []), setError);
  useEffect(() => { reload(); }, []);
  const add = (e: Event) => {
    e.preventDefault();
    setError(null);
    Tidy.addTagRule(tag.trim(), tag.trim(), text).then((r) => { setAdded(r); setTag(''); reload(); }, setError);
  };
  const remove = (name: string) => {
    if (!window.confirm(`Remove the rule ${name} and the tags it set?`)) return;
    Tidy.removeTagRule(name).then(reload, setError);
  };
  return (
    <div class="panel" data-tag-rules>
      <div class="panel-title">Tag rules</div>
      {error ? <ErrorNotice error={error} /> : null}
      <form class="form-row" onSubmit={add}>
        <input class="input" placeholder="Tag sessions matching this as…" value={tag} data-tag-rule-name
          onInput={(e) => setTag((e.target as HTMLInputElement).value)} />
        <button class="btn" type="submit" disabled={!tag.trim() || !text.trim()} data-add-tag-rule>Add rule</button>
      </form>
      {added && <div class="muted small" data-tag-rule-added>Tagged {count(added.sessions)} sessions “{added.tag}”; new sessions are tagged on sync.</div>}
      {rules.length === 0 ? <div class="muted small">No rules yet.</div> : (
        <ul class="saved" data-tag-rule-list>
          {rules.map((r) => (
            <li key={r.name} data-tag-rule={r.name}>
              <span>{r.tag} <span class="muted small" data-tag-rule-count>{count(r.sessions)}</span></span>
              <code class="muted small ellipsis" title={r.segment}>{r.segment}</code>
              <button class="btn btn-ghost btn-small" aria-label={`Remove rule ${r.name}`} onClick={() => remove(r.name)}>✕</button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
