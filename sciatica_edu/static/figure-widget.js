// sciatica-edu: the body diagram's front-end for plotly.py's FigureWidget (anywidget ``_esm``).
//
// plotly's own widget code is 5 MB (all of plotly.js) and, after every update, diffs plotly.js's data
// against its own copy and sends it back to Python. This module speaks the part of the FigureWidget
// protocol the kit uses, on plotly.js "basic" (scatter, bar, pie; prepended by widgets.figure_widget_code):
//   Python -> page: _widget_data, _widget_layout and _config (the first picture), _py2js_update (a batch
//                   of style and layout edits: Plotly.update on every view, no recalculation), and
//                   _py2js_restyle, _py2js_relayout, _py2js_addTraces, _py2js_deleteTraces;
//   page -> Python: _js2py_traceDeltas and _js2py_layoutDelta (empty: "this edit is drawn", sent after the
//                   paint), _js2py_pointsCallback (clicks; FigureWidget.on_click).
// Single restyles and relayouts, and adding or deleting traces, work too; moving traces and animation
// are logged, not drawn.

const UNDEFINED = "_undefined_"; // how plotly.py sends "leave this value as it is"

function clone(x) {
  return x === undefined ? x : structuredClone(x);
}

const TYPED = { int8: Int8Array, int16: Int16Array, int32: Int32Array, uint8: Uint8Array, uint16: Uint16Array,
  uint32: Uint32Array, float32: Float32Array, float64: Float64Array };

// What plotly.py sends, as plotly.js wants it: numpy arrays arrive as {dtype, shape, value: DataView} and
// become typed arrays; "_undefined_" becomes undefined (plotly.js then leaves that value as it is).
function fromPy(v) {
  if (v === UNDEFINED) return undefined;
  if (Array.isArray(v)) return v.map(fromPy);
  if (v && typeof v === "object" && !ArrayBuffer.isView(v)) {
    const raw = v.value !== undefined ? v.value : v.buffer;
    if (v.dtype && v.shape && raw && TYPED[v.dtype]) {
      const buf = ArrayBuffer.isView(raw) ? raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) : raw;
      return new TYPED[v.dtype](buf);
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromPy(x)]));
  }
  return v;
}

function get(model, name) {
  return fromPy(model.get(name));
}

// Write a property path such as "line.color" or "annotations[3].font.color" into a plain object.
function setPath(obj, path, value) {
  const parts = path.replace(/\[(\d+)\]/g, ".$1").split(".");
  let d = obj;
  for (const p of parts.slice(0, -1)) {
    if (d[p] === undefined || d[p] === null) d[p] = /^\d+$/.test(p) ? [] : {};
    d = d[p];
  }
  d[parts[parts.length - 1]] = value;
}

function traceIndexes(traces, n) {
  if (traces === null || traces === undefined) return Array.from({ length: n }, (_, i) => i);
  return Array.isArray(traces) ? traces : [traces];
}

// plotly.py's batch: {prop: [value for each trace index]}; undefined means "no change for that trace".
function styleFor(style, traces) {
  const out = {};
  for (const [key, values] of Object.entries(style || {})) {
    const list = Array.isArray(values) ? values : traces.map(() => values);
    out[key] = list;
  }
  return out;
}

function withHeight(layout) {
  if (!layout.height) layout.height = 360; // as plotly's own widget
  return layout;
}

// ---- The fast path: a colour-only edit, drawn by plotly.js's own styling code without a full restyle.
//
// Plotly.update recomputes every trace's and every layout item's defaults (about 30 ms for the body diagram's
// 119 traces and 54 annotations) and restyles all traces, whatever changed. A repaint of the body diagram only
// changes colours, fill patterns, hover names and hover flags. For those, this path writes the new values into
// plotly.js's input (gd.data, gd.layout) and into its computed copy (gd._fullData, gd._fullLayout) as its
// defaults step would, then runs the scatter module's own style function (what Plotly.update ends with), and
// recolours the changed layout shapes and annotations as plotly.js colours them. Anything else, or anything
// it does not recognise, goes to Plotly.update. The plot's div counts the edits drawn this way
// (gd.__sciaticaFastEdits); tests/browser/test_lab.py checks that a view painted this way looks exactly like a
// view plotly.js drew from the same data.
const FAST_TRACE_KEYS = new Set(["fillcolor", "fillpattern", "name", "hoverinfo", "line.color"]);
const FAST_LAYOUT_KEY = /^(shapes|annotations)\[(\d+)\]\.(fillcolor|font\.color)$/;

