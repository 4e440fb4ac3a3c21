// The insights view.
import { Empty } from '../components/notice';

export function InsightsView(_props: Record<string, unknown>) {
  return (
    <div class="view">
      <header class="view-head"><div><h1>Insights</h1></div></header>
      <Empty title="Insights are being prepared">This view fills in as the workspace gains insights data.</Empty>
    </div>
  );
}
