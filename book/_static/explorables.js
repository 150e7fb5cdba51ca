// Interactive figures ("explorables"): a slider moves, the curve redraws, with no kernel and no network.
//
// The page holds, for each explorable, a {container} written in the notebook's markdown (so that every
// word is translated with the page) and, from the next code cell's output, a JSON payload computed with
// rnnlib:
//   <div class="explorable xp-NAME">            (the markdown cell)
//     <div class="xp-caption">...</div>          what to try and what to notice (shown as written)
//     <div class="xp-sliders"><ul><li>..</li>   one label per slider, in the payload's slider order
//     <div class="xp-axes"><ul>                  x-axis label, then y-axis label
//     <div class="xp-legend"><ul>                one entry per series, in the payload's series order
//     <div class="xp-readouts"><ul>              (optional) one label per read-out value
//     <div class="xp-fallback">...</div>         for readers without JavaScript (hidden once drawn)
//   <script type="application/json" data-explorable="NAME">{...}</script>   (the code cell's output)
// The lists are hidden by explorables.css; this script turns them into <label>s, a legend and <output>s.
// It contains no user-visible words: labels come from the page, numbers from the payload.
//
// Payload: sliders [{values: [...], init}], x/y {min, max, log} (log axes: data are log10 values),
// xs (shared abscissae), series [{style, dims, ys | xy}] where dims lists the sliders the series depends
// on and ys/xy is indexed by the flattened index over those sliders, readouts [{dims, v}], image
// (optional heat map: nx, ny, levels as a string of digits 0-9, row by row from y.min), compute (optional:
// the name of a function below that computes series and read-outs from the slider values).
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  let counter = 0;

  // ---- JavaScript that computes (checked against rnnlib in tests/test_explorables.py) -------------
  // ||W^k||_2 for W = [[lam, c], [0, lam]], k = 0..K, from the closed form of the power
  // (eq-jac-jordan-power) and the largest singular value of a 2x2 matrix.
  function norm2x2(p, q, r, s) {
    const f = p * p + q * q + r * r + s * s;
    const det = p * s - q * r;
    return Math.sqrt((f + Math.sqrt(Math.max(f * f - 4 * det * det, 0))) / 2);
  }
  function jordanNorms(lam, c, K) {
    const out = [];
    for (let k = 0; k <= K; k++) {
      const lk = Math.pow(lam, k);
      const corner = k === 0 ? 0 : k * c * Math.pow(lam, k - 1);
      out.push(norm2x2(lk, corner, 0, lk));
    }
    return out;
  }
  const COMPUTE = {
    // series: ||W^k|| and rho^k = lam^k (log10); read-outs: the peak of ||W^k|| and where it is.
    jordan(values, data) {
      const [c, lam] = values;
      const K = data.x.max;
      const norms = jordanNorms(lam, c, K);
      let kmax = 0;
      norms.forEach((v, k) => { if (v > norms[kmax]) kmax = k; });
      return {
        xs: norms.map((_, k) => k),
        ys: [norms.map(Math.log10), norms.map((_, k) => k * Math.log10(lam))],
        readouts: [norms[kmax], kmax],
      };
    },
  };
  window.explorables = { jordanNorms, norm2x2 };

  // ---- helpers ---------------------------------------------------------------------------------
  function el(tag, attrs, parent, ns) {
    const e = ns ? document.createElementNS(SVG, tag) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }
  const svgEl = (tag, attrs, parent) => el(tag, attrs, parent, true);

  function items(root, cls) {
    const box = root.querySelector("." + cls);
    return box ? [...box.querySelectorAll("li")].map((li) => li.textContent.replace(/\s+/g, " ").trim()) : [];
  }

  // A long (e.g. translated) axis label shrinks until it fits beside its axis.
  function fit(text, room) {
    const length = text.getComputedTextLength ? text.getComputedTextLength() : 0;
    if (length > room) text.style.fontSize = `${Math.max(8, (13 * room) / length).toFixed(1)}px`;
  }

  function fmt(v) {
    if (v === null || v === undefined) return "\u221e";
    if (typeof v !== "number" || !isFinite(v)) return String(v);
    const a = Math.abs(v);
    if (a === 0) return "0";
    if (a >= 1e-3 && a < 1e5) return String(parseFloat(v.toPrecision(3)));
    const [m, e] = v.toExponential(2).split("e");
    return `${parseFloat(m)}\u00d710${superscript(e)}`;
  }
  function superscript(e) {
    const map = { "-": "\u207b", "+": "", 0: "\u2070", 1: "\u00b9", 2: "\u00b2", 3: "\u00b3", 4: "\u2074",
      5: "\u2075", 6: "\u2076", 7: "\u2077", 8: "\u2078", 9: "\u2079" };
    return [...String(e)].map((ch) => map[ch] ?? ch).join("");
  }

  function ticks(lo, hi, log, maxCount) {
    if (log) {
      const span = Math.ceil(hi) - Math.floor(lo);
      const step = Math.max(1, Math.ceil(span / maxCount));
      const out = [];
      for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(t);
      return out;
    }
    const raw = (hi - lo) / maxCount;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw);
    const out = [];
    for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; k++) out.push(+(k * step).toPrecision(12));
    return out;
  }

  function flatIndex(dims, sel, sliders) {
    let idx = 0;
    for (const d of dims) idx = idx * sliders[d].values.length + sel[d];
    return idx;
  }

  // ---- one explorable ----------------------------------------------------------------------------
  function setup(root, data) {
    const id = `xp${++counter}`;
    const sliderLabels = items(root, "xp-sliders");
    const [xLabel, yLabel] = items(root, "xp-axes");
    const legendLabels = items(root, "xp-legend");
    const readoutLabels = items(root, "xp-readouts");
    const sel = data.sliders.map((s) => s.init);

    const ui = el("div", { class: "xp-ui" });
    const controls = el("div", { class: "xp-controls" }, ui);
    const outputs = [];
    data.sliders.forEach((s, i) => {
      const row = el("div", { class: "xp-control" }, controls);
      const label = el("label", { for: `${id}-s${i}` }, row);
      label.textContent = sliderLabels[i] || "";
      const input = el("input", { type: "range", id: `${id}-s${i}`, min: 0, max: s.values.length - 1,
        step: 1, value: s.init }, row);
      const out = el("output", { for: `${id}-s${i}` }, row);
      outputs.push([input, out]);
      input.addEventListener("input", () => { sel[i] = +input.value; update(); });
    });

    const figure = el("div", { class: "xp-figure" }, ui);
    const svg = svgEl("svg", { role: "img", "aria-label": `${yLabel || ""} / ${xLabel || ""}` }, figure);
    const legend = el("ul", { class: "xp-legend-list" }, ui);
    (data.series || []).forEach((s, i) => {
      const li = el("li", {}, legend);
      const sw = svgEl("svg", { class: "xp-swatch", width: 28, height: 12, "aria-hidden": "true" }, li);
      if (s.style === "dot") svgEl("circle", { cx: 14, cy: 6, r: 4, class: `xp-s${i} xp-mark` }, sw);
      else svgEl("line", { x1: 2, y1: 6, x2: 26, y2: 6, class: `xp-s${i} xp-${s.style}` }, sw);
      el("span", {}, li).textContent = legendLabels[i] || "";
    });
    const readoutOut = [];
    if (readoutLabels.length) {
      const box = el("dl", { class: "xp-readout-list" }, ui);
      readoutLabels.forEach((text) => {
        el("dt", {}, box).textContent = text;
        readoutOut.push(el("output", {}, el("dd", {}, box)));
      });
    }

    const fallback = root.querySelector(".xp-fallback");
    if (fallback) fallback.hidden = true;
    const caption = root.querySelector(".xp-caption");
    root.insertBefore(ui, caption ? caption.nextSibling : root.firstChild);
    root.classList.add("xp-ready");

    function current() {
      const values = data.sliders.map((s, i) => s.values[sel[i]]);
      if (data.compute) return COMPUTE[data.compute](values, data);
      return {
        ys: data.series.map((s) => (s.ys ? s.ys[flatIndex(s.dims, sel, data.sliders)] : null)),
        xy: data.series.map((s) => (s.xy ? s.xy[flatIndex(s.dims, sel, data.sliders)] : null)),
        readouts: (data.readouts || []).map((r) => r.v[flatIndex(r.dims, sel, data.sliders)]),
      };
    }

    function draw() {
      const cur = current();
      const W = Math.max(260, Math.round(figure.clientWidth || 600));
      const narrow = W < 480;
      const H = Math.round(Math.min(400, Math.max(230, W * (narrow ? 0.85 : 0.58))));
      const m = { l: 64, r: 12, t: 10, b: 44 };
      const pw = W - m.l - m.r, ph = H - m.t - m.b;
      svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
      svg.setAttribute("width", W);
      svg.setAttribute("height", H);
      while (svg.firstChild) svg.removeChild(svg.firstChild);
      const { x, y } = data;
      const X = (v) => m.l + ((v - x.min) / (x.max - x.min)) * pw;
      const Y = (v) => m.t + (1 - (v - y.min) / (y.max - y.min)) * ph;

      const defs = svgEl("defs", {}, svg);
      const clip = svgEl("clipPath", { id: `${id}-clip` }, defs);
      svgEl("rect", { x: m.l, y: m.t, width: pw, height: ph }, clip);

      if (data.image) {
        const im = data.image, g = svgEl("g", { class: "xp-heat" }, svg);
        const cw = pw / im.nx, ch = ph / im.ny;
        for (let j = 0; j < im.ny; j++) {
          for (let i = 0; i < im.nx; i++) {
            const lv = +im.levels[j * im.nx + i];
            svgEl("rect", { x: (m.l + i * cw).toFixed(1), y: (m.t + ph - (j + 1) * ch).toFixed(1),
              width: (cw + 0.6).toFixed(1), height: (ch + 0.6).toFixed(1), "fill-opacity": (0.06 + 0.07 * lv).toFixed(2) }, g);
          }
        }
      }

      const axes = svgEl("g", { class: "xp-axes-g" }, svg);
      const xt = ticks(x.min, x.max, x.log, narrow ? 4 : 7), yt = ticks(y.min, y.max, y.log, narrow ? 5 : 7);
      yt.forEach((t) => {
        svgEl("line", { x1: m.l, x2: m.l + pw, y1: Y(t), y2: Y(t), class: "xp-grid" }, axes);
        const tx = svgEl("text", { x: m.l - 5, y: Y(t) + 4, "text-anchor": "end", class: "xp-tick" }, axes);
        tx.textContent = y.log ? `10${superscript(t)}` : fmt(t);
      });
      xt.forEach((t) => {
        svgEl("line", { x1: X(t), x2: X(t), y1: m.t + ph, y2: m.t + ph + 4, class: "xp-axis" }, axes);
        const tx = svgEl("text", { x: X(t), y: m.t + ph + 17, "text-anchor": "middle", class: "xp-tick" }, axes);
        tx.textContent = x.log ? `10${superscript(t)}` : fmt(t);
      });
      svgEl("rect", { x: m.l, y: m.t, width: pw, height: ph, class: "xp-frame" }, axes);
      const xl = svgEl("text", { x: m.l + pw / 2, y: H - 6, "text-anchor": "middle", class: "xp-label" }, axes);
      xl.textContent = xLabel || "";
      const yl = svgEl("text", { x: 0, y: 0, "text-anchor": "middle", class: "xp-label",
        transform: `translate(12 ${m.t + ph / 2}) rotate(-90)` }, axes);
      yl.textContent = yLabel || "";
      fit(xl, pw);
      fit(yl, ph);

      const plot = svgEl("g", { "clip-path": `url(#${id}-clip)` }, svg);
      (data.series || []).forEach((s, i) => {
        let pts;
        if (cur.ys && cur.ys[i]) pts = cur.ys[i].map((v, k) => [(cur.xs || data.xs)[k], v]);
        else if (cur.xy && cur.xy[i]) pts = cur.xy[i].x.map((v, k) => [v, cur.xy[i].y[k]]);
        else return;
        // clamp far-away points so that the line still leaves the frame in the right direction
        const P = pts.filter(([a, b]) => b !== null && isFinite(a) && isFinite(b))
          .map(([a, b]) => [Math.max(-1e4, Math.min(1e4, X(a))), Math.max(-1e4, Math.min(1e4, Y(b)))]);
        if (s.style === "dot") {
          P.forEach(([a, b]) => svgEl("circle", { cx: a.toFixed(1), cy: b.toFixed(1), r: 5, class: `xp-s${i} xp-mark` }, plot));
          return;
        }
        const d = P.map(([a, b], k) => `${k ? "L" : "M"}${a.toFixed(1)} ${b.toFixed(1)}`).join("");
        svgEl("path", { d, class: `xp-s${i} xp-${s.style}` }, plot);
        if (s.style === "path") {
          P.forEach(([a, b]) => svgEl("circle", { cx: a.toFixed(1), cy: b.toFixed(1), r: 1.8, class: `xp-s${i} xp-mark` }, plot));
        }
      });

      outputs.forEach(([input, out], i) => {
        const text = fmt(data.sliders[i].values[sel[i]]);
        out.textContent = text;
        input.setAttribute("aria-valuetext", text);
      });
      readoutOut.forEach((out, i) => { out.textContent = fmt(cur.readouts[i]); });
    }

    let pending = false;
    function update() {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; draw(); });
    }
    draw();
    if (window.ResizeObserver) new ResizeObserver(update).observe(figure);
  }

  function init() {
    document.querySelectorAll(".explorable").forEach((root) => {
      const name = [...root.classList].find((c) => c.startsWith("xp-") && c !== "xp-ready");
      if (!name || root.classList.contains("xp-ready")) return;
      const script = document.querySelector(`script[type="application/json"][data-explorable="${name.slice(3)}"]`);
      if (!script) return;
      try {
        setup(root, JSON.parse(script.textContent));
      } catch (err) {
        console.error("explorable", name, err);
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
