// The console's own script beside the component library's (which defines the Fluent web components the forms use).
//
// Links in emails carry their token in the fragment (#token=...), which never reaches the server.
// Keep it in this tab's session storage (so that an invitation's token survives signing up or in first)
// and put it into the page's form: inputs marked data-fragment-token="<key>".
(function () {
  "use strict";
  var fields = document.querySelectorAll("input[data-fragment-token]");
  if (fields.length === 0) { return; }
  var key = "tenantry." + fields[0].getAttribute("data-fragment-token");
  var match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  var token = null;
  try {
    if (match) {
      token = decodeURIComponent(match[1]);
      window.sessionStorage.setItem(key, token);
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    } else {
      token = window.sessionStorage.getItem(key);
    }
  } catch (e) {
    token = match ? decodeURIComponent(match[1]) : null;
  }
  if (!token) { return; }
  for (var i = 0; i < fields.length; i++) {
    if (!fields[i].value) { fields[i].value = token; }
  }
})();

// A form with several actions (ActionButton): the clicked Fluent button's data-submit-name/-value go into a hidden
// field of its form before the button submits it. Capture phase, so this runs before the button's own click handler
// (which submits); a key press on the button arrives as a click too.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-submit-name]") : null;
    var form = button ? button.closest("form") : null;
    if (!form || button.hasAttribute("disabled")) { return; }
    var name = button.getAttribute("data-submit-name");
    var field = null;
    var fields = form.querySelectorAll("input[data-submitted-action]");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].name === name) { field = fields[i]; }
    }
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = name;
      field.setAttribute("data-submitted-action", "");
      form.appendChild(field);
    }
    field.value = button.getAttribute("data-submit-value") || "";
  }, true);
})();
