"use strict";
// phiguard serve: the page. Every string from the server goes in through textContent, never as HTML.
(() => {
  const token = location.pathname.split("/")[1];
  const $ = (id) => document.getElementById(id);
  const form = $("check-form"), draft = $("draft"), fileInput = $("file"), drop = $("drop");
  const verdict = $("verdict"), result = $("result"), checkButton = $("check");
  const VERDICTS = {
    blocked: "Do not post yet: it has patient information. See what to change below.",
    passes: "No patient information found. This draft can go out.",
    "not checked": "Not checked",
  };

  function el(tag, props = {}, ...children) {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
  }

  function where(f) {
    const kind = f.where || "";
    if (kind.startsWith("ocr")) return "text in the picture";
    if (kind.startsWith("faces")) return "the picture";
    if (kind.endsWith(":GPS")) return "the photo's location data";
    if (/^(exif|xmp|iptc|png|jpeg|gif|webp|tiff|image):/.test(kind)) return `the photo's hidden details (${kind})`;
    if (kind === "file-name") return "the file name";
    return kind;
  }

  function describe(f) {
    return f.fix ? `${f.message}. ${f.fix}` : f.message;
  }

  // Marks over the text: offsets are code points (Python), so index an array of code points, not UTF-16.
  function markedText(text, findings) {
    const chars = Array.from(text);
    const spans = findings.filter((f) => f.offsets === "file" && f.end > f.start)
      .sort((a, b) => a.start - b.start || b.end - a.end);
    const merged = [];
    for (const f of spans) {
      const last = merged[merged.length - 1];
      if (last && f.start < last.end) {
        last.end = Math.max(last.end, f.end);
        last.items.push(f);
      } else {
        merged.push({ start: f.start, end: f.end, items: [f] });
      }
    }
    const view = document.createDocumentFragment();
    let at = 0;
    for (const span of merged) {
      view.append(chars.slice(at, span.start).join(""));
      const blocking = span.items.some((f) => f.blocking);
      view.append(el("mark", {
        title: span.items.map(describe).join("\n"),
        className: blocking ? "blocking" : "minor",
      }, chars.slice(span.start, span.end).join("")));
      at = span.end;
    }
    view.append(chars.slice(at).join(""));
    return view;
  }

  function findingItem(f, text) {
    const shown = f.offsets === "file" ? Array.from(text || "").slice(f.start, f.end).join("") : f.match;
    const place = f.offsets === "file" ? null : el("span", { className: "where" }, ` in ${where(f)}`);
    return el("li", {},
      el("strong", {}, f.message),
      el("span", { className: "severity" + (f.blocking ? " blocking" : "") }, f.blocking ? "must change" : "check"),
      shown ? el("span", {}, `: “${shown}”`) : null,
      place,
      f.fix ? el("span", { className: "fix" }, `What to do: ${f.fix}`) : null);
  }

  function show(data, text) {
    verdict.className = "verdict " + data.verdict.replace(" ", "-");
    verdict.textContent = data.verdict === "not checked"
      ? `Not checked: ${data.error || "unknown error"}` : VERDICTS[data.verdict];
    result.hidden = false;
    const textView = $("text-view"), imageView = $("image-view");
    textView.hidden = !text;
    $("draft-view").replaceChildren(text ? markedText(text, data.findings) : "");
    imageView.hidden = !data.thumbnail;
    if (data.thumbnail) {
      $("thumb").src = data.thumbnail;
      $("thumb").alt = `The picture you chose: ${data.name}`;
      $("image-name").textContent = data.name;
    }
    const items = data.findings.map((f) => findingItem(f, text));
    if (!items.length) items.push(el("li", {}, data.verdict === "passes" ? "Nothing to change." : "—"));
    for (const note of data.notes || []) items.push(el("li", { className: "where" }, note));
    $("findings").replaceChildren(...items);
    const box = $("redacted-box");
    box.hidden = data.redacted === null || data.redacted === undefined || data.verdict !== "blocked";
    $("redacted").value = data.redacted || "";
    $("copy-status").textContent = "";
  }

  async function check(request, text) {
    checkButton.disabled = true;
    verdict.className = "verdict busy";
    verdict.textContent = "Checking…";
    try {
      const response = await fetch(request.url, {
        method: "POST", body: request.body, headers: { "X-Phiguard-Token": token, ...request.headers },
        credentials: "same-origin", cache: "no-store",
      });
      const type = response.headers.get("content-type") || "";
      if (!type.startsWith("application/json")) throw new Error(`${response.status} ${await response.text()}`);
      const data = await response.json();
      show(data, data.text !== undefined ? data.text : text);
    } catch (err) {
      show({ verdict: "not checked", error: err.message, findings: [], redacted: null }, null);
    } finally {
      checkButton.disabled = false;
    }
  }

  function checkText() {
    const text = draft.value;
    if (!text.trim()) {
      verdict.className = "verdict not-checked";
      verdict.textContent = "Paste a draft first (or choose a file).";
      draft.focus();
      return;
    }
    check({ url: "api/scan", body: JSON.stringify({ text }), headers: { "Content-Type": "application/json" } }, text);
  }

  function checkFile(file) {
    const body = new FormData();
    body.append("file", file, file.name);
    check({ url: "api/file", body, headers: {} }, null);
  }

  form.addEventListener("submit", (e) => { e.preventDefault(); checkText(); });
  draft.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); checkText(); }
  });
  fileInput.addEventListener("change", () => { if (fileInput.files.length) checkFile(fileInput.files[0]); });
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer.files.length) checkFile(e.dataTransfer.files[0]);
  });

  $("copy").addEventListener("click", async () => {
    const box = $("redacted"), status = $("copy-status");
    status.textContent = "";
    try {
      await navigator.clipboard.writeText(box.value);
      status.textContent = "Copied.";
    } catch {
      box.focus();
      box.select();  // the fallback: the text is selected for Ctrl+C
      let copied = false;
      try { copied = document.execCommand("copy"); } catch { copied = false; }
      status.textContent = copied ? "Copied." : "Selected: press Ctrl+C to copy.";
    }
  });
})();
