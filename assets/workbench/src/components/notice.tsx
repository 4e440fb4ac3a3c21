// A readable notice for errors from Go ({code, message}) and for empty
// states, so a view is never blank.
import type { ComponentChildren } from 'preact';
import { BindingError } from '../bridge';

const titles: Record<string, string> = {
  not_found: 'Not found',
  invalid: 'That did not work',
  conflict: 'Already exists',
  unavailable: 'Not reachable',
  canceled: 'Canceled',
  internal: 'Something went wrong',
  unauthorized: 'Open the address loupe serve printed',
};

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const e = error instanceof BindingError ? error : new BindingError('internal', String((error as any)?.message ?? error));
  return (
    <div class="notice notice-error" role="alert" data-code={e.code}>
      <strong>{titles[e.code] ?? titles.internal}</strong>
      <span>{e.message}</span>
      {onRetry && <button class="btn btn-small" onClick={onRetry}>Try again</button>}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <div class="empty-title">{title}</div>
      {children && <div class="empty-body">{children}</div>}
    </div>
  );
}
