// "Download report": the self-contained HTML report `loupe report` writes.
// In the browser it downloads as a file; the window saves it into the
// Downloads folder and says where.
import { useState } from 'preact/hooks';
import { Reports } from '../api';
import { inWindow } from '../bridge';
import { ErrorNotice } from './notice';

export function ReportButton({ title, segment }: { title?: string; segment?: string }) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const [error, setError] = useState<unknown>(null);

  const run = () => {
    setBusy(true);
    setDone('');
    setError(null);
    const req = { title, segment };
    const work = inWindow()
      ? Reports.saveToDownloads(req).then((f) => setDone(`Saved to ${f.path}`))
      : Reports.build({ ...req, link_base: location.origin + location.pathname }).then((f) => {
        const url = URL.createObjectURL(new Blob([f.html ?? ''], { type: 'text/html' }));
        const a = document.createElement('a');
        a.href = url;
        a.download = f.name;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        setDone(`Downloaded ${f.name}`);
      });
    work.catch(setError).finally(() => setBusy(false));
  };

  return (
    <div class="report-action">
      <button class="btn" onClick={run} disabled={busy} data-download-report title="One HTML file with charts, funnel, heatmaps and insights that opens offline">
        {busy ? 'Building report…' : 'Download report'}
      </button>
      {done && <div class="muted report-done" data-report-done>{done}</div>}
      {error ? <ErrorNotice error={error} /> : null}
    </div>
  );
}
