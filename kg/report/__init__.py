"""The HTML report of a build."""