// "#rgb", "#rrggbb", "rgb(r, g, b)" or "rgba(r, g, b, a)" as plotly.js's Color.fill writes it: an opaque rgb()
// and an opacity. Anything else: null (the edit then goes through Plotly.update).
function cssColor(value) {
  if (typeof value !== "string") return null;
  const s = value.trim().toLowerCase();
  let r, g, b, a = 1;
  let m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(s);
  if (m) {
    const h = m[1].length === 3 ? m[1].replace(/./g, "$&$&") : m[1];
    [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
  } else {
    m = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(s);
    if (!m) return null;
    [r, g, b] = [m[1], m[2], m[3]].map((x) => Math.round(Math.min(255, Number(x))));
    if (m[4] !== undefined) a = Math.min(1, Number(m[4]));
  }
  return { fill: `rgb(${r}, ${g}, ${b})`, opacity: String(a) };
}

// A scatter trace's computed fill pattern, as plotly.js's defaults make it from the input pattern and fill colour.
function fullPattern(input, fillcolor) {
  const p = input || {};
  const shape = p.shape || "";
  if (!shape && !p.path) return { shape: "", path: p.path };
  const out = { shape, size: p.size === undefined ? 8 : p.size, fillmode: p.fillmode || "replace" };
  if (shape) out.solidity = p.solidity === undefined ? 0.3 : p.solidity;
  if (!shape) out.path = p.path;
  const overlay = out.fillmode === "overlay";
  out.bgcolor = p.bgcolor === undefined ? (overlay ? fillcolor : undefined) : p.bgcolor;
  out.fgcolor = p.fgcolor === undefined ? fillcolor : p.fgcolor;
  out.fgopacity = p.fgopacity === undefined ? (overlay ? 0.5 : 1) : p.fgopacity;
  return out;
}

function fastUpdate(gd, style, relayout, traces) {
  const full = gd._fullData;
  const fullLayout = gd._fullLayout;
  if (!full || !fullLayout || !gd.calcdata || full.length !== gd.data.length) return false;
  // 1. Check everything before changing anything.
  const keys = Object.keys(style);
  if (keys.some((k) => !FAST_TRACE_KEYS.has(k))) return false;
  const scatter = full[0] && full[0]._module;
  for (const [j, t] of traces.entries()) {
    const fd = full[t];
    const cd = gd.calcdata[t];
    if (!fd || fd.index !== t || fd.type !== "scatter" || fd._module !== scatter || !cd || !cd[0] ||
        cd[0].trace !== fd) return false;
    for (const k of keys) {
      const v = style[k][j];
      if (v === undefined) continue;
      if ((k === "fillcolor" || k === "fillpattern") && (!fd.fill || fd.fill === "none")) return false;
      if (k === "fillcolor" && cssColor(v) === null) return false;
      if (k === "line.color" && (!fd.line || cssColor(v) === null)) return false;
      if (k === "fillpattern" && (v === null || typeof v !== "object" || Array.isArray(v) ||
          Object.values(v).some((x) => Array.isArray(x)))) return false;
      if ((k === "name" || k === "hoverinfo") && typeof v !== "string") return false;
    }
  }
  if (!scatter || typeof scatter.style !== "function") return false;
  const items = [];
  for (const [path, value] of Object.entries(relayout)) {
    const m = FAST_LAYOUT_KEY.exec(path);
    if (!m) return false;
    const [, kind, index, prop] = m;
    if ((kind === "shapes") !== (prop === "fillcolor")) return false;
    const opts = (fullLayout[kind] || [])[Number(index)];
    const input = ((gd.layout || {})[kind] || [])[Number(index)];
    const color = cssColor(value);
    const el = kind === "shapes"
      ? gd.querySelector(`g.shape-group[data-index="${index}"] > path`)
      : gd.querySelector(`g.annotation[data-index="${index}"] text.annotation-text`);
    if (!opts || !input || !color || !el || (kind === "annotations" && !opts.font)) return false;
    items.push({ kind, opts, input, value, color, el });
  }
  // 2. Write the new values into plotly.js's input and computed copies.
  for (const [j, t] of traces.entries()) {
    const fd = full[t];
    let refill = false;
    for (const k of keys) {
      const v = style[k][j];
      if (v === undefined) continue;
      setPath(gd.data[t], k, v);
      if (k === "line.color") fd.line.color = v;
      else if (k === "fillcolor" || k === "fillpattern") refill = true;
      else fd[k] = v;
    }
    if (refill) {
      fd.fillcolor = gd.data[t].fillcolor === undefined ? fd.fillcolor : gd.data[t].fillcolor;
      fd.fillpattern = fullPattern(gd.data[t].fillpattern, fd.fillcolor);
    }
  }
  // 3. Draw: plotly.js's scatter styling (every scatter trace, as Plotly.update does), then the layout items.
  if (traces.length && keys.length) scatter.style(gd);
  for (const { kind, opts, input, value, color, el } of items) {
    if (kind === "shapes") {
      input.fillcolor = value;
      opts.fillcolor = value;
    } else {
      input.font = Object.assign({}, input.font, { color: value });
      opts.font.color = value;
    }
    el.style.fill = color.fill;
    el.style.fillOpacity = color.opacity;
  }
  return true;
}

function afterPaint(fn) {
  let done = false;
  const once = () => {
    if (!done) {
      done = true;
      fn();
    }
  };
  requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, 100); // a hidden tab paints no frames
}

