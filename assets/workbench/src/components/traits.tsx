// Who the visitor is, as the site told the tracker: the user id and the
// traits given to identify(), so a person found by a trait can be checked.
import { Fragment } from 'preact';
import type { Session } from '../api';

export function VisitorTraits({ session }: { session: Session }) {
  const traits = Object.entries(session.traits ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <dl class="traits" data-traits>
      <dt>Visitor</dt><dd class="mono" data-trait="visitor">{session.visitor || '–'}</dd>
      <dt>User id</dt><dd class="mono" data-trait="user_id">{session.user_id || '–'}</dd>
      {traits.map(([k, v]) => (
        <Fragment key={k}>
          <dt>{k}</dt><dd data-trait={k}>{v}</dd>
        </Fragment>
      ))}
      {traits.length === 0 && <dd class="muted small">No traits were given for this visitor.</dd>}
    </dl>
  );
}
