// The keyboard shortcuts sheet, opened with `?`.
const keys: [string, string][] = [
  ['Space', 'Play / pause the replay'],
  ['← / →', 'Seek 5 seconds back / forward'],
  ['Shift + ← / →', 'Previous / next event in the list'],
  ['/', 'Focus search'],
  ['?', 'Show this sheet'],
  ['Esc', 'Close dialogs, leave the search field'],
];

export function Shortcuts({ onClose }: { onClose: () => void }) {
  return (
    <div class="overlay" onClick={onClose}>
      <div class="dialog" role="dialog" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()}>
        <div class="dialog-head">
          <h2>Keyboard shortcuts</h2>
          <button class="btn btn-ghost" onClick={onClose} aria-label="Close">✕</button>
        </div>
        <table class="keys">
          <tbody>
            {keys.map(([k, d]) => (
              <tr key={k}><td><kbd>{k}</kbd></td><td>{d}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
