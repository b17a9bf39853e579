/* Starts Swagger UI for /api/v1/docs from the settings in #swagger-settings (no inline script).
   Unsafe requests carry the csrftoken cookie as X-CSRFToken, read at request time because signing in
   through "auth/login" rotates the token. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis];
  config.requestInterceptor = function (req) {
    var method = (req.method || "GET").toUpperCase();
    if (["GET", "HEAD", "OPTIONS", "TRACE"].indexOf(method) === -1 && csrfToken()) {
      req.headers["X-CSRFToken"] = csrfToken();
    }
    return req;
  };
  window.ui = SwaggerUIBundle(config);
})();
