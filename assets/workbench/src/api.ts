// Typed wrappers over the Go bindings (desktop package). The JSON shapes
// mirror the Go structs' json tags.
import { call } from './bridge';

export interface Viewport { w: number; h: number }

export interface Session {
  id: string; site: string; visitor: string; started_at: string; duration_ms: number;
  pages: string[] | null; urls: string[] | null; pageviews: number; clicks: number;
  rage_clicks: number; dead_clicks: number; error_clicks: number; js_errors: number;
  failed_requests: number; max_scroll_pct: Record<string, number> | null; tags: string[] | null;
  viewport: Viewport; device: string; browser: string; os: string; country: string; events: number;
  user_id?: string; frustration_score: number;
}

export interface SessionQuery {
  sort?: string; desc?: boolean; page?: string; device?: string; site?: string;
  min_duration_ms?: number; errors?: boolean; frustrated?: boolean; text?: string; segment?: string; visitor?: string; tag?: string;
  offset?: number; limit?: number;
}

export interface SessionPage { total: number; sessions: Session[] | null }
export interface Facets { total: number; pages: string[] | null; devices: string[] | null; sites: string[] | null; tags: string[] | null }

export interface Pageview { index: number; url: string; path: string; title?: string; offset_ms: number; dwell_ms: number }
export interface Click { offset_ms: number; path: string; x: number; y: number; selector: string; tag: string; text?: string; rage: boolean; dead: boolean; error: boolean }
export interface JSError { offset_ms: number; path: string; message: string; source?: string; stack?: string }
export interface Request { offset_ms: number; path: string; method: string; url: string; status: number; duration_ms: number; failed: boolean }
export interface CustomEvent { offset_ms: number; path: string; name: string; props?: Record<string, unknown> }

export interface FeedbackFact { offset_ms: number; pageview: number; path: string; kind: 'csat' | 'nps'; score: number; comment?: string }

export interface Facts {
  session: Session; pageviews: Pageview[] | null; clicks: Click[] | null; errors: JSError[] | null;
  requests: Request[] | null; custom_events: CustomEvent[] | null; feedback?: FeedbackFact[] | null;
}

export interface Replay { session: Session; facts: Facts | null; events: any[] }

export interface Note { id: number; session: string; offset_ms: number; text: string; bookmark: boolean; created_at: string }

export const Sessions = {
  list: (q: SessionQuery) => call<SessionPage>('Sessions', 'List', q),
  facets: () => call<Facets>('Sessions', 'Facets'),
  get: (id: string) => call<Session>('Sessions', 'Get', id),
  tag: (id: string, tag: string) => call<Session>('Sessions', 'Tag', id, tag),
  untag: (id: string, tag: string) => call<Session>('Sessions', 'Untag', id, tag),
};

export const Player = {
  load: (id: string) => call<Replay>('Player', 'Load', id),
};

export const Notes = {
  list: (session: string) => call<Note[] | null>('Notes', 'List', session),
  add: (session: string, offsetMS: number, text: string, bookmark: boolean) =>
    call<Note>('Notes', 'Add', session, offsetMS, text, bookmark),
  remove: (id: number) => call<null>('Notes', 'Delete', id),
};

export interface DefinitionsView {
  session_idle_ms: number; session_max_ms: number; rage_clicks: number; rage_radius_px: number; rage_window_ms: number;
  dead_click_window_ms: number; error_click_window_ms: number; quick_back_ms: number; excessive_scroll_reversals: number;
  excessive_scroll_window_ms: number; funnel_window_ms: number;
}
export interface SettingsView { workspace: string; theme: string; definitions: DefinitionsView; defaults: DefinitionsView }

export const Settings = {
  get: () => call<SettingsView>('Settings', 'Get'),
  setTheme: (t: string) => call<null>('Settings', 'SetTheme', t),
  setDefinitions: (d: DefinitionsView) => call<DefinitionsView>('Settings', 'SetDefinitions', d),
};

export interface SegmentNode { op: string; terms?: SegmentNode[]; field?: string; cmp?: string; value?: unknown; pattern?: string; count?: number; text?: string }
export interface SegmentView { text: string; tree: SegmentNode; count: number; total: number }
export interface SavedSegment { name: string; text: string }
export interface FieldInfo { name: string; kind: string; doc: string }

export const Segments = {
  fields: () => call<FieldInfo[]>('Segments', 'Fields'),
  parse: (text: string) => call<SegmentView>('Segments', 'Parse', text),
  fromTree: (tree: SegmentNode) => call<SegmentView>('Segments', 'FromTree', tree),
  saved: () => call<SavedSegment[]>('Segments', 'Saved'),
  save: (name: string, text: string) => call<SavedSegment[]>('Segments', 'Save', name, text),
  remove: (name: string) => call<SavedSegment[]>('Segments', 'Delete', name),
};

