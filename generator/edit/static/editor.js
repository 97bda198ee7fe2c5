/* 办事指南编辑器的表单：按格式声明（generator/edit/form.py）画出表单；停止输入后由本机服务检查并更新预览；
   修改随时存为本浏览器里的草稿；提交前显示变更报告。不依赖任何外部库，不向其他网站发出请求。 */
(function () {
  "use strict";

  var state = JSON.parse(document.getElementById("state").textContent);
  var token = document.querySelector('meta[name="banshi-token"]').content;
  var base = clone(state.data);  /* the file as opened: what a draft and a merge compare with */
  var data = state.data;
  var root = document.getElementById("editor");
  var draftKey = "banshi-draft:" + state.file;
  var CHECK_DELAY = 250;

  function clone(value) { return value === undefined ? undefined : JSON.parse(JSON.stringify(value)); }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  var counter = 0;
  function id() { counter += 1; return "f" + counter; }

  /* The key path as validate writes it: materials[0].name */
  function keyOf(path) {
    return path.reduce(function (key, part) {
      return typeof part === "number" ? key + "[" + part + "]" : (key ? key + "." : "") + part;
    }, "");
  }

  function labelled(form, path, control, controlId) {
    var box = el("div", { "class": "field", "data-key": keyOf(path) });
    box.appendChild(el("label", { for: controlId, text: form.title }));
    if (form.help) box.appendChild(el("span", { class: "help", text: form.help }));
    box.appendChild(control);
    return box;
  }

  function scalar(form, value, set, path) {
    var controlId = id();
    var control;
    if (form.widget === "yesno" || form.widget === "select") {
      control = el("select", { id: controlId });
      var options = form.widget === "yesno"
        ? [["", form.unstated], ["true", "是"], ["false", "否"]]
        : [["", form.unstated]].concat(form.options.map(function (o) { return [o, o]; }));
      options.forEach(function (o) { control.appendChild(el("option", { value: o[0], text: o[1] })); });
      control.value = value === undefined || value === null ? "" : String(value);
      control.addEventListener("change", function () {
        var v = control.value;
        set(v === "" ? undefined : form.widget === "yesno" ? v === "true" : v);
      });
    } else {
      control = el(form.widget === "textarea" ? "textarea" : "input", { id: controlId });
      if (form.widget === "number") control.setAttribute("type", "number");
      else if (control.tagName === "INPUT") control.setAttribute("type", "text");
      if (form.max) control.setAttribute("maxlength", String(form.max));
      /* Empty says what leaving it out means, where the declaration says more than 未公布. */
      var hint = form.examples && form.examples.length ? "如 " + form.examples[0] : form.unstated;
      control.setAttribute("placeholder", hint);
      control.value = value === undefined || value === null ? "" : String(value);
      var update = function () {
        var v = control.value;
        set(v === "" ? undefined : form.widget === "number" && /^\d+$/.test(v) ? Number(v) : v);
      };
      /* While an input method composes (拼音 before the characters are chosen) nothing is taken. */
      control.addEventListener("input", function (event) { if (!event.isComposing) update(); });
      control.addEventListener("compositionend", update);
    }
    return labelled(form, path, control, controlId);
  }

  function group(form, value, set, path, title, optional) {
    value = value || {};
    var box = el("fieldset", { "data-key": keyOf(path) }, [el("legend", { text: title || form.title })]);
    function field(f) {
      return render(f, value[f.key], function (v) {
        if (v === undefined) delete value[f.key]; else value[f.key] = v;
        set(Object.keys(value).length || !optional ? value : undefined);
      }, path.concat([f.key]), f.optional);
    }
    function draw() {
      while (box.childNodes.length > 1) box.removeChild(box.lastChild);
      form.fields.forEach(function (f) { box.appendChild(field(f)); });
      if (!optional) return;
      /* Not stating is as easy as stating: the whole group back to 未公布 in one step. */
      var clear = el("button", { type: "button", class: "secondary", text: "整组改为" + form.unstated });
      clear.addEventListener("click", function () { value = {}; set(undefined); draw(); });
      box.appendChild(clear);
    }
    if (!form.sections) {
      draw();
      return box;
    }
    /* A whole file: its sections in the national guide's order, with links to them. */
    var byKey = {};
    form.fields.forEach(function (f) { byKey[f.key] = f; });
    var page = el("div", { "data-key": keyOf(path) });
    var links = el("nav", { "class": "sections", "aria-label": "表单各部分" });
    page.appendChild(links);
    form.sections.forEach(function (section, index) {
      var headingId = "section-" + (index + 1);
      var part = el("section", { "aria-labelledby": headingId }, [el("h2", { id: headingId, text: section.title })]);
      section.keys.forEach(function (key) { if (byKey[key]) part.appendChild(field(byKey[key])); });
      links.appendChild(el("a", { href: "#" + headingId, text: section.title }));
      page.appendChild(part);
    });
    return page;
  }

  function list(form, value, set, path, optional) {
    if (value !== undefined && value !== null && !Array.isArray(value)) value = [value];  /* one, written alone */
    var box = el("fieldset", { "data-key": keyOf(path) }, [el("legend", { text: form.title })]);
    function draw() {
      while (box.childNodes.length > 1) box.removeChild(box.lastChild);
      if (value === undefined || value === null) {
        box.appendChild(el("p", { class: "unstated", text: form.unstated }));
      } else {
        value.forEach(function (item, index) {
          var change = function (v) { value[index] = v; set(value); };
          /* Each row says which it is: 第 2 个申请材料：居民户口簿 */
          var named = item && typeof item === "object" && (item.name || item.item || item.label);
          var title = "第 " + (index + 1) + " 个" + form.item.title + (named ? "：" + named : "");
          box.appendChild(render(form.item, item, change, path.concat([index]), false, title));
          var remove = el("button", { type: "button", text: "删除第 " + (index + 1) + " 项" });
          remove.addEventListener("click", function () { value.splice(index, 1); set(value); draw(); });
          box.appendChild(remove);
        });
      }
      var add = el("button", { type: "button", text: "添加一项" });
      add.addEventListener("click", function () {
        if (!value) value = [];
        value.push(form.item.widget === "group" || form.item.widget === "union" ? {} : "");
        set(value);
        draw();
      });
      box.appendChild(add);
      if (optional && value) {
        var clear = el("button", { type: "button", class: "secondary", text: "改为" + form.unstated });
        clear.addEventListener("click", function () { value = undefined; set(undefined); draw(); });
        box.appendChild(clear);
      }
    }
    draw();
    return box;
  }

  function union(form, value, set, path) {
    var box = el("fieldset", { "data-key": keyOf(path) }, [el("legend", { text: form.title })]);
    var name = id();
    var holder = el("div");
    function chosen() {
      for (var i = 0; i < form.forms.length; i++) {
        var f = form.forms[i];
        if ("value" in f && (f.value === value || (f.same || []).indexOf(value) >= 0)) return i;
      }
      if (value === undefined || value === null) return -1;
      for (var j = 0; j < form.forms.length; j++) {
        var g = form.forms[j].form;
        if (g && ((g.widget === "table" || g.widget === "list") === Array.isArray(value))
          && ((g.widget === "group") === (typeof value === "object" && !Array.isArray(value)))) return j;
      }
      return -1;
    }
    function draw() {
      holder.textContent = "";
      var index = chosen();
      if (index >= 0 && form.forms[index].form) {
        holder.appendChild(render(form.forms[index].form, value, function (v) { value = v; set(v); }, path));
      }
    }
    [{ label: form.unstated }].concat(form.forms).forEach(function (f, i) {
      var radioId = id();
      var radio = el("input", { type: "radio", name: name, id: radioId });
      radio.checked = chosen() === i - 1;
      radio.addEventListener("change", function () {
        if (i === 0) value = undefined;
        else if ("value" in f) value = f.value;
        /* 收费项目 starts with one row to fill in (an empty list would only be an error). */
        else value = f.form.widget === "table" ? [{}] : f.form.widget === "list" ? [""] : f.form.widget === "group" ? {} : "";
        set(value);
        draw();
      });
      box.appendChild(el("label", {}, [radio, document.createTextNode(" " + f.label + " ")]));
    });
    box.appendChild(holder);
    draw();
    return box;
  }

  function map(form, value, set, path) {
    value = value || {};
    var box = el("fieldset", { "data-key": keyOf(path) }, [el("legend", { text: form.title })]);
    Object.keys(value).forEach(function (key) {
      box.appendChild(render(form.value, value[key], function (v) { value[key] = v; set(value); }, path.concat([key])));
    });
    return box;
  }

  function render(form, value, set, path, optional, title) {
    if (form.widget === "group") return group(form, value, set, path, title, optional);
    if (form.widget === "table" || form.widget === "list") return list(form, value, set, path, optional);
    if (form.widget === "union") return union(form, value, set, path);
    if (form.widget === "map") return map(form, value, set, path);
    return scalar(form, value, set, path);
  }

  /* The field of a message: its own, or the nearest one drawn (a key the form has no field for). */
  function fieldOf(key) {
    for (var k = key; k; k = k.replace(/(\.[^.[\]]*|\[\d+\])$/, "")) {
      var found = root.querySelector('[data-key="' + CSS.escape(k) + '"]');
      if (found) return found;
      if (!/[.[]/.test(k)) break;
    }
    return root.firstChild;
  }

  function show(messages) {
    var listNode = document.getElementById("problems");
    listNode.textContent = "";
    root.querySelectorAll(".message").forEach(function (m) { m.remove(); });
    messages.forEach(function (m) {
      var field = fieldOf(m.key);
      var prefix = m.severity === "error" ? "错误：" : "提醒：";
      var jump = el("button", { type: "button", class: "link", text: prefix + (m.place ? m.place + "：" : "") + m.text });
      jump.addEventListener("click", function () {
        var control = field.querySelector("input, select, textarea, button");
        field.scrollIntoView({ block: "center" });
        if (control) control.focus();
      });
      listNode.appendChild(el("li", {}, [jump]));
      field.appendChild(el("p", { class: "message message--" + m.severity, text: prefix + m.text }));
    });
    if (!messages.length) listNode.appendChild(el("li", { text: "没有发现问题。" }));
  }

  function post(route, body) {
    body.file = state.file;
    return fetch(route, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Banshi-Token": token },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (answer) { return { status: response.status, answer: answer }; });
    });
  }

  /* Checking: after typing stops; an answer to an older request is dropped. */
  var status = document.getElementById("status");
  var preview = document.getElementById("preview");
  var timer = null;
  var asked = 0;
  /* The preview is reloaded where the clerk was reading it, not at its top: the place is followed as the clerk
     scrolls (also while a new preview loads, or before the first one has), and each new preview opens there. */
  var readingAt = 0;
  function follow(frame) {
    try {
      var view = frame.contentWindow;
      view.addEventListener("scroll", function () { readingAt = view.scrollY; });
    } catch (e) { /* not loaded */ }
  }
  if (preview) {
    preview.addEventListener("load", function () {
      try { preview.contentWindow.scrollTo(0, readingAt); } catch (e) { /* not loaded */ }
      follow(preview);
    });
    follow(preview);
  }
  function reload(frame, url) {
    frame.src = url;
  }

  function check() {
    var number = ++asked;
    post("/api/check", { data: data }).then(function (result) {
      if (number !== asked || result.status !== 200) return;
      show(result.answer.messages);
      if (preview) reload(preview, "/preview/" + state.file + "?n=" + number);
    }).catch(function () { status.textContent = "检查失败：编辑器服务没有回应"; });
  }

  /* The draft: kept in this browser until the change is submitted, so a reload or a crash loses nothing. */
  function keepDraft() {
    if (same(data, base)) { localStorage.removeItem(draftKey); return; }
    var draft = { version: state.version, base: base, data: data, at: Date.now() };
    localStorage.setItem(draftKey, JSON.stringify(draft));
  }

  function changed() {
    keepDraft();
    clearTimeout(timer);
    timer = setTimeout(check, CHECK_DELAY);
  }

  function draw() {
    root.textContent = "";
    root.appendChild(render(state.form, data, function (v) { data = v; changed(); }, []));
  }

  /* Merging: the changes made since ``mine`` was opened from ``from``, applied to ``theirs``, leaf by leaf. */
  function leaves(value, path, out) {
    if (value && typeof value === "object") {
      Object.keys(value).forEach(function (k) {
        leaves(value[k], path.concat([Array.isArray(value) ? Number(k) : k]), out);
      });
      if (!Object.keys(value).length) out[JSON.stringify(path)] = value;
    } else if (value !== undefined) {
      out[JSON.stringify(path)] = value;
    }
    return out;
  }

  function put(target, path, value) {
    var node = target;
    for (var i = 0; i < path.length - 1; i++) {
      if (!node[path[i]] || typeof node[path[i]] !== "object") node[path[i]] = typeof path[i + 1] === "number" ? [] : {};
      node = node[path[i]];
    }
    node[path[path.length - 1]] = value === undefined ? HOLE : value;
  }

  /* A row or key removed by the merge: marked while paths still count the old rows, then taken out. */
  var HOLE = { hole: true };
  function unhole(value) {
    if (!value || typeof value !== "object" || value === HOLE) return value;
    var keys = Object.keys(value);
    keys.forEach(function (k) { value[k] = unhole(value[k]); });
    if (keys.length && keys.every(function (k) { return value[k] === HOLE; })) return HOLE;  /* a whole row */
    if (Array.isArray(value)) return value.filter(function (v) { return v !== HOLE; });
    keys.forEach(function (k) { if (value[k] === HOLE) delete value[k]; });
    return value;
  }

  function merge(from, mine, theirs) {
    var a = leaves(from, [], {}), b = leaves(mine, [], {}), c = leaves(theirs, [], {});
    var merged = clone(theirs), conflicts = [];
    Object.keys(Object.assign({}, a, b)).forEach(function (key) {
      if (same(a[key], b[key])) return;
      var path = JSON.parse(key);
      if (!same(a[key], c[key]) && !same(b[key], c[key])) {
        conflicts.push({ key: placeOf(path), theirs: c[key], mine: b[key] });
      }
      put(merged, path, b[key]);
    });
    merged = unhole(merged);
    return { data: merged === HOLE ? {} : merged, conflicts: conflicts };
  }

  /* A place in the form's words: 第 1 个收费项目 · 收费标准 (not fees[0].standard). */
  function inner(form, part) {
    if (!form) return null;
    if (form.widget === "union") {
      for (var i = 0; i < form.forms.length; i++) {
        var found = form.forms[i].form && inner(form.forms[i].form, part);
        if (found) return found;
      }
      return null;
    }
    if (form.widget === "group") return form.fields.filter(function (f) { return f.key === part; })[0] || null;
    if (form.widget === "table" || form.widget === "list") return typeof part === "number" ? form.item : null;
    return form.widget === "map" ? form.value : null;
  }

  function placeOf(path) {
    var form = state.form, words = [];
    path.forEach(function (part, i) {
      form = inner(form, part);
      if (!form) return;
      var rows = (form.widget === "table" || form.widget === "list" || form.widget === "union");
      if (typeof part === "number") words.push("第 " + (part + 1) + " 个" + form.title);
      else if (!(rows && typeof path[i + 1] === "number")) words.push(form.title);
    });
    return words.join(" · ") || "整个文件";
  }

  function shown(value) {
    if (value === undefined) return "未公布（不写）";
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  }

  function offerMerge(mine, from, theirs, version, why) {
    var box = document.getElementById("merge");
    var result = merge(from, mine, theirs);
    box.textContent = "";
    box.appendChild(el("h2", { id: "merge-title", text: "文件已被别人修改" }));
    box.appendChild(el("p", { text: why }));
    if (result.conflicts.length) {
      var heads = ["项目", "别人保存的", "您的修改（合并后采用）"].map(function (t) {
        return el("th", { scope: "col", text: t });
      });
      var table = el("table", {}, [el("tr", {}, heads)]);
      result.conflicts.forEach(function (c) {
        var cells = [el("td", { text: c.key }), el("td", { text: shown(c.theirs) }), el("td", { text: shown(c.mine) })];
        table.appendChild(el("tr", {}, cells));
      });
      box.appendChild(table);
    } else {
      box.appendChild(el("p", { text: "你们改的不是同一处，可以直接合并。" }));
    }
    var take = el("button", { type: "button", text: "在最新版本上重做我的修改" });
    take.addEventListener("click", function () {
      base = clone(theirs); data = result.data; state.version = version;
      box.hidden = true; draw(); changed();
    });
    var drop = el("button", { type: "button", text: "放弃我的修改，改用最新版本" });
    drop.addEventListener("click", function () {
      base = clone(theirs); data = clone(theirs); state.version = version;
      box.hidden = true; draw(); changed();
    });
    box.appendChild(el("p", {}, [take, document.createTextNode(" "), drop]));
    box.hidden = false;
    box.scrollIntoView();
  }

  function restoreDraft() {
    var kept = null;
    try { kept = JSON.parse(localStorage.getItem(draftKey) || "null"); } catch (e) { kept = null; }
    if (!kept || same(kept.data, data)) return;
    if (kept.version !== state.version) {
      offerMerge(kept.data, kept.base, data, state.version, "您上次未提交的草稿是在旧版本上改的。");
      return;
    }
    data = kept.data;
    var notice = document.getElementById("draft");
    var when = new Date(kept.at).toLocaleString("zh-CN");
    var discard = el("button", { type: "button", text: "放弃草稿" });
    discard.addEventListener("click", function () {
      data = clone(base); localStorage.removeItem(draftKey); notice.hidden = true; draw(); check();
    });
    notice.appendChild(el("p", { text: "已恢复您在 " + when + " 未提交的修改（草稿保存在本浏览器）。" }));
    notice.appendChild(discard);
    notice.hidden = false;
  }

  /* Submitting: the change report, the kind and the reason first; a file with errors stays a draft. */
  var dialog = document.getElementById("confirm");
  var confirmError = document.getElementById("confirm-error");
  document.getElementById("submit").addEventListener("click", function () {
    status.textContent = "正在生成变更报告…";
    post("/api/report", { version: state.version, data: data }).then(function (result) {
      var answer = result.answer;
      if (result.status === 409) {
        status.textContent = answer.error;
        offerMerge(data, base, answer.data, answer.version, answer.error);
        return;
      }
      if (result.status !== 200) { status.textContent = answer.error || "无法生成变更报告"; return; }
      if (answer.errors) {
        status.textContent = "还有 " + answer.errors + " 个错误：改正后才能提交。修改已作为草稿保存在本浏览器。";
        check();
        return;
      }
      status.textContent = "";
      var report = document.getElementById("report");
      report.textContent = "";
      report.appendChild(el("h3", { text: "对公众的变化" }));
      var changes = el("ul");
      var isDiff = answer.report.indexOf("```diff") >= 0;
      answer.changes.forEach(function (c) {
        var text = c.text + (c.worse ? "（对申请人不利）" : "");
        changes.appendChild(el("li", { class: c.worse ? "worse" : "", text: text }));
      });
      if (!answer.changes.length) {
        changes.appendChild(el("li", { text: isDiff ? "见下面的文件改动。" : "没有影响公众的变化。" }));
      }
      report.appendChild(changes);
      if (isDiff) report.appendChild(el("pre", { text: answer.report }));
      report.appendChild(el("p", { text: "审核人：" + (answer.reviewers.length ? answer.reviewers.join("、") : "未在部门信息中填写") }));
      confirmError.textContent = "";
      dialog.showModal();
    }).catch(function () { status.textContent = "提交失败：编辑器服务没有回应"; });
  });
  document.getElementById("confirm-cancel").addEventListener("click", function () { dialog.close(); });
  /* What each kind does besides the report: 暂停 shows the notice on the page, 取消 deletes the file. */
  var KIND_HINTS = {
    暂停: "本事项页首会醒目显示“本事项暂停办理”和您在“暂停办理”一项写的说明。",
    取消: "提交后本事项的文件被删除，网站上不再有本事项的页面；变更报告记为撤销事项。"
  };
  dialog.querySelectorAll('input[name="change-kind"]').forEach(function (radio) {
    radio.addEventListener("change", function () {
      document.getElementById("kind-hint").textContent = KIND_HINTS[radio.value] || "";
    });
  });
  /* Ctrl+S (⌘S) as in any editor: the same as the 保存… button. */
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s" && !dialog.open) {
      event.preventDefault();
      document.getElementById("submit").click();
    }
  });
  document.getElementById("confirm-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var kind = dialog.querySelector('input[name="change-kind"]:checked');
    var reason = document.getElementById("reason").value;
    if (!kind || !reason.trim()) { confirmError.textContent = "请选择变更类别，并写明理由或依据。"; return; }
    confirmError.textContent = "正在提交…";
    post("/api/submit", { version: state.version, data: data, kind: kind.value, reason: reason }).then(function (result) {
      var answer = result.answer;
      if (result.status !== 200) {
        confirmError.textContent = answer.error || "提交失败";
        if (result.status === 409 && answer.data) {
          dialog.close();
          offerMerge(data, base, answer.data, answer.version, answer.error);
        }
        if (answer.messages) show(answer.messages);
        return;
      }
      dialog.close();
      state.version = answer.version;
      base = clone(data);
      localStorage.removeItem(draftKey);
      status.textContent = answer.message;
      if (answer.url) status.appendChild(el("a", { href: answer.url, target: "_blank", rel: "noopener", text: " 打开审核页面" }));
    }).catch(function () { confirmError.textContent = "提交失败：编辑器服务没有回应"; });
  });

  /* On a phone the preview is below the whole form: a button in the bar goes there. */
  var toPreview = document.getElementById("to-preview");
  if (toPreview) {
    toPreview.addEventListener("click", function () { document.getElementById("preview-title").scrollIntoView(); });
  }

  if (state.data === null) {  /* not one YAML record: fixed as text first */
    var text = "这个文件不能用表单修改：请先在文本编辑器中改正下面列出的问题，再打开。";
    root.appendChild(el("p", { class: "notice", text: text }));
    show(state.messages);
    document.getElementById("submit").hidden = true;
    return;
  }
  restoreDraft();
  draw();
  check();
})();
