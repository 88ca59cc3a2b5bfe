/* Kinerja: a form's submit buttons are disabled while it is being sent, so a double tap on a
   phone (or a double click) sends it once. The server is the real guard (the one-time form key,
   kinerja/core/formkeys.py); this only spares the user the second request.

   - A plain POST form: the first submit goes through and its buttons are disabled right after
     (not during the event: a disabled button would drop its own name=value from the data); a
     second submit while the page is leaving is cancelled. If nothing came back after 15 s the
     buttons come back, so a stalled request can be sent again (the form key makes that safe).
   - An htmx form (hx-post …): the buttons are disabled from htmx:beforeRequest until
     htmx:afterRequest, when the answer has been swapped in.
   - Coming back with the Back button (page cache): the buttons are enabled again. */
(function () {
  "use strict";
  var RETRY_AFTER_MS = 15000;

  function submitButtons(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.type === "submit" || el.type === "image";
    });
  }

  function setBusy(form, busy) {
    if (busy) {
      form.setAttribute("data-submitting", "");
    } else {
      form.removeAttribute("data-submitting");
    }
    submitButtons(form).forEach(function (button) {
      if (busy) {
        if (!button.disabled) {
          button.disabled = true;
          button.setAttribute("data-submit-once", "");
          button.setAttribute("aria-busy", "true");
        }
      } else if (button.hasAttribute("data-submit-once")) {
        button.disabled = false;
        button.removeAttribute("data-submit-once");
        button.removeAttribute("aria-busy");
      }
    });
  }

  function isPost(form) {
    return (form.getAttribute("method") || "get").toLowerCase() === "post";
  }

  // Bubbling listener: htmx's own listener on the form has already run (and called
  // preventDefault) for an htmx form, so only native submissions are handled here.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !isPost(form)) {
      return;
    }
    if (form.hasAttribute("data-submitting")) {
      event.preventDefault();
      return;
    }
    if (event.defaultPrevented) {
      return;
    }
    form.setAttribute("data-submitting", "");
    window.setTimeout(function () {
      setBusy(form, true);
    }, 0);
    window.setTimeout(function () {
      setBusy(form, false);
    }, RETRY_AFTER_MS);
  });

  function htmxForm(event) {
    var elt = event.detail && event.detail.elt;
    var verb = event.detail && event.detail.requestConfig && event.detail.requestConfig.verb;
    if (!elt || !elt.closest || (verb || "get").toLowerCase() === "get") {
      return null;
    }
    return elt.closest("form");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = htmxForm(event);
    if (form) {
      setBusy(form, true);
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = htmxForm(event);
    if (form) {
      setBusy(form, false);
    }
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      Array.prototype.forEach.call(document.querySelectorAll("form[data-submitting]"), function (form) {
        setBusy(form, false);
      });
    }
  });
})();
