// The sync view.
import { Empty } from '../components/notice';

export function SyncView(_props: Record<string, unknown>) {
  return (
    <div class="view">
      <header class="view-head"><div><h1>Sync</h1></div></header>
      <Empty title="Sync are being prepared">This view fills in as the workspace gains sync data.</Empty>
    </div>
  );
}
