// Entry point of t.js. Nothing here may throw into the host page.
import { start } from "./tracker";
import { attempt } from "./safe";

attempt(() => start(window));
