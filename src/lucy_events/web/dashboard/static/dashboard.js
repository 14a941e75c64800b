// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Copy the invitation link.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var target = document.querySelector(button.getAttribute("data-copy"));
    if (!target || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.value).then(function () { button.textContent = "Copied"; });
    });
  });

  // Ask before deleting.
  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
    });
  });

  // "Select all" for the bulk send.
  document.querySelectorAll("[data-select-all]").forEach(function (all) {
    var boxes = document.querySelectorAll('input[name="' + all.getAttribute("data-select-all") + '"]');
    if (!boxes.length) return;
    all.hidden = false;
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
  });

  // Keep the list's address short: leave the filters that are not set out of it.
  document.querySelectorAll("form.filters").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("select, input").forEach(function (field) {
        if (field.name && field.value === "") field.disabled = true;
      });
    });
  });

  // Integrations: show the settings of the chosen kind of package only.
  var packageForm = document.querySelector(".package-form");
  if (packageForm) {
    var showSettings = function () {
      var chosen = packageForm.querySelector('input[name="package"]:checked');
      var kind = chosen ? chosen.getAttribute("data-kind") : null;
      packageForm.querySelectorAll("[data-for-kind]").forEach(function (box) {
        box.hidden = kind !== null && box.getAttribute("data-for-kind") !== kind;
      });
    };
    packageForm.addEventListener("change", showSettings);
    showSettings();
  }

  // While documents are on their way, look again shortly (for a minute at most), unless
  // the user is busy on the page.
  var key = "lucy-refreshes:" + window.location.pathname;
  if (document.querySelector("[data-sending]")) {
    var note = document.querySelector("[data-sending-note]");
    var refreshes = Number(window.sessionStorage.getItem(key) || 0);
    if (refreshes < 40) {
      if (note) note.hidden = true;
      var busy = function () {
        var active = document.activeElement;
        return document.querySelector('input[name="document_id"]:checked') ||
          (active && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName));
      };
      var look = function () {
        if (busy()) { window.setTimeout(look, 1500); return; }
        window.sessionStorage.setItem(key, String(refreshes + 1));
        window.location.reload();
      };
      window.setTimeout(look, 1200);
    }
  } else {
    window.sessionStorage.removeItem(key);
  }
})();

// Upload forms: files dropped onto the form go into its file input and the form is sent,
// as if they had been chosen with the button (the form works the same without this).
(function () {
  "use strict";
  document.querySelectorAll("form[data-drop-zone]").forEach(function (form) {
    var input = form.querySelector('input[type="file"]');
    if (!input || typeof DataTransfer === "undefined") return;
    form.querySelectorAll("[data-drop-hint]").forEach(function (hint) { hint.hidden = false; });
    var leave = function () { form.classList.remove("is-dragging"); };
    form.addEventListener("dragover", function (event) {
      event.preventDefault();
      form.classList.add("is-dragging");
    });
    form.addEventListener("dragleave", leave);
    form.addEventListener("drop", function (event) {
      event.preventDefault();
      leave();
      if (!event.dataTransfer || !event.dataTransfer.files.length) return;
      input.files = event.dataTransfer.files;
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    });
  });
})();
