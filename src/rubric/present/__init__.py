"""Presentation: a scored result as a table, Markdown, JSON, HTML, XLSX and charts."""