// The model's copy of the picture and its views, by the model's _sciatica_key (widgets._figure_widget_class).
// anywidget hands initialize and every render a model proxy of their own, so this cannot live on the proxy.
const MODELS = new Map();

function shared(model) {
  const key = model.get("_sciatica_key");
  let found = key ? MODELS.get(key) : undefined;
  if (!found) {
    found = setup(model);
    if (key) {
      MODELS.set(key, found);
      model.on("destroy", () => MODELS.delete(key)); // the figure was closed (ipywidgets' model.close())
    }
  }
  return found;
}

function initialize({ model }) {
  shared(model);
}

function setup(model) {
  // The model's own copy of the picture, kept current, so a view opened later draws what Python last sent.
  const state = {
    data: get(model, "_widget_data") || [],
    layout: get(model, "_widget_layout") || {},
    version: 0, // counts edits, so a view still drawing its first picture can catch up
  };
  const views = new Set();

  model.on("change:_widget_data", () => {
    state.data = get(model, "_widget_data") || [];
    state.version += 1;
    for (const view of views) view.redraw();
  });
  model.on("change:_widget_layout", () => {
    state.layout = get(model, "_widget_layout") || {};
    state.version += 1;
    for (const view of views) view.redraw();
  });
  const drawn = (msg) => afterPaint(() => {
    if (msg.trace_edit_id !== undefined) {
      model.set("_js2py_traceDeltas", { trace_deltas: [], trace_edit_id: msg.trace_edit_id });
    }
    if (msg.layout_edit_id !== undefined) {
      model.set("_js2py_layoutDelta", { layout_delta: {}, layout_edit_id: msg.layout_edit_id });
    }
    model.save_changes();
  });
  const restyleState = (style, traces) => {
    for (const [key, values] of Object.entries(style)) {
      traces.forEach((t, j) => {
        if (values[j] !== undefined && state.data[t]) setPath(state.data[t], key, clone(values[j]));
      });
    }
  };
  const relayoutState = (layout) => {
    for (const [k, v] of Object.entries(layout)) setPath(state.layout, k, clone(v));
  };
  const defined = (obj) => Object.fromEntries(Object.entries(obj || {}).filter(([, v]) => v !== undefined));
  // Style and layout edits: a batch_update() (the kit's way), or a single restyle or relayout.
  const edit = (msg, style, layout, traceList) => {
    const traces = traceIndexes(traceList, state.data.length);
    const perTrace = styleFor(style, traces);
    const relayout = defined(layout);
    restyleState(perTrace, traces);
    relayoutState(relayout);
    state.version += 1;
    for (const view of views) view.update(perTrace, relayout, traces);
    drawn(msg);
  };
  model.on("change:_py2js_update", () => {
    const msg = get(model, "_py2js_update");
    if (msg) edit(msg, msg.style_data, msg.layout_data, msg.style_traces);
  });
  model.on("change:_py2js_restyle", () => {
    const msg = get(model, "_py2js_restyle");
    if (msg) edit(msg, msg.restyle_data, {}, msg.restyle_traces);
  });
  model.on("change:_py2js_relayout", () => {
    const msg = get(model, "_py2js_relayout");
    if (msg) edit(msg, {}, msg.relayout_data, []);
  });
  // Adding and deleting traces: the picture is drawn again from the model's copy.
  model.on("change:_py2js_addTraces", () => {
    const msg = get(model, "_py2js_addTraces");
    if (!msg) return;
    for (const t of msg.trace_data || []) state.data.push(clone(t));
    state.version += 1;
    for (const view of views) view.redraw();
    drawn(msg);
  });
  model.on("change:_py2js_deleteTraces", () => {
    const msg = get(model, "_py2js_deleteTraces");
    if (!msg) return;
    for (const i of [...(msg.delete_inds || [])].sort((x, y) => y - x)) state.data.splice(i, 1);
    state.version += 1;
    for (const view of views) view.redraw();
    drawn(msg);
  });
  for (const name of ["_py2js_moveTraces", "_py2js_animate"]) {
    model.on(`change:${name}`, () => {
      if (model.get(name)) console.warn(`sciatica-edu figure widget: ${name} is not supported`);
    });
  }
  return { state, views };
}

