"""/widget.js: the one <script> tag an owner puts on their own site. It loads Chainlit's copilot widget
(/chat/copilot/index.js), signs the visitor in as a guest (Chainlit's /chat/auth/header, as the chat page
does) and mounts the widget. Sites not in FOLIO_ALLOWED_ORIGINS are refused at the sign-in (403, see
api/embed.py), so nothing mounts there."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

router = APIRouter(include_in_schema=False)

LOADER = """(function () {
  var me = document.currentScript;
  if (!me || window.__folioWidget) return;
  window.__folioWidget = true;
  var chat = me.src.replace(/\\/widget\\.js(\\?.*)?$/, "") + "/chat";
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
})();
"""


@router.get("/widget.js")
async def widget_loader() -> Response:
    return Response(LOADER, media_type="text/javascript; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=3600"})
