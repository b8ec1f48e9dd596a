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
        // reconnect from where the text stopped, so that nothing is shown twice; unless the session ended
        source.close();
        reloadIfSignedOut(function () { setTimeout(connect, 2000); });
      };
    }

    connect();
  }

  // An EventSource does not tell why it failed: ask the page itself as htmx would. A 401 means the session ended
  // (the portal answers a script's request with 401, not the sign-in form), and a reload takes the page to sign-in;
  // anything else (a portal restarting, a stream that reached its end) means: carry on.
  function reloadIfSignedOut(otherwise) {
    fetch(window.location.href, { method: "HEAD", headers: { "HX-Request": "true" }, cache: "no-store" })
      .then(function (response) {
        if (response.status === 401) { window.location.reload(); } else { otherwise(); }
      }, otherwise);
  }

  // A wall screen signs in from an address whose fragment holds its board token (#token=afb_...): the fragment never
  // reaches a server or a log; the token goes to the portal in the form's POST, and leaves the address bar.
  function boardTokenFromFragment(form) {
    var match = /^#token=(afb_[A-Za-z0-9_-]+)$/.exec(window.location.hash);
    if (!match) { return; }
    history.replaceState(null, "", window.location.pathname + window.location.search);
    form.querySelector("input[name=token]").value = match[1];
    form.submit();
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
    document.querySelectorAll("form[data-token-from-fragment]").forEach(boardTokenFromFragment);
    copyButtons(document);
  });
  // The portal answers a panel's refresh with 401 and HX-Refresh once the session ended, and htmx reloads the page
  // (to sign-in) by itself; a 401 without that header (from a proxy, say) gets the same reload rather than a panel
  // that silently stops.
  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 401) { window.location.reload(); }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    copyButtons(event.target);
  });
})();
