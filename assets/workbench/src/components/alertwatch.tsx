// The in-app notice of alerts: polls the workspace for fired alerts not
// yet seen, shows each once as a toast (and, in the browser, as a system
// notification once the user has allowed it; the window's notifications
// come from Go over D-Bus), and counts the unseen ones for the badge.
import { useEffect, useRef, useState } from 'preact/hooks';
import { AlertEntry, Alerts } from '../api';
import { inWindow } from '../bridge';
import { navigate } from '../router';

const alertsEvent = 'loupe:alerts';
const toastedKey = 'loupe.alerts.toasted';
const pollMS = 10_000;
const toastMS = 15_000;

/** Asks the watcher to look for new alerts now (after a sync or a check). */
export function pokeAlerts(): void {
  window.dispatchEvent(new Event(alertsEvent));
}

/** True when the browser may show system notifications. */
export function systemNotifications(): NotificationPermission | 'unsupported' | 'window' {
  if (inWindow()) return 'window';
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** The newest alert id already shown as a toast in this browser. */
export function toastedUpTo(): number {
  return Number(localStorage.getItem(toastedKey) ?? '0') || 0;
}

/** Polls for unseen alerts; returns the unseen count and the toasts to show. */
export function useAlertWatch() {
  const [unseen, setUnseen] = useState(0);
  const [toasts, setToasts] = useState<AlertEntry[]>([]);
  const busy = useRef(false);

  useEffect(() => {
    let timer = 0;
    const poll = () => {
      clearTimeout(timer);
      if (busy.current) return;
      busy.current = true;
      Alerts.notices().then((n) => {
        setUnseen(n.unseen);
        const mark = toastedUpTo();
        const fresh = (n.events ?? []).filter((e) => e.id > mark).sort((a, b) => a.id - b.id);
        if (fresh.length) {
          localStorage.setItem(toastedKey, String(fresh[fresh.length - 1].id));
          setToasts((t) => [...t, ...fresh]);
          if (systemNotifications() === 'granted') {
            for (const e of fresh) new Notification('Loupe alert', { body: e.message, tag: `loupe-alert-${e.id}` });
          }
        }
      }, () => { /* the views show binding errors; a missed poll retries */ })
        .finally(() => { busy.current = false; timer = window.setTimeout(poll, pollMS); });
    };
    poll();
    window.addEventListener(alertsEvent, poll);
    return () => { clearTimeout(timer); window.removeEventListener(alertsEvent, poll); };
  }, []);

  const dismiss = (e: AlertEntry) => {
    setToasts((t) => t.filter((x) => x.id !== e.id));
    Alerts.markSeen(e.id).then(pokeAlerts, () => {});
  };
  return { unseen, toasts, dismiss };
}

export function AlertToasts({ toasts, onDismiss }: { toasts: AlertEntry[]; onDismiss: (e: AlertEntry) => void }) {
  return (
    <div class="toasts" aria-live="polite">
      {toasts.map((t) => <Toast key={t.id} entry={t} onDismiss={() => onDismiss(t)} />)}
    </div>
  );
}

function Toast({ entry, onDismiss }: { entry: AlertEntry; onDismiss: () => void }) {
  useEffect(() => {
    const t = window.setTimeout(onDismiss, toastMS);
    return () => clearTimeout(t);
  }, []);
  return (
    <div class="toast" role="status" data-toast={entry.id}>
      <div class="toast-body">
        <strong>Alert · {entry.rule_name || `rule ${entry.rule_id}`}</strong>
        <span>{entry.message}</span>
      </div>
      <button class="btn btn-small" onClick={() => { navigate('#/alerts'); onDismiss(); }}>View</button>
      <button class="btn btn-ghost btn-small" aria-label="Dismiss" onClick={onDismiss}>✕</button>
    </div>
  );
}
