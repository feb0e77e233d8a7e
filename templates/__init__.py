"""The look of every output: `reference.docx` (DOCX styles), `html/` (page templates and
CSS), `pdf/article.typ` (the Typst layout).

This folder sits beside `publisher/` in the checkout and is installed as the package
`publisher.templates` (pyproject's `package-dir`), so an installed publisher reads it from
site-packages. `publish --templates DIR` points every writer at a copy of it instead.
"""
