// Archfarm portal: the few things the server cannot do. Every page works without this file; it makes them live.
(function () {
  "use strict";

  // A log panel follows new lines while the reader is at its bottom, and stops following when they scroll up.
  function follows(pre) {
    return pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 8;
  }

  function stickToBottom(pre) {
    pre.dataset.follow = "true";
    pre.scrollTop = pre.scrollHeight;
    pre.addEventListener("scroll", function () {
      pre.dataset.follow = follows(pre) ? "true" : "false";
    });
  }

  // One event stream per build page: "log" events carry new log text (added as text, never as HTML), "state" events
  // say the build changed, and htmx re-fetches the fragments that listen for archfarm:state.
  function followBuild(root) {
    var cursors = {};
    root.querySelectorAll("pre[data-log-platform]").forEach(function (pre) {
      cursors[pre.dataset.logPlatform] = pre.dataset.cursor || "0.0";
      stickToBottom(pre);
    });
    var source;

    function url() {
      var query = Object.keys(cursors).map(function (p) {
        return "cursor=" + encodeURIComponent(p + "@" + cursors[p]);
      }).join("&");
      return root.dataset.liveBuild + (query ? "?" + query : "");
    }

    function connect() {
      source = new EventSource(url());
      source.addEventListener("log", function (event) {
        var chunk = JSON.parse(event.data);
        var pre = root.querySelector('pre[data-log-platform="' + CSS.escape(chunk.platform) + '"]');
        if (!pre) { return; }
        var stick = pre.dataset.follow !== "false";
        pre.appendChild(document.createTextNode(chunk.text));
        cursors[chunk.platform] = chunk.cursor;
        if (stick) { pre.scrollTop = pre.scrollHeight; }
      });
      source.addEventListener("state", function () {
        document.body.dispatchEvent(new CustomEvent("archfarm:state"));
      });
      source.addEventListener("end", function () {
        document.body.dispatchEvent(new CustomEvent("archfarm:state"));
        source.close();
      });
      source.onerror = function () {
        // reconnect from where the text stopped, so that nothing is shown twice
        source.close();
        setTimeout(connect, 2000);
      };
    }

    connect();
  }

  function copyButtons(scope) {
    scope.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.dataset.copy).then(function () {
          button.textContent = button.dataset.copied || "Copied";
        });
      });
    });
  }

  // Instead of inline handlers, which the Content-Security-Policy forbids: a form with data-confirm asks first, and a
  // select with data-submit-on-change submits its form (without script, a button does).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-submit-on-change]") && select.form) {
      select.form.submit();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-live-build]").forEach(followBuild);
    copyButtons(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    copyButtons(event.target);
  });
})();