export interface Card { kind: string; title: string; segment?: string }
export interface Dashboard { template: string; days: number; cards: Card[] }
export interface Template { name: string; about: string; kinds: string[] }
export interface PeriodStats {
  from: string; to: string; sessions: number; visitors: number; avg_duration_ms: number;
  bounce_rate: number; error_rate: number; rage_click_rate: number;
}
export interface Ranked { name: string; count: number; sessions: number }
export interface CardData { current: PeriodStats; previous: PeriodStats; ranked?: Ranked[]; days?: { day: string; sessions: number }[]; empty: boolean }

export const Dashboards = {
  get: () => call<Dashboard>('Dashboards', 'Get'),
  templates: () => call<Template[]>('Dashboards', 'Templates'),
  kinds: () => call<Record<string, string>>('Dashboards', 'CardKinds'),
  useTemplate: (name: string) => call<Dashboard>('Dashboards', 'UseTemplate', name),
  save: (d: Dashboard) => call<Dashboard>('Dashboards', 'Save', d),
  cardData: (c: Card, days: number) => call<CardData>('Dashboards', 'CardData', c, days),
};

export interface FunnelQuery { name?: string; steps: string[]; mode?: string; window_ms?: number; breakdown?: string; segment?: string }
export interface StepResult {
  step: string; count: number; conversion_overall: number; conversion_from_previous: number;
  median_ms_from_previous: number; p90_ms_from_previous: number; dropped_off: number;
}
export interface FunnelGroup { value: string; sessions: number; counts: number[]; conversion: number }
export interface FunnelResult {
  steps: StepResult[]; sessions: number; converted: number; conversion: number;
  breakdown?: FunnelGroup[]; dropped: string[][];
}
export interface StepSuggestion { step: string; kind: string; label: string; sessions: number }

export const Funnels = {
  run: (q: FunnelQuery) => call<FunnelResult>('Funnels', 'Run', q),
  dropped: (q: FunnelQuery, step: number) => call<Session[]>('Funnels', 'DroppedSessions', q, step),
  suggestions: () => call<StepSuggestion[]>('Funnels', 'Suggestions'),
  saved: () => call<FunnelQuery[]>('Funnels', 'Saved'),
  save: (q: FunnelQuery) => call<FunnelQuery[]>('Funnels', 'Save', q),
  remove: (name: string) => call<FunnelQuery[]>('Funnels', 'Delete', name),
};

export interface HeatPoint { x: number; y: number; vw: number; selector?: string; rel_x: number; rel_y: number }
export interface HeatElement { selector: string; clicks: number; rage: number; dead: number; error: number }
export interface HeatmapData {
  page: string; device?: string; kind: string; sessions: number; pageviews: number; width: number; height: number;
  points: HeatPoint[] | null; scroll: { pct: number; pageviews: number; share: number }[] | null; scroll_unknown: number;
  elements: HeatElement[] | null;
}
export interface HeatmapView { data: HeatmapData; snapshot: any[]; session?: string }

export const Heatmaps = {
  pages: () => call<Ranked[]>('Heatmaps', 'Pages'),
  get: (q: { page: string; device?: string; kind?: string; segment?: string }) => call<HeatmapView>('Heatmaps', 'Get', q),
};

export interface SyncProgress { total: number; done: number; imported: number; skipped: number; quarantined: number; failed: number; bytes: number; events: number; current: string }
export interface SyncReport { source: string; listed: number; imported: number; merged: number; skipped: number; quarantined: number; events: number; bytes: number; problems?: { key: string; reason: string }[]; alerts?: { id: number; message: string }[] }
export interface SyncStatus { running: boolean; source: string; started: string; progress: SyncProgress; report?: SyncReport; error?: { code: string; message: string } }
export interface SourcesView { history: { source: string; finished: string; imported: number; skipped: number; problems: number; error?: string }[]; sources: { addr: string; cursor: string; updated_at: string }[]; quarantined: { source: string; key: string; reason: string; kept_at: string; created_at: string }[]; quotas?: SiteQuota[] }
export interface SiteQuota { source: string; site: string; month: string; sessions: number; limit: number; warn_at: number; sample_rate: number; warned: boolean; limited: boolean }
export interface FileResult { path: string; session?: string; status: string; error?: string; events: number }