// narrow-layout: begin (diagram.fit_html inlines this part into exported pages and handouts: keep it plain)
// The patient figure on a narrow screen (diagram._narrow_spec, in layout.meta.narrow): in a container narrower
// than spec.below CSS px, the front view above the back one, each the full width, then the spine and the key,
// the titles wrapped; laid out at the container's width, so its text keeps its size (12 px and up). Returns the
// relayout that does it, or null (a wide container, or a figure without a narrow layout: it keeps its layout).
function narrowLayout(layout, width) {
  var spec = layout && layout.meta && layout.meta.narrow;
  if (!spec || !(width > 0) || width >= spec.below) return null;
  var w = Math.max(spec.min, Math.floor(width)), m = spec.margin, plotWidth = w - m.l - m.r, y = 0, spans = [];
  var view = Math.min(plotWidth, spec.view_max), side = Math.round((1 - view / plotWidth) / 2 * 1e5) / 1e5;
  spec.bands.forEach(function (band) {
    var h = band[2][0] + band[2][1] * view;
    y += band[1];
    spans.push({ axes: band[0], top: y, bottom: y + h, below: band[3] });
    y += h;
  });
  var out = { width: w, height: Math.ceil(m.t + m.b + y), "margin.l": m.l, "margin.r": m.r, "margin.t": m.t,
    "margin.b": m.b };
  Object.keys(spec.edits).forEach(function (k) { // only what differs: each edit costs plotly.js a redraw of it
    if (JSON.stringify(valueAt(layout, k)) !== JSON.stringify(spec.edits[k])) out[k] = spec.edits[k];
  });
  spec.centre.forEach(function (a) { out[a + ".domain"] = [side, 1 - side]; }); // the views: centred
  var paper = function (px) { return Math.round((1 - px / y) * 1e5) / 1e5; }; // px from the plot's top
  spans.forEach(function (s) {
    s.axes.forEach(function (a) { out[a + ".domain"] = [paper(s.bottom), paper(s.top)]; });
    s.below.forEach(function (path) { out[path] = paper(s.bottom + 4); });
  });
  return out;
}

// The value at a relayout path such as "annotations[3].font.size" (undefined if there is none).
function valueAt(layout, key) {
  var d = layout;
  key.replace(/\[(\d+)\]/g, ".$1").split(".").forEach(function (p) { d = d === undefined || d === null ? d : d[p]; });
  return d === null ? undefined : d;
}

