"""The imports' fixtures (a fake GitHub API, blog feeds, an ImportService pointed at them)."""

from testkit.import_fixtures import feeds, github, imports  # noqa: F401  (fixtures)
