// The Go bindings as typed calls. Every type and wrapper is generated from
// the Go structs (api.gen.ts, `make api`), so the UI cannot drift from Go;
// this file only names narrower types the views rely on.
export * from './api.gen';

/** The funnel builder's query: desktop.FunnelQuery is an alias of funnel.Spec. */
export type FunnelQuery = import('./api.gen').Spec;
