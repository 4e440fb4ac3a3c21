// Entry point of t-feedback.js: hands the widget to t.js (load.ts).
import { WIDGET_GLOBAL } from "./load";
import { showWidget } from "./widget";

(window as unknown as Record<string, unknown>)[WIDGET_GLOBAL] = showWidget;
