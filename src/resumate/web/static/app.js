// Resumate: progressive enhancements on top of server-rendered forms (every form also works
// without this file). No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrf_token=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // The CSRF token is the csrf_token cookie, which a token refresh replaces: read it at send
  // time for htmx requests, and copy it into a plain form's hidden field as it is submitted.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token) event.detail.headers["X-CSRF-Token"] = token;
  });
  document.addEventListener("submit", function (event) {
    var field = event.target.querySelector && event.target.querySelector("input[name=csrf_token]");
    var token = csrfToken();
    if (field && token) field.value = token;
  }, true);

  // An htmx request whose access token ran out gets a 401 with X-Signin: refresh the tokens
  // once (concurrent refreshes would present the same refresh token twice, which revokes the
  // session), then send the request again; if that fails, go to the sign-in page.
  var refreshing = null;
  function refreshTokens() {
    if (!refreshing) {
      refreshing = fetch("/api/v1/auth/refresh", {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRF-Token": csrfToken() },
      }).then(function (response) {
        setTimeout(function () { refreshing = null; }, 1000);
        return response.ok;
      }, function () {
        refreshing = null;
        return false;
      });
    }
    return refreshing;
  }
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr || xhr.status !== 401) return;
    var signin = xhr.getResponseHeader("X-Signin");
    if (!signin) return;
    var config = event.detail.requestConfig || {};
    if (config.headers && config.headers["X-Retried"]) {
      window.location.assign(signin);
      return;
    }
    refreshTokens().then(function (ok) {
      if (!ok) {
        window.location.assign(signin);
        return;
      }
      // The same values again (htmx.ajax would not gather the form or the clicked button).
      var values = {};
      if (config.formData) {
        config.formData.forEach(function (value, key) {
          if (key === "csrf_token") return;
          if (key in values) values[key] = [].concat(values[key], value);
          else values[key] = value;
        });
      }
      htmx.ajax(config.verb || "get", config.path, {
        source: event.detail.elt,
        values: values,
        headers: { "X-Retried": "1" },
      })
        .then(null, function () { window.location.assign(signin); });
    });
  });

  // Copy buttons: <button data-copy="#input-id" data-copied="Copied">
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    var text = source.value || source.textContent;
    var done = function () {
      var label = button.textContent;
      button.textContent = button.getAttribute("data-copied") || label;
      setTimeout(function () { button.textContent = label; }, 1500);
    };
    if (navigator.clipboard) {
      navigator.clipboard.writeText(text).then(done, function () { source.select(); });
    } else {
      source.select();
      done();
    }
  });

  // The editor's save state: "Saving…" while an autosave is in flight.
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt && event.detail.elt.id === "autosave") {
      var status = document.getElementById("save-status");
      if (status) status.innerHTML = '<span class="state">' + (status.getAttribute("data-saving") || "…") + "</span>";
    }
  });

  // Typing marks the editor unsaved at once; the autosave's answer replaces the mark.
  document.addEventListener("input", function (event) {
    if (!event.target.closest || !event.target.closest("#editor-form")) return;
    var status = document.getElementById("save-status");
    if (status && status.getAttribute("data-unsaved")) {
      status.innerHTML = '<span class="state unsaved">' + status.getAttribute("data-unsaved") + "</span>";
    }
  });

  // ---- the notification bell ---------------------------------------------------------------
  // The unread count follows the live stream of notifications (Server-Sent Events, the API's
  // /notifications/stream): each notification makes the bell re-read its count. One tab of
  // the browser holds the stream (a Web Lock) and tells the other tabs (a BroadcastChannel):
  // over HTTP/1.1 a browser opens at most six connections to a site, so a stream in every tab
  // would leave the seventh tab waiting. Without EventSource, or while the stream is down, the
  // count is re-read every 15 seconds instead. The state is on <html data-bell>: live,
  // follower (another tab holds the stream) or polling.
  var BELL_POLL_MS = 15000;
  var BELL_LOCK = "resumate-bell-stream";

  function bellState(state) {
    document.documentElement.setAttribute("data-bell", state);
  }

  function refreshBell() {
    var bell = document.getElementById("bell");
    if (bell && window.htmx) htmx.trigger(bell, "bell-refresh");
  }

  // Keep the stream open (reconnecting with backoff); call changed() when the count may have
  // changed, and every 15 s while the stream is down.
  function bellStream(url, changed) {
    var pollTimer = null;
    var retryDelay = 5000;
    function polling(on) {
      if (on && !pollTimer) {
        bellState("polling");
        changed();
        pollTimer = setInterval(changed, BELL_POLL_MS);
      } else if (!on && pollTimer) {
        clearInterval(pollTimer);
        pollTimer = null;
      }
    }
    function open() {
      var source;
      try {
        source = new EventSource(url);
      } catch (error) {
        polling(true);
        return;
      }
      source.addEventListener("open", function () {
        retryDelay = 5000;
        polling(false);
        bellState("live");
        changed(); // anything that arrived before the stream was open
      });
      source.addEventListener("notification", changed);
      // Down for good (refused: an expired access token, which the polling's first request
      // refreshes, or a busy server; or ended by the server: this session was signed out, and
      // the bell's request then goes to sign in, or the server is stopping): poll, retry later.
      function down() {
        polling(true);
        setTimeout(open, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 300000);
      }
      source.addEventListener("end", function () {
        source.close();
        down();
      });
      source.addEventListener("error", function () {
        if (source.readyState === EventSource.CLOSED) down();
        else polling(true); // EventSource reconnects by itself meanwhile
      });
    }
    open();
  }

  function setupBell() {
    var bell = document.getElementById("bell");
    var url = bell && bell.getAttribute("data-stream");
    if (!url) return;
    if (!window.EventSource) {
      bellState("polling");
      refreshBell();
      setInterval(refreshBell, BELL_POLL_MS);
      return;
    }
    if (!(navigator.locks && window.BroadcastChannel)) {
      bellStream(url, refreshBell);
      return;
    }
    var channel = new BroadcastChannel("resumate-bell");
    channel.addEventListener("message", refreshBell);
    function lead() {
      bellStream(url, function () {
        refreshBell();
        channel.postMessage("changed");
      });
      return new Promise(function () {}); // the lock is held until this page goes away
    }
    navigator.locks.request(BELL_LOCK, { ifAvailable: true }, function (lock) {
      if (lock) return lead();
      bellState("follower");
      refreshBell();
      return navigator.locks.request(BELL_LOCK, lead);
    });
  }

  // CV upload: drag and drop onto the zone, and a progress bar while the file is sent.
  function setupUpload(form) {
    var zone = form.querySelector("[data-dropzone]");
    var input = form.querySelector("input[type=file]");
    var progress = form.querySelector("[data-progress]");
    var bar = progress && progress.querySelector("progress");
    if (!zone || !input) return;
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("dragover");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("dragover"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        form.requestSubmit();
      }
    });
    form.addEventListener("submit", function (event) {
      if (!window.XMLHttpRequest || !window.FormData || !input.files.length) return;
      event.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-CSRF-Token", csrfToken());
      xhr.setRequestHeader("HX-Request", "true");
      if (progress) progress.hidden = false;
      xhr.upload.addEventListener("progress", function (e) {
        if (bar && e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
      });
      xhr.addEventListener("load", function () {
        var target = xhr.getResponseHeader("HX-Redirect");
        if (target) {
          window.location.assign(target);
          return;
        }
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", function () { form.submit(); });
      xhr.send(new FormData(form));
    });
  }

  function init() {
    document.querySelectorAll("form[data-upload]").forEach(setupUpload);
    setupBell();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
