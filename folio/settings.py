"""All configuration in one place: environment variables prefixed FOLIO_, or a .env file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from folio import keyfile, setting_values as values

# The socket of the embedded PostgreSQL lives in its data folder; past ~93 characters the
# server silently moves it to a world-writable directory, so the path is kept short.
MAX_PGDATA_PATH = 90
# The embedding model folio runs in process when no embeddings server is configured.
LOCAL_EMBEDDINGS_MODEL = "all-MiniLM-L6-v2"
# Docker/Kubernetes secrets: a file named like the variable (folio_secret_key, FOLIO_OWNER_PASSWORD...)
# holds its value; the environment and .env win over it. Read only where the folder exists.
SECRETS_DIR = Path("/run/secrets")


# Settings checked (and normalised) by one function of folio.setting_values each.
CHECKED = {
    "database_url": values.postgres_url,
    **dict.fromkeys(("llm_base_url", "embeddings_base_url", "notify_webhook_url", "github_api_url"), values.http_url),
    **dict.fromkeys(("trusted_proxies", "metrics_network"), values.proxies),
    "sync_github": values.github_users,
    "sync_feeds": values.feed_urls,
    "site_url": values.site_url,
    "site_path_pattern": values.site_path_pattern,
    "allowed_origins": values.origins,
    "log_level": values.log_level,
}


class ConfigError(RuntimeError):
    """Misconfiguration found at start; the message names the setting."""


class Settings(BaseSettings):
    # An empty value means "unset" (the default), so .env.example and docker-compose.yml can list
    # every setting, e.g. `FOLIO_OWNER_EMAIL=`, without changing anything.
    model_config = SettingsConfigDict(
        env_prefix="FOLIO_", env_file=".env", extra="ignore", validate_default=True, env_ignore_empty=True,
        secrets_dir=SECRETS_DIR if SECRETS_DIR.is_dir() else None,
    )

    database_url: str | None = Field(
        None, description="PostgreSQL with pgvector (postgresql://...); unset starts the embedded server"
    )
    data_dir: Path = Field(Path(".data"), description="Where embedded data, models and the secret key live")
    secret_key: SecretStr | None = Field(
        None, description="Signs sessions; generated and kept in the data folder when unset"
    )
    host: str = Field("127.0.0.1", description="Address `folio serve` binds to")
    port: int = Field(8000, ge=1, le=65535, description="Port `folio serve` listens on")
    owner_email: str | None = Field(None, description="Owner account created at start when absent")
    owner_password: SecretStr | None = Field(None, description="Password for FOLIO_OWNER_EMAIL")
    seed_demo: bool = Field(True, description="Load the demo portfolio when the database is empty")
    llm_base_url: str | None = Field(
        None, description="OpenAI-compatible chat server (vLLM...); unset runs the embedded llama-server"
    )
    llm_model: str = Field("local", description="Chat model name sent to the server")
    llm_api_key: SecretStr = Field(SecretStr("not-needed"), description="API key for the chat server")
    embeddings_base_url: str | None = Field(
        None, description="OpenAI-compatible embeddings server (infinity-emb); unset runs the model in process"
    )
    embeddings_model: str = Field(LOCAL_EMBEDDINGS_MODEL, description="Embedding model name")
    embeddings_api_key: SecretStr = Field(SecretStr("not-needed"), description="API key for the embeddings server")
    embeddings_dimensions: int | None = Field(
        None, ge=8, le=4096,
        description="Keep only the first N dimensions of each vector (Matryoshka); changing it needs `folio reindex`")
    log_level: str = Field("INFO", description="Logging level")
    access_log: bool = Field(False, description="Log every HTTP request (id, path, status, time) at INFO; "
                                                "otherwise at DEBUG")
    log_format: Literal["text", "json"] = Field(
        "text", description="Log lines as text, or as one JSON object each carrying the request's id")
    metrics_network: str = Field(
        "127.0.0.1,::1", description="Client addresses or networks (comma-separated) that may read /metrics "
                                     "without the owner's login; IPv6 clients count by their /64")
    change_ttl_minutes: int = Field(
        30, ge=1, le=1440, description="How long a change proposed in the owner's chat waits for Confirm"
    )
    max_body_bytes: int = Field(1_048_576, ge=1024, le=64 * 1_048_576,
                                description="Largest REST request body accepted, in bytes (larger: 413)")
    llm_threads: int | None = Field(
        None, ge=1, le=256, description="CPU threads for the embedded llama-server; unset uses every core"
    )
    llm_context: int = Field(8192, ge=1024, le=131072,
                             description="Context window of each of the embedded llama-server's slots (the reading "
                                         "prompt carries the whole catalogue); its KV cache holds FOLIO_LLM_PARALLEL "
                                         "times this")
    llm_parallel: int = Field(
        4, ge=1, le=64,
        description="Visitors answered at once per process: the embedded llama-server's slots (continuous batching); "
                    "more wait in line and are shown how many people are ahead of them")
    chat_visitor_messages: int = Field(
        20, ge=1, description="Chat messages one visitor may send per FOLIO_CHAT_RATE_WINDOW seconds"
    )
    chat_ip_messages: int = Field(
        60, ge=1, description="Chat messages all visitors from one IP address may send per window"
    )
    chat_rate_window: int = Field(600, ge=1, description="Length of the chat rate-limit window, in seconds")
    chat_address_sessions: int = Field(
        60, ge=1, description="Guest chat sign-ins, and chat socket connections, one client address may open per "
                              "FOLIO_CHAT_RATE_WINDOW"
    )
    contact_address_requests: int = Field(
        5, ge=1, description="Contact requests (chat and MCP) one client address may leave per FOLIO_CONTACT_RATE_WINDOW"
    )
    contact_rate_window: int = Field(3600, ge=1, le=7 * 86400,
                                     description="Length of the contact-request window, in seconds")
    trusted_proxies: str = Field(
        "127.0.0.1,::1",
        description="Peers whose X-Forwarded-For is believed (comma-separated addresses or networks, * for any); "
                    "the client address keys login throttles and rate limits",
    )
    rate_window: int = Field(60, ge=1, le=86400, description="Length of the anonymous REST rate-limit window, seconds")
    rate_search_requests: int = Field(
        30, ge=1, description="Anonymous searches (/api/v1/search) one client address may make per FOLIO_RATE_WINDOW"
    )
    rate_read_requests: int = Field(
        300, ge=1, description="Other anonymous REST requests one client address may make per FOLIO_RATE_WINDOW"
    )
    rate_login_requests: int = Field(
        20, ge=1, description="Password logins (REST and chat, any email) one client address may try per window"
    )
    login_free_failures: int = Field(
        5, ge=1, le=100, description="Failed logins for one email from one address before each try must wait"
    )
    login_max_delay: int = Field(
        900, ge=1, le=86400, description="Longest wait (seconds) between tries for one email from one address"
    )
    login_email_free_failures: int = Field(
        20, ge=1, le=1000, description="Failed logins for one email from all addresses before each try must wait"
    )
    login_email_max_delay: int = Field(
        60, ge=1, le=3600,
        description="Longest wait (seconds) between tries for one email from all addresses (kept short: a stranger "
                    "must not lock the owner out)",
    )
    db_statement_timeout_ms: int = Field(
        5000, ge=100, le=600_000, description="Longest a database statement may run for the app (visitor queries)"
    )
    workers: int = Field(1, ge=1, le=64, description="Server processes `folio serve` runs on one port")
    chat_max_body_bytes: int = Field(
        262_144, ge=4096, le=16 * 1_048_576,
        description="Largest request body under /chat and largest socket.io message, in bytes (larger: 413 / "
                    "connection closed)",
    )
    allowed_origins: str = Field(
        "", description="Sites allowed to embed the chat (the widget /chat/copilot/index.js, frames): comma-separated "
                        "origins like https://maya.dev; others are refused (CORS, CSP frame-ancestors). The app "
                        "itself always may",
    )
    llm_timeout: float = Field(
        120, ge=1, le=3600,
        description="Seconds the chat waits for the model to send anything before telling the user it is unavailable",
    )
    chat_min_relevance: float = Field(
        0.30, ge=-1, le=1,
        description="Chat: question-to-item cosine similarity below which a searched item is not offered as an answer "
                    "(0.30 suits all-MiniLM-L6-v2; retune for another embedding model)",
    )

    site_url: str | None = Field(
        None, description="The owner's own site (https://...): feed, sitemap and JSON-LD links point there; "
                          "unset: folio's own address")
    site_path_pattern: str = Field(
        "/{plural}/{slug}/", description="Path of an item's page on the owner's site: {kind}, {plural}, {slug}")
    site_title: str = Field("Portfolio", min_length=1, max_length=200, description="Title of the Atom feed")
    owner_name: str | None = Field(
        None, max_length=200, description="The owner's name in the feed and JSON-LD; unset: FOLIO_SITE_TITLE")
    owner_headline: str | None = Field(None, max_length=500, description="One line about the owner (JSON-LD)")

    insights_keep_days: int = Field(
        90, ge=1, le=3650, description="Days visitors' questions are kept for the owner's insights; older ones "
                                       "are folded into per-day counts")

    notify_webhook_url: str | None = Field(
        None, description="Owner notifications: POST a signed JSON event here when a visitor leaves contact details")
    notify_webhook_secret: SecretStr | None = Field(
        None, description="HMAC-SHA256 key for the X-Folio-Signature header (required with the webhook URL)")
    smtp_host: str | None = Field(None, description="Owner notifications by email: the SMTP server")
    smtp_port: int = Field(587, ge=1, le=65535, description="SMTP port")
    smtp_security: Literal["starttls", "tls", "none"] = Field(
        "starttls", description="SMTP connection security: starttls, tls (implicit) or none")
    smtp_username: str | None = Field(None, description="SMTP login (unset: no login)")
    smtp_password: SecretStr | None = Field(None, description="SMTP password")
    smtp_from: str | None = Field(None, description="Sender address of notification emails")
    smtp_to: str | None = Field(None, description="Where notification emails go; unset: FOLIO_OWNER_EMAIL")
    notify_max_attempts: int = Field(8, ge=1, le=100, description="Delivery attempts before a notification is given up")
    notify_retry_seconds: float = Field(
        5.0, ge=0.05, le=3600, description="Delay before the first retry; doubles after each failure (at most 1 h)")
    notify_poll_seconds: float = Field(2.0, ge=0.05, le=600, description="How often the notification worker looks for due messages")

    github_token: SecretStr | None = Field(
        None, description="Imports from GitHub: a token (higher rate limits; unset: anonymous, public repositories)")
    github_api_url: str = Field(
        "https://api.github.com", description="Imports from GitHub: the REST API's address (GitHub Enterprise: "
                                              "https://HOST/api/v3)")
    sync_github: str = Field(
        "", max_length=2000, description="Scheduled sync: GitHub users whose repositories are kept in sync as projects, "
                                         "comma-separated (empty: none)")
    sync_feeds: str = Field(
        "", max_length=8000, description="Scheduled sync: blog feed URLs kept in sync as posts, comma-separated "
                                         "(empty: none)")
    sync_hours: float = Field(
        6.0, ge=0.05, le=24 * 30, description="Scheduled sync: hours between two syncs of FOLIO_SYNC_GITHUB and "
                                             "FOLIO_SYNC_FEEDS")

    @field_validator(*CHECKED)
    @classmethod
    def _checked(cls, v, info: ValidationInfo):
        return CHECKED[str(info.field_name)](v)

    @property
    def embed_origins(self) -> tuple[str, ...]:
        return tuple(o for o in self.allowed_origins.split(",") if o)

    @property
    def data_path(self) -> Path:
        return self.data_dir.expanduser().resolve()

    @property
    def pgdata(self) -> Path:
        return self.data_path / "pg"

    @property
    def uses_embedded_db(self) -> bool:
        return self.database_url is None

    def sqlalchemy_url(self, embedded_uri: str | None = None) -> str:
        """The async SQLAlchemy URL (psycopg 3) for the configured or embedded database."""
        url = self.database_url or embedded_uri
        if url is None:
            raise ConfigError("FOLIO_DATABASE_URL is unset and no embedded database is running")
        for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url

    def sync_sources(self) -> list[str]:
        """What the scheduled sync keeps in step: "github:USER" and "feed:URL" source names."""
        return ([f"github:{u.strip()}" for u in self.sync_github.split(",") if u.strip()]
                + [f"feed:{u.strip()}" for u in self.sync_feeds.split(",") if u.strip()])

    def resolved_secret_key(self) -> str:
        """FOLIO_SECRET_KEY, or a key generated once and kept (0600) in the data folder."""
        if self.secret_key is not None:
            value = self.secret_key.get_secret_value()
            if len(value) < 16:
                raise ConfigError("FOLIO_SECRET_KEY must be at least 16 characters")
            return value
        try:
            return keyfile.read_or_create(self.data_path / "secret_key")
        except keyfile.KeyFileError as exc:
            raise ConfigError(str(exc)) from None

    def check(self) -> None:
        """Cross-field checks that only make sense at start."""
        if self.uses_embedded_db and len(str(self.pgdata)) > MAX_PGDATA_PATH:
            raise ConfigError(
                f"FOLIO_DATA_DIR is too long ({self.pgdata}): the embedded PostgreSQL socket needs a path "
                f"under {MAX_PGDATA_PATH} characters"
            )
        if self.embeddings_base_url is None and self.embeddings_model != LOCAL_EMBEDDINGS_MODEL:
            raise ConfigError(f"FOLIO_EMBEDDINGS_MODEL: the in-process embedder only ships {LOCAL_EMBEDDINGS_MODEL}; "
                              "set FOLIO_EMBEDDINGS_BASE_URL to use another model")
        if self.notify_webhook_url and not self.notify_webhook_secret:
            raise ConfigError("FOLIO_NOTIFY_WEBHOOK_SECRET must be set when FOLIO_NOTIFY_WEBHOOK_URL is")
        if self.smtp_host and not (self.smtp_from and (self.smtp_to or self.owner_email)):
            raise ConfigError("FOLIO_SMTP_FROM and FOLIO_SMTP_TO (or FOLIO_OWNER_EMAIL) must be set with FOLIO_SMTP_HOST")
        if self.owner_email is not None and self.owner_password is None:
            raise ConfigError("FOLIO_OWNER_PASSWORD must be set when FOLIO_OWNER_EMAIL is")


def load_settings(**overrides) -> Settings:
    """Build settings, turning validation errors into one message that names each FOLIO_ setting."""
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = "FOLIO_" + str(err["loc"][0]).upper() if err["loc"] else "settings"
            problems.append(f"{name}: {err['msg']}")
        raise ConfigError("invalid configuration: " + "; ".join(problems)) from None
    settings.check()
    return settings


@lru_cache
def get_settings() -> Settings:
    return load_settings()
