// The directory's filters submit only what is set: empty fields are
// disabled just before the form is sent, so the URL reads ?country=KR rather
// than ?q=&country=KR&region=… (without script the server redirects such a
// URL to its clean form). No inline script: the CSP stays strict.
(function () {
  "use strict";
  var form = document.querySelector("form.filters");
  if (!form) {
    return;
  }
  form.addEventListener("submit", function () {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled) {
        return;
      }
      var empty = field.type === "checkbox" || field.type === "radio" ? false : !String(field.value).trim();
      if (empty) {
        field.disabled = true;
      }
    });
    // Back from the results (bfcache), the fields must work again.
    window.addEventListener("pageshow", function () {
      Array.prototype.forEach.call(form.elements, function (field) { field.disabled = false; });
    }, { once: true });
  });
})();
