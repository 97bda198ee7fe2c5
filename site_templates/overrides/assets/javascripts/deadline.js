/* 办结日期计算器：与 generator/workdays.py 相同的规则，测试保证两者一致。
 *
 * 工作日不含法定节假日，周末调休上班日计入；从受理的次日起算。
 * 自然日期限的最后一天不是工作日的，顺延到其后第一个工作日。
 * 日历数据（window.BANSHI_CALENDAR）在构建时生成。所涉年份没有节假日数据时，给出跳过周末和
 * 固定日期假日（元旦、劳动节、国庆节）的估算日期，并写明“仅供参考”。受理日期不是工作日的，从其后第一个工作日受理起算。
 * 不依赖任何外部库，不发出任何请求。
 */
(function (root) {
  "use strict";

  var DAY = 86400000;

  function parse(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN;
  }

  function format(time) {
    return new Date(time).toISOString().slice(0, 10);
  }

  function makeCalendar(data) {
    function sets(table) {
      var days = {};
      Object.keys(table).forEach(function (year) {
        table[year].split(" ").forEach(function (mmdd) {
          if (mmdd) days[year + "-" + mmdd.slice(0, 2) + "-" + mmdd.slice(2)] = true;
        });
      });
      return days;
    }
    var years = {};
    data.years.forEach(function (y) { years[y] = true; });
    var fixed = {};
    (data.fixed || []).forEach(function (mmdd) { fixed[mmdd] = true; });
    return { years: years, holidays: sets(data.holidays), workdays: sets(data.workdays), fixed: fixed };
  }

  function covers(cal, time) {
    return cal.years[new Date(time).getUTCFullYear()] === true;
  }

  function isWorkday(cal, time) {
    var iso = format(time);
    if (cal.workdays[iso]) return true;
    var weekday = new Date(time).getUTCDay();
    return weekday !== 0 && weekday !== 6 && !cal.holidays[iso];
  }

  /* The last day of a limit of `amount` `unit`s accepted on `accepted` (YYYY-MM-DD), or null. */
  function deadline(cal, accepted, amount, unit) {
    var day = parse(accepted);
    if (isNaN(day) || !covers(cal, day)) return null;
    var count = Math.ceil(amount);
    if (unit === "工作日") {
      while (count > 0) {
        day += DAY;
        if (!covers(cal, day)) return null;
        if (isWorkday(cal, day)) count -= 1;
      }
      return format(day);
    }
    if (unit === "自然日") {
      day += count * DAY;
      while (covers(cal, day) && !isWorkday(cal, day)) day += DAY;
      return covers(cal, day) ? format(day) : null;
    }
    return format(day);
  }

  /* A day off: by the calendar where it has data, else a Saturday, a Sunday or a holiday fixed by date. */
  function restDay(cal, time) {
    if (covers(cal, time)) return !isWorkday(cal, time);
    var weekday = new Date(time).getUTCDay();
    return weekday === 0 || weekday === 6 || cal.fixed[format(time).slice(5).replace("-", "")] === true;
  }

  /* The same count as deadline(), where the calendar has no data skipping weekends and fixed holidays only. */
  function estimate(cal, accepted, amount, unit) {
    var day = parse(accepted);
    if (isNaN(day)) return null;
    var count = Math.ceil(amount);
    if (unit === "工作日") {
      while (count > 0) {
        day += DAY;
        if (!restDay(cal, day)) count -= 1;
      }
      return format(day);
    }
    if (unit === "自然日") {
      day += count * DAY;
      while (restDay(cal, day)) day += DAY;
    }
    return format(day);
  }

  /* The years from `accepted` to `until` (YYYY-MM-DD) that the calendar has no data for. */
  function uncovered(cal, accepted, until) {
    var years = [];
    for (var y = +accepted.slice(0, 4); y <= +until.slice(0, 4); y++) {
      if (cal.years[y] !== true) years.push(y);
    }
    return years;
  }

  /* The acceptance day: the chosen day if it is a working day, else the first working day after it. */
  function acceptedOn(cal, chosen) {
    var day = parse(chosen);
    if (isNaN(day)) return chosen;
    for (var i = 0; i < 30 && restDay(cal, day); i++) day += DAY;
    return format(day);
  }

  function chinese(iso) {
    var parts = iso.split("-");
    var weekday = "日一二三四五六".charAt(new Date(parse(iso)).getUTCDay());
    return +parts[0] + " 年 " + +parts[1] + " 月 " + +parts[2] + " 日（星期" + weekday + "）";
  }

  function dateSpan(iso) {
    var span = document.createElement("span");
    span.className = "bs-date";
    span.textContent = chinese(iso);
    return span;
  }

  function today() {
    var now = new Date();
    return format(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
  }

  function wire(box, cal) {
    var input = box.querySelector("input[type=date]");
    var output = box.querySelector(".bs-deadline__result");
    function limits() {  /* read each time: a chosen situation (situations.js) may change them */
      var found = [];
      if (box.dataset.committed && box.dataset.committedUnit) {  /* not for a situation that states no limit in days */
        found.push(["承诺办结", +box.dataset.committed, box.dataset.committedUnit]);
      }
      if (box.dataset.statutory) {  /* only when the guide states a statutory limit in days */
        found.push(["法定最迟", +box.dataset.statutory, box.dataset.statutoryUnit]);
      }
      return found;
    }
    function update() {
      output.textContent = "";
      if (!input.value || isNaN(parse(input.value))) return;
      var accepted = acceptedOn(cal, input.value);
      if (accepted !== input.value) {
        var note = document.createElement("p");
        note.className = "bs-deadline__note";
        note.appendChild(document.createTextNode("所选日期 "));
        note.appendChild(dateSpan(input.value));
        note.appendChild(document.createTextNode(" 不是工作日，按其后第一个工作日 "));
        note.appendChild(dateSpan(accepted));
        note.appendChild(document.createTextNode(" 受理计算。"));
        output.appendChild(note);
      }
      var all = limits();
      if (!all.length) {
        var none = document.createElement("p");
        none.textContent = box.dataset.chosen
          ? "本情形没有公布按日计算的承诺时限，不计算办结日期。"
          : "办理时限按情形：请先在上方“您的情形”中选择，再计算办结日期。";
        output.appendChild(none);
      }
      all.forEach(function (limit) {
        var line = document.createElement("p");
        var result = deadline(cal, accepted, limit[1], limit[2]);
        line.appendChild(document.createTextNode(limit[0] + "日期："));
        if (result) {
          line.appendChild(dateSpan(result));
        } else {
          var guess = estimate(cal, accepted, limit[1], limit[2]);
          var missing = uncovered(cal, accepted, guess || accepted);
          line.appendChild(document.createTextNode("约 "));
          line.appendChild(dateSpan(guess));
          var caveat = document.createElement("span");
          caveat.className = "bs-deadline__caveat";
          caveat.textContent = "（" + missing.join("、") + " 年的放假安排尚未公布，只计入了周末和元旦、劳动节、国庆节，仅供参考）";
          line.appendChild(caveat);
        }
        output.appendChild(line);
      });
    }
    input.value = today();
    input.addEventListener("input", update);
    input.addEventListener("change", update);
    box.addEventListener("banshi:limits", update);
    box.hidden = false;
    update();
  }

  var api = {
    makeCalendar: makeCalendar, deadline: deadline, isWorkday: isWorkday, parse: parse,
    estimate: estimate, acceptedOn: acceptedOn, uncovered: uncovered
  };
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.BanshiDeadline = api;
    var start = function () {
      if (!root.BANSHI_CALENDAR) return;
      var cal = makeCalendar(root.BANSHI_CALENDAR);
      Array.prototype.forEach.call(document.querySelectorAll(".bs-deadline"), function (box) {
        wire(box, cal);
      });
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
})(typeof window !== "undefined" ? window : this);
