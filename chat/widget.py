"""/widget.js: the one <script> tag an owner puts on their own site. It loads Chainlit's copilot widget
(/chat/copilot/index.js), signs the visitor in as a guest (Chainlit's /chat/auth/header, as the chat page
does) and mounts the widget. Sites not in FOLIO_ALLOWED_ORIGINS are refused at the sign-in (403, see
chat/embed.py), so nothing mounts there.

The chat cites items with folio-relative links (/api/v1/projects/x); inside another site those would
point at that site. The loader opens them in the page instead: at the item's page on the owner's site
(FOLIO_SITE_URL + FOLIO_SITE_PATH_PATTERN) when one is configured, else at folio's own address."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response

from folio.kinds import KINDS

router = APIRouter(include_in_schema=False)

LOADER = """(function (cfg) {
  var me = document.currentScript;
  if (!me || window.__folioWidget) return;
  window.__folioWidget = true;
  var folio = me.src.replace(/\\/widget\\.js(\\?.*)?$/, "");
  var chat = folio + "/chat";
  var kinds = __KINDS__;
  var item = new RegExp("^/api/v1/(" + Object.keys(kinds).join("|") + ")/([a-z0-9-]+)/?$");
  function target(href) {
    var m = href.match(item);
    if (m && cfg.site) {
      return cfg.site + cfg.pattern.split("{plural}").join(m[1]).split("{kind}").join(kinds[m[1]])
        .split("{slug}").join(m[2]);
    }
    return folio + href;
  }
  document.addEventListener("click", function (e) {
    var path = e.composedPath ? e.composedPath() : [];
    for (var i = 0; i < path.length; i++) {
      var el = path[i];
      if (el.tagName === "A" && el.closest && el.closest("#cl-shadow-root")) {
        var href = el.getAttribute("href") || "";
        if (href.charAt(0) === "/" && href.charAt(1) !== "/") {
          e.preventDefault();
          window.location.assign(target(href));
        }
        return;
      }
    }
  }, true);
  var copilot = document.createElement("script");
  copilot.src = chat + "/copilot/index.js";
  copilot.onload = function () {
    fetch(chat + "/auth/header", {method: "POST", credentials: "include"})
      .then(function (r) { if (!r.ok) throw new Error("folio: this site may not embed the chat (HTTP " + r.status + ")"); })
      .then(function () {
        var config = Object.assign({}, window.folioWidgetConfig || {}, {chainlitServer: chat});
        window.mountChainlitWidget(config);
      })
      .catch(function (e) { console.error(e.message || e); });
  };
  document.head.appendChild(copilot);
})(%s);
""".replace("__KINDS__", orjson.dumps({spec.plural: spec.name for spec in KINDS.values()}).decode())


@router.get("/widget.js")
async def widget_loader(request: Request) -> Response:
    settings = request.app.state.settings
    config = {"site": settings.site_url, "pattern": settings.site_path_pattern}
    return Response(LOADER % orjson.dumps(config).decode(), media_type="text/javascript; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=300"})
