/**
 * The panel's styles, inside its shadow root: the app's CSS does not reach in, and these do
 * not leak out. `:host { all: initial }` stops inherited properties (font, colour) at the border.
 */
export const PANEL_CSS = `
:host { all: initial; display: block; }
* { box-sizing: border-box; }
.pd { --fg:#1f2328; --muted:#656d76; --bg:#fff; --alt:#f6f8fa; --line:#d0d7de; --accent:#0969da; --sel:#ddf4ff; --add:#1a7f37; --del:#cf222e; --mark:#fff8c5;
  font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--fg); background: var(--bg);
  display: flex; flex-direction: column; min-height: 0; height: 100%; }
@media (prefers-color-scheme: dark) {
  .pd { --fg:#e6edf3; --muted:#8d96a0; --bg:#0d1117; --alt:#161b22; --line:#30363d; --accent:#4493f8; --sel:#1f3a5f; --add:#3fb950; --del:#f85149; --mark:#5a4a00; }
}
.dock { position: fixed; left: 0; right: 0; bottom: 0; z-index: 2147483646; border-top: 1px solid #888; box-shadow: 0 -2px 12px rgba(0,0,0,.2); }
.inline { border: 1px solid var(--line); height: 100%; }
.grip { height: 6px; cursor: ns-resize; background: var(--alt); border-bottom: 1px solid var(--line); flex: none; }
.grip:hover, .grip:focus-visible { background: var(--accent); outline: none; }
.fab { position: fixed; right: 12px; bottom: 12px; z-index: 2147483647; font: 600 12px/1 system-ui, sans-serif; padding: 8px 12px;
  border-radius: 16px; border: 1px solid #888; background: #1f2328; color: #fff; cursor: pointer; box-shadow: 0 2px 8px rgba(0,0,0,.3); }
.fab[aria-expanded=true] { bottom: auto; top: 12px; }
button { font: inherit; color: var(--fg); background: var(--alt); border: 1px solid var(--line); border-radius: 4px; padding: 2px 8px; cursor: pointer; }
button:hover:not(:disabled) { border-color: var(--accent); }
button:disabled { opacity: .45; cursor: default; }
button[aria-pressed=true] { border-color: var(--accent); color: var(--accent); }
input { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 2px 6px; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: -1px; }
.toolbar { display: flex; gap: 10px; align-items: center; padding: 4px 6px; border-bottom: 1px solid var(--line); background: var(--alt); flex: none;
  overflow-x: auto; white-space: nowrap; }
.toolbar .title { font-weight: 600; flex: none; max-width: 24ch; overflow: hidden; text-overflow: ellipsis; }
.toolbar .group, .selbar { display: flex; gap: 4px; flex: none; }
.toolbar .status { margin-left: auto; color: var(--muted); flex: 0 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis; }
.toolbar input[type=file] { display: none; }
.body { display: flex; flex: 1; min-height: 0; }
.side { width: 38%; min-width: 180px; display: flex; flex-direction: column; border-right: 1px solid var(--line); }
.filter { padding: 4px 6px; border-bottom: 1px solid var(--line); }
.filter input { width: 100%; }
.filter .error { color: var(--del); }
.list { flex: 1; overflow-y: auto; position: relative; min-height: 0; }
.list:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
.row { user-select: none; position: absolute; left: 0; right: 0; display: flex; gap: 6px; align-items: center; padding: 0 6px; white-space: nowrap; overflow: hidden; cursor: pointer; border-bottom: 1px solid var(--alt); }
.row[aria-selected=true] { background: var(--sel); }
.row.skipped .text { text-decoration: line-through; color: var(--muted); }
.row.failed .text { color: var(--del); }
.row.future { opacity: .5; }
.row .id { color: var(--muted); min-width: 4ch; }
.row .text { flex: 1; overflow: hidden; text-overflow: ellipsis; }
.row .skip { padding: 0 4px; font-size: 11px; }
.main { flex: 1; display: flex; flex-direction: column; min-width: 0; }
.mainbar { display: flex; flex-wrap: wrap-reverse; align-items: flex-end; gap: 4px 12px; padding: 4px 6px 0; border-bottom: 1px solid var(--line); flex: none; }
.selbar { margin-left: auto; padding-bottom: 3px; }
.tabs { display: flex; gap: 2px; }
.tabs [role=tab] { border-bottom: none; border-radius: 4px 4px 0 0; }
.tabs [role=tab][aria-selected=true] { background: var(--bg); border-color: var(--accent); color: var(--accent); }
.tabpanel { flex: 1; overflow: auto; padding: 6px 8px; min-height: 0; }
.empty { color: var(--muted); padding: 8px; }
h3 { font-size: 11px; text-transform: uppercase; color: var(--muted); margin: 8px 0 4px; }
pre { margin: 0; white-space: pre-wrap; word-break: break-all; }
.op { margin: 2px 0; }
.op .kind { font-weight: 600; }
.op .kind.add { color: var(--add); } .op .kind.remove { color: var(--del); } .op .kind.replace { color: var(--accent); }
table { border-collapse: collapse; width: 100%; font: inherit; color: inherit; }
th { font-weight: 600; }
table.compact { width: auto; min-width: 40%; }
th, td { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); padding: 2px 6px; }
td.before { color: var(--del); } td.after { color: var(--add); }
.tree { list-style: none; margin: 0; padding-left: 14px; }
.tree.root { padding-left: 0; }
.node { white-space: nowrap; }
.node > .line { display: flex; gap: 4px; align-items: center; }
.node.changed > .line > .key { background: var(--mark); }
.node.match > .line { outline: 1px dashed var(--accent); }
.node .twisty { width: 14px; padding: 0; border: none; background: none; }
.node .key { color: var(--accent); }
.node .value { overflow: hidden; text-overflow: ellipsis; }
.node .copy { visibility: hidden; padding: 0 4px; font-size: 10px; }
.node > .line:hover .copy, .node > .line:focus-within .copy { visibility: visible; }
.search { display: flex; gap: 6px; margin-bottom: 6px; }
.search input { flex: 1; }
.note { color: var(--muted); }
`