// What a narrow relayout replaces, read from the figure's wide layout: relayout with it to go back.
function wideLayout(layout, narrow) {
  var out = {};
  Object.keys(narrow).forEach(function (key) {
    var d = valueAt(layout, key);
    out[key] = d === undefined ? null : JSON.parse(JSON.stringify(d));
  });
  return out;
}
// Words drawn transparent (the warning lines and captions a figure keeps ready for a quick change) are hidden from
// screen readers too, so a reader hears only what the picture shows, never three urgencies for one sign.
function unreadHidden(gd) {
  var texts = gd.querySelectorAll("text");
  for (var i = 0; i < texts.length; i++) {
    var cs = getComputedStyle(texts[i]);
    if (cs.fillOpacity === "0" || cs.opacity === "0") texts[i].setAttribute("aria-hidden", "true");
    else texts[i].removeAttribute("aria-hidden");
  }
}
// narrow-layout: end

// Fit to the screen. Inside a `.sciatica-fit` box of a Voila page (the session view), the figure keeps the size
// Python drew it at (its text stays where plotly.js placed it: nothing overlaps that did not before) and is
// scaled with a CSS transform to fill the box, whose size the page sets from the screen. plotly.js accounts for
// the transform when it places hover labels and reads clicks. The same box in a notebook (the session notebook
// run in JupyterLab or the browser build, where the page scrolls) only shrinks the figure to the box's width, so
// none of it is cut off at the right; it is never enlarged there. Everywhere, ``onWidth`` hears the width there
// is (the box's, or else the view's own element's): the patient figure stacks its views when that is narrow
// (narrowLayout), and is then not scaled.
function fitToBox(el, gd, layout, onWidth) {
  let watch = null;
  let tries = 0;
  let timer = null;
  const start = () => {
    if (!el.isConnected) { // the view is drawn before its box joins the page: look again shortly
      if (tries++ < 300) timer = setTimeout(start, 50);
      return;
    }
    if (typeof ResizeObserver === "undefined") return;
    const voila = el.closest("body[data-voila] .sciatica-fit");
    const box = voila || el.closest(".sciatica-fit");
    const fit = box ? () => {
      const style = getComputedStyle(box);
      onWidth(box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight));
      if (gd.__sciaticaNarrow) unscale(el, gd);
      else fitOnce(box, el, gd, layout, !voila);
    } : () => onWidth(el.clientWidth);
    watch = new ResizeObserver(fit);
    watch.observe(box || el);
    gd.__sciaticaRefit = fit; // after a late (settled) switch back to the wide layout: scale it to the box again
    fit();
  };
  start();
  return () => {
    clearTimeout(timer);
    if (watch) watch.disconnect();
  };
}

function unscale(el, gd) {
  gd.style.transform = "";
  gd.style.width = "";
  el.style.width = "";
  el.style.height = "";
  el.style.overflow = "";
  gd.__sciaticaScale = 1;
}

// ``widthOnly``: shrink to the box's width if the figure is wider (a notebook), instead of filling the box (Voila).
function fitOnce(box, el, gd, layout, widthOnly) {
  const w = layout.width || gd.offsetWidth;
  const h = layout.height || gd.offsetHeight;
  const style = getComputedStyle(box);
  const bw = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const bh = widthOnly ? h : box.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  if (!w || !h || bw <= 0 || bh <= 0) return;
  if (widthOnly && bw >= w) { unscale(el, gd); return; }
  const s = Math.max(0.2, Math.min(bw / w, bh / h));
  gd.style.transformOrigin = "0 0";
  gd.style.transform = `scale(${s})`;
  gd.style.width = `${w}px`;
  el.style.width = `${Math.floor(w * s)}px`;
  el.style.height = `${Math.floor(h * s)}px`;
  el.style.overflow = "hidden";
  gd.__sciaticaScale = s;
}