export const Sync = {
  sources: () => call<SourcesView>('Sync', 'Sources'),
  start: (addr: string, token: string) => call<SyncStatus>('Sync', 'Start', addr, token),
  status: () => call<SyncStatus>('Sync', 'Status'),
  importFiles: (files: { name: string; base64: string }[]) => call<FileResult[]>('Sync', 'ImportFiles', files),
};

export interface Figure { label: string; value: number; unit?: string }
export interface Finding {
  key: string; kind: string; title: string; sentences: string[] | null; strength: number; significant: boolean; p_value: number; test?: string; segment?: string;
  evidence: { figures: Figure[] | null; samples: { session: string; offset_ms: number; note?: string }[] | null; chart?: { title: string; unit?: string; labels: string[]; values: number[] }; page?: string; selector?: string };
}
export interface Draft { id: number; title: string; body: string; edited: boolean; dismissed: boolean; finding: Finding }

export const Insights = {
  scan: (req: { segment?: string; funnel?: string[] }) => call<{ report: any; drafts: Draft[] }>('Insights', 'Scan', req),
  drafts: (withDismissed: boolean) => call<Draft[]>('Insights', 'Drafts', withDismissed),
  edit: (id: number, title: string, body: string) => call<null>('Insights', 'Edit', id, title, body),
  dismiss: (id: number, dismissed: boolean) => call<null>('Insights', 'Dismiss', id, dismissed),
};

export type AlertMetric = 'sessions' | 'conversion' | 'error_rate' | 'rage_rate' | 'segment_count';
export type AlertCondition = 'above' | 'below' | 'rises_by' | 'falls_by';
export interface AlertRule {
  id?: number; name: string; metric: AlertMetric; segment?: string; funnel?: string[];
  condition: AlertCondition; threshold: number; period?: string; enabled: boolean;
}
export interface AlertRuleView extends AlertRule { id: number; firing: boolean }
export interface AlertEntry {
  id: number; rule_id: number; rule_name: string; at: string; kind: 'fired' | 'resolved';
  value: number; previous?: number; trigger: string; message: string; seen: boolean;
}
export interface AlertNotices { unseen: number; events: AlertEntry[] }

export const Alerts = {
  rules: () => call<AlertRuleView[]>('Alerts', 'Rules'),
  save: (r: AlertRule) => call<AlertRuleView[]>('Alerts', 'Save', r),
  setEnabled: (id: number, on: boolean) => call<AlertRuleView[]>('Alerts', 'SetEnabled', id, on),
  remove: (id: number) => call<AlertRuleView[]>('Alerts', 'Delete', id),
  history: (limit = 0) => call<AlertEntry[]>('Alerts', 'History', limit),
  notices: () => call<AlertNotices>('Alerts', 'Notices'),
  markSeen: (upTo: number) => call<null>('Alerts', 'MarkSeen', upTo),
  check: () => call<AlertEntry[]>('Alerts', 'Check'),
};

export interface AskAnalysis { kind: 'dropoff' | 'funnel' | 'frustration' | 'errors' | 'heatmap'; step?: string; steps?: string[]; page?: string }
export interface AskReading {
  segment: string; reading: string; unknown: string[]; range?: { from: string; to: string };
  analysis?: AskAnalysis; route?: string; count: number; total: number;
}

export const Ask = {
  read: (sentence: string) => call<AskReading>('Ask', 'Read', sentence),
};

export interface ReportRequest { title?: string; segment?: string; steps?: string[]; days?: number; link_base?: string }
export interface ReportFile { name: string; html?: string; path?: string; bytes: number }

export const Reports = {
  build: (r: ReportRequest) => call<ReportFile>('Reports', 'Build', r),
  saveToDownloads: (r: ReportRequest) => call<ReportFile>('Reports', 'SaveToDownloads', r),
};

export interface FeedbackFilter {
  kind?: '' | 'csat' | 'nps'; max_score?: number | null; text?: string; from_ms?: number; to_ms?: number;
  segment?: string; offset?: number; limit?: number;
}
export interface FeedbackResponse { session: string; started_at: number; offset_ms: number; path: string; kind: 'csat' | 'nps'; score: number; comment: string }
export interface FeedbackPage { total: number; responses: FeedbackResponse[] }
export interface ScoreCount { kind: 'csat' | 'nps'; score: number; count: number }
export interface FeedbackSummary {
  count: number; sessions: number; csat_count: number; csat_average: number; nps_count: number; nps: number;
  promoters: number; passives: number; detractors: number; distribution: ScoreCount[];
}

export const Feedback = {
  list: (f: FeedbackFilter) => call<FeedbackPage>('Feedback', 'List', f),
  summary: (f: FeedbackFilter) => call<FeedbackSummary>('Feedback', 'Summary', f),
};
