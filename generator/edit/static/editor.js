/* 办事指南编辑器的表单：按格式声明（generator/edit/form.py）画出表单，保存时把整份数据交给本机服务。
   不依赖任何外部库，不向其他网站发出请求。 */
(function () {
  "use strict";

  var state = JSON.parse(document.getElementById("state").textContent);
  var token = document.querySelector('meta[name="banshi-token"]').content;
  var data = state.data;
  var root = document.getElementById("editor");

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
        ? [["", "未公布"], ["true", "是"], ["false", "否"]]
        : [["", "未公布"]].concat(form.options.map(function (o) { return [o, o]; }));
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
      if (form.examples && form.examples.length) control.setAttribute("placeholder", "如 " + form.examples[0]);
      control.value = value === undefined || value === null ? "" : String(value);
      control.addEventListener("input", function () {
        var v = control.value;
        set(v === "" ? undefined : form.widget === "number" && /^\d+$/.test(v) ? Number(v) : v);
      });
    }
    return labelled(form, path, control, controlId);
  }

  function group(form, value, set, path) {
    value = value || {};
    var box = el("fieldset", { "data-key": keyOf(path) }, [el("legend", { text: form.title })]);
    form.fields.forEach(function (field) {
      box.appendChild(render(field, value[field.key], function (v) {
        if (v === undefined) delete value[field.key]; else value[field.key] = v;
        set(value);
      }, path.concat([field.key]), field.optional));
    });
    return box;
  }

  function list(form, value, set, path, optional) {
    if (value !== undefined && value !== null && !Array.isArray(value)) value = [value];  /* one, written alone */
    var box = el("fieldset", { "data-key": keyOf(path) }, [el("legend", { text: form.title })]);
    function draw() {
      while (box.childNodes.length > 1) box.removeChild(box.lastChild);
      if (value === undefined || value === null) {
        box.appendChild(el("p", { class: "unstated", text: "未公布（不写）" }));
      } else {
        value.forEach(function (item, index) {
          var change = function (v) { value[index] = v; set(value); };
          box.appendChild(render(form.item, item, change, path.concat([index])));
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
        var clear = el("button", { type: "button", text: "改为未公布" });
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
        if ("value" in f && f.value === value) return i;
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
    [{ label: "未公布" }].concat(form.forms).forEach(function (f, i) {
      var radioId = id();
      var radio = el("input", { type: "radio", name: name, id: radioId });
      radio.checked = chosen() === i - 1;
      radio.addEventListener("change", function () {
        if (i === 0) value = undefined;
        else if ("value" in f) value = f.value;
        else value = f.form.widget === "table" || f.form.widget === "list" ? [] : f.form.widget === "group" ? {} : "";
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

  function render(form, value, set, path, optional) {
    if (form.widget === "group") return group(form, value, set, path);
    if (form.widget === "table" || form.widget === "list") return list(form, value, set, path, optional);
    if (form.widget === "union") return union(form, value, set, path);
    if (form.widget === "map") return map(form, value, set, path);
    return scalar(form, value, set, path);
  }

  function show(messages) {
    var listNode = document.getElementById("problems");
    listNode.textContent = "";
    document.querySelectorAll(".message").forEach(function (m) { m.remove(); });
    messages.forEach(function (m) {
      var text = (m.severity === "error" ? "错误：" : "提醒：") + m.title + "：" + m.text;
      listNode.appendChild(el("li", { text: text }));
      var field = document.querySelector('[data-key="' + CSS.escape(m.key) + '"]');
      if (field) field.appendChild(el("p", { class: "message message--" + m.severity, text: m.text }));
    });
    if (!messages.length) listNode.appendChild(el("li", { text: "没有发现问题。" }));
  }

  root.appendChild(render(state.form, data, function (v) { data = v; }, []));
  var status = document.getElementById("status");
  document.getElementById("save").addEventListener("click", function () {
    status.textContent = "正在保存…";
    fetch("/api/save", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Banshi-Token": token },
      body: JSON.stringify({ file: state.file, version: state.version, data: data })
    }).then(function (response) {
      return response.json().then(function (answer) { return [response.status, answer]; });
    }).then(function (result) {
      if (result[0] !== 200) { status.textContent = result[1].error || "保存失败"; return; }
      state.version = result[1].version;
      status.textContent = "已保存。";
      show(result[1].messages);
    }).catch(function () { status.textContent = "保存失败：编辑器服务没有回应"; });
  });
})();
