"""The browser editor (issue 27): configuration, backend and web handlers."""
