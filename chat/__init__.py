"""The chat UI: Chainlit's handlers, identity, the history data layer, streaming, the owner's buttons, the
mount at /chat with its guards. The only package that imports Chainlit; the agent it drives (agent/) is
UI-free.

Chainlit reads `.chainlit/config.toml` and `chainlit.md` from CHAINLIT_APP_ROOT (default: the cwd) when
imported, and writes `.files/` there. Before anything imports chainlit, folio's own files (shipped in
chat/chainlit_files/) are laid out into FOLIO_DATA_DIR/chainlit and CHAINLIT_APP_ROOT points there
(chat/app_root.py), so an installed, read-only folio runs its chat exactly as configured.
"""

from chat.app_root import chainlit_loaded, default_data_path, use_app_root

if not chainlit_loaded():
    use_app_root(default_data_path())
