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

/**
 * Polls for unseen alerts; returns the unseen count, the toasts to show and
 * whether every poke so far has been answered by a poll that began after it
 * (so a page, or a test, can tell "nothing new" from "not looked yet").
 */
export function useAlertWatch() {
  const [unseen, setUnseen] = useState(0);
  const [toasts, setToasts] = useState<AlertEntry[]>([]);
  const busy = useRef(false);
  const again = useRef(false);
  const asked = useRef(1); // the first poll counts as asked
  const [answered, setAnswered] = useState({ asked: 1, answered: 0 });

  useEffect(() => {
    let timer = 0;
    const poll = () => {
      clearTimeout(timer);
      // A poke during a poll is answered by another poll right after it.
      if (busy.current) { again.current = true; return; }
      busy.current = true;
      const upTo = asked.current;
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
        .finally(() => {
          busy.current = false;
          setAnswered({ asked: asked.current, answered: upTo });
          if (again.current) { again.current = false; poll(); return; }
          timer = window.setTimeout(poll, pollMS);
        });
    };
    const poke = () => {
      asked.current++;
      setAnswered((a) => ({ ...a, asked: asked.current }));
      poll();
    };
    poll();
    window.addEventListener(alertsEvent, poke);
    return () => { clearTimeout(timer); window.removeEventListener(alertsEvent, poke); };
  }, []);

  const dismiss = (e: AlertEntry) => {
    setToasts((t) => t.filter((x) => x.id !== e.id));
    Alerts.markSeen(e.id).then(pokeAlerts, () => {});
  };
  return { unseen, toasts, dismiss, settled: answered.answered >= answered.asked };
}

export function AlertToasts({ toasts, onDismiss, settled }: { toasts: AlertEntry[]; onDismiss: (e: AlertEntry) => void; settled: boolean }) {
  return (
    <div class="toasts" aria-live="polite" data-notices-settled={settled}>
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
