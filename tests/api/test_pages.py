"""GET /p/{kind}/{slug}: the readable pages the chat's citations open (server-rendered, safe Markdown)."""

import pytest

from folio.schemas import ProjectUpdate


async def test_a_project_page_shows_title_facts_links_body_and_the_way_back(anon):
    r = await anon.get("/p/project/glint")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert "<h1>Glint</h1>" in html and "A fast static site linter." in html
    assert "Built with Rust" in html and "2024-01-01 – ongoing" in html
    assert "<p>Glint lints static sites in Rust.</p>" in html  # Markdown rendered
    assert '<a href="/chat/">← Back to the chat</a>' in html
    assert 'href="/api/v1/projects/glint"' in html  # the JSON stays for machines
    assert "script-src" not in r.headers["content-security-policy"] and "default-src 'none'" in \
        r.headers["content-security-policy"]


async def test_posts_and_certifications_have_pages_too(anon):
    post = await anon.get("/p/post/hnsw-in-pgvector")
    assert post.status_code == 200 and "<h1>HNSW in pgvector</h1>" in post.text and "min read" in post.text
    cert = await anon.get("/p/certification/aws-solutions-architect")
    assert cert.status_code == 200 and "Issued by Amazon Web Services" in cert.text


@pytest.mark.parametrize("path", ["/p/project/secret-lab", "/p/post/draft-notes", "/p/project/nope",
                                  "/p/widget/glint", "/p/project/Not%20A%20Slug"])
async def test_hidden_missing_or_malformed_items_are_a_readable_404(anon, path):
    r = await anon.get(path)
    assert r.status_code == 404 and "<h1>Not found</h1>" in r.text and "Back to the chat" in r.text
    assert "Unreleased experiments" not in r.text


async def test_markdown_is_rendered_safely(app, anon, accounts):
    services = app.state.services
    body = ("# Notes\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n"
            "[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) "
            "[ok](https://example.com/docs) `<b>code</b>`\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    await services.projects.update(accounts.owner, "glint", ProjectUpdate(
        body=body, repo_url="https://github.com/example/glint"))  # link fields are http(s) by schema
    html = (await anon.get("/p/project/glint")).text
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(" in html and "&lt;img src=x" in html  # raw HTML is shown as text
    assert 'href="javascript:' not in html and 'href="data:' not in html  # such links stay plain text
    assert "[click](javascript:alert(1))" in html
    assert '<a href="https://example.com/docs" rel="nofollow noopener noreferrer">ok</a>' in html
    assert "<code>&lt;b&gt;code&lt;/b&gt;</code>" in html and "<table>" in html
    assert 'href="https://github.com/example/glint"' in html  # the repository link