function render({ model, el }) {
  const { state, views } = shared(model);
  const gd = document.createElement("div");
  el.appendChild(gd);
  const config = Object.assign({}, model.get("_config") || {}, { editSelection: false });
  const layout = withHeight(clone(state.layout));
  let ready = false; // the first picture is drawn
  let width = 0; // the width the view last heard of
  const view = {
    narrow: null, // the narrow relayout in force (narrowLayout), or null
    settle: null, // a relayout waiting for the container's width to settle
    // The container's width changed: stack the views (a relayout of domains and a few texts, no new data) when
    // it is narrow, back to the wide layout when it is wide again.
    fitWidth(w) {
      width = w;
      if (!ready) return;
      // a container being dragged wider or narrower: one relayout once it settles (the first one at once)
      if (view.narrow || view.settle) {
        clearTimeout(view.settle);
        view.settle = setTimeout(() => { view.settle = null; view.relayoutFor(width); }, 120);
        return;
      }
      view.relayoutFor(w);
    },
    relayoutFor(w) {
      const want = narrowLayout(state.layout, w);
      if (want && view.narrow && want.width === view.narrow.width) return;
      if (!want && !view.narrow) return;
      const edit = want ? clone(want) : wideLayout(withHeight(clone(state.layout)), view.narrow);
      view.narrow = want;
      gd.__sciaticaNarrow = want ? want.width : 0;
      Plotly.relayout(gd, edit);
      if (!want && gd.__sciaticaRefit) gd.__sciaticaRefit();
    },
    update(style, relayout, traces) {
      // each view gets its own values (plotly.js keeps them); "no change" stays undefined, not null
      const own = {};
      for (const [k, vs] of Object.entries(style)) own[k] = vs.map((v) => (v === undefined ? undefined : clone(v)));
      const layout = clone(relayout);
      if (fastUpdate(gd, own, layout, traces)) gd.__sciaticaFastEdits = (gd.__sciaticaFastEdits || 0) + 1;
      else Plotly.update(gd, own, layout, traces);
    },
    redraw() {
      const layout = withHeight(clone(state.layout));
      for (const [k, v] of Object.entries(view.narrow || {})) setPath(layout, k, clone(v));
      Plotly.react(gd, clone(state.data), layout, config);
    },
  };
  const unfit = fitToBox(el, gd, state.layout, (w) => view.fitWidth(w));
  const first = state.version;
  let unreadWatch = null;
  Plotly.newPlot(gd, clone(state.data), layout, config).then(() => {
    views.add(view); // from now on edits reach this view; any made while it drew its first picture:
    if (state.version !== first) view.redraw();
    ready = true;
    if (width) view.fitWidth(width);
    unreadHidden(gd); // and after every repaint, the fast path's style edits included
    let unreadQueued = false;
    unreadWatch = new MutationObserver(() => {
      if (unreadQueued) return;
      unreadQueued = true;
      requestAnimationFrame(() => { unreadQueued = false; unreadHidden(gd); });
    }).observe(gd, { subtree: true, attributes: true, attributeFilter: ["style"] });
    gd.on("plotly_click", (event) => {
      const pts = (event && event.points) || [];
      const points = { trace_indexes: [], point_indexes: [], xs: [], ys: [] };
      for (const p of pts) {
        points.trace_indexes.push(p.curveNumber);
        points.point_indexes.push(p.pointNumber === undefined ? null : p.pointNumber);
        points.xs.push(p.x === undefined ? null : p.x);
        points.ys.push(p.y === undefined ? null : p.y);
      }
      const e = event && event.event;
      const device = e ? { alt: e.altKey, ctrl: e.ctrlKey, meta: e.metaKey, shift: e.shiftKey, button: e.button,
        buttons: e.buttons } : null;
      model.set("_js2py_pointsCallback", { event_type: "plotly_click", points, device_state: device, selector: null });
      model.save_changes();
    });
    afterPaint(() => {
      model.set("_js2py_traceDeltas", { trace_deltas: [], trace_edit_id: model.get("_last_trace_edit_id") });
      model.set("_js2py_layoutDelta", { layout_delta: {}, layout_edit_id: model.get("_last_layout_edit_id") });
      model.save_changes();
    });
  });
  return () => {
    unfit();
    if (unreadWatch) unreadWatch.disconnect();
    clearTimeout(view.settle);
    views.delete(view);
    Plotly.purge(gd);
  };
}

export default { initialize, render };
